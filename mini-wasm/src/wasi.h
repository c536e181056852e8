/*
 * wasi.h - WASI preview1 host functions for clang + wasi-libc programs.
 */
#ifndef MINI_WASM_WASI_H
#define MINI_WASM_WASI_H

#include "runtime.h"

struct wasi;

/* The program's view of the world: argv (argv[0] is the module name), K=V
 * environment strings, and HOST[::GUEST] directories preopened as fds 3,
 * 4, ...  The strings must outlive it.  NULL with e filled when a
 * directory cannot be opened. */
struct wasi *wasi__create(int argc, char **argv, int envc, const char **envp,
			  int ndirs, const char **dirs, struct isolab_err *e);
void wasi__destroy(struct wasi *w);

/* Define in l every wasi_snapshot_preview1 function m imports (unknown ones
 * return ENOSYS), allocated in s.  Returns 0, or -1 when out of memory. */
int wasi__define(struct wasi *w, struct store *s, struct linker *l,
		 const struct module *m);

/* Give the host functions the instance's exported "memory". */
void wasi__bind(struct wasi *w, struct instance *in);

#endif
