/*
 * sensitive.c - Popek and Goldberg, live.  A sensitive instruction reads
 * or changes state the VMM must control; the theorem says trap-and-emulate
 * works when every sensitive instruction is privileged, i.e. traps outside
 * ring 0.  x86 broke the rule (smsw, sgdt, str read system state from ring
 * 3 without trapping: Robin and Irvine, 2000).  This guest runs cpuid leaf
 * 0x40000000 (the hypervisor signature mini-vmm sets), smsw, sgdt and str
 * in ring 0 (through the kernel half) and in ring 3, and prints what each
 * ring sees.  On PVM, ring 3 runs on the real CPU, so ring-3 cpuid is not
 * intercepted and shows the outer hypervisor's signature; with UMIP on the
 * host, smsw/sgdt/str in ring 3 fault instead of leaking.
 */
#include "guest.h"

/* Run one ring-3 probe; a fault resumes at the label with RAX = vector. */
#define PROBE(insn, out, fault)                                                \
	do {                                                                   \
		long vec = 0;                                                  \
		__asm__ volatile("leaq 1f(%%rip), %%rdi\n\t"                   \
				 "movl $5, %%eax\n\t" /* SYS_FIXUP */          \
				 "int3\n\t"                                    \
				 "xorl %%eax, %%eax\n\t" insn "\n\t"           \
				 "movq %%rax, %%rdx\n\t" /* no fault */        \
				 "xorl %%edi, %%edi\n\t"                       \
				 "movl $5, %%eax\n\t"                          \
				 "int3\n\t"                                    \
				 "xorl %%eax, %%eax\n"                         \
				 "1:"                                          \
				 : "=a"(vec), "=m"(out)                        \
				 :                                             \
				 : "rdi", "rsi", "rdx", "rcx", "r8", "r9",     \
				   "r10", "r11", "memory", "cc");              \
		fault = (int)vec;                                              \
	} while (0)

static const char *vec_name(int v)
{
	return v == 13 ? "#GP" : v == 6 ? "#UD" : v == 14 ? "#PF" : "fault";
}

static void show(const char *ring, const struct probe *p)
{
	printf("%s cpuid 0x40000000: \"%s\"\n", ring, p->sig);
	if (p->fault[0])
		printf("%s smsw: trapped (%s)\n", ring, vec_name(p->fault[0]));
	else
		printf("%s smsw: 0x%lx\n", ring, p->smsw);
	if (p->fault[1])
		printf("%s sgdt: trapped (%s)\n", ring, vec_name(p->fault[1]));
	else
		printf("%s sgdt: base=0x%lx limit=0x%x\n", ring, p->gdt_base,
		       p->gdt_limit);
	if (p->fault[2])
		printf("%s str: trapped (%s)\n", ring, vec_name(p->fault[2]));
	else
		printf("%s str: 0x%x\n", ring, p->tr);
}

int main(void)
{
	struct probe k, u;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) g = {0, 0};
	uint32_t r[4];

	memset(&k, 0, sizeof(k));
	memset(&u, 0, sizeof(u));
	syscall3(SYS_PROBE, (long)&k, 0, 0);
	cpuid(0x40000000, r);
	memcpy(u.sig, &r[1], 4);
	memcpy(u.sig + 4, &r[2], 4);
	memcpy(u.sig + 8, &r[3], 4);
	for (int i = 0; i < 12; i++)
		if (u.sig[i] < 0x20 || u.sig[i] > 0x7e)
			u.sig[i] = '.';
	PROBE("smsw %%rax\n\tmovq %%rax, %1", u.smsw, u.fault[0]);
	PROBE("sgdt %1", g, u.fault[1]);
	u.gdt_limit = g.limit;
	u.gdt_base = g.base;
	PROBE("str %%ax\n\tmovw %%ax, %1", u.tr, u.fault[2]);
	show("ring0", &k);
	show("ring3", &u);
	printf("sensitive: ring 3 %s the hypervisor signature\n",
	       memcmp(u.sig, k.sig, 12) == 0 ? "sees" : "does not see");
	return 0;
}
