# mini-container.mk - mini-container: a container runtime in C, and its
# tests.  Included by the top-level Makefile.
#
# src/cgroup.c is self-contained (bench/lib's err.h only): scheduler-sim
# links $(BUILD)/obj/mini-container/src/cgroup.o into its own program.

CFLAGS_mini-container := -Imini-container/src -Imini-container/tests

MC_LIB_SRCS  := $(filter-out mini-container/src/main.c,$(wildcard mini-container/src/*.c))
MC_LIB_OBJS  := $(MC_LIB_SRCS:%.c=$(BUILD)/obj/%.o)
MC_TEST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard mini-container/tests/*.c))

$(BUILD)/tests/test_mini_container: $(MC_TEST_OBJS) $(MC_LIB_OBJS) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(CMOCKA_LIBS) $(SECCOMP_LIBS)

TESTS += $(BUILD)/tests/test_mini_container
