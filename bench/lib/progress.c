/*
 * progress.c - Progress lines on stderr (see progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "timing.h"

#define PROGRESS_REDRAW_NS 100000000u /* 0.1 s between redraws */

void progress__init(struct progress *p, int total_steps, bool quiet)
{
	memset(p, 0, sizeof(*p));
	p->total = total_steps;
	p->quiet = quiet;
	p->tty = isatty(STDERR_FILENO);
}

void progress__step(struct progress *p, const char *label)
{
	p->step++;
	snprintf(p->label, sizeof(p->label), "%s", label);
	p->last_ns = 0;
}

void progress__update(struct progress *p, int done, int of)
{
	uint64_t now;

	if (p->quiet)
		return;
	if (!p->tty) {
		if (done == of)
			fprintf(stderr, "[%d/%d] %s %d/%d\n", p->step, p->total,
				p->label, done, of);
		return;
	}
	now = timing__now_ns();
	if (done != of && now - p->last_ns < PROGRESS_REDRAW_NS)
		return;
	p->last_ns = now;
	/* \r back to column 0, \033[K clears what a longer line left. */
	fprintf(stderr, "\r\033[K[%d/%d] %s %d/%d", p->step, p->total,
		p->label, done, of);
	if (done == of)
		fputc('\n', stderr);
}

void progress__tick(void *p, int run, int runs)
{
	progress__update(p, run < 0 ? 0 : run + 1, runs);
}
