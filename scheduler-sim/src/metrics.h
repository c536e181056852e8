/*
 * metrics.h - What a simulation measured: each domain's CPU share beside
 * its fair share, wake-to-run latency and context switches; each pCPU's
 * utilisation; Jain's fairness index.  Printed as a table or as JSON.
 */
#ifndef SCHED_METRICS_H
#define SCHED_METRICS_H

#include <jansson.h>
#include <stdio.h>

#include "sim.h"

struct domain_result {
	const char *name; /* borrowed from the scenario */
	unsigned weight, cap, vcpus;
	double share;	   /* CPU received / duration: fraction of a pCPU */
	double fair_share; /* see metrics__fair_shares */
	double error;	   /* share - fair_share */
	/* Wake-ups served; the percentiles are over at most SIM_LATENCY_CAP
	 * of them, a uniform sample when there were more. */
	size_t wakes;
	double wake_p50_us, wake_p99_us; /* NAN when wakes == 0 */
	uint64_t cpu_ns, context_switches;
};

struct sim_report {
	const char *scheduler;
	unsigned pcpus, ndomains;
	uint64_t duration_ns, seed, events;
	uint64_t busy_ns, idle_ns; /* over all pCPUs */
	double jain_index;
	struct domain_result *d;
	double *pcpu_util;
};

/* Fair shares of the domains of sc (out[ndomains]), averaged over the
 * run: in each stretch of time between phase changes, the pCPUs are
 * divided by weight among the domains that want CPU (water-filling), no
 * domain getting more than its demand or its cap, and what one cannot use
 * going to the others (work-conserving).  Returns 0 or -1 (no memory). */
int metrics__fair_shares(const struct scenario *sc, double *out);

/* Jain's fairness index of x[0..n-1]: (sum x)^2 / (n sum x^2), 1 when all
 * are equal, 1/n when one has everything.  1 for n == 0. */
double metrics__jain(const double *x, size_t n);

/* Collect the measurements of a finished run (sorting each domain's
 * wake-latency samples in place).  Returns 0 or -1 with e. */
int metrics__collect(const struct sim *s, struct sim_report *r,
		     struct isolab_err *e);
void metrics__free(struct sim_report *r);

/* The table a person reads. */
void metrics__print(const struct sim_report *r, FILE *out);

/* The same as JSON (new reference), or NULL if out of memory.  Has
 * "scheduler", "jain_index" and "domains": [{"name", "share",
 * "fair_share", "wake_p50_us", "wake_p99_us", "context_switches", ...}]. */
json_t *metrics__json(const struct sim_report *r);

#endif
