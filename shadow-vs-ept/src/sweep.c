/*
 * sweep.c - The experiments that reproduce the literature's shape:
 *   crossover  modeled cycles per access vs page-table-update rate, for
 *              shadow and nested paging (where does each win?);
 *   walkcache  page-walk references per TLB miss, with and without the
 *              walk caches (paging-structure caches, nested TLB);
 *   shadowmem  shadow-table memory vs number of guest processes;
 *   largepages 2 MiB pages in the guest, the EPT, both or neither.
 * Each writes DIR/paging-NAME.json through the harness (params, and the
 * points under data) and DIR/paging-NAME.{dat,gp,png,svg} through its
 * gnuplot step with the templates bench/plots/sve-NAME.gp.
 */
#define _GNU_SOURCE
#include "sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestos.h"
#include "meta.h"
#include "plot.h"
#include "result.h"
#include "shadow.h"
#include "sim.h"
#include "workload.h"

#define PROG "shadow-vs-ept sweep"

/* The command line's choices. */
struct sweep_opts {
	bool quick;	   /* --quick: the short form (README) */
	uint64_t accesses; /* --accesses: per run of crossover, walkcache and
			      largepages; 0 = the sweep's own default */
};

/* What one run leaves behind. */
struct point {
	struct sim_counters c;
	double cycles;
	uint64_t shadow_pages, ept_pages, pt_pages;
};

static int run_one(const struct sim_config *cfg, const char *spec,
		   struct point *pt, struct isolab_err *e)
{
	struct workload w;
	struct sim *s;
	int rc;

	if (workload__parse(spec, &w, e) < 0)
		return -1;
	s = sim__create(cfg, e);
	if (!s)
		return -1;
	rc = workload__run(s, &w, e);
	if (rc == 0) {
		pt->c = s->c;
		pt->cycles = sim__modeled_cycles(s);
		pt->shadow_pages = sim__shadow_pages(s);
		pt->ept_pages = s->ept_pages;
		pt->pt_pages = guestos__pt_pages(s->os);
	}
	sim__destroy(s);
	return rc;
}

static uint64_t point_exits(const struct point *p)
{
	uint64_t n = 0;

	for (int i = 0; i < EXIT_NR; i++)
		n += p->c.exits[i];
	return n;
}

static double refs_per_miss(const struct point *p)
{
	uint64_t refs = 0;

	for (int l = 1; l <= 4; l++)
		refs += p->c.walk_refs_guest[l] + p->c.walk_refs_nested[l];
	return p->c.tlb_misses ? (double)refs / (double)p->c.tlb_misses : 0;
}

/* Write the result and render its plot. */
static int finish(struct result *r, const char *dir, const char *name,
		  const char *const vars[], struct isolab_err *e)
{
	char path[4096], base[4096];

	snprintf(path, sizeof(path), "%s/paging-%s.json", dir, name);
	snprintf(base, sizeof(base), "%s/paging-%s", dir, name);
	if (result__write(r, path, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "sve-%s.gp", name);
	if (plot__render(path, base, vars, e) < 0)
		return -1;
	printf("%s: wrote %s.json and %s.png\n", name, base, base);
	return 0;
}

static FILE *open_dat(const char *dir, const char *name, struct isolab_err *e)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/paging-%s.dat", dir, name);
	f = fopen(path, "we");
	if (!f)
		err__set(e, errno, "%s", path);
	return f;
}

/* Where curve a crosses curve b, interpolated in log x (as drawn): the
 * first sign change of a - b over the points with x > 0, or -1. */
static double crossing(const double *x, const double *a, const double *b,
		       size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double d0 = a[i - 1] - b[i - 1], d1 = a[i] - b[i];

		if (x[i - 1] > 0 && (d0 < 0) != (d1 < 0)) {
			double f = d0 / (d0 - d1);

			return exp(log(x[i - 1]) +
				   f * (log(x[i]) - log(x[i - 1])));
		}
	}
	return -1;
}

static json_t *json_crossing(double x)
{
	return x > 0 ? json_real(x) : json_null();
}

