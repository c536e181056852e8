/*
 * test_bench.c - Known-answer tests of the shared harness (bench/lib) and
 * black-box tests of the isobench command line.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "footprint.h"
#include "launch.h"
#include "marks.h"
#include "meta.h"
#include "pmqos.h"
#include "result.h"
#include "stats.h"
#include "testing.h"
#include "suites.h"
#include "timing.h"

#define EPS 1e-9

/* ---- statistics ---- */

static void test_stats_odd_count(void **state)
{
	/* NumPy: np.percentile([15,20,35,40,50], [5,40,50,95,99]) =
	 * [16, 29, 35, 48, 49.6] (linear interpolation, type 7). */
	const double v[] = { 40, 15, 50, 35, 20 };
	struct stats st;

	(void)state;
	assert_int_equal(stats__compute(v, 5, &st), 0);
	assert_int_equal(st.n, 5);
	assert_float_equal(st.min, 15, EPS);
	assert_float_equal(st.max, 50, EPS);
	assert_float_equal(st.median, 35, EPS);
	assert_float_equal(st.mean, 32, EPS);
	assert_float_equal(st.p5, 16, EPS);
	assert_float_equal(st.p95, 48, EPS);
	assert_float_equal(st.p99, 49.6, EPS);
	/* sum of squared deviations 17^2+12^2+3^2+8^2+18^2 = 830, /4 */
	assert_float_equal(st.stddev, sqrt(830.0 / 4), EPS);
	/* |x-35| = 5 20 15 0 15 -> sorted 0 5 15 15 20 -> MAD 15 */
	assert_float_equal(st.mad, 15, EPS);
	assert_int_equal(st.outliers, 0);
}

static void test_stats_even_count(void **state)
{
	const double v[] = { 4, 1, 3, 2 };
	struct stats st;

	(void)state;
	assert_int_equal(stats__compute(v, 4, &st), 0);
	assert_float_equal(st.median, 2.5, EPS);
	assert_float_equal(st.mean, 2.5, EPS);
	assert_float_equal(st.stddev, sqrt(5.0 / 3), EPS);
	/* |x-2.5| = 1.5 .5 .5 1.5 -> MAD 1 */
	assert_float_equal(st.mad, 1, EPS);
	/* h = 3 * 0.05 = 0.15 -> 1 + 0.15 */
	assert_float_equal(st.p5, 1.15, EPS);
	assert_float_equal(st.p95, 3.85, EPS);
}

static void test_stats_one_sample(void **state)
{
	const double v[] = { 7 };
	struct stats st;

	(void)state;
	assert_int_equal(stats__compute(v, 1, &st), 0);
	assert_float_equal(st.min, 7, EPS);
	assert_float_equal(st.max, 7, EPS);
	assert_float_equal(st.median, 7, EPS);
	assert_float_equal(st.p5, 7, EPS);
	assert_float_equal(st.p99, 7, EPS);
	assert_float_equal(st.stddev, 0, EPS);
	assert_float_equal(st.mad, 0, EPS);
	assert_int_equal(st.outliers, 0);
}

static void test_stats_identical_samples(void **state)
{
	const double v[] = { 3, 3, 3, 3, 3, 3 };
	struct stats st;

	(void)state;
	assert_int_equal(stats__compute(v, 6, &st), 0);
	assert_float_equal(st.median, 3, EPS);
	assert_float_equal(st.stddev, 0, EPS);
	assert_float_equal(st.mad, 0, EPS);
	assert_int_equal(st.outliers, 0);
}

