/*
 * validate.c - The validator (spec section 3 and its appendix algorithm,
 * "Validation Algorithm").  Each instruction it accepts is handed to the
 * emitter (compile.h, compile.c), which translates the body into the
 * interpreter's pre-decoded code (code.h) in the same single pass.
 *
 * Validation of a body is a type-checking stack machine: a stack of value
 * types and a stack of control frames (block, loop, if, the function).
 * After `unreachable`, `br`, `br_table` or `return` the rest of a block
 * cannot run, and its stack becomes polymorphic: pops of an empty frame
 * give "unknown", which matches any type (spec appendix, `unreachable`).
 * The validator knows the height of the operand stack at every
 * instruction; it passes the heights a branch needs to the emitter.
 * Start at validate_func(), then validate_instr().
 */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "module.h"
#include "reader.h"

struct ctrl {
	uint8_t kind; /* 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 func */
	uint32_t nparams, nresults;
	const uint8_t *params, *results;
	uint32_t height; /* value stack size at entry, params excluded */
	bool unreachable;
	struct label label; /* its code side (compile.h) */
};

struct vctx {
	struct module *m;
	struct reader r;
	struct emitter e;
	uint32_t nlocals; /* parameters + declared locals */
	uint8_t *locals;
	uint8_t *vals;
	uint32_t nvals, max_height;
	size_t capvals;
	struct ctrl *ctrls;
	uint32_t nctrls;
	size_t capctrls;
};

static const uint8_t type_bytes[] = {VT_I32, VT_I64, VT_F32, VT_F64};

static int fail(struct vctx *v, const char *why)
{
	return reader_fail(&v->r, why);
}

/* The result of a compile__* call: it fails only for lack of memory. */
static int emitted(struct vctx *v, int rc)
{
	return rc < 0 ? fail(v, "out of memory") : 0;
}

/* --- the type stack --- */

static int push(struct vctx *v, uint8_t t)
{
	if (compile__grow((void **)&v->vals, &v->capvals, v->nvals + 1, 1) < 0)
		return fail(v, "out of memory");
	v->vals[v->nvals++] = t;
	if (v->nlocals + v->nvals > v->max_height)
		v->max_height = v->nlocals + v->nvals;
	return 0;
}

/* Pop a value of type want (VT_UNKNOWN: any) into *got. */
static int pop(struct vctx *v, uint8_t want, uint8_t *got)
{
	struct ctrl *c = &v->ctrls[v->nctrls - 1];
	uint8_t t;

	if (v->nvals == c->height) {
		if (!c->unreachable)
			return fail(v, "type mismatch");
		t = VT_UNKNOWN;
	} else {
		t = v->vals[--v->nvals];
	}
	if (want != VT_UNKNOWN && t != VT_UNKNOWN && t != want)
		return fail(v, "type mismatch");
	if (got)
		*got = t == VT_UNKNOWN ? want : t;
	return 0;
}

static int pop_n(struct vctx *v, const uint8_t *types, uint32_t n)
{
	for (uint32_t i = n; i-- > 0;)
		if (pop(v, types[i], NULL) < 0)
			return -1;
	return 0;
}

static int push_n(struct vctx *v, const uint8_t *types, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (push(v, types[i]) < 0)
			return -1;
	return 0;
}

static int push_ctrl(struct vctx *v, uint8_t kind, uint32_t np,
		     const uint8_t *p, uint32_t nr, const uint8_t *r)
{
	struct ctrl *c;

	if (compile__grow((void **)&v->ctrls, &v->capctrls, v->nctrls + 1,
			  sizeof(*v->ctrls)) < 0)
		return fail(v, "out of memory");
	c = &v->ctrls[v->nctrls++];
	*c = (struct ctrl){.kind = kind,
			   .nparams = np,
			   .nresults = nr,
			   .params = p,
			   .results = r,
			   .height = v->nvals};
	compile__label(&v->e, &c->label, kind == 0x03);
	return push_n(v, p, np);
}

/* The types a branch to this label carries (spec 3.3.5, label types). */
static void label_types(const struct ctrl *c, uint32_t *n, const uint8_t **t)
{
	if (c->kind == 0x03) {
		*n = c->nparams;
		*t = c->params;
	} else {
		*n = c->nresults;
		*t = c->results;
	}
}

