/*
 * marks.c - Reading a child's stdout and stamping its milestone marks
 * (see marks.h).  Start at marks__run(): launch with a pipe as stdout,
 * then a poll loop that stamps each chunk as it arrives and splits it into
 * lines.
 */
#define _GNU_SOURCE
#include "marks.h"

#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Append bytes to r->out. */
static int out_append(struct mark_run *r, const char *p, size_t n)
{
	char *o = realloc(r->out, r->out_len + n + 1);

	if (!o)
		return -1;
	memcpy(o + r->out_len, p, n);
	r->out = o;
	r->out_len += n;
	r->out[r->out_len] = '\0';
	return 0;
}

/* One complete line: a mark stamped at `now`, or output. */
static int take_line(struct mark_run *r, const char *line, size_t n,
		     uint64_t now)
{
	size_t plen = strlen(MARKS_PREFIX);

	if (n > plen && memcmp(line, MARKS_PREFIX, plen) == 0) {
		if (r->nmarks < MARKS_MAX) {
			size_t len = n - plen;

			/* without the '\n', and a '\r' from a serial line */
			while (len > 0 && (line[plen + len - 1] == '\n' ||
					   line[plen + len - 1] == '\r'))
				len--;
			if (len >= sizeof(r->name[0]))
				len = sizeof(r->name[0]) - 1;
			memcpy(r->name[r->nmarks], line + plen, len);
			r->name[r->nmarks][len] = '\0';
			r->at_ns[r->nmarks++] = now;
		}
		return 0;
	}
	return out_append(r, line, n);
}

/* Read the pipe until EOF or the deadline (timeout_s after t0; none if 0),
 * stamping marks with absolute CLOCK_MONOTONIC times; returns 0, or -1 out
 * of memory. */
static int read_marks(int fd, pid_t pid, uint64_t t0, double timeout_s,
		      struct mark_run *r)
{
	char buf[65536];
	size_t have = 0; /* bytes of an unfinished line at buf's start */
	uint64_t deadline = timeout_s > 0
				    ? t0 + (uint64_t)(timeout_s * 1e9)
				    : UINT64_MAX;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		uint64_t now = timing__now_ns();
		int wait_ms = deadline == UINT64_MAX
				      ? -1
				      : (int)((deadline > now ? deadline - now
							      : 0) /
					      1000000);
		int pr = poll(&p, 1, wait_ms);
		ssize_t n;

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			kill(pid, SIGKILL);
			return 0;
		}
		if (have == sizeof(buf)) { /* a line longer than buf */
			if (out_append(r, buf, have) < 0)
				return -1;
			have = 0;
		}
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		now = timing__now_ns();
		have += (size_t)n;
		char *start = buf, *nl;
		while ((nl = memchr(start, '\n', have - (size_t)(start - buf)))) {
			if (take_line(r, start, (size_t)(nl - start) + 1, now) < 0)
				return -1;
			start = nl + 1;
		}
		have -= (size_t)(start - buf);
		memmove(buf, start, have);
	}
	return have ? take_line(r, buf, have, timing__now_ns()) : 0;
}

int marks__run(char *const argv[], const struct cmd_opts *opts,
	       struct mark_run *r, struct isolab_err *e)
{
	static const struct cmd_opts none;
	struct launch l;
	uint64_t t0, start;
	int pfd[2], rc;

	memset(r, 0, sizeof(*r));
	if (!opts)
		opts = &none;
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err__set(e, errno, "%s: pipe", argv[0]);
	start = timing__now_ns();
	rc = launch__start(argv, opts, pfd[1], &l, e);
	close(pfd[1]);
	if (rc < 0) {
		close(pfd[0]);
		return -1;
	}
	/* Through the launcher, it kills the program at opts->timeout_s and
	 * reading stops a little later in any case; started directly, the
	 * reader itself kills it at the timeout. */
	rc = read_marks(pfd[0], l.pid, start,
			opts->timeout_s > 0 && l.result_fd >= 0
				? opts->timeout_s + 10
				: opts->timeout_s,
			r);
	close(pfd[0]);
	if (launch__finish(&l, argv[0], &r->res, &t0, e) < 0) {
		marks__free(r);
		return -1;
	}
	if (rc < 0) {
		marks__free(r);
		return err__set(e, ENOMEM, "%s: output", argv[0]);
	}
	/* Stamps are absolute until the fork time is known. */
	for (int i = 0; i < r->nmarks; i++)
		r->at_ns[i] = r->at_ns[i] > t0 ? r->at_ns[i] - t0 : 0;
	r->t0_ns = t0;
	return 0;
}

uint64_t marks__at(const struct mark_run *r, const char *name)
{
	for (int i = 0; i < r->nmarks; i++)
		if (strcmp(r->name[i], name) == 0)
			return r->at_ns[i];
	return 0;
}

int marks__checksum(const struct mark_run *r, char *buf, size_t len)
{
	const char *p = r->out ? strstr(r->out, "checksum ") : NULL;
	size_t n;

	if (!p)
		return -1;
	p += strlen("checksum ");
	n = strspn(p, "0123456789abcdef");
	if (n == 0 || n >= len)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

void marks__free(struct mark_run *r)
{
	free(r->out);
	r->out = NULL;
	r->out_len = 0;
}
