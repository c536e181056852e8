/*
 * credit2.c - Xen's credit2 scheduler (xen/common/sched/credit2.c), in
 * outline: weight-scaled credit burn, a credit reset when the next vCPU
 * has run out, one run queue shared by a group of pCPUs.
 *
 * Every vCPU starts with CSCHED2_CREDIT_INIT (10 ms) of credit and burns
 * it while running, faster the lower its weight (t2c: delta * max_weight /
 * weight), so the heaviest vCPU burns at real time.  The run queue is
 * kept in credit order and the vCPU with the most credit runs.  When the
 * vCPU about to run has no credit left, every vCPU of the run queue gets
 * CSCHED2_CREDIT_INIT more (reset_credit()), with at most
 * CSCHED2_CARRYOVER_MAX carried over: no fixed accounting period as in
 * credit1.  A woken vCPU usually has credit left and so preempts a hog
 * without any BOOST.  A slice lasts until the runner's credit would fall
 * to the next vCPU's (csched2_runtime), within [CSCHED2_MIN_TIMER or
 * the rate limit, CSCHED2_MAX_TIMER].  Caps are budgets refilled every
 * CSCHED2_BDGT_REPL_PERIOD: a vCPU about to run grabs a share of its
 * domain's budget and runs no longer than that share, then returns what
 * is left (vcpu_grab_budget, vcpu_return_budget); a vCPU that finds no
 * budget to grab is parked until the refill (park_unit).
 *
 * Modelling choices: one run queue per CSCHED2_RUNQ_CPUS pCPUs (Xen's
 * default groups by socket); max_weight is the largest weight in the
 * scenario; a waking vCPU goes to the least loaded run queue and an idle
 * pCPU pulls from the most loaded one (Xen balances load averages).
 * Weights are per vCPU, as in Xen's credit2, so a domain's share grows
 * with its vCPU count.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim.h"

/* xen/common/sched/credit2.c */
#define CSCHED2_CREDIT_INIT	 (10 * NS_PER_MS)
#define CSCHED2_CREDIT_RESET	 0
#define CSCHED2_MIN_TIMER	 (500 * NS_PER_US)
#define CSCHED2_MAX_TIMER	 CSCHED2_CREDIT_INIT
#define CSCHED2_CARRYOVER_MAX	 CSCHED2_MIN_TIMER
#define CSCHED2_BDGT_REPL_PERIOD (10 * NS_PER_MS)
/* This model's socket: pCPUs per run queue. */
#define CSCHED2_RUNQ_CPUS 8

enum { CREDIT2_TIMER_REPL };

struct c2_dom {
	int64_t budget, tot_budget; /* tot_budget 0: no cap */
};

struct c2_unit {
	struct vcpu *v;
	struct c2_dom *sdom;
	int64_t credit;
	int64_t budget; /* grabbed from its domain, while it runs */
	bool parked;	/* found no budget: waits for the refill */
	uint64_t weight, start_time;
	unsigned rq;
	struct list_link member; /* on its run queue's member list */
};

struct c2_runq {
	struct list_link queue;	  /* waiting vCPUs, most credit first */
	struct list_link members; /* every vCPU assigned here */
	unsigned first_cpu, ncpus;
	unsigned nr_runnable; /* queued + running members */
	unsigned nqueued;
};

struct credit2 {
	struct sim *s;
	struct c2_unit *u;
	struct c2_dom *d;
	struct c2_runq *rq;
	unsigned nrq;
	uint64_t max_weight, ratelimit;
};

static inline struct c2_unit *qelem(struct credit2 *c, struct list_link *l)
{
	return &c->u[list_entry(l, struct vcpu, link)->id];
}

/* runq_insert: after every vCPU with at least as much credit. */
static void runq_insert(struct credit2 *c, struct c2_unit *svc)
{
	struct c2_runq *rq = &c->rq[svc->rq];
	struct list_link *it;

	for (it = rq->queue.next; it != &rq->queue; it = it->next)
		if (svc->credit > qelem(c, it)->credit)
			break;
	list_insert_before(it, &svc->v->link);
	rq->nqueued++;
}

static void runq_remove(struct credit2 *c, struct c2_unit *svc)
{
	list_del_init(&svc->v->link);
	c->rq[svc->rq].nqueued--;
}