static int sweep_crossover(const char *dir, const struct sweep_opts *o,
			   struct result *r,
			   struct isolab_err *e)
{
	enum { NP = 10, NATIVE = 0, SHADOW, NESTED, UNSYNC, NC };
	static const uint64_t periods[NP] = {0,	   100000, 30000, 10000, 3000,
					     1000, 300,	   100,	  30,	 10};
	static const enum sim_mode modes[NC] = {MODE_NATIVE, MODE_SHADOW,
						MODE_NESTED, MODE_SHADOW};
	static const char *const names[NC] = {"native", "shadow", "nested",
					      "shadow_unsync"};
	/* Quick: a quarter of the pages, as the fixed cost of a run (mapping
	 * and touching the set) and of each munmap grow with them. */
	bool quick = o->quick;
	uint64_t acc = o->accesses ? o->accesses : quick ? 100000 : 2000000;
	uint64_t pages = quick ? 2048 : 8192;
	double x[NP], cpa[NC][NP];
	json_t *pts = json_array();
	struct sim_config cfg;
	struct point p;
	char spec[256];
	FILE *dat;

	dat = open_dat(dir, "crossover", e);
	if (!dat)
		return -1;
	fprintf(dat, "# pte_writes_per_1k native shadow nested shadow_unsync "
		     "(modeled cycles per access)\n");
	json_object_set_new(
		result__params(r), "workload",
		json_sprintf(
			"mmapchurn:pages=%llu,chunk=1,warm=1,accesses=%llu,"
			"period=P",
			(unsigned long long)pages, (unsigned long long)acc));
	for (size_t i = 0; i < NP; i++) {
		json_t *pt = json_object();

		snprintf(spec, sizeof(spec),
			 "mmapchurn:pages=%llu,chunk=1,warm=1,accesses=%llu,"
			 "period=%llu",
			 (unsigned long long)pages, (unsigned long long)acc,
			 (unsigned long long)periods[i]);
		for (int m = 0; m < NC; m++) {
			sim__default_config(&cfg);
			cfg.mode = modes[m];
			cfg.shadow_unsync = m == UNSYNC;
			if (run_one(&cfg, spec, &p, e) < 0) {
				fclose(dat);
				json_decref(pt);
				return -1;
			}
			cpa[m][i] = p.cycles / (double)p.c.accesses;
			json_object_set_new(pt, names[m], json_real(cpa[m][i]));
			if (m == SHADOW) {
				x[i] = 1000.0 * (double)p.c.guest_pte_writes /
				       (double)acc;
				json_object_set_new(
					pt, "shadow_exits_per_1k",
					json_real(1000.0 *
						  (double)point_exits(&p) /
						  (double)acc));
			}
		}
		json_object_set_new(pt, "period",
				    json_integer((json_int_t)periods[i]));
		json_object_set_new(pt, "pte_writes_per_1k", json_real(x[i]));
		json_array_append_new(pts, pt);
		if (x[i] > 0)
			fprintf(dat, "%g %g %g %g %g\n", x[i], cpa[NATIVE][i],
				cpa[SHADOW][i], cpa[NESTED][i], cpa[UNSYNC][i]);
		printf("crossover: period %6llu  %7.2f PTE writes/1k accesses"
		       "  cycles/access native %.1f shadow %.1f nested %.1f "
		       "shadow-unsync %.1f\n",
		       (unsigned long long)periods[i], x[i], cpa[NATIVE][i],
		       cpa[SHADOW][i], cpa[NESTED][i], cpa[UNSYNC][i]);
	}
	fclose(dat);
	json_object_set_new(result__data(r), "points", pts);
	json_object_set_new(
		result__data(r), "crossover_pte_writes_per_1k",
		json_crossing(crossing(x, cpa[SHADOW], cpa[NESTED], NP)));
	json_object_set_new(
		result__data(r), "crossover_unsync_pte_writes_per_1k",
		json_crossing(crossing(x, cpa[UNSYNC], cpa[NESTED], NP)));
	return 0;
}

