/*
 * interp.c - The interpreter: runs the pre-decoded code of code.h (spec
 * section 4.4, "Instructions").
 *
 * This is the one clever part of mini-wasm, and it is long on purpose:
 * one function, run(), holds every handler so that the compiler keeps the
 * machine state in registers (pc: the next cell; sp: the first free stack
 * slot; fp: the frame's first local; mem/memsize: the linear memory).
 * Each handler ends with NEXT(), an indirect jump straight to the next
 * handler (GCC's "labels as values", computed goto): no switch, no
 * bounds check of the opcode, one well-predicted jump per instruction
 * (README, "The interpreter's design").
 *
 * Semantics follow the spec's numerics (section 4.3): traps for division
 * by zero, signed overflow and out-of-range float-to-int conversions, the
 * NaN rules for min/max, bit-exact abs/neg/copysign, and a bounds check
 * on every memory access computed in 64 bits so no address wraps.
 */
#include <math.h>
#include <string.h>

#include "runtime.h"

#define T_OOB "out of bounds memory access"
#define T_DIV0 "integer divide by zero"
#define T_OVF "integer overflow"
#define T_CONV "invalid conversion to integer"
#define T_EXHAUSTED "call stack exhausted"
#define T_FUEL "out of fuel"

int exec__trap(struct exec *ex, const char *msg)
{
	ex->trap = msg;
	return -1;
}

static inline uint32_t rotl32(uint32_t x, uint32_t n)
{
	n &= 31;
	return n ? (x << n) | (x >> (32 - n)) : x;
}

static inline uint64_t rotl64(uint64_t x, uint64_t n)
{
	n &= 63;
	return n ? (x << n) | (x >> (64 - n)) : x;
}

static inline uint32_t f32_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, 4);
	return u;
}

static inline float f32_of(uint32_t u)
{
	float f;
	memcpy(&f, &u, 4);
	return f;
}

static inline uint64_t f64_bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, 8);
	return u;
}

static inline double f64_of(uint64_t u)
{
	double d;
	memcpy(&d, &u, 8);
	return d;
}

/* fmin/fmax with the spec's rules: NaN in, NaN out; -0 < +0. */
static inline float f32_min(float a, float b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return f32_of(f32_bits(a) | f32_bits(b));
	return a < b ? a : b;
}

static inline float f32_max(float a, float b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return f32_of(f32_bits(a) & f32_bits(b));
	return a > b ? a : b;
}

static inline double f64_min(double a, double b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return f64_of(f64_bits(a) | f64_bits(b));
	return a < b ? a : b;
}

static inline double f64_max(double a, double b)
{
	if (isnan(a) || isnan(b))
		return a + b;
	if (a == b)
		return f64_of(f64_bits(a) & f64_bits(b));
	return a > b ? a : b;
}

/* Rounding functions must return a quiet NaN for a NaN (spec 4.3.3);
 * libm hands a signaling NaN back unchanged, so quiet it here. */
#define ROUND(name, T, fn)                           \
	static inline T name(T x)                    \
	{                                            \
		return isnan(x) ? x + x : fn(x);     \
	}
ROUND(f32_ceil, float, ceilf)
ROUND(f32_floor, float, floorf)
ROUND(f32_trunc, float, truncf)
ROUND(f32_nearest, float, nearbyintf)
ROUND(f64_ceil, double, ceil)
ROUND(f64_floor, double, floor)
ROUND(f64_trunc, double, trunc)
ROUND(f64_nearest, double, nearbyint)

/* Saturating truncations (the non-trapping float-to-int proposal). */
#define SAT(name, FT, IT, lo, hi, min, max)                  \
	static inline IT name(FT x)                          \
	{                                                    \
		if (isnan(x))                                \
			return 0;                            \
		if (!(x > (FT)(lo)))                         \
			return min;                          \
		if (!(x < (FT)(hi)))                         \
			return max;                          \
		return (IT)x;                                \
	}
SAT(sat_i32_f32, float, int32_t, -2147483904.0, 2147483648.0, INT32_MIN,
    INT32_MAX)
