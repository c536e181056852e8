/*
 * samples.h - A growable array of measurements (doubles).
 *
 * Every figure the harness reports starts as a struct samples: the raw
 * values, in the order they were measured, kept so that the JSON result
 * holds them all and statistics can be recomputed later.
 */
#ifndef ISOLAB_SAMPLES_H
#define ISOLAB_SAMPLES_H

#include <stddef.h>

struct samples {
	double *v;
	size_t n;
	size_t cap;
};

#define SAMPLES_INIT { NULL, 0, 0 }

/* Append x.  Returns 0 on success, -1 (errno ENOMEM) if it couldn't grow. */
int samples__push(struct samples *s, double x);

/* Free the values; s is left empty and reusable. */
void samples__free(struct samples *s);

#endif
