/*
 * mmu.c - The MMU hardware: TLB lookup, and on a miss the page walk of the
 * mode: native (one 4-level walk), shadow (the same walk over the VMM's
 * shadow tables) or nested (the 2-D walk through the guest tables and the
 * EPT), with paging-structure caches and a nested TLB.
 *
 * Lecture: "a nested TLB miss can cost 24 memory references": each of the
 * 4 guest table references is a guest-physical address the hardware must
 * first translate with a 4-reference EPT walk (4 x (4 + 1) = 20), and the
 * final guest-physical data address needs one more EPT walk (+4 = 24).
 * The walk caches cut this: a paging-structure cache hit skips upper guest
 * levels (Intel SDM 4.10.3, combined entries for EPT, 29.4.3), the EPT's
 * own caches skip upper EPT levels, and the nested TLB (Bhargava et al.,
 * ASPLOS 2008) skips whole EPT walks.
 *
 * This file is the simulator's hot loop: guest_walk() is written once and
 * inlined per mode (the `dom` argument is a constant at each call), so
 * native mode pays for no nested branch.
 */
#include "shadow.h"
#include "sim.h"

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* TLB entry value: host frame address plus what the hardware caches of
 * the permissions (writable at every level, leaf already dirty). */
#define TLBV_WRITABLE 1ull
#define TLBV_DIRTY    2ull
#define TLBV_LARGE    4ull /* a 2 MiB entry: value is the guest-physical base */

/* TLB page number of va's 2 MiB page: bit 39 keeps it apart from 4 KiB
 * page numbers (36 bits) in the same TLB. */
#define LARGE_PN(va) (((va) >> LARGE_SHIFT) | (1ull << 39))

/* Where the walked tables live, so where their addresses point. */
enum walk_dom {
	DOM_NATIVE, /* guest tables, guest-physical = host-physical map */
	DOM_NESTED, /* guest tables, guest-physical through the EPT */
	DOM_SHADOW, /* shadow tables, host-physical addresses */
};

/* Walk the EPT for gpa (the host dimension of the 2-D walk).  Sets *hpa;
 * returns 0, or -1 when the EPT does not map gpa (every guest frame is
 * mapped when the guest first touches it, so that is a broken
 * invariant). */
static ALWAYS_INLINE int nested_translate(struct sim *s, uint64_t gpa,
					  uint64_t *hpa)
{
	uint64_t gfn = gpa >> PAGE_SHIFT, table = s->eptp, ent, *v;
	int level = 4;

	if (s->cfg.ntlb) {
		v = tlb__lookup(s->ntlb, tlb__key(0, gfn));
		if (v) {
			s->c.ntlb_hits++;
			*hpa = *v | (gpa & (PAGE_SIZE - 1));
			return 0;
		}
		s->c.ntlb_misses++;
	}
	if (s->cfg.ept_pwc) {
		for (int l = 2; l <= 4; l++) {
			v = tlb__lookup(
				s->epwc[l],
				tlb__key(0, gpa >> (PAGE_SHIFT + 9 * (l - 1))));
			if (v) {
				s->c.epwc_hits[l]++;
				table = *v;
				level = l - 1;
				break;
			}
		}
	}
	for (; level >= 1; level--) {
		ent = physmem__read64(s->pm, table + pte_index(gpa, level) * 8);
		s->c.walk_refs_nested[level]++;
		if (!(ent & EPT_R))
			return -1;
		table = ent & PTE_ADDR;
		if (level == 2 && (ent & EPT_PS)) { /* 2 MiB host page */
			table = (table & ~((1ull << LARGE_SHIFT) - 1)) |
				(gpa & ((1ull << LARGE_SHIFT) - 1) & PTE_ADDR);
			break;
		}
		if (level > 1 && s->cfg.ept_pwc)
			tlb__insert(s->epwc[level],
				    tlb__key(0, gpa >> (PAGE_SHIFT +
							9 * (level - 1))),
				    table);
	}
	if (s->cfg.ntlb)
		tlb__insert(s->ntlb, tlb__key(0, gfn), table);
	*hpa = table | (gpa & (PAGE_SIZE - 1));
	return 0;
}

/* Host address of a table or data address found in a walked entry. */
static ALWAYS_INLINE int to_host(struct sim *s, uint64_t addr, uint64_t *hpa,
				 const enum walk_dom dom)
{
	if (dom == DOM_NESTED)
		return nested_translate(s, addr, hpa);
	if (dom == DOM_NATIVE)
		*hpa = gmem__hpa(s, addr);
	else
		*hpa = addr;
	return 0;
}

