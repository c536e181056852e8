/*
 * hello.c - Start, print, exit: the workload of start-up cost.
 */
#include "wl.h"

int wl_main(void)
{
	wl_mark("ready");
	wl_puts("hello from isolab\n");
	wl_checksum(0x69736f6c6162ull); /* "isolab": proves the output arrived */
	wl_mark("done");
	return 0;
}
