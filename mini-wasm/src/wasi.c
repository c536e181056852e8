/*
 * wasi.c - WASI preview1 (wasi_snapshot_preview1), the subset clang-14 +
 * wasi-libc programs need: arguments, environment, stdio and files, the
 * clocks, random bytes, proc_exit.  Every other function a module imports
 * from wasi_snapshot_preview1 returns ENOSYS.
 *
 * WASI is capability-based: a program sees no file system except the
 * directories given with --dir (the "preopens", fds 3, 4, ...), and every
 * path is resolved beneath one of them.  The kernel does the check:
 * openat2(2) with RESOLVE_BENEATH refuses absolute paths, ".." above the
 * directory and symlinks that lead outside (EXDEV), which WASI reports as
 * ENOTCAPABLE.  Every guest pointer is bounds-checked against the linear
 * memory before the host touches it (wasi_mem).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "wasi.h"

/* WASI errno values (wasi_snapshot_preview1 witx, typenames.witx). */
enum {
	W_SUCCESS = 0, W_2BIG = 1, W_ACCES = 2, W_AGAIN = 6, W_BADF = 8,
	W_EXIST = 20, W_FAULT = 21, W_INVAL = 28, W_IO = 29, W_ISDIR = 31,
	W_LOOP = 32, W_MFILE = 33, W_NAMETOOLONG = 37, W_NOENT = 44,
	W_NOMEM = 48, W_NOSPC = 51, W_NOSYS = 52, W_NOTDIR = 54,
	W_NOTEMPTY = 55, W_PERM = 63, W_ROFS = 69, W_SPIPE = 70,
	W_NOTCAPABLE = 76,
};

#define MAX_FDS 1024

struct wasi_fd {
	int host; /* -1: free */
	char *preopen; /* guest name of a preopened directory, or NULL */
};

struct wasi {
	int argc, envc;
	char **argv;
	const char **envp;
	struct wasi_fd fds[MAX_FDS];
	struct wmem *mem;
};

static int wasi_errno(int e)
{
	switch (e) {
	case 0: return W_SUCCESS;
	case E2BIG: return W_2BIG;
	case EACCES: return W_ACCES;
	case EAGAIN: return W_AGAIN;
	case EBADF: return W_BADF;
	case EEXIST: return W_EXIST;
	case EFAULT: return W_FAULT;
	case EINVAL: return W_INVAL;
	case EISDIR: return W_ISDIR;
	case ELOOP: return W_LOOP;
	case EMFILE: return W_MFILE;
	case ENAMETOOLONG: return W_NAMETOOLONG;
	case ENOENT: return W_NOENT;
	case ENOMEM: return W_NOMEM;
	case ENOSPC: return W_NOSPC;
	case ENOTDIR: return W_NOTDIR;
	case ENOTEMPTY: return W_NOTEMPTY;
	case EPERM: return W_PERM;
	case EROFS: return W_ROFS;
	case ESPIPE: return W_SPIPE;
	case EXDEV: return W_NOTCAPABLE; /* RESOLVE_BENEATH refused it */
	default: return W_IO;
	}
}

/* A pointer to guest memory [off, off+len), or NULL if it is not all
 * inside the linear memory. */
static uint8_t *wasi_mem(struct wasi *w, uint64_t off, uint64_t len)
{
	if (!w->mem || off + len > w->mem->size)
		return NULL;
	return w->mem->data + off;
}

static int put_u32(struct wasi *w, uint32_t off, uint32_t v)
{
	uint8_t *p = wasi_mem(w, off, 4);

	if (!p)
		return W_FAULT;
	memcpy(p, &v, 4);
	return 0;
}

static int put_u64(struct wasi *w, uint32_t off, uint64_t v)
{
	uint8_t *p = wasi_mem(w, off, 8);

	if (!p)
		return W_FAULT;
	memcpy(p, &v, 8);
	return 0;
}

static int wasi_host_fd(struct wasi *w, uint32_t fd)
{
	return fd < MAX_FDS ? w->fds[fd].host : -1;
}

/* --- arguments and environment --- */

