/*
 * cgroup.h - Control groups: the kernel's resource limits and accounting
 * for a group of processes, on cgroup v1 (one hierarchy per controller),
 * hybrid (v1 controllers plus an empty cgroup2) and v2 (one unified tree).
 *
 * Shared by mini-container (a container's limits) and scheduler-sim's real
 * mode (CPU shares and quotas of competing groups).  Self-contained: it
 * uses bench/lib's err.h and nothing else of isolab.
 */
#ifndef ISOLAB_CGROUP_H
#define ISOLAB_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct cgroup;

/* cgroup__create_opts flags. */
enum {
	/* Use the unified (v2) tree even when v1 controllers are mounted, as
	 * on a hybrid machine whose cgroup2 offers no resource controller:
	 * lets tests exercise the v2 paths (create, attach, kill, remove). */
	CGROUP_FORCE_V2 = 1 << 0,
};

/* Where the cgroups are, and how a group's directory is made and removed.
 * cgroup__create_in copies it; a NULL field takes the default: the files
 * /proc/self/mountinfo and /proc/self/cgroup, mkdir(2) and rmdir(2).
 * Another value lets a test run the v2 code on a machine whose cgroup2
 * has no controllers: a directory laid out like a cgroup2 mount, a
 * mountinfo file that mounts it there, and a mkdir that fills a new group
 * with its interface files as the kernel does. */
struct cgroup_host {
	const char *mountinfo;	 /* lines as in /proc/self/mountinfo */
	const char *self_cgroup; /* lines as in /proc/self/cgroup */
	int (*mkdir)(const char *path, mode_t mode);
	int (*rmdir)(const char *path);
};

/* Create group `name` under this process's own cgroup in every hierarchy
 * the limits need (v1/hybrid: memory, cpu, cpuacct, pids, cpuset (cpus and
 * mems copied from the parent), devices; v2: the unified tree with the
 * controllers enabled in the parent's subtree_control), mount points found from
 * /proc/self/mountinfo.  A stale empty group of the same name (left by a
 * runtime that was killed) is removed first.  Returns 0 or -1 with e
 * filled. */
int cgroup__create(const char *name, struct cgroup **out, struct isolab_err *e);

/* cgroup__create with flags (CGROUP_FORCE_V2).  Returns 0 or -1. */
int cgroup__create_opts(const char *name, int flags, struct cgroup **out,
			struct isolab_err *e);

/* cgroup__create_opts on host's cgroups (NULL: this machine's); the group
 * keeps host's mkdir and rmdir for cgroup__destroy.  Returns 0 or -1. */
int cgroup__create_in(const struct cgroup_host *host, const char *name,
		      int flags, struct cgroup **out, struct isolab_err *e);

/* Memory limit in bytes, -1 = no limit.  Swap is limited with it (v1
 * memory.memsw.limit_in_bytes = the same value, v2 memory.swap.max = 0) so
 * that a group over its limit is OOM-killed rather than swapped out.
 * Returns 0 or -1. */
int cgroup__set_memory(struct cgroup *cg, int64_t bytes, struct isolab_err *e);

/* Relative CPU weight: v1 cpu.shares; on v2 cpu.weight =
 * 1 + ((shares - 2) * 9999) / 262142, as crun and runc convert.  Shares
 * must be in [2, 262144].  Returns 0 or -1. */
int cgroup__set_cpu_shares(struct cgroup *cg, uint64_t shares,
			   struct isolab_err *e);

/* CFS bandwidth: at most quota_us of CPU time every period_us (quota -1 =
 * no limit).  v1 cpu.cfs_period_us/cpu.cfs_quota_us, v2 cpu.max.
 * Returns 0 or -1. */
int cgroup__set_cpu_max(struct cgroup *cg, int64_t quota_us, uint64_t period_us,
			struct isolab_err *e);

/* CPUs the group may run on, a cpuset list like "0-1" or "0,2".
 * Returns 0 or -1. */
int cgroup__set_cpuset(struct cgroup *cg, const char *cpus,
		       struct isolab_err *e);

