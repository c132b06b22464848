import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { KumihanError } from '../../src/errors.js';
import { comparePng, pngDpi } from '../../src/check/compare.js';
import { renderPdf, writeRenders } from '../../src/check/render.js';
import { makePdf, sampleSpec, tmp } from './helpers.js';

describe('renderPdf', () => {
  it('renders every page, RGB without alpha, sized from the page and dpi', async () => {
    const pdf = await makePdf(sampleSpec());
    const pages = await renderPdf(pdf, 72);
    expect(pages.map((p) => p.index)).toEqual([1, 2]);
    const p = pages[0];
    expect(p.widthPt).toBeCloseTo(595.28, 1);
    expect(p.heightPt).toBeCloseTo(841.89, 1);
    // mupdf rounds the page box outwards: 595.28 pt → 596 px
    expect([p.width, p.height]).toEqual([596, 842]);
    const png = PNG.sync.read(p.png);
    expect([png.width, png.height]).toEqual([596, 842]);
    // colour type 2 = RGB, no alpha
    expect(p.png[25]).toBe(2);
    expect(pngDpi(p.png)).toBe(72);
  });

  it('gives byte-identical PNGs for the same PDF, rendered twice', async () => {
    const pdf = await makePdf(sampleSpec());
    const a = await renderPdf(pdf, 48);
    const b = await renderPdf(pdf, 48);
    expect(a.length).toBe(2);
    for (const [i, p] of a.entries()) expect(p.png.equals(b[i].png)).toBe(true);
    // and an identical rebuild with pdfkit renders identically too
    const c = await renderPdf(await makePdf(sampleSpec()), 48);
    for (const [i, p] of a.entries()) expect(comparePng(p.png, c[i].png).diffPixels).toBe(0);
  });

  it('A4 at 96 dpi is 794 × 1123 px', async () => {
    const pages = await renderPdf(await makePdf({ pages: [[{ text: 'あ', x: 72, y: 72 }]] }), 96);
    expect([pages[0].width, pages[0].height]).toEqual([794, 1123]);
  });

  it('rejects something that is not a PDF with a KumihanError', async () => {
    await expect(renderPdf(new TextEncoder().encode('hello'), 72, 'x.pdf')).rejects.toBeInstanceOf(KumihanError);
  });

  it('writeRenders writes page-<n>.png', async () => {
    const dir = tmp();
    const pdfPath = join(dir, 'doc.pdf');
    writeFileSync(pdfPath, await makePdf(sampleSpec()));
    const out = join(dir, 'out');
    const files = await writeRenders(pdfPath, out, 48);
    expect(files).toEqual([join(out, 'page-1.png'), join(out, 'page-2.png')]);
    expect(PNG.sync.read(readFileSync(files[1])).width).toBe(397);
    await expect(writeRenders(join(dir, 'nope.pdf'), out, 48)).rejects.toMatchObject({ kind: 'missing-file' });
    expect(existsSync(files[0])).toBe(true);
  });
});
