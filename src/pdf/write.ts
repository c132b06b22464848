/**
 * PDF writing with pdfkit: embedding and subsetting fonts, the page tree, metadata, images.
 *
 * Glyphs are placed exactly where the composer put them: we write the text operators ourselves
 * (one TJ array per run of glyphs in one font, with explicit adjustments) instead of letting pdfkit
 * shape and wrap strings. pdfkit's font objects hold each font's widths and text map; subsetting
 * (src/font/fonts.ts) and the font dictionaries are ours (see embedFont): every font object drawing
 * from one font file shares one embedded subset, and the width tables and ToUnicode maps are compact.
 *
 * Output is deterministic: the creation date comes from the caller (SOURCE_DATE_EPOCH or the content),
 * the document ID is derived from the metadata, and subset tags from font order (pdfkit's own scheme).
 */
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { KumihanError } from '../errors.js';
import type { LaidOutDocument, TextLineItem } from '../layout/layout.js';
import type { PageItem } from '../layout/page.js';
import { parseColour } from './colour.js';
import { PLAIN_OUTPUT, type GlyphParts, type PdfOutputHooks } from './output.js';
import { advanceWidthOf, fontOfRole } from '../font/fonts.js';
import { createSubset, type FontSubset } from './subset.js';
import { verticalAdvances, verticalFonts, verticalMetrics, writeVerticalLine } from './vertical.js';
import { writeNavigation } from './navigation.js';
import type { FontFace, FontRole } from '../text/shape.js';
import { IsoDate } from '../time.js';

export interface PdfMetadata {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  creationDate: Date;
  lang: string;
}

/** The parts of pdfkit's EmbeddedFont that the writer uses (not in @types/pdfkit). */
export interface EmbeddedFont {
  id: string;
  font: { getGlyph(id: number): { advanceWidth: number; codePoints: number[] } };
  scale: number;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
  /** Set by ref(): the Type0 font dictionary, written by embed() when the document ends. */
  dictionary?: PdfRef;
  embed(): void;
}
/** pdfkit's PDFReference: an indirect object. */
interface PdfRef {
  data: Record<string, unknown>;
  end(chunk?: string | Uint8Array): void;
}
/** What the font dictionaries need of a fontkit font (pdfkit reads the same properties). */
interface FontInfo {
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
  italicAngle: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  'OS/2'?: { sFamilyClass?: number };
  post: { isFixedPitch?: number };
  head: { macStyle: { italic?: boolean } };
}
export interface PdfKitInternals {
  ref(data?: Record<string, unknown>): PdfRef;
  _font: EmbeddedFont;
  _fontCount: number;
  _fontFamilies: Record<string, EmbeddedFont>;
  page: { fonts: Record<string, unknown>; height: number };
  addContent(data: string | Uint8Array): PDFKit.PDFDocument;
}

/** Numbers in content streams: fixed precision, so output never depends on float formatting noise. */
export function num(n: number): string {
  // Thousandths as an integer, printed without trailing zeros: what `toFixed(3)` less its trailing
  // zeros gives, without the float formatting (called for every glyph adjustment).
  const m = Math.round(n * 1000);
  if (m === 0) return '0';
  const a = m < 0 ? -m : m;
  const whole = Math.floor(a / 1000);
  const frac = a - whole * 1000;
  let s = m < 0 ? `-${whole}` : `${whole}`;
  if (frac !== 0) s += '.' + (frac < 10 ? `00${frac}` : frac < 100 ? `0${frac}` : `${frac}`).replace(/0+$/, '');
  return s;
}

/** Four hex digits of a glyph id (subset ids are small: the strings are made once). */
const hex4Cache: string[] = [];
export const hex4 = (n: number) => (n < 8192 ? (hex4Cache[n] ??= n.toString(16).padStart(4, '0')) : n.toString(16).padStart(4, '0'));

/**
 * Embedded subsets drop TrueType hinting (see SubsetOptions in fonts.ts): it only grid-fits glyphs to
 * screen pixels, never matters in print, and is about a fifth of a Japanese subset.
 */
const KEEP_HINTING = false;

/** One embedded font program per font file and document, shared by every font object drawing from it. */
interface FontProgram {
  subset: FontSubset;
  /** Written with the first font object that is embedded. */
  descriptor?: PdfRef;
  name?: string;
  cff?: boolean;
}

