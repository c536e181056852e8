/*
 * sim.c - The discrete-event core (see sim.h): the event loop, the
 * workloads of vCPUs, switching a pCPU from one vCPU to another, and the
 * bookkeeping every metric is computed from.
 *
 * The loop is: pop the earliest event, handle it (a vCPU wakes, a burst
 * ends, a slice or a scheduler timer expires), then reschedule every pCPU
 * that was tickled meanwhile, in the order they were tickled.  Nothing
 * here reads the wall clock or iterates a hash table, so a seed fixes the
 * whole history.
 */
#include "sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

extern const struct sched_ops credit_ops, credit2_ops, rr_ops, fair_ops;

const struct sched_ops *const sim_schedulers[] = {
	&credit_ops, &credit2_ops, &rr_ops, &fair_ops, NULL,
};

const struct sched_ops *sim__find_sched(const char *name)
{
	for (size_t i = 0; sim_schedulers[i]; i++)
		if (strcmp(sim_schedulers[i]->name, name) == 0)
			return sim_schedulers[i];
	return NULL;
}

static void sim_fail(struct sim *s)
{
	if (!s->failed)
		err__set(s->err, ENOMEM, "simulator: out of memory");
	s->failed = 1;
}

static void post(struct sim *s, uint64_t at, uint32_t kind, uint32_t id,
		 uint64_t gen)
{
	struct event ev = {.t = at, .gen = gen, .kind = kind, .id = id};

	if (heap__push(&s->events, ev, NULL) < 0)
		sim_fail(s);
}

int sim__timer(struct sim *s, uint64_t at, uint32_t kind, uint32_t arg)
{
	post(s, at, EV_SCHED_TIMER, arg, kind);
	return s->failed ? -1 : 0;
}

void sim__tickle(struct sim *s, unsigned cpu)
{
	struct pcpu *p = &s->pcpus[cpu];

	if (p->need_resched)
		return;
	p->need_resched = true;
	s->resched[(s->resched_head + s->resched_n++) % s->npcpus] = cpu;
}

/* Charge v the CPU time since it was last accounted. */
static void account(struct vcpu *v, uint64_t now)
{
	uint64_t ran = now - v->acct_from;

	v->cpu_ns += ran;
	if (v->remaining != SIM_FOREVER)
		v->remaining -= ran < v->remaining ? ran : v->remaining;
	v->acct_from = now;
}

/* A new burst of work for v's workload, starting now. */
static uint64_t new_burst(struct vcpu *v)
{
	switch (v->wl->type) {
	case WL_CPU: return SIM_FOREVER;
	case WL_IO: return rng__exp(&v->rng, v->wl->run_ns);
	case WL_PERIODIC: return v->wl->run_ns;
	}
	return SIM_FOREVER;
}

static void switch_pcpu_state(struct sim *s, struct pcpu *p, struct vcpu *next)
{
	uint64_t d = s->now - p->since;

	if (p->curr)
		p->busy_ns += d;
	else
		p->idle_ns += d;
	p->since = s->now;
	p->curr = next;
}

/* Keep latency x of domain d: every one until the cap, then Vitter's
 * Algorithm R (a uniform sample of all so far, in bounded memory; the
 * domain's own generator keeps it deterministic). */
static void record_latency(struct sim *s, struct domain *d, uint64_t x)
{
	struct samples *l = &d->wake_latency_ns;
	uint64_t j;

	d->wakes++;
	if (l->n < s->opts.latency_cap) {
		if (samples__push(l, (double)x) < 0)
			sim_fail(s);
		return;
	}
	j = rng__next(&d->latency_rng) % d->wakes;
	if (j < l->n)
		l->v[j] = (double)x;
}

/* Switch v in on p: the one place a vCPU starts to run. */
static void run_vcpu(struct sim *s, struct pcpu *p, struct vcpu *v)
{
	v->state = VCPU_RUNNING;
	v->pcpu = (int)p->id;
	v->home = (int)p->id;
	v->stint_start = v->acct_from = s->now;
	v->switches++;
	/* A CPU hog wakes only once, at the start: its latency says nothing. */
	if (v->woke_at != SIM_FOREVER) {
		if (v->wl->type != WL_CPU)
			record_latency(s, v->dom, s->now - v->woke_at);
		v->woke_at = SIM_FOREVER;
	}
	if (v->remaining != SIM_FOREVER)
		post(s, s->now + v->remaining, EV_BURST_END, v->id,
		     ++v->burst_gen);
}

/* Set p's slice to end at `at`.  Most slices are cut short by a
 * preemption, so rather than post one event per slice (and leave the
 * heap full of stale ones), p keeps at most one pending EV_SLICE_END at or
 * before slice_at, and moves it on when it fires early (on_slice_end). */
static void arm_slice(struct sim *s, struct pcpu *p, uint64_t at)
{
	p->slice_at = at;
	if (at == SIM_FOREVER || p->slice_posted <= at)
		return;
	p->slice_posted = at;
	post(s, at, EV_SLICE_END, p->id, 0);
}

