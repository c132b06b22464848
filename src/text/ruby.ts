/**
 * Ruby (ルビ) and emphasis dots (圏点) along the inline axis (JLREQ §3.3 and Appendix F). Like the rest
 * of src/text this knows em offsets only: it widens ruby bases where their reading is longer, forbids
 * breaks inside a base, and places the annotation glyphs relative to the clusters they belong to. Layout
 * puts them beside the line (over it in horizontal writing, to its right in vertical).
 *
 * Decisions, each from JLREQ:
 *  - ruby is half the base size (§3.3.2);
 *  - a base with one character takes mono ruby, centred on it (§3.3.4); a base of several characters
 *    takes group ruby (§3.3.5), spread 1:2:1 over the base when shorter (JIS X 4051 5.3: the space at
 *    each end is half that between the ruby characters);
 *  - a reading longer than its base may overhang an adjacent hiragana or katakana by at most one ruby
 *    character (half an em of the base) and never a kanji or anything else (§3.3.7, Appendix F); what is
 *    still longer spreads the base 1:2:1;
 *  - ruby never separates from its base at a line break (§3.3.6): no break inside a group ruby's base;
 *  - jukugo ruby (東京《とう｜きょう》: a reading per base character, §3.3.6 and Appendix F) is set per
 *    character: a reading that fits its character is centred on it (mono ruby); a longer one overhangs the
 *    next character of the word first, then the previous one, by at most one ruby character each
 *    (Appendix F part 2, 2.a), pushing the neighbours' readings along; only what cannot fit inside the
 *    word overhangs adjacent kana outside it, by at most one ruby character, the kana after first (2.b,
 *    2.c); what still does not fit is made room for by spacing out the characters with long readings, in
 *    proportion to their readings, half before and half after each (F "with inter-character space
 *    expansion"). A line may break between the characters — each part then set again on its own line
 *    with its own readings — except where a part could not hold its readings at the line's edge (the
 *    word is not spaced again after the break).
 *    Appendix F is written for katatsuki ruby (vertical, top-aligned); kumihan centres mono ruby
 *    (nakatsuki), so a reading within its character stays centred and only the overflow moves;
 *  - at a line's head or end the ruby is kept inside the line (§3.3.7 c: aligned with the line edge);
 *  - emphasis dots go beside every character but punctuation, spaces and Western marks (§3.3.9).
 */
import type { InlineMark } from '../model/markup.js';
import type { CharClass } from './classes.js';
import { toClusters } from './classes.js';
import type { FontFace, FontRole } from './shape.js';
import { shapeClusters } from './shape.js';

/** Ruby and emphasis dots are set at half the base size (JLREQ §3.3.2). */
export const ANNOTATION_SCALE = 0.5;

/** An inline mark over a range of the paragraph's text (UTF-16 offsets [start, end)). */
export interface MarkedRange {
  start: number;
  end: number;
  mark: InlineMark;
}

/** A ruby or emphasis glyph, at ANNOTATION_SCALE of the line's size; x in em of the base size. */
export interface AnnotationGlyph {
  font: FontRole;
  id: number;
  x: number;
  text: string;
  /** What it annotates: the layout places ruby and dots alike beside the line. */
  kind: 'ruby' | 'emphasis';
}

/** Annotation glyphs anchored at a cluster: dx is from that cluster's body start (after its inset). */
interface Anchored {
  glyphs: { font: FontRole; id: number; dx: number; text: string }[];
  kind: 'ruby' | 'emphasis';
  /** The extent of the group in em from the anchor: kept inside the line as a whole. */
  from: number;
  to: number;
  /** A ruby's base: the cluster after its last, and its reading. */
  ruby?: { end: number; reading: string };
}

/** The readings of a jukugo ruby, placed line by line (a line may break between its characters). */
interface Jukugo {
  /** Cluster range [start, end) of the base: one reading per cluster. */
  start: number;
  end: number;
  readings: { glyphs: { font: FontRole; id: number; dx: number; text: string }[]; width: number; text: string }[];
  /** Each base character's own width (its em box), and the room added around it (half before, half after), em. */
  baseWidth: number[];
  extra: number[];
  /** Whether the character before or after the word is kana, which a reading may overhang. */
  kanaBefore: boolean;
  kanaAfter: boolean;
}

