/*
 * vm.c - isobench's "vm" approach: mini-vmm measured.
 *
 *  1. boot: process start (fork) -> hello64's "ready" mark, through the
 *     harness's mark lines (mini-vmm --marks), >= 100 runs, with mini-vmm's
 *     own phases from --stats (open /dev/kvm + create VM, memory, vCPU
 *     setup, first entry, ready, end, teardown);
 *  2. exit cost: ns per exit for a userspace port write, an MMIO read,
 *     in-kernel cpuid and ioeventfd writes, each run two ways with the same
 *     guest code: under mini-vmm (exits and time from --stats) and under a
 *     bare KVM_RUN loop written here, in the same run;
 *  3. footprint: mini-vmm's RSS beyond the guest memory it touched;
 *  4. memtouch: first touch and a pointer chase in guest ring 3, beside the
 *     same code as a host process (memtouch-native);
 *  5. the shared workloads (bench/workloads/) built as guests (vm_arms),
 *     run in the shared rounds interleaved with every other approach
 *     (approach__measure_shared).
 * --quick cuts the exit kinds and memtouch to 3 runs of a shorter spin and
 * the boot to --runs; the result's params say so.
 * The KVM backend (pvm, intel, amd) is in every result's meta block.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approach.h"
#include "marks.h"
#include "plot.h"
#include "timing.h"

#define VM_BOOT_MIN_RUNS     100
#define VM_EXIT_RUNS_MAX     15
#define VM_SPIN_SECONDS	     "0.25"
#define VM_EXIT_RUNS_QUICK   3     /* --quick: runs per exit kind, */
#define VM_SPIN_QUICK	     "0.1" /* each spinning this long */
#define VM_INKERNEL_PER_EXIT 200   /* in-kernel exits per userspace exit */
#define VM_BARE_EXITS	     2000  /* guest events per bare-loop sample */
#define PORT_NULL	     0x511 /* mini-vmm/src/layout.h */
#define PORT_IOEVENTFD	     0x514
#define PORT_IOEVENTFD_BIND  0x515
#define MMIO_COUNT	     0xd0000008U

static char vmm_path[4096], guests_dir[4096], native_path[4096];

static const char *vm_unavailable(const struct bench_ctx *ctx)
{
	snprintf(vmm_path, sizeof(vmm_path), "%s/bin/mini-vmm", ctx->build_dir);
	snprintf(native_path, sizeof(native_path), "%s/bin/memtouch-native",
		 ctx->build_dir);
	snprintf(guests_dir, sizeof(guests_dir), "%s/guests", ctx->build_dir);
	if (access(vmm_path, X_OK) < 0)
		return "mini-vmm is not built (run make)";
	if (!ctx->meta.kvm_usable)
		return "/dev/kvm is missing or KVM_CREATE_VM fails here";
	return NULL;
}

/* ---- the guest code both loops run (32-bit protected mode, flat) ---- */

/* mov $PORT,%edx; 1: out %al,(%dx); jmp 1b */
static const uint8_t code_port[] = {0xba, 0x11, 0x05, 0, 0, 0xee, 0xeb, 0xfd};
/* mov $MMIO_COUNT,%ebx; 1: mov (%ebx),%eax; jmp 1b */
static const uint8_t code_mmio[] = {0xbb, 0x08, 0x00, 0x00, 0xd0,
				    0x8b, 0x03, 0xeb, 0xfc};
/* 1: mov $N,%esi
 * 2: xor %eax,%eax; cpuid; dec %esi; jnz 2b
 *    mov $PORT_NULL,%edx (cpuid clobbers it); out %al,(%dx); jmp 1b */
static const uint8_t code_cpuid[] = {
	0xbe, VM_INKERNEL_PER_EXIT,
	0,    0,
	0,    0x31,
	0xc0, 0x0f,
	0xa2, 0x4e,
	0x75, 0xf9,
	0xba, 0x11,
	0x05, 0,
	0,    0xee,
	0xeb, 0xec,
};
/* mov $PORT_IOEVENTFD_BIND,%edx; out %al,(%dx)   (mini-vmm binds the
 *    doorbell when the guest asks; the bare loop has it bound already and
 *    takes this one exit in its warm-up)
 * mov $PORT_NULL,%edx; mov $PORT_IOEVENTFD,%ecx
 * 1: mov $N,%esi
 * 2: xchg %ecx,%edx; out %al,(%dx); xchg %ecx,%edx; dec %esi; jnz 2b
 *    out %al,(%dx); jmp 1b */
