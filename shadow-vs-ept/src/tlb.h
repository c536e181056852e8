/*
 * tlb.h - A set-associative translation cache with LRU replacement: the
 * shape shared by the TLBs, the paging-structure (walk) caches and the
 * nested TLB.
 *
 * Lecture: "the TLB caches translations; a miss costs a page walk".  A
 * key is a tagged page number (address-space tag in the high bits, bit 63
 * marks it valid); a value is what the hardware would keep (a frame number
 * and permission bits).  The set is chosen by the low bits of the key, as
 * hardware indexes by the low bits of the virtual page number.
 */
#ifndef SVE_TLB_H
#define SVE_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

#define TLB_VALID     (1ull << 63)
#define TLB_TAG_SHIFT 40 /* keys are (tag << 40) | page number */

struct tlb {
	uint64_t *key; /* sets * ways; 0 = empty */
	uint64_t *val;
	uint64_t *stamp; /* last use, for LRU */
	unsigned sets, ways;
	uint64_t clock;
};

/* A cache of `entries` entries, `ways`-way associative (entries / ways
 * must be a power of two).  Returns NULL with e filled on bad sizes or if
 * out of memory; entries == 0 gives a cache that never hits. */
struct tlb *tlb__create(const char *what, unsigned entries, unsigned ways,
			struct isolab_err *e);
void tlb__destroy(struct tlb *t);

/* The key for page number pn under address-space tag tag. */
static inline uint64_t tlb__key(uint64_t tag, uint64_t pn)
{
	return TLB_VALID | (tag << TLB_TAG_SHIFT) | pn;
}

/* The value cached for key, or NULL on a miss.  A hit becomes the most
 * recently used entry of its set.  The hot path of every mode. */
static inline uint64_t *tlb__lookup(struct tlb *t, uint64_t key)
{
	unsigned set, w;
	uint64_t *k;

	if (!t->sets)
		return 0;
	set = (unsigned)(key ^ (key >> TLB_TAG_SHIFT)) & (t->sets - 1);
	k = t->key + (uint64_t)set * t->ways;
	for (w = 0; w < t->ways; w++)
		if (k[w] == key) {
			t->stamp[set * t->ways + w] = ++t->clock;
			return &t->val[set * t->ways + w];
		}
	return 0;
}

/* Cache key -> val, evicting the least recently used entry of the set. */
void tlb__insert(struct tlb *t, uint64_t key, uint64_t val);

/* Drop key if cached. */
void tlb__flush_key(struct tlb *t, uint64_t key);

/* Drop every entry of address-space tag (INVPCID single-context). */
void tlb__flush_tag(struct tlb *t, uint64_t tag);

/* Drop everything (a CR3 write without ASIDs). */
void tlb__flush_all(struct tlb *t);

#endif
