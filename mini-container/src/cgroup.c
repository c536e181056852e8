/*
 * cgroup.c - Control groups on v1, hybrid and v2 machines (see cgroup.h).
 *
 * The lecture's "resource isolation" half of a container: namespaces
 * decide what a process can see, cgroups how much it may use.  A cgroup is
 * a directory in a cgroup file system; its files are the knobs
 * (memory.limit_in_bytes, cpu.max, pids.max) and the meters
 * (cpuacct.usage, memory.peak); writing a pid to cgroup.procs moves a
 * process in.
 *
 *  - v1 (and "hybrid", v1 plus an empty cgroup2): one hierarchy per
 *    controller, each mounted on its own (or co-mounted, like "cpu,cpuacct"
 *    on many distributions).  A group is one directory in each hierarchy.
 *  - v2: one unified tree; a controller works in a group only when its
 *    parent lists it in cgroup.subtree_control, and (the "no internal
 *    processes" rule) a non-root group that hands controllers down may hold
 *    no process itself.
 *
 * Mount points come from /proc/self/mountinfo and the runtime's own place
 * in each hierarchy from /proc/self/cgroup: never hard-coded, because
 * /sys/fs/cgroup differs between machines and inside containers.
 *
 * Start reading at cgroup__create_in().
 */
#define _GNU_SOURCE
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Controllers a group is made in (v1: each hierarchy that carries one). */
enum {
	C_MEMORY = 1 << 0,
	C_CPU = 1 << 1,
	C_CPUACCT = 1 << 2,
	C_PIDS = 1 << 3,
	C_CPUSET = 1 << 4,
	C_DEVICES = 1 << 5, /* v1 only: v2 filters devices with BPF */
};

static const struct {
	const char *name;
	unsigned bit;
} cg_controllers[] = {
	{"memory", C_MEMORY}, {"cpu", C_CPU},	    {"cpuacct", C_CPUACCT},
	{"pids", C_PIDS},     {"cpuset", C_CPUSET}, {"devices", C_DEVICES},
};

#define CG_NCONTROLLERS (sizeof(cg_controllers) / sizeof(cg_controllers[0]))
#define CG_MAX_DIRS	10

/* One directory of the group: in v1 one per hierarchy (ctrls = the wanted
 * controllers that hierarchy carries), in v2 the single unified one. */
struct cg_dir {
	char path[PATH_MAX];
	unsigned ctrls;
};

struct cgroup {
	bool v2;
	int ndirs;
	struct cg_dir dir[CG_MAX_DIRS];
	struct cgroup_host host; /* how its directories are made, removed */
};

/* This machine's cgroups, as the kernel shows them to this process. */
static const struct cgroup_host cg_this_machine = {
	.mountinfo = "/proc/self/mountinfo",
	.self_cgroup = "/proc/self/cgroup",
	.mkdir = mkdir,
	.rmdir = rmdir,
};

/* host with its NULL fields set to this machine's (host NULL: all). */
static struct cgroup_host cg_host(const struct cgroup_host *host)
{
	struct cgroup_host h = cg_this_machine;

	if (host && host->mountinfo)
		h.mountinfo = host->mountinfo;
	if (host && host->self_cgroup)
		h.self_cgroup = host->self_cgroup;
	if (host && host->mkdir)
		h.mkdir = host->mkdir;
	if (host && host->rmdir)
		h.rmdir = host->rmdir;
	return h;
}

/* ---- small file helpers ---------------------------------------------- */

/* Write value to dir/file.  Returns 0 or -1 with e naming the file.
 * No O_TRUNC: a cgroup file takes each write whole, so truncating it
 * first is a setattr the kernel does for nothing (0-7 us of a ~20 us
 * write in repeated measurements here, twenty writes a start). */
static int cg_write(const char *dir, const char *file, const char *value,
		    struct isolab_err *e)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(e, errno, "%s: open", path);
	n = write(fd, value, strlen(value));
	if (n < 0) {
		int saved = errno;

		close(fd);
		return err__set(e, saved, "%s: write \"%s\"", path, value);
	}
	close(fd);
	return 0;
}

/* Read dir/file (at most len-1 bytes, NUL-terminated, trailing newline
 * removed).  Returns 0 or -1. */
