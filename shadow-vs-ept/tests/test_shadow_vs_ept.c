/*
 * test_shadow_vs_ept.c - Known-answer tests of the paging simulator: walk
 * costs of a cold TLB miss per mode, shadow-mode traps, the self-check
 * against the reference walker, copy-on-write, the lackey reader, the cost
 * model file, and black-box tests of the command line.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cost.h"
#include "guestos.h"
#include "lackey.h"
#include "sim.h"
#include "testing.h"
#include "workload.h"

/* A machine of mode with one running process that has npages mapped at
 * *va.  Small memories keep the tests light. */
static struct sim *machine(enum sim_mode mode, bool pwc, bool ntlb,
			   uint64_t npages, uint64_t *va)
{
	struct sim_config cfg;
	struct isolab_err e;
	struct sim *s;
	int pid;

	sim__default_config(&cfg);
	cfg.mode = mode;
	cfg.pwc = cfg.ept_pwc = pwc;
	cfg.ntlb = ntlb;
	cfg.check = true;
	cfg.host_mib = 256;
	cfg.guest_mib = 128;
	s = sim__create(&cfg, &e);
	assert_non_null(s);
	pid = guestos__spawn(s, &e);
	assert_true(pid > 0);
	assert_int_equal(guestos__switch(s, pid, &e), 0);
	assert_int_equal(guestos__mmap(s, npages, true, va, &e), 0);
	return s;
}

static uint64_t guest_dim(const struct sim *s)
{
	uint64_t n = 0;

	for (int l = 1; l <= 4; l++)
		n += s->c.walk_refs_guest[l];
	return n;
}

static uint64_t nested_dim(const struct sim *s)
{
	uint64_t n = 0;

	for (int l = 1; l <= 4; l++)
		n += s->c.walk_refs_nested[l];
	return n;
}

/* Walk references of one access to a mapped page after the TLB and walk
 * caches were flushed (and, when cold_ntlb, the nested TLB too). */
static uint64_t cold_miss_refs(struct sim *s, uint64_t va, uint64_t *g,
			       uint64_t *n)
{
	struct isolab_err e;
	uint64_t before_g, before_n, hpa;

	assert_int_equal(sim__access(s, va, false, &hpa, &e), 0);
	mmu__flush_tag(s, s->tag);
	tlb__flush_all(s->ntlb);
	for (int l = 2; l <= 4; l++)
		tlb__flush_all(s->epwc[l]);
	before_g = guest_dim(s);
	before_n = nested_dim(s);
	assert_int_equal(sim__access(s, va, false, &hpa, &e), 0);
	*g = guest_dim(s) - before_g;
	*n = nested_dim(s) - before_n;
	return *g + *n;
}

