/*
 * mode.c - The CPU mode the guest starts in: real, protected or long.
 *
 * A PC boots in real mode and firmware plus the kernel's own code climb to
 * protected and then long mode.  A VMM can skip the climb: it writes the
 * tables a mode needs into guest memory and loads the vCPU's segment and
 * control registers directly with KVM_SET_SREGS, the userspace view of
 * the guest-state area of the VMCS (VT-x) or VMCB (AMD-V).  Firecracker and
 * kvmtool start Linux this way, in long mode at its 64-bit entry.
 *
 *  - real: CS=0, IP=entry, every segment base 0, CR0.PE=0.
 *  - protected: flat 4 GiB code and data segments from our GDT, CR0.PE=1,
 *    no paging.
 *  - long: the same GDT with a 64-bit code segment, 4-level identity page
 *    tables mapping 0-4 GiB with 2 MiB pages (so the MMIO window at
 *    0xd0000000 is mapped too), CR4.PAE, EFER.LME|LMA, CR0.PE|PG.
 *  - protected and long: SSE enabled (CR0.MP, CR4.OSFXSR|OSXMMEXCPT).
 *
 * Every vCPU: RDI = its index, RSI = &boot_info (layout.h), RSP = its boot
 * stack, RFLAGS = 0x2 (interrupts off).  Intel SDM vol. 3A, 9.8 and 9.9
 * describe the transitions this replaces.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "layout.h"
#include "vmm.h"

#define CR0_PE	       (1ULL << 0)
#define CR0_MP	       (1ULL << 1)
#define CR0_ET	       (1ULL << 4)
#define CR0_PG	       (1ULL << 31)
#define CR4_PAE	       (1ULL << 5)
#define CR4_OSFXSR     (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define EFER_LME       (1ULL << 8)
#define EFER_LMA       (1ULL << 10)

#define PTE_P  (1ULL << 0)
#define PTE_RW (1ULL << 1)
#define PTE_PS (1ULL << 7) /* in a PD entry: a 2 MiB page */

/* A GDT descriptor from its parts (SDM vol. 3A, 3.4.5): flags are the
 * G, D/B, L, AVL nibble, access the P, DPL, S, type byte. */
static uint64_t mode_gdt_entry(uint32_t base, uint32_t limit, unsigned access,
			       unsigned flags)
{
	return ((uint64_t)(base & 0xff000000) << 32) |
	       ((uint64_t)(flags & 0xf) << 52) |
	       ((uint64_t)(limit & 0xf0000) << 32) |
	       ((uint64_t)(access & 0xff) << 40) |
	       ((uint64_t)(base & 0x00ffffff) << 16) | (limit & 0xffff);
}

void mode__build_tables(struct vm *vm)
{
	uint64_t *gdt = (uint64_t *)(vm->mem + LAYOUT_GDT);
	uint64_t *pml4 = (uint64_t *)(vm->mem + LAYOUT_PML4);
	uint64_t *pdpt = (uint64_t *)(vm->mem + LAYOUT_PDPT);
	uint64_t *pd = (uint64_t *)(vm->mem + LAYOUT_PD);
	struct boot_info *bi = (struct boot_info *)(vm->mem + LAYOUT_BOOT_INFO);

	*bi = (struct boot_info){.magic = BOOT_INFO_MAGIC,
				 .nvcpus = (uint32_t)vm->nvcpus,
				 .mem_size = vm->mem_size,
				 .mmio_timer = LAYOUT_MMIO_TIMER,
				 .console = (uint32_t)vm->cfg.console,
				 .arg = vm->cfg.arg};
	if (vm->mode == MODE_REAL)
		return;
	gdt[0] = 0;
	/* 0x9b: present, ring 0, code, execute/read, accessed;
	 * 0x93: present, ring 0, data, read/write, accessed.
	 * Flags 0xc: 4 KiB granularity, 32-bit; 0xa: granularity, long. */
	gdt[GDT_CODE32 / 8] = mode_gdt_entry(0, 0xfffff, 0x9b, 0xc);
	gdt[GDT_DATA / 8] = mode_gdt_entry(0, 0xfffff, 0x93, 0xc);
	gdt[GDT_CODE64 / 8] = mode_gdt_entry(0, 0xfffff, 0x9b, 0xa);
	if (vm->mode != MODE_LONG)
		return;
	pml4[0] = LAYOUT_PDPT | PTE_P | PTE_RW;
	for (int i = 0; i < 4; i++)
		pdpt[i] = (LAYOUT_PD + 0x1000ULL * i) | PTE_P | PTE_RW;
	for (uint64_t i = 0; i < 4 * 512; i++)
		pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
}

