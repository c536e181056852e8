/*
 * wl_guest.c - The shared workload API (bench/workloads/wl.h) for mini-vmm
 * guests: the same workload sources as the native, container and Wasm
 * runs, built against the guest library.
 *
 *   wl_write  a system call into the kernel half, which writes to the
 *             console (a hypercall with --console pv, the UART otherwise)
 *   wl_sink   a system call the kernel half drops: the guest's /dev/null,
 *             one crossing into ring 0 and back, no VM exit
 *   main      calls wl_main, whose value is the exit status
 */
#include "guest.h"
#include "wl.h"

void wl_write(const char *buf, size_t len)
{
	guest_write(buf, len);
}

void wl_sink(const char *buf, size_t len)
{
	syscall3(SYS_SINK, (long)buf, (long)len, 0);
}

int main(void)
{
	return wl_main();
}
