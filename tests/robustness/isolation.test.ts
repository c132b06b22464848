/**
 * Isolation (issue item 5, "the other files of the batch are not built"): a file that runs out of memory
 * or crashes its worker thread fails alone. The fault is injected (KUMIHAN_FAULT_INJECTION, honoured in
 * worker threads only); the rest of the batch is built, the summary says what happened, verify names it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoCrash, filesUnder, kumihan, tempDir, writeFile } from './helpers.js';

function project(): string {
  const dir = tempDir('kumihan-isolation-');
  for (const name of ['a', 'b', 'c', 'd', 'e']) writeFile(dir, `${name}.yaml`, `title: ${name}\nbody: |\n  ${name}の本文です。\n`);
  return dir;
}

const FILES = ['a.yaml', 'b.yaml', 'c.yaml', 'd.yaml', 'e.yaml'];

describe('one file fails alone', () => {
  test('a file that runs out of memory: the others are built, the summary and verify say so', () => {
    const dir = project();
    const good = kumihan(dir, ['build', ...FILES, '-o', 'before']);
    expect(good.status, good.all).toBe(0);
    const r = kumihan(dir, ['build', ...FILES, '-o', 'out', '--max-memory', '96', '-j', '2'], { KUMIHAN_FAULT_INJECTION: 'oom:c.yaml' });
    expect(r.status, r.all).toBe(1);
    expect(r.stderr).toMatch(
      /^c\.yaml: building this file ran out of memory \(a file may use 96 MB; --max-memory MB to change it\); the other files were built$/m,
    );
    expect(r.stdout).toMatch(/^5 files, 4 pages, \d+\.\d\d s, 1 failed \(1 ran out of memory\)$/m);
    expectNoCrash(r);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf', 'd.pdf', 'e.pdf', 'manifest.json']);
    // The PDFs that were built are exactly those of a build without the fault.
    for (const name of ['a', 'b', 'd', 'e']) {
      expect(
        fs.readFileSync(path.join(dir, 'out', `${name}.pdf`)).equals(fs.readFileSync(path.join(dir, 'before', `${name}.pdf`))),
        name,
      ).toBe(true);
    }
    const verify = kumihan(dir, ['verify', 'out/manifest.json']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^out\/c\.pdf +FAILED: not built \(c\.yaml: building this file ran out of memory/m);
  });

  test('a file that crashes its worker thread: the others are built, with one worker thread too', () => {
    const dir = project();
    const r = kumihan(dir, ['build', ...FILES, '-o', 'out', '-j', '1'], { KUMIHAN_FAULT_INJECTION: 'crash:a.yaml' });
    expect(r.status, r.all).toBe(1);
    expect(r.stderr).toMatch(/^a\.yaml: building this file crashed its worker thread \(injected crash\); the other files were built$/m);
    expect(r.stdout).toMatch(/, 1 failed \(1 crashed its worker thread\)$/m);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['b.pdf', 'c.pdf', 'd.pdf', 'e.pdf', 'manifest.json']);
  });
});
