/*
 * main.c - The shadow-vs-ept command line: one run of a workload or trace
 * in one mode, printing counters (and writing JSON), or `sweep` for the
 * experiments behind the plots.
 *
 * Exit codes: 0 done; 1 the run failed (bad trace line, out of memory,
 * failed self-check); 2 bad usage (unknown option, value out of range).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sim.h"
#include "sweep.h"
#include "workload.h"

#define PROG "shadow-vs-ept"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --mode native|shadow|nested [options]\n"
		"           (--workload NAME[:k=v,...] | --trace FILE|-)\n"
		"       " PROG
		" sweep crossover|walkcache|shadowmem|largepages|all "
		"[--out DIR] [--quick]\n"
		"             [--accesses N]\n"
		"options:\n"
		"  --tlb L1ENTRIES:WAYS[/L2ENTRIES:WAYS]  default "
		"64:4/1536:12\n"
		"  --pwc on|off        paging-structure caches (default on)\n"
		"  --ept-pwc on|off    nested: the EPT's walk caches (default "
		"on)\n"
		"  --pwc-entries N     per level, 0..4096 (default 32)\n"
		"  --ntlb on|off       nested TLB (default on)\n"
		"  --ntlb-entries N    1..4096 (default 16)\n"
		"  --asid on|off       tagged TLB, no flush on CR3 (default "
		"on)\n"
		"  --ifetch on|off     count a trace's I lines (default on)\n"
		"  --large-pages on|off  guest maps 2 MiB pages where it can "
		"(default off)\n"
		"  --ept-large on|off  nested: EPT maps 2 MiB host pages "
		"(default off)\n"
		"  --shadow-unsync on|off  shadow: page tables may go out of "
		"sync until\n"
		"                      INVLPG or CR3 write, as KVM's (default "
		"off)\n"
		"  --check             compare every access with the reference "
		"walk\n"
		"  --cost FILE         cost model (default: built in, as "
		"cost-model.conf)\n"
		"  --host-mib N, --guest-mib N   memory sizes (16384, 8192)\n"
		"  --json OUT          write the counters as JSON\n"
		"workloads: %s\n",
		workload__names());
}

static int usage_error(const char *what, const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": %s: ", what);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

static int on_off(const char *opt, const char *arg, bool *v)
{
	if (strcmp(arg, "on") == 0)
		*v = true;
	else if (strcmp(arg, "off") == 0)
		*v = false;
	else
		return usage_error(opt, "`%s` is not on or off", arg);
	return 0;
}

static int number(const char *opt, const char *arg, uint64_t lo, uint64_t hi,
		  uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(arg, &end, 10);
	if (!*arg || *arg == '-' || *end || errno || *v < lo || *v > hi) {
		fprintf(stderr, PROG ": %s: `%s` out of range [%llu, %llu]\n",
			opt, arg, (unsigned long long)lo,
			(unsigned long long)hi);
		return 2;
	}
	return 0;
}

/* "64:4" or "64:4/1536:12". */
static int parse_tlb(const char *arg, struct sim_config *cfg)
{
	unsigned a, b, c = 0, d = 1;
	int n;
	char tail;

	n = sscanf(arg, "%u:%u/%u:%u%c", &a, &b, &c, &d, &tail);
	if ((n != 2 && n != 4) || a > 65536 || c > 65536 || b < 1 || b > 64 ||
	    d < 1 || d > 64 || strchr(arg, '-'))
		return usage_error("--tlb",
				   "`%s`: expected L1ENTRIES:WAYS[/L2ENTRIES:"
				   "WAYS], entries 0..65536, ways 1..64",
				   arg);
	cfg->l1_entries = a;
	cfg->l1_ways = b;
	cfg->l2_entries = n == 4 ? c : 0;
	cfg->l2_ways = n == 4 ? d : 1;
	return 0;
}

