# scheduler-sim.mk - scheduler-sim: a discrete-event simulator of Xen's
# credit scheduler beside credit2, round robin and a CFS-like fair share,
# its `real` mode (cgroups through mini-container's cgroup module) and its
# tests.  Included by the top-level Makefile.

CFLAGS_scheduler-sim := -Ischeduler-sim/src -Imini-container/src

SCHED_SRCS := $(wildcard scheduler-sim/src/*.c)
SCHED_OBJS := $(SCHED_SRCS:%.c=$(BUILD)/obj/%.o) \
	$(BUILD)/obj/mini-container/src/cgroup.o
# Everything but main(), for the test binary.
SCHED_LIB_OBJS := $(filter-out $(BUILD)/obj/scheduler-sim/src/main.o,$(SCHED_OBJS))

$(BUILD)/bin/scheduler-sim: $(SCHED_OBJS) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS)

$(BUILD)/tests/test_scheduler_sim: $(BUILD)/obj/scheduler-sim/tests/test_scheduler_sim.o \
		$(SCHED_LIB_OBJS) $(BENCH_LIB) $(BUILD)/bin/scheduler-sim
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(CMOCKA_LIBS)

# isobench's sched approach (bench/src/sched.c) runs the simulator in
# process: isobench links the simulator's objects (as prerequisites, so
# they are in its $^; not real.o nor mini-container's cgroup.o, which the
# container approach may link itself), and only sched.o sees the
# simulator's headers.
SCHED_SIM_OBJS := $(filter-out $(BUILD)/obj/scheduler-sim/src/real.o \
	$(BUILD)/obj/mini-container/src/cgroup.o,$(SCHED_LIB_OBJS))
$(BUILD)/bin/isobench: $(SCHED_SIM_OBJS)
$(BUILD)/obj/bench/src/sched.o: CFLAGS_bench += -Ischeduler-sim/src

PROGS += $(BUILD)/bin/scheduler-sim
TESTS += $(BUILD)/tests/test_scheduler_sim

.PHONY: scheduler-sim
scheduler-sim: $(BUILD)/bin/scheduler-sim $(BUILD)/tests/test_scheduler_sim
