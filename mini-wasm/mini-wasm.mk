# mini-wasm.mk - mini-wasm, the WebAssembly interpreter: the program, its
# test binary and the fuzz target.  Included by the top-level Makefile.

CFLAGS_mini-wasm := -Imini-wasm/src
MINI_WASM_SRCS := $(filter-out mini-wasm/src/main.c,$(wildcard mini-wasm/src/*.c))
MINI_WASM_OBJS := $(MINI_WASM_SRCS:%.c=$(BUILD)/obj/%.o)
MINI_WASM_LIBS := $(JANSSON_LIBS) -lm

$(BUILD)/bin/mini-wasm: $(BUILD)/obj/mini-wasm/src/main.o $(MINI_WASM_OBJS) $(BENCH_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_COMMON) $(filter %.o,$^) -o $@ $(BENCH_LIBS) $(MINI_WASM_LIBS)

PROGS += $(BUILD)/bin/mini-wasm
