/*
 * test_cgroup_v2.c - cgroup.c's v2 code on a tree laid out like a cgroup2
 * mount.
 *
 * This machine is v1-hybrid: its cgroup2 carries no resource controller
 * (they are bound to the v1 hierarchies, and a second cgroup2 mount is the
 * same empty hierarchy), so memory.max, cpu.max, cpu.weight and pids.max
 * exist nowhere on it.  These tests run the v2 paths anyway, on a plain
 * directory: a mountinfo file the test writes mounts it as cgroup2, a
 * /proc/self/cgroup file puts this process in "/runtime", and a mkdir
 * hook (struct cgroup_host) fills each new group with the interface files
 * the kernel would make.  Each test then checks exactly what was written
 * where.  No root needed.
 *
 * What the fake does not model: a cgroup file takes each write whole,
 * while cgroup.c writes without truncating (a cost the kernel's files do
 * not need), so the fake's files start empty and a test empties one
 * before it writes it again; enabling a controller in
 * cgroup.subtree_control (the file keeps the write, which the tests
 * check; a new group gets the files of every controller its parent
 * offers in cgroup.controllers); the kernel's refusals (EBUSY for the
 * no-internal-process rule, EINVAL for a bad value).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cgroup.h"
#include "testing.h"
#include "tests.h"

/* The parent group's controllers on a typical v2 machine (Debian 12's
 * systemd), and those already enabled for its sub-groups. */
#define ALL_CONTROLLERS "cpuset cpu io memory hugetlb pids rdma misc"
#define ALREADY_ON	"cpu"

/* One fake cgroup2 tree in a temporary directory. */
struct fake {
	char tmp[PATH_MAX];
	char mnt[PATH_MAX + 8];	    /* "mounted" cgroup2 */
	char parent[PATH_MAX + 16]; /* this process's group: mnt/runtime */
	char mountinfo[PATH_MAX + 16];
	char self_cgroup[PATH_MAX + 16];
	struct cgroup_host host;
};

static void put(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "we");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* dir/file without its trailing newline, in buf. */
static const char *get(const char *dir, const char *file, char *buf, size_t len)
{
	char path[PATH_MAX * 2];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* The kernel's side of mkdir in a cgroup2 tree: the new group's interface
 * files for every controller the parent offers (cgroup.controllers), the
 * knobs empty (see the top of the file), the meters at zero.  Returns 0
 * or -1 (errno). */
static int fake_mkdir(const char *path, mode_t mode)
{
	static const struct {
		const char *controller, *file, *value;
	} files[] = {
		{NULL, "cgroup.procs", ""},
		{NULL, "cgroup.subtree_control", ""},
		{NULL, "cpu.stat",
		 "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"},
		{"cpu", "cpu.max", ""},
		{"cpu", "cpu.weight", ""},
		{"memory", "memory.max", ""},
		{"memory", "memory.swap.max", ""},
		{"memory", "memory.current", "0\n"},
		{"memory", "memory.peak", "0\n"},
		{"memory", "memory.events",
		 "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n"},
		{"pids", "pids.max", ""},
		{"cpuset", "cpuset.cpus", ""},
	};
	char up[PATH_MAX], offered[512] = "", spaced[520];

	if (mkdir(path, mode) < 0)
		return -1;
	snprintf(up, sizeof(up), "%s", path);
	get(dirname(up), "cgroup.controllers", offered, sizeof(offered));
	/* " cpu io pids ": a controller is offered if " NAME " is in it. */
	snprintf(spaced, sizeof(spaced), " %s ", offered);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *c = files[i].controller;
		char word[32];

		snprintf(word, sizeof(word), " %s ", c ? c : "");
		if (c && !strstr(spaced, word))
			continue;
		put(path, files[i].file, files[i].value);
	}
	put(path, "cgroup.controllers", offered);
	return 0;
}

