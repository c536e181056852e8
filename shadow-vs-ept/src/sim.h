/*
 * sim.h - The simulated machine: host memory, one guest's physical memory,
 * the MMU hardware of the chosen mode, the VMM's paging structures and the
 * guest OS, with the counters every experiment reads.
 *
 * Start reading here, then mmu.c (what the hardware does on every access),
 * shadow.c (what a VMM does when it must virtualize the MMU in software),
 * guestos.c (the guest kernel whose page-table writes drive it all).
 *
 * Lecture map: native = one 4-level walk; shadow = the VMM keeps GVA->HPA
 * tables and traps guest page-table writes; nested = EPT, a 2-D walk of
 * up to 24 references.
 */
#ifndef SVE_SIM_H
#define SVE_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "cost.h"
#include "err.h"
#include "physmem.h"
#include "pte.h"
#include "tlb.h"

enum sim_mode { MODE_NATIVE, MODE_SHADOW, MODE_NESTED };

/* Why the guest left for the VMM (KVM's exit reasons, by what they mean
 * for paging). */
enum exit_reason {
	EXIT_PT_WRITE,	    /* write to a write-protected guest page table */
	EXIT_HIDDEN_PF,	    /* #PF the guest never sees: shadow fill */
	EXIT_PF_INJECT,	    /* #PF reflected into the guest */
	EXIT_CR3_WRITE,	    /* guest switched address space */
	EXIT_INVLPG,	    /* guest invalidated a TLB entry */
	EXIT_EPT_VIOLATION, /* guest touched unbacked guest-physical memory */
	EXIT_WP_FLOOD,	    /* guest reused a write-protected frame as data */
	EXIT_NR
};

extern const char *const exit_reason_name[EXIT_NR];

/* The machine's options (the CLI's flags). */
struct sim_config {
	enum sim_mode mode;
	unsigned l1_entries, l1_ways; /* first-level data TLB */
	unsigned l2_entries, l2_ways; /* second-level TLB, 0 entries: none */
	bool pwc;		      /* paging-structure (walk) caches */
	bool ept_pwc;		      /* nested: the EPT's own walk caches */
	unsigned pwc_entries;	      /* per level (PML4E, PDPTE, PDE) */
	bool ntlb;		      /* nested TLB: GPA -> HPA (nested) */
	unsigned ntlb_entries;
	bool asid;	    /* TLB tagged by address space, no flush on CR3 */
	bool check;	    /* compare every access with the reference walk */
	bool large_pages;   /* guest maps 2 MiB pages where a mapping allows */
	bool ept_large;	    /* nested: the EPT maps guest memory in 2 MiB */
	bool shadow_unsync; /* shadow: last-level tables go out of sync */
	uint64_t host_mib, guest_mib;
	struct cost_model cost;
};

/* Sets cfg to the defaults (Skylake-like sizes, see README). */
void sim__default_config(struct sim_config *cfg);

struct sim_counters {
	uint64_t accesses, writes;
	uint64_t tlb_l1_hits, tlb_l2_hits, tlb_misses;
	uint64_t walks;		      /* completed hardware walks */
	uint64_t walk_refs_guest[5];  /* by level: guest (or shadow) dim. */
	uint64_t walk_refs_nested[5]; /* by level: EPT dimension */
	uint64_t pwc_hits[5];	      /* guest dimension, by level hit */
	uint64_t epwc_hits[5];	      /* EPT dimension, by level hit */
	uint64_t ntlb_hits, ntlb_misses;
	uint64_t ad_writes;	    /* A/D bits set by the walker */
	uint64_t guest_page_faults; /* handled by the guest OS */
	uint64_t exits[EXIT_NR];
	uint64_t guest_pte_writes;    /* every PTE write of the guest OS */
	uint64_t guest_pte_writes_wp; /* of those, to write-protected pages */
	uint64_t vmm_refs;	      /* VMM's software walks of guest PTs */
	uint64_t shadow_zaps;	      /* shadow pages dropped */
	uint64_t shadow_unsyncs;      /* PTs let out of sync */
	uint64_t shadow_syncs;	      /* PTs brought back in sync */
	uint64_t invlpgs, cr3_writes, tlb_flushes;
	uint64_t forks, execs, exits_proc, mmaps, munmaps, ctx_switches;
	uint64_t pages_zeroed, pages_copied, large_faults, large_splits;
	uint64_t checks, check_failures;
	uint64_t first_bad_va;
};

struct shadow;
struct guestos;

