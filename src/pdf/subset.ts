/**
 * Font subsetting for the PDF stage: the subset font program embedded for each font file a document uses.
 *
 * TrueType fonts are subset here (TrueTypeSubset copies glyph data as it is, reading from the font file
 * only the glyphs the document shows); other outlines (CFF) by fontkit. The font stage (src/font/) owns
 * reading the file; this module owns what goes into the PDF.
 */
import type { Font } from 'fontkit';
import { glyphBytes, loadGlyphs, sfntOf, tableMetrics, type Sfnt } from '../font/fonts.js';

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
export interface SubsetOptions {
  /**
   * Keep TrueType hinting (the fpgm, prep and cvt tables and each glyph's instructions), as fontkit does.
   * Hints grid-fit outlines to screen pixels at small sizes; they do nothing for print and for most
   * PDF viewers (which render unhinted), and they are a fifth of a Japanese subset. Default: true.
   */
  hinting?: boolean;
}

/** A subset of `font`: TrueType fonts are subset here, others by fontkit (which keeps their hinting). */
export function createSubset(font: Font, options: SubsetOptions = {}): FontSubset {
  const s = sfntOf(font);
  if (s.subsettable) return new TrueTypeSubset(s, options.hinting ?? true);
  return (font as unknown as { createSubset(): FontSubset }).createSubset();
}

const MORE_COMPONENTS = 0x20;
const WE_HAVE_INSTRUCTIONS = 0x100;
const ARG_1_AND_2_ARE_WORDS = 0x01;
const WE_HAVE_A_SCALE = 0x08;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x40;
const WE_HAVE_A_TWO_BY_TWO = 0x80;

/**
 * fontkit's TTFSubset, without decoding outlines: the same glyph order (glyph 0, then glyphs in the
 * order they are included, then composite components as they are met), the same tables in the same
 * order — head, hhea, loca, maxp, cvt , prep, glyf, hmtx, fpgm — and, with hinting, the same bytes.
 * Without hinting, cvt , prep and fpgm are left out and glyphs lose their instructions.
 */
class TrueTypeSubset implements FontSubset {
  private readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();
  constructor(
    private readonly s: Sfnt,
    private readonly hinting: boolean,
  ) {
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
    const loca = table('loca')!;
    const glyf = table('glyf')!;
    const longLoca = view.getInt16(head.offset + 50) !== 0;
    const locaAt = (g: number) => (longLoca ? view.getUint32(loca.offset + 4 * g) : view.getUint16(loca.offset + 2 * g) * 2);
    const numGlyphs = this.s.numGlyphs;
    /** The glyph's data in the file: [start, end), empty when it has none. */
    const rangeOf = (gid: number): [number, number] => {
      if (gid >= numGlyphs) return [glyf.offset, glyf.offset];
      const start = locaAt(gid);
      const end = locaAt(gid + 1);
      return end < start || end > glyf.length ? [glyf.offset + start, glyf.offset + start] : [glyf.offset + start, glyf.offset + end];
    };
    // Read the glyph data of the glyphs included so far in one go (components are read as they are met).
    const loaded = this.s.loaded;
    const readUpFront = this.glyphs.length;
    if (loaded) loadGlyphs(loaded, this.glyphs, this.glyphs.map(rangeOf));

    const pieces: Uint8Array[] = [];
    const offsets: number[] = [];
    const metrics: number[] = []; // advance, bearing pairs
    let offset = 0;
    for (let i = 0; i < this.glyphs.length; i++) {
      const gid = this.glyphs[i]!;
      const range = rangeOf(gid);
      const start = range[0];
      const end = range[1];
      if (loaded && i >= readUpFront) loadGlyphs(loaded, [gid], [range]);
      let piece = glyphBytes(loaded, bytes, gid, start, end);
      // numberOfContours (int16) negative: a composite glyph.
      if (piece.length >= 10 && (piece[0]! & 0x80) !== 0) {
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
        if (!this.hinting && pos <= piece.length) piece = withoutCompositeInstructions(piece, pos);
      } else if (!this.hinting && piece.length >= 12) {
        piece = withoutSimpleInstructions(piece);
      }
      pieces.push(piece);
      offsets.push(offset);
      offset += piece.length;
      // hmtx, with fontkit's rule for glyphs past the long metrics: the last advance, their own bearing.
      const m = tableMetrics(this.s, this.s.hmtx!, gid);
      metrics.push(m.advance, m.bearing);
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
          if (longLoca) d.setUint32(at + 4 * i, offsets[i]!);
          else d.setUint16(at + 2 * i, offsets[i]! >>> 1);
        }
      },
    });
    copy('maxp', 32, (d, at) => d.setUint16(at + 4, count));
    const cvt = this.hinting ? table('cvt ') : undefined;
    if (cvt) copy('cvt ', cvt.length & ~1);
    const prep = this.hinting ? table('prep') : undefined;
    if (prep) copy('prep', prep.length);
    out.push({
      tag: 'glyf',
      length: offset,
      write(d, at) {
        const dst = new Uint8Array(d.buffer, d.byteOffset + at, offset);
        for (let i = 0; i < pieces.length; i++) dst.set(pieces[i]!, offsets[i]);
      },
    });
    out.push({
      tag: 'hmtx',
      length: metrics.length * 2,
      write(d, at) {
        for (let i = 0; i < metrics.length; i += 2) {
          d.setUint16(at + 2 * i, metrics[i]!);
          d.setInt16(at + 2 * i + 2, metrics[i + 1]!);
        }
      },
    });
    const fpgm = this.hinting ? table('fpgm') : undefined;
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

/** A simple glyph without its instructions (instructionLength 0), padded to an even length for loca. */
function withoutSimpleInstructions(glyph: Uint8Array): Uint8Array {
  const v = new DataView(glyph.buffer, glyph.byteOffset, glyph.byteLength);
  const contours = v.getInt16(0);
  const at = 10 + 2 * contours; // instructionLength
  if (at + 2 > glyph.length) return glyph;
  const length = v.getUint16(at);
  if (length === 0 || at + 2 + length > glyph.length) return glyph;
  const rest = glyph.length - (at + 2 + length);
  const out = new Uint8Array(at + 2 + rest + ((at + 2 + rest) & 1));
  out.set(glyph.subarray(0, at));
  out.set(glyph.subarray(at + 2 + length), at + 2); // instructionLength stays 0
  return out;
}

/** A composite glyph (already a private copy) without the instructions after its last component (`end`). */
function withoutCompositeInstructions(glyph: Uint8Array, end: number): Uint8Array {
  const v = new DataView(glyph.buffer, glyph.byteOffset, glyph.byteLength);
  // Clear WE_HAVE_INSTRUCTIONS on every component record (it is meaningful on the last one).
  let pos = 10;
  let flags = MORE_COMPONENTS;
  while (flags & MORE_COMPONENTS && pos + 4 <= end) {
    flags = v.getUint16(pos);
    v.setUint16(pos, flags & ~WE_HAVE_INSTRUCTIONS);
    pos += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) pos += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) pos += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) pos += 8;
  }
  return glyph.subarray(0, end + (end & 1));
}