static const uint8_t code_ioeventfd[] = {
	0xba, 0x15, 0x05, 0,	0,    0xee,
	0xba, 0x11, 0x05, 0,	0,    0xb9,
	0x14, 0x05, 0,	  0,	0xbe, VM_INKERNEL_PER_EXIT,
	0,    0,    0,	  0x87, 0xca, 0xee,
	0x87, 0xca, 0x4e, 0x75, 0xf8, 0xee,
	0xeb, 0xf0,
};

struct exit_kind {
	const char *name; /* series workload */
	const uint8_t *code;
	size_t len;
	int per_exit;		/* guest events per userspace exit */
	const char *stats_list; /* by_port or by_mmio */
	uint64_t stats_addr;	/* the address whose exits we count */
};

static const struct exit_kind kinds[] = {
	{"port-out", code_port, sizeof(code_port), 1, "by_port", PORT_NULL},
	{"mmio-read", code_mmio, sizeof(code_mmio), 1, "by_mmio", MMIO_COUNT},
	{"cpuid", code_cpuid, sizeof(code_cpuid), VM_INKERNEL_PER_EXIT,
	 "by_port", PORT_NULL},
	{"ioeventfd", code_ioeventfd, sizeof(code_ioeventfd),
	 VM_INKERNEL_PER_EXIT, "by_port", PORT_NULL},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* ---- the bare KVM_RUN loop: the floor mini-vmm is compared with ---- */

struct bare {
	int kvm, vm, vcpu, efd;
	int runs; /* KVM_RUNs per sample: VM_BARE_EXITS guest events */
	struct kvm_run *run;
	size_t run_size;
	uint8_t *mem;
	size_t mem_size;
};

static void bare_destroy(struct bare *b)
{
	if (b->run)
		munmap(b->run, b->run_size);
	if (b->mem)
		munmap(b->mem, b->mem_size);
	if (b->efd >= 0)
		close(b->efd);
	if (b->vcpu >= 0)
		close(b->vcpu);
	if (b->vm >= 0)
		close(b->vm);
	if (b->kvm >= 0)
		close(b->kvm);
}

/* A VM with 1 MiB of memory, one vCPU in flat 32-bit protected mode at
 * 0x1000 running code, and an ioeventfd on PORT_IOEVENTFD, as mini-vmm
 * has once the guest has written PORT_IOEVENTFD_BIND.  Returns 0 or -1. */
static int bare_create(struct bare *b, const struct exit_kind *k,
		       struct isolab_err *e)
{
	struct kvm_userspace_memory_region region;
	struct kvm_sregs s;
	struct kvm_regs r;
	struct kvm_segment seg = {.base = 0,
				  .limit = 0xffffffff,
				  .present = 1,
				  .s = 1,
				  .db = 1,
				  .g = 1};
	struct kvm_ioeventfd io;
	int sz;

	memset(b, 0, sizeof(*b));
	b->kvm = b->vm = b->vcpu = b->efd = -1;
	b->runs = VM_BARE_EXITS / k->per_exit;
	b->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (b->kvm < 0)
		return err__set(e, errno, "/dev/kvm");
	b->vm = ioctl(b->kvm, KVM_CREATE_VM, 0);
	if (b->vm < 0)
		return err__set(e, errno, "KVM_CREATE_VM");
	b->mem_size = 1 << 20;
	b->mem = mmap(NULL, b->mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->mem == MAP_FAILED) {
		b->mem = NULL;
		return err__set(e, errno, "mmap");
	}
	memcpy(b->mem + 0x1000, k->code, k->len);
	region = (struct kvm_userspace_memory_region){
		.memory_size = b->mem_size,
		.userspace_addr = (uintptr_t)b->mem};
	if (ioctl(b->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return err__set(e, errno, "KVM_SET_USER_MEMORY_REGION");
	b->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	io = (struct kvm_ioeventfd){.addr = PORT_IOEVENTFD,
				    .len = 1,
				    .fd = b->efd,
				    .flags = KVM_IOEVENTFD_FLAG_PIO};
	if (b->efd < 0 || ioctl(b->vm, KVM_IOEVENTFD, &io) < 0)
		return err__set(e, errno, "KVM_IOEVENTFD");
	b->vcpu = ioctl(b->vm, KVM_CREATE_VCPU, 0);
	if (b->vcpu < 0)
		return err__set(e, errno, "KVM_CREATE_VCPU");
	sz = ioctl(b->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz <= 0)
		return err__set(e, errno, "KVM_GET_VCPU_MMAP_SIZE");
	b->run_size = (size_t)sz;
	b->run = mmap(NULL, b->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->vcpu, 0);
	if (b->run == MAP_FAILED) {
		b->run = NULL;
		return err__set(e, errno, "mmap kvm_run");
	}
	if (ioctl(b->vcpu, KVM_GET_SREGS, &s) < 0)
		return err__set(e, errno, "KVM_GET_SREGS");
	seg.type = 0xb;
	seg.selector = 0x08;
	s.cs = seg;
	seg.type = 0x3;
	seg.selector = 0x10;
	s.ds = s.es = s.fs = s.gs = s.ss = seg;
	s.cr0 |= 1; /* PE */
	if (ioctl(b->vcpu, KVM_SET_SREGS, &s) < 0)
		return err__set(e, errno, "KVM_SET_SREGS");
	memset(&r, 0, sizeof(r));
	r.rip = 0x1000;
	r.rflags = 2;
	if (ioctl(b->vcpu, KVM_SET_REGS, &r) < 0)
		return err__set(e, errno, "KVM_SET_REGS");
	return 0;
}

/* VM_BARE_EXITS guest events: KVM_RUN, check the reason, nothing else. */
static int bare_loop(void *arg, struct isolab_err *e)
{
	struct bare *b = arg;

	for (int i = 0; i < b->runs; i++) {
		if (ioctl(b->vcpu, KVM_RUN, 0) < 0)
			return err__set(e, errno, "KVM_RUN");
		if (b->run->exit_reason != KVM_EXIT_IO &&
		    b->run->exit_reason != KVM_EXIT_MMIO)
			return err__set(e, 0, "bare loop: exit reason %u",
					b->run->exit_reason);
	}
	return 0;
}

/* ---- helpers ---- */

static int write_file(const char *path, const void *p, size_t len,
		      struct isolab_err *e)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return err__set(e, errno, "%s", path);
	if (fwrite(p, 1, len, f) != len) {
		fclose(f);
		return err__set(e, EIO, "%s", path);
	}
	return fclose(f) == 0 ? 0 : err__set(e, errno, "%s", path);
}

static json_t *stats_data(const char *path, struct isolab_err *e)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);

	if (!root)
		err__set(e, 0, "%s: %s", path, je.text);
	return root;
}

