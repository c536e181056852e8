/*
 * console.c - The guest console sink (see console.h).  Buffered by line so
 * a guest printing one byte per UART exit does not also cost one write(2)
 * per byte: the exit counts then compare UART and PV fairly.
 */
#include "console.h"

#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

int console__init(struct console *c, int fd)
{
	c->fd = fd;
	c->n = 0;
	return pthread_mutex_init(&c->lock, NULL) ? -1 : 0;
}

static void console_flush_locked(struct console *c)
{
	size_t off = 0;

	while (off < c->n) {
		ssize_t w = write(c->fd, c->buf + off, c->n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* stdout gone: the guest's text is dropped */
		off += (size_t)w;
	}
	c->n = 0;
}

/* Is the line in c->buf a harness milestone ("isolab-mark: NAME")? */
static bool console_mark_line(const struct console *c)
{
	static const char prefix[] = "isolab-mark: ";

	return c->n >= sizeof(prefix) - 1 &&
	       memcmp(c->buf, prefix, sizeof(prefix) - 1) == 0;
}

void console__write(struct console *c, const void *p, size_t len)
{
	const char *s = p;
	bool yield = false;

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < len; i++) {
		c->buf[c->n++] = s[i];
		if (s[i] == '\n' || c->n == sizeof(c->buf)) {
			yield |= console_mark_line(c);
			console_flush_locked(c);
		}
	}
	pthread_mutex_unlock(&c->lock);
	/* A milestone line, ours (mark.c) or the guest's own (the shared
	 * workloads' wl_mark): let its reader have it now.  A pipe write
	 * wakes the reader as a synchronous wakeup, queued on this CPU; the
	 * vCPU goes on running, so whenever the other core was busy the
	 * harness read the line only when our time slice ended (1.3-1.5 ms
	 * later in the median).  With nobody queued the yield costs one
	 * system call. */
	if (yield)
		sched_yield();
}

void console__flush(struct console *c)
{
	pthread_mutex_lock(&c->lock);
	console_flush_locked(c);
	pthread_mutex_unlock(&c->lock);
}

void console__fini(struct console *c)
{
	console__flush(c);
	pthread_mutex_destroy(&c->lock);
}
