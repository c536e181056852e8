/*
 * exits.c - The exit-cost microbenchmark: N of each kind of exit, timed
 * with the host's clock read through the MMIO timer's NOW register (two
 * extra exits per loop, negligible for N >= 1000).  N is --arg (default
 * 1000).  Each line: "exit KIND n=N ns_per_exit=X cycles_per_exit=Y".
 *
 *   mmio-read     load from the MMIO timer's COUNT, in ring 3: the page
 *                 fault, KVM's instruction decode, the trip to userspace
 *   cpuid-ring3   cpuid in ring 3: intercepted by VT-x/AMD-V, not by PVM
 *   ring0-loop    an empty loop in the kernel half (SYS_KLOOP): what
 *                 PVM's emulation of ring 0 costs per iteration; the
 *                 ring-0 figures below include it
 *   out-null      `out` to PORT_NULL in ring 0: KVM_RUN returns to
 *                 mini-vmm, whose dispatch finds the null device
 *   ioeventfd     `out` to PORT_IOEVENTFD in ring 0: handled inside KVM
 *   cpuid-ring0   cpuid in ring 0
 * Port I/O runs in ring 0 because PVM runs ring 3 with the host's IOPL 0:
 * an `out` there raises #GP even when the guest kernel set IOPL 3.
 */
#include "guest.h"

static uint64_t now_ns(void)
{
	return mmio_read64(guest_boot_info()->mmio_timer + MMIO_TIMER_NOW);
}

static void report(const char *kind, uint64_t n, uint64_t ns, uint64_t cyc)
{
	printf("exit %s n=%lu ns_per_exit=%lu cycles_per_exit=%lu\n", kind, n,
	       ns / n, cyc / n);
}

static void ring0(const char *kind, int kloop, uint64_t n)
{
	uint64_t t0 = now_ns(), cycles = guest_kloop(kloop, n);

	report(kind, n, now_ns() - t0, cycles);
}

int main(void)
{
	const struct boot_info *bi = guest_boot_info();
	uint64_t n = bi->arg ? bi->arg : 1000, t0, c0, count0, count1;
	uint32_t r[4];

	if (guest_cpu() != 0)
		return 0; /* one measuring vCPU: COUNT is shared */

	count0 = mmio_read64(bi->mmio_timer + MMIO_TIMER_COUNT);
	t0 = now_ns();
	c0 = rdtsc();
	for (uint64_t i = 0; i < n; i++)
		mmio_read64(bi->mmio_timer + MMIO_TIMER_COUNT);
	report("mmio-read", n, now_ns() - t0, rdtsc() - c0);
	count1 = mmio_read64(bi->mmio_timer + MMIO_TIMER_COUNT);
	if (count1 - count0 != n + 1) {
		printf("exits: COUNT advanced by %lu, expected %lu\n",
		       count1 - count0, n + 1);
		return 3;
	}

	t0 = now_ns();
	c0 = rdtsc();
	for (uint64_t i = 0; i < n; i++)
		cpuid(0, r);
	report("cpuid-ring3", n, now_ns() - t0, rdtsc() - c0);

	ring0("ring0-loop", KLOOP_NOP, n);
	ring0("out-null", KLOOP_OUT_NULL, n);
	ring0("ioeventfd", KLOOP_OUT_IOEVENTFD, n);
	ring0("cpuid-ring0", KLOOP_CPUID, n);
	return 0;
}
