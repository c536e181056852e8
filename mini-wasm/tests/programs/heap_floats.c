/*
 * heap_floats.c - Heavy malloc/free and printf of floats: 200000 blocks of
 * pseudo-random sizes allocated, filled, checked and freed in a shuffled
 * order (dlmalloc in wasi-libc growing the linear memory with memory.grow),
 * then floating-point formatting and libm.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096

int main(void)
{
	static unsigned char *slot[SLOTS];
	static size_t size[SLOTS];
	uint64_t seed = 42, sum = 0;
	double xs[] = { 0.0, -0.0, 1.0 / 3, 2.5e-300, 6.02214076e23, -1e-7,
			3.14159265358979, 1e308 * 10, -(1e308 * 10) };

	for (long i = 0; i < 200000; i++) {
		int k;
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		k = (int)((seed >> 33) % SLOTS);
		if (slot[k]) {
			for (size_t j = 0; j < size[k]; j++)
				sum += slot[k][j] ^ (unsigned char)(k + j);
			free(slot[k]);
		}
		size[k] = (seed >> 20) % 2048 + 1;
		slot[k] = malloc(size[k]);
		if (!slot[k])
			return 2;
		for (size_t j = 0; j < size[k]; j++)
			slot[k][j] = (unsigned char)(k + j);
	}
	for (int k = 0; k < SLOTS; k++)
		free(slot[k]);
	printf("heap checksum %llu\n", (unsigned long long)sum);
	for (size_t i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		printf("%.6f %g %e %a\n", xs[i], xs[i], xs[i], xs[i]);
	printf("sqrt(2) %.17g exp(1) %.17g sin(1) %.17g\n", sqrt(2.0), exp(1.0),
	       sin(1.0));
	printf("float %.9g %f\n", (float)(1.0f / 3.0f), (double)1e10f);
	printf("nan %f inf %f\n", NAN, INFINITY);
	return 0;
}
