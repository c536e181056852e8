/*
 * exitstats.h - Exit counters: by exit reason, and by port or MMIO address
 * for I/O exits.  Each vCPU keeps its own (no lock on the hot path); the
 * VMM adds them up at the end for --stats.
 */
#ifndef MVMM_EXITSTATS_H
#define MVMM_EXITSTATS_H

#include <stdbool.h>
#include <stdint.h>

#define EXITSTATS_REASONS 64 /* KVM_EXIT_* values are below this */
#define EXITSTATS_ADDRS	  64 /* distinct ports/addresses kept */

struct exitstats_addr {
	uint64_t addr;
	uint64_t count;
	const char *dev; /* device name, or NULL when unclaimed */
	bool mmio;
	bool used;
};

struct exitstats {
	uint64_t total;
	uint64_t by_reason[EXITSTATS_REASONS];
	uint64_t unclaimed_pio, unclaimed_mmio;
	uint64_t addrs_dropped; /* accesses to addresses beyond the table */
	struct exitstats_addr addr[EXITSTATS_ADDRS];
};

/* One exit of reason. */
void exitstats__reason(struct exitstats *s, uint32_t reason);

/* One access to addr (claimed by dev, or dev NULL). */
void exitstats__addr(struct exitstats *s, bool mmio, uint64_t addr,
		     const char *dev);

/* Add src into dst. */
void exitstats__merge(struct exitstats *dst, const struct exitstats *src);

/* KVM's name for an exit reason ("IO", "MMIO", "HLT", ...). */
const char *exitstats__reason_name(uint32_t reason);

#endif
