/*
 * report.h - A run's counters as text and as JSON (see report.c).
 */
#ifndef SVE_REPORT_H
#define SVE_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "err.h"

struct sim;

/* The counters as the lecture names them, one per line, to f. */
void report__print(const struct sim *s, FILE *f);

/* The counters as a JSON object (new reference): the top-level summary
 * (mode, accesses, tlb_misses, walk_refs, vm_exits, guest_page_faults,
 * shadow_pages, ept_pages, modeled_cycles) and the detail. */
json_t *report__json(const struct sim *s);

/* Write s's result to path through the harness (metadata, params = the
 * configuration, data = the counters), with the summary also at the top
 * level of the file.  workload names what ran.  Returns 0 or -1. */
int report__write(const struct sim *s, const char *workload, const char *path,
		  struct isolab_err *e);

#endif
