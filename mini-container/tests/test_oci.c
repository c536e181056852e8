/*
 * test_oci.c - OCI bundles and bad input: a `crun spec` bundle gives the
 * same view under mini-container and crun; malformed config.json, seccomp
 * profiles and options give one line naming the file and field, status
 * 125 (126 or 127 for a command that cannot run), and leave nothing
 * behind.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "testing.h"
#include "tests.h"

/* A fresh `crun spec` bundle in tmp/NAME, its root.path the shared
 * rootfs, process.args argv0 argv1, terminal off.  Returns the parsed
 * config (the caller may change it and bundle_write it). */
static json_t *bundle_make(const char *name, char *dir, size_t len,
			   const char *arg0, const char *arg1)
{
	char cmd[4600], *argv[] = {"/bin/sh", "-c", cmd, NULL}, cfg[4400];
	struct test_run r;
	json_error_t je;
	json_t *j, *proc;

	snprintf(dir, len, "%s/%s", tests__tmp(), name);
	snprintf(cmd, sizeof(cmd),
		 "rm -rf %s && mkdir %s && cd %s && crun spec", dir, dir, dir);
	assert_int_equal(testing__run(argv, NULL, 30, &r), 0);
	assert_int_equal(r.exit_code, 0);
	testing__run_free(&r);
	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	j = json_load_file(cfg, 0, &je);
	assert_non_null(j);
	proc = json_object_get(j, "process");
	json_object_set_new(proc, "terminal", json_false());
	json_object_set_new(proc, "args", json_pack("[s,s]", arg0, arg1));
	json_object_set_new(json_object_get(j, "root"), "path",
			    json_string(tests__rootfs()));
	return j;
}

static void bundle_write(json_t *j, const char *dir)
{
	char cfg[4400];

	snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
	assert_int_equal(json_dump_file(j, cfg, JSON_INDENT(1)), 0);
}

static void mc_run(struct test_run *r, char **args)
{
	char *argv[32];
	int n = 0;

	argv[n++] = (char *)tests__mc();
	while (n < 31 && args[n - 1]) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	assert_int_equal(testing__run(argv, NULL, 60, r), 0);
}

/* Sort the lines of s in place (qsort of line pointers, rejoined). */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sorted_lines(const char *s)
{
	char *copy = strdup(s), *lines[256], *save = NULL, *l, *out;
	size_t n = 0, len = strlen(s) + 2;

	for (l = strtok_r(copy, "\n", &save); l && n < 256;
	     l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	qsort(lines, n, sizeof(lines[0]), cmp_str);
	out = calloc(1, len);
	for (size_t i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	free(copy);
	return out;
}

/* The same `crun spec` bundle, with mc-probe view as its process, prints
 * the same pid, hostname, uid, capabilities, no_new_privs, seccomp mode
 * and mount table (as a set) under mini-container and under crun.  crun
 * runs in a private mount namespace with a tmpfs over the empty cgroup2
 * of a hybrid machine, without which it refuses to start ("cgroups in
 * hybrid mode not supported"). */
static void test_oci_crun_spec_bundle_same_view_as_crun(void **state)
{
	char dir[4300], cmd[4800], *a, *b;
	char *crun[] = {"/bin/sh", "-c", cmd, NULL};
	struct test_run mr, cr;
	json_t *j;

	(void)state;
	NEED_ROOTFS();
	if (access("/usr/bin/crun", X_OK) < 0)
		TEST_SKIP("crun is not installed (apt-get install crun)");
	j = bundle_make("crun-bundle", dir, sizeof(dir), "mc-probe", "view");
	bundle_write(j, dir);
	json_decref(j);
	mc_run(&mr, (char *[]){"run", "--quiet", "--bundle", dir, NULL});
	assert_int_equal(mr.exit_code, 0);
	snprintf(cmd, sizeof(cmd),
		 "exec unshare -m sh -c 'mount --make-rprivate / && "
		 "{ ! mountpoint -q /sys/fs/cgroup/unified || "
		 "mount -t tmpfs tmpfs /sys/fs/cgroup/unified; } && "
		 "exec crun run --bundle %s isolab-test-crun-%d'",
		 dir, (int)getpid());
	assert_int_equal(testing__run(crun, NULL, 60, &cr), 0);
	if (cr.exit_code != 0)
		print_message("crun: %s", cr.err);
	assert_int_equal(cr.exit_code, 0);
	a = sorted_lines(mr.out);
	b = sorted_lines(cr.out);
	assert_string_equal(a, b);
	assert_non_null(strstr(a, "pid=1 ppid=0 hostname=crun uid=0"));
	free(a);
	free(b);
	testing__run_free(&mr);
	testing__run_free(&cr);
}

/* One malformed bundle: the change to make, and the line expected after
 * "mini-container: DIR/config.json: ". */
struct bad_bundle {
	const char *what;
	const char *json_path; /* "linux.resources" style, NULL: replace file */
	const char *key;
	const char *value; /* JSON text */
	const char *expect;
};

static void set_path(json_t *root, const char *path, const char *key, json_t *v)
{
	char buf[128], *save = NULL, *p;
	json_t *o = root;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, ".", &save); p; p = strtok_r(NULL, ".", &save)) {
		json_t *next = json_object_get(o, p);

		if (!next) {
			next = json_object();
			json_object_set_new(o, p, next);
		}
		o = next;
	}
	json_object_set_new(o, key, v);
}

