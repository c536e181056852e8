/*
 * compile.c - The translation of a function body into the interpreter's
 * pre-decoded code (code.h), driven by the validator (validate.c) in its
 * single pass over the body: code emission, branches resolved at load
 * time, the peephole fusions (superinstructions) and the --fuel runs.
 *
 * Because the validator knows the height of the operand stack at every
 * instruction, it can hand the interpreter branches with their targets
 * and stack heights resolved, so that at run time a block costs nothing
 * and a branch is a pointer jump (as WAMR's loader does).  The peephole
 * looks back at the last one or two instructions emitted and replaces
 * them with one fused instruction, never across a branch target
 * (`barrier`).  Start at compile__branch(), then fuse_operand().
 */
#include <stdlib.h>

#include "compile.h"
#include "module.h"

int compile__grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

static int emit(struct emitter *e, uint64_t x)
{
	if (compile__grow((void **)&e->code, &e->capcode, e->ncode + 1,
			  sizeof(*e->code)) < 0) {
		e->oom = true;
		return -1;
	}
	e->code[e->ncode++].u64 = x;
	return 0;
}

static int emit_op(struct emitter *e, unsigned op)
{
	e->last4 = e->last3;
	e->last3 = e->last2;
	e->last2 = e->last;
	e->last = e->ncode;
	e->last_op = op;
	if (compile__grow((void **)&e->code, &e->capcode, e->ncode + 1,
			  sizeof(*e->code)) < 0) {
		e->oom = true;
		return -1;
	}
	e->code[e->ncode++].op = e->h[op];
	return 0;
}

/* Take back the last instruction to emit a fused one in its place, at
 * once (last_op is not restored): the one before it becomes the last. */
static void drop_last(struct emitter *e)
{
	e->ncode = e->last;
	e->last = e->last2;
	e->last2 = e->last3;
	e->last3 = e->last4;
}

/* Remember that the cell just emitted holds a code offset, to be made a
 * pointer once the function is complete (compile__finish). */
static int emit_fix(struct emitter *e)
{
	if (compile__grow((void **)&e->fix, &e->capfix, e->nfix + 1,
			  sizeof(size_t)) < 0) {
		e->oom = true;
		return -1;
	}
	e->fix[e->nfix++] = e->ncode - 1;
	return 0;
}

/* A cell holding a branch target: a code offset now, a pointer once the
 * function is complete. */
static int emit_target(struct emitter *e, struct label *l)
{
	size_t cell = e->ncode;

	/* a forward branch links its cell into the label's chain of
	 * pending cells; the label's end (compile__end) fills them all */
	if (emit(e, l->loop ? l->start : l->pending) < 0)
		return -1;
	if (!l->loop)
		l->pending = cell;
	return emit_fix(e);
}

void compile__begin(struct emitter *e, uint32_t nparams)
{
	e->nparams = nparams;
	e->at_entry = true;
	e->ncode = 0;
	e->nfix = 0;
	e->ncallcells = 0;
	e->last = e->last2 = e->last3 = e->last4 = e->barrier = 0;
	e->unary = NO_CELL;
	e->wrote_local = false;
	e->fuel_cell = NO_CELL;
}

/* Instruction counting for --fuel (module->fuel): the code is cut into
 * straight-line runs, each starting with OP_FUEL n, n being the number of
 * Wasm instructions in the run (patched when the run ends).  A run ends
 * at every branch, call or return and at every branch target, so each
 * run is entered only at its OP_FUEL and left only at its end: charging
 * n up front counts exactly the instructions that execute.  Every
 * instruction counts, `block`, `loop`, `end` and `nop` included; fused
 * instructions count as the instructions they replace.  Without fuel no
 * OP_FUEL is emitted and nothing is counted. */
int compile__fuel_run(struct emitter *e, bool last)
{
	if (!e->fuel)
		return 0;
	if (e->fuel_cell != NO_CELL)
		e->code[e->fuel_cell].u64 = e->run;
	e->run = 0;
	if (last) /* the function's end: no run follows */
		return 0;
	if (emit_op(e, OP_FUEL) < 0)
		return -1;
	e->fuel_cell = e->ncode;
	return emit(e, 0);
}

