/*
 * seccomp.c - System call filtering with seccomp-bpf (see seccomp.h).
 *
 * Namespaces hide things and capabilities withhold privileges, but every
 * system call still reaches the one shared kernel: the attack surface of a
 * container is the whole system call table.  seccomp(2) lets a process
 * install a classic-BPF program that the kernel runs on each system call
 * (number, architecture, arguments) to decide: allow, fail with an errno,
 * or kill.  We describe filters as rules (the OCI format) and let
 * libseccomp compile them to BPF.
 *
 * Two details matter for safety:
 *  - architectures: an x86-64 process can also enter the kernel through
 *    the 32-bit (int 0x80) and x32 tables, where the numbers differ.  A
 *    deny-list filter must cover them too, or a blocked call is one
 *    `int 0x80` away.
 *  - arguments: clone(2) and unshare(2) are needed by ordinary programs;
 *    only their CLONE_NEW* flags are refused, one rule per flag (a BPF
 *    comparison tests one mask at a time).
 *
 * Compiled programs are kept between runs by seccomp_cache.c, under the
 * key seccomp__key() computes here from the parsed rules.
 */
#define _GNU_SOURCE
#include "seccomp.h"

#include <errno.h>
#include <sched.h>
#include <seccomp.h> /* libseccomp's; ours is "seccomp.h" */
#include <stdint.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "meta.h"
#include "sha256.h"

#define SC_MAX_ARGS   6
#define SC_MAX_ARCHES 8

struct sc_rule {
	char *name;
	uint32_t action;
	struct scmp_arg_cmp args[SC_MAX_ARGS];
	unsigned nargs;
};

struct mc_seccomp {
	uint32_t default_action;
	uint32_t arches[SC_MAX_ARCHES];
	size_t narches;
	struct sc_rule *rules;
	size_t nrules;
};

/* The default profile's refused calls: each reaches past the container
 * (Docker's default.json lists the same ones as needing CAP_SYS_ADMIN,
 * CAP_SYS_MODULE, CAP_SYS_BOOT, CAP_SYS_TIME, ... or as simply unsafe). */
static const char *const sc_refused[] = {
	/* file systems and the root */
	"mount",
	"umount",
	"umount2",
	"pivot_root",
	"chroot",
	"fsopen",
	"fsconfig",
	"fsmount",
	"fspick",
	"move_mount",
	"open_tree",
	"mount_setattr",
	"swapon",
	"swapoff",
	"quotactl",
	"quotactl_fd",
	/* the kernel itself */
	"reboot",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"create_module",
	"bpf",
	"perf_event_open",
	"lookup_dcookie",
	"acct",
	"syslog",
	"iopl",
	"ioperm",
	"uselib",
	"vm86",
	"vm86old",
	"nfsservctl",
	"get_kernel_syms",
	"query_module",
	"userfaultfd",
	/* keyrings: not namespaced */
	"keyctl",
	"add_key",
	"request_key",
	/* other processes and files by handle */
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"kcmp",
	"open_by_handle_at",
	"name_to_handle_at",
	"pidfd_getfd",
	/* namespaces */
	"setns",
	/* the clock: not namespaced (time namespaces aside) */
	"settimeofday",
	"stime",
	"clock_settime",
	"clock_settime64",
	"clock_adjtime",
	"clock_adjtime64",
	"adjtimex",
	NULL,
};

static const int sc_new_ns_flags[] = {
	CLONE_NEWNS,  CLONE_NEWUTS, CLONE_NEWIPC,    CLONE_NEWUSER,
	CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
};

static int sc_add_rule(struct mc_seccomp *sc, const char *name, uint32_t action,
		       const struct scmp_arg_cmp *args, unsigned nargs)
{
	struct sc_rule *r =
		realloc(sc->rules, (sc->nrules + 1) * sizeof(*sc->rules));

	if (!r)
		return -1;
	sc->rules = r;
	r = &sc->rules[sc->nrules];
	memset(r, 0, sizeof(*r));
	r->name = strdup(name);
	if (!r->name)
		return -1;
	r->action = action;
	if (nargs)
		memcpy(r->args, args, nargs * sizeof(*args));
	r->nargs = nargs;
	sc->nrules++;
	return 0;
}

