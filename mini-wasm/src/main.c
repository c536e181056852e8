/*
 * main.c - The mini-wasm command line (README, "Usage"):
 *
 *   mini-wasm [--dir HOST[::GUEST]]... [--env K=V]... [--fuel N]
 *             [--max-pages N] [--stats FILE.json] MODULE.wasm [ARGS...]
 *   mini-wasm --invoke NAME MODULE.wasm [ARGS...]
 *   mini-wasm --spec FILE.json
 *
 * Exit status: the program's proc_exit code (0 when _start returns); 134
 * after a trap; 2 for a malformed or invalid module; 1 for other errors
 * (bad usage, unreadable file, link error).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"
#include "spec.h"
#include "timing.h"
#include "wasi.h"

#define PROG "mini-wasm"
#define EXIT_TRAP 134
#define EXIT_BAD_MODULE 2
#define STACK_SLOTS (1u << 21) /* 16 MiB of value stack, mapped lazily */
#define MAX_DEPTH 65536        /* call depth before "call stack exhausted" */

struct opts {
	const char *invoke, *stats, *module;
	char **args; /* the module's arguments */
	int nargs;
	const char *dirs[64];
	int ndirs;
	const char *envs[256];
	int nenvs;
	uint64_t fuel;
	bool fuel_on;
	uint32_t max_pages;
};

static int usage(void)
{
	fprintf(stderr,
		"usage: " PROG " [--dir HOST[::GUEST]]... [--env K=V]... "
		"[--fuel N] [--max-pages N] [--stats FILE.json] MODULE.wasm "
		"[ARGS...]\n"
		"       " PROG " --invoke NAME MODULE.wasm [ARGS...]\n"
		"       " PROG " --spec FILE.json\n");
	return 1;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i = 1;
	uint64_t v;

	o->max_pages = 65536;
	for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val) {
			fprintf(stderr, PROG ": %s: needs a value\n", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--dir") == 0 && o->ndirs < 64) {
			o->dirs[o->ndirs++] = val;
		} else if (strcmp(a, "--env") == 0 && o->nenvs < 256) {
			if (!strchr(val, '=')) {
				fprintf(stderr, PROG ": %s: not K=V\n", val);
				return -1;
			}
			o->envs[o->nenvs++] = val;
		} else if (strcmp(a, "--fuel") == 0) {
			if (parse_u64(val, &o->fuel) < 0) {
				fprintf(stderr, PROG ": %s: not a count\n", val);
				return -1;
			}
			o->fuel_on = true;
		} else if (strcmp(a, "--max-pages") == 0) {
			if (parse_u64(val, &v) < 0 || v > 65536) {
				fprintf(stderr,
					PROG ": %s: not a page count (0..65536)\n",
					val);
				return -1;
			}
			o->max_pages = (uint32_t)v;
		} else if (strcmp(a, "--stats") == 0) {
			o->stats = val;
		} else if (strcmp(a, "--invoke") == 0) {
			o->invoke = val;
		} else {
			fprintf(stderr, PROG ": %s: unknown option\n", a);
			return -1;
		}
	}
	if (i >= argc) {
		usage();
		return -1;
	}
	o->module = argv[i];
	o->args = argv + i;
	o->nargs = argc - i;
	return 0;
}

/* Read a whole file; NULL with e filled. */
static uint8_t *read_file(const char *path, size_t *len, struct isolab_err *e)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f) {
		err__set(e, errno, "%s", path);
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *q = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!q) {
				free(buf);
				fclose(f);
				err__set(e, 0, "%s: out of memory", path);
				return NULL;
			}
			buf = q;
		}
		size_t r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		err__set(e, errno, "%s", path);
		return NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static int run_spec(const char *file)
{
	struct spec_counts c;
	struct isolab_err e;

	if (spec__run(file, &c, &e) < 0) {
		err__print(PROG, &e);
		return 1;
	}
	printf("%d passed, %d failed, %d skipped\n", c.passed, c.failed,
	       c.skipped);
	return c.failed ? 1 : 0;
}

static void print_trap(struct exec *ex)
{
	struct wfunc *f = ex->trap_fn;

	if (f && f->name)
		fprintf(stderr, PROG ": trap: %s in %s\n", ex->trap, f->name);
	else if (f)
		fprintf(stderr, PROG ": trap: %s in function %u\n", ex->trap,
			f->idx);
	else
		fprintf(stderr, PROG ": trap: %s\n", ex->trap);
}

/* One --invoke argument of type t: decimal integers, or C99 floats
 * (decimal or hex, inf, nan). */
static int parse_arg(const char *s, uint8_t t, uint64_t *v)
{
	char *end;
	errno = 0;
	if (t == VT_I32 || t == VT_I64) {
		if (*s == '-') {
			int64_t x = strtoll(s, &end, 10);
			if (t == VT_I32 && (x < INT32_MIN))
				return -1;
			*v = t == VT_I32 ? (uint32_t)x : (uint64_t)x;
		} else {
			*v = strtoull(s, &end, 10);
			if (t == VT_I32 && *v > UINT32_MAX)
				return -1;
		}
	} else if (t == VT_F32) {
		float f = strtof(s, &end);
		uint32_t u;
		memcpy(&u, &f, 4);
		*v = u;
	} else {
		double d = strtod(s, &end);
		memcpy(v, &d, 8);
	}
	return errno || end == s || *end ? -1 : 0;
}

