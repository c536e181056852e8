/*
 * exitstats.c - Exit counters (see exitstats.h).  Addresses go in a small
 * open-addressing table: a guest touches a few ports, and a 64 KiB array
 * per vCPU would cost more RSS than the rest of the VMM.
 */
#include "exitstats.h"

#include <linux/kvm.h>
#include <stddef.h>

void exitstats__reason(struct exitstats *s, uint32_t reason)
{
	s->total++;
	s->by_reason[reason < EXITSTATS_REASONS ? reason : 0]++;
}

static struct exitstats_addr *exitstats_slot(struct exitstats *s, bool mmio,
					     uint64_t addr)
{
	unsigned h = (unsigned)((addr * 0x9e3779b97f4a7c15ULL) >> 58);

	for (unsigned i = 0; i < EXITSTATS_ADDRS; i++) {
		struct exitstats_addr *a = &s->addr[(h + i) % EXITSTATS_ADDRS];

		if (!a->used || (a->addr == addr && a->mmio == mmio))
			return a;
	}
	return NULL;
}

static void exitstats_add(struct exitstats *s, bool mmio, uint64_t addr,
			  const char *dev, uint64_t n)
{
	struct exitstats_addr *a = exitstats_slot(s, mmio, addr);

	if (!a) {
		s->addrs_dropped += n;
		return;
	}
	if (!a->used)
		*a = (struct exitstats_addr){addr, 0, dev, mmio, true};
	a->count += n;
}

void exitstats__addr(struct exitstats *s, bool mmio, uint64_t addr,
		     const char *dev)
{
	if (!dev) {
		if (mmio)
			s->unclaimed_mmio++;
		else
			s->unclaimed_pio++;
	}
	exitstats_add(s, mmio, addr, dev, 1);
}

void exitstats__merge(struct exitstats *dst, const struct exitstats *src)
{
	dst->total += src->total;
	for (int i = 0; i < EXITSTATS_REASONS; i++)
		dst->by_reason[i] += src->by_reason[i];
	dst->unclaimed_pio += src->unclaimed_pio;
	dst->unclaimed_mmio += src->unclaimed_mmio;
	dst->addrs_dropped += src->addrs_dropped;
	for (int i = 0; i < EXITSTATS_ADDRS; i++)
		if (src->addr[i].used)
			exitstats_add(dst, src->addr[i].mmio, src->addr[i].addr,
				      src->addr[i].dev, src->addr[i].count);
}

const char *exitstats__reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
		[KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "OTHER";
}
