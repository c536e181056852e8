/*
 * pvcon.c - The paravirtual console and hypercall interface.
 *
 * A guest that knows it runs on mini-vmm need not pretend to drive a
 * UART: it fills a struct pv_req (layout.h) and writes its guest-physical
 * address to PORT_HYPERCALL with one 32-bit `out`.  That single exit
 * carries a whole string (or an exit or a mark request): the lecture's
 * paravirtualization point, as Xen's hypercalls or virtio's rings, cut to
 * the bone.  The VMM checks that the request and its buffer lie inside
 * guest memory before touching them: the guest is not trusted.
 */
#include <string.h>

#include "layout.h"
#include "vmm.h"

static int pvcon_write(struct vcpu *v, void *dev, uint64_t off,
		       const void *data, unsigned len)
{
	struct vm *vm = v->vm;
	uint32_t gpa = 0;
	struct pv_req *req;
	const void *buf;
	int action = DEV_CONTINUE;

	(void)dev;
	(void)off;
	memcpy(&gpa, data, len < 4 ? len : 4);
	req = vm__gpa(vm, gpa, sizeof(*req));
	if (!req || (gpa & 7)) {
		fprintf(stderr,
			"mini-vmm: hypercall: request at 0x%x is not "
			"in guest memory or not 8-byte aligned\n",
			gpa);
		return DEV_CONTINUE;
	}
	req->ret = 0;
	switch (req->nr) {
	case PV_CONSOLE_WRITE:
		buf = vm__gpa(vm, req->arg, req->len);
		if (!buf) {
			req->ret = -1;
			break;
		}
		console__write(&vm->con, buf, req->len);
		break;
	case PV_EXIT:
		vm__stop(vm, (int)((((uint32_t)req->arg << 1) | 1) & 0xff));
		action = DEV_STOP_VM;
		break;
	case PV_MARK: mark__record(vm, (unsigned)req->arg); break;
	default: req->ret = -1;
	}
	return action;
}

static const struct dev_ops pvcon_ops = {
	.name = "hypercall",
	.write = pvcon_write,
};

int pvcon__register(struct vm *vm, struct isolab_err *e)
{
	return bus__register(&vm->pio, PORT_HYPERCALL, 1, &pvcon_ops, NULL, e);
}
