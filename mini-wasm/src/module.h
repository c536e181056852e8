/*
 * module.h - A decoded WebAssembly module: what the binary format says,
 * before validation and before instantiation (spec section 2, "Structure").
 *
 * decode.c fills a struct module from the bytes; validate.c checks it and
 * has compile.c translate each function body into the pre-decoded code the
 * interpreter runs (code.h); instance.c turns it into a live instance in a
 * store.  Start reading at decode.c, then validate.c, compile.c, interp.c.
 */
#ifndef MINI_WASM_MODULE_H
#define MINI_WASM_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Value types (spec 5.3.1); the byte of the binary format. */
enum valtype {
	VT_I32 = 0x7F,
	VT_I64 = 0x7E,
	VT_F32 = 0x7D,
	VT_F64 = 0x7C,
	VT_FUNCREF = 0x70,
	VT_UNKNOWN = 0, /* the validator's "any" on a polymorphic stack */
};

/* External kinds of imports and exports (spec 5.5.10). */
enum extkind { EXT_FUNC = 0, EXT_TABLE = 1, EXT_MEMORY = 2, EXT_GLOBAL = 3 };

struct functype {
	uint32_t nparams, nresults;
	uint8_t *types; /* nparams parameter types, then nresults results */
};

struct limits {
	uint32_t min, max;
	bool has_max;
};

struct globaltype {
	uint8_t type;
	bool mut;
};

/* A constant expression (spec 3.3.7): one constant or one global.get. */
struct constexpr {
	uint8_t op;   /* 0x41 i32.const, 0x42, 0x43, 0x44, 0x23 global.get */
	uint64_t val; /* the constant's bits, or the global index */
};

struct import {
	char *module, *name;
	uint8_t kind;
	uint32_t type_idx;        /* EXT_FUNC */
	struct limits lim;        /* EXT_TABLE, EXT_MEMORY */
	struct globaltype global; /* EXT_GLOBAL */
};

struct export {
	char *name; /* NUL-terminated, but may hold NULs: see name_len */
	uint32_t name_len;
	uint8_t kind;
	uint32_t idx;
};

struct global {
	struct globaltype type;
	struct constexpr init;
};

struct elem_seg {
	uint32_t table;
	struct constexpr offset;
	uint32_t n;
	uint32_t *funcs;
};

struct data_seg {
	uint32_t mem;
	struct constexpr offset;
	uint32_t len;
	const uint8_t *bytes; /* points into module->bytes */
};

union cell;

/* A function of the module's index space; imports come first. */
struct func {
	uint32_t type_idx;
	bool imported;
	const char *name;    /* from the name section, or NULL */
	uint32_t nlocals;    /* declared locals, parameters not included */
	uint8_t *local_types; /* parameters then locals */
	const uint8_t *body; /* the expression, after the locals */
	size_t body_len;
	size_t body_off;     /* offset of the body in the file, for errors */
	/* Filled by validate.c and compile.c: the translated code (code.h). */
	union cell *code;
	size_t ncode;
	uint32_t frame_slots; /* params + locals + deepest operand stack */
	/* What a direct call reads (interp.c OP_CALL_F, through the
	 * call's immediate pointing here), in bytes: the parameters, and
	 * how far past the arguments the frame reaches (frame_slots -
	 * nparams slots), checked against the value stack's end. */
	uint64_t param_bytes, reach_bytes;
	bool big_frame; /* reaches past FRAME_RESERVE slots (code.h) */
};

struct module {
	uint8_t *bytes; /* a private copy of the binary */
	size_t len;
	/* Wasm 1.0 only, without multi-value (at most one result): set by
	 * the caller before module__validate, for the v1.1 core tests. */
	bool mvp_only;
	/* Translate with instruction counting for --fuel (compile.c's
	 * OP_FUEL): set by the caller before module__validate; code
	 * translated without it cannot run under fuel. */
	bool fuel;
	size_t section_off[12]; /* file offset of each known section's id */
	struct functype *types;
	uint32_t ntypes;
	struct import *imports;
	uint32_t nimports;
	struct func *funcs;
	uint32_t nfuncs, nfunc_imports;
	struct limits *tables; /* imported first */
	uint32_t ntables, ntable_imports;
	struct limits *mems;
	uint32_t nmems, nmem_imports;
	struct global *globals;
	uint32_t nglobals, nglobal_imports;
	struct export *exports;
	uint32_t nexports;
	bool has_start;
	uint32_t start;
	struct elem_seg *elems;
	uint32_t nelems;
	struct data_seg *datas;
	uint32_t ndatas;
};

/* Decode the binary in bytes[0..len) (copied).  Returns the module, or
 * NULL with e filled as "malformed module: reason at offset 0x...". */
struct module *module__decode(const uint8_t *bytes, size_t len,
			      struct isolab_err *e);

/* Validate every part of m and translate its function bodies (code.h).
 * Returns 0, or -1 with e filled as "invalid module: reason ...". */
int module__validate(struct module *m, struct isolab_err *e);

/* Free m and everything it owns; m may be NULL. */
void module__destroy(struct module *m);

/* The export called name (len bytes) of kind, or NULL. */
const struct export *module__export(const struct module *m, const char *name,
				    size_t len, uint8_t kind);

/* 0 when two function types are equal (structural equality, spec 3.2.1). */
int functype__cmp(const struct functype *a, const struct functype *b);

/* "i32", "f64", ... for a value type. */
const char *valtype__name(uint8_t t);

#endif