static void set_unreachable(struct vctx *v)
{
	struct ctrl *c = &v->ctrls[v->nctrls - 1];

	v->nvals = c->height;
	c->unreachable = true;
}

/* Emit a branch to label `depth` from the current stack height. */
static int emit_branch(struct vctx *v, uint32_t depth, bool conditional)
{
	struct ctrl *c = &v->ctrls[v->nctrls - 1 - depth];
	uint32_t n;
	const uint8_t *t;

	label_types(c, &n, &t);
	return emitted(v, compile__branch(&v->e, &c->label, conditional,
					  v->nlocals + v->nvals,
					  v->nlocals + c->height, n));
}

/* --- block types, immediates --- */

static int read_blocktype(struct vctx *v, uint32_t *np, const uint8_t **p,
			  uint32_t *nr, const uint8_t **r)
{
	int64_t idx;
	uint8_t b;

	*np = *nr = 0;
	*p = *r = NULL;
	if (v->r.p >= v->r.end)
		return fail(v, "unexpected end");
	b = *v->r.p;
	if (b == 0x40) {
		v->r.p++;
		return 0;
	}
	for (unsigned i = 0; i < sizeof(type_bytes); i++) {
		if (b == type_bytes[i]) {
			v->r.p++;
			*nr = 1;
			*r = &type_bytes[i];
			return 0;
		}
	}
	if (v->m->mvp_only)
		return fail(v, "malformed block type");
	if (reader_sleb(&v->r, 33, &idx) < 0)
		return -1;
	if (idx < 0 || idx >= v->m->ntypes)
		return fail(v, "unknown type");
	*np = v->m->types[idx].nparams;
	*p = v->m->types[idx].types;
	*nr = v->m->types[idx].nresults;
	*r = v->m->types[idx].types + *np;
	return 0;
}

static int read_label(struct vctx *v, uint32_t *depth)
{
	if (reader_u32(&v->r, depth) < 0)
		return -1;
	if (*depth >= v->nctrls)
		return fail(v, "unknown label");
	return 0;
}

/* --- the opcode table: numeric instructions are data --- */

struct numop {
	uint8_t in1, in2, out; /* in2 == 0: unary */
};

#define I VT_I32
#define L VT_I64
#define F VT_F32
#define D VT_F64
/* Opcodes 0x45..0xC4 and 0xFC 0..7 (spec 5.4.7) as type signatures. */
static const struct numop numops[0x108] = {
	[0x45] = {I, 0, I},
	[0x46 ... 0x4F] = {I, I, I},
	[0x50] = {L, 0, I},
	[0x51 ... 0x5A] = {L, L, I},
	[0x5B ... 0x60] = {F, F, I},
	[0x61 ... 0x66] = {D, D, I},
	[0x67 ... 0x69] = {I, 0, I},
	[0x6A ... 0x78] = {I, I, I},
	[0x79 ... 0x7B] = {L, 0, L},
	[0x7C ... 0x8A] = {L, L, L},
	[0x8B ... 0x91] = {F, 0, F},
	[0x92 ... 0x98] = {F, F, F},
	[0x99 ... 0x9F] = {D, 0, D},
	[0xA0 ... 0xA6] = {D, D, D},
	[0xA7] = {L, 0, I},
	[0xA8 ... 0xA9] = {F, 0, I},
	[0xAA ... 0xAB] = {D, 0, I},
	[0xAC ... 0xAD] = {I, 0, L},
	[0xAE ... 0xAF] = {F, 0, L},
	[0xB0 ... 0xB1] = {D, 0, L},
	[0xB2 ... 0xB3] = {I, 0, F},
	[0xB4 ... 0xB5] = {L, 0, F},
	[0xB6] = {D, 0, F},
	[0xB7 ... 0xB8] = {I, 0, D},
	[0xB9 ... 0xBA] = {L, 0, D},
	[0xBB] = {F, 0, D},
	[0xBC] = {F, 0, I},
	[0xBD] = {D, 0, L},
	[0xBE] = {I, 0, F},
	[0xBF] = {L, 0, D},
	[0xC0 ... 0xC1] = {I, 0, I},
	[0xC2 ... 0xC4] = {L, 0, L},
	[0x100 ... 0x101] = {F, 0, I},
	[0x102 ... 0x103] = {D, 0, I},
	[0x104 ... 0x105] = {F, 0, L},
	[0x106 ... 0x107] = {D, 0, L},
};

