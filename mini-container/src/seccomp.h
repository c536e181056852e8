/*
 * seccomp.h - seccomp-bpf system call filters: a small program the kernel
 * runs at every system call of the container, which lets the call through
 * or fails it (EPERM) or kills the process.
 */
#ifndef MC_SECCOMP_H
#define MC_SECCOMP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct mc_seccomp;

/* The default profile, in the spirit of Docker's: everything allowed but
 * the calls that reach past the container (mount, module loading, reboot,
 * kexec, bpf, perf_event_open, keyrings, ptrace, open_by_handle_at, new
 * namespaces, the clock, ...), which fail with EPERM.  NULL if out of
 * memory. */
struct mc_seccomp *seccomp__default(void);

/* A profile from an OCI linux.seccomp object (defaultAction,
 * defaultErrnoRet, architectures, syscalls [{names, action, errnoRet,
 * args [{index, value, valueTwo, op}]}]).  where names the input in
 * errors ("config.json: linux.seccomp").  An unknown action, architecture
 * or operator is an error (ignoring it would weaken the filter); a system
 * call this kernel does not know is skipped with a warning unless quiet.
 * Returns 0 or -1. */
int seccomp__from_json(json_t *obj, const char *where, bool quiet,
		       struct mc_seccomp **out, struct isolab_err *e);

/* sc as an OCI linux.seccomp object (new reference), which crun and runc
 * read too; NULL if out of memory. */
json_t *seccomp__to_json(const struct mc_seccomp *sc);

/* Read an OCI seccomp object from a JSON file.  Returns 0 or -1. */
int seccomp__from_file(const char *path, bool quiet, struct mc_seccomp **out,
		       struct isolab_err *e);

#define SECCOMP_KEY_LEN 32

/* The seccomp cache's key for sc (seccomp_cache.h): SHA-256 of everything
 * the compiled program depends on: the profile as parsed (default action,
 * architectures, each rule with its comparisons and action), libseccomp's
 * version and native architecture, the kernel's release, and this
 * runtime's version and build time. */
void seccomp__key(const struct mc_seccomp *sc, uint8_t key[SECCOMP_KEY_LEN]);

/* A compiled filter: classic BPF instructions (struct sock_filter). */
struct mc_bpf {
	void *insns;
	size_t len; /* instructions */
};

/* Compile sc to BPF with libseccomp (the slow part: ~1 ms), so that the
 * container can do it before its critical path.  Returns 0 or -1; free
 * with seccomp__bpf_free. */
int seccomp__compile(const struct mc_seccomp *sc, struct mc_bpf *out,
		     struct isolab_err *e);

/* Install a compiled filter in this process (inherited by its children
 * and kept across execve).  set_nnp: set no_new_privs first (without it
 * the caller needs CAP_SYS_ADMIN).  Returns 0 or -1. */
int seccomp__install(const struct mc_bpf *bpf, bool set_nnp,
		     struct isolab_err *e);

void seccomp__bpf_free(struct mc_bpf *bpf);

void seccomp__destroy(struct mc_seccomp *sc);

#endif
