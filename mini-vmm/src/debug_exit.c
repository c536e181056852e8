/*
 * debug_exit.c - isa-debug-exit at port 0xf4, compatible with QEMU's
 * (hw/misc/debugexit.c): a write of value v ends the VM, and the VMM exits
 * with status (v << 1) | 1.  The status is odd, so a guest can never be
 * mistaken for the VMM's own statuses, which are even.
 */
#include <string.h>

#include "layout.h"
#include "vmm.h"

static int debug_exit_write(struct vcpu *v, void *dev, uint64_t off,
			    const void *data, unsigned len)
{
	uint32_t val = 0;

	(void)dev;
	(void)off;
	memcpy(&val, data, len < 4 ? len : 4);
	vm__stop(v->vm, (int)(((val << 1) | 1) & 0xff));
	return DEV_STOP_VM;
}

static const struct dev_ops debug_exit_ops = {
	.name = "isa-debug-exit",
	.write = debug_exit_write,
};

int debug_exit__register(struct vm *vm, struct isolab_err *e)
{
	return bus__register(&vm->pio, PORT_DEBUG_EXIT, 1, &debug_exit_ops,
			     NULL, e);
}