static void test_stats_percentile_table(void **state)
{
	/* 1..10: h = 9p; hand-computed type-7 values. */
	const double s[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	const struct {
		double p, want;
	} table[] = {
		{ 0.00, 1.00 }, { 0.05, 1.45 }, { 0.10, 1.90 },
		{ 0.25, 3.25 }, { 0.50, 5.50 }, { 0.75, 7.75 },
		{ 0.90, 9.10 }, { 0.95, 9.55 }, { 0.99, 9.91 },
		{ 1.00, 10.0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		assert_float_equal(stats__percentile(s, 10, table[i].p),
				   table[i].want, EPS);
}

static void test_stats_outliers_beyond_three_mads(void **state)
{
	/* median 5.5, MAD 2.5, limit 3 * 1.4826 * 2.5 = 11.12: only 100. */
	const double v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 100 };
	/* MAD 0: every value off the median counts (11, 9 and 100). */
	const double w[] = { 10, 10, 10, 10, 11, 9, 10, 100 };
	struct stats st;

	(void)state;
	assert_int_equal(stats__compute(v, 10, &st), 0);
	assert_float_equal(st.mad, 2.5, EPS);
	assert_int_equal(st.outliers, 1);
	assert_int_equal(stats__compute(w, 8, &st), 0);
	assert_float_equal(st.mad, 0, EPS);
	assert_int_equal(st.outliers, 3);
}

static void test_mann_whitney_known_answers(void **state)
{
	/* Fully separated samples of 5: U = 0, mu = 12.5,
	 * sigma = sqrt(25 * 11 / 12) = 4.787, z = (12.5 - 0.5) / sigma =
	 * 2.507, p = erfc(z / sqrt 2) = 0.01219, as SciPy's mannwhitneyu
	 * (asymptotic, continuity correction) gives. */
	const double a[] = { 1, 2, 3, 4, 5 }, b[] = { 6, 7, 8, 9, 10 };
	const double same[] = { 4, 4, 4, 4 };
	/* Interleaved: U = 12.5 = mu, no evidence of a shift. */
	const double c[] = { 1, 3, 5, 7, 9 }, d[] = { 2, 4, 6, 8, 10 };

	(void)state;
	assert_float_equal(stats__mann_whitney_p(a, 5, b, 5), 0.01219, 1e-4);
	assert_float_equal(stats__mann_whitney_p(b, 5, a, 5), 0.01219, 1e-4);
	assert_float_equal(stats__mann_whitney_p(same, 4, same, 4), 1, EPS);
	assert_true(stats__mann_whitney_p(c, 5, d, 5) > 0.5);
	assert_float_equal(stats__mann_whitney_p(a, 0, b, 5), -1, EPS);
}

static void test_stats_empty_is_an_error(void **state)
{
	struct stats st;

	(void)state;
	assert_int_equal(stats__compute(NULL, 0, &st), -1);
}

/* ---- results as JSON ---- */

static void test_result_json_round_trip(void **state)
{
	struct isolab_err e;
	struct samples s = SAMPLES_INIT;
	const struct series_desc d = { "native", "true", "start_to_exit",
				       "ns" };
	struct series_view v;
	struct meta m;
	char dir[256], path[300], sub[300];
	const char *what, *why;
	struct result *r, *back;

	(void)state;
	meta__collect(&m);
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/sub/dir/x.json", dir);
	snprintf(sub, sizeof(sub), "%s/sub/dir", dir);
	for (int i = 1; i <= 5; i++)
		assert_int_equal(samples__push(&s, i * 1000.5), 0);
	r = result__create("x", "a test result", &m);
	assert_non_null(r);
	json_object_set_new(result__params(r), "runs", json_integer(5));
	assert_int_equal(result__add_series(r, &d, &s, &e), 0);
	assert_int_equal(result__add_skip(r, "vm", "no /dev/kvm"), 0);
	/* A missing directory is an error naming the file, not created. */
	assert_int_equal(result__write(r, path, &e), -1);
	assert_non_null(strstr(e.msg, path));
	assert_int_equal(access(sub, F_OK), -1);
	assert_int_equal(result__mkdirs(sub, &e), 0);
	assert_int_equal(result__write(r, path, &e), 0);
	result__destroy(r);

	back = result__read(path, &e);
	assert_non_null(back);
	assert_string_equal(result__name(back), "x");
	assert_int_equal(json_integer_value(json_object_get(
				 result__params(back), "runs")),
			 5);
	assert_int_equal(result__series_count(back), 1);
	assert_int_equal(result__series(back, 0, &v, &e), 0);
	assert_string_equal(v.name, "native:true:start_to_exit");
	assert_string_equal(v.desc.unit, "ns");
	assert_int_equal(v.values.n, 5);
	for (size_t i = 0; i < 5; i++)
		assert_float_equal(v.values.v[i], (double)(i + 1) * 1000.5,
				   EPS);
	assert_float_equal(v.st.median, 3001.5, EPS);
	samples__free(&v.values);
	assert_int_equal(result__skip_count(back), 1);
	assert_int_equal(result__skip(back, 0, &what, &why), 0);
	assert_string_equal(what, "vm");
	assert_string_equal(why, "no /dev/kvm");
	assert_int_equal(result__series(back, 1, &v, &e), -1);
	result__destroy(back);
	samples__free(&s);
	testing__rmtree(dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_result_read_rejects_bad_files(void **state)
{
	struct isolab_err e;
	char dir[256], path[300];

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/bad.json", dir);
	write_file(path, "{\"schema_version\": 1, ");
	assert_null(result__read(path, &e));
	assert_non_null(strstr(e.msg, path));
	write_file(path, "{\"schema_version\": 99, \"name\": \"x\", "
			 "\"meta\": {}, \"series\": [], \"skipped\": []}");
	assert_null(result__read(path, &e));
	assert_non_null(strstr(e.msg, "schema_version 99"));
	write_file(path, "{\"schema_version\": 1, \"name\": \"x\", "
			 "\"meta\": {}, \"series\": {}, \"skipped\": []}");
	assert_null(result__read(path, &e));
	assert_non_null(strstr(e.msg, "series"));
	snprintf(path, sizeof(path), "%s/missing.json", dir);
	assert_null(result__read(path, &e));
	testing__rmtree(dir);
}

/* ---- metadata ---- */

static int exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static void test_meta_matches_the_machine(void **state)
{
	struct meta m;
	const char *mode;
	json_t *j;

	(void)state;
	meta__collect(&m);
	assert_int_equal(m.cores, (int)sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(m.mem_total_kib > 0);
	assert_true(strlen(m.kernel) > 0);
	assert_string_not_equal(m.cpu_model, "");
	if (exists("/sys/module/kvm_pvm"))
		assert_string_equal(m.kvm_backend, "pvm");
	else if (!exists("/sys/module/kvm"))
		assert_string_equal(m.kvm_backend, "none");
	assert_int_equal(m.kvm_device, exists("/dev/kvm"));
	if (m.kvm_usable)
		assert_int_equal(m.kvm_api, 12); /* KVM's stable API */
	mode = m.cgroup_mode;
	assert_true(strcmp(mode, "v1") == 0 || strcmp(mode, "v2") == 0 ||
		    strcmp(mode, "hybrid") == 0 || strcmp(mode, "none") == 0);
	if (exists("/sys/fs/cgroup/cgroup.controllers"))
		assert_string_equal(mode, "v2");
	assert_string_equal(m.version, ISOLAB_VERSION);
	assert_int_equal(strlen(m.date), 20); /* 2026-01-01T00:00:00Z */
	j = meta__to_json(&m);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(j, "kvm"), "backend")),
			    m.kvm_backend);
	json_decref(j);
}

/* Holding the PM QoS request makes 0 us the latency in force, which the
 * meta records; closing the descriptor drops it again. */
static void test_pmqos_hold_sets_the_latency_in_force(void **state)
{
	struct isolab_err e = { 0, "" };
	int64_t before;
	struct meta m;
	int fd;

	(void)state;
	if (access(PMQOS_DEV, F_OK) < 0)
		TEST_SKIP("%s does not exist on this kernel", PMQOS_DEV);
	if (!testing__is_root())
		TEST_SKIP("%s is root's only", PMQOS_DEV);
	before = pmqos__current_us();
	assert_true(before >= 0);
	fd = pmqos__hold(0, &e);
	assert_true(fd >= 0);
	assert_int_equal(pmqos__current_us(), 0);
	meta__collect(&m);
	assert_int_equal(m.cpu_latency_us, 0);
	close(fd);
	/* Another process (an isobench run) may hold its own request; ours
	 * is gone when the value is back to what it was. */
	assert_int_equal(pmqos__current_us(), before);
}

/* What a harness exports is what its children's meta__collect reports,
 * without running git or creating a VM; garbage in the variables is
 * ignored and the facts are probed again. */
static void test_meta_exported_to_children(void **state)
{
	struct meta m, child;

	(void)state;
	meta__collect(&m);
	snprintf(m.git_commit, sizeof(m.git_commit), "0123abcd-test");
	m.kvm_api = 77;
	meta__export(&m);
	meta__collect(&child);
	assert_string_equal(child.git_commit, "0123abcd-test");
	assert_int_equal(child.kvm_api, 77);
	assert_int_equal(child.kvm_usable, m.kvm_usable);
	setenv("ISOLAB_META_KVM", "not numbers", 1);
	meta__collect(&child);
	assert_string_not_equal(child.git_commit, "0123abcd-test");
	assert_int_not_equal(child.kvm_api, 77);
	unsetenv("ISOLAB_META_GIT");
	unsetenv("ISOLAB_META_KVM");
}

/* ---- timing and footprint ---- */

static void test_cmd_once_reports_exit_status(void **state)
{
	char *argv[] = { "/bin/sh", "-c", "exit 3", NULL };
	struct cmd_result r;
	struct isolab_err e;

	(void)state;
	assert_int_equal(timing__cmd_once(argv, NULL, &r, &e), 0);
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 3);
	assert_true(r.elapsed_ns > 0);
	assert_true(r.maxrss_kib > 0);
}

static void test_cmd_once_kills_at_timeout(void **state)
{
	char *argv[] = { "/bin/sleep", "10", NULL };
	struct cmd_opts o = { .timeout_s = 0.2 };
	struct cmd_result r;
	struct isolab_err e;

	(void)state;
	assert_int_equal(timing__cmd_once(argv, &o, &r, &e), 0);
	assert_true(WIFSIGNALED(r.status));
	assert_int_equal(WTERMSIG(r.status), SIGKILL);
	assert_true(r.elapsed_ns < 5000000000u); /* long before 10 s */
}

static void test_repeat_cmd_stops_on_failure(void **state)
{
	char *ok[] = { "/bin/true", NULL };
	char *bad[] = { "/bin/false", NULL };
	struct samples t = SAMPLES_INIT, rss = SAMPLES_INIT;
	struct isolab_err e;

	(void)state;
	assert_int_equal(timing__repeat_cmd(ok, NULL, 2, 7, &t, &rss, NULL,
					    NULL, &e),
			 0);
	assert_int_equal(t.n, 7); /* warm-ups are not kept */
	assert_int_equal(rss.n, 7);
	assert_int_equal(timing__repeat_cmd(bad, NULL, 0, 3, &t, NULL, NULL,
					    NULL, &e),
			 -1);
	assert_non_null(strstr(e.msg, "exit status 1"));
	samples__free(&t);
	samples__free(&rss);
}

/* A failing command whose stderr was discarded is run once more to say
 * why: its first non-blank stderr line ends the message. */
static void test_repeat_cmd_failure_says_why(void **state)
{
	char *bad[] = { "/bin/sh", "-c",
			"echo >&2; echo '  ' >&2; echo 'boom: no such engine' >&2; "
			"echo 'second line' >&2; exit 3",
			NULL };
	char *silent[] = { "/bin/false", NULL };
	static const struct cmd_opts quiet = { .stdout_path = "/dev/null",
					       .stderr_path = "/dev/null" };
	struct isolab_err e;

	(void)state;
	assert_int_equal(timing__repeat_cmd(bad, &quiet, 0, 2, NULL, NULL, NULL,
					    NULL, &e),
			 -1);
	assert_string_equal(e.msg,
			    "/bin/sh: exit status 3: boom: no such engine");
	/* Nothing on stderr: the status alone. */
	assert_int_equal(timing__repeat_cmd(silent, &quiet, 0, 1, NULL, NULL,
					    NULL, NULL, &e),
			 -1);
	assert_string_equal(e.msg, "/bin/false: exit status 1");
}

static int count_calls(void *arg, struct isolab_err *e)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void test_repeat_fn_counts_runs(void **state)
{
	struct samples t = SAMPLES_INIT;
	struct isolab_err e;
	int calls = 0;

	(void)state;
	assert_int_equal(timing__repeat_fn(count_calls, &calls, 3, 10, &t,
					   NULL, NULL, &e),
			 0);
	assert_int_equal(calls, 13);
	assert_int_equal(t.n, 10);
	samples__free(&t);
}

/* Linux keeps a process's peak RSS across exec, so a child forked straight
 * from a 64 MiB parent would report at least 64 MiB.  Through isolab-spawn
 * the static true reports its own few hundred KiB. */
static void test_child_peak_rss_is_not_the_parents(void **state)
{
	char path[256];
	char *argv[] = { path, NULL };
	struct cmd_result r;
	struct isolab_err e;
	size_t big = 64u << 20;
	char *mem;

	(void)state;
	assert_string_equal(launch__mode(), "isolab-spawn");
	mem = malloc(big);
	assert_non_null(mem);
	memset(mem, 1, big);
	testing__path(path, sizeof(path), "workloads/native", "true");
	assert_int_equal(timing__cmd_once(argv, NULL, &r, &e), 0);
	assert_int_equal(r.status, 0);
	assert_true(r.maxrss_kib > 0 && r.maxrss_kib < 4096);
	free(mem);
}

static void test_footprint_of_this_process(void **state)
{
	struct proc_mem m;
	struct isolab_err e;
	char *big;

	(void)state;
	assert_int_equal(footprint__proc(0, &m, &e), 0);
	assert_true(m.rss_kib > 0);
	/* Touch 8 MiB: the high-water mark must grow by about that. */
	big = malloc(8 << 20);
	assert_non_null(big);
	memset(big, 1, 8 << 20);
	struct proc_mem after;
	assert_int_equal(footprint__proc(getpid(), &after, &e), 0);
	assert_true(after.hwm_kib >= m.rss_kib + 7 * 1024);
	assert_true(after.pss_kib > 0 && after.pss_kib <= after.rss_kib);
	free(big);
	assert_int_equal(footprint__proc(999999999, &m, &e), -1);
}

static void test_footprint_of_a_cgroup_directory(void **state)
{
	char dir[256], path[300];
	int64_t cur, peak;
	struct isolab_err e;

	(void)state;
	/* A stand-in directory with v1 file names: the reader must not care
	 * where the hierarchy is mounted. */
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/memory.usage_in_bytes", dir);
	write_file(path, "1048576\n");
	assert_int_equal(footprint__cgroup(dir, &cur, &peak, &e), 0);
	assert_int_equal(cur, 1048576);
	assert_int_equal(peak, -1);
	snprintf(path, sizeof(path), "%s/memory.max_usage_in_bytes", dir);
	write_file(path, "2097152\n");
	assert_int_equal(footprint__cgroup(dir, &cur, &peak, &e), 0);
	assert_int_equal(peak, 2097152);
	testing__rmtree(dir);
	assert_int_equal(footprint__cgroup(dir, &cur, NULL, &e), -1);
	assert_non_null(strstr(e.msg, dir));
}

/* ---- milestone marks and the shared workloads ---- */

static void test_marks_are_stamped_in_order(void **state)
{
	char *argv[] = { "/bin/sh", "-c",
			 "echo 'isolab-mark: ready'; echo hello; sleep 0.5;"
			 " echo 'isolab-mark: done'; echo 'checksum 00ff'",
			 NULL };
	struct mark_run m;
	struct isolab_err e;
	char sum[32];

	(void)state;
	assert_int_equal(marks__run(argv, NULL, &m, &e), 0);
	assert_int_equal(m.nmarks, 2);
	assert_string_equal(m.name[0], "ready");
	assert_string_equal(m.name[1], "done");
	/* done comes the 0.5 s sleep after ready; stamps are taken when the
	 * reader wakes, so allow it half of that late on a loaded machine.
	 * The exit is timed by the launcher (wait4), the marks by the
	 * reader: a reader woken late may stamp done after the exit, so
	 * the two clocks' order is not asserted, only the sleep. */
	assert_true(marks__at(&m, "done") - marks__at(&m, "ready") >=
		    250000000u);
	assert_true(m.res.elapsed_ns >= 500000000u);
	/* the fork's own time, on the clock children read too */
	assert_true(m.t0_ns > 0 && m.t0_ns + m.res.elapsed_ns <=
					  timing__now_ns());
	assert_int_equal(marks__at(&m, "never"), 0);
	/* mark lines are taken out of the output, the rest is kept */
	assert_string_equal(m.out, "hello\nchecksum 00ff\n");
	assert_int_equal(marks__checksum(&m, sum, sizeof(sum)), 0);
	assert_string_equal(sum, "00ff");
	marks__free(&m);
}

static void test_marks_run_is_killed_at_timeout(void **state)
{
	char *argv[] = { "/bin/sh", "-c",
			 "echo 'isolab-mark: ready'; exec sleep 10", NULL };
	struct cmd_opts o = { .timeout_s = 0.3 };
	struct mark_run m;
	struct isolab_err e;
	char sum[32];

	(void)state;
	assert_int_equal(marks__run(argv, &o, &m, &e), 0);
	assert_true(WIFSIGNALED(m.res.status));
	assert_int_equal(m.nmarks, 1);
	assert_true(m.res.elapsed_ns < 5000000000u);
	assert_int_equal(marks__checksum(&m, sum, sizeof(sum)), -1);
	marks__free(&m);
}

/* Each native workload prints its known answer (see its source). */
static void test_native_workloads_print_known_checksums(void **state)
{
	static const struct {
		const char *name, *checksum;
	} known[] = {
		{ "fib", "00000000008cccc9" },   /* fib(35) = 9227465 */
		{ "sieve", "000000000004520a" }, /* 283146 primes < 4e6 */
		{ "syscalls", "000000000beb9af0" }, /* sum 0..19999 */
		{ "hello", "000069736f6c6162" }, /* "isolab" */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		char path[256], sum[32];
		char *argv[] = { path, NULL };
		struct cmd_opts o = { .stderr_path = "/dev/null",
				      .timeout_s = 60 };
		struct mark_run m;
		struct isolab_err e;

		testing__path(path, sizeof(path), "workloads/native",
			      known[i].name);
		assert_int_equal(marks__run(argv, &o, &m, &e), 0);
		assert_true(WIFEXITED(m.res.status));
		assert_int_equal(WEXITSTATUS(m.res.status), 0);
		assert_true(marks__at(&m, "ready") > 0);
		assert_true(marks__at(&m, "done") >= marks__at(&m, "ready"));
		assert_int_equal(marks__checksum(&m, sum, sizeof(sum)), 0);
		assert_string_equal(sum, known[i].checksum);
		marks__free(&m);
	}
}

/* ---- isobench, as a user runs it ---- */

static int have_gnuplot(void)
{
	return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static void test_isobench_run_writes_json_and_png(void **state)
{
	char bin[256], dir[256], path[300];
	struct test_run tr;
	struct isolab_err e;
	struct series_view v;
	struct result *r;
	unsigned char magic[8];
	FILE *f;

	(void)state;
	if (!have_gnuplot())
		TEST_SKIP("gnuplot is not installed (apt-get install gnuplot-nox)");
	testing__path(bin, sizeof(bin), "bin", "isobench");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	char *argv[] = { bin,	     "run",	    "--only",	"native",
			 "--runs",   "5",	    "--warmup", "1",
			 "--workloads", "hello,fib", "--compute-runs", "2",
			 "--out",    dir,	    NULL };
	assert_int_equal(testing__run(argv, NULL, 120, &tr), 0);
	assert_int_equal(tr.exit_code, 0);
	/* The table on stdout, progress on stderr (one line: not a tty). */
	assert_non_null(strstr(tr.out, "native"));
	assert_non_null(strstr(tr.out, "start_to_exit"));
	/* native's own step, then the shared rounds: hello and fib, each
	 * with native as its one arm */
	assert_non_null(strstr(tr.err, "[1/3] native:start 5/5\n"));
	assert_non_null(strstr(tr.err, "[3/3] fib (1 arm) 2/2\n"));
	testing__run_free(&tr);

	snprintf(path, sizeof(path), "%s/native.json", dir);
	r = result__read(path, &e);
	assert_non_null(r);
	/* true: start_to_exit, peak_rss; hello: three (no compute); fib:
	 * four */
	assert_int_equal(result__series_count(r), 9);
	assert_int_equal(result__series(r, 0, &v, &e), 0);
	assert_int_equal(v.values.n, 5);
	assert_true(v.st.min > 0);
	samples__free(&v.values);
	assert_int_equal(result__series(r, 6, &v, &e), 0);
	assert_string_equal(v.name, "native:fib:compute");
	assert_int_equal(v.values.n, 2);
	samples__free(&v.values);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(result__data(r),
						    "checksums"),
				    "fib")),
			    "00000000008cccc9");
	result__destroy(r);

	/* The comparison table: native measured, the others listed as not
	 * measured with the lecture's claim beside them. */
	snprintf(path, sizeof(path), "%s/summary.md", dir);
	char *md = testing__slurp(path, NULL);
	assert_non_null(md);
	assert_non_null(strstr(md, "| process (baseline) | native |"));
	assert_non_null(strstr(md, "| container | - | - | not measured | - | "
				   "not measured | not measured | 0.8-1 s to "
				   "start |"));
	assert_non_null(strstr(md, "## Same work everywhere"));
	free(md);

	snprintf(path, sizeof(path), "%s/native.png", dir);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 8, f), 8);
	fclose(f);
	assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", 8);
	snprintf(path, sizeof(path), "%s/start_to_exit.svg", dir);
	assert_true(exists(path));
	testing__rmtree(dir);
}

