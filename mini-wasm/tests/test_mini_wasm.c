/*
 * test_mini_wasm.c - mini-wasm's tests: the official spec scripts, the CLI
 * (results, traps, exit codes, messages), C programs built natively and to
 * wasm32-wasi giving identical output, the WASI sandbox, and robustness
 * (every truncation and random byte flips of a real module, a libFuzzer
 * smoke run).  Run from the repository root with ISOLAB_BUILD set.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime.h"
#include "spectest.h"
#include "testing.h"
#include "wasi.h"

#define SUITE "../shared/wasm-testsuite/v1.1"

static char mini_wasm[PATH_MAX];

static int setup(void **state)
{
	char rel[PATH_MAX];

	(void)state;
	testing__path(rel, sizeof(rel), "bin", "mini-wasm");
	if (!realpath(rel, mini_wasm))
		snprintf(mini_wasm, sizeof(mini_wasm), "%s", rel);
	return 0;
}

/* Run mini-wasm with up to 12 arguments (NULL-terminated). */
static void run(struct test_run *r, const char *stdin_path, ...)
{
	char *argv[16] = { mini_wasm };
	int n = 1;
	va_list ap;

	va_start(ap, stdin_path);
	while (n < 15 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	assert_int_equal(testing__run(argv, stdin_path, 120, r), 0);
}

static void write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* --- the spec tests --- */

static void spec_dir(const char *dir, int *passed, int *failed, int *skipped,
		     int *scripts)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[PATH_MAX];
		struct test_run r;
		int p, f, s;
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		run(&r, NULL, "--spec", path, NULL);
		if (sscanf(r.out, "%d passed, %d failed, %d skipped", &p, &f,
			   &s) != 3) {
			print_message("%s: no summary (exit %d): %s\n", path,
				      r.exit_code, r.err);
			(*failed)++;
		} else {
			if (f)
				print_message("%s: %s%s", path, r.out, r.err);
			*passed += p, *failed += f, *skipped += s;
		}
		(*scripts)++;
		testing__run_free(&r);
	}
	closedir(d);
}

/* Every script of v1.1/core and of the four in-scope proposals: all
 * 20581 binary assertions pass; the 559 text-format ones (mini-wasm reads
 * only the binary format) are skipped. */
static void test_spec_scripts_all_assertions_pass(void **state)
{
	static const char *const dirs[] = {
		SUITE "/core",
		SUITE "/proposals/sign-extension-ops",
		SUITE "/proposals/nontrapping-float-to-int-conversions",
		SUITE "/proposals/mutable-global",
		SUITE "/proposals/multi-value",
	};
	int passed = 0, failed = 0, skipped = 0, scripts = 0;

	(void)state;
	if (access(SUITE "/core/i32.json", R_OK) < 0)
		TEST_SKIP("the spec tests are not in " SUITE);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		spec_dir(dirs[i], &passed, &failed, &skipped, &scripts);
	print_message("spec: %d scripts, %d passed, %d failed, %d skipped\n",
		      scripts, passed, failed, skipped);
	assert_int_equal(scripts, 73 + 2 + 1 + 2 + 10);
	assert_int_equal(failed, 0);
	assert_int_equal(passed, 20581);
	assert_int_equal(skipped, 559);
}

/* --- the CLI --- */

/* fac-rec(20) = 20! = 2432902008176640000 fits an i64 */
static void test_invoke_prints_each_result_typed(void **state)
{
	struct test_run r;

	(void)state;
	run(&r, NULL, "--invoke", "fac-rec", SUITE "/core/fac.0.wasm", "20",
	    NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "i64:2432902008176640000\n");
	testing__run_free(&r);
}

/* i32.div_s 1 0 traps: the spec's message, status 134 */
static void test_trap_prints_message_and_exits_134(void **state)
{
	struct test_run r;

	(void)state;
	run(&r, NULL, "--invoke", "div_s", SUITE "/core/i32.0.wasm", "1", "0",
	    NULL);
	assert_int_equal(r.exit_code, 134);
	assert_string_equal(r.err,
			    "mini-wasm: trap: integer divide by zero in "
			    "function 3\n");
	testing__run_free(&r);
}