/* burn_credits: t2c(delta) = delta * max_weight / weight. */
static void burn_credits(struct credit2 *c, struct c2_unit *svc, uint64_t now)
{
	uint64_t delta = now - svc->start_time;

	svc->start_time = now;
	svc->credit -= (int64_t)(delta * c->max_weight / svc->weight);
	if (svc->sdom->tot_budget)
		svc->budget -= (int64_t)delta;
}

/* reset_credit: everyone on the run queue gets CREDIT_INIT more (m times
 * as much if snext is that far in debt), clipped to INIT + CARRYOVER_MAX;
 * then the queue is put back in credit order. */
static void reset_credit(struct credit2 *c, struct c2_runq *rq,
			 struct c2_unit *snext)
{
	int64_t m = 1, top = CSCHED2_CREDIT_INIT + CSCHED2_CARRYOVER_MAX;
	struct list_link *it, old;

	if (snext->credit < -(int64_t)CSCHED2_CREDIT_INIT)
		m += -snext->credit / (int64_t)CSCHED2_CREDIT_INIT;
	for (it = rq->members.next; it != &rq->members; it = it->next) {
		struct c2_unit *svc = list_entry(it, struct c2_unit, member);

		svc->credit += m * (int64_t)CSCHED2_CREDIT_INIT;
		if (svc->credit > top)
			svc->credit = top;
	}
	/* Re-sort: move the queue aside and insert each again. */
	list_init(&old);
	if (!list_empty(&rq->queue)) {
		list_insert_before(rq->queue.next, &old);
		list_del_init(&rq->queue);
	}
	rq->nqueued = 0;
	while (!list_empty(&old)) {
		struct c2_unit *svc = qelem(c, old.next);

		list_del_init(old.next);
		runq_insert(c, svc);
	}
}

/* Move svc's membership to run queue r. */
static void migrate(struct credit2 *c, struct c2_unit *svc, unsigned r)
{
	if (svc->rq == r)
		return;
	c->rq[svc->rq].nr_runnable--;
	c->rq[r].nr_runnable++;
	list_del_init(&svc->member);
	list_add_tail(&c->rq[r].members, &svc->member);
	svc->rq = r;
}

/* vcpu_grab_budget: a share of the domain's budget for svc to run on
 * (its vCPUs' fair part of a period, at least CSCHED2_MIN_TIMER).
 * Returns false if the domain has none left. */
static bool grab_budget(struct c2_unit *svc)
{
	struct c2_dom *sd = svc->sdom;
	int64_t quota = sd->tot_budget / (int64_t)svc->v->dom->spec->vcpus;

	if (!sd->tot_budget)
		return true;
	if (sd->budget <= 0)
		return false;
	if (quota < (int64_t)CSCHED2_MIN_TIMER)
		quota = CSCHED2_MIN_TIMER;
	svc->budget = quota < sd->budget ? quota : sd->budget;
	sd->budget -= svc->budget;
	return true;
}

/* vcpu_return_budget: what svc did not use (or overran) goes back. */
static void return_budget(struct c2_unit *svc)
{
	svc->sdom->budget += svc->budget;
	svc->budget = 0;
}

/* park_unit: svc found no budget; off its run queue until the refill.
 * Its siblings run on what they grabbed. */
static void park_unit(struct credit2 *c, struct c2_unit *svc)
{
	svc->parked = true;
	if (!list_empty(&svc->v->link))
		runq_remove(c, svc);
}

/* runq_tickle: an idle pCPU of the run queue, else the one running the
 * vCPU with least credit if new has more. */
static void runq_tickle(struct credit2 *c, struct c2_unit *new)
{
	struct c2_runq *rq = &c->rq[new->rq];
	int target = -1;
	int64_t lowest = new->credit;

	for (unsigned i = rq->first_cpu; i < rq->first_cpu + rq->ncpus; i++) {
		const struct pcpu *p = &c->s->pcpus[i];

		if (p->need_resched)
			continue;
		if (!p->curr) {
			target = (int)i;
			break;
		}
		if (c->u[p->curr->id].credit < lowest) {
			lowest = c->u[p->curr->id].credit;
			target = (int)i;
		}
	}
	if (target >= 0)
		sim__tickle(c->s, (unsigned)target);
}

