/*
 * hello16.S - A real-mode guest: a flat binary at 0x1000 that prints
 * through the 16550A UART by polling LSR, as a BIOS-era program would,
 * then halts.  CS=0 and IP=0x1000 at entry (see mode.c).
 */
	.code16
	.text
	.globl _start
_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movb	$1, %al			/* MARK_ENTRY */
	movw	$0x512, %dx
	outb	%al, %dx
	movw	$msg, %si
next:
	lodsb
	testb	%al, %al
	jz	done
	movb	%al, %bl
	movw	$0x3fd, %dx		/* LSR */
wait:
	inb	%dx, %al
	testb	$0x20, %al		/* THRE: the transmitter takes a byte */
	jz	wait
	movb	%bl, %al
	movw	$0x3f8, %dx		/* THR */
	outb	%al, %dx
	jmp	next
done:
	movb	$4, %al			/* MARK_READY */
	movw	$0x512, %dx
	outb	%al, %dx
	hlt
	jmp	done
msg:
	.asciz	"Hello from real mode!\n"