static void print_value(uint8_t t, uint64_t v)
{
	float f;
	double d;
	uint32_t u = (uint32_t)v;

	switch (t) {
	case VT_I32: printf("i32:%" PRId32 "\n", (int32_t)u); break;
	case VT_I64: printf("i64:%" PRId64 "\n", (int64_t)v); break;
	case VT_F32:
		memcpy(&f, &u, 4);
		printf("f32:%.9g\n", f);
		break;
	default:
		memcpy(&d, &v, 8);
		printf("f64:%.17g\n", d);
		break;
	}
}

static int invoke(struct exec *ex, struct instance *in, struct opts *o)
{
	struct wfunc *f = instance__export(in, o->invoke, strlen(o->invoke), EXT_FUNC);
	uint64_t args[64], res[64];

	if (!f) {
		fprintf(stderr, PROG ": %s: no exported function %s\n",
			o->module, o->invoke);
		return 1;
	}
	if ((int)f->type->nparams != o->nargs - 1 || f->type->nparams > 64 ||
	    f->type->nresults > 64) {
		fprintf(stderr, PROG ": %s: %s takes %u arguments, not %d\n",
			o->module, o->invoke, f->type->nparams, o->nargs - 1);
		return 1;
	}
	for (uint32_t i = 0; i < f->type->nparams; i++) {
		if (parse_arg(o->args[i + 1], f->type->types[i], &args[i]) < 0) {
			fprintf(stderr, PROG ": %s: not an %s\n", o->args[i + 1],
				valtype__name(f->type->types[i]));
			return 1;
		}
	}
	if (interp__call(ex, f, args, res) < 0) {
		print_trap(ex);
		return EXIT_TRAP;
	}
	for (uint32_t i = 0; i < f->type->nresults; i++)
		print_value(f->type->types[f->type->nparams + i], res[i]);
	return 0;
}

/* Run _start; the exit status is the program's. */
static int run_start(struct exec *ex, struct instance *in, struct opts *o)
{
	struct wfunc *f = instance__export(in, "_start", 6, EXT_FUNC);
	uint64_t none[1];

	if (!f) {
		fprintf(stderr, PROG ": %s: no exported function _start\n",
			o->module);
		return 1;
	}
	if (interp__call(ex, f, none, none) < 0) {
		if (ex->exited)
			return ex->exit_code;
		print_trap(ex);
		return EXIT_TRAP;
	}
	return 0;
}

static int write_stats(const struct opts *o, struct exec *ex,
		       struct instance *in, uint64_t load_ns, uint64_t run_ns)
{
	FILE *f = fopen(o->stats, "w");

	if (!f) {
		fprintf(stderr, PROG ": %s: %s\n", o->stats, strerror(errno));
		return -1;
	}
	fprintf(f,
		"{\"module\": \"%s\", \"load_ns\": %" PRIu64
		", \"run_ns\": %" PRIu64 ", \"memory_pages\": %" PRIu64
		", \"max_call_depth\": %u, \"trap\": %s%s%s}\n",
		o->module, load_ns, run_ns,
		in && in->mem ? in->mem->size / WASM_PAGE : 0, ex->max_depth,
		ex->trap && !ex->exited ? "\"" : "",
		ex->trap && !ex->exited ? ex->trap : "null",
		ex->trap && !ex->exited ? "\"" : "");
	return fclose(f) == 0 ? 0 : -1;
}

static int run_module(struct opts *o)
{
	struct isolab_err e = { 0 };
	struct store *s = NULL;
	struct linker link = { 0 };
	struct exec *ex = NULL;
	struct wasi *w = NULL;
	struct module *m = NULL;
	struct instance *in = NULL;
	uint64_t t0 = timing__now_ns(), t1;
	size_t len;
	uint8_t *bytes = read_file(o->module, &len, &e);
	int rc = 1;

	if (!bytes) {
		err__print(PROG, &e);
		return 1;
	}
	m = module__decode(bytes, len, &e);
	free(bytes);
	if (m)
		m->fuel = o->fuel_on; /* translate with instruction counts */
	if (!m || module__validate(m, &e) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", o->module, e.msg);
		module__destroy(m);
		return EXIT_BAD_MODULE;
	}
	s = store__create(o->max_pages);
	ex = s ? exec__create(s, STACK_SLOTS, MAX_DEPTH) : NULL;
	w = wasi__create(o->nargs, o->args, o->nenvs, o->envs, o->ndirs,
			 o->dirs, &e);
	if (!ex || !w || wasi__define(w, s, &link, m) < 0) {
		if (!w)
			err__print(PROG, &e);
		else
			fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	ex->fuel = o->fuel;
	ex->fuel_on = o->fuel_on;
	switch (instance__create(s, &link, m, ex, &in, &e)) {
	case 0:
		break;
	case -2:
		print_trap(ex);
		rc = ex->exited ? ex->exit_code : EXIT_TRAP;
		goto out;
	default:
		fprintf(stderr, PROG ": %s: %s\n", o->module, e.msg);
		goto out;
	}
	wasi__bind(w, in);
	t1 = timing__now_ns();
	rc = o->invoke ? invoke(ex, in, o) : run_start(ex, in, o);
	fflush(stdout);
	if (o->stats &&
	    write_stats(o, ex, in, t1 - t0, timing__now_ns() - t1) < 0 &&
	    rc == 0)
		rc = 1;
out:
	wasi__destroy(w);
	exec__destroy(ex);
	linker__free(&link);
	store__destroy(s);
	module__destroy(m);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };

	if (argc == 3 && strcmp(argv[1], "--spec") == 0)
		return run_spec(argv[2]);
	if (argc < 2)
		return usage();
	if (parse_opts(argc, argv, &o) < 0)
		return 1;
	return run_module(&o);
}