static int strings_sizes(struct wasi *w, int n, const char *const *s,
			 uint32_t count_out, uint32_t size_out)
{
	uint64_t size = 0;

	for (int i = 0; i < n; i++)
		size += strlen(s[i]) + 1;
	if (put_u32(w, count_out, (uint32_t)n) || put_u32(w, size_out, size))
		return W_FAULT;
	return 0;
}

static int strings_get(struct wasi *w, int n, const char *const *s,
		       uint32_t ptrs, uint32_t buf)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(s[i]) + 1;
		uint8_t *p = wasi_mem(w, buf, len);
		if (!p || put_u32(w, ptrs + 4 * (uint32_t)i, buf))
			return W_FAULT;
		memcpy(p, s[i], len);
		buf += (uint32_t)len;
	}
	return 0;
}

static int args_sizes_get(struct wasi *w, uint64_t *a)
{
	return strings_sizes(w, w->argc, (const char *const *)w->argv,
			     (uint32_t)a[0], (uint32_t)a[1]);
}

static int args_get(struct wasi *w, uint64_t *a)
{
	return strings_get(w, w->argc, (const char *const *)w->argv,
			   (uint32_t)a[0], (uint32_t)a[1]);
}

static int environ_sizes_get(struct wasi *w, uint64_t *a)
{
	return strings_sizes(w, w->envc, w->envp, (uint32_t)a[0],
			     (uint32_t)a[1]);
}

static int environ_get(struct wasi *w, uint64_t *a)
{
	return strings_get(w, w->envc, w->envp, (uint32_t)a[0],
			   (uint32_t)a[1]);
}

/* --- file descriptors --- */

/* fd_read and fd_write: scatter/gather over guest iovecs {ptr, len}. */
static int fd_rw(struct wasi *w, uint64_t *a, bool write_op)
{
	int host = wasi_host_fd(w, (uint32_t)a[0]);
	uint32_t iovs = (uint32_t)a[1], n = (uint32_t)a[2];
	uint64_t total = 0;

	if (host < 0)
		return W_BADF;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t iov[2];
		uint8_t *p = wasi_mem(w, (uint64_t)iovs + 8ull * i, 8), *buf;
		ssize_t r;

		if (!p)
			return W_FAULT;
		memcpy(iov, p, 8);
		buf = wasi_mem(w, iov[0], iov[1]);
		if (!buf)
			return W_FAULT;
		r = write_op ? write(host, buf, iov[1]) : read(host, buf, iov[1]);
		if (r < 0)
			return total ? put_u32(w, (uint32_t)a[3], total)
				     : wasi_errno(errno);
		total += (uint64_t)r;
		if ((uint32_t)r < iov[1])
			break;
	}
	return put_u32(w, (uint32_t)a[3], (uint32_t)total);
}

static int fd_write(struct wasi *w, uint64_t *a)
{
	return fd_rw(w, a, true);
}

static int fd_read(struct wasi *w, uint64_t *a)
{
	return fd_rw(w, a, false);
}

static int fd_close(struct wasi *w, uint64_t *a)
{
	uint32_t fd = (uint32_t)a[0];

	if (wasi_host_fd(w, fd) < 0)
		return W_BADF;
	if (fd > 2)
		close(w->fds[fd].host);
	free(w->fds[fd].preopen);
	w->fds[fd] = (struct wasi_fd){ -1, NULL };
	return 0;
}

static int fd_seek(struct wasi *w, uint64_t *a)
{
	int host = wasi_host_fd(w, (uint32_t)a[0]);
	off_t r;

	if (host < 0)
		return W_BADF;
	if (a[2] > 2)
		return W_INVAL;
	r = lseek(host, (off_t)a[1], (int)a[2]);
	if (r < 0)
		return wasi_errno(errno);
	return put_u64(w, (uint32_t)a[3], (uint64_t)r);
}

static uint8_t filetype(mode_t m)
{
	if (S_ISREG(m)) return 4;
	if (S_ISDIR(m)) return 3;
	if (S_ISCHR(m)) return 2;
	if (S_ISBLK(m)) return 1;
	if (S_ISLNK(m)) return 7;
	if (S_ISSOCK(m)) return 6;
	return 0;
}

