/**
 * Japanese paragraph composition (JLREQ ch. 3 "Line Composition"): choose line breaks and justify each line.
 *
 * Works along the inline axis only — advances in em, no x/y — so that vertical writing can reuse it.
 * The input is a paragraph's text, a shaped font face and settings; the output is plain data: lines of
 * glyphs with their inline offsets. Nothing here knows about PDF.
 *
 * Each line is set the way JLREQ describes for a compositor (§3.8): when the next character may not
 * start a line, it is pushed in (spacing reduced in priority order, §3.8.2 and Table 3) or the offending
 * characters are pushed out to the next line and the line is expanded (JIS X 4051 Table 6). Which of the
 * two, line by line, is chosen for the paragraph as a whole (chooseBreaks), by a cost that sees the whole
 * line's look: how far each kind of space moved from its natural width, in JLREQ's order of priority, with
 * the template's policy (pushIn / pushOut) deciding which of the two is preferred when both cost little.
 * Line-head and line-end spacing is resolved after the breaks are chosen (§3.1.5). The work is linear in
 * the paragraph length.
 */
import { TextSourceError, type ResolvedRun, type TextSource } from '../model/document.js';
import type { AdjustmentPolicy, OpeningBracketIndent } from '../model/schema.js';
import { isDigit, isFullwidthAlnum, isHiraganaBlock, isIdeograph, isWesternClass, toClusters, type CharClass } from './classes.js';
import { analyzeBreaks, charactersInWesternUse, charInfo, type CharInfo, type LineBreakMode } from './linebreak.js';
import type { FontFace, FontRole, NarrowGlyph, ShapedCluster } from './shape.js';
import { MissingGlyphError, shapeClusters } from './shape.js';
import { mergeTateChuYoko, tateChuYokoCluster, type TateChuYoko } from './vertical.js';
import {
  ANNOTATION_SCALE,
  BULLET_DOT,
  SESAME_DOT,
  placeAnnotations,
  rubyHeadRoom,
  prepareAnnotations,
  type AnnotationGlyph,
  type MarkedRange,
  type PreparedAnnotations,
} from './ruby.js';
import {
  STRETCH_MAX,
  NO_SPACE,
  Shrink,
  Stretch,
  defaultSpace,
  letterSpacingAllowed,
  lineEndSpace,
  lineHeadSpace,
  wordSpace,
  type SpaceComponent,
} from './spacing.js';

export interface ParagraphSettings {
  /** Line length in em (字詰め). */
  measure: number;
  /** First-line indent in em (JLREQ §3.1.5: one em in almost all books). */
  indent: number;
  lineBreak: LineBreakMode;
  /** Let 、。，． hang past the line end instead of forcing a push-in or push-out (JLREQ §3.8.3). */
  hangingPunctuation: boolean;
  /**
   * A paragraph beginning with an opening bracket: 'jis' = the usual indent with the bracket set solid
   * (JIS X 4051 default), 'half' = half an em before the bracket, 'none' = the bracket at the line head.
   */
  openingBracketIndent: OpeningBracketIndent;
  /** Justify the last line too (for headings that must fill the measure); normally false. */
  justifyLastLine?: boolean;
  /**
   * Line adjustment policy (JLREQ §3.8): 'pushIn' (default) prefers pushing a character that may not
   * start a line into the line (追い込み) while that squeezes its punctuation only a little; 'pushOut'
   * prefers pushing characters out to the next line (追い出し) while that spaces the letters only a
   * little, as TeX-based composers (LuaTeX-ja) do.
   */
  adjustment?: AdjustmentPolicy;
  /**
   * Composing a vertical column (縦組み): tate-chu-yoko runs (marked, and automatic for up to
   * `tateChuYoko` half-width digits) become one upright em, emphasis dots are sesame dots (﹅).
   * The rules along the column are otherwise the same (JLREQ §3.1: kinsoku does not depend on direction).
   */
  vertical?: { tateChuYoko: number };
  /**
   * Break between phrases (文節), with words as ICU's dictionary segments Japanese (Intl.Segmenter): for a
   * heading or title, where a break inside a word (「記／念」) reads badly. The other breaks are priced
   * (wordBreakPrices), so a word longer than the line is still broken, where that costs least.
   */
  keepWords?: boolean;
  /**
   * Break only after a full-width space the author typed, which vanishes at the break: a sender or a
   * title written in parts (株式会社組版工房　代表取締役社長　佐藤花子) wraps at its parts. A part longer than
   * the line makes a forced line: the caller composes again without it.
   */
  breakAtSpaces?: boolean;
  /**
   * Lines are not stretched to the measure: text aligned to one edge or centred (a title, a recipient, a
   * contents entry) is set ragged, its lines broken as justified ones would be; a Western word space stays a
   * word space, not a gap.
   */
  ragged?: boolean;
}

export type { AdjustmentPolicy };

export interface PositionedGlyph {
  font: FontRole;
  id: number;
  /** Inline offset of the glyph origin from the line start, in em. */
  x: number;
  /** Text for the text layer ('' when this glyph continues the previous one). */
  text: string;
  /** For a punctuation glyph whose ink is in its first half: its body and full advance (see ShapedGlyph). */
  narrow?: NarrowGlyph;
  /** A glyph of a tate-chu-yoko run, drawn across the column (vertical text only). */
  tateChuYoko?: TateChuYoko;
  /**
   * Vertical text only: a Western glyph the font has no rotated form for (an en or em dash, À, ©), drawn
   * turned 90° clockwise down the column, as vrt2 turns the others (text/vertical.ts).
   */
  sideways?: true;
  /** A quotation mark in Western use: turned with its word in a column (ShapedGlyph.turnsWithWord). */
  turnsWithWord?: true;
}

/**
 * How a line was justified: 'letterspaced' means space had to go inside a word (a last resort, with a
 * warning); 'short' means a single unbreakable unit that could not be made flush.
 */
export type LineAdjustment = 'natural' | 'shrunk' | 'stretched' | 'letterspaced' | 'short';

export interface ComposedLine {
  /** Cluster range [start, end) of the paragraph. */
  start: number;
  end: number;
  /** The line's text, for tests and messages. */
  text: string;
  glyphs: PositionedGlyph[];
  /** Where the line ends, in em, line-end space included (equals the measure for justified lines). */
  width: number;
  /** Where the last character's body ends, in em, without line-end space (for centring a line). */
  contentWidth: number;
  /** How far a hanging 、。 passes the measure, in em (0 when nothing hangs). */
  hanging: number;
  adjustment: LineAdjustment;
  /** Ruby and emphasis dots of the line (ruby.ts), when it has any. */
  annotations?: AnnotationGlyph[];
  /**
   * The line's ruby, for a tagged PDF (Ruby → RB, RT): each base's glyphs [baseStart, baseEnd) in `glyphs`
   * and its reading's [rubyStart, rubyEnd) in `annotations`, in reading order (a jukugo: one per character).
   */
  rubies?: LineRuby[];
  /** A word longer than the line had to be broken here. */
  forced: boolean;
  isLast: boolean;
}

export interface LineRuby {
  baseStart: number;
  baseEnd: number;
  rubyStart: number;
  rubyEnd: number;
  reading: string;
}

export interface ComposedParagraph {
  lines: ComposedLine[];
  clusters: string[];
  warnings: string[];
  /** What the chosen breaks were priced at, in all (breaks inside a long number, a URL, a word kept whole). */
  breakPrice: number;
}