SAT(sat_u32_f32, float, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
SAT(sat_i32_f64, double, int32_t, -2147483649.0, 2147483648.0, INT32_MIN,
    INT32_MAX)
SAT(sat_u32_f64, double, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
SAT(sat_i64_f32, float, int64_t, -9223373136366403584.0,
    9223372036854775808.0, INT64_MIN, INT64_MAX)
SAT(sat_u64_f32, float, uint64_t, -1.0, 18446744073709551616.0, 0,
    UINT64_MAX)
SAT(sat_i64_f64, double, int64_t, -9223372036854777856.0,
    9223372036854775808.0, INT64_MIN, INT64_MAX)
SAT(sat_u64_f64, double, uint64_t, -1.0, 18446744073709551616.0, 0,
    UINT64_MAX)

/* Every result is written as a whole 64-bit slot (an i32 or f32
 * zero-extended): a 4-byte store followed by the 8-byte load of the same
 * slot (local.get, local.tee, a call's arguments) cannot be forwarded
 * from the store buffer and stalls the load for a dozen cycles. */
#define PUT_u32(s, v) ((s).u64 = (uint32_t)(v))
#define PUT_i32(s, v) ((s).u64 = (uint32_t)(int32_t)(v))
#define PUT_f32(s, v) ((s).u64 = f32_bits(v))
#define PUT_u64(s, v) ((s).u64 = (uint64_t)(v))
#define PUT_i64(s, v) ((s).i64 = (int64_t)(v))
#define PUT_f64(s, v) ((s).f64 = (v))
#define PUT(s, F, v) PUT_##F(s, v)

/* The trapping truncations check the same open ranges: x must lie
 * strictly between lo and hi (the first unrepresentable values). */
#define IN_RANGE(x, lo, hi) ((x) > (lo) && (x) < (hi))

static int run(struct exec *ex, struct wfunc *fn, union slot *fp,
	       const void *const **table_out)
{
	/* Indexed by internal opcode (code.h); NULL: no such opcode. */
	static const void *const table[OP_COUNT] = {
#define H(n) [n] = &&op_##n
		H(0x00), H(0x0C), H(0x0D), H(0x0E), H(0x0F), H(0x10), H(0x11),
		H(0x1A), H(0x1B), H(0x20), H(0x21), H(0x22), H(0x23), H(0x24),
		H(0x28), H(0x29), H(0x2A), H(0x2B), H(0x2C), H(0x2D), H(0x2E),
		H(0x2F), H(0x30), H(0x31), H(0x32), H(0x33), H(0x34), H(0x35),
		H(0x36), H(0x37), H(0x38), H(0x39), H(0x3A), H(0x3B), H(0x3C),
		H(0x3D), H(0x3E), H(0x3F), H(0x40), H(0x42), H(0x45), H(0x46),
		H(0x47), H(0x48), H(0x49), H(0x4A), H(0x4B), H(0x4C), H(0x4D),
		H(0x4E), H(0x4F), H(0x50), H(0x51), H(0x52), H(0x53), H(0x54),
		H(0x55), H(0x56), H(0x57), H(0x58), H(0x59), H(0x5A), H(0x5B),
		H(0x5C), H(0x5D), H(0x5E), H(0x5F), H(0x60), H(0x61), H(0x62),
		H(0x63), H(0x64), H(0x65), H(0x66), H(0x67), H(0x68), H(0x69),
		H(0x6A), H(0x6B), H(0x6C), H(0x6D), H(0x6E), H(0x6F), H(0x70),
		H(0x71), H(0x72), H(0x73), H(0x74), H(0x75), H(0x76), H(0x77),
		H(0x78), H(0x79), H(0x7A), H(0x7B), H(0x7C), H(0x7D), H(0x7E),
		H(0x7F), H(0x80), H(0x81), H(0x82), H(0x83), H(0x84), H(0x85),
		H(0x86), H(0x87), H(0x88), H(0x89), H(0x8A), H(0x8B), H(0x8C),
		H(0x8D), H(0x8E), H(0x8F), H(0x90), H(0x91), H(0x92), H(0x93),
		H(0x94), H(0x95), H(0x96), H(0x97), H(0x98), H(0x99), H(0x9A),
		H(0x9B), H(0x9C), H(0x9D), H(0x9E), H(0x9F), H(0xA0), H(0xA1),
		H(0xA2), H(0xA3), H(0xA4), H(0xA5), H(0xA6), H(0xA7), H(0xA8),
		H(0xA9), H(0xAA), H(0xAB), H(0xAC), H(0xAD), H(0xAE), H(0xAF),
		H(0xB0), H(0xB1), H(0xB2), H(0xB3), H(0xB4), H(0xB5), H(0xB6),
		H(0xB7), H(0xB8), H(0xB9), H(0xBA), H(0xBB), H(0xBC), H(0xBD),
		H(0xBE), H(0xBF), H(0xC0), H(0xC1), H(0xC2), H(0xC3), H(0xC4),
		H(0x100), H(0x101), H(0x102), H(0x103), H(0x104), H(0x105),
		H(0x106), H(0x107), H(0x120), H(0x121), H(0x122), H(0x123),
		H(0x124), H(0x125), H(0x126), H(0x127), H(0x128), H(0x129),
		H(0x12A), H(0x12B), H(0x12C),
		/* moves: a local or a constant to local d */
		[OP_TO_LOCAL + 0x20] = &&opD_0x20,
		[OP_TO_LOCAL + 0x42] = &&opD_0x42,
		/* binary operators with a local or constant operand */
#define H2(n)                                                            \
	[OP_LOCAL_B + n] = &&opL_##n, [OP_CONST_B + n] = &&opC_##n,      \
	[OP_LL + n] = &&opLL_##n, [OP_LC + n] = &&opLC_##n,              \
	[OP_TO_LOCAL + n] = &&opD_##n,                                   \
	[OP_TO_LOCAL + OP_LOCAL_B + n] = &&opLD_##n,                     \
	[OP_TO_LOCAL + OP_CONST_B + n] = &&opCD_##n,                     \
	[OP_TO_LOCAL + OP_LL + n] = &&opLLD_##n,                         \
	[OP_TO_LOCAL + OP_LC + n] = &&opLCD_##n
		H2(0x46), H2(0x47), H2(0x48), H2(0x49), H2(0x4A), H2(0x4B), H2(0x4C),
		H2(0x4D), H2(0x4E), H2(0x4F), H2(0x51), H2(0x52), H2(0x53), H2(0x54),
		H2(0x55), H2(0x56), H2(0x57), H2(0x58), H2(0x59), H2(0x5A), H2(0x5B),
		H2(0x5C), H2(0x5D), H2(0x5E), H2(0x5F), H2(0x60), H2(0x61), H2(0x62),
		H2(0x63), H2(0x64), H2(0x65), H2(0x66), H2(0x6A), H2(0x6B), H2(0x6C),
		H2(0x71), H2(0x72), H2(0x73), H2(0x74), H2(0x75), H2(0x76), H2(0x77),
		H2(0x78), H2(0x7C), H2(0x7D), H2(0x7E), H2(0x83), H2(0x84), H2(0x85),
		H2(0x86), H2(0x87), H2(0x88), H2(0x89), H2(0x8A), H2(0x92), H2(0x93),
		H2(0x94), H2(0x95), H2(0x96), H2(0x97), H2(0x98), H2(0xA0), H2(0xA1),
		H2(0xA2), H2(0xA3), H2(0xA4), H2(0xA5), H2(0xA6),
#undef H2
		/* loads and stores addressed by a local */
#define H3(n) [OP_LOCAL_B + n] = &&opL_##n
		H3(0x28), H3(0x29), H3(0x2A), H3(0x2B), H3(0x2C), H3(0x2D),
		H3(0x2E), H3(0x2F), H3(0x30), H3(0x31), H3(0x32), H3(0x33),
		H3(0x34), H3(0x35),
		H3(0x36), H3(0x37), H3(0x38), H3(0x39), H3(0x3A), H3(0x3B),
		H3(0x3C), H3(0x3D), H3(0x3E),
		[OP_STORE_LC + 0x36] = &&opSC_0x36, [OP_STORE_LC + 0x37] = &&opSC_0x37,
		[OP_STORE_LC + 0x38] = &&opSC_0x38, [OP_STORE_LC + 0x39] = &&opSC_0x39,
		[OP_STORE_LC + 0x3A] = &&opSC_0x3A, [OP_STORE_LC + 0x3B] = &&opSC_0x3B,
		[OP_STORE_LC + 0x3C] = &&opSC_0x3C, [OP_STORE_LC + 0x3D] = &&opSC_0x3D,
		[OP_STORE_LC + 0x3E] = &&opSC_0x3E,
#undef H3
		/* f64 operators with an operand loaded through a local */
		[OP_LOAD_B + 0xA0] = &&opM_0xA0, [OP_LOAD_B + 0xA1] = &&opM_0xA1,
		[OP_LOAD_B + 0xA2] = &&opM_0xA2, [OP_LOAD_B + 0xA3] = &&opM_0xA3,
		[OP_LOAD_LB + 0xA0] = &&opML_0xA0,
		[OP_LOAD_LB + 0xA1] = &&opML_0xA1,
		[OP_LOAD_LB + 0xA2] = &&opML_0xA2,
		[OP_LOAD_LB + 0xA3] = &&opML_0xA3,
		/* conversions and tests of a local (fuse_unary_local) */
		[OP_LOCAL_B + 0x45] = &&opL_0x45, [OP_LOCAL_B + 0x50] = &&opL_0x50,
		[OP_LOCAL_B + 0xA7] = &&opL_0xA7, [OP_LOCAL_B + 0xAC] = &&opL_0xAC,
		[OP_LOCAL_B + 0xAD] = &&opL_0xAD,
		/* compare-and-branch */
#define H4(n)                                                            \
	[OP_BRCMP + n] = &&opB_##n, [OP_BRCMP_C + n] = &&opBC_##n,       \
	[OP_BRCMP_LL + n] = &&opBLL_##n, [OP_BRCMP_LC + n] = &&opBLC_##n, \
	[OP_BRSTEP + n] = &&opBS_##n, [OP_BRSTEP_LL + n] = &&opBSL_##n
		[OP_BRCMP + 0x45] = &&opB_0x45, H4(0x46), H4(0x47), H4(0x48),
		H4(0x49), H4(0x4A), H4(0x4B), H4(0x4C), H4(0x4D), H4(0x4E),
		H4(0x4F),
#undef H4
#undef H
	};
	const union cell *pc;
	union slot *sp;
	struct instance *inst;
	uint8_t *mem;
	uint64_t memsize;
	/* the call stack: fr is the next free frame.  The entry pushes a
	 * frame whose return address is exit_code + 1, so a return never
	 * tests whether it is the last: that one lands on OP_EXIT.  The
	 * OP_XRET before it is never run: it marks the frame as one that
	 * holds its function (see trapped). */
	static const union cell exit_code[2] = {{.op = &&op_0x12A},
						{.op = &&op_exit}};
	struct frame *fr, *fr_end;
	uint64_t fuel;

	if (table_out) {
		*table_out = table;
		return 0;
	}

#define RELOAD_MEM()                                              \
	do {                                                      \
		mem = inst->mem ? inst->mem->data : NULL;         \
		memsize = inst->mem ? inst->mem->size : 0;        \
	} while (0)
/* Save where to come back to in the next frame, the instance to
 * return to and the function called (for a trap's message); a direct
 * call (OP_CALL_F) saves only pc and fp. */
#define PUSH_FRAME(callee)                      \
	do {                                    \
		fr->pc = pc;                    \
		fr->fp = (uint64_t *)fp;        \
		fr->inst = inst;                \
		fr->fn = (callee);              \
		fr++;                           \
	} while (0)
#define NEXT() goto *(pc++)->op
#define TRAP(msg)                  \
	do {                       \
		ex->trap = (msg);  \
		goto trapped;      \
	} while (0)
	/* code translated without OP_FUEL cannot count (module->fuel) */
	if (ex->fuel_on && !fn->inst->m->fuel)
		return exec__trap(ex, "module not translated for --fuel");
	fuel = ex->fuel_on ? ex->fuel : UINT64_MAX;
	/* frames[0] is the entry's (exec__create maps max_depth + 1) */
	fr = ex->frames;
	fr_end = ex->frames + 1 + ex->max_depth;
	/* the entry call: arguments are already at fp; its frame, and the
	 * reserve of the max_depth frames that may follow */
	if ((size_t)(ex->stack_end - fp) <
	    fn->def->frame_slots + (size_t)ex->max_depth * FRAME_RESERVE)
		return exec__trap(ex, T_EXHAUSTED);
	sp = fp + fn->type->nparams;
	memset(sp, 0, fn->def->nlocals * sizeof(*sp));
	sp += fn->def->nlocals;
	inst = fn->inst;
	pc = exit_code + 1;
	PUSH_FRAME(fn);
	pc = fn->def->code;
	RELOAD_MEM();
	NEXT();

	/* --- control --- */
op_0x00:
	TRAP("unreachable");
op_0x123: /* fuel: charge the next n instructions, all or none */
	if (__builtin_expect(pc->u64 > fuel, 0))
		TRAP(T_FUEL);
	fuel -= (pc++)->u64;
	NEXT();
op_0x120: /* jmp */
	pc = pc->target;
	NEXT();
op_0x121: /* br_if without values to move */
	if ((--sp)->u32)
		pc = pc->target;
	else
		pc++;
	NEXT();
op_0x122: /* br_unless: the `if` */
	if (!(--sp)->u32)
		pc = pc->target;
	else
		pc++;
	NEXT();
op_0x0D: /* br_if that moves values */
	if (!(--sp)->u32) {
		pc += 2;
		NEXT();
	}
	/* fall through */
op_0x0C: { /* br: keep the top n values, cut the stack to height h */
	uint64_t hn = pc[1].u64;
	uint32_t h = (uint32_t)(hn >> 32), n = (uint32_t)hn;

	memmove(fp + h, sp - n, n * sizeof(*sp));
	sp = fp + h + n;
	pc = pc->target;
	NEXT();
}
op_0x0E: { /* br_table */
	uint32_t i = (--sp)->u32, cnt = (uint32_t)pc->u64;
	const union cell *e = pc + 1 + 2 * (size_t)(i < cnt ? i : cnt);
	uint64_t hn = e[1].u64;
	uint32_t h = (uint32_t)(hn >> 32), n = (uint32_t)hn;

	memmove(fp + h, sp - n, n * sizeof(*sp));
	sp = fp + h + n;
	pc = e->target;
	NEXT();
}
	/* Pop the frame and go back.  Within one instance, inst, mem and
	 * memsize are already current (a memory.grow in the callee
	 * reloaded them); a call across instances returns to its OP_XRET,
	 * which reloads them.  Each return has its own copy (no jump). */
#define POP_FRAME()                                  \
	do {                                         \
		fr--;                                \
		pc = fr->pc;                         \
		fp = (union slot *)fr->fp;           \
		NEXT();                              \
	} while (0)
op_0x124: /* return with one result: the common case, without a loop */
	fp[0] = sp[-1];
	/* fall through */
op_0x125: /* return with one result, which is in local 0 already */
	sp = fp + 1;
	POP_FRAME();
op_0x128: /* return the top value plus local a, i32 */
	PUT(fp[0], u32, sp[-1].u32 + fp[pc->u64].u32);
	sp = fp + 1;
	POP_FRAME();
op_0x129: /* return the top value plus local a, i64 */
	PUT(fp[0], u64, sp[-1].u64 + fp[pc->u64].u64);
	sp = fp + 1;
	POP_FRAME();
op_0x0F: { /* return */
	uint32_t n = (uint32_t)pc->u64;

	for (uint32_t k = 0; k < n; k++)
		fp[k] = sp[(ptrdiff_t)k - n];
	sp = fp + n;
	POP_FRAME();
}
op_exit: /* the entry's frame popped: the called function returned */
	if (ex->fuel_on)
		ex->fuel = fuel; /* what is left, for the next call */
	return 0;
	/* Zero a callee's n declared locals, at sp.  The first
	 * STACK_SLACK slots are zeroed whatever n is, without a loop or
	 * a test (the stack has that many spare slots beyond stack_end,
	 * and slots past the locals are the callee's operand stack,
	 * free to overwrite); only more locals take the loop.  The empty
	 * asm keeps the compiler from turning the loop into a call to
	 * memset, which spilled and reloaded the machine's registers on
	 * every call. */
#define ZERO_LOCALS(n)                                                \
	do {                                                          \
		uint32_t n_ = (n);                                    \
		for (uint32_t k_ = 0; k_ < STACK_SLACK; k_++) {       \
			sp[k_].u64 = 0;                               \
			__asm__("" : "+r"(sp));                       \
		}                                                     \
		for (uint32_t k_ = STACK_SLACK; k_ < n_; k_++) {      \
			sp[k_].u64 = 0;                               \
			__asm__("" : "+r"(sp));                       \
		}                                                     \
		sp += n_;                                             \
	} while (0)
	_Static_assert(STACK_SLACK == 4, "ZERO_LOCALS zeroes 4 slots");
/* A direct call of d (OP_CALL_F and its forms below): check the depth,
 * and the value stack only for a callee reaching past its frame's
 * reserve (`big`: FRAME_RESERVE; the others fit in it), save pc and
 * fp, zero the declared locals (`zero`, which moves sp past them) and
 * enter. */
#define RESERVE_BYTES (FRAME_RESERVE * sizeof(union slot))
#define CALL_DIRECT(d, big, zero)                                        \
	do {                                                             \
		union slot *nfp_ =                                       \
			(union slot *)((char *)sp - (d)->param_bytes);   \
		if (fr == ex->frames_end)                                \
			TRAP(T_EXHAUSTED);                               \
		if (__builtin_expect(big, 0) &&                          \
		    (uint64_t)((char *)ex->stack_end - (char *)sp) <     \
			    (d)->reach_bytes +                           \
				    (uint64_t)(fr_end - fr - 1) *        \
					    RESERVE_BYTES)               \
			TRAP(T_EXHAUSTED);                               \
		fr->pc = pc;                                             \
		fr->fp = (uint64_t *)fp;                                 \
		fr++;                                                    \
		zero;                                                    \
		fp = nfp_;                                               \
		pc = (d)->code;                                          \
		NEXT();                                                  \
	} while (0)
op_0x10: { /* call */
	struct wfunc *callee = inst->funcs[(pc++)->u64];
	union slot *nfp;

do_call: /* pc is at the OP_XRET after the call */
	if (__builtin_expect(callee->host != NULL, 0)) {
		nfp = sp - callee->type->nparams;
		if (callee->host(ex, callee->env, (uint64_t *)nfp) < 0)
			goto trapped;
		sp = nfp + callee->type->nresults;
		RELOAD_MEM();
		pc++;
		NEXT();
	}
	nfp = sp - callee->nparams;
	if (fr == fr_end ||
	    (size_t)(ex->stack_end - nfp) <
		    callee->frame_slots +
			    (size_t)(fr_end - fr - 1) * FRAME_RESERVE)
		TRAP(T_EXHAUSTED);
	/* within the instance, the return skips the OP_XRET */
	if (callee->inst == inst)
		pc++;
	PUSH_FRAME(callee);
	ZERO_LOCALS(callee->nlocals);
	fp = nfp;
	pc = callee->code;
	if (callee->inst != inst) {
		inst = callee->inst;
		RELOAD_MEM();
	}
	NEXT();
op_0x11: /* call_indirect */
	{
		const struct functype *want =
			&inst->m->types[(pc++)->u64];
		uint32_t i = (--sp)->u32;

		if (!inst->table || i >= inst->table->size)
			TRAP("undefined element");
		callee = inst->table->elems[i];
		if (!callee)
			TRAP("uninitialized element");
		if (callee->type != want && functype__cmp(callee->type, want))
			TRAP("indirect call type mismatch");
		goto do_call;
	}
}

	/* A direct call to a function of this module (compile__call):
	 * the callee is Wasm code of this instance, so there is no host
	 * function to test for, the memory registers stay as they are,
	 * and the frame needs only pc and fp.  The immediate is the
	 * callee's struct func: its code and sizes in bytes, without
	 * going through the instance.  OP_CALL_LC first pushes its
	 * argument, local a + c. */
op_0x127:
	PUT(sp[0], u32, fp[pc[0].u64].u32 + (uint32_t)pc[1].u64);
	sp++;
	pc += 2;
	/* fall through */
op_0x126: {
	const struct func *d = (pc++)->def;

	CALL_DIRECT(d, d->big_frame, ZERO_LOCALS(d->nlocals));
}

	/* --- parametric, variables --- */
op_0x1A:
	sp--;
	NEXT();
op_0x1B: { /* select */
	uint32_t c = (--sp)->u32;
	sp--;
	if (!c)
		sp[-1] = sp[0];
	NEXT();
}
op_0x20:
	*sp++ = fp[(pc++)->u64];
	NEXT();
op_0x21:
	fp[(pc++)->u64] = *--sp;
	NEXT();
op_0x22:
	fp[(pc++)->u64] = sp[-1];
	NEXT();
op_0x23:
	(sp++)->u64 = inst->globals[(pc++)->u64]->val;
	NEXT();
op_0x24:
	inst->globals[(pc++)->u64]->val = (--sp)->u64;
	NEXT();
op_0x42:
	(sp++)->u64 = (pc++)->u64;
	NEXT();
opD_0x20: /* local.get a; local.set d */
	fp[pc[1].u64] = fp[pc[0].u64];
	pc += 2;
	NEXT();
opD_0x42: /* const c; local.set d */
	fp[pc[1].u64].u64 = pc[0].u64;
	pc += 2;
	NEXT();

	/* --- memory: every access checked against memsize in 64 bits --- */
#define EA(n)                                                             \
	({                                                                \
		uint64_t ea_ = (uint64_t)sp[-1].u32 + (pc++)->u64;        \
		if (__builtin_expect(ea_ + (n) > memsize, 0))             \
			TRAP(T_OOB);                                      \
		mem + ea_;                                                \
	})
#define LOAD(op, n, T, field, cast)                                   \
	op_##op: {                                                    \
		T v_;                                                 \
		memcpy(&v_, EA(n), n);                                \
		PUT(sp[-1], field, cast v_);                          \
		NEXT();                                               \
	}                                                             \
	opL_##op: { /* address in local pc[0], offset pc[1] */        \
		T v_;                                                 \
		uint64_t ea_ = (uint64_t)fp[pc[0].u64].u32 + pc[1].u64; \
		pc += 2;                                              \
		if (__builtin_expect(ea_ + (n) > memsize, 0))         \
			TRAP(T_OOB);                                  \
		memcpy(&v_, mem + ea_, n);                            \
		PUT(*sp++, field, cast v_);                           \
		NEXT();                                               \
	}
	LOAD(0x28, 4, uint32_t, u32, )
	LOAD(0x29, 8, uint64_t, u64, )
	LOAD(0x2A, 4, uint32_t, u32, )
	LOAD(0x2B, 8, uint64_t, u64, )
	LOAD(0x2C, 1, int8_t, u32, (uint32_t)(int32_t))
	LOAD(0x2D, 1, uint8_t, u32, (uint32_t))
	LOAD(0x2E, 2, int16_t, u32, (uint32_t)(int32_t))
	LOAD(0x2F, 2, uint16_t, u32, (uint32_t))
	LOAD(0x30, 1, int8_t, u64, (uint64_t)(int64_t))
	LOAD(0x31, 1, uint8_t, u64, (uint64_t))
	LOAD(0x32, 2, int16_t, u64, (uint64_t)(int64_t))
	LOAD(0x33, 2, uint16_t, u64, (uint64_t))
	LOAD(0x34, 4, int32_t, u64, (uint64_t)(int64_t))
	LOAD(0x35, 4, uint32_t, u64, (uint64_t))
#define STORE(op, n, T, field)                                        \
	op_##op: {                                                    \
		T v_ = (T)(sp - 1)->field;                            \
		sp--;                                                 \
		memcpy(EA(n), &v_, n);                                \
		sp--;                                                 \
		NEXT();                                               \
	}                                                             \
	opL_##op: { /* address in local pc[0], offset pc[1] */        \
		T v_ = (T)(sp - 1)->field;                            \
		uint64_t ea_ = (uint64_t)fp[pc[0].u64].u32 + pc[1].u64; \
		pc += 2;                                              \
		if (__builtin_expect(ea_ + (n) > memsize, 0))         \
			TRAP(T_OOB);                                  \
		memcpy(mem + ea_, &v_, n);                            \
		sp--;                                                 \
		NEXT();                                               \
	}
	STORE(0x36, 4, uint32_t, u32)
	STORE(0x37, 8, uint64_t, u64)
	STORE(0x38, 4, uint32_t, u32)
	STORE(0x39, 8, uint64_t, u64)
	STORE(0x3A, 1, uint8_t, u32)
	STORE(0x3B, 2, uint16_t, u32)
	STORE(0x3C, 1, uint8_t, u64)
	STORE(0x3D, 2, uint16_t, u64)
	STORE(0x3E, 4, uint32_t, u64)
