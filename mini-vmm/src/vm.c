/*
 * vm.c - Creating a virtual machine through /dev/kvm, and tearing it down.
 *
 * The whole KVM API for a minimal VM is six ioctls, in this order:
 *   open("/dev/kvm")                       the hypervisor
 *   KVM_CREATE_VM                          an empty VM: a file descriptor
 *   mmap + KVM_SET_USER_MEMORY_REGION      guest-physical memory is plain
 *                                          anonymous memory of the VMM
 *   KVM_CREATE_VCPU                        a vCPU: another descriptor
 *   mmap(vcpu fd)                          struct kvm_run, where each exit
 *                                          is described
 *   KVM_SET_CPUID2, KVM_SET_SREGS/REGS     its initial state (mode.c)
 * then KVM_RUN, in run.c.  Each step is timed for the boot figures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "layout.h"
#include "loader.h"
#include "timing.h"
#include "vmm.h"

#define KVM_DEVICE "/dev/kvm"

void *vm__gpa(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa >= vm->mem_size || len > vm->mem_size - gpa)
		return NULL;
	return vm->mem + gpa;
}

static int vm_open_kvm(struct vm *vm, struct isolab_err *e)
{
	int api, max;

	vm->kvm_fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		return err__set(e, errno, "%s", KVM_DEVICE);
	api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api != KVM_API_VERSION)
		return err__set(e, 0, "%s: KVM API version %d, expected %d",
				KVM_DEVICE, api, KVM_API_VERSION);
	max = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	if (max <= 0)
		max = ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	if (max > 0 && vm->cfg.nvcpus > max)
		return err__set(e, 0,
				"--vcpus: %d is above KVM's maximum of %d",
				vm->cfg.nvcpus, max);
	do
		vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	while (vm->vm_fd < 0 && errno == EINTR);
	if (vm->vm_fd < 0)
		return err__set(e, errno, "%s: KVM_CREATE_VM", KVM_DEVICE);
	vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (vm->run_size < (int)sizeof(struct kvm_run))
		return err__set(e, errno, "%s: KVM_GET_VCPU_MMAP_SIZE",
				KVM_DEVICE);
	return 0;
}

static int vm_memory(struct vm *vm, struct isolab_err *e)
{
	struct kvm_userspace_memory_region region;

	vm->mem = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED) {
		vm->mem = NULL;
		return err__set(e, errno, "--mem: cannot map %llu bytes",
				(unsigned long long)vm->mem_size);
	}
	region = (struct kvm_userspace_memory_region){
		.slot = 0,
		.guest_phys_addr = 0,
		.memory_size = vm->mem_size,
		.userspace_addr = (uintptr_t)vm->mem,
		/* KVM then write-protects the slot and records each page the
		 * guest writes: the mechanism of live migration's pre-copy. */
		.flags = vm->cfg.dirty_log ? KVM_MEM_LOG_DIRTY_PAGES : 0,
	};
	if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return err__set(e, errno, "KVM_SET_USER_MEMORY_REGION");
	return 0;
}

/* The mode an image starts in when --mode does not say. */
static int vm_default_mode(int kind)
{
	return kind == IMAGE_ELF64   ? MODE_LONG
	       : kind == IMAGE_ELF32 ? MODE_PROTECTED
				     : MODE_REAL;
}

static int vm_load(struct vm *vm, struct image *img, struct isolab_err *e)
{
	uint64_t stack_lo;

	if (vm->mode == MODE_REAL) {
		if (vm->nvcpus > LAYOUT_REAL_MAX_VCPUS)
			return err__set(e, 0,
					"--vcpus: real mode takes at "
					"most %d vCPUs",
					LAYOUT_REAL_MAX_VCPUS);
		stack_lo = vm->mem_size; /* real-mode stacks are below 4 KiB */
	} else {
		uint64_t stacks = LAYOUT_STACK_SIZE * (uint64_t)vm->nvcpus;

		if (stacks + LAYOUT_VMM_END >= vm->mem_size)
			return err__set(e, 0,
					"--mem: too small for %d boot "
					"stacks",
					vm->nvcpus);
		stack_lo = vm->mem_size - stacks;
	}
	if (loader__load(img, vm->cfg.image, vm->mem, vm->mem_size,
			 vm->cfg.load_addr, LAYOUT_VMM_START, LAYOUT_VMM_END,
			 stack_lo, e) < 0)
		return -1;
	vm->entry = img->entry;
	if (vm->mode == MODE_REAL && vm->entry > 0xffff)
		return err__set(e, 0,
				"%s: entry 0x%llx is beyond real mode's "
				"64 KiB code segment",
				vm->cfg.image, (unsigned long long)vm->entry);
	if (vm->mode == MODE_PROTECTED && vm->entry > 0xffffffffULL)
		return err__set(e, 0, "%s: entry above 4 GiB", vm->cfg.image);
	mode__build_tables(vm);
	return 0;
}

