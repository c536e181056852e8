/*
 * kern_main.c - The guest kernel half: from the VMM's long-mode entry to
 * the application in ring 3.
 *
 * This is the ring deprivileging of the lecture done by a guest OS: the
 * kernel keeps ring 0 and the supervisor-only pages, the application gets
 * ring 3 and user pages, and the only way back in is a system call (an
 * `int3` through the IDT) or a fault.  On PVM, ring 0 is emulated instruction
 * by instruction and ring 3 runs natively, so this file is kept short and runs
 * once per vCPU.
 *
 *   kern_gdt        kernel and user segments, one TSS descriptor per CPU
 *   kern_tss        one TSS per CPU, rsp0 = its kernel stack
 *   kern_idt        IDT: the 32 exception vectors -> kern_fault(), vector 3
 *                   (int3, DPL 3) -> the system call
 *   kern_pml4       identity page tables, first 2 MiB supervisor-only
 *                   (all four: data in kern_start.S, built by the assembler
 *                   and the linker, not by loops, since PVM emulates every
 *                   ring-0 instruction)
 *   kern_cpu_init   loads them on each CPU (kern_start.S says why the
 *                   system call is `int3`, not `syscall`, under PVM)
 *   kern_main       per CPU: stacks, tables, the mark, the drop to ring 3
 */
#include "kern.h"

/* Selectors of the GDT (kern_start.S, data).  The user ones are Linux's
 * (arch/x86/include/asm/segment.h): PVM runs guest ring 3 natively with
 * the host's own user selectors, __USER_DS 0x2b and __USER_CS 0x33, so the
 * guest's must be the same.  The kernel's code and data are where the
 * VMM's boot GDT has them (GDT_CODE64 0x18, GDT_DATA 0x10 in layout.h):
 * CS, DS, ES and SS as the VMM loaded them already name our descriptors,
 * so switching GDTs needs no far return and no segment loads. */
#define SEL_TSS 0x38 /* + 16 * cpu: 16-byte system descriptors */

#define MSR_KERNEL_GS_BASE 0xc0000102

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* kern_start.S: the tables as data, with the lgdt/lidt operands that
 * point to them, since every ring-0 instruction is emulated on PVM. */
extern const struct desc_ptr kern_gdtr, kern_idtr;
extern uint64_t kern_pml4[512];
static volatile int tables_ready; /* CPU 0 filled user_bi */

struct kern_percpu kern_percpu[KERN_MAX_CPUS];
const struct boot_info *kern_bi;

/* Load this CPU's tables: GDT (and this CPU's TSS, whose rsp0 is its
 * kernel stack; the code and data segments need no reload, see above),
 * IDT, the page tables with user pages, and the per-CPU block swapgs
 * brings in.  GS.base itself is already 0: the VMM's flat data segment
 * (mode.c). */
static void kern_cpu_init(unsigned cpu)
{
	__asm__ volatile("lgdt %0\n\t"
			 "ltr %w1\n\t"
			 "lidt %2\n\t"
			 "mov %3, %%cr3"
			 :
			 : "m"(kern_gdtr), "r"(SEL_TSS + 16 * cpu),
			   "m"(kern_idtr), "r"(kern_pml4)
			 : "memory");
	kern_wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)&kern_percpu[cpu]);
}

void kern_main(uint64_t cpu, const struct boot_info *bi)
{
	struct kern_percpu *pc = &kern_percpu[cpu];

	pc->cpu = cpu;
	if (cpu == 0) {
		kern_bi = bi;
		/* Word by word, unrolled: a struct copy would call the
		 * byte-loop memcpy, and every ring-0 instruction is emulated
		 * on PVM (a loop's counter and branch included). */
#pragma GCC unroll 8
		for (unsigned i = 0; i < sizeof(*bi) / 8; i++)
			((uint64_t *)&user_bi)[i] = ((const uint64_t *)bi)[i];
		/* vCPUs past KERN_MAX_CPUS halt in _start: not counted. */
		if (user_bi.nvcpus > KERN_MAX_CPUS)
			user_bi.nvcpus = KERN_MAX_CPUS;
		__atomic_store_n(&tables_ready, 1, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&tables_ready, __ATOMIC_ACQUIRE))
			__asm__ volatile("pause");
	}
	kern_cpu_init((unsigned)cpu);
	kern_mark(MARK_KERNEL);
	/* Ring 3, IOPL 3 (honoured on VT-x/AMD-V, not on PVM: exits.c).  The
	 * stack starts 8 bytes below a 16-byte boundary, as after a `call`:
	 * the ABI's alignment, which SSE stores to the stack rely on. */
	kern_enter_user((uint64_t)user_start,
			(uint64_t)user_stacks + USTACK_SIZE * (cpu + 1) - 8,
			0x3002, cpu);
}
