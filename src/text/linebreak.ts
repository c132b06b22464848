/**
 * Line-break opportunities for Japanese text with embedded Western words (JLREQ §3.1 "Line breaking rules",
 * Appendix C Table 2 and its relaxation levels), matching what CSS `line-break: strict | normal | loose`
 * requires for Japanese (CSS Text 3 §5.3, as tested by web-platform-tests css-text/line-break).
 *
 * The answer is pure data: for clusters c[0…n-1], ok[i] says whether a line may end after c[i-1]
 * and start with c[i]. Why a break is or is not allowed is named in each rule below.
 */
import type { LineBreakMode } from '../model/schema.js';
import { classOfCluster, isDigit, isFullwidthAlnum, isWesternClass, isWesternMark, type CharClass } from './classes.js';

/**
 * How strictly line-start and line-end prohibitions (kinsoku) are applied.
 * - strict: small kana, ー, hyphens, iteration marks, middle dots and postfixes may not start a line
 *   (JLREQ "very strict"; CSS strict).
 * - normal: small kana, ー and the CJK hyphens ‐ – 〜 ゠ may start a line (JLREQ "strict"; CSS normal).
 * - loose: also iteration marks, centred punctuation, postfixes; breaks after prefixes and inside ……/‥‥
 *   (JLREQ "loose"; CSS loose).
 */
export type { LineBreakMode };

const cp0 = (s: string) => s.codePointAt(0)!;

/** CSS Text 3 §5.3: the CJK hyphens 〜 ゠ (and ～ typed for 〜) that `normal` lets start a line; loose adds ‐ –. */
const CJK_HYPHENS = new Set([0x301c, 0x30a0, 0xff5e]);
const LOOSE_HYPHENS = new Set([0x2010, 0x2013, 0x301c, 0x30a0, 0xff5e]);
/** CSS loose: centred punctuation that may start a line. */
const LOOSE_CENTRED = new Set([0x30fb, 0xff1a, 0xff1b, 0xff65, 0x203c, 0x2047, 0x2048, 0x2049, 0xff01, 0xff1f]);
/** Postfixes (UAX #14 class PO): they never start a line except under loose (CSS Text 3 §5.3). */
const POSTFIX = new Set([0x25, 0xa2, 0xb0, 0x2030, 0x2032, 0x2033, 0x2035, 0x2103, 0x2109, 0xfe6a, 0xff05, 0xffe0]);
/** Prefixes (UAX #14 class PR): they never end a line except under loose. */
const PREFIX = new Set([0x24, 0xa3, 0xa5, 0x20ac, 0x2116, 0xff04, 0xffe1, 0xffe5]);
/** Leaders ‥ … and their kin (UAX #14 IN: ․ ‥ … ⋯ ︙): not at a line start and inseparable in pairs, except under loose. */
const LOOSE_INSEPARABLE = new Set([0x2024, 0x2025, 0x2026, 0x22ef, 0xfe19]);

/**
 * The class a cluster has for breaking. ASCII punctuation is Western text (cl-27) for spacing, but it keeps
 * its JLREQ break behaviour: no break after "(", none before ")" "," "." "!" "?" ":" ";" "-".
 */
export function breakClassOf(cluster: string): CharClass {
  return breakClassFrom(cp0(cluster), cluster);
}

/** breakClassOf, given the cluster's first code point (and, when known, its spacing class). */
function breakClassFrom(cp: number, cluster: string, cls?: CharClass): CharClass {
  switch (cp) {
    case 0x28:
    case 0x5b:
    case 0x7b:
      return 'cl-01';
    case 0x29:
    case 0x5d:
    case 0x7d:
      return 'cl-02';
    case 0x21:
    case 0x3f:
      return 'cl-04';
    case 0x3a:
    case 0x3b:
      return 'cl-05';
    case 0x2e:
      return 'cl-06';
    // HYPHEN-MINUS breaks like a hyphen: never before it (UAX #14 LB21, JLREQ cl-03), so ロボ-ト keeps
    // its - off the line head.
    case 0x2d:
      return 'cl-03';
    case 0x2c:
      return 'cl-07';
    case 0x24:
    case 0x23:
      return 'cl-12';
    case 0x25:
      return 'cl-13';
  }
  return cls ?? classOfCluster(cluster);
}

/** Whether a cluster may start a line under a mode (JLREQ §3.1.7 "Characters not starting a line"). */
export function mayStartLine(cluster: string, mode: LineBreakMode): boolean {
  const cp = cp0(cluster);
  return startAllowed(cp, breakClassFrom(cp, cluster), mode);
}

