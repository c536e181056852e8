/*
 * wl.h - The tiny API every isolab workload is written against.
 *
 * One C source per workload (bench/workloads/<name>.c) is built for each
 * isolation approach: natively (wl_native.c), and later to wasm32-wasi and
 * as a mini-vmm guest, each with its own implementation of these few
 * calls.  A workload defines wl_main(), prints "checksum <hex>" so the
 * harness can check every approach computed the same thing, and marks its
 * milestones ("ready" when it starts computing, "done" when it finishes),
 * which the harness timestamps.
 */
#ifndef ISOLAB_WL_H
#define ISOLAB_WL_H

#include <stddef.h>
#include <stdint.h>

/* The workload's body; its return value is the exit status. */
int wl_main(void);

/* Write len bytes to the console (stdout). */
void wl_write(const char *buf, size_t len);

/* One small write to the discard sink (stderr, which the harness sends to
 * /dev/null): what the syscall-heavy workload repeats. */
void wl_sink(const char *buf, size_t len);

/* Record milestone name: a line "isolab-mark: NAME" on the console, which
 * the harness timestamps when it arrives (timing__cmd_marks), written in
 * one piece and followed by wl_yield(). */
void wl_mark(const char *name);

/* Let a process waiting for our output run now.  A pipe write wakes its
 * reader as a "synchronous" wakeup, queued on the writer's CPU: while the
 * workload computes on, the harness waited for the end of its time slice
 * whenever the other core was busy (1.3-1.5 ms here), and stamped the mark
 * that late.  wl_native.c yields the CPU (WASI's sched_yield under Wasm);
 * the default, for targets that cannot (a guest, whose VMM yields for
 * it), does nothing. */
void wl_yield(void);

/* Helpers built on wl_write (wl_fmt.c). */
void wl_puts(const char *s);
void wl_checksum(uint64_t sum); /* prints "checksum <16 hex digits>\n" */

/* A deterministic pseudo-random sequence (64-bit LCG, Knuth's MMIX
 * constants), the same on every target. */
static inline uint64_t wl_rand(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state >> 11;
}

#endif
