/*
 * container.h - Running one container from its spec (see container.c).
 */
#ifndef MC_CONTAINER_H
#define MC_CONTAINER_H

#include <stdint.h>

#include "err.h"
#include "spec.h"

/* The moments of a run, CLOCK_MONOTONIC ns (timing__now_ns), for --stats
 * and isobench's phases.  0 = did not happen. */
struct mc_phases {
	uint64_t start;	       /* container__run entered */
	uint64_t clone_begin;  /* just before clone */
	uint64_t cgroup_begin; /* the runtime starts on the group */
	uint64_t cgroup_done;  /* group made, limited, child attached */
	uint64_t child_start;  /* first instruction of the child */
	uint64_t mounts_begin; /* after the go from the parent */
	uint64_t mounts_done;  /* rootfs, pivot_root, masks done */
	uint64_t compile_done; /* filter compiled (at once on a cache hit) */
	uint64_t lookup_begin; /* the runtime looks in the seccomp cache */
	uint64_t lookup_done;
	uint64_t seccomp_begin;
	uint64_t seccomp_done; /* filter loaded: next is execve */
	uint64_t exec_done;    /* execve succeeded (close-on-exec pipe EOF) */
	uint64_t exited;       /* wait returned */
	uint64_t cleaned;      /* group and state removed */
	int64_t mem_peak;      /* the group's peak memory, bytes, or -1 */
	uint64_t cpu_ns;       /* CPU time the group used (cpuacct) */
};

/* Run s: create the group and the record, start the container, forward
 * signals to it, wait for it, remove everything.  *status is the exit
 * status to report: the command's, 128+N when killed by signal N (137
 * and a message when the OOM killer did it), 125/126/127 when the runtime
 * failed, or the command could not be run / found (e filled then).
 * Returns 0 when the command ran, -1 otherwise. */
int container__run(const struct mc_spec *s, int *status, struct mc_phases *ph,
		   struct isolab_err *e);

#endif
