/*
 * badmmio.c - A guest that touches what nobody emulates: a write and a
 * read at an MMIO address with no device (0xe0000000) and a read of an
 * unclaimed port (0x99).  mini-vmm must survive: reads return all ones,
 * writes vanish, both are counted (--stats, --trace).  Exits 0.
 */
#include "guest.h"

#define UNCLAIMED_MMIO 0xe0000000ULL
#define UNCLAIMED_PORT 0x99

int main(void)
{
	mmio_write32(UNCLAIMED_MMIO, 0x12345678);
	printf("unclaimed mmio read: 0x%lx\n", mmio_read64(UNCLAIMED_MMIO));
	/* Ports from ring 0: PVM gives ring 3 no I/O privilege (exits.c). */
	printf("unclaimed port read: 0x%lx\n",
	       syscall3(SYS_INB, UNCLAIMED_PORT, 0, 0));
	return 0;
}
