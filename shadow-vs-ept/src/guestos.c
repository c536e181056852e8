/*
 * guestos.c - The guest OS: processes, address spaces and the page-fault
 * handler of a Unix kernel, reduced to what drives the MMU.
 *
 * Lecture: "demand paging, copy-on-write fork, exec, context switches".
 * What matters for virtualization is that every change to a page table
 * is a real store into a guest page-table frame (gos_write_pte): natively
 * that is one store; under shadow paging the frame is write-protected and
 * the store traps to the VMM.  The kernel also issues INVLPG and CR3
 * writes where Linux does (after changing a present PTE; on switch).
 * Linux names for what this models: do_anonymous_page, do_wp_page,
 * copy_page_range (fork), exit_mmap / free_pgtables (exit, exec).
 */
#include "guestos.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "shadow.h"
#include "sim.h"

#define MMAP_BASE 0x10000000ull /* where mmap looks first (256 MiB) */
#define USER_TOP  (1ull << 47)	/* end of the canonical user half */
#define TAG_LIMIT 4096		/* 12-bit PCID-like tags */

struct vma {
	uint64_t start, end; /* [start, end), page aligned */
	bool write;
};

struct gproc {
	bool live;
	uint64_t cr3; /* guest-physical PML4 */
	struct vma *vma;
	size_t nvma, capvma;
};

struct gfn_list {
	uint64_t *v;
	uint64_t n, cap;
};

struct guestos {
	struct gproc *proc; /* pid p is proc[p - 1] */
	size_t nproc, capproc;
	int cur;	       /* running pid, 0 if none */
	uint32_t *ref;	       /* mappings of each guest frame, 0 = free */
	struct gfn_list free;  /* freed guest frames */
	struct gfn_list lfree; /* freed 2 MiB blocks, by first frame */
	uint64_t next, ngfn;
	uint64_t frames, pt_pages;
};

struct guestos *guestos__create(uint64_t guest_frames, struct isolab_err *e)
{
	struct guestos *os = calloc(1, sizeof(*os));

	if (!os || !(os->ref = calloc(guest_frames, sizeof(*os->ref)))) {
		free(os);
		err__set(e, errno, "guest OS");
		return NULL;
	}
	os->ngfn = guest_frames;
	os->next = 1; /* guest frame 0 stays unused, like real mode's IVT */
	return os;
}

void guestos__destroy(struct guestos *os)
{
	if (!os)
		return;
	for (size_t i = 0; i < os->nproc; i++)
		free(os->proc[i].vma);
	free(os->proc);
	free(os->ref);
	free(os->free.v);
	free(os->lfree.v);
	free(os);
}

uint64_t guestos__pt_pages(const struct guestos *os)
{
	return os->pt_pages;
}

uint64_t guestos__frames(const struct guestos *os)
{
	return os->frames;
}

int guestos__current(const struct sim *s)
{
	return s->os->cur;
}

static struct gproc *gos_proc(const struct sim *s, int pid)
{
	if (pid < 1 || (size_t)pid > s->os->nproc || !s->os->proc[pid - 1].live)
		return NULL;
	return &s->os->proc[pid - 1];
}

uint64_t guestos__cr3(const struct sim *s, int pid)
{
	struct gproc *p = gos_proc(s, pid);

	return p ? p->cr3 : 0;
}

static uint64_t gos_tag(int pid)
{
	return (uint64_t)(pid % (TAG_LIMIT - 1)) + 1;
}

/* The one way the kernel changes a page table: a store to guest memory.
 * Under shadow paging the frame may be write-protected: the store traps
 * and the VMM emulates it. */
static void gos_write_pte(struct sim *s, uint64_t gpa, uint64_t val)
{
	s->c.guest_pte_writes++;
	if (s->cfg.mode == MODE_SHADOW &&
	    shadow__is_protected(s->sh, gpa >> PAGE_SHIFT)) {
		s->c.guest_pte_writes_wp++;
		s->c.exits[EXIT_PT_WRITE]++;
		shadow__pt_write(s, gpa, val);
		return;
	}
	gmem__write64(s, gpa, val);
}

/* Push gfn on a free list.  Returns 0, or -1 if the list cannot grow
 * (the frame is then leaked rather than a free failing). */
