/*
 * report.c - Tables and plots from a directory of result files (see
 * report.h).
 */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "approach.h"
#include "plot.h"
#include "result.h"

void report__fmt_value(char *buf, size_t len, double v, const char *unit,
		       double ns_scale, const char *ns_unit)
{
	if (strcmp(unit, "ns") == 0)
		snprintf(buf, len, "%.1f %s", v / ns_scale, ns_unit);
	else if (strcmp(unit, "KiB") == 0 && v >= 10240)
		snprintf(buf, len, "%.1f MiB", v / 1024);
	else
		snprintf(buf, len, "%.4g %s", v, unit);
}

static void table_row(FILE *out, const struct series_view *v)
{
	double scale = 1;
	const char *u = plot__time_unit(v->st.median, &scale);
	char med[32], p5[32], p95[32], mad[32];

	report__fmt_value(med, sizeof(med), v->st.median, v->desc.unit, scale, u);
	report__fmt_value(p5, sizeof(p5), v->st.p5, v->desc.unit, scale, u);
	report__fmt_value(p95, sizeof(p95), v->st.p95, v->desc.unit, scale, u);
	report__fmt_value(mad, sizeof(mad), v->st.mad, v->desc.unit, scale, u);
	fprintf(out, "%-10s %-12s %-16s %5zu %12s %12s %12s %11s %8zu\n",
		v->desc.approach ? v->desc.approach : "?",
		v->desc.workload ? v->desc.workload : "?",
		v->desc.metric ? v->desc.metric : "?", v->st.n, med, p5, p95,
		mad, v->st.outliers);
}

int report__table(FILE *out, const char *dir, struct isolab_err *e)
{
	struct result_set l;
	struct series_view v;

	if (result__load_dir(dir, &l, e) < 0)
		return -1;
	fprintf(out, "%-10s %-12s %-16s %5s %12s %12s %12s %11s %8s\n",
		"approach", "workload", "metric", "runs", "median", "p5", "p95",
		"MAD", "outliers");
	for (size_t i = 0; i < l.n; i++) {
		for (size_t k = 0; k < result__series_count(l.r[i]); k++) {
			if (result__series(l.r[i], k, &v, e) < 0) {
				result__free_set(&l);
				return -1;
			}
			table_row(out, &v);
			samples__free(&v.values);
		}
	}
	for (size_t i = 0; i < l.n; i++) {
		for (size_t k = 0; k < result__skip_count(l.r[i]); k++) {
			const char *what, *why;

			if (result__skip(l.r[i], k, &what, &why) == 0)
				fprintf(out, "skipped: %s: %s\n", what, why);
		}
	}
	result__free_set(&l);
	return 0;
}

/* Series of unit ns and that metric (with startup_only, of start-up
 * workloads only) of result r, appended to s; their values are owned by
 * vs. */
static int collect_ns(const struct result *r, const char *metric,
		      bool startup_only, struct series_view *vs,
		      struct plot_series *s, size_t *n, size_t max,
		      struct isolab_err *e)
{
	for (size_t k = 0; k < result__series_count(r) && *n < max; k++) {
		struct series_view *v = &vs[*n];

		if (result__series(r, k, v, e) < 0)
			return -1;
		if (strcmp(v->desc.unit, "ns") != 0 ||
		    strcmp(v->desc.metric, metric) != 0 ||
		    (startup_only &&
		     !approach__startup_workload(v->desc.workload))) {
			samples__free(&v->values);
			continue;
		}
		s[*n] = (struct plot_series){ v->name, v->values.v,
					      v->values.n };
		(*n)++;
	}
	return 0;
}

#define REPORT_MAX_SERIES 64

static void views_free(struct series_view *vs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		samples__free(&vs[i].values);
}

/* The scale that suits the median of the first series. */
static const char *series_unit(const struct series_view *v, double *scale,
			       char *label, size_t len, const char *what)
{
	const char *u = plot__time_unit(v->st.median, scale);

	snprintf(label, len, "%s (%s)", what, u);
	return u;
}

int report__plot(const char *dir, struct isolab_err *e)
{
	struct result_set l;
	struct series_view vs[REPORT_MAX_SERIES];
	struct plot_series s[REPORT_MAX_SERIES];
	char base[4400], title[256], label[64];
	char bar_label[REPORT_MAX_SERIES][96];
	const char *owner[REPORT_MAX_SERIES];
	double scale;
	size_t n;
	int rc = -1;

	if (result__load_dir(dir, &l, e) < 0)
		return -1;
	for (size_t i = 0; i < l.n; i++) {
		n = 0;
		if (collect_ns(l.r[i], "start_to_exit", false, vs, s, &n,
			       REPORT_MAX_SERIES, e) < 0) {
			views_free(vs, n);
			goto out;
		}
		if (n == 0)
			continue;
		series_unit(&vs[0], &scale, label, sizeof(label),
			    "start to exit, log scale");
		snprintf(base, sizeof(base), "%s/%s", dir, result__name(l.r[i]));
		snprintf(title, sizeof(title),
			 "%s: distribution of start-to-exit times",
			 result__name(l.r[i]));
		rc = plot__cdf(base, title, label, s, n, scale, e);
		views_free(vs, n);
		if (rc < 0)
			goto out;
	}
	n = 0;
	for (size_t i = 0; i < l.n; i++) {
		size_t before = n;

		if (collect_ns(l.r[i], "start_to_exit", true, vs, s, &n,
			       REPORT_MAX_SERIES, e) < 0) {
			views_free(vs, n);
			goto out;
		}
		for (size_t k = before; k < n; k++)
			owner[k] = result__name(l.r[i]);
	}
	rc = 0;
	/* Bars are named approach:workload, and where a peer was measured in
	 * another approach's run (interleaved with it), @that run. */
	for (size_t i = 0; i < n; i++) {
		const char *res = strrchr(vs[i].name, ':');
		size_t alen = strcspn(vs[i].name, ":");

		snprintf(bar_label[i], sizeof(bar_label[i]), "%.*s",
			 (int)(res - vs[i].name), vs[i].name);
		if (strlen(owner[i]) != alen ||
		    strncmp(owner[i], vs[i].name, alen) != 0) {
			size_t used = strlen(bar_label[i]);

			snprintf(bar_label[i] + used,
				 sizeof(bar_label[i]) - used, "@%s", owner[i]);
		}
		s[i].label = bar_label[i];
	}
	if (n > 0) {
		/* One scale for all: the smallest median's unit, on a log
		 * axis, since start-up spans microseconds to seconds. */
		size_t min = 0;

		for (size_t i = 1; i < n; i++)
			if (vs[i].st.median < vs[min].st.median)
				min = i;
		series_unit(&vs[min], &scale, label, sizeof(label),
			    "start to exit, median, log scale");
		snprintf(base, sizeof(base), "%s/start_to_exit", dir);
		rc = plot__bars(base,
				"Start-up: launch to exit of a program that "
				"does nothing, by approach",
				label, s, n, scale, e);
	}
	views_free(vs, n);
out:
	result__free_set(&l);
	return rc;
}
