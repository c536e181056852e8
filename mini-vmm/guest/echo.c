/*
 * echo.c - The UART's receive side: reads lines typed into mini-vmm's
 * stdin (run with --input) through the kernel half's polled driver
 * (SYS_GETC: wait for LSR data-ready, read RBR) and echoes each one.
 * Ctrl-D (0x04) ends it with status 0.
 *
 *   printf 'hello\nworld\n\004' | mini-vmm --input build/guests/echo
 */
#include "guest.h"

#define CTRL_D 0x04

int main(void)
{
	char line[128];
	unsigned n = 0, lines = 0;

	printf("echo: type lines, Ctrl-D ends\n");
	for (;;) {
		int c = (int)syscall3(SYS_GETC, 0, 0, 0);

		if (c == CTRL_D)
			break;
		if (c == '\r' || c == '\n' || n == sizeof(line) - 1) {
			line[n] = '\0';
			printf("echo %u: %s\n", ++lines, line);
			n = 0;
			continue;
		}
		line[n++] = (char)c;
	}
	printf("echo: %u lines\n", lines);
	return 0;
}
