/*
 * real.c - The simulator checked against Linux: the CPU-bound domains of a
 * scenario run as real busy processes, one per vCPU, in real cgroups made
 * by mini-container's cgroup module (mini-container/src/cgroup.c).
 *
 * A domain's weight becomes CFS's cpu.shares (weight x 4, so Xen's default
 * 256 is Linux's default 1024; on cgroup v2 the module converts to
 * cpu.weight), its cap a CFS bandwidth quota (cap% of a 100 ms period),
 * and every group is confined to the scenario's first N CPUs by cpuset.
 * After the run each group's CPU time (cpuacct.usage or cpu.stat) over the
 * wall time is its share, printed beside the analytic fair share and what
 * the simulator predicts under `fair` (the CFS model) and `credit`.
 *
 * The CPUs are shared with whatever else runs on the machine: other load
 * lowers every share alike, so the table also gives each domain's share of
 * what this run's processes got together, which is what the weights decide.
 */
#define _GNU_SOURCE
#include "real.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cli.h"
#include "metrics.h"
#include "sim.h"
#include "timing.h"

#define CFS_PERIOD_US  100000 /* the kernel's default cpu.cfs_period_us */
#define REAL_MAX_PROCS 256    /* busy processes one run may start */

struct real_dom {
	const struct domain_spec *spec;
	struct cgroup *cg;
	pid_t *pids;
	unsigned npids;
	uint64_t usage0, usage1;
	double share;
};

struct real_run {
	struct scenario sc; /* only the CPU-bound domains */
	struct real_dom *d;
	unsigned n;
	int gate[2]; /* children wait on it until all are in their groups */
	uint64_t wall_ns;
	const char *mode; /* "v1" or "v2", kept after the groups are gone */
};

/* clang-format off */
static const char real_usage[] =
	"usage: scheduler-sim real --scenario FILE [--duration 10s] [--pcpus N]\n"
	"                          [--json OUT]\n"
	"Runs the CPU-bound domains of FILE as busy processes in cgroups (one\n"
	"per vCPU; weight -> cpu.shares, cap -> CFS quota) on the first N CPUs\n"
	"and prints their measured CPU shares beside the simulator's.  Root.\n";
/* clang-format on */

/* The child: wait for the gate to open, then burn CPU until killed.  It
 * dies with its parent (PR_SET_PDEATHSIG) and by SIGALRM after lifetime
 * seconds, so a crashed run never leaves busy loops behind. */
static void __attribute__((noreturn)) spin(int gate, unsigned lifetime)
{
	char c;
	volatile unsigned long x = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	alarm(lifetime);
	while (read(gate, &c, 1) < 0 && errno == EINTR)
		;
	for (;;)
		x++;
}

static int start_domain(struct real_run *run, struct real_dom *d,
			const char *cpus, struct isolab_err *e)
{
	char name[96];
	uint64_t shares = (uint64_t)d->spec->weight * 4;

	snprintf(name, sizeof(name), "isolab-sched-%d-%s", (int)getpid(),
		 d->spec->name);
	if (cgroup__create(name, &d->cg, e) < 0)
		return -1;
	if (shares < 2)
		shares = 2;
	if (cgroup__set_cpu_shares(d->cg, shares, e) < 0 ||
	    cgroup__set_cpu_max(d->cg,
				d->spec->cap ? (int64_t)d->spec->cap *
						       CFS_PERIOD_US / 100
					     : -1,
				CFS_PERIOD_US, e) < 0 ||
	    cgroup__set_cpuset(d->cg, cpus, e) < 0)
		return -1;
	d->pids = calloc(d->spec->vcpus, sizeof(*d->pids));
	if (!d->pids)
		return err__set(e, ENOMEM, "real");
	for (unsigned i = 0; i < d->spec->vcpus; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return err__set(e, errno, "fork");
		if (pid == 0) {
			close(run->gate[1]);
			spin(run->gate[0],
			     (unsigned)(run->sc.duration_ns / NS_PER_S) + 30);
		}
		d->pids[d->npids++] = pid;
		if (cgroup__attach(d->cg, pid, e) < 0)
			return -1;
	}
	return 0;
}

static void stop_domain(struct real_dom *d)
{
	struct isolab_err ignore;

	for (unsigned i = 0; i < d->npids; i++)
		kill(d->pids[i], SIGKILL);
	for (unsigned i = 0; i < d->npids; i++)
		waitpid(d->pids[i], NULL, 0);
	if (d->cg)
		cgroup__destroy(d->cg, &ignore);
	d->cg = NULL;
	free(d->pids);
	d->pids = NULL;
}

/* Keep the domains whose only workload is cpu; the others cannot be
 * reproduced by a busy loop and are listed as skipped. */
