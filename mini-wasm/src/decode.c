/*
 * decode.c - The binary decoder: bytes to a struct module (spec section 5,
 * "Binary Format").
 *
 * The file is a magic number, a version and a sequence of sections, each
 * an id byte and a size.  Known sections must come in order and at most
 * once; custom sections (id 0) may appear anywhere and are skipped except
 * "name", whose function names make trap messages readable.  Anything the
 * grammar does not allow is "malformed"; whether the parts fit together
 * (indices in range, types match) is the validator's job (validate.c).
 * Function bodies are only sliced here; validate.c reads their code.
 */
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "reader.h"

#define CHECK(x)              \
	do {                  \
		if ((x) < 0)  \
			return -1; \
	} while (0)

/* Arrays are sized by counts read from the file: never trust a count
 * beyond what the remaining bytes could hold (one byte per item at least). */
static void *decode_array(struct reader *r, uint32_t n, size_t size)
{
	void *p;

	if (n > (size_t)(r->end - r->p)) {
		reader_fail(r, "unexpected end");
		return NULL;
	}
	p = calloc(n ? n : 1, size);
	if (!p)
		reader_fail(r, "out of memory");
	return p;
}

/* UTF-8 well-formedness (spec 5.2.4, Unicode's table 3-7). */
static int utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = s[i];
		size_t len;
		uint32_t cp, min;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			len = 2, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static int decode_name_len(struct reader *r, char **out, uint32_t *len)
{
	uint32_t n;
	const uint8_t *s;

	CHECK(reader_u32(r, &n));
	CHECK(reader_bytes(r, n, &s));
	if (!utf8_valid(s, n))
		return reader_fail(r, "invalid UTF-8 encoding");
	*out = malloc(n + 1);
	if (!*out)
		return reader_fail(r, "out of memory");
	memcpy(*out, s, n);
	(*out)[n] = 0;
	if (len)
		*len = n;
	return 0;
}

static int decode_name(struct reader *r, char **out)
{
	return decode_name_len(r, out, NULL);
}

static int decode_valtype(struct reader *r, uint8_t *t)
{
	CHECK(reader_u8(r, t));
	if (*t != VT_I32 && *t != VT_I64 && *t != VT_F32 && *t != VT_F64)
		return reader_fail(r, "invalid value type");
	return 0;
}

static int decode_limits(struct reader *r, struct limits *l)
{
	uint8_t flag;

	CHECK(reader_u8(r, &flag));
	if (flag > 1)
		return reader_fail(r, "integer too large");
	CHECK(reader_u32(r, &l->min));
	l->has_max = flag == 1;
	if (l->has_max)
		CHECK(reader_u32(r, &l->max));
	return 0;
}

static int decode_tabletype(struct reader *r, struct limits *l)
{
	uint8_t t;

	CHECK(reader_u8(r, &t));
	if (t != VT_FUNCREF)
		return reader_fail(r, "malformed reference type");
	return decode_limits(r, l);
}

static int decode_globaltype(struct reader *r, struct globaltype *g)
{
	uint8_t mut;

	CHECK(decode_valtype(r, &g->type));
	CHECK(reader_u8(r, &mut));
	if (mut > 1)
		return reader_fail(r, "malformed mutability");
	g->mut = mut;
	return 0;
}

/* A constant expression: one instruction then `end` (spec 5.4.9). */
static int decode_constexpr(struct reader *r, struct constexpr *c)
{
	int64_t s;
	uint32_t u;
	const uint8_t *b;
	uint8_t end;

	CHECK(reader_u8(r, &c->op));
	switch (c->op) {
	case 0x41:
		CHECK(reader_sleb(r, 32, &s));
		c->val = (uint32_t)s;
		break;
	case 0x42:
		CHECK(reader_sleb(r, 64, &s));
		c->val = (uint64_t)s;
		break;
	case 0x43:
		CHECK(reader_bytes(r, 4, &b));
		memcpy(&u, b, 4);
		c->val = u;
		break;
	case 0x44:
		CHECK(reader_bytes(r, 8, &b));
		memcpy(&c->val, b, 8);
		break;
	case 0x23:
		CHECK(reader_u32(r, &u));
		c->val = u;
		break;
	default:
		/* other instructions are well-formed but not constant */
		r->p--;
		return reader_fail(r, "constant expression required");
	}
	CHECK(reader_u8(r, &end));
	if (end != 0x0B)
		return reader_fail(r, "constant expression required");
	return 0;
}

