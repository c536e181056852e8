# isolab - one non-recursive build for every component.
#
# Each component adds its programs, tests and rules in its own fragment
# (bench/bench.mk, mini-vmm/mini-vmm.mk, ...), included below.  Everything
# is built under $(BUILD): programs in bin/, test binaries in tests/,
# objects in obj/ mirroring the source tree.
#
#   make            build everything
#   make test       install missing packages (as root), build, run the tests
#   make bench      install missing packages (as root), build, run isobench
#                   (QUICK=1: the one-minute run; OUT=DIR: results there
#                   instead of results/latest)
#   make asan       build with ASan+UBSan into build/asan and run the tests
#   make deps       only install (or list) the missing Debian packages
#   make format     apply .clang-format to the C sources
#   make clean      remove build/
#
# Works with CC=gcc (the default cc) and CC=clang; warnings are errors.

BUILD   ?= build
OPT     ?= -O2
SAN     ?=
CFLAGS_COMMON := -std=gnu11 -Wall -Wextra -Werror $(OPT) -g -MMD -MP -Ibench/lib $(SAN)
LDFLAGS_COMMON := $(SAN)

# Libraries by pkg-config when it is there; the plain names otherwise, so a
# first `make test` on a fresh machine parses before deps are installed.
pkg = $(shell pkg-config --$(1) $(2) 2>/dev/null || echo $(3))
JANSSON_LIBS := $(call pkg,libs,jansson,-ljansson)
CMOCKA_LIBS  := $(call pkg,libs,cmocka,-lcmocka)
SECCOMP_LIBS := $(call pkg,libs,libseccomp,-lseccomp)

# Filled by the fragments.
PROGS :=
TESTS :=

.PHONY: all test bench asan deps format clean test-run check-clang
all:

include bench/bench.mk
-include mini-vmm/mini-vmm.mk
-include mini-container/mini-container.mk
-include mini-wasm/mini-wasm.mk
-include shadow-vs-ept/shadow-vs-ept.mk
-include scheduler-sim/scheduler-sim.mk

all: $(PROGS) $(TESTS)

# Objects of every component: $(BUILD)/obj/<dir>/<file>.o from <dir>/<file>.c
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) $(CFLAGS_$(firstword $(subst /, ,$*))) -c $< -o $@

deps:
	@scripts/deps.sh test

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory test-run

# Run the test binaries already built in $(BUILD).
test-run:
	@scripts/run-tests.sh $(BUILD) $(TESTS)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory all
	$(BUILD)/bin/isobench run $(if $(QUICK),--quick) $(if $(OUT),--out $(OUT))

# The sanitized build's flags are handed to the tests too (ISOLAB_OPT,
# ISOLAB_SAN): the test that runs `make bench` builds with the same ones.
ASAN_OPT := -O1
ASAN_SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/asan OPT="$(ASAN_OPT)" SAN="$(ASAN_SAN)" all
	@ISOLAB_OPT="$(ASAN_OPT)" ISOLAB_SAN="$(ASAN_SAN)" \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory BUILD=$(BUILD)/asan test-run

# Build everything with the other compiler into its own tree (CI runs it).
check-clang:
	@$(MAKE) --no-print-directory CC=clang BUILD=$(BUILD)/clang all

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
