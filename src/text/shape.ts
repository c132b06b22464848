/**
 * Shaping: clusters → glyphs with advances in em, using fontkit (the font engine inside pdfkit).
 *
 * Japanese punctuation in a Japanese font is drawn on a full-em body with the ink in one half. JLREQ
 * treats it as a half-em glyph plus conditional space (aki, JLREQ §3.1.2 note and Appendix B), so such
 * a cluster gets a half-em width here and an `inkShift` that puts the ink where it belongs; the aki
 * is added by the composer between clusters, where it can be compressed.
 * Western text (cl-24/25/27) is set with the face's proportional companion font when it has one
 * (JLREQ §3.2.2), shaped a word at a time so that kerning applies; full-width letters stay on the grid.
 */
import type { Font } from 'fontkit';
import type { TateChuYoko } from './vertical.js';
import { classOfCluster, isIdeograph, isWesternClass, type CharClass } from './classes.js';
import {
  advanceWidthOf,
  leftBearingOf,
  glyphIdForCodePoint,
  hasGlyphForCodePoint,
  hasVariationSequence,
  type FontFace,
  type FontRole,
} from '../font/fonts.js';

export type { FontFace, FontRole };

export interface ShapedGlyph {
  font: FontRole;
  id: number;
  /** The font's own advance, in em (what the PDF's width table will say). */
  advance: number;
  /** Offset of the glyph origin from its cluster's body start, in em (kerning and ink shift included). */
  offset: number;
  /** The text this glyph stands for in the text layer ('' for a glyph continuing the previous one). */
  text: string;
  /**
   * For punctuation drawn from a full-em glyph with its ink in the first half (」、。): its half-em body
   * and its full advance, in em. The PDF writer may record the narrower width so that the glyph's box is
   * its body. One object per shaped glyph, shared by every placement of it.
   */
  narrow?: NarrowGlyph;
  /** In a tate-chu-yoko run of a vertical column: drawn across the column (text/vertical.ts). */
  tateChuYoko?: TateChuYoko;
  /**
   * A quotation mark in Western use (don’t, “Smart Mix”): in a vertical column it is turned with the word it
   * belongs to, never given the font's upright vertical form, which is for its use as a Japanese bracket.
   */
  turnsWithWord?: true;
}

export interface NarrowGlyph {
  body: number;
  full: number;
}

export interface ShapedCluster {
  text: string;
  cls: CharClass;
  /** Width of the cluster's body on the line, in em (half an em for Japanese punctuation). */
  width: number;
  glyphs: ShapedGlyph[];
}

/** A character the font cannot show, or a control character: never drawn as a blank box. */
export class MissingGlyphError extends Error {
  constructor(
    readonly clusterIndex: number,
    readonly char: string,
    readonly fontName: string,
    readonly control: boolean,
  ) {
    const cp = 'U+' + char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    super(
      control ? `control character ${cp} cannot be typeset` : `character ${JSON.stringify(char)} (${cp}) is not in the font ${fontName}`,
    );
    this.name = 'MissingGlyphError';
  }
}

/** Punctuation set as a half-em glyph plus aki; the value is where the ink sits within the full em. */
const HALF_EM_PUNCTUATION: Partial<Record<CharClass, number>> = {
  'cl-01': -0.5, // opening bracket: ink in the right half
  'cl-02': 0, // closing bracket: ink in the left half
  'cl-05': -0.25, // middle dot: ink centred
  'cl-06': 0, // full stop
  'cl-07': 0, // comma
};

function isControl(cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || (cp >= 0xfff9 && cp <= 0xfffb);
}

/** Word space width when the face has no proportional font: JLREQ's usual quarter-to-third em; ⅓ em. */
const DEFAULT_WORD_SPACE = 1 / 3;

interface GlyphCache {
  byCluster: Map<string, ShapedCluster>;
  byWord: Map<string, ShapedCluster[]>;
}

/**
 * Entries a face's caches hold before they start again: a batch of thousands of letters (a mail merge of
 * names and addresses) meets ever new words, and memory must not grow with the number of letters. Clusters
 * are characters (a document rarely uses more than a few thousand); shaping a word again costs microseconds.
 */
const CLUSTER_CACHE_LIMIT = 20_000;
const WORD_CACHE_LIMIT = 4_096;

