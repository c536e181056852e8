/*
 * container.c - Starting a container: what `docker run` and crun do
 * between "run this" and the first instruction of the command.
 *
 * Start reading at container__run().  Two processes take part:
 *
 *   runtime (parent)                      container (child, PID 1 inside)
 *   start the warm-attach helper
 *   claim /run/mini-container/NAME
 *   look the seccomp filter up in the
 *   cache (seccomp_cache.c)
 *   clone(CLONE_NEWPID|NEWNS|NEWUTS|  -->  wait for "go 1"
 *         NEWIPC[|NEWUSER])
 *   write uid_map/gid_map (--userns)
 *   send "go 1"                       -->  unshare(CLONE_NEWNET),
 *                                          hostname, lo up
 *   make the cgroup, set its limits        rootfs: mounts, masks,
 *   and devices, record the state,         pivot_root;
 *   put the child in the group             compile the seccomp filter
 *                                          (on a cache miss)
 *   send "go 2"                       -->  wait for "go 2"
 *                                          unshare(CLONE_NEWCGROUP)
 *                                          rlimits, cwd, close fds
 *                                          capabilities, uid/gid,
 *                                          no_new_privs, seccomp
 *   read the report pipe until EOF   <--  execve (the pipe is
 *   (on a miss: compile, store)            close-on-exec: EOF = success)
 *   forward signals, wait
 *   exit status, remove cgroup+state
 *
 * The cgroup work and the child's mount work overlap: moving a task into
 * a group waits for an RCU grace period (the kernel's
 * cgroup_threadgroup_rwsem; ~10 ms on a busy VM), milliseconds that would
 * otherwise add up with the mounts.  A helper started first thing
 * (cgroup__warm_attach) begins that wait even before the clone.  Nothing
 * of the container's command runs before "go 2": only the runtime's own
 * setup code runs outside the group.  A bundle that mounts the cgroup file
 * system waits for "go 2" before its mounts, so that it sees its own
 * group.  "go 3" instead of "go 2" says there is no device cgroup (v2):
 * the child then gives up CAP_MKNOD.
 *
 * The child enters its cgroup before it unshares the cgroup namespace, so
 * that namespace's root is the container's own group.  The report pipe
 * carries the child's phase times (one record, just before execve) and,
 * if a step fails, its error message to the runtime, which prints it (the child
 * has no stderr of its own worth trusting after the fds are closed).
 */
#define _GNU_SOURCE
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#include "caps.h"
#include "cgroup.h"
#include "pid1.h"
#include "rootfs.h"
#include "seccomp.h"
#include "seccomp_cache.h"
#include "state.h"
#include "timing.h"

extern char **environ;

/* What the child tells the runtime through the report pipe: each record
 * is one write() shorter than PIPE_BUF, so it arrives whole.  The phase
 * times go in one record just before execve (one wake-up of the runtime,
 * not one per phase, on a start measured in milliseconds). */
enum { REPORT_PHASES, REPORT_ERROR };
enum {
	PH_CHILD_START,
	PH_MOUNTS_BEGIN,
	PH_MOUNTS_DONE,
	PH_COMPILE_DONE,
	PH_SECCOMP_BEGIN,
	PH_SECCOMP_DONE,
	PH_COUNT
};

struct report {
	int kind;
	int code;	       /* the exit status, for an error */
	uint64_t ns[PH_COUNT]; /* phase times (timing__now_ns) */
	struct isolab_err err;
};

/* The signals the runtime passes on to the container (Docker's
 * sig-proxy); SIGCHLD tells it the container exited. */
static const int forwarded[] = {SIGHUP,	 SIGINT,  SIGQUIT,  SIGTERM,
				SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

static void container_sigset(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
}

/* ---- the child -------------------------------------------------------- */

static void child_phase(uint64_t *ph, int phase)
{
	ph[phase] = timing__now_ns();
}

/* Send the phase times, once, right before execve. */
static void child_report_phases(int fd, const uint64_t *ph)
{
	struct report r = {.kind = REPORT_PHASES};

	memcpy(r.ns, ph, sizeof(r.ns));
	(void)!write(fd, &r, sizeof(r));
}

/* Report err with exit status code and end the child. */
static __attribute__((noreturn)) void child_fail(int fd, int code,
						 const struct isolab_err *err)
{
	struct report r = {.kind = REPORT_ERROR, .code = code};

	r.err = *err;
	(void)!write(fd, &r, sizeof(r));
	_exit(code);
}

/* Bring the loopback interface up (a new network namespace has lo down). */
static int child_lo_up(struct isolab_err *e)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0)
		return err__set(e, errno, "lo: socket");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		rc = err__set(e, errno, "lo: get flags");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (rc == 0 && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		rc = err__set(e, errno, "lo: set up");
	close(fd);
	return rc;
}