static int sweep_walkcache(const char *dir, const struct sweep_opts *o,
			   struct result *r,
			   struct isolab_err *e)
{
	static const struct {
		const char *label;
		enum sim_mode mode;
		bool pwc, ntlb, guest_only;
	} cfgs[] = {
		{"native", MODE_NATIVE, false, false, false},
		{"native+pwc", MODE_NATIVE, true, false, false},
		{"shadow", MODE_SHADOW, false, false, false},
		{"shadow+pwc", MODE_SHADOW, true, false, false},
		{"nested", MODE_NESTED, false, false, false},
		{"nested+pwc", MODE_NESTED, true, false, false},
		{"nested+ntlb", MODE_NESTED, false, true, false},
		{"nested+pwc+ntlb", MODE_NESTED, true, true, false},
		/* Only the guest dimension cached (a 1-D paging-structure
		 * cache), then the nested dimension added by a nested TLB:
		 * Bhargava et al.'s question. */
		{"nested+gpwc", MODE_NESTED, true, false, true},
		{"nested+gpwc+ntlb", MODE_NESTED, true, true, true},
	};
	static const uint64_t sets[] = {4096, 65536};
	uint64_t acc = o->accesses ? o->accesses : o->quick ? 200000 : 2000000;
	json_t *pts = json_array();
	struct sim_config cfg;
	struct point p;
	char spec[256];
	FILE *dat = open_dat(dir, "walkcache", e);

	if (!dat)
		return -1;
	fprintf(dat, "# config refs_per_miss(16MiB) refs_per_miss(256MiB)\n");
	json_object_set_new(result__params(r), "workload",
			    json_sprintf("random:pages=4096|65536,warm=1,"
					 "accesses=%llu",
					 (unsigned long long)acc));
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		double rpm[2], cpa[2];

		for (int k = 0; k < 2; k++) {
			sim__default_config(&cfg);
			cfg.mode = cfgs[i].mode;
			cfg.pwc = cfgs[i].pwc;
			cfg.ept_pwc = cfgs[i].pwc && !cfgs[i].guest_only;
			cfg.ntlb = cfgs[i].ntlb;
			snprintf(spec, sizeof(spec),
				 "random:pages=%llu,warm=1,accesses=%llu",
				 (unsigned long long)sets[k],
				 (unsigned long long)acc);
			if (run_one(&cfg, spec, &p, e) < 0) {
				fclose(dat);
				return -1;
			}
			rpm[k] = refs_per_miss(&p);
			cpa[k] = p.cycles / (double)p.c.accesses;
			json_array_append_new(
				pts,
				json_pack("{s:s, s:I, s:f, s:f, s:I, s:I}",
					  "config", cfgs[i].label, "pages",
					  (json_int_t)sets[k], "refs_per_miss",
					  rpm[k], "cycles_per_access", cpa[k],
					  "tlb_misses",
					  (json_int_t)p.c.tlb_misses,
					  "accesses",
					  (json_int_t)p.c.accesses));
		}
		fprintf(dat, "%s %g %g\n", cfgs[i].label, rpm[0], rpm[1]);
		printf("walkcache: %-16s refs per TLB miss %.2f (16 MiB) "
		       "%.2f (256 MiB); cycles per access %.1f, %.1f\n",
		       cfgs[i].label, rpm[0], rpm[1], cpa[0], cpa[1]);
	}
	fclose(dat);
	json_object_set_new(result__data(r), "points", pts);
	return 0;
}

static int sweep_shadowmem(const char *dir, const struct sweep_opts *o,
			   struct result *r,
			   struct isolab_err *e)
{
	static const uint64_t procs[] = {1, 2, 4, 8, 16, 32, 64, 128};
	/* Quick: up to 64 processes (the last point maps as much as all
	 * the others together). */
	bool quick = o->quick;
	size_t np = sizeof(procs) / sizeof(procs[0]) - (quick ? 1 : 0);
	json_t *pts = json_array();
	struct sim_config cfg;
	struct point sh, ne;
	char spec[256];
	FILE *dat = open_dat(dir, "shadowmem", e);