static int decode_types(struct reader *r, struct module *m)
{
	CHECK(reader_u32(r, &m->ntypes));
	m->types = decode_array(r, m->ntypes, sizeof(*m->types));
	if (!m->types)
		return -1;
	for (uint32_t i = 0; i < m->ntypes; i++) {
		struct functype *ft = &m->types[i];
		uint8_t form;
		uint32_t np, nr;

		CHECK(reader_u8(r, &form));
		if (form != 0x60)
			return reader_fail(r, "integer representation too long");
		CHECK(reader_u32(r, &np));
		if (np > (size_t)(r->end - r->p))
			return reader_fail(r, "unexpected end");
		ft->types = malloc(np + 1);
		if (!ft->types)
			return reader_fail(r, "out of memory");
		for (uint32_t k = 0; k < np; k++)
			CHECK(decode_valtype(r, &ft->types[k]));
		ft->nparams = np;
		CHECK(reader_u32(r, &nr));
		if (nr > (size_t)(r->end - r->p))
			return reader_fail(r, "unexpected end");
		ft->types = realloc(ft->types, np + nr + 1);
		if (!ft->types)
			return reader_fail(r, "out of memory");
		for (uint32_t k = 0; k < nr; k++)
			CHECK(decode_valtype(r, &ft->types[np + k]));
		ft->nresults = nr;
	}
	return 0;
}

static int decode_imports(struct reader *r, struct module *m)
{
	CHECK(reader_u32(r, &m->nimports));
	m->imports = decode_array(r, m->nimports, sizeof(*m->imports));
	if (!m->imports)
		return -1;
	for (uint32_t i = 0; i < m->nimports; i++) {
		struct import *im = &m->imports[i];

		CHECK(decode_name(r, &im->module));
		CHECK(decode_name(r, &im->name));
		CHECK(reader_u8(r, &im->kind));
		switch (im->kind) {
		case EXT_FUNC:
			CHECK(reader_u32(r, &im->type_idx));
			m->nfunc_imports++;
			break;
		case EXT_TABLE:
			CHECK(decode_tabletype(r, &im->lim));
			m->ntable_imports++;
			break;
		case EXT_MEMORY:
			CHECK(decode_limits(r, &im->lim));
			m->nmem_imports++;
			break;
		case EXT_GLOBAL:
			CHECK(decode_globaltype(r, &im->global));
			m->nglobal_imports++;
			break;
		default:
			return reader_fail(r, "malformed import kind");
		}
	}
	return 0;
}

