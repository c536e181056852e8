/*
 * layout.h - The guest-physical memory map and the port map of mini-vmm:
 * the contract between the VMM and every guest.
 *
 * Guest memory is one block at guest-physical 0 of --mem bytes.  In it the
 * VMM reserves a small area for the structures it builds (boot info, GDT,
 * page tables) and the top of memory for the boot stacks; an image that
 * overlaps either is refused.  Devices with no memory behind them live at
 * fixed ports and at one MMIO window above guest memory.
 *
 *   0x0000_0000  free (a real-mode guest may use the low 32 KiB)
 *   0x0000_1000  default load address of a flat binary
 *   0x0000_8000  boot info (struct boot_info)            } VMM area,
 *   0x0000_8100  GDT (struct layout_gdt)                 } refused to
 *   0x0000_9000  PML4, 0xa000 PDPT, 0xb000-0xefff 4 PDs   } images
 *   ...          free for the image (ELF guests link at 1 MiB)
 *   mem - N*16K  boot stacks, one 16 KiB stack per vCPU (vCPU 0 on top)
 *   0xd000_0000  MMIO timer block (mmio_timer.c), no memory behind it
 */
#ifndef MVMM_LAYOUT_H
#define MVMM_LAYOUT_H

#include <stdint.h>

#define LAYOUT_FLAT_LOAD_DEFAULT 0x1000ULL
#define LAYOUT_BOOT_INFO	 0x8000ULL
#define LAYOUT_GDT		 0x8100ULL
#define LAYOUT_PML4		 0x9000ULL
#define LAYOUT_PDPT		 0xa000ULL
#define LAYOUT_PD		 0xb000ULL /* 4 pages: identity map of 0-4 GiB */
#define LAYOUT_VMM_START	 0x8000ULL
#define LAYOUT_VMM_END		 0xf000ULL /* exclusive */
#define LAYOUT_STACK_SIZE	 0x4000ULL
#define LAYOUT_MIN_MEM		 (1ULL << 20)
#define LAYOUT_MAX_MEM		 0xc0000000ULL /* 3 GiB: below the MMIO window */
#define LAYOUT_MMIO_TIMER	 0xd0000000ULL
#define LAYOUT_MMIO_TIMER_LEN	 0x1000ULL
/* Its registers (mmio_timer.h describes them). */
#define MMIO_TIMER_ID	    0x00
#define MMIO_TIMER_COUNT    0x08
#define MMIO_TIMER_NOW	    0x10
#define MMIO_TIMER_SCRATCH  0x18
#define MMIO_TIMER_ID_VALUE 0x4d54564dU
/* Real mode: SS=0 and SP below the default load address, 256 B per vCPU. */
#define LAYOUT_REAL_SP	      0x1000ULL
#define LAYOUT_REAL_MAX_VCPUS 8

/* GDT selectors the VMM sets up (protected and long mode). */
#define GDT_CODE32 0x08
#define GDT_DATA   0x10
#define GDT_CODE64 0x18

/* Ports.  COM1 and isa-debug-exit are where PCs and QEMU have them; the
 * mini-vmm ports sit in a range no PC device uses. */
#define PORT_COM1	0x3f8
#define PORT_DEBUG_EXIT 0xf4
#define PORT_HYPERCALL	0x510 /* 32-bit write: GPA of a struct pv_req */
#define PORT_NULL	0x511 /* does nothing: the cheapest userspace exit */
#define PORT_MARK	0x512 /* 8-bit write: milestone id (MARK_*) */
#define PORT_IOEVENTFD	0x514 /* bound to a KVM_IOEVENTFD: never leaves KVM */
#define PORT_IOEVENTFD_BIND 0x515 /* write: bind PORT_IOEVENTFD */

/* Milestones a guest marks (mark.c names them). */
#define MARK_ENTRY  1 /* first instruction of the guest */
#define MARK_KERNEL 2 /* kernel half set up (GDT, IDT, TSS, paging) */
#define MARK_USER   3 /* reached ring 3 (the library leaves it out: user.c) */
#define MARK_READY  4 /* the application is ready */

/* What the VMM writes at LAYOUT_BOOT_INFO before the first entry; RSI
 * (ESI, SI) points to it at entry. */
#define BOOT_INFO_MAGIC 0x4d4d564dU /* "MVMM" */
#define CONSOLE_UART	0
#define CONSOLE_PV	1
struct boot_info {
	uint32_t magic;
	uint32_t nvcpus;
	uint64_t mem_size;
	uint64_t mmio_timer;
	uint32_t console; /* CONSOLE_UART or CONSOLE_PV (--console) */
	uint32_t reserved;
	uint64_t arg; /* --arg: a number for the guest (0 if none) */
};

/* The hypercall ABI: the guest writes the GPA of this block to
 * PORT_HYPERCALL with a 32-bit `out`; the VMM reads it, acts, writes ret. */
#define PV_CONSOLE_WRITE 1 /* arg = GPA of the text, len = its length */
#define PV_EXIT		 2 /* arg = exit status (as isa-debug-exit) */
#define PV_MARK		 3 /* arg = milestone id */
struct pv_req {
	uint32_t nr;
	uint32_t len;
	uint64_t arg;
	int64_t ret; /* 0, or -1 if the request was refused */
};

#endif
