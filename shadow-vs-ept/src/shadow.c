/*
 * shadow.c - Shadow page tables: how a VMM virtualizes the MMU without
 * hardware help.
 *
 * Lecture: "the VMM keeps a shadow table GVA -> HPA that the hardware
 * walks; the guest's own tables (GVA -> GPA) are write-protected so the
 * VMM sees every change".  The pieces, each an exit handler here:
 *   - hidden page fault (shadow__fault): the shadow entry is missing or
 *     too strict; the VMM walks the guest's tables in software and fills
 *     it.  The guest never sees this fault.
 *   - write-protection trap (shadow__pt_write): every guest store to a
 *     page table it shadows exits; the VMM emulates it and drops the
 *     shadow entries it invalidates.
 *   - CR3 write (shadow__cr3_write): switch to the cached shadow root of
 *     the new guest address space (KVM keeps roots by guest PML4 frame).
 *   - INVLPG (shadow__invlpg): drop the shadow entry of that address.
 *   - with --shadow-unsync, KVM's "unsync" pages: a last-level table stops
 *     being write-protected after its first trapped write; the guest then
 *     changes it freely, and the VMM re-reads it (sp_sync) when the guest
 *     writes CR3, as the guest must flush its TLB before relying on a
 *     change anyway.
 * Dirty bits are emulated the classic way: a shadow leaf is read-only
 * until the guest writes the page, and the write's fault sets the guest
 * D bit.  Modelled on KVM's arch/x86/kvm/mmu/ (kvm_mmu_page, role by level,
 * mmu_page_hash, FNAME(page_fault), kvm_mmu_pte_write) in simplified form:
 * a shadow page has one parent (no sharing between parents).
 */
#include "shadow.h"

#include <errno.h>
#include <stdlib.h>

#include "sim.h"

#define SHADOW_BUCKETS (1u << 16)
#define NO_GFN	       UINT64_MAX /* a "direct" page: shadows a 2 MiB guest page */

struct shadow_page {
	uint64_t hfn;	  /* the shadow table's host frame */
	uint64_t gfn;	  /* the guest table it shadows, or NO_GFN */
	int level;	  /* 4 = PML4 ... 1 = PT */
	uint64_t tag;	  /* TLB tag of the address space */
	uint64_t va_base; /* first virtual address it covers */
	struct shadow_page *parent;
	unsigned parent_idx;
	struct shadow_page *hnext;  /* next in its hash bucket */
	struct shadow_page **child; /* [512] for level > 1 */
	bool unsync; /* a PT the guest may write without trapping */
	struct shadow_page *unext, **uprev; /* on the unsync list */
};

struct shadow {
	struct shadow_page *bucket[SHADOW_BUCKETS]; /* by guest frame */
	struct shadow_page *root;		    /* in use by the CPU */
	struct shadow_page *unsync;		    /* unsync PTs */
	uint64_t pages, peak;
};

static uint64_t pte_gfn_of(uint64_t ent)
{
	return (ent & PTE_ADDR) >> PAGE_SHIFT;
}

static unsigned sp_hash(uint64_t gfn)
{
	return (unsigned)((gfn * 0x9e3779b97f4a7c15ull) >> 48);
}

struct shadow *shadow__create(struct isolab_err *e)
{
	struct shadow *sh = calloc(1, sizeof(*sh));

	if (!sh)
		err__set(e, errno, "shadow MMU");
	return sh;
}

static void sp_free_tree(struct shadow_page *sp)
{
	if (sp->child)
		for (int i = 0; i < PT_ENTRIES; i++)
			if (sp->child[i])
				sp_free_tree(sp->child[i]);
	free(sp->child);
	free(sp);
}

void shadow__destroy(struct shadow *sh)
{
	if (!sh)
		return;
	struct shadow_page *roots = NULL, *sp, *n;

	/* Every page is reachable from a root, and roots are hashed: gather
	 * the roots first (freeing a tree frees hashed pages), then free. */
	for (unsigned b = 0; b < SHADOW_BUCKETS; b++)
		for (sp = sh->bucket[b]; sp; sp = n) {
			n = sp->hnext;
			if (!sp->parent) {
				sp->hnext = roots;
				roots = sp;
			}
		}
	for (sp = roots; sp; sp = n) {
		n = sp->hnext;
		sp_free_tree(sp);
	}
	free(sh);
}

