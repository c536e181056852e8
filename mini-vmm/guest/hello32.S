/*
 * hello32.S - A protected-mode guest: an ELF32 entered with flat 4 GiB
 * segments and paging off (see mode.c); prints through the UART and
 * exits through isa-debug-exit with value 0 (status 1).
 */
	.code32
	.text
	.globl _start
_start:
	movl	$msg, %esi
1:	lodsb
	testb	%al, %al
	jz	2f
	movw	$0x3f8, %dx
	outb	%al, %dx
	jmp	1b
2:	xorl	%eax, %eax
	movw	$0xf4, %dx
	outb	%al, %dx
	hlt
msg:
	.asciz	"Hello from protected mode!\n"
