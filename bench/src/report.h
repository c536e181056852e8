/*
 * report.h - What isobench shows from a directory of results: a table on
 * stdout and plots beside the JSON.  Both read the JSON files back, so a
 * table or plot always shows what was written, and `isobench plot DIR`
 * redraws any earlier run.
 */
#ifndef ISOLAB_REPORT_H
#define ISOLAB_REPORT_H

#include <stdio.h>

#include "err.h"

/* Print every series and skipped part of the results in dir.  Returns 0,
 * or -1 if dir or a result in it can't be read. */
int report__table(FILE *out, const char *dir, struct isolab_err *e);

/* Draw DIR/<result>.png/.svg (CDF of each result's start_to_exit series) and
 * DIR/start_to_exit.png/.svg (medians of the start_to_exit series of the
 * start-up workloads, true and hello*, across approaches).
 * Returns 0 or -1. */
int report__plot(const char *dir, struct isolab_err *e);

/* "412.3 us", "1.9 MiB": value v of a series in unit, made readable;
 * times (unit "ns") are shown divided by ns_scale in ns_unit (from
 * plot__time_unit). */
void report__fmt_value(char *buf, size_t len, double v, const char *unit,
		       double ns_scale, const char *ns_unit);

#endif
