/*
 * stats.h - Summary statistics over a set of samples.
 *
 * Definitions (the ones docs/results-schema.md promises):
 *  - median and percentiles: linear interpolation between closest ranks
 *    (Hyndman & Fan type 7, the default of NumPy, R and Excel's
 *    PERCENTILE.INC): on sorted x[0..n-1], p in [0,1], h = (n-1)p,
 *    value = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]);
 *  - stddev: the sample standard deviation (divides by n-1; 0 for n = 1);
 *  - mad: the median absolute deviation from the median, unscaled;
 *  - outliers: samples with |x - median| > 3 * 1.4826 * mad (three MADs
 *    scaled to one normal standard deviation).  With mad = 0 any sample
 *    that differs from the median counts.
 */
#ifndef ISOLAB_STATS_H
#define ISOLAB_STATS_H

#include <stddef.h>

#define STATS_OUTLIER_MADS 3.0
#define STATS_MAD_TO_SIGMA 1.4826 /* 1 / Phi^-1(3/4): MAD of N(0,1) */

struct stats {
	size_t n;
	double min, max, mean, median, stddev;
	double p5, p95, p99;
	double mad;
	size_t outliers;
};

/* Percentile p in [0,1] of sorted[0..n-1], n >= 1, by the type-7 rule. */
double stats__percentile(const double *sorted, size_t n, double p);

/* Summarise v[0..n-1] (v is not modified).  Returns 0, or -1 if n is 0 or
 * memory for a sorted copy couldn't be had. */
int stats__compute(const double *v, size_t n, struct stats *out);

/* Mann-Whitney U test: are samples a and b drawn from the same
 * distribution, or is one shifted?  Returns the two-sided p-value by the
 * normal approximation with the tie correction (as benchstat does for
 * benchmark comparisons; fine from about 8 samples a side), or -1 if either
 * side is empty or out of memory.  p < 0.01 means the difference is very
 * unlikely to be noise. */
double stats__mann_whitney_p(const double *a, size_t na, const double *b,
			     size_t nb);

#endif