static int cg_read(const char *dir, const char *file, char *buf, size_t len,
		   struct isolab_err *e)
{
	char path[PATH_MAX + 64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(e, errno, "%s: open", path);
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int saved = errno;

		close(fd);
		return err__set(e, saved, "%s: read", path);
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/* Read dir/file as one integer ("max" reads as -1).  Returns 0 or -1. */
static int cg_read_i64(const char *dir, const char *file, int64_t *v,
		       struct isolab_err *e)
{
	char buf[64], *end;

	if (cg_read(dir, file, buf, sizeof(buf), e) < 0)
		return -1;
	if (strcmp(buf, "max") == 0) {
		*v = -1;
		return 0;
	}
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || end == buf)
		return err__set(e, 0, "%s/%s: not a number: \"%s\"", dir, file,
				buf);
	return 0;
}

/* The value of `key N` in a flat keyed file like cpu.stat or
 * memory.events.  Returns 0, or -1 if the file or key is missing. */
static int cg_read_key(const char *dir, const char *file, const char *key,
		       uint64_t *v, struct isolab_err *e)
{
	char buf[4096], *line, *save = NULL;
	size_t klen = strlen(key);

	if (cg_read(dir, file, buf, sizeof(buf), e) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			*v = strtoull(line + klen + 1, NULL, 10);
			return 0;
		}
	}
	return err__set(e, 0, "%s/%s: no \"%s\"", dir, file, key);
}

static bool cg_exists(const char *dir, const char *file)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return access(path, F_OK) == 0;
}

/* Is `word` one of the comma-separated items of list? */
static bool cg_in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p = c ? c + 1 : NULL;
	}
	return false;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void cg_unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] &&
		    r[3]) {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 +
				      (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* ---- where the hierarchies are --------------------------------------- */

/* A cgroup mount from /proc/self/mountinfo. */
struct cg_mount {
	char root[PATH_MAX];  /* the mount's root inside the hierarchy */
	char point[PATH_MAX]; /* where it is mounted */
	char opts[256];	      /* super options: "rw,memory" */
};

/* /proc/self/mountinfo and /proc/self/cgroup, read once per operation
 * (each read makes the kernel print every mount). */
struct cg_snap {
	char *mountinfo;
	char *cgroup;
	const char *mountinfo_path; /* for messages */
};

/* The whole of a /proc file (owned, NUL-terminated), or NULL. */
static char *cg_slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, cap = 0;
	char *buf = NULL;
	ssize_t r;

	if (fd < 0)
		return NULL;
	do {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap + 16384);

			if (!nb) {
				free(buf);
				close(fd);
				return NULL;
			}
			buf = nb;
			cap += 16384;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r > 0)
			n += (size_t)r;
	} while (r > 0);
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static int cg_snap_read(struct cg_snap *sn, const struct cgroup_host *h,
			struct isolab_err *e)
{
	sn->mountinfo_path = h->mountinfo;
	sn->mountinfo = cg_slurp(h->mountinfo);
	sn->cgroup = cg_slurp(h->self_cgroup);
	if (!sn->mountinfo || !sn->cgroup) {
		int saved = errno;
		const char *bad = sn->mountinfo ? h->self_cgroup : h->mountinfo;

		free(sn->mountinfo);
		free(sn->cgroup);
		sn->mountinfo = sn->cgroup = NULL;
		return err__set(e, saved, "%s", bad);
	}
	return 0;
}

static void cg_snap_free(struct cg_snap *sn)
{
	free(sn->mountinfo);
	free(sn->cgroup);
}

/* Copy the line at *p into buf (without its newline) and advance *p.
 * Returns false at the end of text. */
static bool cg_next_line(const char **p, char *buf, size_t len)
{
	const char *nl;
	size_t n;

	if (!**p)
		return false;
	nl = strchr(*p, '\n');
	n = nl ? (size_t)(nl - *p) : strlen(*p);
	snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), *p);
	*p += n + (nl ? 1 : 0);
	return true;
}

/* Find the cgroup mount of controller (v1: fstype cgroup whose super
 * options name it; controller NULL: the cgroup2 mount).  Returns 0 with m
 * filled, or -1 if there is none (e filled). */
static int cg_find_mount(const struct cg_snap *sn, const char *controller,
			 struct cg_mount *m, struct isolab_err *e)
{
	const char *p = sn->mountinfo;
	char line[3 * PATH_MAX];
	int rc = -1;

