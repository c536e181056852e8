/*
 * scenario.c - Loading and checking scenario files (see scenario.h).
 *
 * Every accessor takes the JSON path of what it reads ("domains[2]"), so
 * an error can say exactly which field is wrong; check_fields() rejects
 * any key the format does not define, because a misspelt "wieght" that
 * silently fell back to the default would make a wrong experiment look
 * right.
 */
#include "scenario.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* Xen's limits: XEN_SYSCTL_CSCHED_TSLICE_MIN/MAX (1..1000 ms) and
 * XEN_SYSCTL_SCHED_RATELIMIT_MIN/MAX (100..500000 us, 0 = off);
 * XEN_SYSCTL_SCHED_RATELIMIT_DFLT is 1000 us (xen/include/public/sysctl.h). */
#define TSLICE_MIN_MS	  1
#define TSLICE_MAX_MS	  1000
#define RATELIMIT_MIN_US  100
#define RATELIMIT_MAX_US  500000
#define RATELIMIT_DFLT_US 1000
#define DEFAULT_WEIGHT	  256 /* CSCHED_DEFAULT_WEIGHT */
#define DEFAULT_TSLICE_MS 30  /* CSCHED_DEFAULT_TSLICE_MS */

/* Where errors point: the file and the JSON path being read. */
struct where {
	const char *file;
	char path[96];
};

static int bad(const struct where *w, const char *key, struct isolab_err *e,
	       const char *what)
{
	if (key)
		return err__set(e, 0, "%s: %s%s%s: %s", w->file, w->path,
				w->path[0] ? "." : "", key, what);
	return err__set(e, 0, "%s: %s: %s", w->file,
			w->path[0] ? w->path : "(top level)", what);
}

/* Every key of obj must be one of allowed (NULL-terminated). */
static int check_fields(json_t *obj, const char *const allowed[],
			const struct where *w, struct isolab_err *e)
{
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val)
	{
		size_t i;

		(void)val;
		for (i = 0; allowed[i]; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (!allowed[i])
			return bad(w, key, e, "unknown field");
	}
	return 0;
}

