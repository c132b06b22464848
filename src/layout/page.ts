/**
 * Laid-out pages: what layout hands to the PDF writer. Page coordinates in pt, origin at the top-left
 * corner of the page; glyph offsets along the line in em.
 */
import type { PositionedGlyph } from '../text/compose.js';

export interface TextLineItem {
  kind: 'text';
  face: string;
  size: number;
  /**
   * Page coordinates in pt, origin top-left: x of the line start, y of the baseline; in vertical
   * writing x of the column's centre line and y of its top (writing-mode.ts LineOrigin).
   */
  x: number;
  baseline: number;
  glyphs: PositionedGlyph[];
  /** The line's text, as the text layer will give it back. */
  text: string;
  /** Line metrics in em for checks: the justified width and the measure it was set to. */
  width: number;
  measure: number;
  isLastOfParagraph: boolean;
  /** Set for a column of vertical text: glyphs are vertical forms advancing down (pdf/vertical.ts). */
  writingMode?: 'vertical-rl';
  /** 'annotation': the ruby and emphasis dots of the line before it (not part of the base text). */
  role: 'body' | 'header' | 'after' | 'letterhead' | 'footer' | 'runningHead' | 'annotation';
}

export interface RuleItem {
  kind: 'rule';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  thickness: number;
  color: string;
}

export interface ImageItem {
  kind: 'image';
  file: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export type PageItem = TextLineItem | RuleItem | ImageItem;

export interface LaidOutPage {
  width: number;
  height: number;
  items: PageItem[];
}

export interface LaidOutDocument {
  pages: LaidOutPage[];
  warnings: string[];
  /** The text region used, for tests and the check command. */
  block: { x: number; y: number; width: number; height: number; pitch: number };
}
