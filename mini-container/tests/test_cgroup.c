/*
 * test_cgroup.c - Tests of cgroup.c on this machine's real hierarchies:
 * each test makes a group named after the test and this process, checks a
 * knob or a meter against the kernel's own files, and removes the group.
 * They need root (creating groups); without it they skip and say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup.h"
#include "testing.h"
#include "timing.h"
#include "tests.h"

#define NEED_ROOT()                                                            \
	do {                                                                   \
		if (!testing__is_root())                                       \
			TEST_SKIP("creating cgroups needs root");              \
	} while (0)

static void group_name(char *buf, size_t len, const char *test)
{
	snprintf(buf, len, "isolab-test-%s-%d", test, (int)getpid());
}

static int read_file(const char *dir, const char *file, char *buf, size_t len)
{
	char path[4200];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* A child stopped at a pipe until the parent has attached it. */
struct held {
	pid_t pid;
	int go; /* write end: closing it lets the child go on */
};

static struct held hold_child(void (*body)(void))
{
	struct held h = {-1, -1};
	int p[2];

	if (pipe(p) < 0)
		return h;
	h.pid = fork();
	if (h.pid == 0) {
		char c;

		close(p[1]);
		(void)!read(p[0], &c, 1);
		body();
		_exit(0);
	}
	close(p[0]);
	h.go = p[1];
	return h;
}

static int release_and_wait(struct held *h)
{
	int st = 0;

	close(h->go);
	waitpid(h->pid, &st, 0);
	return st;
}

static void body_sleep(void)
{
	pause();
}

static void body_spin_1s(void)
{
	uint64_t t0 = timing__now_ns();

	while (timing__now_ns() - t0 < 1000000000ull)
		;
}

/* Forks 10 children that stay alive; exits with how many forks worked. */
static void body_fork10(void)
{
	int ok = 0;

	for (int i = 0; i < 10; i++) {
		pid_t p = fork();

		if (p == 0) {
			pause();
			_exit(0);
		}
		if (p > 0)
			ok++;
	}
	_exit(ok);
}

static void body_alloc_64m(void)
{
	size_t len = 64u << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	_exit(0);
}

/* create makes one directory per hierarchy; destroy removes them all. */
static void test_cgroup_create_then_destroy_leaves_no_directory(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64], mem[4096];
	struct stat st;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "create");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_non_null(cgroup__dir(cg, "memory"));
	assert_non_null(cgroup__dir(cg, "pids"));
	snprintf(mem, sizeof(mem), "%s", cgroup__dir(cg, "memory"));
	assert_int_equal(stat(mem, &st), 0);
	/* The group sits under this process's own group: its name is the
	 * last component. */
	assert_string_equal(strrchr(mem, '/') + 1, name);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
	assert_int_equal(stat(mem, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/* 32 MiB written is 33554432 in memory.limit_in_bytes (v1) or memory.max. */
static void test_cgroup_memory_limit_reads_back_33554432(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64], buf[64];

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "mem");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_int_equal(cgroup__set_memory(cg, 32 << 20, &e), 0);
	assert_int_equal(read_file(cgroup__dir(cg, "memory"),
				   strcmp(cgroup__mode(cg), "v2") == 0
					   ? "memory.max"
					   : "memory.limit_in_bytes",
				   buf, sizeof(buf)),
			 0);
	assert_string_equal(buf, "33554432");
	/* Back to no limit, then a bigger one: the memsw ordering works. */
	assert_int_equal(cgroup__set_memory(cg, -1, &e), 0);
	assert_int_equal(cgroup__set_memory(cg, 64 << 20, &e), 0);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* The new cpuset group got the parent's cpus and mems (an empty one would
 * refuse every task with ENOSPC): attaching works. */
static void test_cgroup_cpuset_copied_from_parent_so_attach_works(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64], buf[256];
	struct held h;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "cpuset");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	if (!cgroup__dir(cg, "cpuset")) {
		cgroup__destroy(cg, NULL);
		TEST_SKIP("no cpuset hierarchy on this machine");
	}
	assert_int_equal(read_file(cgroup__dir(cg, "cpuset"), "cpuset.cpus",
				   buf, sizeof(buf)),
			 0);
	assert_true(buf[0] != '\0');
	h = hold_child(body_sleep);
	assert_true(h.pid > 0);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	kill(h.pid, SIGKILL);
	release_and_wait(&h);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* A child spinning 1 s of wall time under a 50 ms / 100 ms quota gets
 * about 0.5 s of CPU: cpuacct says 0.4-0.65 s (on a machine too busy to
 * give an unlimited control spinner 90% of a CPU meanwhile, a lower
 * floor: see tests__cpu_floor). */
