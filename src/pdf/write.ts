/**
 * PDF writing with pdfkit: embedding and subsetting fonts, the page tree, metadata, images.
 *
 * Glyphs are placed exactly where the composer put them: we write the text operators ourselves
 * (one TJ array per run of glyphs in one font, with explicit adjustments) instead of letting pdfkit
 * shape and wrap strings. pdfkit still owns the font objects, so subsetting, the width table and the
 * ToUnicode map (copy and paste, search) come from it.
 *
 * Output is deterministic: the creation date comes from the caller (SOURCE_DATE_EPOCH or the content),
 * the document ID is derived from the metadata, and subset tags from font order (pdfkit's own scheme).
 */
import PDFDocument from 'pdfkit';
import { KumihanError } from '../errors.js';
import type { LaidOutDocument, TextLineItem } from '../layout/layout.js';
import type { Font } from 'fontkit';
import { advanceWidthOf, createSubset } from '../text/fonts.js';
import type { FontFace, FontRole } from '../text/shape.js';

export interface PdfMetadata {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creationDate: Date;
  lang: string;
}

/** The parts of pdfkit's EmbeddedFont that the writer uses (not in @types/pdfkit). */
interface EmbeddedFont {
  id: string;
  font: { getGlyph(id: number): { advanceWidth: number; codePoints: number[] } };
  scale: number;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}
interface PdfKitInternals {
  _font: EmbeddedFont;
  _fontCount: number;
  _fontFamilies: Record<string, EmbeddedFont>;
  page: { fonts: Record<string, unknown>; height: number };
  addContent(data: string): PDFKit.PDFDocument;
}

/** Numbers in content streams: fixed precision, so output never depends on float formatting noise. */
function num(n: number): string {
  const s = (Math.round(n * 1000) / 1000).toFixed(3);
  const t = s.replace(/\.?0+$/, '');
  return t === '-0' ? '0' : t;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/**
 * pdfkit's font object with its subset made by fonts.ts (which copies glyph data instead of decoding
 * every outline as fontkit's subsetter does: the same bytes, far faster). Done once per object: pdfkit
 * hands back the same object when a font is selected again.
 */
const fastSubset = new WeakSet<EmbeddedFont>();
function withFastSubset(f: EmbeddedFont): EmbeddedFont {
  if (!fastSubset.has(f)) {
    f.subset = createSubset(f.font as unknown as Font);
    fastSubset.add(f);
  }
  return f;
}

export async function writePdf(doc: LaidOutDocument, faces: Record<string, FontFace>, meta: PdfMetadata): Promise<Uint8Array> {
  const first = doc.pages[0];
  const pdf = new PDFDocument({
    size: [first.width, first.height],
    margin: 0,
    autoFirstPage: false,
    font: null as unknown as string, // do not load Helvetica: every glyph comes from an embedded font
    lang: meta.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: meta.title ?? '',
      Author: meta.author ?? '',
      Subject: meta.subject ?? '',
      Keywords: meta.keywords ?? '',
      Creator: 'kumihan',
      Producer: 'kumihan (pdfkit)',
      CreationDate: meta.creationDate,
      ModDate: meta.creationDate,
    },
  } as PDFKit.PDFDocumentOptions);
  const internals = pdf as unknown as PdfKitInternals;
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('end', () => resolve());
    pdf.on('error', reject);
  });

  // One pdfkit font per (face, role), registered in a fixed order so that ids (and subset tags) are stable.
  // Variants of the same font file, created only when needed:
  //  - "narrow": records the half-em body width for punctuation whose ink is in the first half of a full-em
  //    glyph (」、。), so the PDF's glyph box is the body and text extraction never sees the pen jump back
  //    by a full em where punctuation is compressed;
  //  - aliases: a ToUnicode map gives each glyph one text, so when two characters are drawn with the same
  //    glyph (𩿎 and 𩿗 in BIZ UD Mincho), the second is written through another font object whose map
  //    says what it really is — copy and paste gives back exactly the content.
  const variants = new Map<string, EmbeddedFont[]>();
  /** The text each glyph (by its id in the font file) stands for in each font object, once used. */
  const textOfGlyph = new Map<EmbeddedFont, Map<number, number[]>>();
  const fontFor = (faceName: string, role: FontRole, narrow: boolean, glyphId: number, text: number[]): EmbeddedFont => {
    const key = `${faceName}/${role}/${narrow ? 'narrow' : 'full'}`;
    let list = variants.get(key);
    if (!list) variants.set(key, (list = []));
    for (const f of list) {
      const mapped = textOfGlyph.get(f)!.get(glyphId);
      if (mapped === undefined || (mapped.length === text.length && mapped.every((c, k) => c === text[k]))) {
        textOfGlyph.get(f)!.set(glyphId, text);
        return f;
      }
    }
    const face = faces[faceName];
    const fk = role === 'latin' && face.latin ? face.latin : face.main;
    let f: EmbeddedFont;
    if (!narrow && list.length === 0) {
      pdf.font(fk as unknown as string);
      f = withFastSubset(internals._font);
    } else {
      const first = list[0] ?? variants.get(`${faceName}/${role}/full`)?.[0] ?? fontFor(faceName, role, false, -1, []);
      const EmbeddedFontClass = first.constructor as new (doc: unknown, font: unknown, id: string) => EmbeddedFont;
      f = withFastSubset(new EmbeddedFontClass(pdf, fk, `F${++internals._fontCount}`));
      internals._fontFamilies[f.id] = f; // pdfkit embeds every registered font when the document ends
    }
    list.push(f);
    textOfGlyph.set(f, new Map(glyphId >= 0 ? [[glyphId, text]] : []));
    return f;
  };

  const glyphCodePoints = (faceName: string, role: FontRole, id: number): number[] => {
    const face = faces[faceName];
    return (role === 'latin' && face.latin ? face.latin : face.main).getGlyph(id).codePoints;
  };

  for (const page of doc.pages) {
    pdf.addPage({ size: [page.width, page.height], margin: 0 });
    for (const item of page.items) {
      if (item.kind === 'text') writeLine(internals, item, fontFor, glyphCodePoints, page.height);
      else if (item.kind === 'rule') {
        pdf.save().moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).lineWidth(item.thickness).strokeColor(item.color).stroke().restore();
      } else {
        try {
          pdf.image(item.file, item.x, item.y, { width: item.width, height: item.height });
        } catch (e) {
          throw new KumihanError('image', `cannot read the image (${(e as Error).message}); use a PNG or JPEG file`, { file: item.file });
        }
      }
    }
  }
  pdf.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

