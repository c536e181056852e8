/*
 * timing.h - Wall-clock measurement: a callback or a child command, N times
 * after W warm-up runs.
 *
 * All times are CLOCK_MONOTONIC nanoseconds: never adjusted by NTP steps,
 * unlike CLOCK_REALTIME, so a difference of two readings is a duration.
 * This is the only place in isolab that reads the clock for a benchmark;
 * components call it rather than timing things themselves.
 */
#ifndef ISOLAB_TIMING_H
#define ISOLAB_TIMING_H

#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "samples.h"

/* Nanoseconds on CLOCK_MONOTONIC. */
uint64_t timing__now_ns(void);

/* A measured callback: returns 0 on success, negative on failure (and
 * fills e).  Timing covers the whole call. */
typedef int (*timing_fn)(void *arg, struct isolab_err *e);

/* Called after every run (warm-ups included) with the run's index (warm-ups
 * are negative, -W..-1) so a caller can show progress.  May be NULL. */
typedef void (*timing_tick)(void *arg, int run, int runs);

/* Run fn `warmup` times unmeasured, then `runs` times, appending each
 * duration in ns to out.  Returns 0, or -1 on the first failing call of fn
 * (e filled by fn) or if out couldn't grow. */
int timing__repeat_fn(timing_fn fn, void *arg, int warmup, int runs,
		      struct samples *out, timing_tick tick, void *tick_arg,
		      struct isolab_err *e);

/* One run of a child command. */
struct cmd_result {
	uint64_t elapsed_ns; /* just before fork() to wait4()'s return */
	int status;          /* raw wait status */
	long maxrss_kib;     /* peak RSS of the child, from wait4's rusage */
	uint64_t user_ns;    /* CPU time of the child in user mode */
	uint64_t sys_ns;     /* CPU time of the child in the kernel */
};

/* How a child runs.  Zero-initialised means: inherit stdin, stdout, stderr,
 * no time limit, same environment. */
struct cmd_opts {
	const char *stdin_path;  /* read stdin from there */
	const char *stdout_path; /* redirect stdout there (e.g. "/dev/null") */
	const char *stderr_path; /* redirect stderr there */
	char *const *envp;       /* environment, or NULL to inherit */
	double timeout_s;        /* > 0: SIGKILL the child after this long */
};

/* Start argv[0] (searched in PATH only if it has no '/') and wait for it:
 * fork + execve + wait4, through the isolab-spawn launcher when it is
 * found (launch.h), so the child's figures are its own.  Returns 0 when the
 * child ran and was reaped (whatever its status), -1 if it could not be
 * started or waited for; a child that cannot exec exits 127. */
int timing__cmd_once(char *const argv[], const struct cmd_opts *opts,
		     struct cmd_result *res, struct isolab_err *e);

/* timing__cmd_once `warmup` times unmeasured, then `runs` times, appending
 * elapsed ns to times and peak RSS in KiB to rss (either may be NULL).
 * Returns 0, or -1 if a run fails to start or exits with a non-zero status
 * or by a signal (e names the command and the status). */
int timing__repeat_cmd(char *const argv[], const struct cmd_opts *opts,
		       int warmup, int runs, struct samples *times,
		       struct samples *rss, timing_tick tick, void *tick_arg,
		       struct isolab_err *e);

/* Why argv failed, for runs whose stderr went to /dev/null: run it once
 * more (with opts, but stderr kept in a temporary file) and append the
 * first non-blank line it printed to e->msg ("...: exit status 1: LINE").
 * Leaves e as it is when the command prints nothing.  timing__repeat_cmd
 * calls it itself. */
void timing__explain(char *const argv[], const struct cmd_opts *opts,
		     struct isolab_err *e);

#endif
