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

# ---- musl builds --------------------------------------------------------
# The programs whose start-up is measured (mini-vmm, mini-wasm) are linked
# static against musl unless sanitized: glibc's start-up executes 43
# `cpuid`s, musl's none, and on these machines each one traps to the outer
# hypervisor (mini-vmm/README.md, "Where boot time goes").  A program
# depends on its $(MUSL_OBJ)/<source>.o files and $(MUSL_DEPS), and links
# the objects with `$(MUSL_CC) -static ... $(MUSL_LIBS)`.
#
# musl-gcc (Debian's musl-tools) sees musl's headers only: $(MUSL_INC) adds
# the kernel's (linux/, asm/) and jansson's.  Debian builds jansson against
# glibc only; its static archive calls standard C and three glibc
# _FORTIFY_SOURCE entry points, which bench/musl/fortify.c provides.
MUSL_CC   := musl-gcc
MUSL_DIR  := $(BUILD)/musl
MUSL_OBJ  := $(MUSL_DIR)/obj
MUSL_INC  := $(MUSL_DIR)/include
MUSL_BENCH_LIB := $(MUSL_DIR)/libbench.a
MUSL_DEPS := $(MUSL_BENCH_LIB) $(MUSL_OBJ)/bench/musl/fortify.o
MUSL_LIBS := $(MUSL_DEPS) $(shell gcc -print-file-name=libjansson.a) -lm
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null)

$(MUSL_INC)/.stamp:
	@mkdir -p $(@D)
	ln -sfn /usr/include/linux $(@D)/linux
	ln -sfn /usr/include/asm-generic $(@D)/asm-generic
	ln -sfn /usr/include/$(MULTIARCH)/asm $(@D)/asm
	ln -sf /usr/include/jansson.h /usr/include/jansson_config.h $(@D)/
	@touch $@

$(MUSL_OBJ)/%.o: %.c $(MUSL_INC)/.stamp
	@mkdir -p $(@D)
	$(MUSL_CC) $(filter-out $(SAN),$(CFLAGS_COMMON)) \
		$(CFLAGS_$(firstword $(subst /, ,$*))) -idirafter $(MUSL_INC) \
		-c $< -o $@
-include $(shell find $(MUSL_OBJ) -name '*.d' 2>/dev/null)

$(MUSL_BENCH_LIB): $(BENCH_LIB_SRCS:%.c=$(MUSL_OBJ)/%.o)
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
