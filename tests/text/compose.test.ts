/**
 * The composer, rule by rule, on tiny fixtures. Each case names the JLREQ section it checks.
 * Positions are glyph origins in em from the line start; a Japanese bracket or comma is a full-em glyph
 * whose body is half an em, so an opening bracket's glyph origin is half an em before its body.
 */
import { describe, expect, it } from 'vitest';
import { mayStartLine, mayEndLine, type LineBreakMode } from '../../src/text/linebreak.js';
import { glyphAdvance } from '../support/glyphs.js';
import { compose, face, glyphX, round } from './helpers.js';

describe('JLREQ §3.1.2–3.1.4: punctuation is a half-em glyph plus space, consecutive punctuation is compressed', () => {
  it.each([
    // text, expected glyph origins (em)
    [
      'あ、い',
      [
        ['あ', 0],
        ['、', 1],
        ['い', 2],
      ],
    ], // ½ em after a comma
    [
      'あ。い',
      [
        ['あ', 0],
        ['。', 1],
        ['い', 2],
      ],
    ], // ½ em after a full stop
    [
      'あ「い」う',
      [
        ['あ', 0],
        ['「', 1],
        ['い', 2],
        ['」', 3],
        ['う', 4],
      ],
    ], // ½ before 「, ½ after 」
    [
      'あ。」い',
      [
        ['あ', 0],
        ['。', 1],
        ['」', 1.5],
        ['い', 2.5],
      ],
    ], // 。」 solid, ½ after the bracket (§3.1.4 a)
    [
      'あ」、い',
      [
        ['あ', 0],
        ['」', 1],
        ['、', 1.5],
        ['い', 2.5],
      ],
    ], // 」、 solid, ½ after the comma
    [
      'あ、「い',
      [
        ['あ', 0],
        ['、', 1],
        ['「', 1.5],
        ['い', 2.5],
      ],
    ], // 、「 takes ½ em, not 1 em
    [
      'あ」「い',
      [
        ['あ', 0],
        ['」', 1],
        ['「', 1.5],
        ['い', 2.5],
      ],
    ], // 」「 takes ½ em
    [
      'あ「『い',
      [
        ['あ', 0],
        ['「', 1],
        ['『', 1.5],
        ['い', 2.5],
      ],
    ], // 「『 solid, ½ em before the first
    [
      'い』」う',
      [
        ['い', 0],
        ['』', 1],
        ['」', 1.5],
        ['う', 2.5],
      ],
    ], // 』」 solid, ½ em after the last
    [
      'あ・い',
      [
        ['あ', 0],
        ['・', 1],
        ['い', 2],
      ],
    ], // middle dot: ¼ em each side of a half-em body
    [
      'あ」・い',
      [
        ['あ', 0],
        ['」', 1],
        ['・', 1.5],
        ['い', 2.5],
      ],
    ], // 」・ takes ¼ em (the dot's body is 1.75–2.25), then ¼ em
  ])('%s', (text, expected) => {
    expect(glyphX(compose(text))).toEqual(expected);
  });

  it('consecutive punctuation never takes a full em of space between glyph bodies', () => {
    const p = compose('「あ」」、「『い』」。、・「う」');
    const line = p.lines[0];
    // Body ends are glyph origins + 0.5 em for half-em punctuation; no gap between consecutive marks reaches 1 em.
    const xs = line.glyphs.map((g) => g.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBeLessThan(1.5 + 1e-9);
  });
});

describe('JLREQ §3.2.5: a quarter em between Japanese and Western text, none next to punctuation', () => {
  it('kanji–Latin–kana', () => {
    const x = glyphX(compose('日本Japanです'));
    expect(x[0]).toEqual(['日', 0]);
    expect(x[2]).toEqual(['J', 2.25]);
    const n = x.findIndex(([t]) => t === 'で');
    const lastLatin = compose('日本Japanです').lines[0].glyphs.find((g) => g.text === 'n')!;
    expect(round(x[n][1] - (lastLatin.x + glyphAdvance(face, lastLatin)))).toBe(0.25);
  });
  it('no space between a bracket and Latin text', () => {
    const x = glyphX(compose('「Smart」'));
    const s = x.find(([t]) => t === 'S')!;
    // The bracket is set solid at the line head (body 0–0.5) and the word follows its body directly.
    expect(s[1]).toBe(0.5);
  });
  it('half-width digits are Western text and take the quarter em', () => {
    const x = glyphX(compose('第1回'));
    expect(x[1]).toEqual(['1', 1.25]);
  });
  it('full-width digits stay on the em grid, set solid', () => {
    expect(glyphX(compose('第１回'))).toEqual([
      ['第', 0],
      ['１', 1],
      ['回', 2],
    ]);
  });
});

describe('JLREQ §3.1.5: line head and paragraph indent', () => {
  it('one-em indent on the first line', () => {
    expect(glyphX(compose('あい', { indent: 1 }))[0]).toEqual(['あ', 1]);
  });
  it.each([
    ['jis', 1], // one-em indent, the bracket set solid: its ink starts at 1 em
    ['half', 0.5],
    ['none', 0],
  ] as const)('opening bracket at paragraph start, convention %s', (convention, inkStart) => {
    const p = compose('「あ」と言った。', { indent: 1, openingBracketIndent: convention });
    const bracket = p.lines[0].glyphs[0];
    // The bracket's ink is in the right half of its full-em glyph: ink starts at origin + 0.5.
    expect(round(bracket.x + 0.5)).toBe(inkStart);
  });
  it('an opening bracket at the head of a continuation line is set solid', () => {
    const p = compose('あいうえおかきくけ「こ」', { measure: 10 });
    expect(p.lines[1].text.startsWith('「')).toBe(true);
    expect(round(p.lines[1].glyphs[0].x + 0.5)).toBe(0);
  });
});

describe('JLREQ §3.1.7–3.1.8: kinsoku at line start and line end', () => {
  const cases: [string, LineBreakMode, boolean][] = [
    ['」', 'loose', false],
    ['）', 'loose', false],
    ['。', 'loose', false],
    ['、', 'loose', false],
    ['，', 'loose', false],
    ['．', 'loose', false],
    ['？', 'normal', false],
    ['！', 'normal', false],
    ['・', 'normal', false],
    ['・', 'loose', true],
    ['ぁ', 'strict', false],
    ['ぁ', 'normal', true],
    ['ー', 'strict', false],
    ['ー', 'normal', true],
    ['々', 'normal', false],
    ['々', 'loose', true],
    ['〜', 'strict', false],
    ['〜', 'normal', true],
    ['ゝ', 'normal', false],
    ['ゝ', 'loose', true],
    ['あ', 'strict', true],
    ['漢', 'strict', true],
    ['「', 'strict', true],
  ];
  it.each(cases)('%s may start a line under %s: %s', (ch, mode, expected) => {
    expect(mayStartLine(ch, mode)).toBe(expected);
  });
  it.each([
    ['「', false],
    ['（', false],
    ['『', false],
    ['あ', true],
    ['」', true],
  ] as const)('%s may end a line: %s', (ch, expected) => {
    expect(mayEndLine(ch)).toBe(expected);
  });
});

describe('JLREQ §3.8: every line but the last is justified to the measure', () => {
  it('push-in: a closing mark that would start the next line is drawn into this one (§3.8.2)', () => {
    // 10 kanji then 。 on a 10-em line: the full stop may not start line 2.
    const p = compose('一二三四五六七八九十。次の文', { measure: 10 });
    // The full stop cannot fit by compression here (nothing to compress), so the line is pushed out instead.
    for (const l of p.lines.slice(0, -1)) expect(round(l.width)).toBe(10);
    for (const l of p.lines.slice(1)) expect(mayStartLine(l.text[0], 'strict')).toBe(true);
  });
  it('push-in uses the space after a comma before pushing out', () => {
    const p = compose('一二、三四五六七八。九十', { measure: 9 });
    // "一二、三四五六七八。" is 9.5 em + ½ em line-end space; removing the comma's ½ em and the line-end space fits it.
    expect(p.lines[0].text).toBe('一二、三四五六七八。');
    expect(p.lines[0].adjustment).toBe('shrunk');
    expect(round(p.lines[0].width)).toBe(9);
  });
  it('push-out: the line is expanded by letter spacing, never inside an unbreakable sequence', () => {
    const p = compose('あいうえおかきく１２３４', { measure: 10 });
    const l = p.lines[0];
    expect(l.text).toBe('あいうえおかきく');
    expect(l.adjustment).toBe('stretched');
    expect(round(l.width)).toBe(10);
  });
  it('the last line of a paragraph is not stretched', () => {
    const p = compose('あいうえおかきくけこさし', { measure: 10 });
    expect(p.lines[1].adjustment).toBe('natural');
    expect(round(p.lines[1].width)).toBe(2);
  });
  it('Western word spaces shrink first (Table 3 priority 1)', () => {
    const p = compose('あ Smart Mix with Technology again and again', { measure: 12 });
    for (const l of p.lines.slice(0, -1)) expect(round(l.width)).toBe(12);
  });
});

describe('JLREQ §3.1.10: unbreakable sequences', () => {
  const breaksInside = (text: string, word: string, measure: number) =>
    compose(text, { measure }).lines.some(
      (l, i, all) =>
        i < all.length - 1 && (l.text + all[i + 1].text).includes(word) && !l.text.includes(word) && !all[i + 1].text.includes(word),
    );
  it.each([
    // text, sequence, the shortest line it fits on
    ['あいうえおかき1,000.5円', '1,000.5', 5],
    ['あいうえおかき¥1000です', '¥1000', 5],
    ['あいうえおかき50%です', '50%', 5],
    ['あいうえおかき——です', '——', 5],
    ['あいうえおかき……です', '……', 5],
    ['あいうえおかきTechnologyです', 'Technology', 7],
    ['あいうえおかき２０１７年です', '２０１７', 5],
  ])('%s keeps %s whole at every line length it fits', (text, word, shortest) => {
    for (let m = shortest; m <= shortest + 12; m++) expect(breaksInside(text, word, m)).toBe(false);
  });
});

describe('JLREQ §3.8.3: hanging punctuation, only where needed', () => {
  it('a comma hangs instead of pushing the line out', () => {
    const p = compose('あいうえお、かきくけこ', { measure: 5, hangingPunctuation: true });
    expect(p.lines[0].text).toBe('あいうえお、');
    expect(round(p.lines[0].hanging)).toBe(0.5);
  });
  it('nothing hangs when the comma fits', () => {
    const p = compose('あいう、えおかきくけこ', { measure: 5, hangingPunctuation: true });
    expect(p.lines.every((l) => l.hanging === 0)).toBe(true);
  });
  it('without hanging the comma is never past the measure', () => {
    const p = compose('あいうえお、かきくけこ', { measure: 5 });
    expect(p.lines.every((l) => l.hanging === 0)).toBe(true);
    expect(p.lines[1].text.startsWith('、')).toBe(false);
  });
});

describe('a word longer than the line is broken as a last resort, with a warning', () => {
  it('breaks a long URL', () => {
    const url = 'https://example.com/' + 'a'.repeat(60);
    const p = compose(`詳細は${url}をご覧ください。`, { measure: 20 });
    expect(p.warnings.length).toBeGreaterThan(0);
    expect(p.lines.map((l) => l.text).join('')).toBe(`詳細は${url}をご覧ください。`);
    for (const l of p.lines) expect(l.width).toBeLessThanOrEqual(20 + 1e-6);
    // The line before the long word is filled, not left short.
    for (const l of p.lines.slice(0, -1)) expect(l.width).toBeGreaterThan(19);
  });
});

describe('JLREQ §3.1.6: the ideographic space after ？！', () => {
  it('is kept inside a line, dropped at a line end, and never starts a line', () => {
    // Inside the line: a full em after the question mark.
    expect(glyphX(compose('か？　え'))).toEqual([
      ['か', 0],
      ['？', 1],
      ['\u3000', 2],
      ['え', 3],
    ]);
    for (let measure = 6; measure <= 12; measure++) {
      const p = compose('あいうえおかき？　ええ、もちろんです。', { measure });
      for (const l of p.lines.slice(1)) expect(l.text.startsWith('\u3000'), `${measure}: ${l.text}`).toBe(false);
      for (const l of p.lines.slice(0, -1)) expect(round(l.width)).toBe(measure);
    }
    // At the line end it takes no room: the question mark ends flush with the measure.
    const p = compose('あいうえおかき？　ええ', { measure: 8 });
    expect(p.lines[0].text).toBe('あいうえおかき？\u3000');
    const q = p.lines[0].glyphs.find((g) => g.text === '？')!;
    expect(q.x).toBe(7);
  });
});
