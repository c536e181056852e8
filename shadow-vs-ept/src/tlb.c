/*
 * tlb.c - Set-associative translation caches with LRU (see tlb.h).
 */
#include "tlb.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct tlb *tlb__create(const char *what, unsigned entries, unsigned ways,
			struct isolab_err *e)
{
	struct tlb *t;
	unsigned sets;

	if (entries && (ways == 0 || entries % ways)) {
		err__set(e, 0, "%s: %u entries do not divide into %u ways",
			 what, entries, ways);
		return NULL;
	}
	sets = entries ? entries / ways : 0;
	if (sets & (sets - 1)) {
		err__set(e, 0,
			 "%s: %u entries / %u ways = %u sets, not a power of "
			 "two",
			 what, entries, ways, sets);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t) {
		err__set(e, errno, "%s", what);
		return NULL;
	}
	t->sets = sets;
	t->ways = ways;
	if (entries) {
		t->key = calloc(entries, sizeof(*t->key));
		t->val = calloc(entries, sizeof(*t->val));
		t->stamp = calloc(entries, sizeof(*t->stamp));
		if (!t->key || !t->val || !t->stamp) {
			err__set(e, errno, "%s", what);
			tlb__destroy(t);
			return NULL;
		}
	}
	return t;
}

void tlb__destroy(struct tlb *t)
{
	if (!t)
		return;
	free(t->key);
	free(t->val);
	free(t->stamp);
	free(t);
}

void tlb__insert(struct tlb *t, uint64_t key, uint64_t val)
{
	unsigned set, w, victim = 0;
	uint64_t *k, oldest = UINT64_MAX;
	size_t base;

	if (!t->sets)
		return;
	set = (unsigned)(key ^ (key >> TLB_TAG_SHIFT)) & (t->sets - 1);
	base = (size_t)set * t->ways;
	k = t->key + base;
	/* The key's own entry if cached (never two copies: an INVLPG must
	 * find them all), else an empty way, else the least recently used. */
	for (w = 0; w < t->ways; w++) {
		if (k[w] == key) {
			victim = w;
			oldest = 0;
			break;
		}
		if (oldest && (k[w] == 0 || t->stamp[base + w] < oldest)) {
			oldest = k[w] ? t->stamp[base + w] : 0;
			victim = w;
		}
	}
	k[victim] = key;
	t->val[base + victim] = val;
	t->stamp[base + victim] = ++t->clock;
}

void tlb__flush_key(struct tlb *t, uint64_t key)
{
	uint64_t *v = tlb__lookup(t, key);

	if (v)
		t->key[v - t->val] = 0;
}

void tlb__flush_tag(struct tlb *t, uint64_t tag)
{
	size_t n = (size_t)t->sets * t->ways;

	for (size_t i = 0; i < n; i++)
		if (t->key[i] &&
		    ((t->key[i] & ~TLB_VALID) >> TLB_TAG_SHIFT) == tag)
			t->key[i] = 0;
}

void tlb__flush_all(struct tlb *t)
{
	if (t->sets)
		memset(t->key, 0, (size_t)t->sets * t->ways * sizeof(*t->key));
}
