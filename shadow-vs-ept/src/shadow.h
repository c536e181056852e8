/*
 * shadow.h - The VMM's shadow page tables (see shadow.c).
 */
#ifndef SVE_SHADOW_H
#define SVE_SHADOW_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct sim;
struct shadow;

/* An empty shadow MMU.  Returns NULL with e filled if out of memory. */
struct shadow *shadow__create(struct isolab_err *e);
/* Frees the bookkeeping; the shadow frames go with the host memory. */
void shadow__destroy(struct shadow *sh);

/* True when guest frame gfn is a guest page table the VMM shadows, so the
 * guest's writes to it trap. */
bool shadow__is_protected(const struct shadow *sh, uint64_t gfn);

/* Shadow pages (host frames) in use now, and at most. */
uint64_t shadow__pages(const struct shadow *sh);
uint64_t shadow__peak_pages(const struct shadow *sh);

/* Exit handler for a page fault on the shadow tables at va: fill the
 * shadow entry from the guest's tables (a hidden fault), or find that the
 * guest's own tables do not allow the access.  Returns 0 when filled,
 * MMU_FAULT when the fault must be injected into the guest, -1 with e
 * filled when host memory runs out. */
int shadow__fault(struct sim *s, uint64_t va, bool write, struct isolab_err *e);

/* Exit handler for a trapped guest write of val to the page-table entry at
 * guest-physical gpa: emulate the write and drop what it invalidates. */
void shadow__pt_write(struct sim *s, uint64_t gpa, uint64_t val);

/* Exit handler for a guest write that is not to a page-table entry (the
 * guest reusing a frame that was a page table): stop shadowing gfn. */
void shadow__unshadow(struct sim *s, uint64_t gfn);

/* Exit handler for MOV to CR3: switch the hardware to the cached shadow
 * root of guest PML4 cr3, creating it if new.  Returns 0 or -1 with e. */
int shadow__cr3_write(struct sim *s, uint64_t cr3, struct isolab_err *e);

/* Exit handler for INVLPG va: drop va's shadow leaf entry. */
void shadow__invlpg(struct sim *s, uint64_t va);

#endif
