/**
 * The composer, rule by rule, on tiny fixtures. Each case names the JLREQ section it checks.
 * Positions are glyph origins in em from the line start; a Japanese bracket or comma is a full-em glyph
 * whose body is half an em, so an opening bracket's glyph origin is half an em before its body.
 */
import { describe, expect, it } from 'vitest';
import { mayStartLine, mayEndLine, type LineBreakMode } from '../../src/text/linebreak.js';
import { glyphAdvance } from '../support/glyphs.js';
import { cellsOf, lineSpacing } from '../support/spacing-metrics.js';
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

describe("a paragraph's last line holds two characters at least (no runt: す。 alone)", () => {
  /** The characters of a line other than punctuation that may not start a line (、。」？ …). */
  const letters = (text: string) => Array.from(text).filter((ch) => mayStartLine(ch, 'strict')).length;
  const body = 'あいうえおかきくけこ'.repeat(4);

  it('the line before gives up a character, spaced a little, rather than leave one on the last line', () => {
    for (const end of ['す。', 'す。」', '了']) {
      const p = compose(`${body}${end}`, { measure: 40 });
      expect(p.lines.length).toBe(2);
      expect(letters(p.lines[1]!.text)).toBeGreaterThanOrEqual(2);
      expect(p.lines[0]!.adjustment).toBe('stretched');
      expect(round(p.lines[0]!.width)).toBe(40);
    }
  });
  it('a price, not a rule: a runt stays where avoiding it would space a line out far more', () => {
    const p = compose('あいうえす。', { measure: 4 });
    expect(p.lines.map((l) => l.text)).toEqual(['あいうえ', 'す。']);
  });
  it('a paragraph of one line is never a runt', () => {
    expect(compose('す。', { measure: 40 }).lines.map((l) => l.text)).toEqual(['す。']);
  });
});

describe('a full-width comma or full stop inside a number (１，２００, ６．５) is set half an em and solid (JIS X 4051: 連数字中の句読点)', () => {
  const width = (text: string) => round(compose(text, { measure: 40 }).lines[0]!.contentWidth);
  it('a thousands separator (three digits after it) and a decimal point take no space after them', () => {
    expect(width('１，２００円')).toBe(5.5);
    expect(width('１，２００，０００円')).toBe(9);
    expect(width('約６．５％')).toBe(4.5);
    expect(width('2，500円')).toBe(width('2，500円'.replace('，', '')) + 0.5);
  });
  it('a comma between numbers that is a 読点 (２，３日: two or three days) keeps its space, as does a list number (１．)', () => {
    expect(width('２，３日')).toBe(4);
    expect(width('１．参加')).toBe(4);
    expect(width('１２，３４５６')).toBe(7);
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
    ['期間は１０‐２０ページです', '１０‐２０', 5],
    // A range of years and a date are one number to read, however many digits.
    ['期間は２０１６－２０１７年度です', '２０１６－２０１７', 9],
    ['開催日は2024-10-01です', '2024-10-01', 7],
    ['開催月は2024-10です', '2024-10', 5],
  ])('%s keeps %s whole at every line length it fits', (text, word, shortest) => {
    for (let m = shortest; m <= shortest + 12; m++) expect(breaksInside(text, word, m)).toBe(false);
  });
  // A long number divided by hyphens (five digits or more) is kept whole wherever the first line holds it
  // with its spaces stretched by at most ¾ em in all; where keeping it whole would leave the text before it
  // alone on a line, spaced out, it breaks after a hyphen.
  it.each([
    ['電話は０３－１２３４－５６７８までお願いします', '０３－１２３４－５６７８'],
    ['電話は03-1234-5678までお願いします', '03-1234-5678'],
    ['あいうえおかき〒100-0001東京都', '〒100-0001'],
  ])('%s keeps %s whole where the first line holds it, and breaks it only after a hyphen', (text, word) => {
    const head = text.slice(0, text.indexOf(word) + word.length);
    const fitsFirstLine = Math.ceil(compose(head, { measure: 100 }).lines[0]!.width + 0.75);
    for (let m = fitsFirstLine; m <= fitsFirstLine + 12; m++) expect(breaksInside(text, word, m), `${m}`).toBe(false);
    for (let m = 6; m <= fitsFirstLine + 12; m++) {
      const lines = compose(text, { measure: m }).lines;
      lines.slice(1).forEach((l, i) => {
        const before = lines[i]!.text;
        if (breaksInside(text, word, m) && word.includes(before.slice(-1)) && word.includes(l.text[0]!))
          expect(before.slice(-1), `${m}: ${before} | ${l.text}`).toMatch(/^[－-]$/);
      });
    }
  });
});

describe('the minus sign −', () => {
  const line = compose('気温は−5℃、+3℃、5−3=2。５−３', { measure: 30 }).lines[0]!;
  const glyphs = (text: string) => line.glyphs.filter((g) => g.text === text);
  it('with a Western number it is Western, set from the Latin font like + (−5℃, 5−3)', () => {
    const [before5, between] = glyphs('−');
    const plus = glyphs('+')[0]!;
    for (const minus of [before5!, between!]) expect(minus.font).toBe(plus.font);
    // As wide as the + of the same font: the next glyph is as far from it.
    const advanceOf = (g: (typeof line.glyphs)[number]) => line.glyphs[line.glyphs.indexOf(g) + 1]!.x - g.x;
    expect(advanceOf(before5!)).toBeCloseTo(advanceOf(plus), 6);
  });
  it('between full-width digits it is the full-width operator of JLREQ cl-18, an em wide (the text stays U+2212)', () => {
    const minus = glyphs('−')[2]!;
    expect(minus.font).toBe('main');
    const three = line.glyphs[line.glyphs.indexOf(minus) + 1]!;
    expect(three.x - minus.x).toBeCloseTo(1, 6);
  });
});

