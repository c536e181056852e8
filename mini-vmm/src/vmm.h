/*
 * vmm.h - The virtual machine and its vCPUs: what every part of mini-vmm
 * shares.  Start reading at main.c, then vm.c (creating a VM through
 * /dev/kvm) and run.c (the run loop: KVM_RUN and the dispatch on
 * exit_reason).
 */
#ifndef MVMM_VMM_H
#define MVMM_VMM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "console.h"
#include "err.h"
#include "exitstats.h"
#include "mmio_timer.h"
#include "uart.h"

enum cpu_mode { MODE_REAL, MODE_PROTECTED, MODE_LONG };

/* Exit statuses of mini-vmm.  A guest's isa-debug-exit status (v<<1)|1 is
 * always odd; the VMM's own statuses are even, so the two never collide. */
#define STATUS_HALT	    0	/* every vCPU halted */
#define STATUS_VMM_ERROR    2	/* bad option or image, or a failing ioctl */
#define STATUS_TRIPLE_FAULT 4	/* KVM_EXIT_SHUTDOWN */
#define STATUS_GUEST_CRASH  6	/* FAIL_ENTRY, INTERNAL_ERROR, unknown exit */
#define STATUS_TIMEOUT	    124 /* --timeout expired (as timeout(1)) */

/* The command line, parsed (main.c). */
struct vm_config {
	const char *image;
	uint64_t mem_size;
	int nvcpus;
	int mode; /* enum cpu_mode, or -1 for "from the image" */
	uint64_t load_addr;
	int console; /* CONSOLE_UART or CONSOLE_PV */
	const char *stats_path;
	bool trace;
	bool marks;	  /* --marks: print "isolab-mark: NAME" lines */
	double timeout_s; /* 0: none */
	bool no_ioeventfd;
	bool input;	  /* --input: stdin feeds the UART's receiver */
	bool dirty_log;	  /* --dirty-log: count the pages the guest wrote */
	bool no_cpuid_cache; /* --no-cpuid-cache: always ask KVM (cpuid.c) */
	uint64_t arg;	  /* --arg, handed to the guest in boot_info */
	uint64_t t_start; /* timing__now_ns() when main() began */
};

/* Boot phases the VMM timestamps (CLOCK_MONOTONIC ns, timing__now_ns). */
enum phase {
	PH_START,    /* main() entered */
	PH_VM,	     /* /dev/kvm opened, KVM_CREATE_VM done */
	PH_MEMORY,   /* guest memory mapped and registered, image loaded */
	PH_VCPUS,    /* vCPUs created, registers and mode set */
	PH_ENTRY,    /* first KVM_RUN issued */
	PH_END,	     /* every vCPU stopped */
	PH_TEARDOWN, /* VM destroyed */
	PH_COUNT
};

#define MAX_MARKS 16

struct vm;

struct vcpu {
	struct vm *vm;
	int index;
	int fd;
	struct kvm_run *run; /* the shared page KVM_RUN fills on each exit */
	pthread_t thread;
	bool started;
	atomic_bool in_run;
	struct exitstats stats;	  /* per vCPU: no lock on the hot path */
	uint64_t user_ns, sys_ns; /* the thread's CPU time (RUSAGE_THREAD) */
};

struct vm {
	struct vm_config cfg;
	int kvm_fd, vm_fd;
	int run_size;
	uint8_t *mem; /* guest-physical 0 .. mem_size-1 */
	uint64_t mem_size;
	int mode; /* enum cpu_mode in effect */
	uint64_t entry;
	struct vcpu *vcpus;
	int nvcpus;

	struct bus pio, mmio;
	struct console con;
	struct uart uart;
	struct mmio_timer timer;
	int ioeventfd; /* eventfd behind PORT_IOEVENTFD, or -1 */

	/* KVM_GET_SUPPORTED_CPUID with our signature, asked once (cpuid.c) */
	struct kvm_cpuid2 *cpuid;
	bool cpuid_cached; /* ... and it came from CPUID_CACHE_DIR */

	/* How the VM ended; the first vCPU to decide sets it (lock). */
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	int ndone;    /* vCPU run loops that have ended */
	int nstarted; /* vCPU run loops started (vCPU 0: the main thread) */
	atomic_bool stop;
	bool status_set;
	int status;