static int keep_cpu_bound(const struct scenario *all, const char *path,
			  struct real_run *run, struct isolab_err *e)
{
	run->sc = *all;
	run->sc.domains = calloc(all->ndomains, sizeof(*run->sc.domains));
	run->d = calloc(all->ndomains, sizeof(*run->d));
	if (!run->sc.domains || !run->d)
		return err__set(e, ENOMEM, "real");
	run->sc.ndomains = 0;
	for (unsigned i = 0; i < all->ndomains; i++) {
		const struct domain_spec *d = &all->domains[i];

		if (d->nphases != 1 || d->phases[0].wl.type != WL_CPU) {
			printf("skipped %s: not a cpu workload\n", d->name);
			continue;
		}
		run->sc.domains[run->sc.ndomains++] = *d;
	}
	if (run->sc.ndomains == 0)
		return err__set(
			e, 0, "%s: no domain with a cpu workload to run", path);
	if (scenario__vcpus(&run->sc) > REAL_MAX_PROCS)
		return err__set(e, 0,
				"%s: more than %d vCPUs of cpu workloads "
				"(one busy process each)",
				path, REAL_MAX_PROCS);
	run->n = run->sc.ndomains;
	for (unsigned i = 0; i < run->n; i++)
		run->d[i].spec = &run->sc.domains[i];
	return 0;
}

static int measure(struct real_run *run, struct isolab_err *e)
{
	char cpus[32];
	struct timespec ts;
	uint64_t t0;
	int rc = -1;

	snprintf(cpus, sizeof(cpus), "0-%u", run->sc.pcpus - 1);
	if (pipe2(run->gate, O_CLOEXEC) < 0)
		return err__set(e, errno, "pipe");
	for (unsigned i = 0; i < run->n; i++)
		if (start_domain(run, &run->d[i], cpus, e) < 0)
			goto out;
	run->mode = cgroup__mode(run->d[0].cg);
	for (unsigned i = 0; i < run->n; i++)
		if (cgroup__cpu_usage_ns(run->d[i].cg, &run->d[i].usage0, e) <
		    0)
			goto out;
	t0 = timing__now_ns();
	close(run->gate[1]); /* open the gate: all start together */
	run->gate[1] = -1;
	ts.tv_sec = (time_t)(run->sc.duration_ns / NS_PER_S);
	ts.tv_nsec = (long)(run->sc.duration_ns % NS_PER_S);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	for (unsigned i = 0; i < run->n; i++)
		if (cgroup__cpu_usage_ns(run->d[i].cg, &run->d[i].usage1, e) <
		    0)
			goto out;
	run->wall_ns = timing__now_ns() - t0;
	rc = 0;
out:
	for (unsigned i = 0; i < run->n; i++)
		stop_domain(&run->d[i]);
	close(run->gate[0]);
	if (run->gate[1] >= 0)
		close(run->gate[1]);
	return rc;
}

/* The simulator's shares for the same domains under scheduler name. */
static int predict(const struct scenario *sc, const char *name, double *out,
		   struct isolab_err *e)
{
	struct sim *s;
	struct sim_report r;

	if (sim__create(sc, sim__find_sched(name), NULL, &s, e) < 0)
		return -1;
	if (sim__run(s, e) < 0 || metrics__collect(s, &r, e) < 0) {
		sim__destroy(s);
		return -1;
	}
	for (unsigned i = 0; i < sc->ndomains; i++)
		out[i] = r.d[i].share;
	metrics__free(&r);
	sim__destroy(s);
	return 0;
}

/* The measured shares as JSON (--json): the table's columns per domain. */
static int write_json(const struct real_run *run, const char *path,
		      const double *fair, const double *cfs, const double *cred,
		      double total, double ftotal, struct isolab_err *e)
{
	json_t *o = json_object(), *doms = json_array();
	int rc = 0;

	for (unsigned i = 0; i < run->n; i++) {
		const struct real_dom *d = &run->d[i];

		json_array_append_new(
			doms,
			json_pack("{s:s, s:i, s:i, s:i, s:f, s:f, s:f, s:f, "
				  "s:f}",
				  "name", d->spec->name, "weight",
				  d->spec->weight, "cap", d->spec->cap, "vcpus",
				  d->spec->vcpus, "real", d->share, "real_rel",
				  total > 0 ? d->share / total * ftotal : 0.0,
				  "fair", fair[i], "sim_fair", cfs[i],
				  "sim_credit", cred[i]));
	}
	json_object_set_new(o, "cgroup", json_string(run->mode));
	json_object_set_new(o, "cpus", json_integer(run->sc.pcpus));
	json_object_set_new(o, "wall_s",
			    json_real((double)run->wall_ns / NS_PER_S));
	json_object_set_new(o, "real_total", json_real(total));
	json_object_set_new(o, "domains", doms);
	if (json_dump_file(o, path, JSON_INDENT(2)) < 0)
		rc = err__set(e, errno, "%s: cannot write", path);
	json_decref(o);
	return rc;
}

