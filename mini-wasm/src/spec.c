/*
 * spec.c - The spec test runner: `mini-wasm --spec FILE.json` runs one
 * command script that wabt's wast2json made from an official .wast file
 * (see ../shared/wasm-testsuite/README.md) and counts its assertions.
 *
 * Commands: module (instantiate, optionally named), register (expose a
 * module's exports under a name), action, assert_return (exact bits, or
 * nan:canonical / nan:arithmetic), assert_trap, assert_exhaustion,
 * assert_invalid and assert_malformed (binary modules; text ones are
 * counted as skipped, mini-wasm has no text parser), assert_unlinkable,
 * assert_uninstantiable.  Each failure is reported on stderr as
 * "FILE:LINE: what happened".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "spectest.h"

struct named {
	char *name;
	struct instance *inst;
};

struct spec {
	const char *file;
	char dir[4096];
	struct store *store;
	struct linker link;
	struct exec *ex;
	struct module **mods;
	size_t nmods;
	struct named *names;
	size_t nnames;
	struct instance *current;
	int passed, failed, skipped;
	int line;
};

static void spec_fail(struct spec *s, const char *fmt, const char *what)
{
	fprintf(stderr, "%s:%d: ", s->file, s->line);
	fprintf(stderr, fmt, what ? what : "");
	fputc('\n', stderr);
	s->failed++;
}

/* Decode and validate a module file of the script.  Returns the module
 * (kept until the end) or NULL with e filled. */
static struct module *spec_load(struct spec *s, const char *filename,
				struct isolab_err *e)
{
	char path[8192];
	FILE *f;
	uint8_t *buf = NULL;
	long len;
	struct module *m = NULL;
	struct module **q;

	snprintf(path, sizeof(path), "%s/%s", s->dir, filename);
	f = fopen(path, "rb");
	if (!f) {
		err__set(e, 0, "%s: cannot open", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc(len + 1)) &&
	    fread(buf, 1, len, f) == (size_t)len)
		m = module__decode(buf, len, e);
	else
		err__set(e, 0, "%s: cannot read", path);
	/* The v1.1 core scripts test Wasm 1.0, where a function has at most
	 * one result; multi-value is tested by its own proposal's scripts. */
	if (m)
		m->mvp_only = strstr(s->file, "v1.1/core/") != NULL;
	free(buf);
	fclose(f);
	if (m && module__validate(m, e) < 0) {
		module__destroy(m);
		return NULL;
	}
	if (!m)
		return NULL;
	q = realloc(s->mods, (s->nmods + 1) * sizeof(*q));
	if (!q) {
		module__destroy(m);
		err__set(e, 0, "out of memory");
		return NULL;
	}
	s->mods = q;
	s->mods[s->nmods++] = m;
	return m;
}

static struct instance *spec_instance(struct spec *s, const char *name)
{
	if (!name)
		return s->current;
	for (size_t i = s->nnames; i-- > 0;)
		if (strcmp(s->names[i].name, name) == 0)
			return s->names[i].inst;
	return NULL;
}

static int spec_name(struct spec *s, const char *name, struct instance *in)
{
	struct named *q = realloc(s->names, (s->nnames + 1) * sizeof(*q));

	if (!q)
		return -1;
	s->names = q;
	s->names[s->nnames].name = strdup(name);
	s->names[s->nnames++].inst = in;
	return 0;
}

/* Instantiate a module file: 0, -1 load/link error, -2 trap. */
static int spec_instantiate(struct spec *s, const char *filename,
			    struct instance **out, struct isolab_err *e)
{
	struct module *m = spec_load(s, filename, e);

	if (!m)
		return -3;
	return instance__create(s->store, &s->link, m, s->ex, out, e);
}

static uint64_t spec_value(json_t *v)
{
	const char *str = json_string_value(json_object_get(v, "value"));

	return str ? strtoull(str, NULL, 10) : 0;
}

/* Run an action; results in res (up to 16).  Returns 0, -1 trap, -2 when
 * the action itself is wrong (unknown export). */