static void test_isobench_bad_options_give_one_line(void **state)
{
	char bin[256];
	struct test_run tr;
	char *bad_runs[] = { bin, "run", "--runs", "abc", NULL };
	char *bad_only[] = { bin, "run", "--only", "native,teleport", NULL };
	char *bad_cmd[] = { bin, "fly", NULL };
	char *bad_plot[] = { bin, "plot", "/nonexistent-isolab-dir", NULL };
	char **cases[] = { bad_runs, bad_only, bad_cmd, bad_plot };
	const char *want[] = { "--runs: 'abc'", "'teleport' is not an approach",
			       "'fly' is not a command",
			       "/nonexistent-isolab-dir" };

	(void)state;
	testing__path(bin, sizeof(bin), "bin", "isobench");
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(testing__run(cases[i], NULL, 30, &tr), 0);
		assert_true(tr.exit_code == 1 || tr.exit_code == 2);
		assert_non_null(strstr(tr.err, want[i]));
		/* exactly one line: the first newline is the last byte */
		assert_non_null(strchr(tr.err, '\n'));
		assert_int_equal(strchr(tr.err, '\n') - tr.err + 1,
				 strlen(tr.err));
		testing__run_free(&tr);
	}
}

static void test_isobench_plot_rejects_corrupt_result(void **state)
{
	char bin[256], dir[256], path[300];
	struct test_run tr;

	(void)state;
	testing__path(bin, sizeof(bin), "bin", "isobench");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/broken.json", dir);
	write_file(path, "[1, 2");
	char *argv[] = { bin, "plot", dir, NULL };
	assert_int_equal(testing__run(argv, NULL, 30, &tr), 0);
	assert_int_equal(tr.exit_code, 1);
	assert_non_null(strstr(tr.err, "broken.json"));
	testing__run_free(&tr);
	testing__rmtree(dir);
}