/** The first e > s whose line [s, e) is at least `width` em at natural width (n when none is). */
function firstWithin(p: Prepared, s: number, lead: number, width: number): number {
  let lo = s + 1;
  let hi = p.clusters.length;
  if (lo >= hi) return lo;
  const reaches = (e: number) => naturalWidth(p, s, e, lead) >= width;
  // Most clusters are about an em wide: look there first and gallop outwards to bracket the answer,
  // a few widths instead of a bisection over the rest of the paragraph. (Same answer: widths only grow.)
  const guess = Math.min(hi - 1, Math.max(lo, s + Math.floor(width - lead)));
  if (reaches(guess)) {
    hi = guess;
    for (let step = 1; hi - step >= lo; step *= 2) {
      if (!reaches(hi - step)) {
        lo = hi - step + 1;
        break;
      }
      hi -= step;
    }
  } else {
    lo = guess + 1;
    for (let step = 1; lo + step - 1 < hi; step *= 2) {
      const t = lo + step - 1;
      if (reaches(t)) {
        hi = t;
        break;
      }
      lo = t + 1;
    }
  }
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (naturalWidth(p, s, mid, lead) >= width) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Where a word that must be broken (a URL, a path) breaks best: after one of these. */
const URL_SEPARATORS = new Set(['/', '-', '.', '_', '?', '&', '=', '#', ':', '@', '~', ',', '+']);

/**
 * May a URL, path or e-mail address break before clusters[k]: after a separator, never between two
 * (https:/|/)? Not before one, as the Chicago Manual of Style would have it for - . , : JLREQ keeps hyphens
 * (cl-03), full stops (cl-06) and commas (cl-07) from starting a line, and that holds in a URL too.
 */
const urlBreakAt = (clusters: readonly string[], k: number) =>
  URL_SEPARATORS.has(clusters[k - 1]!) && !URL_SEPARATORS.has(clusters[k] ?? '');

/**
 * How a tate-chu-yoko run is composed: as an ideograph (JLREQ §3.2.4: it stands in the column like a kanji),
 * but ! and ? set across the column as the full-width ！ they stand for (cl-04: never at a column head, §3.1.7).
 */
const IDEOGRAPH_INFO = charInfo('\u5b57');
const EXCLAMATION_INFO = charInfo('\uff01');
const tateChuYokoInfo = (run: string) => (/^[!?]+$/.test(run) ? EXCLAMATION_INFO : IDEOGRAPH_INFO);

/** Tolerance for "fits", in em: far below anything visible, above floating-point noise. */
const EPS = 1e-6;

interface Prepared {
  clusters: string[];
  classes: CharClass[];
  shaped: ShapedCluster[];
  /** Width of each cluster's body (0 for a word space: its width lives in the following gap). */
  width: Float64Array;
  /** gaps[i]: space components between cluster i-1 and i (gaps[0] unused). */
  gaps: (readonly SpaceComponent[])[];
  gapNatural: Float64Array;
  gapStretch: Uint8Array;
  breakOk: boolean[];
  /**
   * nextBreak[i]: the first position from i on where a break is allowed (breakOk), n at most. Lets the
   * search skip a long run without breaks (a word of thousands of letters) in one step.
   */
  nextBreak: Int32Array;
  /**
   * What a break costs on top of its line, where it is allowed only at a price: inside a long run of
   * full-width letters and digits, or a URL (pricedBreaks). Undefined when the paragraph has no such place.
   */
  breakPenalty?: Float64Array;
  /** Spaces that take no room at a line end (word spaces; an ideographic space after ？！). */
  collapsible: Uint8Array;
  /** Western punctuation and symbols (CharInfo.mark): no space is added next to them. */
  mark: Uint8Array;
  /** inseparable[i]: clusters i - 1 and i are one unbreakable sequence (a number, a word: JLREQ §3.1.10). */
  inseparable: Uint8Array;
  /**
   * Prefix sums over clusters (widthSum[i] = Σ width[0..i-1]) and over gaps (gapSum[k] = Σ gapNatural[1..k];
   * the others likewise), so that any line's figures are a subtraction away.
   */
  widthSum: Float64Array;
  gapSum: Float64Array;
  /** How much each reduction priority of JLREQ Table 3 may take: word spaces, middle dots, brackets and commas, 和欧間. */
  shrinkWord: Float64Array;
  shrinkDot: Float64Array;
  shrinkBracket: Float64Array;
  shrinkWestern: Float64Array;
  /** How far word spaces and 和欧間 may grow before their limit (STRETCH_MAX), and how many there are. */
  wordRoom: Float64Array;
  wordCount: Float64Array;
  westernRoom: Float64Array;
  /** Places where letter spacing may be added (JIS X 4051 Table 6). */
  letterCount: Float64Array;
  /** The space each cluster keeps after it at a line end, and how much of that may go (lineEndSpace). */
  endAmount: Float64Array;
  endShrinkable: Float64Array;
  /** Ruby and emphasis: base insets and annotation glyphs (only when the paragraph has marks). */
  annotations?: PreparedAnnotations;
}

/** The reduction priorities that act inside a line, in JLREQ Table 3 order (the line end is priority 2). */
type MidLineShrink = Shrink.WordSpace | Shrink.MiddleDot | Shrink.BracketComma | Shrink.JapaneseWestern;
const MID_LINE_SHRINKS: readonly MidLineShrink[] = [Shrink.WordSpace, Shrink.MiddleDot, Shrink.BracketComma, Shrink.JapaneseWestern];
function shrinkSumOf(p: Prepared, pri: MidLineShrink): Float64Array {
  switch (pri) {
    case Shrink.WordSpace:
      return p.shrinkWord;
    case Shrink.MiddleDot:
      return p.shrinkDot;
    case Shrink.BracketComma:
      return p.shrinkBracket;
    default:
      return p.shrinkWestern;
  }
}
const WORD_SPACE_MAX = STRETCH_MAX[Stretch.WordSpace];
const WESTERN_MAX = STRETCH_MAX[Stretch.JapaneseWestern];
const LETTER_MAX = STRETCH_MAX[Stretch.Letter];

const IDEOGRAPHIC_SPACE = '\u3000';

/** Made on first use: building ICU's Japanese word dictionary takes some milliseconds. */
let wordSegmenter: Intl.Segmenter | undefined;

/**
 * The breaks a title kept by words (keepWords) avoids, with their prices (WordBreakPrice; 0 where a break
 * costs nothing more): inside a word (ICU's Japanese word segmentation), and before a word that starts
 * with hiragana: ICU makes particles, endings and auxiliaries words of their own (見出し|が, 組ま|れる),
 * and a line that starts with one breaks a phrase (文節), not between two — unless the word is a
 * conjunction (および, または) or an honorific prefix (ご報告), which start one. Nor between the two verbs
 * of a compound (折り|返す, 取り|組む, 受け|取る), which ICU splits: a kanji with the okurigana of a 連用形
 * (an i- or e-row kana, not the particles に で て へ) before a kanji; nor after a number, inside a kanji
 * numeral, after an honorific prefix or after 第; nor after a prenominal (その|反響); nor inside a short
 * bracketed phrase; and between two kanji words (生徒|数, 増|改築: often parts of one compound noun) only at
 * a price — but freely after a legal form or before one (国立研究開発法人|産業技術総合研究所, 組版工房|株式会社),
 * where a name's parts divide. The prices add up: the worst break is one inside a word inside brackets.
 */
function wordBreakPrices(
  text: string,
  clusters: readonly string[],
  classes: readonly CharClass[],
  breakOk: readonly boolean[],
): Float64Array {
  wordSegmenter ??= new Intl.Segmenter('ja', { granularity: 'word' });
  const boundaries = new Set<number>();
  const phraseStarts = new Set<number>();
  /** Boundaries at a legal form (法人／, 会社／, ／株式会社): where a name's parts divide. */
  const nameParts = new Set<number>();
  /** Boundaries after a prenominal or a conjunction (その／反響, または／臨時): they belong to what follows. */
  const afterPrenominal = new Set<number>();
  for (const { index, segment } of wordSegmenter.segment(text)) {
    boundaries.add(index);
    if (CONJUNCTIONS.has(segment) || PRENOMINALS.has(segment)) phraseStarts.add(index);
    if (segment === '法人' || segment.endsWith('会社')) nameParts.add(index + segment.length);
    if (segment.endsWith('会社')) nameParts.add(index);
    if (PRENOMINALS.has(segment) || CONJUNCTIONS.has(segment)) afterPrenominal.add(index + segment.length);
  }
  const n = clusters.length;
  const price = new Float64Array(n + 1);
  let offset = 0;
  for (let i = 1; i < n; i++) {
    offset += clusters[i - 1]!.length;
    if (!breakOk[i]) continue;
    const a = clusters[i - 1]!;
    const b = clusters[i]!;
    const afterKanji = isIdeograph(a.codePointAt(0)!);
    const beforeKanji = isIdeograph(b.codePointAt(0)!);
    const compoundVerb = i >= 2 && CONTINUATIVE_OKURIGANA.has(a) && isIdeograph(clusters[i - 2]!.codePointAt(0)!) && beforeKanji;
    // A number and its counter or unit (２５／年, 2004／年), the parts of a kanji numeral (二十／五), the
    // honorific prefix and its word (ご／報告, お／知らせ) and 第 and its number (第／３章) are one phrase too.
    const numberAndCounter = (isDigit(a.codePointAt(0)!) || KANJI_NUMERALS.has(a)) && beforeKanji;
    const honorific = isHonorificPrefix(clusters, i - 1);
    const ordinal = a === '第' && (isDigit(b.codePointAt(0)!) || KANJI_NUMERALS.has(b));
    if (!boundaries.has(offset) || compoundVerb || numberAndCounter || honorific || ordinal) price[i] = WordBreakPrice.Inside;
    else if (
      (isHiraganaBlock(b.codePointAt(0)!) && !phraseStarts.has(offset) && !isHonorificPrefix(clusters, i)) ||
      afterPrenominal.has(offset)
    )
      price[i] = WordBreakPrice.BeforeParticle;
    // Between kanji words, and after a middle dot joining two names (北海道・|東北): inside a compound.
    else if (((afterKanji && beforeKanji) || a === '・') && !nameParts.has(offset)) price[i] = WordBreakPrice.BetweenKanjiWords;
  }
  priceShortBrackets(classes, breakOk, price);
  return price;
}

/** ご or お before a kanji (ご報告, お知らせ): the prefix of the word after it. */
const isHonorificPrefix = (clusters: readonly string[], k: number) =>
  (clusters[k] === 'ご' || clusters[k] === 'お') && k + 1 < clusters.length && isIdeograph(clusters[k + 1]!.codePointAt(0)!);

/** Prenominals (連体詞): they start a phrase (と／その反響), and a line does not end with one (その／反響). */
const PRENOMINALS = new Set(['この', 'その', 'あの', 'どの', '我が']);

/** Conjunctions written in hiragana: a line may start with one (式典／および祝賀会), as with any phrase, and ends with one only at a price. */
const CONJUNCTIONS = new Set([
  'および',
  'また',
  'または',
  'ならびに',
  'もしくは',
  'あるいは',
  'かつ',
  'そして',
  'しかし',
  'さらに',
  'ただし',
  'なお',
]);

/** The longest bracketed phrase (its letters, without the brackets) that a title keeps on one line. */
const SHORT_BRACKETED = 10;

/**
 * A short phrase in brackets (「私の夢」, 『百年のあゆみ』, （日本語教育の現在）) is named as one thing: a title
 * breaks inside it only where it is longer than the line, and then between its words. A longer one (a
 * quoted sentence) breaks between its words as any text.
 */
function priceShortBrackets(classes: readonly CharClass[], breakOk: readonly boolean[], price: Float64Array): void {
  const open: number[] = [];
  for (let i = 0; i < classes.length; i++) {
    if (classes[i] === 'cl-01') open.push(i);
    else if (classes[i] === 'cl-02' && open.length > 0) {
      const from = open.pop()!;
      if (i - from - 1 <= SHORT_BRACKETED)
        for (let k = from + 1; k <= i; k++) if (breakOk[k]) price[k] = price[k]! + WordBreakPrice.InBrackets;
    }
  }
}

/** The word prices (wordBreakPrices) as break penalties, where no other price is higher. */
function priceWordBreaks(prices: Float64Array, penalty: Float64Array | undefined): Float64Array | undefined {
  for (let i = 1; i < prices.length; i++) if (prices[i]! > 0) penalty = raisePrice(penalty, prices.length - 1, i, prices[i]!);
  return penalty;
}

/** The break penalties of a paragraph of n clusters (made on first use), the one at k raised to `price` at least. */
function raisePrice(penalty: Float64Array | undefined, n: number, k: number, price: number): Float64Array {
  const out = penalty ?? new Float64Array(n + 1);
  out[k] = Math.max(out[k]!, price);
  return out;
}

/**
 * Is the cluster at i a full-width comma or full stop inside a number — a thousands separator (１，２００,
 * three digits after it) or a decimal point (６．５)? JIS X 4051 sets such a mark (連数字中の句読点) half an
 * em wide, with no space after it. A comma with another count of digits after it is a 読点 between numbers
 * (２，３日: two or three days) and keeps its space.
 */
function isNumberPunctuation(infos: readonly CharInfo[], clusters: readonly string[], i: number): boolean {
  const c = clusters[i];
  if ((c !== '\uff0c' && c !== '\uff0e') || !infos[i - 1]?.digit || !infos[i + 1]?.digit) return false;
  if (c === '\uff0e') return true;
  let digits = 0;
  while (infos[i + 1 + digits]?.digit) digits++;
  return digits === 3;
}

const KANJI_NUMERALS = new Set([...'〇一二三四五六七八九十百千万億兆']);
/** Okurigana that end a verb's 連用形 (折り, 取り, 受け, 見え), without the particles に で て へ. */
const CONTINUATIVE_OKURIGANA = new Set([...'いきぎしじちぢひびぴみりえけげせぜねべぺめれ']);

function prepare(
  text: string,
  face: FontFace,
  mode: LineBreakMode,
  marks: readonly MarkedRange[] | undefined,
  vertical: ParagraphSettings['vertical'],
  keep: Pick<ParagraphSettings, 'keepWords' | 'breakAtSpaces' | 'ragged'>,
): Prepared {
  // In a vertical column a tate-chu-yoko run is one cluster, composed as an ideograph (JLREQ §3.2.4).
  const tcy = vertical ? mergeTateChuYoko(toClusters(text), marks, vertical.tateChuYoko) : undefined;
  const clusters = tcy ? tcy.clusters : toClusters(text);
  const n = clusters.length;
  const infos = clusters.map((c, k) => (tcy?.merged[k] ? tateChuYokoInfo(c) : charInfo(c)));
  charactersInWesternUse(infos);
  const classes = infos.map((info) => info.cls);
  const { breakOk, inseparable } = analyzeBreaks(infos, mode);
  // Prices read off the breaks as the line-break rules allow them, before pricedBreaks adds some.
  const wordPrices = keep.keepWords ? wordBreakPrices(text, clusters, classes, breakOk) : undefined;
  let breakPenalty = priceCounterBreaks(clusters, infos, breakOk, pricedBreaks(clusters, infos, breakOk));
  if (wordPrices) breakPenalty = priceWordBreaks(wordPrices, breakPenalty);
  // Last, so that no rule above allows another break: only after the spaces the author typed.
  if (keep.breakAtSpaces) for (let i = 1; i < n; i++) breakOk[i] = breakOk[i]! && clusters[i - 1] === IDEOGRAPHIC_SPACE;
  // In a field set ragged (a sender, a title) a full-width space the author typed between its parts is a
  // word space: a break comes after it, and it takes no room at the line end, never indenting the next line.
  if (keep.ragged) for (let i = 1; i < n; i++) if (clusters[i] === IDEOGRAPHIC_SPACE) breakOk[i] = false;
  const shaped = shapeClusters(clusters, face, classes);
  if (tcy) for (let k = 0; k < n; k++) if (tcy.merged[k]) shaped[k] = tateChuYokoCluster(shaped[k]!);
  const width = new Float64Array(n);
  const gaps: (readonly SpaceComponent[])[] = new Array(n);
  const gapNatural = new Float64Array(n + 1);
  const gapStretch = new Uint8Array(n + 1);
  // Spaces that vanish at a line end: Western word spaces, and the ideographic space written after
  // ？ or ！ to end a sentence (JLREQ §3.1.6: at a line end it is dropped and the next line starts flush),
  // or between the parts of a field set ragged (a sender, a title).
  // Their width lives in the gap after them, which a break discards.
  const collapsible = new Uint8Array(n);
  const mark = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    mark[i] = infos[i]!.mark ? 1 : 0;
    collapsible[i] =
      classes[i] === 'cl-26' ||
      (classes[i] === 'cl-14' &&
        ((i > 0 && classes[i - 1] === 'cl-04') || ((keep.breakAtSpaces || keep.ragged) && clusters[i] === IDEOGRAPHIC_SPACE)))
        ? 1
        : 0;
    width[i] = collapsible[i] ? 0 : shaped[i]!.width;
  }
  // Ruby bases widened where their reading is longer, and never broken (JLREQ §3.3).
  const annotations =
    marks && marks.length > 0
      ? prepareAnnotations(marks, clusters, classes, mark, width, breakOk, face, vertical ? SESAME_DOT : BULLET_DOT)
      : undefined;
  // Per gap g (1 ≤ g < n) its natural width, kind of expansion and reducible amounts, accumulated at once
  // into the prefix sums X[g] = Σ x[1..g] (gap 0 does not exist).
  const gapSum = new Float64Array(n + 1);
  const shrinkWord = new Float64Array(n + 1);
  const shrinkDot = new Float64Array(n + 1);
  const shrinkBracket = new Float64Array(n + 1);
  const shrinkWestern = new Float64Array(n + 1);
  const wordRoom = new Float64Array(n + 1);
  const wordCount = new Float64Array(n + 1);
  const westernRoom = new Float64Array(n + 1);
  const letterCount = new Float64Array(n + 1);
  // The running sums live in locals, and a zero term is not added: most gaps (between two ideographs)
  // are empty, and in a fresh process this loop runs interpreted, where every addition of fractions
  // allocates a number and every read of a Float64Array element another. (x + 0 is x: the sums are the same.)
  let sumGap = 0;
  let sumWord = 0;
  let sumDot = 0;
  let sumBracket = 0;
  let sumWestern = 0;
  let sumWordRoom = 0;
  let sumWordCount = 0;
  let sumWesternRoom = 0;
  let sumLetterCount = 0;
  gaps[0] = [];
  for (let i = 1; i < n; i++) {
    const a = classes[i - 1]!;
    const b = classes[i]!;
    const markBefore = mark[i - 1] === 1;
    const markAfter = mark[i] === 1;
    // A full-width comma or full stop inside a number (１，２００, ６．５) is half an em, set solid.
    const shared = isNumberPunctuation(infos, clusters, i - 1) ? NO_SPACE : defaultSpace(a, b, markBefore, markAfter); // shared between gaps: never modified
    const comps =
      a === 'cl-26'
        ? [wordSpace(shaped[i - 1]!.width), ...shared]
        : collapsible[i - 1]
          ? [{ amount: shaped[i - 1]!.width, shrink: Shrink.Fixed, floor: shaped[i - 1]!.width }, ...shared]
          : shared;
    gaps[i] = comps;
    let stretch = Stretch.None;
    if (comps.length > 0) {
      let nat = 0;
      let word = 0;
      let dot = 0;
      let bracket = 0;
      let western = 0;
      for (let k = 0; k < comps.length; k++) {
        const c = comps[k]!;
        nat += c.amount;
        const room = c.amount - c.floor;
        switch (c.shrink) {
          case Shrink.WordSpace:
            word += room;
            stretch = Stretch.WordSpace;
            break;
          case Shrink.MiddleDot:
            dot += room;
            break;
          case Shrink.BracketComma:
            bracket += room;
            break;
          case Shrink.JapaneseWestern:
            western += room;
            if (stretch === Stretch.None) stretch = Stretch.JapaneseWestern;
            break;
        }
      }
      gapNatural[i] = nat;
      if (nat !== 0) sumGap += nat;
      if (word !== 0) sumWord += word;
      if (dot !== 0) sumDot += dot;
      if (bracket !== 0) sumBracket += bracket;
      if (western !== 0) sumWestern += western;
      if (stretch === Stretch.WordSpace) {
        sumWordRoom += Math.max(0, WORD_SPACE_MAX - nat);
        sumWordCount++;
      } else if (stretch === Stretch.JapaneseWestern) sumWesternRoom += Math.max(0, WESTERN_MAX - nat);
    }
    // Letter spacing, not next to Western punctuation either: おめでとう! is set solid however the line is
    // expanded, as ！ would be (JIS X 4051 Table 6 has no expansion next to dividing punctuation).
    if (stretch === Stretch.None && !markBefore && !markAfter) {
      if (letterSpacingAllowed(a, b, inseparable[i] === 1)) {
        stretch = Stretch.Letter;
        sumLetterCount++;
      }
    }
    gapStretch[i] = stretch;
    gapSum[i] = sumGap;
    shrinkWord[i] = sumWord;
    shrinkDot[i] = sumDot;
    shrinkBracket[i] = sumBracket;
    shrinkWestern[i] = sumWestern;
    wordRoom[i] = sumWordRoom;
    wordCount[i] = sumWordCount;
    westernRoom[i] = sumWesternRoom;
    letterCount[i] = sumLetterCount;
  }
  const endAmount = new Float64Array(n);
  const endShrinkable = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const end = lineEndSpace(classes[i]!);
    if (end) {
      endAmount[i] = end.amount;
      endShrinkable[i] = end.amount - end.floor;
    }
  }
  const widthSum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) widthSum[i + 1] = widthSum[i]! + width[i]!;
  const nextBreak = new Int32Array(n + 1);
  nextBreak[n] = n;
  for (let i = n - 1; i >= 0; i--) nextBreak[i] = breakOk[i] ? i : nextBreak[i + 1]!;
  return {
    clusters,
    classes,
    shaped,
    width,
    gaps,
    gapNatural,
    gapStretch,
    breakOk,
    nextBreak,
    ...(breakPenalty ? { breakPenalty } : {}),
    collapsible,
    mark,
    inseparable,
    widthSum,
    gapSum,
    shrinkWord,
    shrinkDot,
    shrinkBracket,
    shrinkWestern,
    wordRoom,
    wordCount,
    westernRoom,
    letterCount,
    endAmount,
    endShrinkable,
    ...(annotations ? { annotations } : {}),
  };
}

