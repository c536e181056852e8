/*
 * report.c - Printing and writing a run's counters (see report.h).
 */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "guestos.h"
#include "meta.h"
#include "result.h"
#include "shadow.h"
#include "sim.h"

static json_t *by_level(const uint64_t v[5])
{
	return json_pack("{s:I, s:I, s:I, s:I}", "pml4", (json_int_t)v[4],
			 "pdpt", (json_int_t)v[3], "pd", (json_int_t)v[2], "pt",
			 (json_int_t)v[1]);
}

json_t *report__json(const struct sim *s)
{
	const struct sim_counters *c = &s->c;
	json_t *o, *exits = json_object();
	uint64_t g = 0, n = 0;

	for (int l = 1; l <= 4; l++) {
		g += c->walk_refs_guest[l];
		n += c->walk_refs_nested[l];
	}
	for (int i = 0; i < EXIT_NR; i++)
		json_object_set_new(exits, exit_reason_name[i],
				    json_integer((json_int_t)c->exits[i]));
	o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I, s:I,"
		      " s:I, s:I, s:I, s:o, s:o, s:I, s:I}",
		      "mode", sim__mode_name(s->cfg.mode), "accesses",
		      (json_int_t)c->accesses, "tlb_misses",
		      (json_int_t)c->tlb_misses, "walk_refs",
		      (json_int_t)sim__walk_refs(s), "vm_exits",
		      (json_int_t)sim__vm_exits(s), "guest_page_faults",
		      (json_int_t)c->guest_page_faults, "shadow_pages",
		      (json_int_t)sim__shadow_pages(s), "ept_pages",
		      (json_int_t)s->ept_pages, "modeled_cycles",
		      sim__modeled_cycles(s), "writes", (json_int_t)c->writes,
		      "tlb_l1_hits", (json_int_t)c->tlb_l1_hits, "tlb_l2_hits",
		      (json_int_t)c->tlb_l2_hits, "walk_refs_guest_dim",
		      (json_int_t)g, "walk_refs_nested_dim", (json_int_t)n,
		      "walk_refs_guest_by_level", by_level(c->walk_refs_guest),
		      "walk_refs_nested_by_level",
		      by_level(c->walk_refs_nested), "walks",
		      (json_int_t)c->walks, "hidden_page_faults",
		      (json_int_t)c->exits[EXIT_HIDDEN_PF]);
	if (!o)
		return NULL;
	json_object_set_new(o, "vm_exits_by_cause", exits);
	json_object_set_new(o, "pwc_hits", by_level(c->pwc_hits));
	json_object_set_new(o, "ept_pwc_hits", by_level(c->epwc_hits));
	json_object_set_new(o, "ntlb_hits",
			    json_integer((json_int_t)c->ntlb_hits));
	json_object_set_new(o, "ntlb_misses",
			    json_integer((json_int_t)c->ntlb_misses));
	json_object_set_new(o, "guest_pte_writes",
			    json_integer((json_int_t)c->guest_pte_writes));
	json_object_set_new(o, "guest_pte_writes_write_protected",
			    json_integer((json_int_t)c->guest_pte_writes_wp));
	json_object_set_new(o, "shadow_unsyncs",
			    json_integer((json_int_t)c->shadow_unsyncs));
	json_object_set_new(o, "shadow_syncs",
			    json_integer((json_int_t)c->shadow_syncs));
	json_object_set_new(o, "vmm_refs",
			    json_integer((json_int_t)c->vmm_refs));
	json_object_set_new(
		o, "shadow_pages_peak",
		json_integer(
			(json_int_t)(s->sh ? shadow__peak_pages(s->sh) : 0)));
	json_object_set_new(o, "guest_pt_pages",
			    json_integer((json_int_t)guestos__pt_pages(s->os)));
	json_object_set_new(o, "guest_frames",
			    json_integer((json_int_t)guestos__frames(s->os)));
	json_object_set_new(o, "host_frames_peak",
			    json_integer((json_int_t)s->pm->peak));
	json_object_set_new(o, "ad_writes",
			    json_integer((json_int_t)c->ad_writes));
	json_object_set_new(o, "invlpgs", json_integer((json_int_t)c->invlpgs));
	json_object_set_new(o, "large_page_faults",
			    json_integer((json_int_t)c->large_faults));
	json_object_set_new(o, "large_page_splits",
			    json_integer((json_int_t)c->large_splits));
	json_object_set_new(o, "cr3_writes",
			    json_integer((json_int_t)c->cr3_writes));
	json_object_set_new(o, "tlb_flushes",
			    json_integer((json_int_t)c->tlb_flushes));
	json_object_set_new(o, "forks", json_integer((json_int_t)c->forks));
	json_object_set_new(o, "execs", json_integer((json_int_t)c->execs));
	json_object_set_new(o, "process_exits",
			    json_integer((json_int_t)c->exits_proc));
	json_object_set_new(o, "mmaps", json_integer((json_int_t)c->mmaps));
	json_object_set_new(o, "munmaps", json_integer((json_int_t)c->munmaps));
	json_object_set_new(o, "checks", json_integer((json_int_t)c->checks));
	json_object_set_new(o, "check_failures",
			    json_integer((json_int_t)c->check_failures));
	json_object_set_new(o, "modeled_cycles_per_access",
			    json_real(c->accesses ? sim__modeled_cycles(s) /
							    (double)c->accesses
						  : 0));
	return o;
}