static void test_malformed_module_exits_2_with_offset(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], want[2 * PATH_MAX];
	static const uint8_t bad[] = { 0, 'a', 's', 'm', 2, 0, 0, 0 };
	struct test_run r;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/bad.wasm", dir);
	write_bytes(path, bad, sizeof(bad));
	run(&r, NULL, path, NULL);
	snprintf(want, sizeof(want),
		 "mini-wasm: %s: malformed module: unknown binary version at "
		 "offset 0x4\n",
		 path);
	assert_int_equal(r.exit_code, 2);
	assert_string_equal(r.err, want);
	testing__run_free(&r);
	testing__rmtree(dir);
}

/* br_table to labels of types f32 and f64: invalid in Wasm 1.0 */
static void test_invalid_module_exits_2(void **state)
{
	struct test_run r;

	(void)state;
	run(&r, NULL, SUITE "/core/unreached-invalid.87.wasm", NULL);
	assert_int_equal(r.exit_code, 2);
	assert_non_null(strstr(r.err, "invalid module: type mismatch at "
				      "offset 0x"));
	testing__run_free(&r);
}

/* export of function 1 in a module with one function: the export
 * section (id 7) starts at offset 0x12, its id byte */
static void test_invalid_module_level_rule_has_offset(void **state)
{
	struct test_run r;
	char want[PATH_MAX];

	(void)state;
	run(&r, NULL, SUITE "/core/exports.14.wasm", NULL);
	snprintf(want, sizeof(want),
		 "mini-wasm: %s: invalid module: unknown function at offset "
		 "0x12\n",
		 SUITE "/core/exports.14.wasm");
	assert_int_equal(r.exit_code, 2);
	assert_string_equal(r.err, want);
	testing__run_free(&r);
}

static void test_bad_usage_one_line_exit_1(void **state)
{
	struct test_run r;

	(void)state;
	run(&r, NULL, "--bogus", "x", "m.wasm", NULL);
	assert_int_equal(r.exit_code, 1);
	assert_string_equal(r.err, "mini-wasm: --bogus: unknown option\n");
	testing__run_free(&r);
	run(&r, NULL, "no-such.wasm", NULL);
	assert_int_equal(r.exit_code, 1);
	assert_string_equal(r.err,
			    "mini-wasm: no-such.wasm: No such file or "
			    "directory\n");
	testing__run_free(&r);
	run(&r, NULL, "--max-pages", "70000", "m.wasm", NULL);
	assert_int_equal(r.exit_code, 1);
	assert_string_equal(r.err, "mini-wasm: 70000: not a page count "
				   "(0..65536)\n");
	testing__run_free(&r);
}

/* Hand-assembled modules (spec 5): header, then type, function, memory,
 * export and code sections. */
#define HEADER 0, 'a', 's', 'm', 1, 0, 0, 0
static const uint8_t spin_wasm[] = {
	HEADER, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 8, 1, 4, 's', 'p', 'i',
	'n', 0, 0, 10, 9, 1, 7, 0, 0x03, 0x40, 0x0C, 0, 0x0B, 0x0B,
};
static const uint8_t rec_wasm[] = {
	HEADER, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 7, 1, 3, 'r', 'e', 'c',
	0, 0, 10, 6, 1, 4, 0, 0x10, 0, 0x0B,
};
static const uint8_t grow_wasm[] = {
	HEADER, 1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F, 3, 2, 1, 0, 5, 3, 1, 0, 1,
	7, 8, 1, 4, 'g', 'r', 'o', 'w', 0, 0, 10, 8, 1, 6, 0, 0x20, 0,
	0x40, 0, 0x0B,
};

/* (loop (br 0)) forever: --fuel 100000 stops it */
static void test_fuel_traps_runaway_loop(void **state)
{
	struct test_run r;

	char dir[PATH_MAX], path[PATH_MAX + 16];

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/m.wasm", dir);
	write_bytes(path, spin_wasm, sizeof(spin_wasm));
	run(&r, NULL, "--fuel", "100000", "--invoke", "spin", path, NULL);
	testing__rmtree(dir);
	assert_int_equal(r.exit_code, 134);
	assert_string_equal(r.err, "mini-wasm: trap: out of fuel in "
				   "function 0\n");
	testing__run_free(&r);
}