/**
 * Makes a pdfkit font object ours: its glyphs go into the document's subset of its font file (made by
 * fonts.ts, which copies glyph data where fontkit decodes every outline), and embedFont writes its
 * dictionaries. Done once per object: pdfkit hands back the same object when a font is selected again.
 */
const adopted = new WeakSet<EmbeddedFont>();
function adoptFont(f: EmbeddedFont, programs: Map<Font, FontProgram>): EmbeddedFont {
  if (adopted.has(f)) return f;
  adopted.add(f);
  const font = f.font as unknown as Font;
  let program = programs.get(font);
  if (!program) programs.set(font, (program = { subset: createSubset(font, { hinting: KEEP_HINTING }) }));
  f.subset = program.subset;
  const p = program;
  f.embed = () => embedFont(f, p);
  return f;
}

/**
 * pdfkit's EmbeddedFont.embed, with the font program shared between the font objects of one file, a
 * compact width array (DW 1000 left implicit, runs of equal widths as ranges) and a ToUnicode map that
 * lists only the glyphs this font object shows.
 */
function embedFont(f: EmbeddedFont, program: FontProgram): void {
  const pdf = (f as unknown as { document: PdfKitInternals }).document;
  const font = f.font as unknown as FontInfo;
  const scale = f.scale;
  if (!program.descriptor) {
    const cff = (program.subset as { cff?: unknown }).cff != null;
    const fontFile = pdf.ref();
    if (cff) fontFile.data.Subtype = 'CIDFontType0C';
    fontFile.end(program.subset.encode());
    const familyClass = (font['OS/2']?.sFamilyClass || 0) >> 8;
    let flags = 1 << 2; // symbolic
    if (font.post.isFixedPitch) flags |= 1 << 0;
    if (1 <= familyClass && familyClass <= 7) flags |= 1 << 1; // serif
    if (familyClass === 10) flags |= 1 << 3; // script
    if (font.head.macStyle.italic) flags |= 1 << 6;
    const tag = subsetTag(f.id);
    const name = `${tag}+${font.postscriptName?.replaceAll(' ', '_')}`;
    const { bbox } = font;
    const descriptor = pdf.ref({
      Type: 'FontDescriptor',
      FontName: name,
      Flags: flags,
      FontBBox: [bbox.minX * scale, bbox.minY * scale, bbox.maxX * scale, bbox.maxY * scale],
      ItalicAngle: font.italicAngle,
      Ascent: font.ascent * scale,
      Descent: font.descent * scale,
      CapHeight: (font.capHeight || font.ascent) * scale,
      XHeight: (font.xHeight || 0) * scale,
      StemV: 0,
    });
    descriptor.data[cff ? 'FontFile3' : 'FontFile2'] = fontFile;
    descriptor.end();
    Object.assign(program, { descriptor, name, cff });
  }
  const descendantData: Record<string, unknown> = {
    Type: 'Font',
    Subtype: program.cff ? 'CIDFontType0' : 'CIDFontType2',
    BaseFont: program.name,
    CIDSystemInfo: { Registry: new String('Adobe'), Ordering: new String('Identity'), Supplement: 0 },
    FontDescriptor: program.descriptor,
    W: compactWidths(f.widths),
  };
  if (!program.cff) descendantData.CIDToGIDMap = 'Identity';
  if (verticalFonts.has(f)) {
    // Vertical metrics for an Identity-V object (pdf/vertical.ts); horizontal ones never need them.
    Object.assign(descendantData, verticalMetrics(f.font as unknown as Font, f.widths, verticalAdvances.get(f) ?? []));
  }
  const descendant = pdf.ref(descendantData);
  descendant.end();
  const toUnicode = pdf.ref();
  toUnicode.end(toUnicodeCMap(f.unicode));
  f.dictionary!.data = {
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: program.name,
    Encoding: verticalFonts.has(f) ? 'Identity-V' : 'Identity-H',
    DescendantFonts: [descendant],
    ToUnicode: toUnicode,
  };
  f.dictionary!.end();
}

/**
 * The subset tag of a font program, from the id of the first font object drawing from it (pdfkit's
 * scheme: F1 → BZZZZZ, F12 → BCZZZZ): each digit becomes a letter A–J and the missing places Z, so the
 * ids of one document (F1, F2, … in creation order) give distinct tags up to F999999, the same on every
 * build. One tag per program: the other objects sharing the program write the same name.
 */
export function subsetTag(fontId: string): string {
  return [1, 2, 3, 4, 5, 6].map((i) => String.fromCharCode((fontId.charCodeAt(i) || 73) + 17)).join('');
}

