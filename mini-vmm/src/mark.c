/*
 * mark.c - The mark port: the guest writes a milestone id (MARK_* in
 * layout.h) and the VMM timestamps it on CLOCK_MONOTONIC, the clock of the
 * whole harness, so a benchmark can subtract the time it started the VMM
 * process from the time the guest said "ready".
 */
#include <string.h>

#include "layout.h"
#include "timing.h"
#include "vmm.h"

const char *mark__name(unsigned id)
{
	switch (id) {
	case MARK_ENTRY: return "entry";
	case MARK_KERNEL: return "kernel";
	case MARK_USER: return "user";
	case MARK_READY: return "ready";
	}
	return NULL;
}

void mark__record(struct vm *vm, unsigned id)
{
	uint64_t now = timing__now_ns();
	bool first = false;
	char line[64];

	if (id >= MAX_MARKS)
		return;
	pthread_mutex_lock(&vm->lock);
	if (!vm->mark_t[id]) {
		vm->mark_t[id] = now; /* the first vCPU to get there */
		first = true;
	}
	pthread_mutex_unlock(&vm->lock);
	/* --marks: the harness's "isolab-mark: ready" line (bench/lib/marks.h),
	 * so isobench stamps the milestone as it does for any other child.
	 * Only ready: each line wakes the reader, which on a 2-core machine
	 * competes with the VMM while the guest boots (with lines for entry
	 * and kernel too, start to ready was 0.7 ms slower in the median of
	 * 200 interleaved runs on a busy machine).  Every milestone's time is
	 * in --stats. */
	if (first && vm->cfg.marks && id == MARK_READY) {
		snprintf(line, sizeof(line), "isolab-mark: %s\n",
			 mark__name(id));
		console__flush(&vm->con);
		/* console__write then yields, so the harness reads the line
		 * at once (console.c says why). */
		console__write(&vm->con, line, strlen(line));
	}
}

static int mark_write(struct vcpu *v, void *dev, uint64_t off, const void *data,
		      unsigned len)
{
	(void)dev;
	(void)off;
	(void)len;
	mark__record(v->vm, *(const uint8_t *)data);
	return DEV_CONTINUE;
}

static const struct dev_ops mark_ops = {
	.name = "mark",
	.write = mark_write,
};

int mark__register(struct vm *vm, struct isolab_err *e)
{
	return bus__register(&vm->pio, PORT_MARK, 1, &mark_ops, NULL, e);
}
