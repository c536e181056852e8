/*
 * spectest.c - The `spectest` host module that the official spec tests
 * import from (the reference interpreter's spectest.ml): print functions
 * that do nothing here, four immutable globals holding 666, a table of 10
 * (at most 20) elements and a memory of 1 (at most 2) pages.
 */
#include "spectest.h"

static const uint8_t t_i32[] = { VT_I32 }, t_i64[] = { VT_I64 },
		     t_f32[] = { VT_F32 }, t_f64[] = { VT_F64 },
		     t_i32_f32[] = { VT_I32, VT_F32 },
		     t_f64_f64[] = { VT_F64, VT_F64 };

static const struct {
	const char *name;
	struct functype type;
} prints[] = {
	{ "print", { 0, 0, NULL } },
	{ "print_i32", { 1, 0, (uint8_t *)t_i32 } },
	{ "print_i64", { 1, 0, (uint8_t *)t_i64 } },
	{ "print_f32", { 1, 0, (uint8_t *)t_f32 } },
	{ "print_f64", { 1, 0, (uint8_t *)t_f64 } },
	{ "print_i32_f32", { 2, 0, (uint8_t *)t_i32_f32 } },
	{ "print_f64_f64", { 2, 0, (uint8_t *)t_f64_f64 } },
};

static int spectest_print(struct exec *ex, void *env, uint64_t *slots)
{
	(void)ex, (void)env, (void)slots;
	return 0;
}

int spectest__define(struct store *s, struct linker *l)
{
	static const struct limits table = { 10, 20, true }, mem = { 1, 2, true };
	static const struct {
		const char *name;
		uint8_t type;
		uint64_t bits;
	} globals[] = {
		{ "global_i32", VT_I32, 666 },
		{ "global_i64", VT_I64, 666 },
		{ "global_f32", VT_F32, 0x4426a666 },         /* 666.6f */
		{ "global_f64", VT_F64, 0x4084d4cccccccccdull }, /* 666.6 */
	};
	struct wtable *t;
	struct wmem *m;

	for (size_t i = 0; i < sizeof(prints) / sizeof(prints[0]); i++) {
		struct wfunc *f = store__alloc(s, sizeof(*f));
		if (!f)
			return -1;
		f->type = &prints[i].type;
		f->host = spectest_print;
		f->name = prints[i].name;
		if (linker__define(l, "spectest", prints[i].name, EXT_FUNC, f) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
		struct wglobal *g = store__alloc(s, sizeof(*g));
		if (!g)
			return -1;
		g->type.type = globals[i].type;
		g->val = globals[i].bits;
		if (linker__define(l, "spectest", globals[i].name, EXT_GLOBAL,
				   g) < 0)
			return -1;
	}
	t = store__table(s, table.min, &table);
	m = store__memory(s, &mem);
	if (!t || !m || linker__define(l, "spectest", "table", EXT_TABLE, t) < 0 ||
	    linker__define(l, "spectest", "memory", EXT_MEMORY, m) < 0)
		return -1;
	return 0;
}
