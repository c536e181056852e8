/*
 * caps.h - Linux capabilities: root's privilege cut into ~41 pieces
 * (CAP_SYS_ADMIN, CAP_NET_ADMIN, ...), of which a container keeps a few.
 */
#ifndef MC_CAPS_H
#define MC_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* Docker's default set (moby oci/caps/defaults.go) as a bit mask. */
uint64_t caps__docker_default(void);

/* Every capability this kernel knows (0 .. cap_last_cap). */
uint64_t caps__all(void);

/* The number of "CAP_SYS_ADMIN" or "sys_admin" (either case), or -1. */
int caps__from_name(const char *name);

/* The name of capability n ("CAP_CHOWN"), or NULL. */
const char *caps__name(int n);

/* Drop every capability outside bounding from this process's bounding
 * set (needs CAP_SETPCAP in the effective set: call before a uid change,
 * which clears it).  Returns 0 or -1. */
int caps__drop_bounding(uint64_t bounding, struct isolab_err *e);

/* Set permitted, effective and inheritable with capset(2) (each limited
 * to bounding) and raise ambient.  Call after setresuid (with keep_caps
 * set before it) so that the uid change does not clear them.
 * Returns 0 or -1. */
int caps__apply(uint64_t bounding, uint64_t effective, uint64_t permitted,
		uint64_t inheritable, uint64_t ambient, struct isolab_err *e);

#endif
