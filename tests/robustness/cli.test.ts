/**
 * The bundled CLI on a batch with a bad file: the good files still build, the bad one's message is
 * printed (one readable message, no stack), the exit status is 1, and a bad file's previous PDF is
 * left exactly as it was — with no temporary files left in the output directory.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, tempDir, writeFile } from './helpers.js';

const BIN = path.join(ROOT, 'bin/kumihan.cjs');

function kumihan(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1485388800', NO_COLOR: '1' },
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, all: run.stdout + run.stderr };
}

const GOOD = 'title: 表題\nbody: |\n  正しい本文です。\n';
const GOOD_B = 'title: 別の表題\nbody: |\n  こちらも正しい本文です。\n';

const BAD: { name: string; text: string; expect: RegExp }[] = [
  { name: 'a YAML syntax error', text: 'title: "閉じていない\nbody: 本文\n', expect: /b\.yaml:1:8: YAML syntax error/ },
  {
    name: 'an unknown field',
    text: 'titel: 表題\nbody: 本文\n',
    expect: /b\.yaml:1:1: titel: unknown field "titel" — did you mean title\?/,
  },
  {
    name: 'a character missing from the font',
    text: 'title: 表題\nbody: |\n  本文に😀があります。\n',
    expect: /b\.yaml:3:6: body \(paragraph 1\): .*U\+1F600/,
  },
  {
    name: 'a missing logo in its template',
    text: 'template: ./logo.yaml\nbody: 本文\n',
    expect: /logo\.yaml:5:11: letterhead\.logo\.file: .*missing\.png/,
  },
];

/** A directory with a.yaml (good), b.yaml (`b`) and logo.yaml, a template whose logo file is missing. */
function batchDir(b: string): string {
  const dir = tempDir('kumihan-cli-');
  writeFile(dir, 'a.yaml', GOOD);
  writeFile(dir, 'b.yaml', b);
  writeFile(dir, 'logo.yaml', 'extends: letter\nletterhead:\n  name: 株式会社\n  logo:\n    file: missing.png\n    width: 20mm\n');
  return dir;
}

/** The build's batch manifest (sizes and hashes of the PDFs) is a product, not a leftover. */
const MANIFEST = /^manifest(\.shard-\d+-of-\d+)?\.json$/;

/** Everything in `dir` except the manifest: the PDFs, and any temp file a build left behind. */
function outputFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => !MANIFEST.test(name))
    .sort();
}

describe('kumihan build with one good and one bad file', () => {
  test.each(BAD)('$name: exit 1, the good PDF is written, the message is printed', ({ text, expect: message }) => {
    const dir = batchDir(text);
    const run = kumihan(dir, 'build', 'a.yaml', 'b.yaml', '-o', 'out');
    expect(run.status, run.all).toBe(1);
    const a = fs.readFileSync(path.join(dir, 'out/a.pdf'));
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(fs.existsSync(path.join(dir, 'out/b.pdf'))).toBe(false);
    expect(outputFiles(path.join(dir, 'out'))).toEqual(['a.pdf']);
    expect(run.stderr).toMatch(message);
    // One readable message, not a crash.
    expect(run.all).not.toMatch(/internal error|TypeError|^\s+at .+:\d+/m);
    // The summary says one failed.
    expect(run.stdout).toMatch(/1 failed/);
  });

  test('the bad file first in the batch does not stop the good one after it', () => {
    const dir = tempDir('kumihan-cli-');
    writeFile(dir, 'a.yaml', 'body: [壊れた\n');
    writeFile(dir, 'b.yaml', GOOD_B);
    const run = kumihan(dir, 'build', 'a.yaml', 'b.yaml', '-o', 'out');
    expect(run.status, run.all).toBe(1);
    expect(outputFiles(path.join(dir, 'out'))).toEqual(['b.pdf']);
    expect(run.stderr).toMatch(/a\.yaml:\d+:\d+: YAML syntax error/);
  });

  test('a content file that does not exist: exit 1, the other file builds, the message names it', () => {
    const dir = tempDir('kumihan-cli-');
    writeFile(dir, 'a.yaml', GOOD);
    const run = kumihan(dir, 'build', 'a.yaml', 'nosuch.yaml', '-o', 'out');
    expect(run.status, run.all).toBe(1);
    expect(outputFiles(path.join(dir, 'out'))).toEqual(['a.pdf']);
    expect(run.stderr).toMatch(/nosuch\.yaml/);
    expect(run.stderr).toMatch(/not found/);
    expect(run.all).not.toMatch(/internal error|^\s+at .+:\d+/m);
  });
});