/** Σ of a gap prefix sum over the gaps s+1..k of a line whose last inked cluster is k. */
function over(sum: Float64Array, s: number, k: number): number {
  return k > s ? sum[k]! - sum[s]! : 0;
}

/**
 * The natural width of a line [s, e) without its line end, in em: bodies and every gap inside (what grows
 * with e, for firstWithin). See inkedWidth for the width a line takes when set.
 */
function naturalWidth(p: Prepared, s: number, e: number, lead: number): number {
  return lead + p.widthSum[e]! - p.widthSum[s]! + over(p.gapSum, s, e - 1);
}

/** The last cluster of [s, e) that is not a collapsible space (those are dropped at a break). */
function lastInk(p: Prepared, s: number, e: number): number {
  let k = e - 1;
  while (k > s && p.collapsible[k]) k--;
  return k;
}

function isHangable(cls: CharClass): boolean {
  return cls === 'cl-06' || cls === 'cl-07';
}

interface LinePlan {
  end: number;
  /** Index of the cluster that hangs past the measure, or -1. */
  hangIndex: number;
  forced: boolean;
}

/** Leading space of a line: the first-line indent and the line-head space (JLREQ §3.1.5). */
function leadOf(p: Prepared, s: number, first: boolean, settings: ParagraphSettings): number {
  const cls = p.classes[s]!;
  // A ruby base at the line head whose reading was to overhang the kana before it: room for that part.
  const ruby = p.annotations ? rubyHeadRoom(p.annotations, s) : 0;
  if (first) {
    if (cls === 'cl-01' || cls === 'cl-28') {
      // The bracket's own aki is dropped at the line head; the convention decides the indent.
      if (settings.openingBracketIndent === 'half') return 0.5;
      if (settings.openingBracketIndent === 'none') return 0;
    }
    return settings.indent + Math.max(lineHeadSpace(cls), ruby);
  }
  return Math.max(lineHeadSpace(cls), ruby);
}

/** Receives each candidate line from a position: where it ends, what hangs, whether forced, its cost. */
type Consider = (end: number, hangIndex: number, forced: boolean, cost: number) => void;

