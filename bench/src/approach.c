/*
 * approach.c - The table of approaches isobench measures (see approach.h).
 *
 * Each approach lives in its own file of bench/src/ (native.c, vm.c,
 * qemu.c, container.c, wasm.c, and the simulators' experiments paging.c
 * and sched.c).  The slots are weak references: a slot whose file is not built
 * yet is NULL and skipped, so each approach can be added on its own.
 */
#include "approach.h"

#include <string.h>

extern const struct approach_ops native_approach;
extern const struct approach_ops container_approach __attribute__((weak));
extern const struct approach_ops vm_approach __attribute__((weak));
extern const struct approach_ops qemu_approach __attribute__((weak));
extern const struct approach_ops wasm_approach __attribute__((weak));
extern const struct approach_ops paging_approach __attribute__((weak));
extern const struct approach_ops sched_approach __attribute__((weak));

static const struct approach_ops *const slots[] = {
	&native_approach, &container_approach, &vm_approach,
	&qemu_approach,   &wasm_approach,      &paging_approach,
	&sched_approach,
};

#define NSLOTS (sizeof(slots) / sizeof(slots[0]))

/* The built approaches, in table order, NULL-terminated. */
static const struct approach_ops *built[NSLOTS + 1];

const struct approach_ops *const *approach__all(void)
{
	if (!built[0]) {
		size_t n = 0;

		for (size_t i = 0; i < NSLOTS; i++)
			if (slots[i])
				built[n++] = slots[i];
	}
	return built;
}

const struct approach_ops *approach__find(const char *name)
{
	const struct approach_ops *const *all = approach__all();

	for (size_t i = 0; all[i]; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

const char *const bench_workloads[] = {
	"hello", "fib", "sieve", "matmul", "crc32", "nbody", "sort",
	"memrand", "syscalls", NULL,
};

bool approach__in_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; *p;) {
		size_t w = strcspn(p, ",");

		if (w == len && strncmp(p, name, len) == 0)
			return true;
		p += w + (p[w] == ',');
	}
	return false;
}

bool approach__wants(const struct bench_ctx *ctx, const char *w)
{
	return !ctx->workloads || approach__in_list(ctx->workloads, w);
}

bool approach__startup_workload(const char *w)
{
	return strcmp(w, "true") == 0 || strncmp(w, "hello", 5) == 0;
}
