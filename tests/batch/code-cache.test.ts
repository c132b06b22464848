/**
 * The V8 code cache of the bundled CLI (dist/loader.cjs, written by scripts/bundle.mjs) is only ever an
 * optimisation: a missing, corrupt, cut-short or stale cache file means compiling as usual, the same PDF,
 * and a good cache written in its place. KUMIHAN_NO_CODE_CACHE=1 reads and writes none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledCli, letter, runCli, tempDir, writeFile } from './helpers.js';

let root: string;
let project: string;
const cacheDir = () => path.join(root, 'dist/cli.cjs.cache');
const buildCaches = () => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()).filter((f) => f.startsWith('build-')) : []);

/** Whether a cache file is whole: its header's length and CRC-32 match its data (the loader's format). */
function isWhole(file: string): boolean {
  const b = fs.readFileSync(file);
  return b.length > 24 && b.readUInt32BE(20) === b.length - 24 && b.readUInt32BE(16) === crc32(b.subarray(24));
}

async function build(env: NodeJS.ProcessEnv = {}): Promise<Buffer> {
  const run = await runCli(project, ['build', 'content/a.yaml', '-o', 'out/a.pdf'], { SOURCE_DATE_EPOCH: '1700000000', ...env });
  expect(run.status, run.stderr).toBe(0);
  return fs.readFileSync(path.join(project, 'out/a.pdf'));
}

beforeAll(async () => {
  root = await bundledCli();
});
beforeEach(() => {
  project = tempDir();
  writeFile(project, 'content/a.yaml', letter('コードキャッシュの試験です。'));
});

describe('the code cache', () => {
  it('is written by the first build and used, unchanged, by the next', async () => {
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    const first = await build();
    const [file] = buildCaches();
    expect(file).toBeDefined();
    const written = fs.readFileSync(path.join(cacheDir(), file!));
    expect(isWhole(path.join(cacheDir(), file!))).toBe(true);
    expect((await build()).equals(first)).toBe(true);
    // Accepted: not written again.
    expect(fs.readFileSync(path.join(cacheDir(), file!)).equals(written)).toBe(true);
  });

  it.each([
    ['corrupt', (b: Buffer) => Buffer.concat([b.subarray(0, b.length >> 1), Buffer.from(b.subarray(b.length >> 1)).fill(0x5a)])],
    ['cut short', (b: Buffer) => b.subarray(0, b.length >> 1)],
    ['of another bundle', (b: Buffer) => Buffer.concat([b.subarray(0, 8), Buffer.from([0, 0, 0, 0]), b.subarray(12)])],
    ['empty', () => Buffer.alloc(0)],
  ])('%s: compiled as usual, the same PDF, and a whole cache written in its place', async (_, spoil) => {
    const expected = await build();
    const [file] = buildCaches();
    const cache = path.join(cacheDir(), file!);
    const good = fs.readFileSync(cache);
    fs.writeFileSync(cache, spoil(good));
    expect((await build()).equals(expected)).toBe(true);
    expect(isWhole(cache)).toBe(true);
  });

  it('KUMIHAN_NO_CODE_CACHE=1 builds without reading or writing one', async () => {
    const expected = await build();
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    expect((await build({ KUMIHAN_NO_CODE_CACHE: '1' })).equals(expected)).toBe(true);
    expect(buildCaches()).toEqual([]);
  });
});
