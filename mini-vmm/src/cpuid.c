/*
 * cpuid.c - What `cpuid` tells the guest.  KVM answers cpuid in the kernel
 * from a table the VMM sets with KVM_SET_CPUID2; we start from what KVM
 * supports (KVM_GET_SUPPORTED_CPUID) and put mini-vmm's signature in the
 * hypervisor leaf 0x40000000 (EBX, ECX, EDX), where KVM puts "KVMKVMKVM"
 * and Xen "XenVMMXenVMM".  The table must be set before long mode: KVM
 * refuses EFER.LME unless the guest's CPUID advertises long mode.
 *
 * KVM_GET_SUPPORTED_CPUID is the dearest ioctl of a VM's start here (0.35-
 * 0.45 ms, more than KVM_CREATE_VM): KVM runs the host's `cpuid` for every
 * leaf and subleaf it reports, and on a host that is itself a VM each one
 * traps to the outer hypervisor.  Its answer depends only on the CPU and
 * on the loaded KVM modules, so it is asked once per VM, not per vCPU, and
 * kept between runs in CPUID_CACHE_DIR (as mini-container keeps compiled
 * seccomp filters): a file holding the table after a key that names this
 * boot (/proc/sys/kernel/random/boot_id) and these module instances (the
 * inode numbers of their /sys/module directories, new at every load).  A
 * reboot or a reloaded module changes the key and the next VM asks KVM
 * again.  The directory and file rules are bench/lib/filecache.c's: root's
 * own, written atomically, anything odd a miss.  `--no-cpuid-cache`
 * always asks KVM; --stats says which it was ("cpuid_source").  Asking on
 * a second thread while the main thread created the VM did not pay here:
 * the two cores are shared and the main thread's ioctls slowed down by as
 * much (README).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filecache.h"
#include "vmm.h"

#define CPUID_MAX_ENTRIES 256
#define CPUID_CACHE_FILE  "cpuid"

/* The modules whose instance the table depends on: KVM itself and each
 * backend (only one is loaded; the others' inode numbers stay 0). */
static const char *const cpuid_modules[CPUID_KEY_MODULES] = {
	"/sys/module/kvm", "/sys/module/kvm_pvm", "/sys/module/kvm_intel",
	"/sys/module/kvm_amd"};

/* A cache file: this header, then nent entries. */
struct cpuid_cache_head {
	char magic[8];
	struct cpuid_key key;
	uint32_t nent;
	uint32_t entry_size; /* sizeof(struct kvm_cpuid_entry2) */
};

static const char cpuid_magic[8] = "mvmmcpu1";

int cpuid__key(struct cpuid_key *k)
{
	ssize_t n;
	int fd;

	memset(k, 0, sizeof(*k));
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, k->boot_id, sizeof(k->boot_id) - 1);
	close(fd);
	if (n < 36)
		return -1;
	for (int i = 0; i < CPUID_KEY_MODULES; i++) {
		struct stat st;

		if (stat(cpuid_modules[i], &st) == 0)
			k->module_ino[i] = (uint64_t)st.st_ino;
	}
	return k->module_ino[0] ? 0 : -1;
}

/* The table stored under key in dir, or NULL (a miss). */
static struct kvm_cpuid2 *cpuid_cache_load(const char *dir,
					   const struct cpuid_key *key)
{
	const struct cpuid_cache_head *h;
	struct kvm_cpuid2 *c = NULL;
	size_t len;
	void *buf;
	bool ok;
	int dfd;

	dfd = filecache__open_dir(dir, false);
	if (dfd < 0)
		return NULL;
	ok = filecache__read(dfd, CPUID_CACHE_FILE, sizeof(*h),
			     sizeof(*h) + CPUID_MAX_ENTRIES *
						  sizeof(struct kvm_cpuid_entry2),
			     &buf, &len);
	close(dfd);
	if (!ok)
		return NULL;
	h = buf;
	if (memcmp(h->magic, cpuid_magic, sizeof(h->magic)) == 0 &&
	    memcmp(&h->key, key, sizeof(*key)) == 0 &&
	    h->entry_size == sizeof(struct kvm_cpuid_entry2) &&
	    h->nent >= 1 && h->nent <= CPUID_MAX_ENTRIES &&
	    len == sizeof(*h) + h->nent * sizeof(struct kvm_cpuid_entry2)) {
		c = calloc(1, sizeof(*c) + h->nent * sizeof(c->entries[0]));
		if (c) {
			c->nent = h->nent;
			memcpy(c->entries, h + 1,
			       h->nent * sizeof(c->entries[0]));
		}
	}
	free(buf);
	return c;
}

