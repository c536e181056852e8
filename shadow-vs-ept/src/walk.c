/*
 * walk.c - The reference walker: the x86-64 4-level walk done in plain
 * software, the yardstick every mode is checked against.
 *
 * Lecture: "translating a virtual address = indexing four tables with 9
 * bits of the address each".  No TLB, no cache, no counter: just read the
 * guest's tables.  With --check the simulator compares every access it
 * translates with this walk, so a missing invalidation anywhere (a stale
 * TLB entry, a shadow entry the VMM forgot to drop) shows up as a
 * mismatch.
 */
#include "sim.h"

int walk__reference(const struct sim *s, uint64_t cr3, uint64_t va,
		    uint64_t *hpa)
{
	uint64_t table = cr3 & PTE_ADDR, ent = 0, gpa;

	for (int level = 4; level >= 1; level--) {
		ent = gmem__read64(s, table + pte_index(va, level) * 8);
		if (!(ent & PTE_P))
			return -1;
		if (level == 2 && (ent & PTE_PS)) {
			gpa = (ent & PTE_ADDR & ~((1ull << LARGE_SHIFT) - 1)) |
			      (va & ((1ull << LARGE_SHIFT) - 1));
			goto found;
		}
		table = ent & PTE_ADDR;
	}
	gpa = table | (va & (PAGE_SIZE - 1));
found:
	if (gpa >> PAGE_SHIFT >= s->ngfn || !s->p2m[gpa >> PAGE_SHIFT])
		return -1;
	if (s->cfg.mode == MODE_NESTED &&
	    ept__lookup(s, gpa >> PAGE_SHIFT) != s->p2m[gpa >> PAGE_SHIFT])
		return -1;
	*hpa = gmem__hpa(s, gpa);
	return 0;
}