static int run_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"mode", required_argument, 0, 'm'},
		{"tlb", required_argument, 0, 't'},
		{"pwc", required_argument, 0, 'p'},
		{"ept-pwc", required_argument, 0, 'q'},
		{"pwc-entries", required_argument, 0, 'P'},
		{"ntlb", required_argument, 0, 'n'},
		{"ntlb-entries", required_argument, 0, 'N'},
		{"asid", required_argument, 0, 'a'},
		{"ifetch", required_argument, 0, 'i'},
		{"large-pages", required_argument, 0, 'L'},
		{"ept-large", required_argument, 0, 'E'},
		{"shadow-unsync", required_argument, 0, 'U'},
		{"check", no_argument, 0, 'c'},
		{"cost", required_argument, 0, 'C'},
		{"host-mib", required_argument, 0, 'H'},
		{"guest-mib", required_argument, 0, 'G'},
		{"workload", required_argument, 0, 'w'},
		{"trace", required_argument, 0, 'T'},
		{"json", required_argument, 0, 'j'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	struct sim_config cfg;
	struct workload w;
	struct isolab_err e = {0};
	const char *wspec = NULL, *trace = NULL, *json = NULL;
	bool have_mode = false, ifetch = true;
	struct sim *s;
	uint64_t v;
	int c, rc;

	sim__default_config(&cfg);
	opterr = 0; /* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		rc = 0;
		switch (c) {
		case 'm':
			have_mode = true;
			if (strcmp(optarg, "native") == 0)
				cfg.mode = MODE_NATIVE;
			else if (strcmp(optarg, "shadow") == 0)
				cfg.mode = MODE_SHADOW;
			else if (strcmp(optarg, "nested") == 0)
				cfg.mode = MODE_NESTED;
			else
				rc = usage_error("--mode",
						 "`%s` is not native, shadow "
						 "or nested",
						 optarg);
			break;
		case 't': rc = parse_tlb(optarg, &cfg); break;
		case 'p': rc = on_off("--pwc", optarg, &cfg.pwc); break;
		case 'q': rc = on_off("--ept-pwc", optarg, &cfg.ept_pwc); break;
		case 'P':
			rc = number("--pwc-entries", optarg, 0, 4096, &v);
			cfg.pwc_entries = (unsigned)v;
			break;
		case 'n': rc = on_off("--ntlb", optarg, &cfg.ntlb); break;
		case 'N':
			rc = number("--ntlb-entries", optarg, 1, 4096, &v);
			cfg.ntlb_entries = (unsigned)v;
			break;
		case 'a': rc = on_off("--asid", optarg, &cfg.asid); break;
		case 'i': rc = on_off("--ifetch", optarg, &ifetch); break;
		case 'L':
			rc = on_off("--large-pages", optarg, &cfg.large_pages);
			break;
		case 'U':
			rc = on_off("--shadow-unsync", optarg,
				    &cfg.shadow_unsync);
			break;
		case 'E':
			rc = on_off("--ept-large", optarg, &cfg.ept_large);
			break;
		case 'c': cfg.check = true; break;
		case 'C':
			if (cost__load(&cfg.cost, optarg, &e) < 0) {
				err__print(PROG, &e);
				return 2;
			}
			break;
		case 'H':
			rc = number("--host-mib", optarg, 16, 1 << 20, &v);
			cfg.host_mib = v;
			break;
		case 'G':
			rc = number("--guest-mib", optarg, 16, 1 << 20, &v);
			cfg.guest_mib = v;
			break;
		case 'w': wspec = optarg; break;
		case 'T': trace = optarg; break;
		case 'j': json = optarg; break;
		case 'h': usage(stdout); return 0;
		case ':':
			return usage_error(argv[optind - 1], "%s",
					   "needs a value (see --help)");
		default:
			return usage_error(argv[optind - 1], "%s",
					   "unknown option (see --help)");
		}
		if (rc)
			return rc;
	}
	if (optind < argc)
		return usage_error("usage", "unexpected argument `%s`",
				   argv[optind]);
	if (!have_mode)
		return usage_error("usage", "%s", "--mode is required");
	if (!wspec == !trace)
		return usage_error("usage", "%s",
				   "give one of --workload or --trace");
	if (wspec && workload__parse(wspec, &w, &e) < 0) {
		err__print(PROG, &e);
		return 2;
	}
	s = sim__create(&cfg, &e);
	if (!s) {
		err__print(PROG, &e);
		return 2;
	}
	rc = wspec ? workload__run(s, &w, &e)
		   : trace__run(s, trace, ifetch, &e);
	if (rc == 0 && s->c.check_failures)
		rc = err__set(&e, 0,
			      "self-check: %llu of %llu accesses differ from "
			      "the reference walk (first at %#llx)",
			      (unsigned long long)s->c.check_failures,
			      (unsigned long long)s->c.checks,
			      (unsigned long long)s->c.first_bad_va);
	if (rc == 0) {
		report__print(s, stdout);
		if (json)
			rc = report__write(s, wspec ? wspec : trace, json, &e);
	}
	if (rc < 0)
		err__print(PROG, &e);
	sim__destroy(s);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "sweep") == 0)
		return sweep__main(argc - 1, argv + 1);
	return run_main(argc, argv);
}