/* Keep c under key in dir.  Best effort: a cache that cannot be written
 * (not root, a read-only /run) only means the next VM asks KVM again. */
static void cpuid_cache_store(const char *dir, const struct cpuid_key *key,
			      const struct kvm_cpuid2 *c)
{
	struct cpuid_cache_head h;
	struct isolab_err e;
	int dfd;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, cpuid_magic, sizeof(h.magic));
	h.key = *key;
	h.nent = c->nent;
	h.entry_size = sizeof(struct kvm_cpuid_entry2);
	dfd = filecache__open_dir(dir, true);
	if (dfd < 0)
		return;
	filecache__write(dfd, dir, CPUID_CACHE_FILE, &h, sizeof(h), c->entries,
			 c->nent * sizeof(c->entries[0]), &e);
	close(dfd);
}

struct kvm_cpuid2 *cpuid__supported(int kvm_fd, const char *cache_dir,
				    const struct cpuid_key *key, bool *hit,
				    struct isolab_err *e)
{
	struct kvm_cpuid2 *c;

	*hit = false;
	if (cache_dir && key) {
		c = cpuid_cache_load(cache_dir, key);
		if (c) {
			*hit = true;
			return c;
		}
	}
	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES *
					   sizeof(struct kvm_cpuid_entry2));
	if (!c) {
		err__set(e, ENOMEM, "cpuid table");
		return NULL;
	}
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		err__set(e, errno, "KVM_GET_SUPPORTED_CPUID");
		free(c);
		return NULL;
	}
	if (cache_dir && key)
		cpuid_cache_store(cache_dir, key, c);
	return c;
}

/* What KVM supports (from the cache unless --no-cpuid-cache), into
 * vm->cpuid, with our signature.  Returns 0 or -1. */
static int cpuid_query(struct vm *vm, struct isolab_err *e)
{
	static const char sig[] = CPUID_SIGNATURE;
	bool cacheable = !vm->cfg.no_cpuid_cache;
	struct cpuid_key key;
	struct kvm_cpuid2 *c;

	if (cacheable && cpuid__key(&key) < 0)
		cacheable = false;
	c = cpuid__supported(vm->kvm_fd, cacheable ? CPUID_CACHE_DIR : NULL,
			     cacheable ? &key : NULL, &vm->cpuid_cached, e);
	if (!c)
		return -1;
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *en = &c->entries[i];

		if (en->function == 0x40000000) {
			memcpy(&en->ebx, sig, 4);
			memcpy(&en->ecx, &sig[4], 4);
			memcpy(&en->edx, &sig[8], 4);
		}
	}
	vm->cpuid = c;
	return 0;
}

int cpuid__setup(struct vm *vm, struct vcpu *v, struct isolab_err *e)
{
	struct kvm_cpuid2 *c;

	if (!vm->cpuid && cpuid_query(vm, e) < 0)
		return -1;
	c = vm->cpuid;
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *en = &c->entries[i];

		/* The initial APIC id: which vCPU asked.  KVM copies the
		 * table, so the next vCPU's index can overwrite this one. */
		if (en->function == 1)
			en->ebx = (en->ebx & 0x00ffffffU) |
				  ((uint32_t)v->index << 24);
	}
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		return err__set(e, errno, "KVM_SET_CPUID2");
	return 0;
}

void cpuid__release(struct vm *vm)
{
	free(vm->cpuid);
	vm->cpuid = NULL;
}
