/*
 * smp.c - Every vCPU prints its index, then they meet through shared
 * memory: each increments one counter, vCPU 0 waits until all have, and
 * says so.  Run with --vcpus N (N <= 8).  Every vCPU then halts: exit 0.
 */
#include "guest.h"

static volatile unsigned arrived;

int main(void)
{
	unsigned cpu = guest_cpu(), n = guest_boot_info()->nvcpus;

	printf("vCPU %u of %u here\n", cpu, n);
	__atomic_fetch_add(&arrived, 1, __ATOMIC_SEQ_CST);
	if (cpu == 0) {
		while (__atomic_load_n(&arrived, __ATOMIC_SEQ_CST) < n)
			__asm__ volatile("pause");
		printf("all %u vCPUs met\n", n);
	}
	return 0;
}
