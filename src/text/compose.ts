/**
 * Japanese paragraph composition (JLREQ ch. 3 "Line Composition"): choose line breaks and justify each line.
 *
 * Works along the inline axis only — advances in em, no x/y — so that vertical writing can reuse it.
 * The input is a paragraph's text, a shaped font face and settings; the output is plain data: lines of
 * glyphs with their inline offsets. Nothing here knows about PDF.
 *
 * Each line is set the way JLREQ describes for a compositor (§3.8): when the next character may not
 * start a line, it is pushed in (spacing reduced in priority order, §3.8.2 and Table 3) or the offending
 * characters are pushed out to the next line and the line is expanded (Table 6). Which of the two, line by
 * line, is chosen for the paragraph as a whole (chooseBreaks). Line-head and line-end spacing is resolved
 * after the breaks are chosen (§3.1.5). The work is linear in the paragraph length.
 */
import type { InlineRun, TextSource } from '../model/document.js';
import type { OpeningBracketIndent } from '../model/schema.js';
import { toClusters, type CharClass } from './classes.js';
import { analyzeBreaks, charInfo, type LineBreakMode } from './linebreak.js';
import type { FontFace, FontRole, NarrowGlyph, ShapedCluster } from './shape.js';
import { MissingGlyphError, shapeClusters } from './shape.js';
import {
  ALL_OR_NOTHING,
  SHRINK_PRIORITIES,
  STRETCH_LIMIT,
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
}

export interface PositionedGlyph {
  font: FontRole;
  id: number;
  /** Inline offset of the glyph origin from the line start, in em. */
  x: number;
  /** Text for the text layer ('' when this glyph continues the previous one). */
  text: string;
  /** For a punctuation glyph whose ink is in its first half: its body and full advance (see ShapedGlyph). */
  narrow?: NarrowGlyph;
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
  /** A word longer than the line had to be broken here. */
  forced: boolean;
  isLast: boolean;
}

export interface ComposedParagraph {
  lines: ComposedLine[];
  clusters: string[];
  warnings: string[];
}

/** How much shorter than the measure a line may be and still be tried as a candidate, in em. */
const STRETCH_WINDOW = 4;

/** The first e > s whose line [s, e) is at least `width` em at natural width (n when none is). */
function firstWithin(p: Prepared, s: number, lead: number, width: number): number {
  let lo = s + 1;
  let hi = p.clusters.length;
  if (lo >= hi) return lo;
  const reaches = (e: number) => naturalWidth(p, s, e, lead, false) >= width;
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
    if (naturalWidth(p, s, mid, lead, false) >= width) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Stretched lines costing more than this are considered only as the fullest line from a position. */
const LOOSE_TOLERANCE = 50;

/** Where a word that must be broken (a URL, a path) breaks best: after one of these. */
const URL_SEPARATORS = new Set(['/', '-', '.', '_', '?', '&', '=', '#', ':', '@', '~', ',']);

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
  gapShrinkable: Float64Array;
  gapStretch: Uint8Array;
  breakOk: boolean[];
  /** Spaces that take no room at a line end (word spaces; an ideographic space after ？！). */
  collapsible: Uint8Array;
  /** Prefix sums: widthSum[i] = Σ width[0..i-1]; gapSum[i] = Σ gapNatural[1..i]; the others likewise. */
  widthSum: Float64Array;
  gapSum: Float64Array;
  shrinkSum: Float64Array;
  /** How much the gaps can be expanded within their limits (word space to ½ em, others by ¼ em). */
  stretchSum: Float64Array;
  /** How many gaps can be expanded at all. */
  placeSum: Float64Array;
  /** The space each cluster keeps after it at a line end, and how much of that may go (lineEndSpace). */
  endAmount: Float64Array;
  endShrinkable: Float64Array;
}

