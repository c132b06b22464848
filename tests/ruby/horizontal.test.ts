/**
 * Ruby and emphasis dots in horizontal text, read back from the PDF (JLREQ §3.3): ruby glyphs at half
 * the base size, above their base, within the base's extent or overhanging kana by at most one ruby
 * character; the text layer gives the base text alone; ruby never splits from its base at a break.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { extractPlainText, readDrawnGlyphs, readPdfText, type PdfChar } from '../../src/check/pdftext.js';
import { composeRuns } from '../../src/text/compose.js';
import { defaults, face } from '../text/helpers.js';

function content(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-ruby-'));
  const file = path.join(dir, 'ruby.yaml');
  fs.writeFileSync(file, `template: letter\nrecipient: ["｜青梅《おうめ》市　山田様"]\nbody: |\n  ${body}\n`);
  return file;
}

const BODY =
  '東京都｜青梅《おうめ》市の皆様には、ますますご健勝《けんしょう》のこととお慶び申し上げます。このたび、《《記念式典》》を開催いたします。' +
  '日《ひ》の出町と檜原村《ひのはらむら》から多くの方々《かたがた》にお越しいただき、承《うけたまわ》りました。';
const BASE_TEXT =
  '東京都青梅市の皆様には、ますますご健勝のこととお慶び申し上げます。このたび、記念式典を開催いたします。' +
  '日の出町と檜原村から多くの方々にお越しいただき、承りました。';

describe('ruby in horizontal text, from the PDF', async () => {
  const built = await buildDocument(content(BODY));
  const pages = await readPdfText(built.pdf);
  const chars = pages[0]!.lines.flatMap((l) => l.chars);
  const bodySize = built.document.template.body.size;
  const base = chars.filter((c) => Math.abs(c.size - bodySize) < 0.01);

  it('gives the base text alone, in order', () => {
    const text = extractPlainText(pages).replace(/\s/g, '');
    expect(text).toContain(BASE_TEXT);
    for (const ruby of ['おうめ', 'けんしょう', 'ひのはらむら', 'かたがた', 'うけたまわ']) expect(text).not.toContain(ruby);
  });

  it('draws each reading at half size above its base, within the base or overhanging kana by one ruby character', async () => {
    // Read the ruby glyphs from the page itself: a second text pass without ActualText is not needed, the
    // glyphs are there as drawn (mupdf reports them, with empty text, only through their boxes); so compose
    // the same runs and compare positions with the base glyphs the PDF gives back.
    const cases: [string, string, string, string][] = [
      ['ご', '健勝', 'けんしょう', 'の'],
      ['と', '檜原村', 'ひのはらむら', 'か'],
      ['、', '承', 'うけたまわ', 'り'],
    ];
    for (const [before, baseText, ruby] of cases) {
      const runs = [
        { kind: 'text' as const, text: before, source: { origin: 'content' as const, path: ['body'] } },
        {
          kind: 'text' as const,
          text: baseText,
          source: { origin: 'content' as const, path: ['body'] },
          mark: { kind: 'ruby' as const, ruby },
        },
        { kind: 'text' as const, text: 'りの', source: { origin: 'content' as const, path: ['body'] } },
      ];
      const line = composeRuns(runs, face, { ...defaults, measure: 40, indent: 0 }).lines[0]!;
      const annotations = line.annotations!;
      expect(annotations.map((g) => g.text).join('')).toBe(ruby);
      const prev = line.glyphs[before.length - 1]!;
      const baseGlyphs = line.glyphs.slice(before.length, before.length + baseText.length);
      const next = line.glyphs[before.length + baseText.length]!;
      const rubyStart = annotations[0]!.x;
      const rubyEnd = annotations.at(-1)!.x + 0.5;
      // Never over the character before or after unless it is kana, and then by at most one ruby
      // character (½ em); the next character here is always kana (り).
      const prevInkEnd = prev.x + (prev.narrow?.body ?? 1);
      const beforeIsKana = /[\u3041-\u30ff]/.test(before);
      expect(rubyStart).toBeGreaterThanOrEqual(prevInkEnd - (beforeIsKana ? 0.5 : 0) - 1e-6);
      expect(rubyEnd).toBeLessThanOrEqual(next.x + 0.5 + 1e-6);
      // Centred on the base when it is not longer than it.
      const baseStart = baseGlyphs[0]!.x;
      const baseEnd = baseGlyphs.at(-1)!.x + 1;
      if (ruby.length * 0.5 <= baseText.length) expect((rubyStart + rubyEnd) / 2).toBeCloseTo((baseStart + baseEnd) / 2, 5);
    }
  });

  it('puts the ruby glyphs in the PDF at half size, just over the base line', async () => {
    const drawn = (await readDrawnGlyphs(built.pdf))[0]!;
    const small = drawn.filter((g) => Math.abs(g.size - bodySize / 2) < 0.01);
    // The readings (recipient and body) and four emphasis dots (記念式典), each drawn once.
    const readings = ['おうめ', 'おうめ', 'けんしょう', 'ひ', 'ひのはらむら', 'かたがた', 'うけたまわ'];
    expect(small.length).toBe(readings.join('').length + 4);
    expect(small.map((g) => g.c).join('')).toContain('けんしょう');
    for (const g of small) {
      // A base glyph under it (horizontally overlapping), whose baseline is one base em plus a little lower.
      const under = base.filter((b: PdfChar) => b.x - bodySize / 2 <= g.x && g.x <= b.x + b.w && b.y > g.y);
      expect(under.length).toBeGreaterThan(0);
      const nearest = Math.min(...under.map((b) => b.y - g.y));
      expect(nearest).toBeGreaterThan(bodySize * 0.9);
      expect(nearest).toBeLessThan(bodySize * 1.2);
    }
  });

  it('never breaks a line inside a ruby base', () => {
    const runs = (n: number) => [
      { kind: 'text' as const, text: 'あ'.repeat(n), source: { origin: 'content' as const, path: ['body'] } },
      {
        kind: 'text' as const,
        text: '檜原村',
        source: { origin: 'content' as const, path: ['body'] },
        mark: { kind: 'ruby' as const, ruby: 'ひのはらむら' },
      },
      { kind: 'text' as const, text: 'いうえお'.repeat(3), source: { origin: 'content' as const, path: ['body'] } },
    ];
    for (let n = 5; n < 12; n++) {
      const lines = composeRuns(runs(n), face, { ...defaults, measure: 10, indent: 0 }).lines;
      for (const line of lines) {
        const t = line.text;
        expect(t.endsWith('檜') || t.endsWith('檜原') || t.startsWith('原') || t.startsWith('村')).toBe(false);
      }
    }
  });
});

describe('malformed inline markup in a content file', () => {
  it('is an error at its line and column, naming the field', async () => {
    const file = content('本文です。漢字《かんじ');
    await expect(buildDocument(file)).rejects.toMatchObject({
      message: expect.stringContaining('has no 》'),
      location: { line: 4, column: 10, path: 'body' },
    });
  });
  it('in another field too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-ruby-'));
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, 'template: letter\nrecipient: ["ひらがな《かな》様"]\nbody: 本文。\n');
    await expect(buildDocument(file)).rejects.toMatchObject({ message: expect.stringContaining('ruby on nothing'), location: { line: 2 } });
  });
});
