/*
 * test_seccomp_cache.c - The seccomp cache (src/seccomp_cache.c) and its
 * hash (src/sha256.c): the standard's SHA-256 vectors; cached programs
 * byte for byte what libseccomp exports; a damaged or untrusted file or
 * directory never used and replaced by a good entry; one entry per
 * profile, at most MC_SECCOMP_CACHE_MAX; and, in real containers, the
 * default profile refusing mount, keyctl and ptrace from a cold cache, a
 * warm one and a corrupted one.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "seccomp.h"
#include "seccomp_cache.h"
#include "sha256.h"
#include "testing.h"
#include "tests.h"

/* What the default profile must refuse, as mc-probe reports it. */
#define PROBE_DEFAULT                                                          \
	"mount=EPERM umount2=EPERM keyctl=EPERM ptrace=EPERM unshare=EPERM "   \
	"setns=EPERM reboot=EPERM getpid=ok open=ok\n"

static void hex(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* FIPS 180-4's examples (SHA256.pdf of NIST's "Examples with
 * intermediate values"): "abc" and the 448-bit two-block message; the
 * empty message; and NIST's one million 'a', fed in pieces of 1 to 97
 * bytes so that every block boundary case of sha256__update is met. */
static void test_sha256_fips_180_4_vectors(void **state)
{
	static const struct {
		const char *msg, *digest;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		     "7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410"
			"ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419"
		 "db06c1"},
	};
	uint8_t d[SHA256_DIGEST_LEN], a[97];
	char h[2 * SHA256_DIGEST_LEN + 1];
	struct sha256 c;
	size_t done = 0, step = 1;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		sha256__digest(v[i].msg, strlen(v[i].msg), d);
		hex(d, sizeof(d), h);
		assert_string_equal(h, v[i].digest);
	}
	memset(a, 'a', sizeof(a));
	sha256__init(&c);
	while (done < 1000000) {
		size_t n = 1000000 - done < step ? 1000000 - done : step;

		sha256__update(&c, a, n);
		done += n;
		step = step % 97 + 1;
	}
	sha256__final(&c, d);
	hex(d, sizeof(d), h);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a4972"
			       "00e046d39ccc7112cd0");
}

/* A private cache directory (0700) for one test. */
static void cache_dir(char *dir, size_t len)
{
	assert_int_equal(testing__tmpdir(dir, len), 0);
	assert_int_equal(chmod(dir, 0700), 0);
}

static void entry_path(const char *dir, const uint8_t *key, char *path,
		       size_t len)
{
	char name[2 * SECCOMP_KEY_LEN + 8];

	seccomp_cache__name(key, name);
	snprintf(path, len, "%s/%s", dir, name);
}

/* How many entries ("*.bpf") dir holds. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		n += l > 4 && strcmp(de->d_name + l - 4, ".bpf") == 0;
	}
	closedir(d);
	return n;
}

/* The default profile compiled by libseccomp (exported as it would load
 * it), and its key. */
static void default_compiled(struct mc_bpf *bpf, uint8_t *key)
{
	struct mc_seccomp *sc = seccomp__default();
	struct isolab_err e = {0};

	assert_non_null(sc);
	assert_int_equal(seccomp__compile(sc, bpf, &e), 0);
	assert_true(bpf->len > 0);
	seccomp__key(sc, key);
	seccomp__destroy(sc);
}

/* What is stored is what libseccomp exported, byte for byte, and what is
 * loaded is what was stored: the cache cannot change the filter. */
static void test_seccomp_cache_stores_libseccomp_bytes(void **state)
{
	uint8_t key[SECCOMP_KEY_LEN];
	struct mc_bpf bpf, again, got;
	struct isolab_err e = {0};
	char dir[4096], path[4200];
	struct stat st;

	(void)state;
	cache_dir(dir, sizeof(dir));
	default_compiled(&bpf, key);
	assert_int_equal(seccomp_cache__load(dir, key, &got), 0);
	assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), 0);
	entry_path(dir, key, path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	/* The program, then its 32-byte digest; only the owner may write. */
	assert_int_equal(st.st_size, bpf.len * sizeof(struct sock_filter) +
					     SHA256_DIGEST_LEN);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(seccomp_cache__load(dir, key, &got), 1);
	assert_int_equal(got.len, bpf.len);
	assert_memory_equal(got.insns, bpf.insns,
			    bpf.len * sizeof(struct sock_filter));
	/* libseccomp compiles deterministically: a second compile is the
	 * same program, which is what makes a cache sound. */
	default_compiled(&again, key);
	assert_int_equal(again.len, bpf.len);
	assert_memory_equal(again.insns, bpf.insns,
			    bpf.len * sizeof(struct sock_filter));
	seccomp__bpf_free(&again);
	seccomp__bpf_free(&got);
	seccomp__bpf_free(&bpf);
	testing__rmtree(dir);
}

