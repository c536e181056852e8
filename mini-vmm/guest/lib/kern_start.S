/*
 * kern_start.S - The guest's first instructions and its ring transitions.
 *
 * _start: mini-vmm enters here in long mode on every vCPU with RDI = the
 * vCPU's index and RSI = &boot_info (mini-vmm/src/mode.c).  We move to
 * this CPU's kernel stack and call kern_main().
 *
 * kern_enter_user: the first drop to ring 3, with iretq.
 * kern_syscall_entry: where a system call (`int3`) from ring 3 lands.
 * kern_vectors: the 32 exception entry points the IDT points to.
 */
#define KSTACK_SIZE   16384
#define KERN_MAX_CPUS 8
#define TSS_SIZE      104

	.text
	.globl _start
_start:
	movb	$1, %al			/* MARK_ENTRY */
	movw	$0x512, %dx
	outb	%al, %dx
	cmpq	$8, %rdi		/* KERN_MAX_CPUS */
	jae	1f
	leaq	kern_stacks(%rip), %rsp
	movq	%rdi, %rax
	incq	%rax
	imulq	$KSTACK_SIZE, %rax
	addq	%rax, %rsp
	call	kern_main
1:	cli
	hlt
	jmp	1b

/* void kern_enter_user(uint64_t rip, uint64_t rsp, uint64_t rflags,
 * uint64_t cpu): an iretq frame for ring 3 (SS, RSP, RFLAGS, CS, RIP);
 * the user half gets the CPU index in RDI. */
	.globl kern_enter_user
kern_enter_user:
	pushq	$0x2b			/* user data, RPL 3 */
	pushq	%rsi
	pushq	%rdx
	pushq	$0x33			/* user code 64, RPL 3 */
	pushq	%rdi
	movq	%rcx, %rdi
	swapgs				/* GS.base <-> KERNEL_GS_BASE (percpu) */
	iretq

/* The system call gate: the application executes `int3` (a one-byte
 * software interrupt, vector 3, whose IDT gate has DPL 3); the CPU
 * switches to this CPU's kernel stack (TSS.rsp0) and pushes SS, RSP,
 * RFLAGS, CS, RIP.  Number in RAX, arguments in RDI, RSI, RDX; the result
 * goes back in RAX.  swapgs makes GS point at this CPU's kern_percpu.
 *
 * Why not `syscall` or `int $0x80`: under KVM's PVM backend guest ring 3
 * runs natively on the host's ring 3, so those instructions meet the
 * host's MSR_LSTAR and IDT first.  PVM hands `syscall` to a guest only
 * through its paravirtual event ABI (MSR_PVM_VCPU_STRUCT and
 * MSR_PVM_EVENT_ENTRY): a classic kernel sees its LSTAR entry run in ring
 * 3 and fault.  `int $0x80` comes back as #UD.  Exceptions, #BP included,
 * are reflected to the guest's IDT on every backend, so the library
 * traps with int3: measured on this machine, documented in the README. */
	.globl kern_syscall_entry
kern_syscall_entry:
	/* No registers saved: the caller (syscall3 in user.c) declares every
	 * caller-saved register clobbered, as the SysV ABI lets a call do.
	 * Each instruction here is emulated on PVM, so fewer is faster. */
	swapgs
	movq	%rdx, %rcx
	movq	%rsi, %rdx
	movq	%rdi, %rsi
	movq	%rax, %rdi
	call	kern_syscall
	swapgs
	iretq

/* Exceptions: each stub pushes a dummy error code when the CPU does not,
 * then the vector, and jumps to the common path, which saves the
 * registers as a struct kern_frame and calls kern_fault(). */
.macro VEC n
	.align 16
	.if (\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21)
	.else
	pushq	$0
	.endif
	pushq	$\n
	jmp	kern_fault_common
.endm

	.align 16
	.globl kern_vectors
kern_vectors:
	.irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	VEC \n
	.endr

kern_fault_common:
	testb	$3, 24(%rsp)		/* CS of the interrupted code */
	jz	1f
	swapgs
1:	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	movq	%rsp, %rdi
	call	kern_fault
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	testb	$3, 24(%rsp)
	jz	2f
	swapgs
2:	addq	$16, %rsp		/* vector and error code */
	iretq

/* The kernel's page tables, built by the assembler rather than by a loop
 * at boot: on PVM every ring-0 instruction is emulated (about 0.7 us), and
 * filling 2048 entries at run time cost tens of milliseconds.  Identity
 * map of 0-4 GiB in 2 MiB pages; the first page (the VMM's area and this
 * kernel) is supervisor-only, all others are user pages (U bit, 0x4). */
	.section .data
	.align 4096
	.globl kern_pml4
