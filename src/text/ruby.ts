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
 *  - ruby never separates from its base at a line break (§3.3.6): no break inside a base. Jukugo ruby
 *    (a per-character reading that may break between the characters, Appendix F) needs the reading of
 *    each character, which Aozora Bunko markup does not give: every base of several characters is set
 *    as group ruby;
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
}

export interface PreparedAnnotations {
  /** Per cluster: where its glyphs start inside its (widened) body, em. */
  inset: Float64Array;
  /** Per cluster index: the annotation groups anchored there. */
  anchored: Map<number, Anchored[]>;
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
  const indexOf = clusterIndexOf(clusters);
  for (const range of marks) {
    const a = indexOf(range.start);
    const b = indexOf(range.end);
    if (b <= a) continue;
    if (range.mark.kind === 'ruby') {
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
        const left = a > 0 && KANA.has(classes[a - 1]!) ? Math.min(one, over / 2) : 0;
        const right = b < n && KANA.has(classes[b]!) ? Math.min(one, over / 2) : 0;
        // Overhang used on one side may be taken up on the other if that side allows more.
        let oL = left;
        let oR = right;
        if (oL < over / 2 && right > 0) oR = Math.min(one, over - oL);
        if (oR < over / 2 && left > 0) oL = Math.min(one, over - oR);
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
  return { inset, anchored };
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
): AnnotationGlyph[] {
  const out: AnnotationGlyph[] = [];
  for (let i = s; i < e; i++) {
    const groups = prepared.anchored.get(i);
    if (!groups) continue;
    const x0 = clusterX(i) + prepared.inset[i]!;
    for (const group of groups) {
      let shift = 0;
      if (x0 + group.from < 0) shift = -(x0 + group.from);
      else if (x0 + group.to > lineEnd) shift = Math.max(-(x0 + group.from), lineEnd - (x0 + group.to));
      for (const g of group.glyphs) out.push({ font: g.font, id: g.id, x: x0 + g.dx + shift, text: g.text, kind: group.kind });
    }
  }
  return out;
}