static int fd_fdstat_get(struct wasi *w, uint64_t *a)
{
	int host = wasi_host_fd(w, (uint32_t)a[0]);
	uint8_t *p = wasi_mem(w, (uint32_t)a[1], 24);
	struct stat st;
	int fl;
	uint16_t flags = 0;
	uint64_t all = ~0ull;

	if (host < 0)
		return W_BADF;
	if (!p)
		return W_FAULT;
	if (fstat(host, &st) < 0 || (fl = fcntl(host, F_GETFL)) < 0)
		return wasi_errno(errno);
	if (fl & O_APPEND)
		flags |= 1;
	if (fl & O_NONBLOCK)
		flags |= 4;
	memset(p, 0, 24);
	p[0] = filetype(st.st_mode);
	memcpy(p + 2, &flags, 2);
	memcpy(p + 8, &all, 8);
	memcpy(p + 16, &all, 8);
	return 0;
}

static int fd_prestat_get(struct wasi *w, uint64_t *a)
{
	uint32_t fd = (uint32_t)a[0];
	uint8_t *p = wasi_mem(w, (uint32_t)a[1], 8);
	uint32_t len;

	if (wasi_host_fd(w, fd) < 0 || !w->fds[fd].preopen)
		return W_BADF;
	if (!p)
		return W_FAULT;
	len = (uint32_t)strlen(w->fds[fd].preopen);
	memset(p, 0, 8);
	memcpy(p + 4, &len, 4);
	return 0;
}

static int fd_prestat_dir_name(struct wasi *w, uint64_t *a)
{
	uint32_t fd = (uint32_t)a[0], len = (uint32_t)a[2];
	uint8_t *p = wasi_mem(w, (uint32_t)a[1], len);

	if (wasi_host_fd(w, fd) < 0 || !w->fds[fd].preopen)
		return W_BADF;
	if (!p)
		return W_FAULT;
	if (len < strlen(w->fds[fd].preopen))
		return W_NAMETOOLONG;
	memcpy(p, w->fds[fd].preopen, strlen(w->fds[fd].preopen));
	return 0;
}

static int put_filestat(struct wasi *w, uint32_t off, const struct stat *st)
{
	uint8_t *p = wasi_mem(w, off, 64);
	uint64_t v[8];

	if (!p)
		return W_FAULT;
	v[0] = st->st_dev;
	v[1] = st->st_ino;
	v[2] = filetype(st->st_mode);
	v[3] = st->st_nlink;
	v[4] = (uint64_t)st->st_size;
	v[5] = (uint64_t)st->st_atim.tv_sec * 1000000000ull + st->st_atim.tv_nsec;
	v[6] = (uint64_t)st->st_mtim.tv_sec * 1000000000ull + st->st_mtim.tv_nsec;
	v[7] = (uint64_t)st->st_ctim.tv_sec * 1000000000ull + st->st_ctim.tv_nsec;
	memcpy(p, v, 64);
	return 0;
}

static int fd_filestat_get(struct wasi *w, uint64_t *a)
{
	int host = wasi_host_fd(w, (uint32_t)a[0]);
	struct stat st;

	if (host < 0)
		return W_BADF;
	if (fstat(host, &st) < 0)
		return wasi_errno(errno);
	return put_filestat(w, (uint32_t)a[1], &st);
}

/* --- paths: resolved beneath a directory fd by the kernel --- */

/* Open guest path [ptr, ptr+len) beneath directory fd dirfd.  Returns the
 * host fd, or -(WASI errno). */
