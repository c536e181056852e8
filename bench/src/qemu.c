/*
 * qemu.c - The "full VM" peer: QEMU's microvm machine booting Debian's
 * Linux kernel with a one-file busybox initramfs whose init does what the
 * hello workload does (mark ready, print, checksum, mark done) and powers
 * off.  Start-up is launch to init's ready mark: the whole boot.
 *
 * Accelerator: KVM with the host CPU on VT-x/AMD-V.  On KVM's PVM backend
 * a stock kernel cannot boot (guest ring 0 is emulated, and instructions
 * such as cmpxchg16b and xrstor are not), so there QEMU runs under TCG,
 * its own binary translator, and the result says so.  Under TCG the guest
 * cannot calibrate its TSC against a timer in useful time, so the command
 * line gives it the numbers instead (tsc_early_khz, lpj, no_timer_check).
 *
 * Kernel: Debian ships a bzImage, whose stub decompresses the kernel
 * (xz) before it starts; under TCG that alone costs about 4 s of CPU
 * (5.7 s per boot against 1.8 s for the same kernel uncompressed).  So the
 * kernel is decompressed once beforehand (extract_vmlinux) and QEMU boots
 * the ELF vmlinux through its PVH entry point, as Firecracker boots an
 * uncompressed vmlinux: the same kernel code, without the stub.  A kernel
 * that cannot be extracted (no PVH note, no xz) boots as the bzImage, and
 * params.kernel_format says which.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approach.h"
#include "cpio.h"
#include "timing.h"

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"
#define BUSYBOX "/bin/busybox"
#define QEMU_MEM "256"
/* The machine and the kernel command line.  The TSC figures: see above.
 * cryptomgr.notests skips the crypto self-tests Debian's kernel runs at
 * boot (the flag was added to crypto/testmgr.c in 2016 for short-lived
 * VMs, libguestfs's appliance first): 1.9 s of QEMU CPU time per boot
 * instead of 2.3 (medians of 3, TCG, vmlinux).  Measured and not kept:
 * acpi=off with reboot=t (poweroff then needs ACPI; no gain beyond
 * notests), pit/pic/rtc off (the boot hangs at power-off), -cpu qemu64
 * (slower), i8042.* and 8250.nr_uarts=1 (no gain). */
#define QEMU_MACHINE "microvm,pit=on,pic=on,rtc=on"
#define QEMU_TCG_CPU "max"
#define QEMU_APPEND                                                    \
	"console=ttyS0 quiet panic=-1 tsc_early_khz=2000000 lpj=4000000 " \
	"no_timer_check cryptomgr.notests"

static char kernel[512];

