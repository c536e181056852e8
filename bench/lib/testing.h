/*
 * testing.h - Helpers shared by isolab's cmocka test binaries: run a built
 * program and capture what it printed, find the build tree, skip a test
 * with a reason.
 *
 * Tests run from the source root with ISOLAB_BUILD naming the build tree
 * (scripts/run-tests.sh sets it; default "build"), so the same tests check
 * the gcc, clang and sanitizer builds.
 */
#ifndef ISOLAB_TESTING_H
#define ISOLAB_TESTING_H

#include <stdbool.h>
#include <stddef.h>

/* cmocka 1.1's skip() takes no reason: print it first, so the log says why.
 * Use inside a test function (cmocka.h must be included before). */
#define TEST_SKIP(...)                                              \
	do {                                                        \
		print_message("[  REASON  ] " __VA_ARGS__);         \
		print_message("\n");                                \
		skip();                                             \
	} while (0)

/* What a command printed and how it ended. */
struct test_run {
	int status;    /* raw wait status */
	int exit_code; /* WEXITSTATUS, or 128 + signal when killed */
	char *out;     /* stdout, NUL-terminated (owned) */
	char *err;     /* stderr, NUL-terminated (owned) */
};

/* The build tree: $ISOLAB_BUILD or "build". */
const char *testing__build_dir(void);

/* "<build>/<sub>/<name>" in buf; returns buf. */
char *testing__path(char *buf, size_t len, const char *sub, const char *name);

/* Run argv (a path) with stdin from stdin_path (NULL: /dev/null), killed
 * after timeout_s.  Returns 0 with r filled, or -1 if it could not run. */
int testing__run(char *const argv[], const char *stdin_path, double timeout_s,
		 struct test_run *r);
void testing__run_free(struct test_run *r);

/* A new empty directory under $TMPDIR or /tmp (buf holds its path), and
 * its recursive removal.  Return 0 or -1. */
int testing__tmpdir(char *buf, size_t len);
int testing__rmtree(const char *dir);

/* Whole file into a NUL-terminated buffer (owned), or NULL. */
char *testing__slurp(const char *path, size_t *len);

bool testing__is_root(void);

#endif
