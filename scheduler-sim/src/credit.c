/*
 * credit.c - Xen's credit scheduler (credit1), as in
 * xen/common/sched/credit.c, on the simulator's pCPUs.
 *
 * The lecture's "VMM CPU scheduler": every domain has a weight and may have
 * a cap.  Every time slice (30 ms) credit_account() hands out the credit of
 * the slice (10 credits per ms per pCPU) among the active domains in
 * proportion to their weights; a running vCPU burns credit as it runs
 * (burn_credits(), by elapsed time, not whole ticks).  A vCPU with credit
 * left is UNDER, one that overspent is OVER; each pCPU runs its queue in
 * priority order BOOST > UNDER > OVER > IDLE, FIFO within a priority.  A
 * vCPU waking from I/O while UNDER is BOOSTed so it preempts CPU hogs, and
 * loses the boost at the next 10 ms tick that finds it running.  A pCPU
 * whose next vCPU is OVER, or that would idle, steals a better vCPU from a
 * peer (credit_load_balance()): this is what makes credit work-conserving
 * across pCPUs.  A capped domain that overspends is parked (taken off the
 * run queues) until its credit is positive again: caps are not
 * work-conserving.
 *
 * Read credit_account() first, then credit_schedule(), credit_wake() and
 * credit_tick().  Names of constants and functions follow Xen's (csched_X
 * is credit_X here); where the simulation differs from Xen it says so.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim.h"

/* Basic constants, xen/common/sched/credit.c. */
#define CSCHED_DEFAULT_WEIGHT	 256
#define CSCHED_TICKS_PER_TSLICE	 3
#define CSCHED_DEFAULT_TSLICE_MS 30
#define CSCHED_CREDITS_PER_MSEC	 10
/* xen/include/public/sysctl.h: the shortest rate limit, and so the
 * shortest timer credit ever sets (CSCHED_MIN_TIMER). */
#define XEN_SYSCTL_SCHED_RATELIMIT_MIN 100
#define CSCHED_MIN_TIMER	       (XEN_SYSCTL_SCHED_RATELIMIT_MIN * NS_PER_US)

/* Priorities, credit.c: larger runs first. */
#define CSCHED_PRI_TS_BOOST 0	/* time-share waking up */
#define CSCHED_PRI_TS_UNDER -1	/* time-share w/ credits */
#define CSCHED_PRI_TS_OVER  -2	/* time-share w/o credits */
#define CSCHED_PRI_IDLE	    -64 /* idle */

/* The scheduler's timers. */
enum { CREDIT_TIMER_TICK, CREDIT_TIMER_ACCT };

struct credit_dom;

/* Xen's struct csched_unit: a vCPU as credit sees it.  Its run queue link
 * is the vCPU's own (v->link). */
struct credit_unit {
	struct vcpu *v;
	struct credit_dom *sdom;
	int pri;
	int credit;
	unsigned residual;  /* sub-credit remainder of burn_credits() */
	int64_t start_time; /* credit burnt up to here (see burn_credits) */
	unsigned master;    /* the pCPU whose run queue it belongs to */
	bool parked;	    /* CSCHED_FLAG_UNIT_PARKED */
	int migrate_to;	    /* _VPF_migrating: the idler to move to, or -1 */
	bool active;	    /* on sdom->active_unit */
	struct list_link active_elem;
};

/* struct csched_dom */
struct credit_dom {
	struct domain *dom;
	struct list_link active_unit;
	struct list_link active_sdom_elem;
	unsigned active_unit_count;
	unsigned weight, cap;
};

/* struct csched_pcpu */
struct credit_pcpu {
	struct list_link runq;
	unsigned nr_runnable; /* queued + running vCPUs of this pCPU */
	uint32_t runq_sort_last;
	uint64_t tick_at; /* the armed tick, SIM_FOREVER when stopped */
	bool idler;	  /* in prv->idlers */
};

/* struct csched_private */
struct credit_private {
	struct sim *s;
	struct credit_unit *units;
	struct credit_dom *doms;
	struct credit_pcpu *pcpus;
	struct list_link active_sdom;
	/* Xen keeps these (and csched_acct's locals) in 32 bits; 64 here
	 * so that 65535-weight domains on thousands of pCPUs cannot wrap
	 * the products in credit_account(). */
	uint64_t weight; /* sum of weights of active vCPUs */
	uint64_t credit; /* credits_per_tslice * ncpus */
	int credit_balance;
	unsigned credits_per_tslice;
	uint64_t tslice, tick_period, ratelimit;
	uint32_t runq_sort;
	unsigned balance_bias, last_tickle_cpu, nidlers;
	bool boost; /* --no-boost turns BOOST off, to show what it buys */
};

