/*
 * test_run.c - Black-box tests of `mini-container run`: each test starts
 * real containers on a busybox rootfs (made once by
 * scripts/mkrootfs.sh with the static mc-probe) and checks what the
 * container sees, what it may do and how it ends, from mc-probe's one-line
 * answers and the runtime's exit status.  They need root (namespaces,
 * cgroups, mounts); without it they skip and say so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "seccomp_cache.h"
#include "testing.h"
#include "timing.h"
#include "tests.h"

/* Set up once for the binary (tests__setup): a temporary directory with
 * the rootfs. */
static char tmp[4096], rootfs[4200], mc[4096];
static const char *setup_error = "tests__setup() was not called";

void tests__setup(void)
{
	char probe[4096], script[] = "mini-container/scripts/mkrootfs.sh";
	char *argv[] = {script, rootfs, probe, NULL};
	struct test_run r = {0};

	setup_error = NULL;
	if (!testing__is_root()) {
		setup_error =
			"containers need root (namespaces, cgroups, mounts)";
		return;
	}
	testing__path(mc, sizeof(mc), "bin", "mini-container");
	testing__path(probe, sizeof(probe), "mini-container", "mc-probe");
	if (access(mc, X_OK) < 0 || access(probe, X_OK) < 0) {
		setup_error = "mini-container or mc-probe is not built";
		return;
	}
	if (testing__tmpdir(tmp, sizeof(tmp)) < 0 || chmod(tmp, 0755) < 0) {
		setup_error = "no temporary directory";
		return;
	}
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", tmp);
	if (testing__run(argv, NULL, 60, &r) < 0 || r.exit_code != 0) {
		setup_error =
			"mkrootfs.sh failed (is busybox-static installed?)";
		if (r.err)
			print_message("%s", r.err);
	}
	testing__run_free(&r);
}

void tests__cleanup(void)
{
	if (tmp[0])
		testing__rmtree(tmp);
}

const char *tests__skip_reason(void)
{
	return setup_error;
}

const char *tests__rootfs(void)
{
	return rootfs;
}

const char *tests__tmp(void)
{
	return tmp;
}

const char *tests__mc(void)
{
	return mc;
}

/* Run mini-container with the given arguments (NULL-terminated), timeout
 * 60 s.  The caller frees r. */
static void mc_run(struct test_run *r, ...)
{
	char *argv[64];
	va_list ap;
	int n = 0;

	argv[n++] = mc;
	va_start(ap, r);
	while (n < 63 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(testing__run(argv, NULL, 60, r), 0);
}

/* Start mini-container in the background with stdout/stderr to /dev/null;
 * returns its pid. */
static pid_t mc_start(char *const *args)
{
	char *argv[64];
	int n = 0;
	pid_t pid;

	argv[n++] = mc;
	while (n < 63 && args[n - 1]) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);

		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(mc, argv);
		_exit(127);
	}
	return pid;
}

/* Wait up to 10 s for NAME's record (the container is running). */
static bool wait_state(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/run/mini-container/%s", name);
	for (int i = 0; i < 1000; i++) {
		struct stat st;

		/* Claimed empty, then written once the group is made. */
		if (stat(path, &st) == 0 && st.st_size > 0) {
			usleep(100000); /* past exec */
			return true;
		}
		usleep(10000);
	}
	return false;
}

static bool state_exists(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/run/mini-container/%s", name);
	return access(path, F_OK) == 0;
}

/* Does any cgroup hierarchy hold a group whose name contains what? */
static bool cgroup_left(const char *what)
{
	struct test_run r;
	char *argv[] = {"/bin/sh", "-c", NULL, NULL};
	char cmd[256];
	bool left;

	snprintf(cmd, sizeof(cmd),
		 "find /sys/fs/cgroup -maxdepth 6 -type d -name '*%s*' | head "
		 "-1",
		 what);
	argv[2] = cmd;
	assert_int_equal(testing__run(argv, NULL, 30, &r), 0);
	left = r.out[0] != '\0';
	testing__run_free(&r);
	return left;
}

/* The container is PID 1 of its own pid namespace and sees no host
 * process: /proc lists only its own (sh, ls, wc: at most 4 pids). */