export interface PreparedAnnotations {
  /** Per cluster: where its glyphs start inside its (widened) body, em. */
  inset: Float64Array;
  /** Per cluster index: the annotation groups anchored there. */
  anchored: Map<number, Anchored[]>;
  /** Per cluster index of a jukugo ruby's base: the jukugo. */
  jukugo: Map<number, Jukugo>;
}

/**
 * A ruby set on a line, for a tagged PDF (Ruby → RB, RT): its base's clusters [start, end) and its
 * reading's glyphs [from, to) among the line's annotation glyphs. A jukugo gives one per character.
 */
export interface PlacedRuby {
  start: number;
  end: number;
  from: number;
  to: number;
  reading: string;
}

/** Classes that never take emphasis dots: brackets, punctuation, middle dots, spaces (JLREQ §3.3.9). */
const NO_EMPHASIS: ReadonlySet<CharClass> = new Set([
  'cl-01',
  'cl-02',
  'cl-03',
  'cl-04',
  'cl-05',
  'cl-06',
  'cl-07',
  'cl-08',
  'cl-14',
  'cl-26',
  'cl-28',
  'cl-29',
]);
/** What ruby may overhang: hiragana and katakana (JLREQ §3.3.7), small kana and the prolonged sound mark. */
const KANA: ReadonlySet<CharClass> = new Set(['cl-15', 'cl-16', 'cl-11']);
/** Emphasis dots (JLREQ §3.3.9): a bullet over horizontal text, a sesame dot beside a vertical column. */
export const BULLET_DOT = '\u2022';
export const SESAME_DOT = '\ufe45';

