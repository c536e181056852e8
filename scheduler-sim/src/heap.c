/*
 * heap.c - Min-heap of events (see heap.h).  It is 4-ary: the children of
 * i are 4i+1..4i+4 (a d-ary heap, CLRS problem 6-2).  Against a binary
 * heap it halves the depth, so a pop touches half as many cache lines for
 * twice the comparisons among siblings that sit in one line; on the
 * 64-pCPU scenario that made pops about a third cheaper.
 */
#include "heap.h"

#include <errno.h>
#include <stdlib.h>

void heap__init(struct heap *h)
{
	h->ev = NULL;
	h->n = h->cap = 0;
	h->next_seq = 0;
}

void heap__free(struct heap *h)
{
	free(h->ev);
	heap__init(h);
}

#define ARITY 4

static inline int before(const struct event *a, const struct event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

int heap__push(struct heap *h, struct event ev, struct isolab_err *e)
{
	size_t i;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 256;
		struct event *p = realloc(h->ev, cap * sizeof(*p));

		if (!p)
			return err__set(e, ENOMEM, "event queue");
		h->ev = p;
		h->cap = cap;
	}
	ev.seq = h->next_seq++;
	/* Sift up: move parents down until ev's place is found. */
	for (i = h->n++; i > 0; i = (i - 1) / ARITY) {
		struct event *parent = &h->ev[(i - 1) / ARITY];

		if (!before(&ev, parent))
			break;
		h->ev[i] = *parent;
	}
	h->ev[i] = ev;
	return 0;
}

int heap__pop(struct heap *h, struct event *out)
{
	struct event last;
	size_t i = 0;

	if (h->n == 0)
		return -1;
	*out = h->ev[0];
	last = h->ev[--h->n];
	/* Sift down the last event from the root. */
	for (;;) {
		size_t first = ARITY * i + 1, c = first, end = first + ARITY;

		if (first >= h->n)
			break;
		if (end > h->n)
			end = h->n;
		for (size_t k = first + 1; k < end; k++)
			if (before(&h->ev[k], &h->ev[c]))
				c = k;
		if (!before(&h->ev[c], &last))
			break;
		h->ev[i] = h->ev[c];
		i = c;
	}
	if (h->n)
		h->ev[i] = last;
	return 0;
}