static void test_run_pid1_and_host_processes_invisible(void **state)
{
	struct test_run r;
	int n;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--rootfs", rootfs, "--", "mc-probe", "view", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_true(strncmp(r.out, "pid=1 ppid=0 ", 13) == 0);
	testing__run_free(&r);
	mc_run(&r, "run", "--rootfs", rootfs, "--", "sh", "-c",
	       "ls -d /proc/[0-9]* | wc -l", NULL);
	assert_int_equal(r.exit_code, 0);
	n = atoi(r.out);
	assert_true(n >= 1 && n <= 4);
	testing__run_free(&r);
}

/* --hostname box1: the container's name; even a container allowed to
 * rename itself (CAP_SYS_ADMIN) renames only its UTS namespace. */
static void test_run_hostname_isolated(void **state)
{
	char host[256], before[256];
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	gethostname(before, sizeof(before));
	mc_run(&r, "run", "--hostname", "box1", "--cap-add", "SYS_ADMIN",
	       "--rootfs", rootfs, "--", "sh", "-c",
	       "hostname; hostname changed; hostname", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "box1\nchanged\n");
	gethostname(host, sizeof(host));
	assert_string_equal(host, before);
	testing__run_free(&r);
}

/* A host file is unreachable: not by its path, "..", /proc/1/root, nor
 * through a directory fd the runtime inherited (only 0, 1, 2 are open);
 * and no host mount (the cgroup hierarchies, the repository's disk) shows
 * in the container's mount table but its own "/". */
static void test_run_host_root_unreachable(void **state)
{
	char marker[4300];
	struct test_run r;
	int fd, dirfd;

	(void)state;
	NEED_ROOTFS();
	snprintf(marker, sizeof(marker), "%s/host-marker", tmp);
	fd = open(marker, O_CREAT | O_WRONLY, 0644);
	assert_true(fd >= 0);
	close(fd);
	dirfd = open("/", O_RDONLY | O_DIRECTORY); /* no O_CLOEXEC: leaks */
	assert_true(dirfd >= 0);
	mc_run(&r, "run", "--rootfs", rootfs, "--", "mc-probe", "escape",
	       marker, NULL);
	close(dirfd);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "direct=unreachable dotdot=unreachable "
				   "proc1root=unreachable chdir_up=unreachable "
				   "fds=0,1,2\n");
	testing__run_free(&r);
	mc_run(&r, "run", "--rootfs", rootfs, "--", "mc-probe", "view", NULL);
	assert_null(strstr(r.out, "mount /sys/fs/cgroup"));
	assert_null(strstr(r.out, " cgroup\n"));
	assert_non_null(strstr(r.out, "mount /proc proc\n"));
	assert_non_null(strstr(r.out, "mount /sys sysfs\n"));
	testing__run_free(&r);
}

/* --net none and loopback: a network namespace with only lo (down with
 * none, up with loopback). */
static void test_run_net_none_and_loopback_only_lo(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--net", "none", "--rootfs", rootfs, "--", "mc-probe",
	       "ifaces", NULL);
	assert_string_equal(r.out, "ifaces=lo lo=down\n");
	testing__run_free(&r);
	mc_run(&r, "run", "--net", "loopback", "--rootfs", rootfs, "--",
	       "mc-probe", "ifaces", NULL);
	assert_string_equal(r.out, "ifaces=lo lo=up\n");
	testing__run_free(&r);
}

/* The default seccomp profile fails mount, keyctl, ptrace, unshare,
 * setns, reboot with EPERM while getpid and open work; mount fails even
 * with CAP_SYS_ADMIN added (seccomp, not the capability, refuses it), and
 * succeeds with --seccomp unconfined plus CAP_SYS_ADMIN. */
static void test_run_default_seccomp_refuses_mount_keyctl_ptrace(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--rootfs", rootfs, "--", "mc-probe", "syscalls",
	       NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "mount=EPERM umount2=EPERM keyctl=EPERM "
				   "ptrace=EPERM unshare=EPERM setns=EPERM "
				   "reboot=EPERM getpid=ok open=ok\n");
	testing__run_free(&r);
	mc_run(&r, "run", "--cap-add", "SYS_ADMIN", "--rootfs", rootfs, "--",
	       "mc-probe", "syscalls", NULL);
	assert_true(strncmp(r.out, "mount=EPERM ", 12) == 0);
	testing__run_free(&r);
	mc_run(&r, "run", "--cap-add", "SYS_ADMIN", "--seccomp", "unconfined",
	       "--rootfs", rootfs, "--", "mc-probe", "syscalls", NULL);
	assert_true(strncmp(r.out, "mount=ok ", 9) == 0);
	testing__run_free(&r);
}