/* Loads 0x28..0x35 and stores 0x36..0x3E: type and natural alignment. */
static const struct {
	uint8_t type, align;
} memops[0x3F - 0x28] = {
	{I, 2}, {L, 3}, {F, 2}, {D, 3}, {I, 0}, {I, 0}, {I, 1}, {I, 1},
	{L, 0}, {L, 0}, {L, 1}, {L, 1}, {L, 2}, {L, 2}, {I, 2}, {L, 3},
	{F, 2}, {D, 3}, {I, 0}, {I, 1}, {L, 0}, {L, 1}, {L, 2},
};
#undef I
#undef L
#undef F
#undef D

static int validate_numeric(struct vctx *v, unsigned op)
{
	const struct numop *n = &numops[op];

	if (!n->out)
		return fail(v, "illegal opcode");
	if (n->in2 && pop(v, n->in2, NULL) < 0)
		return -1;
	if (pop(v, n->in1, NULL) < 0 || push(v, n->out) < 0)
		return -1;
	return emitted(v, compile__op(&v->e, op, n->in2 != 0));
}

static int validate_memop(struct vctx *v, uint8_t op)
{
	uint32_t align, offset;
	uint8_t type = memops[op - 0x28].type;

	if (reader_u32(&v->r, &align) < 0 || reader_u32(&v->r, &offset) < 0)
		return -1;
	if (v->m->nmems == 0)
		return fail(v, "unknown memory");
	if (align > memops[op - 0x28].align)
		return fail(v, "alignment must not be larger than natural");
	if (op <= 0x35) {
		if (pop(v, VT_I32, NULL) < 0 || push(v, type) < 0)
			return -1;
	} else if (pop(v, type, NULL) < 0 || pop(v, VT_I32, NULL) < 0) {
		return -1;
	}
	return emitted(v, compile__memop(&v->e, op, offset));
}

static int validate_end(struct vctx *v)
{
	struct ctrl *c = &v->ctrls[v->nctrls - 1];

	if (pop_n(v, c->results, c->nresults) < 0)
		return -1;
	if (v->nvals != c->height)
		return fail(v, "type mismatch");
	if (c->kind == 0x04) {
		/* an if without else: the missing else passes params on */
		if (c->nparams != c->nresults ||
		    (c->nparams &&
		     memcmp(c->params, c->results, c->nparams) != 0))
			return fail(v, "type mismatch");
	}
	compile__end(&v->e, &c->label, c->kind == 0x04);
	v->nctrls--;
	if (c->kind == 0)
		return emitted(v,
			       compile__op_imm(&v->e, OP_RETURN, c->nresults));
	return push_n(v, c->results, c->nresults);
}

static int validate_else(struct vctx *v)
{
	struct ctrl *c = &v->ctrls[v->nctrls - 1];

	if (c->kind != 0x04)
		return fail(v, "else without if");
	if (pop_n(v, c->results, c->nresults) < 0)
		return -1;
	if (v->nvals != c->height)
		return fail(v, "type mismatch");
	/* the then-arm jumps over the else-arm to the end */
	if (emitted(v, compile__else(&v->e, &c->label)) < 0)
		return -1;
	c->kind = 0x05;
	c->unreachable = false;
	return push_n(v, c->params, c->nparams);
}

