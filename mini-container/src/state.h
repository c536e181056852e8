/*
 * state.h - What a running container leaves for other commands to find:
 * /run/mini-container/NAME, one small text file (see state.c).
 */
#ifndef MC_STATE_H
#define MC_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "err.h"

#define MC_STATE_ROOT "/run/mini-container"

/* A container's record. */
struct mc_state {
	char name[128];
	pid_t runtime_pid;	/* the mini-container run process */
	uint64_t runtime_start; /* its start time (/proc/PID/stat field 22) */
	pid_t init_pid;		/* the container's PID 1, as the host sees it */
	char command[256];	/* argv joined by spaces, for ps */
	char cgroup[2048];	/* cgroup__describe() of its group */
};

/* Claim NAME: create the empty file MC_STATE_ROOT/NAME.  A record whose runtime is gone
 * (killed) is cleaned up first (its cgroup destroyed); one whose runtime
 * still runs is refused.  Returns 0 or -1. */
int state__claim(const char *name, struct isolab_err *e);

/* Write st into MC_STATE_ROOT/st->name (claimed before), in one write.
 * Returns 0 or -1. */
int state__save(const struct mc_state *st, struct isolab_err *e);

/* Read NAME's record.  Returns 0, or -1 if there is none or it is
 * damaged. */
int state__load(const char *name, struct mc_state *st, struct isolab_err *e);

/* Remove NAME's record.  Returns 0 or -1. */
int state__remove(const char *name, struct isolab_err *e);

/* Is st's runtime still running (same pid and start time)? */
bool state__alive(const struct mc_state *st);

/* Clean every record whose runtime is gone: kill and remove its cgroup,
 * remove its directory.  Returns how many were cleaned. */
int state__gc(void);

/* The start time of pid (0 = this process) in clock ticks since boot, or
 * 0 if it cannot be read. */
uint64_t state__start_time(pid_t pid);

/* Call fn for every record, in directory order.  Returns 0 or -1. */
int state__each(void (*fn)(const struct mc_state *st, void *arg), void *arg,
		struct isolab_err *e);

#endif
