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

/* A value with the side it came from, for ranking both samples together. */
struct tagged {
	double v;
	int side;
};

static int cmp_tagged(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v;
	double y = ((const struct tagged *)b)->v;

	return (x > y) - (x < y);
}

double stats__mann_whitney_p(const double *a, size_t na, const double *b,
			     size_t nb)
{
	size_t n = na + nb;
	struct tagged *t;
	double rank_a = 0, ties = 0, u, mu, sigma, z;

	if (na == 0 || nb == 0)
		return -1;
	t = malloc(n * sizeof(*t));
	if (!t)
		return -1;
	for (size_t i = 0; i < na; i++)
		t[i] = (struct tagged){ a[i], 0 };
	for (size_t i = 0; i < nb; i++)
		t[na + i] = (struct tagged){ b[i], 1 };
	qsort(t, n, sizeof(*t), cmp_tagged);
	/* Equal values share the mean of their ranks (1-based). */
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && t[j + 1].v == t[i].v)
			j++;
		double rank = (double)(i + j + 2) / 2, k = (double)(j - i + 1);

		for (size_t m = i; m <= j; m++)
			if (t[m].side == 0)
				rank_a += rank;
		ties += k * k * k - k;
		i = j + 1;
	}
	free(t);
	u = rank_a - (double)na * (double)(na + 1) / 2;
	mu = (double)na * (double)nb / 2;
	sigma = sqrt((double)na * (double)nb / 12 *
		     ((double)(n + 1) - ties / ((double)n * (double)(n - 1))));
	if (sigma == 0)
		return 1; /* every value equal: no evidence of a shift */
	/* Continuity correction of 0.5 toward the mean. */
	z = (fabs(u - mu) - 0.5) / sigma;
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2));
}