static inline struct credit_unit *unit_of(struct credit_private *prv,
					  const struct vcpu *v)
{
	return &prv->units[v->id];
}

static inline struct credit_unit *runq_elem(struct credit_private *prv,
					    struct list_link *l)
{
	return unit_of(prv, list_entry(l, struct vcpu, link));
}

static inline bool on_runq(const struct credit_unit *svc)
{
	return !list_empty(&svc->v->link);
}

static void set_idler(struct credit_private *prv, unsigned cpu, bool idle)
{
	if (prv->pcpus[cpu].idler == idle)
		return;
	prv->pcpus[cpu].idler = idle;
	if (idle)
		prv->nidlers++;
	else
		prv->nidlers--;
}

/* __runq_insert: before the first vCPU of lower priority, so FIFO within
 * a priority. */
static void runq_insert(struct credit_private *prv, struct credit_unit *svc)
{
	struct list_link *runq = &prv->pcpus[svc->master].runq, *iter;

	for (iter = runq->next; iter != runq; iter = iter->next)
		if (svc->pri > runq_elem(prv, iter)->pri)
			break;
	list_insert_before(iter, &svc->v->link);
}

/* The first pCPU after `after` (cyclically) that is an idler, or -1:
 * Xen's cpumask_cycle() over prv->idlers. */
static int cycle_idler(struct credit_private *prv, unsigned after)
{
	unsigned n = prv->s->npcpus;

	for (unsigned i = 1; i <= n; i++) {
		unsigned c = (after + i) % n;

		if (prv->pcpus[c].idler)
			return (int)c;
	}
	return -1;
}

static int cur_pri(struct credit_private *prv, unsigned cpu)
{
	struct vcpu *cur = prv->s->pcpus[cpu].curr;

	return cur ? unit_of(prv, cur)->pri : CSCHED_PRI_IDLE;
}

/* __runq_tickle: new was just queued on its pCPU.  Preempt that pCPU if it
 * idles, or if no pCPU idles and new outranks what runs there; otherwise
 * wake one idle pCPU, which will steal new (credit_load_balance()). */
static void runq_tickle(struct credit_private *prv, struct credit_unit *new)
{
	unsigned cpu = new->master;
	int cpri = cur_pri(prv, cpu), target = -1;

	if (cpri == CSCHED_PRI_IDLE || (prv->nidlers == 0 && new->pri > cpri)) {
		target = (int)cpu;
	} else if (prv->nidlers) {
		target = cycle_idler(prv, prv->last_tickle_cpu);
		prv->last_tickle_cpu = (unsigned)target;
	}
	if (target < 0)
		return;
	set_idler(prv, (unsigned)target, false);
	sim__tickle(prv->s, (unsigned)target);
}

/* burn_credits: charge the running vCPU for the time since start_time, at
 * CSCHED_CREDITS_PER_MSEC, keeping the sub-credit remainder in residual. */
static void burn_credits(struct credit_unit *svc, uint64_t now)
{
	int64_t delta = (int64_t)now - svc->start_time;
	uint64_t val, credits;

	if (delta <= 0)
		return;
	val = (uint64_t)delta * CSCHED_CREDITS_PER_MSEC + svc->residual;
	svc->residual = (unsigned)(val % NS_PER_MS);
	credits = val / NS_PER_MS;
	svc->credit -= (int)credits;
	svc->start_time +=
		(int64_t)(credits * NS_PER_MS / CSCHED_CREDITS_PER_MSEC);
}

/* __csched_unit_acct_start: svc earns credit from now on; its weight
 * joins the total. */
static void acct_start(struct credit_private *prv, struct credit_unit *svc)
{
	struct credit_dom *sdom = svc->sdom;

	if (svc->active)
		return;
	svc->active = true;
	sdom->active_unit_count++;
	list_add_head(&sdom->active_unit, &svc->active_elem);
	prv->weight += sdom->weight;
	if (list_empty(&sdom->active_sdom_elem))
		list_add_head(&prv->active_sdom, &sdom->active_sdom_elem);
}

