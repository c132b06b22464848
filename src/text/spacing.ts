/**
 * Spacing between adjacent characters (JLREQ §3.1.2–3.1.6, §3.2.5; Appendix B Table 1) and how each
 * space may be reduced or expanded when a line is justified (JLREQ §3.8, Appendix D Table 3 and
 * JIS X 4051 Table 6 as digested in shared/jlreq/RULES.md §6).
 *
 * Everything is in em of the paragraph's font size (one size per paragraph).
 */
import { isJapaneseLetterClass, isWesternClass, type CharClass } from './classes.js';

/**
 * Reduction priorities, applied in this order (JLREQ Table 3):
 * 1 Western word spaces down to ¼ em; 2 the ½ em after a closing bracket, comma or full stop at the line
 * end (all or nothing); 3 the ¼ em after a middle dot at the line end (all or nothing; kept, see lineEndSpace); 4 the ¼ em around
 * middle dots inside the line; 5 the ½ em before an opening bracket and after a closing bracket or comma
 * inside the line; 6 the Japanese–Western quarter em down to ⅛ em.
 * The ½ em after a full stop inside the line is never reduced (FIXED).
 */
export enum Shrink {
  Fixed = 0,
  WordSpace = 1,
  LineEndPunctuation = 2,
  LineEndMiddleDot = 3,
  MiddleDot = 4,
  BracketComma = 5,
  JapaneseWestern = 6,
}
/*
 * Line-end priorities are reduced all or nothing (JLREQ: line-end aki is either kept or removed, never
 * halved); the others proportionally within each priority (compose.ts, justify). Floors are JLREQ Table 3's
 * limits: brackets, commas and middle dots to 0, word spaces to ¼ em, 和欧間 to ⅛ em.
 */

/**
 * Expansion priorities (JIS X 4051 Table 6): 1 word spaces up to ½ em; 2 Japanese–Western spaces up to
 * ½ em; 3 letter spacing between characters that allow it, up to ¼ em each; then 4, any remainder
 * spread equally over all of those places.
 */
export enum Stretch {
  None = 0,
  WordSpace = 1,
  JapaneseWestern = 2,
  Letter = 3,
}
/**
 * How wide a space of each kind may become when a line is expanded, in em, the natural width included:
 * a word space up to ½ em, a Japanese–Western space up to ½ em (JIS X 4051 Table 6: ¼ → ½; never more,
 * even as a last resort), letter spacing ¼ em per place before the last resort spreads the rest.
 */
export const STRETCH_MAX: Record<Stretch, number> = { 0: 0, 1: 0.5, 2: 0.5, 3: 0.25 };

/** One part of the space between two characters. */
export interface SpaceComponent {
  amount: number;
  shrink: Shrink;
  /** The amount that may not be reduced (a word space keeps ¼ em, a Japanese–Western space ⅛ em). */
  floor: number;
}

const HALF = 0.5;
const QUARTER = 0.25;

const isClosing = (c: CharClass) => c === 'cl-02' || c === 'cl-29';
const isStopOrComma = (c: CharClass) => c === 'cl-06' || c === 'cl-07';
const isOpening = (c: CharClass) => c === 'cl-01' || c === 'cl-28';

/**
 * The default space between a character of class `a` and the next of class `b` in the middle of a line,
 * with consecutive punctuation already compressed (JLREQ §3.1.4): 。」 and 」、 are solid, 、「 and 」「 take
 * ½ em, 「『 and 』」 are solid, 」・ and ・「 take ¼ em, ・・ takes ¼ + ¼ em.
 */
export function defaultSpace(a: CharClass, b: CharClass, aMark = false, bMark = false): readonly SpaceComponent[] {
  // Western punctuation and symbols (! ? , . : ; - brackets …) are set solid against Japanese text: the
  // quarter em of §3.2.5 is for Latin letters and numerals (JLREQ §3.2.5; the JLREQ-d draft, 5.4.2:
  // "和文とラテン文字用約物・記号類との字間は,空けないを規定値とする").
  if ((aMark && isWesternClass(a)) || (bMark && isWesternClass(b))) {
    const own = cached(a, b);
    return own.length === 1 && own[0]!.shrink === Shrink.JapaneseWestern ? NO_SPACE : own;
  }
  return cached(a, b);
}
/** No space between two characters (shared, frozen). */
export const NO_SPACE: readonly SpaceComponent[] = Object.freeze([]);

function cached(a: CharClass, b: CharClass): readonly SpaceComponent[] {
  let row = spaceCache.get(a);
  if (!row) spaceCache.set(a, (row = new Map()));
  let space = row.get(b);
  if (!space) row.set(b, (space = Object.freeze(computeDefaultSpace(a, b))));
  return space;
}
const spaceCache = new Map<CharClass, Map<CharClass, readonly SpaceComponent[]>>();

