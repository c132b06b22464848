/**
 * The screen PDF of a document that also goes to the press: tagged (its bookmarks, a booklet's, are
 * written by navigation.ts for every kind of PDF), and
 * identified as PDF/A-2b so that archives accept it.
 *
 * - Tagged PDF (ISO 32000 §14.8): /MarkInfo /Marked true, /Lang ja-JP, a structure tree Document → one
 *   element per block in reading order (P, H1…, LI, Figure …: the role layout gives each item, see
 *   StructureTag). Each line is a marked-content sequence with an MCID, wrapped around kumihan's own
 *   text operators (pdfkit's markStructureContent writes only BDC/EMC, so it fits them); the lines of a
 *   paragraph that runs over a page break are two sequences of one element. Items without a structure
 *   tag (folios, running heads, the letterhead, rules, decoration) are /Artifact.
 * - Figures carry their caption as /Alt.
 * - PDF/A-2b (ISO 19005-2): pdfkit's `subset` writes the XMP identification and an sRGB OutputIntent
 *   (its own sRGB IEC61966-2.1 profile). Every font is embedded by kumihan with a ToUnicode map and no
 *   CIDSet (optional in PDF/A-2, and wrong if stale); colours are DeviceGray (text) or DeviceRGB, which
 *   the sRGB output intent allows — a template's cmyk() colour is converted to sRGB (colour.ts). The
 *   XMP repeats the Info entries (an empty one is left out of both, so that they stay equal) and
 *   adds xmp:ModifyDate, which pdfkit does not write. The font dictionaries' widths are the font
 *   programs' (§6.2.11.5): compressed punctuation is placed by the text operators alone.
 */
import type { LaidOutPage, PageItem } from '../layout/page.js';
import { parseColour, type ColourConverter } from './colour.js';
import { escapeInfoInXmp, type Pdf, type PdfOutputHooks } from './output.js';

interface StructureElement {
  add(child: unknown): StructureElement;
  end(): void;
}
interface TaggingPdf {
  struct(type: string, options?: Record<string, unknown>): StructureElement;
  addStructure(element: StructureElement): void;
  markStructureContent(tag: string, options?: Record<string, unknown>): unknown;
  markContent(tag: string, options?: Record<string, unknown> | null): void;
  endMarkedContent(): void;
  info: Record<string, unknown>;
  appendXML(xml: string): void;
}
const tagging = (pdf: Pdf) => pdf as unknown as TaggingPdf;

/** The hooks that make writePdf write a tagged PDF/A-2b screen PDF. */
export function screenOutput(colours: ColourConverter | undefined): PdfOutputHooks {
  let root: StructureElement | undefined;
  const elements = new Map<number, StructureElement>();
  return {
    documentOptions: { tagged: true, subset: 'PDF/A-2b', pdfVersion: '1.7' },
    fontProgramWidths: true,
    annotations: true,
    beginPage(pdf, page: LaidOutPage) {
      pdf.addPage({ size: [page.width, page.height], margin: 0 });
      const t = tagging(pdf);
      root ??= t.struct('Document');
    },
    drawItem(pdf, item: PageItem, draw) {
      const t = tagging(pdf);
      // A cmyk() colour (of a rule, or of any item with a colour) goes to the screen in sRGB.
      const colour = (item as { color?: unknown }).color;
      const converted: PageItem =
        typeof colour === 'string' && colour.startsWith('cmyk') && colours
          ? ({ ...item, color: hexOf(colours.forScreen(parseColour(colour))) } as PageItem)
          : item;
      const tag = 'structure' in item ? item.structure : undefined;
      if (!tag) {
        t.markContent(
          'Artifact',
          item.kind === 'text' && (item.role === 'footer' || item.role === 'runningHead') ? { type: 'Pagination' } : null,
        );
        draw(converted);
        t.endMarkedContent();
        return;
      }
      let element = elements.get(tag.element);
      if (!element) {
        element = t.struct(tag.role, tag.alt ? { alt: tag.alt } : {});
        elements.set(tag.element, element);
        root!.add(element);
      }
      const content = t.markStructureContent(tag.role);
      draw(converted);
      t.endMarkedContent();
      element.add(content);
    },
    endPage() {},
    end(pdf) {
      const t = tagging(pdf);
      if (root) {
        t.addStructure(root);
        root.end();
      }
      // PDF/A: every Info entry with an XMP counterpart must say the same; pdfkit writes empty ones.
      for (const key of ['Title', 'Author', 'Subject', 'Keywords']) if (t.info[key] === '') delete t.info[key];
      escapeInfoInXmp(pdf);
      const modified = t.info.ModDate;
      if (modified instanceof Date) {
        t.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${modified.toISOString().split('.')[0]}Z</xmp:ModifyDate>
        </rdf:Description>
        `);
      }
    },
  };
}

const hexOf = (c: { space: string; rgb?: number[] }) =>
  `#${(c.rgb ?? [0, 0, 0])
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
