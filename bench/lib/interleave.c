/*
 * interleave.c - One run of each arm per round, in a new order every
 * round (interleave.h says why).
 */
#include <stdbool.h>

#include "interleave.h"

void interleave__shuffle(size_t *order, size_t n, uint64_t *state)
{
	for (size_t k = 0; k < n; k++)
		order[k] = k;
	for (size_t k = n; k > 1; k--) {
		size_t j, t;

		/* Knuth's MMIX LCG; the high bits are the good ones. */
		*state = *state * 6364136223846793005ull +
			 1442695040888963407ull;
		j = (size_t)(*state >> 33) % k;
		t = order[k - 1];
		order[k - 1] = order[j];
		order[j] = t;
	}
}

int interleave__rounds(size_t arms, int warmup, int runs, uint64_t seed,
		       interleave_run run,
		       void (*dropped)(void *arg, size_t arm,
				       const struct isolab_err *e),
		       interleave_tick tick, void *arg)
{
	bool out[INTERLEAVE_MAX_ARMS] = { false };
	size_t order[INTERLEAVE_MAX_ARMS], in = arms;
	uint64_t state = seed;

	if (arms > INTERLEAVE_MAX_ARMS || warmup < 0 || runs < 0)
		return -1;
	for (int round = -warmup; round < runs && in > 0; round++) {
		interleave__shuffle(order, arms, &state);
		for (size_t k = 0; k < arms; k++) {
			struct isolab_err e = { 0, "" };
			size_t a = order[k];

			if (out[a] || run(arg, a, round, &e) == 0)
				continue;
			out[a] = true;
			in--;
			if (dropped)
				dropped(arg, a, &e);
		}
		if (tick)
			tick(arg, round, runs);
	}
	return (int)in;
}
