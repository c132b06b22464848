/**
 * Font files: loading, glyph lookup and advances, and TrueType subsetting for the PDF writer.
 *
 * A font file is read and parsed once per process and shared: the same fontkit Font object is used for
 * shaping (fontkit's `layout` for Western runs and combining sequences) and for the PDF's font
 * dictionaries. Faces are lazy: `loadFace` only records the files, and a font is read when a face is
 * first used, so a template's unused faces cost nothing.
 *
 * The hot paths bypass fontkit and read the font's tables directly (fontkit decodes whole glyph outlines
 * to answer `advanceWidth` and to subset, and looks characters up through generic table decoders):
 *   - glyphIdForCodePoint: the Unicode cmap subtable fontkit would choose (format 4 or 12/13), read from
 *     the raw bytes with the same binary search, so the glyph ids are fontkit's;
 *   - advanceWidthOf: the hmtx entry (what fontkit's `glyph.advanceWidth` returns for a static font);
 *   - createSubset: a TrueType subsetter that copies glyph data as it is and parses only composite
 *     glyph headers, writing exactly the tables (and bytes) that fontkit's TTFSubset writes.
 * Fonts these readers do not cover (variable fonts, CFF outlines, legacy or unusual cmaps) fall back
 * to fontkit for the part concerned.
 */
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { KumihanError } from '../errors.js';
import type { FontFace } from './shape.js';

const fontCache = new Map<string, Font>();

export function loadFont(file: string): Font {
  const cached = fontCache.get(file);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new KumihanError('font', `font file not found: ${file}`, { file });
  }
  let font: Font;
  try {
    font = fontkit.create(bytes);
  } catch (e) {
    throw new KumihanError('font', `not a font file fontkit can read (${(e as Error).message})`, { file });
  }
  if (!font || typeof font.layout !== 'function') {
    throw new KumihanError('font', 'font collections are not supported; name a single font file', { file });
  }
  fontBytes.set(font, bytes);
  fontCache.set(file, font);
  return font;
}
const fontBytes = new WeakMap<Font, Uint8Array>();

/**
 * A face from its files: the Japanese font and an optional proportional font for Western text.
 * The files are read when `main` or `latin` is first used (the template has already checked that they exist).
 */
export function loadFace(name: string, file: string, latinFile?: string): FontFace {
  // One face object per pair of files, so that shaping caches survive across documents of a batch.
  const key = `${file}\0${latinFile ?? ''}`;
  let face = faceCache.get(key);
  if (!face) {
    let main: Font | undefined;
    let latin: Font | undefined;
    face = {
      name,
      get main(): Font {
        return (main ??= loadFont(file));
      },
      get latin(): Font | undefined {
        return latinFile === undefined ? undefined : (latin ??= loadFont(latinFile));
      },
    };
    faceCache.set(key, face);
  }
  return face;
}
const faceCache = new Map<string, FontFace>();

// ------------------------------------------------------------------------------------------------
// Raw tables

interface TableRecord {
  offset: number;
  length: number;
}

/** What the fast paths need of a font file, found once per font. */
interface Sfnt {
  bytes: Uint8Array;
  view: DataView;
  tables: Map<string, TableRecord>;
  /** hmtx: offset and number of long metrics; undefined → ask fontkit (variable fonts). */
  hmtx?: { offset: number; numberOfHMetrics: number };
  /** The cmap subtable fontkit uses, when it is a format read here. */
  cmap?: { format: 4; offset: number; segCount: number; end: number } | { format: 12 | 13; offset: number; nGroups: number };
  /** TrueType outlines without variations: subset here. */
  subsettable: boolean;
}

const sfnts = new WeakMap<Font, Sfnt>();

function sfntOf(font: Font): Sfnt {
  let s = sfnts.get(font);
  if (!s) {
    s = readSfnt(font);
    sfnts.set(font, s);
  }
  return s;
}

/** The cmap subtables fontkit prefers, in its order (CmapProcessor). */
const UNICODE_CMAPS: [number, number][] = [
  [3, 10],
  [0, 6],
  [0, 4],
  [3, 1],
  [0, 3],
  [0, 2],
  [0, 1],
  [0, 0],
];

