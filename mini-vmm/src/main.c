/*
 * main.c - mini-vmm: a KVM virtual machine monitor through raw ioctls.
 *
 *   mini-vmm [OPTIONS] IMAGE
 *
 * Start reading here: parse the options, vm__create() (vm.c: the ioctls
 * that make a VM), run__vm() (run.c: the KVM_RUN loop and the dispatch on
 * exit reasons), then the devices the dispatch reaches through the bus
 * (uart.c, pvcon.c, mmio_timer.c, debug_exit.c, mark.c).  The exit status
 * is the guest's (isa-debug-exit), or one of the STATUS_* of vmm.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "timing.h"
#include "vmm.h"

static const char usage[] =
	"usage: mini-vmm [OPTIONS] IMAGE\n"
	"Run IMAGE (a static ELF32/ELF64, or a flat binary) in a KVM VM.\n"
	"  --mode real|protected|long  CPU mode at entry (default: long for\n"
	"                              ELF64, protected for ELF32, real for\n"
	"                              flat binaries)\n"
	"  --mem SIZE                  guest memory, e.g. 64M (default 64M,\n"
	"                              1M to 3G)\n"
	"  --vcpus N                   vCPUs, one thread each (default 1)\n"
	"  --load-addr ADDR            where a flat binary goes (default "
	"0x1000)\n"
	"  --console uart|pv           console the guest library uses "
	"(default uart)\n"
	"  --stats FILE.json           write exit counts, phase times and\n"
	"                              memory use\n"
	"  --trace                     one line per exit on stderr\n"
	"  --marks                     a line \"isolab-mark: ready\" on stdout\n"
	"                              when the guest marks ready\n"
	"  --timeout SECONDS           stop a guest still running after this\n"
	"                              long (exit status 124)\n"
	"  --no-ioeventfd              do not bind the ioeventfd port\n"
	"  --no-cpuid-cache            ask KVM for its CPUID table even when\n"
	"                              " CPUID_CACHE_DIR " has it\n"
	"  --input                     feed stdin to the UART's receiver\n"
	"  --dirty-log                 log the pages the guest writes (in\n"
	"                              --stats: guest_dirty_pages)\n"
	"  --arg N                     a number for the guest (boot_info.arg)\n"
	"Exit status: (v<<1)|1 when the guest writes v to port 0xf4; 0 when\n"
	"every vCPU halts; 2 VMM error; 4 triple fault; 6 other guest crash;\n"
	"124 timeout.\n";

/* "64M", "1G", "4096", "0x100000": a size in bytes.  Returns 0 or -1. */
static int main_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s == '-')
		return -1;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

enum {
	OPT_MODE = 256,
	OPT_MEM,
	OPT_VCPUS,
	OPT_CONSOLE,
	OPT_STATS,
	OPT_TRACE,
	OPT_TIMEOUT,
	OPT_LOAD_ADDR,
	OPT_NO_IOEVENTFD,
	OPT_NO_CPUID_CACHE,
	OPT_ARG,
	OPT_MARKS,
	OPT_DIRTY_LOG,
	OPT_INPUT,
	OPT_HELP
};

static const struct option options[] = {
	{"mode", required_argument, NULL, OPT_MODE},
	{"mem", required_argument, NULL, OPT_MEM},
	{"vcpus", required_argument, NULL, OPT_VCPUS},
	{"console", required_argument, NULL, OPT_CONSOLE},
	{"stats", required_argument, NULL, OPT_STATS},
	{"trace", no_argument, NULL, OPT_TRACE},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"load-addr", required_argument, NULL, OPT_LOAD_ADDR},
	{"no-ioeventfd", no_argument, NULL, OPT_NO_IOEVENTFD},
	{"no-cpuid-cache", no_argument, NULL, OPT_NO_CPUID_CACHE},
	{"arg", required_argument, NULL, OPT_ARG},
	{"marks", no_argument, NULL, OPT_MARKS},
	{"dirty-log", no_argument, NULL, OPT_DIRTY_LOG},
	{"input", no_argument, NULL, OPT_INPUT},
	{"help", no_argument, NULL, OPT_HELP},
	{NULL, 0, NULL, 0},
};

static int main_option(struct vm_config *c, int opt, const char *arg,
		       struct isolab_err *e)
{
	char *end;
	long n;

