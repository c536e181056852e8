/*
 * workload.h - The built-in workloads and the trace driver (workload.c,
 * lackey.c): what the guest's processes do, as accesses and system calls.
 */
#ifndef SVE_WORKLOAD_H
#define SVE_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct sim;

/* Every parameter any workload takes; each workload uses some. */
struct wl_args {
	uint64_t pages;	   /* working set, 4 KiB pages */
	uint64_t accesses; /* data accesses in all */
	uint64_t writes;   /* percent of accesses that are stores */
	uint64_t seed;	   /* of the pseudo-random generator */
	uint64_t stride;   /* stride: pages between accesses */
	uint64_t theta;	   /* zipf: skew in hundredths (99 = 0.99) */
	uint64_t period;   /* accesses between fork/exec or munmap/mmap */
	uint64_t chunk;	   /* mmapchurn: pages per mapping */
	uint64_t child;	   /* forkexec: accesses of the child before exec */
	uint64_t procs;	   /* ctxsw: processes */
	uint64_t quantum;  /* ctxsw: accesses per time slice */
	uint64_t warm;	   /* 1: touch the working set, then zero counters */
};

struct workload {
	const char *name;
	const char *what;
	struct wl_args args;
	int (*run)(struct sim *s, const struct wl_args *a,
		   struct isolab_err *e);
};

/* Parse "NAME[:k=v,...]" into w.  Returns 0, or -1 with e naming the
 * unknown workload or parameter, or the parameter out of its range. */
int workload__parse(const char *spec, struct workload *w, struct isolab_err *e);

/* Run w on s (a fresh machine).  Returns 0 or -1 with e filled. */
int workload__run(struct sim *s, const struct workload *w,
		  struct isolab_err *e);

/* The workload names, comma separated, for messages. */
const char *workload__names(void);

/* Zero the machine's counters (after a warm-up). */
void workload__reset_counters(struct sim *s);

/* Replay a `valgrind --tool=lackey --trace-mem=yes` trace from path ("-":
 * standard input) as one process; ifetch: count I lines as accesses.
 * Returns 0, or -1 with e naming the file and line of a malformed line. */
int trace__run(struct sim *s, const char *path, bool ifetch,
	       struct isolab_err *e);

#endif
