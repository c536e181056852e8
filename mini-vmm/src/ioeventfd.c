/*
 * ioeventfd.c - A port whose writes KVM handles in the kernel: KVM_IOEVENTFD
 * binds PORT_IOEVENTFD to an eventfd, so a guest `out` there signals the
 * eventfd and re-enters the guest without ever returning from KVM_RUN.
 * This is how virtio's doorbells avoid the trip to userspace; the exits
 * guest measures the difference.  Nobody reads the eventfd: its counter
 * only saturates after 2^64-2 writes.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "layout.h"
#include "vmm.h"

static int ioeventfd_ioctl(struct vm *vm, uint32_t flags)
{
	struct kvm_ioeventfd io = {
		.addr = PORT_IOEVENTFD,
		.len = 1,
		.fd = vm->ioeventfd,
		.flags = KVM_IOEVENTFD_FLAG_PIO | flags,
	};

	return ioctl(vm->vm_fd, KVM_IOEVENTFD, &io);
}

int ioeventfd__register(struct vm *vm, struct isolab_err *e)
{
	vm->ioeventfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->ioeventfd < 0)
		return err__set(e, errno, "eventfd");
	if (ioeventfd_ioctl(vm, 0) < 0) {
		int saved = errno;

		close(vm->ioeventfd);
		vm->ioeventfd = -1;
		return err__set(e, saved, "KVM_IOEVENTFD");
	}
	return 0;
}

void ioeventfd__unregister(struct vm *vm)
{
	if (vm->ioeventfd < 0)
		return;
	ioeventfd_ioctl(vm, KVM_IOEVENTFD_FLAG_DEASSIGN);
	close(vm->ioeventfd);
	vm->ioeventfd = -1;
}
