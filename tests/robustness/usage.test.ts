/**
 * Usage errors that stop a build before it starts (exit 2): SOURCE_DATE_EPOCH (reproducible-builds.org)
 * must be whole seconds from 1970 to the end of 9999 — a malformed value never crashes every file nor
 * writes an invalid PDF date — and -o must name something.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoCrash, filesUnder, GOOD_LETTER, kumihan, tempDir, writeFile } from './helpers.js';

describe('SOURCE_DATE_EPOCH', () => {
  test.each(['abc', '-1', '1.5', '99999999999999', '253402300800'])('%s: a usage error (exit 2) before anything is built', (value) => {
    const dir = tempDir('kumihan-epoch-');
    writeFile(dir, 'content/a.yaml', GOOD_LETTER);
    const r = kumihan(dir, ['build'], { SOURCE_DATE_EPOCH: value });
    expect(r.status, r.all).toBe(2);
    expect(r.stderr).toContain(`SOURCE_DATE_EPOCH=${value}: expected whole seconds since 1970-01-01 UTC, from 0 to 253402300799`);
    expectNoCrash(r);
    expect(filesUnder(dir)).toEqual(['content/a.yaml']);
  });
  test('the last second of 9999 is accepted', () => {
    const dir = tempDir('kumihan-epoch-');
    writeFile(dir, 'content/a.yaml', GOOD_LETTER);
    const r = kumihan(dir, ['build'], { SOURCE_DATE_EPOCH: '253402300799' });
    expect(r.status, r.all).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'output/a.pdf'), 'latin1');
    expect(pdf).toContain('(D:99991231235959Z)');
    expect(pdf).toContain('<xmp:CreateDate>9999-12-31T23:59:59Z</xmp:CreateDate>');
  });
});

test('-o with an empty name is a usage error (exit 2), not a failed build', () => {
  const dir = tempDir('kumihan-empty-o-');
  writeFile(dir, 'content/a.yaml', GOOD_LETTER);
  const r = kumihan(dir, ['build', 'content/a.yaml', '-o', '']);
  expect(r.status, r.all).toBe(2);
  expect(r.stderr).toContain('-o needs a PDF file or a folder (it was given an empty name)');
  expect(filesUnder(dir)).toEqual(['content/a.yaml']);
});
