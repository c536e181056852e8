/*
 * fortify.c - The three glibc entry points that Debian's libjansson.a
 * calls beyond standard C, for the musl builds (bench/bench.mk).
 *
 * Debian compiles jansson with _FORTIFY_SOURCE, so glibc's headers turned
 * its snprintf, vsnprintf and strncpy calls into __snprintf_chk and
 * friends: the same call plus the destination's size, known at compile
 * time, for glibc to check.  musl has no such entry points.  These
 * forward to the plain function; the check they drop is the one a musl
 * build of jansson would not have had either.  Everything else the archive
 * calls (malloc, stdio, strtod, localeconv, __errno_location, ...) musl
 * implements with the same ABI.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt,
		   ...);
int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt,
		    va_list ap);
char *__strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen);

int __snprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt,
		   ...)
{
	va_list ap;
	int r;

	(void)flag;
	(void)slen;
	va_start(ap, fmt);
	r = vsnprintf(s, n, fmt, ap);
	va_end(ap);
	return r;
}

int __vsnprintf_chk(char *s, size_t n, int flag, size_t slen, const char *fmt,
		    va_list ap)
{
	(void)flag;
	(void)slen;
	return vsnprintf(s, n, fmt, ap);
}

char *__strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen)
{
	(void)dstlen;
	return strncpy(dst, src, n);
}