/* A segment register as the VMCS holds it: base, limit, attributes. */
static struct kvm_segment mode_segment(uint16_t sel, unsigned type, bool code64)
{
	return (struct kvm_segment){
		.base = 0,
		.limit = 0xffffffff,
		.selector = sel,
		.type = (uint8_t)type,
		.present = 1,
		.dpl = 0,
		.db = code64 ? 0 : 1,
		.s = 1,
		.l = code64,
		.g = 1,
	};
}

static void mode_sregs(struct vm *vm, struct kvm_sregs *s)
{
	struct kvm_segment code, data;

	if (vm->mode == MODE_REAL) {
		/* Real mode after reset, but CS base 0 rather than the reset
		 * vector's 0xffff0000: there is no firmware to run. */
		struct kvm_segment *segs[] = {&s->cs, &s->ds, &s->es,
					      &s->fs, &s->gs, &s->ss};

		for (unsigned i = 0; i < 6; i++) {
			segs[i]->base = 0;
			segs[i]->selector = 0;
			segs[i]->limit = 0xffff;
		}
		s->cr0 &= ~(CR0_PE | CR0_PG);
		return;
	}
	code = mode_segment(vm->mode == MODE_LONG ? GDT_CODE64 : GDT_CODE32,
			    0xb, vm->mode == MODE_LONG);
	data = mode_segment(GDT_DATA, 0x3, false);
	s->cs = code;
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	s->gdt.base = LAYOUT_GDT;
	s->gdt.limit = 4 * 8 - 1;
	/* SSE on (CR0.MP, CR4.OSFXSR, OSXMMEXCPT) as firmware leaves it, so
	 * compiled C with doubles runs in the guest without a ring-0 setup
	 * step (emulated, hence slow, on PVM). */
	s->cr0 = CR0_PE | CR0_ET | CR0_MP;
	s->cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT;
	if (vm->mode == MODE_LONG) {
		s->cr3 = LAYOUT_PML4;
		s->cr4 |= CR4_PAE;
		s->efer = EFER_LME | EFER_LMA;
		s->cr0 |= CR0_PG;
	}
}

int mode__setup_vcpu(struct vm *vm, struct vcpu *v, struct isolab_err *e)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return err__set(e, errno, "vcpu %d: KVM_GET_SREGS", v->index);
	mode_sregs(vm, &sregs);
	if (ioctl(v->fd, KVM_SET_SREGS, &sregs) < 0)
		return err__set(e, errno, "vcpu %d: KVM_SET_SREGS", v->index);
	memset(&regs, 0, sizeof(regs));
	regs.rflags = 0x2; /* bit 1 is always set; IF=0 */
	regs.rip = vm->entry;
	regs.rdi = (uint64_t)v->index;
	regs.rsi = LAYOUT_BOOT_INFO;
	if (vm->mode == MODE_REAL)
		regs.rsp = LAYOUT_REAL_SP - 0x100ULL * (uint64_t)v->index;
	else
		regs.rsp =
			vm->mem_size - LAYOUT_STACK_SIZE * (uint64_t)v->index;
	if (ioctl(v->fd, KVM_SET_REGS, &regs) < 0)
		return err__set(e, errno, "vcpu %d: KVM_SET_REGS", v->index);
	return 0;
}
