/*
 * oci.c - Reading an OCI runtime-spec bundle's config.json into a spec.
 *
 * An OCI bundle is a directory with config.json and a root filesystem:
 * what Docker, Podman and Kubernetes hand to runc or crun.  We read the
 * subset listed in the README (the fields `crun spec` writes and the
 * resources, seccomp, user namespace and mount fields around them).
 * The rule for what we do not read: a field whose absence only loses a
 * convenience gets a warning naming it; a field whose absence would make
 * the container less isolated than asked (an unknown namespace, a seccomp
 * action, a namespace path to join) is an error.
 */
#define _GNU_SOURCE
#include "oci.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "seccomp.h"

/* Where the parse is, for messages: "BUNDLE/config.json". */
struct oci_ctx {
	const char *file;
	struct mc_spec *s;
	bool quiet;
};

static void oci_warn(const struct oci_ctx *c, const char *field,
		     const char *why)
{
	if (!c->quiet)
		fprintf(stderr, "mini-container: warning: %s: %s: %s\n",
			c->file, field, why);
}

static int oci_bad(const struct oci_ctx *c, struct isolab_err *e,
		   const char *field, const char *what)
{
	return err__set(e, 0, "%s: %s: %s", c->file, field, what);
}

/* Warn about every key of obj not in known (NULL-terminated). */
static void oci_unknown_keys(const struct oci_ctx *c, json_t *obj,
			     const char *prefix, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v)
	{
		bool ok = false;
		char field[128];

		for (size_t i = 0; known[i] && !ok; i++)
			ok = strcmp(key, known[i]) == 0;
		if (ok)
			continue;
		snprintf(field, sizeof(field), "%s%s", prefix, key);
		oci_warn(c, field, "not supported, ignored");
	}
}

/* A JSON array of strings into a NULL-terminated list.  Returns 0 or -1. */
static int oci_strings(const struct oci_ctx *c, json_t *arr, const char *field,
		       bool nonempty, char ***out, struct isolab_err *e)
{
	const char **tmp;
	json_t *v;
	size_t i;
	int rc;

	if (!json_is_array(arr) || (nonempty && json_array_size(arr) == 0))
		return oci_bad(c, e, field,
			       nonempty ? "must be a non-empty array of strings"
					: "must be an array of strings");
	tmp = calloc(json_array_size(arr) + 1, sizeof(*tmp));
	if (!tmp)
		return err__set(e, ENOMEM, "%s", field);
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v)) {
			free(tmp);
			return oci_bad(c, e, field,
				       "must be an array of strings");
		}
		tmp[i] = json_string_value(v);
	}
	rc = spec__set_list(out, tmp, e);
	free(tmp);
	return rc;
}

/* Capability names into a mask.  Returns 0 or -1. */
static int oci_caps(const struct oci_ctx *c, json_t *arr, const char *field,
		    uint64_t *mask, struct isolab_err *e)
{
	json_t *v;
	size_t i;

	*mask = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return oci_bad(c, e, field, "must be an array of strings");
	json_array_foreach(arr, i, v)
	{
		int n = json_is_string(v)
				? caps__from_name(json_string_value(v))
				: -1;

		if (n < 0) {
			char what[160];

			snprintf(what, sizeof(what), "unknown capability %s",
				 json_is_string(v) ? json_string_value(v)
						   : "(not a string)");
			return oci_bad(c, e, field, what);
		}
		*mask |= 1ull << n;
	}
	return 0;
}