/* Replace path's content by len bytes of data. */
static void put_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Each damage makes a miss (load 0), and a store puts a good entry back
 * (load 1, the same bytes): cut by one instruction (still whole
 * instructions: only the digest notices), cut mid-instruction, grown,
 * one bit flipped, empty, more than BPF_MAXINSNS instructions,
 * group-writable, owned by another user (as root), a symbolic link to a
 * good entry. */
static void test_seccomp_cache_damaged_file_ignored_and_replaced(void **state)
{
	enum { CUT8, CUT3, GROW, FLIP, EMPTY, HUGE, GROUPW, OWNER, LINK, N };
	size_t good, huge = (BPF_MAXINSNS + 1) * 8 + SHA256_DIGEST_LEN;
	char dir[4096], path[4200], other[4300];
	uint8_t key[SECCOMP_KEY_LEN];
	struct isolab_err e = {0};
	struct mc_bpf bpf, got;
	char *orig, *big;

	(void)state;
	cache_dir(dir, sizeof(dir));
	default_compiled(&bpf, key);
	assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), 0);
	entry_path(dir, key, path, sizeof(path));
	orig = testing__slurp(path, &good);
	assert_non_null(orig);
	big = calloc(1, huge);
	assert_non_null(big);
	for (int d = 0; d < N; d++) {
		switch (d) {
		case CUT8: put_file(path, orig, good - 8 - 32); break;
		case CUT3: put_file(path, orig, good - 3); break;
		case GROW:
			put_file(path, orig, good);
			assert_int_equal(truncate(path, (off_t)good + 8), 0);
			break;
		case FLIP:
			orig[17] ^= 1;
			put_file(path, orig, good);
			orig[17] ^= 1;
			break;
		case EMPTY: put_file(path, "", 0); break;
		case HUGE: put_file(path, big, huge); break;
		case GROUPW:
			put_file(path, orig, good);
			assert_int_equal(chmod(path, 0620), 0);
			break;
		case OWNER:
			if (geteuid() != 0)
				continue;
			put_file(path, orig, good);
			assert_int_equal(chown(path, 1000, 1000), 0);
			break;
		case LINK:
			snprintf(other, sizeof(other), "%s/good", dir);
			put_file(other, orig, good);
			unlink(path);
			assert_int_equal(symlink(other, path), 0);
			break;
		}
		assert_int_equal(seccomp_cache__load(dir, key, &got), 0);
		assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), 0);
		assert_int_equal(seccomp_cache__load(dir, key, &got), 1);
		assert_int_equal(got.len, bpf.len);
		assert_memory_equal(got.insns, bpf.insns,
				    bpf.len * sizeof(struct sock_filter));
		seccomp__bpf_free(&got);
	}
	free(big);
	free(orig);
	seccomp__bpf_free(&bpf);
	testing__rmtree(dir);
}

/* A directory others may write (0777), or one of another user, is never
 * read nor written: a miss, and the store says why. */
static void test_seccomp_cache_untrusted_directory_unused(void **state)
{
	uint8_t key[SECCOMP_KEY_LEN];
	struct isolab_err e = {0};
	struct mc_bpf bpf, got;
	char dir[4096];

	(void)state;
	cache_dir(dir, sizeof(dir));
	default_compiled(&bpf, key);
	assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(seccomp_cache__load(dir, key, &got), 0);
	assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), -1);
	assert_non_null(strstr(e.msg, "writable by others"));
	assert_int_equal(chmod(dir, 0700), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(dir, 1000, 1000), 0);
		assert_int_equal(seccomp_cache__load(dir, key, &got), 0);
		assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), -1);
		assert_int_equal(chown(dir, 0, 0), 0);
	}
	assert_int_equal(seccomp_cache__load(dir, key, &got), 1);
	seccomp__bpf_free(&got);
	seccomp__bpf_free(&bpf);
	testing__rmtree(dir);
}