/* The page walk of va: returns MMU_OK with the TLB value in *tv, MMU_FAULT
 * when an entry is not present or forbids the access, -1 on a broken
 * invariant.  Sets accessed bits on the way and the dirty bit of the leaf
 * on a write, as the hardware does (SDM 4.8). */
static ALWAYS_INLINE int guest_walk(struct sim *s, uint64_t va, bool write,
				    uint64_t *tv, const enum walk_dom dom)
{
	uint64_t table = 0, ent, at, addr, hpa, *v;
	uint64_t writable = TLBV_WRITABLE;
	int level = 4, have_host = 0;

	if (s->cfg.pwc) {
		for (int l = 2; l <= 4; l++) {
			v = tlb__lookup(s->pwc[l],
					tlb__key(s->tag, va >> (PAGE_SHIFT +
								9 * (l - 1))));
			if (v) {
				s->c.pwc_hits[l]++;
				table = *v & PTE_ADDR;
				writable = *v & TLBV_WRITABLE;
				level = l - 1;
				have_host = 1;
				break;
			}
		}
	}
	if (!have_host) {
		addr = dom == DOM_SHADOW ? s->hw_root : s->cr3 & PTE_ADDR;
		if (to_host(s, addr, &table, dom) < 0)
			return -1;
	}
	for (;; level--) {
		at = table + pte_index(va, level) * 8;
		ent = physmem__read64(s->pm, at);
		s->c.walk_refs_guest[level]++;
		if (!(ent & PTE_P) || !(ent & PTE_US))
			return MMU_FAULT;
		if (!(ent & PTE_RW)) {
			if (write)
				return MMU_FAULT;
			writable = 0;
		}
		if (!(ent & PTE_A)) {
			ent |= PTE_A;
			physmem__write64(s->pm, at, ent);
			s->c.ad_writes++;
		}
		if (level == 1 || (level == 2 && (ent & PTE_PS)))
			break;
		if (to_host(s, ent & PTE_ADDR, &table, dom) < 0)
			return -1;
		if (s->cfg.pwc)
			tlb__insert(s->pwc[level],
				    tlb__key(s->tag, va >> (PAGE_SHIFT +
							    9 * (level - 1))),
				    table | writable);
	}
	if (write && !(ent & PTE_D)) {
		physmem__write64(s->pm, at, ent | PTE_D);
		s->c.ad_writes++;
	}
	if (level == 2) {
		uint64_t base = ent & PTE_ADDR & ~((1ull << LARGE_SHIFT) - 1);

		addr = base |
		       (va & ((1ull << LARGE_SHIFT) - 1) & ~(PAGE_SIZE - 1));
		/* A 2 MiB guest page is one TLB entry natively, and nested
		 * when the EPT maps 2 MiB host pages too (the walk of the
		 * data address still counts).  Otherwise (4 KiB EPT or
		 * shadow entries) the TLB holds the 4 KiB piece used:
		 * "splintering". */
		if (dom == DOM_NATIVE ||
		    (dom == DOM_NESTED && s->cfg.ept_large)) {
			if (dom == DOM_NESTED &&
			    to_host(s, addr, &hpa, dom) < 0)
				return -1;
			*tv = base | writable | TLBV_LARGE |
			      ((write || (ent & PTE_D)) && writable ? TLBV_DIRTY
								    : 0);
			return MMU_OK;
		}
	} else {
		addr = ent & PTE_ADDR;
	}
	if (to_host(s, addr, &hpa, dom) < 0)
		return -1;
	*tv = (hpa & PTE_ADDR) | writable |
	      ((write || (ent & PTE_D)) && writable ? TLBV_DIRTY : 0);
	return MMU_OK;
}

static int mmu_walk(struct sim *s, uint64_t va, bool write, uint64_t *tv)
{
	switch (s->cfg.mode) {
	case MODE_NATIVE: return guest_walk(s, va, write, tv, DOM_NATIVE);
	case MODE_NESTED: return guest_walk(s, va, write, tv, DOM_NESTED);
	default: return guest_walk(s, va, write, tv, DOM_SHADOW);
	}
}

/* The host address of va from a TLB value: a 4 KiB entry holds the host
 * frame; a 2 MiB entry (native only) the guest-physical base of the large
 * page, whose frames the p2m gives (natively, guest-physical is host). */
static inline uint64_t tlb_hpa(const struct sim *s, uint64_t v, uint64_t va)
{
	if (v & TLBV_LARGE)
		return gmem__hpa(s, (v & PTE_ADDR) |
					    (va & ((1ull << LARGE_SHIFT) - 1)));
	return (v & PTE_ADDR) | (va & (PAGE_SIZE - 1));
}

