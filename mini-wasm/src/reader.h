/*
 * reader.h - A cursor over bytes of the binary format, with the LEB128
 * readers of spec section 5.2.2 and their limits: an N-bit integer takes
 * at most ceil(N/7) bytes and the unused bits of the last byte must be
 * zeros (unsigned) or copies of the sign bit (signed).
 *
 * Shared by the decoder (decode.c) and the validator, which reads the
 * function bodies (validate.c).  Every reader returns 0, or -1 with the
 * reason in r->err and r->err_off set to where it happened.
 */
#ifndef MINI_WASM_READER_H
#define MINI_WASM_READER_H

#include <stddef.h>
#include <stdint.h>

struct reader {
	const uint8_t *base; /* start of the file, for offsets */
	const uint8_t *p, *end;
	const char *err;
	size_t err_off;
};

static inline int reader_fail(struct reader *r, const char *why)
{
	if (!r->err) {
		r->err = why;
		r->err_off = (size_t)(r->p - r->base);
	}
	return -1;
}

static inline int reader_u8(struct reader *r, uint8_t *v)
{
	if (r->p >= r->end)
		return reader_fail(r, "unexpected end");
	*v = *r->p++;
	return 0;
}

/* Unsigned LEB128 of at most `bits` bits. */
static inline int reader_uleb(struct reader *r, unsigned bits, uint64_t *v)
{
	uint64_t result = 0;
	unsigned shift = 0;
	uint8_t b;

	for (;;) {
		if (reader_u8(r, &b) < 0)
			return -1;
		if (shift + 7 >= bits && shift < bits) {
			/* last byte allowed: no continuation, unused bits 0 */
			unsigned used = bits - shift;
			if (b & 0x80)
				return reader_fail(
					r, "integer representation too long");
			if (used < 7 && (b >> used) != 0)
				return reader_fail(r, "integer too large");
		}
		result |= (uint64_t)(b & 0x7F) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	*v = result;
	return 0;
}

/* Signed LEB128 of at most `bits` bits (32 or 64). */
static inline int reader_sleb(struct reader *r, unsigned bits, int64_t *v)
{
	uint64_t result = 0;
	unsigned shift = 0;
	uint8_t b;

	for (;;) {
		if (reader_u8(r, &b) < 0)
			return -1;
		if (shift + 7 >= bits) {
			/* the last byte: bits above `bits` are sign copies */
			unsigned used = bits - shift; /* 1..7 */
			int sign = (b >> (used - 1)) & 1;
			uint8_t rest = (uint8_t)((b & 0x7F) >> used);
			uint8_t want = sign ? (uint8_t)(0x7F >> used) : 0;
			if (b & 0x80)
				return reader_fail(
					r, "integer representation too long");
			if (rest != want)
				return reader_fail(r, "integer too large");
		}
		result |= (uint64_t)(b & 0x7F) << shift;
		shift += 7;
		if (!(b & 0x80))
			break;
	}
	if (shift < 64 && (b & 0x40))
		result |= ~(uint64_t)0 << shift;
	*v = (int64_t)result;
	return 0;
}

static inline int reader_u32(struct reader *r, uint32_t *v)
{
	uint64_t x;

	if (reader_uleb(r, 32, &x) < 0)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

static inline int reader_bytes(struct reader *r, size_t n, const uint8_t **p)
{
	if ((size_t)(r->end - r->p) < n)
		return reader_fail(r, "unexpected end");
	*p = r->p;
	r->p += n;
	return 0;
}

#endif
