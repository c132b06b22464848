/**
 * Vertical writing in booklets (issue 13): a section set vertically in the shipped horizontal booklet
 * (content/anniversary-booklet.yaml), and booklets on the right-bound `booklet-vertical` template, with a
 * horizontal section among vertical ones. Read back from the PDFs: the text layer of every vertical page
 * in reading order, columns flush at head and foot in the section's own grid, ruby to the right, the
 * sides of a right-bound book (odd pages on the left, /Direction /R2L), furniture at the outer corners.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { extractPlainText, readDrawnGlyphs, readPdfText, type DrawnGlyph } from '../../src/check/pdftext.js';
import type { LaidOutDocument, TextLineItem } from '../../src/layout/page.js';
import { buildAndRead, furnitureOf } from '../support/booklets.js';
import { ROOT } from '../text/helpers.js';

const noSpace = (s: string) => s.replace(/\s/g, '');

/** The text items of the flow on a page (not furniture, not ruby), in the order layout gives them. */
function flowLines(layout: LaidOutDocument, page: number): TextLineItem[] {
  return layout.pages[page]!.items.filter(
    (i): i is TextLineItem => i.kind === 'text' && !['annotation', 'runningHead', 'footer'].includes(i.role),
  );
}

/** Pages whose flow is set in vertical writing. */
function verticalPages(layout: LaidOutDocument): number[] {
  return layout.pages.flatMap((_, k) => {
    const lines = flowLines(layout, k);
    return lines.length > 0 && lines.every((l) => l.writingMode === 'vertical-rl') ? [k] : [];
  });
}

