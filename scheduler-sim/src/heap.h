/*
 * heap.h - The event queue of the discrete-event core: a min-heap of
 * events ordered by simulated time, then by insertion order.
 *
 * The second key (a sequence number) makes the order of simultaneous
 * events the order they were posted, so a run never depends on how the
 * heap happened to break a tie: the same seed gives the same history.
 * Cancelled events are not removed; their owner bumps a generation number
 * and ignores the stale event when it pops (lazy deletion), which keeps
 * push and pop O(log n).
 */
#ifndef SCHED_HEAP_H
#define SCHED_HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct event {
	uint64_t t;    /* simulated time, ns */
	uint64_t seq;  /* posting order, the tie-breaker */
	uint64_t gen;  /* owner's generation when posted (lazy deletion) */
	uint32_t kind; /* what happens (sim.h: EV_*) */
	uint32_t id;   /* whom it concerns: a vCPU, a pCPU, a timer argument */
};

struct heap {
	struct event *ev;
	size_t n, cap;
	uint64_t next_seq;
};

void heap__init(struct heap *h);
void heap__free(struct heap *h);

/* Post an event (its seq is assigned here).  Returns 0, or -1 if out of
 * memory. */
int heap__push(struct heap *h, struct event ev, struct isolab_err *e);

/* Remove the earliest event into *out.  Returns 0, or -1 if empty. */
int heap__pop(struct heap *h, struct event *out);

#endif
