import { describe, expect, it } from 'vitest';
import { classOfCluster, isWesternClass, isWesternMark } from '../../src/text/classes.js';

describe('isWesternMark', () => {
  // The definition: a Western-class character that does not start with a Unicode letter or number.
  // isWesternMark answers ASCII without the regex; it must give the definition's answer everywhere.
  // Superscripts and subscripts (² ³ ¹, U+2070–209F) are marks by kumihan's rule: a unit's exponent, not a word.
  const definition = (ch: string) =>
    isWesternClass(classOfCluster(ch)) && (/^[\u00b2\u00b3\u00b9\u2070-\u209f]/.test(ch) || !/^[\p{L}\p{N}]/u.test(ch));

  it('agrees with the Unicode definition on every ASCII and Latin-1 character and a sample beyond', () => {
    const sample: number[] = [];
    for (let cp = 0x20; cp <= 0x2ff; cp++) sample.push(cp);
    sample.push(
      0x391,
      0x3b1,
      0x410,
      0x2013,
      0x2014,
      0x2026,
      0x20ac,
      0x2070,
      0x2082,
      0x2160,
      0xff01,
      0xff21,
      0xff10,
      0x3042,
      0x5b57,
      0x1d400,
    );
    const differing = sample.map((cp) => String.fromCodePoint(cp)).filter((ch) => isWesternMark(ch) !== definition(ch));
    expect(differing).toEqual([]);
  });

  it('tells marks from letters and digits', () => {
    expect(['!', '?', ',', '.', '-', '(', ')', '%', '&', '@'].map((ch) => isWesternMark(ch))).toEqual(Array(10).fill(true));
    expect(['A', 'z', '0', '9', 'é', 'ß'].map((ch) => isWesternMark(ch))).toEqual(Array(6).fill(false));
  });
});

describe('JLREQ classes (src/text/data/jlreq-classes.json, from JLREQ Appendix A)', () => {
  it('put well-known characters where JLREQ lists them', () => {
    const expected: Record<string, string> = {
      '「': 'cl-01', // opening brackets
      '」': 'cl-02', // closing brackets
      '〜': 'cl-03', // hyphens
      '・': 'cl-05', // middle dots
      '。': 'cl-06', // full stops
      '、': 'cl-07', // commas
      '…': 'cl-08', // inseparable characters
      々: 'cl-09', // iteration marks
      ー: 'cl-10', // prolonged sound mark
      ぁ: 'cl-11', // small kana
      あ: 'cl-15', // hiragana
      ア: 'cl-16', // katakana
      字: 'cl-19', // ideographs
      '！': 'cl-04', // full-width forms take the class of the ASCII character JLREQ lists (cl-04: ? !)
      A: 'cl-27', // ASCII is Western text
      ' ': 'cl-26', // the Western word space
      '〒': 'cl-12', // a prefix like ¥ (JLREQ lists it in cl-19): 〒100-0001 solid
    };
    expect(Object.fromEntries(Object.keys(expected).map((ch) => [ch, classOfCluster(ch)]))).toEqual(expected);
  });
});