/* --- labels and branches --- */

void compile__label(struct emitter *e, struct label *l, bool loop)
{
	/* a loop's start is a branch target; a block's or an if's start
	 * is not (nothing branches to it), so code flows on into it */
	if (loop) {
		e->barrier = e->ncode;
		e->at_entry = false; /* what follows may run again */
	}
	*l = (struct label){loop, e->ncode, 0, NO_CELL};
}

int compile__if(struct emitter *e, struct label *l)
{
	l->else_cell = e->ncode + 1;
	if (emit_op(e, OP_BR_UNLESS) < 0 || emit(e, 0) < 0)
		return -1;
	return emit_fix(e);
}

int compile__else(struct emitter *e, struct label *l)
{
	if (emit_op(e, OP_JMP) < 0 || emit_target(e, l) < 0)
		return -1;
	e->code[l->else_cell].u64 = e->ncode;
	e->barrier = e->ncode;
	return 0;
}

void compile__end(struct emitter *e, struct label *l, bool is_if)
{
	size_t cell = l->pending;

	/* the end is a branch target only when something branches to it
	 * (an if without else: its branch-unless; a pending branch); a
	 * loop's end or a block no branch leaves is straight-line code */
	if (is_if || cell != NO_CELL)
		e->barrier = e->ncode;
	if (is_if) /* an if without else: the missing else is the end */
		e->code[l->else_cell].u64 = e->ncode;
	while (cell != NO_CELL) {
		size_t next = e->code[cell].u64;
		e->code[cell].u64 = e->ncode;
		cell = next;
	}
	l->pending = NO_CELL;
}

/* Whether cell c holds an address step, `local.get s; local.get t |
 * i32.const k; i32.add; local.set d` (OP_TO_LOCAL + OP_LL/OP_LC +
 * i32.add), which neither reads nor moves the stack. */
static bool is_step(const struct emitter *e, size_t c)
{
	return e->code[c].op == e->h[OP_TO_LOCAL + OP_LL + 0x6A] ||
	       e->code[c].op == e->h[OP_TO_LOCAL + OP_LC + 0x6A];
}

/* Whether the instruction before the last is `local.get s; i32.const k
 * | local.get t; i32.add; local.tee d` (is_step(): s, k or t, d) with d
 * the local the last one compares: a loop counter's step. */
static bool step_before(const struct emitter *e, uint64_t d)
{
	return e->last2 >= e->barrier && e->last2 + 4 == e->last &&
	       is_step(e, e->last2) && e->code[e->last2 + 3].u64 == d;
}

/* A counter's step and the comparison of the counter with constant n
 * and `br_if` (`i = s + k; if (i < n) goto`) become one instruction,
 * OP_BRSTEP + x (s, k, d, n, target), or OP_BRSTEP_LL + x (s, t, d, n,
 * target) for a step by local t.  Returns 1, or -1 on error. */
static int fuse_step_branch(struct emitter *e, struct label *l, unsigned x,
			    uint64_t n)
{
	uint64_t s = e->code[e->last2 + 1].u64, k = e->code[e->last2 + 2].u64,
		 d = e->code[e->last2 + 3].u64;

	unsigned f = e->code[e->last2].op == e->h[OP_TO_LOCAL + OP_LL + 0x6A]
			     ? OP_BRSTEP_LL
			     : OP_BRSTEP;

	e->ncode = e->last2;
	e->last = e->last2; /* what came before is no longer known */
	if (emit_op(e, f + x) < 0 || emit(e, s) < 0 || emit(e, k) < 0 ||
	    emit(e, d) < 0 || emit(e, n) < 0)
		return -1;
	return emit_target(e, l) < 0 ? -1 : 1;
}

/* The peephole for loops: an i32 comparison (on the stack, or against a
 * constant, 0x45..0x4F) right before `br_if` becomes one compare-and-
 * branch.  Returns 1 when it fused, 0 when not, -1 on error. */
