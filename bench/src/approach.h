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
	/* Every selected approach's result, filled as the run goes (NULL for
	 * one that is skipped), so a late step can read a peer's medians. */
	struct result **results;
	size_t nresults;
};

/* One way of launching a shared workload (bench/workloads/), measured in
 * rounds interleaved with every other approach's (approach__measure_shared):
 * the approach's own engine, or a peer it brings (node for Wasm). */
struct wl_arm {
	const char *series; /* series prefix: "vm", "wasm-node", ... */
	struct result *r;   /* where its series go (set by isobench) */
	char *argv[24];
	char store[4096]; /* the strings argv points into (wl_arm__argv) */
};

/* Set arm's series name and argv (a NULL-terminated list of strings,
 * copied into arm->store).  Returns 0, or -1 if they do not fit. */
int wl_arm__argv(struct wl_arm *arm, const char *series, ...);

struct approach_ops {
	const char *name; /* short name, used in --only and file names */
	const char *what; /* one line for --help and tables */
	int steps;        /* progress steps measure() takes at most */
	/* Why it cannot run here (static string), or NULL if it can. */
	const char *(*unavailable)(const struct bench_ctx *ctx);
	/* Measure into r.  Returns 0, or -1 with e filled. */
	int (*measure)(struct bench_ctx *ctx, struct result *r,
		       struct isolab_err *e);
	/* Optional: fill arms[0..max) with the ways this approach runs shared
	 * workload w and return how many (0: it does not run w).  Called
	 * after measure(), which may have prepared what they need. */
	int (*arms)(struct bench_ctx *ctx, const char *w, struct wl_arm *arms,
		    int max);
	/* Optional: after the shared workloads, finish r (figures that need
	 * them, such as ratios to native) and remove the approach's scratch.
	 * Called whenever measure() was.  Returns 0, or -1 with e filled. */
	int (*finish)(struct bench_ctx *ctx, struct result *r,
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

/* The shared workloads, each in rounds over every arm the available
 * approaches offer (their arms op), in a new order every round
 * (interleave.h): hello for ctx->runs rounds after ctx->warmup, the other
 * workloads for ctx->compute_runs after one.  Each arm's figures go to its
 * result as approach__measure_workload's do; an arm that fails (exit
 * status, missing mark, another checksum) is dropped with its error in its
 * result's skipped list, and the others go on.  Returns 0, or -1 with e
 * filled when it could not measure at all. */
int approach__measure_shared(struct bench_ctx *ctx,
			     const struct approach_ops *const *approaches,
			     struct result *const *results, size_t n,
			     struct isolab_err *e);

/* The median of series NAME ("native:fib:compute") in any of ctx's results,
 * or NAN when no result has it. */
double approach__median(const struct bench_ctx *ctx, const char *name);

/* Run argv (an approach launching workload w) runs times after warmup runs
 * with its marks stamped (bench/lib/marks.h), and add to r the series
 * APPROACH:W:start_to_ready, :compute (ready to done; not for hello, which
 * computes nothing), :start_to_exit and :peak_rss, and data.checksums.W.  Fails if a run exits non-zero, misses a
 * mark, or prints another checksum than the first run.  Returns 0 or -1. */
int approach__measure_workload(struct bench_ctx *ctx, struct result *r,
			       const char *approach, const char *w,
			       char *const argv[], int warmup, int runs,
			       struct isolab_err *e);

#endif