/* Index spaces hold the imports first: size them once both are known. */
static int decode_funcs(struct reader *r, struct module *m)
{
	uint32_t n;

	CHECK(reader_u32(r, &n));
	if (n > (size_t)(r->end - r->p))
		return reader_fail(r, "unexpected end");
	m->nfuncs = m->nfunc_imports + n;
	m->funcs = calloc(m->nfuncs + 1, sizeof(*m->funcs));
	if (!m->funcs)
		return reader_fail(r, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		CHECK(reader_u32(r, &m->funcs[m->nfunc_imports + i].type_idx));
	return 0;
}

static int decode_tables(struct reader *r, struct module *m)
{
	uint32_t n;

	CHECK(reader_u32(r, &n));
	if (n > (size_t)(r->end - r->p))
		return reader_fail(r, "unexpected end");
	m->ntables = m->ntable_imports + n;
	m->tables = calloc(m->ntables + 1, sizeof(*m->tables));
	if (!m->tables)
		return reader_fail(r, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		CHECK(decode_tabletype(r, &m->tables[m->ntable_imports + i]));
	return 0;
}

static int decode_mems(struct reader *r, struct module *m)
{
	uint32_t n;

	CHECK(reader_u32(r, &n));
	if (n > (size_t)(r->end - r->p))
		return reader_fail(r, "unexpected end");
	m->nmems = m->nmem_imports + n;
	m->mems = calloc(m->nmems + 1, sizeof(*m->mems));
	if (!m->mems)
		return reader_fail(r, "out of memory");
	for (uint32_t i = 0; i < n; i++)
		CHECK(decode_limits(r, &m->mems[m->nmem_imports + i]));
	return 0;
}

static int decode_globals(struct reader *r, struct module *m)
{
	uint32_t n;

	CHECK(reader_u32(r, &n));
	if (n > (size_t)(r->end - r->p))
		return reader_fail(r, "unexpected end");
	m->nglobals = m->nglobal_imports + n;
	m->globals = calloc(m->nglobals + 1, sizeof(*m->globals));
	if (!m->globals)
		return reader_fail(r, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		struct global *g = &m->globals[m->nglobal_imports + i];
		CHECK(decode_globaltype(r, &g->type));
		CHECK(decode_constexpr(r, &g->init));
	}
	return 0;
}

static int decode_exports(struct reader *r, struct module *m)
{
	CHECK(reader_u32(r, &m->nexports));
	m->exports = decode_array(r, m->nexports, sizeof(*m->exports));
	if (!m->exports)
		return -1;
	for (uint32_t i = 0; i < m->nexports; i++) {
		struct export *ex = &m->exports[i];
		CHECK(decode_name_len(r, &ex->name, &ex->name_len));
		CHECK(reader_u8(r, &ex->kind));
		if (ex->kind > EXT_GLOBAL)
			return reader_fail(r, "malformed export kind");
		CHECK(reader_u32(r, &ex->idx));
	}
	return 0;
}

static int decode_elems(struct reader *r, struct module *m)
{
	CHECK(reader_u32(r, &m->nelems));
	m->elems = decode_array(r, m->nelems, sizeof(*m->elems));
	if (!m->elems)
		return -1;
	for (uint32_t i = 0; i < m->nelems; i++) {
		struct elem_seg *s = &m->elems[i];
		CHECK(reader_u32(r, &s->table));
		CHECK(decode_constexpr(r, &s->offset));
		CHECK(reader_u32(r, &s->n));
		s->funcs = decode_array(r, s->n, sizeof(*s->funcs));
		if (!s->funcs)
			return -1;
		for (uint32_t k = 0; k < s->n; k++)
			CHECK(reader_u32(r, &s->funcs[k]));
	}
	return 0;
}

static int decode_datas(struct reader *r, struct module *m)
{
	CHECK(reader_u32(r, &m->ndatas));
	m->datas = decode_array(r, m->ndatas, sizeof(*m->datas));
	if (!m->datas)
		return -1;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		struct data_seg *s = &m->datas[i];
		CHECK(reader_u32(r, &s->mem));
		CHECK(decode_constexpr(r, &s->offset));
		CHECK(reader_u32(r, &s->len));
		CHECK(reader_bytes(r, s->len, &s->bytes));
	}
	return 0;
}

/* The code section: per function its size, local declarations, body. */
static int decode_code(struct reader *r, struct module *m)
{
	uint32_t n;

	CHECK(reader_u32(r, &n));
	if (n != (m->funcs ? m->nfuncs - m->nfunc_imports : 0))
		return reader_fail(
			r, "function and code section have inconsistent lengths");
	for (uint32_t i = 0; i < n; i++) {
		struct func *f = &m->funcs[m->nfunc_imports + i];
		struct reader body;
		uint32_t size, ngroups;
		uint64_t total = 0;
		const uint8_t *start, *save;

		CHECK(reader_u32(r, &size));
		CHECK(reader_bytes(r, size, &start));
		body = (struct reader){ r->base, start, start + size, NULL, 0 };
		if (reader_u32(&body, &ngroups) < 0)
			goto fail;
		/* first pass: count, so "too many locals" is caught before
		 * any allocation */
		save = body.p;
		for (uint32_t g = 0; g < ngroups; g++) {
			uint32_t cnt;
			uint8_t t;
			if (reader_u32(&body, &cnt) < 0 ||
			    decode_valtype(&body, &t) < 0)
				goto fail;
			total += cnt;
			if (total > 50000) {
				reader_fail(&body, "too many locals");
				goto fail;
			}
		}
		f->nlocals = (uint32_t)total;
		f->local_types = malloc(total + 1);
		if (!f->local_types)
			return reader_fail(r, "out of memory");
		body.p = save;
		total = 0;
		for (uint32_t g = 0; g < ngroups; g++) {
			uint32_t cnt = 0;
			uint8_t t = 0;
			reader_u32(&body, &cnt);
			decode_valtype(&body, &t);
			memset(f->local_types + total, t, cnt);
			total += cnt;
		}
		f->body = body.p;
		f->body_len = (size_t)(body.end - body.p);
		f->body_off = (size_t)(body.p - r->base);
		continue;
fail:
		r->err = body.err;
		r->err_off = body.err_off;
		return -1;
	}
	return 0;
}

/* The name section's function names (subsection 1); errors in it are
 * ignored, as the spec allows for custom sections. */
static void decode_names(struct reader *r, struct module *m)
{
	while (r->p < r->end) {
		uint8_t id;
		uint32_t size, n;
		const uint8_t *sub;
		struct reader s;

		if (reader_u8(r, &id) < 0 || reader_u32(r, &size) < 0 ||
		    reader_bytes(r, size, &sub) < 0)
			return;
		if (id != 1)
			continue;
		s = (struct reader){ r->base, sub, sub + size, NULL, 0 };
		if (reader_u32(&s, &n) < 0)
			return;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t idx;
			char *name;
			if (reader_u32(&s, &idx) < 0 ||
			    decode_name(&s, &name) < 0)
				return;
			if (idx < m->nfuncs && !m->funcs[idx].name)
				m->funcs[idx].name = name;
			else
				free(name);
		}
	}
}