static void
test_cgroup_cpu_max_half_gives_half_a_second_per_second(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64];
	uint64_t ns = 0;
	double control_cpu;
	pid_t control;
	struct held h;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "cpumax");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_int_equal(cgroup__set_cpu_max(cg, 50000, 100000, &e), 0);
	assert_int_equal(cgroup__set_cpu_shares(cg, 512, &e), 0);
	h = hold_child(body_spin_1s);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	control = tests__control_spin_start(1);
	release_and_wait(&h);
	control_cpu = tests__control_spin_cpu(control);
	assert_int_equal(cgroup__cpu_usage_ns(cg, &ns, &e), 0);
	print_message("cpu time in 1 s at quota 0.5: %.3f s\n", ns / 1e9);
	assert_true(ns <= 650000000ull);
	assert_true(ns / 1e9 >= tests__cpu_floor(0.5, 1, control_cpu));
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* pids.max 4: the child and 3 of its 10 forks fit, so it reports 3. */
static void test_cgroup_pids_4_allows_exactly_3_forks(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64];
	struct held h;
	int st;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "pids");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_int_equal(cgroup__set_pids(cg, 4, &e), 0);
	h = hold_child(body_fork10);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	st = release_and_wait(&h);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 3);
	/* The 3 grandchildren are still in the group: destroy kills them. */
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* 64 MiB touched under a 16 MiB limit without swap: the OOM killer kills
 * the child (SIGKILL) and the group counts 1 OOM kill. */
static void test_cgroup_memory_16m_oom_kills_64m_child(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64];
	uint64_t kills = 0;
	int64_t cur, peak;
	struct held h;
	int st;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "oom");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_int_equal(cgroup__set_memory(cg, 16 << 20, &e), 0);
	h = hold_child(body_alloc_64m);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	st = release_and_wait(&h);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_int_equal(cgroup__oom_kills(cg, &kills, &e), 0);
	assert_int_equal(kills, 1);
	assert_int_equal(cgroup__memory(cg, &cur, &peak, &e), 0);
	assert_true(peak == -1 || peak >= (15 << 20));
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* destroy kills a process still in the group, then removes it. */
static void test_cgroup_destroy_kills_what_is_left(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	pid_t pids[4];
	size_t n = 0;
	char name[64];
	struct held h;
	int st;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "kill");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	h = hold_child(body_sleep);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	assert_int_equal(cgroup__pids(cg, pids, 4, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], h.pid);
	close(h.go); /* the child now sits in pause() */
	assert_int_equal(cgroup__destroy(cg, &e), 0);
	waitpid(h.pid, &st, 0);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

/* describe + open hands the same directories to another process (the
 * state file of a running container); destroy through it removes them,
 * sub-groups made inside the group included. */
static void test_cgroup_describe_open_roundtrip_and_subgroups(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg, *again;
	char name[64], desc[4096], sub[4200], mem[4096];
	struct stat st;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "describe");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_true(cgroup__describe(cg, desc, sizeof(desc)) > 0);
	snprintf(mem, sizeof(mem), "%s", cgroup__dir(cg, "memory"));
	cgroup__close(cg);
	snprintf(sub, sizeof(sub), "%s/child", mem);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(cgroup__open(desc, &again, &e), 0);
	assert_string_equal(cgroup__dir(again, "memory"), mem);
	assert_int_equal(cgroup__destroy(again, &e), 0);
	assert_int_equal(stat(mem, &st), -1);
	assert_int_equal(cgroup__open("nonsense", &again, &e), -1);
	assert_string_equal(e.msg, "not a cgroup description");
}

/* The v2 paths on the unified tree (here a hybrid machine's empty
 * cgroup2): create, attach, kill and remove work; a resource limit is
 * refused with a message naming the missing controller. */
static void test_cgroup_v2_forced_create_attach_destroy(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64], dir[4096];
	struct held h;
	struct stat st;
	int st2;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "v2");
	if (cgroup__create_opts(name, CGROUP_FORCE_V2, &cg, &e) < 0)
		TEST_SKIP("no usable cgroup2 tree here: %s", e.msg);
	assert_string_equal(cgroup__mode(cg), "v2");
	snprintf(dir, sizeof(dir), "%s", cgroup__dir(cg, "cpuacct"));
	h = hold_child(body_sleep);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	close(h.go);
	if (!cgroup__dir(cg, "memory")) {
		assert_int_equal(cgroup__set_memory(cg, 1 << 20, &e), -1);
		assert_non_null(strstr(e.msg, "memory controller"));
	}
	assert_int_equal(cgroup__destroy(cg, &e), 0);
	waitpid(h.pid, &st2, 0);
	assert_true(WIFSIGNALED(st2));
	assert_int_equal(stat(dir, &st), -1);
}

/* Devices: deny all, then the allow list; devices.list reads back the
 * list ("c 1:3 rwm" in, the initial "a *:* rwm" gone). */