/* Each malformed config.json gives status 125, one line naming the file
 * and the field, and no state directory or cgroup for the name. */
static void test_oci_malformed_config_one_line_125(void **state)
{
	static const struct bad_bundle cases[] = {
		{"wrong type", "process", "args", "\"sh\"",
		 "process.args: must be a non-empty array of strings"},
		{"unknown namespace", "linux", "namespaces",
		 "[{\"type\":\"mount\"},{\"type\":\"time2\"}]",
		 "linux.namespaces: unknown namespace type \"time2\""},
		{"memory string", "linux.resources.memory", "limit", "\"12XB\"",
		 "linux.resources.memory.limit: \"12XB\" is not a size (a "
		 "number of bytes, or with K, M or G)"},
		{"seccomp action", "linux", "seccomp",
		 "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{"
		 "\"names\":"
		 "[\"mount\"],\"action\":\"SCMP_ACT_MAYBE\"}]}",
		 "linux.seccomp: syscalls[0].action: unknown action "
		 "\"SCMP_ACT_MAYBE\""},
		{"cwd", "process", "cwd", "\"relative\"",
		 "process.cwd: must be an absolute path"},
	};
	char dir[4300], expect[4800], name[64];
	struct test_run r;

	(void)state;
	NEED_ROOTFS();
	if (access("/usr/bin/crun", X_OK) < 0)
		TEST_SKIP("crun is not installed (its `crun spec` makes the "
			  "bundle)");
	snprintf(name, sizeof(name), "t-bad-%d", (int)getpid());
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *j = bundle_make("bad-bundle", dir, sizeof(dir), "true",
					"x");

		set_path(j, cases[i].json_path, cases[i].key,
			 json_loads(cases[i].value, JSON_DECODE_ANY, NULL));
		bundle_write(j, dir);
		json_decref(j);
		mc_run(&r, (char *[]){"run", "--quiet", "--name", name,
				      "--bundle", dir, NULL});
		print_message("%s: %s", cases[i].what, r.err);
		snprintf(expect, sizeof(expect),
			 "mini-container: %s/config.json: %s\n", dir,
			 cases[i].expect);
		assert_int_equal(r.exit_code, 125);
		assert_string_equal(r.err, expect);
		testing__run_free(&r);
	}
	/* A syntax error names the file, the line and the column. */
	{
		char cfg[4400];
		FILE *f;

		snprintf(cfg, sizeof(cfg), "%s/config.json", dir);
		f = fopen(cfg, "w");
		fputs("{\n  \"ociVersion\": \"1.0.0\",\n  oops\n}\n", f);
		fclose(f);
		mc_run(&r, (char *[]){"run", "--name", name, "--bundle", dir,
				      NULL});
		snprintf(expect, sizeof(expect),
			 "mini-container: %s/config.json: line 3 column ", dir);
		assert_int_equal(r.exit_code, 125);
		assert_true(strncmp(r.err, expect, strlen(expect)) == 0);
		assert_non_null(strchr(r.err, '\n'));
		assert_true(strchr(r.err, '\n')[1] == '\0');
		testing__run_free(&r);
	}
	snprintf(expect, sizeof(expect), "/run/mini-container/%s", name);
	assert_int_equal(access(expect, F_OK), -1);
}

