/*
 * sim.c - Building the machine of a mode, running one access through it,
 * and summing its counters (see sim.h).
 *
 * sim__access() is what one load or store of the guest does: the MMU
 * translates, a fault goes to the guest OS's handler, and the access is
 * retried, as the CPU restarts a faulting instruction.
 */
#include "sim.h"

#include <errno.h>
#include <stdlib.h>

#include "guestos.h"
#include "shadow.h"

const char *const exit_reason_name[EXIT_NR] = {
	[EXIT_PT_WRITE] = "pt_write",
	[EXIT_HIDDEN_PF] = "hidden_page_fault",
	[EXIT_PF_INJECT] = "page_fault_inject",
	[EXIT_CR3_WRITE] = "cr3_write",
	[EXIT_INVLPG] = "invlpg",
	[EXIT_EPT_VIOLATION] = "ept_violation",
	[EXIT_WP_FLOOD] = "write_flood",
};

const char *sim__mode_name(enum sim_mode m)
{
	static const char *const n[] = {"native", "shadow", "nested"};

	return n[m];
}

void sim__default_config(struct sim_config *cfg)
{
	*cfg = (struct sim_config){
		.mode = MODE_NATIVE,
		/* Skylake: 64-entry 4-way L1 DTLB, 1536-entry 12-way STLB
		 * (Intel Optimization Manual, table 2-7). */
		.l1_entries = 64,
		.l1_ways = 4,
		.l2_entries = 1536,
		.l2_ways = 12,
		.pwc = true,
		.ept_pwc = true,
		/* Paging-structure caches: tens of entries per level
		 * (Barr, Cox, Rixner, ISCA 2010 measured 24-32). */
		.pwc_entries = 32,
		.ntlb = true,
		/* Bhargava et al. evaluate a 16-entry nested TLB. */
		.ntlb_entries = 16,
		.asid = true,
		.check = false,
		.host_mib = 16384,
		.guest_mib = 8192,
	};
	cost__defaults(&cfg->cost);
}

struct sim *sim__create(const struct sim_config *cfg, struct isolab_err *e)
{
	struct sim *s = calloc(1, sizeof(*s));
	uint64_t hfn;

	if (!s) {
		err__set(e, errno, "simulator");
		return NULL;
	}
	s->cfg = *cfg;
	s->ngfn = cfg->guest_mib << (20 - PAGE_SHIFT);
	s->pm = physmem__create(cfg->host_mib << (20 - PAGE_SHIFT), e);
	if (!s->pm)
		goto fail;
	s->p2m = calloc(s->ngfn, sizeof(*s->p2m));
	if (!s->p2m) {
		err__set(e, errno, "guest memory map");
		goto fail;
	}
	if (!(s->l1 = tlb__create("--tlb l1", cfg->l1_entries, cfg->l1_ways,
				  e)) ||
	    !(s->l2 = tlb__create("--tlb l2", cfg->l2_entries, cfg->l2_ways,
				  e)) ||
	    !(s->ntlb = tlb__create("--ntlb-entries", cfg->ntlb_entries,
				    cfg->ntlb_entries, e)))
		goto fail;
	for (int l = 2; l <= 4; l++)
		if (!(s->pwc[l] = tlb__create("--pwc-entries", cfg->pwc_entries,
					      4, e)) ||
		    !(s->epwc[l] = tlb__create("--pwc-entries",
					       cfg->pwc_entries, 4, e)))
			goto fail;
	if (cfg->mode == MODE_NESTED) {
		hfn = physmem__alloc(s->pm, e);
		if (!hfn)
			goto fail;
		s->eptp = hfn << PAGE_SHIFT;
		s->ept_pages = 1;
	}
	if (cfg->mode == MODE_SHADOW && !(s->sh = shadow__create(e)))
		goto fail;
	s->os = guestos__create(s->ngfn, e);
	if (!s->os)
		goto fail;
	return s;
fail:
	sim__destroy(s);
	return NULL;
}

void sim__destroy(struct sim *s)
{
	if (!s)
		return;
	guestos__destroy(s->os);
	shadow__destroy(s->sh);
	tlb__destroy(s->l1);
	tlb__destroy(s->l2);
	tlb__destroy(s->ntlb);
	for (int l = 2; l <= 4; l++) {
		tlb__destroy(s->pwc[l]);
		tlb__destroy(s->epwc[l]);
	}
	free(s->p2m);
	physmem__destroy(s->pm);
	free(s);
}

int sim__access(struct sim *s, uint64_t va, bool write, uint64_t *hpa,
		struct isolab_err *e)
{
	uint64_t got, want;
	int rc, tries = 0;

	s->c.accesses++;
	s->c.writes += write;
	while ((rc = mmu__translate(s, va, write, &got, e)) == MMU_FAULT) {
		/* Demand paging and copy-on-write resolve in one fault; a
		 * second one for the same access is a broken invariant. */
		if (++tries > 2)
			return err__set(e, 0, "%#llx: fault loop",
					(unsigned long long)va);
		if (guestos__page_fault(s, va, write, e) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (s->cfg.check) {
		s->c.checks++;
		if (walk__reference(s, s->cr3, va, &want) < 0 || want != got) {
			if (!s->c.check_failures++)
				s->c.first_bad_va = va;
		}
	}
	if (hpa)
		*hpa = got;
	return 0;
}

uint64_t sim__walk_refs(const struct sim *s)
{
	uint64_t n = 0;

	for (int l = 1; l <= 4; l++)
		n += s->c.walk_refs_guest[l] + s->c.walk_refs_nested[l];
	return n;
}

uint64_t sim__vm_exits(const struct sim *s)
{
	uint64_t n = 0;

	for (int i = 0; i < EXIT_NR; i++)
		n += s->c.exits[i];
	return n;
}

uint64_t sim__shadow_pages(const struct sim *s)
{
	return s->sh ? shadow__pages(s->sh) : 0;
}

double sim__modeled_cycles(const struct sim *s)
{
	const struct cost_model *m = &s->cfg.cost;
	const struct sim_counters *c = &s->c;
	double t;

	t = c->accesses * m->data_access + c->tlb_l2_hits * m->tlb_l2_hit +
	    sim__walk_refs(s) * m->walk_ref + c->vmm_refs * m->vmm_ref +
	    sim__vm_exits(s) * m->vm_exit +
	    c->exits[EXIT_PT_WRITE] * m->pt_write_emulate +
	    c->exits[EXIT_WP_FLOOD] * m->pt_write_emulate +
	    c->exits[EXIT_HIDDEN_PF] * m->hidden_fill +
	    c->exits[EXIT_PF_INJECT] * m->pf_inject +
	    c->exits[EXIT_CR3_WRITE] * m->cr3_handler +
	    c->exits[EXIT_INVLPG] * m->invlpg_handler +
	    c->exits[EXIT_EPT_VIOLATION] * m->ept_violation_handler +
	    c->guest_page_faults * m->guest_pf +
	    c->guest_pte_writes * m->pte_write +
	    c->pages_zeroed * m->page_zero + c->pages_copied * m->page_copy;
	return t;
}
