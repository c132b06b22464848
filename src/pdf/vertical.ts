/**
 * Vertical text in the PDF (縦組み): columns written through an Identity-V font, so that viewers and
 * extractors know the text is vertical and read each column top to bottom, columns right to left.
 *
 * What was found to work (../shared/print/NOTES.md, "Vertical PDF output"): a Type0 font with
 * /Encoding /Identity-V over the same font program, the CIDFont carrying DW2/W2 (vertical origin and
 * advance) from the font's vmtx — read here, as fontkit 2.0.4 misreads vhea — and one TJ per column.
 * Tate-chu-yoko glyphs are drawn across the column, through the same vertical font (so that extractors
 * keep them in the column: pdftotext -layout gives one line per column), under /ActualText with their digits; ruby and emphasis dots are marked as replaced by no text (write.ts).
 *
 * Positions: a column's x is its centre line, its `baseline` the top of the first em box (layout's
 * writing-mode.ts). With DW2's vertical origin at the em box's top centre, a glyph's text position is
 * exactly where its em box starts on the column.
 */
import type { Font } from 'fontkit';
import { advanceWidthOf, sfntOf } from '../font/fonts.js';
import type { TextLineItem } from '../layout/page.js';
import type { FontRole } from '../text/shape.js';
import type { GlyphParts } from './output.js';
import {
  codePointsOf,
  flushOps,
  hex4,
  num,
  partStepper,
  REPLACEMENT,
  type EmbeddedFont,
  type FaceVariants,
  type FontFor,
  type PdfKitInternals,
} from './write.js';

/** Font objects written with Identity-V (one per face, role and alias; see write.ts FaceVariants). */
export const verticalFonts = new WeakSet<object>();

/**
 * A glyph's vertical advance in font units, from vmtx (its long metrics counted by vhea's
 * numOfLongVerMetrics, the last field of vhea at offset 34); the em when the font has no vmtx.
 */
export function verticalAdvanceOf(font: Font, gid: number): number {
  const s = sfntOf(font);
  const vhea = s.tables.get('vhea');
  const vmtx = s.tables.get('vmtx');
  if (!vhea || !vmtx || vhea.length < 36) return font.unitsPerEm;
  const n = s.view.getUint16(vhea.offset + 34);
  if (n === 0 || n * 4 > vmtx.length) return font.unitsPerEm;
  return s.view.getUint16(vmtx.offset + 4 * Math.min(gid, n - 1));
}

/**
 * DW2 and W2 for a vertical font object: the vertical origin at the em box's top (the font's ascent
 * share of the em), the advance down one em; glyphs whose vmtx advance differs (rotated Latin) listed
 * with their own advance and origin (`c [w1 vx vy]`).
 */
export function verticalMetrics(
  font: Font,
  widths: readonly (number | undefined)[],
  vadvances: readonly (number | undefined)[],
): { DW2: number[]; W2: unknown[] } {
  const vy = Math.round(emBoxAscentOf(font) * 1000);
  const W2: unknown[] = [];
  for (let cid = 1; cid < vadvances.length; cid++) {
    const v = vadvances[cid];
    if (v === undefined || Math.abs(v - 1000) < 0.5) continue;
    W2.push(cid, [-Math.round(v), Math.round((widths[cid] ?? 1000) / 2), vy]);
  }
  return { DW2: [vy, -1000], W2 };
}

/** The share of the ideographic em box above the baseline (as layout's emBoxAscent): the vertical origin. */
export function emBoxAscentOf(font: Font): number {
  const total = font.ascent - font.descent;
  return total > 0 ? font.ascent / total : 0.88;
}

/** Vertical advances (thousandths of an em) of each vertical font object's CIDs, for W2. */
export const verticalAdvances = new WeakMap<object, number[]>();

/** UTF-16BE hex of a text string, for /ActualText. */
function textString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/**
 * One column of vertical text: runs of upright glyphs through the face's Identity-V font objects (one
 * TJ per run, explicit adjustments where the composer moved a glyph from the pen), tate-chu-yoko runs
 * side by side across the column, under /ActualText with their characters.
 */