static void on_slice_end(struct sim *s, struct pcpu *p)
{
	if (s->now == p->slice_posted)
		p->slice_posted = SIM_FOREVER;
	if (p->slice_at == s->now) {
		p->slice_at = SIM_FOREVER;
		sim__tickle(s, p->id);
	} else if (p->slice_at != SIM_FOREVER && p->slice_at > s->now &&
		   p->slice_posted > p->slice_at) {
		p->slice_posted = p->slice_at;
		post(s, p->slice_at, EV_SLICE_END, p->id, 0);
	}
}

static void do_schedule(struct sim *s, unsigned cpu)
{
	struct pcpu *p = &s->pcpus[cpu];
	struct vcpu *prev = p->curr, *next;
	uint64_t slice = SIM_FOREVER;

	if (prev)
		account(prev, s->now);
	next = s->ops->schedule(s->priv, cpu, prev, s->now, &slice);
	if (next != prev) {
		if (prev) {
			prev->pcpu = -1;
			if (prev->state == VCPU_RUNNING) {
				prev->state = VCPU_RUNNABLE;
				prev->burst_gen++; /* its burst end moved */
			}
		}
		switch_pcpu_state(s, p, next);
		if (next)
			run_vcpu(s, p, next);
	}
	arm_slice(s, p,
		  slice == SIM_FOREVER ? SIM_FOREVER
				       : s->now + (slice ? slice : 1));
}

static void on_wake(struct sim *s, struct vcpu *v)
{
	v->state = VCPU_RUNNABLE;
	v->woke_at = s->now;
	v->remaining = new_burst(v);
	s->ops->wake(s->priv, v, s->now);
}

static void on_burst_end(struct sim *s, struct vcpu *v)
{
	uint64_t sleep;

	account(v, s->now);
	v->state = VCPU_BLOCKED;
	if (v->wl->type == WL_PERIODIC) {
		/* Released every period; a late job skips the releases it
		 * missed rather than queueing them. */
		v->next_period += v->wl->period_ns;
		while (v->next_period <= s->now)
			v->next_period += v->wl->period_ns;
		sleep = v->next_period - s->now;
	} else {
		sleep = rng__exp(&v->rng, v->wl->sleep_ns);
	}
	post(s, s->now + sleep, EV_WAKE, v->id, ++v->burst_gen);
	sim__tickle(s, (unsigned)v->pcpu);
}

/* The next phase of domain d's workload starts now: every vCPU drops what
 * it was doing and begins the new workload with a fresh burst. */
static void on_phase(struct sim *s, struct domain *d)
{
	const struct domain_spec *sp = d->spec;

	d->phase++;
	for (unsigned i = 0; i < sp->vcpus; i++) {
		struct vcpu *v = &d->vcpus[i];

		v->wl = &sp->phases[d->phase].wl;
		v->next_period = s->now;
		v->burst_gen++; /* cancels a pending wake or burst end */
		if (v->state == VCPU_BLOCKED) {
			on_wake(s, v);
			continue;
		}
		if (v->state == VCPU_RUNNING)
			account(v, s->now);
		v->remaining = new_burst(v);
		if (v->state == VCPU_RUNNING && v->remaining != SIM_FOREVER)
			post(s, s->now + v->remaining, EV_BURST_END, v->id,
			     v->burst_gen);
	}
	if (d->phase + 1 < sp->nphases)
		post(s, sp->phases[d->phase].until_ns, EV_PHASE, d->id, 0);
}

static uint64_t domain_cpu_now(const struct sim *s, const struct domain *d)
{
	uint64_t t = 0;

	for (unsigned i = 0; i < d->spec->vcpus; i++) {
		const struct vcpu *v = &d->vcpus[i];

		t += v->cpu_ns;
		if (v->state == VCPU_RUNNING)
			t += s->now - v->acct_from;
	}
	return t;
}

/* Trace: each domain's share of one pCPU over the last sampling period. */
static void on_sample(struct sim *s)
{
	for (unsigned i = 0; i < s->ndomains; i++) {
		struct domain *d = &s->domains[i];
		uint64_t t = domain_cpu_now(s, d);

		fprintf(s->opts.trace, "%.3f,%s,%.6f\n",
			(double)s->now / NS_PER_S, d->spec->name,
			(double)(t - d->sample_cpu_ns) /
				(double)s->opts.trace_every);
		d->sample_cpu_ns = t;
	}
	post(s, s->now + s->opts.trace_every, EV_SAMPLE, 0, 0);
}

static void handle(struct sim *s, const struct event *ev)
{
	struct vcpu *v = ev->id < s->nvcpus ? &s->vcpus[ev->id] : NULL;

	switch (ev->kind) {
	case EV_WAKE:
		if (ev->gen != v->burst_gen)
			return;
		on_wake(s, v);
		break;
	case EV_BURST_END:
		if (ev->gen != v->burst_gen || v->state != VCPU_RUNNING)
			return;
		on_burst_end(s, v);
		break;
	case EV_SLICE_END: on_slice_end(s, &s->pcpus[ev->id]); break;
	case EV_SCHED_TIMER:
		s->ops->timer(s->priv, (uint32_t)ev->gen, ev->id, s->now);
		break;
	case EV_SAMPLE: on_sample(s); break;
	case EV_PHASE: on_phase(s, &s->domains[ev->id]); break;
	}
	s->nevents++;
}

