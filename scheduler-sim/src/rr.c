/*
 * rr.c - Round robin with a fixed time slice: the baseline that knows
 * neither weights nor caps.
 *
 * One FIFO queue for the whole machine (OSTEP's round robin, chapter 7, on
 * several CPUs): a waking vCPU joins the tail and takes an idle pCPU if
 * there is one; a pCPU whose slice (the scenario's tslice, 30 ms by
 * default) ends puts its vCPU at the tail and runs the head.  Every vCPU
 * that wants the CPU gets an equal turn, so a domain's share grows with its
 * vCPU count and ignores its weight and cap: compare with credit.c.
 */
#include <errno.h>
#include <stdlib.h>

#include "sim.h"

struct rr {
	struct sim *s;
	struct list_link queue;
	uint64_t tslice;
};

/* The lowest-numbered idle pCPU not already tickled, or -1. */
static int rr_idle_pcpu(struct rr *rr)
{
	for (unsigned i = 0; i < rr->s->npcpus; i++) {
		const struct pcpu *p = &rr->s->pcpus[i];

		if (!p->curr && !p->need_resched)
			return (int)i;
	}
	return -1;
}

static void rr_wake(void *priv, struct vcpu *v, uint64_t now)
{
	struct rr *rr = priv;
	int cpu = rr_idle_pcpu(rr);

	(void)now;
	list_add_tail(&rr->queue, &v->link);
	if (cpu >= 0)
		sim__tickle(rr->s, (unsigned)cpu);
}

static struct vcpu *rr_schedule(void *priv, unsigned cpu, struct vcpu *prev,
				uint64_t now, uint64_t *slice)
{
	struct rr *rr = priv;
	struct vcpu *next;

	(void)cpu;
	(void)now;
	if (prev && sim__runnable(prev))
		list_add_tail(&rr->queue, &prev->link);
	if (list_empty(&rr->queue)) {
		*slice = SIM_FOREVER;
		return NULL;
	}
	next = list_entry(rr->queue.next, struct vcpu, link);
	list_del_init(&next->link);
	*slice = rr->tslice;
	return next;
}

static void rr_timer(void *priv, uint32_t kind, uint32_t arg, uint64_t now)
{
	(void)priv;
	(void)kind;
	(void)arg;
	(void)now; /* round robin sets no timers beyond the slice */
}

static int rr_create(struct sim *s, void **out, struct isolab_err *e)
{
	struct rr *rr = calloc(1, sizeof(*rr));

	if (!rr)
		return err__set(e, ENOMEM, "rr");
	rr->s = s;
	rr->tslice = s->sc->tslice_ns;
	list_init(&rr->queue);
	*out = rr;
	return 0;
}

static void rr_destroy(void *priv)
{
	free(priv);
}

const struct sched_ops rr_ops = {
	.name = "rr",
	.what = "round robin, fixed slice, one FIFO: no weights, no caps",
	.create = rr_create,
	.destroy = rr_destroy,
	.wake = rr_wake,
	.schedule = rr_schedule,
	.timer = rr_timer,
};
