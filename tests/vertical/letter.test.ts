/**
 * The vertical letter (templates/letter-vertical.yaml, content/invitation-vertical.yaml), read back from
 * its PDF: the fonts are written with Identity-V and vertical metrics, the text layer gives the base text
 * in reading order (columns right to left, top to bottom; no ruby; tate-chu-yoko as its digits), every
 * body column is flush at head and foot unless it ends a paragraph, and ruby stands to the right of its
 * base at half size.
 */
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { extractPlainText, readDrawnGlyphs, readPdfText, type DrawnGlyph } from '../../src/check/pdftext.js';
import { ROOT } from '../text/helpers.js';
import type { TextLineItem } from '../../src/layout/page.js';

const LETTER = path.join(ROOT, 'content/invitation-vertical.yaml');
const noSpace = (s: string) => s.replace(/\s/g, '');

/** The PDF's content streams, inflated, in file order. */
function contentStreams(pdf: Uint8Array): string {
  const text = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    try {
      out.push(inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1'));
    } catch {
      // not a deflated stream (or a font program): not content
    }
  }
  return out.join('\n');
}

describe('the vertical letter, from its PDF', async () => {
  const built = await buildDocument(LETTER);
  const pdfText = Buffer.from(built.pdf).toString('latin1');
  const size = built.document.template.body.size;
  const region = built.layout.block;
  const drawn = (await readDrawnGlyphs(built.pdf))[0]!;
  const base = drawn.filter((g) => Math.abs(g.size - size) < 0.01);

  it('writes its text with an Identity-V font carrying vertical metrics', () => {
    expect(pdfText).toMatch(/\/Encoding \/Identity-V/);
    expect(pdfText).toMatch(/\/DW2 \[\d+ -1000\]/);
    // Every glyph, tate-chu-yoko included, is drawn in vertical mode.
    expect(base.every((g) => g.wmode === 1)).toBe(true);
  });

  it('gives the base text back in reading order: columns right to left, top to bottom', async () => {
    const extracted = noSpace(extractPlainText(await readPdfText(built.pdf)));
    expect(extracted).toBe(noSpace(built.expectedText));
    // The letter's own words, as written (no ruby interleaved, tate-chu-yoko as digits).
    expect(extracted).toContain('皆様にはますますご清祥のこととお慶び申し上げます');
    expect(extracted).toContain('創立30周年');
    expect(extracted).toContain('12月13日の午後、御岳を望む会場');
    expect(extracted).not.toContain('せいしょう');
  });

  it('sets columns flush at head and foot, except where a paragraph ends', () => {
    const columns = new Map<number, DrawnGlyph[]>();
    for (const g of base.filter((g) => g.wmode === 1)) {
      const key = Math.round(g.x + size / 2); // the column's centre
      columns.set(key, [...(columns.get(key) ?? []), g]);
    }
    const bodyItems = built.layout.pages[0]!.items.filter((i) => i.kind === 'text' && i.role === 'body');
    let checked = 0;
    for (const item of bodyItems) {
      if (item.kind !== 'text' || item.isLastOfParagraph) continue;
      const glyphs = columns.get(Math.round(item.x))!;
      expect(glyphs, `column at ${item.x}`).toBeDefined();
      const ys = glyphs.map((g) => g.y - 0.88 * size).sort((a, b) => a - b);
      const last = glyphs.reduce((a, b) => (b.y > a.y ? b : a));
      const footOf = last.y - 0.88 * size + (/[、。」）]/.test(last.c) ? size / 2 : size);
      // The head: the first em box at the region's top (or one em down, a paragraph's first column).
      expect([0, size].some((indent) => Math.abs(ys[0]! - (region.y + indent)) < 0.05)).toBe(true);
      // The foot: the last body at the region's bottom, or a line-end mark keeping its half-em aki
      // (JLREQ §3.1.6 allows it to stay; it is never more).
      const bottom = region.y + region.height;
      const flush = Math.abs(footOf - bottom) < 0.05 || (/[、。」）]/.test(last.c) && Math.abs(footOf + size / 2 - bottom) < 0.05);
      expect(flush, `${item.text} ends with ${JSON.stringify(last.c)} at ${footOf}, the foot is ${bottom}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('keeps kinsoku along the column: no column starts with a closing mark or ends with an opening one', () => {
    const columns = new Map<number, DrawnGlyph[]>();
    for (const g of base) {
      const key = Math.round(g.x + size / 2);
      columns.set(key, [...(columns.get(key) ?? []), g]);
    }
    expect(columns.size).toBeGreaterThan(15);
    for (const glyphs of columns.values()) {
      const sorted = [...glyphs].sort((a, b) => a.y - b.y);
      expect(sorted[0]!.c).not.toMatch(/[、。」）ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮー・：；]/);
      expect(sorted.at(-1)!.c).not.toMatch(/[「（『【]/);
    }
  });

  it('draws ruby at half size to the right of its base', () => {
    const ruby = drawn.filter((g) => Math.abs(g.size - size / 2) < 0.01);
    expect(ruby.map((g) => g.c).join('')).toContain('せいしょう');
    for (const r of ruby) {
      // A base glyph to its left in the same stretch of column: the ruby's em box starts at the base's right edge.
      const beside = base.filter((b) => b.wmode === 1 && Math.abs(b.x + size - r.x) < 0.05 && Math.abs(b.y - r.y) < size * 1.5);
      expect(beside.length, `ruby ${r.c} at ${r.x},${r.y}`).toBeGreaterThan(0);
    }
  });

  it('sets two-digit numbers across the column (縦中横), upright, side by side in one em', () => {
    const digits = base.filter((g) => /[0-9]/.test(g.c));
    // 30, 12, 13 in the body and 8, 11, 20 in the date.
    expect(digits.map((d) => d.c).join('')).toBe('30121381120');
    const column = built.layout.pages[0]!.items.find((i) => i.kind === 'text' && i.text.includes('30周年'))!;
    const centre = column.kind === 'text' ? column.x : 0;
    const [three, zero] = digits;
    // On one row of the column (mupdf gives vertical glyphs their row, not their place across it).
    expect(three!.y).toBeCloseTo(zero!.y, 3);
    // Across the column, from the content stream: the run under its ActualText, one Tm per digit,
    // side by side (half an em apart), centred on the column's centre line.
    const run = /\/ActualText <FEFF00330030>>> BDC([\s\S]*?)EMC/.exec(contentStreams(built.pdf))![1]!;
    const xs = [...run.matchAll(/1 0 0 1 ([\d.]+) [\d.]+ Tm/g)].map((m) => Number(m[1]));
    expect(xs).toHaveLength(2);
    expect(xs[1]! - xs[0]!).toBeCloseTo(size / 2, 2);
    expect((xs[0]! + xs[1]!) / 2).toBeCloseTo(centre, 2);
    // Upright: not a rotated glyph advancing down the column, and as tall as one em of the column.
    const next = base.find((g) => g.c === '周')!;
    expect(next.y - three!.y).toBeCloseTo(size, 1);
  });
});

describe('Western glyphs the font has no rotated form for, in a column', () => {
  it('are drawn along the column: a Japanese —— is a bar two ems long, an en dash between years turned with them', async () => {
    const { buildSource } = await import('../robustness/helpers.js');
    const { renderPdf } = await import('../../src/check/render.js');
    const { PNG } = await import('pngjs');
    const built = await buildSource('template: letter-vertical\nbody: |\n  彼は——静かに語った。期間は1992–2017の間。\n');
    const dpi = 288;
    const page = PNG.sync.read((await renderPdf(built.pdf, dpi))[0]!.png);
    const px = dpi / 72;
    /** Dark pixels' extent in the box (pt): across the page and down it, in pt. */
    const ink = (left: number, top: number, width: number, height: number) => {
      let x0 = Infinity;
      let x1 = -Infinity;
      let y0 = Infinity;
      let y1 = -Infinity;
      for (let y = Math.round(top * px); y < Math.round((top + height) * px); y++)
        for (let x = Math.round(left * px); x < Math.round((left + width) * px); x++)
          if (page.data[(y * page.width + x) * 4]! < 100) {
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
          }
      return { across: (x1 - x0 + 1) / px, along: (y1 - y0 + 1) / px };
    };
    const columns = built.layout.pages[0]!.items.filter((i): i is TextLineItem => i.kind === 'text');
    /** The column a character is in, and where its em box starts down the page. */
    const at = (ch: string) => {
      const column = columns.find((c) => c.glyphs.some((g) => g.text === ch))!;
      const g = column.glyphs.find((glyph) => glyph.text === ch)!;
      return { column, top: column.baseline + g.x * column.size, size: column.size };
    };
    // The two em dashes of a Japanese ——: one bar along the column, two ems long, hairline-thin across it.
    const dash = at('—');
    const dashes = ink(dash.column.x - dash.size / 2, dash.top, dash.size, dash.size * 2);
    expect(dashes.along).toBeGreaterThan(dash.size * 1.8);
    expect(dashes.across).toBeLessThan(dash.size * 0.2);
    // The en dash, between the years (rotated with them): longer along the column than across it.
    const enDash = at('–');
    const en = ink(enDash.column.x - enDash.size / 2, enDash.top, enDash.size, enDash.size * 0.5);
    expect(en.along).toBeGreaterThan(en.across * 2);
  });
});

describe('a letterhead too deep for the head margin of a vertical letter', () => {
  it('is an error at the template’s top margin, with file, line and column', async () => {
    const { kumihanErrorOf, tempDir, writeFile } = await import('../robustness/helpers.js');
    const dir = tempDir('kumihan-vertical-letterhead-');
    writeFile(
      dir,
      'templates/deep.yaml',
      'extends: letter-vertical\nletterhead:\n  name: 在カザフスタン日本国大使館\n  address: [一行目, 二行目, 三行目, 四行目, 五行目]\n',
    );
    writeFile(dir, 'content/v.yaml', 'template: ../templates/deep.yaml\nbody: 本文です。\n');
    const err = await kumihanErrorOf(() => buildDocument('content/v.yaml', { workingDirectory: dir, root: dir }));
    expect(err.message).toMatch(/the letterhead \(with its spaceAfter\) is [\d.]+ mm deep/);
    expect(err.location).toMatchObject({ path: 'page.margins.top', line: expect.any(Number), column: expect.any(Number) });
    expect(err.location.file).toMatch(/letter-vertical\.yaml$/);
  });
});

describe('a vertical letter with a title and a postscript', () => {
  it('prints the title as the first column (a column apart from the 頭語) and the 追伸 after the 後付け', async () => {
    const { tempDir, writeFile } = await import('../robustness/helpers.js');
    const dir = tempDir('kumihan-vertical-title-');
    writeFile(
      dir,
      'content/v.yaml',
      'template: letter-vertical\ntitle: 学習発表会のご案内\nrecipient: [保護者各位]\nsender: 校長\nopening: 拝啓\nclosing: 敬具\npostscript: 上履きをご持参ください。\nbody: 本文です。\n',
    );
    const built = await buildDocument('content/v.yaml', { workingDirectory: dir, root: dir });
    expect(built.warnings.filter((w) => w.includes('not printed'))).toEqual([]);
    // Columns in reading order: the drawn glyphs by column, right to left, each top to bottom.
    const drawn = (await readDrawnGlyphs(built.pdf))[0]!.filter((g) => g.wmode === 1);
    const byColumn = new Map<number, DrawnGlyph[]>();
    for (const g of drawn) byColumn.set(Math.round(g.x), [...(byColumn.get(Math.round(g.x)) ?? []), g]);
    const xs = [...byColumn.keys()].sort((a, b) => b - a);
    const columns = xs.map((x) =>
      byColumn
        .get(x)!
        .sort((p, q) => p.y - q.y)
        .map((g) => g.c)
        .join(''),
    );
    expect(columns[0]).toBe('学習発表会のご案内');
    expect(columns[1]).toMatch(/^拝啓/);
    expect(columns.at(-1)).toBe('上履きをご持参ください。');
    expect(columns.at(-2)).toBe('保護者各位');
    // A blank column between the title and the 頭語: its centre more than one and a half pitches away.
    expect(xs[0]! - xs[1]!).toBeGreaterThan(1.5 * built.layout.block.pitch);
  });
});
