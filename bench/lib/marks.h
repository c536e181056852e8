/*
 * marks.h - Timestamped milestones of a child: "isolab-mark: NAME" lines.
 *
 * A workload marks "ready" when it starts computing and "done" when it
 * finishes (bench/workloads/wl.h).  The harness reads the child's stdout
 * through a pipe and stamps each mark line with CLOCK_MONOTONIC the moment
 * it arrives, so launch-to-ready, compute time (ready to done) and
 * done-to-exit are measured the same way for a process, a container, a VM
 * console or a Wasm runtime: all of them can print a line.
 *
 * Resolution: a mark is stamped when the read that brings it returns, so
 * marks closer together than the reader's wake-up (tens of microseconds)
 * can arrive in one read and share a stamp.  Intervals worth measuring
 * this way are milliseconds long.
 */
#ifndef ISOLAB_MARKS_H
#define ISOLAB_MARKS_H

#include <stdint.h>

#include "err.h"
#include "timing.h"

#define MARKS_MAX 8
#define MARKS_PREFIX "isolab-mark: "

struct mark_run {
	struct cmd_result res;         /* as timing__cmd_once fills it */
	int nmarks;
	char name[MARKS_MAX][32];      /* in the order they arrived */
	uint64_t at_ns[MARKS_MAX];     /* arrival, ns after the fork */
	uint64_t t0_ns;                /* the fork itself, timing__now_ns():
					  to set a child's own clock
					  readings against the arrivals */
	char *out;                     /* stdout without the mark lines
					  (owned, NUL-terminated) */
	size_t out_len;
};

/* Run argv like timing__cmd_once (opts->stdout_path is ignored: stdout is
 * the pipe; opts->timeout_s kills the child when it runs too long) and
 * stamp its marks.  Returns 0 when the child ran and was reaped, -1 if it
 * could not be started or waited for.  Free r with marks__free(). */
int marks__run(char *const argv[], const struct cmd_opts *opts,
	       struct mark_run *r, struct isolab_err *e);

/* The arrival time of mark name in r, or 0 if it never came. */
uint64_t marks__at(const struct mark_run *r, const char *name);

/* "checksum <hex>" printed by the child, copied into buf (len >= 17), or
 * -1 if it printed none. */
int marks__checksum(const struct mark_run *r, char *buf, size_t len);

void marks__free(struct mark_run *r);

#endif