static int validate_br_table(struct vctx *v)
{
	uint32_t n, d, arity;
	const uint8_t *t, *first = NULL;

	if (reader_u32(&v->r, &n) < 0)
		return -1;
	if (n > (size_t)(v->r.end - v->r.p))
		return fail(v, "unexpected end");
	if (pop(v, VT_I32, NULL) < 0 ||
	    emitted(v, compile__br_table(&v->e, n)) < 0)
		return -1;
	arity = UINT32_MAX;
	for (uint32_t i = 0; i <= n; i++) {
		struct ctrl *c;
		uint32_t na;

		if (read_label(v, &d) < 0)
			return -1;
		c = &v->ctrls[v->nctrls - 1 - d];
		label_types(c, &na, &t);
		/* Wasm 1.0: every label carries the same types */
		if (arity == UINT32_MAX) {
			arity = na;
			first = t;
		} else if (na != arity || (na && memcmp(t, first, na) != 0)) {
			return fail(v, "type mismatch");
		}
		/* each label's types must match the stack (unknowns allowed) */
		for (uint32_t k = 0; k < na; k++) {
			struct ctrl *cur = &v->ctrls[v->nctrls - 1];
			uint32_t pos = na - 1 - k;
			if (v->nvals - cur->height > k) {
				uint8_t have = v->vals[v->nvals - 1 - k];
				if (have != VT_UNKNOWN && have != t[pos])
					return fail(v, "type mismatch");
			} else if (!cur->unreachable) {
				return fail(v, "type mismatch");
			}
		}
		if (emitted(v, compile__br_table_label(&v->e, &c->label,
						       v->nlocals + c->height,
						       na)) < 0)
			return -1;
	}
	/* pop the default label's types (checked above for all labels) */
	label_types(&v->ctrls[v->nctrls - 1 - d], &arity, &t);
	if (pop_n(v, t, arity) < 0)
		return -1;
	set_unreachable(v);
	return 0;
}

static int validate_call_indirect(struct vctx *v)
{
	uint32_t ti;
	uint8_t zero;
	const struct functype *ft;

	if (reader_u32(&v->r, &ti) < 0 || reader_u8(&v->r, &zero) < 0)
		return -1;
	if (zero != 0)
		return fail(v, "zero flag expected");
	if (v->m->ntables == 0)
		return fail(v, "unknown table");
	if (ti >= v->m->ntypes)
		return fail(v, "unknown type");
	ft = &v->m->types[ti];
	if (pop(v, VT_I32, NULL) < 0 || pop_n(v, ft->types, ft->nparams) < 0 ||
	    push_n(v, ft->types + ft->nparams, ft->nresults) < 0)
		return -1;
	return emitted(v, compile__op_imm(&v->e, OP_CALL_INDIRECT, ti));
}

static int validate_local(struct vctx *v, uint8_t op)
{
	uint32_t i;
	uint8_t t;

	if (reader_u32(&v->r, &i) < 0)
		return -1;
	if (i >= v->nlocals)
		return fail(v, "unknown local");
	t = v->locals[i];
	if (op == 0x20 && push(v, t) < 0)
		return -1;
	if (op == 0x21 && pop(v, t, NULL) < 0)
		return -1;
	if (op == 0x22 && (pop(v, t, NULL) < 0 || push(v, t) < 0))
		return -1;
	return emitted(v, compile__local(&v->e, op, i));
}

static int validate_global(struct vctx *v, uint8_t op)
{
	uint32_t i;
	const struct global *g;

	if (reader_u32(&v->r, &i) < 0)
		return -1;
	if (i >= v->m->nglobals)
		return fail(v, "unknown global");
	g = &v->m->globals[i];
	if (op == 0x23 && push(v, g->type.type) < 0)
		return -1;
	if (op == 0x24) {
		if (!g->type.mut)
			return fail(v, "global is immutable");
		if (pop(v, g->type.type, NULL) < 0)
			return -1;
	}
	return emitted(v, compile__op_imm(&v->e, op, i));
}

static int validate_const(struct vctx *v, uint8_t op)
{
	int64_t s;
	uint64_t bits = 0;
	const uint8_t *b;

	switch (op) {
	case 0x41:
		if (reader_sleb(&v->r, 32, &s) < 0)
			return -1;
		bits = (uint32_t)s;
		break;
	case 0x42:
		if (reader_sleb(&v->r, 64, &s) < 0)
			return -1;
		bits = (uint64_t)s;
		break;
	case 0x43:
		if (reader_bytes(&v->r, 4, &b) < 0)
			return -1;
		memcpy(&bits, b, 4);
		break;
	case 0x44:
		if (reader_bytes(&v->r, 8, &b) < 0)
			return -1;
		memcpy(&bits, b, 8);
		break;
	}
	if (push(v, type_bytes[op - 0x41]) < 0)
		return -1;
	return emitted(v, compile__op_imm(&v->e, OP_CONST, bits));
}

