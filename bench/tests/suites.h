/*
 * suites.h - The parts of bench's one test binary (test_bench) that live
 * in files of their own beside test_bench.c.
 *
 * test_bench.c holds the harness library's tests and runs every suite
 * listed here after them, as one cmocka group; a new file of tests
 * defines one `const struct bench_suite` and is listed below.
 */
#ifndef ISOLAB_BENCH_SUITES_H
#define ISOLAB_BENCH_SUITES_H

#include <stddef.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

struct bench_suite {
	const struct CMUnitTest *tests;
	size_t n;
};

/* test_peers.c: the peers' plumbing (QEMU's initramfs writer, ...). */
extern const struct bench_suite bench_suite_peers;
/* test_run.c: isobench run as a whole (interleaving, --quick). */
extern const struct bench_suite bench_suite_run;
/* test_filecache.c: the trusted cache files (filecache.c). */
extern const struct bench_suite bench_suite_filecache;

#endif
