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
 * DIR/start_to_exit.png/.svg (medians of every start_to_exit series).
 * Returns 0 or -1. */
int report__plot(const char *dir, struct isolab_err *e);

#endif
