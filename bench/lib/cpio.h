/*
 * cpio.h - Writing a cpio "newc" archive, the format Linux unpacks as an
 * initramfs (the kernel's Documentation/driver-api/early-userspace/
 * buffer-format.rst).
 *
 * isobench's QEMU peer (bench/src/qemu.c) builds its initramfs with it:
 * open, add directories and files (parents before children, as the kernel
 * creates them in archive order), close.  Every entry is owned by root
 * with mtime 0, so an archive is a pure function of what was added.
 *
 * Usage:
 *	struct cpio c;
 *	if (cpio__open(&c, "initrd.cpio", e) < 0) return -1;
 *	if (cpio__add_dir(&c, "bin", 0755, e) < 0 ||
 *	    cpio__add_copy(&c, "bin/busybox", "/bin/busybox", e) < 0 ||
 *	    cpio__add_file(&c, "init", 0755, script, len, e) < 0) {
 *		cpio__abort(&c);
 *		return -1;
 *	}
 *	return cpio__close(&c, e);
 */
#ifndef ISOLAB_CPIO_H
#define ISOLAB_CPIO_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"

struct cpio {
	FILE *f;
	char path[4096]; /* the archive, for messages and cpio__abort */
	unsigned ino;    /* inode number of the last entry */
	int regular;     /* path is a regular file: remove it on failure */
};

/* Create (or truncate) the archive at path.  Returns 0, or -1 with e
 * filled (e.g. the directory does not exist). */
int cpio__open(struct cpio *c, const char *path, struct isolab_err *e);

/* Add directory name (relative, as "bin" or "usr/lib") with permission
 * bits perm (07777 at most).  Returns 0, or -1 with e filled on a bad name
 * or mode or a failed write. */
int cpio__add_dir(struct cpio *c, const char *name, unsigned perm,
		  struct isolab_err *e);

/* Add regular file name holding data[0..len) with permission bits perm.
 * Returns 0, or -1 with e filled as cpio__add_dir. */
int cpio__add_file(struct cpio *c, const char *name, unsigned perm,
		   const void *data, size_t len, struct isolab_err *e);

/* Add regular file name with the bytes and permission bits of the host's
 * file src.  Returns 0, or -1 with e filled (src unreadable, or as
 * cpio__add_file). */
int cpio__add_copy(struct cpio *c, const char *name, const char *src,
		   struct isolab_err *e);

/* Write the trailer and close the archive.  Returns 0, or -1 with e filled
 * if any write failed (a regular file is then removed).  c is closed
 * either way. */
int cpio__close(struct cpio *c, struct isolab_err *e);

/* Close the archive without finishing it and remove it if it is a regular
 * file (an error path after a failed add). */
void cpio__abort(struct cpio *c);

#endif
