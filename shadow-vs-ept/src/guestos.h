/*
 * guestos.h - The guest operating system's memory manager (see guestos.c).
 *
 * Every call acts on the current process unless it says otherwise.  All
 * return 0 (or a pid) on success and -1 with e filled on failure.
 */
#ifndef SVE_GUESTOS_H
#define SVE_GUESTOS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct sim;
struct guestos;

struct guestos *guestos__create(uint64_t guest_frames, struct isolab_err *e);
void guestos__destroy(struct guestos *os);

/* A new process with an empty address space (not yet running): its pid,
 * or -1. */
int guestos__spawn(struct sim *s, struct isolab_err *e);

/* Context switch to pid (a CR3 write). */
int guestos__switch(struct sim *s, int pid, struct isolab_err *e);

/* The running process's pid, 0 if none. */
int guestos__current(const struct sim *s);

/* Map npages of anonymous memory at the lowest free address (demand
 * paged: no page-table write until touched); *va is where. */
int guestos__mmap(struct sim *s, uint64_t npages, bool write, uint64_t *va,
		  struct isolab_err *e);

/* Map [start, end) (page aligned) at a fixed place. */
int guestos__map_fixed(struct sim *s, uint64_t start, uint64_t end, bool write,
		       struct isolab_err *e);

/* Unmap npages at va: clear every present PTE (a write each), free the
 * frames, INVLPG each. */
int guestos__munmap(struct sim *s, uint64_t va, uint64_t npages,
		    struct isolab_err *e);

/* The page-fault handler: demand-zero fill or copy-on-write.  Fails on an
 * address outside every mapping (a segmentation fault). */
int guestos__page_fault(struct sim *s, uint64_t va, bool write,
			struct isolab_err *e);

/* fork(): a copy of the current process sharing its frames copy-on-write
 * (both sides' PTEs made read-only).  Returns the child's pid or -1. */
int guestos__fork(struct sim *s, struct isolab_err *e);

/* exec(): replace the current address space by an empty one. */
int guestos__exec(struct sim *s, struct isolab_err *e);

/* exit(): tear down the current process and switch to pid next. */
int guestos__exit(struct sim *s, int next, struct isolab_err *e);

/* Guest page-table pages in use now, and guest frames in use. */
uint64_t guestos__pt_pages(const struct guestos *os);
uint64_t guestos__frames(const struct guestos *os);

/* Guest CR3 of pid (0 if no such live process). */
uint64_t guestos__cr3(const struct sim *s, int pid);

#endif
