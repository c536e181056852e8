/*
 * container.c - isobench's "container" approach: mini-container beside
 * crun, runc, bubblewrap, unshare+chroot and a plain fork+exec, on the
 * same root filesystem in the same run.
 *
 *  1. start-to-exit of a static /bin/true (bench/workloads/true.c) fully
 *     isolated: pid, mount, uts, ipc, net and cgroup namespaces, memory,
 *     pids and CPU limits, the default seccomp profile, capabilities cut
 *     to Docker's set.  One config.json (`mini-container spec`) is run by
 *     mini-container, crun and runc alike; mini-container also from its
 *     command line.  bwrap and unshare+chroot set up namespaces only (no
 *     cgroup, no seccomp): the floor a runtime could reach;
 *  2. the phases of mini-container's start (its --stats): cgroup setup,
 *     clone, mounts and pivot_root, seccomp load, exec, cleanup;
 *  3. the shared workloads run inside mini-container (the same static
 *     binaries as the native approach, copied into the rootfs), in the
 *     shared rounds interleaved with the other approaches (ctr_arms).
 *
 * The runtimes are measured interleaved (one run of each per round, in a
 * new random order every round), so that the load of this shared machine,
 * which changes by the second, hits them alike, and no runtime always
 * follows the same one (see ctr_child); ratios are taken within the
 * run.  crun 1.8 refuses a hybrid cgroup machine ("cgroups in hybrid mode not
 * supported, drop all controllers from cgroupv2"): all runs happen in a child
 * process with a private mount namespace and a tmpfs laid over
 * /sys/fs/cgroup/unified, so crun (and every other runtime, alike) sees a plain
 * v1 machine.  The result's params say so.  runsc (gVisor) is not packaged for
 * Debian 12: when it is missing, the result says that in its skipped list.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approach.h"
#include "interleave.h"
#include "plot.h"
#include "testing.h"
#include "timing.h"

#define CTR_MKROOTFS   "mini-container/scripts/mkrootfs.sh"
#define CTR_PHASE_RUNS 30

static char mc_path[4096], true_path[4200], wl_dir[4096];

static const char *ctr_unavailable(const struct bench_ctx *ctx)
{
	snprintf(mc_path, sizeof(mc_path), "%s/bin/mini-container",
		 ctx->build_dir);
	snprintf(wl_dir, sizeof(wl_dir), "%s/workloads/native", ctx->build_dir);
	snprintf(true_path, sizeof(true_path), "%s/true", wl_dir);
	if (geteuid() != 0)
		return "containers need root (namespaces, cgroups, mounts)";
	if (access(mc_path, X_OK) < 0 || access(true_path, X_OK) < 0)
		return "mini-container or the native workloads are not built "
		       "(run make)";
	if (access(CTR_MKROOTFS, X_OK) < 0)
		return "run isobench from the repository root "
		       "(needs " CTR_MKROOTFS ")";
	if (access("/bin/busybox", X_OK) < 0)
		return "busybox-static is not installed";
	return NULL;
}

/* The run's scratch: a rootfs with the static workloads, and a bundle
 * whose config.json all the OCI runtimes read. */
struct ctr_env {
	char dir[256];
	char rootfs[320];
	char bundle[320];
	char name[64];
	char crun_name[80], runc_name[80]; /* container names they get */
};

static int ctr_shell(const char *cmd, struct isolab_err *e)
{
	char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL};
	struct cmd_opts o = {.stdout_path = "/dev/null", .timeout_s = 120};
	struct cmd_result res;

	if (timing__cmd_once(argv, &o, &res, e) < 0)
		return -1;
	if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0)
		return err__set(e, 0, "%s: failed (status %d)", cmd,
				res.status);
	return 0;
}

