/*
 * meta.h - The machine a figure was measured on.
 *
 * Every result isolab writes carries this block, because the same code
 * measures very differently on another machine.  Two facts matter most
 * here: which KVM backs /dev/kvm (hardware VT-x/AMD-V, or the PVM backend,
 * a software VMM with shadow paging used when the host is itself a VM), and
 * how cgroups are mounted (v1, hybrid, or the unified v2 hierarchy).
 */
#ifndef ISOLAB_META_H
#define ISOLAB_META_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#define ISOLAB_VERSION "0.1.0"

struct meta {
	char cpu_model[128];
	int cores;               /* online CPUs */
	char arch[65];           /* uname -m */
	char kernel[65];         /* uname -r */
	uint64_t mem_total_kib;  /* MemTotal */
	bool kvm_device;         /* /dev/kvm exists */
	bool kvm_usable;         /* KVM_CREATE_VM succeeded */
	int kvm_api;             /* KVM_GET_API_VERSION, or -1 */
	char kvm_backend[16];    /* "pvm", "intel", "amd", "unknown", "none" */
	char cgroup_mode[16];    /* "v2", "hybrid", "v1", "none" */
	int64_t cpu_latency_us;  /* the PM QoS CPU latency in force (pmqos.h):
				    0 while isobench holds it, 2000000000
				    with no request, -1 when unreadable */
	char compiler[128];      /* of this binary, e.g. "gcc 12.2.0" */
	char git_commit[64];     /* HEAD of the working directory, "-dirty"
				    appended when it has changes; "unknown" */
	char date[32];           /* UTC, ISO 8601 */
	char version[16];        /* ISOLAB_VERSION */
};

/* Which module provides KVM: "pvm" (kvm_pvm), "intel" (kvm_intel), "amd"
 * (kvm_amd), "unknown" (kvm loaded, backend not recognised), or "none". */
const char *meta__kvm_backend(void);

/* "v2" when cgroup2 is mounted and no v1 hierarchy is, "hybrid" when both
 * are, "v1" when only v1 is, "none" otherwise; read from
 * /proc/self/mountinfo. */
const char *meta__cgroup_mode(void);

/* Fill m.  Never fails: what cannot be read is left "unknown" or -1.
 * The commit and the KVM probe come from the environment when a harness
 * exported them (meta__export), so that a measured child writing its own
 * --stats does not spend ~15 ms on a git process and a test VM after its
 * work, inside the time being measured. */
void meta__collect(struct meta *m);

/* Put m's commit and KVM probe in the environment (ISOLAB_META_GIT,
 * ISOLAB_META_KVM) for the children meta__collect runs in. */
void meta__export(const struct meta *m);

/* m as a JSON object (new reference), or NULL if out of memory. */
json_t *meta__to_json(const struct meta *m);

#endif
