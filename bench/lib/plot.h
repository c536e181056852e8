/*
 * plot.h - Plots through gnuplot: the harness writes the data and a
 * self-contained gnuplot script beside it, then runs gnuplot to PNG and SVG.
 *
 * The scripts are templates in bench/plots/ (cdf.gp, bars.gp, and those of
 * the components).  The copy written next to the data begins with the
 * variables of this plot (title, axis labels, data file, output names), so
 * `gnuplot results/latest/NAME.gp` redraws it by hand.
 */
#ifndef ISOLAB_PLOT_H
#define ISOLAB_PLOT_H

#include <stddef.h>

#include "err.h"

/* One labelled set of values to draw. */
struct plot_series {
	const char *label;
	const double *v;
	size_t n;
};

/* Render template `script` (a file name in bench/plots/) for the data file
 * out_base.dat, which the caller has written: writes out_base.gp and runs
 * gnuplot to make out_base.png and out_base.svg.  vars are "name=value"
 * gnuplot assignments (strings quoted by the caller), NULL-terminated.
 * Returns 0, or -1 if the template, gnuplot or its output is missing. */
int plot__render(const char *script, const char *out_base,
		 const char *const vars[], struct isolab_err *e);

/* Empirical CDF of each series (values divided by scale, e.g. 1e6 for ns to
 * ms), x axis xlabel.  Writes out_base.{dat,gp,png,svg}.  Returns 0 or -1. */
int plot__cdf(const char *out_base, const char *title, const char *xlabel,
	      const struct plot_series *s, size_t ns, double scale,
	      struct isolab_err *e);

/* One bar per series at its median with a p5-p95 whisker, y axis ylabel.
 * Writes out_base.{dat,gp,png,svg}.  Returns 0 or -1. */
int plot__bars(const char *out_base, const char *title, const char *ylabel,
	       const struct plot_series *s, size_t ns, double scale,
	       struct isolab_err *e);

/* A display unit for nanosecond values around typical: sets *scale to the
 * divisor and returns "ns", "us" or "ms" or "s". */
const char *plot__time_unit(double typical_ns, double *scale);

/* Where bench/plots/ is: $ISOLAB_ROOT/bench/plots if set, else found by
 * walking up from this executable's directory.  Returns 0 with the path in
 * buf, or -1. */
int plot__scripts_dir(char *buf, size_t len, struct isolab_err *e);

#endif
