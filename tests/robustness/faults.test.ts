/**
 * Fault tests (issue items 2 and 3): a 1,000-letter merge killed at a random point with SIGINT, SIGTERM
 * or SIGKILL, after which verify must tell the truth and no temporary file may remain (after SIGKILL,
 * once the next build has run); and two builds into one output folder at once.
 *
 * The kill points are random but seeded (printed with each test), and the build is killed after it has
 * reported that many letters, so that it always lands inside the build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BIN, filesUnder, kumihan, writeFile } from './helpers.js';
import os from 'node:os';

const LETTERS = 1000;
const ENV = { ...process.env, SOURCE_DATE_EPOCH: '1485388800', NO_COLOR: '1' };

function writeMerge(dir: string, greeting: string, letters = LETTERS): void {
  const rows = Array.from(
    { length: letters },
    (_, i) => `r${String(i + 1).padStart(4, '0')},${'山田佐藤鈴木高橋'.slice(i % 4, (i % 4) + 2)}${i + 1}`,
  );
  writeFile(dir, 'content/people.csv', 'id,name\n' + rows.join('\n') + '\n');
  writeFile(dir, 'content/m.yaml', `title: ご案内\nbody: "{{name}}様、${greeting}"\nrecipients: people.csv\n`);
}

/** A small seeded generator: the kill points are random, and the same on every run. */
function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(dir: string, args: string[]): Started {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Resolves when `count` letters have been reported on stdout. */
async function afterLetters(run: Started, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((run.stdout().match(/ → /g) ?? []).length < count) {
    if (Date.now() > deadline) throw new Error(`no ${count} letters reported in time:\n${run.stdout().slice(-2000)}\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const tempFiles = (dir: string) => filesUnder(dir).filter((f) => f.endsWith('.tmp') || path.basename(f) === '.kumihan.lock');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-faults-'));
  writeMerge(dir, 'はじめてのご案内です。');
  const first = kumihan(dir, ['build'], {}, 120_000);
  expect(first.status, first.all).toBe(0);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}, 180_000);

describe('a 1,000-letter merge killed at a random point', () => {
  test.each([
    ['SIGINT', 130, 11],
    ['SIGTERM', 143, 23],
  ] as const)('%s: the manifest says what was written, verify fails, no temporary file remains', async (signal, status, seed) => {
    const killAfter = 50 + Math.floor(seeded(seed)() * 850);
    writeMerge(dir, `${signal}の後のご案内です。`);
    const run = start(dir, ['build']);
    await afterLetters(run, killAfter);
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit.code, `killed after ${killAfter} letters:\n${run.stderr()}`).toBe(status);
    expect(run.stderr()).toMatch(new RegExp(`the build was interrupted \\(${signal}\\); \\d+ of ${LETTERS} PDFs written`));
    expect(tempFiles(path.join(dir, 'output')), 'temporary files or the lock').toEqual([]);

    // The truth: every letter the manifest calls built is on disk as recorded; the rest are failed.
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'output/manifest.json'), 'utf8')) as {
      files: { output: string; status: string; sha256?: string; error?: string }[];
    };
    expect(manifest.files).toHaveLength(LETTERS);
    const built = manifest.files.filter((f) => f.status === 'built');
    expect(built.length).toBeGreaterThanOrEqual(killAfter);
    expect(built.length).toBeLessThan(LETTERS);
    for (const entry of built) expect(sha256(path.join(dir, 'output', entry.output)), entry.output).toBe(entry.sha256);
    for (const entry of manifest.files.filter((f) => f.status === 'failed'))
      expect(entry.error).toBe(`the build was interrupted (${signal}) before this PDF was written`);
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect((verify.stdout.match(/ OK$/gm) ?? []).length).toBe(built.length);
    expect(verify.stdout).toMatch(new RegExp(`^${LETTERS - built.length} of ${LETTERS} files FAILED verification$`, 'm'));
  });

  test('SIGKILL: verify finds no letter both current and as recorded; the next build cleans up and verifies', async () => {
    const killAfter = 50 + Math.floor(seeded(37)() * 850);
    writeMerge(dir, 'SIGKILLの後のご案内です。');
    const before = fs.readFileSync(path.join(dir, 'output/manifest.json'), 'utf8');
    const run = start(dir, ['build']);
    await afterLetters(run, killAfter);
    run.child.kill('SIGKILL');
    const exit = await run.exited;
    expect(exit.signal, `killed after ${killAfter} letters`).toBe('SIGKILL');
    // The manifest is the previous build's: the letters rewritten differ from it, the others are stale.
    expect(fs.readFileSync(path.join(dir, 'output/manifest.json'), 'utf8')).toBe(before);
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).not.toMatch(/ OK$/m);
    expect((verify.stdout.match(/ (SIZE|SHA-256) DIFFERS\b/gm) ?? []).length, verify.stdout.slice(0, 3000)).toBeGreaterThanOrEqual(
      killAfter,
    );
    expect(verify.stdout).toMatch(/ STALE: content\/m\.yaml changed after it was built$/m);
    // A temporary file the kill left (if it struck inside a write) is reported too.
    for (const temp of tempFiles(path.join(dir, 'output')).filter((f) => f.endsWith('.tmp'))) {
      expect(verify.stdout).toMatch(new RegExp(`^output/${temp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +EXTRA: a temporary file`, 'm'));
    }

    const again = kumihan(dir, ['build'], {}, 120_000);
    expect(again.status, again.all).toBe(0);
    expect(tempFiles(path.join(dir, 'output'))).toEqual([]);
    expect(kumihan(dir, ['verify']).status).toBe(0);
  });
});

describe('two builds into one output folder', () => {
  test('the second refuses while the first writes; the folder is exactly the first build’s', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-concurrent-'));
    try {
      writeMerge(a, 'Aのご案内です。', 300);
      writeFile(a, 'content/b.yaml', 'title: B\nbody: Bの手紙です。\n');
      const first = start(a, ['build', 'content/m.yaml']);
      await afterLetters(first, 5);
      const second = kumihan(a, ['build', 'content/b.yaml']);
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/^output is being written by another kumihan build \(pid \d+, started [^)]+\); wait for it to finish/m);
      expect((await first.exited).code).toBe(0);
      expect(fs.existsSync(path.join(a, 'output/b.pdf'))).toBe(false);
      expect(tempFiles(path.join(a, 'output'))).toEqual([]);
      const verify = kumihan(a, ['verify']);
      expect(verify.status, verify.stdout).toBe(0);
      expect(verify.stdout).toMatch(/^300 files verified$/m);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });

  test('with --wait the second waits for the first, then builds; both are in the manifest', async () => {
    const a = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-concurrent-'));
    try {
      writeMerge(a, 'Aのご案内です。', 300);
      writeFile(a, 'content/b.yaml', 'title: B\nbody: Bの手紙です。\n');
      const first = start(a, ['build', 'content/m.yaml']);
      await afterLetters(first, 5);
      const second = start(a, ['build', 'content/b.yaml', '--wait', '60']);
      const [one, two] = await Promise.all([first.exited, second.exited]);
      expect(one.code, first.stderr()).toBe(0);
      expect(two.code, second.stderr()).toBe(0);
      expect(tempFiles(path.join(a, 'output'))).toEqual([]);
      const verify = kumihan(a, ['verify']);
      expect(verify.status, verify.stdout).toBe(0);
      expect(verify.stdout).toMatch(/^301 files verified$/m);
    } finally {
      fs.rmSync(a, { recursive: true, force: true });
    }
  });
});
