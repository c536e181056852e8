/*
 * isobench.c - The command line of isolab's benchmark harness.
 *
 *   isobench run [--only A,B] [--workloads W,..] [--runs N] [--warmup W]
 *                [--compute-runs N] [--out DIR] [--quick] [--quiet]
 *   isobench plot DIR      redraw the plots of a results directory
 *   isobench table DIR     print the table of a results directory
 *   isobench compare A B   two results directories side by side
 *   isobench summary DIR   write DIR/summary.md: the lecture's comparison table
 *   isobench meta          print this machine's metadata as JSON
 *
 * `make bench` calls `isobench run`.  Start reading at cmd_run(): it walks
 * the approach table (approach.c), writes one JSON result per approach,
 * then reads them back for the table and the plots (report.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approach.h"
#include "compare.h"
#include "launch.h"
#include "pmqos.h"
#include "report.h"
#include "summary.h"

#define PROG "isobench"

static const char usage[] =
	"usage: isobench run [OPTIONS]   measure, write DIR/*.json and plots\n"
	"       isobench plot DIR        redraw the plots of DIR from its JSON\n"
	"       isobench table DIR       print the table of DIR\n"
	"       isobench compare A B     two results directories side by side\n"
	"       isobench summary DIR     (re)write DIR/summary.md, the comparison table\n"
	"       isobench meta            print this machine's metadata (JSON)\n"
	"       isobench --help          this text\n"
	"\n"
	"options of run:\n"
	"  --only A,B,...  measure only these approaches (default: all)\n"
	"  --workloads W,...  run only these workloads (default: all):\n"
	"                  hello fib sieve matmul crc32 nbody sort memrand syscalls\n"
	"  --runs N        measured runs per start-up figure, 1..1000000\n"
	"                  (default 100)\n"
	"  --warmup W      unmeasured runs before them, 0..1000000 (default 5)\n"
	"  --compute-runs N  measured runs of each compute workload, 1..100000\n"
	"                  (default 10)\n"
	"  --out DIR       results directory (default results/latest)\n"
	"  --quick         the short run of make bench QUICK=1 (about a minute):\n"
	"                  --runs 30 --warmup 2 --compute-runs 1 unless given,\n"
	"                  and the short form of the slow experiments\n"
	"  --quiet         no progress on stderr\n"
	"  --no-pm-qos     let idle CPUs halt while measuring (by default\n"
	"                  isobench holds /dev/cpu_dma_latency at 0 when it\n"
	"                  can: waking a halted vCPU here costs hundreds of us,\n"
	"                  inside whichever figure meets it; see lib/pmqos.h)\n"
	"\n"
	"approaches:\n";

static void print_usage(FILE *f)
{
	const struct approach_ops *const *approaches = approach__all();

	fputs(usage, f);
	for (size_t i = 0; approaches[i]; i++)
		fprintf(f, "  %-14s %s\n", approaches[i]->name,
			approaches[i]->what);
}

/* Parse a whole number in [lo, hi] for option opt, or exit 2. */
static int parse_int(const char *opt, const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, PROG ": %s: '%s' is not a whole number from %ld "
				"to %ld\n",
			opt, s, lo, hi);
		exit(2);
	}
	return (int)v;
}

/* The build tree is two levels above this program (BUILD/bin/isobench). */
static void find_build_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0) {
		snprintf(buf, len, "build");
		return;
	}
	exe[n] = '\0';
	snprintf(buf, len, "%s", dirname(dirname(exe)));
}

/* Is approach name selected by --only (a comma-separated list)? */
static bool selected(const char *only, const char *name)
{
	return !only || approach__in_list(only, name);
}

/* Every name in --only must be an approach; exits 2 otherwise. */
static void check_only(const char *only)
{
	char name[64];

	for (const char *p = only; *p;) {
		size_t w = strcspn(p, ",");

		snprintf(name, sizeof(name), "%.*s", (int)w, p);
		if (!approach__find(name)) {
			fprintf(stderr,
				PROG ": --only: '%s' is not an approach (see "
				"isobench --help)\n",
				name);
			exit(2);
		}
		p += w + (p[w] == ',');
	}
}

/* Every name in --workloads must be a workload; exits 2 otherwise. */
static void check_workloads(const char *list)
{
	char name[64];

	for (const char *p = list; *p;) {
		size_t w = strcspn(p, ","), i;

		snprintf(name, sizeof(name), "%.*s", (int)w, p);
		for (i = 0; bench_workloads[i]; i++)
			if (strcmp(bench_workloads[i], name) == 0)
				break;
		if (!bench_workloads[i]) {
			fprintf(stderr,
				PROG ": --workloads: '%s' is not a workload "
				"(see isobench --help)\n",
				name);
			exit(2);
		}
		p += w + (p[w] == ',');
	}
}

/* One approach's part of a run. */
struct run_slot {
	const struct approach_ops *a;
	struct result *r;
	bool measured; /* measure() ran (finish() is due) */
	bool ok;       /* and succeeded: its arms join the shared workloads */
	int first_step;
};