	while (cg_next_line(&p, line, sizeof(line))) {
		char root[PATH_MAX], point[PATH_MAX], fstype[64], opts[256];
		char *sep = strstr(line, " - ");

		/* ID PARENT MAJ:MIN ROOT POINT OPTS [optional...] - FSTYPE
		 * SOURCE SUPEROPTS */
		if (!sep ||
		    sscanf(line, "%*s %*s %*s %4095s %4095s", root, point) != 2)
			continue;
		if (sscanf(sep + 3, "%63s %*s %255s", fstype, opts) != 2)
			continue;
		if (controller ? strcmp(fstype, "cgroup") != 0 ||
					 !cg_in_list(opts, controller)
			       : strcmp(fstype, "cgroup2") != 0)
			continue;
		cg_unescape(root);
		cg_unescape(point);
		snprintf(m->root, sizeof(m->root), "%s", root);
		snprintf(m->point, sizeof(m->point), "%s", point);
		snprintf(m->opts, sizeof(m->opts), "%s", opts);
		rc = 0;
		/* The last match wins: a later mount hides an earlier one. */
	}
	if (rc < 0)
		err__set(e, 0, "%s: no %s%s hierarchy mounted",
			 sn->mountinfo_path,
			 controller ? "cgroup v1 " : "cgroup2",
			 controller ? controller : "");
	return rc;
}

/* This process's path in the hierarchy of controller (NULL: the v2 "0::"
 * line) from /proc/self/cgroup.  Returns 0 or -1. */
static int cg_own_path(const struct cg_snap *sn, const char *controller,
		       char *buf, size_t len, struct isolab_err *e)
{
	const char *p = sn->cgroup;
	char line[PATH_MAX + 256];

	while (cg_next_line(&p, line, sizeof(line))) {
		char *c1 = strchr(line, ':'), *c2;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c2 = '\0';
		if (controller ? cg_in_list(c1 + 1, controller)
			       : strcmp(line, "0:") == 0 && c1[1] == '\0') {
			snprintf(buf, len, "%s", c2 + 1);
			return 0;
		}
	}
	return err__set(e, 0, "/proc/self/cgroup: no line for %s",
			controller ? controller : "the unified hierarchy");
}

/* The directory of this process's own group for controller: the mount
 * point joined with the path from /proc/self/cgroup, less the mount's
 * root (a hierarchy can be mounted from a sub-group, e.g. in a
 * container).  Returns 0 or -1. */
static int cg_parent_dir(const struct cg_snap *sn, const char *controller,
			 char *buf, size_t len, struct isolab_err *e)
{
	struct cg_mount m;
	char own[PATH_MAX];
	const char *rel = own;
	size_t rl;

	if (cg_find_mount(sn, controller, &m, e) < 0 ||
	    cg_own_path(sn, controller, own, sizeof(own), e) < 0)
		return -1;
	rl = strlen(m.root);
	if (strcmp(m.root, "/") != 0 && strncmp(own, m.root, rl) == 0 &&
	    (own[rl] == '/' || own[rl] == '\0'))
		rel = own + rl;
	if (strcmp(rel, "/") == 0)
		rel = "";
	if ((size_t)snprintf(buf, len, "%s%s", m.point, rel) >= len)
		return err__set(e, ENAMETOOLONG, "%s%s", m.point, rel);
	return 0;
}

/* ---- removing a group ------------------------------------------------ */

/* SIGKILL every process in dir (v2: cgroup.kill when the kernel has it).
 * Returns how many were signalled. */
static int cg_kill_all(const char *dir)
{
	char path[PATH_MAX + 32];
	FILE *f;
	int pid, n = 0;

	if (cg_exists(dir, "cgroup.kill") &&
	    cg_write(dir, "cgroup.kill", "1", NULL) == 0)
		return 1;
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%d", &pid) == 1)
		if (pid > 0 && kill(pid, SIGKILL) == 0)
			n++;
	fclose(f);
	return n;
}

static void cg_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Remove group dir and every sub-group in it, killing their processes:
 * sub-groups first (rmdir of a group with children fails ENOTEMPTY), then
 * rmdir, retried while the killed tasks are still exiting (EBUSY).
 * Returns 0 or -1. */
