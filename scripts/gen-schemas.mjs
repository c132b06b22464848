#!/usr/bin/env node
/**
 * Regenerates schemas/content.schema.json and schemas/template.schema.json from the zod schemas
 * in src/model/schema.ts. Equivalent to: UPDATE_SCHEMAS=1 npx vitest run tests/model/jsonschema.test.ts
 *
 * The generator is TypeScript, so it is bundled with esbuild (a dev dependency) into a temporary
 * module next to node_modules (so `zod` resolves), imported, and removed again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(projectRoot, 'node_modules', '.cache', 'kumihan-gen-schemas');
const outFile = path.join(outDir, `jsonschema-${process.pid}.mjs`);

await build({
  entryPoints: [path.join(projectRoot, 'src/model/jsonschema.ts')],
  outfile: outFile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const { writeSchemaFiles } = await import(pathToFileURL(outFile).href);
  for (const file of writeSchemaFiles(path.join(projectRoot, 'schemas'))) {
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
} finally {
  fs.rmSync(outFile, { force: true });
  if (fs.readdirSync(outDir).length === 0) fs.rmdirSync(outDir);
}
