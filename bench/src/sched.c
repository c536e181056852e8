/*
 * sched.c - The VMM CPU scheduler experiments of scheduler-sim, run in
 * process on the simulator (scheduler-sim/src/):
 *
 *  1. share vs weight: six hogs of weights 64..2048 on one pCPU, under each
 *     of the four schedulers, beside the weight-proportional share;
 *  2. cap enforcement over time: a 30%-capped hog beside a domain that
 *     computes, sleeps, computes (100 ms samples);
 *  3. wake-to-run latency CDF of a periodic vCPU beside two hogs, credit
 *     with and without BOOST, credit2, rr, fair;
 *  4. the four schedulers side by side on a consolidated host (mixed.json)
 *     over min(runs, 10) seeds: Jain's index and the periodic vCPU's p99;
 *  5. simulator speed: events per CPU second of `scheduler-sim` on 64
 *     pCPUs / 512 vCPUs, 2 of the scenario's 10 minutes simulated (credit
 *     min(runs, 3) times; the others once, as peers measured in the same
 *     run);
 *  6. the check against Linux: `scheduler-sim real` on real-check.json,
 *     CFS's measured shares beside the fair share and the simulator's.
 *
 * Simulated figures do not depend on this machine's load; step 5 does,
 * which is why it reports CPU time (wait4's rusage) beside wall time.
 * Steps 1-4 take about a second of CPU together; 5 and 6 take the time
 * (10 minutes simulated cost 30 s of CPU, hence 2 minutes; 5 s), so
 * --quick shortens them: 10 s simulated, every scheduler once, and a 1 s
 * real check; and step 4 takes 3 seeds instead of 10 (params.quick_cut
 * says so).  An event rate is a rate whatever the duration; the short
 * run's wall and CPU times are not the long run's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "approach.h"
#include "plot.h"
#include "metrics.h"
#include "sim.h"
#include "timing.h"

#define NSCHED 4

/* Steps 5 and 6: simulated and real durations, full and --quick. */
#define SPEED_DURATION "120s"
#define SPEED_DURATION_QUICK "10s"
#define REAL_DURATION "5s"
#define REAL_DURATION_QUICK "1s"
/* Step 4: seeds of mixed.json, min(runs, 10), at most this with --quick. */
#define QUICK_SEEDS 3

static char scen_dir[4200];

static const char *sched_unavailable(const struct bench_ctx *ctx)
{
	char plots[4096], bin[4200];
	struct isolab_err e;

	snprintf(bin, sizeof(bin), "%s/bin/scheduler-sim", ctx->build_dir);
	if (access(bin, X_OK) < 0)
		return "scheduler-sim is not built (run make)";
	if (plot__scripts_dir(plots, sizeof(plots), &e) < 0)
		return "bench/plots (and so scheduler-sim/scenarios) not found";
	/* <root>/bench/plots -> <root>/scheduler-sim/scenarios */
	snprintf(scen_dir, sizeof(scen_dir), "%.*s/scheduler-sim/scenarios",
		 (int)(strlen(plots) - strlen("/bench/plots")), plots);
	if (access(scen_dir, R_OK) < 0)
		return "scheduler-sim/scenarios not found";
	return NULL;
}

static int load(const char *name, struct scenario *sc, struct isolab_err *e)
{
	char path[4400];

	snprintf(path, sizeof(path), "%s/%s", scen_dir, name);
	return scenario__load(path, sc, e);
}

/* One simulation of sc under scheduler name, reported into rep (and the
 * finished simulator into *keep if keep is not NULL). */
static int run_one(const struct scenario *sc, const char *name, FILE *trace,
		   struct sim_report *rep, struct sim **keep,
		   struct isolab_err *e)
{
	struct sim_opts so = {.trace = trace};
	struct sim *s;

	if (sim__create(sc, sim__find_sched(name), &so, &s, e) < 0)
		return -1;
	if (sim__run(s, e) < 0 || metrics__collect(s, rep, e) < 0) {
		sim__destroy(s);
		return -1;
	}
	if (keep)
		*keep = s;
	else
		sim__destroy(s);
	return 0;
}

static void out_base(char *buf, size_t len, const struct bench_ctx *ctx,
		     const char *name)
{
	snprintf(buf, len, "%s/sched-%s", ctx->out_dir, name);
}

