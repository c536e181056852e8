/*
 * cost.h - The cost model: cycles charged per counted event, turning the
 * simulator's counters into modeled time.
 *
 * The defaults live in shadow-vs-ept/cost-model.conf with the source or
 * reasoning of every figure; cost.c carries the same numbers so the
 * program runs without the file, and a test checks that the two agree.
 */
#ifndef SVE_COST_H
#define SVE_COST_H

#include "err.h"

/* X(field, default cycles) for every entry of the model. */
#define COST_FIELDS(X)                                                         \
	X(data_access, 4)                                                      \
	X(tlb_l2_hit, 7)                                                       \
	X(walk_ref, 25)                                                        \
	X(vmm_ref, 10)                                                         \
	X(vm_exit, 1300)                                                       \
	X(pt_write_emulate, 2500)                                              \
	X(hidden_fill, 1500)                                                   \
	X(pf_inject, 500)                                                      \
	X(cr3_handler, 800)                                                    \
	X(invlpg_handler, 500)                                                 \
	X(ept_violation_handler, 2000)                                         \
	X(guest_pf, 1500)                                                      \
	X(pte_write, 1)                                                        \
	X(page_zero, 250)                                                      \
	X(page_copy, 500)

struct cost_model {
#define COST_DECLARE(name, dflt) double name;
	COST_FIELDS(COST_DECLARE)
#undef COST_DECLARE
};

/* The built-in defaults (those of cost-model.conf). */
void cost__defaults(struct cost_model *cm);

/* Read `name = cycles` lines (# starts a comment) from path over the
 * values already in cm.  Returns 0, or -1 with e naming the file and line
 * of an unknown name, a malformed line or a negative figure. */
int cost__load(struct cost_model *cm, const char *path, struct isolab_err *e);

#endif
