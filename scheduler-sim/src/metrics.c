/*
 * metrics.c - Measurements of a run (see metrics.h): the fair share a
 * domain should get, what it got, and how far apart they are.
 */
#include "metrics.h"

#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Water-filling at time t: share out sc->pcpus by weight among domains
 * whose limit (demand, cap) is not yet met. */
static void waterfill(const struct scenario *sc, uint64_t t, double *out,
		      double *limit, char *fixed)
{
	double left = sc->pcpus;
	unsigned n = sc->ndomains;

	for (unsigned i = 0; i < n; i++) {
		const struct domain_spec *d = &sc->domains[i];

		limit[i] = scenario__demand(d, t);
		if (d->cap && d->cap / 100.0 < limit[i])
			limit[i] = d->cap / 100.0;
		out[i] = 0;
		fixed[i] = limit[i] <= 0;
	}
	for (;;) {
		double w = 0;
		bool saturated = false;

		for (unsigned i = 0; i < n; i++)
			if (!fixed[i])
				w += sc->domains[i].weight;
		if (w == 0 || left <= 0)
			return;
		/* Whoever cannot use its weighted part takes its limit and
		 * leaves the rest to the others; repeat until none does. */
		for (unsigned i = 0; i < n; i++) {
			if (fixed[i] ||
			    left * sc->domains[i].weight / w < limit[i])
				continue;
			out[i] = limit[i];
			fixed[i] = 1;
			saturated = true;
		}
		if (!saturated) {
			for (unsigned i = 0; i < n; i++)
				if (!fixed[i])
					out[i] = left * sc->domains[i].weight /
						 w;
			return;
		}
		left = sc->pcpus;
		for (unsigned i = 0; i < n; i++)
			if (fixed[i])
				left -= out[i];
	}
}

/* The next phase boundary of any domain after t (or the end). */
static uint64_t next_boundary(const struct scenario *sc, uint64_t t)
{
	uint64_t next = sc->duration_ns;

	for (unsigned i = 0; i < sc->ndomains; i++)
		for (unsigned p = 0; p < sc->domains[i].nphases; p++) {
			uint64_t u = sc->domains[i].phases[p].until_ns;

			if (u > t && u < next)
				next = u;
		}
	return next;
}

int metrics__fair_shares(const struct scenario *sc, double *out)
{
	unsigned n = sc->ndomains;
	double *seg = calloc(n, sizeof(*seg)), *limit = calloc(n, sizeof(*seg));
	char *fixed = calloc(n, 1);

	if (!seg || !limit || !fixed) {
		free(seg);
		free(limit);
		free(fixed);
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		out[i] = 0;
	for (uint64_t t = 0; t < sc->duration_ns;) {
		uint64_t end = next_boundary(sc, t);

		waterfill(sc, t, seg, limit, fixed);
		for (unsigned i = 0; i < n; i++)
			out[i] += seg[i] * (double)(end - t) /
				  (double)sc->duration_ns;
		t = end;
	}
	free(seg);
	free(limit);
	free(fixed);
	return 0;
}

double metrics__jain(const double *x, size_t n)
{
	double sum = 0, sq = 0;

	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		sq += x[i] * x[i];
	}
	return n && sq > 0 ? sum * sum / ((double)n * sq) : 1.0;
}

/* Sort n non-negative doubles in place.  A non-negative IEEE 754 double
 * orders like its bit pattern read as an unsigned integer, so an LSD radix
 * sort on the 64-bit patterns (8 passes of a byte, a pass skipped when
 * every value shares that byte) sorts them in O(n): the 64-pCPU scenario
 * has millions of latency samples, which qsort took a second to sort.
 * Returns 0, or -1 if out of memory. */