static int spec_action(struct spec *s, json_t *act, uint64_t *res,
		       uint32_t *nres)
{
	const char *type = json_string_value(json_object_get(act, "type"));
	json_t *jfield = json_object_get(act, "field");
	const char *field = json_string_value(jfield);
	size_t flen = json_string_length(jfield);
	struct instance *in = spec_instance(
		s, json_string_value(json_object_get(act, "module")));
	json_t *args = json_object_get(act, "args");
	uint64_t argv[64];
	struct wfunc *f;

	if (!in || !field || !type)
		return -2;
	if (strcmp(type, "get") == 0) {
		struct wglobal *g = instance__export(in, field, flen, EXT_GLOBAL);
		if (!g)
			return -2;
		res[0] = g->val;
		*nres = 1;
		return 0;
	}
	f = instance__export(in, field, flen, EXT_FUNC);
	if (!f || json_array_size(args) != f->type->nparams ||
	    f->type->nparams > 64 || f->type->nresults > 16)
		return -2;
	for (size_t i = 0; i < json_array_size(args); i++)
		argv[i] = spec_value(json_array_get(args, i));
	*nres = f->type->nresults;
	return interp__call(s->ex, f, argv, res) < 0 ? -1 : 0;
}

static bool spec_match(json_t *want, uint64_t got)
{
	const char *type = json_string_value(json_object_get(want, "type"));
	const char *val = json_string_value(json_object_get(want, "value"));
	bool f32 = type && strcmp(type, "f32") == 0;
	uint64_t mask = type && (f32 || strcmp(type, "i32") == 0) ?
				0xFFFFFFFFull :
				~0ull;

	got &= mask;
	if (val && strcmp(val, "nan:canonical") == 0)
		return f32 ? (got & 0x7FFFFFFF) == 0x7FC00000 :
			     (got & ~(1ull << 63)) == 0x7FF8000000000000ull;
	if (val && strcmp(val, "nan:arithmetic") == 0)
		return f32 ? (got & 0x7FC00000) == 0x7FC00000 :
			     (got & 0x7FF8000000000000ull) ==
				     0x7FF8000000000000ull;
	return got == (spec_value(want) & mask);
}

static void spec_assert_return(struct spec *s, json_t *cmd)
{
	json_t *exp = json_object_get(cmd, "expected");
	uint64_t res[16];
	uint32_t n = 0;
	int rc = spec_action(s, json_object_get(cmd, "action"), res, &n);

	if (rc == -1)
		return spec_fail(s, "unexpected trap: %s", s->ex->trap);
	if (rc < 0)
		return spec_fail(s, "cannot run the action%s", NULL);
	if (json_array_size(exp) != n)
		return spec_fail(s, "wrong number of results%s", NULL);
	for (uint32_t i = 0; i < n; i++)
		if (!spec_match(json_array_get(exp, i), res[i]))
			return spec_fail(s, "wrong result%s", NULL);
	s->passed++;
}

static void spec_assert_trap(struct spec *s, json_t *cmd, const char *want)
{
	uint64_t res[16];
	uint32_t n;
	const char *file = json_string_value(json_object_get(cmd, "filename"));
	struct isolab_err e;
	int rc;

	if (file) {
		struct instance *in;
		rc = spec_instantiate(s, file, &in, &e) == -2 ? -1 : 0;
	} else {
		rc = spec_action(s, json_object_get(cmd, "action"), res, &n);
	}
	if (rc != -1)
		return spec_fail(s, "expected a trap: %s", want);
	if (strncmp(s->ex->trap, want, strlen(want)) != 0)
		return spec_fail(s, "wrong trap: %s", s->ex->trap);
	s->passed++;
}

/* assert_invalid, assert_malformed, assert_unlinkable,
 * assert_uninstantiable: the module must fail at the right stage. */
static void spec_assert_module(struct spec *s, json_t *cmd, int want_rc)
{
	const char *file = json_string_value(json_object_get(cmd, "filename"));
	const char *mt = json_string_value(json_object_get(cmd, "module_type"));
	struct isolab_err e;
	struct instance *in;
	int rc;

	if (mt && strcmp(mt, "text") == 0) {
		s->skipped++;
		return;
	}
	if (!file)
		return spec_fail(s, "no module file%s", NULL);
	rc = spec_instantiate(s, file, &in, &e);
	if (rc != want_rc && !(want_rc == -3 && rc == -3))
		return spec_fail(s, "module did not fail as expected: %s",
				 rc ? e.msg : "it loaded");
	s->passed++;
}