/* 1. Share vs weight. */
static int exp_share(struct bench_ctx *ctx, struct result *r,
		     struct isolab_err *e)
{
	struct sim_report rep[NSCHED];
	struct scenario sc;
	char base[4400], dat[4500],
		title[] = "plottitle = \"scheduler-sim: "
			  "CPU share vs weight, 6 hogs on 1 pCPU, 60 s\"";
	const char *vars[] = {title, NULL};
	json_t *rows = json_array();
	FILE *f;
	int rc = -1, n = 0;

	progress__step(&ctx->prog, "sched:share-vs-weight");
	if (load("share-vs-weight.json", &sc, e) < 0)
		goto out_json;
	for (; n < NSCHED; n++)
		if (run_one(&sc, sim_schedulers[n]->name, NULL, &rep[n], NULL,
			    e) < 0)
			goto out;
	out_base(base, sizeof(base), ctx, "share");
	snprintf(dat, sizeof(dat), "%s.dat", base);
	if (!(f = fopen(dat, "we"))) {
		err__set(e, errno, "%s", dat);
		goto out;
	}
	fprintf(f, "# weight fair credit credit2 rr fair_sched\n");
	for (unsigned d = 0; d < sc.ndomains; d++) {
		fprintf(f, "%u %.6f", rep[0].d[d].weight,
			rep[0].d[d].fair_share);
		for (int k = 0; k < NSCHED; k++)
			fprintf(f, " %.6f", rep[k].d[d].share);
		fprintf(f, "\n");
		json_array_append_new(
			rows,
			json_pack("{s:i, s:f, s:f, s:f, s:f, s:f}", "weight",
				  rep[0].d[d].weight, "fair",
				  rep[0].d[d].fair_share, "credit",
				  rep[0].d[d].share, "credit2",
				  rep[1].d[d].share, "rr", rep[2].d[d].share,
				  "fair_sched", rep[3].d[d].share));
	}
	fclose(f);
	if (plot__render("sched-share.gp", base, vars, e) < 0)
		result__add_skip(r, "share-vs-weight plot", e->msg);
	rc = 0;
out:
	while (n-- > 0)
		metrics__free(&rep[n]);
	scenario__free(&sc);
out_json:
	json_object_set_new(result__data(r), "share_vs_weight", rows);
	progress__update(&ctx->prog, 1, 1);
	return rc;
}

/* Read the trace of domain `name` (every 100 ms) into v[0..*n-1]. */
static int read_trace(FILE *f, const char *name, double *v, size_t max,
		      size_t *n)
{
	char line[256], dom[64];
	double t, share;

	*n = 0;
	rewind(f);
	if (!fgets(line, sizeof(line), f))
		return -1;
	while (fgets(line, sizeof(line), f) && *n < max)
		if (sscanf(line, "%lf,%63[^,],%lf", &t, dom, &share) == 3 &&
		    strcmp(dom, name) == 0)
			v[(*n)++] = share;
	return 0;
}

/* 2. Cap enforcement over time. */
static int exp_cap(struct bench_ctx *ctx, struct result *r,
		   struct isolab_err *e)
{
	enum { MAXS = 1000 };
	static double v[NSCHED][MAXS];
	size_t n[NSCHED] = {0};
	struct scenario sc;
	char base[4400], dat[4500];
	char title[] = "plottitle = \"scheduler-sim: a hog capped at 30%, "
		       "beside a domain that computes, sleeps, computes\"";
	char cap[] = "cap = 0.30";
	const char *vars[] = {title, cap, NULL};
	json_t *share = json_object();
	FILE *f;
	int rc = -1;

