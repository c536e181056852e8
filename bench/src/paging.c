/*
 * paging.c - The paging-under-virtualization experiments of shadow-vs-ept:
 * native, shadow and nested paging on one simulated guest.
 *
 * Runs `shadow-vs-ept sweep all` once (the simulator is deterministic: one
 * run is the figure), which writes paging-crossover, paging-walkcache,
 * paging-shadowmem and paging-largepages (JSON, data and plots) beside
 * this result, and measures the simulator's own speed: wall and user CPU
 * time of 20 M nested-mode accesses on a working set with a ~96% TLB hit
 * rate, repeated min(runs, 5) times after one warm-up run.
 */
#include <jansson.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approach.h"
#include "timing.h"

#define SPEED_ACCESSES 20000000

static char sve_path[4096];

static const char *paging_unavailable(const struct bench_ctx *ctx)
{
	snprintf(sve_path, sizeof(sve_path), "%s/bin/shadow-vs-ept",
		 ctx->build_dir);
	if (access(sve_path, X_OK) < 0)
		return "shadow-vs-ept is not built (run make)";
	return NULL;
}

/* Copy the points of DIR/paging-NAME.json into data[NAME]. */
static void paging_attach(struct result *r, const char *dir, const char *name)
{
	char path[4200];
	json_t *root;

	snprintf(path, sizeof(path), "%s/paging-%s.json", dir, name);
	root = json_load_file(path, 0, NULL);
	if (!root) {
		result__add_skip(r, name, "sweep result missing");
		return;
	}
	json_object_set(result__data(r), name, json_object_get(root, "data"));
	json_decref(root);
}

static int paging_measure(struct bench_ctx *ctx, struct result *r,
			  struct isolab_err *e)
{
	char *sweep[] = {
		sve_path, "sweep", "all", "--out", (char *)ctx->out_dir, NULL};
	char *speed[] = {sve_path,
			 "--mode",
			 "nested",
			 "--workload",
			 "random:pages=1600,accesses=20000000",
			 NULL};
	struct cmd_opts quiet = {.stdout_path = "/dev/null", .timeout_s = 600};
	struct samples times = SAMPLES_INIT, cpu = SAMPLES_INIT,
		       rate = SAMPLES_INIT;
	static const struct series_desc speed_desc = {
		"paging", "nested-random-1600p-20M", "wall_time", "ns"};
	static const struct series_desc cpu_desc = {
		"paging", "nested-random-1600p-20M", "user_cpu_time", "ns"};
	static const struct series_desc rate_desc = {
		"paging", "nested-random-1600p-20M", "accesses_per_cpu_s",
		"1/s"};
	struct cmd_result res;
	int runs = ctx->runs < 5 ? ctx->runs : 5, rc = -1;

	json_object_set_new(result__params(r), "sweep",
			    json_string("shadow-vs-ept sweep all"));
	json_object_set_new(
		result__params(r), "speed",
		json_string("shadow-vs-ept --mode nested --workload "
			    "random:pages=1600,accesses=20000000"));
	progress__step(&ctx->prog, "paging:sweeps");
	if (timing__cmd_once(sweep, &quiet, &res, e) < 0)
		goto out;
	if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
		err__set(e, 0, "%s sweep all: failed (status %d)", sve_path,
			 res.status);
		goto out;
	}
	progress__update(&ctx->prog, 1, 1);
	json_object_set_new(result__data(r), "sweep_seconds",
			    json_real((double)res.elapsed_ns / 1e9));
	paging_attach(r, ctx->out_dir, "crossover");
	paging_attach(r, ctx->out_dir, "walkcache");
	paging_attach(r, ctx->out_dir, "shadowmem");
	paging_attach(r, ctx->out_dir, "largepages");
	/* Wall time and the child's user CPU time of each run (wait4's
	 * rusage): on a loaded machine the CPU time is the "one core"
	 * figure, the wall time shows the contention. */
	progress__step(&ctx->prog, "paging:speed");
	for (int i = -1; i < runs; i++) {
		if (timing__cmd_once(speed, &quiet, &res, e) < 0)
			goto out;
		if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
			err__set(e, 0, "%s --mode nested: failed (status %d)",
				 sve_path, res.status);
			goto out;
		}
		progress__tick(&ctx->prog, i, runs);
		if (i < 0) /* one warm-up run */
			continue;
		if (samples__push(&times, (double)res.elapsed_ns) < 0 ||
		    samples__push(&cpu, (double)res.user_ns) < 0 ||
		    samples__push(&rate, SPEED_ACCESSES / ((double)res.user_ns /
							   1e9)) < 0) {
			err__set(e, 0, "out of memory");
			goto out;
		}
	}
	if (result__add_series(r, &speed_desc, &times, e) < 0 ||
	    result__add_series(r, &cpu_desc, &cpu, e) < 0 ||
	    result__add_series(r, &rate_desc, &rate, e) < 0)
		goto out;
	rc = 0;
out:
	samples__free(&times);
	samples__free(&cpu);
	samples__free(&rate);
	return rc;
}

const struct approach_ops paging_approach = {
	.name = "paging",
	.what = "paging simulator: shadow vs nested (EPT) crossover, walk "
		"caches, shadow memory",
	.steps = 2,
	.unavailable = paging_unavailable,
	.measure = paging_measure,
};