/* __csched_unit_acct_stop_locked */
static void acct_stop(struct credit_private *prv, struct credit_unit *svc)
{
	struct credit_dom *sdom = svc->sdom;

	svc->active = false;
	sdom->active_unit_count--;
	list_del_init(&svc->active_elem);
	prv->weight -= sdom->weight;
	if (list_empty(&sdom->active_unit))
		list_del_init(&sdom->active_sdom_elem);
}

/* Park svc (its capped domain overspent): Xen pauses the unit, which takes
 * it off its run queue, or makes its pCPU reschedule if it runs. */
static void park(struct credit_private *prv, struct credit_unit *svc)
{
	svc->parked = true;
	if (svc->v->state == VCPU_RUNNING) {
		sim__tickle(prv->s, (unsigned)svc->v->pcpu);
	} else if (on_runq(svc)) {
		list_del_init(&svc->v->link);
		prv->pcpus[svc->master].nr_runnable--;
	}
}

/* Unpark: the unpause wakes it, with PARKED still set so it is not
 * boosted (credit.c clears the flag after sched_unit_unpause()). */
static void unpark(struct credit_private *prv, struct credit_unit *svc)
{
	if (svc->v->state == VCPU_RUNNABLE && !on_runq(svc)) {
		runq_insert(prv, svc);
		prv->pcpus[svc->master].nr_runnable++;
		runq_tickle(prv, svc);
	}
	svc->parked = false;
}

/* After the domain's credit is added: priority from the sign of the
 * credit, park/unpark for caps, floor and ceiling (csched_acct's inner
 * loop). */
static int account_unit(struct credit_private *prv, struct credit_unit *svc,
			uint64_t credit_fair, uint64_t credit_cap)
{
	int per_tslice = (int)prv->credits_per_tslice;
	int credit;

	svc->credit += (int)credit_fair;
	credit = svc->credit;
	if (credit < 0) {
		svc->pri = CSCHED_PRI_TS_OVER;
		/* Park running units of capped-out domains. */
		if (svc->sdom->cap != 0 && credit < -(int)credit_cap &&
		    !svc->parked)
			park(prv, svc);
		/* Lower bound on credits. */
		if (credit < -per_tslice)
			credit = svc->credit = -per_tslice;
	} else {
		svc->pri = CSCHED_PRI_TS_UNDER;
		if (svc->parked)
			unpark(prv, svc);
		/* Upper bound: the unit stops earning, and restarts with half
		 * so it starts "a little bit ahead". */
		if (credit > per_tslice) {
			acct_stop(prv, svc);
			credit = svc->credit = credit / 2;
		}
	}
	return credit;
}

/* csched_acct: every time slice, share out the period's credit among the
 * active domains by weight.  A domain gets at most what its active vCPUs
 * can burn in one slice (credit_peak), or its cap; what it cannot use is
 * offered to the domains after it (credit_total grows by the excess,
 * rescaled to the remaining weight). */
static void credit_account(struct credit_private *prv)
{
	uint64_t weight_total = prv->weight, credit_total = prv->credit;
	uint64_t weight_left, credit_fair, credit_peak, credit_cap = 0;
	int credit_balance = 0, credit_xtra = 0;
	struct list_link *it, *next;

	/* Converge balance towards 0 when it drops negative. */
	if (prv->credit_balance < 0)
		credit_total += (uint64_t) - (int64_t)prv->credit_balance;
	if (weight_total == 0) {
		prv->credit_balance = 0;
		return;
	}
	weight_left = weight_total;
	for (it = prv->active_sdom.next; it != &prv->active_sdom; it = next) {
		struct credit_dom *sdom =
			list_entry(it, struct credit_dom, active_sdom_elem);
		uint64_t n = sdom->active_unit_count;
		struct list_link *u, *unext;

		next = it->next;
		weight_left -= sdom->weight * n;
		credit_peak = n * prv->credits_per_tslice;
		if (prv->credit_balance < 0)
			credit_peak += ((uint64_t) -
					(int64_t)prv->credit_balance *
						sdom->weight * n +
					(weight_total - 1)) /
				       weight_total;
		if (sdom->cap != 0) {
			credit_cap =
				(sdom->cap * prv->credits_per_tslice + 99) /
				100;
			if (credit_cap < credit_peak)
				credit_peak = credit_cap;
			credit_cap = (credit_cap + (n - 1)) / n;
		}
		credit_fair =
			(credit_total * sdom->weight * n + (weight_total - 1)) /
			weight_total;
		if (credit_fair < credit_peak) {
			credit_xtra = 1;
		} else {
			/* Give other domains a chance at unused credits. */
			if (weight_left != 0)
				credit_total += ((credit_fair - credit_peak) *
							 weight_total +
						 (weight_left - 1)) /
						weight_left;
			if (credit_xtra) {
				/* Keep domains with extra credit at the head
				 * to offer them the excess next time. */
				list_del_init(&sdom->active_sdom_elem);
				list_add_head(&prv->active_sdom,
					      &sdom->active_sdom_elem);
			}
			credit_fair = credit_peak;
		}
		/* Fair share per vCPU. */
		credit_fair = (credit_fair + (n - 1)) / n;
		for (u = sdom->active_unit.next; u != &sdom->active_unit;
		     u = unext) {
			unext = u->next;
			credit_balance += account_unit(
				prv,
				list_entry(u, struct credit_unit, active_elem),
				credit_fair, credit_cap);
		}
	}
	prv->credit_balance = credit_balance;
	/* Tell every pCPU its run queue needs sorting. */
	prv->runq_sort++;
}

