/*
 * rng.h - The simulator's random numbers: xoshiro256** seeded by splitmix64.
 *
 * A simulation must give byte-identical output for a given seed on every
 * machine and libc, so it never calls rand() or reads the clock: every
 * random draw (I/O burst and sleep lengths) comes from one of these
 * generators, one per vCPU so a draw in one vCPU never shifts another's.
 * Reference: Blackman and Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021.
 */
#ifndef SCHED_RNG_H
#define SCHED_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Seed r from seed and a stream number (the vCPU's index). */
void rng__seed(struct rng *r, uint64_t seed, uint64_t stream);

/* The next 64 random bits. */
uint64_t rng__next(struct rng *r);

/* A uniform double in [0, 1). */
double rng__uniform(struct rng *r);

/* An exponentially distributed integer with the given mean (>= 1). */
uint64_t rng__exp(struct rng *r, uint64_t mean);

#endif