/* Look key up in the L1 then the L2 TLB.  Returns the value if an entry
 * allows the access (counting the hit), else NULL; *seen tells whether
 * some entry was found (a write through a clean entry must walk). */
static inline uint64_t *tlb_probe(struct sim *s, uint64_t key, bool write,
				  bool *seen)
{
	uint64_t *v = tlb__lookup(s->l1, key);

	if (v) {
		*seen = true;
		if (!write || (*v & TLBV_DIRTY)) {
			s->c.tlb_l1_hits++;
			return v;
		}
		return NULL;
	}
	if (!s->l2->sets)
		return NULL;
	v = tlb__lookup(s->l2, key);
	if (v) {
		*seen = true;
		if (!write || (*v & TLBV_DIRTY)) {
			s->c.tlb_l2_hits++;
			tlb__insert(s->l1, key, *v);
			return v;
		}
	}
	return NULL;
}

int mmu__translate(struct sim *s, uint64_t va, bool write, uint64_t *hpa,
		   struct isolab_err *e)
{
	uint64_t key = tlb__key(s->tag, va >> PAGE_SHIFT), tv, *v;
	bool seen = false;
	int rc;

	v = tlb_probe(s, key, write, &seen);
	if (!v && !seen && s->large_seen)
		v = tlb_probe(s, tlb__key(s->tag, LARGE_PN(va)), write, &seen);
	if (v) {
		*hpa = tlb_hpa(s, *v, va);
		return MMU_OK;
	}
	/* A miss, or a write through an entry not yet known dirty or
	 * writable: the hardware walks again (SDM 4.8). */
	s->c.tlb_misses++;
	for (;;) {
		rc = mmu_walk(s, va, write, &tv);
		if (rc < 0)
			return err__set(e, 0,
					"%#llx: walk reached an unmapped "
					"guest-physical address (EPT)",
					(unsigned long long)va);
		if (rc == MMU_OK)
			break;
		if (s->cfg.mode != MODE_SHADOW)
			return MMU_FAULT;
		/* Shadow: the fault exits to the VMM, which fills the shadow
		 * entry (hidden) or injects the fault into the guest. */
		rc = shadow__fault(s, va, write, e);
		if (rc != 0)
			return rc;
	}
	s->c.walks++;
	if (tv & TLBV_LARGE) {
		s->large_seen = true;
		key = tlb__key(s->tag, LARGE_PN(va));
	}
	tlb__insert(s->l1, key, tv);
	tlb__insert(s->l2, key, tv);
	*hpa = tlb_hpa(s, tv, va);
	return MMU_OK;
}

static void flush_walk_caches(struct sim *s, uint64_t tag, bool all)
{
	for (int l = 2; l <= 4; l++)
		if (all)
			tlb__flush_all(s->pwc[l]);
		else
			tlb__flush_tag(s->pwc[l], tag);
}

void mmu__flush_tag(struct sim *s, uint64_t tag)
{
	bool all = !s->cfg.asid;

	s->c.tlb_flushes++;
	if (all) {
		tlb__flush_all(s->l1);
		tlb__flush_all(s->l2);
	} else {
		tlb__flush_tag(s->l1, tag);
		tlb__flush_tag(s->l2, tag);
	}
	flush_walk_caches(s, tag, all);
}

void mmu__invlpg(struct sim *s, uint64_t va)
{
	uint64_t key = tlb__key(s->tag, va >> PAGE_SHIFT);

	s->c.invlpgs++;
	if (s->cfg.mode == MODE_SHADOW) {
		s->c.exits[EXIT_INVLPG]++;
		shadow__invlpg(s, va);
	}
	tlb__flush_key(s->l1, key);
	tlb__flush_key(s->l2, key);
	if (s->large_seen) {
		key = tlb__key(s->tag, LARGE_PN(va));
		tlb__flush_key(s->l1, key);
		tlb__flush_key(s->l2, key);
	}
	/* INVLPG also drops paging-structure cache entries (SDM 4.10.4.1);
	 * we drop all of this address space's, as implementations may. */
	flush_walk_caches(s, s->tag, false);
}

int mmu__write_cr3(struct sim *s, uint64_t cr3, uint64_t tag,
		   struct isolab_err *e)
{
	s->c.cr3_writes++;
	s->cr3 = cr3;
	s->tag = s->cfg.asid ? tag : 0;
	if (!s->cfg.asid)
		mmu__flush_tag(s, 0);
	if (s->cfg.mode == MODE_SHADOW) {
		s->c.exits[EXIT_CR3_WRITE]++;
		return shadow__cr3_write(s, cr3, e);
	}
	return 0;
}
