/*
 * memrand.c - Two million dependent random reads and writes over 32 MiB:
 * nearly every access misses the TLB, so this is where nested or shadow
 * paging shows its cost (compare shadow-vs-ept's model).
 */
#include "wl.h"

#define MEM_WORDS (4u << 20) /* 4 Mi 64-bit words = 32 MiB */
#define MEM_ACCESSES 2000000

static uint64_t mem[MEM_WORDS];

int wl_main(void)
{
	uint64_t seed = 3, idx = 0, sum = 0;

	for (uint32_t i = 0; i < MEM_WORDS; i++)
		mem[i] = wl_rand(&seed);
	wl_mark("ready");
	for (uint32_t i = 0; i < MEM_ACCESSES; i++) {
		/* Each index depends on the value just read: a chase the
		 * CPU cannot prefetch. */
		uint64_t v = mem[idx];

		sum += v;
		mem[idx] = v + i;
		idx = (v ^ sum) & (MEM_WORDS - 1);
	}
	wl_mark("done");
	wl_checksum(sum);
	return 0;
}
