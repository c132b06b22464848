/**
 * How even a composed line looks, measured from the composer's output (glyph origins and advances), the
 * way a reader or a PDF comparison sees it: used by the property tests (tests/e2e/compose-spacing.test.ts)
 * and by the report script (scripts/typesetting.mjs → docs/typesetting.md).
 *
 * - letter spacing: the space between the bodies of two adjacent kana/kanji (0 when set solid);
 * - 和欧間: the space between a kana/kanji and an adjacent Latin letter or digit (JLREQ §3.2.5);
 * - compressed marks: spaces next to Japanese punctuation (the aki of 、。「」・, JLREQ §3.1.2–3.1.4)
 *   set narrower than their natural width inside the line (the line end is left out: removing the ½ em
 *   after a mark at the line end is JLREQ's first and ordinary reduction, Table 3 priority 2);
 * - bracket distance: consecutive brackets (「（, ）」) more than half an em apart, body to body.
 */
import { classOfCluster, isJapaneseLetterClass, type CharClass } from '../../src/text/classes.js';
import type { ComposedLine, ComposedParagraph, PositionedGlyph } from '../../src/text/compose.js';
import { advanceWidthOf, type FontFace } from '../../src/font/fonts.js';

const PUNCTUATION: ReadonlySet<CharClass> = new Set(['cl-01', 'cl-02', 'cl-05', 'cl-06', 'cl-07']);
/** Where the ink of a full-em punctuation glyph sits relative to its half-em body (see shape.ts). */
const INK_SHIFT: Partial<Record<CharClass, number>> = { 'cl-01': -0.5, 'cl-05': -0.25 };

/** Natural space a mark takes on the side(s) facing its neighbour inside a line (JLREQ Table 1, compressed per §3.1.4). */
function naturalPunctuationSpace(a: CharClass, b: CharClass): number {
  const closingLike = (c: CharClass) => c === 'cl-02' || c === 'cl-07' || c === 'cl-06';
  if (a === 'cl-01') return b === 'cl-05' ? 0.25 : 0;
  if (b === 'cl-02' || b === 'cl-06' || b === 'cl-07') return a === 'cl-05' ? 0.25 : 0;
  if (a === 'cl-05') return b === 'cl-05' ? 0.5 : 0.25;
  if (closingLike(a)) return b === 'cl-05' ? (a === 'cl-02' ? 0.25 : 0.75) : 0.5;
  if (b === 'cl-01') return 0.5;
  if (b === 'cl-05') return 0.25;
  return 0;
}

export interface Cell {
  text: string;
  cls: CharClass;
  /** Body start and end on the line, in em. */
  start: number;
  end: number;
  western: boolean;
}

/** The line's clusters with their bodies, reconstructed from the placed glyphs. */
export function cellsOf(face: FontFace, line: ComposedLine): Cell[] {
  const cells: Cell[] = [];
  for (const g of line.glyphs) {
    const advance = advanceOf(face, g);
    if (g.text === '') {
      // A glyph continuing the previous cluster (a combining mark): widen that cluster.
      const last = cells[cells.length - 1];
      if (last) last.end = Math.max(last.end, g.x + advance);
      continue;
    }
    const cls = classOfCluster(g.text);
    const western = g.font === 'latin' || cls === 'cl-24' || cls === 'cl-25' || cls === 'cl-27' || cls === 'cl-26';
    if (!western && PUNCTUATION.has(cls) && Math.abs(advance - 1) < 0.05) {
      const start = g.x - (INK_SHIFT[cls] ?? 0);
      cells.push({ text: g.text, cls, start, end: start + 0.5, western });
    } else {
      const width = g.narrow ? g.narrow.body : advance;
      cells.push({ text: g.text, cls, start: g.x, end: g.x + width, western });
    }
  }
  return cells;
}

function advanceOf(face: FontFace, g: PositionedGlyph): number {
  const font = g.font === 'latin' && face.latin ? face.latin : face.main;
  return advanceWidthOf(font, g.id) / font.unitsPerEm;
}

