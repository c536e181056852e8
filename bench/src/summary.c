/*
 * summary.c - results/latest/summary.md: the lecture's comparison table
 * (see summary.h) from whatever the run measured.
 *
 * Each series names its approach ("native", "container", "crun", "vm",
 * "qemu", "wasm", ...).  The table below says which lecture category an
 * approach belongs to, what isolates it, and what the lecture claims for
 * that category.  For each approach found in the results the summary
 * takes three figures, by these rules:
 *  - start-up: the median of APPROACH:hello:start_to_ready, else of the
 *    first APPROACH:*:start_to_ready, else of APPROACH:hello:start_to_exit,
 *    else of the first start_to_exit of a start-up workload (true, hello*);
 *  - footprint: the median of APPROACH:hello:peak_rss, else the first
 *    peak_rss of a start-up workload;
 *  - run-time overhead: the geometric mean over the compute workloads of
 *    median(APPROACH:W:compute) / median(native:W:compute).
 * A category with no measured approach is still listed, as not measured,
 * with the reasons recorded under "skipped"; an approach the table does not
 * know is listed under "other", never dropped.
 */
#include "summary.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "approach.h"
#include "plot.h"
#include "result.h"

/* What the lecture says, per approach. */
struct approach_info {
	const char *name;      /* approach name in the series */
	const char *category;  /* the lecture's row */
	const char *mechanism; /* what isolates it */
	const char *claim;     /* the lecture's words */
	double start_lo_ns, start_hi_ns; /* claimed start-up range, or 0 */
	double rss_hi_kib;     /* claimed footprint ceiling, or 0 */
};

static const struct approach_info known[] = {
	{ "native", "process (baseline)", "none: an ordinary process",
	  "-", 0, 0, 0 },
	{ "container", "container",
	  "namespaces, cgroups, seccomp, capabilities (mini-container)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "mini-container", "container",
	  "the same, from an OCI bundle (mini-container)", "0.8-1 s to start",
	  0.8e9, 1e9, 0 },
	{ "mini-container-cli", "container",
	  "the same, from command-line options (mini-container)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "crun", "container", "namespaces, cgroups, seccomp (crun)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "runc", "container", "namespaces, cgroups, seccomp (runc)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "runsc", "container", "a user-space kernel (gVisor, ptrace)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "bwrap", "container", "namespaces only (bubblewrap)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "unshare-chroot", "container",
	  "namespaces and chroot only (util-linux unshare)",
	  "0.8-1 s to start", 0.8e9, 1e9, 0 },
	{ "qemu", "full VM",
	  "a Linux kernel and busybox in QEMU microvm (KVM, or TCG where "
	  "KVM cannot boot it)",
	  "5-10 s to boot", 5e9, 10e9, 0 },
	{ "vm", "unikernel-style VM",
	  "KVM, a tiny library-OS guest (mini-vmm)",
	  "< 10 ms to boot; Firecracker: < 125 ms, < 5 MiB", 0, 10e6,
	  5 * 1024 },
	{ "wasm", "Wasm", "a bytecode sandbox: validated code, bounds-checked "
			  "memory (mini-wasm)",
	  "\"instant\" start, KBs", 0, 1e6, 0 },
	{ "wasm-wabt", "Wasm", "wabt's interpreter (wasm-interp)",
	  "\"instant\" start, KBs", 0, 1e6, 0 },
	{ "wasm-node", "Wasm", "V8's compilers in node (node:wasi)",
	  "\"instant\" start, KBs", 0, 1e6, 0 },
};

#define NKNOWN (sizeof(known) / sizeof(known[0]))

static const char *const categories[] = {
	"process (baseline)", "full VM", "container", "unikernel-style VM",
	"Wasm",
};

static const char *const compute_workloads[] = { "fib",	  "sieve", "matmul",
						 "crc32", "nbody", "sort" };

