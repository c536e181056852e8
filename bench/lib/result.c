/*
 * result.c - Benchmark results as JSON through jansson (see result.h and
 * docs/results-schema.md).  The struct is a thin owner of the JSON tree:
 * what is in memory is exactly what is written.
 */
#define _GNU_SOURCE
#include "result.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct result {
	json_t *root;
};

static json_t *stats_json(const struct stats *st)
{
	return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f,"
			 " s:I}",
			 "n", (json_int_t)st->n, "min", st->min, "max", st->max,
			 "mean", st->mean, "median", st->median, "stddev",
			 st->stddev, "p5", st->p5, "p95", st->p95, "p99",
			 st->p99, "mad", st->mad, "outliers",
			 (json_int_t)st->outliers);
}

struct result *result__create(const char *name, const char *title,
			      const struct meta *m)
{
	struct result *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->root = json_pack("{s:i, s:s, s:s, s:o, s:{}, s:[], s:[], s:{}}",
			    "schema_version", RESULT_SCHEMA_VERSION, "name",
			    name, "title", title, "meta", meta__to_json(m),
			    "params", "series", "skipped", "data");
	if (!r->root) {
		free(r);
		return NULL;
	}
	return r;
}

void result__destroy(struct result *r)
{
	if (!r)
		return;
	json_decref(r->root);
	free(r);
}

json_t *result__params(struct result *r)
{
	return json_object_get(r->root, "params");
}

json_t *result__data(struct result *r)
{
	return json_object_get(r->root, "data");
}

json_t *result__json(const struct result *r)
{
	return r->root;
}

const char *result__name(const struct result *r)
{
	return json_string_value(json_object_get(r->root, "name"));
}

int result__add_series(struct result *r, const struct series_desc *d,
		       const struct samples *s, struct isolab_err *e)
{
	struct stats st;
	char name[256];
	json_t *vals, *series;

	if (s->n == 0 || stats__compute(s->v, s->n, &st) < 0)
		return err__set(e, 0, "%s:%s:%s: no samples", d->approach,
				d->workload, d->metric);
	snprintf(name, sizeof(name), "%s:%s:%s", d->approach, d->workload,
		 d->metric);
	vals = json_array();
	for (size_t i = 0; vals && i < s->n; i++)
		if (json_array_append_new(vals, json_real(s->v[i])) < 0) {
			json_decref(vals);
			vals = NULL;
		}
	series = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o*, s:o*}", "name",
			   name, "approach", d->approach, "workload",
			   d->workload, "metric", d->metric, "unit", d->unit,
			   "stats", stats_json(&st), "samples", vals);
	if (!series ||
	    json_array_append_new(json_object_get(r->root, "series"), series))
		return err__set(e, ENOMEM, "%s", name);
	return 0;
}

int result__add_skip(struct result *r, const char *what, const char *reason)
{
	return json_array_append_new(json_object_get(r->root, "skipped"),
				     json_pack("{s:s, s:s}", "what", what,
					       "reason", reason));
}

