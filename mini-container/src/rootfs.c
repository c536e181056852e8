/*
 * rootfs.c - The container's file system view: a private mount namespace
 * where the container's directory becomes "/".
 *
 * The lecture's "file system isolation", in the order the runtime does it
 * (rootfs__setup, run by the container's first process in its new mount
 * namespace, before exec):
 *  1. propagation private: the namespace starts as a copy of the host's
 *     mounts, still linked to them by shared propagation; a mount made here
 *     would appear on the host.  MS_PRIVATE on "/" cuts the link first.
 *  2. the rootfs is bind-mounted on itself, so it is a mount point (which
 *     pivot_root needs);
 *  3. the spec's mounts inside it: a fresh /proc (of the new pid
 *     namespace), a tmpfs /dev with only null, zero, full, random, urandom
 *     and tty (device nodes of our own, or bound from the host in a user
 *     namespace), /dev/pts, /dev/shm, /dev/mqueue, a read-only /sys, the
 *     user's binds and tmpfs;
 *  4. masked paths (/proc/kcore, /proc/keys, ... hidden under the host's
 *     /dev/null or an empty read-only tmpfs) and read-only paths
 *     (/proc/sys, /proc/sysrq-trigger, ...), done while the host's
 *     /dev/null is still in sight;
 *  5. pivot_root: the rootfs becomes "/" and the old root is detached and
 *     unmounted, so no path, not "..", not an fd, leads back to it (chroot
 *     only changes where path lookup starts, and a root process can walk
 *     out of a chroot); then "/" itself read-only if asked.
 */
#define _GNU_SOURCE
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The devices every container gets (runc's default devices less ptmx,
 * which points into /dev/pts). */