function startAllowed(cp: number, cls: CharClass, mode: LineBreakMode): boolean {
  if (POSTFIX.has(cp)) return mode === 'loose';
  // ‥ and … (UAX #14 IN): not at a line start, except under loose.
  if (LOOSE_INSEPARABLE.has(cp)) return mode === 'loose';
  switch (cls) {
    // Never relaxed: closing brackets, full stops, commas (JLREQ Appendix C addendum).
    case 'cl-02':
    case 'cl-06':
    case 'cl-07':
    case 'cl-29':
      return false;
    case 'cl-04': // ？！‼⁇⁈⁉
    case 'cl-05': // ・：；
      return mode === 'loose' && LOOSE_CENTRED.has(cp);
    case 'cl-03': // ‐ 〜 ゠ –
      return mode === 'loose' ? LOOSE_HYPHENS.has(cp) : mode === 'normal' && CJK_HYPHENS.has(cp);
    case 'cl-09': // 々 ゝ ゞ ヽ ヾ 〻
      return mode === 'loose';
    case 'cl-10': // ー
    case 'cl-11': // small kana
      return mode !== 'strict';
    default:
      if (cp === 0xff70) return mode !== 'strict'; // ｰ halfwidth prolonged sound mark
      return true;
  }
}

/**
 * Whether a cluster may end a line (JLREQ §3.1.8 "Characters not ending a line"): opening brackets never;
 * prefixes (¥ $ € …) only under loose.
 */
export function mayEndLine(cluster: string, mode: LineBreakMode = 'strict'): boolean {
  const cp = cp0(cluster);
  return endAllowed(cp, breakClassFrom(cp, cluster), mode);
}

function endAllowed(cp: number, cls: CharClass, mode: LineBreakMode): boolean {
  if (PREFIX.has(cp)) return mode === 'loose';
  return cls !== 'cl-01' && cls !== 'cl-28';
}

/**
 * Everything the break rules ask of one cluster, computed once per distinct cluster (a paragraph uses
 * a few hundred distinct characters, so the rules below run on cached facts, not on strings).
 */
export interface CharInfo {
  cp: number;
  /** JLREQ class for spacing (classOfCluster). */
  cls: CharClass;
  /** JLREQ class for breaking (breakClassOf). */
  brk: CharClass;
  western: boolean;
  /** Western punctuation or a symbol, not a letter or digit (no Japanese–Western space; isWesternMark). */
  mark: boolean;
  digit: boolean;
  fullwidthAlnum: boolean;
  space: boolean;
  numberSeparator: boolean;
  /** mayStartLine under strict, normal, loose; mayEndLine likewise. */
  start: readonly [boolean, boolean, boolean];
  end: readonly [boolean, boolean, boolean];
}

const MODE_INDEX: Record<LineBreakMode, 0 | 1 | 2> = { strict: 0, normal: 1, loose: 2 };
const infoCache = new Map<string, CharInfo>();
/** Distinct clusters remembered before the cache starts again (combining sequences are unbounded in number). */
const INFO_CACHE_LIMIT = 50_000;

export function charInfo(cluster: string): CharInfo {
  let info = infoCache.get(cluster);
  if (info) return info;
  // Each fact from the cluster's class, found once: this runs for every distinct character of a build,
  // interpreted in a cold process (src/text/classes.ts and the rules above, called nine times, cost ~10 µs).
  const cp = cp0(cluster);
  const cls = classOfCluster(cluster);
  const brk = breakClassFrom(cp, cluster, cls);
  const western = isWesternClass(cls);
  info = {
    cp,
    cls,
    brk,
    western,
    mark: isWesternMark(cluster, cls),
    digit: isDigit(cp),
    fullwidthAlnum: isFullwidthAlnum(cp),
    space: cp === 0x20 || cp === 0xa0,
    numberSeparator: cp === 0x2c || cp === 0x2e || cp === 0xff0c || cp === 0xff0e,
    start: [startAllowed(cp, brk, 'strict'), startAllowed(cp, brk, 'normal'), startAllowed(cp, brk, 'loose')],
    end: [endAllowed(cp, brk, 'strict'), endAllowed(cp, brk, 'normal'), endAllowed(cp, brk, 'loose')],
  };
  if (infoCache.size >= INFO_CACHE_LIMIT) infoCache.clear();
  infoCache.set(cluster, info);
  return info;
}

