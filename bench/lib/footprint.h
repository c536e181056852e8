/*
 * footprint.h - How much memory a process or a cgroup uses.
 *
 * Three views, because each isolation approach is measured differently:
 *  - a child that has exited: its peak RSS from wait4's rusage
 *    (timing__cmd_once fills cmd_result.maxrss_kib);
 *  - a live process: RSS and peak RSS from /proc/PID/status, PSS from
 *    /proc/PID/smaps_rollup (PSS divides each shared page among the
 *    processes that map it, so it adds up across processes; RSS does not);
 *  - a cgroup (a container): the kernel's charge for the whole group.
 */
#ifndef ISOLAB_FOOTPRINT_H
#define ISOLAB_FOOTPRINT_H

#include <stdint.h>
#include <sys/types.h>

#include "err.h"

struct proc_mem {
	long rss_kib; /* VmRSS: resident now */
	long hwm_kib; /* VmHWM: peak resident ("high water mark") */
	long pss_kib; /* Pss from smaps_rollup; -1 if the kernel lacks it */
};

/* Read pid's memory (0 means this process).  Returns 0, or -1 if
 * /proc/PID/status can't be read or lacks VmRSS. */
int footprint__proc(pid_t pid, struct proc_mem *out, struct isolab_err *e);

/* Memory charged to the cgroup at directory dir (a path under a memory
 * hierarchy: cgroup v2 memory.current, v1 memory.usage_in_bytes).  With
 * peak != NULL also the peak (v2 memory.peak, v1 memory.max_usage_in_bytes;
 * -1 when the kernel does not keep one).  Returns 0 or -1. */
int footprint__cgroup(const char *dir, int64_t *current, int64_t *peak,
		      struct isolab_err *e);

#endif
