/*
 * crc32.c - Table-driven CRC-32 (IEEE 802.3, reflected polynomial
 * 0xEDB88320) over 8 MiB of pseudo-random bytes: table lookups, shifts and
 * xors, one byte at a time.
 */
#include "wl.h"

#define CRC_BYTES (8u << 20)

static uint8_t data[CRC_BYTES];
static uint32_t table[256];

static void crc32_table(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;

		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[n] = c;
	}
}

static uint32_t crc32(const uint8_t *p, uint32_t len)
{
	uint32_t c = 0xFFFFFFFFu;

	for (uint32_t i = 0; i < len; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

int wl_main(void)
{
	uint64_t seed = 7;
	uint32_t r;

	crc32_table();
	/* CRC-32 of "123456789" is 0xCBF43926 (the standard check value). */
	if (crc32((const uint8_t *)"123456789", 9) != 0xCBF43926u)
		return 1;
	for (uint32_t i = 0; i < CRC_BYTES; i++)
		data[i] = (uint8_t)wl_rand(&seed);
	wl_mark("ready");
	r = crc32(data, CRC_BYTES);
	wl_mark("done");
	wl_checksum(r);
	return 0;
}
