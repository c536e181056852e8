/*
 * console.h - Where guest text goes: the VMM's stdout, shared by the UART
 * (one byte per exit) and the paravirtual console (one string per exit),
 * so both print the same text the same way.
 */
#ifndef MVMM_CONSOLE_H
#define MVMM_CONSOLE_H

#include <pthread.h>
#include <stddef.h>

struct console {
	int fd;
	pthread_mutex_t lock; /* vCPUs of an SMP guest print concurrently */
	size_t n;
	char buf[4096];
};

/* A console writing to fd.  Returns 0 or -1 (mutex). */
int console__init(struct console *c, int fd);
void console__fini(struct console *c); /* flushes */

/* Queue len bytes; the buffer goes out at each newline and when full. */
void console__write(struct console *c, const void *p, size_t len);
void console__flush(struct console *c);

#endif
