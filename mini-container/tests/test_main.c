/*
 * test_main.c - mini-container's test binary: runs every group of tests
 * (see tests.h) and fails if any group failed.
 */
#include "tests.h"

int main(void)
{
	int failed = 0;

	failed += test_cgroup__run();
	failed += test_cgroup_v2__run();
	tests__setup();
	failed += test_run__run();
	failed += test_oci__run();
	failed += test_seccomp_cache__run();
	tests__cleanup();
	return failed ? 1 : 0;
}