/* Median of series `name` in result r, or NAN. */
static double median_in(const struct result *r, const char *name)
{
	struct series_view v;
	struct isolab_err e;

	for (size_t k = 0; k < result__series_count(r); k++) {
		double m;

		if (result__series(r, k, &v, &e) < 0)
			continue;
		m = strcmp(v.name, name) == 0 ? v.st.median : NAN;
		samples__free(&v.values);
		if (!isnan(m))
			return m;
	}
	return NAN;
}

/* Median of series `name` ("approach:workload:metric"), or NAN.  The same
 * series can stand in several results (an approach measures a peer
 * interleaved with itself): the result named after the approach wins. */
static double median_of(const struct result_set *set, const char *name)
{
	size_t alen = strcspn(name, ":");
	double m;

	for (size_t i = 0; i < set->n; i++) {
		const char *rn = result__name(set->r[i]);

		if (strlen(rn) == alen && strncmp(rn, name, alen) == 0 &&
		    !isnan(m = median_in(set->r[i], name)))
			return m;
	}
	for (size_t i = 0; i < set->n; i++)
		if (!isnan(m = median_in(set->r[i], name)))
			return m;
	return NAN;
}

/* Median of the first series of approach a with metric m (with
 * startup_only, of a start-up workload), or NAN. */
static double first_metric(const struct result_set *set, const char *a,
			   const char *m, bool startup_only)
{
	struct series_view v;
	struct isolab_err e;

	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < result__series_count(set->r[i]); k++) {
			double med = NAN;

			if (result__series(set->r[i], k, &v, &e) < 0)
				continue;
			if (strcmp(v.desc.approach, a) == 0 &&
			    strcmp(v.desc.metric, m) == 0 &&
			    (!startup_only ||
			     approach__startup_workload(v.desc.workload)))
				med = v.st.median;
			samples__free(&v.values);
			if (!isnan(med))
				return med;
		}
	return NAN;
}

struct row {
	const struct approach_info *info;
	double start_ns, rss_kib, overhead;
	double exit_ns; /* launch to exit of the start-up workload */
	int overhead_n; /* workloads the overhead is the mean of */
};

static void measure_row(const struct result_set *set, struct row *r)
{
	char name[128];
	const char *a = r->info->name;
	double logsum = 0;

	snprintf(name, sizeof(name), "%s:hello:start_to_ready", a);
	r->start_ns = median_of(set, name);
	if (isnan(r->start_ns))
		r->start_ns = first_metric(set, a, "start_to_ready", false);
	if (isnan(r->start_ns)) {
		snprintf(name, sizeof(name), "%s:hello:start_to_exit", a);
		r->start_ns = median_of(set, name);
	}
	if (isnan(r->start_ns))
		r->start_ns = first_metric(set, a, "start_to_exit", true);
	snprintf(name, sizeof(name), "%s:hello:start_to_exit", a);
	r->exit_ns = median_of(set, name);
	if (isnan(r->exit_ns))
		r->exit_ns = first_metric(set, a, "start_to_exit", true);
	snprintf(name, sizeof(name), "%s:hello:peak_rss", a);
	r->rss_kib = median_of(set, name);
	if (isnan(r->rss_kib))
		r->rss_kib = first_metric(set, a, "peak_rss", true);
	r->overhead_n = 0;
	for (size_t w = 0; w < sizeof(compute_workloads) / sizeof(char *);
	     w++) {
		double mine, base;

		snprintf(name, sizeof(name), "%s:%s:compute", a,
			 compute_workloads[w]);
		mine = median_of(set, name);
		snprintf(name, sizeof(name), "native:%s:compute",
			 compute_workloads[w]);
		base = median_of(set, name);
		if (isnan(mine) || isnan(base) || base <= 0 || mine <= 0)
			continue;
		logsum += log(mine / base);
		r->overhead_n++;
	}
	r->overhead = r->overhead_n ? exp(logsum / r->overhead_n) : NAN;
}

