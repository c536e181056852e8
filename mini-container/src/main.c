/*
 * main.c - mini-container's command line: run, spec, ps, kill, update.
 *
 * Reading order for the course: this file (what a user asks for), then
 * spec.c (Docker's defaults), container.c (the start sequence), rootfs.c,
 * caps.c, seccomp.c, cgroup.c, pid1.c, state.c.
 *
 * Every error is printed once, here, as "mini-container: INPUT: what is
 * wrong"; the exit status follows Docker: 125 runtime error, 126 cannot
 * execute, 127 not found, otherwise the command's own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "container.h"
#include "footprint.h"
#include "meta.h"
#include "oci.h"
#include "result.h"
#include "seccomp.h"
#include "spec.h"
#include "state.h"

#define PROG "mini-container"

static const char usage[] =
	"usage: mini-container run [OPTIONS] --rootfs DIR -- CMD [ARGS...]\n"
	"       mini-container run [OPTIONS] --bundle DIR\n"
	"       mini-container spec [OPTIONS] [-- CMD [ARGS...]]  (config.json "
	"on stdout)\n"
	"       mini-container ps\n"
	"       mini-container kill NAME [SIGNAL]\n"
	"       mini-container update NAME [--memory SIZE] [--cpus F] "
	"[--cpu-shares N] [--pids N]\n"
	"run options:\n"
	"  --name NAME          container name (default mc-PID)\n"
	"  --hostname NAME      host name inside (default the name)\n"
	"  --memory SIZE        memory limit (e.g. 32M); over it: OOM kill, "
	"137\n"
	"  --cpus F             CPU time per second of wall time (0.5)\n"
	"  --cpu-shares N       relative CPU weight (v1 shares, 2-262144)\n"
	"  --pids N             at most N tasks\n"
	"  --net MODE           none | loopback (default) | host\n"
	"  --seccomp P          default | unconfined | FILE.json (OCI format)\n"
	"  --no-seccomp-cache   compile the filter, do not use the cache\n"
	"  --cap-add CAP        keep CAP too (or ALL)\n"
	"  --cap-drop CAP       drop CAP (or ALL)\n"
	"  --user UID[:GID]     run as this user\n"
	"  --userns             a user namespace: root inside is uid 100000 "
	"outside\n"
	"  --readonly           the root file system read-only\n"
	"  --bind SRC:DST[:ro]  bind-mount a host path\n"
	"  --tmpfs DST          a tmpfs at DST\n"
	"  --env K=V            set an environment variable\n"
	"  --workdir DIR        working directory inside\n"
	"  --init               a tiny PID 1 that reaps zombies, forwards "
	"signals\n"
	"  --stats FILE.json    phase times and peak memory (isolab result)\n"
	"  --quiet              no warnings\n";

enum {
	OPT_ROOTFS = 256,
	OPT_BUNDLE,
	OPT_NAME,
	OPT_HOSTNAME,
	OPT_MEMORY,
	OPT_CPUS,
	OPT_SHARES,
	OPT_PIDS,
	OPT_NET,
	OPT_SECCOMP,
	OPT_NO_SECCOMP_CACHE,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_USER,
	OPT_USERNS,
	OPT_READONLY,
	OPT_BIND,
	OPT_TMPFS,
	OPT_ENV,
	OPT_WORKDIR,
	OPT_INIT,
	OPT_STATS,
	OPT_QUIET,
	OPT_HELP,
};

static const struct option run_opts[] = {
	{"rootfs", required_argument, NULL, OPT_ROOTFS},
	{"bundle", required_argument, NULL, OPT_BUNDLE},
	{"name", required_argument, NULL, OPT_NAME},
	{"hostname", required_argument, NULL, OPT_HOSTNAME},
	{"memory", required_argument, NULL, OPT_MEMORY},
	{"cpus", required_argument, NULL, OPT_CPUS},
	{"cpu-shares", required_argument, NULL, OPT_SHARES},
	{"pids", required_argument, NULL, OPT_PIDS},
	{"net", required_argument, NULL, OPT_NET},
	{"seccomp", required_argument, NULL, OPT_SECCOMP},
	{"no-seccomp-cache", no_argument, NULL, OPT_NO_SECCOMP_CACHE},
	{"cap-add", required_argument, NULL, OPT_CAP_ADD},
	{"cap-drop", required_argument, NULL, OPT_CAP_DROP},
	{"user", required_argument, NULL, OPT_USER},
	{"userns", no_argument, NULL, OPT_USERNS},
	{"readonly", no_argument, NULL, OPT_READONLY},
	{"bind", required_argument, NULL, OPT_BIND},
	{"tmpfs", required_argument, NULL, OPT_TMPFS},
	{"env", required_argument, NULL, OPT_ENV},
	{"workdir", required_argument, NULL, OPT_WORKDIR},
	{"init", no_argument, NULL, OPT_INIT},
	{"stats", required_argument, NULL, OPT_STATS},
	{"quiet", no_argument, NULL, OPT_QUIET},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

/* A whole decimal number in [min, max].  Returns 0 or -1. */
static int parse_int(const char *str, const char *what, int64_t min,
		     int64_t max, int64_t *out, struct isolab_err *e)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(str, &end, 10);
	if (errno || end == str || *end || v < min || v > max)
		return err__set(e, 0,
				"%s: \"%s\" is not a whole number in "
				"[%" PRId64 ", %" PRId64 "]",
				what, str, min, max);
	*out = v;
	return 0;
}

