/*
 * sim.h - The discrete-event core: simulated pCPUs running the vCPUs of
 * domains, and the interface every scheduler implements.
 *
 * Start reading here.  Time is simulated nanoseconds, never the wall
 * clock.  The core owns the machine (pCPUs, vCPUs, workloads, the event
 * queue, the measurements); a scheduler (credit.c, credit2.c, rr.c,
 * fair.c) owns only its run queues and decides, through struct sched_ops,
 * which vCPU a pCPU runs next and for how long.  It is the split of Xen's
 * xen/common/sched/core.c (the generic part) from credit.c (one policy).
 *
 * The life of a vCPU: BLOCKED --wake--> RUNNABLE --schedule--> RUNNING,
 * back to RUNNABLE when preempted, to BLOCKED when its burst of work ends.
 * A pCPU reschedules when it is tickled (sim__tickle, Xen's
 * SCHEDULE_SOFTIRQ), when its time slice ends, or when its vCPU blocks.
 */
#ifndef SCHED_SIM_H
#define SCHED_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "heap.h"
#include "list.h"
#include "rng.h"
#include "samples.h"
#include "scenario.h"

#define NS_PER_US   1000ULL
#define NS_PER_MS   1000000ULL
#define NS_PER_S    1000000000ULL
#define SIM_FOREVER UINT64_MAX
/* 4 M latencies (32 MiB) per domain: exact percentiles for any run of
 * normal length, bounded memory for a day-long one. */
#define SIM_LATENCY_CAP (4u << 20)

enum vcpu_state { VCPU_BLOCKED, VCPU_RUNNABLE, VCPU_RUNNING };

/* Events of the core; a scheduler's own timers are EV_SCHED_TIMER. */
enum event_kind {
	EV_WAKE,	/* id = vCPU: its sleep is over */
	EV_BURST_END,	/* id = vCPU: its burst of work is done */
	EV_SLICE_END,	/* id = pCPU: its time slice is over */
	EV_SCHED_TIMER, /* id = scheduler's argument, gen = its kind */
	EV_SAMPLE,	/* trace: sample every domain's CPU time */
	EV_PHASE,	/* id = domain: next phase of its workload */
};

struct domain;

struct vcpu {
	unsigned id;	/* 0..nvcpus-1 over the whole machine */
	unsigned index; /* within its domain */
	struct domain *dom;
	enum vcpu_state state;
	int pcpu;	      /* where it runs (RUNNING), or -1 */
	int home;	      /* a hint for schedulers: where it last ran */
	uint64_t stint_start; /* RUNNING since */
	uint64_t acct_from;   /* CPU time accounted up to here */
	uint64_t remaining;   /* of the current burst, SIM_FOREVER for cpu */
	uint64_t burst_gen;   /* invalidates a posted EV_BURST_END */
	uint64_t woke_at;     /* SIM_FOREVER once the wake was served */
	uint64_t next_period; /* periodic: the next release */
	uint64_t cpu_ns;      /* CPU time received */
	uint64_t switches;    /* times it was switched in */
	struct rng rng;
	const struct workload *wl; /* the current phase's workload */
	struct list_link link;	   /* free for the scheduler's run queue */
	void *sched;		   /* the scheduler's per-vCPU data */
};

struct domain {
	const struct domain_spec *spec;
	unsigned id;
	struct vcpu *vcpus; /* spec->vcpus of them */
	unsigned phase;	    /* index into spec->phases */
	/* Wake-to-run latencies: all of them up to opts.latency_cap, then
	 * a uniform sample of that many (record_latency). */
	struct samples wake_latency_ns;
	uint64_t wakes;		/* wake-ups served, all counted */
	struct rng latency_rng; /* picks the reservoir's victims */
	uint64_t sample_cpu_ns; /* trace: CPU time at the last sample */
	void *sched;		/* the scheduler's per-domain data */
};