static int gfn_push(struct gfn_list *l, uint64_t gfn)
{
	if (l->n == l->cap) {
		uint64_t cap = l->cap ? 2 * l->cap : 1024;
		uint64_t *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = gfn;
	return 0;
}

/* Make a newly allocated gfn usable: backed by the VMM, no longer
 * shadowed, zeroed (clear_page).  Returns 0 or -1 with e. */
static int gos_prepare_frame(struct sim *s, uint64_t gfn, struct isolab_err *e)
{
	if (gmem__back(s, gfn, e) < 0)
		return -1;
	if (s->cfg.mode == MODE_SHADOW && shadow__is_protected(s->sh, gfn)) {
		/* The frame was a page table the VMM still shadows: the
		 * zeroing store traps, and the VMM stops shadowing it. */
		s->c.exits[EXIT_WP_FLOOD]++;
		shadow__unshadow(s, gfn);
	}
	memset(physmem__frame(s->pm, s->p2m[gfn]), 0, PAGE_SIZE);
	s->c.pages_zeroed++;
	return 0;
}

static uint64_t gos_out_of_memory(struct guestos *os, struct isolab_err *e)
{
	err__set(e, 0,
		 "guest memory: all %llu frames in use (raise --guest-mib)",
		 (unsigned long long)os->ngfn);
	return 0;
}

/* A zeroed guest frame with one reference: its number, or 0 with e. */
static uint64_t gos_alloc_frame(struct sim *s, struct isolab_err *e)
{
	struct guestos *os = s->os;
	uint64_t gfn;

	if (os->free.n)
		gfn = os->free.v[--os->free.n];
	else if (os->next < os->ngfn)
		gfn = os->next++;
	else
		return gos_out_of_memory(os, e);
	if (gos_prepare_frame(s, gfn, e) < 0)
		return 0;
	os->ref[gfn] = 1;
	os->frames++;
	return gfn;
}

/* 512 contiguous, 2 MiB-aligned, zeroed guest frames (a transparent huge
 * page); the reference count is kept on the first.  Returns the first
 * frame's number, or 0 with e. */
static uint64_t gos_alloc_large(struct sim *s, struct isolab_err *e)
{
	struct guestos *os = s->os;
	uint64_t head, aligned;

	if (os->lfree.n) {
		head = os->lfree.v[--os->lfree.n];
	} else {
		aligned = (os->next + 511) & ~511ull;
		if (aligned + 512 > os->ngfn)
			return gos_out_of_memory(os, e);
		while (os->next < aligned) /* the gap stays usable */
			gfn_push(&os->free, os->next++);
		head = aligned;
		os->next = aligned + 512;
	}
	for (uint64_t i = 0; i < 512; i++)
		if (gos_prepare_frame(s, head + i, e) < 0)
			return 0;
	os->ref[head] = 1;
	os->frames += 512;
	return head;
}

/* Drop one reference to gfn, freeing it at zero. */
static void gos_put_frame(struct sim *s, uint64_t gfn)
{
	if (--s->os->ref[gfn])
		return;
	gfn_push(&s->os->free, gfn);
	s->os->frames--;
}

static void gos_put_large(struct sim *s, uint64_t head)
{
	if (--s->os->ref[head])
		return;
	gfn_push(&s->os->lfree, head);
	s->os->frames -= 512;
}

static uint64_t pte_gfn(uint64_t ent)
{
	return (ent & PTE_ADDR) >> PAGE_SHIFT;
}

/* Guest-physical address of va's entry at level `stop` (1: the PTE, 2:
 * the PDE) under cr3, allocating missing tables when create.  Returns 0;
 * 1 when a table is missing and !create; 2 when a 2 MiB page sits at the
 * PD level above a wanted PTE (*pte_gpa is then the PDE's address); or -1
 * with e filled. */
static int gos_entry(struct sim *s, uint64_t cr3, uint64_t va, int stop,
		     bool create, uint64_t *pte_gpa, struct isolab_err *e)
{
	uint64_t table = cr3, at, ent, gfn;

	for (int level = 4; level > stop; level--) {
		at = table + pte_index(va, level) * 8;
		ent = gmem__read64(s, at);
		if (!(ent & PTE_P)) {
			if (!create)
				return 1;
			gfn = gos_alloc_frame(s, e);
			if (!gfn)
				return -1;
			s->os->pt_pages++;
			ent = (gfn << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US;
			gos_write_pte(s, at, ent);
		} else if (level == 2 && (ent & PTE_PS)) {
			*pte_gpa = at;
			return 2;
		}
		table = ent & PTE_ADDR;
	}
	*pte_gpa = table + pte_index(va, stop) * 8;
	return 0;
}

static int gos_pte(struct sim *s, uint64_t cr3, uint64_t va, bool create,
		   uint64_t *pte_gpa, struct isolab_err *e)
{
	return gos_entry(s, cr3, va, 1, create, pte_gpa, e);
}

/* Reload CR3 to flush this address space's TLB entries (flush_tlb_mm);
 * under shadow paging the CR3 write exits. */
static int gos_flush_tlb(struct sim *s, struct isolab_err *e)
{
	mmu__flush_tag(s, gos_tag(s->os->cur));
	return mmu__write_cr3(s, s->cr3, gos_tag(s->os->cur), e);
}

/* A private copy of the 2 MiB page mapped by the PDE at pde_gpa (the
 * copy-on-write of a huge page), writable.  Returns 0 or -1 with e. */
static int gos_copy_large(struct sim *s, uint64_t pde_gpa, uint64_t pde,
			  struct isolab_err *e)
{
	uint64_t old = pte_gfn(pde), head;

	if (s->os->ref[old] == 1) {
		gos_write_pte(s, pde_gpa, pde | PTE_RW);
		return 0;
	}
	head = gos_alloc_large(s, e);
	if (!head)
		return -1;
	for (uint64_t i = 0; i < 512; i++)
		memcpy(physmem__frame(s->pm, s->p2m[head + i]),
		       physmem__frame(s->pm, s->p2m[old + i]), PAGE_SIZE);
	s->c.pages_copied += 512;
	gos_put_large(s, old);
	gos_write_pte(s, pde_gpa,
		      (head << PAGE_SHIFT) | PTE_P | PTE_US | PTE_RW | PTE_PS);
	return 0;
}

/* Split the 2 MiB page at pde_gpa into 512 4 KiB PTEs in a new page table
 * (split_huge_pmd), unsharing it first.  Returns 0 or -1 with e. */
static int gos_split_large(struct sim *s, uint64_t pde_gpa,
			   struct isolab_err *e)
{
	uint64_t pde = gmem__read64(s, pde_gpa), pt, head, flags;

	if (s->os->ref[pte_gfn(pde)] > 1 &&
	    gos_copy_large(s, pde_gpa, pde | PTE_RW, e) < 0)
		return -1;
	pde = gmem__read64(s, pde_gpa);
	head = pte_gfn(pde);
	flags = pde & (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D);
	pt = gos_alloc_frame(s, e);
	if (!pt)
		return -1;
	s->os->pt_pages++;
	for (uint64_t i = 0; i < 512; i++) {
		gos_write_pte(s, (pt << PAGE_SHIFT) + i * 8,
			      ((head + i) << PAGE_SHIFT) | flags);
		s->os->ref[head + i] = 1;
	}
	gos_write_pte(s, pde_gpa, (pt << PAGE_SHIFT) | PTE_P | PTE_RW | PTE_US);
	s->c.large_splits++;
	return gos_flush_tlb(s, e);
}

/* The current process's mapping of va, or NULL. */
static struct vma *gos_find_vma(struct gproc *p, uint64_t va)
{
	size_t lo = 0, hi = p->nvma;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (va < p->vma[mid].start)
			hi = mid;
		else if (va >= p->vma[mid].end)
			lo = mid + 1;
		else
			return &p->vma[mid];
	}
	return NULL;
}

/* Insert v keeping the array sorted (the caller checked it is free). */
static int gos_insert_vma(struct gproc *p, struct vma v, struct isolab_err *e)
{
	size_t i = 0;

	if (p->nvma == p->capvma) {
		size_t cap = p->capvma ? 2 * p->capvma : 8;
		struct vma *n = realloc(p->vma, cap * sizeof(*n));

		if (!n)
			return err__set(e, errno, "guest OS: VMAs");
		p->vma = n;
		p->capvma = cap;
	}
	while (i < p->nvma && p->vma[i].start < v.start)
		i++;
	memmove(&p->vma[i + 1], &p->vma[i], (p->nvma - i) * sizeof(v));
	p->vma[i] = v;
	p->nvma++;
	return 0;
}

int guestos__spawn(struct sim *s, struct isolab_err *e)
{
	struct guestos *os = s->os;
	struct gproc *p;
	uint64_t gfn;

	if (os->nproc == os->capproc) {
		size_t cap = os->capproc ? 2 * os->capproc : 16;
		struct gproc *n = realloc(os->proc, cap * sizeof(*n));

		if (!n)
			return err__set(e, errno, "guest OS: processes");
		os->proc = n;
		os->capproc = cap;
	}
	gfn = gos_alloc_frame(s, e);
	if (!gfn)
		return -1;
	os->pt_pages++;
	p = &os->proc[os->nproc++];
	memset(p, 0, sizeof(*p));
	p->live = true;
	p->cr3 = gfn << PAGE_SHIFT;
	/* A recycled tag may still have TLB entries of an older process. */
	if (s->cfg.asid)
		mmu__flush_tag(s, gos_tag((int)os->nproc));
	return (int)os->nproc;
}

int guestos__switch(struct sim *s, int pid, struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, pid);

	if (!p)
		return err__set(e, 0, "guest OS: no process %d", pid);
	s->os->cur = pid;
	s->c.ctx_switches++;
	return mmu__write_cr3(s, p->cr3, gos_tag(pid), e);
}