/* --cpus F: F CPUs' worth of time per 100 ms period. */
static int parse_cpus(const char *str, int64_t *quota_us, struct isolab_err *e)
{
	char *end;
	double f;

	errno = 0;
	f = strtod(str, &end);
	if (errno || end == str || *end || !(f >= 0.01 && f <= 1024))
		return err__set(e, 0,
				"--cpus: \"%s\" is not a number of CPUs "
				"in [0.01, 1024]",
				str);
	*quota_us = (int64_t)(f * 100000 + 0.5);
	return 0;
}

static int opt_caps(struct mc_spec *s, const char *name, bool add,
		    struct isolab_err *e)
{
	uint64_t m;
	int n;

	if (strcasecmp(name, "ALL") == 0) {
		m = caps__all();
	} else {
		n = caps__from_name(name);
		if (n < 0)
			return err__set(e, 0,
					"--cap-%s: unknown capability "
					"\"%s\"",
					add ? "add" : "drop", name);
		m = 1ull << n;
	}
	if (add) {
		s->cap_bounding |= m;
		s->cap_effective |= m;
		s->cap_permitted |= m;
	} else {
		s->cap_bounding &= ~m;
		s->cap_effective &= ~m;
		s->cap_permitted &= ~m;
		s->cap_inheritable &= ~m;
		s->cap_ambient &= ~m;
	}
	return 0;
}

static int opt_bind(struct mc_spec *s, const char *arg, struct isolab_err *e)
{
	char *copy = strdup(arg), *dst, *mode;
	bool ro = false;
	int rc;

	if (!copy)
		return err__set(e, ENOMEM, "--bind");
	dst = strchr(copy, ':');
	if (dst)
		*dst++ = '\0';
	mode = dst ? strchr(dst, ':') : NULL;
	if (mode) {
		*mode++ = '\0';
		ro = strcmp(mode, "ro") == 0;
		if (!ro && strcmp(mode, "rw") != 0) {
			free(copy);
			return err__set(
				e, 0, "--bind: %s: mode must be ro or rw", arg);
		}
	}
	if (!dst || copy[0] != '/' || dst[0] != '/') {
		free(copy);
		return err__set(e, 0, "--bind: %s: expected /SRC:/DST[:ro]",
				arg);
	}
	rc = spec__add_mount(s, "bind", copy, dst, MS_REC, NULL, true, ro, e);
	free(copy);
	return rc;
}

static int opt_user(struct mc_spec *s, const char *arg, struct isolab_err *e)
{
	int64_t uid, gid;
	char buf[64], *colon;

	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (parse_int(buf, "--user", 0, 0xfffffffe, &uid, e) < 0 ||
	    (colon &&
	     parse_int(colon + 1, "--user", 0, 0xfffffffe, &gid, e) < 0))
		return -1;
	s->uid = (uid_t)uid;
	s->gid = colon ? (gid_t)gid : (gid_t)uid;
	return 0;
}

/* Apply one run option to s.  Returns 0 or -1. */
static int apply_opt(struct mc_spec *s, int opt, const char *arg,
		     struct isolab_err *e)
{
	int64_t v;

