/*
 * mmio_timer.c - The MMIO counter/timer block (register map in
 * mmio_timer.h): trap-and-emulate of memory-mapped I/O.  The guest's load
 * or store faults in the nested (or shadow) page table because no memslot
 * backs the address; KVM decodes the instruction and exits with
 * KVM_EXIT_MMIO carrying the address, size and data.
 */
#include "mmio_timer.h"

#include <string.h>

#include "timing.h"

static int mmio_timer_read(struct vcpu *v, void *dev, uint64_t off, void *data,
			   unsigned len)
{
	struct mmio_timer *t = dev;
	uint64_t val = ~0ULL;

	(void)v;
	switch (off) {
	case MMIO_TIMER_ID: val = MMIO_TIMER_ID_VALUE; break;
	case MMIO_TIMER_COUNT: val = t->count++; break;
	case MMIO_TIMER_NOW: val = timing__now_ns(); break;
	case MMIO_TIMER_SCRATCH: val = t->scratch; break;
	}
	memcpy(data, &val, len); /* little-endian: the low len bytes */
	return DEV_CONTINUE;
}

static int mmio_timer_write(struct vcpu *v, void *dev, uint64_t off,
			    const void *data, unsigned len)
{
	struct mmio_timer *t = dev;

	(void)v;
	if (off == MMIO_TIMER_SCRATCH) {
		t->scratch = 0;
		memcpy(&t->scratch, data, len);
	}
	return DEV_CONTINUE;
}

const struct dev_ops mmio_timer_ops = {
	.name = "mmio-timer",
	.read = mmio_timer_read,
	.write = mmio_timer_write,
};
