/**
 * JLREQ character classes (W3C JLREQ Appendix A, cl-01 … cl-30), loaded from data in this one module.
 *
 * The data lists JLREQ's own membership. Three mapping decisions are made here, once:
 *  - JLREQ lists ASCII code points for brackets and punctuation meaning their full-width use. Real
 *    Japanese text uses the FULLWIDTH forms (U+FF01–U+FF5E), so those take the class JLREQ gives the
 *    ASCII character; full-width letters and digits are cl-19 (set on the em grid, like kanji).
 *  - ASCII itself (U+0021–U+007E) is Western text set with proportional glyphs: cl-27, digits cl-24,
 *    U+0020 is the Western word space cl-26. (JLREQ §3.2, "Composition of Japanese and Western text".)
 *  - 〒 and 〶, which JLREQ lists as ideographic (cl-19), are prefixes (cl-12) like ¥: an address prints
 *    〒100-0001 solid, as business cards and letterheads set it, not 〒 100-0001 with a Japanese–Western space.
 * Anything JLREQ does not list: hiragana/katakana blocks → cl-15/cl-16, CJK ideographs → cl-19,
 * Latin/Greek/Cyrillic letters → cl-27 unless JLREQ puts them in an earlier class, the rest → cl-19.
 */
import data from './data/jlreq-classes.json' with { type: 'json' };

export type CharClass =
  | 'cl-01'
  | 'cl-02'
  | 'cl-03'
  | 'cl-04'
  | 'cl-05'
  | 'cl-06'
  | 'cl-07'
  | 'cl-08'
  | 'cl-09'
  | 'cl-10'
  | 'cl-11'
  | 'cl-12'
  | 'cl-13'
  | 'cl-14'
  | 'cl-15'
  | 'cl-16'
  | 'cl-17'
  | 'cl-18'
  | 'cl-19'
  | 'cl-20'
  | 'cl-21'
  | 'cl-22'
  | 'cl-23'
  | 'cl-24'
  | 'cl-25'
  | 'cl-26'
  | 'cl-27'
  | 'cl-28'
  | 'cl-29'
  | 'cl-30';

interface ClassData {
  classes: Record<string, { name: string; chars: string[] }>;
}

/** Classes whose membership decides composition in running text (cl-20…23, 28…30 depend on markup). */
const CODE_POINT_CLASSES: CharClass[] = [
  'cl-01',
  'cl-02',
  'cl-03',
  'cl-04',
  'cl-05',
  'cl-06',
  'cl-07',
  'cl-08',
  'cl-09',
  'cl-10',
  'cl-11',
  'cl-12',
  'cl-13',
  'cl-14',
  'cl-15',
  'cl-16',
  'cl-17',
  'cl-18',
  'cl-19',
];

/** Class of a single code point as JLREQ lists it (first listed class wins). Multi-code-point entries go to SEQUENCE_CLASS. */
const listedClass = new Map<number, CharClass>();
const SEQUENCE_CLASS = new Map<string, CharClass>();
/** Code points JLREQ lists as Western characters (cl-27). */
const westernListed = new Set<number>();

/** Whether a listed entry is one code point (else a sequence such as か゚). */
const isOneCodePoint = (ch: string) => ch.length === (ch.codePointAt(0)! > 0xffff ? 2 : 1);

// Index loops: this runs in every build, interpreted, and an iterator per entry doubled its cost.
for (let c = 0; c < CODE_POINT_CLASSES.length; c++) {
  const cls = CODE_POINT_CLASSES[c]!;
  const chars = (data as ClassData).classes[cls]!.chars;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (!isOneCodePoint(ch)) {
      if (!SEQUENCE_CLASS.has(ch)) SEQUENCE_CLASS.set(ch, cls);
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (!listedClass.has(cp)) listedClass.set(cp, cls);
  }
}
const westernChars = (data as ClassData).classes['cl-27']!.chars;
for (let i = 0; i < westernChars.length; i++) if (isOneCodePoint(westernChars[i]!)) westernListed.add(westernChars[i]!.codePointAt(0)!);

/** The name JLREQ gives a class, for messages and tests. */
export function className(cls: CharClass): string {
  return (data as ClassData).classes[cls]?.name ?? cls;
}

const isAsciiDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;
const isAsciiLetter = (cp: number) => (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);

export function isHiraganaBlock(cp: number): boolean {
  return cp >= 0x3041 && cp <= 0x309f;
}
export function isKatakanaBlock(cp: number): boolean {
  return (cp >= 0x30a0 && cp <= 0x30ff) || (cp >= 0x31f0 && cp <= 0x31ff) || (cp >= 0xff66 && cp <= 0xff9f);
}
export function isIdeograph(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK Unified Ideographs
    (cp >= 0x3400 && cp <= 0x4dbf) || // Extension A
    (cp >= 0xf900 && cp <= 0xfaff) || // Compatibility Ideographs
    (cp >= 0x20000 && cp <= 0x3ffff) || // Extensions B… and compatibility supplement
    (cp >= 0x2e80 && cp <= 0x2fdf) || // radicals
    cp === 0x3007 ||
    cp === 0x3006
  );
}

/** Full-width ASCII variants (！ … ～) map to the ASCII code point they stand for. */
export function fullwidthToAscii(cp: number): number | null {
  return cp >= 0xff01 && cp <= 0xff5e ? cp - 0xfee0 : null;
}