/*
 * Line costs: how far the line's look is from natural, in JLREQ's order of priority (§3.8, Table 3 for
 * reduction, JIS X 4051 Table 6 for expansion).
 * - Expansion is judged by how wide the widened spaces become — the same everywhere in the line, so one
 *   figure per kind: weight × 100ρ³, ρ being how far that kind went towards its limit (the form of TeX's
 *   badness). Word spaces and 和欧間 grow first and cheaply; letter spacing between kana and kanji comes
 *   last, and beyond ¼ em (the last resort) costs steeply more.
 * - Reduction is judged by how many marks look squeezed and how hard: for each priority, weight ×
 *   (marks' worth of space taken) × (fraction of the available space taken). One comma set solid costs
 *   as much as two commas each halved; four commas set solid cost sixteen times one comma a quarter
 *   squeezed. Word spaces give first (Table 3 priority 1), then the space after a mark at the line end
 *   (priority 2, all or nothing, no mark looks squeezed), then middle dots, brackets and commas, 和欧間.
 * The policy then adds a fixed price to pushing in (追い込み, any reduction inside the line) or to pushing
 * out (追い出し, any expansion): with 'pushIn' (JLREQ §3.8.2's preference, the default) a line is pushed in
 * while that squeezes about one mark's worth of space; beyond that, spacing the letters slightly is
 * preferred. With 'pushOut' a line is pushed out unless that would space its letters visibly.
 */
const badness = (rho: number) => 100 * rho * rho * rho;
/**
 * Reduction weights. A mark's worth of squeezing (one comma or bracket set solid, one ・ with both its
 * quarters gone) costs 9 — with the line end's 0.5, just under a push-out whose letter spacing no reader
 * sees (10 + ~0.1): so pushIn keeps the push-ins of the 2017 letter (tests/e2e/golden.test.ts). One and a
 * half marks' worth (two ・ squeezed to 0.04 em a side: ~12.7) already costs more than spacing the
 * letters by 0.07 em (~12.2), the issue's example; four commas set solid (36) far more.
 */
const SHRINK_WEIGHT: Record<MidLineShrink, number> = {
  [Shrink.WordSpace]: 0.25,
  [Shrink.MiddleDot]: 9,
  [Shrink.BracketComma]: 9,
  [Shrink.JapaneseWestern]: 9,
};
/** The space one mark of each priority has to give (its "worth"), in em. */
const MARK_WORTH: Record<MidLineShrink, number> = {
  [Shrink.WordSpace]: 1,
  [Shrink.MiddleDot]: 0.5, // ¼ em each side
  [Shrink.BracketComma]: 0.5,
  [Shrink.JapaneseWestern]: 0.125,
};
/** Removing the ½ em after a mark at the line end (all or nothing, Table 3 priority 2): no mark looks squeezed. */
const LINE_END_REMOVAL = 0.5;
/**
 * Expansion weights: word spaces and 和欧間 at their ½ em limit cost 5 and 10 — they come first in JIS X
 * 4051 Table 6 and a reader barely sees them — letter spacing at its ¼ em limit 100.
 */
const WORD_SPACE_STRETCH = 0.05;
const WESTERN_STRETCH = 0.1;
const LETTER_STRETCH = 1;
/** Letter spacing beyond ¼ em (or word spaces beyond ½ em): JIS X 4051's last resort. */
const LAST_RESORT = 50;
/** A line that could only be made flush by spacing inside a word. */
const UNJUSTIFIABLE = 1e5;
/** The fixed price of pushing in (any mid-line reduction) and of pushing out (any expansion), per policy. */
const POLICY: Record<AdjustmentPolicy, { pushIn: number; pushOut: number }> = {
  pushIn: { pushIn: 0, pushOut: 10 },
  pushOut: { pushIn: 10, pushOut: 0 },
};
/** A hanging 、。 (JLREQ §3.8.3): preferred to a push-out, not to a line that fits. */
const HANGING = 2;
/**
 * Stretched lines costing more than this — letter spacing past ⅓ em, where kana and kanji read as spaced
 * out (LETTER_SPACED) — are tried only as the fullest line from a position; every line below is a
 * candidate, so that a slightly loose line can spare the next one a bad adjustment.
 */
const LOOSE_TOLERANCE =
  10 + WORD_SPACE_STRETCH * badness(1) + WESTERN_STRETCH * badness(1) + LAST_RESORT + LETTER_STRETCH * badness(1 / 3 / 0.25);

/** Cost of expanding the gaps s+1..k by `need` em (no policy price): word spaces, 和欧間, then letters. */
function stretchBadness(p: Prepared, s: number, k: number, need: number): number {
  let d = need;
  let cost = 0;
  const wordRoom = over(p.wordRoom, s, k);
  if (wordRoom > EPS) {
    const t = Math.min(d, wordRoom);
    cost += WORD_SPACE_STRETCH * badness(t / wordRoom);
    d -= t;
  }
  const westernRoom = over(p.westernRoom, s, k);
  if (d > EPS && westernRoom > EPS) {
    const t = Math.min(d, westernRoom);
    cost += WESTERN_STRETCH * badness(t / westernRoom);
    d -= t;
  }
  if (d <= EPS) return cost;
  const letters = over(p.letterCount, s, k);
  const words = over(p.wordCount, s, k);
  if (letters > 0 && d <= LETTER_MAX * letters + EPS) return cost + LETTER_STRETCH * badness(d / letters / LETTER_MAX);
  if (letters + words === 0) return cost + UNJUSTIFIABLE;
  const { letter, word, left } = lastResort(d - LETTER_MAX * letters, letters, words);
  // Priced as if the letters took what is left too: spread over the other places it reads no better.
  const spaced = letter + (letters > 0 ? left / letters : 0);
  return cost + LAST_RESORT + LETTER_STRETCH * badness((LETTER_MAX + spaced) / LETTER_MAX) + LAST_RESORT * word;
}

/**
 * Letter spacing past which kana and kanji read as spaced out rather than set: a third of an em (三分アキ)
 * between bodies.
 */
const LETTER_SPACED = 1 / 3;

/**
 * The last resort (JIS X 4051 Table 6, step 4): what is left after every space reached its limit is
 * spread equally over the places between letters and the word spaces — but letters are not pulled
 * further apart than LETTER_SPACED while word spaces can take the rest. Returns what each letter place
 * and each word space get, in em, on top of their limits, and what neither takes (`left`: with no word
 * space, spread by justify over the line's other places, never a hole between two kana).
 */
function lastResort(rest: number, letters: number, words: number): { letter: number; word: number; left: number } {
  const even = rest / (letters + words);
  const cap = LETTER_SPACED - LETTER_MAX;
  if (even <= cap) return { letter: even, word: words > 0 ? even : 0, left: 0 };
  if (words === 0) return { letter: cap, word: 0, left: rest - cap * letters };
  return { letter: cap, word: (rest - cap * letters) / words, left: 0 };
}

/**
 * Cost of reducing a line (gaps s+1..k, its last inked cluster k, and that cluster's line-end space when
 * `lineEnd`) by `need` em in JLREQ Table 3 order; Infinity when it cannot be reduced that far.
 */
function shrinkBadness(p: Prepared, s: number, k: number, need: number, lineEnd: boolean, pushInPrice: number): number {
  let d = need;
  let cost = 0;
  const words = over(p.shrinkWord, s, k);
  let fromWords = Math.min(d, words);
  d -= fromWords;
  let overshoot = 0;
  const end = lineEnd ? p.endShrinkable[k]! : 0;
  if (d > EPS && end > EPS) {
    cost += LINE_END_REMOVAL;
    d -= end;
    if (d < 0) {
      // All or nothing overshot: the word spaces give back first, anything left is expanded again.
      const back = Math.min(-d, fromWords);
      fromWords -= back;
      overshoot = -d - back;
      d = 0;
    }
  }
  let midLine = fromWords > EPS;
  if (fromWords > EPS) cost += SHRINK_WEIGHT[Shrink.WordSpace] * badness(fromWords / words);
  for (let i = 1; i < MID_LINE_SHRINKS.length && d > EPS; i++) {
    const pri = MID_LINE_SHRINKS[i]!;
    const avail = over(shrinkSumOf(p, pri), s, k);
    if (avail <= EPS) continue;
    const t = Math.min(d, avail);
    cost += SHRINK_WEIGHT[pri] * (t / MARK_WORTH[pri]) * (t / avail);
    d -= t;
    midLine = true;
  }
  if (d > EPS) return Infinity;
  if (midLine) cost += pushInPrice;
  if (overshoot > EPS) cost += stretchBadness(p, s, k, overshoot);
  return cost;
}

/** What a line's cost depends on besides the line itself: the measure, the policy's prices, the paragraph's end. */
interface CostContext {
  measure: number;
  pushIn: number;
  pushOut: number;
  /** Index of the paragraph's end when its last line is not justified, else -1. */
  ragged: number;
  /** Lines are not stretched (ParagraphSettings.ragged): a short one costs only its shortfall. */
  raggedLines: boolean;
}

/**
 * Cost of setting the line [s, e), whose last inked cluster is k, flush to the measure, given its natural
 * width (line end included).
 */
function lineCost(p: Prepared, s: number, k: number, e: number, natural: number, c: CostContext): number {
  const need = c.measure - natural;
  if (need >= -EPS) {
    // The paragraph's last line is never expanded.
    if (e === c.ragged) return s > 0 && isRunt(p, s, e) ? RUNT_LINE : 0;
    if (need <= EPS) return 0;
    if (c.raggedLines) return (RAGGED_SHORTFALL * need) / c.measure;
    return c.pushOut + stretchBadness(p, s, k, need);
  }
  return shrinkBadness(p, s, k, -need, true, c.pushIn);
}

/** Characters a paragraph's last line holds at least, besides the marks that may not start a line (。」、？). */
const RUNT_CHARACTERS = 2;

/** Does the line [s, e) hold fewer than RUNT_CHARACTERS characters, not counting 。」、？・ and spaces? */
function isRunt(p: Prepared, s: number, e: number): boolean {
  let letters = 0;
  for (let i = s; i < e && letters < RUNT_CHARACTERS; i++) if (!p.collapsible[i] && !NOT_A_LETTER.has(p.classes[i]!)) letters++;
  return letters < RUNT_CHARACTERS;
}
/** Marks that never start a line (JLREQ §3.1.7), and the word space: they do not make a line less of a runt. */
const NOT_A_LETTER: ReadonlySet<CharClass> = new Set(['cl-02', 'cl-04', 'cl-05', 'cl-06', 'cl-07', 'cl-29', 'cl-26']);

/**
 * The natural width of the line from s whose last inked cluster is k, with the space k keeps at a line end:
 * a word space (or the gap before one) left at a break takes no room.
 */
function inkedWidth(p: Prepared, s: number, k: number, lead: number): number {
  return lead + p.widthSum[k + 1]! - p.widthSum[s]! + over(p.gapSum, s, k) + p.endAmount[k]!;
}

