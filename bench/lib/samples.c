/*
 * samples.c - A growable array of measurements (see samples.h).
 */
#include "samples.h"

#include <errno.h>
#include <stdlib.h>

int samples__push(struct samples *s, double x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			errno = ENOMEM;
			return -1;
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

void samples__free(struct samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
