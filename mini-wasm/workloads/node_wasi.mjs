// node_wasi.mjs - Run a wasm32-wasi module in node (V8) through node:wasi,
// the JIT peer of mini-wasm in the isobench "wasm" figures.
//   node --no-warnings mini-wasm/workloads/node_wasi.mjs MODULE.wasm [ARGS...]
// The exit status is the module's proc_exit code.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const wasi = new WASI({ version: 'preview1', args: argv.slice(2), env: {},
			returnOnExit: true });
const module = await WebAssembly.compile(await readFile(argv[2]));
// wasiImport rather than getImportObject(): the latter is missing from
// Debian 12's node 18.
const instance = await WebAssembly.instantiate(module,
	{ wasi_snapshot_preview1: wasi.wasiImport });
exit(wasi.start(instance));