static int vm_devices(struct vm *vm, struct isolab_err *e)
{
	uart__init(&vm->uart, &vm->con, vm->cfg.input ? STDIN_FILENO : -1);
	if (bus__register(&vm->pio, PORT_COM1, 8, &uart_ops, &vm->uart, e) <
		    0 ||
	    debug_exit__register(vm, e) < 0 || null_port__register(vm, e) < 0 ||
	    mark__register(vm, e) < 0 || pvcon__register(vm, e) < 0 ||
	    bus__register(&vm->mmio, LAYOUT_MMIO_TIMER, LAYOUT_MMIO_TIMER_LEN,
			  &mmio_timer_ops, &vm->timer, e) < 0)
		return -1;
	return ioeventfd__register(vm, e);
}

static int vm_vcpu(struct vm *vm, int i, struct isolab_err *e)
{
	struct vcpu *v = &vm->vcpus[i];

	v->vm = vm;
	v->index = i;
	v->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, i);
	if (v->fd < 0)
		return err__set(e, errno, "vcpu %d: KVM_CREATE_VCPU", i);
	v->run = mmap(NULL, (size_t)vm->run_size, PROT_READ | PROT_WRITE,
		      MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		return err__set(e, errno, "vcpu %d: mmap kvm_run", i);
	}
	if (cpuid__setup(vm, v, e) < 0 || mode__setup_vcpu(vm, v, e) < 0)
		return -1;
	return 0;
}

struct vm *vm__create(const struct vm_config *cfg, struct isolab_err *e)
{
	struct vm *vm = calloc(1, sizeof(*vm));
	struct image img;
	int i;

	if (!vm) {
		err__set(e, ENOMEM, "vm");
		return NULL;
	}
	vm->cfg = *cfg;
	vm->kvm_fd = vm->vm_fd = vm->ioeventfd = -1;
	vm->mem_size = cfg->mem_size;
	vm->nvcpus = cfg->nvcpus;
	vm->pio.name = "pio";
	vm->mmio.name = "mmio";
	vm->t[PH_START] = cfg->t_start;
	pthread_mutex_init(&vm->lock, NULL);
	pthread_cond_init(&vm->done_cv, NULL);
	console__init(&vm->con, STDOUT_FILENO);
	vm->vcpus = calloc((size_t)vm->nvcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus) {
		err__set(e, ENOMEM, "vcpus");
		goto fail;
	}
	for (i = 0; i < vm->nvcpus; i++)
		vm->vcpus[i].fd = -1;
	/* The image first: a bad image is the user's mistake, reported
	 * whether or not this machine has KVM. */
	if (loader__open(&img, cfg->image, e) < 0)
		goto fail;
	vm->mode = cfg->mode >= 0 ? cfg->mode : vm_default_mode(img.kind);
	if (vm_open_kvm(vm, e) < 0)
		goto fail_img;
	vm->t[PH_VM] = timing__now_ns();
	if (vm_memory(vm, e) < 0 || vm_load(vm, &img, e) < 0 ||
	    vm_devices(vm, e) < 0)
		goto fail_img;
	loader__close(&img);
	vm->t[PH_MEMORY] = timing__now_ns();
	for (i = 0; i < vm->nvcpus; i++)
		if (vm_vcpu(vm, i, e) < 0)
			goto fail;
	vm->t[PH_VCPUS] = timing__now_ns();
	return vm;
fail_img:
	loader__close(&img);
fail:
	vm__destroy(vm);
	return NULL;
}

void vm__release(struct vm *vm)
{
	for (int i = 0; vm->vcpus && i < vm->nvcpus; i++) {
		if (vm->vcpus[i].run)
			munmap(vm->vcpus[i].run, (size_t)vm->run_size);
		if (vm->vcpus[i].fd >= 0)
			close(vm->vcpus[i].fd);
		vm->vcpus[i].run = NULL;
		vm->vcpus[i].fd = -1;
	}
	cpuid__release(vm);
	if (vm->mem)
		munmap(vm->mem, vm->mem_size);
	vm->mem = NULL;
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	ioeventfd__close(vm);
	if (vm->kvm_fd >= 0)
		close(vm->kvm_fd);
	vm->vm_fd = vm->kvm_fd = -1;
	vm->t[PH_TEARDOWN] = timing__now_ns();
}

void vm__destroy(struct vm *vm)
{
	if (!vm)
		return;
	vm__release(vm);
	free(vm->vcpus);
	console__fini(&vm->con);
	pthread_cond_destroy(&vm->done_cv);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}
