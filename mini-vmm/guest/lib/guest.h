/*
 * guest.h - The guest library's API for applications (ring 3).
 *
 * A guest application is `int main(void)` in one C file, linked with this
 * library.  The library's kernel half (kern_*.c, ring 0) boots, sets up
 * the GDT, TSS, IDT, paging and the system call gate, and drops to ring 3 to
 * call main(); main's return value is the exit status.  Everything that needs
 * a device goes through a system call into the kernel half, which turns
 * it into port I/O on the UART or a hypercall (--console pv).
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"

/* System calls: `int3` with the number in RAX, arguments in RDI, RSI,
 * RDX; result in RAX. */
#define SYS_WRITE	 1 /* (buf, len): console output */
#define SYS_EXIT	 2 /* (status): 0 halts this vCPU, else isa-debug-exit */
#define SYS_MARK	 3 /* (id): milestone on the mark port */
#define SYS_KLOOP	 4 /* (kind, n): run n ops in ring 0, returns TSC cycles */
#define SYS_FIXUP	 5 /* (rip): resume there at the next ring-3 fault */
#define SYS_PROBE	 6 /* (struct probe *): sensitive instructions in ring 0 */
#define SYS_TRIPLE_FAULT 7  /* (): empty IDT, then int3: the CPU shuts down */
#define SYS_INB		 8  /* (port): a byte read from a port, in ring 0 */
#define SYS_SINK	 9  /* (buf, len): the guest's /dev/null, no I/O */
#define SYS_GETC	 10 /* (): next byte from the UART (polled), blocks */

/* What SYS_KLOOP repeats in ring 0. */
#define KLOOP_NOP	    0 /* the loop alone: ring-0 instruction cost */
#define KLOOP_CPUID	    1
#define KLOOP_OUT_NULL	    2
#define KLOOP_OUT_IOEVENTFD 3

/* Sensitive instructions' results (sensitive guest). */
struct probe {
	char sig[13];  /* cpuid 0x40000000 EBX ECX EDX */
	uint64_t smsw; /* machine status word (CR0 low 16 bits) */
	uint16_t gdt_limit;
	uint64_t gdt_base;
	uint16_t tr;  /* task register selector */
	int fault[3]; /* vector of a fault taken by smsw, sgdt, str, or 0 */
};

/* This vCPU's index and the VM's description (read-only copy). */
unsigned guest_cpu(void);
const struct boot_info *guest_boot_info(void);

/* The application. */
int main(void);

long syscall3(long nr, long a, long b, long c);
void guest_write(const void *buf, size_t len);
void guest_exit(int status) __attribute__((noreturn));
void guest_mark(unsigned id);
uint64_t guest_kloop(int kind, uint64_t n);

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int snprintf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}

static inline uint64_t mmio_read64(uint64_t addr)
{
	return *(volatile uint64_t *)(uintptr_t)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)addr = v;
}

#endif