static int cg_remove_tree(const struct cgroup_host *h, const char *dir,
			  struct isolab_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : err__set(e, errno, "%s", dir);
	while ((de = readdir(d))) {
		char sub[PATH_MAX];

		if (de->d_type != DT_DIR || strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", dir,
				     de->d_name) >= sizeof(sub))
			continue;
		if (cg_remove_tree(h, sub, e) < 0)
			rc = -1;
	}
	closedir(d);
	/* Up to ~3 s: a task killed by SIGKILL leaves once it has run its
	 * exit path, which can take a while on a loaded machine. */
	for (int i = 0; i < 300; i++) {
		cg_kill_all(dir);
		if (h->rmdir(dir) == 0 || errno == ENOENT)
			return rc;
		if (errno != EBUSY && errno != ENOTEMPTY)
			break;
		cg_sleep_ms(i < 10 ? 1 : 10);
	}
	return err__set(e, errno, "%s: rmdir", dir);
}

/* Does group dir hold any process? */
static bool cg_populated(const char *dir)
{
	char buf[64];

	if (cg_read(dir, "cgroup.procs", buf, sizeof(buf), NULL) < 0)
		return false;
	return buf[0] != '\0';
}

/* ---- creating a group ------------------------------------------------ */

/* mkdir parent/name into d->path; a stale empty group of that name is
 * removed first, one with processes refused.  Returns 0 or -1. */
static int cg_make_dir(const struct cgroup_host *h, const char *parent,
		       const char *name, struct cg_dir *d, struct isolab_err *e)
{
	if ((size_t)snprintf(d->path, sizeof(d->path), "%s/%s", parent, name) >=
	    sizeof(d->path))
		return err__set(e, ENAMETOOLONG, "%s/%s", parent, name);
	if (h->mkdir(d->path, 0755) == 0)
		return 0;
	if (errno != EEXIST)
		return err__set(e, errno, "%s: mkdir", d->path);
	if (cg_populated(d->path))
		return err__set(e, EEXIST, "%s: a group of that name is in use",
				d->path);
	if (cg_remove_tree(h, d->path, e) < 0)
		return -1;
	if (h->mkdir(d->path, 0755) < 0)
		return err__set(e, errno, "%s: mkdir", d->path);
	return 0;
}

/* A new v1 cpuset group has empty cpuset.cpus and cpuset.mems and refuses
 * tasks (ENOSPC) until both are set: copy them from the parent. */
static int cg_cpuset_inherit(const char *parent, const char *dir,
			     struct isolab_err *e)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
	char buf[1024];

	for (size_t i = 0; i < 2; i++) {
		if (cg_read(parent, files[i], buf, sizeof(buf), e) < 0)
			return -1;
		if (buf[0] && cg_write(dir, files[i], buf, e) < 0)
			return -1;
	}
	return 0;
}

/* v1: one directory in each hierarchy that carries a wanted controller;
 * co-mounted controllers (cpu,cpuacct) share one.  A controller that is
 * not mounted at all is left out (its setter then reports it). */
static int cg_create_v1(struct cgroup *cg, const char *name,
			const struct cg_snap *sn, struct isolab_err *e)
{
	for (size_t i = 0; i < CG_NCONTROLLERS; i++) {
		char parent[PATH_MAX];
		struct cg_dir *d = NULL;
		struct cg_mount m;

		if (cg_find_mount(sn, cg_controllers[i].name, &m, NULL) < 0)
			continue;
		if (cg_parent_dir(sn, cg_controllers[i].name, parent,
				  sizeof(parent), e) < 0)
			return -1;
		/* Already made in a co-mounted hierarchy? */
		for (int j = 0; j < cg->ndirs; j++) {
			size_t pl = strlen(parent);

			if (strncmp(cg->dir[j].path, parent, pl) == 0 &&
			    cg->dir[j].path[pl] == '/' &&
			    strcmp(cg->dir[j].path + pl + 1, name) == 0)
				d = &cg->dir[j];
		}
		if (!d) {
			d = &cg->dir[cg->ndirs];
			if (cg_make_dir(&cg->host, parent, name, d, e) < 0)
				return -1;
			cg->ndirs++;
			if (cg_in_list(m.opts, "cpuset") &&
			    cg_cpuset_inherit(parent, d->path, e) < 0)
				return -1;
		}
		d->ctrls |= cg_controllers[i].bit;
	}
	if (cg->ndirs == 0)
		return err__set(e, 0,
				"%s: no cgroup v1 hierarchy with memory, cpu, "
				"cpuacct, pids or cpuset",
				sn->mountinfo_path);
	return 0;
}

/* v2: enable the controllers the parent offers in its subtree_control,
 * then make the group.  cpu time accounting (cpu.stat) is always there.
 * The missing ones are enabled in one write ("+memory +pids"), which the
 * kernel applies whole or not at all. */
