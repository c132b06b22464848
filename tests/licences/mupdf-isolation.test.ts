/**
 * Licences: mupdf (npm, WebAssembly) is AGPL-3.0, kumihan is MIT. Only `render` and `check` may load it
 * (README.md, "Licences"): a company that only builds PDFs must never run AGPL code. The installed command
 * (bin/kumihan.cjs, the bundle the global setup made) runs with a preload (tests/support/module-spy.cjs)
 * that records every load of the mupdf package — require() or import, main thread or build worker — and
 * every WebAssembly module compiled. `build` must record none; `render` must record mupdf, which shows
 * that the spy sees it (so the first assertion can fail).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/files.js';

const BIN = path.join(ROOT, 'bin/kumihan.cjs');
const SPY = path.join(ROOT, 'tests/support/module-spy.cjs');
const LETTERS = ['content/sample-company-letter.yaml', 'content/embassy-2017-kazakhstan.yaml'].map((f) => path.join(ROOT, f));

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-licences-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the installed command under the spy; returns its exit status, output and the spy's log lines. */
function spied(name: string, ...args: string[]) {
  const log = path.join(dir, `${name}.log`);
  fs.writeFileSync(log, '');
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(SPY)}`.trim(),
      KUMIHAN_MODULE_SPY_LOG: log,
      SOURCE_DATE_EPOCH: '1485388800',
      NO_COLOR: '1',
    },
    timeout: 120_000,
  });
  if (run.error) throw run.error;
  const events = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { status: run.status, all: run.stdout + run.stderr, events };
}

const mupdfLoads = (events: string[]) => events.filter((e) => /mupdf/.test(e));
const wasmCompiles = (events: string[]) => events.filter((e) => /WebAssembly/.test(e));
/** lcms-wasm (MIT): the colour engine a press PDF needs (src/pdf/colour.ts), the one WebAssembly a build may compile. */
const LCMS_WASM_BYTES = fs.statSync(path.join(ROOT, 'node_modules/lcms-wasm/dist/lcms.wasm')).size;
const otherWasm = (events: string[]) => wasmCompiles(events).filter((e) => !e.endsWith(` ${LCMS_WASM_BYTES} bytes`));

describe('mupdf (AGPL-3.0) stays out of the build path', () => {
  it('kumihan build of a plain letter never loads mupdf or any WebAssembly', () => {
    const run = spied('build-plain', 'build', LETTERS[1], '-o', path.join(dir, 'plain.pdf'));
    expect(run.status, run.all).toBe(0);
    expect(run.events).toContain('spy main'); // the spy was there
    expect(mupdfLoads(run.events), 'kumihan build loaded mupdf (AGPL-3.0): see README.md, Licences').toEqual([]);
    expect(wasmCompiles(run.events)).toEqual([]);
  });

  it('kumihan build of a letter with a press PDF never loads mupdf; its only WebAssembly is lcms-wasm (MIT)', () => {
    const run = spied('build', 'build', LETTERS[0], '-o', path.join(dir, 'letter.pdf'));
    expect(run.status, run.all).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'letter.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(fs.readFileSync(path.join(dir, 'letter.print.pdf')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(run.events).toContain('spy main'); // the spy was there
    expect(mupdfLoads(run.events), 'kumihan build loaded mupdf (AGPL-3.0): see README.md, Licences').toEqual([]);
    expect(wasmCompiles(run.events).length).toBeGreaterThan(0); // the press PDF's colours went through LittleCMS
    expect(otherWasm(run.events)).toEqual([]);
  });

  it('a parallel kumihan build never loads mupdf in its worker threads either', () => {
    const run = spied('build-jobs', 'build', ...LETTERS, '--jobs', '2', '-o', path.join(dir, 'out'));
    expect(run.status, run.all).toBe(0);
    expect(run.events).toContain('spy build-worker'); // the spy watched a build worker too
    expect(mupdfLoads(run.events), 'kumihan build loaded mupdf (AGPL-3.0): see README.md, Licences').toEqual([]);
    expect(otherWasm(run.events)).toEqual([]);
  });

  it('kumihan render does load mupdf and its WebAssembly, and the spy sees it', () => {
    const pdf = path.join(dir, 'render-input.pdf');
    expect(spied('render-build', 'build', LETTERS[0], '-o', pdf).status).toBe(0);
    const run = spied('render', 'render', pdf, '--dpi', '24', '--out', path.join(dir, 'png'));
    expect(run.status, run.all).toBe(0);
    expect(fs.existsSync(path.join(dir, 'png/page-1.png'))).toBe(true);
    expect(
      mupdfLoads(run.events).some((e) => /node_modules\/mupdf\/dist\/mupdf\.js/.test(e)),
      run.events.join('\n'),
    ).toBe(true);
    expect(wasmCompiles(run.events).length).toBeGreaterThan(0);
  });
});