/* The newest /boot/vmlinuz-*, by name. */
static int find_kernel(char *buf, size_t len)
{
	struct dirent **names;
	int n = scandir("/boot", &names, NULL, alphasort), found = 0;

	for (int i = n - 1; i >= 0; i--) {
		if (!found && strncmp(names[i]->d_name, "vmlinuz-", 8) == 0) {
			snprintf(buf, len, "/boot/%s", names[i]->d_name);
			found = 1;
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return found ? 0 : -1;
}

static const char *qemu_unavailable(const struct bench_ctx *ctx)
{
	(void)ctx;
	if (access(QEMU_BIN, X_OK) < 0)
		return QEMU_BIN " not found (apt-get install qemu-system-x86)";
	if (find_kernel(kernel, sizeof(kernel)) < 0)
		return "no /boot/vmlinuz-* (apt-get install linux-image-amd64)";
	if (access(BUSYBOX, X_OK) < 0)
		return BUSYBOX " not found (apt-get install busybox-static)";
	return NULL;
}

/* The whole of file path in *buf (malloc'ed) and *len.  Returns 0, or -1
 * with e filled. */
static int read_file(const char *path, unsigned char **buf, size_t *len,
		     struct isolab_err *e)
{
	FILE *f = fopen(path, "re");
	struct stat st;

	*buf = NULL;
	if (!f)
		return err__set(e, errno, "%s", path);
	if (fstat(fileno(f), &st) < 0 || !(*buf = malloc((size_t)st.st_size + 1))) {
		err__set(e, errno, "%s", path);
		fclose(f);
		return -1;
	}
	*len = fread(*buf, 1, (size_t)st.st_size, f);
	fclose(f);
	if (*len != (size_t)st.st_size) {
		free(*buf);
		*buf = NULL;
		return err__set(e, 0, "%s: short read", path);
	}
	return 0;
}

/* Where the compressed kernel lies in a bzImage, from its boot protocol
 * header (the kernel's Documentation/arch/x86/boot.rst): setup_sects at
 * 0x1f1 (0 means 4), "HdrS" at 0x202, version >= 2.08 at 0x206,
 * payload_offset at 0x248 and payload_length at 0x24c, counted from the
 * protected-mode code at (setup_sects + 1) * 512.  *tool is the
 * decompressor its magic calls for.  Returns 0, or -1 with e filled. */
static int bzimage_payload(const unsigned char *b, size_t len, size_t *off,
			   size_t *plen, const char **tool,
			   struct isolab_err *e)
{
	static const struct {
		const char *tool;
		unsigned char magic[6];
		size_t n;
	} formats[] = {
		{"xz", {0xfd, '7', 'z', 'X', 'Z', 0}, 6},
		{"zstd", {0x28, 0xb5, 0x2f, 0xfd}, 4},
		{"gzip", {0x1f, 0x8b}, 2},
	};
	uint32_t po, pl;
	unsigned setup;

	if (len < 0x250 || memcmp(b + 0x202, "HdrS", 4) != 0 ||
	    (b[0x206] | b[0x207] << 8) < 0x208)
		return err__set(e, 0, "%s: not a bzImage of boot protocol "
				      "2.08 or later",
				kernel);
	setup = b[0x1f1] ? b[0x1f1] : 4;
	memcpy(&po, b + 0x248, 4);
	memcpy(&pl, b + 0x24c, 4);
	*off = (size_t)(setup + 1) * 512 + po;
	*plen = pl;
	if (*off > len || *plen > len - *off)
		return err__set(e, 0, "%s: payload beyond the file", kernel);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (*plen >= formats[i].n &&
		    memcmp(b + *off, formats[i].magic, formats[i].n) == 0) {
			*tool = formats[i].tool;
			return 0;
		}
	return err__set(e, 0, "%s: payload compressed in an unknown format",
			kernel);
}

/* Does the ELF64 file fd carry the note QEMU boots an uncompressed kernel
 * by: XEN_ELFNOTE_PHYS32_ENTRY (18), owner "Xen"?  Reads only the
 * headers and the PT_NOTE segments. */
static bool elf_has_pvh_note(int fd)
{
	Elf64_Ehdr eh;
	bool found = false;

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return false;
	for (unsigned i = 0; !found && i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		char notes[4096];
		size_t n, at = 0;

		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph))
			return false;
		if (ph.p_type != PT_NOTE)
			continue;
		n = ph.p_filesz < sizeof(notes) ? ph.p_filesz : sizeof(notes);
		if (pread(fd, notes, n, (off_t)ph.p_offset) != (ssize_t)n)
			return false;
		/* Each note: namesz, descsz, type, then name and desc, each
		 * padded to 4 bytes. */
		while (!found && at + sizeof(Elf64_Nhdr) <= n) {
			Elf64_Nhdr nh;

			memcpy(&nh, notes + at, sizeof(nh));
			at += sizeof(nh);
			found = nh.n_type == 18 && nh.n_namesz == 4 &&
				at + 4 <= n && memcmp(notes + at, "Xen", 4) == 0;
			at += ((nh.n_namesz + 3) & ~3u) +
			      ((nh.n_descsz + 3) & ~3u);
		}
	}
	return found;
}

/* Decompress the kernel of the bzImage `kernel` into out (DIR/qemu-
 * vmlinux) with xz, zstd or gzip, and check that QEMU can boot it through
 * its PVH entry.  Returns 0, or -1 with e filled and out removed (the
 * caller then boots the bzImage). */
static int extract_vmlinux(const char *dir, char *out, size_t outlen,
			   struct isolab_err *e)
{
	char payload[4200];
	/* xz: the kernel's build appends the uncompressed size after the
	 * stream, which --single-stream ignores. */
	char *argv[] = {NULL, "-dc", payload, NULL, NULL};
	struct cmd_opts opts = {.stdout_path = out,
				.stderr_path = "/dev/null",
				.timeout_s = 120};
	struct cmd_result res;
	size_t len = 0, off = 0, plen = 0, wrote;
	const char *tool = NULL;
	unsigned char *b;
	FILE *f;
	int fd, rc = -1;

	snprintf(out, outlen, "%s/qemu-vmlinux", dir);
	snprintf(payload, sizeof(payload), "%s/qemu-kernel-payload", dir);
	if (read_file(kernel, &b, &len, e) < 0)
		return -1;
	if (bzimage_payload(b, len, &off, &plen, &tool, e) < 0)
		goto out;
	argv[0] = (char *)tool;
	if (strcmp(tool, "xz") == 0)
		argv[3] = "--single-stream";
	f = fopen(payload, "we");
	if (!f) {
		err__set(e, errno, "%s", payload);
		goto out;
	}
	wrote = fwrite(b + off, 1, plen, f);
	/* fclose even after a short write, and check both. */
	if (fclose(f) != 0 || wrote != plen) {
		err__set(e, errno, "%s: write", payload);
		goto out;
	}
	if (timing__cmd_once(argv, &opts, &res, e) < 0)
		goto out;
	if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
		err__set(e, 0, "%s -dc %s: failed (status %d)", tool, kernel,
			 res.status);
		goto out;
	}
	fd = open(out, O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && elf_has_pvh_note(fd))
		rc = 0;
	else
		err__set(e, 0, "%s: its vmlinux has no PVH entry note",
			 kernel);
	if (fd >= 0)
		close(fd);
out:
	free(b);
	unlink(payload);
	if (rc < 0)
		unlink(out);
	return rc;
}