/* Docker's 14 default capabilities: CapEff 00000000a80425fb, so bit 21
 * (CAP_SYS_ADMIN) is clear; seccomp mode 2 (filter); no_new_privs 1;
 * --cap-drop ALL and --user 1000:1000 leave none effective. */
static void test_run_docker_default_caps_no_sys_admin(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--rootfs", rootfs, "--", "mc-probe", "view", NULL);
	assert_non_null(strstr(r.out, "CapEff:\t00000000a80425fb\n"));
	assert_non_null(strstr(r.out, "CapBnd:\t00000000a80425fb\n"));
	assert_false(0xa80425fbull >> 21 & 1);
	assert_non_null(strstr(r.out, "Seccomp:\t2\n"));
	assert_non_null(strstr(r.out, "NoNewPrivs:\t1\n"));
	testing__run_free(&r);
	mc_run(&r, "run", "--cap-drop", "ALL", "--rootfs", rootfs, "--",
	       "mc-probe", "view", NULL);
	assert_non_null(strstr(r.out, "CapEff:\t0000000000000000\n"));
	testing__run_free(&r);
	/* --user 1000:1000: an ordinary user, whose execve of a plain
	 * program leaves no effective capability; the bounding set stays
	 * Docker's. */
	mc_run(&r, "run", "--user", "1000:1000", "--rootfs", rootfs, "--",
	       "mc-probe", "view", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, " uid=1000 gid=1000\n"));
	assert_non_null(strstr(r.out, "CapEff:\t0000000000000000\n"));
	assert_non_null(strstr(r.out, "CapBnd:\t00000000a80425fb\n"));
	testing__run_free(&r);
}

/* --memory 32M and 100 MiB touched: the OOM killer ends it, status 137
 * and the message that the limit was hit. */
static void test_run_memory_32m_alloc_100m_gives_137(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--name", "t-oom", "--memory", "32M", "--rootfs",
	       rootfs, "--", "mc-probe", "alloc", "100", NULL);
	assert_int_equal(r.exit_code, 137);
	assert_string_equal(r.err, "mini-container: t-oom: killed by the "
				   "kernel's OOM killer: the memory limit of "
				   "33554432 bytes was hit\n");
	testing__run_free(&r);
}

/* --pids 16 and 40 forks: the probe plus 15 children fit, 25 forks fail,
 * and the runtime exits 0 with the probe. */
static void test_run_pids_16_fork_loop_fails_runtime_exits(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--pids", "16", "--rootfs", rootfs, "--", "mc-probe",
	       "fork", "40", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "forked=15 failed=25\n");
	testing__run_free(&r);
}

/* --cpus 0.5 and 2 s of spinning: the group's CPU time (cpuacct, from
 * --stats) is 0.4-0.6 s per second of wall time, 0.8-1.2 s in all (on a
 * machine too busy to give an unlimited control spinner 90% of a CPU
 * meanwhile, a lower floor: see tests__cpu_floor). */
static void test_run_cpus_half_gives_half_cpu_time(void **state)
{
	char stats[4300];
	struct test_run r;
	json_error_t je;
	json_t *j;
	double cpu, control_cpu;
	pid_t control;

	(void)state;
	NEED_ROOTFS();
	snprintf(stats, sizeof(stats), "%s/cpus.json", tmp);
	control = tests__control_spin_start(2);
	assert_true(control > 0);
	mc_run(&r, "run", "--cpus", "0.5", "--stats", stats, "--rootfs", rootfs,
	       "--", "mc-probe", "spin", "2", NULL);
	control_cpu = tests__control_spin_cpu(control);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	j = json_load_file(stats, 0, &je);
	assert_non_null(j);
	cpu = (double)json_integer_value(json_object_get(
		      json_object_get(j, "data"), "container_cpu_ns")) /
	      1e9;
	print_message("cpu time over 2 s at --cpus 0.5: %.3f s\n", cpu);
	/* The quota caps it: never more than 0.6 s per second. */
	assert_true(cpu <= 1.2);
	assert_true(cpu >= tests__cpu_floor(0.5, 2, control_cpu));
	json_decref(j);
}

/* A control: a process spinning for `seconds` beside the measured one,
 * without any limit.  What it gets is what this shared machine gives a
 * spinning process now (other builds and benchmarks run on the same
 * CPUs).  Returns its pid. */