/* csched_runq_sort: after accounting changed priorities, move UNDER vCPUs
 * ahead of OVER ones, keeping their order (O(n), once per period). */
static void runq_sort(struct credit_private *prv, unsigned cpu)
{
	struct credit_pcpu *spc = &prv->pcpus[cpu];
	struct list_link *runq = &spc->runq, *elem, *next, *last_under;

	if (spc->runq_sort_last == prv->runq_sort)
		return;
	spc->runq_sort_last = prv->runq_sort;
	last_under = runq;
	for (elem = runq->next; elem != runq; elem = next) {
		next = elem->next;
		if (runq_elem(prv, elem)->pri >= CSCHED_PRI_TS_UNDER) {
			if (elem->prev != last_under) {
				list_del_init(elem);
				list_insert_before(last_under->next, elem);
			}
			last_under = elem;
		}
	}
}

static void arm_tick(struct credit_private *prv, unsigned cpu, uint64_t at)
{
	prv->pcpus[cpu].tick_at = at;
	sim__timer(prv->s, at, CREDIT_TIMER_TICK, cpu);
}

/* csched_tick and csched_unit_acct: every tick_period (10 ms) on a busy
 * pCPU, drop the running vCPU's BOOST (it is using real CPU), burn its
 * credit, and make it active if it was not.  If it was, _csched_cpu_pick()
 * asks whether it would be better off elsewhere: on this flat topology
 * (no SMT siblings), when other vCPUs wait on this pCPU and some pCPU
 * idles, the running vCPU moves to the idler (_VPF_migrating) and the
 * waiting ones get this pCPU.  This is how a vCPU preempted by a BOOSTed
 * waker, which is queued without tickling anyone, finds an idle pCPU. */
static void credit_tick(struct credit_private *prv, unsigned cpu, uint64_t now)
{
	struct vcpu *cur = prv->s->pcpus[cpu].curr;

	if (prv->pcpus[cpu].tick_at != now)
		return; /* stopped or re-armed: a stale timer */
	if (cur) {
		struct credit_unit *svc = unit_of(prv, cur);

		if (svc->pri == CSCHED_PRI_TS_BOOST)
			svc->pri = CSCHED_PRI_TS_UNDER;
		burn_credits(svc, now);
		if (!svc->active) {
			acct_start(prv, svc);
		} else if (!list_empty(&prv->pcpus[cpu].runq) && prv->nidlers) {
			svc->migrate_to = cycle_idler(prv, cpu);
			sim__tickle(prv->s, cpu);
		}
	}
	runq_sort(prv, cpu);
	arm_tick(prv, cpu, now + prv->tick_period);
}

static void credit_timer(void *priv, uint32_t kind, uint32_t arg, uint64_t now)
{
	struct credit_private *prv = priv;

	if (kind == CREDIT_TIMER_TICK) {
		credit_tick(prv, arg, now);
		return;
	}
	credit_account(prv);
	sim__timer(prv->s, now + prv->tslice, CREDIT_TIMER_ACCT, 0);
}

/* csched_unit_wake: BOOST an UNDER vCPU that was not parked, queue it on
 * its pCPU and tickle. */
