/**
 * Jukugo ruby (熟語ルビ, JLREQ §3.3.6 and Appendix F): the markup 東京《とう｜きょう》 gives each base
 * character its reading; the composer centres a reading that fits its character (mono ruby), lets a longer
 * one overhang the next character of the word first, then the previous, by at most one ruby character,
 * then kana next to the word, and spaces the word out only when nothing else fits; a line may break between
 * the characters, each part keeping its readings. Malformed jukugo markup is an error at its place.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import type { TextRun } from '../../src/model/document.js';
import { InlineMarkupError, parseInline } from '../../src/model/markup.js';
import { type ComposedLine, composeRuns } from '../../src/text/compose.js';
import { ANNOTATION_SCALE } from '../../src/text/ruby.js';
import { defaults, face } from '../text/helpers.js';

const source = { origin: 'content' as const, path: ['body'] };
const runsOf = (text: string): TextRun[] =>
  parseInline(text).map((p) => ({ kind: 'text', text: p.text, source, ...(p.mark ? { mark: p.mark } : {}) }));
const compose = (text: string, measure = 40) => composeRuns(runsOf(text), face, { ...defaults, measure, indent: 0 });
const one = (text: string) => compose(text).lines[0]!;

/** One ruby character: the most a reading may overhang a neighbour. */
const ONE = ANNOTATION_SCALE;
const EPS = 1e-6;

/** Each ruby of a line: its base glyphs' em boxes and its reading's extent, from the line itself. */
function rubiesOf(line: ComposedLine) {
  return (line.rubies ?? []).map((r) => {
    const base = line.glyphs.slice(r.baseStart, r.baseEnd);
    const reading = line.annotations!.slice(r.rubyStart, r.rubyEnd);
    return {
      base: base.map((g) => g.text).join(''),
      reading: reading.map((g) => g.text).join(''),
      text: r.reading,
      baseStart: base[0]!.x,
      baseEnd: base.at(-1)!.x + 1,
      start: reading[0]!.x,
      end: reading.at(-1)!.x + ONE,
    };
  });
}

describe('jukugo ruby markup', () => {
  const marks = (text: string) => parseInline(text).flatMap((p) => (p.mark?.kind === 'ruby' ? [[p.text, p.mark.ruby, p.mark.jukugo]] : []));
  it('splits the reading at ｜ inside 《》, one part per base character, with or without ｜ before the base', () => {
    expect(marks('東京《とう｜きょう》へ')).toEqual([['東京', 'とうきょう', ['とう', 'きょう']]]);
    expect(marks('の｜東京都《とう｜きょう｜と》')).toEqual([['東京都', 'とうきょうと', ['とう', 'きょう', 'と']]]);
    // Without ｜ it stays group ruby; an escaped ｜ is part of the reading.
    expect(marks('東京《とうきょう》')).toEqual([['東京', 'とうきょう', undefined]]);
    expect(marks('漢《か\\｜ん》')).toEqual([['漢', 'か｜ん', undefined]]);
  });

  const errorOf = (text: string) => {
    try {
      parseInline(text);
    } catch (e) {
      if (e instanceof InlineMarkupError) return { at: e.bodyOffset, message: e.message };
      throw e;
    }
    throw new Error(`no error for ${text}`);
  };
  it('is an error, at the 《, when the readings are not one per base character', () => {
    const text = 'この東京都《とう｜きょう》で';
    expect(errorOf(text)).toEqual({ at: text.indexOf('《'), message: expect.stringMatching(/2 readings for the 3 characters of 東京都/) });
    expect(errorOf('｜東京《と｜う｜きょう》').message).toMatch(/3 readings for the 2 characters/);
  });
  it('is an error, at the ｜ before it, when a reading is empty', () => {
    const text = '東京《とう｜》';
    expect(errorOf(text)).toEqual({ at: text.indexOf('｜'), message: expect.stringContaining('empty reading') });
    expect(errorOf('東京《｜きょう》').at).toBe(2);
  });
  it('is an error at its line and column in the content file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-jukugo-'));
    const file = path.join(dir, 'bad.yaml');
    const body = '本文です。東京都《とう｜きょう》を';
    fs.writeFileSync(file, `template: letter\nrecipient: [山田様]\nbody: |\n  ${body}\n`);
    await expect(buildDocument(file, { root: dir, workingDirectory: dir })).rejects.toMatchObject({
      message: expect.stringContaining('2 readings for the 3 characters'),
      location: { line: 4, column: 3 + body.indexOf('《'), path: 'body' },
    });
  });
});

