/*
 * progress.h - Progress of a long run on stderr: "[3/12] native:start 40/100".
 *
 * On a terminal the line is redrawn in place (at most ~10 times a second);
 * otherwise (a log, CI) one line is printed when each step ends, so logs
 * stay short and still show where a run was.
 */
#ifndef ISOLAB_PROGRESS_H
#define ISOLAB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct progress {
	int total;        /* steps in the whole run */
	int step;         /* current step, 1-based */
	char label[96];   /* what the current step measures */
	bool tty;         /* stderr is a terminal */
	bool quiet;       /* print nothing */
	uint64_t last_ns; /* last redraw */
};

void progress__init(struct progress *p, int total_steps, bool quiet);

/* Begin the next step. */
void progress__step(struct progress *p, const char *label);

/* done of `of` units of the current step are finished; the step's line is
 * printed when done == of. */
void progress__update(struct progress *p, int done, int of);

/* A timing_tick (timing.h) that forwards to progress__update: run is the
 * run index (warm-ups negative), so warm-ups show as 0 done. */
void progress__tick(void *p, int run, int runs);

#endif