op_0x3F:
	(sp++)->u64 = memsize / WASM_PAGE;
	NEXT();
op_0x40:
	PUT(sp[-1], u32, memory__grow(inst->mem, sp[-1].u32));
	RELOAD_MEM();
	NEXT();

	/* --- compare-and-branch (fuse_compare_branch) --- */
#define CMPBR(op, F, expr)                                        \
	opB_##op: {                                               \
		__typeof__(sp->F) a = sp[-2].F, b = sp[-1].F;     \
		sp -= 2;                                          \
		if (expr)                                         \
			pc = pc->target;                          \
		else                                              \
			pc++;                                     \
		NEXT();                                           \
	}                                                         \
	opBC_##op: {                                              \
		union slot c_ = { .u64 = pc->u64 };               \
		__typeof__(sp->F) a = sp[-1].F, b = c_.F;         \
		sp--;                                             \
		if (expr)                                         \
			pc = pc[1].target;                        \
		else                                              \
			pc += 2;                                  \
		NEXT();                                           \
	}                                                         \
	opBLL_##op: {                                             \
		__typeof__(sp->F) a = fp[pc[0].u64].F,            \
				  b = fp[pc[1].u64].F;            \
		if (expr)                                         \
			pc = pc[2].target;                        \
		else                                              \
			pc += 3;                                  \
		NEXT();                                           \
	}                                                         \
	opBLC_##op: {                                             \
		union slot c_ = { .u64 = pc[1].u64 };             \
		__typeof__(sp->F) a = fp[pc[0].u64].F, b = c_.F;  \
		if (expr)                                         \
			pc = pc[2].target;                        \
		else                                              \
			pc += 3;                                  \
		NEXT();                                           \
	}
