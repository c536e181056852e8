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
 *   gdt             kernel and user segments (data), one TSS per CPU
 *   kern_idt        IDT: the 32 exception vectors -> kern_fault(), vector 3
 *                   (int3, DPL 3) -> the system call (kern_start.S, data)
 *   kern_pml4       identity page tables, first 2 MiB supervisor-only
 *                   (kern_start.S: data, not a loop, since PVM emulates
 *                   every ring-0 instruction)
 *   kern_cpu_init   loads them on each CPU (kern_start.S says why the
 *                   system call is `int3`, not `syscall`, under PVM)
 *   kern_main       per CPU: stacks, tables, the mark, the drop to ring 3
 */
#include "kern.h"

/* GDT layout: Linux's (arch/x86/include/asm/segment.h).  PVM runs guest
 * ring 3 natively with the host's own user selectors, __USER_DS 0x2b and
 * __USER_CS 0x33, so the guest's must be the same. */
#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE32 0x20 /* 32-bit user code, unused: keeps Linux's order */
#define SEL_UDATA   0x28
#define SEL_UCODE   0x30
#define SEL_TSS	    0x38 /* + 16 * cpu: 16-byte system descriptors */

#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

struct tss {
	uint32_t reserved0;
	uint64_t rsp0, rsp1, rsp2;
	uint64_t reserved1, ist[7], reserved2;
	uint16_t reserved3, iomap_base;
} __attribute__((packed));

/* access: P DPL S type; flags: G D/B L AVL (Intel SDM 3A, 3.4.5).  A
 * constant, so the GDT is data in the image, not code run at boot. */
#define SEG(access, flags)                                                     \
	(0xffffULL | (0xfULL << 48) | ((uint64_t)(access) << 40) |             \
	 ((uint64_t)(flags) << 52))

static uint64_t gdt[7 + 2 * KERN_MAX_CPUS] __attribute__((aligned(16))) = {
	[SEL_KCODE / 8] = SEG(0x9b, 0xa),   /* ring 0 code, long */
	[SEL_KDATA / 8] = SEG(0x93, 0xc),   /* ring 0 data */
	[SEL_UCODE32 / 8] = SEG(0xfb, 0xc), /* ring 3 code, 32-bit */
	[SEL_UDATA / 8] = SEG(0xf3, 0xc),   /* ring 3 data */
	[SEL_UCODE / 8] = SEG(0xfb, 0xa),   /* ring 3 code, long */
};
static struct tss tss[KERN_MAX_CPUS] __attribute__((aligned(16)));
extern uint8_t kern_idt[32 * 16]; /* kern_start.S: data, not a loop */
extern uint64_t kern_pml4[512];	  /* kern_start.S: built by the assembler */
static volatile int tables_ready; /* CPU 0 filled user_bi */

struct kern_percpu kern_percpu[KERN_MAX_CPUS];
const struct boot_info *kern_bi;

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* This CPU's TSS descriptor: a 64-bit available TSS (type 9), present. */
static void kern_tss_desc(unsigned cpu)
{
	uint64_t base = (uint64_t)&tss[cpu], limit = sizeof(tss[cpu]) - 1;

	gdt[SEL_TSS / 8 + 2 * cpu] =
		(limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		((base >> 24 & 0xff) << 56);
	gdt[SEL_TSS / 8 + 2 * cpu + 1] = base >> 32;
}

static void kern_gdt_load(unsigned cpu)
{
	struct desc_ptr p = {sizeof(gdt) - 1, (uint64_t)gdt};

	kern_tss_desc(cpu);
	tss[cpu].rsp0 = kern_percpu[cpu].kstack_top;
	tss[cpu].iomap_base = sizeof(struct tss); /* no I/O bitmap */
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(p), "i"(SEL_KCODE), "i"(SEL_KDATA),
			   "r"(SEL_TSS + 16 * cpu)
			 : "rax", "memory");
}

static void kern_cpu_init(unsigned cpu)
{
	struct desc_ptr ip = {sizeof(kern_idt) - 1, (uint64_t)kern_idt};

	kern_gdt_load(cpu);
	__asm__ volatile("lidt %0" ::"m"(ip));
	__asm__ volatile("mov %0, %%cr3" ::"r"(kern_pml4) : "memory");
	/* In the kernel GS is 0 until swapgs; percpu waits in KERNEL_GS. */
	kern_wrmsr(MSR_GS_BASE, 0);
	kern_wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)&kern_percpu[cpu]);
}

void kern_main(uint64_t cpu, const struct boot_info *bi)
{
	struct kern_percpu *pc = &kern_percpu[cpu];

	pc->cpu = cpu;
	pc->kstack_top = (uint64_t)kern_stacks + KSTACK_SIZE * (cpu + 1);
	if (cpu == 0) {
		kern_bi = bi;
		/* Word by word: a struct copy would call the byte-loop memcpy,
		 * and every ring-0 instruction is emulated on PVM. */
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