static int cg_create_v2(struct cgroup *cg, const char *name,
			const struct cg_snap *sn, struct isolab_err *e)
{
	static const char *const want[] = {"memory", "cpu", "pids", "cpuset"};
	static const unsigned bits[] = {C_MEMORY, C_CPU, C_PIDS, C_CPUSET};
	char parent[PATH_MAX], avail[512], on[512], plus[64] = "";
	struct cg_dir *d = &cg->dir[0];

	if (cg_parent_dir(sn, NULL, parent, sizeof(parent), e) < 0 ||
	    cg_read(parent, "cgroup.controllers", avail, sizeof(avail), e) <
		    0 ||
	    cg_read(parent, "cgroup.subtree_control", on, sizeof(on), e) < 0)
		return -1;
	/* Both files separate names by spaces; cg_in_list wants commas. */
	for (char *p = avail; *p; p++)
		if (*p == ' ')
			*p = ',';
	for (char *p = on; *p; p++)
		if (*p == ' ')
			*p = ',';
	d->ctrls = C_CPUACCT;
	for (size_t i = 0; i < 4; i++) {
		if (!cg_in_list(avail, want[i]))
			continue;
		if (!cg_in_list(on, want[i]))
			snprintf(plus + strlen(plus),
				 sizeof(plus) - strlen(plus), "%s+%s",
				 plus[0] ? " " : "", want[i]);
		d->ctrls |= bits[i];
	}
	if (plus[0] &&
	    cg_write(parent, "cgroup.subtree_control", plus, e) < 0) {
		if (e && e->errnum == EBUSY)
			err__set(e, EBUSY,
				 "%s: cannot enable %s for sub-groups while "
				 "this group holds processes (cgroup v2's "
				 "no-internal-process rule); run from a leaf "
				 "group of its own",
				 parent, plus);
		return -1;
	}
	if (cg_make_dir(&cg->host, parent, name, d, e) < 0)
		return -1;
	cg->ndirs = 1;
	return 0;
}

/* Is a v1 hierarchy with a resource controller mounted? */
static bool cg_have_v1(const struct cg_snap *sn)
{
	struct cg_mount m;

	for (size_t i = 0; i < CG_NCONTROLLERS; i++)
		if (cg_find_mount(sn, cg_controllers[i].name, &m, NULL) == 0)
			return true;
	return false;
}

int cgroup__create_in(const struct cgroup_host *host, const char *name,
		      int flags, struct cgroup **out, struct isolab_err *e)
{
	struct cgroup_host h = cg_host(host);
	struct cg_snap sn;
	struct cgroup *cg;
	int rc;

	*out = NULL;
	if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return err__set(e, 0, "%s: not a valid cgroup name",
				name ? name : "(null)");
	if (cg_snap_read(&sn, &h, e) < 0)
		return -1;
	cg = calloc(1, sizeof(*cg));
	if (!cg) {
		cg_snap_free(&sn);
		return err__set(e, ENOMEM, "%s: cgroup", name);
	}
	cg->host = h;
	cg->v2 = (flags & CGROUP_FORCE_V2) || !cg_have_v1(&sn);
	rc = cg->v2 ? cg_create_v2(cg, name, &sn, e)
		    : cg_create_v1(cg, name, &sn, e);
	cg_snap_free(&sn);
	if (rc < 0) {
		cgroup__destroy(cg, NULL);
		return -1;
	}
	*out = cg;
	return 0;
}

int cgroup__create_opts(const char *name, int flags, struct cgroup **out,
			struct isolab_err *e)
{
	return cgroup__create_in(NULL, name, flags, out, e);
}