static void fmt_time(char *buf, size_t len, double ns)
{
	double scale;
	const char *u;

	if (isnan(ns)) {
		snprintf(buf, len, "not measured");
		return;
	}
	u = plot__time_unit(ns, &scale);
	snprintf(buf, len, "%.3g %s", ns / scale, u);
}

/* Sequential starts per second: one over launch-to-exit. */
static void fmt_density(char *buf, size_t len, double exit_ns)
{
	if (isnan(exit_ns) || exit_ns <= 0)
		snprintf(buf, len, "-");
	else if (1e9 / exit_ns >= 100)
		snprintf(buf, len, "%.0f", 1e9 / exit_ns);
	else
		snprintf(buf, len, "%.3g", 1e9 / exit_ns);
}

static void fmt_kib(char *buf, size_t len, double kib)
{
	if (isnan(kib))
		snprintf(buf, len, "not measured");
	else if (kib >= 1024)
		snprintf(buf, len, "%.3g MiB", kib / 1024);
	else
		snprintf(buf, len, "%.0f KiB", kib);
}

/* One sentence on whether the start-up claim holds, and by what ratio. */
static void claim_sentence(FILE *f, const struct row *r)
{
	const struct approach_info *i = r->info;
	char m[32], lo[32], hi[32];

	if (isnan(r->start_ns) || i->start_hi_ns <= 0)
		return;
	fmt_time(m, sizeof(m), r->start_ns);
	fmt_time(lo, sizeof(lo), i->start_lo_ns);
	fmt_time(hi, sizeof(hi), i->start_hi_ns);
	if (r->start_ns <= i->start_hi_ns && r->start_ns >= i->start_lo_ns)
		fprintf(f, "- **%s** starts in %s: within the lecture's %s.\n",
			i->name, m, i->claim);
	else if (r->start_ns < i->start_lo_ns)
		fprintf(f,
			"- **%s** starts in %s, %.0fx faster than the lecture's "
			"%s: the claim is too pessimistic here.\n",
			i->name, m, i->start_lo_ns / r->start_ns, i->claim);
	else if (i->start_lo_ns > 0)
		fprintf(f,
			"- **%s** starts in %s, %.1fx slower than the lecture's "
			"%s: the claim does not hold here.\n",
			i->name, m, r->start_ns / i->start_hi_ns, i->claim);
	else
		fprintf(f,
			"- **%s** starts in %s, %.1fx above the lecture's %s: "
			"the claim does not hold here.\n",
			i->name, m, r->start_ns / i->start_hi_ns, i->claim);
	if (i->rss_hi_kib > 0 && !isnan(r->rss_kib))
		fprintf(f, "- **%s** peaks at %.0f KiB of RSS, %s the %.0f MiB "
			   "the lecture quotes.\n",
			i->name, r->rss_kib,
			r->rss_kib <= i->rss_hi_kib ? "within" : "above",
			i->rss_hi_kib / 1024);
}

static void write_machine(FILE *f, const struct result_set *set)
{
	json_t *m = json_object_get(result__json(set->r[0]), "meta");
	json_t *kvm = json_object_get(m, "kvm");

	fprintf(f,
		"Measured on %s (%lld cores, kernel %s), KVM backend %s, "
		"cgroups %s, commit %.12s, %s.\n\n",
		json_string_value(json_object_get(m, "cpu_model")),
		(long long)json_integer_value(json_object_get(m, "cores")),
		json_string_value(json_object_get(m, "kernel")),
		json_string_value(json_object_get(kvm, "backend")),
		json_string_value(json_object_get(m, "cgroup_mode")),
		json_string_value(json_object_get(m, "git_commit")),
		json_string_value(json_object_get(m, "date")));
	/* Whether idle CPUs could halt (lib/pmqos.h); older results have no
	 * such field and say nothing. */
	json_t *lat = json_object_get(m, "cpu_latency_us");

	if (json_is_integer(lat))
		fprintf(f, "%s\n\n",
			json_integer_value(lat) == 0
				? "Idle CPUs polled instead of halting (PM QoS "
				  "CPU latency held at 0 us by isobench)."
				: "Idle CPUs could halt (no PM QoS CPU latency "
				  "request held: isobench --no-pm-qos, or not "
				  "root).");
	/* How many runs stand behind each figure, and whether it was the
	 * short run. */
	json_t *p = json_object_get(result__json(set->r[0]), "params");
	json_t *runs = json_object_get(p, "runs");
	json_t *cruns = json_object_get(p, "compute_runs");

	if (json_is_integer(runs) && json_is_integer(cruns))
		fprintf(f,
			"%lld runs per start-up figure, %lld per compute "
			"figure%s.\n\n",
			(long long)json_integer_value(runs),
			(long long)json_integer_value(cruns),
			json_is_true(json_object_get(p, "quick"))
				? "; the quick run (`make bench QUICK=1`): "
				  "few runs and the short form of the slow "
				  "experiments, for a first look, not for "
				  "quoting"
				: "");
}

