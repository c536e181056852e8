/*
 * cli.h - Command-line values shared by the simulator and `real`: times
 * with units, and the options that override a scenario.
 */
#ifndef SCHED_CLI_H
#define SCHED_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "scenario.h"

/* What the command line changes in a scenario (0 / false: keep). */
struct cli_overrides {
	unsigned pcpus;
	uint64_t duration_ns, tslice_ns, ratelimit_ns;
	bool ratelimit_set, seed_set, no_boost;
	uint64_t seed;
};

/* Parse "30ms", "1.5s", "100us", "2m", "500ns"; a bare number is in
 * units of bare_ns.  Returns 0, or -1 if s is not such a time. */
int cli__time(const char *s, uint64_t bare_ns, uint64_t *out);

/* Record option c ('p' pcpus, 'd' duration, 's' seed, 't' tslice,
 * 'r' ratelimit) with argument arg.  Returns 0, or -1 with e = "--opt:
 * ARG: what is wrong". */
int cli__override(int c, const char *arg, struct cli_overrides *ov,
		  struct isolab_err *e);

/* Apply ov to sc.  Returns 0, or -1 if the result breaks a rule. */
int cli__apply(const struct cli_overrides *ov, struct scenario *sc,
	       struct isolab_err *e);

#endif
