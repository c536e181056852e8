/*
 * instance.c - Instantiation and linking (spec section 4.5): the store,
 * memories and tables, resolving imports, initial values of globals,
 * element and data segments, the start function.
 *
 * Instantiating a module (spec 4.5.4) checks every import against what
 * the linker offers (kind and type, limits by subtyping), allocates the
 * module's own functions, tables, memories and globals in the store, then
 * checks that every segment fits before writing any (Wasm 1.0 order, so a
 * failed link leaves shared tables and memories untouched), and finally
 * runs the start function.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime.h"

/* --- the store --- */

struct store *store__create(uint32_t max_pages)
{
	struct store *s = calloc(1, sizeof(*s));

	if (s)
		s->max_pages = max_pages > 65536 ? 65536 : max_pages;
	return s;
}

void *store__alloc(struct store *s, size_t size)
{
	void *p;

	if (s->nobjs == s->cap) {
		size_t n = s->cap ? s->cap * 2 : 64;
		void **q = realloc(s->objs, n * sizeof(*q));
		if (!q)
			return NULL;
		s->objs = q;
		s->cap = n;
	}
	p = calloc(1, size ? size : 1);
	if (p)
		s->objs[s->nobjs++] = p;
	return p;
}

void store__destroy(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmems; i++)
		if (s->mems[i]->reserved)
			munmap(s->mems[i]->data, s->mems[i]->reserved);
	for (size_t i = 0; i < s->nobjs; i++)
		free(s->objs[i]);
	free(s->mems);
	free(s->objs);
	free(s);
}

/* Linear memory is mapped, never malloc'd: pages the program never
 * touches cost no RSS, and growth is an mremap, not a copy. */
struct wmem *store__memory(struct store *s, const struct limits *l)
{
	struct wmem *m = store__alloc(s, sizeof(*m));
	uint32_t min = l->min, max = l->has_max ? l->max : 65536;

	if (!m)
		return NULL;
	if (s->nmems == s->capmems) {
		size_t n = s->capmems ? s->capmems * 2 : 8;
		struct wmem **q = realloc(s->mems, n * sizeof(*q));
		if (!q)
			return NULL;
		s->mems = q;
		s->capmems = n;
	}
	s->mems[s->nmems++] = m;
	m->has_max = l->has_max;
	m->decl_max = l->max;
	m->max = max < s->max_pages ? max : s->max_pages;
	if (min > m->max)
		return NULL;
	if (min > 0) {
		m->data = mmap(NULL, (size_t)min * WASM_PAGE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (m->data == MAP_FAILED) {
			m->data = NULL;
			return NULL;
		}
		m->reserved = (uint64_t)min * WASM_PAGE;
	}
	m->size = (uint64_t)min * WASM_PAGE;
	return m;
}

int64_t memory__grow(struct wmem *m, uint32_t delta)
{
	uint64_t old = m->size / WASM_PAGE, pages = old + delta;
	void *p;

	if (pages > m->max)
		return -1;
	if (delta == 0)
		return (int64_t)old;
	if (m->reserved)
		p = mremap(m->data, m->reserved, pages * WASM_PAGE,
			   MREMAP_MAYMOVE);
	else
		p = mmap(NULL, pages * WASM_PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	m->data = p;
	m->reserved = pages * WASM_PAGE;
	m->size = pages * WASM_PAGE;
	return (int64_t)old;
}

struct wtable *store__table(struct store *s, uint32_t min,
			    const struct limits *l)
{
	struct wtable *t = store__alloc(s, sizeof(*t));

	if (!t)
		return NULL;
	/* tables cannot grow in Wasm 1.0: allocate the minimum */
	if (min > (1u << 24))
		return NULL;
	t->elems = store__alloc(s, (size_t)min * sizeof(*t->elems));
	if (!t->elems)
		return NULL;
	t->size = min;
	t->max = l->max;
	t->has_max = l->has_max;
	return t;
}

/* --- the linker --- */

int linker__define(struct linker *l, const char *module, const char *name,
		   uint8_t kind, void *ptr)
{
	struct link_entry *e;

	if (l->n == l->cap) {
		size_t n = l->cap ? l->cap * 2 : 32;
		struct link_entry *q = realloc(l->e, n * sizeof(*q));
		if (!q)
			return -1;
		l->e = q;
		l->cap = n;
	}
	e = &l->e[l->n];
	e->module = strdup(module);
	e->name = strdup(name);
	if (!e->module || !e->name) {
		free(e->module);
		free(e->name);
		return -1;
	}
	e->kind = kind;
	e->ptr = ptr;
	l->n++;
	return 0;
}

int linker__define_instance(struct linker *l, const char *module,
			    struct instance *inst)
{
	const struct module *m = inst->m;

	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct export *x = &m->exports[i];
		if (linker__define(l, module, x->name, x->kind,
				   instance__export(inst, x->name, x->name_len, x->kind)) <
		    0)
			return -1;
	}
	return 0;
}

void linker__free(struct linker *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->e[i].module);
		free(l->e[i].name);
	}
	free(l->e);
	l->e = NULL;
	l->n = l->cap = 0;
}