/**
 * The W array: CIDs whose width is not the default 1000, as `c [w …]` for runs and `c₁ c₂ w` for
 * four or more equal widths in a row. CID 0 (.notdef, never shown) is left out.
 */
function compactWidths(widths: (number | undefined)[]): unknown[] {
  const W: unknown[] = [];
  const differs = (c: number) => widths[c] != null && widths[c] !== 1000;
  let c = 1;
  while (c < widths.length) {
    if (!differs(c)) {
      c++;
      continue;
    }
    let same = c;
    while (same + 1 < widths.length && widths[same + 1] === widths[c]) same++;
    if (same - c >= 3) {
      W.push(c, same, widths[c]);
      c = same + 1;
      continue;
    }
    const list: number[] = [];
    const start = c;
    // An array run: until a gap, a default width, or the start of four equal widths.
    while (c < widths.length && differs(c)) {
      if (c + 3 < widths.length && widths[c + 1] === widths[c] && widths[c + 2] === widths[c] && widths[c + 3] === widths[c]) break;
      list.push(widths[c]!);
      c++;
    }
    W.push(start, list);
  }
  return W;
}

const hex4u = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/** UTF-16BE hex of code points (surrogate pairs beyond the BMP). */
function utf16Hex(codePoints: number[]): string {
  let out = '';
  for (let i = 0; i < codePoints.length; i++) {
    const cp = codePoints[i]!;
    if (cp > 0xffff) {
      const v = cp - 0x10000;
      out += hex4u(0xd800 | (v >>> 10)) + hex4u(0xdc00 | (v & 0x3ff));
    } else out += hex4u(cp);
  }
  return out;
}

/**
 * The ToUnicode CMap: for each glyph this font object shows, its text. Consecutive glyphs are written
 * as ranges with a list of destinations (`<lo> <hi> [<…> …]`, within one high byte, as CMaps require),
 * at most 100 ranges per block.
 */