static int sort_latencies(double *v, size_t n)
{
	uint64_t *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));

	if (!a || !b) {
		free(a);
		free(b);
		return -1;
	}
	memcpy(a, v, n * sizeof(*a));
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};
		uint64_t *t;

		for (size_t i = 0; i < n; i++)
			count[((a[i] >> shift) & 0xff) + 1]++;
		if (count[((a[0] >> shift) & 0xff) + 1] == n)
			continue;
		for (int k = 0; k < 256; k++)
			count[k + 1] += count[k];
		for (size_t i = 0; i < n; i++)
			b[count[(a[i] >> shift) & 0xff]++] = a[i];
		t = a;
		a = b;
		b = t;
	}
	memcpy(v, a, n * sizeof(*a));
	free(a);
	free(b);
	return 0;
}

static int collect_domain(const struct sim *s, unsigned i,
			  struct domain_result *d, struct isolab_err *e)
{
	const struct domain *dom = &s->domains[i];
	const struct samples *lat = &dom->wake_latency_ns;

	d->name = dom->spec->name;
	d->weight = dom->spec->weight;
	d->cap = dom->spec->cap;
	d->vcpus = dom->spec->vcpus;
	for (unsigned j = 0; j < d->vcpus; j++) {
		d->cpu_ns += dom->vcpus[j].cpu_ns;
		d->context_switches += dom->vcpus[j].switches;
	}
	d->share = (double)d->cpu_ns / (double)s->sc->duration_ns;
	d->error = d->share - d->fair_share;
	d->wakes = dom->wakes;
	d->wake_p50_us = d->wake_p99_us = NAN;
	if (lat->n) {
		/* Percentiles by the harness's definition (stats.h, type 7)
		 * on samples sorted here; the run is over, so sorting the
		 * simulator's own array in place changes nothing it needs. */
		if (sort_latencies(lat->v, lat->n) < 0)
			return err__set(e, ENOMEM, "wake latency statistics");
		d->wake_p50_us =
			stats__percentile(lat->v, lat->n, 0.5) / NS_PER_US;
		d->wake_p99_us =
			stats__percentile(lat->v, lat->n, 0.99) / NS_PER_US;
	}
	return 0;
}

int metrics__collect(const struct sim *s, struct sim_report *r,
		     struct isolab_err *e)
{
	double *fair, *x;
	size_t nx = 0;

	memset(r, 0, sizeof(*r));
	r->scheduler = s->ops->name;
	r->pcpus = s->npcpus;
	r->ndomains = s->ndomains;
	r->duration_ns = s->sc->duration_ns;
	r->seed = s->sc->seed;
	r->events = s->nevents;
	r->d = calloc(s->ndomains, sizeof(*r->d));
	r->pcpu_util = calloc(s->npcpus, sizeof(*r->pcpu_util));
	fair = calloc(s->ndomains, sizeof(*fair));
	x = calloc(s->ndomains, sizeof(*x));
	if (!r->d || !r->pcpu_util || !fair || !x ||
	    metrics__fair_shares(s->sc, fair) < 0)
		goto nomem;
	for (unsigned i = 0; i < s->ndomains; i++) {
		r->d[i].fair_share = fair[i];
		if (collect_domain(s, i, &r->d[i], e) < 0)
			goto fail;
		if (fair[i] > 0)
			x[nx++] = r->d[i].share / fair[i];
	}
	r->jain_index = metrics__jain(x, nx);
	for (unsigned i = 0; i < s->npcpus; i++) {
		r->busy_ns += s->pcpus[i].busy_ns;
		r->idle_ns += s->pcpus[i].idle_ns;
		r->pcpu_util[i] = (double)s->pcpus[i].busy_ns /
				  (double)s->sc->duration_ns;
	}
	free(fair);
	free(x);
	return 0;
nomem:
	err__set(e, ENOMEM, "report");
fail:
	free(fair);
	free(x);
	metrics__free(r);
	return -1;
}

void metrics__free(struct sim_report *r)
{
	free(r->d);
	free(r->pcpu_util);
	r->d = NULL;
	r->pcpu_util = NULL;
}

