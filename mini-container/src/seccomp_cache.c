/*
 * seccomp_cache.c - Compiled seccomp filters kept between runs (see
 * seccomp_cache.h).
 *
 * Compiling a profile with libseccomp costs about 0.6 ms of CPU per start
 * here, for a result that is the same every time: the profile rarely
 * changes, and libseccomp compiles deterministically.  crun keeps compiled
 * programs under its state directory, named by a hash of the profile; we
 * do the same:
 *
 *   /run/mini-container/.seccomp-cache/<SHA-256 key, hex>.bpf
 *
 * The key (seccomp__key) covers everything the program depends on, so a
 * changed profile, libseccomp, kernel or runtime build gets a new entry
 * rather than a stale program.  A file holds the classic-BPF program
 * exactly as libseccomp exported it, then SHA-256(key || program): the
 * digest catches a truncated file (a crash between write and rename on a
 * disk-backed /run) or one altered by hand, which could otherwise still be
 * a valid, shorter, weaker filter.  Only root may write the directory
 * (0700, owned by root); a file or directory that others could have
 * written is not trusted.  Anything wrong means a miss: the runtime
 * compiles as it would without a cache and writes a good entry over the
 * bad one.  Removing the directory is always safe.  The checks on the
 * directory and its files, and the atomic write, are shared with
 * mini-vmm's CPUID cache (bench/lib/filecache.c); the key, the digest and
 * the eviction are this file's.
 */
#define _GNU_SOURCE
#include "seccomp_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "filecache.h"
#include "sha256.h"

#define SCC_SUFFIX	".bpf"
#define SCC_NAME_LEN	(2 * SECCOMP_KEY_LEN + sizeof(SCC_SUFFIX) - 1)
#define SCC_TMP_MAX_AGE 60 /* seconds before a temporary file is stale */

void seccomp_cache__name(const uint8_t key[SECCOMP_KEY_LEN], char *name)
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < SECCOMP_KEY_LEN; i++) {
		name[2 * i] = hex[key[i] >> 4];
		name[2 * i + 1] = hex[key[i] & 15];
	}
	memcpy(name + 2 * SECCOMP_KEY_LEN, SCC_SUFFIX, sizeof(SCC_SUFFIX));
}

/* SHA-256(key || program): the digest stored after the program. */
static void scc_digest(const uint8_t *key, const void *prog, size_t len,
		       uint8_t out[SHA256_DIGEST_LEN])
{
	struct sha256 c;

	sha256__init(&c);
	sha256__update(&c, key, SECCOMP_KEY_LEN);
	sha256__update(&c, prog, len);
	sha256__final(&c, out);
}

int seccomp_cache__load(const char *dir, const uint8_t key[SECCOMP_KEY_LEN],
			struct mc_bpf *out)
{
	uint8_t want[SHA256_DIGEST_LEN];
	char name[SCC_NAME_LEN + 1];
	size_t size, prog;
	void *buf;
	int dfd, hit;

	out->insns = NULL;
	out->len = 0;
	dfd = filecache__open_dir(dir, false);
	if (dfd < 0)
		return 0;
	seccomp_cache__name(key, name);
	hit = filecache__read(dfd, name,
			      sizeof(struct sock_filter) + SHA256_DIGEST_LEN,
			      BPF_MAXINSNS * sizeof(struct sock_filter) +
				      SHA256_DIGEST_LEN,
			      &buf, &size);
	close(dfd);
	if (!hit)
		return 0;
	prog = size - SHA256_DIGEST_LEN;
	scc_digest(key, buf, prog, want);
	if (prog % sizeof(struct sock_filter) != 0 ||
	    memcmp(want, (uint8_t *)buf + prog, SHA256_DIGEST_LEN) != 0) {
		free(buf);
		return 0;
	}
	out->insns = buf;
	out->len = prog / sizeof(struct sock_filter);
	return 1;
}

/* One directory entry, for eviction. */
struct scc_entry {
	char name[SCC_NAME_LEN + 1];
	struct timespec mtime;
};

static int scc_older(const void *a, const void *b)
{
	const struct timespec *x = &((const struct scc_entry *)a)->mtime,
			      *y = &((const struct scc_entry *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return x->tv_nsec < y->tv_nsec ? -1 : x->tv_nsec > y->tv_nsec;
}

/* Is name an entry's name ("<64 hex>.bpf")? */
static bool scc_is_entry(const char *name)
{
	if (strlen(name) != SCC_NAME_LEN ||
	    strcmp(name + 2 * SECCOMP_KEY_LEN, SCC_SUFFIX) != 0)
		return false;
	for (int i = 0; i < 2 * SECCOMP_KEY_LEN; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return true;
}

/* Make room for one more entry (keep is the one about to be written):
 * remove the oldest while there are MC_SECCOMP_CACHE_MAX or more, and
 * temporary files older than SCC_TMP_MAX_AGE.  Best effort: an entry
 * another runtime removed first is simply gone. */
static void scc_evict(int dfd, const char *keep)
{
	struct scc_entry *all = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;
		size_t len = strlen(de->d_name);

		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (de->d_name[0] == '.' && len > 4 &&
		    strcmp(de->d_name + len - 4, ".tmp") == 0) {
			if (time(NULL) - st.st_mtime > SCC_TMP_MAX_AGE)
				unlinkat(dfd, de->d_name, 0);
			continue;
		}
		if (!scc_is_entry(de->d_name) || strcmp(de->d_name, keep) == 0)
			continue;
		if (n == cap) {
			struct scc_entry *more;

			cap = cap ? 2 * cap : 64;
			more = realloc(all, cap * sizeof(*all));
			if (!more)
				break;
			all = more;
		}
		memcpy(all[n].name, de->d_name, SCC_NAME_LEN + 1);
		all[n].mtime = st.st_mtim;
		n++;
	}
	closedir(d);
	if (n >= MC_SECCOMP_CACHE_MAX) {
		qsort(all, n, sizeof(*all), scc_older);
		for (size_t i = 0; i + MC_SECCOMP_CACHE_MAX <= n; i++)
			unlinkat(dfd, all[i].name, 0);
	}
	free(all);
}

int seccomp_cache__store(const char *dir, const uint8_t key[SECCOMP_KEY_LEN],
			 const struct mc_bpf *bpf, struct isolab_err *e)
{
	size_t len = bpf->len * sizeof(struct sock_filter);
	uint8_t digest[SHA256_DIGEST_LEN];
	char name[SCC_NAME_LEN + 1];
	int dfd, rc;

	if (bpf->len == 0 || bpf->len > BPF_MAXINSNS)
		return err__set(e, 0, "%s: %zu instructions: not stored", dir,
				bpf->len);
	dfd = filecache__open_dir(dir, true);
	if (dfd < 0 && errno == EPERM)
		return err__set(e, 0,
				"%s: not owned by root or writable by "
				"others: not used",
				dir);
	if (dfd < 0)
		return err__set(e, errno, "%s", dir);
	seccomp_cache__name(key, name);
	scc_evict(dfd, name);
	scc_digest(key, bpf->insns, len, digest);
	rc = filecache__write(dfd, dir, name, bpf->insns, len, digest,
			      sizeof(digest), e);
	close(dfd);
	return rc;
}
