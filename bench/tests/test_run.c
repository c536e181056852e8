/*
 * test_run.c - Tests of `isobench run` as a whole: approaches measured
 * interleaved, and the quick run of `make bench QUICK=1`.  Part of
 * test_bench (suites.h).
 */
#include "suites.h"

const struct bench_suite bench_suite_run = { NULL, 0 };