static void credit_wake(void *priv, struct vcpu *v, uint64_t now)
{
	struct credit_private *prv = priv;
	struct credit_unit *svc = unit_of(prv, v);

	(void)now;
	if (svc->parked)
		return; /* a paused unit is not woken; unpark() queues it */
	if (prv->boost && svc->pri == CSCHED_PRI_TS_UNDER)
		svc->pri = CSCHED_PRI_TS_BOOST;
	svc->master = (unsigned)v->home;
	runq_insert(prv, svc);
	prv->pcpus[svc->master].nr_runnable++;
	runq_tickle(prv, svc);
}

/* csched_runq_steal: the first queued vCPU of peer of strictly higher
 * priority than pri, moved to cpu; NULL if none. */
static struct credit_unit *runq_steal(struct credit_private *prv, unsigned peer,
				      unsigned cpu, int pri)
{
	struct list_link *runq = &prv->pcpus[peer].runq, *it;

	/* Don't steal from an idle pCPU: it is about to run its queue. */
	if (!prv->s->pcpus[peer].curr)
		return NULL;
	for (it = runq->next; it != runq; it = it->next) {
		struct credit_unit *speer = runq_elem(prv, it);

		if (speer->pri <= pri)
			break;
		list_del_init(it);
		prv->pcpus[peer].nr_runnable--;
		speer->master = cpu;
		prv->pcpus[cpu].nr_runnable++;
		return speer;
	}
	return NULL;
}

/* csched_load_balance: look at every busy peer, from balance_bias on, for
 * work more urgent than snext (which may be NULL, the idle vCPU). */
static struct credit_unit *credit_load_balance(struct credit_private *prv,
					       unsigned cpu,
					       struct credit_unit *snext)
{
	int pri = snext ? snext->pri : CSCHED_PRI_IDLE;
	unsigned n = prv->s->npcpus;

	for (unsigned i = 1; i <= n; i++) {
		unsigned peer = (prv->balance_bias + i) % n;
		struct credit_unit *speer;

		if (peer == cpu || prv->pcpus[peer].idler ||
		    prv->pcpus[peer].nr_runnable <= 1)
			continue;
		speer = runq_steal(prv, peer, cpu, pri);
		if (speer) {
			prv->balance_bias = peer;
			return speer;
		}
	}
	/* Failed to find more important work elsewhere. */
	if (snext)
		list_del_init(&snext->v->link);
	return snext;
}

/* vcpu_migrate() after the tick set _VPF_migrating: svc, just switched
 * out of cpu, goes on the idler's run queue (csched_res_pick sets
 * CSCHED_FLAG_UNIT_MIGRATING, so the wake-up there is not BOOSTed) and
 * the idler is tickled. */
static void migrate_away(struct credit_private *prv, struct credit_unit *svc,
			 unsigned cpu)
{
	unsigned to = (unsigned)svc->migrate_to;

	prv->pcpus[cpu].nr_runnable--;
	svc->master = to;
	runq_insert(prv, svc);
	prv->pcpus[to].nr_runnable++;
	runq_tickle(prv, svc);
}

/* csched_schedule: burn what prev used; keep it if the rate limit says it
 * ran too briefly; else run the head of the queue, or steal if that head
 * is OVER or there is none.  The slice is tslice (30 ms). */
static struct vcpu *credit_schedule(void *priv, unsigned cpu, struct vcpu *prev,
				    uint64_t now, uint64_t *slice)
{
	struct credit_private *prv = priv;
	struct credit_pcpu *spc = &prv->pcpus[cpu];
	struct credit_unit *scurr = prev ? unit_of(prv, prev) : NULL, *snext;
	bool runnable = scurr && sim__runnable(prev) && !scurr->parked;
	uint64_t runtime = prev ? now - prev->stint_start : 0;

	if (scurr) {
		burn_credits(scurr, now);
		scurr->start_time -= (int64_t)now;
		if (scurr->migrate_to >= 0 && runnable) {
			migrate_away(prv, scurr, cpu);
			runnable = false;
		}
		scurr->migrate_to = -1;
	}
	if (runnable && prv->ratelimit && runtime < prv->ratelimit) {
		scurr->start_time += (int64_t)now;
		*slice = prv->ratelimit - runtime;
		if (runtime < CSCHED_MIN_TIMER)
			*slice = CSCHED_MIN_TIMER;
		return prev;
	}
	if (runnable)
		runq_insert(prv, scurr);
	else if (scurr && scurr->master == cpu)
		spc->nr_runnable--; /* blocked or parked */

	snext = list_empty(&spc->runq) ? NULL : runq_elem(prv, spc->runq.next);
	if (snext && snext->pri > CSCHED_PRI_TS_OVER)
		list_del_init(&snext->v->link);
	else
		snext = credit_load_balance(prv, cpu, snext);

	set_idler(prv, cpu, snext == NULL);
	if (!snext) {
		/* Stop the tick when going idle (credit.c does the same). */
		spc->tick_at = SIM_FOREVER;
		*slice = SIM_FOREVER;
		return NULL;
	}
	snext->master = cpu;
	snext->start_time += (int64_t)now;
	if (!prev || spc->tick_at == SIM_FOREVER)
		arm_tick(prv, cpu,
			 now + prv->tick_period - now % prv->tick_period);
	*slice = prv->tslice;
	return snext->v;
}

