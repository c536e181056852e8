/*
 * fib.c - Recursive Fibonacci: calls and returns, nothing else.  The
 * classic stress of an interpreter's call path.
 */
#include "wl.h"

#define FIB_N 35 /* fib(35) = 9227465, about 30 million calls */

static uint64_t fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int wl_main(void)
{
	volatile uint32_t n = FIB_N; /* not a constant the compiler can fold */
	uint64_t r;

	wl_mark("ready");
	r = fib(n);
	wl_mark("done");
	wl_checksum(r);
	return r == 9227465 ? 0 : 1;
}
