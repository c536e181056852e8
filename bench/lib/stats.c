/*
 * stats.c - Summary statistics (definitions in stats.h).
 */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double stats__percentile(const double *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)floor(h);

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

int stats__compute(const double *v, size_t n, struct stats *out)
{
	double *s, sum = 0, sq = 0, limit;

	if (n == 0)
		return -1;
	s = malloc(n * sizeof(*s));
	if (!s)
		return -1;
	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);

	memset(out, 0, sizeof(*out));
	out->n = n;
	out->min = s[0];
	out->max = s[n - 1];
	out->median = stats__percentile(s, n, 0.5);
	out->p5 = stats__percentile(s, n, 0.05);
	out->p95 = stats__percentile(s, n, 0.95);
	out->p99 = stats__percentile(s, n, 0.99);
	for (size_t i = 0; i < n; i++)
		sum += s[i];
	out->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += (s[i] - out->mean) * (s[i] - out->mean);
	out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;

	/* Reuse the copy for the absolute deviations. */
	for (size_t i = 0; i < n; i++)
		s[i] = fabs(v[i] - out->median);
	qsort(s, n, sizeof(*s), cmp_double);
	out->mad = stats__percentile(s, n, 0.5);
	limit = STATS_OUTLIER_MADS * STATS_MAD_TO_SIGMA * out->mad;
	for (size_t i = 0; i < n; i++)
		if (s[i] > limit)
			out->outliers++;
	free(s);
	return 0;
}