struct mc_seccomp *seccomp__default(void)
{
	struct mc_seccomp *sc = calloc(1, sizeof(*sc));
	const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);

	if (!sc)
		return NULL;
	sc->default_action = SCMP_ACT_ALLOW;
#if defined(__x86_64__)
	sc->arches[sc->narches++] = SCMP_ARCH_X86_64;
	sc->arches[sc->narches++] = SCMP_ARCH_X86;
	sc->arches[sc->narches++] = SCMP_ARCH_X32;
#else
	sc->arches[sc->narches++] = SCMP_ARCH_NATIVE;
#endif
	for (size_t i = 0; sc_refused[i]; i++)
		if (sc_add_rule(sc, sc_refused[i], eperm, NULL, 0) < 0)
			goto oom;
	for (size_t i = 0; i < sizeof(sc_new_ns_flags) / sizeof(int); i++) {
		uint64_t f = (uint64_t)sc_new_ns_flags[i];
		struct scmp_arg_cmp a = SCMP_A0(SCMP_CMP_MASKED_EQ, f, f);

		if (sc_add_rule(sc, "unshare", eperm, &a, 1) < 0 ||
		    sc_add_rule(sc, "clone", eperm, &a, 1) < 0)
			goto oom;
	}
	/* clone3 passes its flags in memory, where BPF cannot look: fail it
	 * with ENOSYS so the C library falls back to clone (as Docker). */
	if (sc_add_rule(sc, "clone3", SCMP_ACT_ERRNO(ENOSYS), NULL, 0) < 0)
		goto oom;
	return sc;
oom:
	seccomp__destroy(sc);
	return NULL;
}

void seccomp__destroy(struct mc_seccomp *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < sc->nrules; i++)
		free(sc->rules[i].name);
	free(sc->rules);
	free(sc);
}

/* ---- the OCI format --------------------------------------------------- */

/* An OCI action name with its errno (errnoRet, default EPERM) into a
 * libseccomp action.  Returns 0, or -1 for an action we do not know. */
