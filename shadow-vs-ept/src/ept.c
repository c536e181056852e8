/*
 * ept.c - Guest physical memory and the extended page tables that map it.
 *
 * Lecture: "with nested paging the hardware walks a second table, owned
 * by the VMM, for every guest-physical address".  The VMM backs guest
 * frames lazily (KVM's memslots): the first touch of a guest frame is an
 * EPT violation in nested mode, and the VMM writes the EPT entries then.
 * In shadow mode the VMM uses the same guest-to-host map from software.
 * The EPT is a real 4-level table in host frames, in EPT entry format
 * (Intel SDM 29.3.2).
 */
#include <errno.h>

#include "sim.h"

/* Walk the EPT from its root down to `leaf` (1 for a 4 KiB entry, 2 for a
 * 2 MiB one), allocating the missing tables, and write the leaf entry
 * mapping gfn to hfn with `flags`.  Returns 0, or -1 if a table frame
 * couldn't be allocated. */
static int ept_map_at(struct sim *s, uint64_t gfn, uint64_t hfn, int leaf,
		      uint64_t flags, struct isolab_err *e)
{
	uint64_t gpa = gfn << PAGE_SHIFT, table = s->eptp, ent, next;

	for (int level = 4; level > leaf; level--) {
		uint64_t at = table + pte_index(gpa, level) * 8;

		ent = physmem__read64(s->pm, at);
		if (!(ent & EPT_R)) {
			next = physmem__alloc(s->pm, e);
			if (!next)
				return -1;
			s->ept_pages++;
			ent = (next << PAGE_SHIFT) | EPT_RWX;
			physmem__write64(s->pm, at, ent);
		}
		table = ent & PTE_ADDR;
	}
	physmem__write64(s->pm, table + pte_index(gpa, leaf) * 8,
			 (hfn << PAGE_SHIFT) | flags);
	return 0;
}

int ept__map(struct sim *s, uint64_t gfn, uint64_t hfn, struct isolab_err *e)
{
	return ept_map_at(s, gfn, hfn, 1, EPT_RWX | EPT_MT_WB, e);
}

int ept__map_large(struct sim *s, uint64_t gfn, uint64_t hfn,
		   struct isolab_err *e)
{
	return ept_map_at(s, gfn, hfn, 2, EPT_RWX | EPT_MT_WB | EPT_PS, e);
}

uint64_t ept__lookup(const struct sim *s, uint64_t gfn)
{
	uint64_t gpa = gfn << PAGE_SHIFT, table = s->eptp, ent = 0;

	for (int level = 4; level >= 1; level--) {
		ent = physmem__read64(s->pm, table + pte_index(gpa, level) * 8);
		if (!(ent & EPT_R))
			return 0;
		table = ent & PTE_ADDR;
		if (level == 2 && (ent & EPT_PS))
			return (table >> PAGE_SHIFT) + (gfn & 511);
	}
	return table >> PAGE_SHIFT;
}

int gmem__back(struct sim *s, uint64_t gfn, struct isolab_err *e)
{
	uint64_t hfn;

	if (gfn >= s->ngfn)
		return err__set(e, 0, "guest frame %#llx beyond guest memory",
				(unsigned long long)gfn);
	if (s->p2m[gfn])
		return 0;
	if (s->cfg.mode == MODE_NESTED && s->cfg.ept_large) {
		/* Back the whole 2 MiB around gfn with one host huge page:
		 * one EPT violation, one EPT PDE. */
		uint64_t base = gfn & ~511ull;

		if (base + 512 > s->ngfn)
			return err__set(e, 0,
					"guest memory is not a multiple "
					"of 2 MiB");
		hfn = physmem__alloc_chunk(s->pm, e);
		if (!hfn)
			return -1;
		for (uint64_t i = 0; i < 512; i++)
			s->p2m[base + i] = (uint32_t)(hfn + i);
		s->c.exits[EXIT_EPT_VIOLATION]++;
		return ept__map_large(s, base, hfn, e);
	}
	hfn = physmem__alloc(s->pm, e);
	if (!hfn)
		return -1;
	if (hfn > UINT32_MAX)
		return err__set(e, 0, "host memory: frame number too large");
	s->p2m[gfn] = (uint32_t)hfn;
	if (s->cfg.mode == MODE_NESTED) {
		/* The guest's first touch of this frame faulted on the EPT:
		 * an exit the VMM handles by mapping the frame. */
		s->c.exits[EXIT_EPT_VIOLATION]++;
		return ept__map(s, gfn, hfn, e);
	}
	return 0;
}
