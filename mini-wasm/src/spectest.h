/*
 * spectest.h - The `spectest` host module of the official spec tests.
 */
#ifndef MINI_WASM_SPECTEST_H
#define MINI_WASM_SPECTEST_H

#include "runtime.h"

/* Define spectest.* in l, allocated in s.  Returns 0 or -1 (no memory). */
int spectest__define(struct store *s, struct linker *l);

#endif