/* Create the approach's result and measure its own experiments into it.
 * A failure is recorded in the result (skipped, with the reason) and
 * makes the run's exit status 1, but the other approaches still run.
 * Returns 0, or -1 when the approach failed. */
static int run_begin(struct bench_ctx *ctx, struct run_slot *s)
{
	struct isolab_err e = { 0, "" };
	const struct approach_ops *a = s->a;
	const char *why = a->unavailable(ctx);
	char title[256];

	s->first_step = ctx->prog.step;
	snprintf(title, sizeof(title), "%s: %s", a->name, a->what);
	s->r = result__create(a->name, title, &ctx->meta);
	if (!s->r) {
		fprintf(stderr, PROG ": %s: out of memory\n", a->name);
		return -1;
	}
	json_object_set_new(result__params(s->r), "runs",
			    json_integer(ctx->runs));
	json_object_set_new(result__params(s->r), "warmup",
			    json_integer(ctx->warmup));
	json_object_set_new(result__params(s->r), "compute_runs",
			    json_integer(ctx->compute_runs));
	json_object_set_new(result__params(s->r), "quick",
			    json_boolean(ctx->quick));
	json_object_set_new(result__params(s->r), "launcher",
			    json_string(launch__mode()));
	if (ctx->workloads)
		json_object_set_new(result__params(s->r), "workloads",
				    json_string(ctx->workloads));
	if (why) {
		fprintf(stderr, PROG ": %s: skipped: %s\n", a->name, why);
		result__add_skip(s->r, a->name, why);
		ctx->prog.step = s->first_step + a->steps;
		return 0;
	}
	s->measured = true;
	s->ok = a->measure(ctx, s->r, &e) == 0;
	if (!s->ok) {
		fprintf(stderr, PROG ": %s: %s\n", a->name, e.msg);
		result__add_skip(s->r, a->name, e.msg);
	}
	/* Steps it did not take (skipped parts, a failure) are passed over,
	 * so the next approach's numbers stay where the total promised. */
	ctx->prog.step = s->first_step + a->steps;
	return s->ok ? 0 : -1;
}

/* Finish the approach after the shared workloads (it may read every
 * other result, so none is freed yet).  Returns 0 or -1. */
static int run_finish(struct bench_ctx *ctx, struct run_slot *s)
{
	struct isolab_err e = { 0, "" };

	if (!s->measured || !s->a->finish || s->a->finish(ctx, s->r, &e) == 0)
		return 0;
	fprintf(stderr, PROG ": %s: %s\n", s->a->name, e.msg);
	result__add_skip(s->r, s->a->name, e.msg);
	return -1;
}

/* Write DIR/<name>.json and free the result.  Returns 0 or -1. */
static int run_write(struct bench_ctx *ctx, struct run_slot *s)
{
	struct isolab_err e = { 0, "" };
	char path[PATH_MAX];
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s.json", ctx->out_dir, s->a->name);
	if (result__write(s->r, path, &e) < 0) {
		err__print(PROG, &e);
		rc = -1;
	}
	result__destroy(s->r);
	s->r = NULL;
	return rc;
}

/* Every selected approach's own experiments, one after another; then the
 * shared workloads with all of them interleaved; then each finishes and
 * is written.  Returns 0, or -1 if any part failed. */
