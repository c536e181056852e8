/*
 * sort.c - Quicksort (median of three, insertion sort below 16 elements)
 * of 300,000 pseudo-random 32-bit keys: compares, swaps, recursion.
 * Written out rather than qsort() so every target runs the same code.
 */
#include "wl.h"

#define SORT_N 300000
#define SORT_SMALL 16

static uint32_t keys[SORT_N];

static void swap(uint32_t *a, uint32_t *b)
{
	uint32_t t = *a;

	*a = *b;
	*b = t;
}

static void insertion_sort(uint32_t *a, long n)
{
	for (long i = 1; i < n; i++) {
		uint32_t v = a[i];
		long j = i - 1;

		while (j >= 0 && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void quicksort(uint32_t *a, long n)
{
	while (n > SORT_SMALL) {
		long mid = n / 2, i = 0, j = n - 1;
		uint32_t pivot;

		if (a[mid] < a[0])
			swap(&a[mid], &a[0]);
		if (a[n - 1] < a[0])
			swap(&a[n - 1], &a[0]);
		if (a[n - 1] < a[mid])
			swap(&a[n - 1], &a[mid]);
		pivot = a[mid];
		while (i <= j) { /* Hoare partition */
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j)
				swap(&a[i++], &a[j--]);
		}
		/* Recurse into the smaller half, loop on the larger: the
		 * stack stays O(log n) deep. */
		if (j + 1 < n - i) {
			quicksort(a, j + 1);
			a += i;
			n -= i;
		} else {
			quicksort(a + i, n - i);
			n = j + 1;
		}
	}
	insertion_sort(a, n);
}

int wl_main(void)
{
	uint64_t seed = 1, sum = 0;

	for (long i = 0; i < SORT_N; i++)
		keys[i] = (uint32_t)wl_rand(&seed);
	wl_mark("ready");
	quicksort(keys, SORT_N);
	wl_mark("done");
	for (long i = 0; i < SORT_N; i++) {
		if (i > 0 && keys[i - 1] > keys[i])
			return 1;
		sum = sum * 1000003 + keys[i];
	}
	wl_checksum(sum);
	return 0;
}