describe('a vertical section in the shipped booklet', async () => {
  const built = await buildDocument(path.join(ROOT, 'content/anniversary-booklet.yaml'));
  const pages = await readPdfText(built.pdf);
  const drawn = await readDrawnGlyphs(built.pdf);
  const size = built.document.template.body.size;
  const block = built.layout.block;
  const vertical = verticalPages(built.layout);

  it('has pages set vertically, and horizontal pages around them', () => {
    expect(vertical.length).toBeGreaterThanOrEqual(2);
    const horizontal = built.layout.pages.filter((_, k) => flowLines(built.layout, k).some((l) => l.writingMode === undefined));
    expect(horizontal.length).toBeGreaterThan(5);
    expect(Buffer.from(built.pdf).toString('latin1')).toMatch(/\/Encoding \/Identity-V/);
  });

  it('gives the text of every vertical page back in reading order: columns right to left, top to bottom', () => {
    for (const k of vertical) {
      const expected = noSpace(
        flowLines(built.layout, k)
          .map((l) => l.text)
          .join(''),
      );
      expect(expected.length).toBeGreaterThan(20);
      expect(noSpace(extractPlainText([pages[k]!])), `page ${k + 1}`).toContain(expected);
    }
    // No reading interleaved into the base text.
    const all = noSpace(extractPlainText(vertical.map((k) => pages[k]!)));
    expect(all).toContain('日本人抑留者と出会った');
    expect(all).not.toContain('よくりゅうしゃ');
  });

  it("sets its columns in the booklet's 版面 with the same 行送り, flush at head and foot except at a paragraph's end", () => {
    // The section's own grid: as many whole characters down the 版面 as fit, and whole columns across it.
    const chars = Math.floor(block.height / size + 1e-9);
    const foot = block.y + chars * size;
    let checked = 0;
    for (const k of vertical) {
      const base = drawn[k]!.filter((g) => g.wmode === 1 && Math.abs(g.size - size) < 0.01);
      const byColumn = new Map<number, DrawnGlyph[]>();
      for (const g of base) {
        const key = Math.round(g.x + size / 2);
        byColumn.set(key, [...(byColumn.get(key) ?? []), g]);
      }
      const columns = flowLines(built.layout, k).filter((l) => l.role === 'body');
      const xs = columns.map((c) => c.x).sort((a, b) => b - a);
      for (let j = 1; j < xs.length; j++) {
        const step = (xs[j - 1]! - xs[j]!) / block.pitch;
        expect(Math.abs(step - Math.round(step)), `columns on the grid, page ${k + 1}`).toBeLessThan(1e-6);
      }
      // Inside the 版面, across.
      for (const x of xs) expect(x > block.x && x < block.x + block.width).toBe(true);
      for (const column of columns) {
        if (column.isLastOfParagraph) continue;
        const glyphs = byColumn.get(Math.round(column.x))!;
        expect(glyphs, `column at ${column.x}`).toBeDefined();
        const top = Math.min(...glyphs.map((g) => g.y - 0.88 * size));
        const last = glyphs.reduce((a, b) => (b.y > a.y ? b : a));
        const end = last.y - 0.88 * size + (/[、。」）]/.test(last.c) ? size / 2 : size);
        expect(
          [0, size].some((indent) => Math.abs(top - (block.y + indent)) < 0.05),
          `head of ${column.text}`,
        ).toBe(true);
        const flush = Math.abs(end - foot) < 0.05 || (/[、。」）]/.test(last.c) && Math.abs(end + size / 2 - foot) < 0.05);
        expect(flush, `${column.text} ends at ${end}, the foot is ${foot}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('draws its ruby at half size to the right of the base', () => {
    let seen = 0;
    for (const k of vertical) {
      const base = drawn[k]!.filter((g) => g.wmode === 1 && Math.abs(g.size - size) < 0.01);
      for (const r of drawn[k]!.filter((g) => Math.abs(g.size - size / 2) < 0.01 && g.wmode === 1)) {
        const beside = base.filter((b) => Math.abs(b.x + size - r.x) < 0.05 && Math.abs(b.y - r.y) < size * 1.5);
        expect(beside.length, `ruby ${r.c} on page ${k + 1}`).toBeGreaterThan(0);
        seen++;
      }
    }
    expect(seen).toBeGreaterThanOrEqual('よくりゅうしゃさとやま'.length);
  });

  it('keeps the running heads and folios where the horizontal pages have them', () => {
    /** A furniture line's baseline and its outer end (page index even: a right-hand page, outer edge on the right). */
    const place = (k: number, role: 'footer' | 'runningHead') => {
      const item = built.layout.pages[k]!.items.find((i): i is TextLineItem => i.kind === 'text' && i.role === role);
      if (!item) return undefined;
      return { baseline: item.baseline, outer: k % 2 === 0 ? item.x + item.width * item.size : item.x };
    };
    // The page a section opens on has no running head (its heading is there), its folio as any.
    const opening = new Set(built.layout.navigation!.outline.map((o) => o.page));
    let heads = 0;
    for (const k of vertical) {
      const other = built.layout.pages.findIndex(
        (_, n) => n > 2 && n % 2 === k % 2 && !vertical.includes(n) && place(n, 'footer') && place(n, 'runningHead'),
      );
      for (const role of ['footer', 'runningHead'] as const) {
        const mine = place(k, role)!;
        const theirs = place(other, role)!;
        if (role === 'runningHead' && opening.has(k)) {
          expect(mine, `page ${k + 1}, where a section opens, has no running head`).toBeUndefined();
          continue;
        }
        if (role === 'runningHead') heads++;
        expect(mine, `page ${k + 1} ${role}`).toBeDefined();
        expect(mine.baseline).toBeCloseTo(theirs.baseline, 6);
        expect(mine.outer).toBeCloseTo(theirs.outer, 6);
      }
    }
    expect(heads).toBeGreaterThan(0);
  });
});

describe('a booklet on the booklet-vertical template (bound on the right)', async () => {
  const read = await buildAndRead({
    title: '縦組みの記念誌',
    seed: 11,
    template: 'booklet-vertical',
    sections: [
      { kind: 'text', title: '挨拶', paragraphs: 6, author: '発行者' },
      { kind: 'chronology', title: '年表', rows: 30 },
      { kind: 'text', title: '横組みの節', paragraphs: 3, writingMode: 'horizontal-tb' },
      { kind: 'text', title: '左起こしの節', paragraphs: 2, startOn: 'any' },
    ],
    colophon: [['書名', '縦組みの記念誌']],
  });
  const { layout, pdf } = read.result;
  const pdfText = Buffer.from(pdf).toString('latin1');
  const starts = new Map(read.outline.map((o) => [o.title, o.page]));

  it('reads right to left: /ViewerPreferences /Direction /R2L', () => {
    expect(pdfText).toMatch(/\/Direction \/R2L/);
  });

  it('links each contents column to its section, over the column', () => {
    const page = starts.get('目次')!;
    const links = read.links[page]!;
    expect(links.map((l) => l.target)).toEqual(['挨拶', '年表', '横組みの節', '左起こしの節'].map((t) => starts.get(t)));
    for (const link of links) expect(link.y1 - link.y0).toBeGreaterThan(100); // down the column, not across it
  });

  it('starts every section on an odd page (改丁), which is a left-hand page here', () => {
    for (const title of ['目次', '挨拶', '年表', '横組みの節']) {
      const page = starts.get(title);
      expect(page, title).toBeDefined();
      expect(page! % 2, `${title} on page ${page! + 1}`).toBe(0);
    }
    // The last section starts on the next page, whichever side.
    expect(starts.get('左起こしの節')).toBeGreaterThan(starts.get('横組みの節')!);
  });

  it('puts folios at the outer corner: the left edge of odd pages, the right edge of even ones', () => {
    let seen = 0;
    read.pages.forEach((page, k) => {
      const { feet } = furnitureOf(read, k);
      if (feet.length === 0) return;
      const folio = feet[0]!;
      const middle = page.widthPt / 2;
      if (k % 2 === 0) expect(folio.bbox.x + folio.bbox.w, `page ${k + 1}`).toBeLessThan(middle);
      else expect(folio.bbox.x, `page ${k + 1}`).toBeGreaterThan(middle);
      expect(folio.text.trim()).toBe(read.labels[k]);
      seen++;
    });
    expect(seen).toBeGreaterThan(4);
  });

  it('has the section title as the running head of odd pages and the booklet title on even ones', () => {
    for (let k = 3; k < read.pages.length; k++) {
      const { heads } = furnitureOf(read, k);
      if (heads.length === 0) continue;
      const text = heads.map((h) => h.text).join('');
      if (k % 2 === 1) expect(text, `page ${k + 1}`).toBe('縦組みの記念誌');
      else expect(text, `page ${k + 1}`).not.toBe('縦組みの記念誌');
    }
  });

  it('sets the vertical sections in columns and the horizontal one in lines, each read back in order', async () => {
    const vertical = verticalPages(layout);
    const horizontalStart = starts.get('横組みの節')!;
    expect(vertical).toContain(starts.get('挨拶'));
    expect(vertical).toContain(starts.get('年表'));
    expect(vertical).not.toContain(horizontalStart);
    expect(flowLines(layout, horizontalStart).every((l) => l.writingMode === undefined)).toBe(true);
    for (const k of [...vertical, horizontalStart]) {
      const expected = noSpace(
        flowLines(layout, k)
          .map((l) => l.text)
          .join(''),
      );
      expect(noSpace(extractPlainText([read.pages[k]!])), `page ${k + 1}`).toContain(expected);
    }
  });

  it('keeps the horizontal section inside the same 版面 as the vertical pages', () => {
    const block = layout.block;
    const horizontalStart = starts.get('横組みの節')!;
    const size = read.result.document.template.body.size;
    for (const line of flowLines(layout, horizontalStart)) {
      expect(line.x).toBeGreaterThanOrEqual(block.x - 0.01);
      expect(line.x + line.width * line.size).toBeLessThanOrEqual(block.x + block.width + size);
      expect(line.baseline).toBeGreaterThan(block.y);
      expect(line.baseline).toBeLessThan(block.y + block.height);
    }
  });

  it('sets the numbers of the contents and the chronology dates across the column (縦中横), never rotated', () => {
    const contents = flowLines(layout, starts.get('目次')!).filter((l) => l.role === 'body');
    const chronology = flowLines(layout, starts.get('年表')!).filter((l) => /年/.test(l.text) && l.role === 'body');
    expect(contents.length).toBe(4);
    expect(chronology.length).toBeGreaterThan(3);
    for (const line of [...contents, ...chronology]) {
      const digits = line.glyphs.filter((g) => /[0-9]/.test(g.text));
      expect(digits.length, line.text).toBeGreaterThan(0);
      // Half-width digits (the template's digits: halfwidth) in runs of one or two: each run one upright em.
      for (const g of digits) expect(g.tateChuYoko, `${g.text} in ${line.text}`).toBeDefined();
    }
  });

  it('repeats the chronology heads on every page of the chronology, as a column', () => {
    const start = starts.get('年表')!;
    const end = starts.get('横組みの節')!;
    let pagesWithRows = 0;
    for (let k = start; k < end; k++) {
      const lines = flowLines(layout, k);
      if (lines.length === 0) continue;
      const head = lines.find((l) => l.text.includes('年月日'));
      expect(head, `page ${k + 1}`).toBeDefined();
      expect(head!.writingMode).toBe('vertical-rl');
      pagesWithRows++;
    }
    expect(pagesWithRows).toBeGreaterThanOrEqual(2);
  });
});

describe('photos in a vertical section', async () => {
  const read = await buildAndRead({
    title: '写真の縦組み',
    seed: 7,
    template: 'booklet-vertical',
    contents: false,
    sections: [
      {
        kind: 'photos',
        title: '写真',
        photos: [
          { width: 1600, height: 1000, format: 'jpg' },
          { width: 800, height: 1300, format: 'png' },
        ],
      },
    ],
  });
  const layout = read.result.layout;

  it('sets each caption as a column beside its photo, after it along the lines (to its left), never over it', () => {
    let captions = 0;
    layout.pages.forEach((page) => {
      const images = page.items.filter((i) => i.kind === 'image');
      for (const caption of page.items.filter((i): i is TextLineItem => i.kind === 'text' && /写真\d+の説明/.test(i.text))) {
        captions++;
        expect(caption.writingMode, caption.text).toBe('vertical-rl');
        // The caption's column (x is its centre line) lies left of an image on the page and within its height.
        const image = images.find(
          (img) => caption.x < img.x && caption.baseline >= img.y - 1 && caption.baseline <= img.y + img.height + 1,
        );
        expect(image, caption.text).toBeDefined();
        for (const img of images) {
          const overlaps = caption.x + caption.size / 2 > img.x && caption.x - caption.size / 2 < img.x + img.width;
          const across = caption.baseline + caption.width * caption.size > img.y && caption.baseline < img.y + img.height;
          expect(overlaps && across, `${caption.text} over an image`).toBe(false);
        }
      }
    });
    expect(captions).toBe(2);
  });
});