function prepare(text: string, face: FontFace, mode: LineBreakMode): Prepared {
  const clusters = toClusters(text);
  const n = clusters.length;
  const infos = clusters.map(charInfo);
  const classes = infos.map((info) => info.cls);
  const { breakOk, inseparable } = analyzeBreaks(infos, mode);
  const shaped = shapeClusters(clusters, face, classes);
  const width = new Float64Array(n);
  const gaps: (readonly SpaceComponent[])[] = new Array(n);
  const gapNatural = new Float64Array(n + 1);
  const gapShrinkable = new Float64Array(n + 1);
  const gapStretch = new Uint8Array(n + 1);
  // Spaces that vanish at a line end: Western word spaces, and the ideographic space written after
  // ？ or ！ to end a sentence (JLREQ §3.1.6: at a line end it is dropped and the next line starts flush).
  // Their width lives in the gap after them, which a break discards.
  const collapsible = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    collapsible[i] = classes[i] === 'cl-26' || (classes[i] === 'cl-14' && i > 0 && classes[i - 1] === 'cl-04') ? 1 : 0;
    width[i] = collapsible[i] ? 0 : shaped[i].width;
  }
  gaps[0] = [];
  for (let i = 1; i < n; i++) {
    const a = classes[i - 1];
    const b = classes[i];
    const shared = defaultSpace(a, b); // shared between gaps: never modified
    const comps =
      a === 'cl-26'
        ? [wordSpace(shaped[i - 1].width), ...shared]
        : collapsible[i - 1]
          ? [{ amount: shaped[i - 1].width, shrink: Shrink.Fixed, floor: shaped[i - 1].width }, ...shared]
          : shared;
    gaps[i] = comps;
    let nat = 0;
    let shr = 0;
    let stretch = Stretch.None;
    for (let k = 0; k < comps.length; k++) {
      const c = comps[k];
      nat += c.amount;
      if (c.shrink !== Shrink.Fixed) shr += c.amount - c.floor;
      if (c.shrink === Shrink.WordSpace) stretch = Stretch.WordSpace;
      else if (c.shrink === Shrink.JapaneseWestern && stretch === Stretch.None) stretch = Stretch.JapaneseWestern;
    }
    if (stretch === Stretch.None) {
      if (letterSpacingAllowed(a, b, inseparable[i] === 1)) stretch = Stretch.Letter;
    }
    gapNatural[i] = nat;
    gapShrinkable[i] = shr;
    gapStretch[i] = stretch;
  }
  const endAmount = new Float64Array(n);
  const endShrinkable = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const end = lineEndSpace(classes[i]);
    if (end) {
      endAmount[i] = end.amount;
      endShrinkable[i] = end.amount - end.floor;
    }
  }
  const widthSum = new Float64Array(n + 1);
  const gapSum = new Float64Array(n + 1);
  const shrinkSum = new Float64Array(n + 1);
  const stretchSum = new Float64Array(n + 1);
  const placeSum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    widthSum[i + 1] = widthSum[i] + width[i];
    const g = i + 1 < n ? i + 1 : -1;
    gapSum[i + 1] = gapSum[i] + (g > 0 ? gapNatural[g] : 0);
    shrinkSum[i + 1] = shrinkSum[i] + (g > 0 ? gapShrinkable[g] : 0);
    const kind = g > 0 ? gapStretch[g] : Stretch.None;
    const room = kind === Stretch.WordSpace ? Math.max(0, STRETCH_LIMIT[kind] - gapNatural[g]) : STRETCH_LIMIT[kind as Stretch];
    stretchSum[i + 1] = stretchSum[i] + room;
    placeSum[i + 1] = placeSum[i] + (kind === Stretch.None ? 0 : 1);
  }
  return {
    clusters,
    classes,
    shaped,
    width,
    gaps,
    gapNatural,
    gapShrinkable,
    gapStretch,
    breakOk,
    collapsible,
    widthSum,
    gapSum,
    shrinkSum,
    stretchSum,
    placeSum,
    endAmount,
    endShrinkable,
  };
}

/**
 * The measure of a line [s, e): its natural width (naturalWidth) and how much of that may be reduced
 * (shrinkableWidth), in em. Two functions returning numbers rather than one returning an object: they
 * run for every candidate line, and in a short-lived process the objects would be garbage to collect.
 */
function naturalWidth(p: Prepared, s: number, e: number, lead: number, withLineEnd: boolean): number {
  // Bodies s..e-1, gaps s+1..e-1 (the gap at s belongs to the break and is dropped).
  const natural = lead + p.widthSum[e] - p.widthSum[s] + (e - 1 > s ? p.gapSum[e - 1] - p.gapSum[s] : 0);
  return withLineEnd ? natural + p.endAmount[lastInk(p, s, e)] : natural;
}

