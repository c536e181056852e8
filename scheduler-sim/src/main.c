/*
 * main.c - The scheduler-sim command line: load a scenario, apply the
 * options that override it, run one scheduler, print or write the report.
 * `scheduler-sim real ...` is the check against Linux (real.c).
 *
 * Exit codes: 0 done; 1 the run failed (a file could not be written, out
 * of memory, a cgroup operation failed); 2 bad usage or a bad scenario.
 * Every error is one line "scheduler-sim: INPUT: what is wrong".
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "real.h"
#include "metrics.h"
#include "sim.h"
#include "timing.h"

/* clang-format off */
static const char usage[] =
	"usage: scheduler-sim --scenario FILE [--scheduler credit|credit2|rr|fair]\n"
	"                     [--pcpus N] [--duration 60s] [--seed S] [--tslice 30ms]\n"
	"                     [--ratelimit 1ms] [--no-boost] [--json OUT]\n"
	"                     [--trace OUT.csv] [--trace-every 100ms] [--perf] [--quiet]\n"
	"       scheduler-sim real --scenario FILE [--duration 10s] [--pcpus N]\n"
	"                          [--json OUT]\n"
	"Simulates the domains of FILE under one scheduler and prints each\n"
	"domain's CPU share beside its fair share, wake-to-run latency and\n"
	"context switches, each pCPU's utilisation and Jain's fairness index.\n"
	"Times take a unit: ns, us, ms, s or m (a bare number: seconds for\n"
	"--duration, milliseconds for --tslice and --trace-every, microseconds\n"
	"for --ratelimit).  See scheduler-sim/README.md.\n";
/* clang-format on */

struct options {
	const char *scheduler, *scenario, *json, *trace;
	struct cli_overrides ov;
	uint64_t trace_every;
	bool perf, quiet;
};

static int parse_args(int argc, char **argv, struct options *o,
		      struct isolab_err *e)
{
	static const struct option longopts[] = {
		{"scheduler", required_argument, NULL, 'S'},
		{"scenario", required_argument, NULL, 'f'},
		{"pcpus", required_argument, NULL, 'p'},
		{"duration", required_argument, NULL, 'd'},
		{"seed", required_argument, NULL, 's'},
		{"tslice", required_argument, NULL, 't'},
		{"ratelimit", required_argument, NULL, 'r'},
		{"no-boost", no_argument, NULL, 'B'},
		{"json", required_argument, NULL, 'j'},
		{"trace", required_argument, NULL, 'T'},
		{"trace-every", required_argument, NULL, 'E'},
		{"perf", no_argument, NULL, 'P'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'S': o->scheduler = optarg; break;
		case 'f': o->scenario = optarg; break;
		case 'j': o->json = optarg; break;
		case 'T': o->trace = optarg; break;
		case 'B': o->ov.no_boost = true; break;
		case 'P': o->perf = true; break;
		case 'q': o->quiet = true; break;
		case 'h': fputs(usage, stdout); exit(0);
		case 'E':
			if (cli__time(optarg, NS_PER_MS, &o->trace_every) < 0 ||
			    o->trace_every < NS_PER_MS)
				return err__set(e, 0,
						"--trace-every: %s: must "
						"be a time of 1ms or more",
						optarg);
			break;
		case '?':
			return err__set(e, 0,
					"%s: unknown option or missing "
					"argument (see --help)",
					argv[optind - 1]);
		default:
			if (cli__override(c, optarg, &o->ov, e) < 0)
				return -1;
		}
	}
	if (optind < argc)
		return err__set(e, 0, "%s: unexpected argument (see --help)",
				argv[optind]);
	if (!o->scenario)
		return err__set(e, 0, "--scenario: missing (see --help)");
	if (!sim__find_sched(o->scheduler))
		return err__set(e, 0,
				"--scheduler: %s: must be credit, "
				"credit2, rr or fair",
				o->scheduler);
	return 0;
}

static int write_json(const struct sim_report *r, const char *path,
		      struct isolab_err *e)
{
	json_t *j = metrics__json(r);
	int rc;

	if (!j)
		return err__set(e, ENOMEM, "%s", path);
	rc = json_dump_file(j, path, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	json_decref(j);
	if (rc < 0)
		return err__set(e, errno, "%s: cannot write", path);
	return 0;
}

/* Run the simulation the options describe.  Returns 0, or an exit code
 * with e filled. */
static int simulate(const struct options *o, struct scenario *sc,
		    struct isolab_err *e)
{
	struct sim_opts so = {.trace_every = o->trace_every};
	struct sim_report rep;
	struct sim *s = NULL;
	uint64_t t0, t1;
	int rc = 1;

	if (o->trace && !(so.trace = fopen(o->trace, "we"))) {
		err__set(e, errno, "%s", o->trace);
		return 1;
	}
	if (sim__create(sc, sim__find_sched(o->scheduler), &so, &s, e) < 0)
		goto out;
	t0 = timing__now_ns();
	if (sim__run(s, e) < 0)
		goto out;
	t1 = timing__now_ns();
	if (metrics__collect(s, &rep, e) < 0)
		goto out;
	if (!o->quiet)
		metrics__print(&rep, stdout);
	if (o->perf)
		fprintf(stderr,
			"scheduler-sim: %llu events in %.3f s: %.0f "
			"events/s\n",
			(unsigned long long)s->nevents, (double)(t1 - t0) / 1e9,
			(double)s->nevents * 1e9 / (double)(t1 - t0 + 1));
	rc = o->json ? write_json(&rep, o->json, e) < 0 : 0;
	metrics__free(&rep);
out:
	sim__destroy(s);
	if (so.trace && fclose(so.trace) != 0 && rc == 0) {
		err__set(e, errno, "%s: cannot write", o->trace);
		rc = 1;
	}
	return rc;
}

int main(int argc, char **argv)
{
	struct options o = {.scheduler = "credit"};
	struct scenario sc;
	struct isolab_err e = {0};
	int rc;

	if (argc > 1 && strcmp(argv[1], "real") == 0)
		return real__main(argc - 1, argv + 1);
	if (parse_args(argc, argv, &o, &e) < 0) {
		err__print("scheduler-sim", &e);
		return 2;
	}
	if (scenario__load(o.scenario, &sc, &e) < 0 ||
	    cli__apply(&o.ov, &sc, &e) < 0) {
		err__print("scheduler-sim", &e);
		return 2;
	}
	rc = simulate(&o, &sc, &e);
	if (rc)
		err__print("scheduler-sim", &e);
	scenario__free(&sc);
	return rc;
}