	switch (opt) {
	case OPT_ROOTFS:
		free(s->rootfs);
		return (s->rootfs = strdup(arg)) ? 0 : err__set(e, ENOMEM, "x");
	case OPT_BUNDLE: return 0; /* read before the others */
	case OPT_NAME:
		free(s->name);
		return (s->name = strdup(arg)) ? 0 : err__set(e, ENOMEM, "x");
	case OPT_HOSTNAME:
		free(s->hostname);
		return (s->hostname = strdup(arg)) ? 0
						   : err__set(e, ENOMEM, "x");
	case OPT_MEMORY:
		return spec__parse_size(arg, "--memory", &s->memory, e);
	case OPT_CPUS:
		s->cpu_period = 100000;
		return parse_cpus(arg, &s->cpu_quota, e);
	case OPT_SHARES:
		if (parse_int(arg, "--cpu-shares", 2, 262144, &v, e) < 0)
			return -1;
		s->cpu_shares = (uint64_t)v;
		return 0;
	case OPT_PIDS: return parse_int(arg, "--pids", 1, 4194304, &s->pids, e);
	case OPT_NET:
		if (strcmp(arg, "none") == 0)
			s->net = MC_NET_NONE;
		else if (strcmp(arg, "loopback") == 0)
			s->net = MC_NET_LOOPBACK;
		else if (strcmp(arg, "host") == 0)
			s->net = MC_NET_HOST;
		else
			return err__set(e, 0,
					"--net: \"%s\": expected none, "
					"loopback or host",
					arg);
		if (s->net == MC_NET_HOST)
			s->clone_flags &= ~CLONE_NEWNET;
		else
			s->clone_flags |= CLONE_NEWNET;
		return 0;
	case OPT_SECCOMP:
		seccomp__destroy(s->seccomp);
		s->seccomp = NULL;
		if (strcmp(arg, "unconfined") == 0)
			return 0;
		if (strcmp(arg, "default") == 0)
			return (s->seccomp = seccomp__default())
				       ? 0
				       : err__set(e, ENOMEM, "seccomp");
		return seccomp__from_file(arg, s->quiet, &s->seccomp, e);
	case OPT_NO_SECCOMP_CACHE: s->seccomp_nocache = true; return 0;
	case OPT_CAP_ADD:
	case OPT_CAP_DROP: return opt_caps(s, arg, opt == OPT_CAP_ADD, e);
	case OPT_USER: return opt_user(s, arg, e);
	case OPT_USERNS:
		/* Root inside is uid/gid 100000 outside; 65536 ids mapped,
		 * the customary /etc/subuid range of one user. */
		s->clone_flags |= CLONE_NEWUSER;
		s->uid_maps[0] = (struct mc_idmap){0, 100000, 65536};
		s->gid_maps[0] = (struct mc_idmap){0, 100000, 65536};
		s->nuid_maps = s->ngid_maps = 1;
		return 0;
	case OPT_READONLY: s->readonly = true; return 0;
	case OPT_BIND: return opt_bind(s, arg, e);
	case OPT_TMPFS:
		if (arg[0] != '/')
			return err__set(
				e, 0, "--tmpfs: %s: not an absolute path", arg);
		return spec__add_mount(s, "tmpfs", "tmpfs", arg,
				       MS_NOSUID | MS_NODEV, "mode=1777", false,
				       false, e);
	case OPT_ENV: return spec__setenv(s, arg, e);
	case OPT_WORKDIR:
		if (arg[0] != '/')
			return err__set(e, 0,
					"--workdir: %s: not an absolute "
					"path",
					arg);
		free(s->cwd);
		return (s->cwd = strdup(arg)) ? 0 : err__set(e, ENOMEM, "x");
	case OPT_INIT: s->init = true; return 0;
	case OPT_STATS:
		free(s->stats_path);
		return (s->stats_path = strdup(arg)) ? 0
						     : err__set(e, ENOMEM, "x");
	case OPT_QUIET: s->quiet = true; return 0;
	}
	return err__set(e, 0,
			"run: unknown option (see mini-container "
			"--help)");
}

