/*
 * sandbox.c - Tries to leave its preopened directory through WASI paths:
 * "..", an absolute path, and a symlink pointing outside ("escape", made
 * by the test), and opens an ordinary file to show access still works.
 * wasi-libc itself turns an absolute path into ENOENT (no preopen holds
 * it), so try_raw() also asks the host directly, through the raw
 * path_open of fd 3 (the first preopen), to show the host refuses too.
 * Only meaningful under mini-wasm: natively there is no sandbox.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef ENOTCAPABLE /* natively there is no such errno */
#define ENOTCAPABLE (-1)
#endif

static void try(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f) {
		printf("%s: opened\n", path);
		fclose(f);
	} else {
		printf("%s: refused (%s)\n", path,
		       errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno));
	}
}

#ifdef __wasi__
#include <wasi/api.h>

static void try_raw(const char *path)
{
	__wasi_fd_t fd;
	__wasi_errno_t e = __wasi_path_open(3, 0, path, 0, __WASI_RIGHTS_FD_READ,
					    0, 0, &fd);

	printf("raw %s: %s\n", path,
	       e == 0 ? "opened" :
	       e == __WASI_ERRNO_NOTCAPABLE ? "refused (ENOTCAPABLE)" :
					      "refused (other)");
	if (e == 0)
		(void)__wasi_fd_close(fd);
}
#else
static void try_raw(const char *path)
{
	printf("raw %s: no WASI\n", path);
}
#endif

int main(void)
{
	try("inside.txt");
	try("../outside.txt");
	try("sub/../../outside.txt");
	try("/etc/passwd");
	try("escape");
	try("escape/passwd");
	try_raw("inside.txt");
	try_raw("/etc/passwd");
	try_raw("../outside.txt");
	try_raw("escape/passwd");
	return 0;
}
