/*
 * ioeventfd.c - A port whose writes KVM handles in the kernel: KVM_IOEVENTFD
 * binds PORT_IOEVENTFD to an eventfd, so a guest `out` there signals the
 * eventfd and re-enters the guest without ever returning from KVM_RUN.
 * This is how virtio's doorbells avoid the trip to userspace; the exits
 * guest measures the difference.  Nobody reads the eventfd: its counter
 * only saturates after 2^64-2 writes.
 *
 * The doorbell is bound when the guest asks for it, with a write to
 * PORT_IOEVENTFD_BIND, as QEMU binds a virtqueue's ioeventfd when the
 * guest's driver sets the queue up, not when the VM is created.  Binding
 * costs more than the ioctl: KVM replaces its I/O bus and frees the old
 * one after an SRCU grace period (call_srcu in kvm_io_bus_register_dev()).
 * A grace period here takes 5-15 ms, and the VM cannot be destroyed
 * before it ends (srcu_barrier() in kvm_destroy_vm()), so a VM that bound
 * the doorbell at creation took that long to tear down, or to set its
 * memory up if the bind came first.  A guest that never rings the
 * doorbell (hello64) now never pays for it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "layout.h"
#include "vmm.h"

/* Bind PORT_IOEVENTFD to a new eventfd; called with vm->lock held. */
static int ioeventfd_bind(struct vm *vm)
{
	struct kvm_ioeventfd io = {
		.addr = PORT_IOEVENTFD,
		.len = 1,
		.flags = KVM_IOEVENTFD_FLAG_PIO,
	};

	vm->ioeventfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->ioeventfd < 0)
		return -1;
	io.fd = vm->ioeventfd;
	if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &io) < 0) {
		int saved = errno;

		close(vm->ioeventfd);
		vm->ioeventfd = -1;
		errno = saved;
		return -1;
	}
	return 0;
}

/* A write of any value binds the doorbell once; later writes change
 * nothing.  With --no-ioeventfd it stays unbound, and every doorbell write
 * is then an unclaimed exit to userspace: the comparison the exits guest
 * makes. */
static int bind_write(struct vcpu *v, void *dev, uint64_t off,
		      const void *data, unsigned len)
{
	struct vm *vm = v->vm;
	int rc = 0, saved = 0;

	(void)dev;
	(void)off;
	(void)data;
	(void)len;
	if (vm->cfg.no_ioeventfd)
		return DEV_CONTINUE;
	pthread_mutex_lock(&vm->lock);
	if (vm->ioeventfd < 0) {
		rc = ioeventfd_bind(vm);
		saved = errno;
	}
	pthread_mutex_unlock(&vm->lock);
	if (rc < 0) {
		fprintf(stderr, "mini-vmm: %s: binding port 0x%x to an "
				"ioeventfd: %s\n",
			vm->cfg.image, PORT_IOEVENTFD, strerror(saved));
		vm__stop(vm, STATUS_VMM_ERROR);
		return DEV_STOP_VM;
	}
	return DEV_CONTINUE;
}

static const struct dev_ops bind_ops = {
	.name = "ioeventfd-bind",
	.write = bind_write, /* no read: all ones, like an unclaimed port */
};

int ioeventfd__register(struct vm *vm, struct isolab_err *e)
{
	return bus__register(&vm->pio, PORT_IOEVENTFD_BIND, 1, &bind_ops, NULL,
			     e);
}

/* Called after the VM's fd is closed: destroying the VM frees its I/O
 * buses and every ioeventfd on them, so the eventfd is only closed here
 * (a KVM_IOEVENTFD_FLAG_DEASSIGN would wait for another grace period). */
void ioeventfd__close(struct vm *vm)
{
	if (vm->ioeventfd < 0)
		return;
	close(vm->ioeventfd);
	vm->ioeventfd = -1;
}
