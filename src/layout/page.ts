/**
 * Laid-out pages: what layout hands to the PDF writer. Page coordinates in pt, origin at the top-left
 * corner of the page; glyph offsets along the line in em.
 */
import type { LineRuby, PositionedGlyph } from '../text/compose.js';
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
  /**
   * The ruby of a text line (a Ruby element with RB and RT in the line's element, where the base stands):
   * each base's glyphs [baseStart, baseEnd) in this item and its reading's [rubyStart, rubyEnd) in the
   * annotation item drawn right after it, in reading order.
   */
  ruby?: LineRuby[];
}

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
  structure?: StructureTag;
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
  structure?: StructureTag;
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
  /** R2L: the pages progress right to left (a book bound on the right); /ViewerPreferences /Direction. */
  direction?: 'R2L';
}

export interface LaidOutDocument {
  pages: LaidOutPage[];
  navigation?: Navigation;
  warnings: string[];
  /** The text region used, for tests and the check command. */
  block: { x: number; y: number; width: number; height: number; pitch: number };
}

/**
 * The pages of several documents laid out on their own, as one document (a combined mail merge): the
 * structure elements of each are renumbered after those of the documents before it, so that the lines of
 * two letters never join one element. (Letters have no navigation to combine.)
 */
export function concatenateLayouts(layouts: readonly LaidOutDocument[]): Pick<LaidOutDocument, 'pages'> {
  const pages: LaidOutPage[] = [];
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
    elements += last;
  }
  return { pages };
}