static int sc_action(const char *name, json_t *errno_ret, uint32_t *act)
{
	int err = EPERM;

	if (json_is_integer(errno_ret))
		err = (int)json_integer_value(errno_ret);
	if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
		*act = SCMP_ACT_ALLOW;
	else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		*act = SCMP_ACT_ERRNO(err);
	else if (strcmp(name, "SCMP_ACT_KILL") == 0 ||
		 strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		*act = SCMP_ACT_KILL_THREAD;
	else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		*act = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		*act = SCMP_ACT_TRAP;
	else if (strcmp(name, "SCMP_ACT_LOG") == 0)
		*act = SCMP_ACT_LOG;
	else if (strcmp(name, "SCMP_ACT_TRACE") == 0)
		*act = SCMP_ACT_TRACE(err);
	else
		return -1;
	return 0;
}

static int sc_op(const char *name, enum scmp_compare *op)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{"SCMP_CMP_NE", SCMP_CMP_NE},
		{"SCMP_CMP_LT", SCMP_CMP_LT},
		{"SCMP_CMP_LE", SCMP_CMP_LE},
		{"SCMP_CMP_EQ", SCMP_CMP_EQ},
		{"SCMP_CMP_GE", SCMP_CMP_GE},
		{"SCMP_CMP_GT", SCMP_CMP_GT},
		{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	return -1;
}

/* "SCMP_ARCH_X86_64" into libseccomp's token.  Returns 0 or -1. */
static int sc_arch(const char *name, uint32_t *arch)
{
	char low[32];
	size_t i;

	if (strncmp(name, "SCMP_ARCH_", 10) != 0 || strlen(name) - 10 >= 32)
		return -1;
	for (i = 0; name[10 + i]; i++)
		low[i] = (char)((name[10 + i] >= 'A' && name[10 + i] <= 'Z')
					? name[10 + i] - 'A' + 'a'
					: name[10 + i]);
	low[i] = '\0';
	*arch = seccomp_arch_resolve_name(low);
	return *arch ? 0 : -1;
}

/* One element of "args" into a comparison.  Returns 0 or -1. */
static int sc_parse_arg(json_t *a, const char *where, size_t ri, size_t ai,
			struct scmp_arg_cmp *out, struct isolab_err *e)
{
	json_t *idx = json_object_get(a, "index"),
	       *val = json_object_get(a, "value"),
	       *two = json_object_get(a, "valueTwo"),
	       *op = json_object_get(a, "op");

	if (!json_is_object(a) || !json_is_integer(idx) ||
	    json_integer_value(idx) < 0 || json_integer_value(idx) > 5 ||
	    !json_is_integer(val) || (two && !json_is_integer(two)) ||
	    !json_is_string(op))
		return err__set(e, 0,
				"%s: syscalls[%zu].args[%zu]: needs index 0-5, "
				"value, op (and valueTwo) of the right types",
				where, ri, ai);
	memset(out, 0, sizeof(*out));
	if (sc_op(json_string_value(op), &out->op) < 0)
		return err__set(e, 0,
				"%s: syscalls[%zu].args[%zu].op: unknown "
				"operator \"%s\"",
				where, ri, ai, json_string_value(op));
	out->arg = (unsigned)json_integer_value(idx);
	out->datum_a = (scmp_datum_t)json_integer_value(val);
	out->datum_b = two ? (scmp_datum_t)json_integer_value(two) : 0;
	return 0;
}

/* One element of "syscalls".  Returns 0 or -1. */
static int sc_parse_rule(struct mc_seccomp *sc, json_t *r, const char *where,
			 size_t ri, bool quiet, struct isolab_err *e)
{
	json_t *names = json_object_get(r, "names"),
	       *action = json_object_get(r, "action"),
	       *args = json_object_get(r, "args"), *n;
	struct scmp_arg_cmp cmp[SC_MAX_ARGS];
	size_t ni, nargs = 0;
	uint32_t act;

	if (!json_is_object(r) || !json_is_array(names) ||
	    !json_is_string(action) ||
	    (args && !json_is_null(args) && !json_is_array(args)))
		return err__set(e, 0,
				"%s: syscalls[%zu]: needs \"names\" (an "
				"array) and \"action\" (a string)",
				where, ri);
	if (sc_action(json_string_value(action), json_object_get(r, "errnoRet"),
		      &act) < 0)
		return err__set(e, 0,
				"%s: syscalls[%zu].action: unknown action "
				"\"%s\"",
				where, ri, json_string_value(action));
	if (json_is_array(args)) {
		nargs = json_array_size(args);
		if (nargs > SC_MAX_ARGS)
			return err__set(e, 0,
					"%s: syscalls[%zu].args: more "
					"than 6",
					where, ri);
		for (size_t ai = 0; ai < nargs; ai++)
			if (sc_parse_arg(json_array_get(args, ai), where, ri,
					 ai, &cmp[ai], e) < 0)
				return -1;
	}
	json_array_foreach(names, ni, n)
	{
		const char *name = json_string_value(n);

		if (!name)
			return err__set(e, 0,
					"%s: syscalls[%zu].names[%zu]: "
					"not a string",
					where, ri, ni);
		if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
			if (!quiet)
				fprintf(stderr,
					"mini-container: warning: %s: "
					"syscalls[%zu]: unknown system call "
					"\"%s\" skipped\n",
					where, ri, name);
			continue;
		}
		if (sc_add_rule(sc, name, act, cmp, (unsigned)nargs) < 0)
			return err__set(e, ENOMEM, "%s", where);
	}
	return 0;
}