/* The latest definition wins, so a re-registered name shadows the old. */
static struct link_entry *linker_find(struct linker *l, const char *module,
				      const char *name)
{
	for (size_t i = l->n; i-- > 0;)
		if (strcmp(l->e[i].module, module) == 0 &&
		    strcmp(l->e[i].name, name) == 0)
			return &l->e[i];
	return NULL;
}

void *instance__export(struct instance *inst, const char *name, size_t len,
		       uint8_t kind)
{
	const struct export *x = module__export(inst->m, name, len, kind);

	if (!x)
		return NULL;
	switch (kind) {
	case EXT_FUNC: return inst->funcs[x->idx];
	case EXT_TABLE: return inst->table;
	case EXT_MEMORY: return inst->mem;
	case EXT_GLOBAL: return inst->globals[x->idx];
	}
	return NULL;
}

/* --- instantiation --- */

/* Limits subtyping (spec 4.5.3.2): actual {n, m} matches {min, max}. */
static bool limits_match(uint64_t n, bool has_m, uint64_t m,
			 const struct limits *want)
{
	if (n < want->min)
		return false;
	if (want->has_max && (!has_m || m > want->max))
		return false;
	return true;
}

static int link_import(struct instance *in, struct linker *l,
		       const struct import *im, uint32_t *counts,
		       struct isolab_err *e)
{
	const struct module *m = in->m;
	struct link_entry *x = linker_find(l, im->module, im->name);
	bool ok = true;

	if (!x || !x->ptr)
		return err__set(e, 0, "unknown import: %s.%s", im->module,
				im->name);
	if (x->kind != im->kind)
		ok = false;
	else if (im->kind == EXT_FUNC) {
		struct wfunc *f = x->ptr;
		ok = functype__cmp(f->type, &m->types[im->type_idx]) == 0;
		in->funcs[counts[0]++] = f;
	} else if (im->kind == EXT_TABLE) {
		struct wtable *t = x->ptr;
		ok = limits_match(t->size, t->has_max, t->max, &im->lim);
		in->table = t;
	} else if (im->kind == EXT_MEMORY) {
		struct wmem *mem = x->ptr;
		/* a memory "has a maximum" when its module declared one */
		ok = limits_match(mem->size / WASM_PAGE, mem->has_max,
				  mem->decl_max, &im->lim);
		in->mem = mem;
	} else {
		struct wglobal *g = x->ptr;
		ok = g->type.type == im->global.type &&
		     g->type.mut == im->global.mut;
		in->globals[counts[3]++] = g;
	}
	if (!ok)
		return err__set(e, 0, "incompatible import type: %s.%s",
				im->module, im->name);
	return 0;
}

static uint64_t eval_const(const struct instance *in, const struct constexpr *c)
{
	if (c->op == 0x23)
		return in->globals[c->val]->val;
	return c->val;
}

static int alloc_own(struct store *s, struct instance *in,
		     struct isolab_err *e)
{
	const struct module *m = in->m;

	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		struct wfunc *f = store__alloc(s, sizeof(*f));
		if (!f)
			return err__set(e, 0, "out of memory");
		f->type = &m->types[m->funcs[i].type_idx];
		f->inst = in;
		f->def = &m->funcs[i];
		f->code = f->def->code;
		f->nparams = f->type->nparams;
		f->nlocals = f->def->nlocals;
		f->frame_slots = f->def->frame_slots;
		f->name = m->funcs[i].name;
		f->idx = i;
		in->funcs[i] = f;
	}
	if (m->ntables > m->ntable_imports) {
		in->table = store__table(s, m->tables[0].min, &m->tables[0]);
		if (!in->table)
			return err__set(e, 0, "out of memory for the table");
	}
	if (m->nmems > m->nmem_imports) {
		in->mem = store__memory(s, &m->mems[0]);
		if (!in->mem)
			return err__set(e, 0,
					"cannot allocate %u pages of memory",
					m->mems[0].min);
	}
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		struct wglobal *g = store__alloc(s, sizeof(*g));
		if (!g)
			return err__set(e, 0, "out of memory");
		g->type = m->globals[i].type;
		g->val = eval_const(in, &m->globals[i].init);
		in->globals[i] = g;
	}
	return 0;
}