	if (!dat)
		return -1;
	fprintf(dat, "# procs shadow_KiB guest_pt_KiB ept_KiB\n");
	json_object_set_new(result__params(r), "workload",
			    json_string("ctxsw:pages=512,quantum=1000,warm=1,"
					"accesses=procs*(quick?2000:20000), "
					"procs 1..(quick?64:128)"));
	for (size_t i = 0; i < np; i++) {
		snprintf(spec, sizeof(spec),
			 "ctxsw:procs=%llu,pages=512,quantum=1000,warm=1,"
			 "accesses=%llu",
			 (unsigned long long)procs[i],
			 (unsigned long long)(procs[i] *
					      (quick ? 2000 : 20000)));
		sim__default_config(&cfg);
		cfg.mode = MODE_SHADOW;
		if (run_one(&cfg, spec, &sh, e) < 0)
			goto fail;
		cfg.mode = MODE_NESTED;
		if (run_one(&cfg, spec, &ne, e) < 0)
			goto fail;
		fprintf(dat, "%llu %llu %llu %llu\n",
			(unsigned long long)procs[i],
			(unsigned long long)sh.shadow_pages * 4,
			(unsigned long long)sh.pt_pages * 4,
			(unsigned long long)ne.ept_pages * 4);
		json_array_append_new(
			pts,
			json_pack("{s:I, s:I, s:I, s:I}", "procs",
				  (json_int_t)procs[i], "shadow_pages",
				  (json_int_t)sh.shadow_pages, "guest_pt_pages",
				  (json_int_t)sh.pt_pages, "ept_pages",
				  (json_int_t)ne.ept_pages));
		printf("shadowmem: %3llu processes  shadow %llu KiB  guest "
		       "tables %llu KiB  EPT %llu KiB\n",
		       (unsigned long long)procs[i],
		       (unsigned long long)sh.shadow_pages * 4,
		       (unsigned long long)sh.pt_pages * 4,
		       (unsigned long long)ne.ept_pages * 4);
	}
	fclose(dat);
	json_object_set_new(result__data(r), "points", pts);
	return 0;
fail:
	fclose(dat);
	return -1;
}

static int sweep_largepages(const char *dir, const struct sweep_opts *o,
			   struct result *r,
			    struct isolab_err *e)
{
	static const struct {
		const char *label;
		enum sim_mode mode;
		bool guest_large, ept_large;
	} cfgs[] = {
		{"native 4K", MODE_NATIVE, false, false},
		{"native 2M", MODE_NATIVE, true, false},
		{"shadow 4K", MODE_SHADOW, false, false},
		{"shadow 2M", MODE_SHADOW, true, false},
		{"nested 4K/EPT 4K", MODE_NESTED, false, false},
		{"nested 4K/EPT 2M", MODE_NESTED, false, true},
		{"nested 2M/EPT 4K", MODE_NESTED, true, false},
		{"nested 2M/EPT 2M", MODE_NESTED, true, true},
	};
	/* Quick: 64 MiB, still far beyond the 4 KiB TLB reach (6 MiB). */
	uint64_t acc = o->accesses ? o->accesses : o->quick ? 200000 : 2000000;
	uint64_t pages = o->quick ? 16384 : 65536;
	json_t *pts = json_array();
	struct sim_config cfg;
	struct point p;
	char spec[256];
	FILE *dat = open_dat(dir, "largepages", e);

	if (!dat)
		return -1;
	fprintf(dat, "# config cycles_per_access refs_per_miss\n");
	snprintf(spec, sizeof(spec), "random:pages=%llu,warm=1,accesses=%llu",
		 (unsigned long long)pages, (unsigned long long)acc);
	json_object_set_new(result__params(r), "workload", json_string(spec));
	for (size_t i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		double cpa;

		sim__default_config(&cfg);
		cfg.mode = cfgs[i].mode;
		cfg.large_pages = cfgs[i].guest_large;
		cfg.ept_large = cfgs[i].ept_large;
		if (run_one(&cfg, spec, &p, e) < 0) {
			fclose(dat);
			return -1;
		}
		cpa = p.cycles / (double)p.c.accesses;
		fprintf(dat, "\"%s\" %g %g\n", cfgs[i].label, cpa,
			refs_per_miss(&p));
		json_array_append_new(
			pts,
			json_pack("{s:s, s:f, s:f, s:I}", "config",
				  cfgs[i].label, "cycles_per_access", cpa,
				  "refs_per_miss", refs_per_miss(&p),
				  "tlb_misses", (json_int_t)p.c.tlb_misses));
		printf("largepages: %-18s %6.1f cycles/access, %.2f refs per "
		       "TLB miss\n",
		       cfgs[i].label, cpa, refs_per_miss(&p));
	}
	fclose(dat);
	json_object_set_new(result__data(r), "points", pts);
	return 0;
}