static unsigned least_loaded(struct credit2 *c, unsigned cur)
{
	unsigned best = cur;

	for (unsigned r = 0; r < c->nrq; r++)
		if (c->rq[r].nr_runnable * c->rq[best].ncpus <
		    c->rq[best].nr_runnable * c->rq[r].ncpus)
			best = r;
	return best;
}

static void credit2_wake(void *priv, struct vcpu *v, uint64_t now)
{
	struct credit2 *c = priv;
	struct c2_unit *svc = &c->u[v->id];

	(void)now;
	c->rq[svc->rq].nr_runnable++;
	migrate(c, svc, least_loaded(c, svc->rq));
	if (svc->parked)
		return;
	runq_insert(c, svc);
	runq_tickle(c, svc);
}

/* An idle pCPU of run queue r takes the head of the fullest other queue
 * (or NULL). */
static struct c2_unit *pull(struct credit2 *c, unsigned r)
{
	unsigned best = r;

	for (unsigned i = 0; i < c->nrq; i++)
		if (c->rq[i].nqueued > c->rq[best].nqueued)
			best = i;
	if (best == r || c->rq[best].nqueued == 0)
		return NULL;
	struct c2_unit *svc = qelem(c, c->rq[best].queue.next);

	runq_remove(c, svc);
	migrate(c, svc, r);
	return svc;
}

/* csched2_runtime: until snext's credit falls to that of the next in line,
 * within [MIN_TIMER, MAX_TIMER], and within the budget it grabbed. */
static uint64_t runtime_of(struct credit2 *c, struct c2_unit *snext)
{
	struct c2_runq *rq = &c->rq[snext->rq];
	int64_t gap = snext->credit;
	uint64_t t;

	if (!list_empty(&rq->queue))
		gap -= qelem(c, rq->queue.next)->credit;
	t = gap > 0 ? (uint64_t)gap * snext->weight / c->max_weight : 0;
	/* Never below the rate limit either (csched2_runtime). */
	if (t < CSCHED2_MIN_TIMER)
		t = CSCHED2_MIN_TIMER;
	if (t < c->ratelimit)
		t = c->ratelimit;
	if (t > CSCHED2_MAX_TIMER)
		t = CSCHED2_MAX_TIMER;
	if (snext->sdom->tot_budget && (uint64_t)snext->budget < t)
		t = (uint64_t)snext->budget;
	return t;
}

static struct vcpu *credit2_schedule(void *priv, unsigned cpu,
				     struct vcpu *prev, uint64_t now,
				     uint64_t *slice)
{
	struct credit2 *c = priv;
	unsigned r = cpu / CSCHED2_RUNQ_CPUS;
	struct c2_runq *rq = &c->rq[r];
	struct c2_unit *scurr = prev ? &c->u[prev->id] : NULL, *snext;

	if (scurr) {
		burn_credits(c, scurr, now);
		if (scurr->sdom->tot_budget)
			return_budget(scurr);
		if (!sim__runnable(prev)) {
			c->rq[scurr->rq].nr_runnable--;
		} else {
			uint64_t ran = now - prev->stint_start;

			if (c->ratelimit && ran < c->ratelimit &&
			    grab_budget(scurr)) {
				*slice = c->ratelimit - ran;
				if (scurr->sdom->tot_budget &&
				    (uint64_t)scurr->budget < *slice)
					*slice = (uint64_t)scurr->budget;
				return prev;
			}
			migrate(c, scurr, r);
			runq_insert(c, scurr);
		}
	}
	do {
		if (list_empty(&rq->queue)) {
			snext = pull(c, r);
			if (!snext) {
				*slice = SIM_FOREVER;
				return NULL;
			}
		} else {
			snext = qelem(c, rq->queue.next);
			if (snext->credit <= CSCHED2_CREDIT_RESET) {
				reset_credit(c, rq, snext);
				snext = qelem(c, rq->queue.next);
			}
			runq_remove(c, snext);
		}
		if (grab_budget(snext))
			break;
		park_unit(c, snext); /* out of budget: the next one */
	} while (1);
	snext->start_time = now;
	*slice = runtime_of(c, snext);
	return snext->v;
}