describe('jukugo ruby placement (Appendix F)', () => {
  it('centres each reading on its own character when it fits, where group ruby spreads one reading over the word', () => {
    const jukugo = rubiesOf(one('あ日本《に｜ほん》あ'));
    expect(jukugo.map((r) => [r.base, r.reading])).toEqual([
      ['日', 'に'],
      ['本', 'ほん'],
    ]);
    for (const r of jukugo) expect((r.start + r.end) / 2).toBeCloseTo((r.baseStart + r.baseEnd) / 2, 6);
    const group = rubiesOf(one('あ日本《にほん》あ'));
    expect(group.map((r) => [r.base, r.reading])).toEqual([['日本', 'にほん']]);
    // The group's に is not centred on 日: the three readings are spread 1:2:1 over both characters.
    const line = one('あ日本《にほん》あ');
    const ni = line.annotations![0]!;
    const nichi = line.glyphs[1]!;
    expect(Math.abs(ni.x + ONE / 2 - (nichi.x + 0.5))).toBeGreaterThan(0.1);
    expect((group[0]!.start + group[0]!.end) / 2).toBeCloseTo((group[0]!.baseStart + group[0]!.baseEnd) / 2, 6);
    // The base characters stand where they would without ruby.
    expect(one('あ日本《に｜ほん》あ').glyphs.map((g) => g.x)).toEqual(one('あ日本あ').glyphs.map((g) => g.x));
  });

  it('lets a long reading overhang the next character first, pushing its reading onto the kana after the word', () => {
    // しゅう (three ruby characters) over 鞦: one ruby character over 韆, whose せん moves onto あ — even
    // with kana before the word too, which it could overhang instead (Appendix F 2.a: the next one first).
    for (const before of ['漢', 'あ']) {
      const line = one(`${before}｜鞦韆《しゅう｜せん》あ`);
      const [shu, sen] = rubiesOf(line);
      expect(shu!.start).toBeCloseTo(shu!.baseStart, 6);
      expect(shu!.end - shu!.baseEnd).toBeCloseTo(ONE, 6);
      expect(sen!.start).toBeCloseTo(shu!.end, 6);
      expect(sen!.end - sen!.baseEnd).toBeCloseTo(ONE, 6);
      expect(line.glyphs.map((g) => g.x)).toEqual(one(`${before}鞦韆あ`).glyphs.map((g) => g.x));
    }
  });

  it('overhangs the previous character of the word rather than the kana outside it', () => {
    // 古 has one ruby character: しゅう may take the other half of it, and nothing leaves the word.
    const line = one('あ｜古鞦韆《こ｜しゅう｜せん》あ');
    const [ko, shu, sen] = rubiesOf(line);
    expect(ko!.start).toBeCloseTo(ko!.baseStart, 6);
    expect(shu!.baseStart - shu!.start).toBeCloseTo(ONE, 6);
    expect(shu!.end).toBeCloseTo(shu!.baseEnd, 6);
    expect(sen!.start).toBeCloseTo(sen!.baseStart, 6);
    expect(sen!.end).toBeCloseTo(sen!.baseEnd, 6);
  });

  it('overhangs the kana before the word when the character after is a kanji', () => {
    const line = one('あ｜鞦韆《しゅう｜せん》漢');
    const [shu, sen] = rubiesOf(line);
    expect(shu!.baseStart - shu!.start).toBeCloseTo(ONE, 6);
    expect(sen!.end).toBeCloseTo(sen!.baseEnd, 6);
    expect(line.glyphs.map((g) => g.x)).toEqual(one('あ鞦韆漢').glyphs.map((g) => g.x));
  });

  it('spaces out the character with the long reading, and only as much as needed, when kanji stand on both sides', () => {
    const line = one('漢｜鞦韆《しゅう｜せん》漢');
    const plain = one('漢鞦韆漢');
    const [shu] = rubiesOf(line);
    const added = line.glyphs.at(-1)!.x - plain.glyphs.at(-1)!.x;
    // The reading is one ruby character longer than its character, and nothing may be overhung.
    expect(added).toBeCloseTo(ONE, 6);
    // Half before 鞦 and half after it (Appendix F: the spaces on both sides of the character).
    expect(line.glyphs[1]!.x - plain.glyphs[1]!.x).toBeCloseTo(ONE / 2, 6);
    expect(shu!.start).toBeCloseTo(line.glyphs[0]!.x + 1, 6);
  });

  it('keeps every reading of a jukugo over its character, never overlapping another, within one ruby character of it', () => {
    const words = [
      '東京都《とう｜きょう｜と》',
      '鞦韆《しゅう｜せん》',
      '海驢《あし｜か》',
      '案山子《か｜か｜し》',
      '明後日《みょう｜ご｜にち》',
    ];
    for (const word of words)
      for (const [before, after] of [
        ['あ', 'あ'],
        ['漢', 'あ'],
        ['あ', '漢'],
        ['漢', '漢'],
      ]) {
        const text = `${before}｜${word}${after}`;
        const line = one(text);
        const rubies = rubiesOf(line);
        const first = line.glyphs[0]!;
        const last = line.glyphs.at(-1)!;
        rubies.forEach((r, k) => {
          expect(r.reading, text).toBe(r.text);
          expect(r.start, text).toBeLessThan(r.baseEnd);
          expect(r.end, text).toBeGreaterThan(r.baseStart);
          expect(r.start, text).toBeGreaterThanOrEqual(r.baseStart - ONE - EPS);
          expect(r.end, text).toBeLessThanOrEqual(r.baseEnd + ONE + EPS);
          if (k > 0) expect(r.start, text).toBeGreaterThanOrEqual(rubies[k - 1]!.end - EPS);
        });
        // Outside the word: never over a kanji, over kana by one ruby character at most.
        expect(rubies[0]!.start, text).toBeGreaterThanOrEqual(first.x + 1 - (before === 'あ' ? ONE : 0) - EPS);
        expect(rubies.at(-1)!.end, text).toBeLessThanOrEqual(last.x + (after === 'あ' ? ONE : 0) + EPS);
      }
  });
});