export function writeVerticalLine(
  pdf: PdfKitInternals,
  line: TextLineItem,
  vertical: FaceVariants,
  fontFor: FontFor,
  glyphCodePoints: (face: string, role: FontRole, id: number) => number[],
  pageHeight: number,
  parts?: GlyphParts,
): void {
  const size = line.size;
  const ops: string[] = ['q', `1 0 0 -1 0 ${num(pageHeight)} cm`];
  const glyphs = line.glyphs;
  const n = glyphs.length;
  /** The PDF y (origin bottom-left) of the top of the em box at inline offset x em. */
  const top = (x: number) => pageHeight - (line.baseline + x * size);
  const useFont = (font: EmbeddedFont) => {
    if (pdf.page.fonts[font.id] == null) pdf.page.fonts[font.id] = font.ref();
  };
  const fontAndGid = (fv: FaceVariants, k: number): { font: EmbeddedFont; gid: number } => {
    const g = glyphs[k]!;
    const text = g.text ? codePointsOf(g.text) : glyphCodePoints(line.face, g.font, g.id);
    const cps = text.length > 0 ? text : REPLACEMENT;
    const font = fontFor(fv, g.font, false, g.id, cps);
    const gid = font.subset.includeGlyph(g.id);
    const fk = font.font as unknown as Font;
    if (font.widths[gid] == null) font.widths[gid] = advanceWidthOf(fk, g.id) * font.scale;
    if (font.unicode[gid] == null) font.unicode[gid] = cps;
    if (fv === vertical) {
      let v = verticalAdvances.get(font);
      if (!v) verticalAdvances.set(font, (v = []));
      v[gid] ??= verticalAdvanceOf(fk, g.id) * font.scale;
    }
    return { font, gid };
  };
  let i = 0;
  // With parts (a tagged PDF's ruby), each run stays inside one part: the parts' marks go between runs.
  const step = parts ? partStepper(parts, n, () => flushOps(pdf, ops)) : undefined;
  while (i < n) {
    const stop = step ? step.at(i) : n;
    const g = glyphs[i]!;
    if (g.tateChuYoko) {
      // The run's glyphs side by side across the column (JLREQ §3.2.4), read as their characters.
      const start = i;
      let text = '';
      while (i < stop && glyphs[i]!.tateChuYoko && (i === start || glyphs[i]!.x === g.x)) text += glyphs[i++]!.text;
      ops.push(`/Span <</ActualText ${textString(text)}>> BDC`, 'BT');
      // Through the vertical font too, so that extractors keep the digits in the column: each glyph's
      // vertical origin (half its width across, the em top down) put where its horizontal origin belongs.
      const left = line.x - size / 2;
      const emTop = top(g.x);
      for (let k = start; k < i; k++) {
        const t = glyphs[k]!.tateChuYoko!;
        const { font, gid } = fontAndGid(vertical, k);
        useFont(font);
        const halfWidth = (font.widths[gid]! / 2000) * size * t.scale;
        ops.push(
          `/${font.id} ${num(size)} Tf`,
          `${num(t.scale)} 0 0 1 ${num(left + t.across * size + halfWidth)} ${num(emTop)} Tm`,
          `[<${hex4(gid)}>] TJ`,
        );
      }
      ops.push('ET', 'EMC');
      continue;
    }
    if (g.sideways) {
      // A Western glyph without a rotated form of its own, turned 90° clockwise: its baseline runs down
      // the column, its em box centred across it. In vertical mode the glyph's vertical origin (half its
      // width along, the em box's top across) is put at the text position; turned, that origin lies half
      // its width below the top of its place and half the em right of the column's centre.
      const { font, gid } = fontAndGid(vertical, i);
      useFont(font);
      const halfWidth = (font.widths[gid]! / 2000) * size;
      ops.push(
        'BT',
        `/${font.id} ${num(size)} Tf`,
        `0 -1 1 0 ${num(line.x + size / 2)} ${num(top(g.x) - halfWidth)} Tm`,
        `[<${hex4(gid)}>] TJ`,
        'ET',
      );
      i++;
      continue;
    }
    // A run of upright glyphs in one vertical font object.
    const first = fontAndGid(vertical, i);
    const font = first.font;
    useFont(font);
    ops.push('BT', `/${font.id} ${num(size)} Tf`, `1 0 0 1 ${num(line.x)} ${num(top(g.x))} Tm`);
    const tj: string[] = [];
    let pen = g.x;
    let hex = '';
    let gid = first.gid;
    for (;;) {
      const cur = glyphs[i]!;
      const adjust = cur.x - pen; // em down the column; in vertical mode a positive TJ number moves down
      if (Math.abs(adjust) > 1e-6) {
        if (hex) tj.push(`<${hex}>`);
        tj.push(num(adjust * 1000));
        hex = '';
      }
      hex += hex4(gid);
      pen = cur.x + verticalAdvances.get(font)![gid]! / 1000;
      i++;
      if (i >= stop || glyphs[i]!.tateChuYoko || glyphs[i]!.sideways) break;
      const next = fontAndGid(vertical, i);
      if (next.font !== font) break;
      gid = next.gid;
    }
    if (hex) tj.push(`<${hex}>`);
    ops.push(`[${tj.join(' ')}] TJ`, 'ET');
  }
  step?.finish();
  ops.push('Q');
  flushOps(pdf, ops);
}