/** Full-width letters and digits: set on the em grid, but never split inside a word or number. */
export function isFullwidthAlnum(cp: number): boolean {
  const a = fullwidthToAscii(cp);
  return a !== null && (isAsciiDigit(a) || isAsciiLetter(a));
}
export function isFullwidthDigit(cp: number): boolean {
  const a = fullwidthToAscii(cp);
  return a !== null && isAsciiDigit(a);
}
export function isDigit(cp: number): boolean {
  return isAsciiDigit(cp) || isFullwidthDigit(cp);
}

/** Letters of alphabetic scripts written in Western style (Latin, Greek, Cyrillic and their extensions). */
function isAlphabetic(cp: number): boolean {
  return (cp >= 0x00c0 && cp <= 0x024f) || (cp >= 0x0370 && cp <= 0x052f) || (cp >= 0x1e00 && cp <= 0x1fff);
}

/** Combining marks stay in the cluster of their base character. */
export function isCombining(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    cp === 0x3099 ||
    cp === 0x309a ||
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors
    (cp >= 0xe0100 && cp <= 0xe01ef) || // ideographic variation selectors
    cp === 0x200d
  );
}

/** The JLREQ class of one character (a cluster's base code point), in horizontal composition. */
export function classOfCodePoint(cp: number): CharClass {
  if (cp === 0x20 || cp === 0xa0) return 'cl-26';
  if (cp >= 0x21 && cp <= 0x7e) return isAsciiDigit(cp) ? 'cl-24' : 'cl-27';
  const ascii = fullwidthToAscii(cp);
  if (ascii !== null) {
    if (isAsciiDigit(ascii) || isAsciiLetter(ascii)) return 'cl-19';
    if (ascii === 0x7e) return 'cl-03'; // ～ FULLWIDTH TILDE is typed for 〜 WAVE DASH in Japanese text
    const listed = listedClass.get(ascii);
    return listed && listed !== 'cl-19' ? listed : 'cl-19';
  }
  if (cp === 0xffe5 || cp === 0xffe1) return 'cl-12'; // ￥ ￡
  // 〒 〶 (postal marks) are prefixes to the postcode as ¥ is to a price: set solid against its digits
  // (〒100-0001, no Japanese–Western space) and never parted from them at a line end.
  if (cp === 0x3012 || cp === 0x3036) return 'cl-12';
  if (cp >= 0xff67 && cp <= 0xff6f) return 'cl-11'; // halfwidth small katakana ｧ…ｯ
  if (cp === 0xff70) return 'cl-10'; // ｰ halfwidth prolonged sound mark
  if (cp === 0xff65) return 'cl-05'; // ･ halfwidth middle dot
  if (cp === 0xffe0) return 'cl-13'; // ￠
  const listed = listedClass.get(cp);
  if (listed) return listed;
  if (isHiraganaBlock(cp)) return 'cl-15';
  if (isKatakanaBlock(cp)) return 'cl-16';
  if (isIdeograph(cp)) return 'cl-19';
  if (westernListed.has(cp) || isAlphabetic(cp)) return 'cl-27';
  return 'cl-19';
}

/** Class of a cluster (base code point plus combining marks). Sequences JLREQ lists (か゚, ㇷ゚) are looked up whole. */
export function classOfCluster(cluster: string): CharClass {
  return SEQUENCE_CLASS.get(cluster) ?? classOfCodePoint(cluster.codePointAt(0)!);
}

/** Western text: set with proportional glyphs, words unbreakable, a quarter em from Japanese. */
export function isWesternClass(cls: CharClass): boolean {
  return cls === 'cl-24' || cls === 'cl-25' || cls === 'cl-27';
}

/**
 * A Western character that is not a letter or a digit: punctuation and symbols (! ? , . : ; - ( ) % & …).
 * They take no Japanese–Western space (JLREQ §3.2.5 applies to letters and numerals).
 */
export function isWesternMark(cluster: string, cls: CharClass = classOfCluster(cluster)): boolean {
  if (!isWesternClass(cls)) return false;
  // ASCII answered directly: its only letters and numbers are A–Z, a–z and 0–9. The Unicode property
  // regex is for the rest; compiling it (\p{L} and \p{N} are large sets) costs ~1.5 ms of the first
  // build in a process, and most documents have no Western letter outside ASCII.
  const c = cluster.charCodeAt(0);
  if (c < 0x80) return !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
  // A superscript or subscript (ｍ², ｍ³, H₂O) belongs to what it follows, as a unit's exponent: set solid
  // against Japanese on either side like a symbol, not as a Western word of its own (no 和欧間).
  if (c === 0xb2 || c === 0xb3 || c === 0xb9 || (c >= 0x2070 && c <= 0x209f)) return true;
  return !LETTER_OR_NUMBER_START.test(cluster);
}
const LETTER_OR_NUMBER_START = /^[\p{L}\p{N}]/u;

/** Japanese letters that take a quarter-em space next to Western text (JLREQ §3.2.5, Table 1). */
export function isJapaneseLetterClass(cls: CharClass): boolean {
  return cls === 'cl-15' || cls === 'cl-16' || cls === 'cl-19' || cls === 'cl-09' || cls === 'cl-10' || cls === 'cl-11';
}

/**
 * Split text into clusters: a base code point with its combining marks (dakuten, variation selectors).
 * The composer never separates a cluster.
 */
export function toClusters(text: string): string[] {
  const out: string[] = [];
  // By UTF-16 index rather than `for…of`: the same code points, without an iterator per character.
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = cp > 0xffff ? text.slice(i, i + 2) : text[i]!;
    i += ch.length;
    if (out.length > 0 && isCombining(cp)) out[out.length - 1]! += ch;
    else out.push(ch);
  }
  return out;
}
