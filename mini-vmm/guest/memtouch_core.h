/*
 * memtouch_core.h - The memtouch workload, shared by the guest (memtouch.c)
 * and its native twin (memtouch_native.c) so both run the same code:
 *
 *  1. touch: write one byte in each 4 KiB page of `bytes` of fresh memory
 *     (first touch: in a VM, the host allocates the page and, on PVM, the
 *     shadow page table gets an entry; natively, a plain page fault);
 *  2. chase: a pointer chase through a random cycle over the first `ws`
 *     bytes, one 64-byte line per 4 KiB page, so each step misses the TLB
 *     once the working set exceeds its reach.
 * The caller times both with its clock; the functions return a checksum
 * so the compiler cannot drop the work.
 */
#ifndef MEMTOUCH_CORE_H
#define MEMTOUCH_CORE_H

#include <stdint.h>

#define MEMTOUCH_PAGE ((uint64_t)4096)

static inline uint64_t memtouch_touch(volatile uint8_t *mem, uint64_t bytes)
{
	uint64_t sum = 0;

	for (uint64_t off = 0; off < bytes; off += MEMTOUCH_PAGE) {
		mem[off] = (uint8_t)off;
		sum += mem[off];
	}
	return sum;
}

/* Link the pages of [mem, mem+ws) into one random cycle (Sattolo's
 * algorithm with a xorshift generator: the same cycle every run). */
static inline void memtouch_link(uint8_t *mem, uint64_t ws)
{
	uint64_t pages = ws / MEMTOUCH_PAGE, x = 88172645463325252ULL;
	uint64_t *next;

	for (uint64_t i = 0; i < pages; i++)
		*(uint64_t *)(mem + i * MEMTOUCH_PAGE) = i;
	for (uint64_t i = pages - 1; i > 0; i--) {
		uint64_t j, a, b;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = x % i;
		a = *(uint64_t *)(mem + i * MEMTOUCH_PAGE);
		b = *(uint64_t *)(mem + j * MEMTOUCH_PAGE);
		*(uint64_t *)(mem + i * MEMTOUCH_PAGE) = b;
		*(uint64_t *)(mem + j * MEMTOUCH_PAGE) = a;
	}
	/* Slot i now holds the page that follows page i; make it a pointer. */
	for (uint64_t i = 0; i < pages; i++) {
		next = (uint64_t *)(mem + i * MEMTOUCH_PAGE);
		*next = (uint64_t)(mem + *next * MEMTOUCH_PAGE);
	}
}

static inline uint64_t memtouch_chase(uint8_t *mem, uint64_t steps)
{
	uint64_t *p = (uint64_t *)mem;

	for (uint64_t i = 0; i < steps; i++)
		p = (uint64_t *)*p;
	return (uint64_t)p;
}

#endif
