/*
 * wasm.c - WebAssembly, "hosted interpretation": the shared workloads
 * compiled once to wasm32-wasi by clang-14 and run by mini-wasm (our
 * interpreter, mini-wasm/), against native code, wabt's wasm-interp (the
 * reference interpreter of the toolchain) and node's V8 (a JIT), all in
 * the same run so the ratios are read against peers measured alongside.
 *
 * Figures: start-up and peak RSS of a trivial module (true.wasm, and the
 * hello workload with its marks); per compute workload, the time between
 * the workload's ready and done marks (mini-wasm, node, native), and
 * launch-to-exit for wasm-interp, whose freestanding module (no WASI)
 * prints no marks.  data.slowdown[workload][engine] is the ratio of
 * medians to native's (compute to compute; for wasm-interp, launch-to-exit
 * to native's launch-to-exit).  mini-wasm and node run the workloads in the
 * shared rounds, interleaved with every other approach (wasm_arms);
 * wasm-interp, which takes seconds a run, runs once per workload before them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approach.h"
#include "stats.h"
#include "timing.h"

#define NODE_RUNNER "mini-wasm/workloads/node_wasi.mjs"

static char mini_wasm[4200], wasm_dir[4200], run_dir[4200], native_dir[4200];

static const char *wasm_unavailable(const struct bench_ctx *ctx)
{
	char path[8400];

	snprintf(mini_wasm, sizeof(mini_wasm), "%s/bin/mini-wasm",
		 ctx->build_dir);
	snprintf(wasm_dir, sizeof(wasm_dir), "%s/workloads/wasm",
		 ctx->build_dir);
	snprintf(run_dir, sizeof(run_dir), "%s/workloads/wasm-run",
		 ctx->build_dir);
	snprintf(native_dir, sizeof(native_dir), "%s/workloads/native",
		 ctx->build_dir);
	snprintf(path, sizeof(path), "%s/true.wasm", wasm_dir);
	if (access(mini_wasm, X_OK) < 0)
		return "mini-wasm is not built (run make)";
	if (access(path, R_OK) < 0)
		return "the wasm32-wasi workloads are not built (clang-14, "
		       "wasi-libc)";
	return NULL;
}

static char node_path[4200], wabt_path[4200];

/* Find prog in PATH (the launcher wants a path).  Returns true with the
 * path in buf when it is there and executable. */