bool shadow__is_protected(const struct shadow *sh, uint64_t gfn)
{
	for (struct shadow_page *sp = sh->bucket[sp_hash(gfn)]; sp;
	     sp = sp->hnext)
		if (sp->gfn == gfn && !sp->unsync)
			return true;
	return false;
}

/* Let the guest write PT sp without trapping until the next sync. */
static void sp_unsync(struct shadow *sh, struct shadow_page *sp)
{
	sp->unsync = true;
	sp->unext = sh->unsync;
	if (sh->unsync)
		sh->unsync->uprev = &sp->unext;
	sp->uprev = &sh->unsync;
	sh->unsync = sp;
}

/* Write-protect sp again (after a sync, or when it goes away). */
static void sp_resync_done(struct shadow_page *sp)
{
	if (!sp->unsync)
		return;
	*sp->uprev = sp->unext;
	if (sp->unext)
		sp->unext->uprev = sp->uprev;
	sp->unsync = false;
}

uint64_t shadow__pages(const struct shadow *sh)
{
	return sh->pages;
}

uint64_t shadow__peak_pages(const struct shadow *sh)
{
	return sh->peak;
}

/* A new, empty shadow table for guest table gfn at level, linked under
 * parent's entry idx (parent NULL: a root).  Returns NULL with e filled
 * when host memory runs out. */
static struct shadow_page *sp_create(struct sim *s, uint64_t gfn, int level,
				     struct shadow_page *parent, unsigned idx,
				     struct isolab_err *e)
{
	struct shadow *sh = s->sh;
	struct shadow_page *sp = calloc(1, sizeof(*sp));

	if (!sp || (level > 1 &&
		    !(sp->child = calloc(PT_ENTRIES, sizeof(*sp->child))))) {
		free(sp);
		err__set(e, errno, "shadow page");
		return NULL;
	}
	sp->hfn = physmem__alloc(s->pm, e);
	if (!sp->hfn) {
		free(sp->child);
		free(sp);
		return NULL;
	}
	sp->gfn = gfn;
	sp->level = level;
	sp->tag = s->tag;
	sp->parent = parent;
	sp->parent_idx = idx;
	if (parent) {
		sp->va_base = parent->va_base +
			      ((uint64_t)idx << (PAGE_SHIFT + 9 * level));
		parent->child[idx] = sp;
		physmem__write64(s->pm, (parent->hfn << PAGE_SHIFT) + idx * 8,
				 (sp->hfn << PAGE_SHIFT) | PTE_P | PTE_RW |
					 PTE_US);
	}
	if (gfn != NO_GFN) {
		/* Hashing it is what write-protects the guest table. */
		sp->hnext = sh->bucket[sp_hash(gfn)];
		sh->bucket[sp_hash(gfn)] = sp;
	}
	if (++sh->pages > sh->peak)
		sh->peak = sh->pages;
	return sp;
}

static void sp_unhash(struct shadow *sh, struct shadow_page *sp)
{
	struct shadow_page **pp = &sh->bucket[sp_hash(sp->gfn)];

	if (sp->gfn == NO_GFN)
		return;
	while (*pp && *pp != sp)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = sp->hnext;
}

/* Drop sp's entries and children; the page itself stays. */
static void sp_clear(struct sim *s, struct shadow_page *sp);

/* Drop sp and everything below it, unlinking it from its parent. */
static void sp_zap(struct sim *s, struct shadow_page *sp)
{
	sp_clear(s, sp);
	if (sp->parent) {
		sp->parent->child[sp->parent_idx] = NULL;
		physmem__write64(s->pm,
				 (sp->parent->hfn << PAGE_SHIFT) +
					 sp->parent_idx * 8,
				 0);
	}
	sp_unhash(s->sh, sp);
	sp_resync_done(sp);
	physmem__free(s->pm, sp->hfn);
	free(sp->child);
	free(sp);
	s->sh->pages--;
	s->c.shadow_zaps++;
}

static void sp_clear(struct sim *s, struct shadow_page *sp)
{
	if (sp->child)
		for (int i = 0; i < PT_ENTRIES; i++)
			if (sp->child[i])
				sp_zap(s, sp->child[i]);
	memset(physmem__frame(s->pm, sp->hfn), 0, PAGE_SIZE);
}

/* The TLB and walk caches may hold what a dropped shadow table mapped. */
static void flush_after_zap(struct sim *s, const struct shadow_page *sp)
{
	mmu__flush_tag(s, sp->tag);
}

