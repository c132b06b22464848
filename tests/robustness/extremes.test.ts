/**
 * Extreme but valid input builds: a 1 MB body, a 500-character word with no break opportunity, a
 * title far too long for its line. Nothing is lost and nothing leaves the text block.
 */
import { describe, expect, test } from 'vitest';
import type { BuildResult } from '../../src/build.js';
import type { TextLineItem } from '../../src/layout/layout.js';
import { loadFace } from '../../src/font/fonts.js';
import { glyphBodyEnd } from '../support/glyphs.js';
import { buildSource, expectPdf, japaneseText, kumihanErrorOf } from './helpers.js';

/** YAML `|` block with every line of `text` indented by two spaces. */
function literalBlock(text: string): string {
  return (
    '|\n' +
    text
      .split('\n')
      .map((line) => (line === '' ? '' : `  ${line}`))
      .join('\n') +
    '\n'
  );
}

function textLines(result: BuildResult, role: TextLineItem['role']): TextLineItem[] {
  return result.layout.pages.flatMap((p) => p.items.filter((it): it is TextLineItem => it.kind === 'text' && it.role === role));
}

/** Glyphs that put ink on the page (word spaces at a line end have a body but no ink). */
const inked = (line: TextLineItem) => line.glyphs.filter((g) => !/^\s+$/u.test(g.text));

/** Where the ink of a line ends, in em from the line start: the furthest glyph body. */
function glyphExtent(result: BuildResult, line: TextLineItem): number {
  const f = result.document.template.fonts[line.face];
  const face = loadFace(line.face, f.file, f.latin);
  return inked(line).reduce((end, g) => Math.max(end, glyphBodyEnd(face, g)), 0);
}

const TOLERANCE_EM = 0.01;

/** Every line of `role` lies within the text block: starts at or right of its left edge, ends at or left of its right edge. */
function linesOutsideBlock(result: BuildResult, role: TextLineItem['role']): string[] {
  const { block } = result.layout;
  const problems: string[] = [];
  for (const line of textLines(result, role)) {
    const left = line.x + Math.min(0, ...inked(line).map((g) => g.x)) * line.size;
    const right = line.x + glyphExtent(result, line) * line.size;
    const tolerance = TOLERANCE_EM * line.size;
    if (left < block.x - tolerance) problems.push(`"${line.text}" starts ${(block.x - left).toFixed(2)}pt left of the block`);
    if (right > block.x + block.width + tolerance)
      problems.push(`"${line.text}" ends ${(right - block.x - block.width).toFixed(2)}pt right of the block`);
    if (line.width > line.measure + TOLERANCE_EM)
      problems.push(`"${line.text}" is ${line.width.toFixed(3)} em wide, measure ${line.measure.toFixed(3)}`);
  }
  return problems;
}

describe('a 1 MB body', () => {
  test('builds into hundreds of pages with all of its text', async () => {
    const paragraphs: string[] = [];
    let bytes = 0;
    for (let k = 0; bytes < 1024 * 1024; k++) {
      const p = japaneseText(150 + (k % 7) * 40, k + 1) + '。';
      paragraphs.push(p);
      bytes += Buffer.byteLength(p, 'utf8') + 2;
    }
    const body = paragraphs.join('\n\n');
    expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThanOrEqual(1024 * 1024);
    const result = await buildSource(`title: 大きな文書\nbody: ${literalBlock(body)}`);
    expectPdf(result.pdf);
    expect(result.pages).toBeGreaterThan(100);
    expect(result.document.paragraphs).toHaveLength(paragraphs.length);
    // Nothing lost: the body lines give back every paragraph.
    const bodyText = textLines(result, 'body')
      .map((l) => l.text)
      .join('');
    expect(bodyText).toBe(paragraphs.join(''));
  }, 300_000);

  test('as a single 1 MB paragraph (no blank lines) it builds too', async () => {
    const text = japaneseText(Math.ceil((1024 * 1024) / 3), 7);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThanOrEqual(1024 * 1024);
    const result = await buildSource(`body: ${literalBlock(text)}`);
    expectPdf(result.pdf);
    expect(result.pages).toBeGreaterThan(100);
    expect(
      textLines(result, 'body')
        .map((l) => l.text)
        .join(''),
    ).toBe(text);
  }, 300_000);
});

