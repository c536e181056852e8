/*
 * memtouch.c - The cost of memory virtualization, in ring 3: touch --arg
 * MiB of fresh guest memory (default 32) page by page, then chase
 * pointers through a 16 MiB working set.  Prints
 *   "memtouch touch_mib=M ns_per_page=X"
 *   "memtouch chase_ws_mib=16 steps=S ns_per_step=Y"
 * timed with the host clock (MMIO timer NOW).  memtouch-native runs the
 * same code (memtouch_core.h) as a host process, for comparison.
 */
#include "guest.h"
#include "memtouch_core.h"

extern uint8_t _end[];

#define CHASE_WS    ((uint64_t)16 << 20)
#define CHASE_STEPS ((uint64_t)1000000)

static uint64_t now_ns(void)
{
	return mmio_read64(guest_boot_info()->mmio_timer + MMIO_TIMER_NOW);
}

int main(void)
{
	const struct boot_info *bi = guest_boot_info();
	uint64_t mib = bi->arg ? bi->arg : 32, bytes = mib << 20, t0, sum;
	uint8_t *mem = (uint8_t *)(((uint64_t)_end + 0x1fffff) & ~0x1fffffULL);
	uint64_t avail = bi->mem_size -
			 (uint64_t)LAYOUT_STACK_SIZE * bi->nvcpus -
			 (uint64_t)mem;

	if (bytes > avail || bytes < CHASE_WS) {
		printf("memtouch: %lu MiB does not fit (16 to %lu MiB)\n", mib,
		       (uint64_t)(avail >> 20));
		return 2;
	}
	t0 = now_ns();
	sum = memtouch_touch(mem, bytes);
	printf("memtouch touch_mib=%lu ns_per_page=%lu\n", mib,
	       (now_ns() - t0) / (bytes / MEMTOUCH_PAGE));
	memtouch_link(mem, CHASE_WS);
	t0 = now_ns();
	sum += memtouch_chase(mem, CHASE_STEPS);
	printf("memtouch chase_ws_mib=%lu steps=%lu ns_per_step=%lu\n",
	       CHASE_WS >> 20, CHASE_STEPS, (now_ns() - t0) / CHASE_STEPS);
	return sum == 1 ? 4 : 0; /* never 1: keeps the work */
}
