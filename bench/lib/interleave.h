/*
 * interleave.h - Measuring several things "interleaved": one run of each
 * per round, in a new random order every round.
 *
 * The machines this harness runs on are shared 2-core VMs whose load
 * changes by the second.  Measured one after another (all runs of A, then
 * all of B), a burst of load lands on whichever was running and the ratio
 * A/B carries it; measured one run of each per round, drift hits all of
 * them alike.  The order changes every round (a shuffle, not a rotation)
 * so that nothing always runs right after the same neighbour and inherits
 * its warm caches or its pending kernel work.  The shuffle is seeded, so a
 * run repeats exactly.
 */
#ifndef ISOLAB_INTERLEAVE_H
#define ISOLAB_INTERLEAVE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Fill order[0..n) with a random permutation of 0..n-1 (Fisher-Yates,
 * drawing from the 64-bit LCG *state, which it advances). */
void interleave__shuffle(size_t *order, size_t n, uint64_t *state);

/* Run one round of arm `arm`: round < 0 is a warm-up.  Returns 0, or -1
 * with e filled to drop the arm from the rounds that follow. */
typedef int (*interleave_run)(void *arg, size_t arm, int round,
			      struct isolab_err *e);

/* Called once per round after its runs (e.g. progress), may be NULL. */
typedef void (*interleave_tick)(void *arg, int round, int rounds);

/* warmup unmeasured rounds, then runs measured rounds, over arms arms
 * (at most INTERLEAVE_MAX_ARMS): in each, run(arg, arm, round, e) for
 * every arm still in, in a fresh order.  An arm whose run fails is left
 * out from then on and its error goes to dropped(arg, arm, e) (may be
 * NULL).  Returns the number of arms still in at the end, or -1 when
 * arms is out of range. */
#define INTERLEAVE_MAX_ARMS 32
int interleave__rounds(size_t arms, int warmup, int runs, uint64_t seed,
		       interleave_run run,
		       void (*dropped)(void *arg, size_t arm,
				       const struct isolab_err *e),
		       interleave_tick tick, void *arg);

#endif