static int validate_control(struct vctx *v, uint8_t op)
{
	uint32_t np, nr, d, fi;
	const uint8_t *p, *r;
	const struct functype *ft;
	struct ctrl *c;

	switch (op) {
	case 0x00:
		set_unreachable(v);
		return emitted(v, compile__op(&v->e, OP_UNREACHABLE, false));
	case 0x01: return 0;
	case 0x02:
	case 0x03:
	case 0x04:
		if (read_blocktype(v, &np, &p, &nr, &r) < 0)
			return -1;
		if (op == 0x04 && pop(v, VT_I32, NULL) < 0)
			return -1;
		if (pop_n(v, p, np) < 0 || push_ctrl(v, op, np, p, nr, r) < 0)
			return -1;
		if (op != 0x04)
			return 0;
		c = &v->ctrls[v->nctrls - 1];
		return emitted(v, compile__if(&v->e, &c->label));
	case 0x05: return validate_else(v);
	case 0x0B: return validate_end(v);
	case 0x0C:
	case 0x0D:
		if (read_label(v, &d) < 0)
			return -1;
		if (op == 0x0D && pop(v, VT_I32, NULL) < 0)
			return -1;
		/* the branch is emitted with the carried values still on */
		if (emit_branch(v, d, op == 0x0D) < 0)
			return -1;
		label_types(&v->ctrls[v->nctrls - 1 - d], &nr, &r);
		if (pop_n(v, r, nr) < 0)
			return -1;
		if (op == 0x0D)
			return push_n(v, r, nr);
		set_unreachable(v);
		return 0;
	case 0x0E: return validate_br_table(v);
	case 0x0F:
		nr = v->ctrls[0].nresults;
		if (pop_n(v, v->ctrls[0].results, nr) < 0)
			return -1;
		set_unreachable(v);
		return emitted(v, compile__op_imm(&v->e, OP_RETURN, nr));
	case 0x10:
		if (reader_u32(&v->r, &fi) < 0)
			return -1;
		if (fi >= v->m->nfuncs)
			return fail(v, "unknown function");
		ft = &v->m->types[v->m->funcs[fi].type_idx];
		if (pop_n(v, ft->types, ft->nparams) < 0 ||
		    push_n(v, ft->types + ft->nparams, ft->nresults) < 0)
			return -1;
		return emitted(v, compile__call(&v->e, fi, &v->m->funcs[fi]));
	case 0x11: return validate_call_indirect(v);
	}
	return fail(v, "illegal opcode");
}

static int validate_parametric(struct vctx *v, uint8_t op)
{
	uint8_t t1, t2;

	if (op == 0x1A) {
		if (pop(v, VT_UNKNOWN, NULL) < 0)
			return -1;
		return emitted(v, compile__op(&v->e, OP_DROP, false));
	}
	if (pop(v, VT_I32, NULL) < 0 || pop(v, VT_UNKNOWN, &t1) < 0 ||
	    pop(v, VT_UNKNOWN, &t2) < 0)
		return -1;
	if (t1 != VT_UNKNOWN && t2 != VT_UNKNOWN && t1 != t2)
		return fail(v, "type mismatch");
	if (push(v, t1 != VT_UNKNOWN ? t1 : t2) < 0)
		return -1;
	return emitted(v, compile__op(&v->e, OP_SELECT, false));
}

static int validate_memory(struct vctx *v, uint8_t op)
{
	uint8_t zero;

	if (reader_u8(&v->r, &zero) < 0)
		return -1;
	if (zero != 0)
		return fail(v, "zero flag expected");
	if (v->m->nmems == 0)
		return fail(v, "unknown memory");
	if (op == 0x40 && pop(v, VT_I32, NULL) < 0)
		return -1;
	if (push(v, VT_I32) < 0)
		return -1;
	return emitted(v, compile__op(&v->e, op, false));
}

