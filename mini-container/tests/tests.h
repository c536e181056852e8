/*
 * tests.h - The groups of mini-container's one test binary, one per
 * source file of tests/, run in order by test_main.c.
 */
#ifndef MINI_CONTAINER_TESTS_H
#define MINI_CONTAINER_TESTS_H

int test_cgroup__run(void);

#endif