/* Close every fd but 0, 1, 2 and keep: no host file, socket or directory
 * may leak into the container (an inherited directory fd is a way out of
 * any chroot or pivot_root). */
static int child_close_fds(int keep, struct isolab_err *e)
{
	if (keep > 3 && syscall(SYS_close_range, 3, keep - 1, 0) < 0)
		return err__set(e, errno, "close_range");
	if (syscall(SYS_close_range, keep + 1, ~0U, 0) < 0)
		return err__set(e, errno, "close_range");
	return 0;
}

/* Become the spec's user: groups, gid, then uid (keep_caps first, so that
 * caps__apply can still set the capabilities afterwards). */
static int child_set_user(const struct mc_spec *s, struct isolab_err *e)
{
	if (setgroups(s->ngroups, s->groups) < 0 && errno != EPERM)
		return err__set(e, errno, "setgroups");
	if (setresgid(s->gid, s->gid, s->gid) < 0)
		return err__set(e, errno, "setresgid %u", (unsigned)s->gid);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return err__set(e, errno, "keep capabilities");
	if (setresuid(s->uid, s->uid, s->uid) < 0)
		return err__set(e, errno, "setresuid %u", (unsigned)s->uid);
	return 0;
}

/* Does the spec mount the cgroup file system (which must see the
 * container's own group, so comes after "go 2")? */
static bool child_mounts_cgroups(const struct mc_spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].type, "cgroup") == 0)
			return true;
	return false;
}

/* Wait for the runtime's next "go".  Returns the byte it sent, or -1 if
 * it gave up. */
static int child_wait_go(int go)
{
	char c;

	return read(go, &c, 1) == 1 ? c : -1;
}