/** How many clusters and words a face's caches hold (for tests and diagnostics). */
export function glyphCacheSize(face: FontFace): { clusters: number; words: number } {
  const c = caches.get(face);
  return { clusters: c?.byCluster.size ?? 0, words: c?.byWord.size ?? 0 };
}

function remember<V>(cache: Map<string, V>, limit: number, key: string, value: V): void {
  if (cache.size >= limit) cache.clear();
  cache.set(key, value);
}
const caches = new WeakMap<FontFace, GlyphCache>();

function cacheFor(face: FontFace): GlyphCache {
  let c = caches.get(face);
  if (!c) {
    c = { byCluster: new Map(), byWord: new Map() };
    caches.set(face, c);
  }
  return c;
}

/** Variation selectors (VS1–16, and the ideographic ones VS17–256 of IVS). */
const isVariationSelector = (cp: number) => (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef);

/**
 * The cluster's glyphs in one font, or undefined when the font cannot show it: a character it lacks, or
 * an ideographic variation sequence (葛󠄀) it does not list — never the base glyph in its place.
 */
function glyphsIn(font: Font, role: FontRole, cluster: string): ShapedGlyph[] | undefined {
  const upm = font.unitsPerEm;
  const cp = cluster.codePointAt(0)!;
  if (cluster.length === 1 || (cluster.length === 2 && cp > 0xffff)) {
    const id = glyphIdForCodePoint(font, cp);
    return id === 0 ? undefined : [{ font: role, id, advance: advanceWidthOf(font, id) / upm, offset: 0, text: cluster }];
  }
  const cps = Array.from(cluster, (ch) => ch.codePointAt(0)!);
  for (let k = 1; k < cps.length; k++) {
    if (isVariationSelector(cps[k]!) && cps[k]! >= 0xe0100 && !hasVariationSequence(font, cps[k - 1]!, cps[k]!)) return undefined;
  }
  // Combining sequences (か゚, variation selectors) go through the font's own shaping (ccmp, cmap 14).
  const run = font.layout(cluster);
  if (run.glyphs.some((g) => g.id === 0)) return undefined;
  let pen = 0;
  return run.glyphs.map((g, k) => {
    const p = run.positions[k]!;
    const glyph: ShapedGlyph = {
      font: role,
      id: g.id,
      advance: advanceWidthOf(font, g.id) / upm,
      offset: (pen + p.xOffset) / upm,
      text: k === 0 ? cluster : '',
    };
    pen += p.xAdvance;
    return glyph;
  });
}

const EM_DASH = '\u2014';

/**
 * Whether the dash at `i` stands in Western text: Western on both sides, or on one side with a word space
 * on the other (Inc.—all, word— word), or word spaces on both sides with Western text beyond both
 * (Kazakhstan — Japan).
 */
function inWesternText(classes: readonly CharClass[], i: number): boolean {
  const western = (k: number) => k >= 0 && k < classes.length && isWesternClass(classes[k]!);
  const space = (k: number) => classes[k] === 'cl-26';
  if (space(i - 1) && space(i + 1)) return western(i - 2) && western(i + 2);
  return (western(i - 1) || space(i - 1)) && (western(i + 1) || space(i + 1));
}
/**
 * Characters full-width in Japanese text that a font may draw half an em wide, and the character whose
 * glyph stands in: the dash (JLREQ cl-08) U+2015's, the minus sign (cl-18) U+FF0D's, JIS X 0208's minus (1-1-61).
 */
const FULL_WIDTH_FORMS = new Map([
  [EM_DASH, '\u2015'],
  ['\u2212', '\uff0d'],
]);

/** The character whose glyph sets `cluster` in Japanese text: itself, unless it is one of FULL_WIDTH_FORMS the font draws narrow. */
function fullWidthForm(font: Font, cluster: string): string {
  const form = FULL_WIDTH_FORMS.get(cluster);
  if (form === undefined) return cluster;
  const glyphOf = (ch: string) => font.glyphForCodePoint(ch.codePointAt(0)!);
  const fullWidth = (glyph: ReturnType<typeof glyphOf>) => glyph.advanceWidth >= font.unitsPerEm * 0.95;
  const own = glyphOf(cluster);
  if (!own || own.id === 0 || fullWidth(own)) return cluster;
  const lent = glyphOf(form);
  return lent && lent.id !== 0 && fullWidth(lent) ? form : cluster;
}

