/*
 * rootfs.h - The container's mount namespace: its own "/" (see rootfs.c).
 */
#ifndef MC_ROOTFS_H
#define MC_ROOTFS_H

#include "err.h"
#include "spec.h"

/* In a new mount namespace: make propagation private, mount s->mounts
 * below s->rootfs, pivot_root into it and detach the old root, mask and
 * write-protect the spec's paths, make "/" read-only if s->readonly.
 * Leaves the cwd at the new "/".  Returns 0 or -1 with e filled. */
int rootfs__setup(const struct mc_spec *s, struct isolab_err *e);

#endif