type FontFor = (face: string, role: FontRole, narrow: boolean, glyphId: number, text: number[]) => EmbeddedFont;

function writeLine(
  pdf: PdfKitInternals,
  line: TextLineItem,
  fontFor: FontFor,
  glyphCodePoints: (face: string, role: FontRole, id: number) => number[],
  pageHeight: number,
): void {
  const size = line.size;
  const y = pageHeight - line.baseline; // PDF user space: origin bottom-left
  const ops: string[] = ['q', `1 0 0 -1 0 ${num(pageHeight)} cm`, 'BT'];
  const glyphs = line.glyphs;
  // For each glyph: the font object it is written through, its id there, and the width the PDF records.
  const placed = glyphs.map((g, k) => {
    // Narrow where the next glyph (or the line end) comes before the full glyph's box would end.
    const next = k + 1 < glyphs.length ? glyphs[k + 1].x : Math.max(line.width, g.x);
    const narrow = g.narrowAdvance !== undefined && next < g.x + g.advance - 1e-6;
    // A glyph continuing a cluster (its text is on the cluster's first glyph) maps to what the font says.
    const text = g.text ? Array.from(g.text, (c) => c.codePointAt(0)!) : glyphCodePoints(line.face, g.font, g.id);
    const cps = text.length > 0 ? text : [0xfffd];
    const font = fontFor(line.face, g.font, narrow, g.id, cps);
    const gid = font.subset.includeGlyph(g.id);
    if (font.widths[gid] == null) {
      font.widths[gid] = narrow ? g.narrowAdvance! * 1000 : advanceWidthOf(font.font as unknown as Font, g.id) * font.scale;
    }
    if (font.unicode[gid] == null) font.unicode[gid] = cps;
    return { font, gid };
  });
  let currentFont = '';
  let i = 0;
  while (i < glyphs.length) {
    // A run: consecutive glyphs written through the same font object.
    const font = placed[i].font;
    if (pdf.page.fonts[font.id] == null) pdf.page.fonts[font.id] = font.ref();
    if (font.id !== currentFont) {
      ops.push(`/${font.id} ${num(size)} Tf`);
      currentFont = font.id;
    }
    ops.push(`1 0 0 1 ${num(line.x + glyphs[i].x * size)} ${num(y)} Tm`);
    const parts: string[] = [];
    let pen = glyphs[i].x; // where the PDF's text position is, in em
    let hex = '';
    while (i < glyphs.length && placed[i].font === font) {
      const g = glyphs[i];
      const { gid } = placed[i];
      const adjust = g.x - pen; // em; TJ numbers are thousandths of an em, positive moves left
      if (Math.abs(adjust) > 1e-6) {
        if (hex) parts.push(`<${hex}>`);
        parts.push(num(-adjust * 1000));
        hex = '';
      }
      hex += hex4(gid);
      // The PDF advances by the width it records for this glyph (thousandths of an em).
      pen = g.x + font.widths[gid] / 1000;
      i++;
    }
    if (hex) parts.push(`<${hex}>`);
    ops.push(`[${parts.join(' ')}] TJ`);
  }
  ops.push('ET', 'Q');
  pdf.addContent(ops.join('\n'));
}