/* Print (and with json, write) the measured shares beside the fair share
 * and the simulator's predictions.  Returns 0 or -1. */
static int real_report(struct real_run *run, const char *json,
		       struct isolab_err *e)
{
	unsigned n = run->n;
	double *fair = calloc(n, sizeof(double)), *cfs = calloc(n, 8),
	       *cred = calloc(n, 8), total = 0, ftotal = 0;
	int rc = -1;

	if (!fair || !cfs || !cred) {
		err__set(e, ENOMEM, "real");
		goto out;
	}
	if (metrics__fair_shares(&run->sc, fair) < 0 ||
	    predict(&run->sc, "fair", cfs, e) < 0 ||
	    predict(&run->sc, "credit", cred, e) < 0)
		goto out;
	for (unsigned i = 0; i < n; i++) {
		struct real_dom *d = &run->d[i];

		d->share =
			(double)(d->usage1 - d->usage0) / (double)run->wall_ns;
		total += d->share;
		ftotal += fair[i];
	}
	printf("real: %u CPU-bound domains on CPUs 0-%u for %.1f s (%s)\n", n,
	       run->sc.pcpus - 1, (double)run->wall_ns / NS_PER_S, run->mode);
	printf("%-16s %6s %4s %5s %8s %8s %8s %8s %8s\n", "domain", "weight",
	       "cap", "vcpus", "real", "real_rel", "fair", "sim_fair",
	       "sim_cred");
	for (unsigned i = 0; i < n; i++) {
		struct real_dom *d = &run->d[i];

		printf("%-16s %6u %4u %5u %8.4f %8.4f %8.4f %8.4f %8.4f\n",
		       d->spec->name, d->spec->weight, d->spec->cap,
		       d->spec->vcpus, d->share,
		       total > 0 ? d->share / total * ftotal : 0.0, fair[i],
		       cfs[i], cred[i]);
	}
	printf("real: what the processes got, as a fraction of one CPU; "
	       "real_rel: the same scaled so they add up to the fair total "
	       "(%.4f),\nwhich cancels load from other programs on these "
	       "CPUs (%.4f of %u CPUs went to this run).\n",
	       ftotal, total, run->sc.pcpus);
	rc = json ? write_json(run, json, fair, cfs, cred, total, ftotal, e)
		  : 0;
out:
	free(fair);
	free(cfs);
	free(cred);
	return rc;
}

static int parse_real_args(int argc, char **argv, const char **scenario,
			   const char **json, struct cli_overrides *ov,
			   struct isolab_err *e)
{
	static const struct option longopts[] = {
		{"scenario", required_argument, NULL, 'f'},
		{"json", required_argument, NULL, 'j'},
		{"duration", required_argument, NULL, 'd'},
		{"pcpus", required_argument, NULL, 'p'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(real_usage, stdout);
			exit(0);
		}
		if (c == '?')
			return err__set(e, 0,
					"%s: unknown option or missing "
					"argument (see real --help)",
					argv[optind - 1]);
		if (c == 'f')
			*scenario = optarg;
		else if (c == 'j')
			*json = optarg;
		else if (cli__override(c, optarg, ov, e) < 0)
			return -1;
	}
	if (optind < argc)
		return err__set(e, 0, "%s: unexpected argument", argv[optind]);
	if (!*scenario)
		return err__set(e, 0, "--scenario: missing (see real --help)");
	return 0;
}

int real__main(int argc, char **argv)
{
	struct cli_overrides ov = {.duration_ns = 10 * NS_PER_S};
	struct real_run run = {.gate = {-1, -1}};
	const char *scenario = NULL, *json = NULL;
	struct scenario all;
	struct isolab_err e = {0};
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = 2;

	if (parse_real_args(argc, argv, &scenario, &json, &ov, &e) < 0) {
		err__print("scheduler-sim", &e);
		return 2;
	}
	if (scenario__load(scenario, &all, &e) < 0 ||
	    cli__apply(&ov, &all, &e) < 0) {
		err__print("scheduler-sim", &e);
		return 2;
	}
	if (all.pcpus > (unsigned)online) {
		printf("real: the scenario's %u pCPUs are %ld CPUs here\n",
		       all.pcpus, online);
		all.pcpus = (unsigned)online;
	}
	if (keep_cpu_bound(&all, scenario, &run, &e) < 0)
		goto out;
	rc = 1;
	if (geteuid() != 0) {
		err__set(&e, 0, "%s: making cgroups needs root", scenario);
		goto out;
	}
	if (measure(&run, &e) < 0 || real_report(&run, json, &e) < 0)
		goto out;
	rc = 0;
out:
	if (rc)
		err__print("scheduler-sim", &e);
	free(run.sc.domains);
	free(run.d);
	scenario__free(&all);
	return rc;
}
