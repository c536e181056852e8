/*
 * hello32c.c - A protected-mode guest in C: an ELF32 with the library's
 * 32-bit startup (lib/start32.S, lib/flat32.c), no rings, no paging.
 * Prints through the UART or the PV console (--console) and exits 0.
 */
#include "guest.h"

int main(void)
{
	guest_mark(MARK_READY);
	printf("Hello from protected mode in C, vCPU %u, %u MiB!\n",
	       guest_cpu(), (unsigned)(guest_boot_info()->mem_size >> 20));
	return 0;
}