/* Does the group at dir hold a live task (not a zombie)? */
static bool fake_populated(const char *dir)
{
	char buf[256], stat[512], path[64], *p;
	int pid;

	if (!get(dir, "cgroup.procs", buf, sizeof(buf)))
		return false;
	for (p = buf; sscanf(p, "%d", &pid) == 1; p = strchr(p, '\n') + 1) {
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (get(path, "stat", stat, sizeof(stat)) &&
		    strstr(stat, ") Z ") == NULL)
			return true;
		if (!strchr(p, '\n'))
			break;
	}
	return false;
}

/* The kernel's side of rmdir: EBUSY while a task lives in the group,
 * otherwise the interface files go with it. */
static int fake_rmdir(const char *path)
{
	static const char *const files[] = {
		"cgroup.procs",
		"cgroup.subtree_control",
		"cgroup.controllers",
		"cpu.stat",
		"cpu.max",
		"cpu.weight",
		"memory.max",
		"memory.swap.max",
		"memory.current",
		"memory.peak",
		"memory.events",
		"pids.max",
		"cpuset.cpus",
	};

	if (access(path, F_OK) < 0)
		return -1;
	if (fake_populated(path)) {
		errno = EBUSY;
		return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char f[PATH_MAX * 2];

		snprintf(f, sizeof(f), "%s/%s", path, files[i]);
		unlink(f);
	}
	return rmdir(path);
}

/* Lay out the tree: mnt "mounted" as cgroup2 from mount_root, this process
 * in own_path, the parent group offering controllers with already_on
 * enabled. */
static void fake_layout(struct fake *f, const char *mount_root,
			const char *own_path, const char *controllers,
			const char *already_on)
{
	char text[PATH_MAX * 2];

	snprintf(f->mnt, sizeof(f->mnt), "%s/mnt", f->tmp);
	snprintf(f->parent, sizeof(f->parent), "%s/runtime", f->mnt);
	snprintf(f->mountinfo, sizeof(f->mountinfo), "%s/mountinfo", f->tmp);
	snprintf(f->self_cgroup, sizeof(f->self_cgroup), "%s/cgroup", f->tmp);
	assert_int_equal(mkdir(f->mnt, 0755), 0);
	assert_int_equal(mkdir(f->parent, 0755), 0);
	put(f->parent, "cgroup.controllers", controllers);
	put(f->parent, "cgroup.subtree_control", already_on);
	put(f->parent, "cgroup.procs", "");
	/* A hybrid machine's name=systemd v1 hierarchy (no resource
	 * controller, so not a reason to use v1) before the cgroup2. */
	snprintf(text, sizeof(text),
		 "25 1 0:22 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
		 "34 25 0:29 / /sys/fs/cgroup/systemd rw,nosuid shared:9 - "
		 "cgroup cgroup rw,xattr,name=systemd\n"
		 "35 25 0:30 %s %s rw,nosuid,nodev,noexec,relatime shared:10 "
		 "- cgroup2 cgroup2 rw,nsdelegate\n",
		 mount_root, f->mnt);
	put(f->tmp, "mountinfo", text);
	snprintf(text, sizeof(text), "1:name=systemd:/\n0::%s\n", own_path);
	put(f->tmp, "cgroup", text);
	f->host = (struct cgroup_host){f->mountinfo, f->self_cgroup, fake_mkdir,
				       fake_rmdir};
}

