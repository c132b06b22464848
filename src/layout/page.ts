/**
 * Laid-out pages: what layout hands to the PDF writer. Page coordinates in pt, origin at the top-left
 * corner of the page; glyph offsets along the line in em.
 */
import type { PositionedGlyph } from '../text/compose.js';

export interface TextLineItem {
  kind: 'text';
  face: string;
  size: number;
  /** Page coordinates in pt, origin top-left: x of the line start, y of the baseline. */
  x: number;
  baseline: number;
  glyphs: PositionedGlyph[];
  /** The line's text, as the text layer will give it back. */
  text: string;
  /** Line metrics in em for checks: the justified width and the measure it was set to. */
  width: number;
  measure: number;
  isLastOfParagraph: boolean;
  role: 'body' | 'header' | 'after' | 'letterhead' | 'footer' | 'runningHead';
  /** Where the line links to in the PDF: a page index (a contents line). */
  link?: number;
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
  /** Only what falls inside this rectangle is drawn (a photo filling the page is cut at its edges). */
  clip?: { x: number; y: number; width: number; height: number };
}

/** A filled rectangle (the white panel behind the title on a cover photo). */
export interface BoxItem {
  kind: 'box';
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

export type PageItem = TextLineItem | RuleItem | ImageItem | BoxItem;

export interface LaidOutPage {
  width: number;
  height: number;
  items: PageItem[];
}

/**
 * A PDF's navigation (a booklet's): bookmarks, the page labels that match the printed folios, and links
 * (LaidOutPage items carry them).
 */
export interface Navigation {
  /** Bookmarks in order: title, page index, and the top of the first line (pt from the top edge). */
  outline: { title: string; page: number; top: number }[];
  /** Page label ranges from `page` on: numbered (decimal, from `start`) or a fixed prefix (表紙). */
  pageLabels: { page: number; start?: number; prefix?: string }[];
}

export interface LaidOutDocument {
  pages: LaidOutPage[];
  navigation?: Navigation;
  warnings: string[];
  /** The text region used, for tests and the check command. */
  block: { x: number; y: number; width: number; height: number; pitch: number };
}
