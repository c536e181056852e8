/*
 * sha256.h - SHA-256 (FIPS 180-4), the key of the seccomp cache
 * (seccomp_cache.c): a strong hash, so that two different filters never
 * share a cache entry.
 */
#ifndef MC_SHA256_H
#define MC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

struct sha256 {
	uint32_t h[8];	   /* the chaining value H(i) */
	uint64_t len;	   /* bytes hashed so far */
	uint8_t block[64]; /* the partial block */
	size_t used;	   /* bytes in block */
};

/* Start a hash (FIPS 180-4 5.3.3: the initial H(0)). */
void sha256__init(struct sha256 *c);

/* Hash n more bytes of data. */
void sha256__update(struct sha256 *c, const void *data, size_t n);

/* Pad, finish and write the 32-byte digest; c must be initialised again
 * before reuse. */
void sha256__final(struct sha256 *c, uint8_t out[SHA256_DIGEST_LEN]);

/* The digest of data in one call. */
void sha256__digest(const void *data, size_t n, uint8_t out[SHA256_DIGEST_LEN]);

#endif