static int ctr_env_create(struct ctr_env *env, struct isolab_err *e)
{
	char cmd[8192];
	int n;

	snprintf(env->dir, sizeof(env->dir), "/tmp/isobench-container-XXXXXX");
	if (!mkdtemp(env->dir))
		return err__set(e, errno, "%s: mkdtemp", env->dir);
	chmod(env->dir, 0755);
	snprintf(env->rootfs, sizeof(env->rootfs), "%s/rootfs", env->dir);
	snprintf(env->bundle, sizeof(env->bundle), "%s/bundle", env->dir);
	snprintf(env->name, sizeof(env->name), "isobench-%d", (int)getpid());
	snprintf(env->crun_name, sizeof(env->crun_name), "%s-crun", env->name);
	snprintf(env->runc_name, sizeof(env->runc_name), "%s-runc", env->name);
	n = snprintf(cmd, sizeof(cmd), "%s %s %s", CTR_MKROOTFS, env->rootfs,
		     true_path);
	for (size_t i = 0; bench_workloads[i] && n < (int)sizeof(cmd) - 512;
	     i++)
		n += snprintf(cmd + n, sizeof(cmd) - n, " %s/%s", wl_dir,
			      bench_workloads[i]);
	if (ctr_shell(cmd, e) < 0)
		return -1;
	/* The same limits as the command-line series below. */
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s && %s spec --rootfs %s --memory 64M --pids 64 "
		 "--cpus 1 -- /bin/true >%s/config.json",
		 env->bundle, mc_path, env->rootfs, env->bundle);
	return ctr_shell(cmd, e);
}

static void ctr_env_destroy(struct ctr_env *env)
{
	if (env->dir[0] &&
	    strncmp(env->dir, "/tmp/isobench-container-", 24) == 0)
		testing__rmtree(env->dir);
}

/* One runtime's start-to-exit series. */
struct ctr_peer {
	const char *name; /* series approach */
	const char *what; /* params: what it isolates */
	char *argv[24];
	int status; /* wait status of a failed run, or 0 */
	struct samples times, rss;
	double median;
	const char *skipped; /* why it was not measured, or NULL */
	char why[512];
};

/* Is a cgroup2 mounted at /sys/fs/cgroup/unified beside v1 hierarchies
 * (the hybrid layout crun refuses)? */
static bool ctr_hybrid(const struct bench_ctx *ctx)
{
	return strcmp(ctx->meta.cgroup_mode, "hybrid") == 0;
}

/* One measured run as the measuring child reports it. */
struct ctr_rec {
	int peer;   /* index, or -1 for a fatal error (msg follows) */
	int status; /* wait status */
	double ns, rss_kib;
};

/* The measuring child: round-robin over the peers, one run of each per
 * round, so that a change of load on this shared machine hits them all
 * alike; warm-up rounds first.  Reports every run through fd. */
static __attribute__((noreturn)) void
ctr_child(struct bench_ctx *ctx, struct ctr_peer *peers, size_t n, int fd)
{
	struct cmd_opts o = {.stdin_path = "/dev/null",
			     .stdout_path = "/dev/null",
			     .stderr_path = "/dev/null",
			     .timeout_s = 30};
	bool failed[16] = {false};
	uint64_t lcg = 42;

	/* A private mount namespace; on a hybrid machine a tmpfs over the
	 * empty cgroup2, without which crun 1.8 refuses to start.  Every
	 * runtime runs in this same view; they all use the v1 hierarchies. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    (ctr_hybrid(ctx) && mount("tmpfs", "/sys/fs/cgroup/unified",
				      "tmpfs", 0, "size=4k") < 0)) {
		struct ctr_rec r = {-1, errno, 0, 0};

		(void)!write(fd, &r, sizeof(r));
		_exit(1);
	}
	for (int round = -ctx->warmup; round < ctx->runs; round++) {
		size_t order[16];

		/* A new order every round (interleave.h): a runtime right
		 * after another that moved a task between cgroups finds the
		 * kernel's grace period still warm (a rotation would keep the
		 * same neighbours, and the same peers would always profit). */
		interleave__shuffle(order, n < 16 ? n : 16, &lcg);
		for (size_t k = 0; k < n && k < 16; k++) {
			size_t i = order[k];
			struct cmd_result res;
			struct ctr_rec r = {(int)i, 0, 0, 0};

			if (peers[i].skipped || failed[i])
				continue;
			if (timing__cmd_once(peers[i].argv, &o, &res, NULL) <
			    0) {
				res.status = -1;
				res.elapsed_ns = 0;
				res.maxrss_kib = 0;
			}
			if (res.status != 0)
				failed[i] = true;
			if (round < 0 && res.status == 0)
				continue;
			r.status = res.status;
			r.ns = (double)res.elapsed_ns;
			r.rss_kib = (double)res.maxrss_kib;
			if (write(fd, &r, sizeof(r)) != sizeof(r))
				_exit(1);
		}
		progress__update(&ctx->prog, round < 0 ? 0 : round + 1,
				 ctx->runs);
	}
	_exit(0);
}