/** The lines a paragraph could start at cluster s, with their costs (JLREQ §3.8 choices, and the last resort). */
function candidatesFrom(p: Prepared, s: number, lead: number, settings: ParagraphSettings, c: CostContext, considerLine: Consider): void {
  const n = p.clusters.length;
  // A break allowed at a price (inside a long full-width run) costs its line that much more.
  const penalty = p.breakPenalty;
  const consider: Consider = penalty ? (e, hang, forced, cost) => considerLine(e, hang, forced, cost + penalty[e]!) : considerLine;
  const measure = settings.measure;
  let count = 0;
  let fit = -1; // the fullest line that fits at natural width
  let fitCost = 0;
  let fitConsidered = false;
  let next = -1; // the first opportunity that does not
  const fits = (e: number, lineCost: number) => {
    // The tolerance is judged with the break's price: a loose line ending inside a run is looser still.
    const cost = lineCost + (penalty ? penalty[e]! : 0);
    if (e > fit) {
      fit = e;
      fitCost = cost;
      fitConsidered = cost <= LOOSE_TOLERANCE;
    }
    if (cost <= LOOSE_TOLERANCE) {
      considerLine(e, -1, false, cost);
      count++;
    }
  };
  // Where lines start to come within two ems of the measure, by bisection (widths only grow). Below it,
  // lines that fit are walked back from the fullest while their cost stays within the tolerance (each
  // step back needs a character's width more expansion, so the walk is short); above it, every line up
  // to the last that can be pushed in.
  const top = firstWithin(p, s, lead, measure - 2);
  for (let e = top - 1; e > s; e--) {
    if (!p.breakOk[e]) continue;
    const k = lastInk(p, s, e);
    const natural = inkedWidth(p, s, k, lead);
    if (natural > measure + EPS) continue;
    const cost = lineCost(p, s, k, e, natural, c);
    fits(e, cost);
    if (cost > LOOSE_TOLERANCE) break;
  }
  for (let e = top > n ? n + 1 : p.nextBreak[top]!; e <= n; e = e < n ? p.nextBreak[e + 1]! : n + 1) {
    const k = lastInk(p, s, e);
    const natural = inkedWidth(p, s, k, lead);
    if (natural <= measure + EPS) {
      // Setting solid or expanding (push-out, oidashi).
      fits(e, lineCost(p, s, k, e, natural, c));
      continue;
    }
    if (next === -1) next = e;
    let feasible = false;
    // Hanging punctuation, only where needed: the mark's body does not fit but everything before it does.
    const last = e - 1;
    if (settings.hangingPunctuation && isHangable(p.classes[last]!) && last > s) {
      const before = naturalWidth(p, s, last, lead) + p.gapNatural[last]!;
      if (before + p.width[last]! > measure + EPS && before - shrinkableOf(p, s, last - 1) <= measure + EPS) {
        const need = before - measure;
        const cost =
          need > EPS
            ? shrinkBadness(p, s, last - 1, need, false, c.pushIn)
            : need < -EPS
              ? c.pushOut + stretchBadness(p, s, last - 1, -need)
              : 0;
        consider(e, last, false, HANGING + cost);
        count++;
        feasible = true;
      }
    }
    // Push-in (oikomi): this opportunity fits once spacing is reduced in JLREQ's order. Not in ragged
    // lines: they are set solid (JLREQ §3.8 adjusts justified lines only), what does not fit is pushed out.
    const cost = settings.ragged ? Infinity : lineCost(p, s, k, e, natural, c);
    if (cost < Infinity) {
      consider(e, -1, false, cost);
      count++;
      feasible = true;
    }
    if (!feasible) break; // every later opportunity is wider still
  }
  if (fit !== -1 && !fitConsidered) {
    // Nothing that fits is within the tolerance: the fullest line, however loose.
    considerLine(fit, -1, false, fitCost);
    count++;
  }
  // A word longer than any line follows (or nothing fits): fill this line and break the word, as a last
  // resort, at the last cluster boundary that fits.
  const wordTooLong = next !== -1 && naturalWidth(p, Math.max(fit, s), next, 0) > measure + EPS;
  // The only line that fits is far too loose because a URL or path, or a long run of full-width letters
  // and digits (a member number: ＡＢＣ０１２３…), follows: break that instead. Full-width characters are
  // ideographic (JLREQ cl-19) and may break anywhere; kept whole only where that costs nothing (２０１７).
  const fullwidthRun = fit !== -1 && !fitConsidered && next !== -1 && isFullwidthRun(p, fit, next);
  const tooLoose = fullwidthRun || (fit !== -1 && !fitConsidered && next !== -1 && isPath(p, fit, next));
  if (count === 0 || wordTooLong || tooLoose) {
    let e = s + 1;
    while (e < n && naturalWidth(p, s, e + 1, lead) <= measure + EPS) e++;
    // In a URL or path, break at a separator near the end of the line rather than inside a name.
    let separator = false;
    for (let k = e; k > s + 1 && k > e - 12; k--) {
      if (urlBreakAt(p.clusters, k) && !p.breakOk[k]) {
        e = k;
        separator = true;
        break;
      }
    }
    // Two letters of a broken word at least go overleaf (…wo|rd, not …wor|d), as two stay on the line.
    if (!separator && e < n && e - 1 > s + 1) {
      let overleaf = 0;
      for (let k = e; k < p.nextBreak[e + 1]! && overleaf < 2; k++) if (!p.collapsible[k]) overleaf++;
      if (overleaf < 2) e--;
    }
    if (tooLoose && !wordTooLong && count > 0 && !separator && !fullwidthRun) return;
    // As costly as the loosest line tried: breaking the word is better than spacing the letters of this
    // line far apart to leave the whole word for a next line it will not fit either.
    consider(e, -1, true, LOOSE_TOLERANCE);
  }
}

/** The hyphens that divide a number (a telephone number, a postcode): full-width, and the half-width hyphen-minus. */
const NUMBER_HYPHENS = new Set(['\uff0d', '\u2010', '\u2212', '-']);
/** A character of such a number: a digit, or a full-width letter (ＡＢ－１２３４). */
const inNumber = (info: CharInfo) => info.digit || info.fullwidthAlnum;

/** Runs of full-width letters and digits at least this long may be broken to spare a line loose spacing. */
const FULLWIDTH_RUN_BREAKABLE = 5;
/** Characters of such a run kept together at either side of a break inside it (no lone Ａ or ９ on a line). */
const RUN_KEEP = 2;
/**
 * The price of breaking inside a run of full-width letters and digits, or inside a URL: that of a line
 * letter-spaced by 0.15 em. A compositor spaces a line a little to keep a member number or an address
 * whole, not a third of an em; between letters and digits (ＡＢＣ|０１２３), where the code itself
 * changes, half of it.
 */
const PRICED_BREAK = POLICY.pushIn.pushOut + LETTER_STRETCH * badness(0.15 / LETTER_MAX);
/** A break between a number and its counter (priceCounterBreaks): half a priced break, ~0.12 em of letter spacing. */
const COUNTER_BREAK = PRICED_BREAK / 2;
/** A break at a compound Western word's own hyphen (hyphenJoinsWords): as much. */
const WORD_HYPHEN_BREAK = PRICED_BREAK / 2;
/**
 * What a paragraph's last line of one character costs (す。, す。」 — a runt, left over from the line
 * before): as much as a priced break, so that the line before gives up a character spaced a little, or
 * takes it in by pushing in, rather than leave it alone — but not spaced out further (CSS Text's
 * `text-wrap: pretty` avoids such a line in Western text; a Japanese compositor does, too).
 */
const RUNT_LINE = PRICED_BREAK;

/**
 * What a title kept by words (keepWords) pays for a break (wordBreakPrices): between two kanji words (増|改築)
 * as much as a priced break; before a particle (の刊行) half as much again; inside a word (改|築, 第|３章)
 * twice as much; inside a short bracketed phrase twice as much, on top of the rest. A ragged line more
 * costs far less than any (RAGGED_SHORTFALL), so a title takes a line more rather than break a phrase.
 */
const WordBreakPrice = {
  BetweenKanjiWords: PRICED_BREAK,
  BeforeParticle: 1.5 * PRICED_BREAK,
  Inside: 2 * PRICED_BREAK,
  InBrackets: 2 * PRICED_BREAK,
} as const;
/**
 * What a ragged line (not stretched: a title, a sender) costs for the measure it leaves empty, at most:
 * little, as nothing is spaced out — less than a line more — but enough that of two ways with as many
 * lines and the same breaks, the one with the fuller lines first is taken.
 */
const RAGGED_SHORTFALL = 0.5;

/**
 * Breaks allowed at a price (PRICED_BREAK) where a word is otherwise kept whole; `breakOk` is changed in
 * place. Returns the prices, or undefined when the paragraph has no such place.
 * - Runs of FULLWIDTH_RUN_BREAKABLE or more full-width letters and digits (ＡＢＣ０１２３４５…): full-width
 *   characters are ideographic (JLREQ cl-19) and may break anywhere, but a word or number is kept whole
 *   where that costs little (linebreak.ts); here RUN_KEEP from either end. A number divided by hyphens
 *   (０３－１２３４－５６７８) after a hyphen.
 * - URLs, paths and e-mail addresses (a run with a slash or an @): after a separator (/ . - ? & = # …), RUN_KEEP from either end,
 *   never inside :// or between two separators; no hyphen is added (a URL has none to lose). A name
 *   (example) is still broken only as a last resort, where nothing else fits (candidatesFrom).
 */
function pricedBreaks(clusters: readonly string[], infos: readonly CharInfo[], breakOk: boolean[]): Float64Array | undefined {
  let penalty: Float64Array | undefined;
  const allow = (k: number, price: number) => {
    penalty ??= new Float64Array(infos.length + 1);
    breakOk[k] = true;
    penalty[k] = price;
  };
  const n = infos.length;
  for (let a = 0; a < n; ) {
    // [a, b): a run with no break inside.
    let b = a + 1;
    while (b < n && !breakOk[b]) b++;
    let path = false;
    for (let k = a; k < b && !path; k++) path = clusters[k] === '/' || clusters[k] === '@';
    for (let k = a + RUN_KEEP; k <= b - RUN_KEEP; k++) {
      if (path) {
        if (urlBreakAt(clusters, k)) allow(k, PRICED_BREAK);
      } else if (WORD_HYPHENS.has(clusters[k - 1]!) && hyphenJoinsWords(clusters, infos, k, a, b)) {
        // A compound Western word (state-of-the-art, Kitakanto-Seimitsu) at its own hyphen, as any Western
        // text breaks it, at least three letters each side: rather that than letter-space the line before.
        allow(k, WORD_HYPHEN_BREAK);
      } else if (NUMBER_HYPHENS.has(clusters[k - 1]!) && k >= 2 && inNumber(infos[k - 2]!) && inNumber(infos[k]!)) {
        // A long number divided by hyphens (０３－１２３４－５６７８, 03-1234-5678; not a range like １０‐２０):
        // after a hyphen, where the number divides itself, as a URL after its separator.
        if (hyphenatedNumberLength(clusters, infos, k, a, b) >= FULLWIDTH_RUN_BREAKABLE) allow(k, PRICED_BREAK);
      } else if (infos[k - 1]!.fullwidthAlnum && infos[k]!.fullwidthAlnum) {
        const start = fullwidthRunStart(infos, k - 1);
        const end = fullwidthRunEnd(infos, k, b);
        if (end - start >= FULLWIDTH_RUN_BREAKABLE && k - start >= RUN_KEEP && end - k >= RUN_KEEP && !isQuantity(clusters, start, end))
          allow(k, infos[k - 1]!.digit === infos[k]!.digit ? PRICED_BREAK : PRICED_BREAK / 2);
      }
    }
    a = b;
  }
  return penalty;
}

