/*
 * spec.h - The runner of the official spec tests' command scripts.
 */
#ifndef MINI_WASM_SPEC_H
#define MINI_WASM_SPEC_H

#include "err.h"

struct spec_counts {
	int passed, failed, skipped;
};

/* Run the wast2json script FILE; failures are listed on stderr.  Returns
 * 0 with the counts, or -1 when the script cannot be read (e filled). */
int spec__run(const char *file, struct spec_counts *out, struct isolab_err *e);

#endif