describe('the em dash', () => {
  it('in Japanese text, —— is two ems, a dash of U+2015’s full-width glyph (the text stays U+2014)', () => {
    const line = compose('彼は——語った', { measure: 20 }).lines[0]!;
    const dashes = line.glyphs.filter((g) => g.text === '—');
    expect(dashes).toHaveLength(2);
    const next = line.glyphs.find((g) => g.text === '語')!;
    expect(next.x - dashes[0]!.x).toBeCloseTo(2, 6);
    expect(line.text).toBe('彼は——語った');
  });
  it.each(['Inc.—all です', 'word— word です', 'word —word です', 'Kazakhstan — Japan です'])(
    'in Western text (%s) it is the Western dash of the Latin font',
    (text) => {
      const line = compose(text, { measure: 20 }).lines[0]!;
      const dash = line.glyphs.find((g) => g.text === '—')!;
      expect(dash.font).toBe(face.latin ? 'latin' : 'main');
      const next = line.glyphs[line.glyphs.indexOf(dash) + 1]!;
      expect(next.x - dash.x).toBeLessThan(1.01);
    },
  );
  it('between spaces with Japanese beyond one of them it is the Japanese dash', () => {
    const line = compose('彼は — Japan', { measure: 20 }).lines[0]!;
    expect(line.glyphs.find((g) => g.text === '—')!.font).toBe('main');
  });
  it('between kana and a space it is the Japanese dash', () => {
    const line = compose('彼は— 語った', { measure: 20 }).lines[0]!;
    const dash = line.glyphs.find((g) => g.text === '—')!;
    expect(dash.font).toBe('main');
  });
});

describe('quotation marks (JLREQ lists ‘ ’ “ ” both as brackets, cl-01/02, and as Western characters, cl-27)', () => {
  const quote = (text: string, mark: string) => {
    const line = compose(text, { measure: 30 }).lines[0]!;
    const k = line.glyphs.findIndex((g) => g.text === mark);
    return { line, glyph: line.glyphs[k]!, next: line.glyphs[k + 1]!, before: line.glyphs[k - 1] };
  };
  const western = face.latin ? 'latin' : 'main';
  it.each([
    ['I don’t know です', '’'],
    ['rock ’n’ roll です', '’'],
    ['彼は“Smart Mix”と言った', '“'],
    ['彼は“Smart Mix”と言った', '”'],
    ['He said “hello.” です', '”'],
    ['the ‘Quick’ way です', '‘'],
    // An apostrophe before a Western word is Western whatever precedes it.
    ['平成、’17年に', '’'],
    ['あれは’90年代', '’'],
    ['（’90s）の話', '’'],
    ['「’Tis」と', '’'],
  ])('in Western text (%s) %s is the Latin font’s proportional mark', (text, mark) => {
    const { glyph, next } = quote(text, mark);
    expect(glyph.font).toBe(western);
    // Proportional, with the spacing of the font's straight quote (' is 0.3 em, " 0.49 em in BIZ UD PMincho):
    // as a bracket the mark would take its half-em body and a half-em space, a whole em to the next glyph.
    expect(next.x - glyph.x).toBeLessThan(0.6);
  });
  it.each([
    ['don’t', "don't"],
    ['“Hi”', '"Hi"'],
    ['‘Hi’', "'Hi'"],
  ])('%s is spaced as the font sets %s: curly quotes take the straight quotes’ spacing', (curly, straight) => {
    const xs = (text: string) => compose(`${text} です`, { measure: 30 }).lines[0]!.glyphs.map((g) => round(g.x));
    const letters = (text: string) => [...text].flatMap((ch, k) => (/[A-Za-z]/.test(ch) ? [k] : []));
    const a = xs(curly);
    const b = xs(straight);
    for (const k of letters(curly)) expect(a[k]).toBeCloseTo(b[k]!, 3);
  });
  it('an apostrophe keeps the word whole: no break inside don’t', () => {
    for (let m = 6; m <= 24; m++) {
      const p = compose('あいうえおかきくけこさしすせそたdon’tちつてと', { measure: m });
      expect(p.lines.some((l) => l.text.endsWith('don’'))).toBe(false);
    }
  });
  it('a dash that ends a Western quotation (“No—”と) is Western, and so is the quote it ends', () => {
    const line = compose('六、“No—”と。', { measure: 30 }).lines[0]!;
    const font = (t: string) => line.glyphs.find((g) => g.text === t)!.font;
    expect([font('“'), font('—'), font('”')]).toEqual([western, western, western]);
  });
  it.each([
    ['“Hello世界”と', ['main', 'main']],
    ['“Hi こんにちは”と', ['main', 'main']],
    ['“Hi there”と', [western, western]],
  ])('a pair of double quotes is set alike (%s): Western only when both of its ends are', (text, fonts) => {
    const line = compose(text, { measure: 30 }).lines[0]!;
    expect([line.glyphs.find((g) => g.text === '“')!.font, line.glyphs.find((g) => g.text === '”')!.font]).toEqual(fonts);
  });
  it.each([
    ['「“こんにちは”と言った」', '“'],
    ['「“こんにちは”と言った」', '”'],
  ])('in Japanese text (%s) %s stays the full-width bracket', (text, mark) => {
    const { glyph } = quote(text, mark);
    expect(glyph.font).toBe('main');
  });
});

describe('a word longer than the line', () => {
  it('is broken with two letters at least on either side (…wo|rd, not …wor|d)', () => {
    const word = 'Pneumonoultramicroscopicsilicovolcanoconiosisword';
    let broken = 0;
    for (let measure = 6; measure <= 24; measure += 0.5) {
      const p = compose(`これは${word} とします。`, { measure });
      const inWord = /[A-Za-z]/;
      p.lines.forEach((line, i) => {
        const next = p.lines[i + 1];
        if (!next || !inWord.test(line.text.at(-1)!) || !inWord.test(next.text[0]!)) return;
        broken++;
        const where = `${measure}: ${p.lines.map((l) => l.text).join('／')}`;
        expect(/^[A-Za-z]{2}/.test(next.text), where).toBe(true);
        expect(/[A-Za-z]{2}$/.test(line.text), where).toBe(true);
      });
    }
    expect(broken).toBeGreaterThan(10);
  });
});

describe('a number and its counter (１０|月, ３５|名)', () => {
  it.each([
    ['horizontal', undefined],
    ['vertical', { tateChuYoko: 2 }],
  ])('%s: a little spacing keeps them on one line rather than leave the number at the line end', (_, vertical) => {
    // Measures where, priced like any other break, the number was left at a line end (３５／名, 11／月, 10／月).
    const text = '会議は2024年10月15日に開かれ、参加者は３５名、会費は１人３０００円でした。次回は11月に予定しています。';
    for (const measure of vertical ? [14, 23] : [15, 22, 23, 24, 29]) {
      const p = compose(text, { measure, ...(vertical ? { vertical } : {}) });
      const ends = p.lines.slice(0, -1).map((l) => l.text.at(-1));
      expect(
        ends.some((c) => /[0-9０-９]/.test(c!)),
        `${measure}: ${p.lines.map((l) => l.text).join('／')}`,
      ).toBe(false);
    }
  });
  it('but break between them where keeping them together would space a line out far more', () => {
    // Nothing else to break at before the number: 会議は2024|年 rather than a line of 3 characters spread over 8 em.
    expect(compose('会議は2024年10月15日に開かれ', { measure: 8 }).lines[0]!.text).toBe('会議は2024年');
  });
});