function shrinkableWidth(p: Prepared, s: number, e: number, withLineEnd: boolean): number {
  const shrinkable = e - 1 > s ? p.shrinkSum[e - 1] - p.shrinkSum[s] : 0;
  return withLineEnd ? shrinkable + p.endShrinkable[lastInk(p, s, e)] : shrinkable;
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
  const cls = p.classes[s];
  if (first) {
    if (cls === 'cl-01' || cls === 'cl-28') {
      // The bracket's own aki is dropped at the line head; the convention decides the indent.
      if (settings.openingBracketIndent === 'half') return 0.5;
      if (settings.openingBracketIndent === 'none') return 0;
    }
    return settings.indent + lineHeadSpace(cls);
  }
  return lineHeadSpace(cls);
}

/** Receives each candidate line from a position: where it ends, what hangs, whether forced, its cost. */
type Consider = (end: number, hangIndex: number, forced: boolean, cost: number) => void;

/*
 * Line costs encode JLREQ's order of preference (§3.8.1–3.8.2): a line set at its natural width costs
 * nothing; pushing in (reducing punctuation and word spaces) is preferred to pushing out (expanding), so
 * any push-in costs less than any push-out; among push-outs, a line that needs more expansion than its
 * spaces can take within their limits costs steeply more.
 */
function shrinkCost(need: number, available: number): number {
  if (need <= EPS) return 0;
  return 1 + (10 * need) / available;
}

function stretchCost(need: number, capacity: number, places: number, gaps: number): number {
  if (need <= EPS) return 0;
  if (capacity > EPS) {
    const r = need / capacity;
    return r <= 1 ? 20 + 100 * r * r * r : 120 + 2000 * (r - 1);
  }
  return places > 0 ? 5000 + 100 * need : gaps > 0 ? 20000 : 1e6;
}

/** The lines a paragraph could start at cluster s, with their costs (JLREQ §3.8 choices, and the last resort). */
function candidatesFrom(p: Prepared, s: number, lead: number, settings: ParagraphSettings, consider: Consider): void {
  const n = p.clusters.length;
  const measure = settings.measure;
  let count = 0;
  let fitConsidered = false;
  let fit = -1; // last opportunity that fits at natural width
  let fitCost = -1; // its cost when it was left out for being too loose
  let next = -1; // the first that does not
  // Lines shorter than the measure by more than STRETCH_WINDOW em are not worth trying, except the
  // fullest line when nothing else fits: find where the window starts by bisection (widths only grow).
  const first = firstWithin(p, s, lead, measure - STRETCH_WINDOW);
  if (first > s + 1) {
    for (let e = first - 1; e > s; e--) {
      if (!p.breakOk[e]) continue;
      const natural = naturalWidth(p, s, e, lead, true);
      if (natural <= measure + EPS) {
        fit = e;
        fitCost = stretchCost(measure - natural, p.stretchSum[e - 1] - p.stretchSum[s], p.placeSum[e - 1] - p.placeSum[s], e - 1 - s);
        break;
      }
    }
  }
  for (let e = first; e <= n; e++) {
    if (!p.breakOk[e]) continue;
    const natural = naturalWidth(p, s, e, lead, true);
    if (natural <= measure + EPS) {
      fit = e;
      // Setting solid or expanding (push-out, oidashi); the paragraph's last line is never expanded.
      const need = measure - natural;
      const cost =
        e === n && settings.justifyLastLine !== true
          ? 0
          : stretchCost(need, p.stretchSum[e - 1] - p.stretchSum[s], p.placeSum[e - 1] - p.placeSum[s], e - 1 - s);
      // A line looser than the tolerance is never better than a fuller one; keeping only the fullest of
      // those (below) keeps the search small.
      if (cost <= LOOSE_TOLERANCE) {
        consider(e, -1, false, cost);
        count++;
        fitConsidered = true;
      } else {
        fitCost = cost;
        fitConsidered = false;
      }
      continue;
    }
    if (next === -1) next = e;
    let feasible = false;
    // Hanging punctuation, only where needed: the mark's body does not fit but everything before it does.
    const last = e - 1;
    if (settings.hangingPunctuation && isHangable(p.classes[last]) && last > s) {
      const before = naturalWidth(p, s, last, lead, false) + p.gapNatural[last];
      const shrinkableBefore = shrinkableWidth(p, s, last, false) + p.gapShrinkable[last];
      if (before + p.width[last] > measure + EPS && before - shrinkableBefore <= measure + EPS) {
        consider(e, last, false, 2 + shrinkCost(before - measure, shrinkableBefore));
        count++;
        feasible = true;
      }
    }
    // Push-in (oikomi): this opportunity fits once spacing is reduced in JLREQ's order.
    const shrinkable = shrinkableWidth(p, s, e, true);
    if (natural - shrinkable <= measure + EPS) {
      consider(e, -1, false, shrinkCost(natural - measure, shrinkable));
      count++;
      feasible = true;
    }
    if (!feasible) break; // every later opportunity is wider still
  }
  if (fit !== -1 && !fitConsidered) {
    consider(fit, -1, false, fitCost);
    count++;
  }
  // A word longer than any line follows (or nothing fits): fill this line and break the word, as a last
  // resort, at the last cluster boundary that fits.
  const wordTooLong = next !== -1 && naturalWidth(p, Math.max(fit, s), next, 0, false) > measure + EPS;
  if (count === 0 || wordTooLong) {
    let e = s + 1;
    while (e < n && naturalWidth(p, s, e + 1, lead, false) <= measure + EPS) e++;
    // In a URL or path, break after a separator near the end of the line rather than inside a name.
    for (let k = e; k > s + 1 && k > e - 12; k--) {
      if (URL_SEPARATORS.has(p.clusters[k - 1])) {
        e = k;
        break;
      }
    }
    consider(e, -1, true, 1e6);
  }
}

