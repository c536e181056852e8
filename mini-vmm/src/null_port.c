/*
 * null_port.c - A port that does nothing: reads 0, ignores writes.  The
 * cheapest exit to userspace there is, so the exits guest and the benchmark
 * measure the round trip guest -> KVM -> mini-vmm's dispatch -> guest and
 * nothing else.
 */
#include <string.h>

#include "layout.h"
#include "vmm.h"

static int null_read(struct vcpu *v, void *dev, uint64_t off, void *data,
		     unsigned len)
{
	(void)v;
	(void)dev;
	(void)off;
	memset(data, 0, len);
	return DEV_CONTINUE;
}

static int null_write(struct vcpu *v, void *dev, uint64_t off, const void *data,
		      unsigned len)
{
	(void)v;
	(void)dev;
	(void)off;
	(void)data;
	(void)len;
	return DEV_CONTINUE;
}

static const struct dev_ops null_ops = {
	.name = "null",
	.read = null_read,
	.write = null_write,
};

int null_port__register(struct vm *vm, struct isolab_err *e)
{
	return bus__register(&vm->pio, PORT_NULL, 1, &null_ops, NULL, e);
}