static json_int_t jget(json_t *root, const char *a, const char *b,
		       const char *c)
{
	json_t *v = json_object_get(json_object_get(root, "data"), a);

	if (b)
		v = json_object_get(v, b);
	if (c)
		v = json_object_get(v, c);
	return json_integer_value(v);
}

static json_int_t stats_count(json_t *root, const char *list, uint64_t addr)
{
	json_t *arr = json_object_get(
		json_object_get(json_object_get(root, "data"), "exits"), list);
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
	{
		if ((uint64_t)json_integer_value(json_object_get(v, "addr")) ==
		    addr)
			return json_integer_value(json_object_get(v, "count"));
	}
	return 0;
}

static int add(struct result *r, const char *workload, const char *metric,
	       const char *unit, const struct samples *s, struct isolab_err *e)
{
	struct series_desc d = {"vm", workload, metric, unit};

	return s->n ? result__add_series(r, &d, s, e) : 0;
}

/* ---- 1. boot ---- */

enum {
	B_READY,
	B_EXIT,
	B_RSS,
	B_VM,
	B_MEM,
	B_VCPU,
	B_ENTRY,
	B_GUEST,
	B_END,
	B_TEARDOWN,
	B_EXEC,
	B_READ,
	B_OVERHEAD,
	B_OVERHEAD_PSS,
	B_GUESTRES,
	B_N
};
static const char *const boot_metric[B_N] = {
	"start_to_ready",    "start_to_exit",	     "peak_rss",
	"phase_create_vm",   "phase_memory",	     "phase_vcpu_setup",
	"phase_first_entry", "phase_guest_to_ready", "phase_ready_to_end",
	"phase_teardown",    "phase_exec_to_main",   "phase_ready_line_read",
	"vmm_overhead_rss",  "vmm_overhead_pss",     "guest_resident",
};