/* Bad options and inputs of `run`: 125 and one line each; a rootfs
 * without the command 127; a file that is not executable 126. */
static void test_oci_bad_cli_input_statuses(void **state)
{
	static const struct {
		const char *arg1, *arg2;
		const char *expect;
	} cases[] = {
		{"--memory", "12XB",
		 "mini-container: --memory: \"12XB\" is not a size (a number "
		 "of bytes, or with K, M or G)\n"},
		{"--net", "bridge",
		 "mini-container: --net: \"bridge\": expected none, loopback "
		 "or host\n"},
		{"--cpus", "half",
		 "mini-container: --cpus: \"half\" is not a number of CPUs in "
		 "[0.01, 1024]\n"},
		{"--cap-add", "CAP_FLY",
		 "mini-container: --cap-add: unknown capability \"CAP_FLY\"\n"},
		{"--pids", "0",
		 "mini-container: --pids: \"0\" is not a whole number in [1, "
		 "4194304]\n"},
	};
	char prof[4400], expect[4600], noexec[4400];
	struct test_run r;
	FILE *f;

	(void)state;
	NEED_ROOTFS();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mc_run(&r,
		       (char *[]){"run", (char *)cases[i].arg1,
				  (char *)cases[i].arg2, "--rootfs",
				  (char *)tests__rootfs(), "--", "true", NULL});
		assert_int_equal(r.exit_code, 125);
		assert_string_equal(r.err, cases[i].expect);
		testing__run_free(&r);
	}
	mc_run(&r, (char *[]){"run", "--rootfs", "/nonexistent-rootfs", "--",
			      "true", NULL});
	assert_int_equal(r.exit_code, 125);
	assert_string_equal(r.err, "mini-container: /nonexistent-rootfs: "
				   "rootfs: No such file or directory\n");
	testing__run_free(&r);
	/* An invalid seccomp profile: the file and the field. */
	snprintf(prof, sizeof(prof), "%s/profile.json", tests__tmp());
	f = fopen(prof, "w");
	fputs("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": "
	      "[\"SCMP_ARCH_PDP11\"]}",
	      f);
	fclose(f);
	mc_run(&r, (char *[]){"run", "--seccomp", prof, "--rootfs",
			      (char *)tests__rootfs(), "--", "true", NULL});
	snprintf(expect, sizeof(expect),
		 "mini-container: %s: architectures[0]: unknown architecture\n",
		 prof);
	assert_int_equal(r.exit_code, 125);
	assert_string_equal(r.err, expect);
	testing__run_free(&r);
	/* 126: the file is there but not executable. */
	snprintf(noexec, sizeof(noexec), "%s/bin/not-executable",
		 tests__rootfs());
	f = fopen(noexec, "w");
	fputs("#!/bin/sh\n", f);
	fclose(f);
	chmod(noexec, 0644);
	mc_run(&r, (char *[]){"run", "--rootfs", (char *)tests__rootfs(), "--",
			      "/bin/not-executable", NULL});
	unlink(noexec);
	assert_int_equal(r.exit_code, 126);
	assert_string_equal(r.err,
			    "mini-container: /bin/not-executable: cannot "
			    "execute (exit 126): Permission denied\n");
	testing__run_free(&r);
}