static void test_cold_miss_native_costs_4_refs(void **state)
{
	uint64_t va, g, n;
	struct sim *s = machine(MODE_NATIVE, true, true, 4, &va);

	(void)state;
	/* One reference per level: PML4E, PDPTE, PDE, PTE. */
	assert_int_equal(cold_miss_refs(s, va, &g, &n), 4);
	assert_int_equal(n, 0);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_cold_miss_nested_costs_24_refs_without_caches(void **state)
{
	uint64_t va, g, n, before;
	struct sim *s = machine(MODE_NESTED, false, false, 4, &va);

	(void)state;
	/* 4 guest entries, each at a guest-physical address needing a
	 * 4-reference EPT walk (4 x 5 = 20), plus the EPT walk of the data
	 * page's guest-physical address (4): 24, of which 4 guest, 20 EPT. */
	assert_int_equal(cold_miss_refs(s, va, &g, &n), 24);
	assert_int_equal(g, 4);
	assert_int_equal(n, 20);
	/* Per EPT level: 5 EPT walks, one reference per level each. */
	before = s->c.walk_refs_nested[4];
	cold_miss_refs(s, va, &g, &n);
	assert_int_equal(s->c.walk_refs_nested[4] - before, 5);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_walk_caches_cut_nested_refs_of_a_neighbour(void **state)
{
	uint64_t va, g, n, hpa, before;
	struct isolab_err e;
	struct sim *s = machine(MODE_NESTED, true, true, 8, &va);

	(void)state;
	/* Caches on but empty: the first EPT walk costs 4 and fills the
	 * EPT's PDE cache; the guest's tables and the data page all lie in
	 * the first 2 MiB of guest-physical memory, so the other 4 EPT
	 * walks cost 1 each: 4 guest + 4 + 4 x 1 = 12, not 24. */
	assert_int_equal(cold_miss_refs(s, va, &g, &n), 12);
	assert_int_equal(g, 4);
	/* The neighbour page, after a TLB flush that keeps the walk caches:
	 * the guest PDE cache gives the PT's host address and the nested
	 * TLB the data page's: 1 reference (the PTE). */
	assert_int_equal(sim__access(s, va + PAGE_SIZE, false, &hpa, &e), 0);
	tlb__flush_all(s->l1);
	tlb__flush_all(s->l2);
	before = sim__walk_refs(s);
	assert_int_equal(sim__access(s, va + PAGE_SIZE, false, &hpa, &e), 0);
	assert_int_equal(sim__walk_refs(s) - before, 1);
	/* Guest walk caches flushed too, nested TLB still warm: the 4
	 * guest references, and no EPT reference (5 nested TLB hits). */
	mmu__flush_tag(s, s->tag);
	before = sim__walk_refs(s);
	assert_int_equal(sim__access(s, va + PAGE_SIZE, false, &hpa, &e), 0);
	assert_int_equal(sim__walk_refs(s) - before, 4);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_cold_miss_shadow_costs_4_refs_once_filled(void **state)
{
	uint64_t va, g, n, exits;
	struct sim *s = machine(MODE_SHADOW, true, true, 4, &va);

	(void)state;
	cold_miss_refs(s, va, &g, &n); /* fills the shadow entry */
	exits = sim__vm_exits(s);
	/* The hardware walks the shadow table like a native one: 4, and
	 * with the shadow entry present the miss needs no exit. */
	assert_int_equal(cold_miss_refs(s, va, &g, &n), 4);
	assert_int_equal(sim__vm_exits(s), exits);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_shadow_traps_every_pte_write_to_a_shadowed_table(void **state)
{
	const uint64_t P = 10;
	uint64_t va, hpa, traps, writes;
	struct isolab_err e;
	struct sim *s = machine(MODE_SHADOW, true, true, P, &va);

	(void)state;
	/* First touch: the guest writes PML4E, PDPTE, PDE and PTE; only the
	 * PML4 is shadowed yet (it is the root), so 1 trap.  The retry's
	 * hidden fault shadows PDPT, PD and PT; each later first touch
	 * writes one PTE into the now write-protected PT: 1 trap each.
	 * P fresh pages in one PT: P traps for 4 + (P - 1) PTE writes. */
	for (uint64_t i = 0; i < P; i++)
		assert_int_equal(
			sim__access(s, va + i * PAGE_SIZE, true, &hpa, &e), 0);
	assert_int_equal(s->c.guest_pte_writes, 4 + (P - 1));
	assert_int_equal(s->c.exits[EXIT_PT_WRITE], P);
	assert_int_equal(s->c.exits[EXIT_PF_INJECT], P);
	/* fork makes the parent's P writable PTEs read-only: P more traps;
	 * the child's new tables are not shadowed, so its writes do not. */
	traps = s->c.exits[EXIT_PT_WRITE];
	writes = s->c.guest_pte_writes;
	assert_true(guestos__fork(s, &e) > 0);
	assert_int_equal(s->c.exits[EXIT_PT_WRITE] - traps, P);
	assert_int_equal(s->c.guest_pte_writes - writes, P + 3 + P);
	/* Every trap is a write to a write-protected page, and back. */
	assert_int_equal(s->c.exits[EXIT_PT_WRITE], s->c.guest_pte_writes_wp);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

/* large: bit 0 guest 2 MiB pages, bit 1 2 MiB EPT pages, bit 2 unsync
 * shadow page tables. */
static void run_spec(enum sim_mode mode, const char *spec, int large,
		     struct sim **out)
{
	struct sim_config cfg;
	struct workload w;
	struct isolab_err e;
	struct sim *s;

	sim__default_config(&cfg);
	cfg.mode = mode;
	cfg.check = true;
	cfg.large_pages = large & 1;
	cfg.ept_large = large & 2;     /* nested only */
	cfg.shadow_unsync = large & 4; /* shadow only */
	cfg.host_mib = 512;
	cfg.guest_mib = 256;
	assert_int_equal(workload__parse(spec, &w, &e), 0);
	s = sim__create(&cfg, &e);
	assert_non_null(s);
	if (workload__run(s, &w, &e) < 0)
		fail_msg("%s: %s", spec, e.msg);
	*out = s;
}

static void test_every_access_matches_the_reference_walk(void **state)
{
	static const char *const specs[] = {
		"random:pages=3000,accesses=100000",
		"forkexec:pages=200,accesses=50000,period=1000,child=300",
		"mmapchurn:pages=2000,accesses=50000,period=50,chunk=3",
		"ctxsw:procs=12,pages=100,accesses=50000,quantum=200",
		/* With 2 MiB pages: a chunk of 512 is whole large pages, 700
		 * mixes a large page with small ones. */
		"mmapchurn:pages=4096,accesses=50000,period=500,chunk=512",
		"mmapchurn:pages=4096,accesses=50000,period=500,chunk=700",
		"forkexec:pages=1024,accesses=50000,period=5000,child=300",
	};
	struct sim *s;

	(void)state;
	for (int large = 0; large <= 7; large++)
		for (int m = MODE_NATIVE; m <= MODE_NESTED; m++)
			for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]);
			     i++) {
				run_spec(m, specs[i], large, &s);
				/* Each access was checked, none differed. */
				assert_int_equal(s->c.checks, s->c.accesses);
				assert_true(s->c.accesses >= 50000);
				if (s->c.check_failures)
					fail_msg("%s %s large=%d: %llu "
						 "mismatches",
						 sim__mode_name(m), specs[i],
						 large,
						 (unsigned long long)
							 s->c.check_failures);
				sim__destroy(s);
			}
}

static void test_self_check_catches_a_stale_tlb_entry(void **state)
{
	uint64_t va, hpa;
	struct isolab_err e;
	struct sim *s = machine(MODE_NATIVE, true, true, 4, &va);
	uint64_t *v;

	(void)state;
	assert_int_equal(sim__access(s, va, false, &hpa, &e), 0);
	/* Corrupt the cached translation as a missing INVLPG would leave
	 * it: the next access must be reported, exactly once. */
	v = tlb__lookup(s->l1, tlb__key(s->tag, va >> PAGE_SHIFT));
	assert_non_null(v);
	*v += PAGE_SIZE;
	assert_int_equal(sim__access(s, va, false, &hpa, &e), 0);
	assert_int_equal(s->c.check_failures, 1);
	assert_int_equal(s->c.first_bad_va, va);
	sim__destroy(s);
}

static void test_fork_copy_on_write_gives_the_writer_its_own_frame(void **state)
{
	for (int m = MODE_NATIVE; m <= MODE_NESTED; m++) {
		uint64_t va, parent_hpa, child_hpa, hpa;
		struct isolab_err e;
		struct sim *s = machine(m, true, true, 2, &va);
		int parent = guestos__current(s), child;
		uint8_t *byte;

		(void)state;
		assert_int_equal(sim__access(s, va, true, &parent_hpa, &e), 0);
		byte = physmem__frame(s->pm, parent_hpa >> PAGE_SHIFT);
		byte[7] = 42;
		child = guestos__fork(s, &e);
		assert_true(child > parent);
		assert_int_equal(guestos__switch(s, child, &e), 0);
		/* Reading shares the parent's frame... */
		assert_int_equal(sim__access(s, va, false, &hpa, &e), 0);
		assert_int_equal(hpa, parent_hpa);
		/* ...writing copies it: a new frame holding the same bytes. */
		assert_int_equal(sim__access(s, va, true, &child_hpa, &e), 0);
		assert_int_not_equal(child_hpa >> PAGE_SHIFT,
				     parent_hpa >> PAGE_SHIFT);
		assert_int_equal(
			physmem__frame(s->pm, child_hpa >> PAGE_SHIFT)[7], 42);
		assert_int_equal(s->c.pages_copied, 1);
		/* The parent, now the frame's only user, writes in place. */
		assert_int_equal(guestos__switch(s, parent, &e), 0);
		assert_int_equal(sim__access(s, va, true, &hpa, &e), 0);
		assert_int_equal(hpa, parent_hpa);
		assert_int_equal(s->c.pages_copied, 1);
		assert_int_equal(s->c.check_failures, 0);
		sim__destroy(s);
	}
}

static void test_lackey_lines_parse_with_edge_cases(void **state)
{
	struct lackey_rec r;
	const char *why;

	(void)state;
	assert_int_equal(lackey__parse_line("I  04016b74,4", &r, &why), 1);
	assert_int_equal(r.op, 'I');
	assert_int_equal(r.addr, 0x04016b74);
	assert_int_equal(r.size, 4);
	assert_int_equal(lackey__parse_line(" S 7ff000398,8", &r, &why), 1);
	assert_int_equal(r.op, 'S');
	assert_int_equal(r.addr, 0x7ff000398ull);
	assert_int_equal(lackey__parse_line(" M 0421EA50,16\r", &r, &why), 1);
	assert_int_equal(r.op, 'M');
	assert_int_equal(r.addr, 0x0421ea50);
	assert_int_equal(r.size, 16);
	assert_int_equal(lackey__parse_line(" L ffffffffffffffff,1", &r, &why),
			 1);
	assert_int_equal(r.addr, UINT64_MAX);
	/* No access: valgrind's banner, blank lines. */
	assert_int_equal(
		lackey__parse_line("==4242== Lackey, an example", &r, &why), 0);
	assert_int_equal(lackey__parse_line("", &r, &why), 0);
	assert_int_equal(lackey__parse_line("   ", &r, &why), 0);
	/* Malformed. */
	assert_int_equal(lackey__parse_line(" X 1000,4", &r, &why), -1);
	assert_int_equal(lackey__parse_line(" L 1000", &r, &why), -1);
	assert_int_equal(lackey__parse_line(" L ,4", &r, &why), -1);
	assert_int_equal(lackey__parse_line(" L 1000,0", &r, &why), -1);
	assert_int_equal(lackey__parse_line(" L 1000,4097", &r, &why), -1);
	assert_int_equal(lackey__parse_line(" L 1000,4 junk", &r, &why), -1);
	assert_int_equal(lackey__parse_line(" L 10000000000000000,4", &r, &why),
			 -1);
	assert_string_equal(why, "address longer than 64 bits");
}

/* Write text to DIR/name; path in buf. */
static void write_file(char *buf, size_t len, const char *dir, const char *name,
		       const char *text)
{
	FILE *f;

	snprintf(buf, len, "%s/%s", dir, name);
	f = fopen(buf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_cli_trace_from_stdin_counts_accesses(void **state)
{
	char dir[256], trace[512], bin[512];
	struct test_run r;
	/* 3 accesses, one crossing a page boundary (2 pages): 4. */
	const char *text = "==1== Lackey\nI  00401000,4\n L 00602ffe,4\n"
			   "\n S 7ff000398,8\n==1== done\n";
	char *argv[] = {bin,	   "--mode", "shadow", "--check",
			"--trace", "-",	     NULL};

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	write_file(trace, sizeof(trace), dir, "t.lackey", text);
	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	assert_int_equal(testing__run(argv, trace, 30, &r), 0);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(
		strstr(r.out, "accesses                           4\n"));
	assert_non_null(
		strstr(r.out, "check_failures                     0\n"));
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void test_cli_malformed_trace_line_names_its_number(void **state)
{
	char dir[256], trace[512], bin[512];
	struct test_run r;
	char *argv[] = {bin, "--mode", "native", "--trace", trace, NULL};

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	write_file(trace, sizeof(trace), dir, "bad.lackey",
		   "I  00401000,4\n L 00602ffe,4\n L 0060zzzz,4\n");
	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	assert_int_equal(testing__run(argv, NULL, 30, &r), 0);
	assert_int_equal(r.exit_code, 1);
	/* One line: program, file:line, what is wrong. */
	assert_non_null(strstr(r.err, "shadow-vs-ept: "));
	assert_non_null(strstr(r.err, "bad.lackey:3: expected `,SIZE`"));
	assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err));
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void expect_usage_error(const char *a1, const char *a2, const char *a3,
			       const char *a4, const char *msg)
{
	char bin[512];
	struct test_run r;
	char *argv[] = {bin,	    (char *)a1, (char *)a2,
			(char *)a3, (char *)a4, NULL};

	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	assert_int_equal(testing__run(argv, NULL, 30, &r), 0);
	assert_int_equal(r.exit_code, 2);
	if (!strstr(r.err, msg))
		fail_msg("expected `%s` in `%s`", msg, r.err);
	assert_int_equal(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err));
	testing__run_free(&r);
}

static void test_cli_out_of_range_names_parameter_and_range(void **state)
{
	(void)state;
	expect_usage_error("--mode", "paravirt", "--workload", "seq",
			   "shadow-vs-ept: --mode: `paravirt` is not native, "
			   "shadow or nested");
	expect_usage_error("--mode", "nested", "--workload", "random:pages=0",
			   "--workload random: pages=0 out of range [1, "
			   "16777216]");
	expect_usage_error("--mode", "nested", "--workload", "random:stride=3",
			   "--workload random: unknown parameter `stride`");
	expect_usage_error("--mode", "nested", "--workload", "sort",
			   "--workload: unknown workload `sort`");
	expect_usage_error("--mode", "nested", "--pwc-entries", "5000",
			   "--pwc-entries: `5000` out of range [0, 4096]");
	expect_usage_error("--mode", "nested", "--tlb=64:3", "--workload=seq",
			   "--tlb l1: 64 entries do not divide into 3 ways");
}

static void test_cli_json_has_the_top_level_summary(void **state)
{
	static const char *const keys[] = {
		"mode",		  "accesses",  "tlb_misses",
		"walk_refs",	  "vm_exits",  "guest_page_faults",
		"shadow_pages",	  "ept_pages", "modeled_cycles",
		"schema_version", "meta",      "data",
	};
	char dir[256], json[512], bin[512];
	struct test_run r;
	json_t *root;
	char *argv[] = {bin,
			"--mode",
			"nested",
			"--workload",
			"random:pages=100,accesses=5000",
			"--json",
			json,
			NULL};

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(json, sizeof(json), "%s/out.json", dir);
	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	assert_int_equal(testing__run(argv, NULL, 60, &r), 0);
	assert_int_equal(r.exit_code, 0);
	root = json_load_file(json, 0, NULL);
	assert_non_null(root);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!json_object_get(root, keys[i]))
			fail_msg("no top-level `%s`", keys[i]);
	assert_string_equal(json_string_value(json_object_get(root, "mode")),
			    "nested");
	assert_int_equal(json_integer_value(json_object_get(root, "accesses")),
			 5000);
	/* 100 pages first touched: 100 EPT violations at least. */
	assert_true(json_integer_value(json_object_get(root, "vm_exits")) >=
		    100);
	json_decref(root);
	testing__run_free(&r);
	testing__rmtree(dir);
}

static void test_cost_model_file_matches_built_in_defaults(void **state)
{
	struct cost_model file, builtin;
	struct isolab_err e;
	char dir[256], bad[512];

	(void)state;
	memset(&file, 0xff, sizeof(file)); /* every field must be set */
	cost__defaults(&builtin);
#define COST_ZERO(name, dflt) file.name = -1;
	COST_FIELDS(COST_ZERO)
#undef COST_ZERO
	if (cost__load(&file, "shadow-vs-ept/cost-model.conf", &e) < 0)
		fail_msg("%s", e.msg);
#define COST_SAME(name, dflt) assert_true(file.name == builtin.name);
	COST_FIELDS(COST_SAME)
#undef COST_SAME
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	write_file(bad, sizeof(bad), dir, "bad.conf",
		   "# fine\nwalk_ref = 30\nvm_exitt = 5\n");
	assert_int_equal(cost__load(&file, bad, &e), -1);
	assert_non_null(strstr(e.msg, "bad.conf:3: unknown cost `vm_exitt`"));
	testing__rmtree(dir);
}

static void test_no_caches_every_nested_miss_costs_24(void **state)
{
	struct sim_config cfg;
	struct workload w;
	struct isolab_err e;
	struct sim *s;

	(void)state;
	sim__default_config(&cfg);
	cfg.mode = MODE_NESTED;
	cfg.pwc = cfg.ept_pwc = false;
	cfg.ntlb = false;
	cfg.host_mib = 256;
	cfg.guest_mib = 128;
	assert_int_equal(workload__parse("random:pages=8192,accesses=50000,"
					 "warm=1",
					 &w, &e),
			 0);
	s = sim__create(&cfg, &e);
	assert_non_null(s);
	assert_int_equal(workload__run(s, &w, &e), 0);
	/* warm=1: no faults after the counters restart, so every miss is
	 * one complete 2-D walk of exactly 24 references. */
	assert_true(s->c.tlb_misses > 10000);
	assert_int_equal(sim__walk_refs(s), 24 * s->c.tlb_misses);
	sim__destroy(s);
}

static void touch_pages(struct sim *s, uint64_t va, uint64_t n, bool write)
{
	struct isolab_err e;
	uint64_t hpa;

	for (uint64_t i = 0; i < n; i++)
		if (sim__access(s, va + i * PAGE_SIZE, write, &hpa, &e) < 0)
			fail_msg("%s", e.msg);
}

static void test_shadow_root_is_cached_across_context_switches(void **state)
{
	uint64_t va_a, va_b, exits, pages, misses;
	struct isolab_err e;
	struct sim *s = machine(MODE_SHADOW, true, true, 4, &va_a);
	int a = guestos__current(s), b;

	(void)state;
	s->cfg.asid = false; /* every CR3 write flushes: walks must refill */
	touch_pages(s, va_a, 4, true);
	b = guestos__spawn(s, &e);
	assert_int_equal(guestos__switch(s, b, &e), 0);
	assert_int_equal(guestos__mmap(s, 4, true, &va_b, &e), 0);
	touch_pages(s, va_b, 4, true);
	exits = sim__vm_exits(s);
	pages = sim__shadow_pages(s);
	misses = s->c.tlb_misses;
	/* Back to A: one exit (the CR3 write); A's shadow root and tables
	 * are still cached, so its 4 pages miss the flushed TLB but walk
	 * filled shadow entries: no hidden fault, no new shadow page. */
	assert_int_equal(guestos__switch(s, a, &e), 0);
	touch_pages(s, va_a, 4, false);
	assert_int_equal(sim__vm_exits(s) - exits, 1);
	assert_int_equal(s->c.exits[EXIT_CR3_WRITE], 3);
	assert_int_equal(s->c.tlb_misses - misses, 4);
	assert_int_equal(sim__shadow_pages(s), pages);
	/* Two address spaces of 4 tables each: 8 shadow pages. */
	assert_int_equal(pages, 8);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_asid_keeps_tlb_entries_across_a_switch(void **state)
{
	for (int tagged = 0; tagged <= 1; tagged++) {
		uint64_t va_a, va_b, misses;
		struct isolab_err e;
		struct sim *s = machine(MODE_NATIVE, true, true, 8, &va_a);
		int a = guestos__current(s), b;

		(void)state;
		s->cfg.asid = tagged;
		touch_pages(s, va_a, 8, false);
		b = guestos__spawn(s, &e);
		assert_int_equal(guestos__switch(s, b, &e), 0);
		assert_int_equal(guestos__mmap(s, 1, true, &va_b, &e), 0);
		touch_pages(s, va_b, 1, false);
		assert_int_equal(guestos__switch(s, a, &e), 0);
		misses = s->c.tlb_misses;
		touch_pages(s, va_a, 8, false);
		/* Tagged: A's 8 entries survived B; untagged: all 8 miss. */
		assert_int_equal(s->c.tlb_misses - misses, tagged ? 0 : 8);
		assert_int_equal(s->c.check_failures, 0);
		sim__destroy(s);
	}
}

static void test_shadow_munmap_exits_once_per_pte_and_invlpg(void **state)
{
	uint64_t va, pt_writes, invlpgs;
	struct isolab_err e;
	struct sim *s = machine(MODE_SHADOW, true, true, 8, &va);

	(void)state;
	touch_pages(s, va, 8, true);
	pt_writes = s->c.exits[EXIT_PT_WRITE];
	invlpgs = s->c.exits[EXIT_INVLPG];
	/* Unmapping 3 present pages: 3 PTE clears into a shadowed PT (3
	 * pt_write exits) and 3 INVLPGs (3 invlpg exits). */
	assert_int_equal(guestos__munmap(s, va + 2 * PAGE_SIZE, 3, &e), 0);
	assert_int_equal(s->c.exits[EXIT_PT_WRITE] - pt_writes, 3);
	assert_int_equal(s->c.exits[EXIT_INVLPG] - invlpgs, 3);
	/* The rest still translate; the unmapped ones fault as segfaults. */
	touch_pages(s, va, 2, false);
	touch_pages(s, va + 5 * PAGE_SIZE, 3, false);
	assert_int_equal(sim__access(s, va + 3 * PAGE_SIZE, false, NULL, &e),
			 -1);
	assert_non_null(strstr(e.msg, "segmentation fault"));
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_reused_shadowed_table_frame_floods_once(void **state)
{
	uint64_t va, shadow_before;
	struct isolab_err e;
	struct sim *s = machine(MODE_SHADOW, true, true, 1, &va);
	int parent = guestos__current(s), child;

	(void)state;
	touch_pages(s, va, 1, true);
	child = guestos__fork(s, &e);
	assert_int_equal(guestos__switch(s, child, &e), 0); /* shadow root */
	shadow_before = sim__shadow_pages(s);
	assert_int_equal(guestos__exit(s, parent, &e), 0);
	/* The child's PML4 is free but its shadow root is still cached (and
	 * write-protected), and it is the first frame the allocator hands
	 * out again: the next fork zeroes it, which traps once and makes the
	 * VMM drop that root. */
	assert_int_equal(s->c.exits[EXIT_WP_FLOOD], 0);
	assert_true(guestos__fork(s, &e) > 0);
	assert_int_equal(s->c.exits[EXIT_WP_FLOOD], 1);
	assert_int_equal(sim__shadow_pages(s), shadow_before - 1);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_valgrind_lackey_trace_replays_in_every_mode(void **state)
{
	char dir[256], trace[512], bin[512], logopt[600];
	struct test_run r;
	char *vg[] = {"/usr/bin/valgrind", "--tool=lackey",
		      "--trace-mem=yes",   logopt,
		      "/bin/true",	   NULL};
	static const char *const modes[] = {"native", "shadow", "nested"};
	long accesses[3];

	(void)state;
	if (access("/usr/bin/valgrind", X_OK) < 0)
		TEST_SKIP("valgrind is not installed (apt-get install "
			  "valgrind)");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(trace, sizeof(trace), "%s/true.lackey", dir);
	snprintf(logopt, sizeof(logopt), "--log-file=%s", trace);
	assert_int_equal(testing__run(vg, NULL, 120, &r), 0);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	for (int m = 0; m < 3; m++) {
		char *argv[] = {bin,	   "--mode",  (char *)modes[m],
				"--check", "--trace", trace,
				NULL};
		char *line;

		assert_int_equal(testing__run(argv, NULL, 120, &r), 0);
		if (r.exit_code != 0)
			fail_msg("%s: %s", modes[m], r.err);
		line = strstr(r.out, "\naccesses ");
		assert_non_null(line);
		accesses[m] = strtol(line + 10, NULL, 10);
		assert_non_null(strstr(
			r.out, "check_failures                     0\n"));
		testing__run_free(&r);
	}
	/* The dynamic loader alone makes >10,000 accesses; every mode
	 * replays the same trace, so the same number. */
	assert_true(accesses[0] > 10000);
	assert_int_equal(accesses[1], accesses[0]);
	assert_int_equal(accesses[2], accesses[0]);
	testing__rmtree(dir);
}

/* A machine whose guest maps 2 MiB pages; the first mapping starts at a
 * 2 MiB boundary (the mmap base is aligned). */
static struct sim *large_machine(enum sim_mode mode, bool caches,
				 uint64_t npages, uint64_t *va)
{
	struct sim *s = machine(mode, caches, caches, npages, va);

	s->cfg.large_pages = true;
	assert_int_equal(*va & ((1ull << LARGE_SHIFT) - 1), 0);
	return s;
}

static void test_large_page_cold_miss_refs_per_mode(void **state)
{
	static const struct {
		enum sim_mode mode;
		uint64_t refs;
	} want[] = {
		/* PML4E, PDPTE, PDE with PS: 3 references. */
		{MODE_NATIVE, 3},
		/* 3 guest references at 3 guest-physical tables, each after
		 * a 4-reference EPT walk, plus the data page's EPT walk:
		 * 3 + 4 x 4 = 19. */
		{MODE_NESTED, 19},
		/* The VMM shadows a 2 MiB guest page with a 4 KiB shadow
		 * table (as KVM does without host huge pages): 4. */
		{MODE_SHADOW, 4},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t va, g, n;
		struct sim *s = large_machine(want[i].mode, false, 512, &va);

		cold_miss_refs(s, va + 5 * PAGE_SIZE, &g, &n);
		assert_int_equal(s->c.large_faults, 1);
		assert_int_equal(cold_miss_refs(s, va + 5 * PAGE_SIZE, &g, &n),
				 want[i].refs);
		assert_int_equal(s->c.check_failures, 0);
		sim__destroy(s);
	}
}

static void test_large_page_is_one_tlb_entry_natively(void **state)
{
	uint64_t va, misses;
	struct sim *s = large_machine(MODE_NATIVE, true, 512, &va);

	(void)state;
	touch_pages(s, va, 1, false);
	misses = s->c.tlb_misses;
	/* The other 511 pages of the 2 MiB page hit its one TLB entry. */
	touch_pages(s, va, 512, false);
	assert_int_equal(s->c.tlb_misses, misses);
	assert_int_equal(s->c.guest_page_faults, 1);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_munmap_inside_a_large_page_splits_it(void **state)
{
	for (int m = MODE_NATIVE; m <= MODE_NESTED; m++) {
		uint64_t va, before, after;
		struct isolab_err e;
		struct sim *s = large_machine(m, true, 512, &va);

		(void)state;
		assert_int_equal(
			sim__access(s, va + 7 * PAGE_SIZE, true, &before, &e),
			0);
		assert_int_equal(s->c.large_faults, 1);
		/* Unmapping one 4 KiB page splits the 2 MiB page into 512
		 * PTEs over the same frames: page 7 keeps its frame. */
		assert_int_equal(
			guestos__munmap(s, va + 100 * PAGE_SIZE, 1, &e), 0);
		assert_int_equal(s->c.large_splits, 1);
		assert_int_equal(
			sim__access(s, va + 7 * PAGE_SIZE, true, &after, &e),
			0);
		assert_int_equal(after, before);
		touch_pages(s, va, 100, false);
		touch_pages(s, va + 101 * PAGE_SIZE, 411, true);
		assert_int_equal(
			sim__access(s, va + 100 * PAGE_SIZE, false, NULL, &e),
			-1);
		/* No fault after the first: every page stayed mapped. */
		assert_int_equal(s->c.guest_page_faults, 1);
		assert_int_equal(s->c.check_failures, 0);
		sim__destroy(s);
	}
}

static void test_large_page_copy_on_write_copies_512_frames(void **state)
{
	for (int m = MODE_NATIVE; m <= MODE_NESTED; m++) {
		uint64_t va, parent_hpa, child_hpa;
		struct isolab_err e;
		struct sim *s = large_machine(m, true, 512, &va);
		int child;

		(void)state;
		assert_int_equal(sim__access(s, va + 3 * PAGE_SIZE, true,
					     &parent_hpa, &e),
				 0);
		child = guestos__fork(s, &e);
		assert_int_equal(guestos__switch(s, child, &e), 0);
		assert_int_equal(sim__access(s, va + 3 * PAGE_SIZE, true,
					     &child_hpa, &e),
				 0);
		assert_int_not_equal(child_hpa, parent_hpa);
		assert_int_equal(s->c.pages_copied, 512);
		assert_int_equal(s->c.large_faults,
				 1);	       /* the copy is no new map */
		touch_pages(s, va, 512, true); /* all in the child's copy */
		assert_int_equal(s->c.pages_copied, 512);
		assert_int_equal(s->c.check_failures, 0);
		sim__destroy(s);
	}
}

#define CLI_DIR "shadow-vs-ept/tests/cli"

/* CLI_DIR/name+ext read whole, or NULL when absent. */
static char *cli_file(const char *name, const char *ext)
{
	char path[512];

	snprintf(path, sizeof(path), CLI_DIR "/%s%s", name, ext);
	return testing__slurp(path, NULL);
}

/* Is line a whole line of text? */
static bool has_line(const char *text, const char *line, size_t len)
{
	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') &&
		    (p[len] == '\n' || p[len] == '\0'))
			return true;
	return false;
}

/* One CLI test: NAME.cmd, .in, .code, .err, .out (see cli/README.md). */
static void run_cli_file(const char *name)
{
	char bin[512], in[512], *argv[32], *cmd, *code, *err, *out, *save;
	struct test_run r;
	int argc = 0;

	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	argv[argc++] = bin;
	cmd = cli_file(name, ".cmd");
	code = cli_file(name, ".code");
	err = cli_file(name, ".err");
	out = cli_file(name, ".out");
	assert_non_null(cmd);
	assert_non_null(code);
	assert_non_null(err);
	cmd[strcspn(cmd, "\n")] = '\0';
	for (char *t = strtok_r(cmd, " ", &save); t && argc < 31;
	     t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	snprintf(in, sizeof(in), CLI_DIR "/%s.in", name);
	assert_int_equal(
		testing__run(argv, access(in, R_OK) == 0 ? in : NULL, 60, &r),
		0);
	if (r.exit_code != atoi(code) || strcmp(r.err, err) != 0)
		fail_msg("%s: exit %d (want %d), stderr `%s` (want `%s`)", name,
			 r.exit_code, atoi(code), r.err, err);
	for (char *l = out ? strtok_r(out, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save))
		if (!has_line(r.out, l, strlen(l)))
			fail_msg("%s: no line `%s` in stdout:\n%s", name, l,
				 r.out);
	testing__run_free(&r);
	free(cmd);
	free(code);
	free(err);
	free(out);
}

static void test_cli_files_give_expected_output(void **state)
{
	DIR *d = opendir(CLI_DIR);
	struct dirent *de;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char name[256];

		if (len < 5 || strcmp(de->d_name + len - 4, ".cmd") != 0 ||
		    len - 4 >= sizeof(name))
			continue;
		memcpy(name, de->d_name, len - 4);
		name[len - 4] = '\0';
		run_cli_file(name);
		n++;
	}
	closedir(d);
	/* All 9 cases of the directory ran (none silently skipped). */
	assert_int_equal(n, 9);
}

static void test_memory_grows_with_touched_pages_not_address_space(void **state)
{
	struct sim_config cfg;
	struct isolab_err e;
	struct sim *s;
	int pid;

	(void)state;
	sim__default_config(&cfg);
	cfg.mode = MODE_NESTED;
	cfg.check = true;
	s = sim__create(&cfg, &e); /* 16 GiB host, 8 GiB guest: lazily */
	assert_non_null(s);
	pid = guestos__spawn(s, &e);
	assert_int_equal(guestos__switch(s, pid, &e), 0);
	assert_int_equal(
		guestos__map_fixed(s, 1ull << 39, 65ull << 39, true, &e), 0);
	/* 64 pages 512 GiB apart: each needs its own PDPT, PD and PT, so
	 * the guest has 64 data frames and 1 + 3 x 64 = 193 table frames. */
	for (uint64_t i = 1; i <= 64; i++)
		assert_int_equal(sim__access(s, i << 39, true, NULL, &e), 0);
	assert_int_equal(guestos__pt_pages(s->os), 193);
	assert_int_equal(guestos__frames(s->os), 64 + 193);
	/* Host: those 257 frames, the EPT (its root, and one PDPT, PD and
	 * PT: guest frames 1..257 lie in the first 2 MiB of guest-physical
	 * memory), nothing for the 32 TiB of address space spanned. */
	assert_int_equal(s->ept_pages, 4);
	assert_int_equal(s->pm->in_use, 257 + 4);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

static void test_nested_large_pages_need_both_dimensions(void **state)
{
	static const struct {
		bool guest_large, ept_large;
		uint64_t cold_refs, misses_of_511;
	} want[] = {
		/* 4 guest refs, 5 EPT walks of 4: 24; every page misses. */
		{false, false, 24, 511},
		/* EPT walks end at the 2 MiB PDE: 4 x (3 + 1) + 3 = 19. */
		{false, true, 19, 511},
		/* Guest walk ends at the PDE: 3 x (4 + 1) + 4 = 19, but
		 * the TLB holds 4 KiB splinters: every page misses. */
		{true, false, 19, 511},
		/* Both: 3 x (3 + 1) + 3 = 15, and one TLB entry. */
		{true, true, 15, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		uint64_t va, g, n, misses;
		struct sim_config cfg;
		struct isolab_err e;
		struct sim *s;
		int pid;

		sim__default_config(&cfg);
		cfg.mode = MODE_NESTED;
		cfg.pwc = cfg.ept_pwc = cfg.ntlb = false;
		cfg.check = true;
		cfg.large_pages = want[i].guest_large;
		cfg.ept_large = want[i].ept_large;
		cfg.host_mib = 256;
		cfg.guest_mib = 128;
		s = sim__create(&cfg, &e);
		assert_non_null(s);
		pid = guestos__spawn(s, &e);
		assert_int_equal(guestos__switch(s, pid, &e), 0);
		assert_int_equal(guestos__mmap(s, 512, true, &va, &e), 0);
		touch_pages(s, va, 512, true);
		assert_int_equal(cold_miss_refs(s, va, &g, &n),
				 want[i].cold_refs);
		misses = s->c.tlb_misses;
		touch_pages(s, va + PAGE_SIZE, 511, false);
		assert_int_equal(s->c.tlb_misses - misses,
				 want[i].misses_of_511);
		assert_int_equal(s->c.check_failures, 0);
		sim__destroy(s);
	}
}

static void test_sweep_crossover_has_the_literature_shape(void **state)
{
	char dir[256], bin[512], path[600];
	struct test_run r;
	json_t *root, *pts, *first, *last;
	char *argv[] = {bin,	 "sweep", "crossover", "--quick",
			"--out", dir,	  NULL};
	double cross;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	testing__path(bin, sizeof(bin), "bin", "shadow-vs-ept");
	assert_int_equal(testing__run(argv, NULL, 150, &r), 0);
	if (r.exit_code != 0)
		fail_msg("sweep: exit %d: %s", r.exit_code, r.err);
	testing__run_free(&r);
	snprintf(path, sizeof(path), "%s/paging-crossover.json", dir);
	root = json_load_file(path, 0, NULL);
	assert_non_null(root);
	pts = json_object_get(json_object_get(root, "data"), "points");
	/* 10 update rates, from none to one PTE write every 10 accesses. */
	assert_int_equal(json_array_size(pts), 10);
	first = json_array_get(pts, 0);
	last = json_array_get(pts, 9);
	/* Stable page tables: shadow walks like native, nested pays the
	 * 2-D walk; heavy updates: shadow pays exits, nested does not. */
	assert_true(json_real_value(json_object_get(first, "shadow")) <
		    json_real_value(json_object_get(first, "nested")));
	assert_true(json_real_value(json_object_get(last, "nested")) <
		    json_real_value(json_object_get(last, "shadow")));
	cross = json_real_value(json_object_get(json_object_get(root, "data"),
						"crossover_pte_writes_per_1k"));
	assert_true(cross > 0.1 && cross < 100);
	json_decref(root);
	snprintf(path, sizeof(path), "%s/paging-crossover.png", dir);
	assert_int_equal(access(path, R_OK), 0);
	testing__rmtree(dir);
}

static void test_unsync_page_tables_trap_once_until_resync(void **state)
{
	const uint64_t P = 10;
	uint64_t va, traps, refs, syncs;
	struct isolab_err e;
	struct sim *s = machine(MODE_SHADOW, true, true, P, &va);

	(void)state;
	s->cfg.shadow_unsync = true;
	/* Touching P fresh pages in one PT: the PML4 entry traps (the root
	 * stays write-protected: only last-level tables go out of sync);
	 * the PT's first PTE write traps and lets the PT go out of sync;
	 * the other P - 2 writes do not trap.  2 traps instead of P. */
	touch_pages(s, va, P, true);
	assert_int_equal(s->c.exits[EXIT_PT_WRITE], 2);
	assert_int_equal(s->c.shadow_unsyncs, 1);
	/* fork write-protects the parent's P PTEs without a trap, then
	 * flushes the TLB with a CR3 write: the VMM resyncs that PT by
	 * reading its 512 guest entries, and protects it again. */
	traps = s->c.exits[EXIT_PT_WRITE];
	refs = s->c.vmm_refs;
	syncs = s->c.shadow_syncs;
	assert_true(guestos__fork(s, &e) > 0);
	assert_int_equal(s->c.exits[EXIT_PT_WRITE], traps);
	assert_int_equal(s->c.shadow_syncs - syncs, 1);
	assert_int_equal(s->c.vmm_refs - refs, 512);
	/* Back in sync: the parent's next PTE write (a COW fault) traps
	 * again, and every access still matches the guest's tables. */
	touch_pages(s, va, P, true);
	assert_int_equal(s->c.exits[EXIT_PT_WRITE], traps + 1);
	assert_int_equal(s->c.check_failures, 0);
	sim__destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cold_miss_native_costs_4_refs),
		cmocka_unit_test(
			test_cold_miss_nested_costs_24_refs_without_caches),
		cmocka_unit_test(
			test_walk_caches_cut_nested_refs_of_a_neighbour),
		cmocka_unit_test(
			test_cold_miss_shadow_costs_4_refs_once_filled),
		cmocka_unit_test(
			test_shadow_traps_every_pte_write_to_a_shadowed_table),
		cmocka_unit_test(test_every_access_matches_the_reference_walk),
		cmocka_unit_test(test_self_check_catches_a_stale_tlb_entry),
		cmocka_unit_test(
			test_fork_copy_on_write_gives_the_writer_its_own_frame),
		cmocka_unit_test(test_lackey_lines_parse_with_edge_cases),
		cmocka_unit_test(test_cli_trace_from_stdin_counts_accesses),
		cmocka_unit_test(
			test_cli_malformed_trace_line_names_its_number),
		cmocka_unit_test(
			test_cli_out_of_range_names_parameter_and_range),
		cmocka_unit_test(test_cli_json_has_the_top_level_summary),
		cmocka_unit_test(
			test_cost_model_file_matches_built_in_defaults),
		cmocka_unit_test(test_no_caches_every_nested_miss_costs_24),
		cmocka_unit_test(
			test_shadow_root_is_cached_across_context_switches),
		cmocka_unit_test(test_asid_keeps_tlb_entries_across_a_switch),
		cmocka_unit_test(
			test_shadow_munmap_exits_once_per_pte_and_invlpg),
		cmocka_unit_test(test_reused_shadowed_table_frame_floods_once),
		cmocka_unit_test(
			test_valgrind_lackey_trace_replays_in_every_mode),
		cmocka_unit_test(test_large_page_cold_miss_refs_per_mode),
		cmocka_unit_test(test_large_page_is_one_tlb_entry_natively),
		cmocka_unit_test(test_munmap_inside_a_large_page_splits_it),
		cmocka_unit_test(
			test_large_page_copy_on_write_copies_512_frames),
		cmocka_unit_test(test_cli_files_give_expected_output),
		cmocka_unit_test(test_nested_large_pages_need_both_dimensions),
		cmocka_unit_test(test_sweep_crossover_has_the_literature_shape),
		cmocka_unit_test(
			test_unsync_page_tables_trap_once_until_resync),
		cmocka_unit_test(
			test_memory_grows_with_touched_pages_not_address_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