static int wasi_openat(struct wasi *w, uint32_t dirfd, uint32_t ptr,
		       uint32_t len, uint64_t flags, uint64_t mode)
{
	int dir = wasi_host_fd(w, dirfd);
	uint8_t *p = wasi_mem(w, ptr, len);
	char path[4096];
	struct open_how how = { 0 };
	long fd;

	if (dir < 0)
		return -W_BADF;
	if (!p)
		return -W_FAULT;
	if (len >= sizeof(path))
		return -W_NAMETOOLONG;
	memcpy(path, p, len);
	path[len] = 0;
	if (memchr(path, 0, len))
		return -W_INVAL;
	/* Lexical refusal first: the kernel would say EXDEV as well, but
	 * this keeps the rule visible and works on any kernel. */
	if (path[0] == '/')
		return -W_NOTCAPABLE;
	how.flags = flags | O_CLOEXEC;
	how.mode = (flags & O_CREAT) ? mode : 0; /* openat2 insists */
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, dir, path, &how, sizeof(how));
	if (fd < 0)
		return -wasi_errno(errno);
	return (int)fd;
}

static int wasi_new_fd(struct wasi *w, int host)
{
	for (int i = 3; i < MAX_FDS; i++) {
		if (w->fds[i].host < 0) {
			w->fds[i].host = host;
			return i;
		}
	}
	return -1;
}

/* path_open(dirfd, dirflags, path, len, oflags, rights, inheriting,
 * fdflags, fd_out) */
static int path_open(struct wasi *w, uint64_t *a)
{
	uint32_t oflags = (uint32_t)a[4], fdflags = (uint32_t)a[7];
	uint64_t rights = a[5];
	bool rd = rights & ((1ull << 1) | (1ull << 14)), wr = rights & (1ull << 6);
	uint64_t flags;
	int host, fd;

	if (oflags & 2)
		flags = O_DIRECTORY | O_RDONLY;
	else if (rd && wr)
		flags = O_RDWR;
	else if (wr)
		flags = O_WRONLY;
	else
		flags = O_RDONLY;
	if (oflags & 1)
		flags |= O_CREAT;
	if (oflags & 4)
		flags |= O_EXCL;
	if (oflags & 8)
		flags |= O_TRUNC;
	if (fdflags & 1)
		flags |= O_APPEND;
	if (!(a[1] & 1))
		flags |= O_NOFOLLOW;
	host = wasi_openat(w, (uint32_t)a[0], (uint32_t)a[2], (uint32_t)a[3],
			   flags, 0644);
	if (host == -W_ISDIR || (host < 0 && !(oflags & 2) && wr)) {
		/* a directory opened for writing: wasi-libc asks for all
		 * rights, retry read-only */
		int h2 = wasi_openat(w, (uint32_t)a[0], (uint32_t)a[2],
				     (uint32_t)a[3], O_RDONLY | O_DIRECTORY, 0);
		if (h2 >= 0)
			host = h2;
	}
	if (host < 0)
		return -host;
	fd = wasi_new_fd(w, host);
	if (fd < 0) {
		close(host);
		return W_MFILE;
	}
	if (put_u32(w, (uint32_t)a[8], (uint32_t)fd)) {
		close(host);
		w->fds[fd].host = -1;
		return W_FAULT;
	}
	return 0;
}

/* path_filestat_get(fd, lookupflags, path, len, buf) */
static int path_filestat_get(struct wasi *w, uint64_t *a)
{
	struct stat st;
	int host = wasi_openat(w, (uint32_t)a[0], (uint32_t)a[2],
			       (uint32_t)a[3],
			       O_PATH | ((a[1] & 1) ? 0 : O_NOFOLLOW), 0);
	int rc;

	if (host < 0)
		return -host;
	rc = fstat(host, &st) < 0 ? wasi_errno(errno) : 0;
	close(host);
	return rc ? rc : put_filestat(w, (uint32_t)a[4], &st);
}

/* fd_readdir(fd, buf, len, cookie, bufused): entries from index cookie,
 * each a 24-byte dirent then the name; the last may be cut short. */
