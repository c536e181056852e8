# shadow-vs-ept.mk - The paging-under-virtualization simulator: its
# library, the shadow-vs-ept program and its test binary.  Included by the
# top-level Makefile.

SVE_SRCS := $(filter-out shadow-vs-ept/src/main.c,$(wildcard shadow-vs-ept/src/*.c))
SVE_LIB := $(BUILD)/lib/libsve.a
CFLAGS_shadow-vs-ept := -Ishadow-vs-ept/src

$(SVE_LIB): $(SVE_SRCS:%.c=$(BUILD)/obj/%.o)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BUILD)/bin/shadow-vs-ept: $(BUILD)/obj/shadow-vs-ept/src/main.o $(SVE_LIB) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(SVE_LIB) $(BENCH_LIBS)

$(BUILD)/tests/test_shadow_vs_ept: $(BUILD)/obj/shadow-vs-ept/tests/test_shadow_vs_ept.o \
		$(SVE_LIB) $(BENCH_LIB) $(BUILD)/bin/shadow-vs-ept
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(SVE_LIB) $(BENCH_LIBS) $(CMOCKA_LIBS)

PROGS += $(BUILD)/bin/shadow-vs-ept
TESTS += $(BUILD)/tests/test_shadow_vs_ept

.PHONY: shadow-vs-ept
shadow-vs-ept: $(BUILD)/bin/shadow-vs-ept $(BUILD)/tests/test_shadow_vs_ept
