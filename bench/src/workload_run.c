/*
 * workload_run.c - Measuring one approach running one shared workload
 * (see approach__measure_workload in approach.h).
 *
 * Every approach launches the same workload sources its own way (a static
 * binary, a container, a VM, a Wasm module); this is the one place that
 * turns such a launch into figures, so they mean the same for all: time
 * to the "ready" mark (start-up), ready to "done" (the computation), and
 * launch to exit, all stamped by the harness, plus the checksum the
 * workload printed, which must agree across runs and approaches.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "approach.h"
#include "marks.h"

struct wl_series {
	struct samples ready, compute, exit, rss;
};

static void wl_series_free(struct wl_series *s)
{
	samples__free(&s->ready);
	samples__free(&s->compute);
	samples__free(&s->exit);
	samples__free(&s->rss);
}

/* Check one run and append its figures; the first checksum seen is kept
 * in sum, later ones must match it. */
static int take_run(const char *name, const struct mark_run *m, bool keep,
		    char *sum, size_t sumlen, struct wl_series *s,
		    struct isolab_err *e)
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
	if (!sum[0])
		snprintf(sum, sumlen, "%s", cs);
	else if (strcmp(sum, cs) != 0)
		return err__set(e, 0, "%s: checksum %s, earlier run %s", name,
				cs, sum);
	if (!keep)
		return 0;
	if (samples__push(&s->ready, (double)ready) < 0 ||
	    samples__push(&s->compute, (double)(done - ready)) < 0 ||
	    samples__push(&s->exit, (double)m->res.elapsed_ns) < 0 ||
	    samples__push(&s->rss, (double)m->res.maxrss_kib) < 0)
		return err__set(e, ENOMEM, "%s: samples", name);
	return 0;
}

int approach__measure_workload(struct bench_ctx *ctx, struct result *r,
			       const char *approach, const char *w,
			       char *const argv[], int runs,
			       struct isolab_err *e)
{
	static const struct cmd_opts opts = { .stdin_path = "/dev/null",
					      .stderr_path = "/dev/null",
					      .timeout_s = 300 };
	struct wl_series s = { SAMPLES_INIT, SAMPLES_INIT, SAMPLES_INIT,
			       SAMPLES_INIT };
	const char *metric[] = { "start_to_ready", "compute", "start_to_exit",
				 "peak_rss" };
	struct samples *series[] = { &s.ready, &s.compute, &s.exit, &s.rss };
	char name[128], sum[40] = "";
	json_t *sums;
	int rc = -1;

	snprintf(name, sizeof(name), "%s:%s", approach, w);
	for (int i = -1; i < runs; i++) { /* run -1 is the warm-up */
		struct mark_run m;

		if (marks__run(argv, &opts, &m, e) < 0)
			goto out;
		rc = take_run(name, &m, i >= 0, sum, sizeof(sum), &s, e);
		marks__free(&m);
		if (rc < 0)
			goto out;
		rc = -1;
		progress__tick(&ctx->prog, i, runs);
	}
	for (int k = 0; k < 4; k++) {
		struct series_desc d = { approach, w, metric[k],
					 k == 3 ? "KiB" : "ns" };

		/* hello computes nothing between its marks: the interval is
		 * below what stamping at arrival resolves (marks.h). */
		if (k == 1 && strcmp(w, "hello") == 0)
			continue;
		if (result__add_series(r, &d, series[k], e) < 0)
			goto out;
	}
	sums = json_object_get(result__data(r), "checksums");
	if (!sums) {
		sums = json_object();
		json_object_set_new(result__data(r), "checksums", sums);
	}
	json_object_set_new(sums, w, json_string(sum));
	rc = 0;
out:
	wl_series_free(&s);
	return rc;
}
