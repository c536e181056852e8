/*
 * compare.h - Two results directories side by side (isobench compare):
 * two machines, two commits, or before and after a change.
 */
#ifndef ISOLAB_COMPARE_H
#define ISOLAB_COMPARE_H

#include <stdio.h>

#include "err.h"

/* For every series in both a and b: the two medians, their ratio b/a, and
 * the Mann-Whitney p-value, flagged when p < COMPARE_ALPHA; series in only
 * one of them are listed too; then how the machines differ.  Returns 0, or
 * -1 if a directory or a result in it can't be read. */
int compare__dirs(FILE *out, const char *a, const char *b,
		  struct isolab_err *e);

#define COMPARE_ALPHA 0.01

#endif