/** Cluster index of each UTF-16 offset's cluster start, and the cluster count. */
function clusterIndexOf(clusters: readonly string[]): (offset: number) => number {
  const starts: number[] = [];
  let o = 0;
  for (const c of clusters) {
    starts.push(o);
    o += c.length;
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Widens ruby bases (width, in place) and forbids breaks inside them (breakOk, in place); returns the
 * insets and the annotation glyphs anchored to clusters. Called before the widths are summed.
 */
export function prepareAnnotations(
  marks: readonly MarkedRange[],
  clusters: readonly string[],
  classes: readonly CharClass[],
  westernMark: Uint8Array,
  width: Float64Array,
  breakOk: boolean[],
  face: FontFace,
  emphasisDot: string,
): PreparedAnnotations {
  const n = clusters.length;
  const inset = new Float64Array(n);
  const anchored = new Map<number, Anchored[]>();
  const anchor = (i: number, a: Anchored) => {
    const list = anchored.get(i);
    if (list) list.push(a);
    else anchored.set(i, [a]);
  };
  const jukugo = new Map<number, Jukugo>();
  const indexOf = clusterIndexOf(clusters);
  // Overhang already taken on each kana by the reading before it: a kana between two readings is
  // overhung by one ruby character in all, so that the readings stay a ruby character apart.
  const overhung = new Float64Array(n);
  for (const range of marks) {
    const a = indexOf(range.start);
    const b = indexOf(range.end);
    if (b <= a) continue;
    // A jukugo whose readings match its clusters (a tate-chu-yoko run in it merges two: then group ruby).
    if (range.mark.kind === 'ruby' && range.mark.jukugo && range.mark.jukugo.length === b - a && b - a > 1) {
      const j = prepareJukugo(range.mark.jukugo, a, b, classes, width, breakOk, face);
      for (let k = a; k < b; k++) {
        jukugo.set(k, j);
        inset[k] = j.extra[k - a]! / 2;
      }
    } else if (range.mark.kind === 'ruby') {
      for (let k = a + 1; k < b; k++) breakOk[k] = false;
      const rubyClusters = toClusters(range.mark.ruby);
      const shaped = shapeClusters(rubyClusters, face);
      const rubyWidth = shaped.reduce((sum, c) => sum + c.width, 0) * ANNOTATION_SCALE;
      let baseWidth = 0;
      for (let k = a; k < b; k++) baseWidth += width[k]!;
      const nb = b - a;
      let rubyStart: number; // from the base start, em
      let spacing = 0; // between ruby characters (1:2:1)
      if (rubyWidth <= baseWidth) {
        spacing = (baseWidth - rubyWidth) / rubyClusters.length;
        rubyStart = spacing / 2;
      } else {
        const over = rubyWidth - baseWidth;
        const one = ANNOTATION_SCALE; // one ruby character, in em of the base
        const roomLeft = a > 0 && KANA.has(classes[a - 1]!) ? Math.max(0, one - overhung[a - 1]!) : 0;
        const roomRight = b < n && KANA.has(classes[b]!) ? one : 0;
        const left = Math.min(roomLeft, over / 2);
        const right = Math.min(roomRight, over / 2);
        // Overhang used on one side may be taken up on the other if that side allows more.
        let oL = left;
        let oR = right;
        if (oL < over / 2 && right > 0) oR = Math.min(roomRight, over - oL);
        if (oR < over / 2 && left > 0) oL = Math.min(roomLeft, over - oR);
        if (b < n) overhung[b] = overhung[b]! + oR;
        const extra = Math.max(0, over - oL - oR);
        for (let k = a; k < b; k++) {
          inset[k] = extra / nb / 2;
          width[k] = width[k]! + extra / nb;
        }
        rubyStart = -oL;
      }
      const glyphs: Anchored['glyphs'] = [];
      let x = rubyStart;
      for (const c of shaped) {
        for (const g of c.glyphs) glyphs.push({ font: g.font, id: g.id, dx: x + g.offset * ANNOTATION_SCALE, text: g.text });
        x += c.width * ANNOTATION_SCALE + spacing;
      }
      // dx is from the base's first body start; that cluster's own inset is added back by the caller.
      for (const g of glyphs) g.dx -= inset[a]!;
      anchor(a, {
        glyphs,
        kind: 'ruby',
        from: rubyStart - inset[a]!,
        to: rubyStart - inset[a]! + rubyWidth + spacing * (rubyClusters.length - 1),
        ruby: { end: b, reading: range.mark.ruby },
      });
    } else if (range.mark.kind === 'emphasis') {
      const dot = shapeClusters([emphasisDot], face)[0]!;
      const dotWidth = dot.width * ANNOTATION_SCALE;
      for (let k = a; k < b; k++) {
        if (NO_EMPHASIS.has(classes[k]!) || westernMark[k]) continue;
        const dx = (width[k]! - dotWidth) / 2;
        const glyphs = dot.glyphs.map((g) => ({ font: g.font, id: g.id, dx: dx + g.offset * ANNOTATION_SCALE, text: g.text }));
        anchor(k, { glyphs, kind: 'emphasis', from: dx, to: dx + dotWidth });
      }
    }
  }
  return { inset, anchored, jukugo };
}

/** One ruby character, in em of the base: the most a reading may overhang a neighbour (JLREQ §3.3.7, Appendix F). */
const ONE_RUBY = ANNOTATION_SCALE;
/** Tolerance for "fits", in em. */
const EPS = 1e-9;

/**
 * Where the readings of a jukugo's characters start (em), or undefined when they cannot all fit. `bases`
 * are the characters' em boxes in order; `lo` and `hi` how far the first reading may start before and the
 * last end after (the word's edges, or one ruby character onto kana). A reading that fits its character
 * is centred on it; a longer one starts at its character, overhanging the next one (Appendix F 2.a: the
 * succeeding character first). Readings never overlap and overhang a neighbouring character of the word
 * by at most one ruby character: a forward pass pushes readings on, a backward pass pulls back what ends
 * too late — which fails only if no arrangement fits.
 */
export function fitReadings(
  bases: readonly { start: number; end: number }[],
  widths: readonly number[],
  lo: number,
  hi: number,
): number[] | undefined {
  const m = bases.length;
  const low = (k: number) => (k === 0 ? lo : bases[k - 1]!.end - ONE_RUBY);
  const high = (k: number) => (k === m - 1 ? hi : bases[k + 1]!.start + ONE_RUBY);
  const starts: number[] = new Array(m);
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < m; k++) {
    const base = bases[k]!;
    const w = widths[k]!;
    const room = base.end - base.start;
    const preferred = w <= room + EPS ? base.start + (room - w) / 2 : base.start;
    starts[k] = Math.max(preferred, previousEnd, low(k));
    previousEnd = starts[k]! + w;
  }
  let nextStart = Number.POSITIVE_INFINITY;
  for (let k = m - 1; k >= 0; k--) {
    const w = widths[k]!;
    const end = Math.min(starts[k]! + w, nextStart, high(k));
    starts[k] = end - w;
    if (starts[k]! < low(k) - EPS) return undefined;
    nextStart = starts[k]!;
  }
  return starts;
}

/**
 * A jukugo's readings shaped, the room its characters need when the readings cannot fit otherwise (added to
 * `width`), and no break between two characters where a part alone could not hold its readings.
 */
function prepareJukugo(
  parts: readonly string[],
  a: number,
  b: number,
  classes: readonly CharClass[],
  width: Float64Array,
  breakOk: boolean[],
  face: FontFace,
): Jukugo {
  const m = b - a;
  const readings = parts.map((part) => {
    const shaped = shapeClusters(toClusters(part), face);
    const glyphs: Jukugo['readings'][number]['glyphs'] = [];
    let x = 0;
    for (const c of shaped) {
      for (const g of c.glyphs) glyphs.push({ font: g.font, id: g.id, dx: x + g.offset * ANNOTATION_SCALE, text: g.text });
      x += c.width * ANNOTATION_SCALE;
    }
    return { glyphs, width: x, text: part };
  });
  const baseWidth = Array.from({ length: m }, (_, k) => width[a + k]!);
  const kanaBefore = a > 0 && KANA.has(classes[a - 1]!);
  const kanaAfter = b < classes.length && KANA.has(classes[b]!);
  const widths = readings.map((r) => r.width);
  // The characters' boxes with `extra` room around each, set solid from 0 (a kanji compound has no spacing).
  const layout = (extra: readonly number[]) => {
    const boxes: { start: number; end: number; bodyStart: number; bodyEnd: number }[] = [];
    let x = 0;
    for (let k = 0; k < m; k++) {
      const start = x + extra[k]! / 2;
      boxes.push({ start, end: start + baseWidth[k]!, bodyStart: x, bodyEnd: x + baseWidth[k]! + extra[k]! });
      x += baseWidth[k]! + extra[k]!;
    }
    return boxes;
  };
  const fits = (boxes: ReturnType<typeof layout>, from: number, to: number, before: boolean, after: boolean) =>
    fitReadings(
      boxes.slice(from, to),
      widths.slice(from, to),
      boxes[from]!.bodyStart - (before ? ONE_RUBY : 0),
      boxes[to - 1]!.bodyEnd + (after ? ONE_RUBY : 0),
    ) !== undefined;
  // Room only around characters whose reading is longer than they are, in proportion to the readings
  // (Appendix F): the least total that lets the whole word fit, found by bisection (it fits at `most`).
  const long = widths.map((w, k) => w > baseWidth[k]! + EPS);
  const longTotal = widths.reduce((sum, w, k) => sum + (long[k] ? w : 0), 0);
  const extraFor = (total: number) => widths.map((w, k) => (long[k] ? (total * w) / longTotal : 0));
  let extra = extraFor(0);
  if (!fits(layout(extra), 0, m, kanaBefore, kanaAfter)) {
    let least = 0;
    let most = Math.max(...widths.map((w, k) => (long[k] ? ((w - baseWidth[k]!) * longTotal) / w : 0)));
    for (let step = 0; step < 40; step++) {
      const mid = (least + most) / 2;
      if (fits(layout(extraFor(mid)), 0, m, kanaBefore, kanaAfter)) most = mid;
      else least = mid;
    }
    extra = extraFor(most);
    for (let k = 0; k < m; k++) width[a + k] = width[a + k]! + extra[k]!;
  }
  // A break between two characters leaves each part at a line edge, where nothing may be overhung.
  const boxes = layout(extra);
  for (let k = 1; k < m; k++)
    if (breakOk[a + k] && !(fits(boxes, 0, k, kanaBefore, false) && fits(boxes, k, m, false, kanaAfter))) breakOk[a + k] = false;
  return { start: a, end: b, readings, baseWidth, extra, kanaBefore, kanaAfter };
}

/**
 * How far the ruby anchored at cluster `i` reaches before the cluster's body (em): the overhang onto the
 * kana before it that its base's width was planned with. At the head of a line there is nothing to
 * overhang, so the line starts that much later (compose.ts leadOf) rather than push the ruby onto the
 * characters after it (JLREQ §3.3.7: at most one ruby character of overhang, and ruby at the line head
 * aligned with it).
 */
export function rubyHeadRoom(prepared: PreparedAnnotations, i: number): number {
  const groups = prepared.anchored.get(i);
  if (!groups) return 0;
  let room = 0;
  for (const group of groups) if (group.ruby) room = Math.max(room, -(prepared.inset[i]! + group.from));
  return room;
}

/**
 * The annotation glyphs of clusters placed at `clusterX` (body starts, em), kept inside [0, lineEnd]
 * as whole groups (JLREQ §3.3.7: ruby at the line head or end aligns with the edge rather than overhang it).
 */
export function placeAnnotations(
  prepared: PreparedAnnotations,
  clusterX: (i: number) => number,
  s: number,
  e: number,
  lineEnd: number,
): { glyphs: AnnotationGlyph[]; rubies: PlacedRuby[] } {
  const out: AnnotationGlyph[] = [];
  const rubies: PlacedRuby[] = [];
  for (let i = s; i < e; i++) {
    const j = prepared.jukugo.get(i);
    if (j && (i === j.start || i === s)) placeJukugo(j, prepared.inset, clusterX, i, Math.min(j.end, e), s, e, lineEnd, out, rubies);
    const groups = prepared.anchored.get(i);
    if (!groups) continue;
    const x0 = clusterX(i) + prepared.inset[i]!;
    for (const group of groups) {
      let shift = 0;
      if (x0 + group.from < 0) shift = -(x0 + group.from);
      else if (x0 + group.to > lineEnd) shift = Math.max(-(x0 + group.from), lineEnd - (x0 + group.to));
      const from = out.length;
      for (const g of group.glyphs) out.push({ font: g.font, id: g.id, x: x0 + g.dx + shift, text: g.text, kind: group.kind });
      if (group.ruby) rubies.push({ start: i, end: group.ruby.end, from, to: out.length, reading: group.ruby.reading });
    }
  }
  return { glyphs: out, rubies };
}

/**
 * The readings of the characters [from, to) of a jukugo that stand on one line [s, e): fitted over their
 * characters as placed, overhanging the kana next to the word when it is on the line. Should they not fit
 * (the line ends where the word's room was not planned for), they are set solid, centred over the part and
 * kept inside the line.
 */
function placeJukugo(
  j: Jukugo,
  inset: Float64Array,
  clusterX: (i: number) => number,
  from: number,
  to: number,
  s: number,
  e: number,
  lineEnd: number,
  out: AnnotationGlyph[],
  rubies: PlacedRuby[],
): void {
  const bases: { start: number; end: number }[] = [];
  for (let k = from; k < to; k++) {
    const start = clusterX(k) + inset[k]!;
    bases.push({ start, end: start + j.baseWidth[k - j.start]! });
  }
  const readings = j.readings.slice(from - j.start, to - j.start);
  const widths = readings.map((r) => r.width);
  const before = from === j.start && from > s && j.kanaBefore;
  const after = to === j.end && to < e && j.kanaAfter;
  const lo = clusterX(from);
  const hi = bases.at(-1)!.end + j.extra[to - 1 - j.start]! / 2;
  // Within the word first (Appendix F 2.a), then onto the kana beside it (2.b, 2.c).
  let starts =
    fitReadings(bases, widths, lo, hi) ??
    (before || after ? fitReadings(bases, widths, lo - (before ? ONE_RUBY : 0), hi + (after ? ONE_RUBY : 0)) : undefined);
  if (!starts) {
    const total = widths.reduce((sum, w) => sum + w, 0);
    let x = Math.min(Math.max(0, (bases[0]!.start + bases.at(-1)!.end - total) / 2), Math.max(0, lineEnd - total));
    starts = widths.map((w) => {
      const at = x;
      x += w;
      return at;
    });
  }
  readings.forEach((reading, k) => {
    const first = out.length;
    for (const g of reading.glyphs) out.push({ font: g.font, id: g.id, x: starts[k]! + g.dx, text: g.text, kind: 'ruby' });
    rubies.push({ start: from + k, end: from + k + 1, from: first, to: out.length, reading: reading.text });
  });
}