static int fuse_compare_branch(struct emitter *e, struct label *l)
{
	const void *prev;
	uint64_t imm;

	if (e->last < e->barrier)
		return 0;
	prev = e->code[e->last].op;
	for (unsigned x = 0x45; x <= 0x4F; x++) {
		if (prev == e->h[x] && e->last + 1 == e->ncode) {
			drop_last(e);
			if (emit_op(e, OP_BRCMP + x) < 0)
				return -1;
			return emit_target(e, l) < 0 ? -1 : 1;
		}
		if (x > 0x45 && prev == e->h[OP_CONST_B + x] &&
		    e->last + 2 == e->ncode) {
			imm = e->code[e->last + 1].u64;
			drop_last(e);
			if (emit_op(e, OP_BRCMP_C + x) < 0 || emit(e, imm) < 0)
				return -1;
			return emit_target(e, l) < 0 ? -1 : 1;
		}
		if (x > 0x45 && e->last + 3 == e->ncode &&
		    (prev == e->h[OP_LL + x] || prev == e->h[OP_LC + x])) {
			unsigned f = prev == e->h[OP_LL + x] ? OP_BRCMP_LL
							     : OP_BRCMP_LC;
			uint64_t a = e->code[e->last + 1].u64;
			imm = e->code[e->last + 2].u64;
			if (f == OP_BRCMP_LC && step_before(e, a))
				return fuse_step_branch(e, l, x, imm);
			drop_last(e);
			if (emit_op(e, f + x) < 0 || emit(e, a) < 0 ||
			    emit(e, imm) < 0)
				return -1;
			return emit_target(e, l) < 0 ? -1 : 1;
		}
	}
	return 0;
}

int compile__branch(struct emitter *e, struct label *l, bool conditional,
		    uint32_t from, uint32_t to, uint32_t n)
{
	if (from == to + n) { /* nothing to move: a plain jump */
		int fused = conditional ? fuse_compare_branch(e, l) : 0;
		if (fused)
			return fused < 0 ? -1 : 0;
		if (emit_op(e, conditional ? OP_BR_IF_JMP : OP_JMP) < 0)
			return -1;
		return emit_target(e, l);
	}
	if (emit_op(e, conditional ? OP_BR_IF : OP_BR) < 0 ||
	    emit_target(e, l) < 0)
		return -1;
	return emit(e, CELL_HN(to, n));
}

int compile__br_table(struct emitter *e, uint32_t n)
{
	if (emit_op(e, OP_BR_TABLE) < 0)
		return -1;
	return emit(e, n);
}

int compile__br_table_label(struct emitter *e, struct label *l, uint32_t to,
			    uint32_t n)
{
	if (emit_target(e, l) < 0)
		return -1;
	return emit(e, CELL_HN(to, n));
}

/* --- the peephole over operands --- */

/* A binary operator right after `local.get i` or a constant, with no
 * branch target between them, becomes one instruction carrying i or the
 * constant.  Returns 1 when it fused, 0 when not, -1 on error. */
static int fuse_operand(struct emitter *e, unsigned op)
{
	const void *prev;
	unsigned variant;
	uint64_t imm;

	if (e->last + 2 != e->ncode || e->last < e->barrier)
		return 0;
	prev = e->code[e->last].op;
	if (prev == e->h[OP_LOCAL_GET])
		variant = OP_LOCAL_B + op;
	else if (prev == e->h[OP_CONST])
		variant = OP_CONST_B + op;
	else
		return 0;
	if (variant >= OP_COUNT || !e->h[variant])
		return 0;
	imm = e->code[e->last + 1].u64;
	/* and a `local.get a` before that: both operands from the frame */
	if (e->last2 + 2 == e->last && e->last2 >= e->barrier &&
	    e->code[e->last2].op == e->h[OP_LOCAL_GET]) {
		unsigned both =
			(prev == e->h[OP_LOCAL_GET] ? OP_LL : OP_LC) + op;
		uint64_t a = e->code[e->last2 + 1].u64;
		if (e->h[both]) {
			e->ncode = e->last2; /* the one before is last again */
			e->last = e->last3;
			e->last2 = e->last3 = e->last4;
			if (emit_op(e, both) < 0 || emit(e, a) < 0 ||
			    emit(e, imm) < 0)
				return -1;
			return 1;
		}
	}
	drop_last(e);
	if (emit_op(e, variant) < 0 || emit(e, imm) < 0)
		return -1;
	return 1;
}