	progress__step(&ctx->prog, "sched:cap-over-time");
	if (load("cap-timeline.json", &sc, e) < 0)
		goto out_json;
	for (int k = 0; k < NSCHED; k++) {
		struct sim_report rep;
		FILE *trace = tmpfile();

		if (!trace) {
			err__set(e, errno, "tmpfile");
			goto out;
		}
		if (run_one(&sc, sim_schedulers[k]->name, trace, &rep, NULL,
			    e) < 0) {
			fclose(trace);
			goto out;
		}
		json_object_set_new(share, sim_schedulers[k]->name,
				    json_real(rep.d[0].share));
		metrics__free(&rep);
		fflush(trace);
		read_trace(trace, "capped", v[k], MAXS, &n[k]);
		fclose(trace);
	}
	out_base(base, sizeof(base), ctx, "cap");
	snprintf(dat, sizeof(dat), "%s.dat", base);
	if (!(f = fopen(dat, "we"))) {
		err__set(e, errno, "%s", dat);
		goto out;
	}
	fprintf(f, "# time_s credit credit2 rr fair (share of the capped "
		   "domain over the last 100 ms)\n");
	for (size_t i = 0; i < n[0]; i++) {
		fprintf(f, "%.1f", (double)(i + 1) / 10);
		for (int k = 0; k < NSCHED; k++)
			fprintf(f, " %.4f", i < n[k] ? v[k][i] : 0.0);
		fprintf(f, "\n");
	}
	fclose(f);
	if (plot__render("sched-timeline.gp", base, vars, e) < 0)
		result__add_skip(r, "cap-over-time plot", e->msg);
	rc = 0;
out:
	scenario__free(&sc);
out_json:
	json_object_set_new(result__data(r), "cap30_share", share);
	progress__update(&ctx->prog, 1, 1);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The CDF of each series (ns, drawn in ms) through sched-cdf.gp: like
 * plot__cdf, but on a linear axis where a latency of 0 shows. */
static int plot_cdf_linear(const char *base, const char *title,
			   const struct plot_series *s, size_t ns,
			   struct isolab_err *e)
{
	char dat[4500], vt[256], vl[256] = "labels = \"";
	const char *vars[] = {vt, "xlabel_text = \"wake-to-run latency (ms)\"",
			      vl, NULL};
	FILE *f;

	snprintf(dat, sizeof(dat), "%s.dat", base);
	if (!(f = fopen(dat, "we")))
		return err__set(e, errno, "%s", dat);
	for (size_t i = 0; i < ns; i++) {
		double *v = malloc((s[i].n ? s[i].n : 1) * sizeof(*v));

		if (!v) {
			fclose(f);
			return err__set(e, ENOMEM, "%s", dat);
		}
		memcpy(v, s[i].v, s[i].n * sizeof(*v));
		qsort(v, s[i].n, sizeof(*v), cmp_double);
		fprintf(f, "# %s: latency_ms cumulative_fraction\n",
			s[i].label);
		/* Both ends of each step, so a jump at 0 is drawn. */
		fprintf(f, "0 0\n");
		for (size_t k = 0; k < s[i].n; k++)
			fprintf(f, "%.6g %.6g\n", v[k] / 1e6,
				(double)(k + 1) / (double)s[i].n);
		fprintf(f, "\n\n");
		free(v);
		snprintf(vl + strlen(vl), sizeof(vl) - strlen(vl), "%s%s",
			 i ? " " : "", s[i].label);
	}
	fclose(f);
	snprintf(vl + strlen(vl), sizeof(vl) - strlen(vl), "\"");
	snprintf(vt, sizeof(vt), "plottitle = \"%s\"", title);
	return plot__render("sched-cdf.gp", base, vars, e);
}

/* 3. Wake-to-run latency CDF of the periodic vCPU. */
static int exp_latency(struct bench_ctx *ctx, struct result *r,
		       struct isolab_err *e)
{
	static const struct {
		const char *label, *sched;
		bool boost;
	} runs[] = {
		{"credit", "credit", true},
		{"credit_no_boost", "credit", false},
		{"credit2", "credit2", true},
		{"rr", "rr", true},
		{"fair", "fair", true},
	};
	enum { NRUNS = sizeof(runs) / sizeof(runs[0]) };
	struct samples lat[NRUNS];
	struct plot_series ps[NRUNS];
	json_t *p99 = json_object();
	struct scenario sc;
	char base[4400];
	int rc = -1, k = 0;

