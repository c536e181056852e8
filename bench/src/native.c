/*
 * native.c - The native baseline: fork + exec of a static program that
 * exits at once (bench/workloads/true.c), with no isolation at all.
 *
 * Every other approach's start-up is read against this figure: what a
 * container runtime, a VMM or a Wasm runtime adds on top of the cheapest
 * way Linux has to start a program and wait for it.
 */
#include <stdio.h>
#include <unistd.h>

#include "approach.h"
#include "timing.h"

static char true_path[4096];

static const char *native_unavailable(const struct bench_ctx *ctx)
{
	snprintf(true_path, sizeof(true_path), "%s/workloads/native/true",
		 ctx->build_dir);
	if (access(true_path, X_OK) < 0)
		return "the static true workload is not built (run make)";
	return NULL;
}

static int native_measure(struct bench_ctx *ctx, struct result *r,
			  struct isolab_err *e)
{
	struct samples times = SAMPLES_INIT, rss = SAMPLES_INIT;
	char *argv[] = { true_path, NULL };
	static const struct series_desc start = { "native", "true",
						  "start_to_exit", "ns" };
	static const struct series_desc peak = { "native", "true", "peak_rss",
						 "KiB" };
	int rc = -1;

	json_object_set_new(result__params(r), "command",
			    json_string("fork+execve of a static true, wait4"));
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

const struct approach_ops native_approach = {
	.name = "native",
	.what = "fork+exec of a static program, no isolation (the baseline)",
	.steps = 1,
	.unavailable = native_unavailable,
	.measure = native_measure,
};
