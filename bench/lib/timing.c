/*
 * timing.c - CLOCK_MONOTONIC measurement of callbacks and child commands.
 *
 * Start reading at timing__cmd_once(): it is the measurement of "start a
 * process and wait for it", which every start-up figure in isolab reduces
 * to (a container runtime, a VMM, a Wasm runtime are all child commands).
 */
#define _GNU_SOURCE
#include "timing.h"

#include "launch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

uint64_t timing__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int timing__repeat_fn(timing_fn fn, void *arg, int warmup, int runs,
		      struct samples *out, timing_tick tick, void *tick_arg,
		      struct isolab_err *e)
{
	for (int i = -warmup; i < runs; i++) {
		uint64_t t0 = timing__now_ns();

		if (fn(arg, e) < 0)
			return -1;
		uint64_t t1 = timing__now_ns();
		if (i >= 0 && samples__push(out, (double)(t1 - t0)) < 0)
			return err__set(e, errno, "samples");
		if (tick)
			tick(tick_arg, i, runs);
	}
	return 0;
}

int timing__cmd_once(char *const argv[], const struct cmd_opts *opts,
		     struct cmd_result *res, struct isolab_err *e)
{
	static const struct cmd_opts none;
	struct launch l;
	uint64_t t0;

	if (launch__start(argv, opts ? opts : &none, -1, &l, e) < 0)
		return -1;
	return launch__finish(&l, argv[0], res, &t0, e);
}

int timing__repeat_cmd(char *const argv[], const struct cmd_opts *opts,
		       int warmup, int runs, struct samples *times,
		       struct samples *rss, timing_tick tick, void *tick_arg,
		       struct isolab_err *e)
{
	for (int i = -warmup; i < runs; i++) {
		struct cmd_result r;

		if (timing__cmd_once(argv, opts, &r, e) < 0)
			return -1;
		if (WIFSIGNALED(r.status) || WEXITSTATUS(r.status) != 0) {
			if (WIFSIGNALED(r.status))
				err__set(e, 0, "%s: killed by signal %d",
					 argv[0], WTERMSIG(r.status));
			else
				err__set(e, 0, "%s: exit status %d", argv[0],
					 WEXITSTATUS(r.status));
			if (opts && opts->stderr_path)
				timing__explain(argv, opts, e);
			return -1;
		}
		if (i >= 0 && times &&
		    samples__push(times, (double)r.elapsed_ns) < 0)
			return err__set(e, errno, "samples");
		if (i >= 0 && rss && samples__push(rss, (double)r.maxrss_kib) < 0)
			return err__set(e, errno, "samples");
		if (tick)
			tick(tick_arg, i, runs);
	}
	return 0;
}

void timing__explain(char *const argv[], const struct cmd_opts *opts,
		     struct isolab_err *e)
{
	const char *dir = getenv("TMPDIR");
	struct cmd_opts o = opts ? *opts : (struct cmd_opts){0};
	struct cmd_result res;
	char path[4096], line[256] = "";
	size_t used;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/isobench-stderr-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return;
	close(fd);
	o.stdout_path = "/dev/null";
	o.stderr_path = path;
	if (timing__cmd_once(argv, &o, &res, NULL) == 0 &&
	    (f = fopen(path, "r"))) {
		/* the first line that says something */
		while (fgets(line, sizeof(line), f) &&
		       line[strspn(line, " \t\r\n")] == '\0')
			;
		fclose(f);
	}
	unlink(path);
	line[strcspn(line, "\r\n")] = '\0';
	used = strlen(e->msg);
	if (line[0] && used + 3 < sizeof(e->msg))
		snprintf(e->msg + used, sizeof(e->msg) - used, ": %s", line);
}
