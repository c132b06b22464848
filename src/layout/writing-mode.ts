/**
 * The writing-mode seam: the one place where the inline and block axes of the text become page x/y.
 *
 * Everything before this module — the composer's lines, the page breaker's grid slots, alignment
 * offsets — is measured along the inline axis (the direction characters advance) and the block axis
 * (the direction lines follow each other). Horizontal writing (horizontal-tb) maps inline to +x and
 * block to +y; vertical writing (vertical-rl) will map inline to +y and block to −x, with vertical glyph
 * metrics, as a second mapping here rather than a second layout.
 *
 * Page coordinates are pt with the origin at the top-left corner of the page (the PDF writer flips them).
 */

/** The text block (版面) of a page, in page coordinates, and its line grid. */
export interface TextRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Distance between grid lines along the block axis (行送り), pt. */
  pitch: number;
  /** Grid lines in the region (行数). */
  lines: number;
}

import type { WritingModeName } from '../model/schema.js';

export type { WritingModeName };

/**
 * Where a line of text goes on the page. Horizontal: x of the line start and its baseline. Vertical
 * (vertical-rl): x of the column's centre line and, as `baseline`, the y where the column's inline
 * axis starts (the top of the first em box); glyphs advance down from there.
 */
export interface LineOrigin {
  x: number;
  baseline: number;
}

export interface WritingMode {
  name: WritingModeName;
  /** The region's extent along the inline axis: the measure, in pt. */
  inlineSize(region: TextRegion): number;
  /**
   * A line whose box starts `blockStart` pt into the region along the block axis and is `blockExtent`
   * pt deep, starting `inlineStart` pt into the region along the inline axis. The glyphs' em box is
   * centred in the line box (行取り: a line of any size sits in the middle of the grid lines it takes);
   * `ascent` is the em box's share above the baseline.
   */
  lineOrigin(region: TextRegion, blockStart: number, blockExtent: number, inlineStart: number, size: number, ascent: number): LineOrigin;
  /**
   * The origin of a line of annotations (ruby, emphasis dots) at `scale` of the line's size, set solid
   * against the line's em box on its over side (JLREQ §3.3.2: above in horizontal, right in vertical).
   */
  annotationOrigin(line: LineOrigin, size: number, ascent: number, scale: number): LineOrigin;
  /** The page rectangle of a box `inlineStart`…+`inlineExtent` along a line and `blockStart`…+`blockExtent` across lines. */
  box(region: TextRegion, blockStart: number, blockExtent: number, inlineStart: number, inlineExtent: number): PageBox;
  /** How deep (block axis) an image of these pixels is when it is `inlineExtent` pt along the inline axis (it stays upright). */
  imageBlockExtent(inlineExtent: number, pixelWidth: number, pixelHeight: number): number;
}

/** A rectangle on the page, pt, origin top-left. */
export interface PageBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const horizontalTb: WritingMode = {
  name: 'horizontal-tb',
  inlineSize: (region) => region.width,
  lineOrigin: (region, blockStart, blockExtent, inlineStart, size, ascent) => ({
    x: region.x + inlineStart,
    baseline: region.y + blockStart + (blockExtent - size) / 2 + ascent * size,
  }),
  annotationOrigin: (line, size, ascent, scale) => ({
    x: line.x,
    // The annotation's em box sits on the top of the base's em box.
    baseline: line.baseline - ascent * size - (1 - ascent) * size * scale,
  }),
  box: (region, blockStart, blockExtent, inlineStart, inlineExtent) => ({
    x: region.x + inlineStart,
    y: region.y + blockStart,
    width: inlineExtent,
    height: blockExtent,
  }),
  imageBlockExtent: (inlineExtent, pixelWidth, pixelHeight) => (inlineExtent * pixelHeight) / pixelWidth,
};

/**
 * Vertical writing (縦組み, JLREQ §2.3): characters down the column (inline → +y), columns from right to
 * left (block → −x). A line's box along the block axis is a column; its em boxes are centred on the
 * column's centre line, as vertical fonts centre their glyphs on the vertical origin (vmtx/VORG).
 */
export const verticalRl: WritingMode = {
  name: 'vertical-rl',
  inlineSize: (region) => region.height,
  lineOrigin: (region, blockStart, blockExtent, inlineStart) => ({
    x: region.x + region.width - blockStart - blockExtent / 2,
    baseline: region.y + inlineStart,
  }),
  // Ruby and emphasis to the right of the column (JLREQ §3.3.2), their em boxes solid against the base's.
  annotationOrigin: (line, size, _ascent, scale) => ({ x: line.x + size / 2 + (size * scale) / 2, baseline: line.baseline }),
  box: (region, blockStart, blockExtent, inlineStart, inlineExtent) => ({
    x: region.x + region.width - blockStart - blockExtent,
    y: region.y + inlineStart,
    width: blockExtent,
    height: inlineExtent,
  }),
  // An upright image `inlineExtent` pt tall takes its proportional width across the columns.
  imageBlockExtent: (inlineExtent, pixelWidth, pixelHeight) => (inlineExtent * pixelWidth) / pixelHeight,
};

/** The mapping of a writing mode; horizontal when none is named (settings made by hand, before the field existed). */
export function writingMode(name: WritingModeName | undefined): WritingMode {
  return name === 'vertical-rl' ? verticalRl : horizontalTb;
}
