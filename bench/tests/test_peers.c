/*
 * test_peers.c - Tests of the plumbing isobench needs for its peers
 * (bench/src/qemu.c, ...).  Part of test_bench (suites.h).
 *
 * The cpio writer (bench/lib/cpio.c) is checked twice: byte for byte
 * against the newc format on a one-file archive, and by a real reader,
 * busybox cpio, which must get back every name, mode and byte.
 */
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpio.h"
#include "testing.h"

#define BUSYBOX "/bin/busybox"

/* A file "a" holding "hi", as the kernel's buffer-format.rst spells it:
 * 110-byte header, "a\0" (112 bytes, already aligned), "hi" and 2 bytes of
 * padding, then the trailer: header, "TRAILER!!!\0" (121) and 3 bytes of
 * padding.  240 bytes in all. */
static void test_cpio_one_file_is_newc_byte_for_byte(void **state)
{
	static const char want[] =
		"070701" "00000001" "000081A4" "00000000" "00000000"
		"00000001" "00000000" "00000002" "00000000" "00000000"
		"00000000" "00000000" "00000002" "00000000"
		"a\0" "hi\0\0"
		"070701" "00000000" "00000000" "00000000" "00000000"
		"00000001" "00000000" "00000000" "00000000" "00000000"
		"00000000" "00000000" "0000000B" "00000000"
		"TRAILER!!!\0" "\0\0\0";
	char dir[256], path[300];
	struct isolab_err e;
	struct cpio c;
	size_t len;
	char *got;

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	assert_int_equal(cpio__open(&c, path, &e), 0);
	assert_int_equal(cpio__add_file(&c, "a", 0644, "hi", 2, &e), 0);
	assert_int_equal(cpio__close(&c, &e), 0);
	got = testing__slurp(path, &len);
	assert_non_null(got);
	assert_int_equal(len, 240);
	assert_int_equal(sizeof(want) - 1, 240);
	assert_memory_equal(got, want, 240);
	free(got);
	testing__rmtree(dir);
}

/* What the round trip archives: a directory, a file of 13 bytes with a
 * NUL inside (not a multiple of 4: padding), an executable of 4099
 * bytes, and an empty file. */
static const char motd[13] = "hello\0world\n";

static void fill_tool(unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + 3);
}

/* Expect path's mode bits to be perm, and its bytes data[0..len). */
static void expect_file(const char *dir, const char *name, unsigned perm,
			const void *data, size_t len)
{
	char path[600];
	struct stat st;
	size_t got_len;
	char *got;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) < 0)
		fail_msg("%s: not extracted", name);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, perm);
	got = testing__slurp(path, &got_len);
	assert_non_null(got);
	assert_int_equal(got_len, len);
	if (len)
		assert_memory_equal(got, data, len);
	free(got);
}

static void test_cpio_round_trips_through_busybox(void **state)
{
	unsigned char tool[4099];
	char dir[256], arc[300], out[300], path[600];
	struct test_run r;
	struct isolab_err e;
	struct stat st;
	struct cpio c;
	mode_t old;

	(void)state;
	if (access(BUSYBOX, X_OK) < 0)
		TEST_SKIP(BUSYBOX " not found (apt-get install busybox-static)");
	fill_tool(tool, sizeof(tool));
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(arc, sizeof(arc), "%s/t.cpio", dir);
	snprintf(out, sizeof(out), "%s/x", dir);
	assert_int_equal(mkdir(out, 0755), 0);
	assert_int_equal(cpio__open(&c, arc, &e), 0);
	assert_int_equal(cpio__add_dir(&c, "etc", 0750, &e), 0);
	assert_int_equal(
		cpio__add_file(&c, "etc/motd", 0640, motd, sizeof(motd), &e),
		0);
	assert_int_equal(cpio__add_dir(&c, "bin", 0755, &e), 0);
	assert_int_equal(
		cpio__add_file(&c, "bin/tool", 0755, tool, sizeof(tool), &e),
		0);
	assert_int_equal(cpio__add_file(&c, "empty", 0600, "", 0, &e), 0);
	assert_int_equal(cpio__close(&c, &e), 0);

	/* busybox cpio extracts into its working directory; umask 0 so the
	 * modes on disk are the archive's. */
	char *argv[] = { BUSYBOX, "sh", "-c",
			 "cd \"$1\" && umask 0 && exec " BUSYBOX
			 " cpio -i -d",
			 "sh", out, NULL };
	old = umask(0);
	assert_int_equal(testing__run(argv, arc, 30, &r), 0);
	umask(old);
	if (r.exit_code != 0)
		fail_msg("busybox cpio: exit %d: %s", r.exit_code, r.err);
	testing__run_free(&r);
	snprintf(path, sizeof(path), "%s/etc", out);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0750);
	expect_file(out, "etc/motd", 0640, motd, sizeof(motd));
	expect_file(out, "bin/tool", 0755, tool, sizeof(tool));
	expect_file(out, "empty", 0600, "", 0);
	testing__rmtree(dir);
}