static bool find_in_path(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	while (path && *path) {
		size_t n = strcspn(path, ":");
		snprintf(buf, len, "%.*s/%s", (int)n, path, prog);
		if (n && access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* The median of series NAME in any result of the run, or 0. */
static double median_of(const struct bench_ctx *ctx, const char *name)
{
	double m = approach__median(ctx, name);

	return isnan(m) ? 0 : m;
}

/* Start-up: a trivial module (wasi-libc's _start calling an empty main)
 * against the static native true, and node for scale. */
static int measure_startup(struct bench_ctx *ctx, struct result *r,
			   bool *node, struct isolab_err *e)
{
	static const struct cmd_opts quiet = { .stdout_path = "/dev/null",
					       .stderr_path = "/dev/null",
					       .timeout_s = 60 };
	char tw[4300], nt[4300];
	char *engines[3][5] = { { mini_wasm, tw, NULL },
				{ nt, NULL },
				{ node_path, "--no-warnings", NODE_RUNNER, tw } };
	const char *names[3] = { "wasm", "native", "wasm-node" };

	snprintf(tw, sizeof(tw), "%s/true.wasm", wasm_dir);
	snprintf(nt, sizeof(nt), "%s/true", native_dir);
	progress__step(&ctx->prog, "wasm:start");
	for (int k = 0; k < 3; k++) {
		struct samples t = SAMPLES_INIT, rss = SAMPLES_INIT;
		struct series_desc st = { names[k], "true", "start_to_exit",
					  "ns" };
		struct series_desc pk = { names[k], "true", "peak_rss", "KiB" };
		int rc;

		if ((k == 1 && access(nt, X_OK) < 0) || (k == 2 && !*node))
			continue;
		rc = timing__repeat_cmd(engines[k], &quiet, ctx->warmup,
					ctx->runs, &t, &rss, progress__tick,
					&ctx->prog, e);
		if (rc == 0)
			rc = result__add_series(r, &st, &t, e);
		if (rc == 0)
			rc = result__add_series(r, &pk, &rss, e);
		samples__free(&t);
		samples__free(&rss);
		if (rc < 0 && k == 2) {
			/* a peer that fails here is reported, not fatal */
			fprintf(stderr, "isobench: wasm-node: %s\n", e->msg);
			result__add_skip(r, "wasm-node", e->msg);
			*node = false;
		} else if (rc < 0) {
			return -1;
		}
	}
	return 0;
}

/* wasm-interp on the freestanding module: launch to exit only. */
static int measure_wabt(struct bench_ctx *ctx, struct result *r,
			const char *w, int runs, struct isolab_err *e)
{
	static const struct cmd_opts quiet = { .stdout_path = "/dev/null",
					       .stderr_path = "/dev/null",
					       .timeout_s = 600 };
	char mod[4300];
	char *argv[] = { wabt_path, "--run-all-exports", mod, NULL };
	struct samples t = SAMPLES_INIT;
	struct series_desc d = { "wasm-wabt", w, "start_to_exit", "ns" };
	int rc;

	snprintf(mod, sizeof(mod), "%s/%s.wasm", run_dir, w);
	if (access(mod, R_OK) < 0)
		return 0;
	rc = timing__repeat_cmd(argv, &quiet, 0, runs, &t, NULL,
				progress__tick, &ctx->prog, e);
	if (rc == 0)
		rc = result__add_series(r, &d, &t, e);
	samples__free(&t);
	return rc;
}

/* data.slowdown[w]: each engine's median over native's, same run. */
static void record_slowdown(const struct bench_ctx *ctx, struct result *r,
			    const char *w)
{
	static const char *const eng[][2] = {
		{ "wasm", "compute" },
		{ "wasm-node", "compute" },
		{ "wasm-wabt", "start_to_exit" },
	};
	char name[128];
	json_t *all = json_object_get(result__data(r), "slowdown"), *one;
	double base, base_exit;

	snprintf(name, sizeof(name), "native:%s:compute", w);
	base = median_of(ctx, name);
	snprintf(name, sizeof(name), "native:%s:start_to_exit", w);
	base_exit = median_of(ctx, name);
	if (base <= 0 || base_exit <= 0)
		return;
	if (!all) {
		all = json_object();
		json_object_set_new(result__data(r), "slowdown", all);
	}
	one = json_object();
	for (size_t k = 0; k < sizeof(eng) / sizeof(eng[0]); k++) {
		double m;
		snprintf(name, sizeof(name), "%s:%s:%s", eng[k][0], w,
			 eng[k][1]);
		m = median_of(ctx, name);
		/* wabt has no marks: its launch-to-exit against native's */
		if (m > 0)
			json_object_set_new(one, eng[k][0],
					    json_real(m / (k == 2 ? base_exit
								  : base)));
	}
	json_object_set_new(all, w, one);
}

static bool node, wabt; /* the peers found by wasm_measure */

/* wabt's runs: few, for it is 100-300 times slower than native (one run
 * of nbody takes ~25 s here); under --quick only two short workloads. */
static bool wabt_runs_here(const struct bench_ctx *ctx, const char *w)
{
	return !ctx->quick || strcmp(w, "sieve") == 0 || strcmp(w, "sort") == 0;
}

static int wasm_measure(struct bench_ctx *ctx, struct result *r,
			struct isolab_err *e)
{
	char label[64];

	node = find_in_path("node", node_path, sizeof(node_path)) &&
	       access(NODE_RUNNER, R_OK) == 0;
	wabt = find_in_path("wasm-interp", wabt_path, sizeof(wabt_path));
	json_object_set_new(result__params(r), "engines",
			    json_string("mini-wasm (interpreter), node "
					"(V8, node:wasi), wabt wasm-interp, "
					"native gcc -O2"));
	json_object_set_new(result__params(r), "wabt_runs",
			    json_string(ctx->quick ? "1, sieve and sort only "
						     "(--quick)"
						   : "1 per workload"));
	if (!node)
		result__add_skip(r, "wasm-node", "node is not installed");
	if (!wabt)
		result__add_skip(r, "wasm-wabt",
				 "wasm-interp (package wabt) is not installed");
	if (measure_startup(ctx, r, &node, e) < 0)
		return -1;
	for (size_t i = 0; bench_workloads[i]; i++) {
		const char *w = bench_workloads[i];
		char mod[4300];

		snprintf(mod, sizeof(mod), "%s/%s.wasm", wasm_dir, w);
		if (!approach__wants(ctx, w) || strcmp(w, "syscalls") == 0)
			continue;
		if (access(mod, R_OK) < 0) {
			result__add_skip(r, w, "not built for wasm32-wasi");
			continue;
		}
		if (!wabt || approach__startup_workload(w) ||
		    !wabt_runs_here(ctx, w))
			continue;
		snprintf(label, sizeof(label), "wasm:wabt %s", w);
		progress__step(&ctx->prog, label);
		if (measure_wabt(ctx, r, w, 1, e) < 0) {
			fprintf(stderr, "isobench: wasm-wabt: %s\n", e->msg);
			result__add_skip(r, "wasm-wabt", e->msg);
			wabt = false;
		}
	}
	return 0;
}

/* Is an approach called name measured in this run? */
static bool in_run(const struct bench_ctx *ctx, const char *name)
{
	for (size_t i = 0; i < ctx->nresults; i++)
		if (ctx->results[i] &&
		    strcmp(result__name(ctx->results[i]), name) == 0)
			return true;
	return false;
}

/* Workload w in mini-wasm and node; and natively, into this result, when
 * the native approach is not in the run (--only wasm): the ratios need a
 * baseline measured alongside. */
static int wasm_arms(struct bench_ctx *ctx, const char *w, struct wl_arm *arms,
		     int max)
{
	char mod[4300], nat[4300];
	int k = 0;

	snprintf(mod, sizeof(mod), "%s/%s.wasm", wasm_dir, w);
	snprintf(nat, sizeof(nat), "%s/%s", native_dir, w);
	if (strcmp(w, "syscalls") == 0 || access(mod, R_OK) < 0 || max < 3)
		return 0;
	if (wl_arm__argv(&arms[k], "wasm", mini_wasm, mod, NULL) == 0)
		k++;
	if (approach__startup_workload(w))
		return k;
	if (node && wl_arm__argv(&arms[k], "wasm-node", node_path,
				 "--no-warnings", NODE_RUNNER, mod, NULL) == 0)
		k++;
	if (!in_run(ctx, "native") && access(nat, X_OK) == 0 &&
	    wl_arm__argv(&arms[k], "native", nat, NULL) == 0)
		k++;
	return k;
}

/* The slowdowns, once the shared rounds have measured native alongside. */
static int wasm_finish(struct bench_ctx *ctx, struct result *r,
		       struct isolab_err *e)
{
	(void)e;
	for (size_t i = 1; bench_workloads[i]; i++)
		if (approach__wants(ctx, bench_workloads[i]))
			record_slowdown(ctx, r, bench_workloads[i]);
	return 0;
}

const struct approach_ops wasm_approach = {
	.name = "wasm",
	.what = "Wasm modules in mini-wasm, against native, wabt and node (V8)",
	.steps = 8, /* start-up, then wabt on each compute workload */
	.unavailable = wasm_unavailable,
	.measure = wasm_measure,
	.arms = wasm_arms,
	.finish = wasm_finish,
};