int cgroup__remove_stale(const char *name, struct isolab_err *e)
{
	struct cg_snap sn;
	int rc = 0;

	if (!name || !*name || strchr(name, '/') || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return err__set(e, 0, "%s: not a valid cgroup name",
				name ? name : "(null)");
	if (cg_snap_read(&sn, &cg_this_machine, e) < 0)
		return -1;
	for (size_t i = 0; i <= CG_NCONTROLLERS; i++) {
		/* Each v1 controller's hierarchy, then the unified one. */
		const char *c =
			i < CG_NCONTROLLERS ? cg_controllers[i].name : NULL;
		char parent[PATH_MAX], dir[PATH_MAX];

		if (cg_parent_dir(&sn, c, parent, sizeof(parent), NULL) < 0 ||
		    (size_t)snprintf(dir, sizeof(dir), "%s/%s", parent, name) >=
			    sizeof(dir))
			continue;
		if (cg_remove_tree(&cg_this_machine, dir, rc ? NULL : e) < 0)
			rc = -1;
	}
	cg_snap_free(&sn);
	return rc;
}

int cgroup__create(const char *name, struct cgroup **out, struct isolab_err *e)
{
	return cgroup__create_opts(name, 0, out, e);
}

/* ---- knobs ----------------------------------------------------------- */

/* The group's directory for controller bit c, or NULL with e filled. */
static const char *cg_dir_for(const struct cgroup *cg, unsigned c,
			      struct isolab_err *e)
{
	for (int i = 0; i < cg->ndirs; i++)
		if (cg->dir[i].ctrls & c)
			return cg->dir[i].path;
	for (size_t i = 0; i < CG_NCONTROLLERS; i++)
		if (cg_controllers[i].bit == c)
			err__set(e, 0,
				 "the %s controller is not available in this "
				 "machine's cgroup %s hierarchy",
				 cg_controllers[i].name, cg->v2 ? "v2" : "v1");
	return NULL;
}

const char *cgroup__dir(const struct cgroup *cg, const char *controller)
{
	for (size_t i = 0; i < CG_NCONTROLLERS; i++)
		if (strcmp(cg_controllers[i].name, controller) == 0)
			return cg_dir_for(cg, cg_controllers[i].bit, NULL);
	return NULL;
}

const char *cgroup__mode(const struct cgroup *cg)
{
	return cg->v2 ? "v2" : "v1";
}

int cgroup__set_memory(struct cgroup *cg, int64_t bytes, struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_MEMORY, e);
	char v[32];

	if (!dir)
		return -1;
	if (bytes < -1)
		return err__set(e, 0, "memory limit %" PRId64 ": negative",
				bytes);
	if (cg->v2) {
		snprintf(v, sizeof(v), bytes < 0 ? "max" : "%" PRId64, bytes);
		if (cg_write(dir, "memory.max", v, e) < 0)
			return -1;
		if (cg_exists(dir, "memory.swap.max") &&
		    cg_write(dir, "memory.swap.max", bytes < 0 ? "max" : "0",
			     e) < 0)
			return -1;
		return 0;
	}
	snprintf(v, sizeof(v), "%" PRId64, bytes);
	/* v1 insists memory <= memory+swap at every moment: raise memsw
	 * first, or lower memory first. */
	if (!cg_exists(dir, "memory.memsw.limit_in_bytes"))
		return cg_write(dir, "memory.limit_in_bytes", v, e);
	if (cg_write(dir, "memory.limit_in_bytes", v, NULL) == 0)
		return cg_write(dir, "memory.memsw.limit_in_bytes", v, e);
	if (cg_write(dir, "memory.memsw.limit_in_bytes", v, e) < 0)
		return -1;
	return cg_write(dir, "memory.limit_in_bytes", v, e);
}

int cgroup__set_cpu_shares(struct cgroup *cg, uint64_t shares,
			   struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_CPU, e);
	char v[32];

	if (!dir)
		return -1;
	/* The kernel's bounds: MIN_SHARES 2, MAX_SHARES 1 << 18. */
	if (shares < 2 || shares > 262144)
		return err__set(e, 0,
				"cpu shares %" PRIu64 ": not in [2, 262144]",
				shares);
	if (cg->v2) {
		/* runc's and crun's mapping of [2, 262144] onto v2's
		 * cpu.weight range [1, 10000]. */
		snprintf(v, sizeof(v), "%" PRIu64,
			 1 + ((shares - 2) * 9999) / 262142);
		return cg_write(dir, "cpu.weight", v, e);
	}
	snprintf(v, sizeof(v), "%" PRIu64, shares);
	return cg_write(dir, "cpu.shares", v, e);
}