static int fd_readdir(struct wasi *w, uint64_t *a)
{
	int host = wasi_host_fd(w, (uint32_t)a[0]);
	uint32_t len = (uint32_t)a[2], used = 0;
	uint8_t *buf = wasi_mem(w, (uint32_t)a[1], len);
	uint64_t idx = 0;
	struct dirent *de;
	DIR *d;
	int dup_fd;

	if (host < 0)
		return W_BADF;
	if (!buf)
		return W_FAULT;
	dup_fd = openat(host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dup_fd < 0)
		return wasi_errno(errno);
	d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return wasi_errno(errno);
	}
	while (used < len && (de = readdir(d))) {
		uint8_t hdr[24];
		uint32_t nlen = (uint32_t)strlen(de->d_name);
		uint64_t next = idx + 1, ino = de->d_ino;
		uint8_t type = de->d_type == DT_DIR ? 3 :
			       de->d_type == DT_REG ? 4 :
			       de->d_type == DT_LNK ? 7 : 0;
		if (idx++ < a[3])
			continue;
		memset(hdr, 0, sizeof(hdr));
		memcpy(hdr, &next, 8);
		memcpy(hdr + 8, &ino, 8);
		memcpy(hdr + 16, &nlen, 4);
		hdr[20] = type;
		for (uint32_t i = 0; i < 24 && used < len; i++)
			buf[used++] = hdr[i];
		for (uint32_t i = 0; i < nlen && used < len; i++)
			buf[used++] = (uint8_t)de->d_name[i];
	}
	closedir(d);
	return put_u32(w, (uint32_t)a[4], used);
}

/* --- clocks, randomness, process --- */

static int clock_time_get(struct wasi *w, uint64_t *a)
{
	static const clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC,
					 CLOCK_PROCESS_CPUTIME_ID,
					 CLOCK_THREAD_CPUTIME_ID };
	struct timespec ts;

	if (a[0] > 3)
		return W_INVAL;
	if (clock_gettime(ids[a[0]], &ts) < 0)
		return wasi_errno(errno);
	return put_u64(w, (uint32_t)a[2],
		       (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec);
}

static int random_get(struct wasi *w, uint64_t *a)
{
	uint8_t *p = wasi_mem(w, (uint32_t)a[0], (uint32_t)a[1]);
	size_t n = (uint32_t)a[1], done = 0;

	if (!p)
		return W_FAULT;
	while (done < n) {
		ssize_t r = getrandom(p + done, n - done, 0);
		if (r < 0)
			return wasi_errno(errno);
		done += (size_t)r;
	}
	return 0;
}

static int sched_yield_fn(struct wasi *w, uint64_t *a)
{
	(void)w, (void)a;
	sched_yield();
	return 0;
}

/* --- the import table --- */

typedef int (*wasi_fn)(struct wasi *w, uint64_t *args);

static const struct {
	const char *name;
	wasi_fn fn;
	const char *sig; /* parameter types: i = i32, I = i64 */
} wasi_funcs[] = {
	{ "args_get", args_get, "ii" },
	{ "args_sizes_get", args_sizes_get, "ii" },
	{ "environ_get", environ_get, "ii" },
	{ "environ_sizes_get", environ_sizes_get, "ii" },
	{ "fd_write", fd_write, "iiii" },
	{ "fd_read", fd_read, "iiii" },
	{ "fd_close", fd_close, "i" },
	{ "fd_seek", fd_seek, "iIii" },
	{ "fd_fdstat_get", fd_fdstat_get, "ii" },
	{ "fd_prestat_get", fd_prestat_get, "ii" },
	{ "fd_prestat_dir_name", fd_prestat_dir_name, "iii" },
	{ "fd_filestat_get", fd_filestat_get, "ii" },
	{ "path_open", path_open, "iiiiiIIii" },
	{ "path_filestat_get", path_filestat_get, "iiiii" },
	{ "fd_readdir", fd_readdir, "iiiIi" },
	{ "clock_time_get", clock_time_get, "iIi" },
	{ "random_get", random_get, "ii" },
	{ "sched_yield", sched_yield_fn, "" },
};

struct wasi_binding {
	struct wasi *w;
	wasi_fn fn;
};

static int wasi_call(struct exec *ex, void *env, uint64_t *slots)
{
	struct wasi_binding *b = env;

	(void)ex;
	slots[0] = (uint32_t)b->fn(b->w, slots);
	return 0;
}

static int wasi_proc_exit(struct exec *ex, void *env, uint64_t *slots)
{
	(void)env;
	ex->exited = true;
	ex->exit_code = (int)(uint32_t)slots[0];
	return exec__trap(ex, "exit");
}

