/*
 * tests.h - The groups of mini-container's one test binary, one per
 * source file of tests/, run in order by test_main.c.
 */
#ifndef MINI_CONTAINER_TESTS_H
#define MINI_CONTAINER_TESTS_H

#include <sys/types.h>

int test_cgroup__run(void);
int test_cgroup_v2__run(void);
int test_run__run(void);
int test_oci__run(void);
int test_seccomp_cache__run(void);

/* Once per binary (test_run.c): a busybox rootfs with mc-probe in a
 * temporary directory, and its removal. */
void tests__setup(void);
void tests__cleanup(void);
/* Why the container tests must skip (not root, nothing built), or NULL. */
const char *tests__skip_reason(void);

/* Skip the calling test (with the reason) when the container tests
 * cannot run here: not root, no busybox rootfs. */
#define NEED_ROOTFS()                                                          \
	do {                                                                   \
		if (tests__skip_reason())                                      \
			TEST_SKIP("%s", tests__skip_reason());                 \
	} while (0)
const char *tests__rootfs(void); /* the rootfs directory */
const char *tests__tmp(void);	 /* the temporary directory holding it */
const char *tests__mc(void);	 /* the mini-container binary */

/* A control spinner beside a CPU-limited one (test_run.c): start it,
 * collect the CPU seconds it got, and the lower bound for the limited
 * group: 80% of quota x seconds on a quiet machine, 40% of
 * min(quota, control per second) x seconds on a busy one. */
pid_t tests__control_spin_start(double seconds);
double tests__control_spin_cpu(pid_t pid);
double tests__cpu_floor(double quota, double seconds, double control);

#endif