	uint64_t t[PH_COUNT];
	uint64_t mark_t[MAX_MARKS]; /* first time each mark id was written */
	long rss_kib, pss_kib, guest_resident_kib;
	long guest_dirty_pages; /* KVM_GET_DIRTY_LOG, or -1 */
};

/* Create the VM described by cfg: open /dev/kvm, create the VM, map and
 * register memory, load the image, create the vCPUs and set their mode.
 * Returns the VM, or NULL with e filled (cfg's problems are named after
 * the image or the option). */
struct vm *vm__create(const struct vm_config *cfg, struct isolab_err *e);
void vm__destroy(struct vm *vm);

/* Give the VM's KVM resources back (vCPUs, memory, descriptors) and time
 * it as the teardown phase; the struct stays readable for --stats.
 * vm__destroy() calls it when it has not been called. */
void vm__release(struct vm *vm);

/* Guest-physical [gpa, gpa+len) as a host pointer, or NULL when it is not
 * all inside guest memory. */
void *vm__gpa(struct vm *vm, uint64_t gpa, uint64_t len);

/* End the VM with status (the first caller wins) and kick every vCPU out
 * of KVM_RUN. */
void vm__stop(struct vm *vm, int status);

/* Run the vCPUs until the VM stops or timeout_s passes: vCPU 0 on the
 * calling thread, every other vCPU on a thread of its own.  Returns the
 * VM's exit status, or -1 with e filled when a thread could not be
 * started. */
int run__vm(struct vm *vm, struct isolab_err *e);

/* Set up the vCPU's registers for vm->mode (mode.c): GDT, page tables,
 * control registers, entry point, stack.  Returns 0 or -1. */
int mode__setup_vcpu(struct vm *vm, struct vcpu *v, struct isolab_err *e);

/* Build the GDT and page tables in guest memory (once per VM). */
void mode__build_tables(struct vm *vm);

/* Print registers and segment state of v on stderr (crash reports). */
void dump__vcpu(struct vcpu *v);

/* Write the --stats JSON (stats.c).  Returns 0 or -1. */
int stats__write(struct vm *vm, const char *path, struct isolab_err *e);

/* Record the VMM RSS and the guest memory resident now (before teardown). */
void stats__footprint(struct vm *vm);

/* Note milestone id at now (mark.c). */
void mark__record(struct vm *vm, unsigned id);
const char *mark__name(unsigned id);

/* Register the small devices (isa-debug-exit, null port, mark, hypercall,
 * ioeventfd); each lives in its own file. */
int debug_exit__register(struct vm *vm, struct isolab_err *e);
int null_port__register(struct vm *vm, struct isolab_err *e);
int mark__register(struct vm *vm, struct isolab_err *e);
int pvcon__register(struct vm *vm, struct isolab_err *e);
int ioeventfd__register(struct vm *vm, struct isolab_err *e);
void ioeventfd__close(struct vm *vm);

/* Set v's CPUID: what KVM supports plus mini-vmm's signature at
 * 0x40000000 and v's index as its APIC id.  Returns 0 or -1. */
int cpuid__setup(struct vm *vm, struct vcpu *v, struct isolab_err *e);
/* Free the table. */
void cpuid__release(struct vm *vm);

/* The CPUID cache (cpuid.c): where it lives when mini-vmm runs as root,
 * and the key of a cached table, which names this boot and the loaded
 * KVM modules' instances. */
#define CPUID_CACHE_DIR	  "/run/mini-vmm"
#define CPUID_KEY_MODULES 4
struct cpuid_key {
	char boot_id[40];			/* "xxxxxxxx-...-xxxx\n" */
	uint64_t module_ino[CPUID_KEY_MODULES]; /* kvm, kvm_pvm, _intel, _amd */
};

/* Fill k for this boot and these modules.  Returns 0, or -1 when it
 * cannot be known (no boot id, kvm not loaded): then nothing is cached. */
int cpuid__key(struct cpuid_key *k);

/* What KVM supports: the table stored under key in cache_dir if there is
 * a good one (*hit = true), else KVM_GET_SUPPORTED_CPUID on kvm_fd, which
 * is then stored there (best effort).  cache_dir NULL: no cache.  Returns
 * a malloc'd table, or NULL with e filled. */
struct kvm_cpuid2 *cpuid__supported(int kvm_fd, const char *cache_dir,
				    const struct cpuid_key *key, bool *hit,
				    struct isolab_err *e);
#define CPUID_SIGNATURE "isolabMiniVM" /* 12 bytes: EBX, ECX, EDX */

#endif
