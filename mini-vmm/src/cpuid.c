/*
 * cpuid.c - What `cpuid` tells the guest.  KVM answers cpuid in the kernel
 * from a table the VMM sets with KVM_SET_CPUID2; we start from what KVM
 * supports (KVM_GET_SUPPORTED_CPUID) and put mini-vmm's signature in the
 * hypervisor leaf 0x40000000 (EBX, ECX, EDX), where KVM puts "KVMKVMKVM"
 * and Xen "XenVMMXenVMM".  The table must be set before long mode: KVM
 * refuses EFER.LME unless the guest's CPUID advertises long mode.
 *
 * KVM_GET_SUPPORTED_CPUID is the dearest ioctl of a VM's start here (about
 * 0.4 ms under strace -T, more than KVM_CREATE_VM): KVM runs the host's
 * `cpuid` for every leaf and subleaf it reports, and on a host that is
 * itself a VM each one traps to the outer hypervisor.  So it is asked
 * once per VM, not once per vCPU.  Asking it on a second thread while the
 * main thread created the VM did not pay here: the two cores are shared
 * and the main thread's ioctls slowed down by as much (README).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm.h"

#define CPUID_MAX_ENTRIES 256

/* Ask KVM for its CPUID table, into vm->cpuid, with our signature.
 * Returns 0 or -1. */
static int cpuid_query(struct vm *vm, struct isolab_err *e)
{
	static const char sig[] = CPUID_SIGNATURE;
	struct kvm_cpuid2 *c;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES *
					   sizeof(struct kvm_cpuid_entry2));
	if (!c)
		return err__set(e, ENOMEM, "cpuid table");
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		err__set(e, errno, "KVM_GET_SUPPORTED_CPUID");
		free(c);
		return -1;
	}
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *en = &c->entries[i];

		if (en->function == 0x40000000) {
			memcpy(&en->ebx, sig, 4);
			memcpy(&en->ecx, &sig[4], 4);
			memcpy(&en->edx, &sig[8], 4);
		}
	}
	vm->cpuid = c;
	return 0;
}

int cpuid__setup(struct vm *vm, struct vcpu *v, struct isolab_err *e)
{
	struct kvm_cpuid2 *c;

	if (!vm->cpuid && cpuid_query(vm, e) < 0)
		return -1;
	c = vm->cpuid;
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *en = &c->entries[i];

		/* The initial APIC id: which vCPU asked.  KVM copies the
		 * table, so the next vCPU's index can overwrite this one. */
		if (en->function == 1)
			en->ebx = (en->ebx & 0x00ffffffU) |
				  ((uint32_t)v->index << 24);
	}
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		return err__set(e, errno, "KVM_SET_CPUID2");
	return 0;
}

void cpuid__release(struct vm *vm)
{
	free(vm->cpuid);
	vm->cpuid = NULL;
}
