/**
 * Reproducible output (issue "Release builds", 1): two builds of the same input — in different
 * directories, by different processes, at different times — give identical bytes, with and without
 * SOURCE_DATE_EPOCH, and the PDF holds no path of the machine it was built on.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/files.js';

const BIN = path.join(ROOT, 'bin/kumihan.cjs');

/** Copy the seed content (and the sample letter with its own template and logo) into a fresh directory. */
function project(): string {
  const dir = tempDir('kumihan-repro-');
  fs.cpSync(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  return dir;
}

function build(cwd: string, env: Record<string, string | undefined>): { seed: Buffer; letter: Buffer } {
  const r = spawnSync(process.execPath, [BIN, 'build'], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return {
    seed: fs.readFileSync(path.join(cwd, 'output/embassy-2017-kazakhstan.pdf')),
    letter: fs.readFileSync(path.join(cwd, 'output/sample-company-letter.pdf')),
  };
}

describe('reproducible builds', () => {
  it('two directories, two processes, a second apart: identical bytes without SOURCE_DATE_EPOCH', async () => {
    const a = project();
    const b = project();
    const first = build(a, { SOURCE_DATE_EPOCH: undefined });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = build(b, { SOURCE_DATE_EPOCH: undefined });
    expect(first.seed.equals(second.seed)).toBe(true);
    expect(first.letter.equals(second.letter)).toBe(true);
    // No path of either build directory (nor of the package) is written into the PDF.
    for (const pdf of [first.seed, first.letter]) {
      const bytes = pdf.toString('latin1');
      for (const dir of [a, b, ROOT]) expect(bytes.includes(dir)).toBe(false);
    }
  });

  it('identical bytes with SOURCE_DATE_EPOCH, and a different date than without it', () => {
    const epoch = { SOURCE_DATE_EPOCH: '1485388800' };
    const first = build(project(), epoch);
    const second = build(project(), epoch);
    expect(first.seed.equals(second.seed)).toBe(true);
    expect(first.seed.toString('latin1')).toContain('D:20170126');
    const unset = build(project(), { SOURCE_DATE_EPOCH: undefined });
    expect(unset.seed.equals(first.seed)).toBe(false);
  });
});