	progress__step(&ctx->prog, "sched:wake-latency");
	if (load("latency.json", &sc, e) < 0)
		goto out_json;
	for (; k < NRUNS; k++) {
		struct series_desc d = {"sched", NULL, "wake_to_run", "ns"};
		char wl[64];
		struct sim_report rep;
		struct sim *s;

		sc.boost = runs[k].boost;
		if (run_one(&sc, runs[k].sched, NULL, &rep, &s, e) < 0)
			goto out;
		/* Take the samples of domain 0 (the periodic vCPU). */
		lat[k] = s->domains[0].wake_latency_ns;
		s->domains[0].wake_latency_ns = (struct samples)SAMPLES_INIT;
		json_object_set_new(p99, runs[k].label,
				    json_real(rep.d[0].wake_p99_us));
		metrics__free(&rep);
		sim__destroy(s);
		snprintf(wl, sizeof(wl), "latency.json:%s", runs[k].label);
		d.workload = wl;
		if (result__add_series(r, &d, &lat[k], e) < 0) {
			k++;
			goto out;
		}
		ps[k] = (struct plot_series){runs[k].label, lat[k].v, lat[k].n};
		progress__update(&ctx->prog, k + 1, NRUNS);
	}
	out_base(base, sizeof(base), ctx, "latency-cdf");
	if (plot_cdf_linear(base,
			    "scheduler-sim: wake-to-run latency of a "
			    "vCPU woken every 10 ms beside two hogs",
			    ps, NRUNS, e) < 0)
		result__add_skip(r, "wake-latency CDF plot", e->msg);
	rc = 0;
out:
	while (k-- > 0)
		samples__free(&lat[k]);
	scenario__free(&sc);
out_json:
	json_object_set_new(result__data(r), "wake_p99_us", p99);
	return rc;
}

/* 4. Four schedulers side by side over seeds. */
static int exp_side_by_side(struct bench_ctx *ctx, struct result *r,
			    struct isolab_err *e)
{
	int seeds = ctx->runs < 10 ? ctx->runs : 10, rc = -1;
	struct samples jain[NSCHED], p99[NSCHED];
	struct plot_series pj[NSCHED], pl[NSCHED];
	struct scenario sc;
	char base[4400];

	if (ctx->quick && seeds > QUICK_SEEDS)
		seeds = QUICK_SEEDS;
	json_object_set_new(result__params(r), "mixed_seeds",
			    json_integer(seeds));
	progress__step(&ctx->prog, "sched:side-by-side");
	for (int k = 0; k < NSCHED; k++)
		jain[k] = p99[k] = (struct samples)SAMPLES_INIT;
	if (load("mixed.json", &sc, e) < 0)
		return -1;
	for (int s = 0; s < seeds; s++) {
		for (int k = 0; k < NSCHED; k++) {
			struct sim_report rep;
			unsigned voip = sc.ndomains - 1;

			sc.seed = (uint64_t)s + 1;
			if (run_one(&sc, sim_schedulers[k]->name, NULL, &rep,
				    NULL, e) < 0)
				goto out;
			if (samples__push(&jain[k], rep.jain_index) < 0 ||
			    samples__push(&p99[k],
					  rep.d[voip].wake_p99_us * 1e3) < 0) {
				metrics__free(&rep);
				err__set(e, ENOMEM, "samples");
				goto out;
			}
			metrics__free(&rep);
		}
		progress__update(&ctx->prog, s + 1, seeds);
	}
	for (int k = 0; k < NSCHED; k++) {
		const char *name = sim_schedulers[k]->name;
		struct series_desc dj = {"sched", "mixed.json", "jain_index",
					 "ratio"};
		struct series_desc dl = {"sched", "mixed.json", "voip_wake_p99",
					 "ns"};
		char wl[64];

		snprintf(wl, sizeof(wl), "mixed.json:%s", name);
		dj.workload = dl.workload = wl;
		if (result__add_series(r, &dj, &jain[k], e) < 0 ||
		    result__add_series(r, &dl, &p99[k], e) < 0)
			goto out;
		pj[k] = (struct plot_series){name, jain[k].v, jain[k].n};
		pl[k] = (struct plot_series){name, p99[k].v, p99[k].n};
	}
	out_base(base, sizeof(base), ctx, "jain");
	if (plot__bars(base,
		       "scheduler-sim: Jain's fairness index (share / "
		       "fair share) on mixed.json, over seeds",
		       "Jain index (1 = every domain at its fair share)", pj,
		       NSCHED, 1, e) < 0)
		result__add_skip(r, "Jain plot", e->msg);
	out_base(base, sizeof(base), ctx, "voip-p99");
	if (plot__bars(base,
		       "scheduler-sim: p99 wake-to-run latency of the "
		       "periodic vCPU on mixed.json, over seeds",
		       "p99 wake-to-run latency (ms)", pl, NSCHED, 1e6, e) < 0)
		result__add_skip(r, "voip p99 plot", e->msg);
	rc = 0;
out:
	for (int k = 0; k < NSCHED; k++) {
		samples__free(&jain[k]);
		samples__free(&p99[k]);
	}
	scenario__free(&sc);
	return rc;
}

/* 5. Events per second: scheduler-sim run as a child, so wait4's rusage
 * gives its CPU time, which other programs' load on the machine barely
 * changes (the wall time it also records does change). */
static int speed_run(const char *bin, const char *sched, const char *dur,
		     const char *json, struct samples *wall,
		     struct samples *cpu, struct samples *rate,
		     json_int_t *events, struct isolab_err *e)
{
	char scen[4400];
	char *argv[] = {(char *)bin,  "--scheduler", (char *)sched,
			"--scenario", scen,	     "--duration",
			(char *)dur,  "--quiet",     "--json",
			(char *)json, NULL};
	struct cmd_opts opts = {.timeout_s = 600};
	struct cmd_result res;
	json_t *root;
	double cpu_ns;

	snprintf(scen, sizeof(scen), "%s/big-64x512.json", scen_dir);
	if (timing__cmd_once(argv, &opts, &res, e) < 0)
		return -1;
	if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0)
		return err__set(e, 0, "%s --scheduler %s: failed (status %d)",
				bin, sched, res.status);
	root = json_load_file(json, 0, NULL);
	if (!root)
		return err__set(e, 0, "%s: not written", json);
	*events = json_integer_value(json_object_get(root, "events"));
	json_decref(root);
	cpu_ns = (double)(res.user_ns + res.sys_ns);
	if (samples__push(wall, (double)res.elapsed_ns) < 0 ||
	    samples__push(cpu, cpu_ns) < 0 ||
	    samples__push(rate, (double)*events * 1e9 / cpu_ns) < 0)
		return err__set(e, ENOMEM, "samples");
	return 0;
}

