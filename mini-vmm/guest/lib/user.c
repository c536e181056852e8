/*
 * user.c - The user half's start and its system call wrappers (ring 3).
 *
 * user_start() is where the kernel half's iretq lands: run main(), exit
 * with its value.  Everything else here is a
 * `syscall` into the kernel half (kern_syscall.c).
 */
#include "guest.h"

#define USTACK_SIZE 65536
#define MAX_CPUS    8

char user_stacks[USTACK_SIZE * MAX_CPUS] __attribute__((aligned(4096)));
struct boot_info user_bi;
static unsigned user_cpu[MAX_CPUS]; /* indexed by stack: see guest_cpu() */

long syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int3"
			 : "=a"(ret), "+D"(a), "+S"(b), "+d"(c)
			 : "a"(nr)
			 : "rcx", "r8", "r9", "r10", "r11", "memory", "cc");
	return ret;
}

/* The CPU index, from which user stack we are on. */
unsigned guest_cpu(void)
{
	char here;
	uint64_t off = (uint64_t)&here - (uint64_t)user_stacks;

	return user_cpu[off / USTACK_SIZE];
}

const struct boot_info *guest_boot_info(void)
{
	return &user_bi;
}

void guest_write(const void *buf, size_t len)
{
	syscall3(SYS_WRITE, (long)buf, (long)len, 0);
}

void guest_exit(int status)
{
	for (;;)
		syscall3(SYS_EXIT, status, 0, 0);
}

void guest_mark(unsigned id)
{
	syscall3(SYS_MARK, id, 0, 0);
}

uint64_t guest_kloop(int kind, uint64_t n)
{
	return (uint64_t)syscall3(SYS_KLOOP, kind, (long)n, 0);
}

/* No MARK_USER here: the kernel's MARK_KERNEL comes right before the iretq
 * to this function, and a mark from ring 3 is a system call, a trap into
 * the emulated ring 0 and back (about 80 us on PVM) that would delay the
 * application's own first line, its "ready" mark, by as much. */
void user_start(unsigned cpu)
{
	user_cpu[cpu] = cpu;
	guest_exit(main());
}