const isLetterOrDigit = (text: string) => /^[\p{L}\p{N}]/u.test(text);

export interface LineSpacing {
  /** Widest space between two adjacent kana/kanji, in em. */
  letterSpacing: number;
  /** Widest 和欧間 (kana/kanji next to a Latin letter or digit), in em; -1 when the line has none. */
  westernGap: number;
  /** Widest space between a kana/kanji and adjacent Western punctuation (! ? , . : ; - and brackets). */
  westernPunctuationGap: number;
  /** Marks whose space inside the line is narrower than natural, and the most any lost, in em. */
  compressed: number;
  maxCompression: number;
  /** Widest space between two consecutive brackets (「（ or ）」), body to body, in em. */
  bracketGap: number;
}

export function lineSpacing(face: FontFace, line: ComposedLine): LineSpacing {
  // Spaces (word spaces, the ideographic space) are cells of their own: the characters either side of
  // one are not an adjacent pair.
  const cells = cellsOf(face, line);
  const out: LineSpacing = { letterSpacing: 0, westernGap: -1, westernPunctuationGap: 0, compressed: 0, maxCompression: 0, bracketGap: 0 };
  for (let i = 1; i < cells.length; i++) {
    const a = cells[i - 1];
    const b = cells[i];
    if (a.cls === 'cl-26' || b.cls === 'cl-26' || a.cls === 'cl-14' || b.cls === 'cl-14') continue;
    const gap = b.start - a.end;
    const aJ = !a.western && isJapaneseLetterClass(a.cls);
    const bJ = !b.western && isJapaneseLetterClass(b.cls);
    if (aJ && bJ) out.letterSpacing = Math.max(out.letterSpacing, gap);
    if ((aJ && b.western) || (a.western && bJ)) {
      const w = a.western ? a : b;
      if (isLetterOrDigit(w.text)) out.westernGap = Math.max(out.westernGap, gap);
      else out.westernPunctuationGap = Math.max(out.westernPunctuationGap, gap);
    }
    if (!a.western && !b.western && (PUNCTUATION.has(a.cls) || PUNCTUATION.has(b.cls))) {
      const natural = naturalPunctuationSpace(a.cls, b.cls);
      if (gap < natural - 0.005) {
        out.compressed++;
        out.maxCompression = Math.max(out.maxCompression, natural - gap);
      }
      const bracket = (c: CharClass) => c === 'cl-01' || c === 'cl-02';
      if (bracket(a.cls) && bracket(b.cls) && a.cls === b.cls) out.bracketGap = Math.max(out.bracketGap, gap);
    }
  }
  return out;
}

/** A line that is one unbreakable unit (a long word): its spacing is a last resort, not a choice. */
export function isSingleUnit(line: ComposedLine): boolean {
  return line.forced || line.adjustment === 'letterspaced' || line.adjustment === 'short';
}

export interface ParagraphSpacing extends LineSpacing {
  lines: number;
}

/** The worst of each figure over a paragraph's lines that are justified (the last line is not). */
export function paragraphSpacing(face: FontFace, p: ComposedParagraph): ParagraphSpacing {
  const out: ParagraphSpacing = {
    letterSpacing: 0,
    westernGap: -1,
    westernPunctuationGap: 0,
    compressed: 0,
    maxCompression: 0,
    bracketGap: 0,
    lines: p.lines.length,
  };
  for (const line of p.lines) {
    if (line.isLast) continue;
    const s = lineSpacing(face, line);
    if (!isSingleUnit(line)) out.letterSpacing = Math.max(out.letterSpacing, s.letterSpacing);
    out.westernGap = Math.max(out.westernGap, s.westernGap);
    out.westernPunctuationGap = Math.max(out.westernPunctuationGap, s.westernPunctuationGap);
    out.compressed += s.compressed;
    out.maxCompression = Math.max(out.maxCompression, s.maxCompression);
    out.bracketGap = Math.max(out.bracketGap, s.bracketGap);
  }
  return out;
}
