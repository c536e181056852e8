/*
 * start32.S - The library's startup for protected mode (ELF32 guests):
 * mini-vmm enters at _start with flat 32-bit segments, paging off, ESP on
 * this vCPU's boot stack, EDI = vCPU index, ESI = &boot_info (mode.c).
 * There are no rings here: the whole guest runs in ring 0, as a
 * protected-mode unikernel or a boot loader would.
 */
	.code32
	.text
	.globl _start
_start:
	movb	$1, %al			/* MARK_ENTRY */
	movw	$0x512, %dx
	outb	%al, %dx
	movl	%esi, flat32_bi
	andl	$-16, %esp		/* the i386 ABI wants 16 at a call */
	call	flat32_main
1:	cli
	hlt
	jmp	1b
	.section .note.GNU-stack,"",@progbits