int guestos__map_fixed(struct sim *s, uint64_t start, uint64_t end, bool write,
		       struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, s->os->cur);
	struct vma v = {start, end, write};

	if (!p)
		return err__set(e, 0, "guest OS: no running process");
	for (size_t i = 0; i < p->nvma; i++)
		if (p->vma[i].start < end && start < p->vma[i].end)
			return err__set(e, 0, "guest OS: %#llx: already mapped",
					(unsigned long long)start);
	s->c.mmaps++;
	return gos_insert_vma(p, v, e);
}

int guestos__mmap(struct sim *s, uint64_t npages, bool write, uint64_t *va,
		  struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, s->os->cur);
	uint64_t at = MMAP_BASE, len = npages << PAGE_SHIFT;

	if (!p)
		return err__set(e, 0, "guest OS: no running process");
	for (size_t i = 0; i < p->nvma; i++) {
		if (p->vma[i].end <= at)
			continue;
		if (p->vma[i].start >= at + len)
			break;
		at = p->vma[i].end;
	}
	if (npages == 0 || at + len > USER_TOP)
		return err__set(e, 0, "guest OS: mmap of %llu pages: no room",
				(unsigned long long)npages);
	*va = at;
	return guestos__map_fixed(s, at, at + len, write, e);
}