/* One phase of a run as a series of one sample. */
static int stats_phase(struct result *r, const char *metric, uint64_t from,
		       uint64_t to, struct isolab_err *e)
{
	struct series_desc d = {"mini-container", "run", metric, "ns"};
	struct samples smp = SAMPLES_INIT;
	int rc;

	if (!from || !to || to < from)
		return 0;
	if (samples__push(&smp, (double)(to - from)) < 0)
		return err__set(e, ENOMEM, "stats");
	rc = result__add_series(r, &d, &smp, e);
	samples__free(&smp);
	return rc;
}

/* --stats: the phases and memory of this run, as an isolab result. */
static int write_stats(const struct mc_spec *s, const struct mc_phases *ph,
		       struct isolab_err *e)
{
	struct series_desc d = {"mini-container", "run", "runtime_peak_rss",
				"KiB"};
	struct samples smp = SAMPLES_INIT;
	struct proc_mem pm;
	struct result *r;
	struct meta m;
	int rc = -1;

	meta__collect(&m);
	r = result__create("mini-container-run", "phases of one container run",
			   &m);
	if (!r)
		return err__set(e, ENOMEM, "%s", s->stats_path);
	json_object_set_new(result__params(r), "name", json_string(s->name));
	json_object_set_new(result__params(r), "command",
			    json_string(s->argv[0]));
	json_object_set_new(result__data(r), "container_peak_memory_bytes",
			    json_integer(ph->mem_peak));
	json_object_set_new(result__data(r), "container_cpu_ns",
			    json_integer((json_int_t)ph->cpu_ns));
	if (stats_phase(r, "cgroup_setup", ph->cgroup_begin, ph->cgroup_done,
			e) < 0 ||
	    stats_phase(r, "clone", ph->clone_begin, ph->child_start, e) < 0 ||
	    stats_phase(r, "mounts_pivot_root", ph->mounts_begin,
			ph->mounts_done, e) < 0 ||
	    stats_phase(r, "seccomp_lookup", ph->lookup_begin, ph->lookup_done,
			e) < 0 ||
	    stats_phase(r, "seccomp_compile", ph->mounts_done, ph->compile_done,
			e) < 0 ||
	    stats_phase(r, "seccomp_load", ph->seccomp_begin, ph->seccomp_done,
			e) < 0 ||
	    stats_phase(r, "exec", ph->seccomp_done, ph->exec_done, e) < 0 ||
	    stats_phase(r, "command", ph->exec_done, ph->exited, e) < 0 ||
	    stats_phase(r, "cleanup", ph->exited, ph->cleaned, e) < 0 ||
	    stats_phase(r, "start_to_exit", ph->start, ph->cleaned, e) < 0)
		goto out;
	if (footprint__proc(0, &pm, e) < 0 ||
	    samples__push(&smp, (double)pm.hwm_kib) < 0 ||
	    result__add_series(r, &d, &smp, e) < 0)
		goto out;
	rc = result__write(r, s->stats_path, e);
out:
	samples__free(&smp);
	result__destroy(r);
	return rc;
}

/* The spec of `run` (and `spec`) from the command line: the defaults, a
 * bundle's config.json, then the options.  Returns the spec, or NULL with
 * e filled (*help set for --help). */
static struct mc_spec *parse_run(int argc, char **argv, bool *help,
				 struct isolab_err *e)
{
	struct mc_spec *s = spec__create();
	const char *bundle = NULL;
	int opt;

	*help = false;
	if (!s) {
		err__set(e, ENOMEM, "spec");
		return NULL;
	}
	/* First pass: --bundle and --quiet, so that options given beside a
	 * bundle override its config.json. */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", run_opts, NULL)) != -1) {
		if (opt == OPT_BUNDLE)
			bundle = optarg;
		if (opt == OPT_QUIET)
			s->quiet = true;
	}
	if (bundle && oci__load(bundle, s, s->quiet, e) < 0)
		goto fail;
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", run_opts, NULL)) != -1) {
		if (opt == OPT_HELP) {
			*help = true;
			goto fail;
		}
		if (opt == '?') {
			err__set(e, 0,
				 "%s: unknown option or missing value "
				 "(see mini-container --help)",
				 argv[optind - 1]);
			goto fail;
		}
		if (apply_opt(s, opt, optarg, e) < 0)
			goto fail;
	}
	if (optind < argc) {
		if (bundle) {
			err__set(e, 0,
				 "%s: a command after --bundle (the "
				 "bundle's process.args is the command)",
				 argv[optind]);
			goto fail;
		}
		if (spec__set_list(&s->argv, (const char *const *)argv + optind,
				   e) < 0)
			goto fail;
	}
	return s;