/* --fuel counts instructions exactly: grow's body is `local.get 0;
 * memory.grow 0; end`, 3 instructions, so --fuel 3 runs it and --fuel 2
 * traps before any of them runs. */
static void test_fuel_counts_every_instruction(void **state)
{
	struct test_run r;
	char dir[PATH_MAX], path[PATH_MAX + 16];

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/m.wasm", dir);
	write_bytes(path, grow_wasm, sizeof(grow_wasm));
	run(&r, NULL, "--fuel", "3", "--invoke", "grow", path, "1", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "i32:1\n");
	testing__run_free(&r);
	run(&r, NULL, "--fuel", "2", "--invoke", "grow", path, "1", NULL);
	testing__rmtree(dir);
	assert_int_equal(r.exit_code, 134);
	assert_string_equal(r.err, "mini-wasm: trap: out of fuel in "
				   "function 0\n");
	testing__run_free(&r);
}

/* Write module m to a scratch file, call its export fn (with arg, or
 * none when arg is NULL) and expect the trap "call stack exhausted" in
 * function func. */
static void expect_exhausted(const void *m, size_t n, const char *fn,
			     const char *arg, int func)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], want[96];
	struct test_run r;

	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/m.wasm", dir);
	write_bytes(path, m, n);
	run(&r, NULL, "--invoke", fn, path, arg, NULL);
	testing__rmtree(dir);
	snprintf(want, sizeof(want),
		 "mini-wasm: trap: call stack exhausted in function %d\n",
		 func);
	assert_int_equal(r.exit_code, 134);
	assert_string_equal(r.err, want);
	testing__run_free(&r);
}

/* (func $rec (call $rec)): the depth limit traps, the host stack is safe */
static void test_unbounded_recursion_traps_exhausted(void **state)
{
	(void)state;
	expect_exhausted(rec_wasm, sizeof(rec_wasm), "rec", NULL, 0);
}

/* The direct call's fast path (interp.c OP_CALL_F, OP_CALL_LC): func 0
 * (param, 6 locals) writes its argument into its six locals; func 1
 * (the same) returns its argument plus its six locals; func 2 (main)
 * calls func 0 then func 1 with `local.get 0; i32.const 1; i32.add`,
 * the fused argument.  func 1's frame lies where func 0's was, so its
 * locals read 0 only if the call zeroed all six (four without a loop,
 * two in it): main(41) is 42, and 41 more for each local the zeroing
 * missed.  func 3 recurses with the fused argument to the depth limit. */
static const uint8_t calls_wasm[] = {
	HEADER, 1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F, 3, 5, 4, 0, 0, 0, 0,
	7, 0x0E, 2, 4, 'm', 'a', 'i', 'n', 0, 2, 3, 'r', 'e', 'c', 0, 3,
	0x0A, 0x52, 4,
	0x1E, 1, 6, 0x7F, 0x20, 0, 0x21, 1, 0x20, 0, 0x21, 2, 0x20, 0, 0x21,
	3, 0x20, 0, 0x21, 4, 0x20, 0, 0x21, 5, 0x20, 0, 0x21, 6, 0x20, 0,
	0x0B,
	0x18, 1, 6, 0x7F, 0x20, 0, 0x20, 1, 0x6A, 0x20, 2, 0x6A, 0x20, 3,
	0x6A, 0x20, 4, 0x6A, 0x20, 5, 0x6A, 0x20, 6, 0x6A, 0x0B,
	0x0E, 0, 0x20, 0, 0x10, 0, 0x1A, 0x20, 0, 0x41, 1, 0x6A, 0x10, 1,
	0x0B,
	9, 0, 0x20, 0, 0x41, 1, 0x6A, 0x10, 3, 0x0B,
};

static void test_direct_call_zeroes_locals_and_traps_exhausted(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct test_run r;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/m.wasm", dir);
	write_bytes(path, calls_wasm, sizeof(calls_wasm));
	run(&r, NULL, "--invoke", "main", path, "41", NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, "i32:42\n");
	testing__run_free(&r);
	testing__rmtree(dir);
	expect_exhausted(calls_wasm, sizeof(calls_wasm), "rec", "0", 3);
}