/**
 * Choose all of a paragraph's breaks at once (total fit, as TeX's paragraph builder and LuaTeX-ja do): the
 * sequence of lines whose summed cost is least. Where every line can be set solid — most Japanese text —
 * this is the same as filling each line in turn; where punctuation or Latin words force a choice, it
 * spreads the adjustment instead of leaving one line badly stretched. Each position is visited once and
 * looks ahead at most one line, so the work stays linear in the paragraph length.
 */
function chooseBreaks(p: Prepared, settings: ParagraphSettings): LinePlan[] {
  const n = p.clusters.length;
  const best = new Float64Array(n + 1).fill(Infinity);
  const from = new Int32Array(n + 1).fill(-1);
  const hangAt = new Int32Array(n + 1).fill(-1);
  const forcedAt = new Uint8Array(n + 1);
  best[0] = 0;
  let s = 0;
  const consider: Consider = (end, hangIndex, forced, cost) => {
    // Demerits: squared, so that one very bad line costs more than several slightly adjusted ones.
    const total = best[s] + (1 + cost) * (1 + cost);
    if (total < best[end] - 1e-9) {
      best[end] = total;
      from[end] = s;
      hangAt[end] = hangIndex;
      forcedAt[end] = forced ? 1 : 0;
    }
  };
  for (; s < n; s++) {
    if (best[s] === Infinity) continue;
    candidatesFrom(p, s, leadOf(p, s, s === 0, settings), settings, consider);
  }
  const out: LinePlan[] = [];
  for (let e = n; e > 0; e = from[e]) out.push({ end: e, hangIndex: hangAt[e], forced: forcedAt[e] === 1 });
  return out.reverse();
}

interface Adjusted {
  /** Final value of each gap s+1..e-1, indexed by gap index. */
  gap: Map<number, number>;
  lineEnd: number;
  adjustment: LineAdjustment;
}

/**
 * Justify the line to `target`: reduce in JLREQ's priority order, or expand in JIS X 4051's, never
 * inside an unbreakable sequence. A paragraph's last line is only ever reduced.
 */