static int fake_setup(void **state)
{
	struct fake *f = calloc(1, sizeof(*f));

	if (!f || testing__tmpdir(f->tmp, sizeof(f->tmp)) < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fake_teardown(void **state)
{
	struct fake *f = *state;

	testing__rmtree(f->tmp);
	free(f);
	return 0;
}

/* The group "ctr" in the standard layout. */
static struct cgroup *fake_group(struct fake *f)
{
	struct isolab_err e = {0};
	struct cgroup *cg = NULL;

	fake_layout(f, "/", "/runtime", ALL_CONTROLLERS, ALREADY_ON);
	if (cgroup__create_in(&f->host, "ctr", 0, &cg, &e) < 0)
		fail_msg("cgroup__create_in: %s", e.msg);
	return cg;
}

/* With no v1 resource hierarchy in mountinfo the group is v2, made under
 * this process's own group (mount point + the "0::" path), and the three
 * controllers not yet on (memory, pids, cpuset; cpu already is) enabled
 * in one write to the parent's cgroup.subtree_control. */
static void
test_cgroup_v2_found_from_mountinfo_enables_controllers(void **state)
{
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	char buf[512], want[PATH_MAX * 2];

	assert_string_equal(cgroup__mode(cg), "v2");
	snprintf(want, sizeof(want), "%s/ctr", f->parent);
	assert_string_equal(cgroup__dir(cg, "memory"), want);
	assert_string_equal(cgroup__dir(cg, "pids"), want);
	assert_string_equal(cgroup__dir(cg, "cpuacct"), want);
	assert_non_null(
		get(f->parent, "cgroup.subtree_control", buf, sizeof(buf)));
	assert_string_equal(buf, "+memory +pids +cpuset");
	/* v2 has no devices files (a BPF program filters devices): the
	 * container then gives up CAP_MKNOD. */
	assert_null(cgroup__dir(cg, "devices"));
	snprintf(want, sizeof(want),
		 "v2\nmemory,cpu,cpuacct,pids,cpuset %s/ctr\n", f->parent);
	assert_true(cgroup__describe(cg, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, want);
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
	snprintf(want, sizeof(want), "%s/ctr", f->parent);
	assert_int_equal(access(want, F_OK), -1);
}

/* --memory 32M: memory.max 33554432 (32 x 1024 x 1024), and swap off
 * (memory.swap.max 0) so that the group is OOM-killed, not swapped;
 * no limit writes "max" to both. */
static void test_cgroup_v2_memory_32m_writes_memory_max_33554432(void **state)
{
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	struct isolab_err e = {0};
	const char *dir = cgroup__dir(cg, "memory");
	char buf[64];

	assert_int_equal(cgroup__set_memory(cg, 32 << 20, &e), 0);
	assert_string_equal(get(dir, "memory.max", buf, sizeof(buf)),
			    "33554432");
	assert_string_equal(get(dir, "memory.swap.max", buf, sizeof(buf)), "0");
	put(dir, "memory.max", "");
	put(dir, "memory.swap.max", "");
	assert_int_equal(cgroup__set_memory(cg, -1, &e), 0);
	assert_string_equal(get(dir, "memory.max", buf, sizeof(buf)), "max");
	assert_string_equal(get(dir, "memory.swap.max", buf, sizeof(buf)),
			    "max");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* --cpus 0.5 is a quota of 50000 us per 100000 us period: cpu.max
 * "50000 100000" (v1 spreads it over two files); no quota is "max". */
static void test_cgroup_v2_cpus_half_writes_cpu_max_50000_100000(void **state)
{
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	struct isolab_err e = {0};
	const char *dir = cgroup__dir(cg, "cpu");
	char buf[64];

	assert_int_equal(cgroup__set_cpu_max(cg, 50000, 100000, &e), 0);
	assert_string_equal(get(dir, "cpu.max", buf, sizeof(buf)),
			    "50000 100000");
	put(dir, "cpu.max", "");
	assert_int_equal(cgroup__set_cpu_max(cg, -1, 100000, &e), 0);
	assert_string_equal(get(dir, "cpu.max", buf, sizeof(buf)),
			    "max 100000");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* v1 shares [2, 262144] map onto v2's cpu.weight [1, 10000] as crun and
 * runc convert: 1 + (shares - 2) x 9999 / 262142.  Docker's default 1024
 * gives 39 (not v2's default 100: the conversion is linear, not
 * proportional to the defaults). */
static void test_cgroup_v2_shares_become_weight_as_crun_converts(void **state)
{
	static const struct {
		uint64_t shares;
		const char *weight;
	} t[] = {{2, "1"}, {1024, "39"}, {262144, "10000"}};
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	struct isolab_err e = {0};
	const char *dir = cgroup__dir(cg, "cpu");
	char buf[64];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		put(dir, "cpu.weight", "");
		assert_int_equal(cgroup__set_cpu_shares(cg, t[i].shares, &e),
				 0);
		assert_string_equal(get(dir, "cpu.weight", buf, sizeof(buf)),
				    t[i].weight);
	}
	assert_int_equal(cgroup__set_cpu_shares(cg, 1, &e), -1);
	assert_string_equal(get(dir, "cpu.weight", buf, sizeof(buf)), "10000");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* --pids 64 writes pids.max 64; no limit writes "max". */
static void test_cgroup_v2_pids_64_then_max(void **state)
{
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	struct isolab_err e = {0};
	const char *dir = cgroup__dir(cg, "pids");
	char buf[64];

	assert_int_equal(cgroup__set_pids(cg, 64, &e), 0);
	assert_string_equal(get(dir, "pids.max", buf, sizeof(buf)), "64");
	put(dir, "pids.max", "");
	assert_int_equal(cgroup__set_pids(cg, -1, &e), 0);
	assert_string_equal(get(dir, "pids.max", buf, sizeof(buf)), "max");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* attach writes the pid to the one cgroup.procs; the meters read v2's
 * files: cpu.stat usage_usec 1500 is 1500000 ns, memory.current and
 * memory.peak, memory.events oom_kill. */
static void test_cgroup_v2_attach_and_meters_use_v2_files(void **state)
{
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	struct isolab_err e = {0};
	const char *dir = cgroup__dir(cg, "memory");
	char buf[64], pid[32];
	int64_t cur = 0, peak = 0;
	uint64_t ns = 0, ooms = 0;
	pid_t pids[4];
	size_t n = 0;

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	assert_int_equal(cgroup__attach(cg, getpid(), &e), 0);
	assert_string_equal(get(dir, "cgroup.procs", buf, sizeof(buf)), pid);
	assert_int_equal(cgroup__pids(cg, pids, 4, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pids[0], getpid());
	put(dir, "cpu.stat", "usage_usec 1500\nuser_usec 1000\n");
	put(dir, "memory.current", "4096\n");
	put(dir, "memory.peak", "8192\n");
	put(dir, "memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
	assert_int_equal(cgroup__cpu_usage_ns(cg, &ns, &e), 0);
	assert_int_equal(ns, 1500000);
	assert_int_equal(cgroup__memory(cg, &cur, &peak, &e), 0);
	assert_int_equal(cur, 4096);
	assert_int_equal(peak, 8192);
	assert_int_equal(cgroup__oom_kills(cg, &ooms, &e), 0);
	assert_int_equal(ooms, 1);
	/* This process "leaves" the group, as it would by exiting. */
	put(dir, "cgroup.procs", "");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* destroy of a group that still holds a task: rmdir is refused (EBUSY),
 * the task is killed with SIGKILL, and the group then removed. */
static void test_cgroup_v2_destroy_kills_what_is_left(void **state)
{
	struct fake *f = *state;
	struct cgroup *cg = fake_group(f);
	struct isolab_err e = {0};
	char dir[PATH_MAX * 2];
	pid_t child;
	int st;

	snprintf(dir, sizeof(dir), "%s", cgroup__dir(cg, "pids"));
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	assert_true(child > 0);
	assert_int_equal(cgroup__attach(cg, child, &e), 0);
	assert_int_equal(cgroup__destroy(cg, &e), 0);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_int_equal(access(dir, F_OK), -1);
}

/* A parent that does not offer memory: only pids is enabled (cpu is on
 * already), the group has no memory files, and a memory limit is refused
 * with a message naming the controller. */
static void test_cgroup_v2_controller_not_offered_is_refused(void **state)
{
	struct fake *f = *state;
	struct isolab_err e = {0};
	struct cgroup *cg = NULL;
	char buf[512];

	fake_layout(f, "/", "/runtime", "cpu io pids", ALREADY_ON);
	assert_int_equal(cgroup__create_in(&f->host, "ctr", 0, &cg, &e), 0);
	assert_string_equal(
		get(f->parent, "cgroup.subtree_control", buf, sizeof(buf)),
		"+pids");
	assert_null(cgroup__dir(cg, "memory"));
	assert_int_equal(cgroup__set_memory(cg, 32 << 20, &e), -1);
	assert_string_equal(e.msg, "the memory controller is not available "
				   "in this machine's cgroup v2 hierarchy");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* Everything already enabled: nothing is written to subtree_control (the
 * file keeps its text). */
static void test_cgroup_v2_all_enabled_writes_nothing(void **state)
{
	struct fake *f = *state;
	struct isolab_err e = {0};
	struct cgroup *cg = NULL;
	char buf[512];

	fake_layout(f, "/", "/runtime", ALL_CONTROLLERS,
		    "cpuset cpu io memory pids");
	assert_int_equal(cgroup__create_in(&f->host, "ctr", 0, &cg, &e), 0);
	assert_string_equal(
		get(f->parent, "cgroup.subtree_control", buf, sizeof(buf)),
		"cpuset cpu io memory pids");
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* A cgroup2 mounted from a sub-group (as inside a container): its root
 * "/outer" is taken off this process's path "/outer/runtime", so the
 * group is made in MOUNT/runtime, not MOUNT/outer/runtime. */
static void test_cgroup_v2_mount_root_is_taken_off_own_path(void **state)
{
	struct fake *f = *state;
	struct isolab_err e = {0};
	struct cgroup *cg = NULL;
	char want[PATH_MAX * 2];

	fake_layout(f, "/outer", "/outer/runtime", ALL_CONTROLLERS, ALREADY_ON);
	assert_int_equal(cgroup__create_in(&f->host, "ctr", 0, &cg, &e), 0);
	snprintf(want, sizeof(want), "%s/runtime/ctr", f->mnt);
	assert_string_equal(cgroup__dir(cg, "pids"), want);
	assert_int_equal(cgroup__destroy(cg, NULL), 0);
}

/* A mountinfo file that cannot be read is named in the error. */
static void test_cgroup_v2_missing_mountinfo_is_named(void **state)
{
	struct fake *f = *state;
	struct isolab_err e = {0};
	struct cgroup *cg = NULL;
	char want[PATH_MAX * 2];

	fake_layout(f, "/", "/runtime", ALL_CONTROLLERS, ALREADY_ON);
	unlink(f->mountinfo);
	assert_int_equal(cgroup__create_in(&f->host, "ctr", 0, &cg, &e), -1);
	assert_null(cg);
	snprintf(want, sizeof(want), "%s", f->mountinfo);
	assert_non_null(strstr(e.msg, want));
}

#define T(f) cmocka_unit_test_setup_teardown(f, fake_setup, fake_teardown)

int test_cgroup_v2__run(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cgroup_v2_found_from_mountinfo_enables_controllers),
		T(test_cgroup_v2_memory_32m_writes_memory_max_33554432),
		T(test_cgroup_v2_cpus_half_writes_cpu_max_50000_100000),
		T(test_cgroup_v2_shares_become_weight_as_crun_converts),
		T(test_cgroup_v2_pids_64_then_max),
		T(test_cgroup_v2_attach_and_meters_use_v2_files),
		T(test_cgroup_v2_destroy_kills_what_is_left),
		T(test_cgroup_v2_controller_not_offered_is_refused),
		T(test_cgroup_v2_all_enabled_writes_nothing),
		T(test_cgroup_v2_mount_root_is_taken_off_own_path),
		T(test_cgroup_v2_missing_mountinfo_is_named),
	};

	return cmocka_run_group_tests_name("cgroup v2 (a fake tree)", tests,
					   NULL, NULL);
}