static void print_us(FILE *out, double us)
{
	if (isnan(us))
		fprintf(out, " %11s", "-");
	else
		fprintf(out, " %11.1f", us);
}

void metrics__print(const struct sim_report *r, FILE *out)
{
	fprintf(out,
		"scheduler %s, %u pCPUs, %.3f s simulated, seed %llu, "
		"%llu events\n",
		r->scheduler, r->pcpus, (double)r->duration_ns / NS_PER_S,
		(unsigned long long)r->seed, (unsigned long long)r->events);
	fprintf(out, "%-16s %6s %4s %5s %8s %8s %8s %11s %11s %9s\n", "domain",
		"weight", "cap", "vcpus", "share", "fair", "error",
		"wake_p50_us", "wake_p99_us", "switches");
	for (unsigned i = 0; i < r->ndomains; i++) {
		const struct domain_result *d = &r->d[i];

		fprintf(out, "%-16s %6u %4u %5u %8.4f %8.4f %+8.4f", d->name,
			d->weight, d->cap, d->vcpus, d->share, d->fair_share,
			d->error);
		print_us(out, d->wake_p50_us);
		print_us(out, d->wake_p99_us);
		fprintf(out, " %9llu\n",
			(unsigned long long)d->context_switches);
	}
	for (unsigned i = 0; i < r->pcpus; i++)
		fprintf(out, "pcpu %u: utilisation %.4f\n", i, r->pcpu_util[i]);
	fprintf(out, "busy %llu ns + idle %llu ns = %u pCPUs x %llu ns\n",
		(unsigned long long)r->busy_ns, (unsigned long long)r->idle_ns,
		r->pcpus, (unsigned long long)r->duration_ns);
	fprintf(out, "jain_index %.4f\n", r->jain_index);
}

static json_t *num_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *metrics__json(const struct sim_report *r)
{
	json_t *o = json_object(), *doms = json_array(), *util = json_array();

	if (!o || !doms || !util) {
		json_decref(o);
		json_decref(doms);
		json_decref(util);
		return NULL;
	}
	json_object_set_new(o, "scheduler", json_string(r->scheduler));
	json_object_set_new(o, "pcpus", json_integer(r->pcpus));
	json_object_set_new(o, "duration_s",
			    json_real((double)r->duration_ns / NS_PER_S));
	json_object_set_new(o, "seed", json_integer((json_int_t)r->seed));
	json_object_set_new(o, "events", json_integer((json_int_t)r->events));
	json_object_set_new(o, "jain_index", json_real(r->jain_index));
	json_object_set_new(o, "busy_ns", json_integer((json_int_t)r->busy_ns));
	json_object_set_new(o, "idle_ns", json_integer((json_int_t)r->idle_ns));
	for (unsigned i = 0; i < r->ndomains; i++) {
		const struct domain_result *d = &r->d[i];

		json_array_append_new(
			doms,
			json_pack("{s:s, s:i, s:i, s:i, s:f, s:f, s:f, s:o, "
				  "s:o, s:I, s:I, s:I}",
				  "name", d->name, "weight", d->weight, "cap",
				  d->cap, "vcpus", d->vcpus, "share", d->share,
				  "fair_share", d->fair_share, "error",
				  d->error, "wake_p50_us",
				  num_or_null(d->wake_p50_us), "wake_p99_us",
				  num_or_null(d->wake_p99_us), "wakes",
				  (json_int_t)d->wakes, "context_switches",
				  (json_int_t)d->context_switches, "cpu_ns",
				  (json_int_t)d->cpu_ns));
	}
	for (unsigned i = 0; i < r->pcpus; i++)
		json_array_append_new(util, json_real(r->pcpu_util[i]));
	json_object_set_new(o, "domains", doms);
	json_object_set_new(o, "pcpu_utilisation", util);
	return o;
}