describe('a line that can only be made flush by spacing past the limits (the last resort)', () => {
  it('is spread evenly: a place inside a number (６．５|％) takes no more than the letters beside it, never ems', () => {
    const p = compose('６．５％の増加と、０．５倍の減少と、１２，３４５，６７８円の予算と、１，２と３，４。', { measure: 24, indent: 1 });
    const line = p.lines[0]!;
    expect(line.text).toBe('６．５％の増加と、０．５倍の減少と、');
    const cells = cellsOf(face, line);
    const gaps = cells.slice(1).map((c, i) => ({ pair: `${cells[i]!.text}|${c.text}`, gap: round(c.start - cells[i]!.end) }));
    const KANA_KANJI = /^[\p{Script=Hiragana}\p{Script=Han}]\|[\p{Script=Hiragana}\p{Script=Han}]$/u;
    const widestLetter = Math.max(...gaps.filter((g) => KANA_KANJI.test(g.pair)).map((g) => g.gap));
    expect(widestLetter).toBeLessThan(0.75);
    for (const g of gaps.filter((g) => /[０-９．％]\|[０-９．％]/.test(g.pair)))
      expect(g.gap, g.pair).toBeLessThanOrEqual(widestLetter + 1e-6);
  });
});

describe('a number in kanji (五十, 百二十五, 二〇二六) is kept whole at a price, as a number in digits is', () => {
  const NUMERAL = /[〇一二三四五六七八九十百千万億兆]/;
  const text =
    '商店街が五十年続いてきたことを記念し、創立三十周年の式典と二〇二六年の祭りを開きます。昭和四十八年四月に開校した本校は、今年で百二十五周年を迎えました。';
  const splits = (p: ReturnType<typeof compose>) =>
    p.lines.slice(1).filter((l, i) => NUMERAL.test(p.lines[i]!.text.at(-1)!) && NUMERAL.test(l.text[0]!)).length;
  it.each([
    ['horizontal', undefined],
    ['vertical', { tateChuYoko: 2 }],
  ])('%s: a little spacing keeps it on one line (三／十周年, 五／十年 before)', (_, vertical) => {
    for (const measure of [13, 22, 23, 30, 31, 32, 33]) {
      const p = compose(text, { measure, ...(vertical ? { vertical } : {}) });
      expect(splits(p), `${measure}: ${p.lines.map((l) => l.text).join('／')}`).toBe(0);
    }
  });
  it('but it breaks where keeping it whole would space a line past 0.15 em (二〇二／六年 at 16 characters)', () => {
    const p = compose(text, { measure: 16 });
    expect(p.lines.map((l) => l.text)).toContain('念し、創立三十周年の式典と二〇二');
  });
});

describe('a superscript (ｍ², ｍ³) belongs to what it follows', () => {
  it('is set solid against a full-width unit and the Japanese after it: no Japanese–Western space (２５ｍ²の)', () => {
    for (const sup of ['\u00b2', '\u00b3', '\u00b9']) {
      const glyphs = compose(`約２５ｍ${sup}の部屋`, { measure: 40 }).lines[0]!.glyphs;
      const g = glyphs.find((x) => x.text === sup)!;
      expect(round(g.x), sup).toBe(4);
      expect(glyphs.find((x) => x.text === 'の')!.x - g.x, sup).toBeCloseTo(glyphAdvance(face, g), 4);
    }
  });
});

describe('a code of full-width letters and digits joined by a hyphen (ＭＸ－２００, ＡＢ－１２３４) is one word', () => {
  it('is never broken before its hyphen, which would start a line', () => {
    const text = '新製品「ルミナスＭＸ－２００」と「ＡＢ－１２」を、来月より全国の販売店で発売いたします。';
    for (const vertical of [undefined, { tateChuYoko: 2 }])
      for (let measure = 6; measure <= 30; measure++) {
        const p = compose(text, { measure, ...(vertical ? { vertical } : {}) });
        for (const line of p.lines.slice(1))
          expect(line.text.startsWith('－'), `${measure}: ${p.lines.map((l) => l.text).join('／')}`).toBe(false);
      }
  });
});

describe('the postal mark', () => {
  it('is set solid against the postcode: no Japanese–Western space after 〒, as after ¥', () => {
    const line = compose('〒100-0001東京都', { measure: 20 }).lines[0]!;
    const one = line.glyphs.find((g) => g.text === '1')!;
    const mark = line.glyphs.find((g) => g.text === '〒')!;
    expect(one.x - mark.x).toBeCloseTo(1, 6);
  });
});