/* fuse_load's first operand: whether the instruction before the load
 * (which starts at cell start, and is last or last2) is `local.get x`,
 * or is `local.get x` then a step `local.get s; local.get t | i32.const
 * k; i32.add; local.tee d` (matmul's address) with d not x, which
 * neither reads nor moves the stack.  If so, drops the `local.get x`
 * (moving the step down over it) and the load, and returns x; else
 * returns NO_CELL and changes nothing. */
static uint64_t first_operand_local(struct emitter *e, size_t start)
{
	size_t get = start == e->last ? e->last2 : e->last3;
	size_t step = NO_CELL, prev, prev2;
	uint64_t x;

	if (start != e->last && start != e->last2)
		return NO_CELL;
	if (start == e->last && e->last2 + 4 == e->last &&
	    (e->code[e->last2].op == e->h[OP_TO_LOCAL + OP_LL + 0x6A] ||
	     e->code[e->last2].op == e->h[OP_TO_LOCAL + OP_LC + 0x6A])) {
		step = e->last2; /* the step, then local.get x before it */
		get = e->last3;
	}
	if (get < e->barrier || get + 2 != (step != NO_CELL ? step : start) ||
	    e->code[get].op != e->h[OP_LOCAL_GET])
		return NO_CELL;
	x = e->code[get + 1].u64;
	if (step != NO_CELL && e->code[step + 3].u64 == x)
		return NO_CELL;
	e->ncode = get;
	if (step != NO_CELL) {
		for (size_t k = 0; k < 4; k++)
			e->code[get + k] = e->code[step + k];
		e->ncode = get + 4;
	}
	/* what comes before the fused instruction: the step, or the one
	 * before the `local.get x` (and the one before that, if known) */
	prev = step != NO_CELL ? get : start == e->last ? e->last3 : e->last4;
	prev2 = step != NO_CELL || start == e->last ? e->last4 : prev;
	e->last = prev;
	e->last2 = e->last3 = prev2;
	return x;
}

/* `local.get a; f64.load o; X` (X an f64 operator), or `local.get a;
 * i32.const c; i32.add; f64.load o; X` (fused before as OP_LC + i32.add,
 * then the load): X loads its second operand itself.  Returns 1 when it
 * fused, 0 when not, -1 on error. */
static int fuse_load(struct emitter *e, unsigned op)
{
	uint64_t a, c = 0, o, x;
	size_t start = e->last;

	if (e->last < e->barrier || !e->h[OP_LOAD_B + op])
		return 0;
	if (e->last_op == OP_LOCAL_B + 0x2B && e->last + 3 == e->ncode) {
		a = e->code[e->last + 1].u64;
	} else if (e->last_op == 0x2B && e->last + 2 == e->ncode &&
		   e->last2 + 3 == e->last && e->last2 >= e->barrier &&
		   e->code[e->last2].op == e->h[OP_LC + 0x6A]) {
		start = e->last2;
		a = e->code[e->last2 + 1].u64;
		c = e->code[e->last2 + 2].u64;
	} else {
		return 0;
	}
	o = e->code[e->ncode - 1].u64;
	x = first_operand_local(e, start);
	if (x != NO_CELL) { /* X's first operand is local x: OP_LOAD_LB */
		if (emit_op(e, OP_LOAD_LB + op) < 0 || emit(e, x) < 0)
			return -1;
	} else {
		/* the instructions before the load's become the last */
		if (start == e->last) {
			drop_last(e);
		} else {
			e->last = e->last3;
			e->last2 = e->last3 = e->last4;
		}
		e->ncode = start;
		if (emit_op(e, OP_LOAD_B + op) < 0)
			return -1;
	}
	if (emit(e, a) < 0 || emit(e, c) < 0 || emit(e, o) < 0)
		return -1;
	return 1;
}