/* One bar per boot phase (median, p5-p95), in the order they happen. */
static int vm_boot_phases_plot(struct bench_ctx *ctx, const struct samples *s,
			       struct isolab_err *e)
{
	static const int order[] = {B_EXEC,  B_VM,	   B_MEM,
				    B_VCPU,  B_ENTRY,  B_GUEST,
				    B_READ,  B_END,    B_TEARDOWN};
	struct plot_series ps[sizeof(order) / sizeof(order[0])];
	char base[4200];

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		ps[i] = (struct plot_series){boot_metric[order[i]] + 6,
					     s[order[i]].v, s[order[i]].n};
	snprintf(base, sizeof(base), "%s/vm-boot-phases", ctx->out_dir);
	return plot__bars(base, "mini-vmm hello64: where boot time goes", "us",
			  ps, sizeof(ps) / sizeof(ps[0]), 1e3, e);
}

/* A timestamp of mini-vmm's --stats (t_ns.NAME, or t_ns.marks.NAME). */
static double tns(json_t *st, const char *name)
{
	json_int_t v = jget(st, "t_ns", name, NULL);

	return (double)(v ? v : jget(st, "t_ns", "marks", name));
}

/* One boot run's figures: the harness's (fork to the ready line, to exit,
 * peak RSS) and mini-vmm's phases, each the time since the previous one. */
static void boot_figures(json_t *st, const struct mark_run *mr, double v[B_N])
{
	double ready = (double)marks__at(mr, "ready");

	v[B_READY] = ready;
	v[B_EXIT] = (double)mr->res.elapsed_ns;
	v[B_RSS] = (double)mr->res.maxrss_kib;
	v[B_VM] = tns(st, "vm_created") - tns(st, "start");
	v[B_MEM] = tns(st, "memory") - tns(st, "vm_created");
	v[B_VCPU] = tns(st, "vcpus") - tns(st, "memory");
	v[B_ENTRY] = tns(st, "first_entry") - tns(st, "vcpus");
	v[B_GUEST] = tns(st, "ready") - tns(st, "first_entry");
	v[B_END] = tns(st, "end") - tns(st, "ready");
	v[B_TEARDOWN] = tns(st, "teardown") - tns(st, "end");
	/* The launcher's fork to main(), and the guest's ready mark to the
	 * harness reading the line: both on CLOCK_MONOTONIC, so mini-vmm's
	 * readings are set against the fork (mr->t0_ns).  Together with the
	 * phases above they add up to start_to_ready. */
	v[B_EXEC] = tns(st, "start") - (double)mr->t0_ns;
	v[B_READ] = ready - (tns(st, "ready") - (double)mr->t0_ns);
	v[B_OVERHEAD] = (double)jget(st, "vmm_overhead_kib", NULL, NULL);
	v[B_OVERHEAD_PSS] =
		(double)jget(st, "vmm_overhead_pss_kib", NULL, NULL);
	v[B_GUESTRES] = (double)jget(st, "guest_resident_kib", NULL, NULL);
}

/* The CDF of start to ready, and one bar per phase. */
static void vm_boot_plots(struct bench_ctx *ctx, struct result *r,
			  const struct samples *s, struct isolab_err *e)
{
	char base[4200], xl[32];
	double scale;
	const char *u = plot__time_unit(s[B_READY].v[0], &scale);
	struct plot_series ps = {"mini-vmm hello64", s[B_READY].v,
				 s[B_READY].n};

	snprintf(base, sizeof(base), "%s/vm-boot", ctx->out_dir);
	snprintf(xl, sizeof(xl), "start to ready (%s)", u);
	if (plot__cdf(base, "mini-vmm: process start to guest ready", xl, &ps,
		      1, scale, e) < 0)
		result__add_skip(r, "vm-boot plot", e->msg);
	if (vm_boot_phases_plot(ctx, s, e) < 0)
		result__add_skip(r, "vm-boot-phases plot", e->msg);
}

/* hello64 started runs times (after the warm-up) with argv: each run's
 * figures into s[B_N]. */
static int vm_boot_runs(struct bench_ctx *ctx, char *const argv[],
			const char *stats, int runs, struct samples *s,
			struct isolab_err *e)
{
	for (int i = -ctx->warmup; i < runs; i++) {
		struct mark_run mr;
		double v[B_N];
		json_t *st;
		int bad = 0;

		progress__tick(&ctx->prog, i, runs);
		if (marks__run(argv, NULL, &mr, e) < 0)
			return -1;
		if (!WIFEXITED(mr.res.status) || WEXITSTATUS(mr.res.status) ||
		    !marks__at(&mr, "ready")) {
			marks__free(&mr);
			return err__set(e, 0, "%s: hello64 did not reach ready",
					vmm_path);
		}
		st = stats_data(stats, e);
		if (st && i >= 0) {
			boot_figures(st, &mr, v);
			for (int k = 0; k < B_N && !bad; k++)
				bad = samples__push(&s[k], v[k]) < 0;
			if (bad)
				err__set(e, ENOMEM, "samples");
		}
		json_decref(st);
		marks__free(&mr);
		if (!st || bad)
			return -1;
	}
	return 0;
}

