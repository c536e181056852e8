/*
 * run.c - The run loop: one thread per vCPU calling KVM_RUN, and the
 * dispatch on kvm_run->exit_reason.  This is the lecture's vmentry/vmexit
 * cycle seen from the VMM: KVM_RUN enters the guest (VMLAUNCH/VMRESUME on
 * VT-x, VMRUN on AMD-V, or PVM's switcher); when the guest does something
 * the hardware (or PVM) traps and KVM cannot finish in the kernel, KVM_RUN
 * returns with the reason in the shared struct kvm_run.  We emulate it and
 * loop: trap-and-emulate.
 *
 * vCPU 0 runs on the main thread and vCPUs 1..N-1 on threads of their own.
 * Starting a thread for vCPU 0 and sleeping until it ends would put a
 * thread wake-up between the VMM's setup and the first KVM_RUN: about 65 us
 * on this 2-core machine when it is quiet, milliseconds when other
 * processes hold both cores (the new thread waits for a time slice).
 * --timeout gets a watchdog thread, which sleeps until every vCPU is done
 * or the time is up.
 *
 * Stopping: --timeout, isa-debug-exit and crashes end the VM from any
 * thread through vm__stop(), which sets kvm_run->immediate_exit and sends
 * SIGUSR1 to each vCPU thread.  The signal makes a KVM_RUN in progress
 * return EINTR even if the guest never exits (a spinning guest, or a
 * real-mode triple fault that PVM loops on in the kernel); immediate_exit
 * covers the race where the signal lands just before KVM_RUN is entered.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <time.h>

#include "timing.h"
#include "vmm.h"

#define KICK_SIGNAL SIGUSR1

static void run_kick_handler(int sig)
{
	(void)sig; /* only here to make KVM_RUN return EINTR */
}

void vm__stop(struct vm *vm, int status)
{
	pthread_mutex_lock(&vm->lock);
	if (!vm->status_set) {
		vm->status_set = true;
		vm->status = status;
	}
	atomic_store(&vm->stop, true);
	for (int i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->started)
			continue;
		v->run->immediate_exit = 1;
		pthread_kill(v->thread, KICK_SIGNAL);
	}
	pthread_mutex_unlock(&vm->lock);
}

static void run_trace_io(struct vcpu *v, bool mmio, bool is_write,
			 uint64_t addr, const void *data, unsigned len,
			 const char *dev)
{
	uint64_t val = 0;

	memcpy(&val, data, len > 8 ? 8 : len);
	fprintf(stderr, "vcpu%d %s %s %s=0x%llx len=%u data=0x%llx %s\n",
		v->index, mmio ? "MMIO" : "IO", is_write ? "write" : "read",
		mmio ? "addr" : "port", (unsigned long long)addr, len,
		(unsigned long long)val, dev ? dev : "unclaimed");
}

/* KVM_EXIT_IO: `count` accesses of `size` bytes (count > 1 for rep ins/outs),
 * the data in the kvm_run page at data_offset. */
static int run_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	bool is_write = run->io.direction == KVM_EXIT_IO_OUT;
	int action = DEV_CONTINUE;

	for (uint32_t i = 0; i < run->io.count && action == DEV_CONTINUE; i++) {
		const struct bus_range *r =
			bus__find(&v->vm->pio, run->io.port);
		bool claimed;

		action = bus__access(&v->vm->pio, v, run->io.port, data,
				     run->io.size, is_write, &claimed);
		exitstats__addr(&v->stats, false, run->io.port,
				r ? r->ops->name : NULL);
		if (v->vm->cfg.trace)
			run_trace_io(v, false, is_write, run->io.port, data,
				     run->io.size, r ? r->ops->name : NULL);
		data += run->io.size;
	}
	return action;
}

static int run_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	const struct bus_range *r =
		bus__find(&v->vm->mmio, run->mmio.phys_addr);
	unsigned len = run->mmio.len > 8 ? 8 : run->mmio.len;
	bool claimed;
	int action;

	action = bus__access(&v->vm->mmio, v, run->mmio.phys_addr,
			     run->mmio.data, len, run->mmio.is_write, &claimed);
	exitstats__addr(&v->stats, true, run->mmio.phys_addr,
			r ? r->ops->name : NULL);
	if (v->vm->cfg.trace)
		run_trace_io(v, true, run->mmio.is_write, run->mmio.phys_addr,
			     run->mmio.data, len, r ? r->ops->name : NULL);
	return action;
}

/* The guest cannot go on: report why with its registers, end the VM. */
static int run_crash(struct vcpu *v, int status, const char *why)
{
	fprintf(stderr, "mini-vmm: %s: vcpu %d: %s\n", v->vm->cfg.image,
		v->index, why);
	dump__vcpu(v);
	vm__stop(v->vm, status);
	return DEV_STOP_VM;
}