int guestos__munmap(struct sim *s, uint64_t va, uint64_t npages,
		    struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, s->os->cur);
	uint64_t end = va + (npages << PAGE_SHIFT), pte_gpa, pte;
	size_t i;

	if (!p)
		return err__set(e, 0, "guest OS: no running process");
	s->c.munmaps++;
	for (uint64_t a = va; a < end;) {
		uint64_t lbase = a & ~((1ull << LARGE_SHIFT) - 1);
		int rc = gos_pte(s, p->cr3, a, false, &pte_gpa, e);

		if (rc == 2 && lbase >= va &&
		    lbase + (1ull << LARGE_SHIFT) <= end) {
			/* A whole 2 MiB page goes: clear its PDE. */
			pte = gmem__read64(s, pte_gpa);
			gos_write_pte(s, pte_gpa, 0);
			gos_put_large(s, pte_gfn(pte));
			if (gos_flush_tlb(s, e) < 0)
				return -1;
			a = lbase + (1ull << LARGE_SHIFT);
			continue;
		}
		if (rc == 2) { /* part of one: split it, then retry */
			if (gos_split_large(s, pte_gpa, e) < 0)
				return -1;
			continue;
		}
		if (rc == 0) {
			pte = gmem__read64(s, pte_gpa);
			if (pte & PTE_P) {
				gos_write_pte(s, pte_gpa, 0);
				gos_put_frame(s, pte_gfn(pte));
				mmu__invlpg(s, a);
			}
		}
		a += PAGE_SIZE;
	}
	/* Cut [va, end) out of the VMAs, splitting one that spans it. */
	for (i = 0; i < p->nvma; i++) {
		struct vma *v = &p->vma[i];

		if (v->end <= va || v->start >= end)
			continue;
		if (v->start < va && v->end > end) {
			struct vma tail = {end, v->end, v->write};

			v->end = va;
			return gos_insert_vma(p, tail, e);
		}
		if (v->start < va)
			v->end = va;
		else if (v->end > end)
			v->start = end;
		else {
			memmove(v, v + 1, (p->nvma - i - 1) * sizeof(*v));
			p->nvma--;
			i--;
		}
	}
	return 0;
}