static const char *const rootfs_devices[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

/* Create the directories of path below root (path inside the container),
 * refusing to follow a symbolic link on the way: a rootfs could otherwise
 * point a mount at a host directory (/proc -> /etc).  With file, the last
 * component is created as an empty file (a bind target for a file).
 * Writes root+path into out.  Returns 0 or -1. */
static int rootfs_make_target(const char *root, const char *path, bool file,
			      char *out, size_t len, struct isolab_err *e)
{
	char *p;
	size_t rl = strlen(root);
	struct stat st;

	if (path[0] != '/')
		return err__set(e, 0, "%s: mount destination must be absolute",
				path);
	if (strstr(path, "/../") || strcmp(path + strlen(path) - 3, "/..") == 0)
		return err__set(e, 0, "%s: mount destination contains \"..\"",
				path);
	if ((size_t)snprintf(out, len, "%s%s", root, path) >= len)
		return err__set(e, ENAMETOOLONG, "%s", path);
	for (p = out + rl; *p;) {
		char *next = strchr(p + 1, '/');
		bool last = !next || next[1] == '\0';

		if (next)
			*next = '\0';
		if (p[1] == '\0') {
			/* "//" or a trailing "/": nothing to make */
		} else if (lstat(out, &st) == 0) {
			if (S_ISLNK(st.st_mode))
				return err__set(e, 0,
						"%s: is a symbolic link "
						"in the rootfs; refusing "
						"to mount through it",
						out + rl);
		} else if (errno != ENOENT) {
			return err__set(e, errno, "%s", out);
		} else if (last && file) {
			int fd =
				open(out, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

			if (fd < 0)
				return err__set(e, errno, "%s: create", out);
			close(fd);
		} else if (mkdir(out, 0755) < 0) {
			return err__set(e, errno, "%s: mkdir", out);
		}
		if (!next)
			break;
		*next = '/';
		p = next;
	}
	return 0;
}

/* The per-mount flags (nosuid, nodev, noexec, ...) of the mount at path,
 * which a read-only remount of a bind must keep (in a user namespace
 * the kernel refuses to clear them). */
static unsigned long rootfs_locked_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;

	if (statvfs(path, &sv) < 0)
		return 0;
	if (sv.f_flag & ST_NOSUID)
		f |= MS_NOSUID;
	if (sv.f_flag & ST_NODEV)
		f |= MS_NODEV;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

/* Make the mount at path read-only (a bind mount needs a second call:
 * MS_RDONLY is ignored by the first).  Returns 0 or -1. */
static int rootfs_remount_ro(const char *path, struct isolab_err *e)
{
	if (mount(NULL, path, NULL,
		  MS_BIND | MS_REMOUNT | MS_RDONLY | rootfs_locked_flags(path),
		  NULL) < 0)
		return err__set(e, errno, "%s: remount read-only", path);
	return 0;
}

/* A tmpfs /dev gets the device nodes, bind-mounted from the host's (mknod
 * would need CAP_MKNOD, which a user namespace does not give), and the
 * usual symbolic links. */
static int rootfs_populate_dev(const char *dev, struct isolab_err *e)
{
	static const char *const links[][2] = {
		{"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
		{"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
		{"pts/ptmx", "ptmx"},
	};
	char path[PATH_MAX + 32], host[64];
	struct stat st;

	for (size_t i = 0; rootfs_devices[i]; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dev, rootfs_devices[i]);
		snprintf(host, sizeof(host), "/dev/%s", rootfs_devices[i]);
		if (stat(host, &st) < 0)
			return err__set(e, errno, "%s", host);
		/* As real root: a device node of our own (as runc and crun).
		 * In a user namespace mknod is refused: bind the host's. */
		if (mknod(path, S_IFCHR | 0666, st.st_rdev) == 0) {
			chmod(path, 0666); /* mknod applies the umask */
			continue;
		}
		if (errno != EPERM)
			return err__set(e, errno, "%s: mknod", path);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			return err__set(e, errno, "%s: create", path);
		close(fd);
		if (mount(host, path, NULL, MS_BIND, NULL) < 0)
			return err__set(e, errno, "%s: bind %s", path, host);
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dev, links[i][1]);
		if (symlink(links[i][0], path) < 0 && errno != EEXIST)
			return err__set(e, errno, "%s: symlink", path);
	}
	return 0;
}

/* An OCI "cgroup" mount: the container's view of its own groups (its
 * cgroup namespace makes them look like roots).  v2: one cgroup2 mount.
 * v1/hybrid: a tmpfs with one mount per hierarchy the host has, each with
 * the host's controller options, as runc and crun do. */
static int rootfs_mount_cgroups(const char *target, unsigned long flags,
				struct isolab_err *e)
{
	const unsigned long f = flags | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct {
		char base[64];
		char opts[256];
	} h[16];
	size_t nh = 0, cap = 0;
	char *line = NULL;
	FILE *mi;
	int rc = 0;

	/* Read the hierarchies first: mountinfo grows as we mount, and a
	 * reader still in it would meet our own new mounts. */
	mi = fopen("/proc/self/mountinfo", "re");
	if (!mi)
		return err__set(e, errno, "/proc/self/mountinfo");
	while (nh < 16 && getline(&line, &cap, mi) > 0) {
		char point[PATH_MAX], type[32], opts[256], *o, *w;
		char *sep = strstr(line, " - ");

		if (!sep ||
		    sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 ||
		    sscanf(sep + 3, "%31s %*s %255s", type, opts) != 2 ||
		    strcmp(type, "cgroup") != 0)
			continue;
		/* Keep the controller names, drop rw/ro. */
		for (o = w = opts; *o;) {
			size_t n = strcspn(o, ",");

			if (!(n == 2 &&
			      (!strncmp(o, "rw", 2) || !strncmp(o, "ro", 2)))) {
				if (w != opts)
					*w++ = ',';
				memmove(w, o, n);
				w += n;
			}
			o += n + (o[n] == ',');
		}
		*w = '\0';
		snprintf(h[nh].base, sizeof(h[nh].base), "%s",
			 strrchr(point, '/') + 1);
		snprintf(h[nh].opts, sizeof(h[nh].opts), "%s", opts);
		nh++;
	}
	free(line);
	fclose(mi);
	if (nh == 0) {
		if (mount("cgroup2", target, "cgroup2", f, NULL) < 0)
			return err__set(e, errno, "%s: mount cgroup2", target);
		return 0;
	}
	if (mount("tmpfs", target, "tmpfs", (f & ~MS_RDONLY),
		  "mode=755,size=64k") < 0)
		return err__set(e, errno, "%s: mount tmpfs", target);
	for (size_t i = 0; i < nh && rc == 0; i++) {
		char dir[PATH_MAX];

		if ((size_t)snprintf(dir, sizeof(dir), "%s/%s", target,
				     h[i].base) >= sizeof(dir))
			rc = err__set(e, ENAMETOOLONG, "%s", target);
		else if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			rc = err__set(e, errno, "%s: mkdir", dir);
		else if (mount("cgroup", dir, "cgroup", f, h[i].opts) < 0)
			rc = err__set(e, errno, "%s: mount cgroup %s", dir,
				      h[i].opts);
	}
	if (rc == 0 && (flags & MS_RDONLY))
		rc = rootfs_remount_ro(target, e);
	return rc;
}

/* One mount of the spec, below root.  Returns 0 or -1. */
static int rootfs_mount_one(const char *root, const struct mc_mount *m,
			    struct isolab_err *e)
{
	char target[PATH_MAX];
	struct stat st;
	bool file = false;

	if (m->bind) {
		if (!m->source || stat(m->source, &st) < 0)
			return err__set(e, errno, "%s: bind source",
					m->source ? m->source : "(none)");
		file = !S_ISDIR(st.st_mode);
	}
	if (rootfs_make_target(root, m->destination, file, target,
			       sizeof(target), e) < 0)
		return -1;
	if (m->bind) {
		if (mount(m->source, target, NULL,
			  MS_BIND | (m->flags & MS_REC), NULL) < 0)
			return err__set(e, errno, "%s: bind %s", m->destination,
					m->source);
		if (m->readonly || (m->flags & MS_RDONLY))
			return rootfs_remount_ro(target, e);
		return 0;
	}
	if (strcmp(m->type, "cgroup") == 0)
		return rootfs_mount_cgroups(target, m->flags, e);
	if (mount(m->source, target, m->type, m->flags, m->data) < 0) {
		int saved = errno;

		/* sysfs needs a network namespace of our own; with the host's
		 * network, bind the host's /sys read-only instead. */
		if (strcmp(m->type, "sysfs") == 0 && saved == EPERM &&
		    mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) == 0)
			return rootfs_remount_ro(target, e);
		return err__set(e, saved, "%s: mount %s", m->destination,
				m->type);
	}
	if (strcmp(m->destination, "/dev") == 0 &&
	    strcmp(m->type, "tmpfs") == 0)
		return rootfs_populate_dev(target, e);
	return 0;
}

/* root+path into out, if every component exists and none is a symbolic
 * link (which could lead out of the rootfs while we still see the host).
 * Returns 0, 1 when the path does not exist, -1 on a link. */
static int rootfs_inside(const char *root, const char *path, char *out,
			 size_t len, struct isolab_err *e)
{
	size_t rl = strlen(root);
	struct stat st;
	char *p;

	if (path[0] != '/' || strstr(path, "/.."))
		return err__set(e, 0, "%s: must be absolute, without \"..\"",
				path);
	if ((size_t)snprintf(out, len, "%s%s", root, path) >= len)
		return err__set(e, ENAMETOOLONG, "%s", path);
	for (p = out + rl; p;) {
		char *next = strchr(p + 1, '/');

		if (next)
			*next = '\0';
		if (lstat(out, &st) < 0) {
			if (next)
				*next = '/';
			return 1;
		}
		if (S_ISLNK(st.st_mode))
			return err__set(e, 0,
					"%s: a symbolic link on the way; "
					"refusing to mount through it",
					path);
		if (next)
			*next = '/';
		p = next;
	}
	return 0;
}

/* Hide each masked path: a file under the host's /dev/null, a directory
 * under an empty read-only tmpfs.  A path the kernel lacks is skipped. */
static int rootfs_mask(const char *root, char *const *paths,
		       struct isolab_err *e)
{
	for (size_t i = 0; paths && paths[i]; i++) {
		char path[PATH_MAX];
		struct stat st;
		int rc = rootfs_inside(root, paths[i], path, sizeof(path), e);

		if (rc < 0)
			return -1;
		if (rc > 0 || stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			rc = mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0");
		else
			rc = mount("/dev/null", path, NULL, MS_BIND, NULL);
		if (rc < 0)
			return err__set(e, errno, "%s: mask", paths[i]);
	}
	return 0;
}

static int rootfs_readonly_paths(const char *root, char *const *paths,
				 struct isolab_err *e)
{
	for (size_t i = 0; paths && paths[i]; i++) {
		char path[PATH_MAX];
		int rc = rootfs_inside(root, paths[i], path, sizeof(path), e);

		if (rc < 0)
			return -1;
		if (rc > 0)
			continue;
		if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
			return err__set(e, errno, "%s: bind", paths[i]);
		if (rootfs_remount_ro(path, e) < 0)
			return -1;
	}
	return 0;
}

/* pivot_root(".", "."): the rootfs becomes "/", the old root is stacked
 * beneath it on the same point, and umount2(MNT_DETACH) then takes the old
 * root away (runc's trick: no directory for the old root is needed). */
static int rootfs_pivot(const char *root, struct isolab_err *e)
{
	if (chdir(root) < 0)
		return err__set(e, errno, "%s: chdir", root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return err__set(e, errno, "%s: pivot_root", root);
	if (umount2(".", MNT_DETACH) < 0)
		return err__set(e, errno, "%s: detach the old root", root);
	if (chdir("/") < 0)
		return err__set(e, errno, "/: chdir");
	return 0;
}

int rootfs__setup(const struct mc_spec *s, struct isolab_err *e)
{
	char root[PATH_MAX];

	if (!realpath(s->rootfs, root))
		return err__set(e, errno, "%s", s->rootfs);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err__set(e, errno, "/: make mount propagation private");
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err__set(e, errno, "%s: bind the rootfs", root);
	for (size_t i = 0; i < s->nmounts; i++)
		if (rootfs_mount_one(root, &s->mounts[i], e) < 0)
			return -1;
	/* Masks and read-only paths before pivot_root, while the host's
	 * /dev/null is still there to bind (as runc and crun do). */
	if (rootfs_mask(root, s->masked_paths, e) < 0 ||
	    rootfs_readonly_paths(root, s->readonly_paths, e) < 0 ||
	    rootfs_pivot(root, e) < 0)
		return -1;
	if (s->readonly && rootfs_remount_ro("/", e) < 0)
		return -1;
	return 0;
}
