--mode shadow --check --trace -
# The same trace under shadow paging.  Exits 8: the CR3 write that starts
# the process; per page a fault the VMM injects (2), the guest's PTE write
# into a shadowed table that traps (2: the PML4 entry, the root being
# shadowed; then the PTE, its table being shadowed by then), the hidden
# fault that fills the shadow entry (2); and one more hidden fault for the
# store: the shadow entry stays read-only until the guest page is dirty.
# Shadow pages 4: PML4, PDPT, PD, PT.