static const char init_script[] =
	"#!/bin/busybox sh\n"
	"/bin/busybox echo 'isolab-mark: ready'\n"
	"/bin/busybox echo 'hello from isolab'\n"
	"/bin/busybox echo 'checksum 000069736f6c6162'\n"
	"/bin/busybox echo 'isolab-mark: done'\n"
	"/bin/busybox poweroff -f\n";

/* Write the initramfs: /init and /bin/busybox (the kernel's built-in
 * initramfs already has /dev/console).  Returns 0, or -1 with e filled. */
static int write_initramfs(const char *path, struct isolab_err *e)
{
	struct cpio c;

	if (cpio__open(&c, path, e) < 0)
		return -1;
	if (cpio__add_dir(&c, "bin", 0755, e) < 0 ||
	    cpio__add_copy(&c, "bin/busybox", BUSYBOX, e) < 0 ||
	    cpio__add_file(&c, "init", 0755, init_script,
			   strlen(init_script), e) < 0 ||
	    cpio__add_dir(&c, "proc", 0755, e) < 0) {
		cpio__abort(&c);
		return -1;
	}
	return cpio__close(&c, e);
}

/* A boot takes seconds: a tenth of the start-up runs, at least 5, after
 * one warm-up; with --quick, one and no warm-up. */
static int qemu_runs(const struct bench_ctx *ctx)
{
	if (ctx->quick)
		return 1;
	return ctx->runs / 10 < 5 ? 5 : ctx->runs / 10;
}

/* What the result says about how QEMU was run. */
static void qemu_params(const struct bench_ctx *ctx, struct result *r,
			bool kvm, bool pvh, const char *why_not_pvh,
			char *const argv[])
{
	json_t *p = result__params(r), *cmd = json_array();

	json_object_set_new(p, "accel", json_string(kvm ? "kvm" : "tcg"));
	json_object_set_new(p, "kernel", json_string(kernel));
	json_object_set_new(
		p, "kernel_format",
		json_string(pvh ? "vmlinux (decompressed beforehand, booted "
				  "through its PVH entry)"
				: "bzImage (decompresses itself)"));
	if (why_not_pvh)
		json_object_set_new(p, "vmlinux_error",
				    json_string(why_not_pvh));
	json_object_set_new(p, "memory_mib", json_integer(256));
	json_object_set_new(p, "boot_runs", json_integer(qemu_runs(ctx)));
	json_object_set_new(p, "boot_warmup", json_integer(1));
	json_object_set_new(
		p, "boot_runs_why",
		json_string(ctx->quick
				    ? "--quick: one measured boot (after the "
				      "one warm-up boot the harness makes)"
				    : "a boot takes seconds under TCG: "
				      "max(5, runs / 10) boots"));
	json_object_set_new(p, "quick", json_boolean(ctx->quick));
	for (int i = 0; argv[i]; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	json_object_set_new(p, "command", cmd);
	if (!kvm)
		json_object_set_new(
			p, "note",
			json_string(strcmp(ctx->meta.kvm_backend, "pvm") == 0
					    ? "KVM here is the PVM backend, "
					      "which cannot boot a stock Linux "
					      "kernel: measured under TCG "
					      "software emulation"
					    : "no usable KVM: measured under "
					      "TCG software emulation"));
}

static int qemu_measure(struct bench_ctx *ctx, struct result *r,
			struct isolab_err *e)
{
	bool kvm = ctx->meta.kvm_usable &&
		   strcmp(ctx->meta.kvm_backend, "pvm") != 0;
	char initrd[4200], vmlinux[4200];
	struct isolab_err why = {0};
	char append[] = QEMU_APPEND;
	bool pvh;
	int rc;

	snprintf(initrd, sizeof(initrd), "%s/qemu-initramfs.cpio",
		 ctx->out_dir);
	progress__step(&ctx->prog, "qemu:kernel");
	pvh = extract_vmlinux(ctx->out_dir, vmlinux, sizeof(vmlinux), &why) == 0;
	if (write_initramfs(initrd, e) < 0) {
		if (pvh)
			unlink(vmlinux);
		return -1;
	}
	char *argv[] = { QEMU_BIN, "-M", QEMU_MACHINE, "-accel",
			 kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : QEMU_TCG_CPU,
			 "-m", QEMU_MEM, "-kernel", pvh ? vmlinux : kernel,
			 "-initrd", initrd, "-nographic", "-no-reboot",
			 "-nodefaults", "-no-user-config", "-serial", "stdio",
			 "-append", append, NULL };

	qemu_params(ctx, r, kvm, pvh, pvh ? NULL : why.msg, argv);
	progress__step(&ctx->prog, "qemu:boot");
	rc = approach__measure_workload(ctx, r, "qemu", "hello", argv,
					ctx->quick ? 0 : 1, qemu_runs(ctx), e);
	unlink(initrd);
	if (pvh)
		unlink(vmlinux);
	return rc;
}

const struct approach_ops qemu_approach = {
	.name = "qemu",
	.what = "full VM: QEMU microvm booting Linux with a busybox initramfs",
	.steps = 2,
	.unavailable = qemu_unavailable,
	.measure = qemu_measure,
};