struct sim {
	struct sim_config cfg;
	struct physmem *pm;
	/* Guest physical memory as the VMM backs it (KVM's memslot):
	 * p2m[gfn] is the host frame, 0 while not backed. */
	uint32_t *p2m;
	uint64_t ngfn;
	uint64_t eptp;	    /* nested: host address of the EPT PML4 */
	uint64_t ept_pages; /* EPT tables in host memory */
	/* The hardware. */
	struct tlb *l1, *l2;
	struct tlb *pwc[5];  /* guest dimension, levels 2..4 */
	struct tlb *epwc[5]; /* EPT dimension, levels 2..4 */
	struct tlb *ntlb;
	uint64_t cr3;	  /* guest CR3: guest-physical address of the PML4 */
	uint64_t hw_root; /* shadow: host address of the shadow PML4 in use */
	uint64_t tag;	  /* address-space tag of the TLB (0 without ASIDs) */
	bool large_seen;  /* a 2 MiB TLB entry exists: probe for them too */
	struct shadow *sh;
	struct guestos *os;
	struct sim_counters c;
};

/* A machine with cfg's options.  Returns NULL with e filled when an option
 * is out of range or memory runs out. */
struct sim *sim__create(const struct sim_config *cfg, struct isolab_err *e);
void sim__destroy(struct sim *s);

/* One data access of the current process at va.  Faults are handled as
 * the mode handles them (guest OS, VMM), then the access completes.
 * Returns 0 with *hpa set (hpa may be NULL), or -1 with e filled on a
 * segmentation fault (no VMA) or when memory runs out. */
int sim__access(struct sim *s, uint64_t va, bool write, uint64_t *hpa,
		struct isolab_err *e);

/* Counters in one figure: modeled cycles from the cost model. */
double sim__modeled_cycles(const struct sim *s);
uint64_t sim__walk_refs(const struct sim *s);
uint64_t sim__vm_exits(const struct sim *s);
uint64_t sim__shadow_pages(const struct sim *s);
const char *sim__mode_name(enum sim_mode m);

/* --- guest physical memory (gmem.c) ---------------------------------- */

/* Back guest frame gfn with a host frame if it is not yet (the VMM's
 * lazy allocation; in nested mode an EPT violation exit that maps it in
 * the EPT).  Returns 0, or -1 with e filled when the host is full. */
int gmem__back(struct sim *s, uint64_t gfn, struct isolab_err *e);

/* Host address of guest-physical gpa (backed). */
static inline uint64_t gmem__hpa(const struct sim *s, uint64_t gpa)
{
	return ((uint64_t)s->p2m[gpa >> PAGE_SHIFT] << PAGE_SHIFT) |
	       (gpa & (PAGE_SIZE - 1));
}

static inline uint64_t gmem__read64(const struct sim *s, uint64_t gpa)
{
	return physmem__read64(s->pm, gmem__hpa(s, gpa));
}

static inline void gmem__write64(struct sim *s, uint64_t gpa, uint64_t v)
{
	physmem__write64(s->pm, gmem__hpa(s, gpa), v);
}

/* EPT (ept.c): map gfn -> hfn in the EPT tables, allocating tables as
 * needed.  Returns 0 or -1 with e filled. */
int ept__map(struct sim *s, uint64_t gfn, uint64_t hfn, struct isolab_err *e);

/* Map the 2 MiB of guest frames from gfn (512-aligned) to the 512 host
 * frames from hfn with one EPT PDE.  Returns 0 or -1 with e filled. */
int ept__map_large(struct sim *s, uint64_t gfn, uint64_t hfn,
		   struct isolab_err *e);

/* The host frame the EPT maps gfn to by a software walk, 0 if none. */
uint64_t ept__lookup(const struct sim *s, uint64_t gfn);

/* --- the reference walker (walk.c) ----------------------------------- */

/* The host physical address va maps to under guest CR3 cr3, found by
 * reading the guest tables in software and translating guest-physical to
 * host through the VMM's map (and, nested, checking the EPT agrees).
 * Touches no hardware structure or counter.  Returns 0 with *hpa set, or
 * -1 if va is not mapped (or the EPT disagrees). */
int walk__reference(const struct sim *s, uint64_t cr3, uint64_t va,
		    uint64_t *hpa);

/* --- the MMU hardware (mmu.c) ---------------------------------------- */

#define MMU_OK	  0
#define MMU_FAULT 1 /* a #PF the guest OS must handle */

/* Translate va for a read or write in the current address space, through
 * TLBs and walk caches, walking on a miss.  Returns MMU_OK with *hpa set,
 * MMU_FAULT when the guest must handle a page fault, or -1 with e filled
 * (a broken invariant or out of memory in the VMM). */
int mmu__translate(struct sim *s, uint64_t va, bool write, uint64_t *hpa,
		   struct isolab_err *e);

/* INVLPG va in the current address space (the guest's instruction: exits
 * in shadow mode). */
void mmu__invlpg(struct sim *s, uint64_t va);

/* MOV to CR3: switch to the guest address space whose PML4 is at gpa cr3,
 * with TLB tag tag.  Returns 0, or -1 with e filled (shadow: no memory for
 * a new shadow root). */
int mmu__write_cr3(struct sim *s, uint64_t cr3, uint64_t tag,
		   struct isolab_err *e);

/* Drop every TLB and walk-cache entry of tag (INVPCID), or all when the
 * TLB is untagged. */
void mmu__flush_tag(struct sim *s, uint64_t tag);

#endif