int seccomp__from_json(json_t *obj, const char *where, bool quiet,
		       struct mc_seccomp **out, struct isolab_err *e)
{
	json_t *dflt, *arches, *calls, *v;
	struct mc_seccomp *sc;
	size_t i;

	*out = NULL;
	if (!json_is_object(obj))
		return err__set(e, 0, "%s: not a JSON object", where);
	dflt = json_object_get(obj, "defaultAction");
	arches = json_object_get(obj, "architectures");
	calls = json_object_get(obj, "syscalls");
	if (!json_is_string(dflt))
		return err__set(e, 0,
				"%s: defaultAction: missing or not a "
				"string",
				where);
	if ((arches && !json_is_array(arches) && !json_is_null(arches)) ||
	    (calls && !json_is_array(calls) && !json_is_null(calls)))
		return err__set(e, 0,
				"%s: architectures and syscalls must be "
				"arrays",
				where);
	sc = calloc(1, sizeof(*sc));
	if (!sc)
		return err__set(e, ENOMEM, "%s", where);
	if (sc_action(json_string_value(dflt),
		      json_object_get(obj, "defaultErrnoRet"),
		      &sc->default_action) < 0) {
		err__set(e, 0, "%s: defaultAction: unknown action \"%s\"",
			 where, json_string_value(dflt));
		goto fail;
	}
	json_array_foreach(arches, i, v)
	{
		if (!json_is_string(v) || sc->narches == SC_MAX_ARCHES ||
		    sc_arch(json_string_value(v), &sc->arches[sc->narches]) <
			    0) {
			err__set(e, 0,
				 "%s: architectures[%zu]: unknown "
				 "architecture",
				 where, i);
			goto fail;
		}
		sc->narches++;
	}
	json_array_foreach(calls, i,
			   v) if (sc_parse_rule(sc, v, where, i, quiet, e) <
				  0) goto fail;
	*out = sc;
	return 0;
fail:
	seccomp__destroy(sc);
	return -1;
}

int seccomp__from_file(const char *path, bool quiet, struct mc_seccomp **out,
		       struct isolab_err *e)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	int rc;

	*out = NULL;
	if (!root)
		return err__set(e, 0, "%s: line %d: %s", path, je.line,
				je.text);
	rc = seccomp__from_json(root, path, quiet, out, e);
	json_decref(root);
	return rc;
}

static json_t *sc_action_json(uint32_t act, json_t *rule)
{
	const char *name;

	if (act == SCMP_ACT_ALLOW)
		name = "SCMP_ACT_ALLOW";
	else if (act == SCMP_ACT_KILL_PROCESS)
		name = "SCMP_ACT_KILL_PROCESS";
	else if (act == SCMP_ACT_KILL_THREAD)
		name = "SCMP_ACT_KILL";
	else if (act == SCMP_ACT_TRAP)
		name = "SCMP_ACT_TRAP";
	else if (act == SCMP_ACT_LOG)
		name = "SCMP_ACT_LOG";
	else if ((act & 0xffff0000U) == SCMP_ACT_ERRNO(0))
		name = "SCMP_ACT_ERRNO";
	else
		name = "SCMP_ACT_TRACE";
	if (rule && (strcmp(name, "SCMP_ACT_ERRNO") == 0 ||
		     strcmp(name, "SCMP_ACT_TRACE") == 0))
		json_object_set_new(rule, "errnoRet",
				    json_integer(act & 0xffffU));
	return json_string(name);
}