static int exp_speed(struct bench_ctx *ctx, struct result *r,
		     struct isolab_err *e)
{
	const char *dur = ctx->quick ? SPEED_DURATION_QUICK : SPEED_DURATION;
	char bin[4200], json[4200];
	json_t *speed = json_object();
	int rc = -1;

	progress__step(&ctx->prog, "sched:speed-64x512");
	snprintf(bin, sizeof(bin), "%s/bin/scheduler-sim", ctx->build_dir);
	snprintf(json, sizeof(json), "%s/sched-speed-run.json", ctx->out_dir);
	json_object_set_new(
		speed, "command",
		json_sprintf("scheduler-sim --scheduler S --scenario "
			     "scheduler-sim/scenarios/big-64x512.json "
			     "--duration %s --quiet --json OUT",
			     dur));
	for (int k = 0; k < NSCHED; k++) {
		const char *name = sim_schedulers[k]->name;
		struct samples wall = SAMPLES_INIT, cpu = SAMPLES_INIT,
			       rate = SAMPLES_INIT;
		struct series_desc dw = {"sched", NULL, "wall_time", "ns"};
		struct series_desc dc = {"sched", NULL, "cpu_time", "ns"};
		struct series_desc dr = {"sched", NULL, "events_per_cpu_s",
					 "1/s"};
		int runs = k == 0 && !ctx->quick
				   ? (ctx->runs < 3 ? ctx->runs : 3)
				   : 1;
		json_int_t events = 0;
		char wl[64];
		int bad = 0;

		snprintf(wl, sizeof(wl), "big-64x512.json:%s", name);
		dw.workload = dc.workload = dr.workload = wl;
		for (int i = 0; !bad && i < runs; i++)
			bad = speed_run(bin, name, dur, json, &wall, &cpu,
					&rate, &events, e) < 0;
		if (!bad)
			bad = result__add_series(r, &dw, &wall, e) < 0 ||
			      result__add_series(r, &dc, &cpu, e) < 0 ||
			      result__add_series(r, &dr, &rate, e) < 0;
		if (!bad)
			json_object_set_new(speed, name,
					    json_pack("{s:I, s:f, s:f}",
						      "events", events, "cpu_s",
						      cpu.v[0] / 1e9, "wall_s",
						      wall.v[0] / 1e9));
		samples__free(&wall);
		samples__free(&cpu);
		samples__free(&rate);
		if (bad)
			goto out;
		progress__update(&ctx->prog, k + 1, NSCHED);
	}
	rc = 0;
out:
	unlink(json);
	json_object_set_new(result__data(r), "speed_64x512", speed);
	return rc;
}

/* 6. The check against Linux: `scheduler-sim real` on real-check.json
 * for 5 s, 1 s with --quick (root only; recorded as skipped otherwise). */