/** The hyphens a compound Western word is written with: the hyphen-minus and the hyphen. */
const WORD_HYPHENS = new Set(['-', '\u2010']);
/** Letters a compound word keeps on either side of a break at its hyphen (no e-|mail). */
const HYPHEN_KEEP = 3;

/**
 * Is the hyphen before position k (inside the run [a, b)) one of a compound Western word's, between two
 * letters, with HYPHEN_KEEP letters or more of the word on either side (state-|of-the-art, not e-|mail)?
 */
function hyphenJoinsWords(clusters: readonly string[], infos: readonly CharInfo[], k: number, a: number, b: number): boolean {
  const letter = (i: number) => infos[i]!.western && !infos[i]!.digit && !WORD_HYPHENS.has(clusters[i]!);
  const inWord = (i: number) => letter(i) || WORD_HYPHENS.has(clusters[i]!);
  if (k < a + 2 || !letter(k - 2) || k >= b || !letter(k)) return false;
  let before = 0;
  for (let i = k - 2; i >= a && inWord(i); i--) if (letter(i)) before++;
  let after = 0;
  for (let i = k; i < b && inWord(i); i++) if (letter(i)) after++;
  return before >= HYPHEN_KEEP && after >= HYPHEN_KEEP;
}

/**
 * A number and the kanji after it — its counter or unit (１０|月, 2017|年, ３|名) — are broken only at a price
 * (COUNTER_BREAK): JLREQ allows the break, but a compositor spares the reader a number alone at a line end
 * when a little spacing does.
 */
function priceCounterBreaks(
  clusters: readonly string[],
  infos: readonly CharInfo[],
  breakOk: readonly boolean[],
  penalty: Float64Array | undefined,
): Float64Array | undefined {
  for (let k = 1; k < clusters.length; k++) {
    if (!breakOk[k]) continue;
    if (infos[k - 1]!.digit && isIdeograph(clusters[k]!.codePointAt(0)!)) penalty = raisePrice(penalty, clusters.length, k, COUNTER_BREAK);
    // Inside a number in kanji (三十, 百二十五, 二〇二六): ideographs, which JLREQ lets break anywhere, but
    // a compositor keeps a number whole as he keeps ２０２６ — at the price of a run of full-width digits.
    else if (KANJI_NUMERALS.has(clusters[k - 1]!) && KANJI_NUMERALS.has(clusters[k]!))
      penalty = raisePrice(penalty, clusters.length, k, PRICED_BREAK);
  }
  return penalty;
}

/** How many digits (and full-width letters) the hyphenated number around position k (inside the run [a, b)) has. */
function hyphenatedNumberLength(clusters: readonly string[], infos: readonly CharInfo[], k: number, a: number, b: number): number {
  const part = (i: number) => inNumber(infos[i]!) || NUMBER_HYPHENS.has(clusters[i]!);
  let start = k;
  while (start > a && part(start - 1)) start--;
  const groups = [0];
  for (let i = start; i < b && part(i); i++) {
    if (inNumber(infos[i]!)) groups[groups.length - 1]!++;
    else groups.push(0);
  }
  // A range of years (２０１６－２０１７) or a date (2024-10-01, 2024-10) is one number to read: never broken.
  const [year, second, third] = groups as [number, number?, number?];
  if (
    year === 4 &&
    second !== undefined &&
    (groups.length === 2 ? second === 4 || second <= 2 : groups.length === 3 && second <= 2 && third! <= 2)
  )
    return 0;
  return groups.reduce((sum, g) => sum + g, 0);
}

function fullwidthRunStart(infos: readonly CharInfo[], k: number): number {
  while (k > 0 && infos[k - 1]!.fullwidthAlnum) k--;
  return k;
}

function fullwidthRunEnd(infos: readonly CharInfo[], k: number, limit: number): number {
  while (k < limit && infos[k]!.fullwidthAlnum) k++;
  return k;
}

/** Fewer digits than this, with at most UNIT_LETTERS letters after them, are a quantity (isQuantity). */
const QUANTITY_DIGITS = 8;
const UNIT_LETTERS = 4;

/**
 * Is the run [start, end) of full-width letters and digits a quantity — a number of fewer than eight
 * digits, perhaps with its unit (１２５００, １２５００ｋｇ, ２５０ｍｌ)? A quantity reads as one word and is
 * never broken, neither inside its digits nor from its unit; a code (ＪＰ１２３４５６７) or a long number
 * (a member number of ten digits) may be.
 */
function isQuantity(clusters: readonly string[], start: number, end: number): boolean {
  let digitsEnd = end;
  while (digitsEnd > start && !isDigit(clusters[digitsEnd - 1]!.codePointAt(0)!)) digitsEnd--;
  if (digitsEnd === start || end - digitsEnd > UNIT_LETTERS || digitsEnd - start >= QUANTITY_DIGITS) return false;
  for (let i = start; i < digitsEnd; i++) if (!isDigit(clusters[i]!.codePointAt(0)!)) return false;
  return true;
}

/**
 * Does the unbreakable run [a, b) hold full-width letters and digits long enough to be broken rather than
 * spaced out (with the punctuation that sticks to them: 「ＡＢＣ０１２３。」), and not a quantity?
 */
function isFullwidthRun(p: Prepared, a: number, b: number): boolean {
  const alnum = (i: number) => isFullwidthAlnum(p.clusters[i]!.codePointAt(0)!);
  for (let i = a; i < b; ) {
    if (!alnum(i)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < b && alnum(j)) j++;
    if (j - i >= FULLWIDTH_RUN_BREAKABLE && !isQuantity(p.clusters, i, j)) return true;
    i = j;
  }
  return false;
}

/** Does the unbreakable run [a, b) hold a URL, a path or an e-mail address (a slash, an @)? */
function isPath(p: Prepared, a: number, b: number): boolean {
  for (let i = a; i < b; i++) if (p.clusters[i] === '/' || p.clusters[i] === '@') return true;
  return false;
}

/** Does a line whose last inked cluster is k end inside a URL, path or e-mail address (it goes on after the break)? */
function endsInPath(p: Prepared, k: number): boolean {
  const n = p.clusters.length;
  const inWord = (i: number) => isWesternClass(p.classes[i]!) && !p.collapsible[i];
  if (k + 1 >= n || !inWord(k) || !inWord(k + 1)) return false;
  let a = k;
  while (a > 0 && inWord(a - 1)) a--;
  let b = k + 1;
  while (b < n && inWord(b)) b++;
  return isPath(p, a, b);
}

/** Everything in the gaps s+1..k that may be reduced (all of Table 3 inside the line). */
function shrinkableOf(p: Prepared, s: number, k: number): number {
  return over(p.shrinkWord, s, k) + over(p.shrinkDot, s, k) + over(p.shrinkBracket, s, k) + over(p.shrinkWestern, s, k);
}

/**
 * Choose all of a paragraph's breaks at once (total fit, as TeX's paragraph builder and LuaTeX-ja do): the
 * sequence of lines whose summed cost is least. Where every line can be set solid — most Japanese text —
 * this is the same as filling each line in turn; where punctuation or Latin words force a choice, it
 * spreads the adjustment instead of leaving one line badly stretched. Each position is visited once and
 * looks ahead at most one line, so the work stays linear in the paragraph length.
 */
function chooseBreaks(p: Prepared, settings: ParagraphSettings, exhaustive = false): LinePlan[] {
  const n = p.clusters.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  const hangAt = new Int32Array(n + 1).fill(-1);
  const forcedAt = new Uint8Array(n + 1);
  best[0] = 0;
  const prices = POLICY[settings.adjustment ?? 'pushIn'];
  const c: CostContext = {
    measure: settings.measure,
    pushIn: prices.pushIn,
    pushOut: prices.pushOut,
    ragged: settings.justifyLastLine === true ? -1 : n,
    raggedLines: settings.ragged === true,
  };
  let s = 0;
  const consider: Consider = (end, hangIndex, forced, cost) => {
    // Demerits: squared, so that one very bad line costs more than several slightly adjusted ones.
    const total = best[s]! + (1 + cost) * (1 + cost);
    if (total < best[end]! - 1e-9) {
      best[end] = total;
      from[end] = s;
      hangAt[end] = hangIndex;
      forcedAt[end] = forced ? 1 : 0;
    }
  };
  // Every line costs at least 1 (its demerits), so a position already reached at more than an actual
  // way of setting the whole paragraph costs, less one, lies on no best sequence: its lines are never
  // tried. Exact (the same breaks as trying them; the margin is far above the 1e-9 of a tie), and most
  // positions go: those reached only through a pushed-out or loose line.
  const bound = exhaustive ? Infinity : greedyTotal(p, settings, c) - 1 + 1e-3;
  for (; s < n; s++) {
    if (best[s] === Infinity || best[s]! > bound) continue;
    candidatesFrom(p, s, leadOf(p, s, s === 0, settings), settings, c, consider);
  }
  const out: LinePlan[] = [];
  for (let e = n; e > 0; e = from[e]!) out.push({ end: e, hangIndex: hangAt[e]!, forced: forcedAt[e] === 1 });
  return out.reverse();
}

/**
 * The demerits of one way to set the whole paragraph, summed as chooseBreaks sums them: from each line
 * start, the cheapest of the lines candidatesFrom offers (the fullest among equals). An upper bound on
 * the best sequence's, cheap to find (one candidatesFrom per line).
 */
function greedyTotal(p: Prepared, settings: ParagraphSettings, c: CostContext): number {
  const n = p.clusters.length;
  let total = 0;
  let end = -1;
  let least = Infinity;
  const cheapest: Consider = (e, _hangIndex, _forced, cost) => {
    if (cost < least || (cost === least && e > end)) {
      least = cost;
      end = e;
    }
  };
  for (let s = 0; s < n; s = end) {
    end = -1;
    least = Infinity;
    candidatesFrom(p, s, leadOf(p, s, s === 0, settings), settings, c, cheapest);
    if (end <= s) return Infinity; // never: candidatesFrom always offers a line (at worst a forced one)
    total += (1 + least) * (1 + least);
  }
  return total;
}

interface Adjusted {
  /** Final value of each gap s+1..k at index i - s (gaps after the last inked cluster stay 0). */
  gap: Float64Array;
  lineEnd: number;
  adjustment: LineAdjustment;
}