function toUnicodeCMap(unicode: (number[] | undefined)[]): string {
  const ranges: string[] = [];
  let c = 1; // CID 0 is never shown
  while (c < unicode.length) {
    if (!unicode[c]) {
      c++;
      continue;
    }
    const start = c;
    const dst: string[] = [];
    while (c < unicode.length && unicode[c] && (c === start || (c & 0xff) !== 0)) dst.push(`<${utf16Hex(unicode[c++]!)}>`);
    ranges.push(`<${hex4u(start)}> <${hex4u(c - 1)}> [${dst.join(' ')}]`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const part = ranges.slice(i, i + 100);
    blocks.push(`${part.length} beginbfrange\n${part.join('\n')}\nendbfrange`);
  }
  return `/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
${blocks.join('\n')}
endcmap
CMapName currentdict /CMap defineresource pop
end
end`;
}

/** Writes the pages; `output` makes it a press or a screen PDF (print.ts, screen.ts), by default a plain one. */
export async function writePdf(
  doc: LaidOutDocument,
  faces: Record<string, FontFace>,
  meta: PdfMetadata,
  output: PdfOutputHooks = PLAIN_OUTPUT,
): Promise<Uint8Array> {
  const first = doc.pages[0];
  if (!first) throw new Error('writePdf: a document has at least one page');
  const pdf = new CollectedPdfDocument({
    size: [first.width, first.height],
    margin: 0,
    autoFirstPage: false,
    font: null as unknown as string, // do not load Helvetica: every glyph comes from an embedded font
    lang: meta.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    // Links and bookmarks point at pages laid out after them: keep every page open until the end.
    ...(doc.navigation ? { bufferPages: true } : {}),
    info: {
      Title: meta.title ?? '',
      Author: meta.author ?? '',
      Subject: meta.subject ?? '',
      Keywords: meta.keywords ?? '',
      Creator: 'kumihan',
      Producer: 'kumihan (pdfkit)',
      // IsoDate: pdfkit writes the XMP creation date with toISOString (see src/time.ts).
      CreationDate: new IsoDate(meta.creationDate.getTime()),
      ModDate: new IsoDate(meta.creationDate.getTime()),
    },
    ...output.documentOptions,
  } as PDFKit.PDFDocumentOptions);
  const internals = pdf as unknown as PdfKitInternals;
  const done = new Promise<void>((resolve, reject) => {
    pdf.finished = resolve;
    pdf.on('error', reject);
  });

  // One pdfkit font object per face, role and variant, created in a fixed order so that ids (and subset
  // tags) are stable (see FaceVariants). Called per glyph: no keys are built.
  const variants = new Map<string, FaceVariants>();
  const variantsOf = (faceName: string, vertical = false): FaceVariants => {
    const key = vertical ? `${faceName}\u0000vertical` : faceName;
    let v = variants.get(key);
    if (!v) variants.set(key, (v = vertical ? { face: faceName, lists: [], vertical } : { face: faceName, lists: [] }));
    return v;
  };
  const programs = new Map<Font, FontProgram>();
  const fontFor: FontFor = (fv, role, narrow, glyphId, text) => {
    const list = (fv.lists[listIndex(role, narrow)] ??= []);
    for (let k = 0; k < list.length; k++) {
      const v = list[k]!;
      const mapped = v.texts.get(glyphId);
      if (mapped === undefined) {
        v.texts.set(glyphId, text);
        return v.font;
      }
      if (mapped === text || sameCodePoints(mapped, text)) return v.font;
    }
    const face = faces[fv.face]!;
    const fk = fontOfRole(face, role);
    let f: EmbeddedFont;
    if (!narrow && list.length === 0 && !fv.vertical) {
      pdf.font(fk as unknown as string);
      f = adoptFont(internals._font, programs);
    } else {
      const full = fv.lists[listIndex(role, false)] ?? [];
      // A vertical object is made like an alias of the horizontal one (pdfkit's class, the same program).
      const first = list[0]?.font ?? full[0]?.font ?? fontFor(fv.vertical ? variantsOf(fv.face) : fv, role, false, -1, []);
      const EmbeddedFontClass = first.constructor as new (doc: unknown, font: unknown, id: string) => EmbeddedFont;
      f = adoptFont(new EmbeddedFontClass(pdf, fk, `F${++internals._fontCount}`), programs);
      internals._fontFamilies[f.id] = f; // pdfkit embeds every registered font when the document ends
      if (fv.vertical) verticalFonts.add(f);
    }
    list.push({ font: f, texts: new Map(glyphId >= 0 ? [[glyphId, text]] : []) });
    return f;
  };

  const glyphCodePoints = (faceName: string, role: FontRole, id: number): number[] => {
    const face = faces[faceName]!;
    return fontOfRole(face, role).getGlyph(id).codePoints;
  };

  const draw = (item: PageItem, pageHeight: number, parts?: GlyphParts) => {
    if (item.kind === 'text' && item.writingMode === 'vertical-rl') {
      // Ruby and emphasis dots: replaced by no text, as in writeLine (by the parts' own marks when there are parts).
      const marked = item.role === 'annotation' && !parts;
      if (marked) internals.addContent('/Span <</ActualText ()>> BDC\n');
      writeVerticalLine(internals, item, variantsOf(item.face, true), fontFor, glyphCodePoints, pageHeight, parts);
      if (marked) internals.addContent('EMC\n');
    } else if (item.kind === 'text')
      writeLine(internals, item, variantsOf(item.face), fontFor, glyphCodePoints, pageHeight, output.fontProgramWidths === true, parts);
    else if (item.kind === 'rule') {
      // A cmyk() colour in a template without print: is written as DeviceCMYK, as given.
      const colour = item.color.startsWith('cmyk') ? cmykPercent(item.color) : item.color;
      pdf.save().moveTo(item.x1, item.y1).lineTo(item.x2, item.y2).lineWidth(item.thickness).strokeColor(colour).stroke().restore();
    } else if (item.kind === 'box') {
      const colour = item.color.startsWith('cmyk') ? cmykPercent(item.color) : item.color;
      pdf.save().rect(item.x, item.y, item.width, item.height).fillColor(colour).fill().restore();
    } else {
      try {
        if (item.clip) pdf.save().rect(item.clip.x, item.clip.y, item.clip.width, item.clip.height).clip();
        pdf.image(item.file, item.x, item.y, { width: item.width, height: item.height });
        if (item.clip) pdf.restore();
      } catch (e) {
        throw new KumihanError('image', `cannot read the image (${(e as Error).message}); use a PNG or JPEG file`, { file: item.file });
      }
    }
  };
  for (const [k, page] of doc.pages.entries()) {
    output.beginPage(pdf, page, k);
    for (const item of page.items) await output.drawItem(pdf, item, (it, parts) => draw(it, page.height, parts));
    output.endPage(pdf, page, k);
  }
  // Bookmarks and page labels in every kind of PDF; links only where annotations are allowed (not for the press).
  if (doc.navigation) writeNavigation(pdf, doc, { links: output.annotations });
  output.end(pdf);
  pdf.end();
  await done;
  return new Uint8Array(Buffer.concat(pdf.output));
}

/**
 * pdfkit's document with its output collected as pdfkit writes it, not pushed through the Readable stream
 * PDFDocument is: pdfkit writes every object, and the cross-reference table line by line, with `push()`,
 * and a stream's bookkeeping for each (~1.5 ms of a letter's build). Readable's own `push` contract: a
 * chunk, or null at the end. (tests/contracts/pdfkit.test.ts holds pdfkit to writing all of it this way.)
 */
export class CollectedPdfDocument extends PDFDocument {
  // `declare`d, not initialised: the constructor of PDFDocument already pushes the file header, before a
  // field initialiser of this class would run (and reset it).
  declare output: Uint8Array[];
  /** Called when pdfkit has written the end of the file. */
  declare finished?: () => void;
  override push(chunk: unknown): boolean {
    if (chunk === null) this.finished?.();
    else (this.output ??= []).push(chunk as Uint8Array);
    return true;
  }
}

/** pdfkit's CMYK colour: four percentages. */
function cmykPercent(text: string): [number, number, number, number] {
  const c = parseColour(text);
  if (c.space !== 'cmyk') throw new Error(`not a cmyk() colour: ${text}`);
  return c.cmyk.map((v) => v * 100) as [number, number, number, number];
}

const sameCodePoints = (a: number[], b: number[]) => a.length === b.length && a.every((c, k) => c === b[k]);

export const REPLACEMENT = [0xfffd];

/** Code points of a cluster's text, one array per distinct text (shared, never modified). */
const codePointCache = new Map<string, number[]>();
/** The same for single UTF-16 units, by code (a Map: a 64K-slot array would cost every cold start). */
const bmpCodePoints = new Map<number, number[]>();
export function codePointsOf(text: string): number[] {
  if (text.length === 1) {
    const c = text.charCodeAt(0);
    let single = bmpCodePoints.get(c);
    if (!single) bmpCodePoints.set(c, (single = [c]));
    return single;
  }
  let cps = codePointCache.get(text);
  if (!cps) {
    if (codePointCache.size > 50000) codePointCache.clear();
    codePointCache.set(text, (cps = Array.from(text, (c) => c.codePointAt(0)!)));
  }
  return cps;
}

/** A font object and the text each glyph it has shown stands for (one text per glyph and object). */
interface Variant {
  font: EmbeddedFont;
  texts: Map<number, number[]>;
}
/**
 * A face's font objects, created only when needed, in the order they are created: [main full, main narrow,
 * latin full, latin narrow]. "narrow" objects record the half-em body width of punctuation whose ink is in
 * the first half of a full-em glyph (」、。), so that the PDF's glyph box is the body and text extraction
 * never sees the pen jump back by a full em where punctuation is compressed; further objects of a kind are
 * aliases: a ToUnicode map gives each glyph one text, so when two characters are drawn with the same glyph
 * (𩿎 and 𩿗 in BIZ UD Mincho), the second is written through another font object whose map says what it
 * really is — copy and paste gives back exactly the content.
 */
export interface FaceVariants {
  face: string;
  /** Font objects written with Identity-V, for vertical columns (pdf/vertical.ts). */
  vertical?: boolean;
  /** By listIndex: [main full, main narrow, latin full, latin narrow, fallback 0 full, fallback 0 narrow, …]. */
  lists: Variant[][];
}

/** Where a role's font objects are kept in FaceVariants.lists. */
const listIndex = (role: FontRole, narrow: boolean) => (role === 'main' ? 0 : role === 'latin' ? 2 : 4 + 2 * role) + (narrow ? 1 : 0);
export type FontFor = (variants: FaceVariants, role: FontRole, narrow: boolean, glyphId: number, text: number[]) => EmbeddedFont;

function writeLine(
  pdf: PdfKitInternals,
  line: TextLineItem,
  variants: FaceVariants,
  fontFor: FontFor,
  glyphCodePoints: (face: string, role: FontRole, id: number) => number[],
  pageHeight: number,
  fontProgramWidths = false,
  parts?: GlyphParts,
): void {
  const size = line.size;
  const y = pageHeight - line.baseline; // PDF user space: origin bottom-left
  const ops: string[] = ['q', `1 0 0 -1 0 ${num(pageHeight)} cm`, 'BT'];
  // Ruby and emphasis dots: marked as replaced by no text, so that copy and extraction give the base
  // text alone, uninterrupted (PDF 32000 14.9.4 ActualText). With parts, each part's own marks do it.
  const marked = line.role === 'annotation' && !parts;
  if (marked) ops.unshift('/Span <</ActualText ()>> BDC');
  const glyphs = line.glyphs;
  const n = glyphs.length;
  // For each glyph: the font object it is written through and its id there (parallel arrays: no object
  // per glyph).
  const fonts: EmbeddedFont[] = new Array(n);
  const gids: number[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const g = glyphs[k]!;
    // Narrow where the next glyph (or the line end) comes before the full glyph's box would end.
    const next = k + 1 < n ? glyphs[k + 1]!.x : Math.max(line.width, g.x);
    const narrow = !fontProgramWidths && g.narrow !== undefined && next < g.x + g.narrow.full - 1e-6;
    // A glyph continuing a cluster (its text is on the cluster's first glyph) maps to what the font says.
    const text = g.text ? codePointsOf(g.text) : glyphCodePoints(line.face, g.font, g.id);
    const cps = text.length > 0 ? text : REPLACEMENT;
    const font = fontFor(variants, g.font, narrow, g.id, cps);
    const gid = font.subset.includeGlyph(g.id);
    if (font.widths[gid] == null) {
      font.widths[gid] = narrow ? g.narrow!.body * 1000 : advanceWidthOf(font.font as unknown as Font, g.id) * font.scale;
    }
    if (font.unicode[gid] == null) font.unicode[gid] = cps;
    fonts[k] = font;
    gids[k] = gid;
  }
  let currentFont = '';
  let i = 0;
  const step = parts ? partStepper(parts, n, () => flushOps(pdf, ops)) : undefined;
  while (i < n) {
    const stop = step ? step.at(i) : n;
    // A run: consecutive glyphs written through the same font object (and in one part).
    const font = fonts[i]!;
    if (pdf.page.fonts[font.id] == null) pdf.page.fonts[font.id] = font.ref();
    if (font.id !== currentFont) {
      ops.push(`/${font.id} ${num(size)} Tf`);
      currentFont = font.id;
    }
    ops.push(`1 0 0 1 ${num(line.x + glyphs[i]!.x * size)} ${num(y)} Tm`);
    const tj: string[] = [];
    let pen = glyphs[i]!.x; // where the PDF's text position is, in em
    let hex = '';
    while (i < stop && fonts[i] === font) {
      const g = glyphs[i]!;
      const gid = gids[i]!;
      const adjust = g.x - pen; // em; TJ numbers are thousandths of an em, positive moves left
      if (Math.abs(adjust) > 1e-6) {
        if (hex) tj.push(`<${hex}>`);
        tj.push(num(-adjust * 1000));
        hex = '';
      }
      hex += hex4(gid);
      // The PDF advances by the width it records for this glyph (thousandths of an em).
      pen = g.x + font.widths[gid]! / 1000;
      i++;
    }
    if (hex) tj.push(`<${hex}>`);
    ops.push(`[${tj.join(' ')}] TJ`);
  }
  step?.finish();
  ops.push('ET', 'Q');
  if (marked) ops.push('EMC');
  flushOps(pdf, ops);
}

/** Writes the pending operators (as bytes: pdfkit would convert a string character by character, and add the same newline). */
export function flushOps(pdf: PdfKitInternals, ops: string[]): void {
  if (ops.length === 0) return;
  pdf.addContent(Buffer.from(ops.join('\n') + '\n', 'latin1'));
  ops.length = 0;
}

/**
 * Walks a line's parts as its glyphs are written: `at(i)`, called before writing glyph i, ends the part
 * before and begins the next when i starts one (writing the pending operators first), and gives where the
 * current part ends; `finish()` ends the last.
 */
export function partStepper(parts: GlyphParts, n: number, flush: () => void): { at(i: number): number; finish(): void } {
  let part = -1;
  let finished = false;
  return {
    at(i) {
      while (part + 1 < parts.starts.length && parts.starts[part + 1]! <= i) {
        flush();
        if (part >= 0) parts.end(part);
        parts.begin(++part);
      }
      return part + 1 < parts.starts.length ? parts.starts[part + 1]! : n;
    },
    finish() {
      if (part < 0 || finished) return;
      finished = true;
      flush();
      parts.end(part);
    },
  };
}