/* deep(p) = deep(p + 1), with 60 declared locals: its frame (62 slots)
 * is larger than the reserve kept for each frame (FRAME_RESERVE), so the
 * direct call checks the value stack itself.  65536 frames of it would
 * need 4 M slots, twice what is mapped: without that check the
 * recursion would run off the stack instead of trapping. */
static const uint8_t deep_wasm[] = {
	HEADER, 1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F, 3, 2, 1, 0,
	7, 8, 1, 4, 'd', 'e', 'e', 'p', 0, 0,
	0x0A, 0x0D, 1, 0x0B, 1, 0x3C, 0x7F, 0x20, 0, 0x41, 1, 0x6A, 0x10, 0,
	0x0B,
};

static void test_recursion_with_large_frame_traps_exhausted(void **state)
{
	(void)state;
	expect_exhausted(deep_wasm, sizeof(deep_wasm), "deep", "0", 0);
}

/* tall(p) = tall(p + 1) called with 69 more values on its operand
 * stack: no declared local, but a frame of 72 slots, larger than the
 * reserve (FRAME_RESERVE), so compile__link must keep the checked call
 * (OP_CALL_LC, not OP_CALL_LC1): it traps where the unchecked one runs
 * off the value stack.  Built here: 69 x `i32.const 0`, the call, 69
 * drops. */
static void test_tall_frame_without_locals_traps_exhausted(void **state)
{
	static const uint8_t head[] = {
		HEADER, 1, 6, 1, 0x60, 1, 0x7F, 1, 0x7F, 3, 2, 1, 0,
		7, 8, 1, 4, 't', 'a', 'l', 'l', 0, 0,
		0x0A, 0xDB, 1, 1, 0xD8, 1, 0,
	};
	static const uint8_t call[] = {0x20, 0, 0x41, 1, 0x6A, 0x10, 0};
	uint8_t m[sizeof(head) + 2 * 69 + sizeof(call) + 69 + 1];
	size_t n = 0;

	(void)state;
	memcpy(m, head, sizeof(head));
	n = sizeof(head);
	for (int i = 0; i < 69; i++) {
		m[n++] = 0x41;
		m[n++] = 0;
	}
	memcpy(m + n, call, sizeof(call));
	n += sizeof(call);
	memset(m + n, 0x1A, 69);
	n += 69;
	m[n++] = 0x0B;
	assert_int_equal(n, sizeof(m));
	expect_exhausted(m, sizeof(m), "tall", "0", 0);
}

/* Which function a trap names, whatever kind of call entered it (a
 * direct call's frame keeps no function: interp.c finds it from the
 * call's immediate; OP_CALL and call_indirect frames keep it):
 *   import 0 wasi sched_yield (host)
 *   1 f(p) = 1 / p          2 g(p) = f(p), a direct call
 *   3 h(p) = unreachable    table [g, h]
 *   4 direct(p):   sched_yield(); f(p)
 *   5 indirect(p): table[p](p), call_indirect
 *   6 after(p):    sched_yield(); g(1); 1 / p (traps in itself) */
static const uint8_t trapfn_wasm[] = {
	HEADER, 1, 0x0A, 2, 0x60, 1, 0x7F, 1, 0x7F, 0x60, 0, 1, 0x7F,
	2, 0x26, 1, 0x16, 'w', 'a', 's', 'i', '_', 's', 'n', 'a', 'p', 's',
	'h', 'o', 't', '_', 'p', 'r', 'e', 'v', 'i', 'e', 'w', '1', 0x0B,
	's', 'c', 'h', 'e', 'd', '_', 'y', 'i', 'e', 'l', 'd', 0, 1,
	3, 7, 6, 0, 0, 0, 0, 0, 0, 4, 4, 1, 0x70, 0, 2,
	7, 0x1D, 3, 6, 'd', 'i', 'r', 'e', 'c', 't', 0, 4, 8, 'i', 'n',
	'd', 'i', 'r', 'e', 'c', 't', 0, 5, 5, 'a', 'f', 't', 'e', 'r', 0,
	6, 9, 8, 1, 0, 0x41, 0, 0x0B, 2, 2, 3,
	0x0A, 0x38, 6,
	7, 0, 0x41, 1, 0x20, 0, 0x6D, 0x0B,
	6, 0, 0x20, 0, 0x10, 1, 0x0B,
	3, 0, 0x00, 0x0B,
	9, 0, 0x10, 0, 0x1A, 0x20, 0, 0x10, 1, 0x0B,
	9, 0, 0x20, 0, 0x20, 0, 0x11, 0, 0, 0x0B,
	0x0F, 0, 0x10, 0, 0x1A, 0x41, 1, 0x10, 2, 0x1A, 0x41, 1, 0x20, 0,
	0x6E, 0x0B,
};

