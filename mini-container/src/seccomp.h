/*
 * seccomp.h - seccomp-bpf system call filters: a small program the kernel
 * runs at every system call of the container, which lets the call through
 * or fails it (EPERM) or kills the process.
 */
#ifndef MC_SECCOMP_H
#define MC_SECCOMP_H

#include <jansson.h>
#include <stdbool.h>

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

/* Read an OCI seccomp object from a JSON file.  Returns 0 or -1. */
int seccomp__from_file(const char *path, bool quiet, struct mc_seccomp **out,
		       struct isolab_err *e);

/* Install the filter in this process (inherited by its children and kept
 * across execve).  set_nnp: also set no_new_privs (without it the caller
 * needs CAP_SYS_ADMIN).  Returns 0 or -1. */
int seccomp__load(const struct mc_seccomp *sc, bool set_nnp,
		  struct isolab_err *e);

void seccomp__destroy(struct mc_seccomp *sc);

#endif
