/*
 * summary.h - The course's comparison table, regenerated from measurements:
 * VM vs container vs Wasm vs unikernel-style VM, each row beside what the
 * lecture claims, with sentences saying which claims hold on this machine
 * and by what ratio.
 */
#ifndef ISOLAB_SUMMARY_H
#define ISOLAB_SUMMARY_H

#include "err.h"

/* Read the results of dir and write dir/summary.md.  Returns 0 or -1. */
int summary__write(const char *dir, struct isolab_err *e);

#endif
