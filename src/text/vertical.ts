/**
 * Vertical glyph forms (JLREQ §3.1, §3.2): in a vertical column punctuation, brackets, the long vowel
 * mark, small kana and dashes take their vertical alternates, and half-width Latin letters and digits
 * their rotated forms, through the font's GSUB `vrt2` feature (which includes `vert`'s substitutions,
 * and rotates proportional glyphs 90° clockwise); a Western glyph the font has no rotated form for is
 * marked `sideways`, and the PDF writer turns it. Full-width letters and digits stay upright: fonts
 * have no rotated form for them. Advances along the column stay what the composer used: vertical
 * alternates keep the em, and a rotated glyph's vertical advance is the original's width.
 */
import type { Font } from 'fontkit';
import { classOfCluster } from './classes.js';
import { fontOfRole, type FontFace } from '../font/fonts.js';
import type { PositionedGlyph } from './compose.js';
import type { MarkedRange } from './ruby.js';
import type { ShapedCluster } from './shape.js';

/** A glyph's form in a column: the glyph to draw, and whether it is drawn turned (no rotated form of its own). */
interface VerticalGlyph {
  id: number;
  sideways: boolean;
}

const alternates = new WeakMap<Font, Map<string, VerticalGlyph>>();

/**
 * Whether a character set in a column with a narrow glyph lies on its side (JLREQ §3.2: Western text in
 * vertical lines is rotated 90° clockwise), unless the font gives it an upright vertical form: the
 * characters before the CJK blocks (Latin, Greek, general punctuation, letterlike symbols: À © ™, the
 * en and em dashes, which Japanese fonts draw as Western half-em dashes), but for the exclamation and
 * question marks that JLREQ sets upright (cl-04: ‼ ⁇ ⁈ ⁉). Half-width katakana stand upright.
 */
function liesOnItsSide(text: string): boolean {
  const cp = text.codePointAt(0)!;
  // A word space has no ink to turn: it stays in the run of glyphs around it.
  return cp < 0x2e80 && cp !== 0x20 && cp !== 0xa0 && classOfCluster(text) !== 'cl-04';
}

/**
 * Characters without a vertical form of their own that borrow another's (JLREQ §3.1, §3.2): a hyphen-minus
 * the minus sign's rotated bar; “ ” (horizontal-only quotation marks, JLREQ cl-01/cl-02 "used in horizontal
 * composition") the 〝 〟 that vertical text uses in their place, in the same class and em.
 */
const VERTICAL_STAND_INS = new Map([
  ['-', '\u2212'],
  ['\u201c', '\u301d'],
  ['\u201d', '\u301f'],
]);

/**
 * The glyph the font draws for `text` in a vertical column (`id` when it has no vertical form), and
 * whether it is to be drawn turned: a narrow glyph of a character that lies on its side in a column, which
 * the font has no rotated form for (BIZ UD has none for – — À © ™ and other Latin-1 letters and signs).
 */
function verticalGlyphOf(font: Font, text: string, id: number): VerticalGlyph {
  let cache = alternates.get(font);
  if (!cache) alternates.set(font, (cache = new Map()));
  const key = `${id}:${text}`;
  let found = cache.get(key);
  if (found === undefined) {
    let alt = id;
    // A Japanese ―― set with U+2015's glyph (text/shape.ts) takes that character's vertical form.
    const drawn = text === '\u2014' && font.glyphForCodePoint(0x2015)?.id === id ? '\u2015' : text;
    const horizontal = font.layout(drawn).glyphs;
    // Only a glyph that is the character's own (not one of a combining sequence) is replaced.
    if (horizontal.length === 1 && horizontal[0]!.id === id) {
      const vertical = font.layout(drawn, ['vrt2']).glyphs;
      if (vertical.length === 1) alt = vertical[0]!.id;
      // A hyphen-minus without a rotated form of its own (BIZ UD has none) would stand upright across the
      // column, a bar laid over the next letter: the minus sign's rotated form, a bar along it, stands in;
      // so do 〝 〟 for “ ”, which would keep their horizontal shapes.
      const standIn = alt === id ? VERTICAL_STAND_INS.get(text) : undefined;
      if (standIn !== undefined) {
        const other = font.layout(standIn).glyphs;
        const rotated = font.layout(standIn, ['vrt2']).glyphs;
        if (other.length === 1 && rotated.length === 1 && rotated[0]!.id !== other[0]!.id) alt = rotated[0]!.id;
      }
    }
    const sideways = alt === id && font.getGlyph(id).advanceWidth < font.unitsPerEm && liesOnItsSide(text);
    found = { id: alt, sideways };
    cache.set(key, found);
  }
  return found;
}

