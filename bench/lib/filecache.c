/*
 * filecache.c - Trusted cache files (see filecache.h): the directory and
 * file checks, the whole-file read, the atomic write.
 *
 * Every open is relative to the directory's descriptor, checked once with
 * fstat: a directory renamed or replaced after the check is not followed
 * into.  O_NOFOLLOW on each open refuses a symbolic link planted in place
 * of a file, and O_NONBLOCK keeps a FIFO planted there from blocking the
 * open (fstat then refuses it: not a regular file).
 */
#define _GNU_SOURCE
#include "filecache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

bool filecache__trusted(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & (S_IWGRP | S_IWOTH));
}

int filecache__open_dir(const char *dir, bool create)
{
	struct stat st;
	int fd;

	if (create && mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !filecache__trusted(&st)) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/* Read exactly n bytes.  Returns 0, or -1 on an error or an early end. */
static int read_all(int fd, void *buf, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t r = read(fd, (char *)buf + off, n - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		off += (size_t)r;
	}
	return 0;
}

int filecache__read(int dfd, const char *name, size_t min, size_t max,
		    void **buf, size_t *len)
{
	char *b = NULL;
	struct stat st;
	size_t size;
	int fd, hit = 0;

	*buf = NULL;
	*len = 0;
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    !filecache__trusted(&st) || st.st_size < 0)
		goto out;
	size = (size_t)st.st_size;
	if (size < min || size > max)
		goto out;
	/* One byte more than fstat said: a file that grew since is not
	 * taken for a good one. */
	b = malloc(size + 1);
	if (!b || read_all(fd, b, size) < 0 || read(fd, b + size, 1) != 0)
		goto out;
	*buf = b;
	*len = size;
	b = NULL;
	hit = 1;
out:
	free(b);
	close(fd);
	return hit;
}

/* Write len bytes.  Returns 0 or -1. */
static int write_all(int fd, const void *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(fd, (const char *)buf + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int filecache__write(int dfd, const char *dir, const char *name,
		     const void *head, size_t head_len, const void *tail,
		     size_t tail_len, struct isolab_err *e)
{
	char tmp[256];
	int fd;

	if (snprintf(tmp, sizeof(tmp), ".%s.%d.tmp", name, (int)getpid()) >=
	    (int)sizeof(tmp))
		return err__set(e, 0, "%s/%s: name too long", dir, name);
	fd = openat(dfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err__set(e, errno, "%s/%s", dir, tmp);
	if (write_all(fd, head, head_len) < 0 ||
	    (tail && write_all(fd, tail, tail_len) < 0)) {
		err__set(e, errno, "%s/%s: write", dir, tmp);
		close(fd);
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	if (close(fd) < 0 || renameat(dfd, tmp, dfd, name) < 0) {
		err__set(e, errno, "%s/%s", dir, name);
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	return 0;
}
