import { describe, expect, it } from 'vitest';
import { extractPlainText, pageLines, pdfFonts, pdfInfo, readPdfText } from '../../src/check/pdftext.js';
import { makePdf, sampleSpec } from './helpers.js';

describe('readPdfText', () => {
  it('returns lines with glyph positions in points, y from the top', async () => {
    const pdf = await makePdf(sampleSpec());
    const pages = await readPdfText(pdf);
    expect(pages).toHaveLength(2);
    expect(pages[0].widthPt).toBeCloseTo(595.28, 1);
    const [l1, l2] = pages[0].lines;
    expect(l1.text).toBe('組版の確認：吉野家と漢字テスト。');
    expect(l2.text).toBe('Smart Mix with Technology');
    const first = l1.chars[0];
    expect(first.c).toBe('組');
    expect(Math.abs(first.x - 72)).toBeLessThan(0.5);
    // pdfkit's y is the top of the line box; the baseline is below it
    expect(first.y).toBeGreaterThan(100);
    expect(first.y).toBeLessThan(100 + 12);
    expect(first.size).toBeCloseTo(12, 5);
    expect(first.w).toBeCloseTo(12, 1); // full-width kanji: 1 em
    expect(first.font).toMatch(/^([A-Z]{6}\+)?BIZUDMincho-Regular$/);
    expect(l1.chars[1].x - first.x).toBeCloseTo(12, 1);
    expect(l1.bbox.x).toBeCloseTo(72, 1);
    expect(l1.bbox.y).toBeLessThanOrEqual(first.y);
    // no synthetic spaces: the real ones are there, nothing more
    expect(l2.chars.filter((c) => c.c === ' ')).toHaveLength(3);
  });

  it('adds no synthetic spaces where glyphs are placed apart', async () => {
    // a 4 pt gap between "AB" and "CD": mupdf's default would read "AB CD"
    const pdf = await makePdf({
      pages: [
        [
          { text: 'AB', x: 72, y: 72 },
          { text: 'CD', x: 72 + 13 + 4, y: 72 },
        ],
      ],
    });
    const [page] = await readPdfText(pdf);
    expect(extractPlainText([page])).toBe('ABCD');
  });

  it('keeps characters beyond U+FFFF intact', async () => {
    const pdf = await makePdf({ pages: [[{ text: 'a𠀋b𠂉c', x: 72, y: 72 }]] });
    const [page] = await readPdfText(pdf);
    expect(page.lines[0].text).toBe('a𠀋b𠂉c');
    expect(page.lines[0].chars.map((c) => c.c)).toEqual(['a', '𠀋', 'b', '𠂉', 'c']);
  });

  it('extractPlainText joins everything without separators; pageLines keeps the structure', async () => {
    const pages = await readPdfText(await makePdf(sampleSpec()));
    expect(extractPlainText(pages)).toBe('組版の確認：吉野家と漢字テスト。Smart Mix with Technology二ページ目の本文です。最後の行');
    expect(pageLines(pages)).toEqual([
      ['組版の確認：吉野家と漢字テスト。', 'Smart Mix with Technology'],
      ['二ページ目の本文です。', '最後の行'],
    ]);
  });
});

describe('pdfFonts / pdfInfo', () => {
  it('lists the embedded fonts with their raw BaseFont', async () => {
    const fonts = await pdfFonts(await makePdf(sampleSpec()));
    expect(fonts).toHaveLength(1);
    const f = fonts[0];
    expect(f.baseName).toBe('BIZUDMincho-Regular');
    expect(f.subset).toBe(/^[A-Z]{6}\+/.test(f.name));
    expect(f.subset).toBe(true); // pdfkit subsets
    expect(f.embedded).toBe(true);
    expect(f.fontFile).toBe('FontFile2');
    expect(f.type).toBe('Type0/CIDFontType2');
    expect(f.pages).toEqual([1, 2]);
  });

  it('reports metadata, page sizes and the catalog /Lang', async () => {
    const pdf = await makePdf({ ...sampleSpec(), title: '請求書', lang: 'ja-JP' });
    const info = await pdfInfo(pdf);
    expect(info.pageCount).toBe(2);
    expect(info.pageSizes[1].widthPt).toBeCloseTo(595.28, 1);
    expect(info.title).toBe('請求書');
    expect(info.lang).toBe('ja-JP');
    expect(info.creationDate).toMatch(/^D:19700101000000/);
    expect(info.author).toBeNull();
  });
});