/** Classes next to which no space is added even as a last resort, while another place exists (bunri-kinshi, §3.1.11). */
const NO_SPREAD: ReadonlySet<CharClass> = new Set(['cl-01', 'cl-28', 'cl-02', 'cl-29', 'cl-06', 'cl-07', 'cl-05', 'cl-03', 'cl-04']);

/**
 * Justify the line whose last inked cluster is k to `target`: reduce in JLREQ's priority order (Table 3),
 * or expand in JIS X 4051's (Table 6) — word spaces to ½ em, 和欧間 to ½ em and never further, letter
 * spacing ¼ em per place, then the rest equally over letters and word spaces — never inside an
 * unbreakable sequence or next to punctuation. A paragraph's last line is only ever reduced.
 * The gap array has room for one more gap (k + 1), which a hanging mark's caller fills in.
 */
function justify(
  p: Prepared,
  s: number,
  k: number,
  lead: number,
  target: number,
  endComp: Readonly<SpaceComponent> | null,
  mayStretch: boolean,
): Adjusted {
  const gap = new Float64Array(k - s + 2);
  for (let i = s + 1; i <= k; i++) gap[i - s] = p.gapNatural[i]!;
  let lineEnd = endComp ? endComp.amount : 0;
  const natural = lead + p.widthSum[k + 1]! - p.widthSum[s]! + over(p.gapSum, s, k) + lineEnd;
  let delta = target - natural;
  let adjustment: LineAdjustment = 'natural';

  if (delta < -EPS) {
    adjustment = 'shrunk';
    interface Part {
      gap: number;
      comp: SpaceComponent;
      value: number;
    }
    const byPriority = new Map<Shrink, Part[]>();
    const all: Part[] = [];
    const add = (part: Part) => {
      all.push(part);
      let list = byPriority.get(part.comp.shrink);
      if (!list) byPriority.set(part.comp.shrink, (list = []));
      list.push(part);
    };
    for (let i = s + 1; i <= k; i++) {
      const comps = p.gaps[i]!;
      for (let c = 0; c < comps.length; c++) add({ gap: i, comp: comps[c]!, value: comps[c]!.amount });
    }
    const endPart: Part | null = endComp ? { gap: -1, comp: endComp, value: endComp.amount } : null;
    if (endPart) add(endPart);
    const group = (pri: Shrink) => byPriority.get(pri) ?? [];
    const availOf = (g: Part[]) => g.reduce((sum, q) => sum + (q.value - q.comp.floor), 0);
    const reduce = (g: Part[], take: number, avail: number) => {
      for (const q of g) q.value -= ((q.value - q.comp.floor) * take) / avail;
    };
    let need = -delta;
    // 1 word spaces, 2 the line end (all or nothing: if it overshoots, the word spaces give back first).
    const words = group(Shrink.WordSpace);
    const wordAvail = availOf(words);
    let fromWords = Math.min(need, wordAvail);
    need -= fromWords;
    const ends = [...group(Shrink.LineEndPunctuation), ...group(Shrink.LineEndMiddleDot)];
    const endAvail = availOf(ends);
    if (need > EPS && endAvail > EPS) {
      for (const q of ends) q.value = q.comp.floor;
      need -= endAvail;
      if (need < 0) {
        const back = Math.min(-need, fromWords);
        fromWords -= back;
        need += back;
      }
    }
    if (fromWords > EPS) reduce(words, fromWords, wordAvail);
    // 3–5 middle dots, brackets and commas, 和欧間: proportionally within each priority.
    for (const pri of [Shrink.MiddleDot, Shrink.BracketComma, Shrink.JapaneseWestern]) {
      if (need <= EPS) break;
      const g = group(pri);
      const avail = availOf(g);
      if (avail <= EPS) continue;
      const take = Math.min(need, avail);
      reduce(g, take, avail);
      need -= take;
    }
    for (let i = s + 1; i <= k; i++) gap[i - s] = 0;
    for (const part of all) if (part.gap >= 0) gap[part.gap - s]! += part.value;
    if (endPart) lineEnd = endPart.value;
    // Negative: still too long (only a forced break can get here). Positive: the line end overshot,
    // and the line is expanded back to the measure below.
    delta = -need;
  }

  if (delta > EPS && mayStretch) {
    if (adjustment === 'natural') adjustment = 'stretched';
    let remaining = delta;
    let wordRoom = 0;
    let westernRoom = 0;
    let words = 0;
    let letters = 0;
    for (let i = s + 1; i <= k; i++) {
      const kind = p.gapStretch[i];
      if (kind === Stretch.WordSpace) {
        wordRoom += Math.max(0, WORD_SPACE_MAX - gap[i - s]!);
        words++;
      } else if (kind === Stretch.JapaneseWestern) westernRoom += Math.max(0, WESTERN_MAX - gap[i - s]!);
      else if (kind === Stretch.Letter) letters++;
    }
    // A line ending inside a URL, path or e-mail address that could be made flush only by spacing past the
    // limits (a few words, then the start of an address): left short at its natural width. The address
    // cannot be spaced out, and spreading what stands before it would only leave holes there.
    if (endsInPath(p, k) && delta > wordRoom + westernRoom + letters * LETTER_MAX + EPS) return { gap, lineEnd, adjustment: 'short' };
    // Word spaces, then 和欧間, grow towards ½ em in proportion to their room.
    for (const [kind, max, room] of [
      [Stretch.WordSpace, WORD_SPACE_MAX, wordRoom],
      [Stretch.JapaneseWestern, WESTERN_MAX, westernRoom],
    ] as const) {
      if (remaining <= EPS || room <= EPS) continue;
      const take = Math.min(remaining, room);
      for (let i = s + 1; i <= k; i++) if (p.gapStretch[i] === kind) gap[i - s]! += (Math.max(0, max - gap[i - s]!) * take) / room;
      remaining -= take;
    }
    // Letter spacing: ¼ em per place at most, equally; then the last resort over letters and word spaces.
    if (remaining > EPS && letters + words > 0) {
      const each = Math.min(remaining / Math.max(letters, 1), LETTER_MAX);
      let letter = letters > 0 ? each : 0;
      remaining -= letter * letters;
      let word = 0;
      if (remaining > EPS) {
        const last = lastResort(remaining, letters, words);
        letter += last.letter;
        word = last.word;
        remaining = last.left;
      }
      for (let i = s + 1; i <= k; i++) {
        const kind = p.gapStretch[i];
        if (kind === Stretch.Letter) gap[i - s]! += letter;
        else if (kind === Stretch.WordSpace) gap[i - s]! += word;
      }
    }
    if (remaining > EPS && isPath(p, s, k + 1) && letters + words === 0) {
      // A line of nothing but (part of) a URL, a path or an e-mail address: left short, at its natural
      // width. A compositor never spaces out an address: its letters read as one string to be typed.
      adjustment = 'short';
    } else if (remaining > EPS) {
      // Nowhere (else) to expand (a line holding only a word that could not be broken elsewhere, a broken
      // overlong word, a line of numbers with one kana pair): space it out so the line is still flush, and
      // say so — away from punctuation and never widening 和欧間 past ½ em, where the line allows.
      const inside: number[] = [];
      for (let i = s + 1; i <= k; i++) inside.push(i);
      // Away from punctuation and Western marks, the places between letters and inside numbers and words
      // are raised evenly from the lowest (water-filling): a number's digits take what the letters beside
      // them already have before anything grows further, so that no one place opens by ems (６．５|％).
      const even = inside.filter(
        (i) =>
          (p.gapStretch[i] === Stretch.None || p.gapStretch[i] === Stretch.Letter) &&
          !NO_SPREAD.has(p.classes[i - 1]!) &&
          !NO_SPREAD.has(p.classes[i]!) &&
          !p.mark[i - 1] &&
          !p.mark[i],
      );
      if (even.length > 0) {
        raiseEvenly(
          even.map((i) => i - s),
          gap,
          (j) => gap[j]! - p.gapNatural[j + s]!,
          remaining,
        );
        adjustment = 'letterspaced';
      } else {
        const spread = [inside.filter((i) => p.gapStretch[i] === Stretch.None), inside].find((t) => t.length > 0);
        if (spread) {
          for (const i of spread) gap[i - s]! += remaining / spread.length;
          adjustment = 'letterspaced';
        } else adjustment = 'short';
      }
    }
  }
  return { gap, lineEnd, adjustment };
}

/**
 * Adds `amount` to the gaps at `places` so that the lowest rise first, each by what it has been given so far
 * (`added`), until all that took some stand level: water-filling.
 */
function raiseEvenly(places: readonly number[], gap: Float64Array, added: (j: number) => number, amount: number): void {
  const levels = places.map(added).sort((a, b) => a - b);
  // The level L with Σ max(0, L − level) = amount over the sorted levels.
  let level = levels[0]!;
  let left = amount;
  let count = 0;
  while (count < levels.length) {
    while (count < levels.length && levels[count]! <= level + EPS) count++;
    const next = count < levels.length ? levels[count]! : Infinity;
    const step = Math.min(next - level, left / count);
    level += step;
    left -= step * count;
    if (left <= EPS) break;
  }
  for (const j of places) gap[j]! += Math.max(0, level - added(j));
}

function emit(
  p: Prepared,
  s: number,
  e: number,
  lead: number,
  gapValue: Float64Array,
): { glyphs: PositionedGlyph[]; end: number; clusterX?: Float64Array; glyphAt?: Int32Array } {
  const glyphs: PositionedGlyph[] = [];
  const ink = e < p.clusters.length ? lastInk(p, s, e) : e - 1;
  const inset = p.annotations?.inset;
  const clusterX = inset ? new Float64Array(e - s) : undefined;
  // With annotations: the index of each cluster's first glyph (and the glyph count at e - s).
  const glyphAt = inset ? new Int32Array(e - s + 1) : undefined;
  let x = lead;
  for (let i = s; i < e; i++) {
    if (i > s) x += gapValue[i - s] ?? 0;
    if (clusterX) clusterX[i - s] = x;
    if (glyphAt) glyphAt[i - s] = glyphs.length;
    const shapedGlyphs = p.shaped[i]!.glyphs;
    const shift = inset ? inset[i]! : 0;
    for (let k = 0; k < shapedGlyphs.length; k++) {
      const g = shapedGlyphs[k]!;
      // Kept small: a long document holds every placed glyph until the PDF is written.
      const placed: PositionedGlyph = { font: g.font, id: g.id, x: x + g.offset + shift, text: g.text };
      if (g.turnsWithWord) placed.turnsWithWord = true;
      if (g.tateChuYoko !== undefined) placed.tateChuYoko = g.tateChuYoko;
      else if (g.narrow !== undefined) placed.narrow = g.narrow;
      // A word space left at a line end stays in the text layer (copy and paste gives "with Technology"),
      // but takes no room: written with no width, its box never passes the block edge.
      else if (i > ink) placed.narrow = { body: 0, full: g.advance };
      glyphs.push(placed);
    }
    x += p.width[i]!;
  }
  if (glyphAt) glyphAt[e - s] = glyphs.length;
  return clusterX ? { glyphs, end: x, clusterX, glyphAt: glyphAt! } : { glyphs, end: x };
}