static int oci_rlimit_type(const char *name)
{
	static const struct {
		const char *name;
		int res;
	} t[] = {
		{"RLIMIT_AS", RLIMIT_AS},
		{"RLIMIT_CORE", RLIMIT_CORE},
		{"RLIMIT_CPU", RLIMIT_CPU},
		{"RLIMIT_DATA", RLIMIT_DATA},
		{"RLIMIT_FSIZE", RLIMIT_FSIZE},
		{"RLIMIT_LOCKS", RLIMIT_LOCKS},
		{"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
		{"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
		{"RLIMIT_NICE", RLIMIT_NICE},
		{"RLIMIT_NOFILE", RLIMIT_NOFILE},
		{"RLIMIT_NPROC", RLIMIT_NPROC},
		{"RLIMIT_RSS", RLIMIT_RSS},
		{"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
		{"RLIMIT_RTTIME", RLIMIT_RTTIME},
		{"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
		{"RLIMIT_STACK", RLIMIT_STACK},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].res;
	return -1;
}

/* process.user: uid, gid, additionalGids.  Returns 0 or -1. */
static int oci_user(const struct oci_ctx *c, json_t *user, struct isolab_err *e)
{
	json_t *uid = json_object_get(user, "uid"),
	       *gid = json_object_get(user, "gid"),
	       *ag = json_object_get(user, "additionalGids"), *v;
	struct mc_spec *s = c->s;
	size_t i;

	if (!json_is_integer(uid) || !json_is_integer(gid) ||
	    json_integer_value(uid) < 0 || json_integer_value(gid) < 0)
		return oci_bad(c, e, "process.user",
			       "uid and gid must be integers >= 0");
	s->uid = (uid_t)json_integer_value(uid);
	s->gid = (gid_t)json_integer_value(gid);
	if (ag && (!json_is_array(ag) || json_array_size(ag) > MC_MAX_GROUPS))
		return oci_bad(c, e, "process.user.additionalGids",
			       "must be an array of at most 32 gids");
	json_array_foreach(ag, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return oci_bad(c, e, "process.user.additionalGids",
				       "must hold integers >= 0");
		s->groups[s->ngroups++] = (gid_t)json_integer_value(v);
	}
	return 0;
}

/* process.capabilities: the five sets by name (absent: none at all).
 * Returns 0 or -1. */
static int oci_capabilities(const struct oci_ctx *c, json_t *caps,
			    struct isolab_err *e)
{
	static const char *const sets[] = {"bounding", "effective", "permitted",
					   "inheritable", "ambient"};
	struct mc_spec *s = c->s;
	uint64_t *masks[] = {&s->cap_bounding, &s->cap_effective,
			     &s->cap_permitted, &s->cap_inheritable,
			     &s->cap_ambient};

	for (size_t i = 0; i < 5; i++) {
		char field[64];

		snprintf(field, sizeof(field), "process.capabilities.%s",
			 sets[i]);
		if (oci_caps(c, json_object_get(caps, sets[i]), field, masks[i],
			     e) < 0)
			return -1;
	}
	return 0;
}

/* process.rlimits.  Returns 0 or -1. */
static int oci_rlimits(const struct oci_ctx *c, json_t *rl,
		       struct isolab_err *e)
{
	struct mc_spec *s = c->s;
	json_t *v;
	size_t i;

	if (rl && (!json_is_array(rl) || json_array_size(rl) > MC_MAX_RLIMITS))
		return oci_bad(c, e, "process.rlimits",
			       "must be an array of at most 16 limits");
	json_array_foreach(rl, i, v)
	{
		json_t *t = json_object_get(v, "type"),
		       *hard = json_object_get(v, "hard"),
		       *soft = json_object_get(v, "soft");
		int res = json_is_string(t)
				  ? oci_rlimit_type(json_string_value(t))
				  : -1;

		if (res < 0 || !json_is_integer(hard) || !json_is_integer(soft))
			return oci_bad(
				c, e, "process.rlimits",
				"each needs a known type (RLIMIT_NOFILE, "
				"...) and integer hard and soft");
		s->rlimits[s->nrlimits].resource = res;
		s->rlimits[s->nrlimits].hard =
			(uint64_t)json_integer_value(hard);
		s->rlimits[s->nrlimits].soft =
			(uint64_t)json_integer_value(soft);
		s->nrlimits++;
	}
	return 0;
}

static int oci_process(const struct oci_ctx *c, json_t *p, struct isolab_err *e)
{
	static const char *const known[] = {
		"terminal", "user",	    "args",    "env",
		"cwd",	    "capabilities", "rlimits", "noNewPrivileges",
		NULL,
	};
	struct mc_spec *s = c->s;
	json_t *cwd;

	if (!json_is_object(p))
		return oci_bad(c, e, "process", "missing or not an object");
	oci_unknown_keys(c, p, "process.", known);
	if (json_is_true(json_object_get(p, "terminal")))
		oci_warn(c, "process.terminal",
			 "true is not supported; running without a terminal");
	if (oci_strings(c, json_object_get(p, "args"), "process.args", true,
			&s->argv, e) < 0)
		return -1;
	if (json_object_get(p, "env") &&
	    oci_strings(c, json_object_get(p, "env"), "process.env", false,
			&s->env, e) < 0)
		return -1;
	cwd = json_object_get(p, "cwd");
	if (!json_is_string(cwd) || json_string_value(cwd)[0] != '/')
		return oci_bad(c, e, "process.cwd", "must be an absolute path");
	free(s->cwd);
	s->cwd = strdup(json_string_value(cwd));
	if ((json_object_get(p, "user") &&
	     oci_user(c, json_object_get(p, "user"), e) < 0) ||
	    oci_capabilities(c, json_object_get(p, "capabilities"), e) < 0 ||
	    oci_rlimits(c, json_object_get(p, "rlimits"), e) < 0)
		return -1;
	s->no_new_privs = json_is_true(json_object_get(p, "noNewPrivileges"));
	return 0;
}

/* Mount options into flags (ro, nosuid, ...) and data (mode=755, ...). */
static int oci_mount_options(const struct oci_ctx *c, json_t *opts,
			     unsigned long *flags, bool *bind, char *data,
			     size_t len, struct isolab_err *e)
{
	static const struct {
		const char *name;
		unsigned long set, clear;
	} f[] = {
		{"ro", MS_RDONLY, 0},
		{"rw", 0, MS_RDONLY},
		{"nosuid", MS_NOSUID, 0},
		{"suid", 0, MS_NOSUID},
		{"nodev", MS_NODEV, 0},
		{"dev", 0, MS_NODEV},
		{"noexec", MS_NOEXEC, 0},
		{"exec", 0, MS_NOEXEC},
		{"relatime", MS_RELATIME, 0},
		{"norelatime", 0, MS_RELATIME},
		{"strictatime", MS_STRICTATIME, 0},
		{"noatime", MS_NOATIME, 0},
		{"sync", MS_SYNCHRONOUS, 0},
		{"rbind", MS_BIND | MS_REC, 0},
		{"bind", MS_BIND, 0},
		/* propagation of the container's own mounts: all private */
		{"private", 0, 0},
		{"rprivate", 0, 0},
		{"slave", 0, 0},
		{"rslave", 0, 0},
		{"shared", 0, 0},
		{"rshared", 0, 0},
	};
	json_t *v;
	size_t i;

	*data = '\0';
	if (opts && !json_is_array(opts))
		return oci_bad(c, e, "mounts[].options",
			       "must be an array of strings");
	json_array_foreach(opts, i, v)
	{
		const char *o = json_string_value(v);
		bool known = false;

		if (!o)
			return oci_bad(c, e, "mounts[].options",
				       "must be an array of strings");
		for (size_t k = 0; k < sizeof(f) / sizeof(f[0]) && !known; k++)
			if (strcmp(o, f[k].name) == 0) {
				*flags = (*flags | f[k].set) & ~f[k].clear;
				known = true;
			}
		if (known)
			continue;
		/* Anything else is the file system's own (mode=, size=). */
		if (strlen(data) + strlen(o) + 2 > len)
			return oci_bad(c, e, "mounts[].options", "too long");
		if (*data)
			strcat(data, ",");
		strcat(data, o);
	}
	*bind = *flags & MS_BIND;
	return 0;
}

static int oci_mounts(const struct oci_ctx *c, json_t *mounts,
		      const char *bundle, struct isolab_err *e)
{
	static const char *const types[] = {
		"proc",	  "sysfs", "tmpfs",  "devpts",
		"mqueue", "bind",  "cgroup", NULL,
	};
	json_t *m;
	size_t i;

	spec__clear_mounts(c->s);
	if (!mounts)
		return 0;
	if (!json_is_array(mounts))
		return oci_bad(c, e, "mounts", "must be an array");
	json_array_foreach(mounts, i, m)
	{
		json_t *dst = json_object_get(m, "destination"),
		       *type = json_object_get(m, "type"),
		       *src = json_object_get(m, "source");
		char field[64], data[512], source[PATH_MAX];
		unsigned long flags = 0;
		bool bind = false, ok = false;
		const char *t;

		snprintf(field, sizeof(field), "mounts[%zu]", i);
		if (!json_is_string(dst) || json_string_value(dst)[0] != '/')
			return oci_bad(c, e, field,
				       "destination must be an "
				       "absolute path");
		if ((type && !json_is_string(type)) ||
		    (src && !json_is_string(src)))
			return oci_bad(c, e, field,
				       "type and source must be "
				       "strings");
		if (oci_mount_options(c, json_object_get(m, "options"), &flags,
				      &bind, data, sizeof(data), e) < 0)
			return -1;
		t = type ? json_string_value(type) : "bind";
		for (size_t k = 0; types[k] && !ok; k++)
			ok = strcmp(types[k], t) == 0;
		if (!ok && !bind) {
			char what[96];

			snprintf(what, sizeof(what),
				 "unsupported mount type "
				 "\"%s\"",
				 t);
			return oci_bad(c, e, field, what);
		}
		bind = bind || strcmp(t, "bind") == 0;
		if (bind && !src)
			return oci_bad(c, e, field,
				       "a bind mount needs a source");
		/* A relative bind source is relative to the bundle. */
		snprintf(source, sizeof(source), "%s%s%s",
			 bind && src && json_string_value(src)[0] != '/'
				 ? bundle
				 : "",
			 bind && src && json_string_value(src)[0] != '/' ? "/"
									 : "",
			 src ? json_string_value(src) : t);
		if (spec__add_mount(
			    c->s, t, source, json_string_value(dst),
			    flags & ~(unsigned long)(bind ? MS_BIND : 0),
			    *data ? data : NULL, bind,
			    bind && (flags & MS_RDONLY), e) < 0)
			return -1;
	}
	return 0;
}

static int oci_namespaces(const struct oci_ctx *c, json_t *ns,
			  struct isolab_err *e)
{
	static const struct {
		const char *type;
		int flag;
	} t[] = {
		{"pid", CLONE_NEWPID},	     {"network", CLONE_NEWNET},
		{"mount", CLONE_NEWNS},	     {"ipc", CLONE_NEWIPC},
		{"uts", CLONE_NEWUTS},	     {"user", CLONE_NEWUSER},
		{"cgroup", CLONE_NEWCGROUP},
	};
	json_t *v;
	size_t i;

	c->s->clone_flags = 0;
	if (!json_is_array(ns))
		return oci_bad(c, e, "linux.namespaces", "must be an array");
	json_array_foreach(ns, i, v)
	{
		const char *type =
			json_string_value(json_object_get(v, "type"));
		int flag = 0;

		if (json_object_get(v, "path"))
			return oci_bad(c, e, "linux.namespaces[].path",
				       "joining an existing namespace is not "
				       "supported");
		for (size_t k = 0; type && k < sizeof(t) / sizeof(t[0]); k++)
			if (strcmp(t[k].type, type) == 0)
				flag = t[k].flag;
		if (!flag) {
			char what[96];

			snprintf(what, sizeof(what),
				 "unknown namespace type "
				 "\"%s\"",
				 type ? type : "(not a string)");
			return oci_bad(c, e, "linux.namespaces", what);
		}
		c->s->clone_flags |= flag;
	}
	if (!(c->s->clone_flags & CLONE_NEWNS))
		return oci_bad(c, e, "linux.namespaces",
			       "a mount namespace is required (pivot_root "
			       "happens in it)");
	c->s->net = (c->s->clone_flags & CLONE_NEWNET) ? MC_NET_LOOPBACK
						       : MC_NET_HOST;
	return 0;
}

static int oci_idmaps(const struct oci_ctx *c, json_t *arr, const char *field,
		      struct mc_idmap *maps, size_t *n, struct isolab_err *e)
{
	json_t *v;
	size_t i;

	*n = 0;
	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > MC_MAX_IDMAPS)
		return oci_bad(c, e, field,
			       "must be an array of at most 8 "
			       "mappings");
	json_array_foreach(arr, i, v)
	{
		json_t *cid = json_object_get(v, "containerID"),
		       *hid = json_object_get(v, "hostID"),
		       *size = json_object_get(v, "size");

		if (!json_is_integer(cid) || !json_is_integer(hid) ||
		    !json_is_integer(size) || json_integer_value(size) <= 0)
			return oci_bad(c, e, field,
				       "each needs integer "
				       "containerID, hostID, size");
		maps[i].inside = (uint32_t)json_integer_value(cid);
		maps[i].outside = (uint32_t)json_integer_value(hid);
		maps[i].count = (uint32_t)json_integer_value(size);
		(*n)++;
	}
	return 0;
}

/* An integer field that may also be written as a size string ("64M"). */
static int oci_size(const struct oci_ctx *c, json_t *v, const char *field,
		    int64_t *out, struct isolab_err *e)
{
	char what[PATH_MAX + 64];

	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_string(v)) {
		snprintf(what, sizeof(what), "%s: %s", c->file, field);
		return spec__parse_size(json_string_value(v), what, out, e);
	}
	return oci_bad(c, e, field, "must be an integer");
}

/* Is devices absent or exactly [{"allow": false, "access": "rwm"}], the
 * deny-all that runc and crun complete with their default list (as we
 * do)? */
static bool oci_devices_deny_all(json_t *devices)
{
	json_t *d;

	if (!devices)
		return true;
	if (!json_is_array(devices) || json_array_size(devices) != 1)
		return false;
	d = json_array_get(devices, 0);
	return json_is_false(json_object_get(d, "allow")) &&
	       json_object_size(d) <= 2 &&
	       (!json_object_get(d, "access") ||
		(json_is_string(json_object_get(d, "access")) &&
		 strcmp(json_string_value(json_object_get(d, "access")),
			"rwm") == 0));
}

static int oci_resources(const struct oci_ctx *c, json_t *r,
			 struct isolab_err *e)
{
	static const char *const known[] = {"memory", "cpu", "pids", "devices",
					    NULL};
	json_t *mem = json_object_get(r, "memory"),
	       *cpu = json_object_get(r, "cpu"),
	       *pids = json_object_get(r, "pids"), *v;
	struct mc_spec *s = c->s;

	if (!json_is_object(r))
		return oci_bad(c, e, "linux.resources", "must be an object");
	oci_unknown_keys(c, r, "linux.resources.", known);
	if (!oci_devices_deny_all(json_object_get(r, "devices")))
		oci_warn(c, "linux.resources.devices",
			 "rules other than deny-all are not read; runc's "
			 "default device list applies (null, zero, full, "
			 "random, urandom, tty, console, ptmx, pts, tun)");
	if ((v = json_object_get(mem, "limit")) &&
	    oci_size(c, v, "linux.resources.memory.limit", &s->memory, e) < 0)
		return -1;
	if ((v = json_object_get(cpu, "shares"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 2)
			return oci_bad(c, e, "linux.resources.cpu.shares",
				       "must be an integer >= 2");
		s->cpu_shares = (uint64_t)json_integer_value(v);
	}
	if ((v = json_object_get(cpu, "quota"))) {
		if (!json_is_integer(v))
			return oci_bad(c, e, "linux.resources.cpu.quota",
				       "must be an integer");
		s->cpu_quota = json_integer_value(v);
	}
	if ((v = json_object_get(cpu, "period"))) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return oci_bad(c, e, "linux.resources.cpu.period",
				       "must be a positive integer");
		s->cpu_period = (uint64_t)json_integer_value(v);
	}
	if ((v = json_object_get(cpu, "cpus"))) {
		if (!json_is_string(v))
			return oci_bad(c, e, "linux.resources.cpu.cpus",
				       "must be a string like \"0-1\"");
		s->cpuset_cpus = strdup(json_string_value(v));
	}
	if ((v = json_object_get(pids, "limit"))) {
		if (!json_is_integer(v))
			return oci_bad(c, e, "linux.resources.pids.limit",
				       "must be an integer");
		s->pids =
			json_integer_value(v) <= 0 ? -1 : json_integer_value(v);
	}
	return 0;
}

static int oci_linux(const struct oci_ctx *c, json_t *l, struct isolab_err *e)
{
	static const char *const known[] = {
		"namespaces", "uidMappings", "gidMappings",   "resources",
		"seccomp",    "maskedPaths", "readonlyPaths", NULL,
	};
	struct mc_spec *s = c->s;
	json_t *v;
	char where[PATH_MAX + 32];

	if (!json_is_object(l))
		return oci_bad(c, e, "linux", "missing or not an object");
	oci_unknown_keys(c, l, "linux.", known);
	if (oci_namespaces(c, json_object_get(l, "namespaces"), e) < 0 ||
	    oci_idmaps(c, json_object_get(l, "uidMappings"),
		       "linux.uidMappings", s->uid_maps, &s->nuid_maps,
		       e) < 0 ||
	    oci_idmaps(c, json_object_get(l, "gidMappings"),
		       "linux.gidMappings", s->gid_maps, &s->ngid_maps, e) < 0)
		return -1;
	if ((s->clone_flags & CLONE_NEWUSER) &&
	    (s->nuid_maps == 0 || s->ngid_maps == 0))
		return oci_bad(c, e, "linux.uidMappings",
			       "a user namespace needs uid and gid mappings");
	if ((v = json_object_get(l, "resources")) && oci_resources(c, v, e) < 0)
		return -1;
	seccomp__destroy(s->seccomp);
	s->seccomp = NULL;
	snprintf(where, sizeof(where), "%s: linux.seccomp", c->file);
	if ((v = json_object_get(l, "seccomp")) &&
	    seccomp__from_json(v, where, c->quiet, &s->seccomp, e) < 0)
		return -1;
	spec__set_list(&s->masked_paths, NULL, NULL);
	spec__set_list(&s->readonly_paths, NULL, NULL);
	if ((v = json_object_get(l, "maskedPaths")) &&
	    oci_strings(c, v, "linux.maskedPaths", false, &s->masked_paths, e) <
		    0)
		return -1;
	if ((v = json_object_get(l, "readonlyPaths")) &&
	    oci_strings(c, v, "linux.readonlyPaths", false, &s->readonly_paths,
			e) < 0)
		return -1;
	return 0;
}

/* ---- one parse's memory ----------------------------------------------- */

/*
 * config.json and everything jansson makes of it live in one arena: a
 * private mapping that is bump-allocated and unmapped whole after the
 * parse.  Why: parsed into the ordinary heap, the ~1,500 small blocks of
 * a `crun spec`-sized config.json, freed, leave the heap fragmented, and
 * the runtime then forks twice (the warm-attach helper and the container):
 * every later malloc in any of the three processes walks and merges those
 * free blocks, and every page it touches is a copy-on-write fault.  That,
 * with malloc's own work, made a bundle start 1-2 ms slower than the same
 * container from the command line.  With the arena the heap after a
 * bundle is the heap after the command line.
 *
 * jansson's allocator hooks (json_set_alloc_funcs) take no context, so
 * the arena in use is a file-scope pointer, set only inside oci_parse.
 */
struct oci_arena {
	char *base;
	size_t used, cap;
};

static struct oci_arena *oci_arena_now;

static void *oci_arena_alloc(size_t n)
{
	struct oci_arena *a = oci_arena_now;
	void *p;

	n = (n + 15) & ~(size_t)15; /* malloc's alignment */
	if (!a || n > a->cap - a->used)
		return NULL; /* jansson reports "out of memory" */
	p = a->base + a->used;
	a->used += n;
	return p;
}

static void oci_arena_free(void *p)
{
	(void)p; /* the whole arena goes at once */
}

/* Parse the file at path with jansson, in an arena (see above): the
 * caller's fn reads the JSON tree, which is gone when this returns.
 * Returns fn's result, or -1 with e filled (unreadable file, syntax
 * error). */
static int oci_parse(const char *path,
		     int (*fn)(json_t *cfg, void *arg, struct isolab_err *e),
		     void *arg, struct isolab_err *e)
{
	json_malloc_t old_malloc;
	json_free_t old_free;
	struct oci_arena a = {NULL, 0, 0};
	struct stat st;
	json_error_t je;
	json_t *cfg;
	ssize_t n;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = err__set(e, errno, "%s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
		rc = err__set(e, 0, "%s: not a regular file of at most 64 MiB",
			      path);
		goto out;
	}
	/* The text, then jansson's tree: a JSON text of n bytes makes at
	 * most ~70 n bytes of objects ("[{},{},...]"); untouched pages of
	 * the reservation cost nothing (MAP_NORESERVE). */
	a.cap = (size_t)st.st_size * 128 + (1 << 20);
	a.base = mmap(NULL, a.cap, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (a.base == MAP_FAILED) {
		a.base = NULL;
		rc = err__set(e, errno, "%s: memory for the parse", path);
		goto out;
	}
	/* Read whole, then parse: json_load_file reads a character at a
	 * time, a measurable part of a container's start. */
	n = read(fd, a.base, (size_t)st.st_size);
	if (n != st.st_size) {
		rc = err__set(e, n < 0 ? errno : 0, "%s: short read", path);
		goto out;
	}
	a.used = ((size_t)n + 16) & ~(size_t)15;
	json_get_alloc_funcs(&old_malloc, &old_free);
	oci_arena_now = &a;
	json_set_alloc_funcs(oci_arena_alloc, oci_arena_free);
	cfg = json_loadb(a.base, (size_t)n, 0, &je);
	if (!cfg && je.line < 0)
		rc = err__set(e, 0, "%s: %s", path, je.text);
	else if (!cfg)
		rc = err__set(e, 0, "%s: line %d column %d: %s", path, je.line,
			      je.column, je.text);
	else
		rc = fn(cfg, arg, e);
	json_decref(cfg);
	json_set_alloc_funcs(old_malloc, old_free);
	oci_arena_now = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (a.base)
		munmap(a.base, a.cap);
	return rc;
}

/* What oci__load passes through oci_parse to oci_config. */
struct oci_load {
	struct oci_ctx c;
	const char *bundle;
};

/* The top level of config.json into the spec.  Returns 0 or -1. */
static int oci_config(json_t *cfg, void *arg, struct isolab_err *e)
{
	static const char *const known[] = {
		"ociVersion", "process", "root",	"hostname",
		"mounts",     "linux",	 "annotations", NULL,
	};
	struct oci_load *l = arg;
	const struct oci_ctx *c = &l->c;
	struct mc_spec *s = c->s;
	char rootfs[PATH_MAX * 2];
	json_t *root, *path, *ver, *host;

	if (!json_is_object(cfg))
		return oci_bad(c, e, "(top level)", "must be a JSON object");
	oci_unknown_keys(c, cfg, "", known);
	ver = json_object_get(cfg, "ociVersion");
	if (!json_is_string(ver))
		return oci_bad(c, e, "ociVersion", "missing or not a string");
	if (strncmp(json_string_value(ver), "1.", 2) != 0)
		oci_warn(c, "ociVersion", "not a 1.x version; read as 1.0");
	root = json_object_get(cfg, "root");
	path = json_object_get(root, "path");
	if (!json_is_string(path))
		return oci_bad(c, e, "root.path", "missing or not a string");
	snprintf(rootfs, sizeof(rootfs), "%s%s%s",
		 json_string_value(path)[0] == '/' ? "" : l->bundle,
		 json_string_value(path)[0] == '/' ? "" : "/",
		 json_string_value(path));
	free(s->rootfs);
	s->rootfs = strdup(rootfs);
	s->readonly = json_is_true(json_object_get(root, "readonly"));
	host = json_object_get(cfg, "hostname");
	if (host && !json_is_string(host))
		return oci_bad(c, e, "hostname", "must be a string");
	if (host) {
		free(s->hostname);
		s->hostname = strdup(json_string_value(host));
	}
	if (oci_process(c, json_object_get(cfg, "process"), e) < 0 ||
	    oci_mounts(c, json_object_get(cfg, "mounts"), l->bundle, e) < 0 ||
	    oci_linux(c, json_object_get(cfg, "linux"), e) < 0)
		return -1;
	return 0;
}

int oci__load(const char *bundle, struct mc_spec *s, bool quiet,
	      struct isolab_err *e)
{
	char file[PATH_MAX];
	struct oci_load l = {{file, s, quiet}, bundle};

	snprintf(file, sizeof(file), "%s/config.json", bundle);
	return oci_parse(file, oci_config, &l, e);
}

/* ---- the other way: a spec as config.json ------------------------------ */

static json_t *oci_caps_json(uint64_t mask)
{
	json_t *a = json_array();

	for (int c = 0; c < 64; c++)
		if ((mask >> c & 1) && caps__name(c))
			json_array_append_new(a, json_string(caps__name(c)));
	return a;
}

static json_t *oci_strings_json(char *const *l)
{
	json_t *a = json_array();

	for (size_t i = 0; l && l[i]; i++)
		json_array_append_new(a, json_string(l[i]));
	return a;
}

static json_t *oci_mount_json(const struct mc_mount *m)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} f[] = {
		{MS_RDONLY, "ro"},
		{MS_NOSUID, "nosuid"},
		{MS_NODEV, "nodev"},
		{MS_NOEXEC, "noexec"},
		{MS_STRICTATIME, "strictatime"},
		{MS_RELATIME, "relatime"},
		{MS_NOATIME, "noatime"},
	};
	json_t *o = json_object(), *opts = json_array();
	char data[512], *save = NULL, *d;

	json_object_set_new(o, "destination", json_string(m->destination));
	json_object_set_new(o, "type", json_string(m->bind ? "bind" : m->type));
	json_object_set_new(o, "source",
			    json_string(m->source ? m->source : m->type));
	if (m->bind)
		json_array_append_new(
			opts,
			json_string(m->flags & MS_REC ? "rbind" : "bind"));
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if ((m->flags & f[i].flag) ||
		    (f[i].flag == MS_RDONLY && m->readonly))
			json_array_append_new(opts, json_string(f[i].name));
	snprintf(data, sizeof(data), "%s", m->data ? m->data : "");
	for (d = strtok_r(data, ",", &save); d; d = strtok_r(NULL, ",", &save))
		json_array_append_new(opts, json_string(d));
	json_object_set_new(o, "options", opts);
	return o;
}

static json_t *oci_resources_json(const struct mc_spec *s)
{
	json_t *r = json_object(), *cpu = json_object();

	if (s->memory >= 0)
		json_object_set_new(
			r, "memory",
			json_pack("{s:I}", "limit", (json_int_t)s->memory));
	if (s->cpu_shares)
		json_object_set_new(cpu, "shares",
				    json_integer((json_int_t)s->cpu_shares));
	if (s->cpu_quota >= 0)
		json_object_set_new(cpu, "quota", json_integer(s->cpu_quota));
	if (s->cpu_period)
		json_object_set_new(cpu, "period",
				    json_integer((json_int_t)s->cpu_period));
	if (s->cpuset_cpus)
		json_object_set_new(cpu, "cpus", json_string(s->cpuset_cpus));
	if (json_object_size(cpu))
		json_object_set_new(r, "cpu", cpu);
	else
		json_decref(cpu);
	if (s->pids >= 0)
		json_object_set_new(
			r, "pids",
			json_pack("{s:I}", "limit", (json_int_t)s->pids));
	return r;
}

static json_t *oci_linux_json(const struct mc_spec *s)
{
	static const struct {
		int flag;
		const char *type;
	} ns[] = {
		{CLONE_NEWPID, "pid"},	 {CLONE_NEWNET, "network"},
		{CLONE_NEWIPC, "ipc"},	 {CLONE_NEWUTS, "uts"},
		{CLONE_NEWNS, "mount"},	 {CLONE_NEWCGROUP, "cgroup"},
		{CLONE_NEWUSER, "user"},
	};
	json_t *l = json_object(), *nsa = json_array();

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (s->clone_flags & ns[i].flag)
			json_array_append_new(
				nsa, json_pack("{s:s}", "type", ns[i].type));
	json_object_set_new(l, "namespaces", nsa);
	if (s->clone_flags & CLONE_NEWUSER) {
		json_t *u = json_array(), *g = json_array();

		for (size_t i = 0; i < s->nuid_maps; i++)
			json_array_append_new(
				u, json_pack("{s:I,s:I,s:I}", "containerID",
					     (json_int_t)s->uid_maps[i].inside,
					     "hostID",
					     (json_int_t)s->uid_maps[i].outside,
					     "size",
					     (json_int_t)s->uid_maps[i].count));
		for (size_t i = 0; i < s->ngid_maps; i++)
			json_array_append_new(
				g, json_pack("{s:I,s:I,s:I}", "containerID",
					     (json_int_t)s->gid_maps[i].inside,
					     "hostID",
					     (json_int_t)s->gid_maps[i].outside,
					     "size",
					     (json_int_t)s->gid_maps[i].count));
		json_object_set_new(l, "uidMappings", u);
		json_object_set_new(l, "gidMappings", g);
	}
	json_object_set_new(l, "resources", oci_resources_json(s));
	if (s->seccomp)
		json_object_set_new(l, "seccomp", seccomp__to_json(s->seccomp));
	json_object_set_new(l, "maskedPaths",
			    oci_strings_json(s->masked_paths));
	json_object_set_new(l, "readonlyPaths",
			    oci_strings_json(s->readonly_paths));
	return l;
}

json_t *oci__to_json(const struct mc_spec *s)
{
	json_t *cfg = json_object(), *proc = json_object(), *caps,
	       *mounts = json_array(), *rl = json_array(),
	       *groups = json_array();
	static const char *const rlimit_names[] = {
		[RLIMIT_NOFILE] = "RLIMIT_NOFILE",
		[RLIMIT_NPROC] = "RLIMIT_NPROC",
		[RLIMIT_CORE] = "RLIMIT_CORE",
		[RLIMIT_STACK] = "RLIMIT_STACK",
		[RLIMIT_AS] = "RLIMIT_AS",
	};

	json_object_set_new(cfg, "ociVersion", json_string("1.0.2"));
	json_object_set_new(proc, "terminal", json_false());
	for (size_t i = 0; i < s->ngroups; i++)
		json_array_append_new(groups, json_integer(s->groups[i]));
	json_object_set_new(proc, "user",
			    json_pack("{s:i,s:i,s:o}", "uid", (int)s->uid,
				      "gid", (int)s->gid, "additionalGids",
				      groups));
	json_object_set_new(proc, "args", oci_strings_json(s->argv));
	json_object_set_new(proc, "env", oci_strings_json(s->env));
	json_object_set_new(proc, "cwd", json_string(s->cwd));
	caps = json_pack("{s:o,s:o,s:o,s:o,s:o}", "bounding",
			 oci_caps_json(s->cap_bounding), "effective",
			 oci_caps_json(s->cap_effective), "permitted",
			 oci_caps_json(s->cap_permitted), "inheritable",
			 oci_caps_json(s->cap_inheritable), "ambient",
			 oci_caps_json(s->cap_ambient));
	json_object_set_new(proc, "capabilities", caps);
	for (size_t i = 0; i < s->nrlimits; i++) {
		int res = s->rlimits[i].resource;

		if (res >= 0 &&
		    (size_t)res <
			    sizeof(rlimit_names) / sizeof(rlimit_names[0]) &&
		    rlimit_names[res])
			json_array_append_new(
				rl, json_pack("{s:s,s:I,s:I}", "type",
					      rlimit_names[res], "hard",
					      (json_int_t)s->rlimits[i].hard,
					      "soft",
					      (json_int_t)s->rlimits[i].soft));
	}
	json_object_set_new(proc, "rlimits", rl);
	json_object_set_new(proc, "noNewPrivileges",
			    json_boolean(s->no_new_privs));
	json_object_set_new(cfg, "process", proc);
	json_object_set_new(cfg, "root",
			    json_pack("{s:s,s:b}", "path",
				      s->rootfs ? s->rootfs : "rootfs",
				      "readonly", s->readonly));
	json_object_set_new(cfg, "hostname",
			    json_string(s->hostname ? s->hostname
					: s->name   ? s->name
						    : "mini-container"));
	for (size_t i = 0; i < s->nmounts; i++)
		json_array_append_new(mounts, oci_mount_json(&s->mounts[i]));
	json_object_set_new(cfg, "mounts", mounts);
	json_object_set_new(cfg, "linux", oci_linux_json(s));
	return cfg;
}