static void test_trap_names_function_after_any_call(void **state)
{
	static const struct {
		const char *name, *arg, *out, *err;
	} cases[] = {
		{"direct", "1", "i32:1\n", ""},
		{"direct", "0", "", "integer divide by zero in function 1"},
		{"indirect", "0", "", "integer divide by zero in function 1"},
		{"indirect", "1", "", "unreachable in function 3"},
		{"after", "1", "i32:1\n", ""},
		{"after", "0", "", "integer divide by zero in function 6"},
	};
	char dir[PATH_MAX], path[PATH_MAX + 16], want[128];
	struct test_run r;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/m.wasm", dir);
	write_bytes(path, trapfn_wasm, sizeof(trapfn_wasm));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(&r, NULL, "--invoke", cases[i].name, path, cases[i].arg,
		    NULL);
		if (cases[i].err[0]) {
			snprintf(want, sizeof(want), "mini-wasm: trap: %s\n",
				 cases[i].err);
			assert_int_equal(r.exit_code, 134);
			assert_string_equal(r.err, want);
		} else {
			assert_int_equal(r.exit_code, 0);
		}
		assert_string_equal(r.out, cases[i].out);
		testing__run_free(&r);
	}
	testing__rmtree(dir);
}

/* memory 1 page, --max-pages 2: growing by 1 returns the old size 1,
 * growing by 2 would make 3 pages and returns -1 */
static void test_max_pages_caps_memory_grow(void **state)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct test_run r;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/m.wasm", dir);
	write_bytes(path, grow_wasm, sizeof(grow_wasm));
	run(&r, NULL, "--max-pages", "2", "--invoke", "grow", path, "1", NULL);
	assert_string_equal(r.out, "i32:1\n");
	testing__run_free(&r);
	run(&r, NULL, "--max-pages", "2", "--invoke", "grow", path, "2", NULL);
	assert_string_equal(r.out, "i32:-1\n");
	testing__run_free(&r);
	run(&r, NULL, "--invoke", "grow", path, "2", NULL);
	assert_string_equal(r.out, "i32:1\n");
	testing__run_free(&r);
	testing__rmtree(dir);
}

/* --- C programs: natively and under mini-wasm, the same output --- */

static void prog_paths(const char *name, char *native, char *wasm, size_t n)
{
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/mini-wasm/programs/native/%s",
		 testing__build_dir(), name);
	if (!realpath(rel, native))
		snprintf(native, n, "%s", rel);
	snprintf(rel, sizeof(rel), "%s/mini-wasm/programs/wasm/%s.wasm",
		 testing__build_dir(), name);
	if (!realpath(rel, wasm))
		snprintf(wasm, n, "%s", rel);
}

/* Run a program natively and under mini-wasm in a fresh directory each
 * (its cwd, preopened as "."), with the same arguments, environment and
 * stdin; compare stdout and the exit status.  Returns the status. */