opB_0x45: /* i32.eqz; br_if */
	if ((--sp)->u32 == 0)
		pc = pc->target;
	else
		pc++;
	NEXT();
	CMPBR(0x46, u32, a == b)
	CMPBR(0x47, u32, a != b)
	CMPBR(0x48, i32, a < b)
	CMPBR(0x49, u32, a < b)
	CMPBR(0x4A, i32, a > b)
	CMPBR(0x4B, u32, a > b)
	CMPBR(0x4C, i32, a <= b)
	CMPBR(0x4D, u32, a <= b)
	CMPBR(0x4E, i32, a >= b)
	CMPBR(0x4F, u32, a >= b)

	/* --- numeric: a = second from top, b = top --- */
	/* A binary operator comes in three forms: b from the stack, b from
	 * local i (opL), b a constant (opC); see fuse_operand(). */
#define BIN(op, F, RF, expr)                                      \
	op_##op: {                                                \
		__typeof__(sp->F) a = sp[-2].F, b = sp[-1].F;     \
		sp--;                                             \
		PUT(sp[-1], RF, (expr));                          \
		NEXT();                                           \
	}                                                         \
	opL_##op: {                                               \
		__typeof__(sp->F) a = sp[-1].F,                   \
				  b = fp[(pc++)->u64].F;          \
		PUT(sp[-1], RF, (expr));                          \
		NEXT();                                           \
	}                                                         \
	opC_##op: {                                               \
		union slot c_ = { .u64 = (pc++)->u64 };           \
		__typeof__(sp->F) a = sp[-1].F, b = c_.F;         \
		PUT(sp[-1], RF, (expr));                          \
		NEXT();                                           \
	}                                                         \
	opLL_##op: {                                              \
		__typeof__(sp->F) a = fp[pc[0].u64].F,            \
				  b = fp[pc[1].u64].F;            \
		pc += 2;                                          \
		PUT(*sp++, RF, (expr));                           \
		NEXT();                                           \
	}                                                         \
	opLC_##op: {                                              \
		union slot c_ = { .u64 = pc[1].u64 };             \
		__typeof__(sp->F) a = fp[pc[0].u64].F, b = c_.F;  \
		pc += 2;                                          \
		PUT(*sp++, RF, (expr));                           \
		NEXT();                                           \
	}                                                         \
	opD_##op: { /* ... and the result to local pc[0] */       \
		__typeof__(sp->F) a = sp[-2].F, b = sp[-1].F;     \
		sp -= 2;                                          \
		PUT(fp[(pc++)->u64], RF, (expr));                 \
		NEXT();                                           \
	}                                                         \
	opLD_##op: {                                              \
		__typeof__(sp->F) a = sp[-1].F,                   \
				  b = fp[pc[0].u64].F;            \
		sp--;                                             \
		PUT(fp[pc[1].u64], RF, (expr));                   \
		pc += 2;                                          \
		NEXT();                                           \
	}                                                         \
	opCD_##op: {                                              \
		union slot c_ = { .u64 = pc[0].u64 };             \
		__typeof__(sp->F) a = sp[-1].F, b = c_.F;         \
		sp--;                                             \
		PUT(fp[pc[1].u64], RF, (expr));                   \
		pc += 2;                                          \
		NEXT();                                           \
	}                                                         \
	opLLD_##op: {                                             \
		__typeof__(sp->F) a = fp[pc[0].u64].F,            \
				  b = fp[pc[1].u64].F;            \
		PUT(fp[pc[2].u64], RF, (expr));                   \
		pc += 3;                                          \
		NEXT();                                           \
	}                                                         \
	opLCD_##op: {                                             \
		union slot c_ = { .u64 = pc[1].u64 };             \
		__typeof__(sp->F) a = fp[pc[0].u64].F, b = c_.F;  \
		PUT(fp[pc[2].u64], RF, (expr));                   \
		pc += 3;                                          \
		NEXT();                                           \
	}
	/* An f64 operator whose b is loaded from address local pc[0] +
	 * pc[1] (an i32 add: wraps) and offset pc[2] (opM): a load and an
	 * operator in one dispatch. */