/* cpio__add_copy takes the host file's bytes and permission bits. */
static void test_cpio_copy_keeps_bytes_and_mode(void **state)
{
	unsigned char tool[4099];
	char dir[256], src[300], arc[300];
	struct isolab_err e;
	struct cpio c;
	FILE *f;
	size_t len;
	char *got;

	(void)state;
	fill_tool(tool, sizeof(tool));
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(src, sizeof(src), "%s/tool", dir);
	snprintf(arc, sizeof(arc), "%s/t.cpio", dir);
	f = fopen(src, "we");
	assert_non_null(f);
	assert_int_equal(fwrite(tool, 1, sizeof(tool), f), sizeof(tool));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(src, 0751), 0);
	assert_int_equal(cpio__open(&c, arc, &e), 0);
	assert_int_equal(cpio__add_copy(&c, "tool", src, &e), 0);
	assert_int_equal(cpio__close(&c, &e), 0);
	got = testing__slurp(arc, &len);
	assert_non_null(got);
	/* header: mode 0100751 = 0x81E9, size 4099 = 0x1003, namesize 5 */
	assert_memory_equal(got + 14, "000081E9", 8);
	assert_memory_equal(got + 54, "00001003", 8);
	assert_memory_equal(got + 94, "00000005", 8);
	/* 110 + 5 = 115, padded to 116: the data starts there */
	assert_memory_equal(got + 116, tool, sizeof(tool));
	free(got);
	testing__rmtree(dir);
}

/* Bad input gives -1 and one message naming it: an archive in a missing
 * directory, an absolute or ".." entry name, a mode that is not
 * permission bits, a source that does not exist; a full disk fails the
 * close instead of leaving a short archive unnoticed. */
static void test_cpio_bad_input_is_an_error(void **state)
{
	char dir[256], path[300];
	struct isolab_err e;
	struct cpio c;
	static char big[1 << 16];

	(void)state;
	assert_int_equal(testing__tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/missing/a.cpio", dir);
	assert_int_equal(cpio__open(&c, path, &e), -1);
	assert_non_null(strstr(e.msg, "missing/a.cpio"));
	assert_non_null(strstr(e.msg, "No such file or directory"));

	snprintf(path, sizeof(path), "%s/a.cpio", dir);
	assert_int_equal(cpio__open(&c, path, &e), 0);
	assert_int_equal(cpio__add_file(&c, "/etc/passwd", 0644, "x", 1, &e),
			 -1);
	assert_non_null(strstr(e.msg, "`/etc/passwd`: must be a relative"));
	assert_int_equal(cpio__add_dir(&c, "a/../b", 0755, &e), -1);
	assert_non_null(strstr(e.msg, "`a/../b`"));
	assert_int_equal(cpio__add_dir(&c, "", 0755, &e), -1);
	assert_int_equal(cpio__add_dir(&c, "d", 0100755, &e), -1);
	assert_non_null(strstr(e.msg, "not permission bits"));
	assert_int_equal(cpio__add_copy(&c, "x", "/nonexistent/file", &e), -1);
	assert_non_null(strstr(e.msg, "/nonexistent/file"));
	cpio__abort(&c);
	assert_int_equal(access(path, F_OK), -1); /* removed */

	if (access("/dev/full", W_OK) == 0) {
		assert_int_equal(cpio__open(&c, "/dev/full", &e), 0);
		if (cpio__add_file(&c, "big", 0644, big, sizeof(big), &e) < 0)
			cpio__abort(&c);
		else
			assert_int_equal(cpio__close(&c, &e), -1);
		assert_non_null(strstr(e.msg, "/dev/full: write"));
		assert_non_null(strstr(e.msg, "No space left on device"));
		/* not ours to remove */
		assert_int_equal(access("/dev/full", F_OK), 0);
	}
	testing__rmtree(dir);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_cpio_one_file_is_newc_byte_for_byte),
	cmocka_unit_test(test_cpio_round_trips_through_busybox),
	cmocka_unit_test(test_cpio_copy_keeps_bytes_and_mode),
	cmocka_unit_test(test_cpio_bad_input_is_an_error),
};

const struct bench_suite bench_suite_peers = {
	tests, sizeof(tests) / sizeof(tests[0])
};