/* An integer field in [min, max]; def when absent (required: an error). */
static int get_int(json_t *obj, const char *key, const struct where *w,
		   bool required, int64_t def, int64_t min, int64_t max,
		   int64_t *out, struct isolab_err *e)
{
	json_t *v = json_object_get(obj, key);
	char what[96];

	snprintf(what, sizeof(what), "must be %lld..%lld", (long long)min,
		 (long long)max);
	if (!v) {
		if (required)
			return bad(w, key, e, "missing");
		*out = def;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return bad(w, key, e, what);
	*out = json_integer_value(v);
	return 0;
}

static int parse_workload(json_t *o, struct where *w, struct workload *wl,
			  struct isolab_err *e)
{
	static const char *const cpu_fields[] = {"type", NULL};
	static const char *const io_fields[] = {"type", "run_us", "sleep_us",
						NULL};
	static const char *const per_fields[] = {"type", "period_us", "run_us",
						 NULL};
	const int64_t max_us = 3600LL * 1000 * 1000;
	json_t *t = json_object_get(o, "type");
	int64_t a, b;

	if (!json_is_object(o))
		return bad(w, NULL, e, "must be an object");
	if (!json_is_string(t))
		return bad(w, "type", e,
			   t ? "must be \"cpu\", \"io\" or \"periodic\""
			     : "missing");
	memset(wl, 0, sizeof(*wl));
	if (strcmp(json_string_value(t), "cpu") == 0) {
		wl->type = WL_CPU;
		return check_fields(o, cpu_fields, w, e);
	}
	if (strcmp(json_string_value(t), "io") == 0) {
		if (check_fields(o, io_fields, w, e) < 0 ||
		    get_int(o, "run_us", w, true, 0, 1, max_us, &a, e) < 0 ||
		    get_int(o, "sleep_us", w, true, 0, 1, max_us, &b, e) < 0)
			return -1;
		wl->type = WL_IO;
		wl->run_ns = (uint64_t)a * NS_PER_US;
		wl->sleep_ns = (uint64_t)b * NS_PER_US;
		return 0;
	}
	if (strcmp(json_string_value(t), "periodic") == 0) {
		if (check_fields(o, per_fields, w, e) < 0 ||
		    get_int(o, "period_us", w, true, 0, 1, max_us, &a, e) < 0 ||
		    get_int(o, "run_us", w, true, 0, 1, a, &b, e) < 0)
			return -1;
		wl->type = WL_PERIODIC;
		wl->period_ns = (uint64_t)a * NS_PER_US;
		wl->run_ns = (uint64_t)b * NS_PER_US;
		return 0;
	}
	return bad(w, "type", e, "must be \"cpu\", \"io\" or \"periodic\"");
}

/* "phases": [{"duration_ms": D, "workload": {...}}, ...]; the last phase
 * may omit duration_ms and lasts to the end. */
static int parse_phases(json_t *arr, struct where *w, struct domain_spec *d,
			struct isolab_err *e)
{
	static const char *const fields[] = {"duration_ms", "workload", NULL};
	size_t base = strlen(w->path), i;
	uint64_t t = 0;
	json_t *ph;

	if (!json_is_array(arr) || json_array_size(arr) < 1 ||
	    json_array_size(arr) > SCENARIO_MAX_PHASES)
		return bad(w, "phases", e, "must be an array of 1..8 phases");
	d->nphases = (unsigned)json_array_size(arr);
	json_array_foreach(arr, i, ph)
	{
		bool last = i + 1 == d->nphases;
		int64_t ms;

		snprintf(w->path + base, sizeof(w->path) - base, ".phases[%zu]",
			 i);
		if (!json_is_object(ph))
			return bad(w, NULL, e, "must be an object");
		if (check_fields(ph, fields, w, e) < 0 ||
		    get_int(ph, "duration_ms", w, !last, 0, 1, 86400000, &ms,
			    e) < 0)
			return -1;
		t = ms ? t + (uint64_t)ms * NS_PER_MS : SIM_FOREVER;
		d->phases[i].until_ns = last ? SIM_FOREVER : t;
		strcat(w->path, ".workload");
		if (!json_object_get(ph, "workload")) {
			w->path[strlen(w->path) - strlen(".workload")] = '\0';
			return bad(w, "workload", e, "missing");
		}
		if (parse_workload(json_object_get(ph, "workload"), w,
				   &d->phases[i].wl, e) < 0)
			return -1;
	}
	w->path[base] = '\0';
	return 0;
}

static int parse_domain(json_t *o, struct where *w, struct domain_spec *d,
			struct isolab_err *e)
{
	static const char *const fields[] = {
		"name", "weight", "cap", "vcpus", "workload", "phases", NULL};
	json_t *name = json_object_get(o, "name");
	int64_t weight, cap, vcpus;

	if (!json_is_object(o))
		return bad(w, NULL, e, "must be an object");
	if (check_fields(o, fields, w, e) < 0)
		return -1;
	if (!json_is_string(name) || json_string_length(name) < 1 ||
	    json_string_length(name) >= SCENARIO_NAME_MAX ||
	    strpbrk(json_string_value(name), " \t\n,\"\\/"))
		return bad(w, "name", e,
			   name ? "must be 1..31 characters without blanks, "
				  "commas, quotes or slashes"
				: "missing");
	snprintf(d->name, sizeof(d->name), "%s", json_string_value(name));
	if (get_int(o, "weight", w, false, DEFAULT_WEIGHT, 1, 65535, &weight,
		    e) < 0 ||
	    get_int(o, "vcpus", w, false, 1, 1, 4096, &vcpus, e) < 0 ||
	    get_int(o, "cap", w, false, 0, 0, 100 * vcpus, &cap, e) < 0)
		return -1;
	d->weight = (unsigned)weight;
	d->cap = (unsigned)cap;
	d->vcpus = (unsigned)vcpus;
	if (json_object_get(o, "workload") && json_object_get(o, "phases"))
		return bad(w, "phases", e, "give workload or phases, not both");
	if (json_object_get(o, "phases"))
		return parse_phases(json_object_get(o, "phases"), w, d, e);
	d->nphases = 1;
	d->phases[0].until_ns = SIM_FOREVER;
	if (!json_object_get(o, "workload"))
		return bad(w, "workload", e, "missing");
	strcat(w->path, ".workload");
	return parse_workload(json_object_get(o, "workload"), w,
			      &d->phases[0].wl, e);
}

static int parse_top(json_t *root, struct where *w, struct scenario *sc,
		     struct isolab_err *e)
{
	static const char *const fields[] = {
		"description",	"pcpus", "duration_ms", "seed", "tslice_ms",
		"ratelimit_us", "boost", "domains",	NULL};
	json_t *doms = json_object_get(root, "domains"), *b, *d;
	int64_t pcpus, dur, seed, tslice, rl;
	size_t i;

	if (!json_is_object(root))
		return bad(w, NULL, e, "must be a JSON object");
	if (check_fields(root, fields, w, e) < 0 ||
	    get_int(root, "pcpus", w, true, 0, 1, SCENARIO_MAX_PCPUS, &pcpus,
		    e) < 0 ||
	    get_int(root, "duration_ms", w, false, 60000, 1, 86400000, &dur,
		    e) < 0 ||
	    get_int(root, "seed", w, false, 1, 0, INT64_MAX, &seed, e) < 0 ||
	    get_int(root, "tslice_ms", w, false, DEFAULT_TSLICE_MS,
		    TSLICE_MIN_MS, TSLICE_MAX_MS, &tslice, e) < 0 ||
	    get_int(root, "ratelimit_us", w, false, RATELIMIT_DFLT_US, 0,
		    RATELIMIT_MAX_US, &rl, e) < 0)
		return -1;
	if (rl != 0 && rl < RATELIMIT_MIN_US)
		return bad(w, "ratelimit_us", e, "must be 0 or 100..500000");
	b = json_object_get(root, "boost");
	if (b && !json_is_boolean(b))
		return bad(w, "boost", e, "must be true or false");
	sc->pcpus = (unsigned)pcpus;
	sc->duration_ns = (uint64_t)dur * NS_PER_MS;
	sc->seed = (uint64_t)seed;
	sc->tslice_ns = (uint64_t)tslice * NS_PER_MS;
	sc->ratelimit_ns = (uint64_t)rl * NS_PER_US;
	sc->boost = b ? json_is_true(b) : true;
	if (!json_is_array(doms) || json_array_size(doms) < 1 ||
	    json_array_size(doms) > 4096)
		return bad(w, "domains", e,
			   doms ? "must be an array of 1..4096 domains"
				: "missing");
	sc->ndomains = (unsigned)json_array_size(doms);
	sc->domains = calloc(sc->ndomains, sizeof(*sc->domains));
	if (!sc->domains)
		return err__set(e, ENOMEM, "%s", w->file);
	json_array_foreach(doms, i, d)
	{
		snprintf(w->path, sizeof(w->path), "domains[%zu]", i);
		if (parse_domain(d, w, &sc->domains[i], e) < 0)
			return -1;
		snprintf(w->path, sizeof(w->path), "domains[%zu]", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(sc->domains[j].name, sc->domains[i].name) ==
			    0)
				return bad(w, "name", e,
					   "repeats an earlier domain's name");
	}
	w->path[0] = '\0';
	if (scenario__vcpus(sc) > SCENARIO_MAX_VCPUS)
		return bad(w, "domains", e, "more than 65536 vCPUs in all");
	return 0;
}

int scenario__parse(const char *text, const char *name, struct scenario *sc,
		    struct isolab_err *e)
{
	struct where w = {.file = name, .path = ""};
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	int rc;

	memset(sc, 0, sizeof(*sc));
	if (!root)
		return err__set(e, 0, "%s: line %d: %s", name, jerr.line,
				jerr.text);
	rc = parse_top(root, &w, sc, e);
	json_decref(root);
	if (rc < 0)
		scenario__free(sc);
	return rc;
}

int scenario__load(const char *path, struct scenario *sc, struct isolab_err *e)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	if (!f)
		return err__set(e, errno, "%s", path);
	do {
		if (len + 4096 + 1 > cap) {
			char *p = realloc(text, cap ? 2 * cap : 8192);

			if (!p) {
				free(text);
				fclose(f);
				return err__set(e, ENOMEM, "%s", path);
			}
			text = p;
			cap = cap ? 2 * cap : 8192;
		}
		n = fread(text + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		free(text);
		fclose(f);
		return err__set(e, EIO, "%s", path);
	}
	fclose(f);
	text[len] = '\0';
	rc = scenario__parse(text, path, sc, e);
	free(text);
	return rc;
}

void scenario__free(struct scenario *sc)
{
	free(sc->domains);
	sc->domains = NULL;
	sc->ndomains = 0;
}

unsigned scenario__vcpus(const struct scenario *sc)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sc->ndomains; i++)
		n += sc->domains[i].vcpus;
	return n;
}

const struct workload *scenario__workload(const struct domain_spec *d,
					  uint64_t t)
{
	unsigned i = 0;

	while (i + 1 < d->nphases && t >= d->phases[i].until_ns)
		i++;
	return &d->phases[i].wl;
}

double scenario__demand(const struct domain_spec *d, uint64_t t)
{
	const struct workload *wl = scenario__workload(d, t);
	double per_vcpu = 1.0;

	if (wl->type == WL_IO)
		per_vcpu = (double)wl->run_ns /
			   (double)(wl->run_ns + wl->sleep_ns);
	else if (wl->type == WL_PERIODIC)
		per_vcpu = (double)wl->run_ns / (double)wl->period_ns;
	return per_vcpu * d->vcpus;
}
