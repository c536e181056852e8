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
	int runs;              /* measured runs per figure */
	int warmup;            /* unmeasured runs before them */
	const char *out_dir;   /* where results are written */
	const char *build_dir; /* the build tree isobench came from */
	struct meta meta;      /* this machine */
	struct progress prog;
};

struct approach_ops {
	const char *name; /* short name, used in --only and file names */
	const char *what; /* one line for --help and tables */
	int steps;        /* progress steps measure() takes */
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

#endif
