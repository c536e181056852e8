/*
 * workload_run.c - Measuring the shared workloads: every approach's way of
 * launching one workload, in interleaved rounds (approach__measure_shared,
 * approach__measure_workload in approach.h).
 *
 * Every approach launches the same workload sources its own way (a static
 * binary, a container, a VM, a Wasm module); this is the one place that
 * turns such a launch into figures, so they mean the same for all: time
 * to the "ready" mark (start-up), ready to "done" (the computation), and
 * launch to exit, all stamped by the harness, plus the checksum the
 * workload printed, which must agree across runs and approaches.  All
 * approaches run a workload in the same rounds, one run of each per round
 * in a new order (bench/lib/interleave.h), so the load of this shared
 * machine hits them alike and their ratios hold within the run.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "approach.h"
#include "interleave.h"
#include "marks.h"
#include "stats.h"

/* Start-ups run in blocks of this many consecutive runs of one approach
 * (wl_round says why). */
#define WL_STARTUP_BLOCK 10

/* One arm's figures while its rounds run. */
struct wl_series {
	struct samples ready, compute, exit, rss;
	char sum[40]; /* the first checksum it printed */
	bool dropped;
	struct isolab_err why; /* why it was dropped */
};

static void wl_series_free(struct wl_series *s)
{
	samples__free(&s->ready);
	samples__free(&s->compute);
	samples__free(&s->exit);
	samples__free(&s->rss);
}

int wl_arm__argv(struct wl_arm *arm, const char *series, ...)
{
	size_t used = 0, k = 0;
	const char *a;
	va_list ap;

	arm->series = series;
	va_start(ap, series);
	while ((a = va_arg(ap, const char *)) != NULL) {
		size_t len = strlen(a) + 1;

		if (k + 1 >= sizeof(arm->argv) / sizeof(arm->argv[0]) ||
		    used + len > sizeof(arm->store)) {
			va_end(ap);
			return -1;
		}
		memcpy(arm->store + used, a, len);
		arm->argv[k++] = arm->store + used;
		used += len;
	}
	va_end(ap);
	arm->argv[k] = NULL;
	return 0;
}

/* Check one run and append its figures (unless it is a warm-up); the
 * first checksum seen is kept in s->sum, later ones must match it. */
static int take_run(const char *name, const struct mark_run *m, bool keep,
		    struct wl_series *s, struct isolab_err *e)
{
	uint64_t ready = marks__at(m, "ready"), done = marks__at(m, "done");
	char cs[40];

	if (!WIFEXITED(m->res.status) || WEXITSTATUS(m->res.status) != 0)
		return err__set(e, 0, "%s: exit status %d%s", name,
				WIFEXITED(m->res.status)
					? WEXITSTATUS(m->res.status)
					: 128 + WTERMSIG(m->res.status),
				WIFSIGNALED(m->res.status) ? " (signal)" : "");
	if (!ready || !done || done < ready)
		return err__set(e, 0, "%s: no ready and done marks", name);
	if (marks__checksum(m, cs, sizeof(cs)) < 0)
		return err__set(e, 0, "%s: printed no checksum", name);
	if (!s->sum[0])
		snprintf(s->sum, sizeof(s->sum), "%s", cs);
	else if (strcmp(s->sum, cs) != 0)
		return err__set(e, 0, "%s: checksum %s, earlier run %s", name,
				cs, s->sum);
	if (!keep)
		return 0;
	if (samples__push(&s->ready, (double)ready) < 0 ||
	    samples__push(&s->compute, (double)(done - ready)) < 0 ||
	    samples__push(&s->exit, (double)m->res.elapsed_ns) < 0 ||
	    samples__push(&s->rss, (double)m->res.maxrss_kib) < 0)
		return err__set(e, ENOMEM, "%s: samples", name);
	return 0;
}

/* What the rounds of one workload share. */
struct wl_rounds {
	struct bench_ctx *ctx;
	const char *w;
	struct wl_arm *arms;
	struct wl_series *s;
	int block; /* measured runs of an arm per round (the last: fewer) */
	int runs;  /* measured runs of each arm in all */
};