fail:
	spec__destroy(s);
	return NULL;
}

static int cmd_run(int argc, char **argv)
{
	struct isolab_err e = {0};
	struct mc_spec *s;
	struct mc_phases ph;
	char defname[32];
	int status = MC_EXIT_RUNTIME;
	bool help;

	s = parse_run(argc, argv, &help, &e);
	if (!s) {
		if (help) {
			fputs(usage, stdout);
			return 0;
		}
		goto fail;
	}
	if (!s->rootfs) {
		err__set(&e, 0, "run: needs --rootfs DIR or --bundle DIR");
		goto fail;
	}
	if (!s->argv || !s->argv[0]) {
		err__set(&e, 0, "run: no command (give it after --)");
		goto fail;
	}
	if (access(s->rootfs, X_OK) < 0) {
		err__set(&e, errno, "%s: rootfs", s->rootfs);
		goto fail;
	}
	if (!s->name) {
		snprintf(defname, sizeof(defname), "mc-%d", (int)getpid());
		s->name = strdup(defname);
	}
	if (container__run(s, &status, &ph, &e) < 0)
		goto fail;
	if (s->stats_path && write_stats(s, &ph, &e) < 0) {
		err__print(PROG, &e);
		status = MC_EXIT_RUNTIME;
	}
	spec__destroy(s);
	return status;
fail:
	err__print(PROG, &e);
	spec__destroy(s);
	return status;
}

/* `spec`: the container `run` would make from these options, as an OCI
 * config.json on stdout (the command defaults to sh, the rootfs to
 * "rootfs" beside config.json, as `crun spec` does). */
static int cmd_spec(int argc, char **argv)
{
	struct isolab_err e = {0};
	static const char *const sh[] = {"sh", NULL};
	struct mc_spec *s;
	json_t *cfg;
	bool help;
	int rc;

	s = parse_run(argc, argv, &help, &e);
	if (!s) {
		if (help) {
			fputs(usage, stdout);
			return 0;
		}
		err__print(PROG, &e);
		return MC_EXIT_RUNTIME;
	}
	if ((!s->argv && spec__set_list(&s->argv, sh, &e) < 0) ||
	    (!s->rootfs && !(s->rootfs = strdup("rootfs")))) {
		err__print(PROG, &e);
		spec__destroy(s);
		return MC_EXIT_RUNTIME;
	}
	cfg = oci__to_json(s);
	rc = cfg && json_dumpf(cfg, stdout, JSON_INDENT(2)) == 0
		     ? 0
		     : MC_EXIT_RUNTIME;
	putchar('\n');
	json_decref(cfg);
	spec__destroy(s);
	return rc;
}

static void ps_line(const struct mc_state *st, void *arg)
{
	struct cgroup *cg;
	int64_t mem = -1;
	uint64_t cpu = 0;

	(void)arg;
	if (cgroup__open(st->cgroup, &cg, NULL) == 0) {
		cgroup__memory(cg, &mem, NULL, NULL);
		cgroup__cpu_usage_ns(cg, &cpu, NULL);
		cgroup__close(cg);
	}
	printf("%-20s %-8d %-8s %-12" PRId64 " %-10.3f %s\n", st->name,
	       (int)st->init_pid, state__alive(st) ? "running" : "stale", mem,
	       cpu / 1e9, st->command);
}

static int cmd_ps(int argc, char **argv)
{
	struct isolab_err e = {0};

	(void)argv;
	if (argc != 1) {
		fprintf(stderr, PROG ": ps: takes no arguments\n");
		return MC_EXIT_RUNTIME;
	}
	printf("%-20s %-8s %-8s %-12s %-10s %s\n", "NAME", "PID", "STATUS",
	       "MEMORY", "CPU(s)", "COMMAND");
	if (state__each(ps_line, NULL, &e) < 0) {
		err__print(PROG, &e);
		return MC_EXIT_RUNTIME;
	}
	return 0;
}