#define BINM(op, expr)                                                \
	BIN(op, f64, f64, expr)                                       \
	opM_##op: {                                                   \
		uint32_t addr_ = fp[pc[0].u64].u32 + (uint32_t)pc[1].u64; \
		uint64_t ea_ = (uint64_t)addr_ + pc[2].u64;           \
		double a = sp[-1].f64, b;                             \
		if (__builtin_expect(ea_ + 8 > memsize, 0))           \
			TRAP(T_OOB);                                  \
		memcpy(&b, mem + ea_, 8);                             \
		pc += 3;                                              \
		PUT(sp[-1], f64, (expr));                             \
		NEXT();                                               \
	}                                                             \
	opML_##op: { /* the same, a from local pc[0], pushed */       \
		uint32_t addr_ = fp[pc[1].u64].u32 + (uint32_t)pc[2].u64; \
		uint64_t ea_ = (uint64_t)addr_ + pc[3].u64;           \
		double a = fp[pc[0].u64].f64, b;                      \
		if (__builtin_expect(ea_ + 8 > memsize, 0))           \
			TRAP(T_OOB);                                  \
		memcpy(&b, mem + ea_, 8);                             \
		pc += 4;                                              \
		PUT(*sp++, f64, (expr));                              \
		NEXT();                                               \
	}