/* replenish_domain_budget: refill every capped domain, unpark. */
static void credit2_timer(void *priv, uint32_t kind, uint32_t arg, uint64_t now)
{
	struct credit2 *c = priv;

	(void)kind;
	(void)arg;
	for (unsigned i = 0; i < c->s->ndomains; i++) {
		struct c2_dom *sd = &c->d[i];
		struct domain *d = &c->s->domains[i];

		if (!sd->tot_budget)
			continue;
		sd->budget += sd->tot_budget;
		if (sd->budget > sd->tot_budget)
			sd->budget = sd->tot_budget;
		for (unsigned j = 0; j < d->spec->vcpus && sd->budget > 0;
		     j++) {
			struct c2_unit *svc = &c->u[d->vcpus[j].id];

			if (!svc->parked)
				continue;
			svc->parked = false;
			if (svc->v->state == VCPU_RUNNABLE &&
			    list_empty(&svc->v->link)) {
				runq_insert(c, svc);
				runq_tickle(c, svc);
			}
		}
	}
	sim__timer(c->s, now + CSCHED2_BDGT_REPL_PERIOD, CREDIT2_TIMER_REPL, 0);
}

static int credit2_create(struct sim *s, void **out, struct isolab_err *e)
{
	struct credit2 *c = calloc(1, sizeof(*c));
	bool capped = false;

	if (!c)
		return err__set(e, ENOMEM, "credit2");
	*out = c;
	c->s = s;
	c->nrq = (s->npcpus + CSCHED2_RUNQ_CPUS - 1) / CSCHED2_RUNQ_CPUS;
	c->u = calloc(s->nvcpus, sizeof(*c->u));
	c->d = calloc(s->ndomains, sizeof(*c->d));
	c->rq = calloc(c->nrq, sizeof(*c->rq));
	if (!c->u || !c->d || !c->rq)
		return err__set(e, ENOMEM, "credit2");
	c->ratelimit = s->sc->ratelimit_ns;
	for (unsigned r = 0; r < c->nrq; r++) {
		list_init(&c->rq[r].queue);
		list_init(&c->rq[r].members);
		c->rq[r].first_cpu = r * CSCHED2_RUNQ_CPUS;
		c->rq[r].ncpus = s->npcpus - r * CSCHED2_RUNQ_CPUS;
		if (c->rq[r].ncpus > CSCHED2_RUNQ_CPUS)
			c->rq[r].ncpus = CSCHED2_RUNQ_CPUS;
	}
	for (unsigned i = 0; i < s->ndomains; i++) {
		unsigned cap = s->domains[i].spec->cap;

		c->d[i].tot_budget =
			(int64_t)(cap * CSCHED2_BDGT_REPL_PERIOD / 100);
		c->d[i].budget = c->d[i].tot_budget;
		capped |= cap != 0;
		if (s->domains[i].spec->weight > c->max_weight)
			c->max_weight = s->domains[i].spec->weight;
	}
	for (unsigned i = 0; i < s->nvcpus; i++) {
		struct c2_unit *svc = &c->u[i];

		svc->v = &s->vcpus[i];
		svc->sdom = &c->d[svc->v->dom->id];
		svc->weight = svc->v->dom->spec->weight;
		svc->credit = CSCHED2_CREDIT_INIT;
		svc->rq = (unsigned)svc->v->home / CSCHED2_RUNQ_CPUS;
		list_add_tail(&c->rq[svc->rq].members, &svc->member);
	}
	if (capped &&
	    sim__timer(s, CSCHED2_BDGT_REPL_PERIOD, CREDIT2_TIMER_REPL, 0) < 0)
		return err__set(e, ENOMEM, "credit2");
	return 0;
}

static void credit2_destroy(void *priv)
{
	struct credit2 *c = priv;

	free(c->u);
	free(c->d);
	free(c->rq);
	free(c);
}

const struct sched_ops credit2_ops = {
	.name = "credit2",
	.what = "Xen's credit2: weight-scaled burn, credit reset, shared "
		"queues",
	.create = credit2_create,
	.destroy = credit2_destroy,
	.wake = credit2_wake,
	.schedule = credit2_schedule,
	.timer = credit2_timer,
};
