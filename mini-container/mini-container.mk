# mini-container.mk - mini-container: a container runtime in C, its static
# probe for the test rootfs, and its tests.  Included by the top-level
# Makefile.
#
# src/cgroup.c is self-contained (bench/lib's err.h only): scheduler-sim
# links $(BUILD)/obj/mini-container/src/cgroup.o into its own program.

# -iquote, not -I: our seccomp.h must not hide libseccomp's <seccomp.h>.
CFLAGS_mini-container := -iquote mini-container/src -iquote mini-container/tests

MC_LIB_SRCS  := $(filter-out mini-container/src/main.c,$(wildcard mini-container/src/*.c))
MC_LIB_OBJS  := $(MC_LIB_SRCS:%.c=$(BUILD)/obj/%.o)
MC_TEST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard mini-container/tests/*.c))
MC_LIBS      := $(SECCOMP_LIBS)

# Linked static (except under the sanitizers, whose runtimes are shared
# libraries): loading libjansson, libseccomp and libm dynamically cost
# ~2 ms of every container start here, a tenth of the whole.
MC_STATIC := $(if $(SAN),,-static)

$(BUILD)/bin/mini-container: $(BUILD)/obj/mini-container/src/main.o $(MC_LIB_OBJS) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(MC_STATIC) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(MC_LIBS)

# The probe runs inside containers built from busybox-static: static, and
# without the sanitizers (a static binary cannot carry their runtimes).
$(BUILD)/mini-container/mc-probe: mini-container/tests/helpers/mc-probe.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static $< -o $@

$(BUILD)/tests/test_mini_container: $(MC_TEST_OBJS) $(MC_LIB_OBJS) $(BENCH_LIB) \
		$(BUILD)/bin/mini-container $(BUILD)/mini-container/mc-probe
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(CMOCKA_LIBS) $(MC_LIBS)

PROGS += $(BUILD)/bin/mini-container $(BUILD)/mini-container/mc-probe
TESTS += $(BUILD)/tests/test_mini_container