/* The C library mini-vmm was built with (its --stats params), into the
 * result's params: process start is part of the boot figure, and glibc's
 * start-up costs 0.3-0.4 ms more than musl's here (mini-vmm/README.md). */
static void vm_boot_libc(struct result *r, const char *stats)
{
	json_t *root = json_load_file(stats, 0, NULL);
	json_t *libc = json_object_get(json_object_get(root, "params"), "libc");

	json_object_set_new(result__params(r), "vmm_libc",
			    json_string(json_is_string(libc)
						? json_string_value(libc)
						: "unknown"));
	json_decref(root);
}

/* hello64 started >= 100 times: start to ready, and where it goes; then
 * as many starts with --no-cpuid-cache, in a block of their own: what the
 * CPUID cache (mini-vmm/src/cpuid.c) saves, measured in the same run. */
static int vm_boot(struct bench_ctx *ctx, struct result *r, const char *tmp,
		   struct isolab_err *e)
{
	struct samples s[B_N], cold[B_N];
	char stats[4200], image[4200];
	char *argv[] = {vmm_path, "--marks", "--stats", stats, image, NULL};
	char *argv_cold[] = {vmm_path, "--marks", "--no-cpuid-cache",
			     "--stats", stats, image, NULL};
	/* at least VM_BOOT_MIN_RUNS for the boot figure, --quick aside */
	int runs = ctx->runs < VM_BOOT_MIN_RUNS && !ctx->quick
			   ? VM_BOOT_MIN_RUNS
			   : ctx->runs;
	int rc = -1;

	for (int i = 0; i < B_N; i++)
		s[i] = cold[i] = (struct samples)SAMPLES_INIT;
	snprintf(stats, sizeof(stats), "%s/boot.json", tmp);
	snprintf(image, sizeof(image), "%s/hello64", guests_dir);
	progress__step(&ctx->prog, "vm:boot hello64");
	if (vm_boot_runs(ctx, argv, stats, runs, s, e) < 0)
		goto out;
	vm_boot_libc(r, stats);
	progress__step(&ctx->prog, "vm:boot hello64 --no-cpuid-cache");
	if (vm_boot_runs(ctx, argv_cold, stats, runs, cold, e) < 0)
		goto out;
	for (int k = 0; k < B_N; k++) {
		bool kib = k == B_RSS || k == B_OVERHEAD ||
			   k == B_OVERHEAD_PSS || k == B_GUESTRES;

		if (add(r, "hello64", boot_metric[k], kib ? "KiB" : "ns", &s[k],
			e) < 0)
			goto out;
	}
	if (add(r, "hello64-no-cpuid-cache", boot_metric[B_READY], "ns",
		&cold[B_READY], e) < 0 ||
	    add(r, "hello64-no-cpuid-cache", boot_metric[B_VCPU], "ns",
		&cold[B_VCPU], e) < 0)
		goto out;
	vm_boot_plots(ctx, r, s, e);
	rc = 0;
out:
	for (int k = 0; k < B_N; k++) {
		samples__free(&s[k]);
		samples__free(&cold[k]);
	}
	return rc;
}

/* ---- 2. exit cost ---- */

/* How long each exit-cost guest spins (VM_SPIN_SECONDS, or VM_SPIN_QUICK
 * under --quick; vm_measure sets it). */
static const char *spin_seconds = VM_SPIN_SECONDS;

/* One kind under mini-vmm: spin spin_seconds; ns per guest event
 * (wall), and the vCPU thread's user and system CPU ns per userspace exit
 * (mini-vmm's own code vs KVM), from --stats. */
static int vmm_exit_once(const struct exit_kind *k, const char *tmp,
			 double *ns_per, double *user_per, double *sys_per,
			 struct isolab_err *e)
{
	char image[4200], stats[4200];
	char *argv[] = {vmm_path,	    "--mode",  "protected",
			"--mem",	    "1M",      "--timeout",
			(char *)spin_seconds, "--stats", stats,
			image,		    NULL};
	struct cmd_opts o = {.stdout_path = "/dev/null",
			     .stderr_path = "/dev/null",
			     .timeout_s = 30};
	struct cmd_result res;
	json_t *st;
	json_int_t n, t;

