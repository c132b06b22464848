/**
 * Reading a PDF back: its text layer (with glyph positions), its fonts and its metadata,
 * through mupdf. Used by `kumihan check` and by tests that assert on layout.
 *
 * Coordinates are PDF points in mupdf's page space: origin at the top-left of the page
 * (CropBox), y growing downwards.
 */
import type * as Mupdf from 'mupdf';
import { boundsSize, openPdf } from './mupdf.js';

export interface PdfChar {
  /** The character (one Unicode code point; may be a surrogate pair). */
  c: string;
  /** Glyph origin: x of the pen position, y of the baseline. */
  x: number;
  y: number;
  /** Advance (width of the glyph's box along the line) in points. */
  w: number;
  /** Font size in points. */
  size: number;
  /** Font name as embedded (BaseFont, including any `ABCDEF+` subset tag). */
  font: string;
}

export interface PdfBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PdfLine {
  text: string;
  bbox: PdfBox;
  /** 0 horizontal, 1 vertical writing. */
  wmode: number;
  chars: PdfChar[];
}

export interface PdfPage {
  widthPt: number;
  heightPt: number;
  lines: PdfLine[];
}

/**
 * Structured-text options: `inhibit-spaces` stops mupdf from inventing U+0020 where glyphs are
 * placed apart (justified or letter-spaced Japanese text would otherwise gain spaces),
 * `preserve-whitespace` keeps real whitespace characters as they are in the text layer.
 * Ligatures are expanded (mupdf's default), so `ﬁ` reads back as `fi`.
 */
export const STEXT_OPTIONS = 'preserve-whitespace,inhibit-spaces';

interface JsonLine {
  text?: string;
}
interface JsonBlock {
  type?: string;
  lines?: JsonLine[];
}

/** Reads the text layer of every page. */
export async function readPdfText(pdf: Uint8Array, label?: string): Promise<PdfPage[]> {
  const { doc } = await openPdf(pdf, label);
  try {
    const pages: PdfPage[] = [];
    const n = doc.countPages();
    for (let i = 0; i < n; i++) {
      const page = doc.loadPage(i);
      try {
        pages.push(readPage(page));
      } finally {
        page.destroy();
      }
    }
    return pages;
  } finally {
    doc.destroy();
  }
}

function readPage(page: Mupdf.Page): PdfPage {
  const { widthPt, heightPt } = boundsSize(page.getBounds());
  const st = page.toStructuredText(STEXT_OPTIONS);
  try {
    const lines: PdfLine[] = [];
    const fontNames = new Map<number, string>();
    let cur: PdfLine | undefined;
    st.walk({
      beginLine(bbox, wmode) {
        cur = { text: '', bbox: rectToBox(bbox), wmode, chars: [] };
        lines.push(cur);
      },
      onChar(c, origin, font, size, quad) {
        let name = fontNames.get(font.pointer as unknown as number);
        if (name === undefined) {
          name = font.getName();
          fontNames.set(font.pointer as unknown as number, name);
        }
        font.destroy();
        // quad: ul, ur, ll, lr. Advance along the line direction (horizontal or vertical).
        const w = Math.hypot(quad[2] - quad[0], quad[3] - quad[1]);
        cur!.chars.push({ c, x: origin[0], y: origin[1], w, size, font: name });
      },
    });
    // mupdf.js's walk() builds each character with String.fromCharCode, which truncates code
    // points beyond U+FFFF (e.g. 𠀋 U+2000B). The JSON output has them right: take the line
    // texts from there when the two agree on the shape.
    const json = JSON.parse(st.asJSON()) as { blocks?: JsonBlock[] };
    const jsonLines = (json.blocks ?? []).filter((b) => b.type === 'text').flatMap((b) => b.lines ?? []);
    const aligned = jsonLines.length === lines.length;
    lines.forEach((line, li) => {
      const cps = aligned ? Array.from(jsonLines[li]?.text ?? '') : undefined;
      if (cps && cps.length === line.chars.length)
        line.chars.forEach((ch, ci) => {
          ch.c = cps[ci]!;
        });
      line.text = line.chars.map((ch) => ch.c).join('');
    });
    return { widthPt, heightPt, lines };
  } finally {
    st.destroy();
  }
}