/* Why peer p failed: one more run with its stderr kept, first line. */
static void ctr_peer_why(struct ctr_peer *p, int status)
{
	static const struct cmd_opts o = {.stdin_path = "/dev/null",
					  .timeout_s = 30};
	struct isolab_err e;

	err__set(&e, 0, "%s failed here (wait status %d)", p->name, status);
	timing__explain(p->argv, &o, &e);
	snprintf(p->why, sizeof(p->why), "%s", e.msg);
	p->skipped = p->why;
}

/* Measure every available peer, interleaved, in the measuring child.
 * Returns 0 or -1. */
static int ctr_measure_peers(struct bench_ctx *ctx, struct ctr_peer *peers,
			     size_t n, struct isolab_err *e)
{
	struct ctr_rec r;
	int fd[2], st;
	pid_t pid;

	for (size_t i = 0; i < n; i++)
		if (access(peers[i].argv[0], X_OK) < 0) {
			snprintf(peers[i].why, sizeof(peers[i].why),
				 "%s is not installed", peers[i].argv[0]);
			peers[i].skipped = peers[i].why;
		}
	progress__step(&ctx->prog, "container:start_to_exit (interleaved)");
	if (pipe(fd) < 0)
		return err__set(e, errno, "pipe");
	pid = fork();
	if (pid < 0)
		return err__set(e, errno, "fork");
	if (pid == 0) {
		close(fd[0]);
		ctr_child(ctx, peers, n, fd[1]);
	}
	close(fd[1]);
	while (read(fd[0], &r, sizeof(r)) == sizeof(r)) {
		struct ctr_peer *p;

		if (r.peer < 0) {
			close(fd[0]);
			waitpid(pid, &st, 0);
			return err__set(e, r.status,
					"container: private mount "
					"namespace for the runs");
		}
		p = &peers[r.peer];
		if (r.status != 0) {
			p->status = r.status;
			continue;
		}
		samples__push(&p->times, r.ns);
		samples__push(&p->rss, r.rss_kib);
	}
	close(fd[0]);
	waitpid(pid, &st, 0);
	for (size_t i = 0; i < n; i++)
		if (!peers[i].skipped && peers[i].status != 0) {
			samples__free(&peers[i].times);
			samples__free(&peers[i].rss);
			ctr_peer_why(&peers[i], peers[i].status);
		}
	return 0;
}

/* mini-container --stats for CTR_PHASE_RUNS runs: each phase a series. */
static int ctr_phases(struct bench_ctx *ctx, struct ctr_env *env,
		      struct result *r, struct isolab_err *e)
{
	static const char *const phases[] = {
		"cgroup_setup",	   "clone",	      "mounts_pivot_root",
		"seccomp_lookup", "seccomp_compile", "seccomp_load",
		"exec",		   "command",	      "cleanup",
		"start_to_exit",
	};
	enum { NPH = sizeof(phases) / sizeof(phases[0]) };
	struct samples s[NPH] = {SAMPLES_INIT};
	char stats[400], metric[64];
	char *argv[] = {mc_path, "run",	     "--quiet",	  "--stats",
			stats,	 "--bundle", env->bundle, NULL};
	struct cmd_opts o = {.stdout_path = "/dev/null", .timeout_s = 30};
	int rc = -1,
	    runs = ctx->runs < CTR_PHASE_RUNS ? ctx->runs : CTR_PHASE_RUNS;

	snprintf(stats, sizeof(stats), "%s/stats.json", env->dir);
	progress__step(&ctx->prog, "container:phases");
	for (int i = 0; i < runs; i++) {
		struct cmd_result res;
		struct result *one;

		if (timing__cmd_once(argv, &o, &res, e) < 0)
			goto out;
		one = result__read(stats, e);
		if (!one)
			goto out;
		for (size_t k = 0; k < result__series_count(one); k++) {
			struct series_view v;

			if (result__series(one, k, &v, NULL) < 0)
				continue;
			for (size_t p = 0; p < NPH; p++)
				if (strcmp(v.desc.metric, phases[p]) == 0 &&
				    v.values.n == 1)
					samples__push(&s[p], v.values.v[0]);
			samples__free(&v.values);
		}
		result__destroy(one);
		progress__update(&ctx->prog, i + 1, runs);
	}
	for (size_t p = 0; p < NPH; p++) {
		struct series_desc d = {"mini-container", "true", metric, "ns"};

		snprintf(metric, sizeof(metric), "phase_%s", phases[p]);
		if (s[p].n && result__add_series(r, &d, &s[p], e) < 0)
			goto out;
	}
	rc = 0;
out:
	for (size_t p = 0; p < NPH; p++)
		samples__free(&s[p]);
	return rc;
}