kern_pml4:
	.quad	kern_pdpt + 0x7
	.fill	511, 8, 0
kern_pdpt:
	.quad	kern_pd + 0x7, kern_pd + 0x1007, kern_pd + 0x2007, kern_pd + 0x3007
	.fill	508, 8, 0
kern_pd:
	.quad	0x83			/* P RW PS, no U */
	.set	addr, 0x200000
	.rept	2047
	.quad	addr | 0x87		/* P RW U PS */
	.set	addr, addr + 0x200000
	.endr

/* The IDT, GDT and TSSs, also as data.  A gate or a TSS descriptor holds
 * an address in pieces; the kernel's text and data lie in
 * 0x100000-0x10ffff, so the pieces are (addr - 0x100000), 0x10 and 0.  The
 * linker refuses the 16-bit relocation if they ever outgrow that (guest.ld
 * asserts it too).
 *
 * IDT: 32 interrupt gates (present, selector 0x18: kernel code), vector 3
 * with DPL 3 (the system call) and the rest DPL 0. */
	.align	16
	.globl	kern_idt
kern_idt:
	.set	n, 0
	.rept	32
	.if	n == 3
	.word	kern_syscall_entry - 0x100000, 0x18
	.byte	0, 0xee
	.else
	.word	kern_vectors + 16 * n - 0x100000, 0x18
	.byte	0, 0x8e
	.endif
	.word	0x0010
	.long	0, 0
	.set	n, n + 1
	.endr
kern_idt_end:

/* A code or data descriptor (Intel SDM 3A, 3.4.5): base 0, limit 0xfffff;
 * access is the P DPL S type byte, flags the G D/B L AVL nibble. */
.macro SEG access, flags
	.quad	0xffff | (0xf << 48) | (\access << 40) | (\flags << 52)
.endm

/* GDT: the kernel's code and data where the VMM's boot GDT has them
 * (layout.h: GDT_DATA 0x10, GDT_CODE64 0x18), so the selectors the VMM
 * loaded stay valid across lgdt and are not reloaded; the user segments
 * where Linux has them (kern_main.c says why); then one 16-byte TSS
 * descriptor per CPU at 0x38 + 16 * cpu: a 64-bit available TSS (type 9),
 * present, limit 103. */
	.align	16
	.globl	kern_gdt
kern_gdt:
	.quad	0			/* 0x00 null */
	.quad	0			/* 0x08 unused (the VMM's 32-bit code) */
	SEG	0x93, 0xc		/* 0x10 ring 0 data */
	SEG	0x9b, 0xa		/* 0x18 ring 0 code, long */
	SEG	0xfb, 0xc		/* 0x20 ring 3 code, 32-bit (unused) */
	SEG	0xf3, 0xc		/* 0x28 ring 3 data */
	SEG	0xfb, 0xa		/* 0x30 ring 3 code, long */
	.set	n, 0
	.rept	KERN_MAX_CPUS
	.word	TSS_SIZE - 1, kern_tss + TSS_SIZE * n - 0x100000
	.byte	0x10, 0x89, 0, 0
	.long	0, 0
	.set	n, n + 1
	.endr
kern_gdt_end:

/* One TSS per CPU (SDM 3A, 8.7): only rsp0 matters, the stack the CPU
 * switches to on a trap from ring 3; no I/O bitmap (its offset is the
 * TSS's size). */
	.align	16
kern_tss:
	.set	n, 0
	.rept	KERN_MAX_CPUS
	.long	0
	.quad	kern_stacks + KSTACK_SIZE * (n + 1), 0, 0	/* rsp0-2 */
	.quad	0, 0, 0, 0, 0, 0, 0, 0, 0			/* ist */
	.word	0, TSS_SIZE					/* iomap */
	.set	n, n + 1
	.endr

/* The operands of lgdt and lidt: limit, base. */
	.align	16
	.globl	kern_gdtr, kern_idtr
kern_gdtr:
	.word	kern_gdt_end - kern_gdt - 1
	.quad	kern_gdt
kern_idtr:
	.word	kern_idt_end - kern_idt - 1
	.quad	kern_idt

	.section .bss
	.align 4096
	.globl kern_stacks
kern_stacks:
	.space KSTACK_SIZE * 8
	.section .note.GNU-stack,"",@progbits