static int credit_create(struct sim *s, void **out, struct isolab_err *e)
{
	struct credit_private *prv = calloc(1, sizeof(*prv));
	unsigned tslice_ms;

	if (!prv)
		return err__set(e, ENOMEM, "credit");
	prv->units = calloc(s->nvcpus, sizeof(*prv->units));
	prv->doms = calloc(s->ndomains, sizeof(*prv->doms));
	prv->pcpus = calloc(s->npcpus, sizeof(*prv->pcpus));
	if (!prv->units || !prv->doms || !prv->pcpus) {
		free(prv->units);
		free(prv->doms);
		free(prv->pcpus);
		free(prv);
		return err__set(e, ENOMEM, "credit");
	}
	prv->s = s;
	list_init(&prv->active_sdom);
	/* __csched_set_tslice */
	tslice_ms = (unsigned)(s->sc->tslice_ns / NS_PER_MS);
	prv->tslice = s->sc->tslice_ns;
	prv->tick_period = prv->tslice / (tslice_ms < CSCHED_TICKS_PER_TSLICE
						  ? 1
						  : CSCHED_TICKS_PER_TSLICE);
	prv->credits_per_tslice = CSCHED_CREDITS_PER_MSEC * tslice_ms;
	prv->credit = prv->credits_per_tslice * s->npcpus;
	/* csched_init: a rate limit above the slice is the slice. */
	prv->ratelimit = s->sc->ratelimit_ns > prv->tslice
				 ? prv->tslice
				 : s->sc->ratelimit_ns;
	prv->boost = s->sc->boost;
	for (unsigned i = 0; i < s->ndomains; i++) {
		struct credit_dom *sdom = &prv->doms[i];

		sdom->dom = &s->domains[i];
		sdom->weight = sdom->dom->spec->weight;
		sdom->cap = sdom->dom->spec->cap;
		list_init(&sdom->active_unit);
		list_init(&sdom->active_sdom_elem);
	}
	for (unsigned i = 0; i < s->nvcpus; i++) {
		struct credit_unit *svc = &prv->units[i];

		svc->v = &s->vcpus[i];
		svc->sdom = &prv->doms[svc->v->dom->id];
		svc->pri = CSCHED_PRI_TS_UNDER;
		svc->master = (unsigned)svc->v->home;
		svc->migrate_to = -1;
		list_init(&svc->active_elem);
	}
	for (unsigned i = 0; i < s->npcpus; i++) {
		list_init(&prv->pcpus[i].runq);
		prv->pcpus[i].tick_at = SIM_FOREVER;
		set_idler(prv, i, true);
	}
	*out = prv;
	return sim__timer(s, prv->tslice, CREDIT_TIMER_ACCT, 0) < 0
		       ? err__set(e, ENOMEM, "credit")
		       : 0;
}

static void credit_destroy(void *priv)
{
	struct credit_private *prv = priv;

	free(prv->units);
	free(prv->doms);
	free(prv->pcpus);
	free(prv);
}

const struct sched_ops credit_ops = {
	.name = "credit",
	.what = "Xen's credit1: weights, caps, UNDER/OVER, BOOST, stealing",
	.create = credit_create,
	.destroy = credit_destroy,
	.wake = credit_wake,
	.schedule = credit_schedule,
	.timer = credit_timer,
};

/* Xen's default weight, for the scenario loader. */
const unsigned credit_default_weight = CSCHED_DEFAULT_WEIGHT;
const unsigned credit_default_tslice_ms = CSCHED_DEFAULT_TSLICE_MS;
