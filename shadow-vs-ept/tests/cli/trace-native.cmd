--mode native --check --trace -
# Load and store in page 0x400, fetch in page 0x401 (same page table).
# Misses 5: the load misses, faults, misses again; the store finds a clean
# entry and walks again to set D; the fetch misses, faults, misses again.
# Walk references 8: 1 (PML4E absent) + 4, then 1, 1 + 1 (PDE cache hits).
# PTE writes 5: PML4E, PDPTE, PDE and PTE for the first page, one PTE for
# the second.
