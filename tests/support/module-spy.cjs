// A preload for tests (`node --require tests/support/module-spy.cjs`, or through NODE_OPTIONS): records
// every load of the mupdf package — by require() or by import, in the main thread or a worker — and
// every WebAssembly module compiled, one line per event, to the file named by KUMIHAN_MODULE_SPY_LOG.
// Its first line in each thread shows which threads it watched: `spy main`, `spy build-worker` (a
// worker thread of a parallel build, src/batch/pool.ts) or `spy other-thread` (e.g. Node's loader hooks).
// Used by tests/licences/mupdf-isolation.test.ts to prove that `kumihan build` never loads mupdf.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const log = process.env.KUMIHAN_MODULE_SPY_LOG;
if (log) {
  const record = (line) => fs.appendFileSync(log, `${line}\n`);
  const threads = require('node:worker_threads');
  record(`spy ${threads.isMainThread ? 'main' : threads.workerData?.kumihanWorker === true ? 'build-worker' : 'other-thread'}`);
  const isMupdf = (s) => s === 'mupdf' || s.startsWith('mupdf/') || /[\\/]node_modules[\\/]mupdf[\\/]/.test(s);

  // CommonJS: every require() resolves through here.
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    const resolved = resolveFilename.call(this, request, ...rest);
    if (isMupdf(String(request)) || isMupdf(String(resolved))) record(`require ${request} -> ${resolved}`);
    return resolved;
  };

  // ES modules (kumihan loads mupdf with a dynamic import()): a resolve hook.
  Module.register(pathToFileURL(path.join(__dirname, 'module-spy-hooks.mjs')), { data: { log } });

  // WebAssembly (mupdf's engine is a .wasm file): every module compiled, whoever reads the file, with the
  // size of its bytes (which tells mupdf's from lcms-wasm's, the colour engine of press PDFs; MIT).
  const sizeOf = (source) => (source && typeof source.byteLength === 'number' ? ` ${source.byteLength} bytes` : '');
  for (const name of ['compile', 'instantiate', 'compileStreaming', 'instantiateStreaming']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (...args) {
      record(`WebAssembly.${name}${sizeOf(args[0])}`);
      return original.apply(this, args);
    };
  }
  const WasmModule = WebAssembly.Module;
  WebAssembly.Module = new Proxy(WasmModule, {
    construct(target, args, newTarget) {
      record(`new WebAssembly.Module${sizeOf(args[0])}`);
      return Reflect.construct(target, args, newTarget);
    },
  });
}
