/*
 * test_run.c - Tests of `isobench run` as a whole: the interleaved rounds
 * (bench/lib/interleave.c, used by the shared workloads), one run of
 * several approaches, and the quick run of `make bench QUICK=1`.  Part of
 * test_bench (suites.h).
 */
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interleave.h"
#include "result.h"
#include "testing.h"

/* A shuffle is a permutation, differs between rounds, and repeats with
 * the same seed. */
static void test_shuffle_is_a_seeded_permutation(void **state)
{
	size_t a[10], b[10], c[10];
	uint64_t s1 = 7, s2 = 7;
	int differ = 0;

	(void)state;
	interleave__shuffle(a, 10, &s1);
	interleave__shuffle(c, 10, &s2);
	assert_memory_equal(a, c, sizeof(a)); /* same seed, same order */
	interleave__shuffle(b, 10, &s1);
	for (size_t k = 0; k < 10; k++) {
		int seen = 0;

		for (size_t j = 0; j < 10; j++)
			seen += a[j] == k;
		assert_int_equal(seen, 1); /* every arm exactly once */
		differ |= a[k] != b[k];
	}
	assert_true(differ); /* the next round has another order */
}

/* What the rounds did, call by call. */
struct log {
	int calls;
	size_t arm[64];
	int round[64];
	size_t dropped;
	char why[600];
	int ticks;
};

static int log_run(void *arg, size_t arm, int round, struct isolab_err *e)
{
	struct log *l = arg;

	l->arm[l->calls] = arm;
	l->round[l->calls++] = round;
	if (arm == 2 && round == 1)
		return err__set(e, 0, "arm 2 fails in round 1");
	return 0;
}

static void log_dropped(void *arg, size_t arm, const struct isolab_err *e)
{
	struct log *l = arg;

	l->dropped = arm;
	snprintf(l->why, sizeof(l->why), "%s", e->msg);
}

static void log_tick(void *arg, int round, int rounds)
{
	struct log *l = arg;

	(void)round;
	(void)rounds;
	l->ticks++;
}

/* 3 arms, 1 warm-up and 4 measured rounds: each round runs every arm
 * still in exactly once before the next round starts (so drift hits them
 * alike); arm 2 fails in round 1 and is left out afterwards. */
static void test_rounds_run_each_arm_once_per_round(void **state)
{
	struct log l = { 0 };
	int in;

	(void)state;
	in = interleave__rounds(3, 1, 4, 42, log_run, log_dropped, log_tick,
				&l);
	assert_int_equal(in, 2);
	/* rounds -1, 0, 1: 3 calls each; rounds 2, 3: 2 each */
	assert_int_equal(l.calls, 3 * 3 + 2 * 2);
	assert_int_equal(l.ticks, 5);
	assert_int_equal(l.dropped, 2);
	assert_string_equal(l.why, "arm 2 fails in round 1");
	for (int c = 0, round = -1; round < 4; round++) {
		int n = round <= 1 ? 3 : 2, seen[3] = { 0 };

		for (int k = 0; k < n; k++, c++) {
			assert_int_equal(l.round[c], round);
			seen[l.arm[c]]++;
		}
		assert_int_equal(seen[0], 1);
		assert_int_equal(seen[1], 1);
		assert_int_equal(seen[2], round <= 1 ? 1 : 0);
	}
	/* out of range: more arms than the limit */
	assert_int_equal(interleave__rounds(INTERLEAVE_MAX_ARMS + 1, 0, 1, 1,
					    log_run, NULL, NULL, &l),
			 -1);
}

static json_t *load(const char *dir, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return json_load_file(path, 0, NULL);
}

/* native and wasm in one run: the shared workloads go to each approach's
 * own result, and wasm's slowdown is read against native's series in
 * native.json, measured in the same rounds. */