static int decode_custom(struct reader *r, struct module *m)
{
	char *name;

	CHECK(decode_name(r, &name));
	if (strcmp(name, "name") == 0 && m->funcs) {
		struct reader s = *r;
		decode_names(&s, m);
	}
	free(name);
	r->p = r->end;
	return 0;
}

typedef int (*section_fn)(struct reader *r, struct module *m);

static const section_fn sections[] = {
	[1] = decode_types,   [2] = decode_imports, [3] = decode_funcs,
	[4] = decode_tables,  [5] = decode_mems,    [6] = decode_globals,
	[7] = decode_exports, [8] = NULL,           [9] = decode_elems,
	[10] = decode_code,   [11] = decode_datas,
};

static int decode_start(struct reader *r, struct module *m)
{
	m->has_start = true;
	return reader_u32(r, &m->start);
}

/* Sections with no entries still need the arrays of the index spaces. */
static int decode_defaults(struct module *m)
{
	if (!m->funcs) {
		m->nfuncs = m->nfunc_imports;
		m->funcs = calloc(m->nfuncs + 1, sizeof(*m->funcs));
	}
	if (!m->tables) {
		m->ntables = m->ntable_imports;
		m->tables = calloc(m->ntables + 1, sizeof(*m->tables));
	}
	if (!m->mems) {
		m->nmems = m->nmem_imports;
		m->mems = calloc(m->nmems + 1, sizeof(*m->mems));
	}
	if (!m->globals) {
		m->nglobals = m->nglobal_imports;
		m->globals = calloc(m->nglobals + 1, sizeof(*m->globals));
	}
	if (!m->funcs || !m->tables || !m->mems || !m->globals)
		return -1;
	return 0;
}

/* Imported entities take their types from the import entries. */
static void decode_import_types(struct module *m)
{
	uint32_t f = 0, t = 0, me = 0, g = 0;

	for (uint32_t i = 0; i < m->nimports; i++) {
		struct import *im = &m->imports[i];
		switch (im->kind) {
		case EXT_FUNC:
			m->funcs[f].type_idx = im->type_idx;
			m->funcs[f++].imported = true;
			break;
		case EXT_TABLE: m->tables[t++] = im->lim; break;
		case EXT_MEMORY: m->mems[me++] = im->lim; break;
		case EXT_GLOBAL: m->globals[g++].type = im->global; break;
		}
	}
}

