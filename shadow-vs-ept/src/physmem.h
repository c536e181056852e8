/*
 * physmem.h - Host physical memory: 4 KiB frames allocated on first use.
 *
 * Lecture: "physical memory is an array of frames".  Frames are handed out
 * in 2 MiB chunks, so the simulator's own memory grows with the frames the
 * simulated machine touches, not with the address space.  Frame 0 is never
 * handed out, so a frame number of 0 can mean "none".
 */
#ifndef SVE_PHYSMEM_H
#define SVE_PHYSMEM_H

#include <stdint.h>
#include <string.h>

#include "err.h"
#include "pte.h"

#define PHYSMEM_CHUNK_SHIFT 9 /* 512 frames = 2 MiB per chunk */

struct physmem {
	uint8_t **chunk;  /* chunk[hfn >> 9]: 512 frames, or NULL */
	uint64_t nchunks; /* slots in chunk[] */
	uint64_t next;	  /* next never-used frame number */
	uint64_t limit;	  /* frames the machine has */
	uint64_t *free;	  /* freed frames, reused first */
	uint64_t nfree, capfree;
	uint64_t in_use; /* frames allocated now */
	uint64_t peak;	 /* most frames allocated at once */
};

/* A host with `frames` frames of 4 KiB.  Returns NULL with e filled if out
 * of memory. */
struct physmem *physmem__create(uint64_t frames, struct isolab_err *e);
void physmem__destroy(struct physmem *pm);

/* A zeroed frame.  Returns its number (> 0), or 0 with e filled when the
 * host is out of frames or memory. */
uint64_t physmem__alloc(struct physmem *pm, struct isolab_err *e);

/* 512 zeroed frames, 2 MiB-aligned and contiguous (a host huge page).
 * Returns the first one's number, or 0 with e filled. */
uint64_t physmem__alloc_chunk(struct physmem *pm, struct isolab_err *e);

/* Give frame hfn back. */
void physmem__free(struct physmem *pm, uint64_t hfn);

/* The bytes of frame hfn (which must be allocated). */
static inline uint8_t *physmem__frame(const struct physmem *pm, uint64_t hfn)
{
	return pm->chunk[hfn >> PHYSMEM_CHUNK_SHIFT] +
	       ((hfn & ((1u << PHYSMEM_CHUNK_SHIFT) - 1)) << PAGE_SHIFT);
}

/* The 64-bit entry at host physical address hpa (8-byte aligned). */
static inline uint64_t physmem__read64(const struct physmem *pm, uint64_t hpa)
{
	uint64_t v;

	memcpy(&v, physmem__frame(pm, hpa >> PAGE_SHIFT) + (hpa & 4095), 8);
	return v;
}

static inline void physmem__write64(struct physmem *pm, uint64_t hpa,
				    uint64_t v)
{
	memcpy(physmem__frame(pm, hpa >> PAGE_SHIFT) + (hpa & 4095), &v, 8);
}

#endif
