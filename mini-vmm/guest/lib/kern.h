/*
 * kern.h - Inside the guest library's kernel half (ring 0).
 */
#ifndef KERN_H
#define KERN_H

#include <stdint.h>

#include "guest.h"

#define KERN_MAX_CPUS  8
#define KSTACK_SIZE    16384
#define SYSCALL_VECTOR 3 /* #BP: int3 is the system call (kern_start.S) */

/* Registers saved by kern_fault_common (kern_start.S), lowest address
 * first. */
struct kern_frame {
	uint64_t r11, r10, r9, r8, rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* What GS points to in the kernel (swapgs). */
struct kern_percpu {
	uint64_t kstack_top; /* unused: the stack is the TSS's rsp0 */
	uint64_t user_rsp;   /* unused */
	uint64_t cpu;	     /* offset 16: read as %gs:16 */
	uint64_t fixup_rip;  /* SYS_FIXUP */
};

extern struct kern_percpu kern_percpu[KERN_MAX_CPUS];
extern const struct boot_info *kern_bi;

void kern_main(uint64_t cpu, const struct boot_info *bi);
long kern_syscall(long nr, long a, long b, long c);
void kern_fault(struct kern_frame *f);
void kern_enter_user(uint64_t rip, uint64_t rsp, uint64_t rflags, uint64_t cpu)
	__attribute__((noreturn));
void kern_syscall_entry(void);
extern char kern_vectors[];
extern char kern_stacks[];

/* Devices (kern_dev.c). */
void kern_console_write(const char *s, uint64_t len);
int kern_console_getc(void);
void kern_exit(int status) __attribute__((noreturn));
void kern_mark(unsigned id);
void kern_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The user half's entry, in user pages (user.c). */
void user_start(unsigned cpu) __attribute__((noreturn));
extern struct boot_info user_bi; /* the kernel fills it for ring 3 */
extern char user_stacks[];
#define USTACK_SIZE 65536

static inline void kern_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)));
}

static inline uint64_t kern_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

#endif
