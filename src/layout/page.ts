/**
 * Laid-out pages: what layout hands to the PDF writer. Page coordinates in pt, origin at the top-left
 * corner of the page; glyph offsets along the line in em.
 */
import type { PositionedGlyph } from '../text/compose.js';
import type { StructureRole } from '../model/document.js';

/**
 * Where an item stands in a tagged PDF's structure tree: the lines of one block share `element` (a
 * number unique in the document) and its role; an image may carry alternative text. An item without
 * one is an artifact (page furniture, rules, decoration).
 */
export interface StructureTag {
  role: StructureRole;
  element: number;
  /** Alternative text (a figure's caption). */
  alt?: string;
}

/** A document outline (bookmarks) entry: a title, the page index it opens (0-based), its depth (1 = top). */
export interface OutlineEntry {
  title: string;
  page: number;
  level: number;
}

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
  structure?: StructureTag;
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
  structure?: StructureTag;
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
  /** Bookmarks for the screen PDF (a booklet's headings); letters have none. */
  outline?: OutlineEntry[];
  /** The text region used, for tests and the check command. */
  block: { x: number; y: number; width: number; height: number; pitch: number };
}

/**
 * The pages of several documents laid out on their own, as one document (a combined mail merge): the
 * structure elements of each are renumbered after those of the documents before it, so that the lines of
 * two letters never join one element, and outline entries point at the combined page numbers.
 */
export function concatenateLayouts(layouts: readonly LaidOutDocument[]): Pick<LaidOutDocument, 'pages' | 'outline'> {
  const pages: LaidOutPage[] = [];
  const outline: OutlineEntry[] = [];
  let elements = 0;
  for (const layout of layouts) {
    let last = 0;
    const offset = elements;
    for (const page of layout.pages) {
      pages.push({
        ...page,
        items: page.items.map((item) => {
          if (!('structure' in item) || !item.structure) return item;
          last = Math.max(last, item.structure.element);
          return { ...item, structure: { ...item.structure, element: item.structure.element + offset } };
        }),
      });
    }
    for (const entry of layout.outline ?? []) outline.push({ ...entry, page: entry.page + pages.length - layout.pages.length });
    elements += last;
  }
  return outline.length > 0 ? { pages, outline } : { pages };
}
