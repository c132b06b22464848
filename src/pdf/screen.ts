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
 * - Ruby (JLREQ §3.3) is a Ruby element in its line's element, where its base stands in the text: RB holds
 *   the base's glyphs (a marked-content sequence of its own, cut out of the line's), RT the reading's
 *   (drawn with the line's annotations, after the line). The RT element carries the reading as /ActualText,
 *   for what reads the structure tree; its content is also marked as replaced by no text (a Span with an
 *   empty /ActualText inside the RT sequence), so that text extraction from the page content (pdftotext,
 *   mupdf, a viewer's copy) gives the base text alone, as in the plain PDF. A jukugo ruby is one Ruby per
 *   character. Emphasis dots stay artifacts.
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
import type { LineRuby } from '../text/compose.js';
import { parseColour, type ColourConverter } from './colour.js';
import { escapeInfoInXmp, type GlyphParts, type Pdf, type PdfOutputHooks } from './output.js';
import { xmpTimestamp } from '../time.js';

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
  addContent(data: string): void;
  info: Record<string, unknown>;
  appendXML(xml: string): void;
}
const tagging = (pdf: Pdf) => pdf as unknown as TaggingPdf;

/** Replaced by no text: a reading's glyphs stay out of the text extracted from the page. */
const NO_TEXT = '/Span <</ActualText ()>> BDC';

/** The hooks that make writePdf write a tagged PDF/A-2b screen PDF. */
export function screenOutput(colours: ColourConverter | undefined): PdfOutputHooks {
  let root: StructureElement | undefined;
  const elements = new Map<number, StructureElement>();
  /** The RT elements of the line just drawn, waiting for its annotation item (layout puts it right after). */
  let readings: { rt: StructureElement; ruby: LineRuby }[] | undefined;
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
      const pending = readings;
      readings = undefined;
      if (!tag && pending && item.kind === 'text' && item.role === 'annotation') {
        draw(converted, readingParts(t, pending, item.glyphs.length));
        return;
      }
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
      if (item.kind === 'text' && tag.ruby && tag.ruby.length > 0) {
        const { parts, rts } = baseParts(t, element, tag.role, tag.ruby, item.glyphs.length);
        draw(converted, parts);
        readings = rts;
        return;
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
            <xmp:ModifyDate>${xmpTimestamp(modified)}</xmp:ModifyDate>
        </rdf:Description>
        `);
      }
    },
  };
}

/**
 * A line with ruby as parts: the text between bases in the line's element, each base in the RB of a Ruby
 * element added to the line's element at its place; the RT elements wait for the line's readings.
 */
function baseParts(
  t: TaggingPdf,
  element: StructureElement,
  role: string,
  rubies: readonly LineRuby[],
  n: number,
): { parts: GlyphParts; rts: { rt: StructureElement; ruby: LineRuby }[] } {
  const { starts, owners: bases } = cutInto(
    rubies.map((ruby) => ({ start: ruby.baseStart, end: ruby.baseEnd, owner: ruby })),
    n,
  );
  const rts: { rt: StructureElement; ruby: LineRuby }[] = [];
  const parts: GlyphParts = {
    starts,
    begin(k) {
      const ruby = bases[k];
      if (!ruby) {
        element.add(t.markStructureContent(role));
        return;
      }
      const rb = t.struct('RB');
      const rt = t.struct('RT', { actual: ruby.reading });
      element.add(t.struct('Ruby').add(rb).add(rt));
      rb.add(t.markStructureContent('RB'));
      rts.push({ rt, ruby });
    },
    end() {
      t.endMarkedContent();
    },
  };
  return { parts, rts };
}

/** The annotation line after a line with ruby: each reading in its RT, replaced by no text; the rest (emphasis dots) artifacts. */
function readingParts(t: TaggingPdf, pending: readonly { rt: StructureElement; ruby: LineRuby }[], n: number): GlyphParts {
  const { starts, owners } = cutInto(
    pending.map(({ rt, ruby }) => ({ start: ruby.rubyStart, end: ruby.rubyEnd, owner: rt })),
    n,
  );
  return {
    starts,
    begin(k) {
      const rt = owners[k];
      if (rt) rt.add(t.markStructureContent('RT'));
      else t.markContent('Artifact');
      t.addContent(NO_TEXT);
    },
    end() {
      t.addContent('EMC');
      t.endMarkedContent();
    },
  };
}

/**
 * `n` glyphs cut into consecutive parts at the given ranges (in order of their start; empty or overlapping
 * ones skipped): each range is a part with its owner, the glyphs between them parts without one.
 */
function cutInto<T>(
  ranges: readonly { start: number; end: number; owner: T }[],
  n: number,
): { starts: number[]; owners: (T | undefined)[] } {
  const starts: number[] = [];
  const owners: (T | undefined)[] = [];
  let at = 0;
  for (const range of [...ranges].sort((a, b) => a.start - b.start)) {
    if (range.start < at || range.end <= range.start) continue;
    if (range.start > at) {
      starts.push(at);
      owners.push(undefined);
    }
    starts.push(range.start);
    owners.push(range.owner);
    at = range.end;
  }
  if (at < n) {
    starts.push(at);
    owners.push(undefined);
  }
  return { starts, owners };
}

const hexOf = (c: { space: string; rgb?: number[] }) =>
  `#${(c.rgb ?? [0, 0, 0])
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