/**
 * Quotation marks JLREQ lists twice: ‘ “ as opening brackets (cl-01) and ’ ” as closing brackets (cl-02)
 * "used in horizontal composition", and all four again as Western characters (cl-27, "proportionally-spaced").
 * Which one a mark is depends on the text it stands in, as for the em dash (text/shape.ts): in Western text
 * (“Smart Mix”, don’t, rock ’n’ roll, “hello.”) it is a Western character, set from the Latin font as part of
 * the word it touches; next to Japanese text (「“こんにちは”」) it is the full-width bracket.
 *  - an opening mark ‘ “ belongs to what follows it, a closing ” to what precedes it; a pair of double
 *    quotes is set alike, Western only when both of its ends are (“Hello世界” is a Japanese pair);
 *  - ’ is also the apostrophe: Western after a Western character (don’t, James’) or before a Western letter
 *    or digit, whatever precedes it (’n’, 、’17年, （’90s）).
 * A Western mark keeps the line-break class of its bracket: an opening mark never ends a line, a closing one
 * never starts one; inside a word it is glue like any Western letter (JLREQ §3.2.3).
 */
function quotesInWesternUse(infos: CharInfo[]): void {
  const n = infos.length;
  const westernText = (info: CharInfo | undefined) => info?.western === true;
  const westernWord = (info: CharInfo | undefined) => info?.western === true && !info.mark;
  // Made at the first quotation mark: most paragraphs have none, and this runs for every one.
  let western: Uint8Array | undefined;
  const openDouble: number[] = [];
  for (let i = 0; i < n; i++) {
    const cp = infos[i]!.cp;
    if (cp !== 0x2018 && cp !== 0x2019 && cp !== 0x201c && cp !== 0x201d) continue;
    western ??= new Uint8Array(n);
    const before = infos[i - 1];
    const after = infos[i + 1];
    // A dash after a Western word ends it with the quote: “No—” (the dash is Western by the same rule, shape.ts).
    const westernEnd = westernText(before) || (before?.cp === 0x2014 && westernText(infos[i - 2]));
    western[i] = cp === 0x2018 || cp === 0x201c ? +westernText(after) : cp === 0x201d ? +westernEnd : +(westernEnd || westernWord(after));
    if (cp === 0x201c) openDouble.push(i);
    else if (cp === 0x201d && openDouble.length > 0) {
      const open = openDouble.pop()!;
      if (!western[open] || !western[i]) western[open] = western[i] = 0;
    }
  }
  if (western) for (let i = 0; i < n; i++) if (western[i]) infos[i] = westernInfo(infos[i]!);
}

/**
 * The minus sign − (U+2212) is a math operator, full-width in Japanese text (JLREQ cl-18: ５−３), and Western
 * before a Western digit (−5℃, 5−3), set from the Latin font like + beside it.
 */
function minusSignsInWesternUse(infos: CharInfo[]): void {
  for (let i = 0; i < infos.length; i++) {
    if (infos[i]!.cp !== 0x2212) continue;
    const after = infos[i + 1];
    if (after?.western && after.digit) infos[i] = westernInfo(infos[i]!);
  }
}

/** Characters JLREQ lists both as Japanese and as Western, given the class of the text they stand in: quotes, the minus sign. */
export function charactersInWesternUse(infos: CharInfo[]): void {
  quotesInWesternUse(infos);
  minusSignsInWesternUse(infos);
}

const westernInfos = new Map<number, CharInfo>();

/** A quotation mark's (or a minus sign's) facts in Western use: class cl-27 (Latin font, no bracket spacing), its own breaking. */
function westernInfo(info: CharInfo): CharInfo {
  let western = westernInfos.get(info.cp);
  if (!western) {
    western = { ...info, cls: 'cl-27', western: true, mark: true };
    westernInfos.set(info.cp, western);
  }
  return western;
}

/**
 * Unbreakable sequences (JLREQ §3.1.10): a break never falls inside them and no space is ever added
 * inside them (bunri-kinshi, §3.1.11). `mode` matters only where loose relaxes a pair (¥|100, 50|%, …|…);
 * leave it undefined to ask whether the pair is a sequence at all (for spacing).
 */
export function isInseparable(before: string | undefined, a: string, b: string, after: string | undefined, mode?: LineBreakMode): boolean {
  return inseparable(
    before === undefined ? undefined : charInfo(before),
    charInfo(a),
    charInfo(b),
    after === undefined ? undefined : charInfo(after),
    mode,
  );
}

/** Hyphens and dashes that join the digits on either side (- ‐ ‑ ‒ – − －). */
const NUMBER_HYPHENS = new Set([0x2d, 0x2010, 0x2011, 0x2012, 0x2013, 0x2212, 0xff0d]);