describe('keepWords (titles and contents entries that wrap: break between words)', () => {
  const lines = (text: string, measure: number) => {
    const p = compose(text, { measure, ragged: true, keepWords: true });
    expect(p.lines.some((l) => l.forced)).toBe(false);
    return p.lines.map((l) => l.text);
  };
  it('never between the two verbs of a compound (折り|返す, 取り|組む, 受け|取る)', () => {
    const text = '長い見出しが二行に折り返される場合と地域で取り組む活動と手紙を受け取る日';
    for (let m = 6; m <= 20; m++) {
      const set = lines(text, m);
      for (let k = 0; k + 1 < set.length; k++) {
        expect(/[\u4e00-\u9fff][りけ]$/.test(set[k]!) && /^[\u4e00-\u9fff]/.test(set[k + 1]!), `${m}: ${set[k]}／${set[k + 1]}`).toBe(
          false,
        );
      }
    }
  });
  it.each([
    ['カザフスタンと日本の外交関係樹立２５年の記念式典', '２５／年'],
    ['会議の記録（東京、2004年）について報告します', '2004／年'],
    ['外交関係樹立二十五周年を記念して刊行', '二十／五'],
    ['記念式典のご報告と今後の予定について', 'ご／報'],
    ['皆様へのお知らせと今後の予定について', 'お／知'],
  ])('never between a number and its counter, inside a kanji numeral, or after the honorific ご or お (%s)', (text, bad) => {
    const [head, tail] = bad.split('／') as [string, string];
    for (let m = 5; m <= 20; m++) {
      const set = lines(text, m);
      for (let k = 0; k + 1 < set.length; k++)
        expect(set[k]!.endsWith(head) && set[k + 1]!.startsWith(tail), `${m}: ${set.join('／')}`).toBe(false);
    }
  });
  it.each([
    ['「私の夢」を語る会の記録と今後の活動について', '「私の夢」'],
    ['記念誌『百年のあゆみ』の刊行に寄せて', '『百年のあゆみ』'],
    ['講演（日本語教育の現在）の記録と質疑応答', '（日本語教育の現在）'],
  ])('never inside a short bracketed phrase, where it fits on a line (%s)', (text, phrase) => {
    let fitted = 0;
    for (let m = phrase.length; m <= 20; m++) {
      const set = lines(text, m);
      if (set.length === 0) continue;
      fitted++;
      expect(
        set.some((l) => l.includes(phrase)),
        `${m}: ${set.join('／')}`,
      ).toBe(true);
    }
    expect(fitted).toBeGreaterThan(5);
  });
  it('but a long bracketed passage still breaks between its words', () => {
    const text = '「この度の記念式典には国内外から多くの皆様にご参加いただきました」との報告';
    const set = lines(text, 16);
    expect(set.length, set.join('／')).toBeGreaterThan(1);
    expect(
      set.some((l) => l.includes('「') && l.includes('」')),
      set.join('／'),
    ).toBe(false);
  });
  it('between two kanji words (増|改築, 教育|課程: often one compound noun) only where no break after a particle or comma nearby fits', () => {
    const text = '第３章　1950年代から1970年代にかけての校舎の増改築と生徒数の急増、そして新しい教育課程への対応';
    // At these measures a break after の or い, a character or two back, gives lines as good.
    expect(lines(text, 14)).toContain('1970年代にかけての校舎の');
    expect(lines(text, 22)).toContain('校舎の増改築と生徒数の急増、そして新しい');
    // Where every break is between kanji (a title of kanji only) it still breaks.
    expect(lines('地域社会学校教育連携国際理解教育推進事業報告書', 10).length).toBeGreaterThan(1);
  });
  it('takes a line more rather than break a phrase (ragged lines cost little; a break inside a word a lot)', () => {
    expect(lines('外交関係樹立二十五周年を記念して刊行', 9)).toEqual(['外交関係樹立', '二十五周年を', '記念して刊行']);
    expect(lines('記念誌『百年のあゆみ』の刊行に寄せて', 10)).toEqual(['記念誌', '『百年のあゆみ』の', '刊行に寄せて']);
  });
  it('breaks a word only where it is longer than the line, and then where it costs least', () => {
    // 株式会社 and 組版工房 fit; （東京本社） does not, and is broken between its words.
    expect(lines('株式会社組版工房（東京本社）', 5)).toEqual(['株式会社', '組版工房', '（東京', '本社）']);
    // A short bracketed phrase too long for the line breaks after its comma, not between 2004 and 年.
    const set = lines('会議の記録（東京、2004年）について報告します', 7);
    expect(set.some((l) => l.endsWith('（東京、')) && set.includes('2004年）'), set.join('／')).toBe(true);
    // Before a particle (』／の) rather than inside the brackets (あ／ゆみ).
    expect(lines('記念誌『百年のあゆみ』の刊行に寄せて', 8)).toEqual(['記念誌', '『百年のあゆみ』', 'の刊行に寄せて']);
  });
  it.each([
    ['創立百周年記念式典および祝賀会のご案内', 10, ['創立百周年記念式典', 'および祝賀会のご案内']],
    ['記念式典のご報告と今後の予定について', 6, ['記念式典の', 'ご報告と', '今後の', '予定について']],
    ['第３章　校舎の増改築と生徒数の急増', 6, ['第３章　', '校舎の', '増改築と', '生徒数の急増']],
  ])('a line may start with a conjunction or an honorific prefix, never after 第 (%s)', (text, measure, expected) => {
    expect(lines(text, measure)).toEqual(expected);
  });
  it.each([
    ['国立研究開発法人産業技術総合研究所御中', 14, ['国立研究開発法人', '産業技術総合研究所御中']],
    ['特定非営利活動法人北海道・東北環境保全会議', 14, ['特定非営利活動法人', '北海道・東北環境保全会議']],
    ['組版工房株式会社営業部第一課　御中', 10, ['組版工房株式会社', '営業部第一課　御中']],
  ])('a name divides at its legal form, not inside its parts (%s)', (text, measure, expected) => {
    expect(lines(text, measure)).toEqual(expected);
  });
  it('a conjunction starts its line rather than end the one before (総会／または臨時総会)', () => {
    expect(lines('第１０２回定期株主総会または臨時株主総会の記録', 14)).toEqual(['第１０２回定期株主総会', 'または臨時株主総会の記録']);
  });
  it('a prenominal stays with its noun (その反響, not その／反響)', () => {
    for (let m = 6; m <= 20; m++)
      for (const l of lines('日本館のテーマとその反響を考える会の記録', m).slice(0, -1))
        expect(l.endsWith('その'), `${m}: ${l}`).toBe(false);
  });
  it('still after a particle before a kanji (東京に／来た, 会場で／話す)', () => {
    const breaksAfter = (text: string, head: string) =>
      Array.from({ length: 15 }, (_, k) => lines(text, k + 4)).some((set) => set.some((l, k) => l.endsWith(head) && k + 1 < set.length));
    expect(breaksAfter('あの日東京に来た人々の話', '東京に')).toBe(true);
    expect(breaksAfter('その日の会場で話す人々の声', '会場で')).toBe(true);
  });
});

describe('a full-width space between the parts of a field set ragged (a sender, a recipient, a title)', () => {
  it.each(['一般社団法人日本組版技術振興協会　理事長　山田', '株式会社組版工房　　代表取締役社長　　佐藤花子'])(
    'never starts a line, and takes no room at a line end: %s',
    (text) => {
      for (let measure = 6; measure <= 24; measure++) {
        const lines = compose(text, { measure, ragged: true, keepWords: true }).lines;
        for (const l of lines) {
          expect(l.text.startsWith('　'), `${measure}: ${lines.map((x) => x.text).join('／')}`).toBe(false);
          expect(l.width).toBeLessThanOrEqual(measure + 1e-6);
          expect(l.width).toBeCloseTo([...l.text.trimEnd()].length, 6);
        }
      }
    },
  );
});