/* Did every approach compute the same thing?  Each result's
 * data.checksums maps workload -> checksum; native's are the reference. */
static void write_checksums(FILE *f, const struct result_set *set)
{
	json_t *ref = NULL;
	int checked = 0, differ = 0;

	for (size_t i = 0; i < set->n; i++)
		if (strcmp(result__name(set->r[i]), "native") == 0)
			ref = json_object_get(result__data(set->r[i]),
					      "checksums");
	fprintf(f, "\n## Same work everywhere\n\n");
	if (!ref) {
		fprintf(f, "No native checksums in this run to compare "
			   "against.\n");
		return;
	}
	for (size_t i = 0; i < set->n; i++) {
		json_t *sums = json_object_get(result__data(set->r[i]),
					       "checksums"),
		       *v;
		const char *w;

		if (!json_is_object(sums) ||
		    strcmp(result__name(set->r[i]), "native") == 0)
			continue;
		json_object_foreach(sums, w, v) {
			const char *mine = json_string_value(v);
			const char *want =
				json_string_value(json_object_get(ref, w));

			if (!mine || !want)
				continue;
			checked++;
			if (strcmp(mine, want) != 0) {
				differ++;
				fprintf(f, "- **%s** printed checksum %s for %s, "
					   "native %s: it did not compute the "
					   "same thing.\n",
					result__name(set->r[i]), mine, w, want);
			}
		}
	}
	if (!differ)
		fprintf(f, "All %d workload runs of other approaches printed "
			   "the native checksum.\n",
			checked);
}

static void write_skips(FILE *f, const struct result_set *set)
{
	int any = 0;

	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < result__skip_count(set->r[i]); k++) {
			const char *what, *why;

			if (result__skip(set->r[i], k, &what, &why) < 0)
				continue;
			if (!any++)
				fprintf(f, "\n## Not measured in this run\n\n");
			fprintf(f, "- %s: %s\n", what, why);
		}
}

/* The lecture's claim for a category (that of its first approach). */
static const char *category_claim(const char *category)
{
	for (size_t k = 0; k < NKNOWN; k++)
		if (strcmp(known[k].category, category) == 0)
			return known[k].claim;
	return "";
}

