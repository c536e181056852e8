/*
 * bus.h - The device bus: address ranges mapped to a device's ops struct.
 *
 * Trap-and-emulate in one table.  When the guest touches a port or an MMIO
 * address, KVM exits to the VMM with the address, the size and the data;
 * the run loop asks the bus which device claims the address and calls its
 * read or write.  Like kvmtool's ioport/mmio buses, one bus for port I/O
 * and one for MMIO, each a small sorted table searched on every exit.
 */
#ifndef MVMM_BUS_H
#define MVMM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct vcpu;

/* What a device handler asks the run loop to do next. */
enum dev_action {
	DEV_CONTINUE = 0, /* resume the guest */
	DEV_STOP_VM = 1,  /* the VM is over (the device set vm->status) */
};

/* A device, as kvmtool's struct ioport_operations: off is relative to the
 * range's base, len is 1, 2, 4 or 8, data is little-endian as the guest
 * wrote it.  Returns a dev_action. */
struct dev_ops {
	const char *name;
	int (*read)(struct vcpu *v, void *dev, uint64_t off, void *data,
		    unsigned len);
	int (*write)(struct vcpu *v, void *dev, uint64_t off, const void *data,
		     unsigned len);
};

struct bus_range {
	uint64_t base, len;
	const struct dev_ops *ops;
	void *dev;
};

#define BUS_MAX_RANGES 16

struct bus {
	const char *name; /* "pio" or "mmio" */
	int n;
	struct bus_range r[BUS_MAX_RANGES];
};

/* Claim [base, base+len) for dev.  Returns 0, or -1 if the range overlaps
 * one already claimed or the table is full. */
int bus__register(struct bus *b, uint64_t base, uint64_t len,
		  const struct dev_ops *ops, void *dev, struct isolab_err *e);

/* The range claiming addr, or NULL when no device does. */
const struct bus_range *bus__find(const struct bus *b, uint64_t addr);

/* Dispatch one access of len bytes at addr.  An unclaimed read returns all
 * ones and an unclaimed write is dropped, as on a PC's bus; *claimed says
 * which happened.  Returns the device's dev_action. */
int bus__access(const struct bus *b, struct vcpu *v, uint64_t addr, void *data,
		unsigned len, bool is_write, bool *claimed);

#endif
