/**
 * End to end: build the seed content, read the PDF back with mupdf and check what a reader gets — page size,
 * embedded subset fonts, metadata, the text, reproducible bytes — and, from every glyph's position, that the
 * lines really are where the composer said: flush to the block edge, no prohibited character at a line
 * start or end. The composer's data alone could hide a writer bug; this reads the PDF itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument, type BuildResult } from '../../src/build.js';
import { pdfFonts, pdfInfo, readPdfText, type PdfPage } from '../../src/check/pdftext.js';
import { mayEndLine, mayStartLine, type LineBreakMode } from '../../src/text/linebreak.js';
import { PAGE_SIZES } from '../../src/units.js';
import { ROOT } from '../text/helpers.js';
import { HANGABLE } from './invariants.js';

const SEED = path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml');

/** A template extending the seed's, with another line length, mode or hanging setting, in a temp dir. */
function variantTemplate(charsPerLine: number, lineBreak: LineBreakMode, hanging = false): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-e2e-'));
  // Keep the block inside A4 with 30 mm margins (150 mm): smaller type for long lines.
  const size = Math.min(10.5, Math.floor(((150 / 25.4) * 72 * 10) / charsPerLine) / 10);
  const file = path.join(dir, 'variant.yaml');
  fs.writeFileSync(
    file,
    `extends: embassy-message\nbody:\n  size: ${size}pt\n  charsPerLine: ${charsPerLine}\n  lineBreak: ${lineBreak}\n  hangingPunctuation: ${hanging}\n`,
  );
  return file;
}

/**
 * Checks the body lines of a built PDF against the block geometry, using glyph boxes as mupdf reports them
 * (origin + advance). Returns a list of problems.
 */
function pdfLineProblems(result: BuildResult, pages: PdfPage[], mode: LineBreakMode): string[] {
  const problems: string[] = [];
  const { block } = result.layout;
  const right = block.x + block.width;
  result.layout.pages.forEach((page, p) => {
    for (const item of page.items) {
      if (item.kind !== 'text' || item.role !== 'body') continue;
      const em = item.size;
      const line = pages[p].lines.find((l) => l.chars.length > 0 && Math.abs(l.chars[0].y - item.baseline) < 0.5 && l.chars[0].x < right);
      if (!line) {
        problems.push(`page ${p + 1}: no PDF line at baseline ${item.baseline.toFixed(2)} for "${item.text}"`);
        continue;
      }
      const chars = line.chars.filter((c) => c.c !== ' ');
      const text = chars.map((c) => c.c).join('');
      if (text !== item.text.replaceAll(' ', '')) problems.push(`page ${p + 1}: PDF line "${text}" differs from "${item.text}"`);
      const first = chars[0];
      const last = chars[chars.length - 1];
      if (!mayStartLine(first.c, mode) && !item.text.startsWith(' ')) problems.push(`page ${p + 1}: "${text}" starts with ${first.c}`);
      if (!item.isLastOfParagraph) {
        if (!mayEndLine(last.c, mode)) problems.push(`page ${p + 1}: "${text}" ends with ${last.c}`);
        const end = last.x + last.w;
        const over = (end - right) / em;
        const allowed = HANGABLE.has(last.c) ? 1 + 0.01 : 0.01;
        if (over > allowed || over < -0.01) problems.push(`page ${p + 1}: "${text}" ends ${over.toFixed(4)} em from the block edge`);
      }
      // No glyph box (word spaces included) passes the block edge, except a hanging or solid-set 、。.
      for (const c of line.chars) {
        const over = (c.x + c.w - right) / em;
        if (over > (HANGABLE.has(c.c) ? 1 : 0) + 0.01)
          problems.push(`page ${p + 1}: "${c.c}" in "${text}" passes the block edge by ${over.toFixed(3)} em`);
      }
      // Nothing starts left of the block, except an opening bracket set solid at the line head (its
      // full-em glyph begins half an em early) — and never by more than that.
      const startOver = (block.x - first.x) / em;
      if (startOver > 0.5 + 0.01) problems.push(`page ${p + 1}: "${text}" starts ${startOver.toFixed(3)} em left of the block`);
    }
  });
  return problems;
}

