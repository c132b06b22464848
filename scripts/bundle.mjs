// Bundles the CLI into dist/cli.mjs with esbuild: one file to load instead of hundreds of modules,
// which is most of a cold start. mupdf stays external (WebAssembly, loaded only by render/check).
// `bundleOptions` is shared with scripts/bench.mjs, which bundles its own entry the same way.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** esbuild options for a Node bundle of kumihan code (entry and output supplied by the caller). */
export function bundleOptions() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // pdfkit requires fontkit through CommonJS; resolve our import the same way so one copy is bundled.
    mainFields: ['main', 'module'],
    conditions: ['require'],
    external: ['mupdf'],
    define: { KUMIHAN_VERSION: JSON.stringify(pkg.version) },
    banner: { js: "import { createRequire as __kumihanCreateRequire } from 'node:module'; const require = __kumihanCreateRequire(import.meta.url);" },
    legalComments: 'none',
    logLevel: 'warning',
  };
}

export async function bundleCli() {
  await build({ ...bundleOptions(), entryPoints: ['src/cli.ts'], outfile: 'dist/cli.mjs' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.chdir(fileURLToPath(new URL('..', import.meta.url)));
  await bundleCli();
}
