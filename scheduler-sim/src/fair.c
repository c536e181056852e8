/*
 * fair.c - Weighted fair sharing by virtual time, as Linux's CFS does it
 * (kernel/sched/fair.c): the vCPU that has had the least weighted CPU time
 * runs next.
 *
 * Every vCPU has a virtual runtime that grows as it runs, slower the more
 * weight it has (delta * NICE_0_LOAD / weight), and the pick is always the
 * smallest.  Over time everyone's virtual runtime advances together, so
 * CPU time divides in proportion to weight.  A domain is a task group: its
 * weight (cpu.shares) is split among its vCPUs.  A sleeper comes back at
 * no less than min_vruntime - sched_latency/2 (GENTLE_FAIR_SLEEPERS), so
 * sleeping earns a small head start but cannot bank unlimited credit, and
 * it preempts the running vCPU only if it is behind by more than the
 * wake-up granularity.  A cap is CFS bandwidth control: quota = cap% of a
 * 100 ms period; a group that used its quota is throttled until the next
 * period.
 *
 * Modelling choice: one queue (a min-heap on vruntime) for the whole
 * machine, i.e. CFS with a perfect load balancer; Linux keeps one queue
 * per CPU and migrates between them.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim.h"

/* kernel/sched/fair.c defaults (before EEVDF, Linux 6.5 and earlier). */
#define SYSCTL_SCHED_LATENCY		(6 * NS_PER_MS)
#define SYSCTL_SCHED_MIN_GRANULARITY	(750 * NS_PER_US)
#define SYSCTL_SCHED_WAKEUP_GRANULARITY (1 * NS_PER_MS)
#define NICE_0_LOAD			1024ULL
/* kernel/sched/core.c: default_cfs_period(), 100 ms. */
#define CFS_PERIOD (100 * NS_PER_MS)

enum { FAIR_TIMER_PERIOD, FAIR_TIMER_QUOTA };

struct fair_dom {
	uint64_t quota;	     /* per CFS_PERIOD, 0 = no cap */
	int64_t runtime;     /* left in this period */
	unsigned nr_running; /* its vCPUs on a pCPU now */
	uint64_t expiry_at;  /* the armed quota timer, SIM_FOREVER: none */
	bool throttled;
};

struct fair_vcpu {
	struct vcpu *v;
	struct fair_dom *fd;
	uint64_t vruntime, seq;
	uint64_t weight; /* load weight: a share of the domain's */
	uint64_t exec_start;
	int heap_index; /* -1 when not queued */
	bool running;
};

struct fair {
	struct sim *s;
	struct fair_vcpu *fv;
	struct fair_dom *fd;
	struct fair_vcpu **heap; /* min-heap on (vruntime, seq) */
	unsigned nheap;
	uint64_t min_vruntime, next_seq;
	uint64_t load; /* weight of queued + running vCPUs */
};

static inline bool fv_before(const struct fair_vcpu *a,
			     const struct fair_vcpu *b)
{
	return a->vruntime < b->vruntime ||
	       (a->vruntime == b->vruntime && a->seq < b->seq);
}

static void heap_set(struct fair *f, unsigned i, struct fair_vcpu *x)
{
	f->heap[i] = x;
	x->heap_index = (int)i;
}