/* The huge-page part of the fault handler (do_huge_pmd_anonymous_page,
 * do_huge_pmd_wp_page): map a whole 2 MiB page when the mapping covers
 * the aligned 2 MiB around va and nothing is mapped there yet, or copy a
 * shared one on a write.  Returns 0 when handled, 1 when the 4 KiB path
 * must handle it, -1 with e filled. */
static int gos_large_fault(struct sim *s, const struct vma *v, uint64_t cr3,
			   uint64_t va, bool write, struct isolab_err *e)
{
	uint64_t lbase = va & ~((1ull << LARGE_SHIFT) - 1), pde_gpa, pde, head;

	if (gos_entry(s, cr3, va, 2, true, &pde_gpa, e) < 0)
		return -1;
	pde = gmem__read64(s, pde_gpa);
	if (!(pde & PTE_P)) {
		if (lbase < v->start || lbase + (1ull << LARGE_SHIFT) > v->end)
			return 1;
		head = gos_alloc_large(s, e);
		if (!head)
			return -1;
		s->c.large_faults++;
		gos_write_pte(s, pde_gpa,
			      (head << PAGE_SHIFT) | PTE_P | PTE_US | PTE_PS |
				      (v->write ? PTE_RW : 0));
		return 0;
	}
	if (!(pde & PTE_PS))
		return 1;
	if (write && !(pde & PTE_RW) && gos_copy_large(s, pde_gpa, pde, e) < 0)
		return -1;
	/* 512 translations changed (or were splintered in the TLB). */
	return gos_flush_tlb(s, e);
}

int guestos__page_fault(struct sim *s, uint64_t va, bool write,
			struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, s->os->cur);
	struct vma *v = p ? gos_find_vma(p, va) : NULL;
	uint64_t pte_gpa, pte, gfn, old;

	if (!v)
		return err__set(e, 0, "%#llx: segmentation fault (no mapping)",
				(unsigned long long)va);
	if (write && !v->write)
		return err__set(e, 0,
				"%#llx: segmentation fault (write to a "
				"read-only mapping)",
				(unsigned long long)va);
	s->c.guest_page_faults++;
	if (s->cfg.large_pages) {
		int rc = gos_large_fault(s, v, p->cr3, va, write, e);

		if (rc <= 0)
			return rc;
	}
	if (gos_pte(s, p->cr3, va, true, &pte_gpa, e) < 0)
		return -1;
	pte = gmem__read64(s, pte_gpa);
	if (!(pte & PTE_P)) { /* demand-zero page */
		gfn = gos_alloc_frame(s, e);
		if (!gfn)
			return -1;
		gos_write_pte(s, pte_gpa,
			      (gfn << PAGE_SHIFT) | PTE_P | PTE_US |
				      (v->write ? PTE_RW : 0));
		return 0;
	}
	if (write && !(pte & PTE_RW)) { /* copy-on-write */
		old = pte_gfn(pte);
		if (s->os->ref[old] == 1) {
			gos_write_pte(s, pte_gpa, pte | PTE_RW);
		} else {
			gfn = gos_alloc_frame(s, e);
			if (!gfn)
				return -1;
			memcpy(physmem__frame(s->pm, s->p2m[gfn]),
			       physmem__frame(s->pm, s->p2m[old]), PAGE_SIZE);
			s->c.pages_copied++;
			gos_put_frame(s, old);
			gos_write_pte(s, pte_gpa,
				      (gfn << PAGE_SHIFT) | PTE_P | PTE_US |
					      PTE_RW);
		}
	}
	/* The old translation may be cached: ptep_clear_flush(). */
	mmu__invlpg(s, va);
	return 0;
}