/**
 * Shape one Japanese (non-Western) cluster with the main font, or the first fallback font that has it
 * (a kanji outside the main font, 𠮷; an IVS variant). Results are cached per face.
 */
function shapeJapaneseCluster(face: FontFace, cluster: string, cls: CharClass, index: number): ShapedCluster {
  const cache = cacheFor(face).byCluster;
  const hit = cache.get(cluster);
  if (hit) return hit;
  const font = face.main;
  const cp = cluster.codePointAt(0)!;
  if (isControl(cp)) throw new MissingGlyphError(index, cluster, font.postscriptName, true);
  // The Japanese dash (JLREQ cl-08, ——) is an em wide; a font that draws U+2014 as a Western dash of half
  // an em lends it the glyph of U+2015 HORIZONTAL BAR, its full-width dash (the text stays U+2014). So does
  // the minus sign in Japanese text (cl-18, full-width), the glyph of U+FF0D: JIS X 0208's minus (1-1-61).
  const lent = fullWidthForm(font, cluster);
  let glyphs = glyphsIn(font, 'main', lent);
  if (glyphs && lent !== cluster) glyphs[0]!.text = cluster;
  // Fallback faces are for kanji (and their variation sequences) only: an emoji or a U+FFFD from a
  // mis-decoded file must stay an error, not print in whatever a fallback font happens to have.
  if (isIdeograph(cp)) for (let f = 0; !glyphs && f < face.fallbacks.length; f++) glyphs = glyphsIn(face.fallbacks[f]!, f, cluster);
  if (!glyphs) {
    const names = [font, ...(isIdeograph(cp) ? face.fallbacks : [])].map((f) => f.postscriptName).join(' or ');
    const bad = Array.from(cluster).find((ch) => !hasGlyphForCodePoint(font, ch.codePointAt(0)!)) ?? cluster;
    throw new MissingGlyphError(index, bad, names, false);
  }
  const fullWidth = glyphs.reduce((w, g) => Math.max(w, g.offset + g.advance), 0);
  let width = fullWidth;
  const shift = HALF_EM_PUNCTUATION[cls];
  if (shift !== undefined && Math.abs(fullWidth - 1) < 0.05) {
    width = 0.5;
    for (const g of glyphs) {
      g.offset += shift;
      if (shift === 0 && glyphs.length === 1) g.narrow = { body: width, full: g.advance };
    }
  }
  const shaped: ShapedCluster = { text: cluster, cls, width, glyphs };
  remember(cache, CLUSTER_CACHE_LIMIT, cluster, shaped);
  return shaped;
}

/** Shape a run of Western clusters (one word, or a word space) with the proportional font, kerning included. */
function shapeWesternRun(face: FontFace, clusters: string[], classes: readonly CharClass[], start: number, out: ShapedCluster[]): void {
  const font = face.latin ?? face.main;
  const role: FontRole = face.latin ? 'latin' : 'main';
  const upm = font.unitsPerEm;
  for (let k = 0; k < clusters.length; k++) {
    const cp = clusters[k]!.codePointAt(0)!;
    if (isControl(cp)) throw new MissingGlyphError(start + k, clusters[k]!, font.postscriptName, true);
    for (const ch of clusters[k]!) {
      if (!hasGlyphForCodePoint(font, ch.codePointAt(0)!)) {
        // The companion font lacks it: fall back to the Japanese font for the whole run.
        if (face.latin && font !== face.main) {
          shapeWesternRun(
            {
              name: face.name,
              main: face.main,
              get fallbacks() {
                return face.fallbacks; // read only when a character needs them
              },
            },
            clusters,
            classes,
            start,
            out,
          );
          return;
        }
        throw new MissingGlyphError(start + k, ch, font.postscriptName, false);
      }
    }
  }
  const text = clusters.join('');
  // No ligatures: every glyph must map back to its own characters in the text layer. (A new object
  // each time: fontkit writes into it.)
  const run = font.layout(text, { liga: false, clig: false, dlig: false });
  // Map glyphs back to clusters through their code points.
  let cluster = 0;
  let used = 0; // code points of clusters[cluster] consumed so far
  const cpCount = clusters.map((c) => Array.from(c).length);
  const shaped: ShapedCluster[] = clusters.map((c, k) => ({ text: c, cls: classes[k]!, width: 0, glyphs: [] }));
  for (let g = 0; g < run.glyphs.length; g++) {
    const glyph = run.glyphs[g]!;
    const pos = run.positions[g]!;
    const target = shaped[Math.min(cluster, shaped.length - 1)]!;
    target.glyphs.push({
      font: role,
      id: glyph.id,
      advance: advanceWidthOf(font, glyph.id) / upm,
      offset: (target.width + pos.xOffset) / upm,
      text: used === 0 ? target.text : '',
    });
    target.width += pos.xAdvance;
    used += Math.max(1, glyph.codePoints.length);
    while (cluster < shaped.length && used >= cpCount[cluster]!) {
      used -= cpCount[cluster]!;
      cluster++;
    }
  }
  for (const s of shaped) {
    s.width /= upm;
    if (s.cls === 'cl-26' && !face.latin) s.width = DEFAULT_WORD_SPACE;
    const straight = STRAIGHT_QUOTE[s.text];
    if (straight !== undefined && s.glyphs.length === 1) {
      // A curly quote shaped here is in Western use (text/linebreak.ts quotesInWesternUse): its word's.
      s.glyphs[0]!.turnsWithWord = true;
      fitToStraightQuote(font, s, straight);
    }
    // A cluster whose glyphs were all merged into the previous one keeps an empty glyph list.
    out.push(s);
  }
}

