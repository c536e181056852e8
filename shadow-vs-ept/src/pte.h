/*
 * pte.h - The real x86-64 page-table entry formats: 4-level IA-32e paging
 * (PML4, PDPT, PD, PT) and Intel's EPT, as the hardware reads them.
 *
 * Lecture: "a page table is a radix tree of 512-entry pages".  Every table
 * in the simulator is a 4 KiB frame of 512 little-endian 64-bit entries in
 * these formats; nothing is stored in a side structure the hardware would
 * not see.  Sources: Intel SDM vol. 3A, 4.5 (Table 4-15..4-20, IA-32e
 * entries) and 29.3.2 (Table 29-1..29-6, EPT entries).
 */
#ifndef SVE_PTE_H
#define SVE_PTE_H

#include <stdint.h>

#define PAGE_SHIFT  12
#define PAGE_SIZE   (1ull << PAGE_SHIFT)
#define PT_ENTRIES  512
#define LARGE_SHIFT 21 /* a PDE with PS maps 2 MiB */

/* IA-32e paging entry bits (SDM 4.5). */
#define PTE_P	 (1ull << 0) /* present */
#define PTE_RW	 (1ull << 1) /* writable */
#define PTE_US	 (1ull << 2) /* user-mode accessible */
#define PTE_A	 (1ull << 5) /* accessed: set by the walker */
#define PTE_D	 (1ull << 6) /* dirty: set on a write, leaf entries only */
#define PTE_PS	 (1ull << 7) /* page size: 2 MiB page in a PDE */
#define PTE_ADDR 0x000ffffffffff000ull

/* EPT entry bits (SDM 29.3.2); a leaf also carries the memory type. */
#define EPT_R	  (1ull << 0)
#define EPT_W	  (1ull << 1)
#define EPT_X	  (1ull << 2)
#define EPT_MT_WB (6ull << 3) /* write-back memory type, leaf only */
#define EPT_A	  (1ull << 8)
#define EPT_D	  (1ull << 9)
#define EPT_RWX	  (EPT_R | EPT_W | EPT_X)
#define EPT_PS	  (1ull << 7) /* a PDE that maps 2 MiB of host memory */

/* Levels are numbered as the SDM does: 4 = PML4, 3 = PDPT, 2 = PD, 1 = PT. */
static inline unsigned pte_index(uint64_t addr, int level)
{
	return (unsigned)(addr >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* The lecture's names for the levels, for printing. */
static inline const char *pte_level_name(int level)
{
	static const char *const n[] = {"?", "PT", "PD", "PDPT", "PML4"};

	return level >= 1 && level <= 4 ? n[level] : "?";
}

#endif
