/*
 * mmio_timer.h - A counter/timer register block at a guest-physical
 * address with no memory behind it: every access is a KVM_EXIT_MMIO.
 *
 *   offset  size  access  register
 *   0x00    4     R       ID, "MVTM" (0x4d54564d)
 *   0x08    8     R       COUNT: how many times COUNT was read before
 *   0x10    8     R       NOW: the host's CLOCK_MONOTONIC in ns
 *   0x18    8     R/W     SCRATCH
 * Other offsets read as all ones and ignore writes.
 */
#ifndef MVMM_MMIO_TIMER_H
#define MVMM_MMIO_TIMER_H

#include <stdint.h>

#include "bus.h"
#include "layout.h" /* the register offsets, shared with guests */

struct mmio_timer {
	uint64_t count;
	uint64_t scratch;
};

extern const struct dev_ops mmio_timer_ops;

#endif