static int run_dispatch(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	char why[128];

	switch (run->exit_reason) {
	case KVM_EXIT_IO: return run_io(v);
	case KVM_EXIT_MMIO: return run_mmio(v);
	case KVM_EXIT_HLT:
		if (v->vm->cfg.trace)
			fprintf(stderr, "vcpu%d HLT%s\n", v->index,
				run->if_flag ? " with interrupts on (no "
					       "interrupt source: stopped)"
					     : "");
		return DEV_STOP_VM; /* this vCPU only; see run_vcpu() */
	case KVM_EXIT_SHUTDOWN:
		return run_crash(v, STATUS_TRIPLE_FAULT,
				 "triple fault (KVM_EXIT_SHUTDOWN)");
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(why, sizeof(why),
			 "KVM_EXIT_FAIL_ENTRY, hardware "
			 "reason 0x%llx",
			 (unsigned long long)
				 run->fail_entry.hardware_entry_failure_reason);
		return run_crash(v, STATUS_GUEST_CRASH, why);
	case KVM_EXIT_INTERNAL_ERROR:
		snprintf(why, sizeof(why),
			 "KVM_EXIT_INTERNAL_ERROR, "
			 "suberror %u (1: instruction KVM cannot emulate)",
			 run->internal.suberror);
		return run_crash(v, STATUS_GUEST_CRASH, why);
	default:
		snprintf(why, sizeof(why), "unhandled exit reason %u (%s)",
			 run->exit_reason,
			 exitstats__reason_name(run->exit_reason));
		return run_crash(v, STATUS_GUEST_CRASH, why);
	}
}

static uint64_t run_tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000ULL +
	       (uint64_t)tv.tv_usec * 1000ULL;
}

static void *run_vcpu(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	struct rusage ru0, ru;
	bool ru_ok = getrusage(RUSAGE_THREAD, &ru0) == 0;

	for (;;) {
		if (atomic_load(&vm->stop))
			break;
		if (v->index == 0 && !vm->t[PH_ENTRY])
			vm->t[PH_ENTRY] = timing__now_ns();
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue; /* kicked: the loop checks stop */
			fprintf(stderr, "mini-vmm: vcpu %d: KVM_RUN: %s\n",
				v->index, strerror(errno));
			vm__stop(vm, STATUS_VMM_ERROR);
			break;
		}
		exitstats__reason(&v->stats, v->run->exit_reason);
		if (run_dispatch(v) != DEV_CONTINUE)
			break;
	}
	/* CPU time of this run loop: user = mini-vmm's own dispatch and
	 * devices, system = KVM_RUN (the guest, KVM and, on PVM, the
	 * emulation of ring 0).  Divided by the exits in --stats.  Counted
	 * from the loop's start: vCPU 0's thread also did the setup. */
	if (ru_ok && getrusage(RUSAGE_THREAD, &ru) == 0) {
		v->user_ns = run_tv_ns(ru.ru_utime) - run_tv_ns(ru0.ru_utime);
		v->sys_ns = run_tv_ns(ru.ru_stime) - run_tv_ns(ru0.ru_stime);
	}
	pthread_mutex_lock(&vm->lock);
	vm->ndone++;
	pthread_cond_broadcast(&vm->done_cv);
	pthread_mutex_unlock(&vm->lock);
	return NULL;
}

/* The watchdog (--timeout): wait until every started vCPU is done, or the
 * timeout passes and the VM is stopped. */
static void *run_watchdog(void *arg)
{
	struct vm *vm = arg;
	struct timespec deadline;
	double s = vm->cfg.timeout_s;
	bool timed_out = false;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)s;
	deadline.tv_nsec += (long)((s - (double)(time_t)s) * 1e9);
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&vm->lock);
	while (vm->ndone < vm->nstarted && !timed_out)
		timed_out = pthread_cond_timedwait(&vm->done_cv, &vm->lock,
						   &deadline) == ETIMEDOUT;
	pthread_mutex_unlock(&vm->lock);
	if (timed_out) {
		fprintf(stderr, "mini-vmm: %s: timed out after %g s\n",
			vm->cfg.image, vm->cfg.timeout_s);
		vm__stop(vm, STATUS_TIMEOUT);
	}
	return NULL;
}

int run__vm(struct vm *vm, struct isolab_err *e)
{
	struct sigaction sa = {.sa_handler = run_kick_handler};
	pthread_condattr_t ca;
	pthread_t watchdog;
	bool have_watchdog = false;
	int rc = 0, err;

	/* No SA_RESTART: the kick must interrupt KVM_RUN. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(KICK_SIGNAL, &sa, NULL) < 0)
		return err__set(e, errno, "sigaction");
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_destroy(&vm->done_cv);
	pthread_cond_init(&vm->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	/* vCPU 0 is this thread; the others get their own. */
	pthread_mutex_lock(&vm->lock);
	vm->vcpus[0].thread = pthread_self();
	vm->vcpus[0].started = true;
	vm->nstarted = 1;
	pthread_mutex_unlock(&vm->lock);
	for (int i = 1; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		pthread_mutex_lock(&vm->lock);
		err = pthread_create(&v->thread, NULL, run_vcpu, v);
		v->started = err == 0;
		vm->nstarted += err == 0;
		pthread_mutex_unlock(&vm->lock);
		if (err) {
			rc = err__set(e, err, "vcpu %d: thread", i);
			vm__stop(vm, STATUS_VMM_ERROR);
			break;
		}
	}
	if (vm->cfg.timeout_s > 0) {
		err = pthread_create(&watchdog, NULL, run_watchdog, vm);
		if (err) {
			rc = err__set(e, err, "--timeout: watchdog thread");
			vm__stop(vm, STATUS_VMM_ERROR);
		}
		have_watchdog = err == 0;
	}
	run_vcpu(&vm->vcpus[0]);
	for (int i = 1; i < vm->nvcpus; i++)
		if (vm->vcpus[i].started)
			pthread_join(vm->vcpus[i].thread, NULL);
	if (have_watchdog)
		pthread_join(watchdog, NULL);
	vm->t[PH_END] = timing__now_ns();
	console__flush(&vm->con);
	if (rc < 0)
		return rc;
	return vm->status_set ? vm->status : STATUS_HALT;
}