/* fork's copy of one table level: share every present leaf read-only. */
static int gos_copy_level(struct sim *s, uint64_t table, int level, uint64_t va,
			  uint64_t child_cr3, struct isolab_err *e)
{
	uint64_t ent, at, child_pte;

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t a =
			va | ((uint64_t)i << (PAGE_SHIFT + 9 * (level - 1)));

		if (level == 4 && i >= 256)
			break; /* user half only */
		at = table + i * 8;
		ent = gmem__read64(s, at);
		if (!(ent & PTE_P))
			continue;
		if (level > 2 || (level == 2 && !(ent & PTE_PS))) {
			if (gos_copy_level(s, ent & PTE_ADDR, level - 1, a,
					   child_cr3, e) < 0)
				return -1;
			continue;
		}
		if (ent & PTE_RW) {
			ent &= ~PTE_RW;
			gos_write_pte(s, at, ent);
		}
		if (gos_entry(s, child_cr3, a, level, true, &child_pte, e) < 0)
			return -1;
		gos_write_pte(s, child_pte, ent & ~(PTE_A | PTE_D));
		s->os->ref[pte_gfn(ent)]++;
	}
	return 0;
}

int guestos__fork(struct sim *s, struct isolab_err *e)
{
	struct gproc *parent = gos_proc(s, s->os->cur), *child;
	int pid;

	if (!parent)
		return err__set(e, 0, "guest OS: no running process");
	pid = guestos__spawn(s, e);
	if (pid < 0)
		return -1;
	parent = gos_proc(s, s->os->cur); /* spawn may move the table */
	child = gos_proc(s, pid);
	for (size_t i = 0; i < parent->nvma; i++)
		if (gos_insert_vma(child, parent->vma[i], e) < 0)
			return -1;
	s->c.forks++;
	if (gos_copy_level(s, parent->cr3, 4, 0, child->cr3, e) < 0)
		return -1;
	if (gos_flush_tlb(s, e) < 0)
		return -1;
	return pid;
}

/* exit_mmap: clear every leaf (unmap_vmas), then each table's entry in
 * its parent and the table itself (free_pgtables). */
static void gos_free_level(struct sim *s, uint64_t table, int level)
{
	uint64_t ent, at;

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		if (level == 4 && i >= 256)
			break;
		at = table + i * 8;
		ent = gmem__read64(s, at);
		if (!(ent & PTE_P))
			continue;
		if (level == 2 && (ent & PTE_PS)) {
			gos_write_pte(s, at, 0);
			gos_put_large(s, pte_gfn(ent));
			continue;
		}
		if (level > 1)
			gos_free_level(s, ent & PTE_ADDR, level - 1);
		gos_write_pte(s, at, 0);
		if (level > 1)
			s->os->pt_pages--;
		gos_put_frame(s, pte_gfn(ent));
	}
}

static void gos_free_mm(struct sim *s, struct gproc *p)
{
	gos_free_level(s, p->cr3, 4);
	s->os->pt_pages--;
	gos_put_frame(s, p->cr3 >> PAGE_SHIFT);
	p->nvma = 0;
}

int guestos__exec(struct sim *s, struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, s->os->cur);
	struct gproc old;
	uint64_t gfn;

	if (!p)
		return err__set(e, 0, "guest OS: no running process");
	s->c.execs++;
	gfn = gos_alloc_frame(s, e);
	if (!gfn)
		return -1;
	s->os->pt_pages++;
	old = *p;
	p->cr3 = gfn << PAGE_SHIFT;
	if (mmu__write_cr3(s, p->cr3, gos_tag(s->os->cur), e) < 0)
		return -1;
	/* The tag now names a new address space: drop the old one's. */
	mmu__flush_tag(s, gos_tag(s->os->cur));
	gos_free_mm(s, &old);
	p->nvma = 0;
	return 0;
}

int guestos__exit(struct sim *s, int next, struct isolab_err *e)
{
	struct gproc *p = gos_proc(s, s->os->cur);
	int pid = s->os->cur;

	if (!p)
		return err__set(e, 0, "guest OS: no running process");
	if (next == pid || !gos_proc(s, next))
		return err__set(e, 0, "guest OS: exit: no process %d to run",
				next);
	s->c.exits_proc++;
	gos_free_mm(s, p);
	mmu__flush_tag(s, gos_tag(pid));
	p->live = false;
	free(p->vma);
	p->vma = NULL;
	p->capvma = 0;
	return guestos__switch(s, next, e);
}
