/*
 * fuzz_wasm.c - libFuzzer target for the path every untrusted module takes:
 * decode, validate, instantiate against the spectest host module, then
 * call each exported function whose parameters are numbers with zeros,
 * under fuel so that no input can loop forever.  Built by `make
 * fuzz-wasm` with clang -fsanitize=fuzzer,address,undefined.
 */
#include <stddef.h>
#include <stdint.h>

#include "runtime.h"
#include "spectest.h"

static void fuzz_calls(struct exec *ex, struct instance *in)
{
	const struct module *m = in->m;

	for (uint32_t i = 0; i < m->nexports; i++) {
		const struct export *x = &m->exports[i];
		struct wfunc *f;
		uint64_t args[16] = { 0 }, res[16];

		if (x->kind != EXT_FUNC)
			continue;
		f = in->funcs[x->idx];
		if (f->type->nparams > 16 || f->type->nresults > 16)
			continue;
		ex->fuel = 100000;
		interp__call(ex, f, args, res);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isolab_err e;
	struct module *m = module__decode(data, size, &e);
	struct store *s;
	struct linker l = { 0 };
	struct exec *ex;
	struct instance *in;

	if (!m)
		return 0;
	m->fuel = true; /* every call below runs under fuel */
	if (module__validate(m, &e) == 0) {
		s = store__create(16);
		ex = exec__create(s, 1 << 16, 1000);
		ex->fuel_on = true;
		ex->fuel = 100000;
		if (spectest__define(s, &l) == 0 &&
		    instance__create(s, &l, m, ex, &in, &e) == 0)
			fuzz_calls(ex, in);
		exec__destroy(ex);
		linker__free(&l);
		store__destroy(s);
	}
	module__destroy(m);
	return 0;
}
