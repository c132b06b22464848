/**
 * vitest global setup: bundle the CLI once before any test runs, so that tests spawning the installed
 * command (bin/kumihan.cjs) run the current sources — and no two test files rebuild dist/ at once.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const r = spawnSync(process.execPath, ['scripts/bundle.mjs', '--no-warm-up'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the CLI failed:\n${r.stderr}`);
}
