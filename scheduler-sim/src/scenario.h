/*
 * scenario.h - What is simulated: pCPUs, domains, their weights, caps,
 * vCPUs and workloads, read from a JSON file (jansson).
 *
 * The file format is in scheduler-sim/README.md.  Every field is checked:
 * an error names the file and the path of the bad field
 * ("web.json: domains[2].weight: must be 1..65535"), and a field this
 * program does not know is an error too, never silently ignored.
 */
#ifndef SCHED_SCENARIO_H
#define SCHED_SCENARIO_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define SCENARIO_NAME_MAX   32
#define SCENARIO_MAX_PHASES 8

enum workload_type {
	WL_CPU,	     /* always runnable */
	WL_IO,	     /* run ~Exp(run_ns), block ~Exp(sleep_ns), repeat */
	WL_PERIODIC, /* wake every period_ns, run run_ns, block */
};

struct workload {
	enum workload_type type;
	uint64_t run_ns;    /* io: mean burst; periodic: work per period */
	uint64_t sleep_ns;  /* io: mean block time */
	uint64_t period_ns; /* periodic */
};

/* One phase of a vCPU's life: workload wl until `until_ns` of simulated
 * time (the last phase lasts to the end). */
struct phase {
	uint64_t until_ns;
	struct workload wl;
};

struct domain_spec {
	char name[SCENARIO_NAME_MAX];
	unsigned weight; /* 1..65535, Xen's default 256 */
	unsigned cap;	 /* percent of one pCPU, 0 = no cap */
	unsigned vcpus;
	unsigned nphases; /* 1 for a plain workload */
	struct phase phases[SCENARIO_MAX_PHASES];
};

struct scenario {
	unsigned pcpus;
	uint64_t duration_ns;
	uint64_t seed;
	uint64_t tslice_ns;    /* credit's time slice, default 30 ms */
	uint64_t ratelimit_ns; /* context-switch rate limit, default 1 ms */
	bool boost;	       /* credit's BOOST on wake-up */
	unsigned ndomains;
	struct domain_spec *domains;
};

#define SCENARIO_MAX_PCPUS 4096
#define SCENARIO_MAX_VCPUS 65536

/* Read and check the scenario in path into sc (defaults filled in).
 * Returns 0, or -1 with e = "PATH: FIELD: what is wrong". */
int scenario__load(const char *path, struct scenario *sc, struct isolab_err *e);

/* Check the same rules on a JSON text (for tests and tools); name is what
 * errors call it. */
int scenario__parse(const char *text, const char *name, struct scenario *sc,
		    struct isolab_err *e);

/* Free what scenario__load allocated. */
void scenario__free(struct scenario *sc);

/* The CPU domain d could use alone and uncapped at simulated time t: the
 * sum over its vCPUs of the mean fraction of time each wants to run (1 for
 * cpu, R/(R+S) for io, C/P for periodic) in the phase running at t. */
double scenario__demand(const struct domain_spec *d, uint64_t t);

/* The workload of domain d at simulated time t. */
const struct workload *scenario__workload(const struct domain_spec *d,
					  uint64_t t);

/* Total vCPUs. */
unsigned scenario__vcpus(const struct scenario *sc);

#endif
