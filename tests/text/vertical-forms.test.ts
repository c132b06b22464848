/**
 * Vertical forms (src/text/vertical.ts): in a column, Latin letters take their rotated glyphs (GSUB vrt2), and
 * a hyphen-minus, which BIZ UD Mincho gives no rotated form, borrows the minus sign's: a bar along the
 * column, never the upright glyph (a bar across it, drawn over the next letter). Other Western glyphs
 * without a rotated form (– — À © ™) are marked to be drawn turned.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fontOfRole, glyphIdForCodePoint, loadFace } from '../../src/font/fonts.js';
import { composeParagraph } from '../../src/text/compose.js';
import { mergeTateChuYoko, verticalForms } from '../../src/text/vertical.js';
import { defaults, ROOT } from './helpers.js';

// The vertical letter's face: BIZ UD Mincho alone (no proportional companion), as templates/letter-vertical.yaml.
const face = loadFace('minchoVertical', path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf'));
const main = fontOfRole(face, 'main');

describe('rotated Latin in a column', () => {
  const line = composeParagraph('連絡はe-mailで。', face, { ...defaults, measure: 20, vertical: { tateChuYoko: 2 } }).lines[0]!;
  const vertical = verticalForms(line.glyphs, face);
  const glyphOf = (text: string) => vertical.find((g) => g.text === text)!;

  it('letters take their rotated forms', () => {
    expect(glyphOf('m').id).not.toBe(glyphIdForCodePoint(main, 'm'.codePointAt(0)!));
  });

  it('the hyphen-minus takes the rotated form of the minus sign (it has none of its own)', () => {
    const hyphen = glyphIdForCodePoint(main, 0x2d);
    const minusRotated = main.layout('\u2212', ['vrt2']).glyphs[0]!.id;
    expect(main.layout('-', ['vrt2']).glyphs[0]!.id).toBe(hyphen); // the font has no rotated hyphen-minus
    expect(minusRotated).not.toBe(glyphIdForCodePoint(main, 0x2212));
    expect(glyphOf('-').id).toBe(minusRotated);
  });
});

describe('Western characters the font has no rotated form for', () => {
  const line = composeParagraph('1992–2017年、彼は——語った。À la Café©™‼ｱ', face, {
    ...defaults,
    measure: 40,
    vertical: { tateChuYoko: 2 },
  }).lines[0]!;
  const vertical = verticalForms(line.glyphs, face);
  const glyphOf = (text: string) => vertical.find((g) => g.text === text)!;

  it('are drawn turned (the en dash, À, ©, ™), their glyph as it is', () => {
    for (const ch of ['–', 'À', '©', '™']) {
      // The font has no rotated form: vrt2 leaves the glyph alone.
      const own = glyphIdForCodePoint(main, ch.codePointAt(0)!);
      expect(main.layout(ch, ['vrt2']).glyphs[0]!.id, ch).toBe(own);
      expect(glyphOf(ch).sideways, ch).toBe(true);
      expect(glyphOf(ch).id, ch).toBe(own);
    }
  });

  it('a Japanese —— takes the vertical form of ― (U+2015), an em each, upright', () => {
    const dashes = vertical.filter((g) => g.text === '—');
    expect(dashes).toHaveLength(2);
    const barVertical = main.layout('\u2015', ['vrt2']).glyphs[0]!.id;
    expect(barVertical).not.toBe(glyphIdForCodePoint(main, 0x2015));
    for (const g of dashes) {
      expect(g.id).toBe(barVertical);
      expect(g.sideways).toBeUndefined();
    }
    expect(dashes[1]!.x - dashes[0]!.x).toBeCloseTo(1, 6);
  });

  it('letters with a rotated form take it, upright characters stay upright, a word space stays in its run: none is turned', () => {
    for (const ch of ['a', 'C', ' ', '年', '語', '、', '‼', 'ｱ']) expect(glyphOf(ch).sideways, ch).toBeUndefined();
    expect(glyphOf('a').id).not.toBe(glyphIdForCodePoint(main, 'a'.codePointAt(0)!));
  });
});

describe('quotation marks in a column', () => {
  it('“ ” are set as 〝 〟, the marks vertical text uses (they have no vertical form of their own)', () => {
    const line = composeParagraph('“引用”と〝引用〟', face, { ...defaults, measure: 20, vertical: { tateChuYoko: 2 } }).lines[0]!;
    const vertical = verticalForms(line.glyphs, face);
    const ids = (text: string) => vertical.filter((g) => g.text === text).map((g) => g.id);
    expect(ids('“')).toEqual(ids('〝'));
    expect(ids('”')).toEqual(ids('〟'));
    expect(ids('“')[0]).not.toBe(glyphIdForCodePoint(main, 0x201c));
    // The text layer keeps what was written.
    expect(line.text).toBe('“引用”と〝引用〟');
  });
  it.each(['第一章 Chapter 2 の話', '記念誌 25 Years の刊行'])(
    'a number inside an English phrase (%s) turns with it, not set across the column',
    (text) => {
      const line = composeParagraph(text, face, { ...defaults, measure: 30, vertical: { tateChuYoko: 2 } }).lines[0]!;
      for (const g of verticalForms(line.glyphs, face)) if (/[0-9]/.test(g.text)) expect(g.tateChuYoko, g.text).toBeUndefined();
    },
  );
  it('a number standing in Japanese text (令和 8 年) still goes across the column', () => {
    const line = composeParagraph('令和8年の春', face, { ...defaults, measure: 30, vertical: { tateChuYoko: 2 } }).lines[0]!;
    expect(line.glyphs.find((g) => g.text === '8')!.tateChuYoko).toBeDefined();
  });
  it.each(['彼は“maybe”!と', '彼は“Really?!”と', '彼は“OK”!!と'])(
    '! and ? with Western text before them (%s) are turned with it, not set upright',
    (text) => {
      const line = composeParagraph(text, face, { ...defaults, measure: 30, vertical: { tateChuYoko: 2 } }).lines[0]!;
      const vertical = verticalForms(line.glyphs, face);
      for (const g of vertical) if (/[!?]/.test(g.text)) expect(g.tateChuYoko, g.text).toBeUndefined();
      expect(vertical.find((g) => g.text === '”')!.sideways).toBe(true);
    },
  );
  it('in Western text (don’t, “Hi”) they are turned with their word, never given the upright Japanese forms', () => {
    const line = composeParagraph('彼は“Hi”とI don’tと言った', face, { ...defaults, measure: 30, vertical: { tateChuYoko: 2 } }).lines[0]!;
    const vertical = verticalForms(line.glyphs, face);
    for (const mark of ['“', '”', '’']) {
      const g = vertical.find((v) => v.text === mark)!;
      expect(g.sideways, mark).toBe(true);
      expect(g.id, mark).toBe(glyphIdForCodePoint(main, mark.codePointAt(0)!));
    }
  });
});

describe('automatic tate-chu-yoko (JLREQ §3.2.4) beyond plain digits', () => {
  const runs = (text: string, auto = 2) => {
    const { clusters, merged } = mergeTateChuYoko([...text], undefined, auto);
    return clusters.filter((_, k) => merged[k] === 1);
  };

  it('a sign before a number standing alone (−, +, ¥, $, #, £, €) goes across the column with it when the whole fits; else neither does', () => {
    expect(runs('気温は−5℃')).toEqual(['−5']);
    expect(runs('前年比+3と-7')).toEqual(['+3', '-7']);
    expect(runs('価格¥5、$8、£3、€2、第#1号')).toEqual(['¥5', '$8', '£3', '€2', '#1']);
    // Longer than the limit: sign and digits stay rotated together — never a sign on its side before
    // upright digits.
    expect(runs('気温は−15℃')).toEqual([]);
    expect(runs('価格¥50')).toEqual([]);
    expect(runs('気温は−15℃', 3)).toEqual(['−15']);
    // A hyphen between numbers is not a sign (丁目-番地), nor after a letter.
    expect(runs('丸の内1-2-3')).toEqual(['1', '2', '3']);
    expect(runs('型式A-5')).toEqual(['5']);
    expect(runs('気温は−5℃', 0)).toEqual([]);
  });

  it('a number with the period of an enumeration (a list item’s 1.) goes across the column with its period', () => {
    expect(runs('1.')).toEqual(['1.']);
    expect(runs('12.日時')).toEqual(['12.']);
    // A decimal point, a longer number, an abbreviation: as before.
    expect(runs('3.5倍')).toEqual([]);
    expect(runs('123.')).toEqual([]);
    expect(runs('No.1')).toEqual([]);
  });

  it('! and ? standing alone, one or two of them, are set upright across the column', () => {
    expect(runs('本当!?まさか!')).toEqual(['!?', '!']);
    expect(runs('なぜ??')).toEqual(['??']);
    // Part of a Latin word, or three and more: rotated with the text, as before.
    expect(runs('Yahoo!の記事')).toEqual([]);
    expect(runs('えっ!!!')).toEqual([]);
    expect(runs('本当!?', 0)).toEqual([]);
  });
});

describe('tate-chu-yoko ! and ? keep their line-breaking class (JLREQ §3.1.7: cl-04 never starts a line)', () => {
  const text = '大会は十月に開催されました!!本当ですか!?はい!参加者は千名、満足度は高かったと聞きました?そうです!';
  it('a column never starts with them, set across it or not, at any measure', () => {
    for (let measure = 5; measure <= 24; measure++) {
      const lines = composeParagraph(text, face, { ...defaults, measure, vertical: { tateChuYoko: 2 } }).lines;
      for (const line of lines.slice(1)) expect(line.text, `${measure}: ${lines.map((l) => l.text).join('／')}`).not.toMatch(/^[!?]/);
    }
  });
});

describe('a ! or ? after digits set across the column stands upright too, as after kana', () => {
  it.each(['第1!', '25!?', 'あと2?'])('%s', (text) => {
    const line = composeParagraph(`${text}です`, face, { ...defaults, measure: 20, vertical: { tateChuYoko: 2 } }).lines[0]!;
    const marks = line.glyphs.filter((g) => g.text === '!' || g.text === '?' || g.text === '!?');
    expect(marks.length).toBeGreaterThan(0);
    for (const g of marks) expect(g.tateChuYoko, `${g.text} in ${line.text}`).toBeDefined();
  });
  it('after a number rotated with the Latin text (123), it lies on its side with it', () => {
    const line = composeParagraph('第123!です', face, { ...defaults, measure: 20, vertical: { tateChuYoko: 2 } }).lines[0]!;
    expect(line.glyphs.find((g) => g.text === '!')!.tateChuYoko).toBeUndefined();
  });
});
