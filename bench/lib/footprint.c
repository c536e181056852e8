/*
 * footprint.c - Process and cgroup memory from /proc and cgroupfs
 * (see footprint.h).
 */
#include "footprint.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Find "key:   N kB" in a /proc file and return N, or -1. */
static long proc_field_kib(const char *path, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long val = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			if (sscanf(line + klen + 1, "%ld", &val) != 1)
				val = -1;
			break;
		}
	}
	fclose(f);
	return val;
}

int footprint__proc(pid_t pid, struct proc_mem *out, struct isolab_err *e)
{
	char path[64];
	char dir[32];

	if (pid)
		snprintf(dir, sizeof(dir), "/proc/%d", (int)pid);
	else
		snprintf(dir, sizeof(dir), "/proc/self");
	snprintf(path, sizeof(path), "%s/status", dir);
	out->rss_kib = proc_field_kib(path, "VmRSS");
	out->hwm_kib = proc_field_kib(path, "VmHWM");
	if (out->rss_kib < 0)
		return err__set(e, errno, "%s: no VmRSS", path);
	snprintf(path, sizeof(path), "%s/smaps_rollup", dir);
	out->pss_kib = proc_field_kib(path, "Pss");
	return 0;
}

/* Read one integer from dir/name; -1 with errno set if absent. */
static int read_i64(const char *dir, const char *name, int64_t *out)
{
	char path[4096];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	ok = fscanf(f, "%" SCNd64, out) == 1;
	fclose(f);
	if (!ok) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int footprint__cgroup(const char *dir, int64_t *current, int64_t *peak,
		      struct isolab_err *e)
{
	if (read_i64(dir, "memory.current", current) < 0 &&
	    read_i64(dir, "memory.usage_in_bytes", current) < 0)
		return err__set(e, errno,
				"%s: neither memory.current nor "
				"memory.usage_in_bytes readable",
				dir);
	if (peak && read_i64(dir, "memory.peak", peak) < 0 &&
	    read_i64(dir, "memory.max_usage_in_bytes", peak) < 0)
		*peak = -1;
	return 0;
}
