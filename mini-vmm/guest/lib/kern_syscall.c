/*
 * kern_syscall.c - The guest kernel's entry points from below: system
 * calls from ring 3 and exceptions.
 *
 * A system call is to this kernel what a hypercall is to the VMM: a
 * deliberate trap into the more privileged layer, with a number and
 * arguments in registers.  Faults report themselves on the console and
 * end the guest with exit value 64 + vector (so #UD, vector 6, makes
 * mini-vmm exit with status (70 << 1) | 1 = 141).
 */
#include "kern.h"

static const char *const vec_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "?",   "#TS", "#NP", "#SS", "#GP", "#PF", "?",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

static unsigned kern_cpu_index(void)
{
	uint64_t cpu;

	__asm__ volatile("movq %%gs:16, %0" : "=r"(cpu));
	return (unsigned)cpu;
}

/* User pointers must lie in user pages inside guest memory. */
static int kern_user_range(uint64_t p, uint64_t len)
{
	return p >= 0x200000 && len <= kern_bi->mem_size &&
	       p <= kern_bi->mem_size - len;
}

/* n repetitions of one operation in ring 0, timed with the TSC. */
static uint64_t kern_kloop(long kind, uint64_t n)
{
	uint64_t t0;
	uint32_t r[4];

	/* The doorbell is bound on request, as a virtio driver's queue
	 * setup makes the VMM bind its ioeventfd: one exit, untimed. */
	if (kind == KLOOP_OUT_IOEVENTFD)
		outb(PORT_IOEVENTFD_BIND, 1);
	t0 = rdtsc();

	for (uint64_t i = 0; i < n; i++) {
		switch (kind) {
		case KLOOP_CPUID: cpuid(0, r); break;
		case KLOOP_OUT_NULL: outb(PORT_NULL, 0); break;
		case KLOOP_OUT_IOEVENTFD: outb(PORT_IOEVENTFD, 0); break;
		default: __asm__ volatile("" ::: "memory");
		}
	}
	return rdtsc() - t0;
}

/* The sensitive instructions, executed here in ring 0. */
static void kern_probe(struct probe *p)
{
	uint32_t r[4];
	struct desc_ptr {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) g;

	cpuid(0x40000000, r);
	memcpy(p->sig, &r[1], 4);
	memcpy(p->sig + 4, &r[2], 4);
	memcpy(p->sig + 8, &r[3], 4);
	p->sig[12] = 0;
	__asm__ volatile("smsw %0" : "=r"(p->smsw));
	__asm__ volatile("sgdt %0" : "=m"(g));
	p->gdt_limit = g.limit;
	p->gdt_base = g.base;
	__asm__ volatile("str %0" : "=r"(p->tr));
	p->fault[0] = p->fault[1] = p->fault[2] = 0;
}

long kern_syscall(long nr, long a, long b, long c)
{
	(void)c;
	switch (nr) {
	case SYS_WRITE:
		if (!kern_user_range((uint64_t)a, (uint64_t)b))
			return -1;
		kern_console_write((const char *)a, (uint64_t)b);
		return b;
	case SYS_EXIT: kern_exit((int)a);
	case SYS_MARK: kern_mark((unsigned)a); return 0;
	case SYS_KLOOP: return (long)kern_kloop(a, (uint64_t)b);
	case SYS_FIXUP:
		kern_percpu[kern_cpu_index()].fixup_rip = (uint64_t)a;
		return 0;
	case SYS_GETC: return kern_console_getc();
	case SYS_SINK: return b;
	case SYS_INB: return inb((uint16_t)a);
	case SYS_TRIPLE_FAULT: {
		struct {
			uint16_t limit;
			uint64_t base;
		} __attribute__((packed)) none = {0, 0};

		__asm__ volatile("lidt %0\n\tint3" ::"m"(none));
		return -1; /* not reached */
	}
	case SYS_PROBE:
		if (!kern_user_range((uint64_t)a, sizeof(struct probe)))
			return -1;
		kern_probe((struct probe *)a);
		return 0;
	}
	return -1;
}

void kern_fault(struct kern_frame *f)
{
	struct kern_percpu *pc;
	uint64_t cr2;

	/* A fault in ring 3 where the application asked to resume. */
	if ((f->cs & 3) == 3) {
		pc = &kern_percpu[kern_cpu_index()];
		if (pc->fixup_rip) {
			f->rip = pc->fixup_rip;
			f->rax = f->vector;
			pc->fixup_rip = 0;
			return;
		}
	}
	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	kern_printf("guest: exception %s (vector %lu) in ring %lu at "
		    "rip=0x%lx error=0x%lx cr2=0x%lx\n",
		    f->vector < 32 && vec_names[f->vector]
			    ? vec_names[f->vector]
			    : "?",
		    f->vector, f->cs & 3, f->rip, f->error, cr2);
	kern_exit(64 + (int)f->vector);
}
