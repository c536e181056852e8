# mini-wasm.mk - mini-wasm, the WebAssembly interpreter: the program, its
# test programs (each built natively and to wasm32-wasi by clang-14), the
# benchmark workloads as Wasm, the test binary and the fuzz target.
# Included by the top-level Makefile.

CFLAGS_mini-wasm := -Imini-wasm/src
MINI_WASM_SRCS := $(filter-out mini-wasm/src/main.c,$(wildcard mini-wasm/src/*.c))
MINI_WASM_OBJS := $(MINI_WASM_SRCS:%.c=$(BUILD)/obj/%.o)
MINI_WASM_LIBS := $(JANSSON_LIBS) -lm

# Static and linked against musl unless sanitized, like mini-vmm
# (bench/bench.mk): no dynamic loader and no relocations of libc, libm and
# jansson at every start (about 0.5 ms of a trivial module's start-up
# here), no shared-library pages in the peak RSS, and none of glibc's 43
# start-up `cpuid`s, each a trap to the outer hypervisor on these machines
# (0.3 ms more).  The sanitizer runtimes need glibc and the dynamic build.
ifeq ($(SAN),)
$(BUILD)/bin/mini-wasm: $(MUSL_OBJ)/mini-wasm/src/main.o \
		$(MINI_WASM_SRCS:%.c=$(MUSL_OBJ)/%.o) $(MUSL_DEPS)
	@mkdir -p $(@D)
	$(MUSL_CC) -static $(filter-out $(MUSL_DEPS),$^) -o $@ $(MUSL_LIBS)
else
$(BUILD)/bin/mini-wasm: $(BUILD)/obj/mini-wasm/src/main.o $(MINI_WASM_OBJS) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(MINI_WASM_LIBS)
endif

# Programs for the guest: never sanitized, never CFLAGS_COMMON.  Debian's
# wasi-libc installs under /usr (lib/wasm32-wasi, include/wasm32-wasi).
WASM_CC     := clang-14
WASM_CFLAGS := --target=wasm32-wasi --sysroot=/usr -std=gnu11 -O2 -Wall -Wextra -Werror \
	       -Wl,--strip-debug
MW_PROGRAMS := args_env stdio_files heap_floats qsort_recursion sandbox
MW_PROG_DIR := $(BUILD)/mini-wasm/programs
MW_PROG_BINS := $(MW_PROGRAMS:%=$(MW_PROG_DIR)/native/%) \
		$(MW_PROGRAMS:%=$(MW_PROG_DIR)/wasm/%.wasm)

$(MW_PROG_DIR)/native/%: mini-wasm/tests/programs/%.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror $< -o $@ -lm

$(MW_PROG_DIR)/wasm/%.wasm: mini-wasm/tests/programs/%.c
	@mkdir -p $(@D)
	$(WASM_CC) $(WASM_CFLAGS) $< -o $@ -lm

# The shared workloads (bench/workloads) as Wasm: with WASI for mini-wasm
# and node, and freestanding (exporting `run`) for wabt's wasm-interp.
MW_WORKLOADS := fib sieve matmul crc32 nbody sort memrand
MW_WL_RT     := bench/workloads/wl_fmt.c bench/workloads/wl_native.c
MW_WL_WASI   := $(MW_WORKLOADS:%=$(BUILD)/workloads/wasm/%.wasm) \
		$(BUILD)/workloads/wasm/hello.wasm $(BUILD)/workloads/wasm/true.wasm
MW_WL_RUN    := $(MW_WORKLOADS:%=$(BUILD)/workloads/wasm-run/%.wasm)

$(BUILD)/workloads/wasm/true.wasm: bench/workloads/true.c
	@mkdir -p $(@D)
	$(WASM_CC) $(WASM_CFLAGS) $< -o $@

$(BUILD)/workloads/wasm/%.wasm: bench/workloads/%.c $(MW_WL_RT) bench/workloads/wl.h
	@mkdir -p $(@D)
	$(WASM_CC) $(WASM_CFLAGS) -fno-math-errno -Ibench/workloads $< $(MW_WL_RT) -o $@ -lm

$(BUILD)/workloads/wasm-run/%.wasm: bench/workloads/%.c bench/workloads/wl_fmt.c \
		mini-wasm/workloads/wl_run.c bench/workloads/wl.h
	@mkdir -p $(@D)
	$(WASM_CC) --target=wasm32 -std=gnu11 -O2 -Wall -Wextra -Werror \
		-fno-math-errno -nostdlib -Ibench/workloads -Wl,--no-entry -Wl,--strip-debug \
		$< bench/workloads/wl_fmt.c mini-wasm/workloads/wl_run.c -o $@

# The fuzz target: decode, validate, instantiate and call exports under
# libFuzzer (clang only).  `make fuzz-wasm` runs it for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
MW_FUZZ := $(BUILD)/mini-wasm/fuzz_wasm
$(MW_FUZZ): mini-wasm/tests/fuzz_wasm.c $(MINI_WASM_SRCS) $(BENCH_LIB_SRCS) \
		$(wildcard mini-wasm/src/*.h bench/lib/*.h)
	@mkdir -p $(@D)
	clang -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
		-Imini-wasm/src -Ibench/lib $(filter %.c,$^) -o $@ $(JANSSON_LIBS) -lm

.PHONY: fuzz-wasm
fuzz-wasm: $(MW_FUZZ)
	@mkdir -p $(BUILD)/mini-wasm/fuzz-corpus
	cp -n ../shared/wasm-testsuite/v1.1/core/[a-f]*.0.wasm $(BUILD)/mini-wasm/fuzz-corpus/ 2>/dev/null || true
	$(MW_FUZZ) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-artifact_prefix=$(BUILD)/mini-wasm/ $(BUILD)/mini-wasm/fuzz-corpus

# main.o (order-only, not linked) keeps main.c compiled by $(CC), gcc or
# clang, at -Werror: the program itself is built by musl-gcc.
MW_TEST_OBJS := $(BUILD)/obj/mini-wasm/tests/test_mini_wasm.o
$(BUILD)/tests/test_mini_wasm: $(MW_TEST_OBJS) $(MINI_WASM_OBJS) $(BENCH_LIB) \
		$(BUILD)/bin/mini-wasm $(MW_PROG_BINS) $(MW_FUZZ) \
		$(BUILD)/workloads/wasm/fib.wasm \
		| $(BUILD)/obj/mini-wasm/src/main.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(MINI_WASM_LIBS) $(CMOCKA_LIBS)

PROGS += $(BUILD)/bin/mini-wasm $(MW_WL_WASI) $(MW_WL_RUN)
TESTS += $(BUILD)/tests/test_mini_wasm