/* Whether Wasm's integer operator op gives the same result with its
 * operands swapped. */
static bool commutes(unsigned op)
{
	/* eq, ne; add, mul; and, or, xor: of i32, then of i64 */
	static const uint16_t ops[] = {0x46, 0x47, 0x6A, 0x6C, 0x71,
				       0x72, 0x73, 0x51, 0x52, 0x7C,
				       0x7E, 0x83, 0x84, 0x85};

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (ops[k] == op)
			return true;
	return false;
}

/* `local.get a; local.get b; U; X`, U a unary operator and X a
 * commutative one: X's first operand is still local a, which nothing
 * has written since, so the `local.get a` goes and X takes local a as
 * its second operand (`local.get b; U; X(local a)`): fib's return value
 * `n_acc + (u64)n`.  Returns 1 when it fused, 0 when not, -1 on error. */
static int fuse_lazy_local(struct emitter *e, unsigned op)
{
	uint64_t a;

	if (!commutes(op) || !e->h[OP_LOCAL_B + op] || e->unary != e->last)
		return 0;
	/* U reading local b itself (fuse_unary_local): `local.get a;
	 * U(b); X` is `U(b); X(local a)` */
	if (e->last + 2 == e->ncode && e->last2 + 2 == e->last &&
	    e->last2 >= e->barrier &&
	    e->code[e->last2].op == e->h[OP_LOCAL_GET]) {
		a = e->code[e->last2 + 1].u64;
		e->code[e->last2] = e->code[e->last];
		e->code[e->last2 + 1] = e->code[e->last + 1];
		e->ncode = e->last2 + 2;
		e->last = e->unary = e->last2;
		e->last2 = e->last3;
		e->last3 = e->last4;
		if (emit_op(e, OP_LOCAL_B + op) < 0 || emit(e, a) < 0)
			return -1;
		return 1;
	}
	if (e->last + 1 != e->ncode || e->last2 + 2 != e->last ||
	    e->last3 + 2 != e->last2 || e->last3 < e->barrier ||
	    e->code[e->last2].op != e->h[OP_LOCAL_GET] ||
	    e->code[e->last3].op != e->h[OP_LOCAL_GET])
		return 0;
	a = e->code[e->last3 + 1].u64;
	/* move `local.get b; U` down over `local.get a` */
	e->code[e->last3] = e->code[e->last2];
	e->code[e->last3 + 1] = e->code[e->last2 + 1];
	e->code[e->last3 + 2] = e->code[e->last];
	e->ncode = e->last3 + 3;
	e->last = e->unary = e->last3 + 2;
	e->last2 = e->last3; /* what came before is no longer known */
	if (emit_op(e, OP_LOCAL_B + op) < 0 || emit(e, a) < 0)
		return -1;
	return 1;
}

/* `local.get a; U`, U one of the integer conversions and tests that
 * have a form reading a local (i32.wrap_i64, i64.extend_i32_s/u,
 * i32/i64.eqz): U reads local a itself, OP_LOCAL_B + U (a).  Returns
 * 1 when it fused, 0 when not, -1 on error. */
static int fuse_unary_local(struct emitter *e, unsigned op)
{
	uint64_t a;

	if (op < 0x45 || op > 0xC4 || !e->h[OP_LOCAL_B + op] ||
	    e->last + 2 != e->ncode || e->last < e->barrier ||
	    e->code[e->last].op != e->h[OP_LOCAL_GET])
		return 0;
	a = e->code[e->last + 1].u64;
	drop_last(e);
	if (emit_op(e, OP_LOCAL_B + op) < 0 || emit(e, a) < 0)
		return -1;
	e->unary = e->last;
	return 1;
}

