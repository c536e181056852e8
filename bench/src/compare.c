/*
 * compare.c - isobench compare DIR1 DIR2: two runs side by side.
 *
 * Medians alone mislead on a noisy machine: two runs of the same code
 * differ by a few percent by chance.  Each pair of series is therefore
 * judged by a Mann-Whitney U test on the raw samples (stats.h): a
 * difference is flagged only when p < COMPARE_ALPHA, that is, when noise
 * is a very unlikely explanation.
 */
#include "compare.h"

#include <string.h>

#include "plot.h"
#include "report.h"
#include "result.h"
#include "stats.h"

/* Series called name in any result of set, into v.  Returns 0 if found. */
static int find_series(const struct result_set *set, const char *name,
		       struct series_view *v)
{
	struct isolab_err e;

	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < result__series_count(set->r[i]); k++) {
			if (result__series(set->r[i], k, v, &e) < 0)
				continue;
			if (strcmp(v->name, name) == 0)
				return 0;
			samples__free(&v->values);
		}
	return -1;
}

/* Print "machine: FIELD: A -> B" for each metadata field that differs. */
static void compare_meta(FILE *out, const struct result_set *a,
			 const struct result_set *b)
{
	static const char *const fields[] = { "cpu_model", "cores", "kernel",
					      "cgroup_mode", "compiler",
					      "git_commit" };
	json_t *ma = json_object_get(result__json(a->r[0]), "meta");
	json_t *mb = json_object_get(result__json(b->r[0]), "meta");
	json_t *ka = json_object_get(json_object_get(ma, "kvm"), "backend");
	json_t *kb = json_object_get(json_object_get(mb, "kvm"), "backend");

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		json_t *x = json_object_get(ma, fields[i]);
		json_t *y = json_object_get(mb, fields[i]);

		if (!json_equal(x, y)) {
			char *sx = json_dumps(x, JSON_ENCODE_ANY);
			char *sy = json_dumps(y, JSON_ENCODE_ANY);

			fprintf(out, "machine: %s: %s -> %s\n", fields[i],
				sx ? sx : "?", sy ? sy : "?");
			free(sx);
			free(sy);
		}
	}
	if (!json_equal(ka, kb))
		fprintf(out, "machine: kvm backend: %s -> %s\n",
			json_string_value(ka) ? json_string_value(ka) : "?",
			json_string_value(kb) ? json_string_value(kb) : "?");
}

static void compare_row(FILE *out, const struct series_view *x,
			const struct series_view *y)
{
	double scale, p = stats__mann_whitney_p(x->values.v, x->values.n,
						 y->values.v, y->values.n);
	const char *u = plot__time_unit(x->st.median, &scale);
	double ratio = x->st.median != 0 ? y->st.median / x->st.median : 0;
	char ma[32], mb[32];
	const char *verdict = "same (within noise)";

	report__fmt_value(ma, sizeof(ma), x->st.median, x->desc.unit, scale, u);
	report__fmt_value(mb, sizeof(mb), y->st.median, y->desc.unit, scale, u);
	if (p >= 0 && p < COMPARE_ALPHA)
		verdict = ratio > 1 ? "HIGHER" : "LOWER";
	fprintf(out, "%-34s %12s %12s %7.3fx %9.2g  %s\n", x->name, ma, mb,
		ratio, p, verdict);
}

int compare__dirs(FILE *out, const char *a, const char *b,
		  struct isolab_err *e)
{
	struct result_set sa, sb;
	struct series_view x, y;

	if (result__load_dir(a, &sa, e) < 0)
		return -1;
	if (result__load_dir(b, &sb, e) < 0) {
		result__free_set(&sa);
		return -1;
	}
	fprintf(out, "A = %s, B = %s\n", a, b);
	compare_meta(out, &sa, &sb);
	fprintf(out, "%-34s %12s %12s %8s %9s  %s\n", "series", "median A",
		"median B", "B/A", "p", "verdict (Mann-Whitney, p < 0.01)");
	for (size_t i = 0; i < sa.n; i++)
		for (size_t k = 0; k < result__series_count(sa.r[i]); k++) {
			if (result__series(sa.r[i], k, &x, e) < 0)
				continue;
			if (find_series(&sb, x.name, &y) == 0) {
				compare_row(out, &x, &y);
				samples__free(&y.values);
			} else {
				fprintf(out, "%-34s only in A\n", x.name);
			}
			samples__free(&x.values);
		}
	for (size_t i = 0; i < sb.n; i++)
		for (size_t k = 0; k < result__series_count(sb.r[i]); k++) {
			if (result__series(sb.r[i], k, &y, e) < 0)
				continue;
			if (find_series(&sa, y.name, &x) == 0)
				samples__free(&x.values);
			else
				fprintf(out, "%-34s only in B\n", y.name);
			samples__free(&y.values);
		}
	result__free_set(&sa);
	result__free_set(&sb);
	return 0;
}