/* One launch of arm, kept (measured) or not. */
static int wl_launch(struct wl_rounds *wr, size_t arm, bool keep,
		     struct isolab_err *e)
{
	static const struct cmd_opts opts = { .stdin_path = "/dev/null",
					      .stderr_path = "/dev/null",
					      .timeout_s = 300 };
	struct mark_run m;
	char name[128];
	int rc;

	snprintf(name, sizeof(name), "%s:%s", wr->arms[arm].series, wr->w);
	if (marks__run(wr->arms[arm].argv, &opts, &m, e) < 0)
		return -1;
	rc = take_run(name, &m, keep, &wr->s[arm], e);
	/* A failing engine (node without node:wasi, say): say why. */
	if (rc < 0 &&
	    (!WIFEXITED(m.res.status) || WEXITSTATUS(m.res.status) != 0))
		timing__explain(wr->arms[arm].argv, &opts, e);
	marks__free(&m);
	return rc;
}

/* Arm's turn in a round: one run, or with blocks, one unmeasured run and
 * then this round's share of the block.  A start-up of a few ms is slowed
 * by what the approach before it left behind (a container's cgroup and
 * namespaces are torn down by kernel workers after it exits, on the same
 * two cores), so start-ups run in blocks after a settling run; long
 * computations need no block. */
