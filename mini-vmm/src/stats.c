/*
 * stats.c - The --stats report: exits by reason and by port or address,
 * the time of each boot phase and milestone, and the memory the VMM uses
 * beside the guest's.  Written through the shared harness (result.h), so
 * it carries the machine's metadata, KVM backend included.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "footprint.h"
#include "layout.h"
#include "meta.h"
#include "result.h"
#include "vmm.h"

static const char *const phase_names[PH_COUNT] = {
	[PH_START] = "start",	    [PH_VM] = "vm_created",
	[PH_MEMORY] = "memory",	    [PH_VCPUS] = "vcpus",
	[PH_ENTRY] = "first_entry", [PH_END] = "end",
	[PH_TEARDOWN] = "teardown",
};

static const char *const mode_names[] = {"real", "protected", "long"};

/* Guest pages in host RAM now (mincore), in KiB: the guest memory touched,
 * by the guest or by the loader. */
static long stats_guest_resident_kib(struct vm *vm)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = (vm->mem_size + (uint64_t)page - 1) / (uint64_t)page;
	unsigned char *vec = malloc(pages);
	long n = 0;

	if (!vec)
		return -1;
	if (mincore(vm->mem, vm->mem_size, vec) < 0) {
		free(vec);
		return -1;
	}
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	free(vec);
	return n * (page / 1024);
}

/* Pages the guest wrote since the memslot was registered, from KVM's dirty
 * bitmap (one bit per 4 KiB page of slot 0), or -1 without --dirty-log. */
static long stats_dirty_pages(struct vm *vm)
{
	uint64_t pages = vm->mem_size / 4096, words = (pages + 63) / 64;
	struct kvm_dirty_log log = {.slot = 0};
	uint64_t *bitmap;
	long n = 0;

	if (!vm->cfg.dirty_log)
		return -1;
	bitmap = calloc(words, sizeof(*bitmap));
	if (!bitmap)
		return -1;
	log.dirty_bitmap = bitmap;
	if (ioctl(vm->vm_fd, KVM_GET_DIRTY_LOG, &log) < 0) {
		free(bitmap);
		return -1;
	}
	for (uint64_t i = 0; i < words; i++)
		n += __builtin_popcountll(bitmap[i]);
	free(bitmap);
	return n;
}

/* Called before teardown: what the VMM and its guest hold now. */
void stats__footprint(struct vm *vm)
{
	struct proc_mem pm;
	struct isolab_err e;

	if (footprint__proc(0, &pm, &e) == 0) {
		vm->rss_kib = pm.rss_kib;
		vm->pss_kib = pm.pss_kib;
	} else {
		vm->rss_kib = vm->pss_kib = -1;
	}
	vm->guest_resident_kib = stats_guest_resident_kib(vm);
	vm->guest_dirty_pages = stats_dirty_pages(vm);
}

static json_t *stats_exits(const struct exitstats *s)
{
	json_t *o = json_object(), *reasons = json_object();
	json_t *ports = json_array(), *mmio = json_array();

	for (int i = 0; i < EXITSTATS_REASONS; i++)
		if (s->by_reason[i])
			json_object_set_new(
				reasons, exitstats__reason_name(i),
				json_integer((json_int_t)s->by_reason[i]));
	for (int i = 0; i < EXITSTATS_ADDRS; i++) {
		const struct exitstats_addr *a = &s->addr[i];

		if (!a->used)
			continue;
		json_array_append_new(a->mmio ? mmio : ports,
				      json_pack("{s:I, s:s, s:I}", "addr",
						(json_int_t)a->addr, "device",
						a->dev ? a->dev : "unclaimed",
						"count", (json_int_t)a->count));
	}
	json_object_set_new(o, "total", json_integer((json_int_t)s->total));
	json_object_set_new(o, "by_reason", reasons);
	json_object_set_new(o, "by_port", ports);
	json_object_set_new(o, "by_mmio", mmio);
	json_object_set_new(o, "unclaimed_pio",
			    json_integer((json_int_t)s->unclaimed_pio));
	json_object_set_new(o, "unclaimed_mmio",
			    json_integer((json_int_t)s->unclaimed_mmio));
	return o;
}