static int compare_program(const char *name, const char *stdin_text,
			   char *const *args, int nargs)
{
	char native[PATH_MAX], wasm[PATH_MAX], dir[PATH_MAX], cwd[PATH_MAX];
	char in_dir[PATH_MAX], in_path[PATH_MAX + 16], dirarg[PATH_MAX + 8];
	char *argv[32];
	struct test_run rn, rw;
	int n = 0, status;

	prog_paths(name, native, wasm, sizeof(native));
	if (access(wasm, R_OK) < 0)
		return -1;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(testing__tmpdir(in_dir, sizeof(in_dir)), 0);
	snprintf(in_path, sizeof(in_path), "%s/stdin", in_dir);
	write_bytes(in_path, stdin_text, strlen(stdin_text));
	/* native */
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	argv[n++] = native;
	for (int i = 0; i < nargs; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(testing__run(argv, in_path, 120, &rn), 0);
	assert_int_equal(chdir(cwd), 0);
	testing__rmtree(dir);
	/* wasm, in a fresh directory of the same shape */
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(dirarg, sizeof(dirarg), "%s::.", dir);
	n = 0;
	argv[n++] = mini_wasm;
	argv[n++] = "--dir";
	argv[n++] = dirarg;
	argv[n++] = "--env";
	argv[n++] = "GREETING=hello, world";
	argv[n++] = "--env";
	argv[n++] = "EMPTY=";
	argv[n++] = wasm;
	for (int i = 0; i < nargs; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	assert_int_equal(testing__run(argv, in_path, 120, &rw), 0);
	testing__rmtree(dir);
	testing__rmtree(in_dir);
	if (strcmp(rn.out, rw.out) != 0 || rn.exit_code != rw.exit_code)
		print_message("native (%d):\n%s\nwasm (%d):\n%s%s\n",
			      rn.exit_code, rn.out, rw.exit_code, rw.out,
			      rw.err);
	assert_string_equal(rw.out, rn.out);
	assert_int_equal(rw.exit_code, rn.exit_code);
	status = rw.exit_code;
	testing__run_free(&rn);
	testing__run_free(&rw);
	return status;
}

#define NEED_WASM(rc)                                                     \
	do {                                                              \
		if ((rc) < 0)                                             \
			TEST_SKIP("the wasm32-wasi programs are not built " \
				  "(clang-14, lld-14, wasi-libc)");       \
	} while (0)

/* the status is the last argument: 42 */
static void test_program_args_env_exit_code_match_native(void **state)
{
	char *args[] = { "one", "two words", "", "42" };

	(void)state;
	setenv("GREETING", "hello, world", 1);
	setenv("EMPTY", "", 1);
	unsetenv("MISSING");
	int rc = compare_program("args_env", "", args, 4);
	NEED_WASM(rc);
	assert_int_equal(rc, 42);
}

static void test_program_stdio_files_readdir_match_native(void **state)
{
	(void)state;
	NEED_WASM(compare_program("stdio_files",
				  "one two\nthree\n\n  four  five six\n",
				  NULL, 0));
}

static void test_program_malloc_free_printf_floats_match_native(void **state)
{
	(void)state;
	NEED_WASM(compare_program("heap_floats", "", NULL, 0));
}

static void test_program_qsort_deep_recursion_match_native(void **state)
{
	(void)state;
	NEED_WASM(compare_program("qsort_recursion", "", NULL, 0));
}

/* "..", absolute paths and a symlink to /etc are refused (ENOTCAPABLE;
 * an absolute path never leaves wasi-libc, which says ENOENT, so the raw
 * path_open shows the host's own refusal); inside.txt opens */
static void test_wasi_sandbox_refuses_escapes(void **state)
{
	char native[PATH_MAX], wasm[PATH_MAX], dir[PATH_MAX];
	char box[PATH_MAX + 8], file[PATH_MAX + 32], dirarg[PATH_MAX + 16];
	struct test_run r;

	(void)state;
	prog_paths("sandbox", native, wasm, sizeof(native));
	if (access(wasm, R_OK) < 0)
		TEST_SKIP("the wasm32-wasi programs are not built");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(box, sizeof(box), "%s/box", dir);
	assert_int_equal(mkdir(box, 0755), 0);
	snprintf(file, sizeof(file), "%s/sub", box);
	assert_int_equal(mkdir(file, 0755), 0);
	snprintf(file, sizeof(file), "%s/inside.txt", box);
	write_bytes(file, "in\n", 3);
	snprintf(file, sizeof(file), "%s/outside.txt", dir);
	write_bytes(file, "out\n", 4);
	snprintf(file, sizeof(file), "%s/escape", box);
	assert_int_equal(symlink("/etc", file), 0);
	snprintf(dirarg, sizeof(dirarg), "%s::.", box);
	run(&r, NULL, "--dir", dirarg, wasm, NULL);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out,
			    "inside.txt: opened\n"
			    "../outside.txt: refused (ENOTCAPABLE)\n"
			    "sub/../../outside.txt: refused (ENOTCAPABLE)\n"
			    "/etc/passwd: refused (No such file or directory)\n"
			    "escape: refused (ENOTCAPABLE)\n"
			    "escape/passwd: refused (ENOTCAPABLE)\n"
			    "raw inside.txt: opened\n"
			    "raw /etc/passwd: refused (ENOTCAPABLE)\n"
			    "raw ../outside.txt: refused (ENOTCAPABLE)\n"
			    "raw escape/passwd: refused (ENOTCAPABLE)\n");
	testing__run_free(&r);
	testing__rmtree(dir);
}

/* --- robustness: in-process, so thousands of variants stay fast --- */

/* Decode, validate and instantiate (no run): 0 valid, 1 rejected. */
static int load_variant(const uint8_t *bytes, size_t len)
{
	struct isolab_err e;
	struct module *m = module__decode(bytes, len, &e);
	struct store *s;
	struct linker l = { 0 };
	struct exec *ex;
	struct wasi *w;
	struct instance *in;
	char *argv[] = { "m" };
	int rc = 1;

	if (!m)
		return 1;
	m->fuel = true; /* a start function runs under fuel below */
	if (module__validate(m, &e) < 0) {
		module__destroy(m);
		return 1;
	}
	s = store__create(256);
	ex = exec__create(s, 1 << 16, 1000);
	ex->fuel_on = true;
	ex->fuel = 100000;
	w = wasi__create(1, argv, 0, NULL, 0, NULL, &e);
	assert_int_equal(wasi__define(w, s, &l, m), 0);
	/* a start function is not part of a wasi-libc program: instantiation
	 * may run one from a flipped byte, bounded by fuel */
	if (instance__create(s, &l, m, ex, &in, &e) == 0)
		rc = 0;
	wasi__destroy(w);
	exec__destroy(ex);
	linker__free(&l);
	store__destroy(s);
	module__destroy(m);
	return rc;
}

static uint8_t *read_workload(size_t *len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/mini-wasm/programs/wasm/args_env.wasm",
		 testing__build_dir());
	return (uint8_t *)testing__slurp(path, len);
}

