/**
 * What kind of PDF writePdf makes. A plain PDF is what kumihan has always written; a press PDF
 * (print.ts) and a screen PDF (screen.ts) each change a few things around the same drawing code: the
 * document's options, the page boxes, how colours and images are written, what is tagged. writePdf
 * calls these hooks; everything about the standards lives in the two modules.
 */
import type PDFDocument from 'pdfkit';
import type { LaidOutPage, PageItem } from '../layout/page.js';

export type Pdf = InstanceType<typeof PDFDocument>;

export interface PdfOutputHooks {
  /** Options merged into pdfkit's (PDF version, tagging, PDF/A). */
  documentOptions: Record<string, unknown>;
  /**
   * Every glyph width in the font dictionaries equal to the font program's (PDF/A-2 §6.2.11.5): no
   * "narrow" font objects for compressed punctuation (write.ts); the glyphs are placed exactly anyway.
   */
  fontProgramWidths?: boolean;
  /**
   * Whether annotations (links, a booklet's contents entries) may be written: not in a press PDF, where
   * PDF/X allows none inside the BleedBox (preflight fails a press PDF that has one).
   */
  annotations: boolean;
  /** Adds the page (its size may be larger than the laid-out page: marks and bleed) and sets its boxes. */
  beginPage(pdf: Pdf, page: LaidOutPage, index: number): void;
  /**
   * Draws one item: `draw` is the plain drawing, given the item to draw (with its colour converted);
   * a hook may also draw the item itself (a press image in CMYK) or wrap it (marked content), or wrap
   * parts of a text line (`parts`: a tagged PDF's ruby).
   */
  drawItem(pdf: Pdf, item: PageItem, draw: (item: PageItem, parts?: GlyphParts) => void): Promise<void> | void;
  endPage(pdf: Pdf, page: LaidOutPage, index: number): void;
  /** Before pdf.end(): output intents, document information, structure. */
  end(pdf: Pdf): void;
}

/**
 * Parts of a text line drawn as marked-content sequences of their own (a tagged PDF's ruby base and
 * reading): `starts` are the glyph indices where the parts begin, ascending, the first 0; the last part
 * runs to the end of the line. The writer calls `begin(k)` before the first glyph of part k and `end(k)`
 * after its last, between its own text operators (its pending operators written first), so that the
 * hooks may write marked content through pdfkit.
 */
export interface GlyphParts {
  starts: readonly number[];
  begin(part: number): void;
  end(part: number): void;
}

/** The plain PDF: pages the size of the laid-out page, items drawn as they are. */
export const PLAIN_OUTPUT: PdfOutputHooks = {
  documentOptions: {},
  annotations: true,
  beginPage(pdf, page) {
    pdf.addPage({ size: [page.width, page.height], margin: 0 });
  },
  drawItem(_pdf, item, draw) {
    draw(item);
  },
  endPage() {},
  end() {},
};

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * pdfkit copies the document information into the XMP metadata without escaping it, so a title with
 * `&` or `<` would make the XMP ill-formed (and PDF/A invalid). Its `_addInfo` runs after the Info
 * dictionary has been written: the values are escaped for the XMP only.
 */
export function escapeInfoInXmp(pdf: Pdf): void {
  const internals = pdf as unknown as { info: Record<string, unknown>; _addInfo(): void };
  const addInfo = internals._addInfo;
  internals._addInfo = function (this: typeof internals) {
    for (const [key, value] of Object.entries(this.info))
      if (typeof value === 'string') this.info[key] = value.replace(/[&<>"]/g, (c) => XML_ESCAPES[c]!);
    addInfo.call(this);
  };
}
