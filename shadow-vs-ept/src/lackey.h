/*
 * lackey.h - Reading memory traces written by
 * `valgrind --tool=lackey --trace-mem=yes` (see lackey.c).
 */
#ifndef SVE_LACKEY_H
#define SVE_LACKEY_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct lackey_rec {
	char op;       /* 'I' fetch, 'L' load, 'S' store, 'M' modify */
	uint64_t addr; /* virtual address */
	unsigned size; /* bytes */
};

struct lackey {
	FILE *f;
	int own; /* close f at the end (not stdin) */
	char *line;
	size_t cap;
	unsigned long lineno;
	char name[256]; /* for messages */
};

/* Open path ("-": standard input).  Returns NULL with e filled. */
struct lackey *lackey__open(const char *path, struct isolab_err *e);
void lackey__close(struct lackey *lk);

/* The next access.  Returns 1 with r filled, 0 at the end, -1 with e
 * naming the line ("FILE:LINE: ...") when the line is malformed or
 * unreadable. */
int lackey__next(struct lackey *lk, struct lackey_rec *r, struct isolab_err *e);

/* Parse one line (without its newline).  Returns 1 with r filled, 0 for a
 * line that carries no access (blank, or valgrind's "==PID==" messages),
 * -1 with a reason in *why for a malformed one. */
int lackey__parse_line(const char *line, struct lackey_rec *r,
		       const char **why);

#endif
