/*
 * rng.c - xoshiro256** and exponential draws (see rng.h).
 */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng__seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL);

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t rng__next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng__uniform(struct rng *r)
{
	/* The top 53 bits make every double in [0, 1) a multiple of 2^-53. */
	return (double)(rng__next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng__exp(struct rng *r, uint64_t mean)
{
	/* Inverse transform: -mean * ln(1 - U), U in [0, 1), so never ln 0.
	 * log() is correctly rounded enough in glibc and musl that the same
	 * seed gives the same integers; at least 1 ns so time moves on. */
	double x = -(double)mean * log1p(-rng__uniform(r));
	uint64_t v = (uint64_t)x;

	return v ? v : 1;
}