/* The run's scratch (rootfs and bundle): made by ctr_measure, used by the
 * shared rounds (ctr_arms), removed by ctr_finish. */
static struct ctr_env scratch;

/* The shared workloads inside mini-container, same limits but no CPU
 * quota (the workloads are single-threaded compute). */
static int ctr_arms(struct bench_ctx *ctx, const char *w, struct wl_arm *arms,
		    int max)
{
	char prog[128];

	(void)ctx;
	snprintf(prog, sizeof(prog), "/bin/%s", w);
	if (max < 1 || !scratch.rootfs[0] ||
	    wl_arm__argv(&arms[0], "container", mc_path, "run", "--quiet",
			 "--memory", "256M", "--pids", "64", "--rootfs",
			 scratch.rootfs, "--", prog, NULL) < 0)
		return 0;
	return 1;
}

static int ctr_finish(struct bench_ctx *ctx, struct result *r,
		      struct isolab_err *e)
{
	(void)ctx;
	(void)r;
	(void)e;
	ctr_env_destroy(&scratch);
	memset(&scratch, 0, sizeof(scratch));
	return 0;
}

static double ctr_median(const struct samples *s)
{
	struct stats st;

	return s->n && stats__compute(s->v, s->n, &st) == 0 ? st.median : 0;
}

/* Ratios, containers per second, and the plots. */
static int ctr_summarise(struct bench_ctx *ctx, struct result *r,
			 struct ctr_peer *peers, size_t n, struct isolab_err *e)
{
	json_t *cps = json_object(), *ratio = json_object(),
	       *rss = json_object();
	struct plot_series ps[16];
	double crun = 0, scale;
	const char *unit;
	char base[4200], ylabel[32];
	size_t np = 0;

	for (size_t i = 0; i < n; i++)
		if (!peers[i].skipped && strcmp(peers[i].name, "crun") == 0)
			crun = peers[i].median;
	for (size_t i = 0; i < n; i++) {
		if (peers[i].skipped)
			continue;
		json_object_set_new(cps, peers[i].name,
				    json_real(1e9 / peers[i].median));
		json_object_set_new(rss, peers[i].name,
				    json_real(ctr_median(&peers[i].rss)));
		if (crun > 0)
			json_object_set_new(ratio, peers[i].name,
					    json_real(peers[i].median / crun));
		if (np < 16)
			ps[np++] = (struct plot_series){peers[i].name,
							peers[i].times.v,
							peers[i].times.n};
	}
	json_object_set_new(result__data(r), "containers_per_second", cps);
	json_object_set_new(result__data(r), "median_ratio_vs_crun", ratio);
	json_object_set_new(result__data(r), "median_peak_rss_kib", rss);
	if (np == 0)
		return 0;
	unit = plot__time_unit(ps[0].n ? ctr_median(&peers[0].times) : 1e6,
			       &scale);
	snprintf(ylabel, sizeof(ylabel), "start to exit (%s)", unit);
	snprintf(base, sizeof(base), "%s/container-start", ctx->out_dir);
	if (plot__bars(base, "Start-to-exit of /bin/true, fully isolated",
		       ylabel, ps, np, scale, e) < 0)
		return -1;
	snprintf(base, sizeof(base), "%s/container-start-cdf", ctx->out_dir);
	snprintf(ylabel, sizeof(ylabel), "start to exit (%s)", unit);
	return plot__cdf(base, "Start-to-exit of /bin/true: distribution",
			 ylabel, ps, np, scale, e);
}

/* Each peer's command line, on the run's rootfs and bundle. */
static void ctr_peers_argv(struct ctr_peer *peers, struct ctr_env *env)
{
	char *const argv[][16] = {
		{mc_path, "run", "--quiet", "--bundle", env->bundle, NULL},
		{mc_path, "run", "--quiet", "--memory", "64M", "--pids", "64",
		 "--cpus", "1", "--rootfs", env->rootfs, "--", "/bin/true",
		 NULL},
		{"/usr/bin/crun", "run", "--bundle", env->bundle,
		 env->crun_name, NULL},
		{"/usr/sbin/runc", "run", "--bundle", env->bundle,
		 env->runc_name, NULL},
		{"/usr/bin/bwrap", "--unshare-all", "--die-with-parent",
		 "--ro-bind", env->rootfs, "/", "--proc", "/proc", "--dev",
		 "/dev", "/bin/true", NULL},
		{"/usr/bin/unshare", "-mupin", "--fork", "chroot", env->rootfs,
		 "/bin/true", NULL},
		{true_path, NULL},
	};

	for (size_t i = 0; i < sizeof(argv) / sizeof(argv[0]); i++)
		memcpy(peers[i].argv, argv[i], sizeof(argv[i]));
}

