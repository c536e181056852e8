/*
 * uart.c - A 16550A UART (National Semiconductor PC16550D datasheet; the
 * register map Linux's drivers/tty/serial/8250 expects), emulated at COM1.
 *
 * Eight registers behind eight ports; the DLAB bit of LCR swaps the first
 * two for the baud-rate divisor latch.  The transmitter is always ready
 * (LSR reports THR empty and transmitter empty), each byte written to THR
 * goes to the console: a polled guest driver costs one exit to read LSR
 * and one to write THR per byte.  Loopback (MCR bit 4) feeds THR back to
 * RBR and MCR's outputs to MSR's inputs, which is how Linux's 8250 driver
 * probes for a real 16550A.  There is no interrupt line (mini-vmm has no
 * interrupt controller), but IIR reports what would be pending.  Input:
 * with --input the receiver is fed from the VMM's stdin, one byte at a
 * time, checked (poll with no wait) when the guest reads LSR or RBR and
 * nothing is waiting: a polled driver sees data ready as on real hardware.
 */
#include "uart.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "console.h"

/* Register offsets from the base port (datasheet table 2). */
#define UART_RBR_THR 0 /* DLAB=1: DLL */
#define UART_IER     1 /* DLAB=1: DLM */
#define UART_IIR_FCR 2
#define UART_LCR     3
#define UART_MCR     4
#define UART_LSR     5
#define UART_MSR     6
#define UART_SCR     7

#define LCR_DLAB      0x80
#define MCR_LOOP      0x10
#define LSR_DR	      0x01 /* data ready */
#define LSR_THRE      0x20 /* transmit holding register empty */
#define LSR_TEMT      0x40 /* transmitter empty */
#define IER_RDI	      0x01 /* receive data interrupt */
#define IER_THRI      0x02 /* THR empty interrupt */
#define IIR_NO_INT    0x01
#define IIR_THRI      0x02
#define IIR_RDI	      0x04
#define FCR_ENABLE    0x01
#define IIR_FIFO_BITS 0xc0 /* FIFOs enabled, as a 16550A reports */

void uart__init(struct uart *u, struct console *con, int in_fd)
{
	*u = (struct uart){.in_fd = in_fd,
			   .con = con,
			   .lsr = LSR_THRE | LSR_TEMT,
			   .msr = 0xb0 /* DCD, DSR, CTS as if cabled */,
			   .dll = 12 /* 9600 baud */};
}

/* IIR: highest-priority pending interrupt (received data, then THRE). */
static uint8_t uart_iir(struct uart *u)
{
	if ((u->ier & IER_RDI) && (u->lsr & LSR_DR))
		return IIR_RDI | u->iir_fifo;
	if ((u->ier & IER_THRI) && u->thri_pending)
		return IIR_THRI | u->iir_fifo;
	return IIR_NO_INT | u->iir_fifo;
}

/* In loopback the modem outputs DTR, RTS, OUT1, OUT2 read back as DSR,
 * CTS, RI, DCD (datasheet, MCR bit 4). */
static uint8_t uart_msr(struct uart *u)
{
	if (!(u->mcr & MCR_LOOP))
		return u->msr;
	return (uint8_t)(((u->mcr & 0x01) << 5) | ((u->mcr & 0x02) << 3) |
			 ((u->mcr & 0x04) << 4) | ((u->mcr & 0x08) << 4));
}

/* With --input and nothing received yet: take one byte from the host if
 * one is there now (never wait: the vCPU would stall).  End of input
 * stops the polling for good. */
static void uart_receive(struct uart *u)
{
	struct pollfd pfd = {.fd = u->in_fd, .events = POLLIN};
	uint8_t c;
	ssize_t n;

	if (u->in_fd < 0 || (u->lsr & LSR_DR) || (u->mcr & MCR_LOOP))
		return;
	if (poll(&pfd, 1, 0) != 1)
		return;
	n = read(u->in_fd, &c, 1);
	if (n == 1) {
		u->rbr = c;
		u->lsr |= LSR_DR;
		u->rx_bytes++;
	} else if (n == 0 || errno != EINTR) {
		u->in_fd = -1; /* end of input, or an error: no more data */
	}
}

static int uart_read(struct vcpu *v, void *dev, uint64_t off, void *data,
		     unsigned len)
{
	struct uart *u = dev;
	uint8_t *out = data, val = 0xff;

	(void)v;
	if (off == UART_LSR || (off == UART_RBR_THR && !(u->lcr & LCR_DLAB)))
		uart_receive(u);
	switch (off) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB) {
			val = u->dll;
		} else {
			val = u->rbr;
			u->lsr &= ~LSR_DR;
		}
		break;
	case UART_IER: val = (u->lcr & LCR_DLAB) ? u->dlm : u->ier; break;
	case UART_IIR_FCR:
		val = uart_iir(u);
		if ((val & 0x0f) == IIR_THRI)
			u->thri_pending = false; /* reading IIR clears THRE */
		break;
	case UART_LCR: val = u->lcr; break;
	case UART_MCR: val = u->mcr; break;
	case UART_LSR: val = u->lsr; break;
	case UART_MSR: val = uart_msr(u); break;
	case UART_SCR: val = u->scr; break;
	}
	for (unsigned i = 0; i < len; i++)
		out[i] = i == 0 ? val : 0xff;
	return DEV_CONTINUE;
}

static void uart_transmit(struct uart *u, uint8_t c)
{
	if (u->mcr & MCR_LOOP) {
		u->rbr = c;
		u->lsr |= LSR_DR;
	} else {
		console__write(u->con, &c, 1);
		u->tx_bytes++;
	}
	u->thri_pending = true; /* sent at once: THR is empty again */
}

static int uart_write(struct vcpu *v, void *dev, uint64_t off, const void *data,
		      unsigned len)
{
	struct uart *u = dev;
	uint8_t val = *(const uint8_t *)data;

	(void)v;
	(void)len; /* a wider write is a write of its low byte */
	switch (off) {
	case UART_RBR_THR:
		if (u->lcr & LCR_DLAB)
			u->dll = val;
		else
			uart_transmit(u, val);
		break;
	case UART_IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
		} else {
			/* Enabling THRI with THR empty raises it at once. */
			if ((val & IER_THRI) && !(u->ier & IER_THRI))
				u->thri_pending = true;
			u->ier = val & 0x0f;
		}
		break;
	case UART_IIR_FCR:
		u->iir_fifo = (val & FCR_ENABLE) ? IIR_FIFO_BITS : 0;
		break;
	case UART_LCR: u->lcr = val; break;
	case UART_MCR: u->mcr = val & 0x1f; break;
	case UART_SCR: u->scr = val; break;
	default: /* LSR and MSR are read-only */ break;
	}
	return DEV_CONTINUE;
}

const struct dev_ops uart_ops = {
	.name = "uart",
	.read = uart_read,
	.write = uart_write,
};