int shadow__fault(struct sim *s, uint64_t va, bool write, struct isolab_err *e)
{
	struct shadow_page *sp = s->sh->root, *child;
	uint64_t gtable = s->cr3 & PTE_ADDR, gpa, gpte = 0, gfn = 0, spte;
	bool allow_w = true;
	int level;
	unsigned idx;

	for (level = 4; level >= 1; level--) {
		idx = pte_index(va, level);
		gpa = gtable + idx * 8;
		gpte = gmem__read64(s, gpa);
		s->c.vmm_refs++;
		if (!(gpte & PTE_P) || !(gpte & PTE_US) ||
		    (write && !(gpte & PTE_RW))) {
			s->c.exits[EXIT_PF_INJECT]++;
			return MMU_FAULT;
		}
		allow_w = allow_w && (gpte & PTE_RW);
		/* The VMM keeps the guest's accessed and dirty bits, since
		 * the hardware sets them only in the shadow entries. */
		if (!(gpte & PTE_A) ||
		    (write && (level == 1 || (gpte & PTE_PS)) &&
		     !(gpte & PTE_D))) {
			gpte |= PTE_A;
			if (write && (level == 1 || (gpte & PTE_PS)))
				gpte |= PTE_D;
			gmem__write64(s, gpa, gpte);
		}
		if (level == 1) {
			gfn = gpte >> PAGE_SHIFT & (PTE_ADDR >> PAGE_SHIFT);
			break;
		}
		child = sp->child[idx];
		if (level == 2 && (gpte & PTE_PS)) {
			gfn = (gpte & PTE_ADDR) >> PAGE_SHIFT;
			gfn = (gfn & ~511ull) + pte_index(va, 1);
			if (child && child->gfn != NO_GFN) {
				sp_zap(s, child);
				child = NULL;
			}
			if (!child &&
			    !(child = sp_create(s, NO_GFN, 1, sp, idx, e)))
				return -1;
			if (!(gpte & PTE_D))
				allow_w = false;
			sp = child;
			level = 1;
			idx = pte_index(va, 1);
			goto leaf;
		}
		if (child && child->gfn != (gpte & PTE_ADDR) >> PAGE_SHIFT) {
			/* Cannot happen while every write traps; kept so a
			 * stale shadow is never followed. */
			sp_zap(s, child);
			child = NULL;
		}
		if (!child &&
		    !(child = sp_create(s, (gpte & PTE_ADDR) >> PAGE_SHIFT,
					level - 1, sp, idx, e)))
			return -1;
		sp = child;
		gtable = gpte & PTE_ADDR;
	}
	if (!(gpte & PTE_D))
		allow_w = false;
leaf:
	if (gmem__back(s, gfn, e) < 0)
		return -1;
	if (shadow__is_protected(s->sh, gfn))
		allow_w = false; /* a guest page table mapped as data */
	spte = ((uint64_t)s->p2m[gfn] << PAGE_SHIFT) | PTE_P | PTE_US |
	       (allow_w ? PTE_RW : 0);
	physmem__write64(s->pm, (sp->hfn << PAGE_SHIFT) + idx * 8, spte);
	s->c.exits[EXIT_HIDDEN_PF]++;
	return 0;
}

void shadow__pt_write(struct sim *s, uint64_t gpa, uint64_t val)
{
	uint64_t old = gmem__read64(s, gpa), gfn = gpa >> PAGE_SHIFT;
	unsigned idx = (unsigned)(gpa & (PAGE_SIZE - 1)) / 8;
	struct shadow_page *sp, *next;

	bool only_pts = true;

	gmem__write64(s, gpa, val); /* the emulated store */
	for (sp = s->sh->bucket[sp_hash(gfn)]; sp; sp = sp->hnext)
		if (sp->gfn == gfn && sp->level > 1)
			only_pts = false;
	if (s->cfg.shadow_unsync && only_pts) {
		/* KVM's unsync shadow pages: after this first trapped write
		 * the guest may change this last-level table freely; the
		 * VMM catches up at the guest's next INVLPG or CR3 write. */
		for (sp = s->sh->bucket[sp_hash(gfn)]; sp; sp = sp->hnext)
			if (sp->gfn == gfn && !sp->unsync) {
				sp_unsync(s->sh, sp);
				s->c.shadow_unsyncs++;
			}
	}
	if (((old ^ val) & ~(PTE_A | PTE_D)) == 0)
		return;
	for (sp = s->sh->bucket[sp_hash(gfn)]; sp; sp = next) {
		next = sp->hnext;
		if (sp->gfn != gfn)
			continue;
		if (sp->level > 1) {
			if (sp->child[idx]) {
				sp_zap(s, sp->child[idx]);
				flush_after_zap(s, sp);
			}
			continue;
		}
		if (physmem__read64(s->pm, (sp->hfn << PAGE_SHIFT) + idx * 8)) {
			uint64_t va =
				sp->va_base + ((uint64_t)idx << PAGE_SHIFT);
			uint64_t key = tlb__key(sp->tag, va >> PAGE_SHIFT);

			physmem__write64(s->pm,
					 (sp->hfn << PAGE_SHIFT) + idx * 8, 0);
			tlb__flush_key(s->l1, key);
			tlb__flush_key(s->l2, key);
		}
	}
}

