/*
 * code.h - The internal, pre-decoded form of a function body that the
 * interpreter runs (written by compile.c as validate.c directs, run by
 * interp.c).
 *
 * A function is an array of 8-byte cells.  An instruction is one cell
 * holding the address of its handler in the interpreter's loop (computed
 * goto: `goto *pc->op`), followed by its immediates, already decoded from
 * LEB128: constants as 64-bit values, local indices, memory offsets, and
 * branch targets as pointers to the cell to continue at, together with
 * the stack height to cut back to.  Blocks, `nop` and `end` leave no code
 * at all: the validator knows every stack height statically, so a branch
 * carries everything it needs.
 *
 * Internal opcodes reuse the Wasm opcode where there is one (0x6A is
 * i32.add), 0x100 + n for the 0xFC-prefixed n, and OP_* above 0x120 for
 * the forms that only exist here.
 */
#ifndef MINI_WASM_CODE_H
#define MINI_WASM_CODE_H

#include <stdint.h>

struct func;

union cell {
	const void *op;     /* handler address */
	uint64_t u64;       /* constant bits, indices, offsets */
	union cell *target; /* branch target */
	const struct func *def; /* a direct call's callee (OP_CALL_F) */
};

/* Value stack slots held in reserve for each frame not yet in use (of
 * the exec's max_depth), mapped by exec__create beyond the stack asked
 * for.  A direct call to a function whose frame reaches at most this
 * many slots past its arguments then needs no value stack check, only
 * the depth check: every frame still to come has its slots kept for it.
 * A larger callee (struct func's big_frame) is checked against its own
 * frame plus the reserve of the frames left (interp.c, CALL_DIRECT). */
#define FRAME_RESERVE 8

/* The label's stack height (in slots from the frame base) and arity,
 * packed in one cell after a branch's target. */
#define CELL_HN(h, n) (((uint64_t)(h) << 32) | (uint32_t)(n))

