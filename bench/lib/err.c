/*
 * err.c - Filling and printing struct isolab_err (see err.h).
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int err__set(struct isolab_err *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (!e)
		return -1;
	e->errnum = errnum;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (errnum && len < sizeof(e->msg))
		snprintf(e->msg + len, sizeof(e->msg) - len, ": %s",
			 strerror(errnum));
	return -1;
}

void err__print(const char *prog, const struct isolab_err *e)
{
	fprintf(stderr, "%s: %s\n", prog, e->msg[0] ? e->msg : "unknown error");
}