struct pcpu {
	unsigned id;
	struct vcpu *curr; /* NULL when idle */
	uint64_t since;	   /* busy or idle since */
	uint64_t busy_ns, idle_ns;
	uint64_t slice_at;     /* the slice ends, SIM_FOREVER: never */
	uint64_t slice_posted; /* earliest pending EV_SLICE_END */
	bool need_resched;     /* queued in the resched FIFO */
};

struct sim;

/* A scheduler.  Every hook is called by the core at simulated time now. */
struct sched_ops {
	const char *name;
	const char *what; /* one line for --help */
	/* Allocate the scheduler's state for s (vcpu->sched, dom->sched),
	 * post its first timers.  Returns 0 or -1 with e filled. */
	int (*create)(struct sim *s, void **priv, struct isolab_err *e);
	void (*destroy)(void *priv);
	/* v became runnable (it was BLOCKED): queue it and tickle a pCPU. */
	void (*wake)(void *priv, struct vcpu *v, uint64_t now);
	/* Pick what pCPU cpu runs next.  prev is what ran (NULL: idle),
	 * still RUNNING if it could go on, BLOCKED if it blocked; if it
	 * can go on and is not picked, the scheduler keeps it queued.
	 * Returns the vCPU (NULL: idle) and in *slice how long until the
	 * pCPU reschedules (SIM_FOREVER: until tickled). */
	struct vcpu *(*schedule)(void *priv, unsigned cpu, struct vcpu *prev,
				 uint64_t now, uint64_t *slice);
	/* One of the scheduler's own timers (sim__timer) went off. */
	void (*timer)(void *priv, uint32_t kind, uint32_t arg, uint64_t now);
};

/* How a run is set up beyond the scenario. */
struct sim_opts {
	FILE *trace;	      /* CSV of CPU shares over time, or NULL */
	uint64_t trace_every; /* sampling period of the trace, ns */
	size_t latency_cap;   /* latencies kept per domain (0: the default,
				 SIM_LATENCY_CAP) */
};

struct sim {
	const struct scenario *sc;
	const struct sched_ops *ops;
	void *priv;
	uint64_t now;
	struct heap events;
	unsigned npcpus, nvcpus, ndomains;
	struct pcpu *pcpus;
	struct vcpu *vcpus;
	struct domain *domains;
	unsigned *resched; /* FIFO of pCPUs to reschedule */
	unsigned resched_head, resched_n;
	uint64_t nevents; /* events handled (stale ones not counted) */
	struct sim_opts opts;
	struct isolab_err *err; /* the first error inside a hook */
	int failed;
};

/* The scheduler called name, or NULL. */
const struct sched_ops *sim__find_sched(const char *name);
/* The schedulers, NULL-terminated (credit, credit2, rr, fair). */
extern const struct sched_ops *const sim_schedulers[];

/* Build the machine of sc under scheduler ops.  Returns 0 with *out, or
 * -1 with e filled (out of memory, or the scheduler refused). */
int sim__create(const struct scenario *sc, const struct sched_ops *ops,
		const struct sim_opts *opts, struct sim **out,
		struct isolab_err *e);
void sim__destroy(struct sim *s);

/* Run to sc->duration_ns.  Returns 0, or -1 with e filled. */
int sim__run(struct sim *s, struct isolab_err *e);

/* For schedulers: ask pCPU cpu to reschedule as soon as the current
 * event is handled (Xen: raise SCHEDULE_SOFTIRQ on it). */
void sim__tickle(struct sim *s, unsigned cpu);

/* For schedulers: post timer (kind, arg) at time `at`; it calls
 * ops->timer.  Returns 0 or -1 (out of memory: the run then fails). */
int sim__timer(struct sim *s, uint64_t at, uint32_t kind, uint32_t arg);

/* Can v run (RUNNING or RUNNABLE, not BLOCKED)? */
static inline bool sim__runnable(const struct vcpu *v)
{
	return v->state != VCPU_BLOCKED;
}

#endif
