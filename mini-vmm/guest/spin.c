/*
 * spin.c - A runaway guest: an endless loop in ring 3 that never exits to
 * the VMM.  Only --timeout stops it (mini-vmm signals the vCPU thread out
 * of KVM_RUN and exits 124).
 */
#include "guest.h"

int main(void)
{
	guest_mark(MARK_READY);
	for (;;)
		__asm__ volatile("" ::: "memory");
}
