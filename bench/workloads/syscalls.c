/*
 * syscalls.c - Twenty thousand 16-byte writes to the discard sink: almost
 * no computation, one kernel crossing (or VM exit, or host call) per
 * write.  This is where the approaches differ most.
 */
#include "wl.h"

#define SYSCALL_WRITES 20000

int wl_main(void)
{
	static const char line[16] = "isolab syscall\n";
	uint64_t sum = 0;

	wl_mark("ready");
	for (uint32_t i = 0; i < SYSCALL_WRITES; i++) {
		wl_sink(line, sizeof(line));
		sum += i;
	}
	wl_mark("done");
	wl_checksum(sum); /* 20000 * 19999 / 2 = 199990000 */
	return 0;
}