static const char *sc_arch_name(uint32_t arch)
{
	static const struct {
		uint32_t arch;
		const char *name;
	} t[] = {
		{SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64"},
		{SCMP_ARCH_X86, "SCMP_ARCH_X86"},
		{SCMP_ARCH_X32, "SCMP_ARCH_X32"},
		{SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64"},
		{SCMP_ARCH_ARM, "SCMP_ARCH_ARM"},
		{SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64"},
	};

	if (arch == SCMP_ARCH_NATIVE)
		arch = seccomp_arch_native();
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].arch == arch)
			return t[i].name;
	return NULL;
}

json_t *seccomp__to_json(const struct mc_seccomp *sc)
{
	static const char *const ops[] = {
		[SCMP_CMP_NE] = "SCMP_CMP_NE",
		[SCMP_CMP_LT] = "SCMP_CMP_LT",
		[SCMP_CMP_LE] = "SCMP_CMP_LE",
		[SCMP_CMP_EQ] = "SCMP_CMP_EQ",
		[SCMP_CMP_GE] = "SCMP_CMP_GE",
		[SCMP_CMP_GT] = "SCMP_CMP_GT",
		[SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
	};
	json_t *o = json_object(), *arches = json_array(),
	       *calls = json_array();

	if (!o || !arches || !calls) {
		json_decref(o);
		json_decref(arches);
		json_decref(calls);
		return NULL;
	}
	json_object_set_new(o, "defaultAction",
			    sc_action_json(sc->default_action, NULL));
	for (size_t i = 0; i < sc->narches; i++)
		if (sc_arch_name(sc->arches[i]))
			json_array_append_new(arches, json_string(sc_arch_name(
							      sc->arches[i])));
	json_object_set_new(o, "architectures", arches);
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];
		json_t *rule = json_object(), *args = json_array(),
		       *names = json_pack("[s]", r->name);

		/* Consecutive argument-free rules with one action share an
		 * entry, as in Docker's profile. */
		while (!r->nargs && i + 1 < sc->nrules &&
		       !sc->rules[i + 1].nargs &&
		       sc->rules[i + 1].action == r->action)
			json_array_append_new(names,
					      json_string(sc->rules[++i].name));
		json_object_set_new(rule, "names", names);
		json_object_set_new(rule, "action",
				    sc_action_json(r->action, rule));
		for (unsigned a = 0; a < r->nargs; a++)
			json_array_append_new(
				args,
				json_pack("{s:I,s:I,s:I,s:s}", "index",
					  (json_int_t)r->args[a].arg, "value",
					  (json_int_t)r->args[a].datum_a,
					  "valueTwo",
					  (json_int_t)r->args[a].datum_b, "op",
					  ops[r->args[a].op]));
		if (r->nargs)
			json_object_set_new(rule, "args", args);
		else
			json_decref(args);
		json_array_append_new(calls, rule);
	}
	json_object_set_new(o, "syscalls", calls);
	return o;
}

/* ---- the cache key ---------------------------------------------------- */

/* Who compiles: this runtime's version and build.  A rebuilt runtime (its
 * seccomp__compile may differ) gets new keys, so it never loads a program
 * an older build compiled. */
#define SC_RUNTIME_VERSION                                                     \
	"mini-container " ISOLAB_VERSION " built " __DATE__ " " __TIME__

static void sc_key_u64(struct sha256 *c, uint64_t v)
{
	uint8_t b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	sha256__update(c, b, sizeof(b));
}

/* A string with its length first, so that ("ab", "c") and ("a", "bc")
 * hash differently. */
static void sc_key_str(struct sha256 *c, const char *s)
{
	size_t n = strlen(s);

	sc_key_u64(c, n);
	sha256__update(c, s, n);
}

