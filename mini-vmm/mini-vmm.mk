# mini-vmm.mk - mini-vmm, its guests and its tests.  Included by the
# top-level Makefile.
#
#   $(BUILD)/bin/mini-vmm            the VMM (host code: CFLAGS_COMMON, $(SAN))
#   $(BUILD)/guests/*                the guests (freestanding, never $(SAN))
#   $(BUILD)/tests/test_mini_vmm     the cmocka tests

CFLAGS_mini-vmm := -Imini-vmm/src -Imini-vmm/guest -pthread

MVMM_SRCS := $(wildcard mini-vmm/src/*.c)
MVMM_OBJS := $(MVMM_SRCS:%.c=$(BUILD)/obj/%.o)

# The program is static and linked against musl (bench/bench.mk says how),
# unless sanitized: the sanitizer runtimes need glibc and the dynamic
# loader.  Static: no dynamic loader at start (about 1 ms of the boot
# figure here) and no shared-library pages in the VMM's RSS.  musl: its
# start-up executes no `cpuid`, where glibc's executes 43 to learn the
# CPU's features and caches, each a trap to the outer hypervisor on these
# machines (0.28 ms of every glibc process start; README "Where boot time
# goes").  Firecracker ships musl static builds too.  Only the program is
# built this way; the tests link the same sources with glibc.
ifeq ($(SAN),)
$(BUILD)/bin/mini-vmm: $(MVMM_SRCS:%.c=$(MUSL_OBJ)/%.o) $(MUSL_DEPS)
	@mkdir -p $(@D)
	$(MUSL_CC) -static -pthread $(filter-out $(MUSL_DEPS),$^) -o $@ \
		$(MUSL_LIBS)
else
$(BUILD)/bin/mini-vmm: $(MVMM_OBJS) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) -pthread $(MVMM_OBJS) -o $@ $(BENCH_LIBS)
endif

# ---- guests -------------------------------------------------------------
# Built with gcc whatever CC is (the guest flags are gcc's), freestanding,
# no sanitizer, no CFLAGS_COMMON: they run on the bare (virtual) metal.
GUEST_CC      := gcc
GUEST_DIR     := $(BUILD)/guests
GUEST_OBJ     := $(BUILD)/guests/obj
GUEST_CFLAGS  := -std=gnu11 -O2 -g -Wall -Wextra -Werror -ffreestanding \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-builtin -mno-red-zone -mgeneral-regs-only -mcmodel=small \
	-fcf-protection=none -Imini-vmm/guest/lib -Imini-vmm/src
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-z,noexecstack -Wl,-z,max-page-size=4096
GUEST_LIB_SRCS := $(wildcard mini-vmm/guest/lib/*.c mini-vmm/guest/lib/*.S)
GUEST_LIB_OBJS := $(patsubst mini-vmm/guest/lib/%,$(GUEST_OBJ)/lib/%.o,$(GUEST_LIB_SRCS))
GUEST_LDS     := mini-vmm/guest/lib/guest.ld
# Long-mode C guests: one file each, linked with the library.
GUEST_C64     := hello64 exits memtouch smp sensitive tripfault badmmio spin \
	echo
GUEST_FLAT16  := hello16 triple16
GUESTS        := $(GUEST_FLAT16:%=$(GUEST_DIR)/%) \
	$(GUEST_C64:%=$(GUEST_DIR)/%) $(GUEST_DIR)/hello32 $(GUEST_DIR)/ud2 \
	$(GUEST_DIR)/hello32c

$(GUEST_OBJ)/lib/%.c.o: mini-vmm/guest/lib/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@
$(GUEST_OBJ)/lib/%.S.o: mini-vmm/guest/lib/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@
$(GUEST_OBJ)/%.o: mini-vmm/guest/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_C64:%=$(GUEST_DIR)/%): $(GUEST_DIR)/%: $(GUEST_OBJ)/%.o \
		$(GUEST_LIB_OBJS) $(GUEST_LDS)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_LDFLAGS) -T $(GUEST_LDS) $(GUEST_LIB_OBJS) $< -o $@

# Real mode: a flat binary, 16-bit code assembled by gcc's as, linked at
# the VMM's default load address.
$(GUEST_FLAT16:%=$(GUEST_DIR)/%): $(GUEST_DIR)/%: mini-vmm/guest/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-Ttext=0x1000 -Wl,--oformat=binary $< -o $@
# Protected mode in C: the library's 32-bit startup (guest/lib32/), with
# printf.c and string.c of guest/lib/ built -m32; no rings, no paging.
GUEST_OBJ32   := $(BUILD)/guests/obj32
GUEST32_CFLAGS := -m32 $(filter-out -mcmodel=small,$(GUEST_CFLAGS))
GUEST32_OBJS  := $(GUEST_OBJ32)/start32.S.o $(GUEST_OBJ32)/flat32.c.o \
	$(GUEST_OBJ32)/printf.c.o $(GUEST_OBJ32)/string.c.o
$(GUEST_OBJ32)/%.o: mini-vmm/guest/lib32/%
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c $< -o $@
$(GUEST_OBJ32)/%.c.o: mini-vmm/guest/lib/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c $< -o $@
$(GUEST_OBJ32)/hello32c.o: mini-vmm/guest/hello32c.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST32_CFLAGS) -c $< -o $@
$(GUEST_DIR)/hello32c: $(GUEST32_OBJS) $(GUEST_OBJ32)/hello32c.o
	@mkdir -p $(@D)
	$(GUEST_CC) -m32 $(GUEST_LDFLAGS) -Wl,-Ttext=0x100000 $^ -o $@

# Protected mode: an ELF32, assembly only.
$(GUEST_DIR)/hello32: mini-vmm/guest/hello32.S
	@mkdir -p $(@D)
	$(GUEST_CC) -m32 -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,-Ttext=0x100000 -Wl,-z,noexecstack $< -o $@

# Long mode, assembly only, no library: a guest with no IDT at all.
$(GUEST_DIR)/ud2: mini-vmm/guest/ud2.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_LDFLAGS) -Wl,-Ttext=0x100000 $< -o $@

# memtouch's native twin: the same code as a host process (memtouch_core.h).
$(BUILD)/bin/memtouch-native: $(BUILD)/obj/mini-vmm/tools/memtouch_native.o \
		$(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $< -o $@ $(BENCH_LIBS)

# The shared workloads (bench/workloads/, WORKLOADS from bench.mk) as
# guests: ring-3 code, so SSE is allowed (doubles in nbody and matmul); the
# library they link stays general-registers-only.
WL_VM         := $(WORKLOADS:%=$(BUILD)/workloads/vm/%)
WL_VM_CFLAGS  := $(filter-out -mgeneral-regs-only,$(GUEST_CFLAGS)) \
	-fno-math-errno -Ibench/workloads
$(GUEST_OBJ)/wl/%.o: bench/workloads/%.c bench/workloads/wl.h
	@mkdir -p $(@D)
	$(GUEST_CC) $(WL_VM_CFLAGS) -c $< -o $@
$(GUEST_OBJ)/wl/wl_guest.o: mini-vmm/guest/wl_guest.c bench/workloads/wl.h
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) -Ibench/workloads -c $< -o $@
$(WL_VM): $(BUILD)/workloads/vm/%: $(GUEST_OBJ)/wl/%.o \
		$(GUEST_OBJ)/wl/wl_fmt.o $(GUEST_OBJ)/wl/wl_guest.o \
		$(GUEST_LIB_OBJS) $(GUEST_LDS)
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_LDFLAGS) -T $(GUEST_LDS) $(GUEST_LIB_OBJS) \
		$(filter $(GUEST_OBJ)/wl/%,$^) -o $@

# ---- tests --------------------------------------------------------------
# main.o (order-only) is not linked: it is compiled with $(CC) so that every
# source of mini-vmm goes through gcc and clang at -Werror (the program
# itself is built by musl-gcc, above).
$(BUILD)/tests/test_mini_vmm: $(BUILD)/obj/mini-vmm/tests/test_mini_vmm.o \
		$(filter-out %/main.o,$(MVMM_OBJS)) $(BENCH_LIB) \
		$(BUILD)/bin/mini-vmm $(GUESTS) $(WL_VM) $(WL_NATIVE) \
		| $(BUILD)/obj/mini-vmm/src/main.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) -pthread $(filter %.o,$^) -o $@ $(BENCH_LIBS) \
		$(CMOCKA_LIBS)

mini-vmm-guests: $(GUESTS) $(WL_VM)
.PHONY: mini-vmm-guests

PROGS += $(BUILD)/bin/mini-vmm $(BUILD)/bin/memtouch-native $(GUESTS) \
	$(WL_VM)
TESTS += $(BUILD)/tests/test_mini_vmm