function readSfnt(font: Font): Sfnt {
  const bytes = fontBytes.get(font) ?? (font as unknown as { stream?: { buffer?: Uint8Array } }).stream?.buffer;
  const none: Sfnt = { bytes: new Uint8Array(0), view: new DataView(new ArrayBuffer(0)), tables: new Map(), subsettable: false };
  if (!bytes) return none;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const tag = (o: number) => String.fromCharCode(bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]);
    const numTables = view.getUint16(4);
    const tables = new Map<string, TableRecord>();
    for (let i = 0; i < numTables; i++) {
      const o = 12 + 16 * i;
      const offset = view.getUint32(o + 8);
      const length = view.getUint32(o + 12);
      if (offset + length > bytes.length) throw new Error('table beyond the end of the file');
      tables.set(tag(o), { offset, length });
    }
    const s: Sfnt = { bytes, view, tables, subsettable: false };
    const variable = tables.has('fvar');
    const hhea = tables.get('hhea');
    const hmtx = tables.get('hmtx');
    if (!variable && hhea && hmtx) {
      const numberOfHMetrics = view.getUint16(hhea.offset + 34);
      if (numberOfHMetrics > 0 && numberOfHMetrics * 4 <= hmtx.length) s.hmtx = { offset: hmtx.offset, numberOfHMetrics };
    }
    s.cmap = readCmap(view, tables.get('cmap'));
    const head = tables.get('head');
    const maxp = tables.get('maxp');
    s.subsettable =
      !variable &&
      !tables.has('CFF ') &&
      tables.has('glyf') &&
      tables.has('loca') &&
      s.hmtx !== undefined &&
      head !== undefined &&
      head.length >= 54 &&
      maxp !== undefined &&
      maxp.length >= 32 &&
      hhea !== undefined &&
      hhea.length >= 36;
    return s;
  } catch {
    return none;
  }
}

function readCmap(view: DataView, cmap: TableRecord | undefined): Sfnt['cmap'] {
  if (!cmap) return undefined;
  const n = view.getUint16(cmap.offset + 2);
  for (const [platform, encoding] of UNICODE_CMAPS) {
    for (let i = 0; i < n; i++) {
      const r = cmap.offset + 4 + 8 * i;
      if (view.getUint16(r) !== platform || view.getUint16(r + 2) !== encoding) continue;
      // fontkit takes the first subtable with this platform and encoding, whatever its format.
      const offset = cmap.offset + view.getUint32(r + 4);
      const format = view.getUint16(offset);
      if (format === 4) {
        const length = view.getUint16(offset + 2);
        return { format, offset, segCount: view.getUint16(offset + 6) >> 1, end: offset + length };
      }
      if (format === 12 || format === 13) return { format, offset, nGroups: view.getUint32(offset + 12) };
      return undefined;
    }
  }
  return undefined;
}

/** fontkit's CmapProcessor.lookup for formats 4 and 12/13, on the raw subtable. */
function cmapLookup(s: Sfnt, cp: number): number {
  const c = s.cmap!;
  const v = s.view;
  if (c.format === 4) {
    const seg = c.segCount;
    const endCodes = c.offset + 14;
    const startCodes = endCodes + 2 * seg + 2;
    const idDeltas = startCodes + 2 * seg;
    const idRangeOffsets = idDeltas + 2 * seg;
    let min = 0;
    let max = seg - 1;
    while (min <= max) {
      const mid = (min + max) >> 1;
      if (cp < v.getUint16(startCodes + 2 * mid)) max = mid - 1;
      else if (cp > v.getUint16(endCodes + 2 * mid)) min = mid + 1;
      else {
        const rangeOffset = v.getUint16(idRangeOffsets + 2 * mid);
        let gid: number;
        if (rangeOffset === 0) gid = cp + v.getInt16(idDeltas + 2 * mid);
        else {
          const index = rangeOffset / 2 + (cp - v.getUint16(startCodes + 2 * mid)) - (seg - mid);
          const at = idRangeOffsets + 2 * seg + 2 * index;
          gid = index >= 0 && at + 2 <= c.end ? v.getUint16(at) : 0;
          if (gid !== 0) gid += v.getInt16(idDeltas + 2 * mid);
        }
        return gid & 0xffff;
      }
    }
    return 0;
  }
  const groups = c.offset + 16;
  let min = 0;
  let max = c.nGroups - 1;
  while (min <= max) {
    const mid = (min + max) >> 1;
    const g = groups + 12 * mid;
    if (cp < v.getUint32(g)) max = mid - 1;
    else if (cp > v.getUint32(g + 4)) min = mid + 1;
    else return c.format === 12 ? v.getUint32(g + 8) + (cp - v.getUint32(g)) : v.getUint32(g + 8);
  }
  return 0;
}

// ------------------------------------------------------------------------------------------------
// Glyphs and advances