	snprintf(image, sizeof(image), "%s/exit-%s.bin", tmp, k->name);
	snprintf(stats, sizeof(stats), "%s/exit-%s.json", tmp, k->name);
	if (write_file(image, k->code, k->len, e) < 0 ||
	    timing__cmd_once(argv, &o, &res, e) < 0)
		return -1;
	if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 124)
		return err__set(e, 0,
				"%s: %s loop ended with status 0x%x, "
				"expected the timeout (124)",
				vmm_path, k->name, res.status);
	st = stats_data(stats, e);
	if (!st)
		return -1;
	/* In-kernel exits must stay in the kernel: a doorbell write that
	 * reached mini-vmm would be timed as a userspace exit. */
	if (stats_count(st, "by_port", PORT_IOEVENTFD) > 0) {
		json_decref(st);
		return err__set(e, 0,
				"%s: %s loop: writes to the ioeventfd port "
				"0x%x reached userspace (not bound)",
				vmm_path, k->name, PORT_IOEVENTFD);
	}
	n = stats_count(st, k->stats_list, k->stats_addr);
	t = jget(st, "t_ns", "end", NULL) -
	    jget(st, "t_ns", "first_entry", NULL);
	{
		json_t *v0 = json_array_get(
			json_object_get(json_object_get(st, "data"),
					"exits_per_vcpu"),
			0);
		json_int_t total = jget(st, "exits", "total", NULL);

		*user_per = total > 0
				    ? (double)json_integer_value(
					      json_object_get(v0, "user_ns")) /
					      (double)total
				    : 0;
		*sys_per = total > 0 ? (double)json_integer_value(
					       json_object_get(v0, "sys_ns")) /
					       (double)total
				     : 0;
	}
	json_decref(st);
	if (n <= 0)
		return err__set(e, 0, "%s: no %s exits counted", vmm_path,
				k->name);
	*ns_per = (double)t / ((double)n * k->per_exit);
	return 0;
}

/* The figures of one exit kind: ns per event under mini-vmm and under the
 * bare loop, and mini-vmm's vCPU thread CPU per exit. */
struct exit_series {
	struct samples vmm, bare, user, sys;
};

/* runs of kind k, each under mini-vmm then under the bare loop:
 * interleaved, so both see the same machine load. */
static int exit_kind_measure(struct bench_ctx *ctx, const struct exit_kind *k,
			     const char *tmp, int runs, struct exit_series *x,
			     struct isolab_err *e)
{
	struct bare b;
	int rc = -1;

	if (bare_create(&b, k, e) < 0)
		goto out;
	for (int i = 0; i < runs; i++) {
		struct samples one = SAMPLES_INIT;
		double ns = 0, u = 0, sy = 0;
		int bad;

		progress__update(&ctx->prog, i, runs);
		bad = vmm_exit_once(k, tmp, &ns, &u, &sy, e) < 0 ||
		      timing__repeat_fn(bare_loop, &b, 1, 1, &one, NULL, NULL,
					e) < 0;
		if (!bad &&
		    (samples__push(&x->vmm, ns) < 0 ||
		     samples__push(&x->user, u) < 0 ||
		     samples__push(&x->sys, sy) < 0 ||
		     samples__push(&x->bare, one.v[0] / VM_BARE_EXITS) < 0))
			bad = err__set(e, ENOMEM, "samples");
		samples__free(&one);
		if (bad)
			goto out;
	}
	progress__update(&ctx->prog, runs, runs);
	rc = 0;
out:
	bare_destroy(&b);
	return rc;
}

static int exit_kind_add(struct result *r, const struct exit_kind *k,
			 struct exit_series *x, struct isolab_err *e)
{
	if (add(r, k->name, "ns_per_exit_minivmm", "ns", &x->vmm, e) < 0 ||
	    add(r, k->name, "ns_per_exit_bare_kvm_run", "ns", &x->bare, e) < 0)
		return -1;
	if (k->per_exit != 1)
		return 0;
	/* Where a userspace exit's time goes: mini-vmm's own code (user)
	 * vs KVM and PVM (system). */
	if (add(r, k->name, "vmm_user_cpu_per_exit", "ns", &x->user, e) < 0 ||
	    add(r, k->name, "vmm_sys_cpu_per_exit", "ns", &x->sys, e) < 0)
		return -1;
	return 0;
}