int compile__op(struct emitter *e, unsigned op, bool binary)
{
	if (binary && op >= 0xA0 && op <= 0xA3) {
		int fused = fuse_load(e, op);
		if (fused)
			return fused < 0 ? -1 : 0;
	}
	if (binary) {
		int fused = fuse_operand(e, op);
		if (!fused)
			fused = fuse_lazy_local(e, op);
		if (fused)
			return fused < 0 ? -1 : 0;
	}
	if (!binary) {
		int fused = fuse_unary_local(e, op);
		if (fused)
			return fused < 0 ? -1 : 0;
	}
	if (emit_op(e, op) < 0)
		return -1;
	/* a numeric operator without its second operand: one in, one out */
	if (!binary && ((op >= 0x45 && op <= 0xC4) ||
			(op >= OP_PREFIX_FC && op <= OP_PREFIX_FC + 7)))
		e->unary = e->last;
	return 0;
}

/* Whether the last instruction computes a value that it could write to
 * a local instead of pushing it (OP_TO_LOCAL + its form exists). */
static bool writes_local(const struct emitter *e)
{
	return e->last >= e->barrier && e->ncode > e->last &&
	       e->last_op < 0x800 && e->h[OP_TO_LOCAL + e->last_op];
}

/* The last instruction writes local d instead of pushing. */
static int to_local(struct emitter *e, uint32_t d)
{
	e->code[e->last].op = e->h[OP_TO_LOCAL + e->last_op];
	e->last_op = OP_TO_LOCAL + e->last_op;
	return emit(e, d);
}

int compile__op_imm(struct emitter *e, unsigned op, uint64_t imm)
{
	/* `X; return` with one result: X writes local 0, the result's
	 * place, itself, and the return has nothing left to move (the
	 * locals die with the frame) */
	/* `local.get a; i32.add | i64.add; return` (OP_LOCAL_B + add):
	 * the add and the return in one, OP_RETURN_ADD32_L/64_L (a) */
	if (op == OP_RETURN && imm == 1 && e->last >= e->barrier &&
	    e->last + 2 == e->ncode) {
		const void *prev = e->code[e->last].op;
		if (prev == e->h[OP_LOCAL_B + 0x6A] ||
		    prev == e->h[OP_LOCAL_B + 0x7C]) {
			e->code[e->last].op =
				e->h[prev == e->h[OP_LOCAL_B + 0x6A]
					     ? OP_RETURN_ADD32_L
					     : OP_RETURN_ADD64_L];
			e->last_op = OP_RETURN;
			return 0;
		}
	}
	if (op == OP_RETURN && imm == 1 && writes_local(e))
		return to_local(e, 0) < 0 ? -1 : emit_op(e, OP_RETURN_L0);
	if (op == OP_RETURN && imm == 1)
		return emit_op(e, OP_RETURN_1);
	if (emit_op(e, op) < 0 || emit(e, imm) < 0)
		return -1;
	/* a call that may cross instances returns through OP_XRET */
	return op == OP_CALL || op == OP_CALL_INDIRECT ? emit_op(e, OP_XRET)
						       : 0;
}

int compile__call(struct emitter *e, uint32_t fi, const struct func *f)
{
	uint64_t a, c;

	if (f->imported) /* may be a host function, or another instance's */
		return compile__op_imm(e, OP_CALL, fi);
	/* the argument `local.get a; i32.const c; i32.add` (OP_LC +
	 * i32.add), fib's n - 1: the call pushes it itself, one dispatch
	 * instead of two */
	if (e->last >= e->barrier && e->last + 3 == e->ncode &&
	    e->code[e->last].op == e->h[OP_LC + 0x6A]) {
		a = e->code[e->last + 1].u64;
		c = e->code[e->last + 2].u64;
		drop_last(e);
		if (emit_op(e, OP_CALL_LC) < 0 || emit(e, a) < 0 ||
		    emit(e, c) < 0)
			return -1;
	} else if (emit_op(e, OP_CALL_F) < 0) {
		return -1;
	}
	/* remembered for compile__link (no fusion moves a call) */
	if (compile__grow((void **)&e->callcells, &e->capcallcells,
			  e->ncallcells + 1, sizeof(size_t)) < 0) {
		e->oom = true;
		return -1;
	}
	e->callcells[e->ncallcells++] = e->last;
	/* the callee itself, not its index: the call reads its code and
	 * sizes without going through the instance (interp.c), and a
	 * trap finds it here, just before the frame's return address */
	if (emit(e, 0) < 0)
		return -1;
	e->code[e->ncode - 1].def = f;
	return 0;
}