static void spec_command(struct spec *s, json_t *cmd)
{
	const char *type = json_string_value(json_object_get(cmd, "type"));
	const char *text = json_string_value(json_object_get(cmd, "text"));
	struct isolab_err e;
	uint64_t res[16];
	uint32_t n;

	s->line = (int)json_integer_value(json_object_get(cmd, "line"));
	if (!type)
		return spec_fail(s, "command without a type%s", NULL);
	if (strcmp(type, "module") == 0) {
		const char *file =
			json_string_value(json_object_get(cmd, "filename"));
		const char *name =
			json_string_value(json_object_get(cmd, "name"));
		struct instance *in = NULL;
		s->current = NULL;
		if (!file || spec_instantiate(s, file, &in, &e) < 0)
			return spec_fail(s, "module failed: %s",
					 file ? e.msg : "no file");
		s->current = in;
		if (name && spec_name(s, name, in) < 0)
			return spec_fail(s, "out of memory%s", NULL);
	} else if (strcmp(type, "register") == 0) {
		const char *as = json_string_value(json_object_get(cmd, "as"));
		struct instance *in = spec_instance(
			s, json_string_value(json_object_get(cmd, "name")));
		if (!in || !as ||
		    linker__define_instance(&s->link, as, in) < 0)
			return spec_fail(s, "cannot register%s", NULL);
	} else if (strcmp(type, "action") == 0) {
		if (spec_action(s, json_object_get(cmd, "action"), res, &n) < 0)
			return spec_fail(s, "action failed%s", NULL);
	} else if (strcmp(type, "assert_return") == 0) {
		spec_assert_return(s, cmd);
	} else if (strcmp(type, "assert_trap") == 0 ||
		   strcmp(type, "assert_exhaustion") == 0) {
		spec_assert_trap(s, cmd, text ? text : "");
	} else if (strcmp(type, "assert_invalid") == 0 ||
		   strcmp(type, "assert_malformed") == 0) {
		spec_assert_module(s, cmd, -3);
	} else if (strcmp(type, "assert_unlinkable") == 0) {
		spec_assert_module(s, cmd, -1);
	} else if (strcmp(type, "assert_uninstantiable") == 0) {
		spec_assert_module(s, cmd, -2);
	} else {
		spec_fail(s, "unknown command %s", type);
	}
}

int spec__run(const char *file, struct spec_counts *out, struct isolab_err *e)
{
	struct spec s = { .file = file };
	json_error_t jerr;
	json_t *root, *cmds;
	const char *slash = strrchr(file, '/');
	int rc = -1;

	snprintf(s.dir, sizeof(s.dir), "%.*s",
		 slash ? (int)(slash - file) : 1, slash ? file : ".");
	root = json_load_file(file, JSON_ALLOW_NUL, &jerr);
	if (!root)
		return err__set(e, 0, "%s: line %d: %s", file, jerr.line,
				jerr.text);
	cmds = json_object_get(root, "commands");
	if (!json_is_array(cmds)) {
		err__set(e, 0, "%s: no \"commands\" array", file);
		goto out;
	}
	s.store = store__create(65536);
	s.ex = s.store ? exec__create(s.store, 1 << 20, 10000) : NULL;
	if (!s.ex || spectest__define(s.store, &s.link) < 0) {
		err__set(e, 0, "%s: out of memory", file);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(cmds); i++)
		spec_command(&s, json_array_get(cmds, i));
	out->passed = s.passed;
	out->failed = s.failed;
	out->skipped = s.skipped;
	rc = 0;
out:
	exec__destroy(s.ex);
	linker__free(&s.link);
	store__destroy(s.store);
	for (size_t i = 0; i < s.nmods; i++)
		module__destroy(s.mods[i]);
	free(s.mods);
	for (size_t i = 0; i < s.nnames; i++)
		free(s.names[i].name);
	free(s.names);
	json_decref(root);
	return rc;
}
