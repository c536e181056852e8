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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "approach.h"

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

/* One entry of a cpio "newc" archive (what the kernel unpacks as an
 * initramfs): a 110-byte header of hex fields, the name, the data, each
 * padded to 4 bytes. */
static void cpio_entry(FILE *f, const char *name, unsigned mode,
		       const void *data, size_t len, unsigned ino)
{
	static const char zeros[4];
	size_t nlen = strlen(name) + 1;

	fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X"
		   "%08zX%08X",
		ino, mode, 0u, 0u, 1u, 0u, len, 0u, 0u, 0u, 0u, nlen, 0u);
	fwrite(name, 1, nlen, f);
	fwrite(zeros, 1, (4 - (110 + nlen) % 4) % 4, f);
	if (len) {
		fwrite(data, 1, len, f);
		fwrite(zeros, 1, (4 - len % 4) % 4, f);
	}
}

static const char init_script[] =
	"#!/bin/busybox sh\n"
	"/bin/busybox echo 'isolab-mark: ready'\n"
	"/bin/busybox echo 'hello from isolab'\n"
	"/bin/busybox echo 'checksum 000069736f6c6162'\n"
	"/bin/busybox echo 'isolab-mark: done'\n"
	"/bin/busybox poweroff -f\n";

/* Write the initramfs: /init and /bin/busybox (the kernel's built-in
 * initramfs already has /dev/console). */
static int write_initramfs(const char *path, struct isolab_err *e)
{
	struct stat st;
	char *bb = NULL;
	FILE *in = fopen(BUSYBOX, "re"), *f;
	int rc = -1;

	if (!in || fstat(fileno(in), &st) < 0 ||
	    !(bb = malloc((size_t)st.st_size)) ||
	    fread(bb, 1, (size_t)st.st_size, in) != (size_t)st.st_size) {
		err__set(e, errno, "%s", BUSYBOX);
		goto out;
	}
	f = fopen(path, "we");
	if (!f) {
		err__set(e, errno, "%s", path);
		goto out;
	}
	cpio_entry(f, "bin", 040755, NULL, 0, 1);
	cpio_entry(f, "bin/busybox", 0100755, bb, (size_t)st.st_size, 2);
	cpio_entry(f, "init", 0100755, init_script, strlen(init_script), 3);
	cpio_entry(f, "proc", 040755, NULL, 0, 4);
	cpio_entry(f, "TRAILER!!!", 0, NULL, 0, 0);
	if (fclose(f) != 0)
		err__set(e, errno, "%s", path);
	else
		rc = 0;
out:
	if (in)
		fclose(in);
	free(bb);
	return rc;
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
