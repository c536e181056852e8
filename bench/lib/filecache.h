/*
 * filecache.h - Files a program keeps between runs to skip work whose
 * answer does not change: mini-container's compiled seccomp filters,
 * mini-vmm's CPUID table.  See filecache.c.
 *
 * The rules every such cache keeps (crun's seccomp cache keeps the same):
 * the directory belongs to the user running the program (root, for the
 * caches under /run) and nobody else may write it or its files; nothing is
 * followed through a symbolic link; a file is written whole to a temporary
 * name and renamed into place, so a reader sees an old file or a new one,
 * never half of one; and anything unexpected is a miss, never an error:
 * the program then does the work as if there were no cache.
 */
#ifndef ISOLAB_FILECACHE_H
#define ISOLAB_FILECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "err.h"

/* Does st describe something this user owns and only it may write? */
bool filecache__trusted(const struct stat *st);

/* Open dir (O_DIRECTORY, not through a symbolic link) if it is trusted;
 * with create, make it 0700 first when it is missing.  Returns the fd, or
 * -1 with errno set (EPERM: it exists but is not to be trusted). */
int filecache__open_dir(const char *dir, bool create);

/* Read the whole regular file name in directory dfd into a malloc'd
 * buffer if it is trusted and holds min..max bytes.  Returns 1 (*buf and
 * *len set; free *buf) or 0 (a miss: missing, untrusted, a size outside
 * the bounds, a read error, or a file that grew while read). */
int filecache__read(int dfd, const char *name, size_t min, size_t max,
		    void **buf, size_t *len);

/* Write head then tail (tail may be NULL) as file name in directory dfd,
 * mode 0600, atomically: into ".NAME.PID.tmp", then renamed over any old
 * file.  dir is the directory's name, for messages.  Returns 0 or -1. */
int filecache__write(int dfd, const char *dir, const char *name,
		     const void *head, size_t head_len, const void *tail,
		     size_t tail_len, struct isolab_err *e);

#endif
