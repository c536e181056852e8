/*
 * sieve.c - Sieve of Eratosthenes over a 4 MB byte array: tight loops,
 * byte loads and stores.
 */
#include "wl.h"

#define SIEVE_N 4000000 /* pi(4e6) = 283146 primes below it */

static uint8_t composite[SIEVE_N];

int wl_main(void)
{
	uint64_t count = 0;

	wl_mark("ready");
	for (uint32_t i = 2; (uint64_t)i * i < SIEVE_N; i++)
		if (!composite[i])
			for (uint32_t j = i * i; j < SIEVE_N; j += i)
				composite[j] = 1;
	for (uint32_t i = 2; i < SIEVE_N; i++)
		count += !composite[i];
	wl_mark("done");
	wl_checksum(count);
	return count == 283146 ? 0 : 1;
}
