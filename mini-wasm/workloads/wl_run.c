/*
 * wl_run.c - The workload API (bench/workloads/wl.h) for a freestanding
 * Wasm module without WASI, for interpreters that have none (Debian's
 * wabt `wasm-interp --run-all-exports`): the module exports `run`, which
 * returns wl_main()'s status; output goes to a buffer in linear memory,
 * exported as `out`/`out_len` so the computation cannot be optimised away.
 */
#include "wl.h"

static char out[4096];
static unsigned out_len;

void wl_write(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[out_len++ % sizeof(out)] = buf[i];
}

void wl_sink(const char *buf, size_t len)
{
	(void)buf;
	out_len += (unsigned)len;
}

/* The compiler may emit calls to these for struct copies and clears. */
void *memcpy(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	char *dp = d;

	while (n--)
		*dp++ = (char)c;
	return d;
}

__attribute__((export_name("run"))) int run(void)
{
	return wl_main();
}

__attribute__((export_name("out_len"))) unsigned run_out_len(void)
{
	return out_len;
}
