/*
 * physmem.c - Host physical frames, allocated in 2 MiB chunks on first use
 * (see physmem.h).
 */
#include "physmem.h"

#include <errno.h>
#include <stdlib.h>

struct physmem *physmem__create(uint64_t frames, struct isolab_err *e)
{
	struct physmem *pm = calloc(1, sizeof(*pm));

	if (!pm) {
		err__set(e, errno, "host memory");
		return NULL;
	}
	pm->limit = frames;
	pm->nchunks = (frames >> PHYSMEM_CHUNK_SHIFT) + 1;
	pm->chunk = calloc(pm->nchunks, sizeof(*pm->chunk));
	if (!pm->chunk) {
		err__set(e, errno, "host memory");
		free(pm);
		return NULL;
	}
	pm->next = 1; /* frame 0 means "none" */
	return pm;
}

void physmem__destroy(struct physmem *pm)
{
	if (!pm)
		return;
	for (uint64_t i = 0; i < pm->nchunks; i++)
		free(pm->chunk[i]);
	free(pm->chunk);
	free(pm->free);
	free(pm);
}

uint64_t physmem__alloc(struct physmem *pm, struct isolab_err *e)
{
	uint64_t hfn, c;

	if (pm->nfree) {
		hfn = pm->free[--pm->nfree];
		memset(physmem__frame(pm, hfn), 0, PAGE_SIZE);
	} else {
		if (pm->next >= pm->limit) {
			err__set(e, 0,
				 "host memory: all %llu frames in use (raise "
				 "--host-mib)",
				 (unsigned long long)pm->limit);
			return 0;
		}
		hfn = pm->next++;
		c = hfn >> PHYSMEM_CHUNK_SHIFT;
		if (!pm->chunk[c]) {
			/* calloc of 2 MiB is an anonymous mmap: it reads as
			 * zeroes and the kernel backs only what is touched. */
			pm->chunk[c] =
				calloc(1, PAGE_SIZE << PHYSMEM_CHUNK_SHIFT);
			if (!pm->chunk[c]) {
				pm->next--;
				err__set(e, errno, "host memory");
				return 0;
			}
		}
	}
	if (++pm->in_use > pm->peak)
		pm->peak = pm->in_use;
	return hfn;
}

uint64_t physmem__alloc_chunk(struct physmem *pm, struct isolab_err *e)
{
	uint64_t first = (pm->next + 511) & ~511ull, c;

	if (first + 512 > pm->limit) {
		err__set(e, 0,
			 "host memory: no 2 MiB block left of %llu frames "
			 "(raise --host-mib)",
			 (unsigned long long)pm->limit);
		return 0;
	}
	c = first >> PHYSMEM_CHUNK_SHIFT;
	if (!pm->chunk[c] &&
	    !(pm->chunk[c] = calloc(1, PAGE_SIZE << PHYSMEM_CHUNK_SHIFT))) {
		err__set(e, errno, "host memory");
		return 0;
	}
	/* The frames skipped to align stay usable one by one. */
	while (pm->next < first) {
		uint64_t hfn = pm->next++;

		if (!pm->chunk[hfn >> PHYSMEM_CHUNK_SHIFT])
			continue; /* never backed: nothing to reuse */
		pm->in_use++;
		physmem__free(pm, hfn);
	}
	pm->next = first + 512;
	pm->in_use += 512;
	if (pm->in_use > pm->peak)
		pm->peak = pm->in_use;
	return first;
}

void physmem__free(struct physmem *pm, uint64_t hfn)
{
	if (pm->nfree == pm->capfree) {
		uint64_t cap = pm->capfree ? 2 * pm->capfree : 256;
		uint64_t *f = realloc(pm->free, cap * sizeof(*f));

		if (!f) /* leak the frame rather than fail a free */
			return;
		pm->free = f;
		pm->capfree = cap;
	}
	pm->free[pm->nfree++] = hfn;
	pm->in_use--;
}