/** The glyph id fontkit's `glyphForCodePoint(cp).id` gives; 0 when the font has no glyph for it. */
export function glyphIdForCodePoint(font: Font, cp: number): number {
  const s = sfntOf(font);
  return s.cmap ? cmapLookup(s, cp) : font.glyphForCodePoint(cp).id;
}

/** Whether the font maps the code point to a glyph (fontkit's `hasGlyphForCodePoint`). */
export function hasGlyphForCodePoint(font: Font, cp: number): boolean {
  return glyphIdForCodePoint(font, cp) !== 0;
}

/** A glyph's advance width in font units (fontkit's `getGlyph(id).advanceWidth`). */
export function advanceWidthOf(font: Font, gid: number): number {
  const m = sfntOf(font).hmtx;
  if (!m) return font.getGlyph(gid).advanceWidth;
  return m.numberOfHMetrics > gid ? readAdvance(font, m.offset + 4 * gid) : readAdvance(font, m.offset + 4 * (m.numberOfHMetrics - 1));
}

const readAdvance = (font: Font, at: number) => sfntOf(font).view.getUint16(at);

// ------------------------------------------------------------------------------------------------
// Subsetting

/** What the PDF writer needs of a subset (pdfkit's and fontkit's interface). */
export interface FontSubset {
  /** The subset's glyph id for a glyph of the font, adding it when new (glyph 0 is always first). */
  includeGlyph(gid: number): number;
  /** The subset font file. */
  encode(): Uint8Array;
  /** Set for CFF-outline subsets (embedded as FontFile3 / CIDFontType0C). */
  readonly cff?: unknown;
}

/** A subset of `font`: TrueType fonts are subset here, others by fontkit. */
export function createSubset(font: Font): FontSubset {
  const s = sfntOf(font);
  if (s.subsettable) return new TrueTypeSubset(s);
  return (font as unknown as { createSubset(): FontSubset }).createSubset();
}

const MORE_COMPONENTS = 0x20;
const ARG_1_AND_2_ARE_WORDS = 0x01;
const WE_HAVE_A_SCALE = 0x08;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x40;
const WE_HAVE_A_TWO_BY_TWO = 0x80;

/**
 * fontkit's TTFSubset, without decoding outlines: the same glyph order (glyph 0, then glyphs in the
 * order they are included, then composite components as they are met), the same tables in the same
 * order — head, hhea, loca, maxp, cvt , prep, glyf, hmtx, fpgm — and the same bytes.
 */
class TrueTypeSubset implements FontSubset {
  private readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();
  constructor(private readonly s: Sfnt) {
    this.includeGlyph(0);
  }

  includeGlyph(gid: number): number {
    let id = this.mapping.get(gid);
    if (id === undefined) {
      id = this.glyphs.length;
      this.glyphs.push(gid);
      this.mapping.set(gid, id);
    }
    return id;
  }

  encode(): Uint8Array {
    const { bytes, view, tables } = this.s;
    const table = (tag: string) => tables.get(tag);
    const head = table('head')!;
    const hhea = table('hhea')!;
    const maxp = table('maxp')!;
    const loca = table('loca')!;
    const glyf = table('glyf')!;
    const hmtx = this.s.hmtx!;
    const longLoca = view.getInt16(head.offset + 50) !== 0;
    const locaAt = (g: number) => (longLoca ? view.getUint32(loca.offset + 4 * g) : view.getUint16(loca.offset + 2 * g) * 2);
    const numGlyphs = view.getUint16(maxp.offset + 4);
    const hmtxTable = table('hmtx')!;

    const pieces: Uint8Array[] = [];
    const offsets: number[] = [];
    const metrics: number[] = []; // advance, bearing pairs
    let offset = 0;
    for (let i = 0; i < this.glyphs.length; i++) {
      const gid = this.glyphs[i];
      let start = 0;
      let end = 0;
      if (gid < numGlyphs) {
        start = locaAt(gid);
        end = locaAt(gid + 1);
        if (end < start || glyf.offset + end > glyf.offset + glyf.length) end = start;
      }
      let piece = bytes.subarray(glyf.offset + start, glyf.offset + end);
      if (piece.length >= 10 && view.getInt16(glyf.offset + start) < 0) {
        // A composite glyph: include its components and point it at their subset ids.
        piece = Uint8Array.from(piece);
        const pv = new DataView(piece.buffer);
        let pos = 10;
        let flags = MORE_COMPONENTS;
        while (flags & MORE_COMPONENTS && pos + 4 <= piece.length) {
          flags = pv.getUint16(pos);
          const component = pv.getUint16(pos + 2);
          pv.setUint16(pos + 2, this.includeGlyph(component));
          pos += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
          if (flags & WE_HAVE_A_SCALE) pos += 2;
          else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) pos += 4;
          else if (flags & WE_HAVE_A_TWO_BY_TWO) pos += 8;
        }
      }
      pieces.push(piece);
      offsets.push(offset);
      offset += piece.length;
      // hmtx, with fontkit's rule for glyphs past the long metrics: the last advance, their own bearing.
      const n = hmtx.numberOfHMetrics;
      if (gid < n) metrics.push(view.getUint16(hmtx.offset + 4 * gid), view.getInt16(hmtx.offset + 4 * gid + 2));
      else {
        const b = hmtx.offset + 4 * n + 2 * (gid - n);
        metrics.push(view.getUint16(hmtx.offset + 4 * (n - 1)), b + 2 <= hmtxTable.offset + hmtxTable.length ? view.getInt16(b) : 0);
      }
    }
    offsets.push(offset);
    const count = this.glyphs.length;

