/*
 * ud2.S - The first instruction is ud2, with no IDT set up (mini-vmm
 * leaves IDTR at base 0, limit 0xffff, over zeroed memory: no present
 * gate).  #UD cannot be delivered, nor #NP/#GP, nor #DF: triple fault.
 * mini-vmm must report it and exit 4, not crash.
 */
	.text
	.globl _start
_start:
	ud2
	.section .note.GNU-stack,"",@progbits
