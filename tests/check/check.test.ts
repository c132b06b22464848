import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTargets, compareText, MISSING_REFERENCE, type CheckOptions, type CheckTarget } from '../../src/check/check.js';
import { readPdfText } from '../../src/check/pdftext.js';
import { makePdf, MM, sampleSpec, sampleText, tmp, type TextItem } from './helpers.js';

const DPI = 48;

async function target(name: string, edit?: (pages: TextItem[][]) => void): Promise<CheckTarget> {
  const spec = sampleSpec(edit);
  return { name, pdf: await makePdf(spec), expectedText: sampleText(spec.pages) };
}

function dirs(): CheckOptions {
  const root = tmp();
  return { referencesDir: join(root, 'references'), outDir: join(root, 'output', 'check'), dpi: DPI, generated: 'test' };
}

describe('checkTargets', () => {
  it('a missing reference is a failure, never a pass', async () => {
    const opts = dirs();
    const r = await checkTargets([await target('doc')], opts);
    expect(r.passed).toBe(false);
    expect(r.files[0].messages).toContain(MISSING_REFERENCE);
    expect(r.files[0].pages.map((p) => [p.index, p.passed, p.messages])).toEqual([
      [1, false, [MISSING_REFERENCE]],
      [2, false, [MISSING_REFERENCE]],
    ]);
    expect(existsSync(join(opts.outDir, 'doc', 'page-1.actual.png'))).toBe(true);
    expect(readFileSync(r.reportPath, 'utf8')).toContain('missing reference (run kumihan check --update)');
  });

  it('--update writes references; an identical rebuild then passes', async () => {
    const opts = dirs();
    const u = await checkTargets([await target('doc')], { ...opts, update: true });
    expect(u.passed).toBe(true);
    // page 0 is the reference text layer
    expect(u.changes.map((c) => [c.page, c.change])).toEqual([
      [0, 'new'],
      [1, 'new'],
      [2, 'new'],
    ]);
    expect(readdirSync(join(opts.referencesDir, 'doc')).sort()).toEqual(['page-1.png', 'page-2.png', 'text.txt']);

    const r = await checkTargets([await target('doc')], opts);
    expect(r.passed).toBe(true);
    expect(r.files[0].pages.map((p) => [p.index, p.passed, p.diffPixels, p.ratio])).toEqual([
      [1, true, 0, 0],
      [2, true, 0, 0],
    ]);
    expect(r.files[0].text.passed).toBe(true);
    // passing pages get only the reference copy
    expect(readdirSync(join(opts.outDir, 'doc')).sort()).toEqual(['page-1.reference.png', 'page-2.reference.png']);
    expect(readFileSync(r.reportPath, 'utf8')).toContain('all 1 passing');

    const again = await checkTargets([await target('doc')], { ...opts, update: true });
    expect(again.changes.map((c) => c.change)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('one changed character fails on exactly that page and writes actual, diff and the report', async () => {
    const opts = dirs();
    await checkTargets([await target('doc')], { ...opts, update: true });
    const t = await target('doc', (pages) => {
      pages[1][1].text = '最後の列'; // one kanji on page 2
    });
    const r = await checkTargets([t], opts);
    expect(r.passed).toBe(false);
    const [p1, p2] = r.files[0].pages;
    expect(p1.passed).toBe(true);
    expect(p2.passed).toBe(false);
    expect(p2.diffPixels).toBeGreaterThan(10);
    expect(p2.messages[0]).toMatch(/pixels differ/);
    expect(r.files[0].text.passed).toBe(true); // expected text follows the content
    const out = join(opts.outDir, 'doc');
    expect(readdirSync(out).sort()).toEqual(['page-1.reference.png', 'page-2.actual.png', 'page-2.diff.png', 'page-2.reference.png']);
    const html = readFileSync(join(opts.outDir, 'index.html'), 'utf8');
    expect(r.reportPath).toBe(join(opts.outDir, 'index.html'));
    expect(html).toContain('src="doc/page-2.diff.png"');
    expect(html).toContain('src="doc/page-2.actual.png"');
    expect(html).toContain('src="doc/page-2.reference.png"');
    expect(html).not.toMatch(/src="\//); // relative paths only
    // failures first: page 2 is listed before page 1
    expect(html.indexOf('id="f-doc-p2"')).toBeLessThan(html.indexOf('id="f-doc-p1"'));
  });

  it('a line moved by 0.5 mm fails (at 96 dpi and at 48 dpi)', async () => {
    for (const dpi of [96, 48]) {
      const opts = { ...dirs(), dpi };
      await checkTargets([await target('doc')], { ...opts, update: true });
      const t = await target('doc', (pages) => {
        pages[0][1].y += 0.5 * MM;
      });
      const r = await checkTargets([t], opts);
      expect(r.files[0].pages.map((p) => p.passed)).toEqual([false, true]);
      expect(r.files[0].pages[0].diffPixels).toBeGreaterThan(100);
    }
  });

  it('a different page count fails with a message saying so; --update removes stale pages', async () => {
    const opts = dirs();
    await checkTargets([await target('doc')], { ...opts, update: true });
    const one = await target('doc', (pages) => pages.splice(1));
    const r = await checkTargets([one], opts);
    expect(r.passed).toBe(false);
    expect(r.files[0].messages).toContain('page count differs: the references have 2 pages, the PDF has 1');
    expect(r.files[0].pages.map((p) => p.passed)).toEqual([true, false]);
    expect(r.files[0].pages[1].messages[0]).toBe('the reference has page 2 but the PDF has only 1 page');

    const u = await checkTargets([one], { ...opts, update: true });
    expect(u.changes.map((c) => [c.page, c.change])).toEqual([
      [0, 'changed'],
      [1, 'unchanged'],
      [2, 'removed'],
    ]);
    expect(readdirSync(join(opts.referencesDir, 'doc')).sort()).toEqual(['page-1.png', 'text.txt']);
    expect((await checkTargets([one], opts)).passed).toBe(true);

    // and more pages than references
    const r3 = await checkTargets([await target('doc')], opts);
    expect(r3.files[0].messages).toContain('page count differs: the references have 1 page, the PDF has 2');
    expect(r3.files[0].pages[1].messages).toEqual([MISSING_REFERENCE]);
  });

  it('a different page size fails with a message saying so', async () => {
    const opts = dirs();
    await checkTargets([await target('doc')], { ...opts, update: true });
    const spec = { ...sampleSpec(), size: 'A5' };
    const r = await checkTargets([{ name: 'doc', pdf: await makePdf(spec), expectedText: sampleText(spec.pages) }], opts);
    expect(r.passed).toBe(false);
    expect(r.files[0].pages[0].messages[0]).toMatch(
      /^page size differs: reference 397×562 px, actual 280×397 px \(419\.53×595\.28 pt at 48 dpi\)/,
    );
  });

  it('update reports changed pages (with a diff in the report)', async () => {
    const opts = dirs();
    await checkTargets([await target('doc')], { ...opts, update: true });
    const t = await target('doc', (pages) => (pages[0][0].text = '組版の確認：吉野家と漢字テスト！'));
    const u = await checkTargets([t], { ...opts, update: true });
    expect(u.passed).toBe(true);
    expect(u.changes.map((c) => c.change)).toEqual(['changed', 'changed', 'unchanged']); // text, page 1, page 2
    expect(u.files[0].pages[0].diffPixels).toBeGreaterThan(0);
    expect(existsSync(join(opts.outDir, 'doc', 'page-1.diff.png'))).toBe(true);
    expect((await checkTargets([t], opts)).passed).toBe(true);
  });

  it('a text layer that differs from the content fails even when the pixels are identical', async () => {
    const opts = dirs();
    const t = await target('doc');
    await checkTargets([t], { ...opts, update: true });
    const r = await checkTargets([{ ...t, expectedText: t.expectedText.replace('吉野家', '吉野屋') }], opts);
    expect(r.passed).toBe(false);
    expect(r.files[0].pages.every((p) => p.passed)).toBe(true);
    expect(r.files[0].text.passed).toBe(false);
    const m = r.files[0].text.mismatch!;
    expect(m).toMatchObject({ position: 8, page: 1, line: 1, expected: '屋', actual: '家' });
    expect(r.files[0].messages[0]).toBe(
      'text layer differs at character 9 (page 1, line 1): expected …組版の確認：吉野[屋]と漢字テスト。Smart Mix wit… but the PDF has …組版の確認：吉野[家]と漢字テスト。Smart Mix wit…',
    );
    const html = readFileSync(r.reportPath, 'utf8');
    expect(html).toContain('<ins>屋</ins>');
    expect(html).toContain('<del>家</del>');
    // text is also checked in update mode: updating references cannot fix it
    const u = await checkTargets([{ ...t, expectedText: t.expectedText + 'X' }], { ...opts, update: true });
    expect(u.passed).toBe(false);
  });

  it('a failure in one file does not hide the others; failing files come first in the report', async () => {
    const opts = dirs();
    await checkTargets([await target('a'), await target('b')], { ...opts, update: true });
    const r = await checkTargets([await target('a'), await target('b', (p) => (p[0][1].x += 5))], opts);
    expect(r.files.map((f) => [f.name, f.passed])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    const html = readFileSync(r.reportPath, 'utf8');
    expect(html.indexOf('id="f-b"')).toBeLessThan(html.indexOf('id="f-a"'));
  });

  it('rejects names that are not a single folder name', async () => {
    const t = await target('../x');
    await expect(checkTargets([t], dirs())).rejects.toMatchObject({ kind: 'check' });
  });
});

describe('compareText', () => {
  it('ignores line breaks only', () => {
    expect(compareText('ab\ncd', 'abcd')).toBeNull();
    expect(compareText('ab\r\ncd\n', 'abcd')).toBeNull();
    expect(compareText('a b', 'ab')).toMatchObject({ position: 1, expected: ' ', actual: '' });
  });

  it('reports extra or missing text at the end', () => {
    expect(compareText('abc', 'abcde')).toMatchObject({ position: 3, expected: '', actual: 'de', actualLength: 5 });
  });

  it('locates the page and line in the PDF', async () => {
    const spec = sampleSpec();
    const pages = await readPdfText(await makePdf(spec));
    const m = compareText(sampleText(spec.pages).replace('最後', '最初'), pages)!;
    expect([m.page, m.line]).toEqual([2, 2]);
  });
});
