/*
 * workload.c - The built-in workloads: access patterns over a working set
 * (seq, stride, random, zipf, chase) and system-call patterns that change
 * page tables (forkexec, mmapchurn, ctxsw).
 *
 * Lecture: "shadow paging pays when page tables change; nested paging pays
 * on every TLB miss".  The first group stresses the TLB with stable page
 * tables; the second changes page tables at a rate set by `period`, which
 * is how the sweep finds the crossover.  All are deterministic for a seed.
 */
#include "workload.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guestos.h"
#include "sim.h"

#define MAX_PAGES (1ull << 24) /* 64 GiB of working set */

enum {
	W_SEQ = 1,
	W_STRIDE = 2,
	W_RANDOM = 4,
	W_ZIPF = 8,
	W_CHASE = 16,
	W_FORKEXEC = 32,
	W_MMAPCHURN = 64,
	W_CTXSW = 128,
	W_ALL = 255
};

/* The parameters: name, range, default, which workloads take it. */
static const struct wl_param {
	const char *name;
	size_t off;
	uint64_t min, max, dflt;
	unsigned used_by;
} params[] = {
	{"pages", offsetof(struct wl_args, pages), 1, MAX_PAGES, 1024, W_ALL},
	{"accesses", offsetof(struct wl_args, accesses), 0, 10000000000ull,
	 1000000, W_ALL},
	{"writes", offsetof(struct wl_args, writes), 0, 100, 25, W_ALL},
	{"seed", offsetof(struct wl_args, seed), 0, UINT64_MAX, 1, W_ALL},
	{"warm", offsetof(struct wl_args, warm), 0, 1, 0, W_ALL},
	{"stride", offsetof(struct wl_args, stride), 1, MAX_PAGES, 8, W_STRIDE},
	{"theta", offsetof(struct wl_args, theta), 1, 300, 99, W_ZIPF},
	{"period", offsetof(struct wl_args, period), 0, 10000000000ull, 1000,
	 W_FORKEXEC | W_MMAPCHURN},
	{"chunk", offsetof(struct wl_args, chunk), 1, 65536, 1, W_MMAPCHURN},
	{"child", offsetof(struct wl_args, child), 0, 100000000, 1000,
	 W_FORKEXEC},
	{"procs", offsetof(struct wl_args, procs), 1, 4096, 8, W_CTXSW},
	{"quantum", offsetof(struct wl_args, quantum), 1, 100000000, 1000,
	 W_CTXSW},
};

#define NPARAMS (sizeof(params) / sizeof(params[0]))