static void test_isobench_compare_a_run_with_itself(void **state)
{
	char bin[256], dir[256];
	struct test_run tr;

	(void)state;
	testing__path(bin, sizeof(bin), "bin", "isobench");
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	char *run[] = { bin,	     "run",	    "--quiet", "--runs",
			"10",	     "--workloads", "hello",   "--only",
			"native",    "--out",	    dir,       NULL };
	char *cmp[] = { bin, "compare", dir, dir, NULL };
	char *bad[] = { bin, "compare", dir, "/nonexistent-isolab-dir", NULL };

	/* The table and plots need gnuplot only for the plots. */
	assert_int_equal(testing__run(run, NULL, 120, &tr), 0);
	testing__run_free(&tr);
	assert_int_equal(testing__run(cmp, NULL, 30, &tr), 0);
	assert_int_equal(tr.exit_code, 0);
	/* identical samples: every series the same, none flagged */
	assert_non_null(strstr(tr.out, "native:true:start_to_exit"));
	assert_non_null(strstr(tr.out, "1.000x"));
	assert_null(strstr(tr.out, "HIGHER"));
	assert_null(strstr(tr.out, "LOWER"));
	assert_null(strstr(tr.out, "only in"));
	testing__run_free(&tr);
	assert_int_equal(testing__run(bad, NULL, 30, &tr), 0);
	assert_int_equal(tr.exit_code, 1);
	assert_non_null(strstr(tr.err, "/nonexistent-isolab-dir"));
	testing__run_free(&tr);
	testing__rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stats_odd_count),
		cmocka_unit_test(test_stats_even_count),
		cmocka_unit_test(test_stats_one_sample),
		cmocka_unit_test(test_stats_identical_samples),
		cmocka_unit_test(test_stats_percentile_table),
		cmocka_unit_test(test_stats_outliers_beyond_three_mads),
		cmocka_unit_test(test_mann_whitney_known_answers),
		cmocka_unit_test(test_stats_empty_is_an_error),
		cmocka_unit_test(test_result_json_round_trip),
		cmocka_unit_test(test_result_read_rejects_bad_files),
		cmocka_unit_test(test_meta_matches_the_machine),
		cmocka_unit_test(test_meta_exported_to_children),
		cmocka_unit_test(test_pmqos_hold_sets_the_latency_in_force),
		cmocka_unit_test(test_cmd_once_reports_exit_status),
		cmocka_unit_test(test_cmd_once_kills_at_timeout),
		cmocka_unit_test(test_repeat_cmd_stops_on_failure),
		cmocka_unit_test(test_repeat_cmd_failure_says_why),
		cmocka_unit_test(test_repeat_fn_counts_runs),
		cmocka_unit_test(test_child_peak_rss_is_not_the_parents),
		cmocka_unit_test(test_footprint_of_this_process),
		cmocka_unit_test(test_footprint_of_a_cgroup_directory),
		cmocka_unit_test(test_marks_are_stamped_in_order),
		cmocka_unit_test(test_marks_run_is_killed_at_timeout),
		cmocka_unit_test(test_native_workloads_print_known_checksums),
		cmocka_unit_test(test_isobench_run_writes_json_and_png),
		cmocka_unit_test(test_isobench_bad_options_give_one_line),
		cmocka_unit_test(test_isobench_plot_rejects_corrupt_result),
		cmocka_unit_test(test_isobench_compare_a_run_with_itself),
	};

	const struct bench_suite *more[] = { &bench_suite_peers,
					     &bench_suite_filecache,
					     &bench_suite_run };
	size_t n = sizeof(tests) / sizeof(tests[0]), k = n;
	struct CMUnitTest *all;
	int failed;

	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		n += more[i]->n;
	all = malloc(n * sizeof(*all));
	if (!all) {
		fprintf(stderr, "test_bench: out of memory\n");
		return 1;
	}
	memcpy(all, tests, sizeof(tests));
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		for (size_t j = 0; j < more[i]->n; j++)
			all[k++] = more[i]->tests[j];
	failed = _cmocka_run_group_tests("bench", all, n, NULL, NULL);
	free(all);
	return failed;
}
