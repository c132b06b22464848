/**
 * vitest global setup: bundle the CLI once before any test runs, so that tests spawning the installed
 * command (bin/kumihan.cjs) run the current sources — and no two test files rebuild dist/ at once.
 *
 * It also gives the run a temp directory of its own (TMPDIR, which os.tmpdir() reads, and which the
 * test workers and every command they spawn inherit), removed when the run ends: a test that makes a
 * temp directory and does not remove it (one made while a test file is collected, or by a command
 * that was killed) leaves nothing behind in the system's temp directory.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): () => void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const r = spawnSync(process.execPath, ['scripts/bundle.mjs', '--no-warm-up'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the CLI failed:\n${r.stderr}`);
  const runTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-tests-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = runTemp;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(runTemp, { recursive: true, force: true });
  };
}
