/*
 * triple16.S - A real-mode triple fault: an IDT of limit 0, then int3.
 * On VT-x/AMD-V KVM reports KVM_EXIT_SHUTDOWN; on PVM the vCPU may loop
 * inside KVM_RUN instead, and only --timeout (a signal to the vCPU thread
 * plus kvm_run->immediate_exit) brings it back: mini-vmm exits 4 or 124.
 */
	.code16
	.text
	.globl _start
_start:
	cli
	lidt	idt0
	int3
	hlt
idt0:
	.word	0
	.long	0