static int wl_round(void *arg, size_t arm, int round, struct isolab_err *e)
{
	struct wl_rounds *wr = arg;
	int n = wr->block;

	if (wr->block == 1)
		return wl_launch(wr, arm, round >= 0, e);
	if (round >= 0 && (round + 1) * wr->block > wr->runs)
		n = wr->runs - round * wr->block;
	if (wl_launch(wr, arm, false, e) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (wl_launch(wr, arm, round >= 0, e) < 0)
			return -1;
	return 0;
}

static void wl_dropped(void *arg, size_t arm, const struct isolab_err *e)
{
	struct wl_rounds *wr = arg;

	wr->s[arm].dropped = true;
	wr->s[arm].why = *e;
}

static void wl_tick(void *arg, int round, int rounds)
{
	struct wl_rounds *wr = arg;
	int done = round < 0 ? round : (round + 1) * wr->block - 1;

	(void)rounds;
	progress__tick(&wr->ctx->prog, done < wr->runs ? done : wr->runs - 1,
		       wr->runs);
}

/* Add arm's series and checksum to its result. */
static int wl_record(const struct wl_arm *arm, const char *w,
		     struct wl_series *s, struct isolab_err *e)
{
	const char *metric[] = { "start_to_ready", "compute", "start_to_exit",
				 "peak_rss" };
	struct samples *series[] = { &s->ready, &s->compute, &s->exit,
				     &s->rss };
	json_t *sums;

	for (int k = 0; k < 4; k++) {
		struct series_desc d = { arm->series, w, metric[k],
					 k == 3 ? "KiB" : "ns" };

		/* hello computes nothing between its marks: the interval is
		 * below what stamping at arrival resolves (marks.h). */
		if (k == 1 && strcmp(w, "hello") == 0)
			continue;
		if (result__add_series(arm->r, &d, series[k], e) < 0)
			return -1;
	}
	sums = json_object_get(result__data(arm->r), "checksums");
	if (!sums) {
		sums = json_object();
		json_object_set_new(result__data(arm->r), "checksums", sums);
	}
	/* Several arms in one result (wasm, wasm-node) print the same
	 * workload: the result's own engine's checksum is the one kept. */
	if (!json_object_get(sums, w) ||
	    strcmp(arm->series, result__name(arm->r)) == 0)
		json_object_set_new(sums, w, json_string(s->sum));
	return 0;
}

/* Workload w over arms[0..n), interleaved, block measured runs of each
 * arm per round (wl_round).  An arm that failed is recorded as skipped in
 * its result, with its error, unless one_arm: then its error is the
 * call's.  Returns 0 or -1. */
static int wl_measure_arms(struct bench_ctx *ctx, const char *w,
			   struct wl_arm *arms, size_t n, int warmup, int runs,
			   int block, bool one_arm, struct isolab_err *e)
{
	struct wl_series s[INTERLEAVE_MAX_ARMS];
	struct wl_rounds wr = { ctx, w, arms, s, block, runs };
	uint64_t seed = 42;
	int rc = 0;

	if (n > INTERLEAVE_MAX_ARMS)
		return err__set(e, 0, "%s: %zu arms, at most %d", w, n,
				INTERLEAVE_MAX_ARMS);
	memset(s, 0, sizeof(s));
	for (const char *c = w; *c; c++) /* each workload its own orders */
		seed = seed * 31 + (unsigned char)*c;
	interleave__rounds(n, block > 1 ? (warmup > 0) : warmup,
			   (runs + block - 1) / block, seed, wl_round,
			   wl_dropped, wl_tick, &wr);
	for (size_t i = 0; i < n; i++) {
		char what[128];

		snprintf(what, sizeof(what), "%s:%s", arms[i].series, w);
		if (rc == 0 && !s[i].dropped) {
			rc = wl_record(&arms[i], w, &s[i], e);
		} else if (rc == 0 && one_arm) {
			*e = s[i].why;
			rc = -1;
		} else if (rc == 0) {
			fprintf(stderr, "isobench: %s\n", s[i].why.msg);
			result__add_skip(arms[i].r, what, s[i].why.msg);
		}
		wl_series_free(&s[i]);
	}
	return rc;
}

int approach__measure_shared(struct bench_ctx *ctx,
			     const struct approach_ops *const *approaches,
			     struct result *const *results, size_t n,
			     struct isolab_err *e)
{
	struct wl_arm *arms = calloc(INTERLEAVE_MAX_ARMS, sizeof(*arms));
	int rc = 0;

	if (!arms)
		return err__set(e, ENOMEM, "workload arms");
	for (size_t i = 0; rc == 0 && bench_workloads[i]; i++) {
		const char *w = bench_workloads[i];
		bool hello = approach__startup_workload(w);
		char label[64];
		size_t k = 0;

		if (!approach__wants(ctx, w))
			continue;
		for (size_t a = 0; a < n; a++) {
			int got;

			if (!results[a] || !approaches[a]->arms)
				continue;
			got = approaches[a]->arms(ctx, w, arms + k,
						  INTERLEAVE_MAX_ARMS - (int)k);
			for (int j = 0; j < got; j++)
				arms[k + j].r = results[a];
			k += got > 0 ? (size_t)got : 0;
		}
		snprintf(label, sizeof(label), "%s (%zu arm%s)", w, k,
			 k == 1 ? "" : "s");
		progress__step(&ctx->prog, label);
		if (k)
			rc = wl_measure_arms(ctx, w, arms, k,
					     hello ? ctx->warmup : 1,
					     hello ? ctx->runs
						   : ctx->compute_runs,
					     hello ? WL_STARTUP_BLOCK : 1,
					     false, e);
	}
	free(arms);
	return rc;
}

int approach__measure_workload(struct bench_ctx *ctx, struct result *r,
			       const char *approach, const char *w,
			       char *const argv[], int warmup, int runs,
			       struct isolab_err *e)
{
	struct wl_arm *arm = calloc(1, sizeof(*arm));
	size_t k = 0;
	int rc;

	if (!arm)
		return err__set(e, ENOMEM, "%s:%s", approach, w);
	arm->series = approach;
	arm->r = r;
	for (; argv[k] && k + 1 < sizeof(arm->argv) / sizeof(arm->argv[0]);
	     k++)
		arm->argv[k] = argv[k];
	arm->argv[k] = NULL;
	rc = wl_measure_arms(ctx, w, arm, 1, warmup, runs, 1, true, e);
	free(arm);
	return rc;
}

double approach__median(const struct bench_ctx *ctx, const char *name)
{
	double m = NAN;

	for (size_t i = 0; i < ctx->nresults && isnan(m); i++) {
		const struct result *r = ctx->results[i];

		for (size_t k = 0; r && k < result__series_count(r); k++) {
			struct isolab_err e;
			struct series_view v;

			if (result__series(r, k, &v, &e) < 0)
				continue;
			if (strcmp(v.name, name) == 0)
				m = v.st.median;
			samples__free(&v.values);
		}
	}
	return m;
}