static int exp_real(struct bench_ctx *ctx, struct result *r,
		    struct isolab_err *e)
{
	char bin[4200], json[4200], scen[4400], base[4400], dat[4500];
	char *argv[] = {bin,
			"real",
			"--scenario",
			scen,
			"--duration",
			ctx->quick ? REAL_DURATION_QUICK : REAL_DURATION,
			"--json",
			json,
			NULL};
	char title[] = "plottitle = \"scheduler-sim real: 4 hogs in cgroups "
		       "on 1 CPU (weights 256, 512, 1024; cap 10%)\"";
	const char *vars[] = {title, NULL};
	struct cmd_opts opts = {.stdout_path = "/dev/null", .timeout_s = 120};
	struct cmd_result res;
	json_t *root, *d;
	size_t i;
	FILE *f;

	progress__step(&ctx->prog, "sched:real-cfs");
	if (geteuid() != 0) {
		result__add_skip(r, "real", "needs root to make cgroups");
		return 0;
	}
	snprintf(bin, sizeof(bin), "%s/bin/scheduler-sim", ctx->build_dir);
	snprintf(json, sizeof(json), "%s/sched-real.json.tmp", ctx->out_dir);
	snprintf(scen, sizeof(scen), "%s/real-check.json", scen_dir);
	if (timing__cmd_once(argv, &opts, &res, e) < 0)
		return -1;
	root = json_load_file(json, 0, NULL);
	unlink(json);
	if (!WIFEXITED(res.status) || WEXITSTATUS(res.status) != 0 || !root) {
		json_decref(root);
		result__add_skip(r, "real", "scheduler-sim real failed here");
		return 0;
	}
	out_base(base, sizeof(base), ctx, "real");
	snprintf(dat, sizeof(dat), "%s.dat", base);
	if (!(f = fopen(dat, "we"))) {
		json_decref(root);
		return err__set(e, errno, "%s", dat);
	}
	fprintf(f, "# name real_rel fair sim_fair sim_credit\n");
	json_array_foreach(json_object_get(root, "domains"), i, d)
		fprintf(f, "%s %.4f %.4f %.4f %.4f\n",
			json_string_value(json_object_get(d, "name")),
			json_real_value(json_object_get(d, "real_rel")),
			json_real_value(json_object_get(d, "fair")),
			json_real_value(json_object_get(d, "sim_fair")),
			json_real_value(json_object_get(d, "sim_credit")));
	fclose(f);
	json_object_set_new(result__data(r), "real", root);
	if (plot__render("sched-real.gp", base, vars, e) < 0)
		result__add_skip(r, "real plot", e->msg);
	progress__update(&ctx->prog, 1, 1);
	return 0;
}

static int sched_measure(struct bench_ctx *ctx, struct result *r,
			 struct isolab_err *e)
{
	json_object_set_new(result__params(r), "scenarios",
			    json_string("scheduler-sim/scenarios: "
					"share-vs-weight, cap-timeline, "
					"latency, mixed, big-64x512, "
					"real-check"));
	json_object_set_new(result__params(r), "schedulers",
			    json_string("credit credit2 rr fair"));
	json_object_set_new(result__params(r), "quick",
			    json_boolean(ctx->quick));
	json_object_set_new(
		result__params(r), "speed_simulated",
		json_string(ctx->quick ? SPEED_DURATION_QUICK
				       : SPEED_DURATION));
	json_object_set_new(result__params(r), "real_duration",
			    json_string(ctx->quick ? REAL_DURATION_QUICK
						   : REAL_DURATION));
	if (ctx->quick)
		json_object_set_new(
			result__params(r), "quick_cut",
			json_string("speed: big-64x512 simulated for "
				    SPEED_DURATION_QUICK " instead of "
				    SPEED_DURATION ", credit run once "
				    "instead of min(runs, 3) times; real "
				    "check " REAL_DURATION_QUICK " instead "
				    "of " REAL_DURATION "; mixed.json over "
				    "3 seeds instead of min(runs, 10)"));
	if (exp_share(ctx, r, e) < 0 || exp_cap(ctx, r, e) < 0 ||
	    exp_latency(ctx, r, e) < 0 || exp_side_by_side(ctx, r, e) < 0 ||
	    exp_speed(ctx, r, e) < 0 || exp_real(ctx, r, e) < 0)
		return -1;
	return 0;
}

const struct approach_ops sched_approach = {
	.name = "sched",
	.what = "scheduler-sim: Xen credit vs credit2, rr, fair (simulated)",
	.steps = 6,
	.unavailable = sched_unavailable,
	.measure = sched_measure,
};