function justify(
  p: Prepared,
  s: number,
  e: number,
  lead: number,
  target: number,
  lineEndCls: CharClass | null,
  mayStretch: boolean,
): Adjusted {
  interface Part {
    gap: number;
    comp: SpaceComponent;
    value: number;
  }
  const parts: Part[] = [];
  for (let i = s + 1; i < e; i++) {
    const gap = p.gaps[i];
    for (let k = 0; k < gap.length; k++) parts.push({ gap: i, comp: gap[k], value: gap[k].amount });
  }
  const endComp = lineEndCls ? lineEndSpace(lineEndCls) : null;
  const endPart: Part | null = endComp ? { gap: -1, comp: endComp, value: endComp.amount } : null;
  if (endPart) parts.push(endPart);

  let natural = lead + p.widthSum[e] - p.widthSum[s];
  for (let k = 0; k < parts.length; k++) natural += parts[k].value;
  let delta = target - natural;
  let adjustment: LineAdjustment = 'natural';

  if (delta < -EPS) {
    adjustment = 'shrunk';
    let need = -delta;
    for (const pri of SHRINK_PRIORITIES) {
      if (need <= EPS) break;
      const group = parts.filter((q) => q.comp.shrink === pri);
      const avail = group.reduce((sum, q) => sum + (q.value - q.comp.floor), 0);
      if (avail <= EPS) continue;
      if (ALL_OR_NOTHING.has(pri)) {
        for (const q of group) q.value = q.comp.floor;
        need -= avail;
      } else {
        const take = Math.min(need, avail);
        for (const q of group) q.value -= ((q.value - q.comp.floor) * take) / avail;
        need -= take;
      }
    }
    // Negative: still too long (only a forced break can get here). Positive: an all-or-nothing step
    // overshot, and the line is expanded back to the measure below.
    delta = -need;
  }

  const gapValue = new Map<number, number>();
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (part.gap >= 0) gapValue.set(part.gap, (gapValue.get(part.gap) ?? 0) + part.value);
  }

  if (delta > EPS && mayStretch) {
    if (adjustment === 'natural') adjustment = 'stretched';
    let remaining = delta;
    const byKind = (kind: Stretch) => {
      const out: number[] = [];
      for (let i = s + 1; i < e; i++) if (p.gapStretch[i] === kind) out.push(i);
      return out;
    };
    const allExpandable: number[] = [];
    for (const kind of [Stretch.WordSpace, Stretch.JapaneseWestern, Stretch.Letter]) {
      const gaps = byKind(kind);
      allExpandable.push(...gaps);
      if (remaining <= EPS || gaps.length === 0) continue;
      // Word spaces grow to ½ em wide in all; the other kinds by their limit.
      const room = gaps.map((i) =>
        kind === Stretch.WordSpace ? Math.max(0, STRETCH_LIMIT[kind] - (gapValue.get(i) ?? 0)) : STRETCH_LIMIT[kind],
      );
      const total = room.reduce((a, b) => a + b, 0);
      if (total <= EPS) continue;
      const take = Math.min(remaining, total);
      gaps.forEach((i, k) => gapValue.set(i, (gapValue.get(i) ?? 0) + (room[k] * take) / total));
      remaining -= take;
    }
    if (remaining > EPS) {
      if (allExpandable.length > 0) {
        const each = remaining / allExpandable.length;
        for (const i of allExpandable) gapValue.set(i, (gapValue.get(i) ?? 0) + each);
        remaining = 0;
      } else if (e - s > 1) {
        // Last resort (a line holding only a word that could not be broken elsewhere, or a broken
        // overlong word): letter-space it so the line is still flush, and say so.
        adjustment = 'letterspaced';
        const each = remaining / (e - s - 1);
        for (let i = s + 1; i < e; i++) gapValue.set(i, (gapValue.get(i) ?? 0) + each);
        remaining = 0;
      } else {
        adjustment = 'short';
      }
    }
  }
  return { gap: gapValue, lineEnd: endPart ? endPart.value : 0, adjustment };
}

function emit(p: Prepared, s: number, e: number, lead: number, gapValue: Map<number, number>): { glyphs: PositionedGlyph[]; end: number } {
  const glyphs: PositionedGlyph[] = [];
  const ink = e < p.clusters.length ? lastInk(p, s, e) : e - 1;
  let x = lead;
  for (let i = s; i < e; i++) {
    if (i > s) x += gapValue.get(i) ?? 0;
    const shapedGlyphs = p.shaped[i].glyphs;
    for (let k = 0; k < shapedGlyphs.length; k++) {
      const g = shapedGlyphs[k];
      // Kept small: a long document holds every placed glyph until the PDF is written.
      const placed: PositionedGlyph = { font: g.font, id: g.id, x: x + g.offset, text: g.text };
      if (g.narrow !== undefined) placed.narrow = g.narrow;
      // A word space left at a line end stays in the text layer (copy and paste gives "with Technology"),
      // but takes no room: written with no width, its box never passes the block edge.
      else if (i > ink) placed.narrow = { body: 0, full: g.advance };
      glyphs.push(placed);
    }
    x += p.width[i];
  }
  return { glyphs, end: x };
}

