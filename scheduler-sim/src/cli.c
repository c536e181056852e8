/*
 * cli.c - Times with units and scenario overrides (see cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

int cli__time(const char *s, uint64_t bare_ns, uint64_t *out)
{
	static const struct {
		const char *suffix;
		double ns;
	} units[] = {
		{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9},
	};
	char *end;
	double v, mult = (double)bare_ns;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return -1;
	if (*end) {
		size_t i;

		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (strcmp(end, units[i].suffix) == 0)
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -1;
		mult = units[i].ns;
	}
	if (v * mult >= 1.8e19)
		return -1;
	*out = (uint64_t)llround(v * mult);
	return 0;
}

static int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > max)
		return -1;
	*out = v;
	return 0;
}

int cli__override(int c, const char *arg, struct cli_overrides *ov,
		  struct isolab_err *e)
{
	uint64_t v;

	switch (c) {
	case 'p':
		if (parse_uint(arg, SCENARIO_MAX_PCPUS, &v) < 0 || v < 1)
			return err__set(e, 0, "--pcpus: %s: must be 1..%d", arg,
					SCENARIO_MAX_PCPUS);
		ov->pcpus = (unsigned)v;
		return 0;
	case 'd':
		if (cli__time(arg, NS_PER_S, &v) < 0 || v < NS_PER_MS ||
		    v > 86400 * NS_PER_S)
			return err__set(e, 0,
					"--duration: %s: must be a time "
					"from 1ms to 24h, like 60s",
					arg);
		ov->duration_ns = v;
		return 0;
	case 's':
		if (parse_uint(arg, INT64_MAX, &v) < 0)
			return err__set(e, 0,
					"--seed: %s: must be a "
					"non-negative integer",
					arg);
		ov->seed = v;
		ov->seed_set = true;
		return 0;
	case 't':
		if (cli__time(arg, NS_PER_MS, &v) < 0 || v < NS_PER_MS ||
		    v > 1000 * NS_PER_MS || v % NS_PER_MS)
			return err__set(e, 0,
					"--tslice: %s: must be whole "
					"milliseconds from 1ms to 1000ms",
					arg);
		ov->tslice_ns = v;
		return 0;
	case 'r':
		if (cli__time(arg, NS_PER_US, &v) < 0 ||
		    (v && (v < 100 * NS_PER_US || v > 500 * NS_PER_MS)))
			return err__set(e, 0,
					"--ratelimit: %s: must be 0 or "
					"a time from 100us to 500ms",
					arg);
		ov->ratelimit_ns = v;
		ov->ratelimit_set = true;
		return 0;
	}
	return err__set(e, 0, "internal: option %d", c);
}

int cli__apply(const struct cli_overrides *ov, struct scenario *sc,
	       struct isolab_err *e)
{
	if (ov->pcpus)
		sc->pcpus = ov->pcpus;
	if (ov->duration_ns)
		sc->duration_ns = ov->duration_ns;
	if (ov->seed_set)
		sc->seed = ov->seed;
	if (ov->tslice_ns)
		sc->tslice_ns = ov->tslice_ns;
	if (ov->ratelimit_set)
		sc->ratelimit_ns = ov->ratelimit_ns;
	if (ov->no_boost)
		sc->boost = false;
	(void)e;
	return 0;
}
