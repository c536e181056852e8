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

# isobench: every file of bench/src/ (one per approach, see approach.h).
# A component whose approach needs more libraries adds them to
# ISOBENCH_LIBS in its own fragment.
ISOBENCH_SRCS := $(wildcard bench/src/*.c)
$(BUILD)/bin/isobench: $(ISOBENCH_SRCS:%.c=$(BUILD)/obj/%.o) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(ISOBENCH_LIBS)

# Native workloads: static, no sanitizer (a static binary cannot carry the
# sanitizer runtimes, and the baseline must not be slowed by them).
WORKLOAD_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -static
$(BUILD)/workloads/native/%: bench/workloads/%.c
	@mkdir -p $(@D)
	$(CC) $(WORKLOAD_CFLAGS) $< -o $@

$(BUILD)/tests/test_bench: $(BUILD)/obj/bench/tests/test_bench.o $(BENCH_LIB) \
		$(BUILD)/bin/isobench $(BUILD)/workloads/native/true
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(CMOCKA_LIBS)

PROGS += $(BUILD)/bin/isobench $(BUILD)/workloads/native/true
TESTS += $(BUILD)/tests/test_bench
