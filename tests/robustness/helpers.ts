/**
 * Shared pieces for the robustness tests: temp directories, a content file built from text
 * (through `source`, so nothing has to be written for content), and the checks every failure must
 * pass — it is a KumihanError (never a TypeError or another internal error) and formatError turns
 * it into one readable message that names the file, without a stack trace.
 */
import { expect } from 'vitest';
import { buildDocument, type BuildOptions, type BuildResult } from '../../src/build.js';
import { formatError, KumihanError } from '../../src/errors.js';

export { ROOT, writeFile } from '../support/files.js';
import { tempDir as tempDirIn } from '../support/files.js';

/** A fresh temp directory, removed after the current test. */
export const tempDir = (prefix = 'kumihan-robust-') => tempDirIn(prefix);

/** The content path used for builds from `source`: it only names the file in messages. */
export const CONTENT = 'content/robust.yaml';

/** Builds content text (not read from disk) with the default template unless one is given. */
export function buildSource(source: string, opts: BuildOptions = {}, contentPath = CONTENT): Promise<BuildResult> {
  return buildDocument(contentPath, { ...opts, source });
}

/**
 * Awaits `run` and returns the error it throws; fails the test when nothing is thrown and rethrows
 * anything that is not a KumihanError, so that a TypeError shows up with its stack.
 */
export async function kumihanErrorOf(run: () => unknown): Promise<KumihanError> {
  let result: unknown;
  try {
    result = await run();
  } catch (err) {
    if (err instanceof KumihanError) return err;
    throw err;
  }
  throw new Error(`expected a KumihanError, but the build succeeded (${describeResult(result)})`);
}

function describeResult(result: unknown): string {
  const r = result as Partial<BuildResult> | undefined;
  return r && typeof r.pages === 'number' ? `${r.pages} page(s), warnings: ${JSON.stringify(r.warnings)}` : String(result);
}

/**
 * One readable message: names the file, has no stack trace and no "internal error", and is short
 * (a head line, optionally the source line and a caret).
 */
export function expectReadable(err: KumihanError, fileName: string): string {
  const text = formatError(err);
  expect(text).toContain(fileName);
  expect(text).not.toMatch(/internal error/);
  expect(text).not.toMatch(/^\s+at .+[:(]\d+/m);
  expect(text).not.toMatch(/\b(TypeError|RangeError|ReferenceError|SyntaxError):/);
  expect(text).not.toMatch(/\bundefined\b|\[object Object\]|\bNaN\b/);
  expect(text.split('\n').length, `one message (head, source line, caret):\n${text}`).toBeLessThanOrEqual(3);
  return text;
}

/** The location has a file, a 1-based line and column, and the source line is the file's line. */
export function expectLineLocation(err: KumihanError, source: string, fileName = CONTENT): void {
  const { file, line, column, sourceLine } = err.location;
  expect(file).toBe(fileName);
  expect(line, 'line').toBeTypeOf('number');
  expect(column, 'column').toBeTypeOf('number');
  expect(line!).toBeGreaterThanOrEqual(1);
  expect(column!).toBeGreaterThanOrEqual(1);
  expect(sourceLine).toBe(source.split(/\r?\n/)[line! - 1]);
}

/** `U+2A6D6` style code point label. */
export function codePointLabel(ch: string): string {
  return 'U+' + ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
}

/** Japanese text of about `chars` characters from a fixed alphabet, with punctuation every so often. */
export function japaneseText(chars: number, seed = 1): string {
  const alphabet = 'あいうえおかきくけこさしすせそたちつてとなにぬねの日本語組版文字列漢字表現試験段落行末禁則処理';
  let out = '';
  let x = seed;
  for (let i = 0; i < chars; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += i % 23 === 22 ? '、' : i % 37 === 36 ? '。' : alphabet[x % alphabet.length];
  }
  return out;
}

/** The PDF bytes look like a PDF. */
export function expectPdf(bytes: Uint8Array): void {
  expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
}

// ---------------------------------------------------------------------------------------------
// The installed command (bin/kumihan.cjs, bundled by the global setup), for hostile-input cases

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT as PACKAGE_ROOT } from '../support/files.js';

export const BIN = path.join(PACKAGE_ROOT, 'bin/kumihan.cjs');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  all: string;
}

/** Runs `kumihan …args` in `cwd` (pipes, not a terminal); a hang fails the test instead of hanging it. */
export function kumihan(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeout = 60_000): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1485388800', NO_COLOR: '1', ...env },
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, all: run.stdout + run.stderr };
}

/** A good one-page letter. */
export const GOOD_LETTER = 'title: 表題\nbody: |\n  正しい本文です。\n';

/** Every file under `dir` (relative, forward slashes, sorted), manifests included. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.lstatSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** No crash: no stack trace, no internal error. */
export function expectNoCrash(run: Run): void {
  expect(run.all).not.toMatch(/internal error|TypeError|RangeError|^\s+at .+:\d+/m);
}