/* Stage 1, after "go 1": the namespaces' contents.  Returns 0 or -1. */
static int child_setup_view(const struct mc_spec *s, uint64_t *ph,
			    struct isolab_err *e)
{
	/* In a new user namespace the child is still the host's uid 0, which
	 * is not mapped there: become the namespace's root. */
	if ((s->clone_flags & CLONE_NEWUSER) &&
	    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return err__set(e, errno, "user namespace: become root");
	/* The network namespace is made here rather than by clone: making
	 * one (its loopback device, its sysctls) takes milliseconds, which
	 * now overlap the runtime's cgroup work instead of delaying both. */
	if ((s->clone_flags & CLONE_NEWNET) && unshare(CLONE_NEWNET) < 0)
		return err__set(e, errno, "unshare(CLONE_NEWNET)");
	if ((s->clone_flags & CLONE_NEWUTS) &&
	    sethostname(s->hostname ? s->hostname : s->name,
			strlen(s->hostname ? s->hostname : s->name)) < 0)
		return err__set(e, errno, "sethostname");
	if (s->net == MC_NET_LOOPBACK && (s->clone_flags & CLONE_NEWNET) &&
	    child_lo_up(e) < 0)
		return -1;
	child_phase(ph, PH_MOUNTS_BEGIN);
	if ((s->clone_flags & CLONE_NEWNS) && rootfs__setup(s, e) < 0)
		return -1;
	child_phase(ph, PH_MOUNTS_DONE);
	return 0;
}

/* Stage 2, after "go 2" (in the cgroup): the process's own privileges,
 * up to the last step before execve; bpf is the compiled seccomp filter,
 * no_mknod says the group could not limit devices.  Returns 0 or -1. */
static int child_setup_process(const struct mc_spec *s,
			       const struct mc_bpf *bpf, bool no_mknod,
			       int report, uint64_t *ph, struct isolab_err *e)
{
	/* Without a device cgroup nothing stops a node for the host's
	 * disk: then no CAP_MKNOD at all. */
	uint64_t keep = no_mknod ? ~(1ull << CAP_MKNOD) : ~0ull;

	if ((s->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		return err__set(e, errno, "unshare(CLONE_NEWCGROUP)");
	for (size_t i = 0; i < s->nrlimits; i++) {
		struct rlimit rl = {s->rlimits[i].soft, s->rlimits[i].hard};

		if (setrlimit(s->rlimits[i].resource, &rl) < 0)
			return err__set(e, errno, "setrlimit %d",
					s->rlimits[i].resource);
	}
	if (chdir(s->cwd) < 0)
		return err__set(e, errno, "%s: working directory", s->cwd);
	if (child_close_fds(report, e) < 0)
		return -1;
	child_phase(ph, PH_SECCOMP_BEGIN);
	/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load
	 * it while we still have it (runc does the same). */
	if (s->seccomp && !s->no_new_privs &&
	    seccomp__install(bpf, false, e) < 0)
		return -1;
	/* Bounding first: dropping needs CAP_SETPCAP in the effective set,
	 * which a change to a non-zero uid clears. */
	if (caps__drop_bounding(s->cap_bounding & keep, e) < 0 ||
	    child_set_user(s, e) < 0 ||
	    caps__apply(s->cap_bounding & keep, s->cap_effective & keep,
			s->cap_permitted & keep, s->cap_inheritable & keep,
			s->cap_ambient & keep, e) < 0)
		return -1;
	/* Set after the uid change, which clears it: the container dies
	 * with its runtime, even one killed by SIGKILL. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return err__set(e, errno, "parent death signal");
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err__set(e, errno, "no_new_privs");
	if (s->seccomp && s->no_new_privs &&
	    seccomp__install(bpf, false, e) < 0)
		return -1;
	child_phase(ph, PH_SECCOMP_DONE);
	return 0;
}

/* execve the command, searched in the container's PATH.  Returns only on
 * failure, with the status to exit with (127 not found, 126 otherwise). */
static int child_exec(const struct mc_spec *s, struct isolab_err *e)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	environ = s->env;
	execvp(s->argv[0], s->argv);
	if (errno == ENOENT || errno == ENOTDIR) {
		err__set(e, 0,
			 "%s: not found in the container's rootfs "
			 "(exit 127)",
			 s->argv[0]);
		return MC_EXIT_NOTFOUND;
	}
	err__set(e, errno, "%s: cannot execute (exit 126)", s->argv[0]);
	return MC_EXIT_NOEXEC;
}

/* The container's first process: set up in two stages, exec.  cached is
 * the compiled filter from the seccomp cache, or empty on a miss. */
static __attribute__((noreturn)) void child_main(const struct mc_spec *s,
						 const struct mc_bpf *cached,
						 int go, int report)
{
	bool late_mounts = child_mounts_cgroups(s);
	struct mc_bpf bpf = *cached;
	struct isolab_err e = {0};
	uint64_t ph[PH_COUNT] = {0};
	int code, go2 = '2';

	child_phase(ph, PH_CHILD_START);
	/* Armed now and again after the uid change (which disarms it). */
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (child_wait_go(go) < 0 ||
	    (late_mounts && (go2 = child_wait_go(go)) < 0))
		_exit(MC_EXIT_RUNTIME); /* the runtime gave up */
	if (child_setup_view(s, ph, &e) < 0)
		child_fail(report, MC_EXIT_RUNTIME, &e);
	/* On a cache miss: compiling the filter takes libseccomp ~0.6 ms,
	 * done while the runtime still waits for the cgroup, only loaded
	 * after. */
	if (s->seccomp && !bpf.len &&
	    seccomp__compile(s->seccomp, &bpf, &e) < 0)
		child_fail(report, MC_EXIT_RUNTIME, &e);
	child_phase(ph, PH_COMPILE_DONE);
	if (!late_mounts && (go2 = child_wait_go(go)) < 0)
		_exit(MC_EXIT_RUNTIME);
	close(go);
	if (child_setup_process(s, &bpf, go2 == '3', report, ph, &e) < 0)
		child_fail(report, MC_EXIT_RUNTIME, &e);
	child_report_phases(report, ph);
	if (s->init) {
		/* --init: we stay PID 1, reaping and forwarding; the command
		 * runs as our child. */
		pid_t cmd = fork();

		if (cmd < 0) {
			err__set(&e, errno, "--init: fork");
			child_fail(report, MC_EXIT_RUNTIME, &e);
		}
		if (cmd > 0) {
			close(report);
			pid1__run(cmd);
		}
	}
	code = child_exec(s, &e);
	child_fail(report, code, &e);
}

/* ---- the runtime ------------------------------------------------------ */

/* Map ids for --userns: /proc/PID/uid_map "inside outside count" lines. */
static int runtime_write_map(pid_t pid, const char *file,
			     const struct mc_idmap *m, size_t n,
			     struct isolab_err *e)
{
	char path[64], buf[512];
	size_t off = 0;
	int fd;

	for (size_t i = 0; i < n && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off,
					"%u %u %u\n", m[i].inside, m[i].outside,
					m[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err__set(e, errno, "%s", path);
	if (write(fd, buf, off) != (ssize_t)off) {
		int saved = errno;

		close(fd);
		return err__set(e, saved, "%s: write", path);
	}
	close(fd);
	return 0;
}

/* The devices a container may use (runc's default list): make any node
 * (m), but read and write only null, zero, full, random, urandom, tty,
 * console, ptmx, the pseudo-terminals and tun.  Without it a container's
 * root, which keeps CAP_MKNOD, could make a node for the host's disk. */
static const char *const runtime_devices[] = {
	"c *:* m",     "b *:* m",      "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm",
	"c 1:8 rwm",   "c 1:9 rwm",    "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm",
	"c 136:* rwm", "c 10:200 rwm", NULL,
};

/* Make the group and apply the spec's limits.  Returns 0, 1 when there
 * is no device controller to limit the devices with, or -1. */
static int runtime_cgroup(const struct mc_spec *s, struct cgroup **cg,
			  struct isolab_err *e)
{
	char name[160];

	snprintf(name, sizeof(name), "mini-container-%s", s->name);
	if (cgroup__create(name, cg, e) < 0)
		return -1;
	if ((s->memory >= 0 && cgroup__set_memory(*cg, s->memory, e) < 0) ||
	    (s->cpu_shares &&
	     cgroup__set_cpu_shares(*cg, s->cpu_shares, e) < 0) ||
	    ((s->cpu_quota >= 0 || s->cpu_period) &&
	     cgroup__set_cpu_max(*cg, s->cpu_quota,
				 s->cpu_period ? s->cpu_period : 100000,
				 e) < 0) ||
	    (s->cpuset_cpus &&
	     cgroup__set_cpuset(*cg, s->cpuset_cpus, e) < 0) ||
	    (s->pids >= 0 && cgroup__set_pids(*cg, s->pids, e) < 0))
		return -1;
	/* No devices hierarchy (cgroup v2): the caller takes CAP_MKNOD. */
	if (!cgroup__dir(*cg, "devices"))
		return 1;
	return cgroup__set_devices(*cg, runtime_devices, e);
}

/* Read the child's reports until the pipe closes (execve done, or the
 * child died).  Returns 0, or the child's error status with e filled. */
static int runtime_read_reports(int fd, struct mc_phases *ph,
				struct isolab_err *e)
{
	struct report r;
	ssize_t n;

	while ((n = read(fd, &r, sizeof(r))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return err__set(e, errno, "report pipe"),
			       MC_EXIT_RUNTIME;
		}
		if (n != sizeof(r))
			continue;
		if (r.kind == REPORT_ERROR) {
			*e = r.err;
			return r.code;
		}
		ph->child_start = r.ns[PH_CHILD_START];
		ph->mounts_begin = r.ns[PH_MOUNTS_BEGIN];
		ph->mounts_done = r.ns[PH_MOUNTS_DONE];
		ph->compile_done = r.ns[PH_COMPILE_DONE];
		ph->seccomp_begin = r.ns[PH_SECCOMP_BEGIN];
		ph->seccomp_done = r.ns[PH_SECCOMP_DONE];
	}
	ph->exec_done = timing__now_ns();
	return 0;
}

/* Forward signals to pid until it exits; returns its wait status. */
static int runtime_wait(pid_t pid)
{
	sigset_t set;
	int st = 0;

	container_sigset(&set);
	for (;;) {
		siginfo_t si;
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			return st;
		if (w < 0 && errno != EINTR)
			return 0;
		if (sigwaitinfo(&set, &si) < 0 || si.si_signo == SIGCHLD)
			continue;
		kill(pid, si.si_signo);
	}
}

/* The status to report for the container's wait status st. */
static int runtime_status(const struct mc_spec *s, struct cgroup *cg, int st)
{
	uint64_t ooms = 0;
	int code = WIFEXITED(st)     ? WEXITSTATUS(st)
		   : WIFSIGNALED(st) ? 128 + WTERMSIG(st)
				     : 1;

	if (code == 128 + SIGKILL && s->memory >= 0 &&
	    cgroup__oom_kills(cg, &ooms, NULL) == 0 && ooms > 0)
		fprintf(stderr,
			"mini-container: %s: killed by the kernel's OOM "
			"killer: "
			"the memory limit of %lld bytes was hit\n",
			s->name, (long long)s->memory);
	return code;
}

/* Record who we are and where the container is, for ps/kill/update. */
static int runtime_save_state(const struct mc_spec *s, struct cgroup *cg,
			      pid_t pid, struct isolab_err *e)
{
	struct mc_state st = {0};
	size_t off = 0;

	snprintf(st.name, sizeof(st.name), "%s", s->name);
	st.runtime_pid = getpid();
	st.runtime_start = state__start_time(0);
	st.init_pid = pid;
	for (size_t i = 0; s->argv[i] && off + 1 < sizeof(st.command); i++)
		off += (size_t)snprintf(st.command + off,
					sizeof(st.command) - off, "%s%s",
					i ? " " : "", s->argv[i]);
	if (cgroup__describe(cg, st.cgroup, sizeof(st.cgroup)) < 0)
		return err__set(e, 0, "%s: cgroup description too long",
				s->name);
	return state__save(&st, e);
}

/* The runtime's side of one start: the pipes, the child, its group. */
struct run {
	int go[2], report[2];
	pid_t pid;
	struct cgroup *cg;
};

/* Clone the child, let it build its view ("go 1"), make and join its
 * group meanwhile, record the state, and let it go on ("go 2").
 * Returns 0, or -1 with e filled (r holds what to undo). */
static int runtime_start(const struct mc_spec *s, const struct mc_bpf *cached,
			 struct run *r, struct mc_phases *ph,
			 struct isolab_err *e)
{
	int nodev;

	if (pipe2(r->go, O_CLOEXEC) < 0 || pipe2(r->report, O_CLOEXEC) < 0)
		return err__set(e, errno, "pipe");
	ph->clone_begin = timing__now_ns();
	/* clone with a NULL stack behaves as fork: the child continues here
	 * on a copy of our stack, in its new namespaces. */
	r->pid = (pid_t)syscall(
		SYS_clone,
		(s->clone_flags & ~(CLONE_NEWCGROUP | CLONE_NEWNET)) | SIGCHLD,
		NULL, NULL, NULL, NULL);
	if (r->pid == 0) {
		close(r->go[1]);
		close(r->report[0]);
		child_main(s, cached, r->go[0], r->report[1]);
	}
	if (r->pid < 0)
		return err__set(e, errno, "clone");
	close(r->go[0]);
	close(r->report[1]);
	r->go[0] = r->report[1] = -1;
	if ((s->clone_flags & CLONE_NEWUSER) &&
	    (runtime_write_map(r->pid, "uid_map", s->uid_maps, s->nuid_maps,
			       e) < 0 ||
	     runtime_write_map(r->pid, "gid_map", s->gid_maps, s->ngid_maps,
			       e) < 0))
		return -1;
	if (write(r->go[1], "1", 1) != 1)
		return err__set(e, errno, "go pipe");
	/* While the child mounts its rootfs: the group. */
	ph->cgroup_begin = timing__now_ns();
	/* The state is saved before the attach, whose wait for the kernel's
	 * grace period (under way since cgroup__warm_attach) hides it. */
	nodev = runtime_cgroup(s, &r->cg, e);
	if (nodev < 0 || runtime_save_state(s, r->cg, r->pid, e) < 0 ||
	    cgroup__attach(r->cg, r->pid, e) < 0)
		return -1;
	ph->cgroup_done = timing__now_ns();
	/* "2": go on; "3": go on without CAP_MKNOD (no device cgroup). */
	if (write(r->go[1], nodev ? "3" : "2", 1) != 1)
		return err__set(e, errno, "go pipe");
	close(r->go[1]);
	r->go[1] = -1;
	return 0;
}

/* Kill a child still there, close the pipes, remove the group.
 * Returns 0 or -1 (e filled only when fill_e). */
static int runtime_undo(struct run *r, bool fill_e, struct isolab_err *e)
{
	int st;

	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, &st, 0);
		r->pid = -1;
	}
	for (int i = 0; i < 2; i++) {
		if (r->go[i] >= 0)
			close(r->go[i]);
		if (r->report[i] >= 0)
			close(r->report[i]);
		r->go[i] = r->report[i] = -1;
	}
	st = cgroup__destroy(r->cg, fill_e ? e : NULL);
	r->cg = NULL;
	return st;
}

/* The seccomp cache, before the clone: the compiled filter for s's profile
 * into cached (empty on a miss, or with no filter or no cache).  Sets
 * *use when the cache is to be used, with its key. */
static void runtime_cache_lookup(const struct mc_spec *s, bool *use,
				 uint8_t key[SECCOMP_KEY_LEN],
				 struct mc_bpf *cached)
{
	cached->insns = NULL;
	cached->len = 0;
	*use = s->seccomp && !s->seccomp_nocache;
	if (!*use)
		return;
	seccomp__key(s->seccomp, key);
	seccomp_cache__load(MC_SECCOMP_CACHE_DIR, key, cached);
}

/* After a miss, once the command runs: compile the filter (the child did
 * the same) and store it for the next start.  A failure costs only the
 * cache, so it is a warning. */
static void runtime_cache_store(const struct mc_spec *s,
				const uint8_t key[SECCOMP_KEY_LEN])
{
	struct isolab_err e = {0};
	struct mc_bpf bpf;

	if (seccomp__compile(s->seccomp, &bpf, &e) < 0 ||
	    seccomp_cache__store(MC_SECCOMP_CACHE_DIR, key, &bpf, &e) < 0) {
		if (!s->quiet)
			fprintf(stderr,
				"mini-container: warning: seccomp cache: %s\n",
				e.msg);
	}
	seccomp__bpf_free(&bpf);
}

int container__run(const struct mc_spec *s, int *status, struct mc_phases *ph,
		   struct isolab_err *e)
{
	uint8_t key[SECCOMP_KEY_LEN];
	struct mc_bpf cached = {NULL, 0};
	bool use_cache = false;
	struct run r = {{-1, -1}, {-1, -1}, -1, NULL};
	bool claimed = false;
	sigset_t set, old;
	pid_t warm;
	int rc = -1, st;

	memset(ph, 0, sizeof(*ph));
	ph->start = timing__now_ns();
	ph->mem_peak = -1;
	*status = MC_EXIT_RUNTIME;
	/* Signals wait in the queue until runtime_wait forwards them; the
	 * child unblocks them just before execve. */
	container_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* The kernel's wait for the first cgroup move starts now, in a
	 * helper, and overlaps everything up to cgroup__attach. */
	warm = cgroup__warm_attach();
	state__gc();
	if (state__claim(s->name, e) < 0)
		goto out;
	claimed = true;
	ph->lookup_begin = timing__now_ns();
	runtime_cache_lookup(s, &use_cache, key, &cached);
	ph->lookup_done = timing__now_ns();
	if (runtime_start(s, &cached, &r, ph, e) < 0)
		goto out;
	*status = runtime_read_reports(r.report[0], ph, e);
	if (*status != 0)
		goto out; /* the child failed before exec and said why */
	/* The child compiled the filter the cache did not have; the
	 * runtime does it again for the cache while the command runs. */
	if (use_cache && !cached.len)
		runtime_cache_store(s, key);
	st = runtime_wait(r.pid);
	r.pid = -1;
	ph->exited = timing__now_ns();
	*status = runtime_status(s, r.cg, st);
	cgroup__memory(r.cg, &(int64_t){0}, &ph->mem_peak, NULL);
	cgroup__cpu_usage_ns(r.cg, &ph->cpu_ns, NULL);
	rc = 0;
out:
	if (runtime_undo(&r, rc == 0, e) < 0 && rc == 0) {
		*status = MC_EXIT_RUNTIME;
		rc = -1;
	}
	if (claimed && state__remove(s->name, rc == 0 ? e : NULL) < 0 &&
	    rc == 0) {
		*status = MC_EXIT_RUNTIME;
		rc = -1;
	}
	if (warm > 0)
		waitpid(warm, NULL, 0);
	seccomp__bpf_free(&cached);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ph->cleaned = timing__now_ns();
	return rc;
}
