/*
 * approach.h - One isolation approach that isobench can measure.
 *
 * Each approach (native, container, VM, Wasm, ...) is an ops struct in the
 * table of approach.c, as kvmtool registers devices: isobench walks the
 * table, asks each approach whether it can run here, and lets it measure
 * into its own result DIR/<name>.json.  An approach is one file in
 * bench/src/ defining `const struct approach_ops <name>_approach`.
 */
#ifndef ISOLAB_APPROACH_H
#define ISOLAB_APPROACH_H

#include <stdbool.h>

#include "err.h"
#include "meta.h"
#include "progress.h"
#include "result.h"

/* What every approach gets from isobench. */
struct bench_ctx {
	int runs;              /* measured runs per start-up figure */
	int warmup;            /* unmeasured runs before them */
	int compute_runs;      /* measured runs of each compute workload */
	const char *workloads; /* --workloads: comma-separated, NULL = all */
	const char *out_dir;   /* where results are written */
	const char *build_dir; /* the build tree isobench came from */
	/* --quick (make bench QUICK=1): every approach keeps its figures but
	 * takes the short form of its slow parts (fewer runs of the slow
	 * peers, the simulators' short experiments), so the whole run fits
	 * in about a minute; each says in its params what it cut. */
	bool quick;
	struct meta meta;      /* this machine */
	struct progress prog;
};

struct approach_ops {
	const char *name; /* short name, used in --only and file names */
	const char *what; /* one line for --help and tables */
	int steps;        /* progress steps measure() takes at most */
	/* Why it cannot run here (static string), or NULL if it can. */
	const char *(*unavailable)(const struct bench_ctx *ctx);
	/* Measure into r.  Returns 0, or -1 with e filled. */
	int (*measure)(struct bench_ctx *ctx, struct result *r,
		       struct isolab_err *e);
};

/* The approaches built into this isobench, NULL-terminated, in the order
 * they are measured. */
const struct approach_ops *const *approach__all(void);

/* The approach called name, or NULL. */
const struct approach_ops *approach__find(const char *name);

/* The shared workloads of bench/workloads/, NULL-terminated; "hello" first
 * (the start-up workload), then the compute, memory and syscall kernels. */
extern const char *const bench_workloads[];

/* Does workload w only start (true, hello, hello64...)?  Its
 * start_to_exit is then a start-up figure rather than a run time. */
bool approach__startup_workload(const char *w);

/* Is workload w selected by --workloads (all when not given)? */
bool approach__wants(const struct bench_ctx *ctx, const char *w);

/* Is name in the comma-separated list? */
bool approach__in_list(const char *list, const char *name);

/* Run argv (an approach launching workload w) runs times after one warm-up
 * with its marks stamped (bench/lib/marks.h), and add to r the series
 * APPROACH:W:start_to_ready, :compute (ready to done; not for hello, which
 * computes nothing), :start_to_exit and :peak_rss, and data.checksums.W.  Fails if a run exits non-zero, misses a
 * mark, or prints another checksum than the first run.  Returns 0 or -1. */
int approach__measure_workload(struct bench_ctx *ctx, struct result *r,
			       const char *approach, const char *w,
			       char *const argv[], int runs,
			       struct isolab_err *e);

#endif