/* Which device files the group may open or create: every device is
 * denied, then each allow line ("c 1:3 rwm", "c 136:* rwm") is allowed
 * (v1 devices.deny/devices.allow).  v2 has no such files (it attaches a
 * BPF program instead): -1 with e saying the controller is missing.
 * Returns 0 or -1. */
int cgroup__set_devices(struct cgroup *cg, const char *const *allow,
			struct isolab_err *e);

/* Maximum number of tasks (processes and threads), -1 = max.
 * Returns 0 or -1. */
int cgroup__set_pids(struct cgroup *cg, int64_t max, struct isolab_err *e);

/* Move process pid (all its threads) into the group in every hierarchy.
 * Returns 0 or -1. */
int cgroup__attach(struct cgroup *cg, pid_t pid, struct isolab_err *e);

/* Start, in a short-lived child, the wait for an RCU grace period that
 * the kernel makes the first move of a task between cgroups pay (its
 * cgroup_threadgroup_rwsem), so that a cgroup__attach a few milliseconds
 * later finds it under way or done rather than waiting for a whole one.
 * The child moves itself into its own group (a no-op move).  Returns the
 * child's pid, for the caller to reap with waitpid, or -1 if none was
 * started (harmless: attach then waits as usual). */
pid_t cgroup__warm_attach(void);

/* CPU time used by the group's tasks, in ns (v1 cpuacct.usage, v2 cpu.stat
 * usage_usec).  Returns 0 or -1. */
int cgroup__cpu_usage_ns(struct cgroup *cg, uint64_t *ns, struct isolab_err *e);

/* Memory charged to the group now and at its peak (peak -1 when the kernel
 * keeps none; v1 memory.usage_in_bytes/max_usage_in_bytes, v2
 * memory.current/memory.peak).  peak may be NULL.  Returns 0 or -1. */
int cgroup__memory(struct cgroup *cg, int64_t *current, int64_t *peak,
		   struct isolab_err *e);

/* How many times the kernel's OOM killer killed a task of the group (v1
 * memory.oom_control oom_kill, v2 memory.events oom_kill).
 * Returns 0 or -1. */
int cgroup__oom_kills(struct cgroup *cg, uint64_t *count, struct isolab_err *e);

/* The pids in the group (from cgroup.procs) into pids[0..max-1]; *n is the
 * number found (may exceed max).  Returns 0 or -1. */
int cgroup__pids(struct cgroup *cg, pid_t *pids, size_t max, size_t *n,
		 struct isolab_err *e);

/* "v1" or "v2": the kind of hierarchy the group lives in. */
const char *cgroup__mode(const struct cgroup *cg);

/* The directory of the group for controller ("memory", "cpu", "cpuacct",
 * "pids", "cpuset", "devices"), or NULL when the group has none for it. */
const char *cgroup__dir(const struct cgroup *cg, const char *controller);

/* The group's directories as text (one "CONTROLLERS DIR" line each, first
 * line "v1" or "v2"), for another process to reopen with cgroup__open
 * (mini-container's state file).  Returns the length written (< len), or
 * -1 if buf is too small. */
int cgroup__describe(const struct cgroup *cg, char *buf, size_t len);

/* Reopen a group from cgroup__describe's text.  cgroup__destroy on it
 * removes the directories; cgroup__close only frees.  Returns 0 or -1. */
int cgroup__open(const char *desc, struct cgroup **out, struct isolab_err *e);

/* Free cg without touching the kernel's groups. */
void cgroup__close(struct cgroup *cg);

/* Remove group `name` under this process's own cgroup in every hierarchy
 * where it exists (killing what is left in it): for a group whose creator
 * died before it could record where the group is.  Returns 0 or -1. */
int cgroup__remove_stale(const char *name, struct isolab_err *e);

/* Kill what is left in the group, remove every directory it created
 * (sub-groups made inside it first), free cg.  cg may be NULL.
 * Returns 0 or -1 (cg is freed either way). */
int cgroup__destroy(struct cgroup *cg, struct isolab_err *e);

#endif
