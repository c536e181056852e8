/*
 * wl_native.c - The workload API on Linux: plain write(2) on stdout and
 * stderr, unbuffered so that a mark reaches the harness the moment it is
 * made.
 */
#include <sched.h>
#include <unistd.h>

#include "wl.h"

/* write(2) until everything is out; a workload has nowhere to report a
 * failed write, so it gives up silently on error. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

void wl_write(const char *buf, size_t len)
{
	write_all(STDOUT_FILENO, buf, len);
}

void wl_sink(const char *buf, size_t len)
{
	write_all(STDERR_FILENO, buf, len);
}

void wl_yield(void)
{
	sched_yield();
}

int main(void)
{
	return wl_main();
}