pid_t tests__control_spin_start(double seconds)
{
	pid_t pid = fork();

	if (pid == 0) {
		uint64_t t0 = timing__now_ns();

		while (timing__now_ns() - t0 < (uint64_t)(seconds * 1e9))
			;
		_exit(0);
	}
	return pid;
}

/* Wait for the control and return the CPU seconds it got. */
double tests__control_spin_cpu(pid_t pid)
{
	struct rusage ru;
	int st;

	if (wait4(pid, &st, 0, &ru) != pid)
		return 0;
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The least CPU time a group limited to quota CPUs should get over
 * `seconds` of spinning.  On a quiet machine (an unlimited control
 * spinner got at least 90% of a CPU meanwhile): 80% of the quota, the
 * issue's 0.4 s per second for --cpus 0.5.  On a busy one, where the
 * limited spinner also loses turns to other work (and a throttled task
 * comes back to a busy run queue): 40% of what the quota or the control
 * got, whichever is less.  The upper bound, the one the limit
 * enforces, is checked either way. */
double tests__cpu_floor(double quota, double seconds, double control)
{
	double per_s = control / seconds, floor;

	if (per_s >= 0.9)
		floor = 0.8 * quota * seconds;
	else
		floor = 0.4 * (per_s < quota ? per_s : quota) * seconds;
	print_message("control got %.3f s of %.1f s: lower bound %.3f s\n",
		      control, seconds, floor);
	return floor;
}

/* Exit statuses: the command's own (3); 128+9 when killed (with --init,
 * the shell is not PID 1 and can die of SIGKILL); 127 not found. */
static void test_run_exit_codes_propagate(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--rootfs", rootfs, "--", "sh", "-c", "exit 3", NULL);
	assert_int_equal(r.exit_code, 3);
	testing__run_free(&r);
	mc_run(&r, "run", "--init", "--rootfs", rootfs, "--", "sh", "-c",
	       "kill -9 $$", NULL);
	assert_int_equal(r.exit_code, 137);
	testing__run_free(&r);
	mc_run(&r, "run", "--rootfs", rootfs, "--", "no-such-command", NULL);
	assert_int_equal(r.exit_code, 127);
	assert_string_equal(r.err, "mini-container: no-such-command: not found "
				   "in the container's rootfs (exit 127)\n");
	testing__run_free(&r);
}

/* SIGTERM to the runtime reaches the container: with --init, sleep dies
 * of it and the runtime exits 143 (128+15). */
static void test_run_sigterm_to_runtime_reaches_container(void **state)
{
	char *args[] = {"run",	"--name", "t-sig", "--init", "--rootfs",
			rootfs, "--",	  "sleep", "30",     NULL};
	pid_t pid;
	int st;

	(void)state;
	NEED_ROOTFS();
	pid = mc_start(args);
	assert_true(wait_state("t-sig"));
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 143);
	assert_false(state_exists("t-sig"));
}

/* How many zombies the process host_pid has as children (from the host's
 * /proc: its children's state field). */
static int zombie_children(pid_t host_pid)
{
	char path[128], *kids, *save = NULL, *tok;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)host_pid,
		 (int)host_pid);
	kids = testing__slurp(path, NULL);
	if (!kids)
		return -1;
	for (tok = strtok_r(kids, " \n", &save); tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		char *stat, *rp;

		snprintf(path, sizeof(path), "/proc/%s/stat", tok);
		stat = testing__slurp(path, NULL);
		rp = stat ? strrchr(stat, ')') : NULL;
		if (rp && rp[1] == ' ' && rp[2] == 'Z')
			n++;
		free(stat);
	}
	free(kids);
	return n;
}

/* The container's PID 1 from its record. */
static pid_t init_pid_of(const char *name)
{
	char path[256], *rec, *p;
	pid_t pid = -1;

	snprintf(path, sizeof(path), "/run/mini-container/%s", name);
	rec = testing__slurp(path, NULL);
	p = rec ? strstr(rec, "init_pid ") : NULL;
	if (p)
		pid = atoi(p + 9);
	free(rec);
	return pid;
}

/* An orphan re-parented to PID 1 stays a zombie when PID 1 never waits
 * (here `sleep`, exec'd by the shell): 1 zombie; with --init the tiny init
 * reaps it: 0 zombies. */
