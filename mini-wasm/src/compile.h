/*
 * compile.h - The emitter: what the validator (validate.c) calls to
 * translate a function body, instruction by instruction, into the
 * interpreter's pre-decoded code (code.h).  compile.c holds the code
 * emission, branch resolution, the peephole fusions and the --fuel runs.
 *
 * The validator owns the types and the control frames; the emitter owns
 * the code.  The validator tells the emitter each instruction it accepted
 * together with what only the validator knows (stack heights, the label a
 * branch goes to); the emitter never fails except for lack of memory.
 * Every compile__* function returning int returns 0, or -1 when out of
 * memory (e->oom is then set).
 */
#ifndef MINI_WASM_COMPILE_H
#define MINI_WASM_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "code.h"

struct func;
struct module;

#define NO_CELL SIZE_MAX

/* A label: the code side of a control frame (block, loop, if, the
 * function).  Code offsets until the function is complete. */
struct label {
	bool loop;	  /* branches go back to start, not to the end */
	size_t start;	  /* code offset of the frame's first instruction */
	size_t else_cell; /* an if's branch-unless target cell */
	size_t pending;	  /* forward branches to the end: a chain of cells */
};

struct emitter {
	const void *const *h; /* the interpreter's handlers (code.h) */
	bool fuel;	      /* count instructions for --fuel (OP_FUEL) */
	bool oom;
	union cell *code;
	size_t ncode, capcode;
	size_t *fix; /* cells holding code offsets, made pointers at the end */
	size_t nfix, capfix;
	/* direct calls: their cells in this function (offsets), and in
	 * every function translated so far (compile__link) */
	size_t *callcells;
	size_t ncallcells, capcallcells;
	union cell **calls;
	size_t ncalls, capcalls;
	size_t last;	  /* cell of the last instruction emitted */
	size_t last2;	  /* and of the one before it */
	size_t last3;	  /* and of the one before that */
	size_t last4;	  /* and of the one before that */
	size_t unary;	  /* cell of the last unary numeric operator */
	unsigned last_op; /* the internal opcode of the last one */
	size_t barrier;	  /* first cell after the last branch target */
	/* the function's parameters; and whether no loop has begun yet
	 * (code before it runs once, so its declared locals are still the
	 * zeros a call gives them until code writes them) */
	uint32_t nparams;
	bool at_entry;
	bool wrote_local; /* code so far writes a local */
	/* --fuel: the count cell of the current run's OP_FUEL, and how
	 * many Wasm instructions the run has so far */
	size_t fuel_cell;
	uint64_t run;
};

/* Make room in the array *p (*cap elements of size bytes) for need
 * elements, doubling it.  Returns 0, or -1 when out of memory (*p is
 * kept).  validate.c's stacks grow through it too. */
int compile__grow(void **p, size_t *cap, size_t need, size_t size);

/* Start a new function body, of a function with nparams parameters. */
void compile__begin(struct emitter *e, uint32_t nparams);

/* Count one Wasm instruction of the current --fuel run. */
static inline void compile__count(struct emitter *e)
{
	e->run++;
}

/* End the current --fuel run; start another unless `last` (the
 * function's end).  Does nothing without fuel. */
int compile__fuel_run(struct emitter *e, bool last);

/* Open label l (block, loop, if, function) here: a branch target. */
void compile__label(struct emitter *e, struct label *l, bool loop);

/* `if`: a branch to the else-arm (or the end) when the condition is 0. */
int compile__if(struct emitter *e, struct label *l);

/* `else`: the then-arm jumps to l's end; the else-arm starts here. */
int compile__else(struct emitter *e, struct label *l);

/* `end` of label l: resolve the branches waiting for it (and an if's
 * missing else when `is_if`) to here. */
void compile__end(struct emitter *e, struct label *l, bool is_if);

/* `br`/`br_if` (conditional) to label l from operand stack height `from`
 * (slots from the frame base, locals included) to the label's height
 * `to`, carrying n values. */
int compile__branch(struct emitter *e, struct label *l, bool conditional,
		    uint32_t from, uint32_t to, uint32_t n);

/* `br_table` with n labels plus the default: compile__br_table, then
 * compile__br_table_label for each of the n + 1. */
int compile__br_table(struct emitter *e, uint32_t n);
int compile__br_table_label(struct emitter *e, struct label *l, uint32_t to,
			    uint32_t n);

/* An instruction without immediates (numeric, drop, select, memory.size,
 * memory.grow, unreachable); a binary numeric one (`binary`) may fuse
 * with the `local.get`, constant or f64.load before it. */
int compile__op(struct emitter *e, unsigned op, bool binary);

/* An instruction with one immediate: return (arity), call_indirect
 * (type; OP_XRET follows), global.get/set (global), a constant (bits). */
int compile__op_imm(struct emitter *e, unsigned op, uint64_t imm);

/* `call` of function fi, f (imported or defined by the module): a call
 * to a function the module defines is OP_CALL_F, or OP_CALL_LC with an
 * argument `local.get a; i32.const c; i32.add` before it, carrying f
 * itself; an import's is OP_CALL fi, OP_XRET. */
int compile__call(struct emitter *e, uint32_t fi, const struct func *f);

/* A load or store (0x28..0x3E) with its static offset. */
int compile__memop(struct emitter *e, unsigned op, uint32_t offset);

/* `local.get`, `local.set` or `local.tee` (0x20..0x22) of local i. */
int compile__local(struct emitter *e, unsigned op, uint32_t i);

/* Resolve the branch targets and hand the code to f (f->code, f->ncode;
 * the emitter keeps nothing of it). */
void compile__finish(struct emitter *e, struct func *f);

/* Once every function of the module is translated: a direct call
 * whose callee declares at most one local and fits in the value
 * stack's reserve (struct func's big_frame unset) becomes OP_CALL_F1 /
 * OP_CALL_LC1, which neither test the locals' count nor check the value
 * stack (interp.c).  Until then, and for any other, the call is
 * OP_CALL_F / OP_CALL_LC, which do. */
void compile__link(struct emitter *e, const struct module *m);

/* Free what the emitter holds. */
void compile__destroy(struct emitter *e);

#endif