/* One instruction at v->r.p. */
static int validate_instr(struct vctx *v)
{
	uint8_t op;
	uint32_t sub;

	if (reader_u8(&v->r, &op) < 0)
		return -1;
	compile__count(&v->e);
	if (op <= 0x11) {
		/* every control instruction but nop and block ends a run */
		if (validate_control(v, op) < 0)
			return -1;
		if (op == 0x01 || op == 0x02)
			return 0;
		return emitted(v, compile__fuel_run(&v->e, v->nctrls == 0));
	}
	if (op == 0x1A || op == 0x1B)
		return validate_parametric(v, op);
	if (op >= 0x20 && op <= 0x22)
		return validate_local(v, op);
	if (op == 0x23 || op == 0x24)
		return validate_global(v, op);
	if (op >= 0x28 && op <= 0x3E)
		return validate_memop(v, op);
	if (op == 0x3F || op == 0x40)
		return validate_memory(v, op);
	if (op >= 0x41 && op <= 0x44)
		return validate_const(v, op);
	if (op >= 0x45 && op <= 0xC4)
		return validate_numeric(v, op);
	if (op == 0xFC) {
		if (reader_u32(&v->r, &sub) < 0)
			return -1;
		if (sub > 7)
			return fail(v, "illegal opcode");
		return validate_numeric(v, OP_PREFIX_FC + sub);
	}
	return fail(v, "illegal opcode");
}

static int validate_func(struct vctx *v, struct func *f)
{
	const struct functype *ft = &v->m->types[f->type_idx];
	uint8_t *lt;

	v->nlocals = ft->nparams + f->nlocals;
	lt = malloc(v->nlocals + 1);
	if (!lt)
		return fail(v, "out of memory");
	memcpy(lt, ft->types, ft->nparams);
	memcpy(lt + ft->nparams, f->local_types, f->nlocals);
	free(f->local_types);
	f->local_types = lt;
	v->locals = lt;
	v->r.p = f->body;
	v->r.end = f->body + f->body_len;
	v->nvals = v->nctrls = 0;
	v->max_height = v->nlocals;
	compile__begin(&v->e, ft->nparams);
	if (push_ctrl(v, 0, 0, NULL, ft->nresults, ft->types + ft->nparams) < 0)
		return -1;
	/* the function's first run */
	if (emitted(v, compile__fuel_run(&v->e, false)) < 0)
		return -1;
	while (v->nctrls > 0) {
		if (v->r.p >= v->r.end)
			return fail(v, "unexpected end of section or function");
		if (validate_instr(v) < 0)
			return -1;
	}
	if (v->r.p != v->r.end)
		return fail(v, "section size mismatch");
	compile__finish(&v->e, f);
	f->frame_slots = v->max_height + 1;
	f->param_bytes = (uint64_t)ft->nparams * sizeof(uint64_t);
	f->reach_bytes = (uint64_t)(f->frame_slots - ft->nparams) *
			 sizeof(uint64_t);
	f->big_frame = f->frame_slots - ft->nparams > FRAME_RESERVE;
	return 0;
}

/* --- module-level rules (spec 3.4) --- */

static int validate_constexpr(struct module *m, const struct constexpr *c,
			      uint8_t want, uint32_t nglobals_visible)
{
	static const uint8_t types[] = {VT_I32, VT_I64, VT_F32, VT_F64};
	uint8_t t;

	if (c->op == 0x23) {
		if (c->val >= nglobals_visible)
			return -2;
		if (m->globals[c->val].type.mut)
			return -3;
		t = m->globals[c->val].type.type;
	} else {
		t = types[c->op - 0x41];
	}
	return t == want ? 0 : -1;
}

static int validate_limits(const struct limits *l, uint64_t bound)
{
	if (l->min > bound || (l->has_max && l->max > bound))
		return -1;
	if (l->has_max && l->max < l->min)
		return -2;
	return 0;
}

/* The rules outside function bodies (spec 3.4).  Returns the reason, with
 * *sec the section it concerns, or NULL when the module is valid. */