function inseparable(before: CharInfo | undefined, a: CharInfo, b: CharInfo, after: CharInfo | undefined, mode?: LineBreakMode): boolean {
  const acp = a.cp;
  const bcp = b.cp;
  // Numbers are unbreakable, separators included: 1,000.5 (§3.1.10); also full-width digits.
  if (a.digit && b.digit) return true;
  if (b.numberSeparator && a.digit && after?.digit) return true;
  if (a.numberSeparator && b.digit && before?.digit) return true;
  // A hyphen or dash between digits joins one number: a telephone number (０３－１２３４－５６７８), a
  // postcode, a range (10–20) is not broken at it (UAX #14 LB25: HY × NU). So does one between full-width
  // letters and digits in a code (ＭＸ－２００, ＡＢ－１２): never a hyphen at a line start.
  const code = (x: CharInfo | undefined) => x !== undefined && (x.digit || x.fullwidthAlnum);
  if (NUMBER_HYPHENS.has(acp) && code(b) && code(before)) return true;
  if (NUMBER_HYPHENS.has(bcp) && code(a) && code(after)) return true;
  // Prefix + number (¥100) and number + postfix (50%, 25℃) stay together in every mode (JLREQ §3.1.10;
  // UAX #14 LB25). Loose frees a postfix only after an ideograph (文|℃) and a prefix only before one
  // (CSS Text 3 §5.3): that is mayStartLine / mayEndLine, not a pair with a number.
  if (a.brk === 'cl-12' && b.digit) return true;
  if (b.brk === 'cl-13' && a.digit) return true;
  // Inseparable pairs ——, ……, ‥‥, 〳〵 (§3.1.10): only same-kind pairs; loose allows …… and ‥‥.
  if (a.brk === 'cl-08' && b.brk === 'cl-08') {
    const same = acp === bcp || ((acp === 0x3033 || acp === 0x3034) && bcp === 0x3035);
    if (same) return !(mode === 'loose' && LOOSE_INSEPARABLE.has(acp));
  }
  if ((acp === 0x2014 || acp === 0x2015) && (bcp === 0x2014 || bcp === 0x2015)) return true;
  // Western words are not broken (§3.2.3): no break between two Western characters without a space.
  if (a.western && b.western) return true;
  // A word in full-width letters or digits (ＣＩＳ, ２０１７) is kept whole like its half-width form.
  if (a.fullwidthAlnum && b.fullwidthAlnum) return true;
  return false;
}

/**
 * May a line break between `a` and `b`? `before` is the cluster before `a` and `after` the one after `b`
 * (needed to see 1,000: the comma is glue only between digits).
 */
export function mayBreakBetween(before: string | undefined, a: string, b: string, after: string | undefined, mode: LineBreakMode): boolean {
  return breakAllowed(
    before === undefined ? undefined : charInfo(before),
    charInfo(a),
    charInfo(b),
    after === undefined ? undefined : charInfo(after),
    mode,
  );
}

function breakAllowed(before: CharInfo | undefined, a: CharInfo, b: CharInfo, after: CharInfo | undefined, mode: LineBreakMode): boolean {
  const m = MODE_INDEX[mode];
  // Western word space: break after it, never before it (JLREQ §3.2.3; the space is dropped at the line end).
  if (b.space) return false;
  if (a.cp === 0xa0) return false; // no-break space
  if (!b.start[m]) return false;
  if (a.space) return true;
  if (!a.end[m]) return false;
  // The ideographic space that follows ？！ stays with it; the line may break after the space (JLREQ §3.1.6).
  if (b.cp === 0x3000 && a.brk === 'cl-04') return false;
  // A hyphen after a Western letter belongs to the word ("aa‐"), whatever the mode.
  if (b.brk === 'cl-03' && a.western) return false;
  if (inseparable(before, a, b, after, mode)) return false;
  // Ideographic space, kana, kanji and the rest: a break is allowed (Table 2).
  return true;
}

/**
 * Break opportunities over clusters. Result length n+1: result[i] is true when a line may break
 * between clusters[i-1] and clusters[i]. result[0] is false (no empty line), result[n] true (the end).
 */
export function breakOpportunities(clusters: readonly string[], mode: LineBreakMode): boolean[] {
  return analyzeBreaks(clusters.map(charInfo), mode).breakOk;
}

/**
 * For the composer: break opportunities, and which adjacent pairs form an unbreakable sequence
 * (inseparable[i] for the pair clusters[i-1], clusters[i]), in one pass over cached facts.
 */
export function analyzeBreaks(infos: readonly CharInfo[], mode: LineBreakMode): { breakOk: boolean[]; inseparable: Uint8Array } {
  const n = infos.length;
  const breakOk = new Array<boolean>(n + 1);
  const glued = new Uint8Array(n + 1);
  breakOk[0] = false;
  breakOk[n] = true;
  for (let i = 1; i < n; i++) {
    breakOk[i] = breakAllowed(infos[i - 2], infos[i - 1]!, infos[i]!, infos[i + 1], mode);
    glued[i] = inseparable(infos[i - 2], infos[i - 1]!, infos[i]!, infos[i + 1]) ? 1 : 0;
  }
  return { breakOk, inseparable: glued };
}