/* splitmix64: small, fast, and good enough to pick pages. */
static inline uint64_t rng_next(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform number below n (n < 2^32), by multiply-shift. */
static inline uint64_t rng_below(uint64_t *st, uint64_t n)
{
	return ((rng_next(st) >> 32) * n) >> 32;
}

static inline bool rng_write(uint64_t *st, uint64_t percent)
{
	return rng_below(st, 100) < percent;
}

/* One access to page pg of the mapping at base, at a random line. */
static inline int touch(struct sim *s, uint64_t base, uint64_t pg, uint64_t *st,
			const struct wl_args *a, struct isolab_err *e)
{
	uint64_t r = rng_next(st);

	return sim__access(s, base + (pg << PAGE_SHIFT) + (r & 0xfc0),
			   (r >> 32) % 100 < a->writes, NULL, e);
}

void workload__reset_counters(struct sim *s)
{
	memset(&s->c, 0, sizeof(s->c));
}

/* A process with the working set mapped; touched once if warm. */
static int setup(struct sim *s, const struct wl_args *a, uint64_t *base,
		 struct isolab_err *e)
{
	int pid = guestos__current(s);

	if (!pid) {
		pid = guestos__spawn(s, e);
		if (pid < 0 || guestos__switch(s, pid, e) < 0)
			return -1;
	}
	if (guestos__mmap(s, a->pages, true, base, e) < 0)
		return -1;
	return 0;
}

static int warm_up(struct sim *s, const struct wl_args *a, uint64_t base,
		   struct isolab_err *e)
{
	if (!a->warm)
		return 0;
	for (uint64_t p = 0; p < a->pages; p++)
		if (sim__access(s, base + (p << PAGE_SHIFT), true, NULL, e) < 0)
			return -1;
	workload__reset_counters(s);
	return 0;
}

static int run_seq(struct sim *s, const struct wl_args *a, struct isolab_err *e)
{
	uint64_t base, st = a->seed, off = 0, size = a->pages << PAGE_SHIFT;

	if (setup(s, a, &base, e) < 0 || warm_up(s, a, base, e) < 0)
		return -1;
	for (uint64_t i = 0; i < a->accesses; i++) {
		if (sim__access(s, base + off, rng_write(&st, a->writes), NULL,
				e) < 0)
			return -1;
		off += 64; /* the next cache line */
		if (off == size)
			off = 0;
	}
	return 0;
}

static int run_stride(struct sim *s, const struct wl_args *a,
		      struct isolab_err *e)
{
	uint64_t base, st = a->seed, pg = 0;

	if (setup(s, a, &base, e) < 0 || warm_up(s, a, base, e) < 0)
		return -1;
	for (uint64_t i = 0; i < a->accesses; i++) {
		if (touch(s, base, pg, &st, a, e) < 0)
			return -1;
		pg = (pg + a->stride) % a->pages;
	}
	return 0;
}

static int run_random(struct sim *s, const struct wl_args *a,
		      struct isolab_err *e)
{
	uint64_t base, st = a->seed;

	if (setup(s, a, &base, e) < 0 || warm_up(s, a, base, e) < 0)
		return -1;
	for (uint64_t i = 0; i < a->accesses; i++)
		if (touch(s, base, rng_below(&st, a->pages), &st, a, e) < 0)
			return -1;
	return 0;
}

/* A random permutation of 0..n-1 (Fisher-Yates), or a cycle through all
 * of them when cycle (Sattolo's algorithm: the pointer-chase order). */
static uint32_t *permutation(uint64_t n, uint64_t *st, bool cycle,
			     struct isolab_err *e)
{
	uint32_t *p = malloc(n * sizeof(*p)), t;

	if (!p) {
		err__set(e, errno, "workload: %llu pages",
			 (unsigned long long)n);
		return NULL;
	}
	for (uint64_t i = 0; i < n; i++)
		p[i] = (uint32_t)i;
	for (uint64_t i = n - 1; i > 0; i--) {
		uint64_t j = cycle ? rng_below(st, i) : rng_below(st, i + 1);

		t = p[i];
		p[i] = p[j];
		p[j] = t;
	}
	return p;
}

static int run_chase(struct sim *s, const struct wl_args *a,
		     struct isolab_err *e)
{
	uint64_t base, st = a->seed, pg = 0;
	uint32_t *next;
	int rc = 0;

	if (setup(s, a, &base, e) < 0 || warm_up(s, a, base, e) < 0)
		return -1;
	next = permutation(a->pages, &st, true, e);
	if (!next)
		return -1;
	for (uint64_t i = 0; i < a->accesses && rc == 0; i++) {
		rc = touch(s, base, pg, &st, a, e);
		pg = next[pg];
	}
	free(next);
	return rc;
}

/* Zipf over pages: rank r has weight 1/r^theta; ranks are scattered over
 * the working set by a permutation, as hot data is in real programs. */
static int run_zipf(struct sim *s, const struct wl_args *a,
		    struct isolab_err *e)
{
	uint64_t base, st = a->seed, n = a->pages;
	double *cdf = malloc(n * sizeof(*cdf)), sum = 0, u;
	uint32_t *perm = NULL;
	int rc = -1;

	if (!cdf) {
		err__set(e, errno, "zipf: %llu pages", (unsigned long long)n);
		return -1;
	}
	for (uint64_t r = 0; r < n; r++)
		cdf[r] = sum += pow((double)(r + 1), -(double)a->theta / 100);
	if (setup(s, a, &base, e) < 0 || warm_up(s, a, base, e) < 0 ||
	    !(perm = permutation(n, &st, false, e)))
		goto out;
	for (uint64_t i = 0; i < a->accesses; i++) {
		size_t lo = 0, hi = n - 1;

		u = (double)(rng_next(&st) >> 11) * 0x1.0p-53 * sum;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (cdf[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (touch(s, base, perm[lo], &st, a, e) < 0)
			goto out;
	}
	rc = 0;
out:
	free(perm);
	free(cdf);
	return rc;
}

/* The parent works on its set; every `period` accesses it forks, the child
 * runs `child` accesses on the shared (copy-on-write) set, execs a fresh
 * program that touches 16 pages, and exits. */
static int run_forkexec(struct sim *s, const struct wl_args *a,
			struct isolab_err *e)
{
	uint64_t base, st = a->seed, fresh;
	int parent, child;

	if (setup(s, a, &base, e) < 0 || warm_up(s, a, base, e) < 0)
		return -1;
	parent = guestos__current(s);
	while (s->c.accesses < a->accesses) {
		for (uint64_t i = 0;
		     i < a->period && s->c.accesses < a->accesses; i++)
			if (touch(s, base, rng_below(&st, a->pages), &st, a,
				  e) < 0)
				return -1;
		if (s->c.accesses >= a->accesses)
			break;
		child = guestos__fork(s, e);
		if (child < 0 || guestos__switch(s, child, e) < 0)
			return -1;
		for (uint64_t i = 0;
		     i < a->child && s->c.accesses < a->accesses; i++)
			if (touch(s, base, rng_below(&st, a->pages), &st, a,
				  e) < 0)
				return -1;
		if (guestos__exec(s, e) < 0 ||
		    guestos__mmap(s, 16, true, &fresh, e) < 0)
			return -1;
		for (uint64_t p = 0; p < 16; p++)
			if (sim__access(s, fresh + (p << PAGE_SHIFT), true,
					NULL, e) < 0)
				return -1;
		if (guestos__exit(s, parent, e) < 0)
			return -1;
		if (a->period == 0)
			break;
	}
	return 0;
}

/* The working set as pages/chunk mappings of `chunk` pages; every `period`
 * accesses one mapping is unmapped and mapped again (its pages fault back
 * in on the next touch): page-table updates at a chosen rate. */
static int run_mmapchurn(struct sim *s, const struct wl_args *a,
			 struct isolab_err *e)
{
	uint64_t nmaps = (a->pages + a->chunk - 1) / a->chunk;
	uint64_t *map = calloc(nmaps, sizeof(*map)), st = a->seed, m, pg;
	int rc = -1;

	if (!map)
		return err__set(e, errno, "mmapchurn: %llu mappings",
				(unsigned long long)nmaps);
	if (setup(s, &(struct wl_args){.pages = a->chunk}, &map[0], e) < 0)
		goto out;
	for (m = 1; m < nmaps; m++)
		if (guestos__mmap(s, a->chunk, true, &map[m], e) < 0)
			goto out;
	if (a->warm) {
		for (m = 0; m < nmaps; m++)
			for (pg = 0; pg < a->chunk; pg++)
				if (sim__access(s, map[m] + (pg << PAGE_SHIFT),
						true, NULL, e) < 0)
					goto out;
		workload__reset_counters(s);
	}
	for (uint64_t i = 0; i < a->accesses; i++) {
		if (a->period && i % a->period == a->period - 1) {
			m = rng_below(&st, nmaps);
			if (guestos__munmap(s, map[m], a->chunk, e) < 0 ||
			    guestos__mmap(s, a->chunk, true, &map[m], e) < 0)
				goto out;
		}
		m = rng_below(&st, nmaps);
		if (touch(s, map[m], rng_below(&st, a->chunk), &st, a, e) < 0)
			goto out;
	}
	rc = 0;
out:
	free(map);
	return rc;
}

/* `procs` processes, each with its own working set, run round robin for
 * `quantum` accesses each: context switches (CR3 writes) and one set of
 * page tables (and shadow tables) per process. */
static int run_ctxsw(struct sim *s, const struct wl_args *a,
		     struct isolab_err *e)
{
	uint64_t *base = calloc(a->procs, sizeof(*base)), st = a->seed;
	int *pid = calloc(a->procs, sizeof(*pid)), rc = -1;
	uint64_t p = 0, i = 0;

	if (!base || !pid) {
		err__set(e, errno, "ctxsw: %llu processes",
			 (unsigned long long)a->procs);
		goto out;
	}
	for (p = 0; p < a->procs; p++) {
		pid[p] = guestos__spawn(s, e);
		if (pid[p] < 0 || guestos__switch(s, pid[p], e) < 0 ||
		    guestos__mmap(s, a->pages, true, &base[p], e) < 0)
			goto out;
		if (a->warm)
			for (uint64_t pg = 0; pg < a->pages; pg++)
				if (sim__access(s, base[p] + (pg << PAGE_SHIFT),
						true, NULL, e) < 0)
					goto out;
	}
	if (a->warm)
		workload__reset_counters(s);
	for (p = 0; i < a->accesses; p = (p + 1) % a->procs) {
		if (a->procs > 1 && guestos__switch(s, pid[p], e) < 0)
			goto out;
		for (uint64_t q = 0; q < a->quantum && i < a->accesses;
		     q++, i++)
			if (touch(s, base[p], rng_below(&st, a->pages), &st, a,
				  e) < 0)
				goto out;
	}
	rc = 0;
out:
	free(base);
	free(pid);
	return rc;
}

static const struct workload workloads[] = {
	{"seq", "sequential 64-byte lines over the working set", {0}, run_seq},
	{"stride", "every stride-th page, wrapping", {0}, run_stride},
	{"random", "uniformly random pages", {0}, run_random},
	{"zipf", "Zipf-distributed pages (skew theta/100)", {0}, run_zipf},
	{"chase",
	 "pointer chase: one random cycle through all pages",
	 {0},
	 run_chase},
	{"forkexec",
	 "fork, child touches, exec, exit, every period",
	 {0},
	 run_forkexec},
	{"mmapchurn",
	 "munmap+mmap of one chunk every period accesses",
	 {0},
	 run_mmapchurn},
	{"ctxsw",
	 "procs processes round robin, quantum accesses each",
	 {0},
	 run_ctxsw},
};

#define NWORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

const char *workload__names(void)
{
	return "seq, stride, random, zipf, chase, forkexec, mmapchurn, ctxsw";
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno || *end ? -1 : 0;
}

int workload__parse(const char *spec, struct workload *w, struct isolab_err *e)
{
	char buf[512], *colon, *item, *save = NULL, *eq;
	size_t i, k, len = strcspn(spec, ":");
	uint64_t v;

	for (i = 0; i < NWORKLOADS; i++)
		if (strlen(workloads[i].name) == len &&
		    strncmp(spec, workloads[i].name, len) == 0)
			break;
	if (i == NWORKLOADS)
		return err__set(e, 0,
				"--workload: unknown workload `%.*s` (%s)",
				(int)len, spec, workload__names());
	*w = workloads[i];
	for (k = 0; k < NPARAMS; k++)
		*(uint64_t *)((char *)&w->args + params[k].off) =
			params[k].dflt;
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return err__set(e, 0, "--workload: too long");
	colon = strchr(buf, ':');
	for (item = colon ? strtok_r(colon + 1, ",", &save) : NULL; item;
	     item = strtok_r(NULL, ",", &save)) {
		eq = strchr(item, '=');
		if (eq)
			*eq = '\0';
		for (k = 0; k < NPARAMS; k++)
			if (strcmp(item, params[k].name) == 0 &&
			    (params[k].used_by & (1u << i)))
				break;
		if (k == NPARAMS)
			return err__set(e, 0,
					"--workload %s: unknown parameter "
					"`%s`",
					w->name, item);
		if (!eq || parse_u64(eq + 1, &v) < 0 || v < params[k].min ||
		    v > params[k].max)
			return err__set(e, 0,
					"--workload %s: %s=%s out of range "
					"[%llu, %llu]",
					w->name, item, eq ? eq + 1 : "",
					(unsigned long long)params[k].min,
					(unsigned long long)params[k].max);
		*(uint64_t *)((char *)&w->args + params[k].off) = v;
	}
	if (w->run == run_forkexec && w->args.period == 0)
		return err__set(e, 0,
				"--workload forkexec: period=0 out of range "
				"[1, 10000000000]");
	return 0;
}

int workload__run(struct sim *s, const struct workload *w, struct isolab_err *e)
{
	uint64_t n = w->args.pages * (w->run == run_ctxsw ? w->args.procs : 1);

	if (n > s->ngfn)
		return err__set(e, 0,
				"--workload %s: working set of %llu pages "
				"exceeds guest memory (--guest-mib)",
				w->name, (unsigned long long)n);
	return w->run(s, &w->args, e);
}
