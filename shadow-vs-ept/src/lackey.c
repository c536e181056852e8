/*
 * lackey.c - The lackey trace format and its replay on the simulator.
 *
 * `valgrind --tool=lackey --trace-mem=yes prog` prints one line per
 * access: "I  ADDR,SIZE" for an instruction fetch (no leading blank),
 * " L ADDR,SIZE", " S ADDR,SIZE", " M ADDR,SIZE" for a load, store and
 * load+store (modify), ADDR in hex without 0x, SIZE in decimal; lines
 * beginning "==PID==" are valgrind's own messages.  Source: valgrind's
 * lackey/lk_main.c (trace_instr, trace_load, trace_store, trace_modify).
 */
#define _GNU_SOURCE
#include "lackey.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "guestos.h"
#include "sim.h"
#include "workload.h"

#define USER_TOP (1ull << 47)

struct lackey *lackey__open(const char *path, struct isolab_err *e)
{
	struct lackey *lk = calloc(1, sizeof(*lk));

	if (!lk) {
		err__set(e, errno, "%s", path);
		return NULL;
	}
	if (strcmp(path, "-") == 0) {
		lk->f = stdin;
		snprintf(lk->name, sizeof(lk->name), "stdin");
	} else {
		lk->f = fopen(path, "re");
		lk->own = 1;
		snprintf(lk->name, sizeof(lk->name), "%s", path);
		if (!lk->f) {
			err__set(e, errno, "%s", path);
			free(lk);
			return NULL;
		}
	}
	return lk;
}

void lackey__close(struct lackey *lk)
{
	if (!lk)
		return;
	if (lk->own)
		fclose(lk->f);
	free(lk->line);
	free(lk);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int lackey__parse_line(const char *p, struct lackey_rec *r, const char **why)
{
	uint64_t addr = 0, size = 0;
	int digits = 0, d;

	if (p[0] == '=' && p[1] == '=')
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '\r')
		return 0;
	if (!strchr("ILSM", *p) || p[1] != ' ') {
		*why = "expected I, L, S or M, a blank, then ADDR,SIZE";
		return -1;
	}
	r->op = *p++;
	while (*p == ' ')
		p++;
	for (; (d = hexval(*p)) >= 0; p++, digits++) {
		if (digits == 16) {
			*why = "address longer than 64 bits";
			return -1;
		}
		addr = addr << 4 | (uint64_t)d;
	}
	if (!digits) {
		*why = "missing hexadecimal address";
		return -1;
	}
	if (*p++ != ',') {
		*why = "expected `,SIZE` after the address";
		return -1;
	}
	for (digits = 0; *p >= '0' && *p <= '9'; p++, digits++) {
		size = size * 10 + (uint64_t)(*p - '0');
		if (size > 4096) {
			*why = "size out of range [1, 4096]";
			return -1;
		}
	}
	if (!digits || size == 0) {
		*why = digits ? "size out of range [1, 4096]" : "missing size";
		return -1;
	}
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p) {
		*why = "trailing characters after SIZE";
		return -1;
	}
	r->addr = addr;
	r->size = (unsigned)size;
	return 1;
}

int lackey__next(struct lackey *lk, struct lackey_rec *r, struct isolab_err *e)
{
	const char *why = NULL;
	ssize_t n;
	int rc;

	for (;;) {
		errno = 0;
		n = getline(&lk->line, &lk->cap, lk->f);
		if (n < 0) {
			if (ferror(lk->f))
				return err__set(e, errno, "%s:%lu: read",
						lk->name, lk->lineno + 1);
			return 0;
		}
		lk->lineno++;
		if (strlen(lk->line) != (size_t)n)
			return err__set(e, 0, "%s:%lu: NUL byte in line",
					lk->name, lk->lineno);
		if (lk->line[n - 1] == '\n')
			lk->line[n - 1] = '\0';
		rc = lackey__parse_line(lk->line, r, &why);
		if (rc < 0)
			return err__set(e, 0, "%s:%lu: %s", lk->name,
					lk->lineno, why);
		if (rc > 0)
			return 1;
	}
}

int trace__run(struct sim *s, const char *path, bool ifetch,
	       struct isolab_err *e)
{
	struct lackey *lk;
	struct lackey_rec r;
	uint64_t last;
	int pid, rc;

	lk = lackey__open(path, e);
	if (!lk)
		return -1;
	/* One process whose whole user half is mapped: the trace's program
	 * had its own mappings, which the trace does not record. */
	pid = guestos__spawn(s, e);
	if (pid < 0 || guestos__switch(s, pid, e) < 0 ||
	    guestos__map_fixed(s, PAGE_SIZE, USER_TOP, true, e) < 0) {
		lackey__close(lk);
		return -1;
	}
	while ((rc = lackey__next(lk, &r, e)) > 0) {
		bool write = r.op == 'S' || r.op == 'M';

		if (r.op == 'I' && !ifetch)
			continue;
		last = r.addr + r.size - 1;
		if (r.addr < PAGE_SIZE || last >= USER_TOP || last < r.addr) {
			rc = err__set(e, 0,
				      "%s:%lu: address %#llx outside the user "
				      "half [0x1000, 0x800000000000)",
				      lk->name, lk->lineno,
				      (unsigned long long)r.addr);
			break;
		}
		if (sim__access(s, r.addr, write, NULL, e) < 0 ||
		    ((last ^ r.addr) >> PAGE_SHIFT &&
		     sim__access(s, last, write, NULL, e) < 0)) {
			rc = -1;
			break;
		}
	}
	lackey__close(lk);
	return rc < 0 ? -1 : 0;
}
