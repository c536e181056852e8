/*
 * tripfault.c - A triple fault from the kernel half: an empty IDT, then
 * a breakpoint.  The CPU cannot deliver #BP, nor the #GP that follows,
 * nor the double fault: it shuts down, and KVM reports KVM_EXIT_SHUTDOWN
 * (mini-vmm: register dump, exit status 4).  PVM, which emulates ring 0,
 * gives up earlier with KVM_EXIT_INTERNAL_ERROR (status 6).  The application
 * asks the kernel half for it with SYS_TRIPLE_FAULT.
 */
#include "guest.h"

int main(void)
{
	return syscall3(SYS_TRIPLE_FAULT, 0, 0, 0) == 0 ? 0 : 5;
}