static void line(FILE *f, const char *what, uint64_t v)
{
	fprintf(f, "%-34s %llu\n", what, (unsigned long long)v);
}

void report__print(const struct sim *s, FILE *f)
{
	const struct sim_counters *c = &s->c;
	static const char *const lvl[] = {"", "pt", "pd", "pdpt", "pml4"};
	char name[64];

	fprintf(f, "%-34s %s\n", "mode", sim__mode_name(s->cfg.mode));
	line(f, "accesses", c->accesses);
	line(f, "  writes", c->writes);
	line(f, "tlb_l1_hits", c->tlb_l1_hits);
	line(f, "tlb_l2_hits", c->tlb_l2_hits);
	line(f, "tlb_misses", c->tlb_misses);
	line(f, "walk_refs", sim__walk_refs(s));
	for (int l = 4; l >= 1; l--) {
		snprintf(name, sizeof(name), "  guest_dim.%s", lvl[l]);
		line(f, name, c->walk_refs_guest[l]);
	}
	if (s->cfg.mode == MODE_NESTED)
		for (int l = 4; l >= 1; l--) {
			snprintf(name, sizeof(name), "  nested_dim.%s", lvl[l]);
			line(f, name, c->walk_refs_nested[l]);
		}
	if (c->tlb_misses)
		fprintf(f, "%-34s %.2f\n", "walk_refs_per_tlb_miss",
			(double)sim__walk_refs(s) / (double)c->tlb_misses);
	for (int l = 4; l >= 2; l--) {
		snprintf(name, sizeof(name), "pwc_hits.%s", lvl[l]);
		line(f, name, c->pwc_hits[l]);
	}
	if (s->cfg.mode == MODE_NESTED) {
		for (int l = 4; l >= 2; l--) {
			snprintf(name, sizeof(name), "ept_pwc_hits.%s", lvl[l]);
			line(f, name, c->epwc_hits[l]);
		}
		line(f, "ntlb_hits", c->ntlb_hits);
		line(f, "ntlb_misses", c->ntlb_misses);
	}
	line(f, "guest_page_faults", c->guest_page_faults);
	line(f, "guest_pte_writes", c->guest_pte_writes);
	line(f, "vm_exits", sim__vm_exits(s));
	for (int i = 0; i < EXIT_NR; i++) {
		snprintf(name, sizeof(name), "  %s", exit_reason_name[i]);
		line(f, name, c->exits[i]);
	}
	line(f, "vmm_refs", c->vmm_refs);
	if (s->cfg.shadow_unsync) {
		line(f, "shadow_unsyncs", c->shadow_unsyncs);
		line(f, "shadow_syncs", c->shadow_syncs);
	}
	line(f, "shadow_pages", sim__shadow_pages(s));
	line(f, "shadow_pages_peak", s->sh ? shadow__peak_pages(s->sh) : 0);
	line(f, "ept_pages", s->ept_pages);
	line(f, "guest_pt_pages", guestos__pt_pages(s->os));
	line(f, "invlpgs", c->invlpgs);
	if (s->cfg.large_pages) {
		line(f, "large_page_faults", c->large_faults);
		line(f, "large_page_splits", c->large_splits);
	}
	line(f, "cr3_writes", c->cr3_writes);
	if (s->cfg.check) {
		line(f, "checks", c->checks);
		line(f, "check_failures", c->check_failures);
	}
	fprintf(f, "%-34s %.0f\n", "modeled_cycles", sim__modeled_cycles(s));
	if (c->accesses)
		fprintf(f, "%-34s %.2f\n", "modeled_cycles_per_access",
			sim__modeled_cycles(s) / (double)c->accesses);
}