/* Two profiles (the default, and the default with ptrace allowed) have
 * two keys and two entries, each loading its own program; the default
 * written as OCI JSON and read back (what a bundle from
 * `mini-container spec` gives) has the default's key, so the bundle and
 * the command line share one entry. */
static void test_seccomp_cache_two_profiles_two_entries(void **state)
{
	uint8_t k1[SECCOMP_KEY_LEN], k2[SECCOMP_KEY_LEN], k3[SECCOMP_KEY_LEN];
	struct mc_seccomp *def = seccomp__default(), *other, *back;
	struct mc_bpf b1, b2, got;
	struct isolab_err e = {0};
	json_t *j = seccomp__to_json(def), *rule;
	char dir[4096];

	(void)state;
	assert_non_null(j);
	assert_int_equal(seccomp__from_json(j, "default", true, &back, &e), 0);
	rule = json_pack("{s:[s],s:s}", "names", "ptrace", "action",
			 "SCMP_ACT_ALLOW");
	json_array_append_new(json_object_get(j, "syscalls"), rule);
	assert_int_equal(seccomp__from_json(j, "other", true, &other, &e), 0);
	json_decref(j);
	seccomp__key(def, k1);
	seccomp__key(other, k2);
	seccomp__key(back, k3);
	assert_memory_not_equal(k1, k2, SECCOMP_KEY_LEN);
	assert_memory_equal(k1, k3, SECCOMP_KEY_LEN);
	assert_int_equal(seccomp__compile(def, &b1, &e), 0);
	assert_int_equal(seccomp__compile(other, &b2, &e), 0);
	cache_dir(dir, sizeof(dir));
	assert_int_equal(seccomp_cache__store(dir, k1, &b1, &e), 0);
	assert_int_equal(seccomp_cache__store(dir, k2, &b2, &e), 0);
	assert_int_equal(count_entries(dir), 2);
	assert_int_equal(seccomp_cache__load(dir, k2, &got), 1);
	assert_int_equal(got.len, b2.len);
	assert_memory_equal(got.insns, b2.insns, b2.len * 8);
	seccomp__bpf_free(&got);
	assert_int_equal(seccomp_cache__load(dir, k1, &got), 1);
	assert_int_equal(got.len, b1.len);
	assert_memory_equal(got.insns, b1.insns, b1.len * 8);
	seccomp__bpf_free(&got);
	seccomp__bpf_free(&b1);
	seccomp__bpf_free(&b2);
	seccomp__destroy(def);
	seccomp__destroy(other);
	seccomp__destroy(back);
	testing__rmtree(dir);
}

/* MC_SECCOMP_CACHE_MAX (64) entries, then one more: still 64, and the
 * oldest (by modification time) is the one gone.  A temporary file from
 * a runtime killed two minutes ago goes too; a fresh one (a store under
 * way) stays. */
static void test_seccomp_cache_bounded_oldest_evicted(void **state)
{
	uint8_t key[SECCOMP_KEY_LEN] = {0};
	char dir[4096], path[4200], stale[4300], fresh[4300];
	struct isolab_err e = {0};
	struct mc_bpf bpf;
	time_t now = time(NULL);

	(void)state;
	cache_dir(dir, sizeof(dir));
	default_compiled(&bpf, key);
	for (int i = 0; i < MC_SECCOMP_CACHE_MAX; i++) {
		struct timespec t[2] = {{now - 1000 + i, 0},
					{now - 1000 + i, 0}};

		key[0] = (uint8_t)i;
		assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), 0);
		entry_path(dir, key, path, sizeof(path));
		assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
	}
	assert_int_equal(count_entries(dir), MC_SECCOMP_CACHE_MAX);
	snprintf(stale, sizeof(stale), "%s/.x.1.tmp", dir);
	snprintf(fresh, sizeof(fresh), "%s/.y.2.tmp", dir);
	put_file(stale, "x", 1);
	put_file(fresh, "y", 1);
	assert_int_equal(
		utimensat(AT_FDCWD, stale,
			  (struct timespec[2]){{now - 120, 0}, {now - 120, 0}},
			  0),
		0);
	key[0] = 200;
	assert_int_equal(seccomp_cache__store(dir, key, &bpf, &e), 0);
	assert_int_equal(count_entries(dir), MC_SECCOMP_CACHE_MAX);
	key[0] = 0; /* the oldest */
	entry_path(dir, key, path, sizeof(path));
	assert_int_equal(access(path, F_OK), -1);
	key[0] = 1;
	entry_path(dir, key, path, sizeof(path));
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(fresh, F_OK), 0);
	seccomp__bpf_free(&bpf);
	testing__rmtree(dir);
}