static void heap_up(struct fair *f, unsigned i)
{
	struct fair_vcpu *x = f->heap[i];

	while (i > 0 && fv_before(x, f->heap[(i - 1) / 2])) {
		heap_set(f, i, f->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(f, i, x);
}

static void heap_down(struct fair *f, unsigned i)
{
	struct fair_vcpu *x = f->heap[i];

	for (;;) {
		unsigned c = 2 * i + 1;

		if (c >= f->nheap)
			break;
		if (c + 1 < f->nheap && fv_before(f->heap[c + 1], f->heap[c]))
			c++;
		if (!fv_before(f->heap[c], x))
			break;
		heap_set(f, i, f->heap[c]);
		i = c;
	}
	heap_set(f, i, x);
}

/* enqueue_entity (the queue has room for every vCPU). */
static void enqueue(struct fair *f, struct fair_vcpu *x)
{
	x->seq = f->next_seq++;
	f->heap[f->nheap] = x;
	heap_up(f, f->nheap++);
}

/* dequeue_entity: take x out wherever it is in the heap. */
static void dequeue(struct fair *f, struct fair_vcpu *x)
{
	unsigned i = (unsigned)x->heap_index;
	struct fair_vcpu *last = f->heap[--f->nheap];

	x->heap_index = -1;
	if (i == f->nheap)
		return;
	heap_set(f, i, last);
	heap_up(f, i);
	heap_down(f, (unsigned)last->heap_index);
}

static void throttle(struct fair *f, struct fair_dom *fd);

/* update_curr: charge the running x for the time since exec_start, in
 * virtual time and against its group's quota. */
static void update_curr(struct fair *f, struct fair_vcpu *x, uint64_t now)
{
	uint64_t delta = now - x->exec_start;

	x->exec_start = now;
	x->vruntime += delta * NICE_0_LOAD / x->weight;
	if (x->fd->quota) {
		x->fd->runtime -= (int64_t)delta;
		if (x->fd->runtime <= 0 && !x->fd->throttled)
			throttle(f, x->fd);
	}
}

/* throttle_cfs_rq: the group used its quota; off the queue until the next
 * period, and its running vCPUs are descheduled. */
static void throttle(struct fair *f, struct fair_dom *fd)
{
	struct domain *d = &f->s->domains[fd - f->fd];

	fd->throttled = true;
	for (unsigned i = 0; i < d->spec->vcpus; i++) {
		struct fair_vcpu *x = &f->fv[d->vcpus[i].id];

		if (x->heap_index >= 0)
			dequeue(f, x);
		if (x->v->state == VCPU_RUNNING)
			sim__tickle(f->s, (unsigned)x->v->pcpu);
	}
}

/* Charge every running vCPU of group fd up to now (it may throttle). */
static void charge_group(struct fair *f, struct fair_dom *fd, uint64_t now)
{
	struct domain *d = &f->s->domains[fd - f->fd];

	for (unsigned i = 0; i < d->spec->vcpus; i++) {
		struct fair_vcpu *x = &f->fv[d->vcpus[i].id];

		if (x->running)
			update_curr(f, x, now);
	}
}

/* The group's quota runs out, at the rate its running vCPUs use it, at
 * now + runtime / nr_running: the kernel's bandwidth timer fires then
 * (rather than at the next slice end of each vCPU, which would let a
 * group of many vCPUs overrun its quota). */
static void arm_quota(struct fair *f, struct fair_dom *fd, uint64_t now)
{
	uint64_t left;

	fd->expiry_at = SIM_FOREVER;
	if (!fd->quota || fd->throttled || !fd->nr_running || fd->runtime <= 0)
		return;
	left = ((uint64_t)fd->runtime + fd->nr_running - 1) / fd->nr_running;
	fd->expiry_at = now + left;
	sim__timer(f->s, fd->expiry_at, FAIR_TIMER_QUOTA,
		   (uint32_t)(fd - f->fd));
}

/* An idle pCPU nobody has tickled yet, or -1. */
static int idle_pcpu(struct fair *f)
{
	for (unsigned i = 0; i < f->s->npcpus; i++)
		if (!f->s->pcpus[i].curr && !f->s->pcpus[i].need_resched)
			return (int)i;
	return -1;
}

/* check_preempt_wakeup: take an idle pCPU, else preempt the running vCPU
 * furthest ahead in virtual time if x is behind it by more than the
 * wake-up granularity (scaled to x's weight, wakeup_gran()). */
static void preempt_for(struct fair *f, struct fair_vcpu *x, uint64_t now)
{
	int cpu = idle_pcpu(f);
	struct fair_vcpu *worst = NULL;
	uint64_t gran;

	if (cpu >= 0) {
		sim__tickle(f->s, (unsigned)cpu);
		return;
	}
	for (unsigned i = 0; i < f->s->npcpus; i++) {
		struct vcpu *c = f->s->pcpus[i].curr;

		if (c && !f->s->pcpus[i].need_resched &&
		    (!worst || f->fv[c->id].vruntime > worst->vruntime))
			worst = &f->fv[c->id];
	}
	if (!worst)
		return;
	update_curr(f, worst, now);
	gran = SYSCTL_SCHED_WAKEUP_GRANULARITY * NICE_0_LOAD / x->weight;
	if (worst->vruntime > x->vruntime + gran)
		sim__tickle(f->s, (unsigned)worst->v->pcpu);
}

/* update_min_vruntime: the smallest vruntime of what runs or waits,
 * never moving backwards.  Computed when a sleeper needs it, which is
 * when CFS's answer matters. */
static void update_min_vruntime(struct fair *f)
{
	uint64_t m = f->nheap ? f->heap[0]->vruntime : UINT64_MAX;

	for (unsigned i = 0; i < f->s->npcpus; i++) {
		struct vcpu *c = f->s->pcpus[i].curr;

		if (c && f->fv[c->id].vruntime < m)
			m = f->fv[c->id].vruntime;
	}
	if (m != UINT64_MAX && m > f->min_vruntime)
		f->min_vruntime = m;
}

static void fair_wake(void *priv, struct vcpu *v, uint64_t now)
{
	struct fair *f = priv;
	struct fair_vcpu *x = &f->fv[v->id];
	uint64_t floor;

	update_min_vruntime(f);
	floor = f->min_vruntime > SYSCTL_SCHED_LATENCY / 2
			? f->min_vruntime - SYSCTL_SCHED_LATENCY / 2
			: 0;

	/* place_entity with GENTLE_FAIR_SLEEPERS. */
	if (x->vruntime < floor)
		x->vruntime = floor;
	f->load += x->weight;
	if (x->fd->throttled)
		return; /* queued when the period refreshes */
	enqueue(f, x);
	preempt_for(f, x, now);
}

/* sched_slice: a share of the latency target by weight, the target
 * stretched over all pCPUs, never below the minimum granularity. */
static uint64_t slice_of(struct fair *f, struct fair_vcpu *x)
{
	uint64_t s = SYSCTL_SCHED_LATENCY * f->s->npcpus * x->weight /
		     (f->load ? f->load : 1);

	return s < SYSCTL_SCHED_MIN_GRANULARITY ? SYSCTL_SCHED_MIN_GRANULARITY
						: s;
}

static struct vcpu *fair_schedule(void *priv, unsigned cpu, struct vcpu *prev,
				  uint64_t now, uint64_t *slice)
{
	struct fair *f = priv;
	struct fair_vcpu *next;

	(void)cpu;
	if (prev) {
		struct fair_vcpu *x = &f->fv[prev->id];

		update_curr(f, x, now);
		x->running = false;
		x->fd->nr_running--;
		if (x->fd->quota) {
			charge_group(f, x->fd, now);
			arm_quota(f, x->fd, now);
		}
		if (!sim__runnable(prev))
			f->load -= x->weight;
		else if (!x->fd->throttled)
			enqueue(f, x);
	}
	do {
		if (f->nheap == 0) {
			*slice = SIM_FOREVER;
			return NULL;
		}
		next = f->heap[0];
		dequeue(f, next);
		if (next->fd->quota)
			charge_group(f, next->fd, now);
	} while (next->fd->throttled);
	next->exec_start = now;
	next->running = true;
	next->fd->nr_running++;
	arm_quota(f, next->fd, now);
	*slice = slice_of(f, next);
	return next->v;
}

/* sched_cfs_period_timer: refill every capped group's quota and put the
 * runnable vCPUs of throttled groups back on the queue. */
static void fair_timer(void *priv, uint32_t kind, uint32_t arg, uint64_t now)
{
	struct fair *f = priv;

	if (kind == FAIR_TIMER_QUOTA) {
		struct fair_dom *fd = &f->fd[arg];

		if (fd->expiry_at != now)
			return; /* re-armed since: stale */
		charge_group(f, fd, now);
		arm_quota(f, fd, now);
		return;
	}
	for (unsigned i = 0; i < f->s->ndomains; i++) {
		struct fair_dom *fd = &f->fd[i];
		struct domain *d = &f->s->domains[i];

		if (!fd->quota)
			continue;
		charge_group(f, fd, now); /* the old period's use */
		fd->runtime = (int64_t)fd->quota;
		if (!fd->throttled) {
			arm_quota(f, fd, now);
			continue;
		}
		fd->throttled = false;
		for (unsigned j = 0; j < d->spec->vcpus; j++) {
			struct fair_vcpu *x = &f->fv[d->vcpus[j].id];

			if (x->v->state == VCPU_RUNNABLE && x->heap_index < 0) {
				enqueue(f, x);
				preempt_for(f, x, now);
			}
		}
	}
	sim__timer(f->s, now + CFS_PERIOD, FAIR_TIMER_PERIOD, 0);
}

static int fair_create(struct sim *s, void **out, struct isolab_err *e)
{
	struct fair *f = calloc(1, sizeof(*f));
	bool capped = false;

	if (!f)
		return err__set(e, ENOMEM, "fair");
	f->s = s;
	f->fv = calloc(s->nvcpus, sizeof(*f->fv));
	f->fd = calloc(s->ndomains, sizeof(*f->fd));
	f->heap = calloc(s->nvcpus, sizeof(*f->heap));
	*out = f;
	if (!f->fv || !f->fd || !f->heap)
		return err__set(e, ENOMEM, "fair");
	for (unsigned i = 0; i < s->ndomains; i++) {
		const struct domain_spec *sp = s->domains[i].spec;

		f->fd[i].quota = (uint64_t)sp->cap * CFS_PERIOD / 100;
		f->fd[i].runtime = (int64_t)f->fd[i].quota;
		f->fd[i].expiry_at = SIM_FOREVER;
		capped |= sp->cap != 0;
	}
	for (unsigned i = 0; i < s->nvcpus; i++) {
		struct fair_vcpu *x = &f->fv[i];
		const struct domain_spec *sp = s->vcpus[i].dom->spec;

		x->v = &s->vcpus[i];
		x->fd = &f->fd[x->v->dom->id];
		x->heap_index = -1;
		/* Xen's weight 256 is CFS's NICE_0_LOAD 1024, split over the
		 * group's vCPUs. */
		x->weight = (uint64_t)sp->weight * 4 / sp->vcpus;
		if (x->weight == 0)
			x->weight = 1;
	}
	if (capped && sim__timer(s, CFS_PERIOD, FAIR_TIMER_PERIOD, 0) < 0)
		return err__set(e, ENOMEM, "fair");
	return 0;
}

static void fair_destroy(void *priv)
{
	struct fair *f = priv;

	free(f->fv);
	free(f->fd);
	free(f->heap);
	free(f);
}

const struct sched_ops fair_ops = {
	.name = "fair",
	.what = "CFS-like weighted fair sharing by virtual runtime, CFS quota",
	.create = fair_create,
	.destroy = fair_destroy,
	.wake = fair_wake,
	.schedule = fair_schedule,
	.timer = fair_timer,
};