int cgroup__set_cpu_max(struct cgroup *cg, int64_t quota_us, uint64_t period_us,
			struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_CPU, e);
	char v[64];

	if (!dir)
		return -1;
	/* The kernel's bounds for the period: 1 ms to 1 s. */
	if (period_us < 1000 || period_us > 1000000)
		return err__set(e, 0,
				"cpu period %" PRIu64
				" us: not in [1000, 1000000]",
				period_us);
	if (quota_us < -1 || (quota_us >= 0 && quota_us < 1000))
		return err__set(e, 0,
				"cpu quota %" PRId64
				" us: below the kernel's 1000 us",
				quota_us);
	if (cg->v2) {
		if (quota_us < 0)
			snprintf(v, sizeof(v), "max %" PRIu64, period_us);
		else
			snprintf(v, sizeof(v), "%" PRId64 " %" PRIu64, quota_us,
				 period_us);
		return cg_write(dir, "cpu.max", v, e);
	}
	/* Drop the old quota first so that no intermediate quota/period
	 * pair is refused. */
	if (cg_write(dir, "cpu.cfs_quota_us", "-1", e) < 0)
		return -1;
	snprintf(v, sizeof(v), "%" PRIu64, period_us);
	if (cg_write(dir, "cpu.cfs_period_us", v, e) < 0)
		return -1;
	snprintf(v, sizeof(v), "%" PRId64, quota_us);
	return cg_write(dir, "cpu.cfs_quota_us", v, e);
}

int cgroup__set_cpuset(struct cgroup *cg, const char *cpus,
		       struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_CPUSET, e);

	if (!dir)
		return -1;
	return cg_write(dir, "cpuset.cpus", cpus, e);
}

int cgroup__set_devices(struct cgroup *cg, const char *const *allow,
			struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_DEVICES, e);

	if (!dir)
		return -1;
	/* Deny everything, then open the listed ones (the v1 whitelist:
	 * "TYPE MAJOR:MINOR ACCESS", * for any number). */
	if (cg_write(dir, "devices.deny", "a", e) < 0)
		return -1;
	for (size_t i = 0; allow && allow[i]; i++)
		if (cg_write(dir, "devices.allow", allow[i], e) < 0)
			return -1;
	return 0;
}

int cgroup__set_pids(struct cgroup *cg, int64_t max, struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_PIDS, e);
	char v[32];

	if (!dir)
		return -1;
	if (max < -1 || max == 0)
		return err__set(e, 0, "pids limit %" PRId64 ": must be >= 1",
				max);
	snprintf(v, sizeof(v), max < 0 ? "max" : "%" PRId64, max);
	return cg_write(dir, "pids.max", v, e);
}

int cgroup__attach(struct cgroup *cg, pid_t pid, struct isolab_err *e)
{
	char v[32];

	snprintf(v, sizeof(v), "%d", (int)pid);
	for (int i = 0; i < cg->ndirs; i++)
		if (cg_write(cg->dir[i].path, "cgroup.procs", v, e) < 0)
			return -1;
	return 0;
}

pid_t cgroup__warm_attach(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct cg_snap sn;
		char dir[PATH_MAX];

		/* Any hierarchy will do: the rwsem is global.  pids is cheap.
		 * "0" is the writer itself, moved into the group it is in. */
		if (cg_snap_read(&sn, &cg_this_machine, NULL) == 0 &&
		    (cg_parent_dir(&sn, "pids", dir, sizeof(dir), NULL) == 0 ||
		     cg_parent_dir(&sn, NULL, dir, sizeof(dir), NULL) == 0))
			cg_write(dir, "cgroup.procs", "0", NULL);
		_exit(0);
	}
	return pid;
}

/* ---- meters ---------------------------------------------------------- */

int cgroup__cpu_usage_ns(struct cgroup *cg, uint64_t *ns, struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_CPUACCT, e);
	int64_t v;

	if (!dir)
		return -1;
	if (cg->v2) {
		uint64_t us;

		if (cg_read_key(dir, "cpu.stat", "usage_usec", &us, e) < 0)
			return -1;
		*ns = us * 1000;
		return 0;
	}
	if (cg_read_i64(dir, "cpuacct.usage", &v, e) < 0)
		return -1;
	*ns = (uint64_t)v;
	return 0;
}

int cgroup__memory(struct cgroup *cg, int64_t *current, int64_t *peak,
		   struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_MEMORY, e);
	const char *cur_f = cg->v2 ? "memory.current" : "memory.usage_in_bytes";
	const char *peak_f =
		cg->v2 ? "memory.peak" : "memory.max_usage_in_bytes";

	if (!dir || cg_read_i64(dir, cur_f, current, e) < 0)
		return -1;
	if (!peak)
		return 0;
	if (!cg_exists(dir, peak_f)) {
		*peak = -1;
		return 0;
	}
	return cg_read_i64(dir, peak_f, peak, e);
}