/* One run of mc-probe syscalls in a container (default profile, extra
 * options before --rootfs); checks the probe's line. */
static void probe_default(const char *extra)
{
	char *argv[8];
	struct test_run r;
	int n = 0;

	argv[n++] = (char *)tests__mc();
	argv[n++] = "run";
	if (extra)
		argv[n++] = (char *)extra;
	argv[n++] = "--rootfs";
	argv[n++] = (char *)tests__rootfs();
	argv[n++] = "mc-probe";
	argv[n++] = "syscalls";
	argv[n] = NULL;
	assert_int_equal(testing__run(argv, NULL, 60, &r), 0);
	if (r.exit_code != 0)
		print_message("%s", r.err);
	assert_int_equal(r.exit_code, 0);
	assert_string_equal(r.out, PROBE_DEFAULT);
	assert_string_equal(r.err, "");
	testing__run_free(&r);
}

/* The real cache, in real containers: the default profile refuses mount,
 * keyctl and ptrace with EPERM from a cold cache (removed first), which
 * leaves one root-owned 0600 entry in a 0700 directory holding exactly
 * libseccomp's program; from the warm cache; and after the entry was cut
 * by one instruction or made world-writable, after which it holds the
 * good program again.  (Other programs on this machine may run
 * containers too: the test looks at the default profile's entry only.) */
static void
test_run_seccomp_cache_cold_warm_corrupt_same_behaviour(void **state)
{
	uint8_t key[SECCOMP_KEY_LEN];
	struct mc_bpf bpf, got;
	char path[4200];
	size_t len;
	struct stat st;
	char *data;

	(void)state;
	NEED_ROOTFS();
	default_compiled(&bpf, key);
	entry_path(MC_SECCOMP_CACHE_DIR, key, path, sizeof(path));
	testing__rmtree(MC_SECCOMP_CACHE_DIR);
	probe_default(NULL); /* cold */
	assert_int_equal(stat(MC_SECCOMP_CACHE_DIR, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	data = testing__slurp(path, &len);
	assert_non_null(data);
	assert_int_equal(len, bpf.len * 8 + SHA256_DIGEST_LEN);
	assert_memory_equal(data, bpf.insns, bpf.len * 8);
	probe_default(NULL); /* warm */
	probe_default("--no-seccomp-cache");
	put_file(path, data, len - 8 - SHA256_DIGEST_LEN);
	probe_default(NULL); /* cut: a miss, compiled, replaced */
	assert_int_equal(seccomp_cache__load(MC_SECCOMP_CACHE_DIR, key, &got),
			 1);
	assert_memory_equal(got.insns, bpf.insns, bpf.len * 8);
	seccomp__bpf_free(&got);
	assert_int_equal(chmod(path, 0666), 0);
	probe_default(NULL); /* world-writable: a miss, replaced */
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(seccomp_cache__load(MC_SECCOMP_CACHE_DIR, key, &got),
			 1);
	assert_memory_equal(got.insns, bpf.insns, bpf.len * 8);
	seccomp__bpf_free(&got);
	free(data);
	seccomp__bpf_free(&bpf);
}

int test_seccomp_cache__run(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_fips_180_4_vectors),
		cmocka_unit_test(test_seccomp_cache_stores_libseccomp_bytes),
		cmocka_unit_test(
			test_seccomp_cache_damaged_file_ignored_and_replaced),
		cmocka_unit_test(test_seccomp_cache_untrusted_directory_unused),
		cmocka_unit_test(test_seccomp_cache_two_profiles_two_entries),
		cmocka_unit_test(test_seccomp_cache_bounded_oldest_evicted),
		cmocka_unit_test(
			test_run_seccomp_cache_cold_warm_corrupt_same_behaviour),
	};

	return cmocka_run_group_tests_name("seccomp_cache", tests, NULL, NULL);
}
