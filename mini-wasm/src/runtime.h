/*
 * runtime.h - The run-time structure of WebAssembly (spec section 4.2):
 * the store, which owns every function, table, memory and global
 * instance; module instances, which point into the store; and the
 * execution context (value stack and call frames) the interpreter uses.
 *
 * instance.c builds instances (instantiation and linking), interp.c runs
 * their code, host modules (spectest.c, wasi.c) provide host functions.
 */
#ifndef MINI_WASM_RUNTIME_H
#define MINI_WASM_RUNTIME_H

#include "code.h"
#include "module.h"

#define WASM_PAGE 65536u

struct exec;
struct instance;

/* One slot of the value stack: every value takes 64 bits; an i32 or f32
 * lives in the low half (x86-64 and every other little-endian host), the
 * high half is then don't-care. */
union slot {
	uint64_t u64;
	int64_t i64;
	uint32_t u32;
	int32_t i32;
	float f32;
	double f64;
};

/* A host function: args in slots[0..nparams), results written to
 * slots[0..nresults).  Returns 0, or -1 after exec__trap(). */
typedef int (*host_fn)(struct exec *ex, void *env, uint64_t *slots);

struct wfunc {
	/* copied from def and type, so a call touches one structure
	 * (wasm functions only: a host function has just type) */
	const union cell *code;
	uint32_t nparams, nlocals, frame_slots;
	const struct functype *type;
	struct instance *inst; /* NULL for a host function */
	const struct func *def;
	host_fn host;
	void *env;
	const char *name; /* for traps; may be NULL */
	uint32_t idx;     /* index in its module, for traps */
};

struct wmem {
	uint8_t *data;
	uint64_t size; /* bytes */
	uint32_t max;  /* pages it may grow to: the maximum or --max-pages */
	bool has_max;  /* whether its type declares a maximum... */
	uint32_t decl_max; /* ...and which (for import matching) */
	uint64_t reserved; /* bytes of address space mapped */
};

struct wtable {
	struct wfunc **elems;
	uint32_t size, max;
	bool has_max;
};

struct wglobal {
	uint64_t val;
	struct globaltype type;
};

struct instance {
	const struct module *m;
	struct wfunc **funcs;
	struct wglobal **globals;
	struct wtable *table; /* NULL when the module has none */
	struct wmem *mem;
};

/* Everything instances are made of lives in the store, freed together. */
struct store {
	void **objs;
	size_t nobjs, cap;
	struct wmem **mems;
	size_t nmems, capmems;
	uint32_t max_pages; /* cap on any memory's growth (--max-pages) */
};

/* Names that imports resolve against: host modules and registered
 * instances' exports (spec 4.5.4, "external values"). */
struct link_entry {
	char *module, *name;
	uint8_t kind;
	void *ptr; /* wfunc, wtable, wmem or wglobal */
};

struct linker {
	struct link_entry *e;
	size_t n, cap;
};

/* A frame of the call stack: where to go back to (pc, fp); then, only
 * in frames pushed by OP_CALL, call_indirect and the entry, the
 * instance to go back to (read by the OP_XRET a call into another
 * instance returns to) and the function called, which runs while this
 * frame is the top one (for a trap's message).  A direct call
 * (OP_CALL_F) writes pc and fp only: its callee is found from the call
 * instruction before pc (interp.c, trapped). */
struct frame {
	const union cell *pc;
	uint64_t *fp;
	struct instance *inst;
	struct wfunc *fn;
};

/* Spare slots mapped beyond an exec's stack_end: a call zeroes that
 * many slots at its callee's locals whatever their number (interp.c,
 * ZERO_LOCALS), and may reach past the callee's frame by as many. */
#define STACK_SLACK 4

struct exec {
	struct store *store;
	union slot *stack, *stack_end; /* STACK_SLACK more slots mapped */
	struct frame *frames; /* max_depth + 1: the entry's frame first */
	struct frame *frames_end; /* frames + 1 + max_depth: full */
	uint32_t max_depth;
	uint64_t fuel; /* instructions left when fuel_on */
	bool fuel_on;
	const char *trap;      /* the spec's trap message */
	struct wfunc *trap_fn; /* where it happened */
	int exit_code;         /* proc_exit's code, when trap == EXIT */
	bool exited;
	uint64_t steps; /* instructions executed when counting (--stats) */
};

/* The store's allocator: zeroed memory freed by store__destroy.
 * Returns NULL when out of memory. */
void *store__alloc(struct store *s, size_t size);
struct store *store__create(uint32_t max_pages);
void store__destroy(struct store *s);

/* A memory of type l (limits in pages), growing at most to the store's
 * max_pages.  NULL when it cannot be allocated. */
struct wmem *store__memory(struct store *s, const struct limits *l);
struct wtable *store__table(struct store *s, uint32_t min,
			    const struct limits *l);

/* Add module.name to l (the strings are copied).  Returns 0 or -1. */
int linker__define(struct linker *l, const char *module, const char *name,
		   uint8_t kind, void *ptr);
/* Add every export of inst under the module name.  Returns 0 or -1. */
int linker__define_instance(struct linker *l, const char *module,
			    struct instance *inst);
void linker__free(struct linker *l);

/* Instantiate m (validated) in s with imports from l, running its start
 * function on ex.  Returns 0 with *out set; -1 when it cannot link
 * (e: "unknown import", "incompatible import type", "... does not fit");
 * -2 when the start function trapped (ex->trap). */
int instance__create(struct store *s, struct linker *l, const struct module *m,
		     struct exec *ex, struct instance **out,
		     struct isolab_err *e);

/* The export name (len bytes) of kind from inst, or NULL. */
void *instance__export(struct instance *inst, const char *name, size_t len,
		       uint8_t kind);

/* Grow mem by delta pages; returns the old size in pages or -1. */
int64_t memory__grow(struct wmem *mem, uint32_t delta);

/* An execution context with a value stack of stack_slots and a call depth
 * limit; NULL when out of memory. */
struct exec *exec__create(struct store *s, size_t stack_slots,
			  uint32_t max_depth);
void exec__destroy(struct exec *ex);

/* Record a trap; always returns -1. */
int exec__trap(struct exec *ex, const char *msg);

/* Call f with args (f->type->nparams slots); results are written to
 * results.  Returns 0, or -1 on a trap (ex->trap says which). */
int interp__call(struct exec *ex, struct wfunc *f, const uint64_t *args,
		 uint64_t *results);

#endif