/** The glyphs of a line with their vertical forms (new objects where a glyph changes). */
export function verticalForms(glyphs: readonly PositionedGlyph[], face: FontFace): PositionedGlyph[] {
  return glyphs.map((g) => {
    if (!g.text || g.tateChuYoko) return g;
    // A Western quotation mark lies on its side with its word: the font's vertical form of it is the
    // upright one of the Japanese bracket (BIZ UD's ’ in a column is a comma-like mark at the column's side).
    if (g.turnsWithWord) return { ...g, sideways: true };
    const { id, sideways } = verticalGlyphOf(fontOfRole(face, g.font), g.text, g.id);
    if (sideways) return { ...g, sideways };
    return id === g.id ? g : { ...g, id };
  });
}

/**
 * A glyph of a tate-chu-yoko run (縦中横, JLREQ §3.2.4), drawn across the column: its origin `across` em
 * from the column's left edge, its width scaled by `scale` (runs wider than an em are condensed).
 */
export interface TateChuYoko {
  across: number;
  scale: number;
}

/** Half-width digits, and what may not touch an automatic tate-chu-yoko run (a longer number, 3.5, A4). */
const DIGIT = /^[0-9]$/;
const WESTERN_NEIGHBOUR = /^[0-9A-Za-z.,:%/]$/;
/** A sign that belongs to the number after it (−5℃, +3, ¥5, #1): across the column with its digits. */
const SIGN = /^[-+\u2212\u00a5$#\u00a3\u20ac]$/;
/** Closing quotation marks, Western after a Western character (text/linebreak.ts quotesInWesternUse). */
const CLOSING_QUOTE = /^[\u2019\u201d]$/;

const LATIN_LETTER = /^[A-Za-z]$/;

/**
 * Whether Western text ends just before cluster k: a letter, digit or sign, a closing quote after one, or a
 * word space after a Latin letter (Chapter 2: the number is a word of the English phrase).
 */
function westernBefore(clusters: readonly string[], k: number): boolean {
  const c = clusters[k - 1]!;
  const before = k > 1 ? clusters[k - 2]! : '';
  return WESTERN_NEIGHBOUR.test(c) || (CLOSING_QUOTE.test(c) && WESTERN_NEIGHBOUR.test(before)) || (c === ' ' && LATIN_LETTER.test(before));
}

/** Whether Western text starts at cluster e: a letter, digit or sign, or a word space before a Latin letter (25 Years). */
function westernFrom(clusters: readonly string[], e: number): boolean {
  const c = clusters[e];
  return c !== undefined && (WESTERN_NEIGHBOUR.test(c) || (c === ' ' && LATIN_LETTER.test(clusters[e + 1] ?? '')));
}

/** Half-width ! and ?: one or two standing alone (!? !! ??) are set upright in one em (JLREQ §3.1.5, §3.2.4). */
const EXCLAMATION = /^[!?]$/;
const MAX_EXCLAMATIONS = 2;

/**
 * Clusters with each tate-chu-yoko run merged into one: the runs marked ［＃縦中横］ and, when `auto` > 0,
 * every run of 1 to `auto` half-width digits standing alone (JLREQ §3.2.4: two-digit numbers are set
 * across the column; longer ones are rotated with the Latin text), with a sign before them when the whole
 * fits (−5, ¥5; else none of it) or the period of an enumeration after them (a list item's `1.`), and
 * one or two half-width ! ? standing alone (rotated, they would lie on their side).
 * `merged[k]` is 1 for a merged cluster.
 */
export function mergeTateChuYoko(
  clusters: string[],
  marks: readonly MarkedRange[] | undefined,
  auto: number,
): { clusters: string[]; merged: Uint8Array } {
  const n = clusters.length;
  const starts: number[] = [];
  let o = 0;
  for (const c of clusters) {
    starts.push(o);
    o += c.length;
  }
  const runEnd = new Int32Array(n).fill(-1); // for a run starting at k: its end cluster
  for (const m of marks ?? []) {
    if (m.mark.kind !== 'tateChuYoko') continue;
    const a = starts.indexOf(m.start);
    const b = m.end >= o ? n : starts.indexOf(m.end);
    if (a >= 0 && b > a) runEnd[a] = b;
  }
  if (auto > 0) {
    // A run of `kind` from k: its end, and whether it stands alone (no Western text after it).
    const runOf = (k: number, kind: RegExp) => {
      let e = k;
      while (e < n && kind.test(clusters[e]!)) e++;
      return { e, alone: !westernFrom(clusters, e) };
    };
    // Where the last run set across the column ended: a ! after it (１!) follows upright digits, not Western text.
    let uprightEnd = -1;
    for (let k = 0; k < n; k++) {
      const c = clusters[k]!;
      if (k > 0 && !(k === uprightEnd && EXCLAMATION.test(c)) && westernBefore(clusters, k)) {
        // After Western text the run is part of it, on its side with it (maybe”!, Really?!): all of it.
        if (EXCLAMATION.test(c)) k = runOf(k, EXCLAMATION).e - 1;
        continue;
      }
      if (EXCLAMATION.test(c)) {
        const { e, alone } = runOf(k, EXCLAMATION);
        if (e - k <= MAX_EXCLAMATIONS && alone && runEnd[k]! < 0) runEnd[k] = e;
        k = e - 1;
        continue;
      }
      const signed = SIGN.test(c) && k + 1 < n && DIGIT.test(clusters[k + 1]!);
      if (!DIGIT.test(c) && !signed) continue;
      const { e, alone } = runOf(signed ? k + 1 : k, DIGIT);
      // The period of an enumeration (a list item's `1.`), not a decimal point: across the column with it.
      const enumeration = !signed && clusters[e] === '.' && !(e + 1 < n && WESTERN_NEIGHBOUR.test(clusters[e + 1]!));
      if (e - k <= auto && enumeration && runEnd[k]! < 0) runEnd[k] = e + 1;
      else if (e - k <= auto && (alone || EXCLAMATION.test(clusters[e] ?? '')) && runEnd[k]! < 0) runEnd[k] = e;
      if (runEnd[k]! >= 0) uprightEnd = runEnd[k]!;
      // A sign that does not fit with its number (−15, ¥500 when two fit): sign and digits stay rotated
      // together, never the sign on its side and the digits upright.
      k = e - 1;
    }
  }
  if (!runEnd.some((e) => e >= 0)) return { clusters, merged: new Uint8Array(n) };
  const out: string[] = [];
  const flags: number[] = [];
  for (let k = 0; k < n; ) {
    const e = runEnd[k]!;
    if (e > k) {
      out.push(clusters.slice(k, e).join(''));
      flags.push(1);
      k = e;
    } else {
      out.push(clusters[k]!);
      flags.push(0);
      k++;
    }
  }
  return { clusters: out, merged: Uint8Array.from(flags) };
}

/**
 * A merged run as one upright em along the column: its glyphs side by side across the column, centred,
 * condensed to fit the em when wider (3–4 digits).
 */
export function tateChuYokoCluster(shaped: ShapedCluster): ShapedCluster {
  const width = shaped.glyphs.reduce((w, g) => Math.max(w, g.offset + g.advance), 0);
  const scale = width > 1 ? 1 / width : 1;
  const left = (1 - width * scale) / 2;
  return {
    ...shaped,
    cls: 'cl-19',
    width: 1,
    glyphs: shaped.glyphs.map((g, k) => ({
      ...g,
      offset: 0,
      text: k === 0 ? shaped.text : '',
      narrow: undefined,
      tateChuYoko: { across: left + g.offset * scale, scale },
    })),
  };
}