function computeDefaultSpace(a: CharClass, b: CharClass): SpaceComponent[] {
  // After an opening bracket: solid (the bracket's aki is before it), except before a middle dot.
  if (isOpening(a)) return b === 'cl-05' ? [md()] : [];
  // Before closing brackets, commas and full stops: solid (their aki is after them).
  if (isClosing(b) || isStopOrComma(b)) return a === 'cl-05' ? [md()] : [];
  if (a === 'cl-05') return b === 'cl-05' ? [md(), md()] : [md()];
  if (isClosing(a) || a === 'cl-07') {
    const own: SpaceComponent = { amount: HALF, shrink: Shrink.BracketComma, floor: 0 };
    if (b === 'cl-05') return a === 'cl-07' ? [own, md()] : [md()];
    return [own];
  }
  if (a === 'cl-06') {
    const own: SpaceComponent = { amount: HALF, shrink: Shrink.Fixed, floor: HALF };
    return b === 'cl-05' ? [own, md()] : [own];
  }
  if (isOpening(b)) return [{ amount: HALF, shrink: Shrink.BracketComma, floor: 0 }];
  if (b === 'cl-05') return [md()];
  // Japanese–Western space (JLREQ §3.2.5): ¼ em between kana/kanji and Latin letters or numerals.
  if ((isJapaneseLetterClass(a) || a === 'cl-04') && isWesternClass(b)) return [jw()];
  if (isWesternClass(a) && isJapaneseLetterClass(b)) return [jw()];
  return [];
}

const md = (): SpaceComponent => ({ amount: QUARTER, shrink: Shrink.MiddleDot, floor: 0 });
const jw = (): SpaceComponent => ({ amount: QUARTER, shrink: Shrink.JapaneseWestern, floor: 1 / 8 });

/** A Western word space of natural width `w`, reducible to ¼ em (JLREQ §3.8, Table 3 priority 1). */
export function wordSpace(w: number): SpaceComponent {
  return { amount: w, shrink: Shrink.WordSpace, floor: Math.min(w, QUARTER) };
}

/**
 * Space kept after the last character of a line (JLREQ §3.1.5 note, Table 5: "½ or 0").
 * JLREQ prefers keeping the ½ em after a closing bracket, comma or full stop; when a line must be pushed
 * in, it is the first thing removed, all or nothing (Table 3, priority 2).
 * Deviation, deliberate: the ¼ em after a middle dot at the line end is kept, because the dot's ink is
 * centred in a full-em glyph whose box would otherwise pass the block edge.
 */
export function lineEndSpace(a: CharClass): Readonly<SpaceComponent> | null {
  if (isStopOrComma(a) || isClosing(a)) return LINE_END_PUNCTUATION;
  if (a === 'cl-05') return LINE_END_MIDDLE_DOT;
  return null;
}
const LINE_END_PUNCTUATION: Readonly<SpaceComponent> = Object.freeze({ amount: HALF, shrink: Shrink.LineEndPunctuation, floor: 0 });
const LINE_END_MIDDLE_DOT: Readonly<SpaceComponent> = Object.freeze({ amount: QUARTER, shrink: Shrink.Fixed, floor: QUARTER });

/** Space before the first character of a line: an opening bracket sets solid (JLREQ §3.1.5, JIS X 4051). */
export function lineHeadSpace(b: CharClass): number {
  return b === 'cl-05' ? QUARTER : 0;
}

/**
 * May letter spacing be added between these two characters when a line is expanded? Not inside an
 * unbreakable sequence, not next to brackets, commas, full stops, hyphens, dividing punctuation or middle
 * dots, and not next to an ideographic or word space (JLREQ §3.1.11 bunri-kinshi; JIS X 4051 Table 6).
 */
export function letterSpacingAllowed(a: CharClass, b: CharClass, inseparable: boolean): boolean {
  if (inseparable) return false;
  return !NO_LETTER_SPACING_AROUND.has(a) && !NO_LETTER_SPACING_AROUND.has(b);
}
/**
 * Punctuation already carries its own space (JIS X 4051 Table 6 has no expansion next to it), and
 * widening it would let consecutive marks reach a full em apart.
 */
const NO_LETTER_SPACING_AROUND: ReadonlySet<CharClass> = new Set([
  'cl-01',
  'cl-28',
  'cl-02',
  'cl-29',
  'cl-06',
  'cl-07',
  'cl-03',
  'cl-04',
  'cl-05',
  'cl-14',
  'cl-26',
]);
