/*
 * printf.c - A small printf for guests: %d %i %u %x %p %s %c %% with the
 * l and ll length modifiers, a field width and the 0 and - flags.  One
 * printf() is one SYS_WRITE: one hypercall with --console pv, two UART
 * exits per byte otherwise.
 */
#include "guest.h"

struct out {
	char *buf;
	size_t len, n;
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->len)
		o->buf[o->n] = c;
	o->n++;
}

/* *v /= base, returning the remainder, with 32-bit operations only: long
 * division by 16-bit pieces, so a 32-bit build needs no libgcc helper
 * (__udivmoddi4) for 64-bit division. */
static unsigned div_small(unsigned long long *v, unsigned base)
{
	unsigned long long q = 0;
	uint32_t r = 0;

	for (int shift = 48; shift >= 0; shift -= 16) {
		uint32_t cur = (r << 16) | (uint32_t)((*v >> shift) & 0xffff);

		q |= (unsigned long long)(cur / base) << shift;
		r = cur % base;
	}
	*v = q;
	return r;
}

static void put_num(struct out *o, unsigned long long v, unsigned base, int neg,
		    int width, int zero, int left)
{
	char tmp[24];
	int n = 0, total;

	do
		tmp[n++] = "0123456789abcdef"[div_small(&v, base)];
	while (v);
	total = n + neg;
	if (neg && zero)
		put(o, '-');
	for (; !left && width > total; width--)
		put(o, zero ? '0' : ' ');
	if (neg && !zero)
		put(o, '-');
	while (n)
		put(o, tmp[--n]);
	for (; left && width > total; width--)
		put(o, ' ');
}

int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct out o = {buf, len, 0};

	for (; *fmt; fmt++) {
		int lng = 0, width = 0, zero = 0, left = 0;
		unsigned long long u;
		long long s;
		const char *str;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (; *fmt == '0' || *fmt == '-'; fmt++)
			*fmt == '0' ? (zero = 1) : (left = 1);
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = lng ? va_arg(ap, long long) : va_arg(ap, int);
			put_num(&o,
				s < 0 ? -(unsigned long long)s
				      : (unsigned long long)s,
				10, s < 0, width, zero, left);
			break;
		case 'u':
		case 'x':
			u = lng ? va_arg(ap, unsigned long long)
				: va_arg(ap, unsigned);
			put_num(&o, u, *fmt == 'x' ? 16 : 10, 0, width, zero,
				left);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, width,
				zero, left);
			break;
		case 's':
			str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			for (int l = (int)strlen(str); !left && width > l;
			     width--)
				put(&o, ' ');
			for (; *str; str++, width--)
				put(&o, *str);
			for (; left && width > 0; width--)
				put(&o, ' ');
			break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case '%': put(&o, '%'); break;
		default:
			if (!*fmt)
				fmt--;
			else
				put(&o, *fmt);
		}
	}
	if (o.len)
		o.buf[o.n < o.len ? o.n : o.len - 1] = '\0';
	return (int)o.n;
}

int snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	guest_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}