describe('the seed letter', () => {
  let result: BuildResult;
  let pages: PdfPage[];
  beforeAll(async () => {
    result = await buildDocument(SEED);
    pages = await readPdfText(result.pdf);
  });

  it('is two A4 pages', async () => {
    const info = await pdfInfo(result.pdf);
    expect(info.pageCount).toBe(2);
    for (const size of info.pageSizes) {
      expect(size.widthPt).toBeCloseTo(PAGE_SIZES.A4[0], 1);
      expect(size.heightPt).toBeCloseTo(PAGE_SIZES.A4[1], 1);
    }
  });

  it('has its metadata: title, author, language ja-JP', async () => {
    const info = await pdfInfo(result.pdf);
    expect(info.title).toBe('「日・カザフスタン外交関係樹立２５周年」川端大使メッセージ');
    expect(info.author).toBe('在カザフスタン大使館');
    expect(info.lang).toBe('ja-JP');
  });

  it('embeds every font as a subset, and nothing else', async () => {
    const fonts = await pdfFonts(result.pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f.embedded, f.name).toBe(true);
      expect(f.subset, f.name).toBe(true);
    }
    expect([...new Set(fonts.map((f) => f.baseName))].sort()).toEqual(['BIZUDGothic-Bold', 'BIZUDMincho-Regular', 'BIZUDPMincho-Regular']);
  });

  it('gives back the content text: every paragraph, in order, character for character', () => {
    const pdfText = pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
    expect(pdfText).toBe(result.expectedText);
    // The PDF gives back the lines above; the body lines among them, joined, are exactly the paragraphs.
    const bodyText = result.layout.pages
      .flatMap((p) => p.items.flatMap((i) => (i.kind === 'text' && i.role === 'body' ? [i.text] : [])))
      .join('');
    expect(bodyText).toBe(result.document.paragraphs.join(''));
    expect(result.document.paragraphs).toHaveLength(11);
    expect(pdfText.replaceAll('\n', '')).toContain('「Smart Mix with Technology ～オールジャパンの経験と挑戦」');
  });

  it('sets the header: date and sender flush right, title centred', () => {
    const { block } = result.layout;
    const header = result.layout.pages[0].items.filter((i) => i.kind === 'text' && i.role === 'header');
    expect(header.map((i) => (i.kind === 'text' ? i.text : ''))).toEqual([
      '平成２９年１月',
      '在カザフスタン大使館',
      '「日・カザフスタン外交関係樹立２５周年」',
      '川端大使メッセージ',
    ]);
    const [date, sender, title] = pages[0].lines;
    const endOf = (l: (typeof pages)[0]['lines'][0]) => l.chars[l.chars.length - 1].x + l.chars[l.chars.length - 1].w;
    expect(endOf(date)).toBeCloseTo(block.x + block.width, 1);
    expect(endOf(sender)).toBeCloseTo(block.x + block.width, 1);
    // Centred on the ink: from the opening bracket's ink (right half of its glyph) to the closing bracket's (left half).
    const t = title.chars;
    const inkStart = t[0].x + t[0].w / 2;
    const inkEnd = t[t.length - 1].x + t[t.length - 1].w / 2;
    expect((inkStart + inkEnd) / 2).toBeCloseTo(block.x + block.width / 2, 0);
  });

  it('puts every body line where the composer said: flush right edge, no kinsoku violations', () => {
    expect(pdfLineProblems(result, pages, 'strict')).toEqual([]);
  });

  it('is byte-identical when built twice, and honours SOURCE_DATE_EPOCH', async () => {
    const again = await buildDocument(SEED);
    expect(Buffer.from(again.pdf).equals(Buffer.from(result.pdf))).toBe(true);
    const dated = await buildDocument(SEED, { sourceDateEpoch: 1700000000 });
    expect(Buffer.from(dated.pdf).equals(Buffer.from(result.pdf))).toBe(false);
    expect((await pdfInfo(dated.pdf)).creationDate).toContain('20231114');
    // Without SOURCE_DATE_EPOCH the date comes from the content (2017-01), never from the clock.
    expect((await pdfInfo(result.pdf)).creationDate).toContain('20170101');
  });
});

describe('the seed letter at other line lengths and modes, read back from the PDF', () => {
  const cases: [number, LineBreakMode, boolean][] = [
    [10, 'strict', false],
    [17, 'normal', true],
    [25, 'loose', false],
    [33, 'strict', true],
    [47, 'normal', false],
    [60, 'loose', true],
  ];
  it.each(cases)(
    '%i characters, %s, hanging %s',
    async (chars, mode, hanging) => {
      const result = await buildDocument(SEED, { template: variantTemplate(chars, mode, hanging) });
      const pages = await readPdfText(result.pdf);
      expect(pdfLineProblems(result, pages, mode)).toEqual([]);
      const pdfText = pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
      expect(pdfText).toBe(result.expectedText);
    },
    30_000,
  );
});