static json_t *stats_times(struct vm *vm)
{
	json_t *t = json_object(), *marks = json_object();

	for (int i = 0; i < PH_COUNT; i++)
		if (vm->t[i])
			json_object_set_new(t, phase_names[i],
					    json_integer((json_int_t)vm->t[i]));
	for (unsigned id = 0; id < MAX_MARKS; id++) {
		char name[16];

		if (!vm->mark_t[id])
			continue;
		snprintf(name, sizeof(name), "mark%u", id);
		json_object_set_new(marks,
				    mark__name(id) ? mark__name(id) : name,
				    json_integer((json_int_t)vm->mark_t[id]));
	}
	json_object_set_new(t, "marks", marks);
	return t;
}

/* The C library this program was built with (mini-vmm.mk): musl unless
 * sanitized.  It shows in the boot figure: glibc's start-up executes 43
 * `cpuid`s, musl's none, and each traps to the outer hypervisor here. */
static const char *libc_name(void)
{
#ifdef __GLIBC__
	return "glibc";
#else
	return "musl";
#endif
}

int stats__write(struct vm *vm, const char *path, struct isolab_err *e)
{
	struct exitstats all = {0};
	struct result *r;
	struct meta m;
	json_t *data, *per_vcpu = json_array();
	int rc;

	meta__collect(&m);
	r = result__create("mini-vmm", "mini-vmm run statistics", &m);
	if (!r) {
		json_decref(per_vcpu);
		return err__set(e, 0, "%s: out of memory", path);
	}
	for (int i = 0; i < vm->nvcpus; i++) {
		exitstats__merge(&all, &vm->vcpus[i].stats);
		json_t *x = stats_exits(&vm->vcpus[i].stats);

		json_object_set_new(
			x, "user_ns",
			json_integer((json_int_t)vm->vcpus[i].user_ns));
		json_object_set_new(
			x, "sys_ns",
			json_integer((json_int_t)vm->vcpus[i].sys_ns));
		json_array_append_new(per_vcpu, x);
	}
	json_object_set_new(result__params(r), "image",
			    json_string(vm->cfg.image));
	json_object_set_new(result__params(r), "mode",
			    json_string(mode_names[vm->mode]));
	json_object_set_new(result__params(r), "mem_bytes",
			    json_integer((json_int_t)vm->mem_size));
	json_object_set_new(result__params(r), "vcpus",
			    json_integer(vm->nvcpus));
	json_object_set_new(
		result__params(r), "console",
		json_string(vm->cfg.console == CONSOLE_PV ? "pv" : "uart"));
	json_object_set_new(result__params(r), "libc",
			    json_string(libc_name()));
	data = result__data(r);
	json_object_set_new(data, "status",
			    json_integer(vm->status_set ? vm->status : 0));
	json_object_set_new(data, "exits", stats_exits(&all));
	json_object_set_new(data, "exits_per_vcpu", per_vcpu);
	json_object_set_new(data, "uart_tx_bytes",
			    json_integer((json_int_t)vm->uart.tx_bytes));
	json_object_set_new(data, "uart_rx_bytes",
			    json_integer((json_int_t)vm->uart.rx_bytes));
	json_object_set_new(data, "t_ns", stats_times(vm));
	/* Where the vCPUs' CPUID table came from (cpuid.c). */
	json_object_set_new(data, "cpuid_source",
			    json_string(vm->cpuid_cached ? "cache" : "kvm"));
	json_object_set_new(data, "vmm_rss_kib", json_integer(vm->rss_kib));
	json_object_set_new(data, "guest_resident_kib",
			    json_integer(vm->guest_resident_kib));
	json_object_set_new(data, "vmm_overhead_kib",
			    json_integer(vm->rss_kib - vm->guest_resident_kib));
	/* PSS shares libc's pages among the processes mapping them: the
	 * memory one more VMM really costs. */
	json_object_set_new(data, "vmm_pss_kib", json_integer(vm->pss_kib));
	json_object_set_new(data, "guest_dirty_pages",
			    json_integer(vm->guest_dirty_pages));
	json_object_set_new(data, "vmm_overhead_pss_kib",
			    json_integer(vm->pss_kib - vm->guest_resident_kib));
	rc = result__write(r, path, e);
	result__destroy(r);
	return rc;
}
