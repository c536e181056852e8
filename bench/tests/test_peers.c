/*
 * test_peers.c - Tests of the plumbing isobench needs for its peers
 * (bench/src/qemu.c, ...).  Part of test_bench (suites.h).
 */
#include "suites.h"

const struct bench_suite bench_suite_peers = { NULL, 0 };