static int parse_signal(const char *str)
{
	static const struct {
		const char *name;
		int sig;
	} t[] = {
		{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT},
		{"KILL", SIGKILL}, {"TERM", SIGTERM}, {"USR1", SIGUSR1},
		{"USR2", SIGUSR2}, {"STOP", SIGSTOP}, {"CONT", SIGCONT},
	};
	char *end;
	long n;

	if (strncasecmp(str, "SIG", 3) == 0)
		str += 3;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcasecmp(str, t[i].name) == 0)
			return t[i].sig;
	n = strtol(str, &end, 10);
	return *str && !*end && n > 0 && n < NSIG ? (int)n : -1;
}

static int cmd_kill(int argc, char **argv)
{
	struct isolab_err e = {0};
	struct mc_state st;
	int sig = SIGTERM;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, PROG ": kill: usage: kill NAME [SIGNAL]\n");
		return MC_EXIT_RUNTIME;
	}
	if (argc == 3 && (sig = parse_signal(argv[2])) < 0) {
		fprintf(stderr, PROG ": %s: not a signal\n", argv[2]);
		return MC_EXIT_RUNTIME;
	}
	if (state__load(argv[1], &st, &e) < 0) {
		err__print(PROG, &e);
		return MC_EXIT_RUNTIME;
	}
	if (!state__alive(&st) || st.init_pid <= 0) {
		fprintf(stderr, PROG ": %s: not running\n", argv[1]);
		return MC_EXIT_RUNTIME;
	}
	if (kill(st.init_pid, sig) < 0) {
		err__set(&e, errno, "%s: kill", argv[1]);
		err__print(PROG, &e);
		return MC_EXIT_RUNTIME;
	}
	return 0;
}

static int cmd_update(int argc, char **argv)
{
	struct isolab_err e = {0};
	struct mc_spec *s;
	struct mc_state st;
	struct cgroup *cg = NULL;
	int opt, rc = MC_EXIT_RUNTIME;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr,
			PROG ": update: usage: update NAME [--memory "
			     "SIZE] [--cpus F] [--cpu-shares N] [--pids N]\n");
		return MC_EXIT_RUNTIME;
	}
	s = spec__create();
	if (!s)
		return MC_EXIT_RUNTIME;
	optind = 2;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+", run_opts, NULL)) != -1) {
		if (opt != OPT_MEMORY && opt != OPT_CPUS && opt != OPT_PIDS &&
		    opt != OPT_SHARES) {
			err__set(&e, 0,
				 "%s: update takes --memory, --cpus, "
				 "--cpu-shares and --pids",
				 argv[optind - 1]);
			goto out;
		}
		if (apply_opt(s, opt, optarg, &e) < 0)
			goto out;
	}
	if (state__load(argv[1], &st, &e) < 0)
		goto out;
	if (!state__alive(&st)) {
		err__set(&e, 0, "%s: not running", argv[1]);
		goto out;
	}
	if (cgroup__open(st.cgroup, &cg, &e) < 0)
		goto out;
	if ((s->memory >= 0 && cgroup__set_memory(cg, s->memory, &e) < 0) ||
	    (s->cpu_shares &&
	     cgroup__set_cpu_shares(cg, s->cpu_shares, &e) < 0) ||
	    (s->cpu_period &&
	     cgroup__set_cpu_max(cg, s->cpu_quota, s->cpu_period, &e) < 0) ||
	    (s->pids >= 0 && cgroup__set_pids(cg, s->pids, &e) < 0))
		goto out;
	rc = 0;
out:
	if (rc)
		err__print(PROG, &e);
	cgroup__close(cg);
	spec__destroy(s);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? MC_EXIT_RUNTIME : 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "spec") == 0)
		return cmd_spec(argc - 1, argv + 1);
	if (strcmp(argv[1], "ps") == 0)
		return cmd_ps(argc - 1, argv + 1);
	if (strcmp(argv[1], "kill") == 0)
		return cmd_kill(argc - 1, argv + 1);
	if (strcmp(argv[1], "update") == 0)
		return cmd_update(argc - 1, argv + 1);
	fprintf(stderr,
		PROG ": %s: unknown command (run, spec, ps, kill, "
		     "update)\n",
		argv[1]);
	return MC_EXIT_RUNTIME;
}