void seccomp__key(const struct mc_seccomp *sc, uint8_t key[SECCOMP_KEY_LEN])
{
	const struct scmp_version *v = seccomp_version();
	struct utsname u;
	struct sha256 c;

	sha256__init(&c);
	sc_key_str(&c, "mini-container seccomp cache 1");
	sc_key_str(&c, SC_RUNTIME_VERSION);
	/* libseccomp compiles: its version, and the architecture that
	 * SCMP_ARCH_NATIVE and the system call names resolve for. */
	sc_key_u64(&c, v ? v->major : 0);
	sc_key_u64(&c, v ? v->minor : 0);
	sc_key_u64(&c, v ? v->micro : 0);
	sc_key_u64(&c, seccomp_arch_native());
	/* The kernel, in case the state root outlives a reboot into
	 * another one. */
	if (uname(&u) == 0) {
		sc_key_str(&c, u.release);
		sc_key_str(&c, u.version);
	}
	/* The profile as parsed: default action, architectures, and every
	 * rule in order (name, action, comparisons). */
	sc_key_u64(&c, sc->default_action);
	sc_key_u64(&c, sc->narches);
	for (size_t i = 0; i < sc->narches; i++)
		sc_key_u64(&c, sc->arches[i]);
	sc_key_u64(&c, sc->nrules);
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];

		sc_key_str(&c, r->name);
		sc_key_u64(&c, r->action);
		sc_key_u64(&c, r->nargs);
		for (unsigned a = 0; a < r->nargs; a++) {
			sc_key_u64(&c, r->args[a].arg);
			sc_key_u64(&c, (uint64_t)r->args[a].op);
			sc_key_u64(&c, r->args[a].datum_a);
			sc_key_u64(&c, r->args[a].datum_b);
		}
	}
	sha256__final(&c, key);
}

/* ---- loading ---------------------------------------------------------- */

int seccomp__compile(const struct mc_seccomp *sc, struct mc_bpf *out,
		     struct isolab_err *e)
{
	scmp_filter_ctx ctx = seccomp_init(sc->default_action);
	off_t size;
	int rc = 0, fd = -1;

	out->insns = NULL;
	out->len = 0;
	if (!ctx)
		return err__set(e, 0, "seccomp: seccomp_init failed");
	for (size_t i = 0; rc == 0 && i < sc->narches; i++) {
		rc = seccomp_arch_add(ctx, sc->arches[i]);
		if (rc == -EEXIST)
			rc = 0;
	}
	if (rc < 0) {
		seccomp_release(ctx);
		return err__set(e, -rc, "seccomp: architecture");
	}
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct sc_rule *r = &sc->rules[i];
		int nr = seccomp_syscall_resolve_name(r->name);

		/* libseccomp refuses a rule that repeats the default. */
		if (nr == __NR_SCMP_ERROR || r->action == sc->default_action)
			continue;
		rc = seccomp_rule_add_array(ctx, r->action, nr, r->nargs,
					    r->args);
		if (rc < 0) {
			seccomp_release(ctx);
			return err__set(e, -rc, "seccomp: rule for %s",
					r->name);
		}
	}
	/* libseccomp 2.5 exports only to a file descriptor: an anonymous
	 * memory file, read back. */
	fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0) {
		seccomp_release(ctx);
		return err__set(e, errno, "seccomp: memfd_create");
	}
	rc = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (rc < 0) {
		close(fd);
		return err__set(e, -rc, "seccomp: compile the filter");
	}
	size = lseek(fd, 0, SEEK_END);
	out->insns = size > 0 ? malloc((size_t)size) : NULL;
	if (!out->insns || pread(fd, out->insns, (size_t)size, 0) != size) {
		close(fd);
		free(out->insns);
		out->insns = NULL;
		return err__set(e, errno ? errno : EIO,
				"seccomp: read the filter");
	}
	close(fd);
	out->len = (size_t)size / sizeof(struct sock_filter);
	return 0;
}

int seccomp__install(const struct mc_bpf *bpf, bool set_nnp,
		     struct isolab_err *e)
{
	struct sock_fprog prog = {(unsigned short)bpf->len, bpf->insns};

	if (bpf->len > BPF_MAXINSNS)
		return err__set(e, 0,
				"seccomp: %zu instructions, more than "
				"the kernel's %d",
				bpf->len, BPF_MAXINSNS);
	if (set_nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err__set(e, errno, "no_new_privs");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		return err__set(e, errno, "seccomp: load the filter");
	return 0;
}

void seccomp__bpf_free(struct mc_bpf *bpf)
{
	free(bpf->insns);
	bpf->insns = NULL;
	bpf->len = 0;
}