static int decode_sections(struct reader *r, struct module *m)
{
	uint8_t last = 0;

	while (r->p < r->end) {
		uint8_t id;
		uint32_t size;
		const uint8_t *body;
		struct reader s;
		int rc;

		size_t at = (size_t)(r->p - r->base);

		CHECK(reader_u8(r, &id));
		CHECK(reader_u32(r, &size));
		if (id > 11)
			return reader_fail(r, "malformed section id");
		CHECK(reader_bytes(r, size, &body));
		if (id != 0) {
			m->section_off[id] = at;
			if (id <= last)
				return reader_fail(r, "unexpected content after last section");
			last = id;
		}
		s = (struct reader){ r->base, body, body + size, NULL, 0 };
		if (id == 0)
			rc = decode_custom(&s, m);
		else if (id == 8)
			rc = decode_start(&s, m);
		else
			rc = sections[id](&s, m);
		if (rc < 0 || s.p != s.end) {
			if (rc == 0)
				reader_fail(&s, "section size mismatch");
			r->err = s.err;
			r->err_off = s.err_off;
			return -1;
		}
	}
	return 0;
}

/* Index spaces are sized by the sections that define entities (imports
 * come first in each); decode_defaults sizes those a module left out. */
struct module *module__decode(const uint8_t *bytes, size_t len,
			      struct isolab_err *e)
{
	static const uint8_t magic[4] = { 0, 'a', 's', 'm' };
	static const uint8_t version[4] = { 1, 0, 0, 0 };
	struct module *m = calloc(1, sizeof(*m));
	struct reader r;

	if (!m) {
		err__set(e, 0, "out of memory");
		return NULL;
	}
	m->bytes = malloc(len ? len : 1);
	if (!m->bytes) {
		free(m);
		err__set(e, 0, "out of memory");
		return NULL;
	}
	if (len)
		memcpy(m->bytes, bytes, len);
	m->len = len;
	r = (struct reader){ m->bytes, m->bytes, m->bytes + len, NULL, 0 };
	if (len < 4 || memcmp(m->bytes, magic, 4) != 0) {
		reader_fail(&r, "magic header not detected");
		goto fail;
	}
	r.p += 4;
	if (len < 8 || memcmp(m->bytes + 4, version, 4) != 0) {
		reader_fail(&r, "unknown binary version");
		goto fail;
	}
	r.p += 4;
	if (decode_sections(&r, m) < 0)
		goto fail;
	if (decode_defaults(m) < 0) {
		reader_fail(&r, "out of memory");
		goto fail;
	}
	decode_import_types(m);
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		if (!m->funcs[i].local_types) {
			r.p = r.end;
			reader_fail(&r, "function and code section have "
					"inconsistent lengths");
			goto fail;
		}
	}
	return m;
fail:
	err__set(e, 0, "malformed module: %s at offset 0x%zx", r.err,
		 r.err_off);
	module__destroy(m);
	return NULL;
}

void module__destroy(struct module *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; m->types && i < m->ntypes; i++)
		free(m->types[i].types);
	free(m->types);
	for (uint32_t i = 0; m->imports && i < m->nimports; i++) {
		free(m->imports[i].module);
		free(m->imports[i].name);
	}
	free(m->imports);
	for (uint32_t i = 0; m->funcs && i < m->nfuncs; i++) {
		free((char *)m->funcs[i].name);
		free(m->funcs[i].local_types);
		free(m->funcs[i].code);
	}
	free(m->funcs);
	free(m->tables);
	free(m->mems);
	free(m->globals);
	for (uint32_t i = 0; m->exports && i < m->nexports; i++)
		free(m->exports[i].name);
	free(m->exports);
	for (uint32_t i = 0; m->elems && i < m->nelems; i++)
		free(m->elems[i].funcs);
	free(m->elems);
	free(m->datas);
	free(m->bytes);
	free(m);
}

const struct export *module__export(const struct module *m, const char *name,
				    size_t len, uint8_t kind)
{
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == kind && m->exports[i].name_len == len &&
		    memcmp(m->exports[i].name, name, len) == 0)
			return &m->exports[i];
	return NULL;
}

int functype__cmp(const struct functype *a, const struct functype *b)
{
	if (a->nparams != b->nparams || a->nresults != b->nresults)
		return 1;
	if (a->nparams + a->nresults == 0)
		return 0;
	return memcmp(a->types, b->types, a->nparams + a->nresults) != 0;
}

const char *valtype__name(uint8_t t)
{
	switch (t) {
	case VT_I32: return "i32";
	case VT_I64: return "i64";
	case VT_F32: return "f32";
	case VT_F64: return "f64";
	case VT_FUNCREF: return "funcref";
	default: return "?";
	}
}
