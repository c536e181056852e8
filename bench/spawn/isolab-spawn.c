/*
 * isolab-spawn.c - The launcher every measured child goes through.
 *
 *   isolab-spawn RESULT_FD TIMEOUT_MS PROGRAM [ARGS...]
 *
 * It forks, execs PROGRAM in the child, waits for it with wait4, and
 * writes one line to RESULT_FD:
 *
 *   T0 T1 STATUS MAXRSS_KIB USER_NS SYS_NS
 *
 * (T0 just before fork, T1 when wait4 returned, both CLOCK_MONOTONIC ns;
 * STATUS the raw wait status).  Then it exits 0; 1 if it could not fork.
 *
 * Why a separate program: Linux charges a process's peak RSS across exec
 * (exec_mmap keeps the old mm's high-water mark in signal->maxrss), so a
 * child forked straight from the harness reports the harness's own RSS as
 * its floor.  Forked from this small static program, the child's ru_maxrss
 * is its own.  And the cost of fork no longer grows with the harness.
 * The harness side is bench/lib/timing.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull +
	       (unsigned long long)ts.tv_nsec;
}

static unsigned long long tv_ns(struct timeval tv)
{
	return (unsigned long long)tv.tv_sec * 1000000000ull +
	       (unsigned long long)tv.tv_usec * 1000ull;
}

int main(int argc, char **argv)
{
	unsigned long long t0, t1;
	struct rusage ru;
	int fd, timeout_ms, status, pfd = -1;
	pid_t pid, w;

	if (argc < 4) {
		fprintf(stderr, "usage: isolab-spawn RESULT_FD TIMEOUT_MS "
				"PROGRAM [ARGS...]\n");
		return 2;
	}
	fd = atoi(argv[1]);
	timeout_ms = atoi(argv[2]);
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		dprintf(fd, "error %d\n", errno);
		return 1;
	}
	if (pid == 0) {
		close(fd);
		/* If the launcher is killed (the harness's own timeout), the
		 * measured program goes too. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (strchr(argv[3], '/'))
			execv(argv[3], argv + 3);
		else
			execvp(argv[3], argv + 3);
		_exit(127);
	}
	if (timeout_ms > 0) {
		struct pollfd p;
		int r;

		pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		p = (struct pollfd){ .fd = pfd, .events = POLLIN };
		do
			r = pfd < 0 ? 1 : poll(&p, 1, timeout_ms);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			kill(pid, SIGKILL);
	}
	do
		w = wait4(pid, &status, 0, &ru);
	while (w < 0 && errno == EINTR);
	t1 = now_ns();
	if (w < 0) {
		dprintf(fd, "error %d\n", errno);
		return 1;
	}
	dprintf(fd, "%llu %llu %d %ld %llu %llu\n", t0, t1, status,
		ru.ru_maxrss, tv_ns(ru.ru_utime), tv_ns(ru.ru_stime));
	return 0;
}