void shadow__unshadow(struct sim *s, uint64_t gfn)
{
	struct shadow_page *sp, *next;

	for (sp = s->sh->bucket[sp_hash(gfn)]; sp; sp = next) {
		next = sp->hnext;
		if (sp->gfn != gfn)
			continue;
		flush_after_zap(s, sp);
		if (sp == s->sh->root) {
			sp_clear(s, sp); /* the CPU still uses it */
			continue;
		}
		sp_zap(s, sp);
		next = s->sh->bucket[sp_hash(gfn)]; /* list changed */
	}
}

/* Bring unsync PT sp up to date with the guest's table: drop every shadow
 * entry the guest changed (KVM's sync_page), then write-protect it
 * again.  The VMM reads all 512 guest entries. */
static void sp_sync(struct sim *s, struct shadow_page *sp)
{
	uint64_t base = sp->hfn << PAGE_SHIFT, spte, gpte, gfn, key;

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		spte = physmem__read64(s->pm, base + i * 8);
		gpte = gmem__read64(s, (sp->gfn << PAGE_SHIFT) + i * 8);
		gfn = pte_gfn_of(gpte);
		s->c.vmm_refs++;
		if (!(spte & PTE_P))
			continue;
		/* Keep the entry only if the guest's still allows it. */
		if ((gpte & (PTE_P | PTE_US)) == (PTE_P | PTE_US) &&
		    gfn < s->ngfn && s->p2m[gfn] == spte >> PAGE_SHIFT &&
		    (!(spte & PTE_RW) ||
		     (gpte & (PTE_RW | PTE_D)) == (PTE_RW | PTE_D)))
			continue;
		physmem__write64(s->pm, base + i * 8, 0);
		key = tlb__key(sp->tag, (sp->va_base >> PAGE_SHIFT) + i);
		tlb__flush_key(s->l1, key);
		tlb__flush_key(s->l2, key);
	}
	sp_resync_done(sp);
	s->c.shadow_syncs++;
}

/* Sync the unsync PTs below root (kvm_mmu_sync_roots on a CR3 write). */
static void shadow_sync_root(struct sim *s, struct shadow_page *root)
{
	struct shadow_page *sp, *next, *top;

	for (sp = s->sh->unsync; sp; sp = next) {
		next = sp->unext;
		for (top = sp; top->parent; top = top->parent)
			;
		if (top == root)
			sp_sync(s, sp);
	}
}

int shadow__cr3_write(struct sim *s, uint64_t cr3, struct isolab_err *e)
{
	uint64_t gfn = cr3 >> PAGE_SHIFT;
	struct shadow_page *sp;

	for (sp = s->sh->bucket[sp_hash(gfn)]; sp; sp = sp->hnext)
		if (sp->gfn == gfn && !sp->parent)
			break;
	if (!sp) {
		sp = sp_create(s, gfn, 4, NULL, 0, e);
		if (!sp)
			return -1;
	}
	sp->tag = s->tag;
	s->sh->root = sp;
	s->hw_root = sp->hfn << PAGE_SHIFT;
	shadow_sync_root(s, sp);
	return 0;
}

void shadow__invlpg(struct sim *s, uint64_t va)
{
	struct shadow_page *sp = s->sh->root;

	for (int level = 4; sp && level > 1; level--)
		sp = sp->child[pte_index(va, level)];
	if (sp)
		physmem__write64(s->pm,
				 (sp->hfn << PAGE_SHIFT) + pte_index(va, 1) * 8,
				 0);
}
