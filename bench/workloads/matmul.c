/*
 * matmul.c - Dense matrix multiply on doubles (i-k-j order): floating
 * point throughput and sequential memory access.  No fused multiply-add
 * is used on any target, so every approach computes the same bits.
 */
#include "wl.h"

#define MM_N 300

static double a[MM_N][MM_N], b[MM_N][MM_N], c[MM_N][MM_N];

int wl_main(void)
{
	uint64_t seed = 42, sum = 0;

	for (int i = 0; i < MM_N; i++)
		for (int j = 0; j < MM_N; j++) {
			a[i][j] = (double)(wl_rand(&seed) % 1000) / 100.0;
			b[i][j] = (double)(wl_rand(&seed) % 1000) / 100.0;
		}
	wl_mark("ready");
	for (int i = 0; i < MM_N; i++)
		for (int k = 0; k < MM_N; k++) {
			double aik = a[i][k];

			for (int j = 0; j < MM_N; j++)
				c[i][j] += aik * b[k][j];
		}
	wl_mark("done");
	/* The values are exact multiples of 1e-4 well below 2^53 ulps, so
	 * rounding them to integers is the same everywhere. */
	for (int i = 0; i < MM_N; i++)
		for (int j = 0; j < MM_N; j++)
			sum = sum * 31 + (uint64_t)(c[i][j] * 100.0 + 0.5);
	wl_checksum(sum);
	return 0;
}