/* Check that every segment fits, then write them (Wasm 1.0, 4.5.4). */
static int init_segments(struct instance *in, struct isolab_err *e)
{
	const struct module *m = in->m;

	for (uint32_t i = 0; i < m->nelems; i++) {
		uint64_t off = (uint32_t)eval_const(in, &m->elems[i].offset);
		if (off + m->elems[i].n > in->table->size)
			return err__set(e, 0, "elements segment does not fit");
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		uint64_t off = (uint32_t)eval_const(in, &m->datas[i].offset);
		if (off + m->datas[i].len > in->mem->size)
			return err__set(e, 0, "data segment does not fit");
	}
	for (uint32_t i = 0; i < m->nelems; i++) {
		uint32_t off = (uint32_t)eval_const(in, &m->elems[i].offset);
		for (uint32_t k = 0; k < m->elems[i].n; k++)
			in->table->elems[off + k] =
				in->funcs[m->elems[i].funcs[k]];
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		uint32_t off = (uint32_t)eval_const(in, &m->datas[i].offset);
		if (m->datas[i].len)
			memcpy(in->mem->data + off, m->datas[i].bytes,
			       m->datas[i].len);
	}
	return 0;
}

int instance__create(struct store *s, struct linker *l, const struct module *m,
		     struct exec *ex, struct instance **out,
		     struct isolab_err *e)
{
	struct instance *in = store__alloc(s, sizeof(*in));
	uint32_t counts[4] = { 0 };

	if (!in)
		return err__set(e, 0, "out of memory");
	in->m = m;
	in->funcs = store__alloc(s, (m->nfuncs + 1) * sizeof(*in->funcs));
	in->globals =
		store__alloc(s, (m->nglobals + 1) * sizeof(*in->globals));
	if (!in->funcs || !in->globals)
		return err__set(e, 0, "out of memory");
	for (uint32_t i = 0; i < m->nimports; i++)
		if (link_import(in, l, &m->imports[i], counts, e) < 0)
			return -1;
	if (alloc_own(s, in, e) < 0 || init_segments(in, e) < 0)
		return -1;
	*out = in;
	if (m->has_start) {
		uint64_t none[1];
		if (interp__call(ex, in->funcs[m->start], none, none) < 0) {
			err__set(e, 0, "%s", ex->trap);
			return -2;
		}
	}
	return 0;
}

/* --- execution contexts --- */

struct exec *exec__create(struct store *s, size_t stack_slots,
			  uint32_t max_depth)
{
	struct exec *ex = calloc(1, sizeof(*ex));
	/* the stack asked for, the reserve of every frame (FRAME_RESERVE),
	 * and the slack of a call's zeroing */
	size_t reserve = (size_t)max_depth * FRAME_RESERVE;
	size_t sbytes = (stack_slots + reserve + STACK_SLACK) *
			sizeof(union slot);
	size_t fbytes = ((size_t)max_depth + 1) * sizeof(struct frame);

	if (!ex)
		return NULL;
	ex->store = s;
	/* mapped lazily: a deep stack costs RSS only when used */
	ex->stack = mmap(NULL, sbytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ex->frames = mmap(NULL, fbytes, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (ex->stack == MAP_FAILED || ex->frames == MAP_FAILED) {
		if (ex->stack != MAP_FAILED)
			munmap(ex->stack, sbytes);
		if (ex->frames != MAP_FAILED)
			munmap(ex->frames, fbytes);
		free(ex);
		return NULL;
	}
	ex->stack_end = ex->stack + stack_slots + reserve;
	ex->max_depth = max_depth;
	ex->frames_end = ex->frames + 1 + max_depth;
	return ex;
}

void exec__destroy(struct exec *ex)
{
	if (!ex)
		return;
	munmap(ex->stack, (size_t)(ex->stack_end - ex->stack + STACK_SLACK) *
				  sizeof(union slot));
	munmap(ex->frames, ((size_t)ex->max_depth + 1) * sizeof(struct frame));
	free(ex);
}
