/*
 * approach.c - The table of approaches isobench measures (see approach.h).
 */
#include "approach.h"

#include <string.h>

extern const struct approach_ops native_approach;

const struct approach_ops *const approaches[] = {
	&native_approach,
	NULL,
};

const struct approach_ops *approach__find(const char *name)
{
	for (size_t i = 0; approaches[i]; i++)
		if (strcmp(approaches[i]->name, name) == 0)
			return approaches[i];
	return NULL;
}