/* The measured peers' series and the skipped ones' reasons into r.
 * Returns 0 or -1. */
static int ctr_record(struct result *r, struct ctr_peer *peers, size_t n,
		      struct isolab_err *e)
{
	for (size_t i = 0; i < n; i++) {
		struct series_desc st = {peers[i].name, "true", "start_to_exit",
					 "ns"};
		struct series_desc pk = {peers[i].name, "true", "peak_rss",
					 "KiB"};
		json_t *p = json_object();

		json_object_set_new(p, "isolation", json_string(peers[i].what));
		json_object_set_new(result__params(r), peers[i].name, p);
		if (peers[i].skipped) {
			result__add_skip(r, peers[i].name, peers[i].skipped);
			continue;
		}
		peers[i].median = ctr_median(&peers[i].times);
		if (result__add_series(r, &st, &peers[i].times, e) < 0 ||
		    result__add_series(r, &pk, &peers[i].rss, e) < 0)
			return -1;
	}
	if (access("/usr/bin/runsc", X_OK) < 0 &&
	    access("/usr/local/bin/runsc", X_OK) < 0)
		result__add_skip(r, "runsc",
				 "gVisor's runsc is not installed (not "
				 "packaged for Debian 12)");
	return 0;
}

static int ctr_measure(struct bench_ctx *ctx, struct result *r,
		       struct isolab_err *e)
{
	struct ctr_env *env = &scratch;
	char cfg[600];
	struct ctr_peer peers[] = {
		{.name = "mini-container",
		 .what = "the bundle: all namespaces but user, 64M, 64 pids, "
			 "1 CPU, devices, seccomp, Docker's capabilities"},
		{.name = "mini-container-cli",
		 .what = "the same from the command line"},
		{.name = "crun", .what = "the same bundle"},
		{.name = "runc", .what = "the same bundle"},
		{.name = "bwrap",
		 .what = "--unshare-all, read-only rootfs, /proc, /dev: no "
			 "cgroup, no seccomp"},
		{.name = "unshare-chroot",
		 .what = "unshare -mupin --fork + chroot: namespaces only"},
		{.name = "native", .what = "fork+exec of the same static true"},
	};
	const size_t n = sizeof(peers) / sizeof(peers[0]);
	int rc = -1;

	if (ctr_env_create(env, e) < 0)
		goto out;
	ctr_peers_argv(peers, env);
	snprintf(cfg, sizeof(cfg), "%s/config.json", env->bundle);
	/* The bundle lives in a temporary directory: keep the config itself,
	 * which is what a reader needs to run the same containers again. */
	json_t *config = json_load_file(cfg, 0, NULL);
	json_object_set_new(result__params(r), "config_json",
			    config ? config : json_string("unreadable"));
	json_object_set_new(
		result__params(r), "workload",
		json_string("static /bin/true (bench/workloads/true.c)"));
	json_object_set_new(
		result__params(r), "method",
		json_string(
			"one run of each runtime per round, in a new "
			"random order every round; all in one private mount "
			"namespace, where a tmpfs hides the hybrid "
			"machine's empty cgroup2 (crun 1.8 refuses "
			"hybrid cgroups otherwise)"));
	if (ctr_measure_peers(ctx, peers, n, e) < 0 ||
	    ctr_record(r, peers, n, e) < 0 || ctr_phases(ctx, env, r, e) < 0 ||
	    ctr_summarise(ctx, r, peers, n, e) < 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < n; i++) {
		samples__free(&peers[i].times);
		samples__free(&peers[i].rss);
	}
	return rc; /* the scratch stays for the shared rounds (ctr_finish) */
}

const struct approach_ops container_approach = {
	.name = "container",
	.what = "mini-container beside crun, runc, bwrap, unshare+chroot",
	.steps = 2, /* the interleaved runtimes, the phases */
	.unavailable = ctr_unavailable,
	.measure = ctr_measure,
	.arms = ctr_arms,
	.finish = ctr_finish,
};
