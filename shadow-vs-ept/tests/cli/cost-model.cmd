--mode shadow --cost shadow-vs-ept/tests/cli/walkref-only.conf --trace -
# The trace-shadow run with a cost model that prices only walk references
# (1 cycle) and VM exits (1000 cycles).  Walk references 11: the load walks
# 1 (empty shadow PML4), again 1 after the injected fault, 4 after the
# fill; the store 1 + 1 around the dirty-bit fault (PDE cache hits); the
# fetch 1, 1 after the injected fault, 1 after the fill.  So 8 exits and
# 11 references: 8 x 1000 + 11 = 8011 modeled cycles.