function rectToBox(r: readonly number[]): PdfBox {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = r;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** All text of all pages, lines concatenated with nothing in between. */
export function extractPlainText(pages: PdfPage[]): string {
  return pages.map((p) => p.lines.map((l) => l.text).join('')).join('');
}

/** Text per line per page: `pageLines(pages)[page][line]`. */
export function pageLines(pages: PdfPage[]): string[][] {
  return pages.map((p) => p.lines.map((l) => l.text));
}

export interface PdfFontInfo {
  /** BaseFont as written in the PDF, e.g. `ABCDEF+BIZUDMincho-Regular`. */
  name: string;
  /** BaseFont without a subset tag. */
  baseName: string;
  /** The name carries a six-capital-letter subset tag (`ABCDEF+`). */
  subset: boolean;
  /** A font program is embedded (FontFile, FontFile2 or FontFile3 in the descriptor). */
  embedded: boolean;
  /** Which of FontFile / FontFile2 / FontFile3 (null when not embedded). */
  fontFile: 'FontFile' | 'FontFile2' | 'FontFile3' | null;
  /** Font Subtype (`Type0`, `TrueType`, `Type1`, `Type3` …); for Type0 also the descendant's, e.g. `Type0/CIDFontType2`. */
  type: string;
  /** 1-based pages whose resources (including form XObjects) use the font. */
  pages: number[];
}

const SUBSET_TAG = /^[A-Z]{6}\+/;

/** Fonts referenced from the pages (page resources and, recursively, form XObjects). */
export async function pdfFonts(pdf: Uint8Array, label?: string): Promise<PdfFontInfo[]> {
  const { doc } = await openPdf(pdf, label);
  try {
    const byKey = new Map<string, PdfFontInfo>();
    const n = doc.countPages();
    for (let i = 0; i < n; i++) {
      const page = doc.loadPage(i);
      try {
        const seenRes = new Set<number>();
        collectFonts(page.getObject().getInheritable('Resources'), i + 1, byKey, seenRes, 0);
      } finally {
        page.destroy();
      }
    }
    return [...byKey.values()];
  } finally {
    doc.destroy();
  }
}

function collectFonts(resources: Mupdf.PDFObject, pageNo: number, byKey: Map<string, PdfFontInfo>, seen: Set<number>, depth: number): void {
  if (depth > 16 || resources.isNull()) return;
  if (resources.isIndirect()) {
    const num = resources.asIndirect();
    if (seen.has(num)) return;
    seen.add(num);
  }
  const fonts = resources.get('Font');
  if (fonts.isDictionary()) {
    fonts.forEach((ref, key) => {
      const font = ref.resolve();
      const k = ref.isIndirect() ? `obj${ref.asIndirect()}` : `inline:${pageNo}:${String(key)}`;
      let info = byKey.get(k);
      if (!info) {
        info = describeFont(font);
        byKey.set(k, info);
      }
      if (!info.pages.includes(pageNo)) info.pages.push(pageNo);
    });
  }
  const xobjects = resources.get('XObject');
  if (xobjects.isDictionary()) {
    xobjects.forEach((ref) => {
      const x = ref.resolve();
      if (x.get('Subtype').isName() && x.get('Subtype').asName() === 'Form') {
        if (ref.isIndirect()) {
          const num = ref.asIndirect();
          if (seen.has(num)) return;
          seen.add(num);
        }
        collectFonts(x.get('Resources'), pageNo, byKey, seen, depth + 1);
      }
    });
  }
}

function nameOf(obj: Mupdf.PDFObject): string {
  return obj.isName() ? obj.asName() : obj.isString() ? obj.asString() : '';
}

function describeFont(font: Mupdf.PDFObject): PdfFontInfo {
  const subtype = nameOf(font.get('Subtype'));
  let type = subtype;
  let descriptor = font.get('FontDescriptor');
  if (subtype === 'Type0') {
    const desc = font.get('DescendantFonts').get(0);
    if (!desc.isNull()) {
      type += '/' + nameOf(desc.get('Subtype'));
      descriptor = desc.get('FontDescriptor');
    }
  }
  let fontFile: PdfFontInfo['fontFile'] = null;
  for (const key of ['FontFile2', 'FontFile3', 'FontFile'] as const) {
    if (!descriptor.isNull() && !descriptor.get(key).isNull()) {
      fontFile = key;
      break;
    }
  }
  // Type3 glyphs are content streams in the font itself: always "embedded".
  const embedded = fontFile !== null || subtype === 'Type3';
  const name = nameOf(font.get('BaseFont')) || nameOf(font.get('Name'));
  return {
    name,
    baseName: name.replace(SUBSET_TAG, ''),
    subset: SUBSET_TAG.test(name),
    embedded,
    fontFile,
    type,
    pages: [],
  };
}

export interface PdfInfo {
  pageCount: number;
  /** Per page, in points (CropBox, after rotation). */
  pageSizes: { widthPt: number; heightPt: number }[];
  title: string | null;
  author: string | null;
  subject: string | null;
  keywords: string | null;
  creator: string | null;
  producer: string | null;
  /** Catalog /Lang, e.g. `ja-JP`. */
  lang: string | null;
  /** The raw PDF date string, e.g. `D:19700101000000Z`. */
  creationDate: string | null;
}

/** Document metadata (Info dictionary and catalog /Lang) and page sizes. */
export async function pdfInfo(pdf: Uint8Array, label?: string): Promise<PdfInfo> {
  const { doc } = await openPdf(pdf, label);
  try {
    const meta = (key: string): string | null => {
      const v = doc.getMetaData(key);
      return v === undefined || v === '' ? null : v;
    };
    const pageSizes: PdfInfo['pageSizes'] = [];
    const n = doc.countPages();
    for (let i = 0; i < n; i++) {
      const page = doc.loadPage(i);
      try {
        pageSizes.push(boundsSize(page.getBounds()));
      } finally {
        page.destroy();
      }
    }
    const root = doc.getTrailer().get('Root');
    const langObj = root.get('Lang');
    const lang = langObj.isString() ? langObj.asString() : langObj.isName() ? langObj.asName() : null;
    return {
      pageCount: n,
      pageSizes,
      title: meta('info:Title'),
      author: meta('info:Author'),
      subject: meta('info:Subject'),
      keywords: meta('info:Keywords'),
      creator: meta('info:Creator'),
      producer: meta('info:Producer'),
      lang: lang || null,
      creationDate: meta('info:CreationDate'),
    };
  } finally {
    doc.destroy();
  }
}

/** A glyph as drawn on the page, whatever text the PDF says it stands for (ActualText included). */
export interface DrawnGlyph {
  /** The Unicode value the font's ToUnicode gives, as a string ('' when none). */
  c: string;
  /** Glyph origin in page space (origin top-left, y down), pt. */
  x: number;
  y: number;
  /** Font size in pt (the text matrix's scale). */
  size: number;
  /** 0 horizontal, 1 vertical (an Identity-V font). */
  wmode: number;
  font: string;
}

/**
 * Every glyph drawn on each page, as the content stream shows it: unlike the text layer, ruby and
 * other text marked with an empty ActualText is there too.
 */
export async function readDrawnGlyphs(pdf: Uint8Array, label?: string): Promise<DrawnGlyph[][]> {
  const { mupdf, doc } = await openPdf(pdf, label);
  try {
    const out: DrawnGlyph[][] = [];
    for (let i = 0; i < doc.countPages(); i++) {
      const page = doc.loadPage(i);
      const glyphs: DrawnGlyph[] = [];
      const device = new mupdf.Device({
        fillText(text, ctm) {
          text.walk({
            showGlyph(font, trm, _glyph, unicode, wmode) {
              const m = mupdf.Matrix.concat(trm, ctm);
              glyphs.push({
                c: unicode > 0 ? String.fromCodePoint(unicode) : '',
                x: m[4],
                y: m[5],
                size: Math.hypot(m[0], m[1]),
                wmode,
                font: font.getName(),
              });
            },
          });
        },
      });
      try {
        page.run(device, mupdf.Matrix.identity);
      } finally {
        device.close();
        page.destroy();
      }
      out.push(glyphs);
    }
    return out;
  } finally {
    doc.destroy();
  }
}
