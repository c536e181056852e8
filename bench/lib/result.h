/*
 * result.h - One benchmark result: metadata, parameters, measured series
 * and skipped parts, written to and read back from JSON (jansson).
 *
 * The file format is docs/results-schema.md (schema_version 1).  A series
 * keeps every raw sample and its summary statistics, so a reader can check
 * or recompute any figure.  Components with figures of their own (counters
 * of a simulator, exit counts of the VMM) put them under "data".
 */
#ifndef ISOLAB_RESULT_H
#define ISOLAB_RESULT_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"
#include "meta.h"
#include "samples.h"
#include "stats.h"

#define RESULT_SCHEMA_VERSION 1

struct result;

/* What a series measures, e.g. {"native", "true", "start_to_exit", "ns"}. */
struct series_desc {
	const char *approach; /* native, container, vm, wasm, ... */
	const char *workload; /* what ran */
	const char *metric;   /* start_to_exit, peak_rss, ... */
	const char *unit;     /* ns, KiB, ratio, count, ... */
};

/* A series as read back: names borrowed from the result, stats computed
 * from the samples. */
struct series_view {
	struct series_desc desc;
	const char *name;      /* "approach:workload:metric" */
	struct samples values; /* owned by the caller: samples__free() */
	struct stats st;
};

/* A new result named name (the file stem) with a one-line title and the
 * machine metadata m.  Returns NULL if out of memory. */
struct result *result__create(const char *name, const char *title,
			      const struct meta *m);
void result__destroy(struct result *r);

/* The result's "params" and "data" objects (borrowed), for the caller to
 * fill with json_object_set_new(). */
json_t *result__params(struct result *r);
json_t *result__data(struct result *r);
const char *result__name(const struct result *r);

/* The whole result as JSON (borrowed), for readers of fields beyond the
 * accessors here (e.g. meta). */
json_t *result__json(const struct result *r);

/* Append a series of s->n >= 1 samples with their statistics.  Returns 0,
 * or -1 if s is empty or out of memory. */
int result__add_series(struct result *r, const struct series_desc *d,
		       const struct samples *s, struct isolab_err *e);

/* Record that `what` was not measured and why (shown in tables and plots,
 * never silently dropped). */
int result__add_skip(struct result *r, const char *what, const char *reason);

/* Write r to path (written to a temporary file and renamed, so a reader
 * never sees half a file).  The directory must exist: a mistyped path is an
 * error, not a new directory (result__mkdirs makes one on purpose).
 * Returns 0 or -1. */
int result__write(const struct result *r, const char *path,
		  struct isolab_err *e);

/* Read and check a result file.  Returns NULL with e filled when the file
 * is unreadable, not JSON, of another schema_version, or lacks a required
 * field. */
struct result *result__read(const char *path, struct isolab_err *e);

size_t result__series_count(const struct result *r);

/* Series i (0-based) into v.  Returns 0, or -1 if i is out of range or its
 * samples are not numbers. */
int result__series(const struct result *r, size_t i, struct series_view *v,
		   struct isolab_err *e);

size_t result__skip_count(const struct result *r);
/* Skipped part i: what and why (borrowed).  Returns 0 or -1. */
int result__skip(const struct result *r, size_t i, const char **what,
		 const char **reason);

/* Every result file (*.json) of a directory, sorted by file name. */
struct result_set {
	struct result **r;
	size_t n;
};

/* Read all result files of dir into set.  Returns 0, or -1 if dir can't be
 * read, has no result file, or one of them is not a valid result (e names
 * it).  Free with result__free_set(). */
int result__load_dir(const char *dir, struct result_set *set,
		     struct isolab_err *e);
void result__free_set(struct result_set *set);

/* mkdir -p: create dir and its missing parents.  Returns 0 or -1. */
int result__mkdirs(const char *dir, struct isolab_err *e);

#endif