static const struct {
	const char *name, *title;
	int (*run)(const char *dir, const struct sweep_opts *o, struct result *r,
		   struct isolab_err *e);
	const char *vars[4];
	const char *quick_vars[4]; /* with --quick, if they differ */
} sweeps[] = {
	{"crossover",
	 "Shadow vs nested paging: modeled cost vs page-table update rate",
	 sweep_crossover,
	 {"plottitle = \"Modeled cycles per access vs page-table updates "
	  "(mmapchurn, 32 MiB)\"",
	  NULL},
	 {"plottitle = \"Modeled cycles per access vs page-table updates "
	  "(mmapchurn, 8 MiB, --quick)\"",
	  NULL}},
	{"walkcache",
	 "Page-walk references per TLB miss, with and without "
	 "walk caches",
	 sweep_walkcache,
	 {"plottitle = \"Walk references per TLB miss (random)\"", NULL},
	 {NULL}},
	{"shadowmem",
	 "Shadow page-table memory vs guest processes",
	 sweep_shadowmem,
	 {"plottitle = \"Paging-structure memory vs processes (ctxsw, 2 MiB "
	  "each)\"",
	  NULL},
	 {NULL}},
	{"largepages",
	 "2 MiB pages in the guest, in the EPT, both or neither",
	 sweep_largepages,
	 {"plottitle = \"Modeled cycles per access, 4 KiB vs 2 MiB pages "
	  "(random, 256 MiB)\"",
	  NULL},
	 {"plottitle = \"Modeled cycles per access, 4 KiB vs 2 MiB pages "
	  "(random, 64 MiB, --quick)\"",
	  NULL}},
};

int sweep__main(int argc, char **argv)
{
	const char *dir = "results/latest", *which = NULL;
	struct sweep_opts o = {0};
	struct isolab_err e = {0};
	struct meta m;
	int ran = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			o.quick = true;
		} else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--accesses") == 0 && i + 1 < argc) {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] || v < 1000 ||
			    v > 1000000000 || argv[i][0] == '-') {
				fprintf(stderr,
					PROG ": --accesses: %s: must be a "
					     "number from 1000 to 1000000000\n",
					argv[i]);
				return 2;
			}
			o.accesses = v;
		}
		else if (argv[i][0] != '-' && !which)
			which = argv[i];
		else {
			fprintf(stderr,
				PROG ": %s: unknown argument (usage: sweep "
				     "crossover|walkcache|shadowmem|largepages|"
				     "all [--out DIR] [--quick] [--accesses "
				     "N])\n",
				argv[i]);
			return 2;
		}
	}
	if (!which) {
		fprintf(stderr, PROG ": name a sweep: crossover, walkcache, "
				     "shadowmem, largepages or all\n");
		return 2;
	}
	meta__collect(&m);
	if (result__mkdirs(dir, &e) < 0) {
		err__print(PROG, &e);
		return 1;
	}
	for (size_t i = 0; i < sizeof(sweeps) / sizeof(sweeps[0]); i++) {
		char name[64];
		struct result *r;
		int rc;

		if (strcmp(which, "all") && strcmp(which, sweeps[i].name))
			continue;
		ran++;
		snprintf(name, sizeof(name), "paging-%s", sweeps[i].name);
		r = result__create(name, sweeps[i].title, &m);
		if (!r) {
			fprintf(stderr, PROG ": out of memory\n");
			return 1;
		}
		json_object_set_new(result__params(r), "quick",
				    json_boolean(o.quick));
		rc = sweeps[i].run(dir, &o, r, &e);
		if (rc == 0)
			rc = finish(r, dir, sweeps[i].name,
				    o.quick && sweeps[i].quick_vars[0]
					    ? sweeps[i].quick_vars
					    : sweeps[i].vars,
				    &e);
		result__destroy(r);
		if (rc < 0) {
			err__print(PROG, &e);
			return 1;
		}
	}
	if (!ran) {
		fprintf(stderr,
			PROG ": %s: unknown sweep (crossover, walkcache, "
			     "shadowmem, largepages, all)\n",
			which);
		return 2;
	}
	return 0;
}