enum {
	OP_UNREACHABLE = 0x00,
	OP_BR = 0x0C,            /* target, HN: move n results down to h */
	OP_BR_IF = 0x0D,         /* target, HN */
	OP_BR_TABLE = 0x0E,      /* count, then count+1 x (target, HN) */
	OP_RETURN = 0x0F,        /* nresults */
	OP_CALL = 0x10,          /* function index; then OP_XRET */
	OP_CALL_INDIRECT = 0x11, /* type index; then OP_XRET */
	OP_DROP = 0x1A,
	OP_SELECT = 0x1B,
	OP_LOCAL_GET = 0x20, /* local index (parameters first) */
	OP_LOCAL_SET = 0x21,
	OP_LOCAL_TEE = 0x22,
	OP_GLOBAL_GET = 0x23, /* global index */
	OP_GLOBAL_SET = 0x24,
	/* 0x28..0x3E loads and stores: static offset */
	OP_MEMORY_SIZE = 0x3F,
	OP_MEMORY_GROW = 0x40,
	OP_CONST = 0x42, /* 64-bit bits of any constant */
	/* 0x45..0xC4 numeric, as in Wasm; 0x100+0..7 saturating truncs */
	OP_PREFIX_FC = 0x100,
	OP_JMP = 0x120,       /* target: a branch with nothing to move */
	OP_BR_IF_JMP = 0x121, /* target */
	OP_BR_UNLESS = 0x122, /* target: `if` without a taken else */
	OP_FUEL = 0x123,      /* n: charge the n Wasm instructions of the
			       * straight-line run it starts (--fuel) */
	OP_RETURN_1 = 0x124,  /* return with one result (no immediate) */
	OP_RETURN_L0 = 0x125, /* return with one result, already written
			       * to local 0 by the instruction before */
	OP_CALL_F = 0x126,    /* callee (def): a call to a function the
			       * module defines (not an import), so of the
			       * same instance: no host call, same memory */
	OP_CALL_LC = 0x127,   /* a, c, callee (def): `local.get a;
			       * i32.const c; i32.add; call f` (f defined
			       * here), the argument pushed by the call */
	/* `local.get a; i32.add | i64.add; return` with one result:
	 * return the top value plus local a (a), fib's acc + (u64)n */
	OP_RETURN_ADD32_L = 0x128,
	OP_RETURN_ADD64_L = 0x129,
	/* Right after every OP_CALL and OP_CALL_INDIRECT: where a call
	 * into another instance returns, to reload the caller's instance
	 * and memory (a return itself restores only pc and fp).  Never
	 * reached after a host call or a call within the instance. */
	OP_XRET = 0x12A,
	/* OP_CALL_F and OP_CALL_LC when the callee declares at most one
	 * local and its frame fits in FRAME_RESERVE: one slot zeroed, and
	 * no test of the count nor of the value stack (compile__link) */
	OP_CALL_F1 = 0x12B,
	OP_CALL_LC1 = 0x12C,
	/* Fused forms of a binary operator X whose second operand is a
	 * `local.get i` or a constant right before it (compile.c's
	 * peephole): OP_LOCAL_B + X takes local i, OP_CONST_B + X takes the
	 * constant, as one instruction instead of two (README). */
	OP_LOCAL_B = 0x200,
	OP_CONST_B = 0x300,
	/* An i32 comparison X followed by `br_if` (nothing to move):
	 * OP_BRCMP + X branches on the comparison of the top two values,
	 * OP_BRCMP_C + X on the top value against a constant (c, target).
	 * A load X right after `local.get a` is OP_LOCAL_B + X (a, offset),
	 * and so is a conversion or test X of a local (i32.wrap_i64,
	 * i64.extend_i32_s/u, i32/i64.eqz: a). */
	OP_BRCMP = 0x400,
	OP_BRCMP_C = 0x500,
	/* Both operands from the frame: `local.get a; local.get b; X` is
	 * OP_LL + X (a, b), `local.get a; const c; X` is OP_LC + X (a, c);
	 * followed by `br_if`, an i32 comparison becomes OP_BRCMP_LL + X
	 * (a, b, target) or OP_BRCMP_LC + X (a, c, target). */
	OP_LL = 0x600,
	OP_LC = 0x700,
	OP_BRCMP_LL = 0x800,
	OP_BRCMP_LC = 0x900,
	/* Any of the operator forms above (0x00..0x7FF) followed by
	 * `local.set d`: OP_TO_LOCAL + form, its immediates then d; the
	 * result goes to local d instead of the stack.  So do `local.get
	 * a` (OP_TO_LOCAL + 0x20: a, d) and a constant (+ 0x42: c, d). */
	OP_TO_LOCAL = 0xA00,
	/* An f64 operator X whose second operand is an f64.load addressed
	 * by a local, or a local plus a constant (`local.get a; [i32.const
	 * c; i32.add;] f64.load o; X`): OP_LOAD_B + X (a, c, o), matmul's
	 * `c += aik * b[k][j]`. */
	OP_LOAD_B = 0x1200,
	/* A loop counter's step and test: `local.get s; i32.const k;
	 * i32.add; local.tee d; i32.const n; X; br_if` (X an i32
	 * comparison) is OP_BRSTEP + X (s, k, d, n, target). */
	OP_BRSTEP = 0x1300,
	/* OP_LOAD_B + X whose first operand is `local.get x` too (x, a, c,
	 * o): `local.get x; local.get a; f64.load o; X` pushes one value. */
	OP_LOAD_LB = 0x1400,
	/* A store whose address is `local.get a; i32.const c; i32.add`
	 * (a, c, offset), fused with it (compile.c fuse_store); and the
	 * step-and-test of a counter stepped by local t (s, t, d, n,
	 * target). */
	OP_STORE_LC = 0x1500,
	OP_BRSTEP_LL = 0x1600,
	OP_COUNT = 0x1700,
};

/* The interpreter's handler table, indexed by internal opcode; NULL for
 * an opcode that does not exist.  Defined in interp.c. */
const void *const *interp__handlers(void);

#endif
