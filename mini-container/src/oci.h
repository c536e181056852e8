/*
 * oci.h - OCI runtime-spec bundles: config.json into a spec (see oci.c).
 */
#ifndef MC_OCI_H
#define MC_OCI_H

#include <jansson.h>
#include <stdbool.h>

#include "err.h"
#include "spec.h"

/* Read BUNDLE/config.json into s (which holds the defaults; the bundle's
 * process, root, mounts and linux sections replace them).  Warnings for
 * ignored fields go to stderr unless quiet.  Returns 0, or -1 with e
 * naming the file and the field. */
int oci__load(const char *bundle, struct mc_spec *s, bool quiet,
	      struct isolab_err *e);

/* s as an OCI config.json (new reference; NULL if out of memory), which
 * mini-container, crun and runc all run: `mini-container spec`. */
json_t *oci__to_json(const struct mc_spec *s);

#endif