int sim__run(struct sim *s, struct isolab_err *e)
{
	uint64_t end = s->sc->duration_ns;
	struct event ev;

	s->err = e;
	while (!s->failed && heap__pop(&s->events, &ev) == 0 && ev.t < end) {
		s->now = ev.t;
		handle(s, &ev);
		while (s->resched_n && !s->failed) {
			unsigned cpu = s->resched[s->resched_head];

			s->resched_head = (s->resched_head + 1) % s->npcpus;
			s->resched_n--;
			s->pcpus[cpu].need_resched = false;
			do_schedule(s, cpu);
		}
	}
	if (s->failed)
		return -1;
	s->now = end;
	for (unsigned i = 0; i < s->npcpus; i++) {
		struct pcpu *p = &s->pcpus[i];

		if (p->curr)
			account(p->curr, end);
		switch_pcpu_state(s, p, p->curr);
	}
	return 0;
}

static int sim_alloc(struct sim *s, struct isolab_err *e)
{
	const struct scenario *sc = s->sc;

	s->npcpus = sc->pcpus;
	s->ndomains = sc->ndomains;
	s->nvcpus = scenario__vcpus(sc);
	s->pcpus = calloc(s->npcpus, sizeof(*s->pcpus));
	s->vcpus = calloc(s->nvcpus, sizeof(*s->vcpus));
	s->domains = calloc(s->ndomains, sizeof(*s->domains));
	s->resched = calloc(s->npcpus, sizeof(*s->resched));
	if (!s->pcpus || !s->vcpus || !s->domains || !s->resched)
		return err__set(e, ENOMEM, "simulator");
	return 0;
}

/* Lay out the machine and post every vCPU's first wake-up at time 0. */
static void sim_populate(struct sim *s)
{
	const struct scenario *sc = s->sc;
	unsigned id = 0;

	for (unsigned i = 0; i < s->npcpus; i++) {
		s->pcpus[i].id = i;
		s->pcpus[i].slice_at = s->pcpus[i].slice_posted = SIM_FOREVER;
	}
	for (unsigned i = 0; i < s->ndomains; i++) {
		struct domain *d = &s->domains[i];

		d->spec = &sc->domains[i];
		d->id = i;
		d->vcpus = &s->vcpus[id];
		d->wake_latency_ns = (struct samples)SAMPLES_INIT;
		/* Streams past every vCPU's, so no generator is shared. */
		rng__seed(&d->latency_rng, sc->seed,
			  (uint64_t)SCENARIO_MAX_VCPUS + i);
		for (unsigned j = 0; j < d->spec->vcpus; j++, id++) {
			struct vcpu *v = &s->vcpus[id];

			v->id = id;
			v->index = j;
			v->dom = d;
			v->state = VCPU_BLOCKED;
			v->pcpu = -1;
			v->home = (int)(id % s->npcpus);
			v->woke_at = SIM_FOREVER;
			v->wl = &d->spec->phases[0].wl;
			list_init(&v->link);
			rng__seed(&v->rng, sc->seed, id);
			post(s, 0, EV_WAKE, id, v->burst_gen);
		}
		if (d->spec->nphases > 1)
			post(s, d->spec->phases[0].until_ns, EV_PHASE, i, 0);
	}
	if (s->opts.trace)
		post(s, s->opts.trace_every, EV_SAMPLE, 0, 0);
}

int sim__create(const struct scenario *sc, const struct sched_ops *ops,
		const struct sim_opts *opts, struct sim **out,
		struct isolab_err *e)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		return err__set(e, ENOMEM, "simulator");
	s->sc = sc;
	s->ops = ops;
	s->err = e;
	if (opts)
		s->opts = *opts;
	if (s->opts.trace && !s->opts.trace_every)
		s->opts.trace_every = 100 * NS_PER_MS;
	if (!s->opts.latency_cap)
		s->opts.latency_cap = SIM_LATENCY_CAP;
	heap__init(&s->events);
	if (sim_alloc(s, e) < 0)
		goto fail;
	sim_populate(s);
	if (s->opts.trace)
		fprintf(s->opts.trace, "time_s,domain,share\n");
	if (s->failed || ops->create(s, &s->priv, e) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	sim__destroy(s);
	return -1;
}

void sim__destroy(struct sim *s)
{
	if (!s)
		return;
	if (s->priv)
		s->ops->destroy(s->priv);
	for (unsigned i = 0; s->domains && i < s->ndomains; i++)
		samples__free(&s->domains[i].wake_latency_ns);
	heap__free(&s->events);
	free(s->pcpus);
	free(s->vcpus);
	free(s->domains);
	free(s->resched);
	free(s);
}