#define UN(op, F, RF, expr)                 \
	op_##op: {                          \
		__typeof__(sp->F) a = sp[-1].F; \
		PUT(sp[-1], RF, (expr));    \
		NEXT();                     \
	}
	UN(0x45, u32, u32, a == 0)
	BIN(0x46, u32, u32, a == b)
	BIN(0x47, u32, u32, a != b)
	BIN(0x48, i32, u32, a < b)
	BIN(0x49, u32, u32, a < b)
	BIN(0x4A, i32, u32, a > b)
	BIN(0x4B, u32, u32, a > b)
	BIN(0x4C, i32, u32, a <= b)
	BIN(0x4D, u32, u32, a <= b)
	BIN(0x4E, i32, u32, a >= b)
	BIN(0x4F, u32, u32, a >= b)
	UN(0x50, u64, u32, a == 0)
	BIN(0x51, u64, u32, a == b)
	BIN(0x52, u64, u32, a != b)
	BIN(0x53, i64, u32, a < b)
	BIN(0x54, u64, u32, a < b)
	BIN(0x55, i64, u32, a > b)
	BIN(0x56, u64, u32, a > b)
	BIN(0x57, i64, u32, a <= b)
	BIN(0x58, u64, u32, a <= b)
	BIN(0x59, i64, u32, a >= b)
	BIN(0x5A, u64, u32, a >= b)
	BIN(0x5B, f32, u32, a == b)
	BIN(0x5C, f32, u32, a != b)
	BIN(0x5D, f32, u32, a < b)
	BIN(0x5E, f32, u32, a > b)
	BIN(0x5F, f32, u32, a <= b)
	BIN(0x60, f32, u32, a >= b)
	BIN(0x61, f64, u32, a == b)
	BIN(0x62, f64, u32, a != b)
	BIN(0x63, f64, u32, a < b)
	BIN(0x64, f64, u32, a > b)
	BIN(0x65, f64, u32, a <= b)
	BIN(0x66, f64, u32, a >= b)
	UN(0x67, u32, u32, a ? (uint32_t)__builtin_clz(a) : 32)
	UN(0x68, u32, u32, a ? (uint32_t)__builtin_ctz(a) : 32)
	UN(0x69, u32, u32, (uint32_t)__builtin_popcount(a))
	BIN(0x6A, u32, u32, a + b)
	BIN(0x6B, u32, u32, a - b)
	BIN(0x6C, u32, u32, a * b)
op_0x6D: { /* i32.div_s */
	int32_t a = sp[-2].i32, b = sp[-1].i32;
	if (b == 0)
		TRAP(T_DIV0);
	if (a == INT32_MIN && b == -1)
		TRAP(T_OVF);
	sp--;
	PUT(sp[-1], i32, a / b);
	NEXT();
}
op_0x6E: { /* i32.div_u */
	uint32_t a = sp[-2].u32, b = sp[-1].u32;
	if (b == 0)
		TRAP(T_DIV0);
	sp--;
	PUT(sp[-1], u32, a / b);
	NEXT();
}
op_0x6F: { /* i32.rem_s */
	int32_t a = sp[-2].i32, b = sp[-1].i32;
	if (b == 0)
		TRAP(T_DIV0);
	sp--;
	PUT(sp[-1], i32, b == -1 ? 0 : a % b);
	NEXT();
}
op_0x70: { /* i32.rem_u */
	uint32_t a = sp[-2].u32, b = sp[-1].u32;
	if (b == 0)
		TRAP(T_DIV0);
	sp--;
	PUT(sp[-1], u32, a % b);
	NEXT();
}
	BIN(0x71, u32, u32, a & b)
	BIN(0x72, u32, u32, a | b)
	BIN(0x73, u32, u32, a ^ b)
	BIN(0x74, u32, u32, a << (b & 31))
	BIN(0x75, i32, i32, a >> (b & 31))
	BIN(0x76, u32, u32, a >> (b & 31))
	BIN(0x77, u32, u32, rotl32(a, b))
	BIN(0x78, u32, u32, rotl32(a, 32 - (b & 31)))
	UN(0x79, u64, u64, a ? (uint64_t)__builtin_clzll(a) : 64)
	UN(0x7A, u64, u64, a ? (uint64_t)__builtin_ctzll(a) : 64)
	UN(0x7B, u64, u64, (uint64_t)__builtin_popcountll(a))
	BIN(0x7C, u64, u64, a + b)
	BIN(0x7D, u64, u64, a - b)
	BIN(0x7E, u64, u64, a * b)