static const char *validate_module_parts(struct module *m, uint8_t *sec)
{
	static const char *const expr_err[] = {"", "type mismatch",
					       "unknown global",
					       "constant expression required"};
	int rc;

	*sec = 2;
	for (uint32_t i = 0; i < m->nfuncs; i++) {
		if (i == m->nfunc_imports)
			*sec = 3;
		if (m->funcs[i].type_idx >= m->ntypes)
			return "unknown type";
	}
	*sec = 1;
	for (uint32_t i = 0; i < m->ntypes && m->mvp_only; i++)
		if (m->types[i].nresults > 1)
			return "invalid result arity";
	*sec = 4;
	if (m->ntables > 1)
		return "multiple tables";
	*sec = 5;
	if (m->nmems > 1)
		return "multiple memories";
	*sec = 4;
	for (uint32_t i = 0; i < m->ntables; i++)
		if (validate_limits(&m->tables[i], UINT32_MAX) < 0)
			return "size minimum must not be greater than maximum";
	*sec = 5;
	for (uint32_t i = 0; i < m->nmems; i++) {
		rc = validate_limits(&m->mems[i], 65536);
		if (rc == -1)
			return "memory size must be at most 65536 pages (4GiB)";
		if (rc == -2)
			return "size minimum must not be greater than maximum";
	}
	*sec = 6;
	for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
		rc = validate_constexpr(m, &m->globals[i].init,
					m->globals[i].type.type,
					m->nglobal_imports);
		if (rc < 0)
			return expr_err[-rc];
	}
	*sec = 9;
	for (uint32_t i = 0; i < m->nelems; i++) {
		if (m->elems[i].table >= m->ntables)
			return "unknown table";
		rc = validate_constexpr(m, &m->elems[i].offset, VT_I32,
					m->nglobal_imports);
		if (rc < 0)
			return expr_err[-rc];
		for (uint32_t k = 0; k < m->elems[i].n; k++)
			if (m->elems[i].funcs[k] >= m->nfuncs)
				return "unknown function";
	}
	*sec = 11;
	for (uint32_t i = 0; i < m->ndatas; i++) {
		if (m->datas[i].mem >= m->nmems)
			return "unknown memory";
		rc = validate_constexpr(m, &m->datas[i].offset, VT_I32,
					m->nglobal_imports);
		if (rc < 0)
			return expr_err[-rc];
	}
	*sec = 8;
	if (m->has_start) {
		const struct functype *ft;
		if (m->start >= m->nfuncs)
			return "unknown function";
		ft = &m->types[m->funcs[m->start].type_idx];
		if (ft->nparams || ft->nresults)
			return "start function";
	}
	*sec = 7;
	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct export *x = &m->exports[i];
		static const char *const unknown[] = {
			"unknown function", "unknown table", "unknown memory",
			"unknown global"};
		uint32_t n[] = {m->nfuncs, m->ntables, m->nmems, m->nglobals};
		if (x->idx >= n[x->kind])
			return unknown[x->kind];
		for (uint32_t k = 0; k < i; k++)
			if (m->exports[k].name_len == x->name_len &&
			    memcmp(m->exports[k].name, x->name, x->name_len) ==
				    0)
				return "duplicate export name";
	}
	return NULL;
}

int module__validate(struct module *m, struct isolab_err *e)
{
	struct vctx v = {.m = m};
	const char *why;
	uint8_t sec = 0;
	int rc = -1;

	why = validate_module_parts(m, &sec);
	if (why)
		return err__set(e, 0, "invalid module: %s at offset 0x%zx", why,
				m->section_off[sec]);
	v.e.h = interp__handlers();
	v.e.fuel = m->fuel;
	v.r.base = m->bytes;
	for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
		if (validate_func(&v, &m->funcs[i]) < 0) {
			const char *kind = v.e.oom ? "" : "invalid module: ";
			err__set(e, 0, "%s%s at offset 0x%zx", kind, v.r.err,
				 v.r.err_off);
			goto out;
		}
	}
	compile__link(&v.e, m);
	rc = 0;
out:
	free(v.vals);
	free(v.ctrls);
	compile__destroy(&v.e);
	return rc;
}
