/*
 * timing.c - CLOCK_MONOTONIC measurement of callbacks and child commands.
 *
 * Start reading at timing__cmd_once(): it is the measurement of "start a
 * process and wait for it", which every start-up figure in isolab reduces
 * to (a container runtime, a VMM, a Wasm runtime are all child commands).
 */
#define _GNU_SOURCE
#include "timing.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

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

/* In the child: point fd at path, or exit 127 as a shell would. */
static void child_redirect(int fd, const char *path)
{
	int f;

	if (!path)
		return;
	if (fd == STDIN_FILENO)
		f = open(path, O_RDONLY | O_CLOEXEC);
	else
		f = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (f < 0 || dup2(f, fd) < 0)
		_exit(127);
}

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

/* Wait for pid, killing it once timeout_s has passed.  A pidfd lets us wait
 * with a timeout without touching the caller's signal handlers. */
static int wait_with_timeout(pid_t pid, double timeout_s)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	int r;

	if (pfd < 0)
		return -1;
	do
		r = poll(&p, 1, (int)(timeout_s * 1000));
	while (r < 0 && errno == EINTR);
	if (r == 0)
		kill(pid, SIGKILL);
	close(pfd);
	return 0;
}

int timing__cmd_once(char *const argv[], const struct cmd_opts *opts,
		     struct cmd_result *res, struct isolab_err *e)
{
	static const struct cmd_opts none;
	struct rusage ru;
	uint64_t t0, t1;
	pid_t pid, w;
	int status;

	if (!opts)
		opts = &none;
	t0 = timing__now_ns();
	pid = fork();
	if (pid < 0)
		return err__set(e, errno, "%s: fork", argv[0]);
	if (pid == 0) {
		child_redirect(STDIN_FILENO, opts->stdin_path);
		child_redirect(STDOUT_FILENO, opts->stdout_path);
		child_redirect(STDERR_FILENO, opts->stderr_path);
		/* A bare name is searched in PATH; measured commands pass a
		 * path so the search is not part of the figure. */
		if (strchr(argv[0], '/'))
			execve(argv[0], argv, opts->envp ? opts->envp : environ);
		else
			execvpe(argv[0], argv, opts->envp ? opts->envp : environ);
		_exit(127);
	}
	if (opts->timeout_s > 0 && wait_with_timeout(pid, opts->timeout_s) < 0)
		return err__set(e, errno, "%s: pidfd_open", argv[0]);
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	t1 = timing__now_ns();
	if (w < 0)
		return err__set(e, errno, "%s: wait4", argv[0]);
	res->elapsed_ns = t1 - t0;
	res->status = status;
	res->maxrss_kib = ru.ru_maxrss; /* Linux reports kilobytes */
	res->user_ns = tv_ns(ru.ru_utime);
	res->sys_ns = tv_ns(ru.ru_stime);
	return 0;
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
		if (WIFSIGNALED(r.status))
			return err__set(e, 0, "%s: killed by signal %d",
					argv[0], WTERMSIG(r.status));
		if (WEXITSTATUS(r.status) != 0)
			return err__set(e, 0, "%s: exit status %d", argv[0],
					WEXITSTATUS(r.status));
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
