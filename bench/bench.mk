# bench.mk - The shared harness library, isobench, the native workloads and
# the harness's tests.  Included by the top-level Makefile.

BENCH_LIB_SRCS := $(wildcard bench/lib/*.c)
BENCH_LIB      := $(BUILD)/lib/libbench.a
BENCH_LIBS     := $(BENCH_LIB) $(JANSSON_LIBS) -lm
CFLAGS_bench   := -Ibench/src

# Every component compiles against bench/lib and links $(BENCH_LIBS).
$(BENCH_LIB): $(BENCH_LIB_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

# The launcher of measured children (bench/spawn/isolab-spawn.c): small and
# static, never sanitized, so a child's peak RSS is its own (launch.h).
$(BUILD)/bin/isolab-spawn: bench/spawn/isolab-spawn.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static $< -o $@

# isobench: every file of bench/src/ (one per approach, see approach.h).
# A component whose approach needs more libraries adds them to
# ISOBENCH_LIBS in its own fragment.
ISOBENCH_SRCS := $(wildcard bench/src/*.c)
$(BUILD)/bin/isobench: $(ISOBENCH_SRCS:%.c=$(BUILD)/obj/%.o) $(BENCH_LIB) \
		$(BUILD)/bin/isolab-spawn
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(ISOBENCH_LIBS)

# Native workloads: static, no sanitizer (a static binary cannot carry the
# sanitizer runtimes, and the baseline must not be slowed by them).
# -fno-math-errno lets sqrt be one instruction, as it is in Wasm and in a
# freestanding guest.
WORKLOAD_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -fno-math-errno -static
WORKLOADS       := hello fib sieve matmul crc32 nbody sort memrand syscalls
WL_NATIVE_RT    := bench/workloads/wl_fmt.c bench/workloads/wl_native.c
WL_NATIVE       := $(WORKLOADS:%=$(BUILD)/workloads/native/%)

$(BUILD)/workloads/native/true: bench/workloads/true.c
	@mkdir -p $(@D)
	$(CC) $(WORKLOAD_CFLAGS) $< -o $@

$(WL_NATIVE): $(BUILD)/workloads/native/%: bench/workloads/%.c \
		$(WL_NATIVE_RT) bench/workloads/wl.h
	@mkdir -p $(@D)
	$(CC) $(WORKLOAD_CFLAGS) -Ibench/workloads $< $(WL_NATIVE_RT) -o $@

# test_bench: test_bench.c and the suites beside it (bench/tests/suites.h).
BENCH_TEST_SRCS := $(wildcard bench/tests/*.c)
$(BUILD)/tests/test_bench: $(BENCH_TEST_SRCS:%.c=$(BUILD)/obj/%.o) $(BENCH_LIB) \
		$(BUILD)/bin/isobench $(BUILD)/bin/isolab-spawn \
		$(BUILD)/workloads/native/true $(WL_NATIVE)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(CMOCKA_LIBS)

PROGS += $(BUILD)/bin/isobench $(BUILD)/bin/isolab-spawn \
	$(BUILD)/workloads/native/true $(WL_NATIVE)
TESTS += $(BUILD)/tests/test_bench
