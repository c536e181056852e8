/*
 * tests.h - The groups of mini-container's one test binary, one per
 * source file of tests/, run in order by test_main.c.
 */
#ifndef MINI_CONTAINER_TESTS_H
#define MINI_CONTAINER_TESTS_H

int test_cgroup__run(void);
int test_run__run(void);
int test_oci__run(void);

/* Once per binary (test_run.c): a busybox rootfs with mc-probe in a
 * temporary directory, and its removal. */
void tests__setup(void);
void tests__cleanup(void);
/* Why the container tests must skip (not root, nothing built), or NULL. */
const char *tests__skip_reason(void);
const char *tests__rootfs(void); /* the rootfs directory */
const char *tests__tmp(void);	 /* the temporary directory holding it */
const char *tests__mc(void);	 /* the mini-container binary */

/* floor, or floor / 2 when the load average fills the CPUs (test_run.c). */
double busy_machine_floor(double floor);

#endif