/**
 * Compose one paragraph into justified lines.
 * Throws MissingGlyphError (from shaping) for a character the face cannot show.
 */
export function composeParagraph(
  text: string,
  face: FontFace,
  settings: ParagraphSettings,
  marks?: readonly MarkedRange[],
  /** Try the lines from every reachable position (no bound): for the test that the bound changes nothing. */
  exhaustive = false,
): ComposedParagraph {
  const p = prepare(text, face, settings.lineBreak, marks, settings.vertical, settings);
  const n = p.clusters.length;
  const lines: ComposedLine[] = [];
  const warnings: string[] = [];
  let breakPrice = 0;
  let s = 0;
  for (const plan of n > 0 ? chooseBreaks(p, settings, exhaustive) : []) {
    const first = s === 0;
    const lead = leadOf(p, s, first, settings);
    const e = plan.end;
    const isLast = e >= n;
    const mayStretch = !settings.ragged && (!isLast || settings.justifyLastLine === true);
    let adjusted: Adjusted;
    let hanging = 0;
    let width: number;
    let contentWidth: number;
    let glyphs: PositionedGlyph[];
    let clusterX: Float64Array | undefined;
    let glyphAt: Int32Array | undefined;
    if (plan.hangIndex >= 0) {
      // Justify everything before the hanging mark to the measure; the mark's body sits past it.
      const h = plan.hangIndex;
      adjusted = justify(p, s, h - 1, lead, settings.measure - p.gapNatural[h]!, null, true);
      adjusted.gap[h - s] = p.gapNatural[h]!;
      const out = emit(p, s, e, lead, adjusted.gap);
      glyphs = out.glyphs;
      clusterX = out.clusterX;
      glyphAt = out.glyphAt;
      hanging = out.end - settings.measure;
      width = settings.measure;
      contentWidth = out.end;
    } else {
      const k = lastInk(p, s, e);
      adjusted = justify(p, s, k, lead, settings.measure, lineEndSpace(p.classes[k]!), mayStretch);
      const out = emit(p, s, e, lead, adjusted.gap);
      glyphs = out.glyphs;
      clusterX = out.clusterX;
      glyphAt = out.glyphAt;
      width = out.end + adjusted.lineEnd;
      contentWidth = out.end;
      // Trailing word spaces were emitted with zero width; the line ends at its last body.
    }
    // (A URL's line left short is no loss: that is how it is set.)
    if ((adjusted.adjustment === 'short' || adjusted.adjustment === 'letterspaced') && !isLast && !plan.forced && !isPath(p, s, e)) {
      warnings.push(`a line could only be justified by spacing out a word: "${p.clusters.slice(s, e).join('')}"`);
    }
    if (plan.forced) {
      warnings.push(`a word longer than the line was broken after "${p.clusters.slice(Math.max(s, e - 12), e).join('')}"`);
    }
    const line: ComposedLine = {
      start: s,
      end: e,
      text: p.clusters.slice(s, e).join(''),
      glyphs,
      width,
      contentWidth,
      hanging,
      adjustment: adjusted.adjustment,
      forced: plan.forced,
      isLast,
    };
    if (p.annotations && clusterX && glyphAt) {
      const xs = clusterX;
      const placed = placeAnnotations(p.annotations, (i) => xs[i - s]!, s, e, Math.max(width, contentWidth));
      if (placed.glyphs.length > 0) line.annotations = placed.glyphs;
      if (placed.rubies.length > 0)
        line.rubies = placed.rubies.map((r) => ({
          baseStart: glyphAt[r.start - s]!,
          baseEnd: glyphAt[Math.min(r.end, e) - s]!, // a forced break may cut a base
          rubyStart: r.from,
          rubyEnd: r.to,
          reading: r.reading,
        }));
    }
    lines.push(line);
    if (!isLast && p.breakPenalty) breakPrice += p.breakPenalty[e]!;
    s = e;
  }
  return { lines, clusters: p.clusters, warnings, breakPrice };
}

/**
 * A character the face cannot show, at its place in an inline run: a UTF-16 offset into the run's text, or
 * into its ruby reading (then the source's offsets are the reading's: see inReading).
 */
export class RunGlyphError extends Error {
  constructor(
    readonly source: TextSource,
    readonly offset: number,
    readonly glyphError: MissingGlyphError,
    /** The runs with that character replaced by STAND_IN, to go on composing (collectMissingGlyphs). */
    readonly standIn?: readonly ResolvedRun[],
  ) {
    super(glyphError.message);
    this.name = 'RunGlyphError';
  }
}

/** Every character a document's faces cannot show (as many as MAX_MISSING_GLYPHS), thrown by collectMissingGlyphs. */
export class MissingGlyphsError extends Error {
  constructor(readonly missing: readonly RunGlyphError[]) {
    super(missing[0]?.message ?? 'missing glyphs');
    this.name = 'MissingGlyphsError';
  }
}

/**
 * What stands in for a character the face cannot show while the rest is laid out: the geta mark 〓, which
 * stands in for a missing character in Japanese proofs — one per UTF-16 unit of the character, so that
 * the offsets of what follows are unchanged.
 */
const STAND_IN = '\u3013';
/** Missing characters gathered in one layout at most: past them, the layout stops and reports these. */
export const MAX_MISSING_GLYPHS = 100;

/** Where composeRuns gathers missing characters while collectMissingGlyphs runs (keyed by their place). */
let gathering: Map<string, RunGlyphError> | undefined;

/**
 * Runs `layout` with every character a face cannot show gathered rather than thrown at the first: each
 * paragraph that has one is composed again with STAND_IN in its place, so that one build reports every
 * such character of the document, each at its place. Throws MissingGlyphsError when there were any (also
 * when the layout failed otherwise after one: the characters are what to fix first).
 */
export function collectMissingGlyphs<T>(layout: () => T): T {
  const outer = gathering;
  const found = new Map<string, RunGlyphError>();
  gathering = found;
  let value: T | undefined;
  let failure: unknown;
  try {
    value = layout();
  } catch (e) {
    failure = e;
  } finally {
    gathering = outer;
  }
  if (found.size > 0) throw new MissingGlyphsError([...found.values()]);
  if (failure !== undefined) throw failure;
  return value as T;
}

/**
 * Compose a paragraph given as inline runs. A character the face cannot show is reported in its run
 * (RunGlyphError), so that the model can point at it in the source; while collectMissingGlyphs runs, it
 * is noted, and the paragraph composed with a stand-in.
 */
export function composeRuns(runs: readonly ResolvedRun[], face: FontFace, settings: ParagraphSettings): ComposedParagraph {
  let current = runs;
  for (;;) {
    try {
      return composeMarkedRuns(current, face, settings);
    } catch (e) {
      if (!(e instanceof RunGlyphError) || !gathering || !e.standIn) throw e;
      const source = e.source;
      const key = `${source.origin}|${source.path.join('.')}|${source.paragraph}|${source.offsets?.[e.offset] ?? e.offset}|${e.glyphError.char}`;
      gathering.set(key, e);
      if (gathering.size >= MAX_MISSING_GLYPHS) throw e;
      current = e.standIn;
    }
  }
}

function composeMarkedRuns(runs: readonly ResolvedRun[], face: FontFace, settings: ParagraphSettings): ComposedParagraph {
  const text = runs.length === 1 ? runs[0]!.text : runs.map((run) => run.text).join('');
  let marks: MarkedRange[] | undefined;
  let offset = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r]!;
    if (run.mark) (marks ??= []).push({ start: offset, end: offset + run.text.length, mark: run.mark });
    if (run.mark?.kind === 'ruby') {
      // A reading longer than the line cannot be set beside any line: it would run past the text block.
      const readingClusters = toClusters(run.mark.ruby);
      const length = readingClusters.length * ANNOTATION_SCALE;
      if (length > settings.measure + 1e-9)
        throw new TextSourceError(
          run.source,
          `the reading 《${run.mark.ruby}》 is ${length} em long at half the text size, and the line only ${settings.measure} em: shorten it or widen the measure`,
        );
      // Its characters, at their place in the reading (the composer would report them at the base's).
      try {
        shapeClusters(readingClusters, face);
      } catch (e) {
        if (!(e instanceof MissingGlyphError)) throw e;
        throw inReading(runs, r, readingClusters, e);
      }
    }
    offset += run.text.length;
  }
  try {
    return composeParagraph(text, face, settings, marks);
  } catch (e) {
    if (!(e instanceof MissingGlyphError)) throw e;
    // The error counts clusters (a base and its combining marks are one); the runs count UTF-16 units.
    const { at: offset, length } = clusterSpan(toClusters(text), e.clusterIndex);
    let start = 0;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      if (offset < start + run.text.length) {
        const at = offset - start;
        const standIn = e.char === STAND_IN ? undefined : runs.map((x, i) => (i === r ? { ...x, text: replaced(x.text, at, length) } : x));
        throw new RunGlyphError(run.source, at, e, standIn);
      }
      start += run.text.length;
    }
    throw e;
  }
}

/** Where cluster `index` is in the text the clusters make: its UTF-16 offset and length. */
function clusterSpan(clusters: readonly string[], index: number): { at: number; length: number } {
  let at = 0;
  for (let k = 0; k < index && k < clusters.length; k++) at += clusters[k]!.length;
  return { at, length: clusters[index]?.length ?? 1 };
}

/** `text` with the `length` UTF-16 units at `at` replaced by as many STAND_IN. */
const replaced = (text: string, at: number, length: number) => text.slice(0, at) + STAND_IN.repeat(length) + text.slice(at + length);

/** A missing character of run r's ruby reading (its clusters), at its place in the reading. */
function inReading(runs: readonly ResolvedRun[], r: number, clusters: readonly string[], e: MissingGlyphError): RunGlyphError {
  const run = runs[r]!;
  const mark = run.mark as Extract<ResolvedRun['mark'], { kind: 'ruby' }>;
  const { at, length } = clusterSpan(clusters, e.clusterIndex);
  const ruby = replaced(mark.ruby, at, length);
  // Jukugo readings are the reading cut in parts: cut the new one the same way (the lengths are the same).
  let from = 0;
  const jukugo = mark.jukugo?.map((part) => ruby.slice(from, (from += part.length)));
  const standIn =
    e.char === STAND_IN ? undefined : runs.map((x, i) => (i === r ? { ...x, mark: { ...mark, ruby, ...(jukugo ? { jukugo } : {}) } } : x));
  // Located in the reading when the markup said where it is; else at the base.
  return mark.rubyOffsets
    ? new RunGlyphError({ ...run.source, offsets: mark.rubyOffsets }, at, e, standIn)
    : new RunGlyphError(run.source, 0, e, standIn);
}