/* The cost of each exit kind under mini-vmm beside the bare loop; for the
 * userspace port exit also their ratio: what mini-vmm's dispatch adds. */
static int vm_exits(struct bench_ctx *ctx, struct result *r, const char *tmp,
		    struct isolab_err *e)
{
	struct exit_series x[NKINDS];
	struct samples ratio = SAMPLES_INIT;
	int max = ctx->quick ? VM_EXIT_RUNS_QUICK : VM_EXIT_RUNS_MAX;
	int runs = ctx->runs < max ? ctx->runs : max;
	struct plot_series ps[2 * NKINDS];
	char labels[2 * NKINDS][48], base[4200];
	int rc = -1;

	memset(x, 0, sizeof(x)); /* SAMPLES_INIT everywhere */
	for (size_t k = 0; k < NKINDS; k++) {
		char label[64];

		snprintf(label, sizeof(label), "vm:exit %s", kinds[k].name);
		progress__step(&ctx->prog, label);
		if (exit_kind_measure(ctx, &kinds[k], tmp, runs, &x[k], e) <
			    0 ||
		    exit_kind_add(r, &kinds[k], &x[k], e) < 0)
			goto out;
		snprintf(labels[2 * k], sizeof(labels[0]), "%s mini-vmm",
			 kinds[k].name);
		snprintf(labels[2 * k + 1], sizeof(labels[0]), "%s bare",
			 kinds[k].name);
		ps[2 * k] = (struct plot_series){labels[2 * k], x[k].vmm.v,
						 x[k].vmm.n};
		ps[2 * k + 1] = (struct plot_series){labels[2 * k + 1],
						     x[k].bare.v, x[k].bare.n};
	}
	for (size_t i = 0; i < x[0].vmm.n; i++)
		if (samples__push(&ratio, x[0].vmm.v[i] / x[0].bare.v[i]) < 0)
			goto out;
	if (add(r, kinds[0].name, "minivmm_over_bare", "ratio", &ratio, e) < 0)
		goto out;
	snprintf(base, sizeof(base), "%s/vm-exits", ctx->out_dir);
	if (plot__bars(base,
		       "Cost of one exit: mini-vmm vs a bare KVM_RUN loop",
		       "ns per exit", ps, 2 * NKINDS, 1, e) < 0)
		result__add_skip(r, "vm-exits plot", e->msg);
	rc = 0;
out:
	for (size_t k = 0; k < NKINDS; k++) {
		samples__free(&x[k].vmm);
		samples__free(&x[k].bare);
		samples__free(&x[k].user);
		samples__free(&x[k].sys);
	}
	samples__free(&ratio);
	return rc;
}

/* ---- 4. memtouch, guest ring 3 vs native ---- */

static int parse_field(const char *out, const char *key, double *v)
{
	const char *p = strstr(out, key);

	if (!p)
		return -1;
	*v = strtod(p + strlen(key), NULL);
	return 0;
}

static int vm_memtouch(struct bench_ctx *ctx, struct result *r,
		       struct isolab_err *e)
{
	char image[4200];
	char *vm_argv[] = {vmm_path, "--mem", "256M", "--arg",
			   "128",    image,   NULL};
	char *nat_argv[] = {native_path, "128", NULL};
	char *const *argvs[2] = {vm_argv, nat_argv};
	static const char *const who[2] = {"memtouch-guest-ring3",
					   "memtouch-native"};
	struct samples page[2] = {SAMPLES_INIT, SAMPLES_INIT},
		       step[2] = {SAMPLES_INIT, SAMPLES_INIT};
	int max = ctx->quick ? VM_EXIT_RUNS_QUICK : VM_EXIT_RUNS_MAX;
	int runs = ctx->runs < max ? ctx->runs : max;
	int rc = -1;