/* Whether the last instruction is an f64 operator with a loaded operand
 * (OP_LOAD_B + X) right after an OP_LOAD_LB: a value from the frame and
 * memory in two instructions. */
static bool load_op_pair(const struct emitter *e)
{
	if (e->last_op < OP_LOAD_B + 0xA0 || e->last_op > OP_LOAD_B + 0xA3 ||
	    e->last2 + 5 != e->last)
		return false;
	for (unsigned x = 0xA0; x <= 0xA3; x++)
		if (e->code[e->last2].op == e->h[OP_LOAD_LB + x])
			return true;
	return false;
}

/* Whether the last instruction pushes one value computed from the frame
 * and memory alone, writing no local: a local, a constant, OP_LL/OP_LC,
 * a load addressed by a local, OP_LOAD_LB. */
static bool value_from_frame(const struct emitter *e)
{
	unsigned k = e->last_op;

	return k == OP_LOCAL_GET || k == OP_CONST ||
	       (k >= OP_LL && k < OP_LC + 0x100) ||
	       (k >= OP_LOCAL_B + 0x28 && k <= OP_LOCAL_B + 0x35) ||
	       (k >= OP_LOAD_LB && k < OP_LOAD_LB + 0x100);
}

/* A store whose address is a `local.get p` right below a value computed
 * from the frame and memory (value_from_frame(), or load_op_pair(),
 * maybe after a step writing another local): the `local.get p` goes and
 * the store reads its address from local p, OP_LOCAL_B + store (p,
 * offset).  matmul's `c[j] += aik * b[k][j]` is then OP_LOAD_LB,
 * OP_LOAD_B and this store.  Returns 1 when it fused, 0 when not, -1 on
 * error. */
static int fuse_store(struct emitter *e, unsigned op, uint32_t offset)
{
	bool pair = load_op_pair(e);
	bool step = pair && e->last3 + 4 == e->last2 && is_step(e, e->last3);
	size_t get = step ? e->last4 : pair ? e->last3 : e->last2, n, size;
	size_t value = step ? e->last3 : pair ? e->last2 : e->last;
	uint64_t p, c = 0;

	if ((!pair && !value_from_frame(e)) || get < e->barrier || get >= value)
		return 0;
	/* the address: `local.get p`, or `local.get p; i32.const c;
	 * i32.add` (OP_LC + i32.add, sieve's `composite[j] = 1`) */
	if (e->code[get].op == e->h[OP_LOCAL_GET])
		size = 2;
	else if (e->code[get].op == e->h[OP_LC + 0x6A])
		size = 3;
	else
		return 0;
	if (get + size != value)
		return 0;
	p = e->code[get + 1].u64;
	if (size == 3)
		c = e->code[get + 2].u64;
	if (step && e->code[e->last3 + 3].u64 == p)
		return 0; /* the step writes local p */
	/* move the value's instructions down over the address's */
	n = e->ncode - value;
	for (size_t k = 0; k < n; k++)
		e->code[get + k] = e->code[value + k];
	e->ncode -= size;
	e->last -= size;
	e->last2 = pair ? e->last2 - size : e->last; /* else: not known */
	e->last3 = step ? get : e->last2;
	if (emit_op(e, (size == 2 ? OP_LOCAL_B : OP_STORE_LC) + op) < 0 ||
	    emit(e, p) < 0 || (size == 3 && emit(e, c) < 0))
		return -1;
	return emit(e, offset) < 0 ? -1 : 1;
}