static void test_run_shares_rounds_across_approaches(void **state)
{
	char bin[512], dir[256], wasm[512];
	struct test_run tr;
	json_t *nat, *was, *sd;
	char *series;
	double ratio;

	(void)state;
	testing__path(bin, sizeof(bin), "bin", "isobench");
	testing__path(wasm, sizeof(wasm), "workloads/wasm", "sieve.wasm");
	if (access(wasm, R_OK) < 0)
		TEST_SKIP("the wasm32-wasi workloads are not built");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	char *argv[] = { bin,	       "run",	   "--only",	     "native,wasm",
			 "--workloads", "sieve",   "--runs",	     "3",
			 "--warmup",   "0",	   "--compute-runs", "2",
			 "--out",      dir,	   "--quiet",	     NULL };
	assert_int_equal(testing__run(argv, NULL, 300, &tr), 0);
	if (tr.exit_code != 0)
		print_message("%s", tr.err);
	assert_int_equal(tr.exit_code, 0);
	testing__run_free(&tr);
	nat = load(dir, "native.json");
	was = load(dir, "wasm.json");
	assert_non_null(nat);
	assert_non_null(was);
	/* the same checksum from both, each in its own result */
	assert_string_equal(
		json_string_value(json_object_get(
			json_object_get(json_object_get(nat, "data"),
					"checksums"),
			"sieve")),
		json_string_value(json_object_get(
			json_object_get(json_object_get(was, "data"),
					"checksums"),
			"sieve")));
	/* native's sieve is not duplicated into wasm.json when native runs */
	series = json_dumps(json_object_get(was, "series"), 0);
	assert_non_null(series);
	assert_null(strstr(series, "\"native:sieve:compute\""));
	free(series);
	sd = json_object_get(json_object_get(json_object_get(was, "data"),
					     "slowdown"),
			     "sieve");
	assert_non_null(sd);
	ratio = json_real_value(json_object_get(sd, "wasm"));
	/* an interpreter is slower than native code: between 1x and 1000x */
	assert_true(ratio > 1 && ratio < 1000);
	json_decref(nat);
	json_decref(was);
	testing__rmtree(dir);
}

/* `make bench QUICK=1` as a reader runs it, into a scratch directory:
 * every approach writes its result (measured, or skipped with the reason,
 * which summary.md repeats), the comparison table and the plots are there,
 * and every approach printed native's checksums.  The time it took is
 * printed (a benchmark figure, not a pass condition). */
static void test_make_bench_quick(void **state)
{
	static const char *const names[] = { "native", "container", "vm",
					     "qemu",   "wasm",	    "paging",
					     "sched" };
	char dir[256], out[300], buildarg[600], path[600];
	char opt[300], san[300];
	const char *o = getenv("ISOLAB_OPT"), *sa = getenv("ISOLAB_SAN");
	struct test_run tr;
	struct timespec t0, t1;
	char *md;

	(void)state;
	if (access("Makefile", R_OK) < 0 || access("bench/bench.mk", R_OK) < 0)
		TEST_SKIP("run from the repository root (make test does)");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(out, sizeof(out), "OUT=%s/r", dir);
	snprintf(buildarg, sizeof(buildarg), "BUILD=%s",
		 testing__build_dir());
	/* Under make asan, the build step of make bench must use the
	 * sanitized tree's own flags, or it would relink it without them. */
	snprintf(opt, sizeof(opt), "OPT=%s", o ? o : "");
	snprintf(san, sizeof(san), "SAN=%s", sa ? sa : "");
	char *argv[] = { "/usr/bin/make", "--no-print-directory", "bench",
			 "QUICK=1", out, buildarg,
			 o && sa ? opt : NULL, san, NULL };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(testing__run(argv, NULL, 900, &tr), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("[  INFO    ] make bench QUICK=1 took %.1f s\n",
		      (double)(t1.tv_sec - t0.tv_sec) +
			      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (tr.exit_code != 0) { /* its end says why (apt's output first) */
		size_t n = strlen(tr.err);

		print_message("%s\n", tr.err + (n > 3000 ? n - 3000 : 0));
	}
	assert_int_equal(tr.exit_code, 0);
	testing__run_free(&tr);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char file[64];
		json_t *j;
		size_t nseries, nskip;

		snprintf(file, sizeof(file), "%s.json", names[i]);
		j = load(out + 4, file);
		if (!j)
			fail_msg("%s: no %s", out + 4, file);
		nseries = json_array_size(json_object_get(j, "series"));
		nskip = json_array_size(json_object_get(j, "skipped"));
		/* measured, or skipped with a reason: never silently empty */
		if (nseries == 0 && nskip == 0)
			fail_msg("%s: neither series nor a skip note", file);
		assert_true(json_is_true(
			json_object_get(json_object_get(j, "params"), "quick")));
		json_decref(j);
	}
	snprintf(path, sizeof(path), "%s/summary.md", out + 4);
	md = testing__slurp(path, NULL);
	assert_non_null(md);
	assert_non_null(strstr(md, "| process (baseline) | native |"));
	assert_non_null(strstr(md, "## Same work everywhere"));
	assert_null(strstr(md, "did not compute the"));
	free(md);
	snprintf(path, sizeof(path), "%s/native.png", out + 4);
	assert_int_equal(access(path, R_OK), 0);
	testing__rmtree(dir);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_shuffle_is_a_seeded_permutation),
	cmocka_unit_test(test_rounds_run_each_arm_once_per_round),
	cmocka_unit_test(test_run_shares_rounds_across_approaches),
	cmocka_unit_test(test_make_bench_quick),
};

const struct bench_suite bench_suite_run = {
	tests, sizeof(tests) / sizeof(tests[0])
};
