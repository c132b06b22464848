// Bundles the CLI with esbuild: one file to load instead of hundreds of modules, which is most of a
// cold start. mupdf stays external (WebAssembly, loaded only by render/check).
//
// `node scripts/bundle.mjs [--no-warm-up]` (run by `npm ci` through `prepare`) writes
//   dist/cli.cjs     the bundle, minified, as the source of one function (CommonJS's arguments);
//   dist/loader.cjs  what bin/kumihan.cjs requires (and worker threads run): it compiles cli.cjs with
//                    a V8 code cache (dist/cli.cjs.cache/), made after the first run of each command, so
//                    later runs skip parsing and compiling the bundle. The cache is keyed by the bundle
//                    (its checksum, computed here and written into the loader, and the file's size,
//                    modification time and inode), the Node version, architecture and V8 flags, its own
//                    data checksummed (V8 does not check the data it is given), and only
//                    ever an optimisation: a missing, stale, corrupt or unwritable cache means compiling
//                    as usual. The script then builds a small letter once so that the cache for `build`
//                    exists before the first real build (skip with --no-warm-up). KUMIHAN_NO_CODE_CACHE=1
//                    in the environment runs without reading or writing the cache. The cache lives only
//                    next to the bundle, never in a shared directory: code from a cache file is run as is.
//                    The loader and the command are CommonJS: an ES module entry point would start
//                    Node's ES module loader, which costs a cold start more than the whole page layout.
//   dist/worker.cjs  what a worker thread of a parallel build runs (src/batch/pool.ts): the loader, then
//                    the bundle's serveBuildJobs instead of main.
//   dist/cli.mjs     the same exports as an ES module, for programs (tests, benchmarks) that import them.
// `bundleOptions()` is the plain configuration (one self-contained ES module), shared with
// scripts/bench.mjs and the tests, which bundle their own entries the same way.
//
// Start-up work that kumihan never needs is cut out of the bundle (see `trimPlugin`):
//   - pdfkit's text wrapping (the `linebreak` package: a Unicode line-break trie inflated at load);
//     kumihan composes lines itself and never calls pdfkit's text(), so pdfkit gets a stub;
//   - fontkit's WOFF2 decoder (the `brotli` package, 1.4 MB of dictionary): loaded from node_modules
//     only if a WOFF2 font is ever opened;
//   - Unicode tries (fontkit's shapers, unicode-properties) are inflated on first lookup instead of at
//     load, and by Node's zlib instead of tiny-inflate;
//   - AES (pdfkit's encryption, via @noble/ciphers) is initialised on first use;
//   - fontkit itself is initialised on first use: src/font/fonts.ts reads plain fonts without it;
//   - zod's message locales other than English (kumihan writes its own messages);
//   - the `performance` global (perf_hooks), for a clock (see CJS_BANNER), and one copy per importing
//     module of each Node built-in's namespace (see shareBuiltinNamespaces).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const STUBS = {
  // pdfkit imports LineBreaker at the top of its bundle but uses it only in LineWrapper (doc.text()).
  linebreak: `export default class LineBreaker {
  constructor() { throw new Error('kumihan bundle: pdfkit text wrapping (linebreak) is not included'); }
}`,
  // fontkit decompresses WOFF2 fonts with brotli; kumihan's fonts are TrueType/OpenType files.
  brotli: `import { createRequire } from 'node:module';
let decompress;
export default function brotliDecompress(buffer, outSize) {
  decompress ??= createRequire(createRequire(import.meta.url).resolve('fontkit'))('brotli/decompress.js');
  return decompress(buffer, outSize);
}`,
  // Same interface as unicode-trie (only get() is used by its dependants), inflated on first use.
  // (CommonJS, like the packages it stands for: some dependants require() it.)
  'unicode-trie': `const UnicodeTrie = require('unicode-trie/index.js');
module.exports = class LazyUnicodeTrie {
  constructor(data) { this.data = data; this.trie = undefined; }
  get(codePoint) { return (this.trie ??= new UnicodeTrie(this.data)).get(codePoint); }
};`,
  // tiny-inflate (raw DEFLATE in JavaScript, for the Unicode tries and WOFF fonts) by Node's zlib:
  // the same output, tens of times faster. Same contract: fills dest, returns it or its used part.
  'tiny-inflate': `const { inflateRawSync } = require('node:zlib');
module.exports = function inflate(source, dest) {
  const out = inflateRawSync(source);
  if (out.length > dest.length) throw new Error('Data error');
  dest.set(out);
  if (out.length < dest.length) return typeof dest.slice === 'function' ? dest.slice(0, out.length) : dest.subarray(0, out.length);
  return dest;
};`,
  // fontkit (font parsing and OpenType shaping) builds hundreds of table decoders when loaded. kumihan
  // reads plain TrueType/OpenType fonts itself (src/font/fonts.ts) and asks fontkit only for what it
  // alone can do (shaping that GSUB/GPOS would change, CFF subsets): loaded on first use instead.
  fontkit: `let fontkit;
const load = () => (fontkit ??= require(${JSON.stringify(createRequire(fileURLToPath(import.meta.resolve('pdfkit'))).resolve('fontkit'))}));
export const create = (...args) => load().create(...args);
export const open = (...args) => load().open(...args);
export const openSync = (...args) => load().openSync(...args);
export const registerFormat = (...args) => load().registerFormat(...args);
export default { create, open, openSync, registerFormat };`,
  // pdfkit imports AES for encrypted PDFs, which kumihan does not write; @noble/ciphers builds its
  // tables when loaded. Loaded on first use instead (the real module, bundled, initialised lazily).
  '@noble/ciphers/aes': `let aes;
const load = () => (aes ??= require(${JSON.stringify(createRequire(fileURLToPath(import.meta.resolve('pdfkit'))).resolve('@noble/ciphers/aes'))}));
export const cbc = (...args) => load().cbc(...args);
export const ecb = (...args) => load().ecb(...args);`,
};

