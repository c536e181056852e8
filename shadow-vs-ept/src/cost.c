/*
 * cost.c - Reading the cost model file (see cost.h, cost-model.conf).
 */
#define _GNU_SOURCE
#include "cost.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cost__defaults(struct cost_model *cm)
{
#define COST_DEFAULT(name, dflt) cm->name = dflt;
	COST_FIELDS(COST_DEFAULT)
#undef COST_DEFAULT
}

static double *cost_field(struct cost_model *cm, const char *name)
{
#define COST_MATCH(f, dflt)                                                    \
	if (strcmp(name, #f) == 0)                                             \
		return &cm->f;
	COST_FIELDS(COST_MATCH)
#undef COST_MATCH
	return NULL;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

int cost__load(struct cost_model *cm, const char *path, struct isolab_err *e)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, *eq, *name, *val, *endp, *hash;
	size_t cap = 0;
	unsigned long lineno = 0;
	double *field, v;
	int rc = 0;

	if (!f)
		return err__set(e, errno, "%s", path);
	while (getline(&line, &cap, f) > 0) {
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		name = trim(line);
		if (!*name)
			continue;
		eq = strchr(name, '=');
		if (!eq) {
			rc = err__set(e, 0, "%s:%lu: expected `name = cycles`",
				      path, lineno);
			break;
		}
		*eq = '\0';
		name = trim(name);
		val = trim(eq + 1);
		field = cost_field(cm, name);
		if (!field) {
			rc = err__set(e, 0, "%s:%lu: unknown cost `%s`", path,
				      lineno, name);
			break;
		}
		errno = 0;
		v = strtod(val, &endp);
		if (!*val || *endp || errno || v < 0 || v > 1e9) {
			rc = err__set(e, 0,
				      "%s:%lu: %s: `%s` is not a number of "
				      "cycles in [0, 1e9]",
				      path, lineno, name, val);
			break;
		}
		*field = v;
	}
	free(line);
	fclose(f);
	return rc;
}