describe('a 500-character word with no break opportunity', () => {
  /**
   * A paragraph of `word` alone between two others, built: nothing lost, every line inside the block and
   * its measure, the word on more than one line. Returns the build and the word's lines.
   */
  async function buildLongWord(word: string) {
    expect(word).toHaveLength(500);
    const result = await buildSource(`title: 長い語\nbody: |\n  前の段落です。\n\n  ${word}\n\n  後の段落です。\n`);
    expectPdf(result.pdf);
    const lines = textLines(result, 'body');
    expect(lines.map((l) => l.text).join('')).toBe('前の段落です。' + word + '後の段落です。');
    expect(linesOutsideBlock(result, 'body')).toEqual([]);
    for (const line of lines) expect(glyphExtent(result, line)).toBeLessThanOrEqual(line.measure + TOLERANCE_EM);
    const wordLines = lines.filter((l) => word.includes(l.text));
    expect(wordLines.length).toBeGreaterThan(1);
    return { result, wordLines };
  }

  const cases: [string, string][] = [
    ['Latin letters', 'abcdefghijklmnopqrstuvwxy'.repeat(20)],
    ['digits', '0123456789'.repeat(50)],
  ];

  test.each(cases)('%s: builds with a warning, every line within the measure, nothing lost', async (_name, word) => {
    const { result } = await buildLongWord(word);
    // The word was broken, and the author is told.
    expect(result.warnings.some((w) => /paragraph 2/.test(w) && /longer than the line|broken/.test(w))).toBe(true);
  });

  test('a 500-character URL-like run: broken after its separators, every line within the measure, nothing lost', async () => {
    const { wordLines } = await buildLongWord(('https://example.com/' + 'x'.repeat(30)).repeat(10).slice(0, 500));
    // Each piece but the last ends after a separator, and not inside :// (https:/|/).
    for (const line of wordLines.slice(0, -1)) expect(line.text, line.text).toMatch(/[/.:]$/);
    for (const line of wordLines) expect(line.text, line.text).not.toMatch(/(https?:?|https?:\/)$/);
  });

  test('500 full-width letters: ideographic (cl-19), broken where each line is full, two letters at least on a line', async () => {
    const { wordLines } = await buildLongWord('ＡＢＣＤＥＦＧＨＩＪ'.repeat(50));
    // Every line of the run but its last is set solid to the measure; none is left with a lone letter.
    for (const line of wordLines.slice(0, -1)) expect(line.width).toBeCloseTo(line.measure, 6);
    for (const line of wordLines) expect(Array.from(line.text).length).toBeGreaterThanOrEqual(2);
  });

  test('inside a Japanese sentence: builds with a warning, every line within the measure', async () => {
    const word = 'Supercalifragilistic'.repeat(25);
    const text = `本文の途中に${word}という語があります。`;
    const result = await buildSource(`body: ${text}\n`);
    expectPdf(result.pdf);
    expect(
      textLines(result, 'body')
        .map((l) => l.text)
        .join(''),
    ).toBe(text);
    expect(linesOutsideBlock(result, 'body')).toEqual([]);
    expect(result.warnings.length).toBeGreaterThan(0);
  });
});

describe('a header too long for its line', () => {
  const cases: [string, string][] = [
    ['a 200-character Japanese title', japaneseText(200, 3)],
    ['a 200-character title without break opportunities', 'ABCDEFGHIJ'.repeat(20)],
    ['a 200-character title of mixed words', '国際 Conference 2017年 '.repeat(12).slice(0, 200).trim()],
  ];

  test.each(cases)('%s: builds, wrapped over several lines, every line within the block', async (_name, title) => {
    const result = await buildSource(`title: ${JSON.stringify(title)}\nbody: 本文です。\n`);
    expectPdf(result.pdf);
    const header = textLines(result, 'header').filter((l) => l.face === 'gothicBold');
    expect(header.length).toBeGreaterThan(1);
    expect(header.map((l) => l.text).join('')).toBe(title);
    expect(linesOutsideBlock(result, 'header')).toEqual([]);
  });

  test('a long sender and recipient (right- and left-aligned) stay within the block', async () => {
    const sender = japaneseText(150, 5);
    const recipient = japaneseText(130, 9);
    const result = await buildSource(
      `sender: ${sender}\nrecipient:\n  - ${recipient}\nbody: 本文です。\nclosing: ${japaneseText(90, 11)}\n`,
    );
    expectPdf(result.pdf);
    expect(linesOutsideBlock(result, 'header')).toEqual([]);
    expect(linesOutsideBlock(result, 'after')).toEqual([]);
    const header = textLines(result, 'header')
      .map((l) => l.text)
      .join('');
    expect(header).toContain(sender);
    expect(header).toContain(recipient);
  });

  test('a 200-character title with the embassy-message template (12pt, centred)', async () => {
    const title = japaneseText(200, 13);
    const result = await buildSource(`template: embassy-message\ntitle: ${title}\nsubtitle: ${japaneseText(120, 2)}\nbody: 本文です。\n`);
    expectPdf(result.pdf);
    expect(linesOutsideBlock(result, 'header')).toEqual([]);
    expect(
      textLines(result, 'header')
        .map((l) => l.text)
        .join(''),
    ).toContain(title);
  });
});

describe('YAML nested thousands of levels deep', () => {
  const deepBlock = (n: number) => `body: 本文\npdf:\n${Array.from({ length: n }, (_, k) => `${'  '.repeat(k + 1)}k${k}:`).join('\n')} x\n`;
  const deepFlow = (n: number) => `body: 本文\npdf: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  test.each([
    ['a block mapping 3,000 deep', deepBlock(3000)],
    ['a flow list 5,000 deep', deepFlow(5000)],
    ['a block mapping 100 deep', deepBlock(100)],
  ])('%s: one error saying so, at the file (no stack overflow)', async (_name, source) => {
    const err = await kumihanErrorOf(() => buildSource(source));
    expect(err.message).toBe('the file nests mappings or lists more than 64 levels deep; no content or template field goes that deep');
    expect(err.location.file).toMatch(/\.yaml$/);
  });
});