describe('a failed file leaves its previous good PDF in place', () => {
  test.each(BAD)('$name: the earlier b.pdf is byte-for-byte unchanged, no temp files', ({ text }) => {
    const dir = batchDir(GOOD_B);
    const first = kumihan(dir, 'build', 'a.yaml', 'b.yaml', '-o', 'out');
    expect(first.status, first.all).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'out/b.pdf'));
    const beforeStat = fs.statSync(path.join(dir, 'out/b.pdf'));
    expect(before.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // b.yaml goes bad; a.yaml changes and must be rebuilt.
    writeFile(dir, 'b.yaml', text);
    writeFile(dir, 'a.yaml', GOOD.replace('正しい', '直した'));
    const aBefore = fs.readFileSync(path.join(dir, 'out/a.pdf'));
    const second = kumihan(dir, 'build', 'a.yaml', 'b.yaml', '-o', 'out');
    expect(second.status, second.all).toBe(1);

    const after = fs.readFileSync(path.join(dir, 'out/b.pdf'));
    expect(after.equals(before)).toBe(true);
    expect(fs.statSync(path.join(dir, 'out/b.pdf')).mtimeMs).toBe(beforeStat.mtimeMs);
    expect(fs.readFileSync(path.join(dir, 'out/a.pdf')).equals(aBefore)).toBe(false);
    expect(outputFiles(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf']);
  });

  test('a single bad file with -o FILE keeps the previous FILE, no temp files next to it', () => {
    const dir = tempDir('kumihan-cli-');
    writeFile(dir, 'doc.yaml', GOOD);
    const first = kumihan(dir, 'build', 'doc.yaml', '-o', 'letter.pdf');
    expect(first.status, first.all).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'letter.pdf'));
    writeFile(dir, 'doc.yaml', 'title: 表題\nbody: "本文\\a"\n');
    const second = kumihan(dir, 'build', 'doc.yaml', '-o', 'letter.pdf');
    expect(second.status, second.all).toBe(1);
    expect(second.stderr).toMatch(/doc\.yaml:2:\d+: body \(paragraph 1\): control character U\+0007/);
    expect(fs.readFileSync(path.join(dir, 'letter.pdf')).equals(before)).toBe(true);
    expect(outputFiles(dir)).toEqual(['doc.yaml', 'letter.pdf']);
  });
});

describe('what kumihan prints (src/output.ts writes lines straight to the descriptors)', () => {
  test('a reader that goes away (kumihan build | head -0) does not fail the build', () => {
    const dir = tempDir('kumihan-cli-');
    writeFile(dir, 'doc.yaml', GOOD);
    // The shell closes the pipe's read end before kumihan writes: every write meets EPIPE.
    const run = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" build doc.yaml -o doc.pdf | true`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
    expect(fs.readFileSync(path.join(dir, 'doc.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  test('lines on stdout and stderr are whole, in the order things happen', () => {
    const dir = tempDir('kumihan-cli-');
    writeFile(dir, 'a.yaml', GOOD);
    writeFile(dir, 'b.yaml', 'body: [壊れた\n');
    writeFile(dir, 'c.yaml', GOOD_B);
    const run = kumihan(dir, 'build', 'a.yaml', 'b.yaml', 'c.yaml', '-o', 'out', '--jobs', '1');
    expect(run.status).toBe(1);
    // b.yaml fails while the batch is planned, before anything is built: it is reported first.
    expect(run.stdout.split('\n')).toEqual([
      'b.yaml → out/b.pdf  FAILED',
      expect.stringMatching(/^a\.yaml → out\/a\.pdf {2}1 page {2}\d+ bytes {2}\d+ ms$/),
      expect.stringMatching(/^c\.yaml → out\/c\.pdf {2}1 page {2}\d+ bytes {2}\d+ ms$/),
      expect.stringMatching(/^3 files, 2 pages, \d+\.\d\d s, 1 failed$/),
      '',
    ]);
    expect(run.stderr).toMatch(/^b\.yaml:\d+:\d+: YAML syntax error[^\n]*\n/);
  });
});

describe('bin/kumihan.mjs, the command’s first name', () => {
  test('runs the same command, exit status included', () => {
    const dir = tempDir('kumihan-cli-');
    writeFile(dir, 'doc.yaml', GOOD);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'bin/kumihan.mjs'), ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const ok = run('build', 'doc.yaml', '-o', 'doc.pdf');
    expect(ok.status, ok.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'doc.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const bad = run('build', 'nosuch.yaml', '-o', 'x.pdf');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/nosuch\.yaml/);
  });
});