describe('ragged lines (a title, a contents entry: not justified)', () => {
  const text = '第1節　見出しの位置の検査（とても長いTitleが何行かに折り返される場合の、処理を確かめる）';
  it('are set solid: what does not fit is pushed out to the next line, never squeezed in (JLREQ §3.8 adjusts justified lines)', () => {
    let justifiedPushesIn = false;
    for (let m = 8; m <= 30; m += 0.25) {
      for (const l of compose(text, { measure: m, ragged: true }).lines) expect(l.adjustment, `${m}: ${l.text}`).not.toBe('shrunk');
      justifiedPushesIn ||= compose(text, { measure: m }).lines.some((l) => l.adjustment === 'shrunk');
    }
    expect(justifiedPushesIn).toBe(true); // the same measures do call for 追い込み when justified
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

describe('a number written with full-width hyphens (０３－１２３４－５６７８) breaks after a hyphen rather than leave a line of a few letters spaced out', () => {
  it.each([
    ['電話は０３－１２３４－５６７８、または03-1234-5678まで。', 15],
    ['連絡先：総務部　鈴木（電話０３－１２３４－５６７８）', 17],
    ['電話番号０１２０－１２３－４５６へお電話ください。', 10],
  ])('%s in %i em', (text, measure) => {
    const p = compose(text, { measure });
    expect(p.lines.map((l) => l.text).join('')).toBe(text);
    const spread = p.lines.filter((l) => l.adjustment === 'letterspaced' && [...l.text].length <= measure / 2);
    expect(spread.map((l) => l.text)).toEqual([]);
    // Inside the number it breaks only after a hyphen, never between its digits.
    p.lines.slice(1).forEach((l, i) => {
      const before = p.lines[i]!.text;
      expect(/[０-９]$/.test(before) && /^[０-９－]/.test(l.text), `${before} | ${l.text}`).toBe(false);
    });
  });
});

describe('a long run of full-width letters and digits (ideographic, cl-19) is broken rather than letter-spacing the line before', () => {
  it('breaks a member number where the line is full; a short run (２０１７) stays whole', () => {
    const text = 'お客様の会員番号は、次のとおりです。会員番号：ＡＢＣＤ０１２３４５６７８９０１２３４５６７８９。ご確認ください。';
    const p = compose(text, { measure: 40 });
    expect(p.lines.map((l) => l.text).join('')).toBe(text);
    // The first line is full (no letter spacing): it ends inside the number.
    expect(p.lines[0]!.adjustment).not.toBe('letterspaced');
    expect(p.lines[0]!.text.endsWith('：')).toBe(false);
    expect(p.lines[0]!.width).toBeCloseTo(40, 6);
    // Four digits are not worth breaking: the line takes a little more space instead.
    for (let measure = 8; measure <= 14; measure++) {
      const q = compose('ことしは２０１７年です。らいねんも２０１８年です。', { measure });
      q.lines.slice(1).forEach((l, i) => {
        const before = q.lines[i]!.text;
        expect(/[０-９]$/.test(before) && /^[０-９]/.test(l.text), `${measure}: ${before} | ${l.text}`).toBe(false);
      });
    }
  });
});

describe('a long full-width run is broken at a price, whatever room the line before has', () => {
  /** Kana, kanji and full-width letters and digits: between two of them, any gap is letter spacing. */
  const LETTERS = new Set(['cl-10', 'cl-11', 'cl-15', 'cl-16', 'cl-19']);
  /** The widest gap between two letters of a line (a hole before an unbroken run shows here). */
  const widestGap = (line: ReturnType<typeof compose>['lines'][number]) => {
    const cells = cellsOf(face, line);
    const gaps = cells.slice(1).flatMap((c, i) => (LETTERS.has(c.cls) && LETTERS.has(cells[i]!.cls) ? [c.start - cells[i]!.end] : []));
    return Math.max(0, ...gaps);
  };
  const isRunChar = (ch: string | undefined) => ch !== undefined && /^[０-９Ａ-Ｚａ-ｚ]$/.test(ch);
  const RUNS = [
    '０１２３４５６７８９',
    'ＡＢＣ０１２３４５６７８９ＸＹＺ０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬ',
    'ＪＰ１２３４５６７',
  ];

  it('no justified line is letter-spaced past 0.15 em to keep a run whole, and a break leaves two of it each side', () => {
    for (const run of RUNS)
      for (let lead = 8; lead <= 30; lead += 5)
        for (let measure = 20; measure <= 42; measure++) {
          const text = `${'会員の皆様へのお知らせとして、番号をご案内いたしますので、確認'.slice(0, lead)}${run}です。以上です。`;
          const p = compose(text, { measure });
          expect(p.lines.map((l) => l.text).join('')).toBe(text);
          p.lines.forEach((line, i) => {
            const where = `${run.length} chars, lead ${lead}, measure ${measure}, line ${i + 1}: ${line.text}`;
            if (!line.isLast) expect(widestGap(line), where).toBeLessThanOrEqual(0.15 + 1e-6);
            const next = p.lines[i + 1];
            if (!next) return;
            const before = Array.from(line.text);
            const after = Array.from(next.text);
            if (!isRunChar(before.at(-1)) || !isRunChar(after[0])) return;
            // Broken inside the run: at least two of its characters on each side.
            expect(isRunChar(before.at(-2)) && isRunChar(after[1]), where).toBe(true);
          });
        }
  });

  it('a line that is all URL is left short, never letter-spaced (a compositor does not space out an address)', () => {
    const url = 'https://www.midoridai-es.example.jp/news/2026/ensoku-spring.html';
    for (let measure = 16; measure <= 30; measure += 2) {
      const p = compose(url, { measure });
      expect(p.lines.map((l) => l.text).join('')).toBe(url);
      for (const line of p.lines.slice(0, -1)) {
        const where = `${measure}: ${line.text}`;
        expect(line.adjustment, where).toBe('short');
        // Set at natural width: each glyph where the one before it ends.
        expect(round(line.contentWidth), where).toBe(round(compose(line.text, { measure: 100 }).lines[0]!.contentWidth));
      }
      expect(
        p.warnings.filter((w) => w.includes('spacing out')),
        String(measure),
      ).toEqual([]);
    }
  });
  it('a line ending inside an address, that only spacing past the limits could make flush, is left short at its natural width', () => {
    const text = '詳しくは https://www.example.co.jp/events/2026/anniversary/index.html をご覧いただくか、お電話ください。';
    const p = compose(text, { measure: 24, indent: 1 });
    const first = p.lines[0]!;
    expect(first.text).toBe('詳しくは https://www.example.co.jp/');
    expect(first.adjustment).toBe('short');
    // Natural width: each character where the one before it ends (the word space as wide as it is set alone).
    expect(round(first.contentWidth)).toBe(round(compose(first.text, { measure: 100, indent: 1 }).lines[0]!.contentWidth));
    expect(p.warnings.filter((w) => w.includes('spacing out'))).toEqual([]);
  });
  it('a URL or path breaks after a separator rather than spacing out the line before, never inside ://', () => {
    const urls = [
      'https://www.example.co.jp/news/2017/kazakhstan.html',
      'https://example.com/a/b?x=1&y=2#top',
      'C:/Users/kumihan/letter.yaml',
      'suzuki.jiro@example-school.ed.jp',
    ];
    for (const url of urls)
      for (let lead = 4; lead <= 24; lead += 5)
        for (let measure = 12; measure <= 40; measure++) {
          const text = `${'詳しくは大使館のウェブサイトの記事をご覧ください'.slice(0, lead)}${url}をご覧ください。`;
          const p = compose(text, { measure });
          expect(p.lines.map((l) => l.text).join('')).toBe(text);
          const where = `${url}, lead ${lead}, measure ${measure}: ${p.lines.map((l) => l.text).join(' | ')}`;
          // Not inside the scheme or its :// (https|://, https:/|/), nor before a drive's slash (C:|/).
          for (const line of p.lines) expect(/(https?:?|https?:\/|C:?)$/.test(line.text), where).toBe(false);
        }
    // An e-mail address in a 記書き line: it breaks after its @ or a dot (the line was spaced out by an em).
    const mail = compose('担当：教頭　鈴木次郎（電話：03-1234-5678、メール：suzuki@example.ed.jp）', { measure: 30 });
    for (const line of mail.lines.slice(0, -1)) expect(widestGap(line), line.text).toBeLessThanOrEqual(0.15 + 1e-6);
    // A plus address breaks after its + too: the kana before it are not spread to make room for the whole
    // local part (「で き ま す。メ ー ル は」 with two ems before "taro.").
    const plus = compose('から入手できます。メールは taro.yamada+newsletter@subdomain.example.co.jp まで。', { measure: 21 });
    expect(plus.lines[0]!.text).toBe('から入手できます。メールは taro.yamada+');
    expect(widestGap(plus.lines[0]!)).toBeLessThanOrEqual(0.25);
    // Where the old rule spaced the kana of the line before out by 0.7 em and 2.6 em (the address went whole).
    const site = 'https://www.example.co.jp/news/2017/kazakhstan.html';
    for (const measure of [12, 23]) {
      const p = compose(`詳しくは大使館のウェブサイト${site}をご覧ください。`, { measure });
      for (const line of p.lines.slice(0, -1)) expect(widestGap(line), `${measure}: ${line.text}`).toBeLessThanOrEqual(0.25);
    }
  });

  it.each(['１２５００ｋｇ', '１２５００', '２５０００００', '３５０ｍｌ'])(
    'a quantity (%s: a number under eight digits, with its unit) is never broken',
    (quantity) => {
      for (let lead = 6; lead <= 24; lead += 3)
        for (let measure = 10; measure <= 30; measure++) {
          const text = `${'今月の出荷量は前年同月比で大きく伸び、合計で'.slice(0, lead)}${quantity}増えました。`;
          const p = compose(text, { measure });
          const at = text.indexOf(quantity);
          const where = `lead ${lead}, measure ${measure}: ${p.lines.map((l) => l.text).join('／')}`;
          let offset = 0;
          for (const line of p.lines.slice(0, -1)) {
            offset += line.text.length;
            expect(offset > at && offset < at + quantity.length, where).toBe(false);
          }
        }
    },
  );

  it('a compound Western word breaks at its own hyphen rather than spacing out the line before (three letters a side at least)', () => {
    const p = compose('あいうえおかきくけこKitakanto-Seimitsuのテストです。', { measure: 18 });
    expect(p.lines[0]!.text).toBe('あいうえおかきくけこKitakanto-');
    // Kept whole, the word went to the next line and the kana were spread by almost an em.
    expect(widestGap(p.lines[0]!)).toBeLessThanOrEqual(0.25);
    for (let measure = 8; measure <= 20; measure++) {
      const q = compose('あいうえおかきくけこさe-mailとstate-of-the-artの技術です。', { measure });
      for (const line of q.lines) expect(/(^|[^a-z])e-$/.test(line.text), `${measure}: ${line.text}`).toBe(false);
    }
  });

  it('a little spacing keeps a run whole; breaking it prefers where letters meet digits', () => {
    // One em to spread over a line of twenty: the number goes whole to the next line.
    const whole = compose('あいうえおかきくけこさしすせそたちつて０１２３４５６７８です。', { measure: 20 });
    expect(whole.lines[0]!.text).toBe('あいうえおかきくけこさしすせそたちつて');
    // Breaking is needed: between Ｃ and ０ rather than inside the digits, when both fill the line.
    const mixed = compose('あいうえおかきくけこさしすせそたＡＢＣ０１２３４５です。', { measure: 20 });
    expect(mixed.lines[0]!.text).toBe('あいうえおかきくけこさしすせそたＡＢＣ');
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

/** Space between the bodies of the clusters of a line, by pair ("す!" → gap), from the placed glyphs. */
function gapsOf(p: ReturnType<typeof compose>, line = 0): Map<string, number[]> {
  const cells = cellsOf(face, p.lines[line]);
  const out = new Map<string, number[]>();
  for (let i = 1; i < cells.length; i++) {
    const key = cells[i - 1].text + cells[i].text;
    out.set(key, [...(out.get(key) ?? []), round(cells[i].start - cells[i - 1].end)]);
  }
  return out;
}

describe('JLREQ §3.2.5: Western punctuation next to Japanese is set solid; 和欧間 is for letters and digits', () => {
  it.each([
    ['おめでとうございます!', 'す!'],
    ['本当に?ええ', 'に?'],
    ['本当に?ええ', '?え'],
    ['ロボ-ト', 'ボ-'],
    ['ロボ-ト', '-ト'],
    ['設計図(第2版)を見て', '図('],
    ['設計図(第2版)を見て', ')を'],
    ['東京:大阪;名古屋', '京:'],
    ['はい,いいえ.たぶん', 'い,'],
  ])('%s: %s solid', (text, pair) => {
    expect(gapsOf(compose(text)).get(pair)).toEqual([0]);
  });
  it('letters and digits keep their quarter em', () => {
    const g = gapsOf(compose('設計図(第2版)とJLREQの本'));
    expect(g.get('第2')).toEqual([0.25]);
    expect(g.get('2版')).toEqual([0.25]);
    expect(g.get('とJ')).toEqual([0.25]);
    expect(g.get('Qの')).toEqual([0.25]);
  });
  it('no space is added next to a half-width ! or ? when a line is expanded', () => {
    // "おめでとうございます!" then a word that cannot join it: the first line is expanded.
    for (let measure = 12; measure <= 16; measure++) {
      const p = compose('おめでとうございます!本当にありがとう?ええ、ほんとうに!', { measure });
      for (let k = 0; k < p.lines.length - 1; k++) {
        for (const [pair, gaps] of gapsOf(p, k)) if (/[!?]/.test(pair)) expect(gaps, `${measure}: ${pair}`).toEqual([0]);
      }
    }
  });
});

describe('JIS X 4051 Table 6 (JLREQ §3.8): 和欧間 grows to ½ em and never further', () => {
  it('at every measure, including a date at a line head', () => {
    const text = '会議は2024年10月1日から3日まで、2017年1月26日、2018年3月11日、2019年12月31日にそれぞれ開かれた。';
    for (let measure = 8; measure <= 40; measure++) {
      for (const adjustment of ['pushIn', 'pushOut'] as const) {
        const p = compose(text, { measure, adjustment });
        p.lines.forEach((l, k) => {
          const w = lineSpacing(face, l).westernGap;
          expect(w, `${measure} ${adjustment} line ${k + 1} ${l.text}`).toBeLessThanOrEqual(0.5 + 1e-9);
        });
      }
    }
  });
});

describe('JIS X 4051 Table 6: letter spacing comes last, is spread evenly, and past ¼ em only as a last resort', () => {
  it('a line that must be expanded takes the same space between every pair of kana/kanji', () => {
    for (const [text, measure] of [
      ['あいうえおかきく１２３４', 10],
      ['あいうえおかきくけこさしすせそたちつてとな１２３４', 24],
    ] as const) {
      const p = compose(text, { measure });
      expect(p.lines[0].adjustment).toBe('stretched');
      const cells = cellsOf(face, p.lines[0]);
      const gaps = cells.slice(1).map((c, i) => round(c.start - cells[i].end));
      expect(new Set(gaps).size).toBe(1);
      expect(gaps[0]).toBeGreaterThan(0);
    }
  });
  it('和欧間 grows to ½ em before letters are spaced (priority 2 before 3)', () => {
    const text = 'かなJLREQとCSSのHTMLかなPDFかなSVGとXMLのかなとかなJSONのかな。';
    let letterSpaced = 0;
    for (let measure = 10; measure <= 30; measure++) {
      const p = compose(text, { measure });
      for (const l of p.lines.slice(0, -1)) {
        const g = lineSpacing(face, l);
        if (g.letterSpacing > 1e-9) {
          letterSpaced++;
          // Every 和欧間 inside the line is at its ½ em limit.
          const cells = cellsOf(face, l);
          for (let i = 1; i < cells.length; i++) {
            if (cells[i].western !== cells[i - 1].western && cells[i].cls !== 'cl-26' && cells[i - 1].cls !== 'cl-26') {
              expect(round(cells[i].start - cells[i - 1].end), `${measure}: ${l.text}`).toBe(0.5);
            }
          }
        }
      }
    }
    expect(letterSpaced).toBeGreaterThan(0);
  });
  it('beyond the limits, with no word space, the rest is spread over the line, never a hole between two kana', () => {
    // The number after this line cannot be broken and does not fit: the line must grow by about 3 ems, and
    // ド|ル is its one place between kana.
    for (const measure of [20, 21, 22]) {
      const p = compose('12,345.67ドル、50%、¥100、10℃、3.14159265358979、約１０ｋｍ。', { measure });
      const line = p.lines.find((l) => l.text.includes('ドル'))!;
      expect(round(line.width)).toBe(measure);
      const cells = cellsOf(face, line);
      const d = cells.findIndex((c) => c.text === 'ド');
      expect(round(cells[d + 1]!.start - cells[d]!.end), `${measure}: ${line.text}`).toBeLessThanOrEqual(round(1 / 3));
      // The rest went between the digits (never next to punctuation).
      const between = cells.slice(1).map((c, i) => round(c.start - cells[i]!.end));
      expect(Math.max(...between), `${measure}: ${line.text}`).toBeLessThanOrEqual(0.5);
    }
  });
  it('beyond the limits, word spaces take what would pull kana more than ⅓ em apart', () => {
    // The next word does not fit: the first line must be expanded by several ems.
    for (let measure = 13; measure <= 17; measure++) {
      const p = compose('詳しくは the W3C Requirements for Japanese Text Layout を参照。', { measure });
      expect(p.lines[0].text.startsWith('詳しくは the W3C ')).toBe(true);
      for (const l of p.lines.slice(0, -1)) {
        expect(lineSpacing(face, l).letterSpacing, `${measure}: ${l.text}`).toBeLessThanOrEqual(1 / 3 + 1e-9);
        expect(round(l.width)).toBe(measure);
      }
    }
  });
});

describe('JLREQ §3.1.4 and §3.1.11: punctuation spacing stays fixed when a line is expanded', () => {
  it('「（ and ）」 stay solid, 、「 keeps its half em', () => {
    const text = 'これは「（仮称）新プロジェクト」と「（株）サンプル」の共同事業（「（注）」参照）です。';
    for (let measure = 10; measure <= 30; measure++) {
      const p = compose(text, { measure });
      p.lines.slice(0, -1).forEach((l, k) => {
        const g = gapsOf(p, k);
        for (const pair of ['「（', '）」', '（「']) for (const v of g.get(pair) ?? []) expect(v, `${measure}: ${l.text}`).toBe(0);
      });
    }
  });
});

describe('JLREQ §3.8.2 and Table 3: pushing in is preferred while it squeezes little', () => {
  it('one comma set solid to pull up a full stop: pushed in (as the 2017 letter was set)', () => {
    const p = compose('一二、三四五六七八。九十', { measure: 9 });
    expect(p.lines[0].text).toBe('一二、三四五六七八。');
  });
  it('four commas set solid to pull up a closing unit: pushed out instead, with slight letter spacing', () => {
    // "た……。" may not be separated (…… inseparable, 。 not at a line head). Pulling it up would take
    // all the space of four commas; pushing "た……。" out spaces the first line's letters by ~0.07 em.
    const text = 'あ、い、う、え、おかきくけこさしすせそた……。ちつてと';
    const p = compose(text, { measure: 20, indent: 0 });
    expect(p.lines[0].text).toBe('あ、い、う、え、おかきくけこさしすせそ');
    expect(p.lines[0].adjustment).toBe('stretched');
    const s = lineSpacing(face, p.lines[0]);
    expect(s.compressed).toBe(0);
    expect(s.letterSpacing).toBeLessThan(0.15);
  });
  it('no mark is squeezed below its limit: brackets, commas and middle dots to 0, 和欧間 to ⅛ em', () => {
    const text = '東京・大阪、「名古屋」とABC社の、「（仮）」・会議は、十月一日に開かれ、皆が集まった。';
    for (let measure = 8; measure <= 30; measure++) {
      const p = compose(text, { measure });
      for (const l of p.lines) {
        const cells = cellsOf(face, l);
        for (let i = 1; i < cells.length; i++) {
          const gap = cells[i].start - cells[i - 1].end;
          expect(gap, `${measure}: ${cells[i - 1].text}${cells[i].text} in ${l.text}`).toBeGreaterThanOrEqual(-1e-9);
          if (cells[i].western !== cells[i - 1].western && /[A-Z]/.test(cells[i].text + cells[i - 1].text))
            expect(gap).toBeGreaterThanOrEqual(0.125 - 1e-9);
        }
      }
    }
  });
});

describe('body.adjustment (JLREQ §3.8): pushIn or pushOut', () => {
  it('pushOut prefers 追い出し where pushIn pushes in', () => {
    // 上。 fits only if the comma is set solid and the full stop's line-end space removed. (Kanji that are
    // not numerals, which are kept whole; a last line of more than one character: a runt would be avoided
    // in either mode.)
    const text = '春夏、秋冬東西南北上下春夏秋冬東西南北上。下春夏秋';
    const pushIn = compose(text, { measure: 20, adjustment: 'pushIn' });
    const pushOut = compose(text, { measure: 20, adjustment: 'pushOut' });
    expect(pushIn.lines[0].text).toBe('春夏、秋冬東西南北上下春夏秋冬東西南北上。');
    expect(pushIn.lines[0].adjustment).toBe('shrunk');
    expect(pushOut.lines[0].text).toBe('春夏、秋冬東西南北上下春夏秋冬東西南北');
    expect(pushOut.lines[0].adjustment).toBe('stretched');
    expect(round(pushOut.lines[0].width)).toBe(20);
  });
  it('pushOut still pushes in where pushing out would space the letters visibly', () => {
    // On a 9-em line, pushing 八。 out would put 0.2 em between the remaining letters.
    const p = compose('一二、三四五六七八。九十', { measure: 9, adjustment: 'pushOut' });
    expect(p.lines[0].text).toBe('一二、三四五六七八。');
  });
});

describe('UAX #14 LB25 (JLREQ §3.1.10): a number is never split from its prefix or postfix, in any mode', () => {
  it.each(['気温は10℃、湿度は60%でした。', '価格は¥1000、€80、$100です。'])('%s', (text) => {
    for (const mode of ['strict', 'normal', 'loose'] as const) {
      for (let measure = 4; measure <= 14; measure++) {
        const p = compose(text, { measure, lineBreak: mode });
        for (let k = 1; k < p.lines.length; k++) {
          const pair = p.lines[k - 1].text.slice(-1) + p.lines[k].text[0];
          expect(/^[0-9][℃%]$|^[¥€$][0-9]$/.test(pair), `${mode} ${measure}: ${pair}`).toBe(false);
        }
      }
    }
  });
});

describe('JLREQ §3.8: a line that ends in a Latin word is flush with the block edge', () => {
  it('also when the word has to be spaced out and a word space follows it (the space is dropped at the break)', () => {
    for (let measure = 4; measure <= 12; measure++) {
      const p = compose('The quick brown fox jumps over the lazy dog again and again', { measure });
      for (const l of p.lines.slice(0, -1)) {
        const ink = cellsOf(face, l).filter((c) => c.cls !== 'cl-26');
        expect(round(ink[ink.length - 1].end), `${measure}: ${l.text} (${l.adjustment})`).toBe(measure);
      }
    }
  });
  it('at every measure from 13', () => {
    const text =
      'The quick brown fox jumped over the lazy dog; 日本語の文章にLatin wordsが混ざると、行末でbreakが起きやすい。CSS Text Module Level 3 を参照。';
    for (let measure = 13; measure <= 40; measure++) {
      const p = compose(text, { measure });
      for (const l of p.lines.slice(0, -1)) {
        const ink = cellsOf(face, l).filter((c) => c.cls !== 'cl-26');
        const last = ink[ink.length - 1];
        if (!last.western) continue;
        expect(round(last.end), `${measure}: ${l.text}`).toBe(measure);
      }
    }
  });
});

describe('JLREQ §3.1.5: the space a mark keeps at a line end is counted once, also before a dropped word space', () => {
  it.each([
    ['これは「日本」 and more text here です。', 8],
    ['東京・ and more text here です。', 5],
  ])('%s at %i', (text, measure) => {
    const p = compose(text, { measure });
    const line = p.lines[0];
    const ink = cellsOf(face, line).filter((c) => c.cls !== 'cl-26');
    const last = ink[ink.length - 1];
    // The mark's body plus the space it keeps (½ em after 」, ¼ em after ・) reaches the block edge.
    const keeps = last.cls === 'cl-05' ? 0.25 : 0.5;
    expect(round(last.end + keeps)).toBe(measure);
  });
});

describe('JLREQ §3.1.7 (cl-03) and UAX #14 LB21: a half-width hyphen-minus never starts a line', () => {
  it.each(['strict', 'normal', 'loose'] as const)('%s', (mode) => {
    expect(mayStartLine('-', mode)).toBe(false);
    for (let measure = 3; measure <= 12; measure++) {
      const p = compose('ロボ-トとロボ-トとロボ-トのロボ-ト', { measure, lineBreak: mode });
      for (const l of p.lines.slice(1)) expect(l.text.startsWith('-'), `${measure}: ${l.text}`).toBe(false);
    }
  });
});
