/*
 * native.c - The native baseline: programs started with fork + exec and
 * no isolation at all.
 *
 * Two kinds of figure: start-up, from a static program that exits at once
 * (bench/workloads/true.c), the floor every other approach's start-up is
 * read against; and the shared workloads (the .c files of bench/workloads/)
 * built as static binaries, the reference for every approach's run-time overhead.
 */
#include <stdio.h>
#include <unistd.h>

#include "approach.h"
#include "timing.h"

static char workload_dir[4096];

static const char *native_unavailable(const struct bench_ctx *ctx)
{
	char path[4200];

	snprintf(workload_dir, sizeof(workload_dir), "%s/workloads/native",
		 ctx->build_dir);
	snprintf(path, sizeof(path), "%s/true", workload_dir);
	if (access(path, X_OK) < 0)
		return "the native workloads are not built (run make)";
	return NULL;
}

/* Start-up floor: fork+exec+wait of the static true. */
static int measure_true(struct bench_ctx *ctx, struct result *r,
			struct isolab_err *e)
{
	struct samples times = SAMPLES_INIT, rss = SAMPLES_INIT;
	char path[4200];
	char *argv[] = { path, NULL };
	static const struct series_desc start = { "native", "true",
						  "start_to_exit", "ns" };
	static const struct series_desc peak = { "native", "true", "peak_rss",
						 "KiB" };
	int rc = -1;

	snprintf(path, sizeof(path), "%s/true", workload_dir);
	progress__step(&ctx->prog, "native:start");
	if (timing__repeat_cmd(argv, NULL, ctx->warmup, ctx->runs, &times,
			       &rss, progress__tick, &ctx->prog, e) < 0)
		goto out;
	if (result__add_series(r, &start, &times, e) < 0 ||
	    result__add_series(r, &peak, &rss, e) < 0)
		goto out;
	rc = 0;
out:
	samples__free(&times);
	samples__free(&rss);
	return rc;
}

static int native_measure(struct bench_ctx *ctx, struct result *r,
			  struct isolab_err *e)
{
	json_object_set_new(result__params(r), "command",
			    json_string("fork+execve of static binaries, wait4"));
	return measure_true(ctx, r, e);
}

/* The shared workloads: the static binary itself. */
static int native_arms(struct bench_ctx *ctx, const char *w,
		       struct wl_arm *arms, int max)
{
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", workload_dir, w);
	(void)ctx;
	if (max < 1 || access(path, X_OK) < 0 ||
	    wl_arm__argv(&arms[0], "native", path, NULL) < 0)
		return 0;
	return 1;
}

const struct approach_ops native_approach = {
	.name = "native",
	.what = "static programs started by fork+exec, no isolation (the baseline)",
	.steps = 1, /* true; the workloads run in the shared rounds */
	.unavailable = native_unavailable,
	.measure = native_measure,
	.arms = native_arms,
};
