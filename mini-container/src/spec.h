/*
 * spec.h - What a container is made of: the one description that the
 * command-line options (main.c) and an OCI bundle's config.json (oci.c)
 * both fill in, and that container.c carries out.
 *
 * Its fields follow the OCI runtime spec's config.json (process, root,
 * mounts, linux.namespaces, linux.resources, ...), so a reader can put
 * the two side by side.
 */
#ifndef MC_SPEC_H
#define MC_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "seccomp.h"

/* Exit statuses of the runtime itself, as Docker's (docker run --help):
 * the command's own status otherwise, 128+N when it was killed by N. */
enum {
	MC_EXIT_RUNTIME = 125, /* the runtime failed (bad input, setup) */
	MC_EXIT_NOEXEC = 126,  /* the command exists but cannot be run */
	MC_EXIT_NOTFOUND = 127 /* the command is not in the rootfs */
};

enum mc_net {
	MC_NET_NONE,	 /* a new network namespace, lo left down */
	MC_NET_LOOPBACK, /* a new network namespace with lo up */
	MC_NET_HOST,	 /* the host's network namespace */
};

/* One mount, as in config.json's "mounts": type "bind" for bind mounts. */
struct mc_mount {
	char *type; /* proc, sysfs, tmpfs, devpts, mqueue, bind, cgroup */
	char *source;
	char *destination;   /* inside the container, absolute */
	unsigned long flags; /* MS_* from the options */
	char *data;	     /* the options mount(2) passes on (mode=755) */
	bool bind;	     /* MS_BIND (bind or rbind) */
	bool readonly;	     /* remount read-only after (bind ro) */
};

struct mc_idmap {
	uint32_t inside, outside, count;
};

struct mc_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

#define MC_MAX_IDMAPS  8
#define MC_MAX_RLIMITS 16
#define MC_MAX_GROUPS  32

struct mc_spec {
	char *name;	/* container name: state dir, cgroup name */
	char *rootfs;	/* root filesystem directory */
	bool readonly;	/* root mounted read-only */
	char *hostname; /* NULL: the name */

	/* process */
	char **argv; /* NULL-terminated */
	char **env;  /* NULL-terminated */
	char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t groups[MC_MAX_GROUPS];
	size_t ngroups;
	struct mc_rlimit rlimits[MC_MAX_RLIMITS];
	size_t nrlimits;
	bool no_new_privs;
	uint64_t cap_bounding, cap_effective, cap_permitted, cap_inheritable,
		cap_ambient;

	/* linux */
	int clone_flags; /* CLONE_NEW* */
	enum mc_net net;
	struct mc_idmap uid_maps[MC_MAX_IDMAPS], gid_maps[MC_MAX_IDMAPS];
	size_t nuid_maps, ngid_maps;
	struct mc_mount *mounts;
	size_t nmounts;
	char **masked_paths;	    /* NULL-terminated */
	char **readonly_paths;	    /* NULL-terminated */
	struct mc_seccomp *seccomp; /* NULL: unconfined */

	/* linux.resources; -1 (or 0 for shares and period) = not set */
	int64_t memory;
	uint64_t cpu_shares;
	int64_t cpu_quota;
	uint64_t cpu_period;
	char *cpuset_cpus;
	int64_t pids;

	/* runtime options */
	bool init;	      /* a tiny PID 1 reaps and forwards signals */
	char *stats_path;     /* phases and peak memory as JSON */
	bool quiet;	      /* no warnings */
	bool seccomp_nocache; /* compile the filter, no seccomp cache */
};

/* A spec with Docker's defaults: every namespace but user, lo up, Docker's
 * default capabilities, no_new_privs, the default seccomp profile,
 * /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and a read-only /sys, and
 * runc's masked and read-only paths.  Returns NULL if out of memory. */
struct mc_spec *spec__create(void);
void spec__destroy(struct mc_spec *s);

/* Append a mount (strings copied).  Returns 0 or -1. */
int spec__add_mount(struct mc_spec *s, const char *type, const char *source,
		    const char *destination, unsigned long flags,
		    const char *data, bool bind, bool readonly,
		    struct isolab_err *e);

/* Drop every mount (a bundle brings its own list). */
void spec__clear_mounts(struct mc_spec *s);

/* Replace a NULL-terminated string list (copied); Returns 0 or -1. */
int spec__set_list(char ***dst, const char *const *src, struct isolab_err *e);

/* Append one string to a NULL-terminated list.  Returns 0 or -1. */
int spec__list_add(char ***list, const char *item, struct isolab_err *e);

/* Set or replace K=V in s->env.  Returns 0 or -1. */
int spec__setenv(struct mc_spec *s, const char *kv, struct isolab_err *e);

/* "32M", "1g", "512k", "1048576" (K, M, G: powers of 1024) into bytes.
 * what names the input in the error.  Returns 0 or -1. */
int spec__parse_size(const char *str, const char *what, int64_t *bytes,
		     struct isolab_err *e);

#endif
