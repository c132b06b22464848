/**
 * A booklet's navigation in the PDF: page labels (/PageLabels) equal to the printed folios, so that a
 * viewer's "page 7" is the page printed 7 (and the cover is 表紙); a bookmark (outline item) for every
 * section, at the top of its first line; and a link on each contents line to the page its section starts on.
 *
 * Written through pdfkit's document (its outline and link annotations) with the pages still buffered,
 * since a contents line links forward to pages written after it.
 */
import type { LaidOutDocument } from '../layout/page.js';

/** pdfkit's internals this module uses (not in @types/pdfkit). */
interface Internals {
  _root: { data: Record<string, unknown> };
  ref(data: Record<string, unknown>): { data: Record<string, unknown>; end(): void };
  switchToPage(n: number): unknown;
  bufferedPageRange(): { start: number; count: number };
  outline: { addItem(title: string, options?: Record<string, unknown>): { outlineData: Record<string, unknown> } };
  link(x: number, y: number, w: number, h: number, url: number): unknown;
}

/**
 * `links: false` for a press PDF (PDF/X allows no annotation inside the bleed); its bookmarks and page
 * labels are kept. A press page is larger than the laid-out page by the same margin on every side (bleed
 * and marks, print.ts), so a bookmark's top is measured from the page's own MediaBox.
 */
export function writeNavigation(pdf: PDFKit.PDFDocument, doc: LaidOutDocument, options: { links: boolean }): void {
  const nav = doc.navigation;
  if (!nav) return;
  const internals = pdf as unknown as Internals;
  const kids = (internals._root.data.Pages as { data: { Kids: unknown[] } }).data.Kids;

  // Page labels: a number tree of ranges — decimal from a start, or a fixed prefix (表紙).
  const nums: unknown[] = [];
  for (const range of nav.pageLabels) {
    nums.push(range.page, range.prefix !== undefined ? { P: new String(range.prefix) } : { S: 'D', St: range.start ?? 1 });
  }
  internals._root.data.PageLabels = { Nums: nums };

  // A book bound on the right (右綴じ) reads right to left: viewers show its spreads in that order.
  if (nav.direction === 'R2L') {
    const prefs = internals._root.data.ViewerPreferences as { data: Record<string, unknown> } | undefined;
    if (prefs) prefs.data.Direction = 'R2L';
    else internals._root.data.ViewerPreferences = internals.ref({ Direction: 'R2L' });
  }

  // Bookmarks: each at the top of its section's first line (PDF user space has y upwards).
  for (const item of nav.outline) {
    const page = doc.pages[item.page]!;
    const entry = internals.outline.addItem(item.title, { pageNumber: item.page });
    const kid = kids[item.page] as { data: { MediaBox?: number[] } };
    const mediaHeight = kid.data.MediaBox?.[3] ?? page.height;
    const margin = (mediaHeight - page.height) / 2;
    entry.outlineData.Dest = [kid, 'XYZ', null, mediaHeight - margin - item.top, null];
  }

  if (!options.links) return;
  // Links: each contents line, the height of its line, to the page its section starts on.
  doc.pages.forEach((page, k) => {
    const links = page.items.filter((item) => item.kind === 'text' && item.link !== undefined);
    if (links.length === 0) return;
    internals.switchToPage(k);
    for (const item of links) {
      if (item.kind !== 'text' || item.link === undefined) continue;
      if (item.writingMode === 'vertical-rl') {
        // A column: x is its centre line, the baseline its top.
        internals.link(item.x - item.size * 0.7, item.baseline, item.size * 1.4, item.measure * item.size, item.link);
        continue;
      }
      const top = item.baseline - item.size * 1.1;
      internals.link(item.x, top, item.measure * item.size, item.size * 1.4, item.link);
    }
  });
}
