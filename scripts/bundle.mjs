// Bundles the CLI into dist/cli.mjs with esbuild: one file to load instead of hundreds of modules,
// which is most of a cold start. mupdf stays external (WebAssembly, loaded only by render/check).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.mjs',
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
});
