/*
 * wl_fmt.c - Output helpers of the workload API, written only on wl_write
 * so that every target gets them for free.
 */
#include "wl.h"

void wl_puts(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	wl_write(s, n);
}

void wl_checksum(uint64_t sum)
{
	static const char hex[] = "0123456789abcdef";
	char buf[9 + 16 + 1] = "checksum ";

	for (int i = 0; i < 16; i++)
		buf[9 + i] = hex[(sum >> (60 - 4 * i)) & 0xf];
	buf[25] = '\n';
	wl_write(buf, sizeof(buf));
}

/* One write for the whole line: each write wakes the reader. */
void wl_mark(const char *name)
{
	static const char prefix[] = "isolab-mark: ";
	char line[64];
	size_t n = 0;

	while (prefix[n]) {
		line[n] = prefix[n];
		n++;
	}
	while (*name && n < sizeof(line) - 1)
		line[n++] = *name++;
	line[n++] = '\n';
	wl_write(line, n);
	wl_yield();
}

/* Overridden by targets that can give their CPU away (wl.h). */
__attribute__((weak)) void wl_yield(void)
{
}
