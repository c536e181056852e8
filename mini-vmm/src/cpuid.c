/*
 * cpuid.c - What `cpuid` tells the guest.  KVM answers cpuid in the kernel
 * from a table the VMM sets with KVM_SET_CPUID2; we start from what KVM
 * supports (KVM_GET_SUPPORTED_CPUID) and put mini-vmm's signature in the
 * hypervisor leaf 0x40000000 (EBX, ECX, EDX), where KVM puts "KVMKVMKVM"
 * and Xen "XenVMMXenVMM".  The table must be set before long mode: KVM
 * refuses EFER.LME unless the guest's CPUID advertises long mode.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm.h"

#define CPUID_MAX_ENTRIES 256

int cpuid__setup(struct vm *vm, struct vcpu *v, struct isolab_err *e)
{
	static const char sig[] = CPUID_SIGNATURE;
	struct kvm_cpuid2 *c;
	int rc = -1;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES *
					   sizeof(struct kvm_cpuid_entry2));
	if (!c)
		return err__set(e, ENOMEM, "cpuid table");
	c->nent = CPUID_MAX_ENTRIES;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		err__set(e, errno, "KVM_GET_SUPPORTED_CPUID");
		goto out;
	}
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *en = &c->entries[i];

		if (en->function == 0x40000000) {
			memcpy(&en->ebx, sig, 4);
			memcpy(&en->ecx, &sig[4], 4);
			memcpy(&en->edx, &sig[8], 4);
		} else if (en->function == 1) {
			/* The initial APIC id: which vCPU asked. */
			en->ebx = (en->ebx & 0x00ffffffU) |
				  ((uint32_t)v->index << 24);
		}
	}
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0) {
		err__set(e, errno, "KVM_SET_CPUID2");
		goto out;
	}
	rc = 0;
out:
	free(c);
	return rc;
}
