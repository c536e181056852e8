/*
 * launch.c - Starting measured children, through isolab-spawn when it is
 * there (see launch.h and bench/spawn/isolab-spawn.c).
 */
#define _GNU_SOURCE
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The fd number the launcher reports on (0-2 are the child's stdio). */
#define LAUNCH_RESULT_FD 3
#define LAUNCH_MAX_ARGS 256

static int executable(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

/* The launcher's path, looked up once; "" when there is none. */
static const char *spawner(void)
{
	static char path[PATH_MAX + 32];
	static int looked;
	const char *env;
	char exe[PATH_MAX];
	ssize_t n;

	if (looked)
		return path;
	looked = 1;
	env = getenv("ISOLAB_SPAWN");
	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
		if (!executable(path))
			path[0] = '\0';
		return path;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		snprintf(path, sizeof(path), "%s/isolab-spawn", exe);
		if (executable(path))
			return path;
		snprintf(path, sizeof(path), "%s/../bin/isolab-spawn", exe);
		if (executable(path))
			return path;
	}
	path[0] = '\0';
	return path;
}

const char *launch__mode(void)
{
	return spawner()[0] ? "isolab-spawn" : "fork";
}

/* In the child: point fd at path (or at an open fd), or exit 127. */
static void redirect(int fd, const char *path, int flags)
{
	int f;

	if (!path)
		return;
	f = open(path, flags | O_CLOEXEC, 0644);
	if (f < 0 || dup2(f, fd) < 0)
		_exit(127);
}

/* In the child, after fork: stdio, then exec the launcher or argv. */
static void child(char *const argv[], const struct cmd_opts *opts,
		  int stdout_fd, int result_w, const char *sp)
{
	char *const *envp = opts->envp ? opts->envp : environ;

	redirect(STDIN_FILENO, opts->stdin_path, O_RDONLY);
	if (stdout_fd >= 0) {
		if (dup2(stdout_fd, STDOUT_FILENO) < 0)
			_exit(127);
	} else {
		redirect(STDOUT_FILENO, opts->stdout_path,
			 O_WRONLY | O_CREAT | O_TRUNC);
	}
	redirect(STDERR_FILENO, opts->stderr_path,
		 O_WRONLY | O_CREAT | O_TRUNC);
	if (sp[0]) {
		char fd[16], ms[32];
		char *args[LAUNCH_MAX_ARGS + 4];
		int n = 0;

		/* dup2 clears close-on-exec, so the launcher inherits it. */
		if (dup2(result_w, LAUNCH_RESULT_FD) < 0)
			_exit(127);
		snprintf(fd, sizeof(fd), "%d", LAUNCH_RESULT_FD);
		snprintf(ms, sizeof(ms), "%ld", (long)(opts->timeout_s * 1000));
		args[n++] = (char *)sp;
		args[n++] = fd;
		args[n++] = ms;
		for (int i = 0; argv[i] && n < LAUNCH_MAX_ARGS + 3; i++)
			args[n++] = argv[i];
		args[n] = NULL;
		execve(sp, args, envp);
		_exit(127);
	}
	/* A bare name is searched in PATH; measured commands pass a path. */
	if (strchr(argv[0], '/'))
		execve(argv[0], argv, envp);
	else
		execvpe(argv[0], argv, envp);
	_exit(127);
}

int launch__start(char *const argv[], const struct cmd_opts *opts,
		  int stdout_fd, struct launch *l, struct isolab_err *e)
{
	const char *sp = spawner();
	int p[2] = { -1, -1 };

	l->result_fd = -1;
	l->timeout_s = opts->timeout_s;
	if (sp[0] && pipe2(p, O_CLOEXEC) < 0)
		return err__set(e, errno, "%s: pipe", argv[0]);
	l->t0 = timing__now_ns();
	l->pid = fork();
	if (l->pid < 0) {
		int saved = errno;

		if (p[0] >= 0) {
			close(p[0]);
			close(p[1]);
		}
		return err__set(e, saved, "%s: fork", argv[0]);
	}
	if (l->pid == 0)
		child(argv, opts, stdout_fd, p[1], sp);
	if (p[1] >= 0)
		close(p[1]);
	l->result_fd = p[0];
	return 0;
}

/* Kill pid once timeout_s has passed (it is still to be reaped).  A pidfd
 * waits with a timeout without touching the caller's signal handlers. */
static void kill_at_timeout(pid_t pid, double timeout_s)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	int r;

	if (pfd < 0)
		return;
	do
		r = poll(&p, 1, (int)(timeout_s * 1000));
	while (r < 0 && errno == EINTR);
	if (r == 0)
		kill(pid, SIGKILL);
	close(pfd);
}

static uint64_t tv_ns(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
}

/* The launcher's one-line report into res.  Returns 0 or -1. */
static int read_report(int fd, const char *name, struct cmd_result *res,
		       uint64_t *t0, struct isolab_err *e)
{
	char buf[256];
	unsigned long long a, b, u, s;
	long rss;
	int status;
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf) - 1);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return err__set(e, 0, "%s: isolab-spawn reported nothing", name);
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu %d %ld %llu %llu", &a, &b, &status, &rss, &u,
		   &s) != 6)
		return err__set(e, 0, "%s: isolab-spawn: %s", name, buf);
	*t0 = a;
	res->elapsed_ns = b - a;
	res->status = status;
	res->maxrss_kib = rss;
	res->user_ns = u;
	res->sys_ns = s;
	return 0;
}

int launch__finish(struct launch *l, const char *name, struct cmd_result *res,
		   uint64_t *t0, struct isolab_err *e)
{
	struct rusage ru;
	int status, rc = 0;
	pid_t w;

	/* The launcher enforces the timeout itself; the margin only stops a
	 * launcher that hangs. */
	if (l->timeout_s > 0)
		kill_at_timeout(l->pid, l->timeout_s +
					       (l->result_fd >= 0 ? 10 : 0));
	do
		w = wait4(l->pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	if (w < 0) {
		rc = err__set(e, errno, "%s: wait4", name);
	} else if (l->result_fd >= 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			rc = err__set(e, 0, "%s: isolab-spawn could not run",
				      name);
		else
			rc = read_report(l->result_fd, name, res, t0, e);
	} else {
		*t0 = l->t0;
		res->elapsed_ns = timing__now_ns() - l->t0;
		res->status = status;
		res->maxrss_kib = ru.ru_maxrss; /* Linux reports kilobytes */
		res->user_ns = tv_ns(ru.ru_utime);
		res->sys_ns = tv_ns(ru.ru_stime);
	}
	if (l->result_fd >= 0)
		close(l->result_fd);
	l->result_fd = -1;
	return rc;
}