static void write_table(FILE *f, const struct result_set *set,
			struct row *rows, size_t *nrows)
{
	fprintf(f, "| category | approach | isolation | start-up | starts/s | "
		   "footprint (peak RSS) | run-time vs native | lecture "
		   "claims |\n"
		   "|---|---|---|---|---|---|---|---|\n");
	*nrows = 0;
	for (size_t c = 0; c < sizeof(categories) / sizeof(char *); c++) {
		int listed = 0;

		for (size_t k = 0; k < NKNOWN; k++) {
			struct row *r = &rows[*nrows];
			char st[32], rss[32], ov[48], dens[32];

			if (strcmp(known[k].category, categories[c]) != 0)
				continue;
			r->info = &known[k];
			measure_row(set, r);
			if (isnan(r->start_ns) && isnan(r->rss_kib))
				continue;
			fmt_time(st, sizeof(st), r->start_ns);
			fmt_kib(rss, sizeof(rss), r->rss_kib);
			fmt_density(dens, sizeof(dens), r->exit_ns);
			if (r->overhead_n)
				snprintf(ov, sizeof(ov), "%.2fx (geomean of %d)",
					 r->overhead, r->overhead_n);
			else
				snprintf(ov, sizeof(ov), "not measured");
			fprintf(f, "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
				categories[c], known[k].name,
				known[k].mechanism, st, dens, rss, ov,
				known[k].claim);
			(*nrows)++;
			listed = 1;
		}
		if (!listed)
			fprintf(f, "| %s | - | - | not measured | - | "
				   "not measured | not measured | %s |\n",
				categories[c], category_claim(categories[c]));
	}
}

#define MAX_OTHER 16

static bool is_known(const char *a)
{
	for (size_t k = 0; k < NKNOWN; k++)
		if (strcmp(known[k].name, a) == 0)
			return true;
	return false;
}

/* Approaches in the results that the table does not know, as rows of
 * category "other" (infos filled in `other`), appended to rows. */
static void write_others(FILE *f, const struct result_set *set,
			 struct approach_info *other, struct row *rows,
			 size_t *nrows)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		for (size_t k = 0; k < result__series_count(set->r[i]); k++) {
			struct series_view v;
			struct isolab_err e;
			bool seen = false;

			if (result__series(set->r[i], k, &v, &e) < 0)
				continue;
			for (size_t j = 0; j < n; j++)
				seen |= strcmp(other[j].name,
					       v.desc.approach) == 0;
			if (!seen && n < MAX_OTHER &&
			    !is_known(v.desc.approach))
				other[n++] = (struct approach_info){
					v.desc.approach, "other", "-", "-",
					0, 0, 0 };
			samples__free(&v.values);
		}
	for (size_t j = 0; j < n; j++) {
		struct row *r = &rows[*nrows];
		char st[32], rss[32];

		r->info = &other[j];
		measure_row(set, r);
		if (isnan(r->start_ns) && isnan(r->rss_kib))
			continue; /* an experiment, not a way to run things */
		fmt_time(st, sizeof(st), r->start_ns);
		fmt_kib(rss, sizeof(rss), r->rss_kib);
		fprintf(f, "| other | %s | - | %s | - | %s | - | - |\n",
			other[j].name, st, rss);
		(*nrows)++;
	}
}

int summary__write(const char *dir, struct isolab_err *e)
{
	struct result_set set;
	struct approach_info other[MAX_OTHER];
	struct row rows[NKNOWN + MAX_OTHER];
	char path[4400];
	size_t nrows;
	FILE *f;

	if (result__load_dir(dir, &set, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/summary.md", dir);
	f = fopen(path, "we");
	if (!f) {
		result__free_set(&set);
		return err__set(e, errno, "%s", path);
	}
	fprintf(f, "# VM vs container vs Wasm vs unikernel, measured\n\n");
	write_machine(f, &set);
	fprintf(f, "Start-up is launch to the workload's `ready` mark (or to "
		   "exit where there is no mark); starts/s is one over launch "
		   "to exit, started one after another; footprint is the peak "
		   "RSS of the launched process; run-time is the geometric "
		   "mean over the compute workloads of the compute time "
		   "against native, measured in the same run. All are "
		   "medians.\n\n");
	write_table(f, &set, rows, &nrows);
	write_others(f, &set, other, rows, &nrows);
	fprintf(f, "\n## What holds here\n\n");
	for (size_t i = 0; i < nrows; i++)
		claim_sentence(f, &rows[i]);
	write_checksums(f, &set);
	write_skips(f, &set);
	result__free_set(&set);
	if (fclose(f) != 0)
		return err__set(e, errno, "%s", path);
	return 0;
}