static void test_run_init_reaps_orphan_zombies(void **state)
{
	static const char *const names[] = {"t-noinit", "t-init"};

	(void)state;
	NEED_ROOTFS();
	for (int with_init = 0; with_init < 2; with_init++) {
		char *args[] = {"run",
				"--name",
				(char *)names[with_init],
				with_init ? "--init" : "--quiet",
				"--rootfs",
				rootfs,
				"--",
				"sh",
				"-c",
				"(sleep 0.1 &); exec sleep 3",
				NULL};
		pid_t pid = mc_start(args), init;
		int st;

		assert_true(wait_state(names[with_init]));
		usleep(900000); /* the orphan's 0.1 s are over */
		init = init_pid_of(names[with_init]);
		assert_true(init > 0);
		assert_int_equal(zombie_children(init), with_init ? 0 : 1);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	/* The next run cleans up after the killed runtimes. */
	{
		struct test_run r;

		mc_run(&r, "run", "--rootfs", rootfs, "--", "true", NULL);
		testing__run_free(&r);
		assert_false(state_exists("t-noinit"));
		assert_false(state_exists("t-init"));
	}
}

/* update resizes a running container (64 MiB in memory.limit_in_bytes),
 * ps lists it, kill ends it (SIGKILL: 137). */
static void test_run_update_ps_kill_running_container(void **state)
{
	char *args[] = {"run",	 "--name",   "t-upd", "--memory",
			"32M",	 "--rootfs", rootfs,  "--",
			"sleep", "30",	     NULL};
	char path[256], *desc, *mem, *nl, buf[64];
	struct test_run r;
	pid_t pid;
	int st;
	FILE *f;

	(void)state;
	NEED_ROOTFS();
	pid = mc_start(args);
	assert_true(wait_state("t-upd"));
	mc_run(&r, "ps", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "t-upd"));
	assert_non_null(strstr(r.out, "running"));
	testing__run_free(&r);
	mc_run(&r, "update", "t-upd", "--memory", "64M", "--pids", "50", NULL);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	snprintf(path, sizeof(path), "/run/mini-container/t-upd");
	desc = testing__slurp(path, NULL);
	assert_non_null(desc);
	/* The device cgroup holds runc's list, not "a *:* rwm". */
	{
		char *dev = strstr(desc, "devices /"), *list;
		char dpath[300];

		if (dev) {
			dev += 8;
			dev[strcspn(dev, "\n")] = '\0';
			snprintf(dpath, sizeof(dpath), "%s/devices.list", dev);
			list = testing__slurp(dpath, NULL);
			assert_non_null(list);
			assert_non_null(strstr(list, "c 1:3 rwm\n"));
			assert_null(strstr(list, "a *:* rwm"));
			free(list);
		}
	}
	mem = strstr(desc, "memory /");
	assert_non_null(mem);
	mem += 7;
	nl = strchr(mem, '\n');
	*nl = '\0';
	snprintf(path, sizeof(path), "%s/memory.limit_in_bytes", mem);
	if (access(path, F_OK) < 0)
		snprintf(path, sizeof(path), "%s/memory.max", mem);
	free(desc);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "67108864\n");
	mc_run(&r, "kill", "t-upd", "KILL", NULL);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(WEXITSTATUS(st), 137);
	assert_false(state_exists("t-upd"));
	mc_run(&r, "kill", "t-upd", NULL);
	assert_int_equal(r.exit_code, 125);
	assert_string_equal(r.err,
			    "mini-container: t-upd: no such container\n");
	testing__run_free(&r);
}

/* The runtime killed with SIGKILL: its container dies with it
 * (PDEATHSIG), and the next run removes the record and the cgroup. */
static void test_run_runtime_sigkill_then_next_run_cleans(void **state)
{
	char *args[] = {"run", "--name", "t-killed", "--rootfs", rootfs,
			"--",  "sleep",	 "30",	     NULL};
	struct test_run r;
	pid_t pid;
	int st;

	(void)state;
	NEED_ROOTFS();
	pid = mc_start(args);
	assert_true(wait_state("t-killed"));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	assert_true(state_exists("t-killed"));
	mc_run(&r, "run", "--rootfs", rootfs, "--", "true", NULL);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	assert_false(state_exists("t-killed"));
	assert_false(cgroup_left("mini-container-t-killed"));
}