static int wasi_nosys(struct exec *ex, void *env, uint64_t *slots)
{
	(void)ex, (void)env;
	slots[0] = W_NOSYS;
	return 0;
}

static bool sig_matches(const struct functype *t, const char *sig)
{
	size_t n = strlen(sig);

	if (t->nparams != n || t->nresults != 1 || t->types[n] != VT_I32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (t->types[i] != (sig[i] == 'I' ? VT_I64 : VT_I32))
			return false;
	return true;
}

/* One host function for import im of m; NULL when out of memory. */
static struct wfunc *wasi_func(struct wasi *w, struct store *s,
			       const struct module *m, const struct import *im)
{
	const struct functype *t = &m->types[im->type_idx];
	struct wfunc *f = store__alloc(s, sizeof(*f));

	if (!f)
		return NULL;
	f->type = t;
	f->name = im->name;
	if (strcmp(im->name, "proc_exit") == 0) {
		f->host = wasi_proc_exit;
		return t->nparams == 1 && t->nresults == 0 ? f : NULL;
	}
	f->host = wasi_nosys; /* "anything else returns ENOSYS" */
	for (size_t i = 0; i < sizeof(wasi_funcs) / sizeof(wasi_funcs[0]); i++) {
		struct wasi_binding *b;
		if (strcmp(im->name, wasi_funcs[i].name) != 0 ||
		    !sig_matches(t, wasi_funcs[i].sig))
			continue;
		b = store__alloc(s, sizeof(*b));
		if (!b)
			return NULL;
		b->w = w;
		b->fn = wasi_funcs[i].fn;
		f->host = wasi_call;
		f->env = b;
	}
	if (f->host == wasi_nosys &&
	    (t->nresults != 1 || t->types[t->nparams] != VT_I32))
		return NULL; /* cannot return an errno: leave it unlinked */
	return f;
}

int wasi__define(struct wasi *w, struct store *s, struct linker *l,
		 const struct module *m)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct import *im = &m->imports[i];
		struct wfunc *f;

		if (im->kind != EXT_FUNC ||
		    strcmp(im->module, "wasi_snapshot_preview1") != 0)
			continue;
		f = wasi_func(w, s, m, im);
		if (f && linker__define(l, im->module, im->name, EXT_FUNC, f) < 0)
			return -1;
	}
	return 0;
}

struct wasi *wasi__create(int argc, char **argv, int envc, const char **envp,
			  int ndirs, const char **dirs, struct isolab_err *e)
{
	struct wasi *w = calloc(1, sizeof(*w));

	if (!w) {
		err__set(e, 0, "out of memory");
		return NULL;
	}
	w->argc = argc;
	w->argv = argv;
	w->envc = envc;
	w->envp = envp;
	for (int i = 0; i < MAX_FDS; i++)
		w->fds[i].host = i <= 2 ? i : -1;
	for (int i = 0; i < ndirs; i++) {
		const char *sep = strstr(dirs[i], "::");
		char host[4096];
		int fd;

		snprintf(host, sizeof(host), "%.*s",
			 sep ? (int)(sep - dirs[i]) : (int)strlen(dirs[i]),
			 dirs[i]);
		fd = open(host, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			err__set(e, errno, "%s", host);
			wasi__destroy(w);
			return NULL;
		}
		w->fds[3 + i].host = fd;
		w->fds[3 + i].preopen = strdup(sep ? sep + 2 : host);
		if (!w->fds[3 + i].preopen) {
			err__set(e, 0, "out of memory");
			wasi__destroy(w);
			return NULL;
		}
	}
	return w;
}

void wasi__bind(struct wasi *w, struct instance *in)
{
	w->mem = instance__export(in, "memory", 6, EXT_MEMORY);
}

void wasi__destroy(struct wasi *w)
{
	if (!w)
		return;
	for (int i = 3; i < MAX_FDS; i++) {
		if (w->fds[i].host >= 0)
			close(w->fds[i].host);
		free(w->fds[i].preopen);
	}
	free(w);
}
