import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/commands/check.js';
import { runRender } from '../../src/commands/render.js';
import { makePdf, sampleSpec, sampleText, tmp, type TextItem } from './helpers.js';
import { output } from '../../src/output.js';

let out: string[];
let err: string[];
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(output, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(output, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

function project(): string {
  const root = tmp();
  mkdirSync(join(root, 'content'));
  writeFileSync(join(root, 'content', 'letter.yaml'), 'x: 1\n');
  writeFileSync(join(root, 'content', 'memo.yaml'), 'x: 2\n');
  return root;
}

/** A fake typesetter: content file name → the sample PDF, optionally edited. */
function builder(edit?: (name: string, pages: TextItem[][]) => void) {
  return async (contentPath: string) => {
    const name = basename(contentPath, '.yaml');
    const spec = sampleSpec((pages) => edit?.(name, pages));
    return { name, pdf: await makePdf(spec), expectedText: sampleText(spec.pages) };
  };
}

describe('kumihan check', () => {
  it('checks content/*.yaml under the root; --update, then pass, then fail with exit 1', async () => {
    const root = project();
    expect(await runCheck(['--dpi', '48'], builder(), { root })).toBe(1); // no references yet
    expect(out.join('\n')).toContain('missing reference (run kumihan check --update)');

    out = [];
    expect(await runCheck(['--update', '--dpi', '48'], builder(), { root })).toBe(0);
    expect(out.at(-2)).toMatch(/^references: 6 new, 0 changed, 0 unchanged, 0 removed \(.*tests\/references\)$/); // 4 pages, 2 texts
    expect(out[0]).toBe('letter  page 1  new');
    expect(existsSync(join(root, 'tests', 'references', 'memo', 'page-2.png'))).toBe(true);

    out = [];
    expect(await runCheck(['--dpi', '48'], builder(), { root })).toBe(0);
    expect(out.slice(0, 4)).toEqual([
      'letter  page 1    0.000%  PASS',
      'letter  page 2    0.000%  PASS',
      'memo    page 1    0.000%  PASS',
      'memo    page 2    0.000%  PASS',
    ]);
    expect(out[4]).toMatch(/^all 2 passing; report: .*output\/check\/index\.html$/);

    out = [];
    const changed = builder((name, pages) => {
      if (name === 'memo') pages[1][0].text = '二ページ目の本文でした。';
    });
    expect(await runCheck(['--dpi', '48'], changed, { root })).toBe(1);
    expect(out[3]).toMatch(/^memo {4}page 2 {4}0\.\d{3}% {2}FAIL {2}\d+ pixels differ/);
    expect(out.at(-1)).toMatch(/^1 of 2 failing; report: /);

    // only the named file, with a pixel allowance large enough: the pages pass, but the changed text
    // layer is still caught against the accepted reference text
    out = [];
    expect(await runCheck([join(root, 'content', 'memo.yaml'), '--dpi', '48', '--max-diff-pixels', '100000'], changed, { root })).toBe(1);
    expect(out.slice(0, 2)).toEqual(['memo  page 1    0.000%  PASS', expect.stringMatching(/^memo {2}page 2 {4}0\.\d{3}% {2}PASS$/)]);
    expect(out[2]).toMatch(/^memo {2}FAIL {2}compared with the reference text: text layer differs/);
  });

  it('a build error is reported and fails the run without stopping the others', async () => {
    const root = project();
    await runCheck(['--update', '--dpi', '48'], builder(), { root });
    out = [];
    const failing = async (p: string) => {
      if (p.endsWith('letter.yaml')) {
        const { KumihanError } = await import('../../src/errors.js');
        throw new KumihanError('schema', 'body is required', { file: 'content/letter.yaml', line: 1 });
      }
      return builder()(p);
    };
    expect(await runCheck(['--dpi', '48'], failing, { root })).toBe(1);
    expect(err.join('\n')).toContain('content/letter.yaml:1: body is required');
    expect(out).toContain('memo    page 1    0.000%  PASS');
    expect(out.some((l) => l.startsWith('letter  FAIL  build failed: content/letter.yaml:1: body is required'))).toBe(true);
  });

  it('usage errors exit 2', async () => {
    expect(await runCheck(['--threshold', '2'], builder(), { root: project() })).toBe(2);
    expect(err.join('\n')).toContain('--threshold must be a number from 0 to 1');
    expect(await runCheck(['--bogus'], builder(), { root: project() })).toBe(2);
    expect(await runCheck([], builder(), { root: tmp() })).toBe(2);
    expect(err.at(-1)).toMatch(/no content files to check/);
  });
});

describe('kumihan render', () => {
  it('writes page PNGs and prints each path', async () => {
    const dir = tmp();
    const pdf = join(dir, 'doc.pdf');
    writeFileSync(pdf, await makePdf(sampleSpec()));
    expect(await runRender([pdf, '--dpi', '36', '--out', join(dir, 'pages')])).toBe(0);
    expect(out).toEqual([join(dir, 'pages', 'page-1.png'), join(dir, 'pages', 'page-2.png')]);
  });

  it('defaults to output/render/<name>/ and reports a missing file', async () => {
    const dir = tmp();
    const pdf = join(dir, 'doc.pdf');
    writeFileSync(pdf, await makePdf({ pages: [[{ text: 'あ', x: 10, y: 10 }]] }));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await runRender(['doc.pdf', '--dpi', '36'])).toBe(0);
      expect(out).toEqual([join('output', 'render', 'doc', 'page-1.png')]);
      expect(await runRender(['nope.pdf'])).toBe(1);
      expect(err.at(-1)).toBe('nope.pdf: no such file');
      expect(await runRender([])).toBe(2);
    } finally {
      process.chdir(cwd);
    }
  });

  it('fails on a PDF cut short (no page rendered is no success) and refuses a device without reading it', async () => {
    const dir = tmp();
    const pdf = join(dir, 'cut.pdf');
    writeFileSync(pdf, (await makePdf(sampleSpec())).subarray(0, 300));
    expect(await runRender([pdf, '--out', join(dir, 'pages')])).toBe(1);
    expect(err.at(-1)).toMatch(/cut\.pdf: (the PDF has no pages|cannot open PDF)/);
    expect(existsSync(join(dir, 'pages'))).toBe(false);
    expect(await runRender(['/dev/zero', '--out', join(dir, 'zero')])).toBe(1);
    expect(err.at(-1)).toBe('/dev/zero: not a regular file: only a PDF file is read');
  });
});