static int run_all(struct bench_ctx *ctx, const char *only)
{
	const struct approach_ops *const *approaches = approach__all();
	struct isolab_err e = { 0, "" };
	struct run_slot slots[16] = { { 0 } };
	const struct approach_ops *sel[16];
	struct result *results[16], *shared[16];
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; approaches[i] && n < 16; i++)
		if (selected(only, approaches[i]->name))
			slots[n++].a = approaches[i];
	ctx->results = results;
	ctx->nresults = 0;
	for (size_t i = 0; i < n; i++) {
		if (run_begin(ctx, &slots[i]) < 0)
			rc = -1;
		sel[i] = slots[i].a;
		results[i] = slots[i].r;
		shared[i] = slots[i].ok ? slots[i].r : NULL;
		ctx->nresults = i + 1;
	}
	if (approach__measure_shared(ctx, sel, shared, n, &e) < 0) {
		err__print(PROG, &e);
		rc = -1;
	}
	for (size_t i = 0; i < n; i++)
		if (slots[i].r && run_finish(ctx, &slots[i]) < 0)
			rc = -1;
	ctx->results = NULL;
	ctx->nresults = 0;
	for (size_t i = 0; i < n; i++)
		if (slots[i].r && run_write(ctx, &slots[i]) < 0)
			rc = -1;
	return rc;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "workloads", required_argument, NULL, 'W' },
		{ "compute-runs", required_argument, NULL, 'c' },
		{ "runs", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "out", required_argument, NULL, 'd' },
		{ "quick", no_argument, NULL, 'Q' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-pm-qos", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_ctx ctx = { .runs = 100, .warmup = 5, .compute_runs = 10,
				 .out_dir = "results/latest" };
	const struct approach_ops *const *approaches = approach__all();
	struct isolab_err e = { 0, "" };
	char build[PATH_MAX];
	const char *only = NULL;
	int quiet = 0, steps = 0, failed = 0, c, pm_qos = 1;
	int runs = -1, warmup = -1, compute_runs = -1;

	opterr = 0; /* our own one-line messages */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'o': only = optarg; break;
		case 'W': ctx.workloads = optarg; break;
		case 'c': compute_runs = parse_int("--compute-runs", optarg, 1, 100000); break;
		case 'n': runs = parse_int("--runs", optarg, 1, 1000000); break;
		case 'w': warmup = parse_int("--warmup", optarg, 0, 1000000); break;
		case 'Q': ctx.quick = true; break;
		case 'd': ctx.out_dir = optarg; break;
		case 'q': quiet = 1; break;
		case 'P': pm_qos = 0; break;
		case 'h': print_usage(stdout); return 0;
		case ':':
			fprintf(stderr, PROG ": run: %s needs a value\n",
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr,
				PROG ": run: unknown option '%s' (see isobench "
				"--help)\n",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": run: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	/* --quick changes the defaults; explicit counts still win. */
	if (ctx.quick) {
		ctx.runs = 30;
		ctx.warmup = 2;
		ctx.compute_runs = 1;
	}
	if (runs > 0)
		ctx.runs = runs;
	if (warmup >= 0)
		ctx.warmup = warmup;
	if (compute_runs > 0)
		ctx.compute_runs = compute_runs;
	if (only)
		check_only(only);
	if (ctx.workloads)
		check_workloads(ctx.workloads);
	find_build_dir(build, sizeof(build));
	ctx.build_dir = build;
	if (result__mkdirs(ctx.out_dir, &e) < 0) {
		err__print(PROG, &e);
		return 1;
	}
	/* Idle CPUs poll instead of halting for the whole run (pmqos.h); the
	 * descriptor holds the request until isobench exits, and the meta
	 * collected next records the latency in force. */
	if (pm_qos && pmqos__hold(0, &e) < 0)
		fprintf(stderr,
			PROG ": idle CPUs may halt during this run: %s%s\n",
			e.msg, e.errnum == EACCES ? " (needs root)" : "");
	meta__collect(&ctx.meta);
	meta__export(&ctx.meta); /* the measured children's --stats reuse it */
	for (size_t i = 0; approaches[i]; i++)
		if (selected(only, approaches[i]->name))
			steps += approaches[i]->steps;
	for (size_t i = 0; bench_workloads[i]; i++) /* the shared rounds */
		steps += approach__wants(&ctx, bench_workloads[i]);
	progress__init(&ctx.prog, steps, quiet);
	failed = run_all(&ctx, only) < 0;
	if (report__table(stdout, ctx.out_dir, &e) < 0 ||
	    summary__write(ctx.out_dir, &e) < 0 ||
	    report__plot(ctx.out_dir, &e) < 0) {
		err__print(PROG, &e);
		return 1;
	}
	printf("results: %s/*.json, summary: %s/summary.md, plots: %s/*.png "
	       "and *.svg\n",
	       ctx.out_dir, ctx.out_dir, ctx.out_dir);
	return failed;
}

/* plot DIR and table DIR take exactly one directory. */
static const char *one_dir(int argc, char **argv, const char *cmd)
{
	if (argc != 3) {
		fprintf(stderr, PROG ": %s: expected one results directory\n",
			cmd);
		exit(2);
	}
	return argv[2];
}

static int cmd_meta(void)
{
	struct meta m;
	json_t *j;

	meta__collect(&m);
	j = meta__to_json(&m);
	if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) < 0) {
		fprintf(stderr, PROG ": meta: out of memory\n");
		return 1;
	}
	putchar('\n');
	json_decref(j);
	return 0;
}

int main(int argc, char **argv)
{
	struct isolab_err e = { 0, "" };
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(cmd, "meta") == 0)
		return cmd_meta();
	if (strcmp(cmd, "plot") == 0) {
		if (report__plot(one_dir(argc, argv, cmd), &e) < 0) {
			err__print(PROG, &e);
			return 1;
		}
		return 0;
	}
	if (strcmp(cmd, "summary") == 0) {
		if (summary__write(one_dir(argc, argv, cmd), &e) < 0) {
			err__print(PROG, &e);
			return 1;
		}
		return 0;
	}
	if (strcmp(cmd, "table") == 0) {
		if (report__table(stdout, one_dir(argc, argv, cmd), &e) < 0) {
			err__print(PROG, &e);
			return 1;
		}
		return 0;
	}
	if (strcmp(cmd, "compare") == 0) {
		if (argc != 4) {
			fprintf(stderr, PROG ": compare: expected two results "
					"directories\n");
			return 2;
		}
		if (compare__dirs(stdout, argv[2], argv[3], &e) < 0) {
			err__print(PROG, &e);
			return 1;
		}
		return 0;
	}
	fprintf(stderr, PROG ": '%s' is not a command (see isobench --help)\n",
		cmd);
	return 2;
}