static void test_cgroup_devices_allow_list_reads_back(void **state)
{
	static const char *const allow[] = {"c 1:3 rwm", "c 136:* rwm", NULL};
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64], buf[512], *list;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "devices");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	if (!cgroup__dir(cg, "devices")) {
		assert_int_equal(cgroup__set_devices(cg, allow, &e), -1);
		cgroup__destroy(cg, NULL);
		TEST_SKIP("no v1 devices hierarchy (cgroup v2 uses BPF)");
	}
	assert_int_equal(cgroup__set_devices(cg, allow, &e), 0);
	snprintf(buf, sizeof(buf), "%s/devices.list",
		 cgroup__dir(cg, "devices"));
	list = testing__slurp(buf, NULL);
	assert_non_null(list);
	assert_non_null(strstr(list, "c 1:3 rwm\n"));
	assert_non_null(strstr(list, "c 136:* rwm\n"));
	assert_null(strstr(list, "a *:* rwm"));
	free(list);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* A group whose creator forgot it (closed, not destroyed) is found by
 * name under this process's own groups and removed: no directory left. */
static void test_cgroup_remove_stale_finds_forgotten_group(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64], mem[4096];
	struct stat st;

	(void)state;
	NEED_ROOT();
	group_name(name, sizeof(name), "stale");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	snprintf(mem, sizeof(mem), "%s", cgroup__dir(cg, "pids"));
	cgroup__close(cg);
	assert_int_equal(stat(mem, &st), 0);
	assert_int_equal(cgroup__remove_stale(name, &e), 0);
	assert_int_equal(stat(mem, &st), -1);
	assert_int_equal(errno, ENOENT);
}

/* The warm-up helper moves itself into its own group and exits 0; an
 * attach right after it still works. */
static void test_cgroup_warm_attach_helper_exits_0(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64];
	struct held h;
	pid_t warm;
	int st;

	(void)state;
	NEED_ROOT();
	warm = cgroup__warm_attach();
	assert_true(warm > 0);
	group_name(name, sizeof(name), "warm");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	h = hold_child(body_sleep);
	assert_int_equal(cgroup__attach(cg, h.pid, &e), 0);
	assert_int_equal(waitpid(warm, &st, 0), warm);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	kill(h.pid, SIGKILL);
	release_and_wait(&h);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* Bad names and out-of-range values are refused before any write. */
static void test_cgroup_bad_values_refused(void **state)
{
	struct isolab_err e = {0};
	struct cgroup *cg;
	char name[64];

	(void)state;
	assert_int_equal(cgroup__create("../escape", &cg, &e), -1);
	assert_string_equal(e.msg, "../escape: not a valid cgroup name");
	NEED_ROOT();
	group_name(name, sizeof(name), "bad");
	assert_int_equal(cgroup__create(name, &cg, &e), 0);
	assert_int_equal(cgroup__set_cpu_shares(cg, 1, &e), -1);
	assert_string_equal(e.msg, "cpu shares 1: not in [2, 262144]");
	assert_int_equal(cgroup__set_cpu_max(cg, 500, 100000, &e), -1);
	assert_int_equal(cgroup__set_pids(cg, 0, &e), -1);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
}

/* After each test, even a failed one (cmocka's assert jumps out before
 * its cgroup__destroy): remove any group this process left, so that a
 * failure leaves no cgroup on the machine. */
static int cgroup_teardown(void **state)
{
	static const char *const tests[] = {
		"create",   "mem", "cpuset",  "cpumax", "pids", "oom",	 "kill",
		"describe", "v2",  "devices", "warm",	"bad",	"stale",
	};

	(void)state;
	if (!testing__is_root())
		return 0;
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		char name[64];

		group_name(name, sizeof(name), tests[i]);
		cgroup__remove_stale(name, NULL);
	}
	return 0;
}

#define T(f) cmocka_unit_test_teardown(f, cgroup_teardown)

int test_cgroup__run(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cgroup_create_then_destroy_leaves_no_directory),
		T(test_cgroup_memory_limit_reads_back_33554432),
		T(test_cgroup_cpuset_copied_from_parent_so_attach_works),
		T(test_cgroup_cpu_max_half_gives_half_a_second_per_second),
		T(test_cgroup_pids_4_allows_exactly_3_forks),
		T(test_cgroup_memory_16m_oom_kills_64m_child),
		T(test_cgroup_destroy_kills_what_is_left),
		T(test_cgroup_describe_open_roundtrip_and_subgroups),
		T(test_cgroup_v2_forced_create_attach_destroy),
		T(test_cgroup_devices_allow_list_reads_back),
		T(test_cgroup_remove_stale_finds_forgotten_group),
		T(test_cgroup_warm_attach_helper_exits_0),
		T(test_cgroup_bad_values_refused),
	};

	return cmocka_run_group_tests_name("cgroup", tests, NULL, NULL);
}