const trimPlugin = {
  name: 'kumihan-trim',
  setup(b) {
    b.onResolve({ filter: /^(linebreak|brotli\/decompress(\.js)?|unicode-trie|tiny-inflate|@noble\/ciphers\/aes|fontkit)$/ }, (args) => ({
      path: args.path.startsWith('brotli') ? 'brotli' : args.path,
      namespace: 'kumihan-stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'kumihan-stub' }, (args) => ({ contents: STUBS[args.path], loader: 'js', resolveDir: ROOT }));
    // zod's namespace re-exports all of its ~50 message locales; kumihan's messages are its own, over
    // zod's English default. Only `en` is kept (src/model/schema.ts registers it; zod/mini does not).
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|mini|core)$/.test(args.resolveDir)
        ? { path: path.join(args.resolveDir, '..', 'locales', 'en-only.js'), namespace: 'kumihan-zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'kumihan-zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
    // pdfkit copies its ~150 methods onto PDFDocument.prototype one mixin at a time; while the prototype
    // has fast properties, V8 copies its descriptor array for every method added (~0.3 MB of garbage on
    // every start, a scavenge sooner). Made a dictionary first (adding and deleting a property does it),
    // the methods go into a table; V8 makes the prototype fast again, once, when it is first used.
    b.onLoad({ filter: /[\\/]pdfkit[\\/]js[\\/]pdfkit(\.node\.mjs|\.js)$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const mixin = 'const mixin = methods => {\n  Object.assign(PDFDocument.prototype, methods);\n};\n';
      if (source.split(mixin).length !== 2) throw new Error(`bundle: pdfkit's mixin() is not as expected in ${args.path}`);
      const slow = 'PDFDocument.prototype.__kumihanSlow = 0;\ndelete PDFDocument.prototype.__kumihanSlow;\n';
      return { contents: source.replace(mixin, slow + mixin), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/** esbuild options for a Node bundle of kumihan code as one ES module (entry and output supplied by the caller). */
export function bundleOptions() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // pdfkit requires fontkit through CommonJS; resolve our import the same way so one copy is bundled.
    mainFields: ['main', 'module'],
    conditions: ['require'],
    // lcms-wasm (WebAssembly, an ES module that finds its .wasm beside itself): loaded only for press output.
    external: ['mupdf', 'lcms-wasm'],
    define: { KUMIHAN_VERSION: JSON.stringify(pkg.version) },
    banner: {
      js: "import { createRequire as __kumihanCreateRequire } from 'node:module'; const require = __kumihanCreateRequire(import.meta.url);",
    },
    plugins: [trimPlugin],
    // Less source for V8 to scan at start-up. (Identifiers too: kumihan reads no function or class names.)
    minify: true,
    charset: 'ascii',
    legalComments: 'none',
    logLevel: 'warning',
  };
}

/**
 * The bundle as the source of one function expression, for dist/loader.cjs to compile with a code cache
 * (dist/cli.cjs is not a module Node can load by itself). The function is called with CommonJS's
 * arguments and `__kumihanLoader` ({ url, import }): import.meta.url is the loader's URL (so that a worker
 * thread started on it runs the CLI again), and dynamic imports of external modules go through the
 * loader (a script compiled by `vm` cannot import()). The wrapper is part of the file, so that the
 * loader compiles the file's text as it was read: wrapping it at run time made V8 copy the 0.8 MB source
 * into one more string (a concatenation is flattened before compiling) on every run.
 */
const CJS_BANNER = `"use strict";
var __kumihan = __kumihanLoader;
// \`performance.now()\` (kumihan times its builds with it) without Node's perf_hooks: the \`performance\`
// global loads 12 internal modules on first use, ~1.3 ms of every start. Same unit (milliseconds) for
// the durations it measures; another origin. (Every \`performance\` in the bundle means this: see define.)
var __kumihanPerformance = { now: () => Number(process.hrtime.bigint()) / 1e6 };
// A built-in's namespace: its \`default\` is the module, every other name is read through to the module (its
// prototype), as esbuild's __toESM would give with a getter per property, copied for ~100 names of node:fs.
var __kumihanBuiltinNamespaces = new Map();
function __kumihanBuiltin(id) {
  const key = id.startsWith("node:") ? id.slice(5) : id;
  let ns = __kumihanBuiltinNamespaces.get(key);
  if (ns === undefined) {
    const mod = require(id);
    __kumihanBuiltinNamespaces.set(key, (ns = Object.create(mod, { default: { value: mod, enumerable: true } })));
  }
  return ns;
}`;
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname, __kumihanLoader) {\n';
const WRAPPER_TAIL = '\n})\n';

/** Loader template; EXPORTS is replaced by the entry's exports. */
const LOADER = `// Generated by scripts/bundle.mjs: runs ./cli.cjs with a V8 code cache (see there). Do not edit.
'use strict';
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');
const { crc32 } = require('node:zlib');

const bundle = path.join(__dirname, 'cli.cjs');
// The checksum of ./cli.cjs as scripts/bundle.mjs wrote it with this loader.
const BUNDLE_CRC = BUNDLE_CRC_VALUE;
/** Fills \`into\` from the start of the open file \`fd\` (\`file\` names it in the error). */
function readAll(fd, into, file) {
  for (let n = 0; n < into.length; ) {
    const read = fs.readSync(fd, into, n, into.length - n, n);
    if (read === 0) throw new Error(\`kumihan: \${file} was cut short while being read\`);
    n += read;
  }
}

const fd = fs.openSync(bundle, 'r');
let bytes;
let stamp;
try {
  const stat = fs.fstatSync(fd);
  bytes = Buffer.allocUnsafeSlow(stat.size);
  readAll(fd, bytes, bundle);
  // What the cache is for: this loader's bundle, as this very file (size, modification time, inode),
  // so that a cli.cjs rewritten without its loader is never run with another file's cache. Cheaper
  // than a checksum of the 0.8 MB file on every run (the cache data itself is checksummed below).
  stamp = crc32(\`\${BUNDLE_CRC}:\${stat.size}:\${stat.mtimeMs}:\${stat.ino}\`);
} finally {
  fs.closeSync(fd);
}
// A worker thread of a parallel build runs ./worker.cjs (its main module). Told apart this way rather
// than by node:worker_threads, which every build would then load (~3 ms).
const inWorker = require.main !== undefined && require.main.filename === path.join(__dirname, 'worker.cjs');
// One cache per command (each compiles different functions); worker threads use build's and never write.
const command = inWorker ? 'build' : /^(build|render|check|verify)$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
const cacheFile = path.join(
  bundle + '.cache',
  \`\${command}-\${process.version}-\${process.arch}-\${crc32(process.execArgv.join('\\0')).toString(16)}.bin\`,
);
const MAGIC = 0x4b4d4843; // 'KMHC'
const FORMAT = 2;

// cli.cjs is ASCII (checked when it is written), so latin1 is its text. Copied into a string first, so that
// the code cache can be read into the same memory: already touched, where a new buffer of 0.8 MB would
// take ~200 page faults (~2 ms on a virtual machine).
const sourceLength = bytes.length;
const sourceText = bytes.toString('latin1');

/**
 * The cached code for this very source, or undefined; read into \`scratch\` when it fits.
 * Header: magic, format, stamp, source length, data crc & length.
 */
function readCache(scratch) {
  let cacheFd;
  try {
    cacheFd = fs.openSync(cacheFile, 'r');
    const size = fs.fstatSync(cacheFd).size;
    const b = size <= scratch.length ? scratch.subarray(0, size) : Buffer.allocUnsafe(size);
    readAll(cacheFd, b, cacheFile);
    if (b.length < 24 || b.readUInt32BE(0) !== MAGIC || b.readUInt32BE(4) !== FORMAT) return undefined;
    if (b.readUInt32BE(8) !== stamp || b.readUInt32BE(12) !== sourceLength) return undefined;
    const data = b.subarray(24);
    if (data.length !== b.readUInt32BE(20) || crc32(data) !== b.readUInt32BE(16)) return undefined;
    return data;
  } catch {
    return undefined;
  } finally {
    if (cacheFd !== undefined) fs.closeSync(cacheFd);
  }
}

const cachedData = process.env.KUMIHAN_NO_CODE_CACHE ? undefined : readCache(bytes);
const script = new vm.Script(sourceText, { filename: bundle, cachedData });
bytes = undefined;
const cjs = { exports: {} };
script.runInThisContext().call(cjs.exports, cjs.exports, createRequire(bundle), cjs, bundle, path.dirname(bundle), {
  url: pathToFileURL(__filename).href,
  import: (specifier) => import(specifier),
});
let saved = inWorker || process.env.KUMIHAN_NO_CODE_CACHE !== undefined || (cachedData !== undefined && !script.cachedDataRejected);

/** After a command has run (so that the functions it used are compiled): write the cache, if it was not used. */
function saveCache() {
  if (saved) return;
  saved = true;
  let tmp;
  try {
    const data = script.createCachedData();
    const header = Buffer.alloc(24);
    header.writeUInt32BE(MAGIC, 0);
    header.writeUInt32BE(FORMAT, 4);
    header.writeUInt32BE(stamp, 8);
    header.writeUInt32BE(sourceLength, 12);
    header.writeUInt32BE(crc32(data), 16);
    header.writeUInt32BE(data.length, 20);
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    tmp = \`\${cacheFile}.\${process.pid}.tmp\`;
    fs.writeFileSync(tmp, Buffer.concat([header, data]));
    fs.renameSync(tmp, cacheFile); // atomic: readers see the old file or the new one
  } catch {
    // A read-only install, a full disk: run without a cache.
    try {
      if (tmp) fs.rmSync(tmp, { force: true });
    } catch {
      // nothing more to do
    }
  }
}

const m = cjs.exports;
EXPORTS
`;

const WORKER = `// Generated by scripts/bundle.mjs: what a worker thread of a parallel build runs (src/batch/pool.ts). Do not edit.
'use strict';
require('./loader.cjs').serveBuildJobs();
`;

/** The loader's exports as an ES module; EXPORTS is replaced by the entry's exports. */
const ESM_FACADE = `// Generated by scripts/bundle.mjs: the CLI's exports as an ES module (the command itself is
// bin/kumihan.cjs, which requires ./loader.cjs directly). Do not edit.
import { createRequire } from 'node:module';

const loader = createRequire(import.meta.url)('./loader.cjs');
EXPORTS
`;

/**
 * esbuild turns `import fs from 'node:fs'` into `__toESM(require("node:fs"), 1)`, and __toESM copies every
 * property of the module (as a getter) into a new namespace object, once per importing module: node:fs
 * (~100 properties) and node:path are imported by a dozen modules each, 2–3 ms of every start. A Node
 * built-in is complete when required, so one namespace per built-in (`fs` and `node:fs` alike) serves every
 * importer, and it copies nothing: the module is its prototype (`__kumihanBuiltin` in the banner). Other
 * CommonJS modules keep their own copies (a module in a require cycle can gain exports after a first
 * importer has copied them).
 */
function shareBuiltinNamespaces(code) {
  const helpers = [
    ...code.matchAll(
      /([\w$]+)=\(([\w$]+),([\w$]+),([\w$]+)\)=>\(\4=\2!=null\?[\w$]+\([\w$]+\(\2\)\):\{\},[\w$]+\(\3\|\|!\2\|\|!\2\.__esModule\?/g,
    ),
  ];
  if (helpers.length !== 1) throw new Error(`bundle: expected esbuild's __toESM helper once, found it ${helpers.length} times`);
  const toESM = helpers[0][1].replace(/\$/g, '\\$');
  return code.replace(new RegExp(`(?<![\\w$.])${toESM}\\(require\\(("[^"\\\\]+")\\)(,1)?\\)`, 'g'), (call, id) =>
    isBuiltin(JSON.parse(id)) ? `__kumihanBuiltin(${id})` : call,
  );
}

/** The names an entry module exports (its own `export` statements). */
async function exportsOf(entry) {
  const r = await build({
    entryPoints: [entry],
    bundle: false,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
    outdir: 'out',
  });
  return Object.values(r.metafile.outputs)[0].exports;
}

/**
 * Writes `<outdir>/cli.cjs`, its loader `<outdir>/loader.cjs` and the module `<outdir>/cli.mjs` (and clears
 * the old code cache).
 * `readableNames` keeps identifiers unminified (for profiles).
 */
export async function bundleCli({ entry = 'src/cli.ts', outdir = 'dist', readableNames = false } = {}) {
  const base = bundleOptions();
  const result = await build({
    ...base,
    ...(readableNames ? { minify: false, minifyWhitespace: true, minifySyntax: true } : {}),
    entryPoints: [entry],
    outfile: path.join(outdir, 'cli.cjs'),
    format: 'cjs',
    banner: { js: CJS_BANNER },
    define: { ...base.define, 'import.meta.url': '__kumihan.url', performance: '__kumihanPerformance' },
    write: false,
  });
  let code = result.outputFiles[0].text;
  // Dynamic imports left in the bundle are of external modules (mupdf, node:…): through the loader.
  code = code.replace(/(?<![\w$.])import\(("[^"\\]+")\)/g, '__kumihan.import($1)');
  code = shareBuiltinNamespaces(code);
  if (!/^[\x00-\x7f]*$/.test(code)) throw new Error('bundle: expected ASCII output (the loader reads it as latin1)');
  code = WRAPPER_HEAD + code + WRAPPER_TAIL;
  const names = await exportsOf(entry);
  const exportLines = names.map((name) =>
    name === 'main'
      ? 'exports.main = async function main(argv) {\n  try {\n    return await m.main(argv);\n  } finally {\n    saveCache();\n  }\n};'
      : `exports[${JSON.stringify(name)}] = m[${JSON.stringify(name)}];`,
  );
  const moduleLines = names.map((name) =>
    name === 'default' ? 'export default loader.default;' : `export const ${name} = loader.${name};`,
  );
  fs.mkdirSync(outdir, { recursive: true });
  fs.rmSync(path.join(outdir, 'cli.cjs.cache'), { recursive: true, force: true });
  fs.writeFileSync(path.join(outdir, 'cli.cjs'), code);
  const loader = LOADER.replace('BUNDLE_CRC_VALUE', `0x${crc32(Buffer.from(code, 'latin1')).toString(16).padStart(8, '0')}`).replace(
    'EXPORTS',
    exportLines.join('\n'),
  );
  fs.writeFileSync(path.join(outdir, 'loader.cjs'), loader);
  fs.writeFileSync(path.join(outdir, 'worker.cjs'), WORKER);
  fs.writeFileSync(path.join(outdir, 'cli.mjs'), ESM_FACADE.replace('EXPORTS', moduleLines.join('\n')));
  // pdfkit reads its sRGB profile (the PDF/A output intent of a screen PDF) from data/ beside its own
  // file, which in the bundle is dist/.
  const pdfkitData = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfkit')), 'data');
  fs.mkdirSync(path.join(outdir, 'data'), { recursive: true });
  fs.copyFileSync(path.join(pdfkitData, 'sRGB_IEC61966_2_1.icc'), path.join(outdir, 'data', 'sRGB_IEC61966_2_1.icc'));
}

/** A letter touching the usual paths (header fields, Japanese and Western text, closing), for warmUp. */
const WARM_UP_LETTER = `template: letter
date: 2017-01-26
recipient:
  - 株式会社見本 御中
sender: 見本株式会社
title: 「見本」のご案内
closing: 敬具
signature:
  - 代表取締役 見本太郎
body: |
  拝啓　時下ますますご清栄のこととお慶び申し上げます。平素は格別のご高配を賜り，厚く御礼申し上げます。

  さて，このたび「Smart Mix with Technology」をテーマとする催しを開催いたします（１２月１日～３日）。ご多用中とは存じますが，ぜひご来場ください。
`;

/**
 * Builds a small letter once with the fresh bundle, so that the first real build already finds the code
 * cache (dist/cli.cjs.cache/build-…). Best effort: a failure here only means the first build makes it.
 */
function warmUp() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-warm-up-'));
  try {
    fs.writeFileSync(path.join(dir, 'letter.yaml'), WARM_UP_LETTER);
    spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/kumihan.cjs'), 'build', path.join(dir, 'letter.yaml'), '-o', path.join(dir, 'letter.pdf')],
      {
        cwd: dir,
        stdio: 'ignore',
        timeout: 60_000,
      },
    );
  } catch {
    // no cache yet; the first build writes it
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.chdir(ROOT);
  await bundleCli();
  if (!process.argv.includes('--no-warm-up')) warmUp();
}
