/**
 * Messages (issue item 8): every problem of a file (up to 20), OS errors in one line with the path and
 * what to do, the caret under the problem by display width, -o FILE with several inputs refused, an
 * absolute recipients path shown as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatError, KumihanError, osErrorMessage, sourceWindow } from '../../src/errors.js';
import { expectNoCrash, filesUnder, GOOD_LETTER, kumihan, tempDir, writeFile } from './helpers.js';

describe('every problem of a file', () => {
  test('12 problems: all 12 are printed, each at its line, and the good file is built', () => {
    const fields = Array.from({ length: 12 }, (_, i) => `field${i + 1}: x`).join('\n');
    const dir = tempDir('kumihan-messages-');
    writeFile(dir, 'a.yaml', GOOD_LETTER);
    writeFile(dir, 'b.yaml', `body: 本文\n${fields}\n`);
    const r = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out']);
    expect(r.status).toBe(1);
    const problems = r.stderr.split('\n').filter((line) => /^b\.yaml:\d+:1: field\d+: unknown field/.test(line));
    expect(problems.map((line) => Number(/^b\.yaml:(\d+)/.exec(line)![1]))).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
    expect(r.stderr).not.toMatch(/more problem/);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'manifest.json']);
  });

  test('25 problems: the first 20 are printed and the rest counted', () => {
    const first = new KumihanError('schema', 'problem 1', { file: 'x.yaml', line: 1 });
    first.others = Array.from({ length: 24 }, (_, i) => new KumihanError('schema', `problem ${i + 2}`, { file: 'x.yaml', line: i + 2 }));
    const lines = formatError(first).split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[19]).toBe('x.yaml:20: problem 20');
    expect(lines[20]).toBe('… and 5 more problems in x.yaml');
  });
});

describe('OS errors: one line, the path, what to do', () => {
  const errno = (code: string, syscall: string, file: string) =>
    Object.assign(new Error(`${code}: x, ${syscall} '${file}'`), { code, syscall, path: file });

  test.each([
    ['ENOSPC', 'write', 'output/a.pdf', 'cannot write output/a.pdf: the disk is full: free some space and build again (ENOSPC)'],
    [
      'EROFS',
      'open',
      'output/a.pdf',
      'cannot open output/a.pdf: the file system is read-only: build into a writable folder (-o DIR) (EROFS)',
    ],
    [
      'EACCES',
      'mkdir',
      'output',
      'cannot mkdir output: permission denied: check the permissions of the folder, or build into another one (-o DIR) (EACCES)',
    ],
  ])('%s', (code, syscall, file, message) => {
    expect(osErrorMessage(errno(code, syscall, file))).toBe(message);
    expect(formatError(errno(code, syscall, file))).toBe(message);
  });

  test('an output folder that cannot be made: one line, exit 1, no stack', () => {
    const dir = tempDir('kumihan-messages-');
    writeFile(dir, 'a.yaml', GOOD_LETTER);
    writeFile(dir, 'blocker', 'a file where a folder should be');
    const r = kumihan(dir, ['build', 'a.yaml', '-o', 'blocker/out/']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^cannot mkdir blocker\/out\/?: a part of the path is a file, not a folder \(ENOTDIR\)$/);
    expectNoCrash(r);
  });

  test('a PDF that cannot be written fails that PDF with one line; the others are built', () => {
    const dir = tempDir('kumihan-messages-');
    writeFile(dir, 'a.yaml', GOOD_LETTER);
    writeFile(dir, 'b.yaml', GOOD_LETTER);
    fs.mkdirSync(path.join(dir, 'out/b.pdf'), { recursive: true });
    writeFile(dir, 'out/b.pdf/keep', 'a folder named like the PDF');
    const r = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out']);
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toMatch(/^cannot write out\/b\.pdf: .*\((EISDIR|ENOTEMPTY|EEXIST)\)$/);
    expectNoCrash(r);
    expect(fs.existsSync(path.join(dir, 'out/a.pdf'))).toBe(true);
    expect(filesUnder(path.join(dir, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the caret stands under the problem, by display width', () => {
  test('after full-width text, two columns per character', () => {
    const { line, caret } = sourceWindow('title: 全角の表題😀です', 13);
    expect(line).toBe('title: 全角の表題😀です');
    expect(caret).toBe(' '.repeat('title: '.length + 2 * 5) + '^');
  });

  test('a tab stays a tab in both lines; half-width kana take one column', () => {
    expect(sourceWindow('\tｱｲｳx', 5).caret).toBe('\t   ^');
  });

  test('from the CLI: the caret under an emoji after Japanese text', () => {
    const dir = tempDir('kumihan-messages-');
    writeFile(dir, 'b.yaml', 'title: 表題\nbody: |\n  日本語の文😀です。\n');
    const r = kumihan(dir, ['build', 'b.yaml', '-o', 'out/']);
    const lines = r.stderr.split('\n');
    const at = lines.findIndex((l) => l.includes('😀です'));
    expect(lines[at + 1]!.indexOf('^')).toBe(lines[at]!.indexOf('日') + 2 * 5);
  });
});

describe('paths and names', () => {
  test('-o x.pdf with two inputs is a usage error, not a folder named x.pdf', () => {
    const dir = tempDir('kumihan-messages-');
    writeFile(dir, 'a.yaml', GOOD_LETTER);
    writeFile(dir, 'b.yaml', GOOD_LETTER);
    const r = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'x.pdf']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /-o x\.pdf names a PDF file, but there are 2 content files \(one PDF each\); give a folder \(-o DIR\/\) or build one file/,
    );
    expect(fs.existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  });

  test('an absolute recipients path that does not exist is shown as written', () => {
    const dir = tempDir('kumihan-messages-');
    const missing = path.join(dir, 'nonexistent/people.csv');
    writeFile(dir, 'content/m.yaml', `body: "{{name}}"\nrecipients: ${missing}\n`);
    const r = kumihan(dir, ['build', 'content/m.yaml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`content/m\\.yaml:2:13: recipients: recipients file ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not found`),
    );
    expect(r.stderr).not.toMatch(/content\/\/|content\/tmp/);
  });
});
