/*
 * qsort_recursion.c - qsort with a comparator (a call through a function
 * pointer: call_indirect through the table in Wasm) on 50000 integers and
 * on strings, then deep recursion (20000 frames) and Ackermann(2, 3000).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static int cmp_desc(const void *a, const void *b)
{
	return cmp_int(b, a);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* noinline and a volatile so the recursion stays a recursion */
static __attribute__((noinline)) uint64_t depth(volatile uint32_t n)
{
	return n == 0 ? 0 : n + depth(n - 1);
}

static __attribute__((noinline)) uint32_t ack(uint32_t m, uint32_t n)
{
	if (m == 0)
		return n + 1;
	if (n == 0)
		return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}

int main(void)
{
	enum { N = 50000 };
	static int a[N];
	const char *words[] = { "pear", "apple", "fig", "kiwi", "banana",
				"cherry", "date", "grape" };
	int (*cmps[2])(const void *, const void *) = { cmp_int, cmp_desc };
	uint32_t seed = 7;
	uint64_t h = 0;

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			a[i] = (int)(seed >> 8) - (1 << 22);
		}
		qsort(a, N, sizeof(a[0]), cmps[pass]);
		for (int i = 1; i < N; i++)
			if (cmps[pass](&a[i - 1], &a[i]) > 0)
				return 3;
		h = h * 31 + (uint32_t)a[0] + (uint32_t)a[N / 2] + (uint32_t)a[N - 1];
	}
	printf("sorted ints: %llu\n", (unsigned long long)h);
	qsort(words, 8, sizeof(words[0]), cmp_str);
	for (int i = 0; i < 8; i++)
		printf("%s%c", words[i], i == 7 ? '\n' : ' ');
	printf("depth(20000) = %llu\n", (unsigned long long)depth(20000));
	printf("ack(2, 3000) = %u\n", ack(2, 3000));
	return 0;
}
