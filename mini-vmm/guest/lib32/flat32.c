/*
 * flat32.c - The guest library's calls for protected mode, without the
 * kernel/user split of long mode (kern_*.c): everything runs in ring 0,
 * so console, exit and marks are port I/O straight from the application.
 * printf.c and string.c are the same sources as in long mode (guest/lib/),
 * built -m32.
 */
#include "guest.h"

#define UART_THR (PORT_COM1 + 0)
#define UART_LSR (PORT_COM1 + 5)
#define LSR_THRE 0x20

uint32_t flat32_bi;
/* One request block per vCPU: they may print at the same time. */
static struct pv_req flat32_req[8] __attribute__((aligned(8)));

/* The initial APIC id, which mini-vmm sets to the vCPU index (cpuid.c):
 * with no per-CPU segment in this mode, cpuid is how a vCPU knows itself. */
unsigned guest_cpu(void)
{
	uint32_t r[4];

	cpuid(1, r);
	return r[1] >> 24;
}

const struct boot_info *guest_boot_info(void)
{
	return (const struct boot_info *)flat32_bi;
}

void guest_write(const void *buf, size_t len)
{
	const char *s = buf;

	if (guest_boot_info()->console == CONSOLE_PV) {
		struct pv_req *r = &flat32_req[guest_cpu() & 7];

		r->nr = PV_CONSOLE_WRITE;
		r->arg = (uint32_t)s;
		r->len = len;
		outl(PORT_HYPERCALL, (uint32_t)r);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		while (!(inb(UART_LSR) & LSR_THRE))
			;
		outb(UART_THR, (uint8_t)s[i]);
	}
}

void guest_mark(unsigned id)
{
	outb(PORT_MARK, (uint8_t)id);
}

void guest_exit(int status)
{
	if (status != 0)
		outb(PORT_DEBUG_EXIT, (uint8_t)status);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void flat32_main(void);
void flat32_main(void)
{
	guest_exit(main());
}