int result__mkdirs(const char *dir, struct isolab_err *e)
{
	char buf[4096];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof(buf))
		return err__set(e, ENAMETOOLONG, "%s", dir);
	memcpy(buf, dir, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return err__set(e, errno, "%s: mkdir", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return err__set(e, errno, "%s: mkdir", buf);
	return 0;
}

int result__write(const struct result *r, const char *path,
		  struct isolab_err *e)
{
	char tmp[4160];

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	if (json_dump_file(r->root, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) < 0) {
		int saved = errno;

		unlink(tmp);
		return err__set(e, saved, "%s", path);
	}
	if (rename(tmp, path) < 0) {
		int saved = errno;

		unlink(tmp);
		return err__set(e, saved, "%s: rename", path);
	}
	return 0;
}

/* The checks result__read() makes beyond "is JSON". */
static int check_schema(json_t *root, const char *path, struct isolab_err *e)
{
	static const char *const arrays[] = { "series", "skipped" };
	json_t *v = json_object_get(root, "schema_version");

	if (!json_is_object(root))
		return err__set(e, 0, "%s: not a JSON object", path);
	if (!json_is_integer(v))
		return err__set(e, 0, "%s: schema_version missing", path);
	if (json_integer_value(v) != RESULT_SCHEMA_VERSION)
		return err__set(e, 0, "%s: schema_version %lld, expected %d",
				path, (long long)json_integer_value(v),
				RESULT_SCHEMA_VERSION);
	if (!json_is_string(json_object_get(root, "name")))
		return err__set(e, 0, "%s: name missing", path);
	if (!json_is_object(json_object_get(root, "meta")))
		return err__set(e, 0, "%s: meta missing", path);
	for (size_t i = 0; i < 2; i++)
		if (!json_is_array(json_object_get(root, arrays[i])))
			return err__set(e, 0, "%s: %s is not an array", path,
					arrays[i]);
	return 0;
}

struct result *result__read(const char *path, struct isolab_err *e)
{
	json_error_t je;
	struct result *r;
	json_t *root = json_load_file(path, 0, &je);

	if (!root) {
		err__set(e, 0, "%s:%d: %s", path, je.line, je.text);
		return NULL;
	}
	if (check_schema(root, path, e) < 0) {
		json_decref(root);
		return NULL;
	}
	/* Optional objects may be absent in hand-written files. */
	if (!json_object_get(root, "params"))
		json_object_set_new(root, "params", json_object());
	if (!json_object_get(root, "data"))
		json_object_set_new(root, "data", json_object());
	r = calloc(1, sizeof(*r));
	if (!r) {
		json_decref(root);
		err__set(e, ENOMEM, "%s", path);
		return NULL;
	}
	r->root = root;
	return r;
}

size_t result__series_count(const struct result *r)
{
	return json_array_size(json_object_get(r->root, "series"));
}

int result__series(const struct result *r, size_t i, struct series_view *v,
		   struct isolab_err *e)
{
	json_t *s = json_array_get(json_object_get(r->root, "series"), i);
	json_t *vals, *x;
	size_t k;

	memset(v, 0, sizeof(*v));
	if (!s)
		return err__set(e, 0, "series %zu: no such series", i);
	v->name = json_string_value(json_object_get(s, "name"));
	v->desc.approach = json_string_value(json_object_get(s, "approach"));
	v->desc.workload = json_string_value(json_object_get(s, "workload"));
	v->desc.metric = json_string_value(json_object_get(s, "metric"));
	v->desc.unit = json_string_value(json_object_get(s, "unit"));
	vals = json_object_get(s, "samples");
	if (!v->name || !v->desc.unit || !json_is_array(vals) ||
	    json_array_size(vals) == 0)
		return err__set(e, 0, "series %zu: name, unit or samples missing",
				i);
	json_array_foreach(vals, k, x) {
		if (!json_is_number(x)) {
			samples__free(&v->values);
			return err__set(e, 0, "%s: sample %zu is not a number",
					v->name, k);
		}
		if (samples__push(&v->values, json_number_value(x)) < 0)
			return err__set(e, ENOMEM, "%s", v->name);
	}
	stats__compute(v->values.v, v->values.n, &v->st);
	return 0;
}

size_t result__skip_count(const struct result *r)
{
	return json_array_size(json_object_get(r->root, "skipped"));
}

int result__skip(const struct result *r, size_t i, const char **what,
		 const char **reason)
{
	json_t *s = json_array_get(json_object_get(r->root, "skipped"), i);

	if (!s)
		return -1;
	*what = json_string_value(json_object_get(s, "what"));
	*reason = json_string_value(json_object_get(s, "reason"));
	return *what && *reason ? 0 : -1;
}

static int is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

void result__free_set(struct result_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		result__destroy(set->r[i]);
	free(set->r);
	set->r = NULL;
	set->n = 0;
}

int result__load_dir(const char *dir, struct result_set *set,
		     struct isolab_err *e)
{
	struct dirent **names;
	char path[4400];
	int n = scandir(dir, &names, is_json, alphasort);
	int rc = 0;

	set->n = 0;
	set->r = NULL;
	if (n < 0)
		return err__set(e, errno, "%s", dir);
	if (n == 0) {
		free(names);
		return err__set(e, 0, "%s: no result files (*.json)", dir);
	}
	set->r = calloc((size_t)n, sizeof(*set->r));
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (rc == 0 && !set->r)
			rc = err__set(e, ENOMEM, "%s", dir);
		if (rc == 0 && !(set->r[set->n++] = result__read(path, e)))
			rc = -1;
		free(names[i]);
	}
	free(names);
	if (rc < 0)
		result__free_set(set);
	return rc;
}