/**
 * Compose one paragraph into justified lines.
 * Throws MissingGlyphError (from shaping) for a character the face cannot show.
 */
export function composeParagraph(text: string, face: FontFace, settings: ParagraphSettings): ComposedParagraph {
  const p = prepare(text, face, settings.lineBreak);
  const n = p.clusters.length;
  const lines: ComposedLine[] = [];
  const warnings: string[] = [];
  let s = 0;
  for (const plan of n > 0 ? chooseBreaks(p, settings) : []) {
    const first = s === 0;
    const lead = leadOf(p, s, first, settings);
    const e = plan.end;
    const isLast = e >= n;
    const mayStretch = !isLast || settings.justifyLastLine === true;
    let adjusted: Adjusted;
    let hanging = 0;
    let width: number;
    let contentWidth: number;
    let glyphs: PositionedGlyph[];
    if (plan.hangIndex >= 0) {
      // Justify everything before the hanging mark to the measure; the mark's body sits past it.
      const h = plan.hangIndex;
      adjusted = justify(p, s, h, lead, settings.measure - p.gapNatural[h], null, true);
      adjusted.gap.set(h, p.gapNatural[h]);
      const out = emit(p, s, e, lead, adjusted.gap);
      glyphs = out.glyphs;
      hanging = out.end - settings.measure;
      width = settings.measure;
      contentWidth = out.end;
    } else {
      const endCls = p.classes[lastInk(p, s, e)];
      adjusted = justify(p, s, e, lead, settings.measure, lineEndSpace(endCls) ? endCls : null, mayStretch);
      const out = emit(p, s, e, lead, adjusted.gap);
      glyphs = out.glyphs;
      width = out.end + adjusted.lineEnd;
      contentWidth = out.end;
      // Trailing word spaces were emitted with zero width; the line ends at its last body.
    }
    if ((adjusted.adjustment === 'short' || adjusted.adjustment === 'letterspaced') && !isLast && !plan.forced) {
      warnings.push(`a line could only be justified by spacing out a word: "${p.clusters.slice(s, e).join('')}"`);
    }
    if (plan.forced) {
      warnings.push(`a word longer than the line was broken after "${p.clusters.slice(Math.max(s, e - 12), e).join('')}"`);
    }
    lines.push({
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
    });
    s = e;
  }
  return { lines, clusters: p.clusters, warnings };
}

/** A character the face cannot show, at its place in an inline run (UTF-16 offset into the run's text). */
export class RunGlyphError extends Error {
  constructor(
    readonly source: TextSource,
    readonly offset: number,
    readonly glyphError: MissingGlyphError,
  ) {
    super(glyphError.message);
    this.name = 'RunGlyphError';
  }
}

/**
 * Compose a paragraph given as inline runs. A character the face cannot show is reported in its run
 * (RunGlyphError), so that the model can point at it in the source.
 */
export function composeRuns(runs: readonly InlineRun[], face: FontFace, settings: ParagraphSettings): ComposedParagraph {
  const text = runs.length === 1 ? runs[0]!.text : runs.map((run) => run.text).join('');
  try {
    return composeParagraph(text, face, settings);
  } catch (e) {
    if (!(e instanceof MissingGlyphError)) throw e;
    // The error counts clusters (a base and its combining marks are one); the runs count UTF-16 units.
    const clusters = toClusters(text);
    let offset = 0;
    for (let k = 0; k < e.clusterIndex && k < clusters.length; k++) offset += clusters[k]!.length;
    let start = 0;
    for (const run of runs) {
      if (offset < start + run.text.length) throw new RunGlyphError(run.source, offset - start, e);
      start += run.text.length;
    }
    throw e;
  }
}