    // Tables, in fontkit's order; cvt , prep and fpgm as they are (fontkit re-encodes them unchanged).
    const out: { tag: string; length: number; write(dst: DataView, at: number): void }[] = [];
    const copy = (tag: string, length: number, patch?: (dst: DataView, at: number) => void) => {
      const t = table(tag);
      if (!t) return;
      out.push({
        tag,
        length,
        write(dst, at) {
          new Uint8Array(dst.buffer, dst.byteOffset + at, length).set(bytes.subarray(t.offset, t.offset + length));
          patch?.(dst, at);
        },
      });
    };
    // head: fontkit's struct is 54 bytes; macStyle keeps only the seven flags it knows.
    copy('head', 54, (d, at) => d.setUint16(at + 44, d.getUint16(at + 44) & 0x7f));
    // hhea: fontkit writes its four reserved words as zeros.
    copy('hhea', 36, (d, at) => {
      for (let k = 24; k < 32; k++) d.setUint8(at + k, 0);
      d.setUint16(at + 34, count);
    });
    out.push({
      tag: 'loca',
      length: offsets.length * (longLoca ? 4 : 2),
      write(d, at) {
        for (let i = 0; i < offsets.length; i++) {
          if (longLoca) d.setUint32(at + 4 * i, offsets[i]);
          else d.setUint16(at + 2 * i, offsets[i] >>> 1);
        }
      },
    });
    copy('maxp', 32, (d, at) => d.setUint16(at + 4, count));
    const cvt = table('cvt ');
    if (cvt) copy('cvt ', cvt.length & ~1);
    const prep = table('prep');
    if (prep) copy('prep', prep.length);
    out.push({
      tag: 'glyf',
      length: offset,
      write(d, at) {
        const dst = new Uint8Array(d.buffer, d.byteOffset + at, offset);
        for (let i = 0; i < pieces.length; i++) dst.set(pieces[i], offsets[i]);
      },
    });
    out.push({
      tag: 'hmtx',
      length: metrics.length * 2,
      write(d, at) {
        for (let i = 0; i < metrics.length; i += 2) {
          d.setUint16(at + 2 * i, metrics[i]);
          d.setInt16(at + 2 * i + 2, metrics[i + 1]);
        }
      },
    });
    const fpgm = table('fpgm');
    if (fpgm) copy('fpgm', fpgm.length);

    // The table directory as fontkit writes it: version tag 'true', zero checksums, tables back to back.
    const numTables = out.length;
    const directory = 12 + 16 * numTables;
    const total = directory + out.reduce((sum, t) => sum + t.length, 0);
    const result = new Uint8Array(total);
    const d = new DataView(result.buffer);
    result.set([0x74, 0x72, 0x75, 0x65], 0); // 'true'
    const maxPowerOf2 = 2 ** Math.floor(Math.log2(numTables));
    d.setUint16(4, numTables);
    d.setUint16(6, maxPowerOf2 * 16);
    d.setUint16(8, Math.log2(maxPowerOf2));
    d.setUint16(10, numTables * 16 - maxPowerOf2 * 16);
    let at = directory;
    out.forEach((t, i) => {
      const e = 12 + 16 * i;
      for (let k = 0; k < 4; k++) result[e + k] = t.tag.charCodeAt(k);
      d.setUint32(e + 4, 0);
      d.setUint32(e + 8, at);
      d.setUint32(e + 12, t.length);
      t.write(d, at);
      at += t.length;
    });
    return result;
  }
}