op_0x7F: { /* i64.div_s */
	int64_t a = sp[-2].i64, b = sp[-1].i64;
	if (b == 0)
		TRAP(T_DIV0);
	if (a == INT64_MIN && b == -1)
		TRAP(T_OVF);
	(--sp)[-1].i64 = a / b;
	NEXT();
}
op_0x80: { /* i64.div_u */
	uint64_t a = sp[-2].u64, b = sp[-1].u64;
	if (b == 0)
		TRAP(T_DIV0);
	(--sp)[-1].u64 = a / b;
	NEXT();
}
op_0x81: { /* i64.rem_s */
	int64_t a = sp[-2].i64, b = sp[-1].i64;
	if (b == 0)
		TRAP(T_DIV0);
	(--sp)[-1].i64 = b == -1 ? 0 : a % b;
	NEXT();
}
op_0x82: { /* i64.rem_u */
	uint64_t a = sp[-2].u64, b = sp[-1].u64;
	if (b == 0)
		TRAP(T_DIV0);
	(--sp)[-1].u64 = a % b;
	NEXT();
}
	BIN(0x83, u64, u64, a & b)
	BIN(0x84, u64, u64, a | b)
	BIN(0x85, u64, u64, a ^ b)
	BIN(0x86, u64, u64, a << (b & 63))
	BIN(0x87, i64, i64, a >> (b & 63))
	BIN(0x88, u64, u64, a >> (b & 63))
	BIN(0x89, u64, u64, rotl64(a, b))
	BIN(0x8A, u64, u64, rotl64(a, 64 - (b & 63)))
	UN(0x8B, u32, u32, a & 0x7FFFFFFFu)
	UN(0x8C, u32, u32, a ^ 0x80000000u)
	UN(0x8D, f32, f32, f32_ceil(a))
	UN(0x8E, f32, f32, f32_floor(a))
	UN(0x8F, f32, f32, f32_trunc(a))
	UN(0x90, f32, f32, f32_nearest(a))
	UN(0x91, f32, f32, sqrtf(a))
	BIN(0x92, f32, f32, a + b)
	BIN(0x93, f32, f32, a - b)
	BIN(0x94, f32, f32, a * b)
	BIN(0x95, f32, f32, a / b)
	BIN(0x96, f32, f32, f32_min(a, b))
	BIN(0x97, f32, f32, f32_max(a, b))
	BIN(0x98, u32, u32, (a & 0x7FFFFFFFu) | (b & 0x80000000u))
	UN(0x99, u64, u64, a & 0x7FFFFFFFFFFFFFFFull)
	UN(0x9A, u64, u64, a ^ 0x8000000000000000ull)
	UN(0x9B, f64, f64, f64_ceil(a))
	UN(0x9C, f64, f64, f64_floor(a))
	UN(0x9D, f64, f64, f64_trunc(a))
	UN(0x9E, f64, f64, f64_nearest(a))
	UN(0x9F, f64, f64, sqrt(a))
	BINM(0xA0, a + b)
	BINM(0xA1, a - b)
	BINM(0xA2, a * b)
	BINM(0xA3, a / b)
	BIN(0xA4, f64, f64, f64_min(a, b))
	BIN(0xA5, f64, f64, f64_max(a, b))
	BIN(0xA6, u64, u64,
	    (a & 0x7FFFFFFFFFFFFFFFull) | (b & 0x8000000000000000ull))
	UN(0xA7, u64, u32, (uint32_t)a)

	/* trapping truncations: NaN is "invalid", out of range "overflow" */
#define TRUNC(op, F, RF, RT, lo, hi)                  \
	op_##op: {                                    \
		__typeof__(sp->F) a = sp[-1].F;       \
		if (isnan(a))                         \
			TRAP(T_CONV);                 \
		if (!IN_RANGE(a, lo, hi))             \
			TRAP(T_OVF);                  \
		PUT(sp[-1], RF, (RT)a);               \
		NEXT();                               \
	}
	TRUNC(0xA8, f32, i32, int32_t, -2147483904.0f, 2147483648.0f)
	TRUNC(0xA9, f32, u32, uint32_t, -1.0f, 4294967296.0f)
	TRUNC(0xAA, f64, i32, int32_t, -2147483649.0, 2147483648.0)
	TRUNC(0xAB, f64, u32, uint32_t, -1.0, 4294967296.0)
	UN(0xAC, i32, i64, (int64_t)a)
	UN(0xAD, u32, u64, (uint64_t)a)
	TRUNC(0xAE, f32, i64, int64_t, -9223373136366403584.0f,
	      9223372036854775808.0f)
	TRUNC(0xAF, f32, u64, uint64_t, -1.0f, 18446744073709551616.0f)
	TRUNC(0xB0, f64, i64, int64_t, -9223372036854777856.0,
	      9223372036854775808.0)
	TRUNC(0xB1, f64, u64, uint64_t, -1.0, 18446744073709551616.0)
	UN(0xB2, i32, f32, (float)a)
	UN(0xB3, u32, f32, (float)a)
	UN(0xB4, i64, f32, (float)a)
	UN(0xB5, u64, f32, (float)a)
	UN(0xB6, f64, f32, (float)a)
	UN(0xB7, i32, f64, (double)a)
	UN(0xB8, u32, f64, (double)a)
	UN(0xB9, i64, f64, (double)a)
	UN(0xBA, u64, f64, (double)a)
	UN(0xBB, f32, f64, (double)a)
