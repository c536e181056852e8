/*
 * cpio.c - A cpio "newc" archive writer: the initramfs format (cpio.h).
 *
 * An entry is a 110-byte ASCII header ("070701" and 13 fields of 8 hex
 * digits: ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
 * rdevmajor, rdevminor, namesize, check), the NUL-terminated name, padding
 * to a multiple of 4 bytes, the data, and padding again.  The archive ends
 * with an entry named "TRAILER!!!".  Source: the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst.
 */
#include "cpio.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CPIO_HEADER_LEN 110
#define CPIO_TRAILER "TRAILER!!!"

int cpio__open(struct cpio *c, const char *path, struct isolab_err *e)
{
	struct stat st;

	c->ino = 0;
	c->regular = 0;
	if (strlen(path) >= sizeof(c->path)) {
		c->f = NULL;
		return err__set(e, 0, "%.64s...: path too long", path);
	}
	strcpy(c->path, path);
	c->f = fopen(path, "we");
	if (!c->f)
		return err__set(e, errno, "%s", path);
	/* Never unlink what is not ours to remove, such as /dev/full. */
	c->regular = fstat(fileno(c->f), &st) == 0 && S_ISREG(st.st_mode);
	return 0;
}

/* Write len bytes, or fill e naming the archive.  Returns 0 or -1. */
static int cpio_write(struct cpio *c, const void *p, size_t len,
		      struct isolab_err *e)
{
	if (len && fwrite(p, 1, len, c->f) != len)
		return err__set(e, errno ? errno : EIO, "%s: write", c->path);
	return 0;
}

/* Zero bytes up to the next multiple of 4 after `written` bytes. */
static int cpio_pad(struct cpio *c, size_t written, struct isolab_err *e)
{
	static const char zeros[4];

	return cpio_write(c, zeros, (4 - written % 4) % 4, e);
}

/* A name the kernel can create: relative, not empty, no empty or "."/".."
 * component.  Returns 0, or -1 with e filled. */
static int cpio_check_name(const struct cpio *c, const char *name,
			   struct isolab_err *e)
{
	const char *p = name;

	if (!*name || *name == '/')
		return err__set(e, 0, "%s: entry `%s`: must be a relative "
				      "path",
				c->path, name);
	if (strlen(name) >= 4096)
		return err__set(e, 0, "%s: entry `%.64s...`: name too long",
				c->path, name);
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return err__set(e, 0,
					"%s: entry `%s`: empty, `.` or `..` "
					"component",
					c->path, name);
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

/* One entry: header, name, data.  mode includes the file type. */
static int cpio_entry(struct cpio *c, const char *name, unsigned mode,
		      unsigned nlink, const void *data, size_t len,
		      struct isolab_err *e)
{
	char hdr[CPIO_HEADER_LEN + 1];
	size_t nlen = strlen(name) + 1;

	if (len > UINT32_MAX)
		return err__set(e, 0, "%s: entry `%s`: over 4 GiB", c->path,
				name);
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 c->ino, mode, 0u, 0u, nlink, 0u, (unsigned)len, 0u, 0u, 0u,
		 0u, (unsigned)nlen, 0u);
	if (cpio_write(c, hdr, CPIO_HEADER_LEN, e) < 0 ||
	    cpio_write(c, name, nlen, e) < 0 ||
	    cpio_pad(c, CPIO_HEADER_LEN + nlen, e) < 0 ||
	    cpio_write(c, data, len, e) < 0 || cpio_pad(c, len, e) < 0)
		return -1;
	return 0;
}

/* Check name and perm, then add an entry of type `type` (S_IFDIR...). */
static int cpio_add(struct cpio *c, const char *name, unsigned type,
		    unsigned perm, const void *data, size_t len,
		    struct isolab_err *e)
{
	if (cpio_check_name(c, name, e) < 0)
		return -1;
	if (perm & ~07777u)
		return err__set(e, 0, "%s: entry `%s`: mode %o: not "
				      "permission bits (07777 at most)",
				c->path, name, perm);
	c->ino++;
	return cpio_entry(c, name, type | perm, type == S_IFDIR ? 2 : 1, data,
			  len, e);
}

int cpio__add_dir(struct cpio *c, const char *name, unsigned perm,
		  struct isolab_err *e)
{
	return cpio_add(c, name, S_IFDIR, perm, NULL, 0, e);
}

int cpio__add_file(struct cpio *c, const char *name, unsigned perm,
		   const void *data, size_t len, struct isolab_err *e)
{
	return cpio_add(c, name, S_IFREG, perm, data, len, e);
}

int cpio__add_copy(struct cpio *c, const char *name, const char *src,
		   struct isolab_err *e)
{
	FILE *in = fopen(src, "re");
	struct stat st;
	char *buf = NULL;
	int rc = -1;

	if (!in)
		return err__set(e, errno, "%s", src);
	if (fstat(fileno(in), &st) < 0) {
		err__set(e, errno, "%s", src);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err__set(e, 0, "%s: not a regular file", src);
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf) {
		err__set(e, ENOMEM, "%s", src);
		goto out;
	}
	if (fread(buf, 1, (size_t)st.st_size, in) != (size_t)st.st_size) {
		err__set(e, ferror(in) ? errno : 0, "%s: short read", src);
		goto out;
	}
	rc = cpio__add_file(c, name, st.st_mode & 07777, buf,
			    (size_t)st.st_size, e);
out:
	free(buf);
	fclose(in);
	return rc;
}

int cpio__close(struct cpio *c, struct isolab_err *e)
{
	int rc;

	c->ino = 0; /* the trailer: inode 0, mode 0 */
	rc = cpio_entry(c, CPIO_TRAILER, 0, 1, NULL, 0, e);

	/* fclose flushes the buffer: a full disk shows up here. */
	if (fclose(c->f) != 0 && rc == 0)
		rc = err__set(e, errno, "%s: write", c->path);
	c->f = NULL;
	if (rc < 0 && c->regular)
		unlink(c->path);
	return rc;
}

void cpio__abort(struct cpio *c)
{
	if (!c->f)
		return;
	fclose(c->f);
	c->f = NULL;
	if (c->regular)
		unlink(c->path);
}