int cgroup__oom_kills(struct cgroup *cg, uint64_t *count, struct isolab_err *e)
{
	const char *dir = cg_dir_for(cg, C_MEMORY, e);

	if (!dir)
		return -1;
	return cg_read_key(dir, cg->v2 ? "memory.events" : "memory.oom_control",
			   "oom_kill", count, e);
}

int cgroup__pids(struct cgroup *cg, pid_t *pids, size_t max, size_t *n,
		 struct isolab_err *e)
{
	char path[PATH_MAX + 32];
	FILE *f;
	int pid;

	if (cg->ndirs == 0)
		return err__set(e, 0, "cgroup without directories");
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dir[0].path);
	f = fopen(path, "re");
	if (!f)
		return err__set(e, errno, "%s: open", path);
	*n = 0;
	while (fscanf(f, "%d", &pid) == 1) {
		if (*n < max)
			pids[*n] = pid;
		(*n)++;
	}
	fclose(f);
	return 0;
}

/* ---- handing a group to another process ------------------------------ */

int cgroup__describe(const struct cgroup *cg, char *buf, size_t len)
{
	size_t off;
	int n;

	n = snprintf(buf, len, "%s\n", cgroup__mode(cg));
	if (n < 0 || (size_t)n >= len)
		return -1;
	off = (size_t)n;
	for (int i = 0; i < cg->ndirs; i++) {
		char names[128] = "";

		for (size_t c = 0; c < CG_NCONTROLLERS; c++) {
			if (!(cg->dir[i].ctrls & cg_controllers[c].bit))
				continue;
			if (names[0])
				strcat(names, ",");
			strcat(names, cg_controllers[c].name);
		}
		n = snprintf(buf + off, len - off, "%s %s\n", names,
			     cg->dir[i].path);
		if (n < 0 || (size_t)n >= len - off)
			return -1;
		off += (size_t)n;
	}
	return (int)off;
}

int cgroup__open(const char *desc, struct cgroup **out, struct isolab_err *e)
{
	struct cgroup *cg = calloc(1, sizeof(*cg));
	const char *p = desc;

	*out = NULL;
	if (!cg)
		return err__set(e, ENOMEM, "cgroup");
	cg->host = cg_this_machine;
	if (strncmp(p, "v1\n", 3) != 0 && strncmp(p, "v2\n", 3) != 0)
		goto bad;
	cg->v2 = p[1] == '2';
	for (p += 3; *p; p = strchr(p, '\n') + 1) {
		struct cg_dir *d = &cg->dir[cg->ndirs];
		const char *sp = strchr(p, ' '), *nl = strchr(p, '\n');
		char names[128];

		if (!sp || !nl || sp > nl || cg->ndirs == CG_MAX_DIRS ||
		    (size_t)(sp - p) >= sizeof(names) ||
		    (size_t)(nl - sp - 1) >= sizeof(d->path) || sp[1] != '/')
			goto bad;
		memcpy(names, p, (size_t)(sp - p));
		names[sp - p] = '\0';
		memcpy(d->path, sp + 1, (size_t)(nl - sp - 1));
		d->path[nl - sp - 1] = '\0';
		for (size_t c = 0; c < CG_NCONTROLLERS; c++)
			if (cg_in_list(names, cg_controllers[c].name))
				d->ctrls |= cg_controllers[c].bit;
		cg->ndirs++;
	}
	if (cg->ndirs == 0)
		goto bad;
	*out = cg;
	return 0;
bad:
	free(cg);
	return err__set(e, 0, "not a cgroup description");
}

void cgroup__close(struct cgroup *cg)
{
	free(cg);
}

int cgroup__destroy(struct cgroup *cg, struct isolab_err *e)
{
	bool empty = true;
	int rc = 0;

	if (!cg)
		return 0;
	/* The common case, a group whose processes have all exited and
	 * that has no sub-groups: one rmdir per hierarchy. */
	for (int i = 0; i < cg->ndirs; i++)
		if (cg->host.rmdir(cg->dir[i].path) < 0 && errno != ENOENT)
			empty = false;
	if (empty) {
		free(cg);
		return 0;
	}
	/* Otherwise kill everywhere first, so that no hierarchy waits on
	 * another, then remove the trees. */
	for (int i = 0; i < cg->ndirs; i++)
		cg_kill_all(cg->dir[i].path);
	for (int i = 0; i < cg->ndirs; i++)
		if (cg_remove_tree(&cg->host, cg->dir[i].path, rc ? NULL : e) <
		    0)
			rc = -1;
	free(cg);
	return rc;
}
