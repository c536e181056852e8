/*
 * testing.c - Helpers for the test binaries (see testing.h).
 */
#define _GNU_SOURCE
#include "testing.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "timing.h"

const char *testing__build_dir(void)
{
	const char *b = getenv("ISOLAB_BUILD");

	return b && *b ? b : "build";
}

char *testing__path(char *buf, size_t len, const char *sub, const char *name)
{
	snprintf(buf, len, "%s/%s/%s", testing__build_dir(), sub, name);
	return buf;
}

char *testing__slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
			cap += 65536;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int testing__tmpdir(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");

	snprintf(buf, len, "%s/isolab-test-XXXXXX", t && *t ? t : "/tmp");
	return mkdtemp(buf) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int testing__rmtree(const char *dir)
{
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int testing__run(char *const argv[], const char *stdin_path, double timeout_s,
		 struct test_run *r)
{
	char dir[4096], out[4200], err[4200];
	struct cmd_opts opts = { .stdin_path = stdin_path ? stdin_path
							  : "/dev/null",
				 .stdout_path = out,
				 .stderr_path = err,
				 .timeout_s = timeout_s };
	struct cmd_result res;
	struct isolab_err e;
	int rc;

	memset(r, 0, sizeof(*r));
	if (testing__tmpdir(dir, sizeof(dir)) < 0)
		return -1;
	snprintf(out, sizeof(out), "%s/stdout", dir);
	snprintf(err, sizeof(err), "%s/stderr", dir);
	rc = timing__cmd_once(argv, &opts, &res, &e);
	if (rc == 0) {
		r->status = res.status;
		r->exit_code = WIFEXITED(res.status)
				       ? WEXITSTATUS(res.status)
				       : 128 + WTERMSIG(res.status);
		r->out = testing__slurp(out, NULL);
		r->err = testing__slurp(err, NULL);
		if (!r->out || !r->err)
			rc = -1;
	}
	testing__rmtree(dir);
	return rc;
}

void testing__run_free(struct test_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

bool testing__is_root(void)
{
	return geteuid() == 0;
}