op_0xBC: /* reinterpretations: the bits are already in the slot */
op_0xBD:
op_0xBE:
op_0xBF:
	NEXT();
	UN(0xC0, u32, i32, (int32_t)(int8_t)a)
	UN(0xC1, u32, i32, (int32_t)(int16_t)a)
	UN(0xC2, u64, i64, (int64_t)(int8_t)a)
	UN(0xC3, u64, i64, (int64_t)(int16_t)a)
	UN(0xC4, u64, i64, (int64_t)(int32_t)a)
	UN(0x100, f32, i32, sat_i32_f32(a))
	UN(0x101, f32, u32, sat_u32_f32(a))
	UN(0x102, f64, i32, sat_i32_f64(a))
	UN(0x103, f64, u32, sat_u32_f64(a))
	UN(0x104, f32, i64, sat_i64_f32(a))
	UN(0x105, f32, u64, sat_u64_f32(a))
	UN(0x106, f64, i64, sat_i64_f64(a))
	UN(0x107, f64, u64, sat_u64_f64(a))

	/* the counter's step and test (fuse_step_branch), by a constant
	 * (opBS) or by a local (opBSL); and stores addressed by a local
	 * plus a constant (opSC, fuse_store).  They sit here, apart from
	 * the handlers above, because placed among them they moved those
	 * in the machine code and slowed loops that never use them. */
#define STEPBR(op, F, expr)                                           \
	opBS_##op: { /* local d = local s + k; branch on d vs n */    \
		union slot v_ = { .u64 = (uint32_t)(fp[pc[0].u64].u32 \
					 + (uint32_t)pc[1].u64) };     \
		union slot c_ = { .u64 = pc[3].u64 };                 \
		__typeof__(sp->F) a = v_.F, b = c_.F;                 \
		fp[pc[2].u64] = v_;                                   \
		if (expr)                                             \
			pc = pc[4].target;                            \
		else                                                  \
			pc += 5;                                      \
		NEXT();                                               \
	}                                                             \
	opBSL_##op: { /* local d = local s + local t; the same */     \
		union slot v_ = { .u64 = (uint32_t)(fp[pc[0].u64].u32 \
					 + fp[pc[1].u64].u32) };       \
		union slot c_ = { .u64 = pc[3].u64 };                 \
		__typeof__(sp->F) a = v_.F, b = c_.F;                 \
		fp[pc[2].u64] = v_;                                   \
		if (expr)                                             \
			pc = pc[4].target;                            \
		else                                                  \
			pc += 5;                                      \
		NEXT();                                               \
	}
	STEPBR(0x46, u32, a == b)
	STEPBR(0x47, u32, a != b)
	STEPBR(0x48, i32, a < b)
	STEPBR(0x49, u32, a < b)
	STEPBR(0x4A, i32, a > b)
	STEPBR(0x4B, u32, a > b)
	STEPBR(0x4C, i32, a <= b)
	STEPBR(0x4D, u32, a <= b)
	STEPBR(0x4E, i32, a >= b)
	STEPBR(0x4F, u32, a >= b)
#define STORE_LC(op, n, T, field)                                     \
	opSC_##op: { /* address local pc[0] + pc[1] (i32), offset pc[2] */ \
		T v_ = (T)(sp - 1)->field;                            \
		uint32_t addr_ = fp[pc[0].u64].u32 + (uint32_t)pc[1].u64; \
		uint64_t ea_ = (uint64_t)addr_ + pc[2].u64;           \
		pc += 3;                                              \
		if (__builtin_expect(ea_ + (n) > memsize, 0))         \
			TRAP(T_OOB);                                  \
		memcpy(mem + ea_, &v_, n);                            \
		sp--;                                                 \
		NEXT();                                               \
	}
	STORE_LC(0x36, 4, uint32_t, u32)
	STORE_LC(0x37, 8, uint64_t, u64)
	STORE_LC(0x38, 4, uint32_t, u32)
	STORE_LC(0x39, 8, uint64_t, u64)
	STORE_LC(0x3A, 1, uint8_t, u32)
	STORE_LC(0x3B, 2, uint16_t, u32)
	STORE_LC(0x3C, 1, uint8_t, u64)
	STORE_LC(0x3D, 2, uint16_t, u64)
	STORE_LC(0x3E, 4, uint32_t, u64)

#define UNL(op, F, RF, expr)                                          \
	opL_##op: { /* U of local pc[0], pushed */                    \
		__typeof__(sp->F) a = fp[pc[0].u64].F;                \
		PUT(sp[0], RF, (expr));                               \
		sp++;                                                 \
		pc++;                                                 \
		NEXT();                                               \
	}
	UNL(0x45, u32, u32, a == 0)
	UNL(0x50, u64, u32, a == 0)
	UNL(0xA7, u64, u32, (uint32_t)a)
	UNL(0xAC, i32, i64, (int64_t)a)
	UNL(0xAD, u32, u64, (uint64_t)a)

	/* A direct call whose callee declares at most one local and
	 * fits in its frame's reserve (most small functions, fib): one
	 * zeroing store, no test of the count nor of the value stack
	 * (compile__link picks it once every callee is translated). */
op_0x12C:
	PUT(sp[0], u32, fp[pc[0].u64].u32 + (uint32_t)pc[1].u64);
	sp++;
	pc += 2;
	/* fall through */
op_0x12B: {
	const struct func *d = (pc++)->def;

	CALL_DIRECT(d, false, (sp[0].u64 = 0, sp += d->nlocals));
}

	/* a return from another instance: back to the caller's */
op_0x12A:
	inst = fr->inst;
	RELOAD_MEM();
	NEXT();

trapped: {
	/* The Wasm function that was running, the top frame's callee.  A
	 * frame pushed by OP_CALL or OP_CALL_INDIRECT (its return address
	 * at or just past their OP_XRET), or the entry's, holds it; a
	 * direct call's frame does not, its return address follows the
	 * call's callee immediate, a function of this instance. */
	const union cell *ret = fr[-1].pc;

	if (ret->op == &&op_0x12A || ret[-1].op == &&op_0x12A)
		ex->trap_fn = fr[-1].fn;
	else
		ex->trap_fn = inst->funcs[ret[-1].def - inst->m->funcs];
}
	if (ex->fuel_on)
		ex->fuel = fuel;
	return -1;
}

const void *const *interp__handlers(void)
{
	const void *const *t;

	run(NULL, NULL, NULL, &t);
	return t;
}

int interp__call(struct exec *ex, struct wfunc *f, const uint64_t *args,
		 uint64_t *results)
{
	uint32_t np = f->type->nparams, nr = f->type->nresults;
	union slot *base = ex->stack;
	int rc;

	ex->trap = NULL;
	ex->trap_fn = NULL;
	if (f->host) {
		uint64_t slots[np > nr ? np + 1 : nr + 1];
		memcpy(slots, args, np * sizeof(*args));
		ex->trap_fn = f;
		if (f->host(ex, f->env, slots) < 0)
			return -1;
		memcpy(results, slots, nr * sizeof(*results));
		return 0;
	}
	for (uint32_t i = 0; i < np; i++)
		base[i].u64 = args[i];
	rc = run(ex, f, base, NULL);
	if (rc == 0)
		for (uint32_t i = 0; i < nr; i++)
			results[i] = base[i].u64;
	return rc;
}