static json_t *config_json(const struct sim *s, const char *workload)
{
	const struct sim_config *g = &s->cfg;
	json_t *cost = json_object();

#define COST_JSON(name, dflt)                                                  \
	json_object_set_new(cost, #name, json_real(g->cost.name));
	COST_FIELDS(COST_JSON)
#undef COST_JSON
	json_t *cfg = json_pack(
		"{s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:I, s:b, s:I,"
		" s:b, s:b, s:I, s:I, s:o}",
		"mode", sim__mode_name(g->mode), "workload", workload,
		"l1_entries", (json_int_t)g->l1_entries, "l1_ways",
		(json_int_t)g->l1_ways, "l2_entries", (json_int_t)g->l2_entries,
		"l2_ways", (json_int_t)g->l2_ways, "pwc", g->pwc, "pwc_entries",
		(json_int_t)g->pwc_entries, "ntlb", g->ntlb, "ntlb_entries",
		(json_int_t)g->ntlb_entries, "asid", g->asid, "check", g->check,
		"host_mib", (json_int_t)g->host_mib, "guest_mib",
		(json_int_t)g->guest_mib, "cost", cost);

	if (cfg)
		json_object_set_new(cfg, "large_pages",
				    json_boolean(g->large_pages));
	if (cfg)
		json_object_set_new(cfg, "ept_large",
				    json_boolean(g->ept_large));
	if (cfg)
		json_object_set_new(cfg, "ept_pwc", json_boolean(g->ept_pwc));
	if (cfg)
		json_object_set_new(cfg, "shadow_unsync",
				    json_boolean(g->shadow_unsync));
	return cfg;
}

int report__write(const struct sim *s, const char *workload, const char *path,
		  struct isolab_err *e)
{
	struct meta m;
	struct result *r;
	json_t *root = NULL, *sum = NULL, *v;
	const char *key;
	char tmp[4200];
	int rc = -1;

	meta__collect(&m);
	r = result__create("shadow-vs-ept", "shadow-vs-ept counters of one run",
			   &m);
	if (!r)
		return err__set(e, ENOMEM, "%s", path);
	json_object_set_new(result__params(r), "config",
			    config_json(s, workload));
	sum = report__json(s);
	if (!sum) {
		err__set(e, ENOMEM, "%s", path);
		goto out;
	}
	json_object_set(result__data(r), "counters", sum);
	if (result__write(r, path, e) < 0)
		goto out;
	/* The harness's schema nests figures under "data"; scripts read the
	 * summary at the top level, so it is copied there too. */
	root = json_load_file(path, 0, NULL);
	if (!root) {
		err__set(e, 0, "%s: cannot read back what was written", path);
		goto out;
	}
	json_object_foreach(sum, key, v)
	{
		if (!json_is_object(v) && !json_object_get(root, key))
			json_object_set(root, key, v);
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	if (json_dump_file(root, tmp, JSON_INDENT(1) | JSON_SORT_KEYS) < 0 ||
	    rename(tmp, path) < 0) {
		err__set(e, errno, "%s: write", path);
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	json_decref(sum);
	result__destroy(r);
	return rc;
}
