/*
 * hello64.c - The smallest long-mode guest: booted by the library's
 * kernel half, it says it is ready (the boot benchmark's end point),
 * greets from ring 3 and exits 0 (every vCPU halts: mini-vmm exits 0).
 */
#include "guest.h"

int main(void)
{
	guest_mark(MARK_READY);
	printf("Hello from long mode, ring 3, vCPU %u!\n", guest_cpu());
	return 0;
}
