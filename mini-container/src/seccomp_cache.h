/*
 * seccomp_cache.h - Compiled seccomp filters kept between runs, so that a
 * container start loads a program instead of compiling its profile with
 * libseccomp again (as crun's seccomp cache does).  See seccomp_cache.c.
 */
#ifndef MC_SECCOMP_CACHE_H
#define MC_SECCOMP_CACHE_H

#include <stdint.h>

#include "err.h"
#include "seccomp.h"
#include "state.h"

/* Under the state root; a name starting with '.' is never a container's
 * record (state__claim refuses such names; ps and state__gc skip them). */
#define MC_SECCOMP_CACHE_DIR MC_STATE_ROOT "/.seccomp-cache"

/* At most this many programs: storing one more removes the oldest. */
#define MC_SECCOMP_CACHE_MAX 64

/* Read the program stored under key (seccomp__key) in dir into out.
 * Returns 1 on a hit; 0 on a miss, which is also the answer for anything
 * not to be trusted: a directory or file not owned by this (root) user or
 * writable by group or others, not a regular file, a size that is not
 * whole instructions plus the digest, more than BPF_MAXINSNS
 * instructions, a digest that does not match (a truncated or altered
 * file).  Free out with seccomp__bpf_free. */
int seccomp_cache__load(const char *dir, const uint8_t key[SECCOMP_KEY_LEN],
			struct mc_bpf *out);

/* Store bpf under key in dir (made 0700 if missing), atomically: written
 * to a temporary file and renamed over any old one.  Before that, if dir
 * holds MC_SECCOMP_CACHE_MAX programs or more, the oldest go, and so do
 * temporary files a killed runtime left over a minute ago.  Returns 0 or
 * -1 (a directory not to be trusted is refused, not repaired). */
int seccomp_cache__store(const char *dir, const uint8_t key[SECCOMP_KEY_LEN],
			 const struct mc_bpf *bpf, struct isolab_err *e);

/* The file name of key's entry, "<64 hex digits>.bpf", into name
 * (at least 69 bytes). */
void seccomp_cache__name(const uint8_t key[SECCOMP_KEY_LEN], char *name);

#endif
