/*
 * launch.h - Starting a measured child and collecting how it ended.
 *
 * The one place that forks for the harness (timing.c and marks.c use it).
 * When the small static launcher isolab-spawn (bench/spawn/) is found, the
 * child is started through it, so its peak RSS and the cost of fork do not
 * depend on how large the measuring process is; otherwise it is forked
 * directly.  launch__mode() says which, and isobench records it.
 */
#ifndef ISOLAB_LAUNCH_H
#define ISOLAB_LAUNCH_H

#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "timing.h"

struct launch {
	pid_t pid;      /* the launcher's pid, or the program's own */
	int result_fd;  /* read end of the launcher's report, or -1 */
	uint64_t t0;    /* fork of the direct child (direct mode only) */
	double timeout_s; /* from cmd_opts: kill the program after this */
};

/* Start argv with opts' redirections; stdout_fd >= 0 overrides
 * opts->stdout_path (marks.c passes a pipe).  Returns 0 or -1. */
int launch__start(char *const argv[], const struct cmd_opts *opts,
		  int stdout_fd, struct launch *l, struct isolab_err *e);

/* Wait for l's program and fill res (elapsed_ns from just before its fork
 * to its reaping), and *t0 with the CLOCK_MONOTONIC time of that fork.
 * Returns 0, or -1 if waiting failed or the launcher could not fork. */
int launch__finish(struct launch *l, const char *name, struct cmd_result *res,
		   uint64_t *t0, struct isolab_err *e);

/* "isolab-spawn" or "fork": how children are started in this process.
 * The launcher is looked for as $ISOLAB_SPAWN, then beside this program,
 * then in ../bin/ from it. */
const char *launch__mode(void);

#endif
