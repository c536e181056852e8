/*
 * spec.c - The container description and its defaults (see spec.h).
 *
 * The defaults are Docker's and runc's: what `docker run` gives a
 * container unless told otherwise.  Each is a line of the lecture's list
 * of what a container runtime sets up.
 */
#define _GNU_SOURCE
#include "spec.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "caps.h"

/* runc's default masked paths (libcontainer/specconv/example.go): files
 * that leak the host's kernel state or let a process poke the kernel. */
static const char *const default_masked[] = {
	"/proc/acpi",
	"/proc/asound",
	"/proc/kcore",
	"/proc/keys",
	"/proc/latency_stats",
	"/proc/timer_list",
	"/proc/timer_stats",
	"/proc/sched_debug",
	"/proc/scsi",
	"/sys/firmware",
	"/sys/devices/virtual/powercap",
	NULL,
};

/* runc's default read-only paths. */
static const char *const default_readonly[] = {
	"/proc/bus",	       "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

static const char *const default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	NULL,
};

/* The mounts every container gets, as in `crun spec` (less its cgroup
 * mount, which on a v1 machine would need one mount per hierarchy). */
static int spec_default_mounts(struct mc_spec *s, struct isolab_err *e)
{
	const unsigned long nse = MS_NOSUID | MS_NODEV | MS_NOEXEC;

	if (spec__add_mount(s, "proc", "proc", "/proc", nse, NULL, false, false,
			    e) < 0 ||
	    spec__add_mount(s, "tmpfs", "tmpfs", "/dev",
			    MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k",
			    false, false, e) < 0 ||
	    spec__add_mount(s, "devpts", "devpts", "/dev/pts",
			    MS_NOSUID | MS_NOEXEC,
			    "newinstance,ptmxmode=0666,mode=0620", false, false,
			    e) < 0 ||
	    spec__add_mount(s, "tmpfs", "shm", "/dev/shm", nse,
			    "mode=1777,size=65536k", false, false, e) < 0 ||
	    spec__add_mount(s, "mqueue", "mqueue", "/dev/mqueue", nse, NULL,
			    false, false, e) < 0 ||
	    spec__add_mount(s, "sysfs", "sysfs", "/sys", nse | MS_RDONLY, NULL,
			    false, false, e) < 0)
		return -1;
	return 0;
}

struct mc_spec *spec__create(void)
{
	struct mc_spec *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->clone_flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS |
			 CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP;
	s->net = MC_NET_LOOPBACK;
	s->no_new_privs = true;
	s->cap_bounding = s->cap_effective = s->cap_permitted =
		caps__docker_default();
	s->memory = -1;
	s->cpu_quota = -1;
	s->pids = -1;
	s->seccomp = seccomp__default();
	if (!s->seccomp || spec_default_mounts(s, NULL) < 0 ||
	    spec__set_list(&s->masked_paths, default_masked, NULL) < 0 ||
	    spec__set_list(&s->readonly_paths, default_readonly, NULL) < 0 ||
	    spec__set_list(&s->env, default_env, NULL) < 0 ||
	    !(s->cwd = strdup("/"))) {
		spec__destroy(s);
		return NULL;
	}
	return s;
}

static void spec_free_list(char **l)
{
	for (size_t i = 0; l && l[i]; i++)
		free(l[i]);
	free(l);
}

void spec__clear_mounts(struct mc_spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		free(s->mounts[i].type);
		free(s->mounts[i].source);
		free(s->mounts[i].destination);
		free(s->mounts[i].data);
	}
	free(s->mounts);
	s->mounts = NULL;
	s->nmounts = 0;
}

void spec__destroy(struct mc_spec *s)
{
	if (!s)
		return;
	free(s->name);
	free(s->rootfs);
	free(s->hostname);
	spec_free_list(s->argv);
	spec_free_list(s->env);
	free(s->cwd);
	spec__clear_mounts(s);
	spec_free_list(s->masked_paths);
	spec_free_list(s->readonly_paths);
	seccomp__destroy(s->seccomp);
	free(s->cpuset_cpus);
	free(s->stats_path);
	free(s);
}

static char *spec_dup(const char *str)
{
	return str ? strdup(str) : NULL;
}

int spec__add_mount(struct mc_spec *s, const char *type, const char *source,
		    const char *destination, unsigned long flags,
		    const char *data, bool bind, bool readonly,
		    struct isolab_err *e)
{
	struct mc_mount *m =
		realloc(s->mounts, (s->nmounts + 1) * sizeof(*s->mounts));

	if (!m)
		return err__set(e, ENOMEM, "mount %s", destination);
	s->mounts = m;
	m = &s->mounts[s->nmounts];
	memset(m, 0, sizeof(*m));
	m->type = spec_dup(type);
	m->source = spec_dup(source);
	m->destination = spec_dup(destination);
	m->data = spec_dup(data);
	m->flags = flags;
	m->bind = bind;
	m->readonly = readonly;
	s->nmounts++;
	if (!m->type || !m->destination || (source && !m->source) ||
	    (data && !m->data))
		return err__set(e, ENOMEM, "mount %s", destination);
	return 0;
}

int spec__set_list(char ***dst, const char *const *src, struct isolab_err *e)
{
	size_t n = 0;
	char **l;

	while (src && src[n])
		n++;
	l = calloc(n + 1, sizeof(*l));
	if (!l)
		return err__set(e, ENOMEM, "list");
	for (size_t i = 0; i < n; i++) {
		l[i] = strdup(src[i]);
		if (!l[i]) {
			spec_free_list(l);
			return err__set(e, ENOMEM, "list");
		}
	}
	spec_free_list(*dst);
	*dst = l;
	return 0;
}

int spec__list_add(char ***list, const char *item, struct isolab_err *e)
{
	size_t n = 0;
	char **l;

	while (*list && (*list)[n])
		n++;
	l = realloc(*list, (n + 2) * sizeof(*l));
	if (!l)
		return err__set(e, ENOMEM, "list");
	*list = l;
	l[n] = strdup(item);
	l[n + 1] = NULL;
	return l[n] ? 0 : err__set(e, ENOMEM, "list");
}

int spec__setenv(struct mc_spec *s, const char *kv, struct isolab_err *e)
{
	const char *eq = strchr(kv, '=');
	size_t klen;

	if (!eq || eq == kv)
		return err__set(e, 0, "%s: not K=V", kv);
	klen = (size_t)(eq - kv) + 1;
	for (size_t i = 0; s->env && s->env[i]; i++) {
		if (strncmp(s->env[i], kv, klen) == 0) {
			char *d = strdup(kv);

			if (!d)
				return err__set(e, ENOMEM, "%s", kv);
			free(s->env[i]);
			s->env[i] = d;
			return 0;
		}
	}
	return spec__list_add(&s->env, kv, e);
}

int spec__parse_size(const char *str, const char *what, int64_t *bytes,
		     struct isolab_err *e)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	if (!str || !*str || *str == '-' || *str == '+' || *str == ' ')
		goto bad;
	errno = 0;
	v = strtoull(str, &end, 10);
	if (errno || end == str)
		goto bad;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	case '\0': break;
	default: goto bad;
	}
	if ((*end == 'b' || *end == 'B') && shift)
		end++;
	if (*end || v > (unsigned long long)INT64_MAX >> shift)
		goto bad;
	*bytes = (int64_t)(v << shift);
	return 0;
bad:
	return err__set(e, 0,
			"%s: \"%s\" is not a size (a number of bytes, "
			"or with K, M or G)",
			what, str ? str : "");
}
