/*
 * test_filecache.c - The trusted cache files of bench/lib/filecache.c,
 * which mini-container's seccomp cache and mini-vmm's CPUID cache share:
 * what is trusted, what is a miss, and that a write is whole or absent.
 */
#define _GNU_SOURCE
#include "suites.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filecache.h"
#include "testing.h"

/* A cache directory "DIR/c", made by filecache__open_dir, opened. */
static int fc_dir(char *tmp, size_t len, char *dir, size_t dlen)
{
	int dfd;

	assert_int_equal(testing__tmpdir(tmp, len), 0);
	snprintf(dir, dlen, "%s/c", tmp);
	dfd = filecache__open_dir(dir, true);
	assert_true(dfd >= 0);
	return dfd;
}

static void test_filecache_write_then_read_whole(void **state)
{
	char tmp[256], dir[300], p[400];
	struct isolab_err e;
	struct stat st;
	size_t len;
	void *buf;
	int dfd;

	(void)state;
	dfd = fc_dir(tmp, sizeof(tmp), dir, sizeof(dir));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(filecache__read(dfd, "f", 0, 100, &buf, &len), 0);
	assert_int_equal(filecache__write(dfd, dir, "f", "head", 4, "tail!", 5,
					  &e),
			 0);
	snprintf(p, sizeof(p), "%s/f", dir);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(filecache__read(dfd, "f", 9, 9, &buf, &len), 1);
	assert_int_equal(len, 9);
	assert_memory_equal(buf, "headtail!", 9);
	free(buf);
	/* Outside the size bounds: a miss, not a short or long read. */
	assert_int_equal(filecache__read(dfd, "f", 10, 100, &buf, &len), 0);
	assert_null(buf);
	assert_int_equal(filecache__read(dfd, "f", 0, 8, &buf, &len), 0);
	/* Rewritten atomically, and no temporary file is left behind. */
	assert_int_equal(filecache__write(dfd, dir, "f", "x", 1, NULL, 0, &e),
			 0);
	assert_int_equal(filecache__read(dfd, "f", 0, 100, &buf, &len), 1);
	assert_int_equal(len, 1);
	free(buf);
	snprintf(p, sizeof(p), "%s/.f.%d.tmp", dir, (int)getpid());
	assert_int_equal(access(p, F_OK), -1);
	close(dfd);
	testing__rmtree(tmp);
}

static void test_filecache_untrusted_is_a_miss(void **state)
{
	char tmp[256], dir[300], p[400], q[400];
	struct isolab_err e;
	size_t len;
	void *buf;
	int dfd;

	(void)state;
	dfd = fc_dir(tmp, sizeof(tmp), dir, sizeof(dir));
	assert_int_equal(filecache__write(dfd, dir, "f", "data", 4, NULL, 0,
					  &e),
			 0);
	snprintf(p, sizeof(p), "%s/f", dir);
	/* A file others may write. */
	assert_int_equal(chmod(p, 0646), 0);
	assert_int_equal(filecache__read(dfd, "f", 0, 100, &buf, &len), 0);
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(filecache__read(dfd, "f", 0, 100, &buf, &len), 1);
	free(buf);
	/* A symbolic link in place of a file, and a FIFO (must not block). */
	snprintf(q, sizeof(q), "%s/link", dir);
	assert_int_equal(symlink(p, q), 0);
	assert_int_equal(filecache__read(dfd, "link", 0, 100, &buf, &len), 0);
	snprintf(q, sizeof(q), "%s/fifo", dir);
	assert_int_equal(mkfifo(q, 0600), 0);
	assert_int_equal(filecache__read(dfd, "fifo", 0, 100, &buf, &len), 0);
	close(dfd);
	/* A directory others may write, and a symbolic link to one. */
	assert_int_equal(chmod(dir, 0777), 0);
	errno = 0;
	assert_int_equal(filecache__open_dir(dir, false), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(chmod(dir, 0700), 0);
	snprintf(q, sizeof(q), "%s/dirlink", tmp);
	assert_int_equal(symlink(dir, q), 0);
	assert_int_equal(filecache__open_dir(q, false), -1);
	dfd = filecache__open_dir(dir, false);
	assert_true(dfd >= 0);
	close(dfd);
	testing__rmtree(tmp);
}

static const struct CMUnitTest filecache_tests[] = {
	cmocka_unit_test(test_filecache_write_then_read_whole),
	cmocka_unit_test(test_filecache_untrusted_is_a_miss),
};

const struct bench_suite bench_suite_filecache = {
	filecache_tests, sizeof(filecache_tests) / sizeof(filecache_tests[0])};