int compile__memop(struct emitter *e, unsigned op, uint32_t offset)
{
	if (op >= 0x36) {
		int fused = fuse_store(e, op, offset);
		if (fused)
			return fused < 0 ? -1 : 0;
	}
	/* `local.get a; load` reads its address straight from local a */
	if (op <= 0x35 && e->last + 2 == e->ncode && e->last >= e->barrier &&
	    e->code[e->last].op == e->h[OP_LOCAL_GET]) {
		uint64_t a = e->code[e->last + 1].u64;
		drop_last(e);
		if (emit_op(e, OP_LOCAL_B + op) < 0 || emit(e, a) < 0)
			return -1;
		return emit(e, offset);
	}
	if (emit_op(e, op) < 0)
		return -1;
	return emit(e, offset);
}

/* Whether `const 0; local.set i` runs before any code that writes a
 * local or any loop (so at most once per call, with every local still
 * as the call left it) and i is a declared local: the call has just
 * zeroed it, so the pair can go (clang zeroes accumulators so: fib's
 * `i64.const 0; local.set 1`, at its entry and again after its first
 * test). */
static bool zeroes_fresh_local(const struct emitter *e, unsigned op, uint32_t i)
{
	if (op != OP_LOCAL_SET || !e->at_entry || e->wrote_local ||
	    i < e->nparams)
		return false;
	return e->last >= e->barrier && e->last + 2 == e->ncode &&
	       e->last_op == OP_CONST && e->code[e->last + 1].u64 == 0;
}

int compile__local(struct emitter *e, unsigned op, uint32_t i)
{
	/* `operator; local.set i`: the operator writes local i itself
	 * (and so do a constant and a local.get: a move).  `operator;
	 * local.tee i` becomes the same, then `local.get i`, which the
	 * next operator can fuse as its operand (loop counters). */
	if (zeroes_fresh_local(e, op, i)) {
		e->ncode = e->last; /* and nothing is known before it */
		return 0;
	}
	if (op != OP_LOCAL_GET)
		e->wrote_local = true;
	if ((op == OP_LOCAL_SET || op == OP_LOCAL_TEE) && writes_local(e)) {
		if (to_local(e, i) < 0)
			return -1;
		if (op == OP_LOCAL_SET)
			return 0;
		op = OP_LOCAL_GET;
	}
	return emit_op(e, op) < 0 ? -1 : emit(e, i);
}

void compile__finish(struct emitter *e, struct func *f)
{
	for (size_t i = 0; i < e->nfix; i++)
		e->code[e->fix[i]].target = e->code + e->code[e->fix[i]].u64;
	/* a call left out for lack of memory stays the checked form */
	if (compile__grow((void **)&e->calls, &e->capcalls,
			  e->ncalls + e->ncallcells, sizeof(*e->calls)) == 0)
		for (size_t i = 0; i < e->ncallcells; i++)
			e->calls[e->ncalls++] = e->code + e->callcells[i];
	f->code = e->code;
	f->ncode = e->ncode;
	e->code = NULL;
	e->ncode = e->capcode = 0;
}

void compile__link(struct emitter *e, const struct module *m)
{
	for (size_t i = 0; i < e->ncalls; i++) {
		union cell *c = e->calls[i];
		bool lc = c->op == e->h[OP_CALL_LC];
		const struct func *f;

		/* (each cell is checked to still be the call recorded) */
		if (!lc && c->op != e->h[OP_CALL_F])
			continue;
		f = c[lc ? 3 : 1].def;
		if (f < m->funcs || f >= m->funcs + m->nfuncs)
			continue;
		if (f->nlocals <= 1 && !f->big_frame)
			c->op = e->h[lc ? OP_CALL_LC1 : OP_CALL_F1];
	}
}

void compile__destroy(struct emitter *e)
{
	free(e->code);
	free(e->fix);
	free(e->callcells);
	free(e->calls);
	e->code = NULL;
	e->fix = NULL;
	e->callcells = NULL;
	e->calls = NULL;
}
