/*
 * memtouch_native.c - memtouch as a plain host process: the same code as
 * the guest (guest/memtouch_core.h), timed with the harness clock, so the
 * difference is what virtualizing memory costs.
 *
 *   memtouch-native [MIB]    (default 32; prints the guest's two lines)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "memtouch_core.h"
#include "timing.h"

#define CHASE_WS    (16ULL << 20)
#define CHASE_STEPS 1000000ULL

int main(int argc, char **argv)
{
	char *end = "";
	unsigned long long mib = argc > 1 ? strtoull(argv[1], &end, 0) : 32;
	uint64_t bytes = mib << 20, t0, sum;
	uint8_t *mem;

	if (argc > 2 || *end || bytes < CHASE_WS || mib > 65536) {
		fprintf(stderr, "memtouch-native: MIB: a size from 16 to "
				"65536 MiB\n");
		return 2;
	}
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("memtouch-native: mmap");
		return 2;
	}
	t0 = timing__now_ns();
	sum = memtouch_touch(mem, bytes);
	printf("memtouch touch_mib=%llu ns_per_page=%llu\n", mib,
	       (unsigned long long)((timing__now_ns() - t0) /
				    (bytes / MEMTOUCH_PAGE)));
	memtouch_link(mem, CHASE_WS);
	t0 = timing__now_ns();
	sum += memtouch_chase(mem, CHASE_STEPS);
	printf("memtouch chase_ws_mib=%llu steps=%llu ns_per_step=%llu\n",
	       CHASE_WS >> 20, CHASE_STEPS,
	       (unsigned long long)((timing__now_ns() - t0) / CHASE_STEPS));
	munmap(mem, bytes);
	return sum == 1 ? 4 : 0;
}
