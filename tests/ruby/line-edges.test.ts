/**
 * A ruby base at the head of a line (JLREQ §3.3.7): its reading stays inside the line and overhangs the
 * kana after it by at most one ruby character, whether the base opens the paragraph or a line breaks
 * before it — the room its reading was to take over the kana before it is left at the line head.
 */
import { describe, expect, it } from 'vitest';
import { TextSourceError, type TextRun } from '../../src/model/document.js';
import { parseInline } from '../../src/model/markup.js';
import { composeRuns, type ComposedLine } from '../../src/text/compose.js';
import { ANNOTATION_SCALE } from '../../src/text/ruby.js';
import { defaults, face } from '../text/helpers.js';

const source = { origin: 'content' as const, path: ['body'] };
const runsOf = (text: string): TextRun[] =>
  parseInline(text).map((p) => ({ kind: 'text', text: p.text, source, ...(p.mark ? { mark: p.mark } : {}) }));
const EPS = 1e-6;

/** The line holding `base`, the em box of its glyph, the reading's extent and the next character's start. */
function rubyOn(lines: ComposedLine[], base: string) {
  const line = lines.find((l) => l.glyphs.some((g) => g.text === base))!;
  const k = line.glyphs.findIndex((g) => g.text === base);
  const reading = line.annotations!.filter((a) => a.kind === 'ruby');
  return {
    line,
    baseStart: line.glyphs[k]!.x,
    next: line.glyphs[k + 1]!.x,
    start: reading[0]!.x,
    end: reading.at(-1)!.x + ANNOTATION_SCALE,
  };
}

describe('a ruby base at the head of a line', () => {
  it.each([
    ['after a break', 'あいうえおかきくけこさしすせそ漢《かんじかな》そうです。', 15],
    ['opening the paragraph', '漢《かんじかな》そうです。', 15],
    ['after a break, two characters', 'あいうえおかきくけこさしすせそ漢字《かんじかなかな》そうです。', 15],
  ])('%s: the reading starts at the line head and overhangs what follows by one ruby character at most', (_, text, measure) => {
    const lines = composeRuns(runsOf(text), face, { ...defaults, measure, indent: 0 }).lines;
    const r = rubyOn(lines, '漢');
    expect(r.line.glyphs[0]!.text === '漢' || r.line.glyphs[0]!.x >= 0).toBe(true);
    expect(r.start).toBeGreaterThanOrEqual(-EPS);
    const baseEnd =
      lines
        .find((l) => l === r.line)!
        .glyphs.filter((g) => /[漢字]/.test(g.text))
        .at(-1)!.x + 1;
    const after = r.line.glyphs.find((g) => g.x >= baseEnd - EPS)?.x ?? baseEnd;
    expect(r.end - after).toBeLessThanOrEqual(ANNOTATION_SCALE + EPS);
    // The line is still set to the measure.
    if (r.line !== lines.at(-1)) expect(r.line.width).toBeCloseTo(measure, 6);
  });
});

describe('a reading longer than the line', () => {
  it('is an error at its run: no line could hold it', () => {
    const compose = (measure: number) =>
      composeRuns(runsOf('｜漢《かんじかなかんじかなかん》字。'), face, { ...defaults, measure, indent: 0 });
    expect(() => compose(5)).toThrow(TextSourceError);
    expect(() => compose(5)).toThrow(/is 6 em long .* line only 5 em/);
    expect(compose(7).lines.length).toBeGreaterThan(0);
  });
});

describe('two readings overhanging the kana between them', () => {
  it('overhang it by one ruby character in all, so that the readings stay a ruby character apart', () => {
    const line = composeRuns(runsOf('漢《かんじかな》あ字《じじじじ》いう。'), face, { ...defaults, measure: 30, indent: 0 }).lines[0]!;
    const [one, two] = line.rubies!;
    const glyphs = line.annotations!;
    const firstEnd = glyphs[one!.rubyEnd - 1]!.x + ANNOTATION_SCALE;
    const secondStart = glyphs[two!.rubyStart]!.x;
    expect(secondStart - firstEnd).toBeGreaterThanOrEqual(ANNOTATION_SCALE - EPS);
    // Each still overhangs あ as far as the other leaves it: the kana is covered by one ruby character in all.
    const a = line.glyphs.find((g) => g.text === 'あ')!;
    const covered = Math.max(0, firstEnd - a.x) + Math.max(0, a.x + 1 - secondStart);
    expect(covered).toBeLessThanOrEqual(ANNOTATION_SCALE + EPS);
  });
});