/* The prefixes of a module that are modules themselves: the bare header
 * (an empty module), those ending at a section boundary before the
 * function section (types and imports alone make a module), and those
 * ending at a boundary at or after the end of the code section (data and
 * custom sections may be left out).  Walks the section headers. */
static size_t valid_prefixes(const uint8_t *b, size_t len)
{
	size_t p = 8, code_end = len, func_start = len, n = 1, ends[64];
	size_t nends = 0;

	while (p < len && nends < 64) {
		uint8_t id = b[p];
		if (id == 3)
			func_start = p;
		p++;
		uint64_t size = 0;
		unsigned shift = 0;
		while (p < len) {
			size |= (uint64_t)(b[p] & 0x7F) << shift;
			shift += 7;
			if (!(b[p++] & 0x80))
				break;
		}
		p += size;
		if (id == 10)
			code_end = p;
		ends[nends++] = p;
	}
	for (size_t i = 0; i < nends; i++)
		if ((ends[i] >= code_end || ends[i] <= func_start) &&
		    ends[i] < len)
			n++;
	return n;
}

/* Every proper prefix of args_env.wasm (clang-built) is rejected cleanly,
 * except the few that are modules themselves (valid_prefixes). */
static void test_every_truncation_rejected_cleanly(void **state)
{
	size_t len, valid = 0;
	uint8_t *bytes = read_workload(&len);

	(void)state;
	if (!bytes)
		TEST_SKIP("the wasm32-wasi programs are not built");
	assert_int_equal(load_variant(bytes, len), 0);
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		memcpy(copy, bytes, n);
		if (load_variant(copy, n) == 0)
			valid++;
		free(copy);
	}
	print_message("%zu truncations, %zu valid\n", len, valid);
	assert_int_equal(valid, valid_prefixes(bytes, len));
	free(bytes);
}

/* 3000 copies with 1-4 random bytes changed: each is rejected or loads;
 * with a fixed seed the same every run, and some of each kind. */