/* Every leaf of j (a string, number, boolean or null inside objects and
 * arrays) in order, as a pointer to its json_t and its parent. */
struct leaf {
	json_t *parent;
	const char *key; /* in an object */
	size_t index;	 /* in an array */
};

static void leaves(json_t *j, struct leaf *out, size_t *n, size_t max)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_object(j)) {
		json_object_foreach(j, key, v)
		{
			if ((json_is_object(v) || json_is_array(v)) &&
			    json_object_size(v) + json_array_size(v) > 0)
				leaves(v, out, n, max);
			else if (*n < max)
				out[(*n)++] = (struct leaf){j, key, 0};
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
		{
			if ((json_is_object(v) || json_is_array(v)) &&
			    json_object_size(v) + json_array_size(v) > 0)
				leaves(v, out, n, max);
			else if (*n < max)
				out[(*n)++] = (struct leaf){j, NULL, i};
		}
	}
}

/* Each leaf of a `crun spec` bundle replaced in turn by null, a number, a
 * string, an array and an object (495 configs): mini-container never dies
 * of a signal, exits 0 (the mutation was harmless) or with 125-127 (never
 * 1, a sanitizer's abort status), reports no undefined behaviour, and
 * leaves no record behind. */
static void test_oci_mutated_config_never_crashes(void **state)
{
	static const char *const values[] = {"null", "-1", "\"x\"", "[]", "{}"};
	struct leaf lv[256];
	size_t n = 0, runs = 0;
	char dir[4300], name[64];
	json_t *base;

	(void)state;
	NEED_ROOTFS();
	if (access("/usr/bin/crun", X_OK) < 0)
		TEST_SKIP("crun is not installed (its `crun spec` makes the "
			  "bundle)");
	snprintf(name, sizeof(name), "t-mut-%d", (int)getpid());
	base = bundle_make("mut-bundle", dir, sizeof(dir), "true", "x");
	leaves(base, lv, &n, 256);
	assert_true(n > 40); /* crun spec has ~80 leaves */
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(values) / sizeof(values[0]);
		     k++) {
			json_t *j = json_deep_copy(base);
			struct leaf lc[256];
			struct test_run r;
			size_t m = 0;
			int code;

			/* The same leaf in the copy, found the same way. */
			leaves(j, lc, &m, 256);
			if (lc[i].key)
				json_object_set_new(lc[i].parent, lc[i].key,
						    json_loads(values[k],
							       JSON_DECODE_ANY,
							       NULL));
			else
				json_array_set_new(lc[i].parent, lc[i].index,
						   json_loads(values[k],
							      JSON_DECODE_ANY,
							      NULL));
			bundle_write(j, dir);
			json_decref(j);
			mc_run(&r, (char *[]){"run", "--quiet", "--name", name,
					      "--bundle", dir, NULL});
			code = r.exit_code;
			if (!WIFEXITED(r.status) || (code != 0 && code < 125))
				print_message(
					"leaf %zu value %s: status %d: %s", i,
					values[k], r.status, r.err);
			assert_true(WIFEXITED(r.status));
			assert_true(code == 0 || code >= 125);
			/* Under make asan: UBSan reports without exiting. */
			assert_null(strstr(r.err, "runtime error:"));
			testing__run_free(&r);
			runs++;
		}
	}
	json_decref(base);
	print_message("%zu mutated configs run\n", runs);
	snprintf(dir, sizeof(dir), "/run/mini-container/%s", name);
	assert_int_equal(access(dir, F_OK), -1);
}

int test_oci__run(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oci_crun_spec_bundle_same_view_as_crun),
		cmocka_unit_test(test_oci_malformed_config_one_line_125),
		cmocka_unit_test(test_oci_bad_cli_input_statuses),
		cmocka_unit_test(test_oci_mutated_config_never_crashes),
	};

	return cmocka_run_group_tests_name("oci", tests, NULL, NULL);
}
