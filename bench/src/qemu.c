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
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approach.h"
#include "cpio.h"

#define QEMU_BIN "/usr/bin/qemu-system-x86_64"
#define BUSYBOX "/bin/busybox"
#define QEMU_MEM "256"

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

static int qemu_measure(struct bench_ctx *ctx, struct result *r,
			struct isolab_err *e)
{
	bool kvm = ctx->meta.kvm_usable &&
		   strcmp(ctx->meta.kvm_backend, "pvm") != 0;
	/* A boot takes seconds: a tenth of the start-up runs, at least 5. */
	int runs = ctx->runs / 10 < 5 ? 5 : ctx->runs / 10;
	char initrd[4200];
	char append[] = "console=ttyS0 quiet panic=-1 tsc_early_khz=2000000 "
			"lpj=4000000 no_timer_check";
	char *argv[] = { QEMU_BIN, "-M", "microvm,pit=on,pic=on,rtc=on",
			 "-accel", kvm ? "kvm" : "tcg", "-cpu",
			 kvm ? "host" : "max", "-m", QEMU_MEM, "-kernel",
			 kernel, "-initrd", initrd, "-nographic",
			 "-no-reboot", "-nodefaults", "-serial", "stdio",
			 "-append", append, NULL };
	int rc;

	snprintf(initrd, sizeof(initrd), "%s/qemu-initramfs.cpio",
		 ctx->out_dir);
	if (write_initramfs(initrd, e) < 0)
		return -1;
	json_object_set_new(result__params(r), "accel",
			    json_string(kvm ? "kvm" : "tcg"));
	json_object_set_new(result__params(r), "kernel", json_string(kernel));
	json_object_set_new(result__params(r), "memory_mib", json_integer(256));
	json_object_set_new(result__params(r), "boot_runs", json_integer(runs));
	if (!kvm)
		json_object_set_new(
			result__params(r), "note",
			json_string(strcmp(ctx->meta.kvm_backend, "pvm") == 0
					    ? "KVM here is the PVM backend, "
					      "which cannot boot a stock Linux "
					      "kernel: measured under TCG "
					      "software emulation"
					    : "no usable KVM: measured under "
					      "TCG software emulation"));
	progress__step(&ctx->prog, "qemu:boot");
	rc = approach__measure_workload(ctx, r, "qemu", "hello", argv, runs, e);
	unlink(initrd);
	return rc;
}

const struct approach_ops qemu_approach = {
	.name = "qemu",
	.what = "full VM: QEMU microvm booting Linux with a busybox initramfs",
	.steps = 1,
	.unavailable = qemu_unavailable,
	.measure = qemu_measure,
};