static void test_random_byte_flips_never_crash(void **state)
{
	size_t len, valid = 0, rejected = 0;
	uint8_t *bytes = read_workload(&len), *copy;
	uint64_t seed = 12345;

	(void)state;
	if (!bytes)
		TEST_SKIP("the wasm32-wasi programs are not built");
	copy = malloc(len);
	for (int i = 0; i < 3000; i++) {
		memcpy(copy, bytes, len);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			copy[(seed >> 16) % len] = (uint8_t)(seed >> 56);
		}
		if (load_variant(copy, len) == 0)
			valid++;
		else
			rejected++;
	}
	print_message("byte flips: %zu rejected, %zu valid\n", rejected, valid);
	assert_int_equal(valid + rejected, 3000);
	assert_true(valid > 0 && rejected > 0);
	free(copy);
	free(bytes);
}

/* libFuzzer on decode-validate-instantiate-call for 30 s: no crash, no
 * leak, no sanitizer report (exit 0). */
static void test_fuzz_smoke_30s(void **state)
{
	char fuzz[PATH_MAX], dir[PATH_MAX], corpus[PATH_MAX + 8];
	char artifacts[PATH_MAX + 32];
	char *argv[8];
	struct test_run r;

	(void)state;
	testing__path(fuzz, sizeof(fuzz), "mini-wasm", "fuzz_wasm");
	if (access(fuzz, X_OK) < 0)
		TEST_SKIP("the fuzz target is not built (needs clang's "
			  "libFuzzer)");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(corpus, sizeof(corpus), "%s", dir);
	snprintf(artifacts, sizeof(artifacts), "-artifact_prefix=%s/", dir);
	{
		static const char *const seeds[] = { "fac.0", "br_table.0",
						     "i32.0", "memory.0" };
		for (size_t i = 0; i < 4; i++) {
			char src[PATH_MAX], dst[PATH_MAX + 64];
			size_t n;
			char *b;
			snprintf(src, sizeof(src), SUITE "/core/%s.wasm",
				 seeds[i]);
			b = testing__slurp(src, &n);
			if (!b)
				continue;
			snprintf(dst, sizeof(dst), "%s/%s", dir, seeds[i]);
			write_bytes(dst, b, n);
			free(b);
		}
	}
	argv[0] = fuzz;
	argv[1] = "-max_total_time=30";
	argv[2] = "-max_len=4096";
	argv[3] = "-rss_limit_mb=4096";
	argv[4] = artifacts;
	argv[5] = corpus;
	argv[6] = NULL;
	assert_int_equal(testing__run(argv, NULL, 120, &r), 0);
	if (r.exit_code != 0)
		print_message("%s\n", r.err);
	assert_int_equal(r.exit_code, 0);
	assert_non_null(strstr(r.err, "Done"));
	testing__run_free(&r);
	testing__rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_scripts_all_assertions_pass),
		cmocka_unit_test(test_invoke_prints_each_result_typed),
		cmocka_unit_test(test_trap_prints_message_and_exits_134),
		cmocka_unit_test(test_malformed_module_exits_2_with_offset),
		cmocka_unit_test(test_invalid_module_exits_2),
		cmocka_unit_test(test_invalid_module_level_rule_has_offset),
		cmocka_unit_test(test_bad_usage_one_line_exit_1),
		cmocka_unit_test(test_fuel_traps_runaway_loop),
		cmocka_unit_test(test_fuel_counts_every_instruction),
		cmocka_unit_test(test_unbounded_recursion_traps_exhausted),
		cmocka_unit_test(test_direct_call_zeroes_locals_and_traps_exhausted),
		cmocka_unit_test(test_trap_names_function_after_any_call),
		cmocka_unit_test(test_recursion_with_large_frame_traps_exhausted),
		cmocka_unit_test(test_tall_frame_without_locals_traps_exhausted),
		cmocka_unit_test(test_max_pages_caps_memory_grow),
		cmocka_unit_test(test_program_args_env_exit_code_match_native),
		cmocka_unit_test(test_program_stdio_files_readdir_match_native),
		cmocka_unit_test(
			test_program_malloc_free_printf_floats_match_native),
		cmocka_unit_test(test_program_qsort_deep_recursion_match_native),
		cmocka_unit_test(test_wasi_sandbox_refuses_escapes),
		cmocka_unit_test(test_every_truncation_rejected_cleanly),
		cmocka_unit_test(test_random_byte_flips_never_crash),
		cmocka_unit_test(test_fuzz_smoke_30s),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