describe('jukugo ruby at a line break', () => {
  const text = (n: number, word: string) => `${'あ'.repeat(n)}｜${word}${'いうえお'.repeat(3)}`;
  it('may break between the characters, each line keeping the readings of its own characters', () => {
    let inside = 0;
    for (let n = 4; n < 12; n++) {
      const lines = compose(text(n, '東京都《とう｜きょう｜と》'), 10).lines;
      const readings = new Map([
        ['東', 'とう'],
        ['京', 'きょう'],
        ['都', 'と'],
      ]);
      const seen: string[] = [];
      for (const line of lines) {
        if (/^[京都]/.test(line.text)) inside++;
        for (const r of rubiesOf(line)) {
          expect(r.reading).toBe(readings.get(r.base));
          seen.push(r.base);
          // Inside the line, over (or overhanging by at most one ruby character) its own character.
          expect(r.start).toBeGreaterThanOrEqual(-EPS);
          expect(r.end).toBeLessThanOrEqual(line.width + EPS);
          expect(r.start).toBeGreaterThanOrEqual(r.baseStart - ONE - EPS);
          expect(r.end).toBeLessThanOrEqual(r.baseEnd + ONE + EPS);
        }
        // A line's annotations are its own readings only.
        expect((line.annotations ?? []).map((g) => g.text).join('')).toBe(
          rubiesOf(line)
            .map((r) => r.reading)
            .join(''),
        );
      }
      expect(seen).toEqual(['東', '京', '都']);
    }
    expect(inside).toBeGreaterThan(0);
  });

  it('never breaks where a part could not hold its reading at the line edge', () => {
    // しゅう needs the overhang onto 韆: alone at a line end, after a kanji, it has none.
    let cases = 0;
    for (let n = 4; n < 12; n++) {
      const lines = compose(`${'漢'.repeat(n)}｜鞦韆《しゅう｜せん》${'いうえお'.repeat(3)}`, 10).lines;
      for (const line of lines) {
        expect(line.text.endsWith('鞦')).toBe(false);
        if (line.text.includes('鞦')) cases++;
      }
    }
    expect(cases).toBeGreaterThan(0);
    // Where both parts fit, the break is allowed: 東京都 breaks (above); so does 鞦韆 after kana, which
    // gives しゅう the overhang it needs at the line end.
    let broken = 0;
    for (let n = 4; n < 12; n++)
      for (const line of compose(`${'あ'.repeat(n)}｜鞦韆《しゅう｜せん》漢${'いうえお'.repeat(3)}`, 10).lines)
        if (line.text.endsWith('鞦')) broken++;
    expect(broken).toBeGreaterThan(0);
  });
});