	switch (opt) {
	case OPT_MODE:
		if (strcmp(arg, "real") == 0)
			c->mode = MODE_REAL;
		else if (strcmp(arg, "protected") == 0)
			c->mode = MODE_PROTECTED;
		else if (strcmp(arg, "long") == 0)
			c->mode = MODE_LONG;
		else
			return err__set(e, 0,
					"--mode: '%s' is not real, "
					"protected or long",
					arg);
		return 0;
	case OPT_MEM:
		if (main_size(arg, &c->mem_size) < 0 ||
		    c->mem_size < LAYOUT_MIN_MEM ||
		    c->mem_size > LAYOUT_MAX_MEM || (c->mem_size & 0xfff))
			return err__set(e, 0,
					"--mem: '%s' is not a size from "
					"1M to 3G in whole 4 KiB pages",
					arg);
		return 0;
	case OPT_VCPUS:
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno || end == arg || *end || n < 1 || n > 4096)
			return err__set(e, 0,
					"--vcpus: '%s' is not a number of "
					"vCPUs from 1",
					arg);
		c->nvcpus = (int)n;
		return 0;
	case OPT_CONSOLE:
		if (strcmp(arg, "uart") == 0)
			c->console = CONSOLE_UART;
		else if (strcmp(arg, "pv") == 0)
			c->console = CONSOLE_PV;
		else
			return err__set(e, 0,
					"--console: '%s' is not uart or "
					"pv",
					arg);
		return 0;
	case OPT_STATS: c->stats_path = arg; return 0;
	case OPT_TRACE: c->trace = true; return 0;
	case OPT_MARKS: c->marks = true; return 0;
	case OPT_TIMEOUT:
		errno = 0;
		c->timeout_s = strtod(arg, &end);
		if (errno || end == arg || *end || !(c->timeout_s > 0) ||
		    c->timeout_s > 1e6)
			return err__set(e, 0,
					"--timeout: '%s' is not a number "
					"of seconds above 0",
					arg);
		return 0;
	case OPT_LOAD_ADDR:
		if (main_size(arg, &c->load_addr) < 0)
			return err__set(e, 0,
					"--load-addr: '%s' is not an "
					"address",
					arg);
		return 0;
	case OPT_NO_IOEVENTFD: c->no_ioeventfd = true; return 0;
	case OPT_NO_CPUID_CACHE: c->no_cpuid_cache = true; return 0;
	case OPT_INPUT: c->input = true; return 0;
	case OPT_DIRTY_LOG: c->dirty_log = true; return 0;
	case OPT_ARG:
		if (main_size(arg, &c->arg) < 0)
			return err__set(e, 0, "--arg: '%s' is not a number",
					arg);
		return 0;
	}
	return err__set(e, 0, "unknown option (try --help)");
}

static int main_parse(int argc, char **argv, struct vm_config *c,
		      struct isolab_err *e)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == OPT_HELP) {
			fputs(usage, stdout);
			exit(0);
		}
		if (opt == '?' || opt == ':')
			return err__set(e, 0,
					"%s: unknown option or missing "
					"argument (try --help)",
					argv[optind - 1]);
		if (main_option(c, opt, optarg, e) < 0)
			return -1;
	}
	if (optind != argc - 1)
		return err__set(e, 0,
				"IMAGE: expected exactly one image (try "
				"--help)");
	c->image = argv[optind];
	return 0;
}

int main(int argc, char **argv)
{
	struct vm_config cfg = {
		.mem_size = 64ULL << 20,
		.nvcpus = 1,
		.mode = -1,
		.load_addr = LAYOUT_FLAT_LOAD_DEFAULT,
		.console = CONSOLE_UART,
		.t_start = timing__now_ns(),
	};
	struct isolab_err e = {0};
	struct vm *vm;
	int status;

	if (main_parse(argc, argv, &cfg, &e) < 0) {
		err__print("mini-vmm", &e);
		return STATUS_VMM_ERROR;
	}
	vm = vm__create(&cfg, &e);
	if (!vm) {
		err__print("mini-vmm", &e);
		return STATUS_VMM_ERROR;
	}
	status = run__vm(vm, &e);
	if (status < 0) {
		err__print("mini-vmm", &e);
		status = STATUS_VMM_ERROR;
	}
	if (cfg.stats_path) {
		stats__footprint(vm);
		vm__release(vm);
		if (stats__write(vm, cfg.stats_path, &e) < 0) {
			err__print("mini-vmm", &e);
			status = STATUS_VMM_ERROR;
		}
	}
	vm__destroy(vm);
	return status;
}
