/*
 * kern_dev.c - The guest kernel's drivers: the console (a polled 16550A
 * driver, or mini-vmm's paravirtual console), exit and milestone marks.
 * Which console is used comes from boot_info.console (--console).
 *
 * The two consoles print the same text; the UART costs two exits per
 * byte (read LSR, write THR), the PV console one exit per string.
 */
#include "kern.h"

#define UART_THR (PORT_COM1 + 0)
#define UART_RBR (PORT_COM1 + 0)
#define UART_LSR (PORT_COM1 + 5)
#define LSR_THRE 0x20
#define LSR_DR	 0x01

static struct pv_req kern_req[KERN_MAX_CPUS] __attribute__((aligned(8)));

static unsigned kern_cpu(void)
{
	uint64_t cpu;

	__asm__ volatile("movq %%gs:16, %0" : "=r"(cpu)); /* percpu.cpu */
	return (unsigned)cpu;
}

/* One hypercall: the request's GPA (= its address: identity mapping) in
 * a 32-bit `out` to PORT_HYPERCALL. */
static long kern_hypercall(uint32_t nr, uint64_t arg, uint32_t len)
{
	struct pv_req *r = &kern_req[kern_cpu()];

	r->nr = nr;
	r->arg = arg;
	r->len = len;
	outl(PORT_HYPERCALL, (uint32_t)(uint64_t)r);
	return r->ret;
}

/* One writer at a time: without it, vCPUs printing together interleave
 * their bytes on the one UART. */
static volatile int console_lock;

void kern_console_write(const char *s, uint64_t len)
{
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		__asm__ volatile("pause");
	if (kern_bi->console == CONSOLE_PV) {
		kern_hypercall(PV_CONSOLE_WRITE, (uint64_t)s, (uint32_t)len);
	} else {
		for (uint64_t i = 0; i < len; i++) {
			while (!(inb(UART_LSR) & LSR_THRE))
				;
			outb(UART_THR, (uint8_t)s[i]);
		}
	}
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

/* The polled receive path: wait for LSR.DR (data ready), read RBR.  Each
 * poll of LSR is an exit; with nothing to read the CPU spins here. */
int kern_console_getc(void)
{
	while (!(inb(UART_LSR) & LSR_DR))
		__asm__ volatile("pause");
	return inb(UART_RBR);
}

void kern_exit(int status)
{
	if (status != 0) {
		if (kern_bi->console == CONSOLE_PV)
			kern_hypercall(PV_EXIT, (uint64_t)status, 0);
		else
			outb(PORT_DEBUG_EXIT, (uint8_t)status);
	}
	for (;;)
		__asm__ volatile("cli; hlt");
}

void kern_mark(unsigned id)
{
	outb(PORT_MARK, (uint8_t)id);
}

void kern_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	kern_console_write(buf, (uint64_t)n);
}
