/**
 * Shared pieces for the release-build tests: temp projects with content files, a private build of
 * the CLI bundle to spawn (worker threads can only run the bundle, not TypeScript sources), and
 * small readers for PDFs and manifests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

import { ROOT, tempDir as tempDirIn } from '../support/files.js';

export { ROOT, writeFile } from '../support/files.js';

/** A fresh temp directory, removed after the current test. */
export const tempDir = (prefix = 'kumihan-batch-') => tempDirIn(prefix);

/** A short letter (one page with the shipped `letter` template); `extra` is added as YAML. */
export function letter(body: string, extra = ''): string {
  return `template: letter\ndate: 2024-04-01\nsender: 組版工房\ntitle: ご案内\nbody: |\n  ${body}\nclosing: 敬具\n${extra}`;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Pages of a PDF written by kumihan: page objects are plain dictionaries (`/Type /Page`). */
export function pdfPageCount(file: string): number {
  return (fs.readFileSync(file, 'latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

/** Every file under `dir`, relative, with forward slashes, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

// ---------------------------------------------------------------------------------------------
// The bundled CLI, built once per test file into a private directory (not dist/, which other test
// files and other people's builds may be writing at the same time).

let bundledRoot: string | undefined;

/**
 * A directory laid out like the package (bin/, dist/ as `npm ci` makes it, and links to templates/,
 * fonts/ and node_modules/) holding a fresh bundle of the current sources.
 */
export async function bundledCli(): Promise<string> {
  if (bundledRoot) return bundledRoot;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-bundle-'));
  for (const shared of ['templates', 'fonts', 'profiles', 'node_modules']) fs.symlinkSync(path.join(ROOT, shared), path.join(root, shared));
  fs.mkdirSync(path.join(root, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin/kumihan.cjs'), path.join(root, 'bin/kumihan.cjs'));
  // @ts-expect-error -- a plain JavaScript module without type declarations
  const { bundleCli } = (await import('../../scripts/bundle.mjs')) as { bundleCli(o: { entry: string; outdir: string }): Promise<void> };
  await bundleCli({ entry: path.join(ROOT, 'src/cli.ts'), outdir: path.join(root, 'dist') });
  bundledRoot = root;
  return root;
}

afterAll(() => {
  if (bundledRoot) fs.rmSync(bundledRoot, { recursive: true, force: true });
  bundledRoot = undefined;
});

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled `kumihan` in `cwd` (stdout and stderr are pipes: the CI, not the TTY, mode). */
export async function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const root = await bundledCli();
  const run = spawnSync(process.execPath, [path.join(root, 'bin/kumihan.cjs'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Starts the bundled `kumihan` without waiting (for --watch). */
export async function startCli(cwd: string, args: string[]): Promise<ChildProcess> {
  const root = await bundledCli();
  return spawn(process.execPath, [path.join(root, 'bin/kumihan.cjs'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