/* Lines of the host's mount table that mention what. */
static int mounts_mentioning(const char *what)
{
	char *mi = testing__slurp("/proc/self/mountinfo", NULL), *line, *save;
	int n = 0;

	assert_non_null(mi);
	for (line = strtok_r(mi, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		n += strstr(line, what) != NULL;
	free(mi);
	return n;
}

/* How many compiled filters the seccomp cache holds. */
static int cache_entries(void)
{
	DIR *d = opendir(MC_SECCOMP_CACHE_DIR);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		n += l > 4 && strcmp(de->d_name + l - 4, ".bpf") == 0;
	}
	closedir(d);
	return n;
}

/* 100 runs leave no cgroup, no state directory and no host mount: no line
 * of the host's mount table names the rootfs's directory, before or after
 * (a whole-table comparison would also catch the mounts that the other
 * programs of this shared machine make meanwhile).  The one thing meant to
 * stay is the seccomp cache (seccomp_cache.c), and it is bounded: at most
 * MC_SECCOMP_CACHE_MAX (64) entries. */
static void test_run_100_runs_leave_nothing_behind(void **state)
{
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	assert_int_equal(mounts_mentioning(tmp), 0);
	for (int i = 0; i < 100; i++) {
		mc_run(&r, "run", "--name", "t-hundred", "--memory", "64M",
		       "--pids", "64", "--cpus", "1", "--rootfs", rootfs, "--",
		       "true", NULL);
		assert_int_equal(r.exit_code, 0);
		testing__run_free(&r);
	}
	assert_int_equal(mounts_mentioning(tmp), 0);
	assert_false(state_exists("t-hundred"));
	assert_false(cgroup_left("mini-container-t-hundred"));
	assert_true(cache_entries() >= 1);
	assert_true(cache_entries() <= MC_SECCOMP_CACHE_MAX);
}

/* --userns: root inside is uid 100000 outside (uid_map 0 100000 65536);
 * --readonly refuses writes to "/"; a read-only bind shows the host file
 * and refuses writes to it. */
static void test_run_userns_readonly_bind(void **state)
{
	char bind[4500], file[4400];
	struct test_run r;
	FILE *f;

	(void)state;
	NEED_ROOTFS();
	mc_run(&r, "run", "--userns", "--rootfs", rootfs, "--", "cat",
	       "/proc/self/uid_map", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.out, "0     100000      65536"));
	testing__run_free(&r);
	mc_run(&r, "run", "--readonly", "--rootfs", rootfs, "--", "touch",
	       "/newfile", NULL);
	assert_int_equal(r.exit_code, 1);
	testing__run_free(&r);
	snprintf(file, sizeof(file), "%s/shared.txt", tmp);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("from the host\n", f);
	fclose(f);
	assert_true((size_t)snprintf(bind, sizeof(bind),
				     "%s:/mnt/shared.txt:ro",
				     file) < sizeof(bind));
	mc_run(&r, "run", "--bind", bind, "--rootfs", rootfs, "--", "sh", "-c",
	       "cat /mnt/shared.txt; echo x >/mnt/shared.txt || echo refused",
	       NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "from the host\nrefused\n");
	testing__run_free(&r);
}

int test_run__run(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_pid1_and_host_processes_invisible),
		cmocka_unit_test(test_run_hostname_isolated),
		cmocka_unit_test(test_run_host_root_unreachable),
		cmocka_unit_test(test_run_net_none_and_loopback_only_lo),
		cmocka_unit_test(
			test_run_default_seccomp_refuses_mount_keyctl_ptrace),
		cmocka_unit_test(test_run_docker_default_caps_no_sys_admin),
		cmocka_unit_test(test_run_memory_32m_alloc_100m_gives_137),
		cmocka_unit_test(
			test_run_pids_16_fork_loop_fails_runtime_exits),
		cmocka_unit_test(test_run_cpus_half_gives_half_cpu_time),
		cmocka_unit_test(test_run_exit_codes_propagate),
		cmocka_unit_test(test_run_sigterm_to_runtime_reaches_container),
		cmocka_unit_test(test_run_init_reaps_orphan_zombies),
		cmocka_unit_test(test_run_update_ps_kill_running_container),
		cmocka_unit_test(test_run_runtime_sigkill_then_next_run_cleans),
		cmocka_unit_test(test_run_100_runs_leave_nothing_behind),
		cmocka_unit_test(test_run_userns_readonly_bind),
	};

	return cmocka_run_group_tests_name("run", tests, NULL, NULL);
}
