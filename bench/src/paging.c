/*
 * paging.c - The paging-under-virtualization experiments of shadow-vs-ept:
 * native, shadow and nested paging on one simulated guest.
 *
 * Runs the four sweeps of `shadow-vs-ept sweep` once (the simulator is
 * deterministic: one run is the figure), which write paging-crossover,
 * paging-walkcache, paging-shadowmem and paging-largepages (JSON, data and
 * plots) beside this result, and measures the simulator's own speed: wall
 * and user CPU time of 20 M nested-mode accesses on a working set with a
 * ~96% TLB hit rate, repeated min(runs, 5) times after one warm-up run.
 *
 * Time: the crossover sweep is most of it (its munmaps cost in proportion
 * to the mapped pages), so the four sweeps run as four processes at once
 * (paging_sweeps), and the speed runs alone after them.  With --quick, the
 * sweeps take their short form (`sweep --quick`: fewer accesses, points
 * and pages) and the speed run is measured once without a warm-up;
 * params.quick_cut says so.
 */
#include <jansson.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approach.h"
#include "launch.h"
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

/* The four sweeps at once, as four processes: they are independent and
 * deterministic, and the crossover alone is more than half of the work,
 * so two cores finish them in about the time of the longest.  Adds
 * data.sweep_seconds (launch to the last one's end).  Returns 0, or -1
 * with e filled. */
static int paging_sweeps(struct bench_ctx *ctx, struct result *r,
			 struct isolab_err *e)
{
	static const char *const names[] = {"crossover", "walkcache",
					    "shadowmem", "largepages"};
	enum { NSWEEPS = sizeof(names) / sizeof(names[0]) };
	/* --quick: the sweeps' short form; otherwise 500 k accesses per run
	 * instead of the CLI's 2 M: the crossover costs 10 s of CPU instead
	 * of 27, and its crossings move by 0.5% (shadow) and 3% (unsync). */
	char *size[] = {ctx->quick ? "--quick" : "--accesses",
			ctx->quick ? NULL : "500000"};
	struct cmd_opts quiet = {.stdout_path = "/dev/null", .timeout_s = 600};
	struct launch l[NSWEEPS];
	uint64_t t0 = timing__now_ns(), t;
	int started = 0, rc = 0;

	for (; started < NSWEEPS; started++) {
		char *argv[] = {sve_path,	       "sweep",
				(char *)names[started], "--out",
				(char *)ctx->out_dir,  size[0],
				size[1],	       NULL};

		if (launch__start(argv, &quiet, -1, &l[started], e) < 0) {
			rc = -1;
			break;
		}
	}
	/* Reap every one started, even after a failure. */
	for (int i = 0; i < started; i++) {
		char what[64];
		struct cmd_result res;

		snprintf(what, sizeof(what), "shadow-vs-ept sweep %s",
			 names[i]);
		if (launch__finish(&l[i], what, &res, &t,
				   rc == 0 ? e : NULL) < 0) {
			rc = -1;
		} else if (rc == 0 && (!WIFEXITED(res.status) ||
				       WEXITSTATUS(res.status) != 0)) {
			err__set(e, 0, "%s sweep %s: failed (status %d)",
				 sve_path, names[i], res.status);
			rc = -1;
		}
		progress__update(&ctx->prog, i + 1, NSWEEPS);
	}
	if (rc < 0)
		return -1;
	json_object_set_new(result__data(r), "sweep_seconds",
			    json_real((double)(timing__now_ns() - t0) / 1e9));
	return 0;
}

static int paging_measure(struct bench_ctx *ctx, struct result *r,
			  struct isolab_err *e)
{
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
	int runs = ctx->quick ? 1 : ctx->runs < 5 ? ctx->runs : 5, rc = -1;
	int warmup = ctx->quick ? 0 : 1;

	json_object_set_new(result__params(r), "sweep",
			    json_string(ctx->quick
						? "shadow-vs-ept sweep all --quick"
						: "shadow-vs-ept sweep all "
						  "--accesses 500000"));
	json_object_set_new(
		result__params(r), "speed",
		json_string("shadow-vs-ept --mode nested --workload "
			    "random:pages=1600,accesses=20000000"));
	json_object_set_new(result__params(r), "speed_runs",
			    json_integer(runs));
	json_object_set_new(result__params(r), "speed_warmup",
			    json_integer(warmup));
	json_object_set_new(result__params(r), "quick",
			    json_boolean(ctx->quick));
	if (ctx->quick)
		json_object_set_new(
			result__params(r), "quick_cut",
			json_string("sweeps --quick: crossover on 2048 pages "
				    "(8 MiB) instead of 8192 with 100 k "
				    "accesses instead of 2 M; walkcache 200 k "
				    "accesses instead of 2 M; largepages on "
				    "16384 pages (64 MiB) instead of 65536, "
				    "200 k accesses; shadowmem up to 64 "
				    "processes instead of 128, 2000 accesses "
				    "per process instead of 20000; speed "
				    "measured once without a warm-up"));
	progress__step(&ctx->prog, "paging:sweeps");
	if (paging_sweeps(ctx, r, e) < 0)
		goto out;
	paging_attach(r, ctx->out_dir, "crossover");
	paging_attach(r, ctx->out_dir, "walkcache");
	paging_attach(r, ctx->out_dir, "shadowmem");
	paging_attach(r, ctx->out_dir, "largepages");
	/* Wall time and the child's user CPU time of each run (wait4's
	 * rusage): on a loaded machine the CPU time is the "one core"
	 * figure, the wall time shows the contention. */
	progress__step(&ctx->prog, "paging:speed");
	for (int i = -warmup; i < runs; i++) {
		if (timing__cmd_once(speed, &quiet, &res, e) < 0)
			goto out;
		if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0) {
			err__set(e, 0, "%s --mode nested: failed (status %d)",
				 sve_path, res.status);
			goto out;
		}
		progress__tick(&ctx->prog, i, runs);
		if (i < 0) /* the warm-up run */
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