	snprintf(image, sizeof(image), "%s/memtouch", guests_dir);
	progress__step(&ctx->prog, "vm:memtouch");
	if (access(native_path, X_OK) < 0) {
		result__add_skip(r, "memtouch", "memtouch-native is not built");
		return 0;
	}
	for (int i = 0; i < runs; i++) {
		progress__update(&ctx->prog, i, runs);
		for (int w = 0; w < 2; w++) {
			struct mark_run mr;
			double a, b;

			if (marks__run(argvs[w], NULL, &mr, e) < 0)
				goto out;
			if (parse_field(mr.out, "ns_per_page=", &a) < 0 ||
			    parse_field(mr.out, "ns_per_step=", &b) < 0) {
				marks__free(&mr);
				err__set(e, 0, "%s: no memtouch figures",
					 who[w]);
				goto out;
			}
			marks__free(&mr);
			samples__push(&page[w], a);
			samples__push(&step[w], b);
		}
	}
	progress__update(&ctx->prog, runs, runs);
	for (int w = 0; w < 2; w++)
		if (add(r, who[w], "first_touch_ns_per_4k_page", "ns", &page[w],
			e) < 0 ||
		    add(r, who[w], "chase_ns_per_step_16mib", "ns", &step[w],
			e) < 0)
			goto out;
	rc = 0;
out:
	for (int w = 0; w < 2; w++) {
		samples__free(&page[w]);
		samples__free(&step[w]);
	}
	return rc;
}

/* ---- 5. the shared workloads, as guests ---- */

/* Workload w as a mini-vmm guest.  --console pv: a mark line is one exit,
 * not two per byte, so the harness stamps it as soon as the guest writes
 * it. */
static int vm_arms(struct bench_ctx *ctx, const char *w, struct wl_arm *arms,
		   int max)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/workloads/vm/%s", ctx->build_dir, w);
	if (max < 1 || access(path, R_OK) < 0 ||
	    wl_arm__argv(&arms[0], "vm", vmm_path, "--console", "pv", "--mem",
			 "128M", path, NULL) < 0)
		return 0;
	return 1;
}

/* Guests that are not built are said so (the shared rounds leave them
 * out). */
static void vm_missing_guests(struct bench_ctx *ctx, struct result *r)
{
	char path[4200];

	for (size_t i = 0; bench_workloads[i]; i++) {
		snprintf(path, sizeof(path), "%s/workloads/vm/%s",
			 ctx->build_dir, bench_workloads[i]);
		if (approach__wants(ctx, bench_workloads[i]) &&
		    access(path, R_OK) < 0)
			result__add_skip(r, bench_workloads[i],
					 "the guest is not built (make)");
	}
}

static int vm_measure(struct bench_ctx *ctx, struct result *r,
		      struct isolab_err *e)
{
	char tmp[] = "/tmp/isobench-vm-XXXXXX";
	int rc = -1;

	if (!mkdtemp(tmp))
		return err__set(e, errno, "mkdtemp");
	json_object_set_new(result__params(r), "boot",
			    json_string("mini-vmm --marks --stats F hello64: "
					"fork to the guest's ready mark"));
	json_object_set_new(result__params(r), "exits",
			    json_pack("{s:s, s:i, s:i}", "spin_seconds",
				      VM_SPIN_SECONDS, "inkernel_per_exit",
				      VM_INKERNEL_PER_EXIT,
				      "bare_exits_per_sample", VM_BARE_EXITS));
	json_object_set_new(result__params(r), "memtouch",
			    json_string("128 MiB first touch, 16 MiB chase, "
					"1e6 steps; guest --mem 256M"));
	json_object_set_new(result__params(r), "workloads",
			    json_string("mini-vmm --console pv --mem 128M "
					"BUILD/workloads/vm/W"));
	if (ctx->quick) {
		spin_seconds = VM_SPIN_QUICK;
		json_object_set_new(result__params(r), "quick_cuts",
				    json_string("exit kinds and memtouch: "
						"3 runs, exits spin 0.1 s; "
						"boot: --runs, not 100"));
	}
	json_object_set_new(json_object_get(result__params(r), "exits"),
			    "spin_seconds", json_string(spin_seconds));
	vm_missing_guests(ctx, r);
	if (vm_boot(ctx, r, tmp, e) < 0 || vm_exits(ctx, r, tmp, e) < 0 ||
	    vm_memtouch(ctx, r, e) < 0)
		goto out;
	rc = 0;
out : {
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "isobench: %s: not removed\n", tmp);
}
	return rc;
}

const struct approach_ops vm_approach = {
	.name = "vm",
	.what = "mini-vmm: boot to ready, exit costs beside a bare KVM_RUN "
		"loop, footprint, memtouch vs native",
	.steps = 1 + 4 + 1, /* boot, exit kinds, memtouch */
	.unavailable = vm_unavailable,
	.measure = vm_measure,
	.arms = vm_arms,
};
