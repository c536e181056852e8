/*
 * pid1.c - A tiny init for the container (--init, as docker run --init
 * with tini).
 *
 * The first process of a pid namespace is its init, with two duties
 * ordinary programs do not expect:
 *  - orphans are re-parented to it, and their zombies stay in the process
 *    table until it wait()s for them: a shell or a server as PID 1 that
 *    never does leaks them;
 *  - the kernel does not deliver a signal to it unless it handles that
 *    signal (no default action: `kill -TERM 1` does nothing), so a `sleep`
 *    as PID 1 ignores the SIGTERM of `docker stop`.
 * This init takes the signals with sigwaitinfo (they stay blocked, which
 * the kernel counts as handled), passes them to the command, reaps every
 * child, and leaves with the command's status.
 */
#define _GNU_SOURCE
#include "pid1.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

void pid1__run(pid_t cmd)
{
	sigset_t all;
	int code = 1;

	sigfillset(&all);
	sigdelset(&all, SIGKILL);
	sigdelset(&all, SIGSTOP);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		siginfo_t si;
		pid_t w;
		int st;

		/* Reap whatever has exited: the command and any orphan. */
		while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
			if (w != cmd)
				continue;
			code = WIFEXITED(st) ? WEXITSTATUS(st)
					     : 128 + WTERMSIG(st);
			cmd = -1;
		}
		if (cmd < 0 && (w == 0 || (w < 0 && errno == ECHILD)))
			_exit(code);
		if (sigwaitinfo(&all, &si) < 0 || si.si_signo == SIGCHLD)
			continue;
		if (cmd > 0)
			kill(cmd, si.si_signo);
	}
}
