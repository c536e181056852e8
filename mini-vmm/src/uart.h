/*
 * uart.h - A 16550A UART at COM1, emulated register by register.
 */
#ifndef MVMM_UART_H
#define MVMM_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

struct console;

struct uart {
	struct console *con;
	uint8_t ier, iir_fifo, lcr, mcr, lsr, msr, scr;
	uint8_t dll, dlm;
	uint8_t rbr;	   /* the one received byte (loopback only) */
	bool thri_pending; /* THR-empty interrupt reported by IIR */
	uint64_t tx_bytes, rx_bytes;
	int in_fd; /* host input for the receiver (--input), or -1 */
};

extern const struct dev_ops uart_ops;

/* A UART in its reset state, transmitting to con and receiving from
 * in_fd (-1: nothing to receive). */
void uart__init(struct uart *u, struct console *con, int in_fd);

#endif
