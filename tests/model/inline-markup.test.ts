/**
 * Inline markup (src/model/markup.ts parseInline): ruby as Aozora Bunko writes it, emphasis dots,
 * tate-chu-yoko, escapes, and located errors for malformed markup.
 */
import { describe, expect, it } from 'vitest';
import { InlineMarkupError, parseBody, parseInline } from '../../src/model/markup.js';

/** The pieces as [text, mark] pairs, for readable expectations. */
const pieces = (text: string) =>
  parseInline(text).map((p) => (p.mark === undefined ? p.text : p.mark.kind === 'ruby' ? [p.text, p.mark.ruby] : [p.text, p.mark.kind]));

/** The index in the text where parsing fails. */
function errorAt(text: string): number {
  try {
    parseInline(text);
  } catch (e) {
    if (e instanceof InlineMarkupError) return e.bodyOffset;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe('ruby', () => {
  it('takes the base marked by ｜', () => {
    expect(pieces('東京都｜青梅《おうめ》市')).toEqual(['東京都', ['青梅', 'おうめ'], '市']);
  });
  it('takes the run of kanji before 《 as the base when there is no ｜', () => {
    expect(pieces('ご健勝《けんしょう》を')).toEqual(['ご', ['健勝', 'けんしょう'], 'を']);
    expect(pieces('佐々木《ささき》様')).toEqual([['佐々木', 'ささき'], '様']);
  });
  it('lets ｜ mark a base of kana or Latin letters', () => {
    expect(pieces('｜ＮＨＫ《エヌエイチケー》')).toEqual([['ＮＨＫ', 'エヌエイチケー']]);
  });
  it('keeps where each character of a piece was written', () => {
    const [, base, after] = parseInline('東京都｜青梅《おうめ》市');
    expect(base!.offsets).toEqual([4, 5]);
    expect(after!.offsets).toEqual([11]);
  });
});

describe('emphasis and tate-chu-yoko', () => {
  it('reads 《《…》》 as emphasis', () => {
    expect(pieces('これは《《大切》》です')).toEqual(['これは', ['大切', 'emphasis'], 'です']);
  });
  it('reads ［＃縦中横］…［＃縦中横終わり］ as tate-chu-yoko', () => {
    expect(pieces('第［＃縦中横］12［＃縦中横終わり］回')).toEqual(['第', ['12', 'tateChuYoko'], '回']);
  });
});

describe('escapes', () => {
  it('writes \\｜ \\《 \\》 as characters', () => {
    expect(pieces('漢字\\《かんじ\\》')).toEqual(['漢字《かんじ》']);
    expect(pieces('a\\｜b')).toEqual(['a｜b']);
  });
  it('leaves other backslashes alone in fields, and \\\\ before markup is a backslash', () => {
    expect(pieces('C:\\path')).toEqual(['C:\\path']);
    expect(pieces('円\\\\｜漢《かん》')).toEqual(['円\\', ['漢', 'かん']]);
  });
  it('reads escapes of the body the same way once the body is parsed', () => {
    const { units } = parseBody('漢字\\《かんじ\\》と\\・');
    expect(pieces(units[0]!.text)).toEqual(['漢字《かんじ》と・']);
  });
});

describe('malformed markup is an error at its place', () => {
  it('an unclosed 《', () => {
    expect(errorAt('前文。漢字《かんじ')).toBe(5);
  });
  it('an empty ruby', () => {
    expect(errorAt('漢字《》')).toBe(2);
  });
  it('ruby on nothing: 《 after kana, or ｜ directly before 《', () => {
    expect(errorAt('ひらがな《かな》')).toBe(4);
    expect(errorAt('あ｜《かな》')).toBe(1);
  });
  it('a ｜ with no reading', () => {
    expect(errorAt('｜青梅と書く')).toBe(0);
  });
  it('an unclosed emphasis or tate-chu-yoko', () => {
    expect(errorAt('これは《《大切')).toBe(3);
    expect(errorAt('第［＃縦中横］12回')).toBe(1);
  });
  it('markup inside marked text is refused where it is, never printed: ruby in emphasis, in a reading, nested 縦中横', () => {
    expect(errorAt('《《｜青梅《おうめ》を見る》》')).toBe(2);
    expect(errorAt('《《漢字《かんじ》》》です')).toBe(4);
    expect(errorAt('｜青梅《《《おうめ》》》')).toBe(4);
    expect(errorAt('｜漢字《か《ん》じ》です')).toBe(5);
    expect(errorAt('［＃縦中横］1［＃縦中横］2［＃縦中横終わり］［＃縦中横終わり］')).toBe(7);
    // Escaped, they are characters.
    expect(pieces('《《\\｜強調\\》》》')).toEqual([['｜強調》', 'emphasis']]);
  });
  it('a 縦中横 of more than four characters', () => {
    expect(errorAt('［＃縦中横］12345［＃縦中横終わり］年')).toBe(0);
    expect(errorAt('［＃縦中横］漢字漢字漢字［＃縦中横終わり］')).toBe(0);
    expect(pieces('［＃縦中横］1234［＃縦中横終わり］年')).toEqual([['1234', 'tateChuYoko'], '年']);
  });
  it('a closing mark that closes nothing', () => {
    expect(errorAt('あ》です')).toBe(1);
    expect(errorAt('強調》》です')).toBe(2);
    expect(errorAt('12［＃縦中横終わり］です')).toBe(2);
    expect(pieces('あ\\》です')).toEqual(['あ》です']);
  });
  it('an Aozora Bunko annotation kumihan does not read (［＃傍点］) is an error at it, naming what kumihan writes instead', () => {
    expect(errorAt('これは［＃傍点］強調［＃傍点終わり］です。')).toBe(3);
    expect(() => parseInline('これは［＃傍点］強調［＃傍点終わり］です。')).toThrow(
      /［＃傍点］ is an annotation kumihan does not read.*《《…》》/,
    );
    expect(() => parseInline('［＃ここから２字下げ］本文')).toThrow(/annotation kumihan does not read.*\\［/);
    expect(pieces('\\［＃注］です')).toEqual(['［＃注］です']);
    // A ［ that is not an annotation is a character.
    expect(pieces('［注］です')).toEqual(['［注］です']);
  });
  it('a ｜ before emphasis says so', () => {
    expect(() => parseInline('｜《《漢字》》')).toThrow(/followed by emphasis/);
  });
});