/** The straight quote whose spacing a curly one takes in Western text (see fitToStraightQuote). */
const STRAIGHT_QUOTE: Record<string, number> = { '\u2018': 0x27, '\u2019': 0x27, '\u201c': 0x22, '\u201d': 0x22 };

/**
 * A curly quotation mark in Western text (don’t, “Smart Mix”) from a font whose curly quotes are half- or
 * full-width bracket glyphs (BIZ UD PMincho's ’ is half an em, its ink in the left fifth): set proportionally,
 * with the advance and left side bearing of the font's own straight quote (' for ‘ ’, " for “ ”), whose ink
 * is the same size. A font whose curly quotes are already proportional is left as it is.
 */
function fitToStraightQuote(font: Font, s: ShapedCluster, straight: number): void {
  if (s.width < 0.45) return;
  const id = glyphIdForCodePoint(font, straight);
  if (id === 0) return;
  const glyph = s.glyphs[0]!;
  const upm = font.unitsPerEm;
  const advance = advanceWidthOf(font, id) / upm;
  const straightBearing = leftBearingOf(font, id);
  const ownBearing = leftBearingOf(font, glyph.id);
  if (advance >= s.width || straightBearing === undefined || ownBearing === undefined) return;
  glyph.offset += (straightBearing - ownBearing) / upm;
  s.width = advance;
}

/**
 * Shape a paragraph's clusters. Western runs (cl-24/25/26/27) use the proportional font; everything
 * else the Japanese font, with punctuation as half-em bodies.
 */
export function shapeClusters(
  clusters: readonly string[],
  face: FontFace,
  classes: readonly CharClass[] = clusters.map(classOfCluster),
): ShapedCluster[] {
  const out: ShapedCluster[] = [];
  let i = 0;
  while (i < clusters.length) {
    const cls = classes[i]!;
    if (isWesternClass(cls) || cls === 'cl-26') {
      let j = i + 1;
      // A word: consecutive Western characters; a space ends it (the space is shaped on its own).
      if (cls !== 'cl-26') {
        while (j < clusters.length) {
          if (!isWesternClass(classes[j]!)) break;
          j++;
        }
      }
      // Words repeat: shape each distinct word once per face (fontkit's layout is the costly part).
      const word = clusters.slice(i, j) as string[];
      const key = word.join('');
      const words = cacheFor(face).byWord;
      let shaped = words.get(key);
      if (!shaped) {
        shaped = [];
        shapeWesternRun(face, word, classes.slice(i, j), i, shaped);
        remember(words, WORD_CACHE_LIMIT, key, shaped);
      }
      for (const c of shaped) out.push(c);
      i = j;
    } else if (clusters[i] === EM_DASH && inWesternText(classes, i)) {
      // An em dash in Western text (Inc.—all, word — word) is the Western one, from the Latin font.
      shapeWesternRun(face, [EM_DASH], [cls], i, out);
      i++;
    } else {
      out.push(shapeJapaneseCluster(face, clusters[i]!, cls, i));
      i++;
    }
  }
  return out;
}
