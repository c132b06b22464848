/**
 * Checking the assets a template names before anything is laid out: a damaged or hostile font or
 * image is a located error at the template field that names it, never a crash deep in the PDF writer
 * and never a broken PDF.
 *
 *   - fonts: the table directory must fit in the file, every table must lie inside it, and the tables
 *     every font needs (cmap, head, hhea, hmtx, maxp, and glyf/loca or CFF) must be there and consistent;
 *   - images: see image.ts (the data must match the header's dimensions; a pixel-count limit).
 */
import fs from 'node:fs';
import { KumihanError, type SourceLocation } from '../errors.js';
import { describeOsError } from './inputs.js';
import { readImageSize } from './image.js';

/** Files already checked, by path, size and modification time (a mail merge checks its fonts once). */
const checked = new Map<string, string>();

function stamp(file: string): string {
  const stat = fs.statSync(file);
  return `${stat.size}:${stat.mtimeMs}`;
}

function once(kind: string, file: string, check: () => void): void {
  const key = `${kind}\0${file}`;
  const current = stamp(file);
  if (checked.get(key) === current) return;
  check();
  checked.set(key, current);
}

/** Throws a located error when the font file is truncated or its tables are damaged. */
export function checkFontTables(file: string, where: SourceLocation): void {
  once('font', file, () => {
    const problem = fontProblem(file);
    if (problem) throw new KumihanError('font', `font file ${file} is damaged: ${problem}`, where);
  });
}

/** Throws a located error when the image's data does not match its header, or it has too many pixels. */
export function checkImage(file: string, pixelLimit: number, where: SourceLocation): void {
  once(`image${pixelLimit}`, file, () => {
    try {
      readImageSize(file, pixelLimit);
    } catch (e) {
      if (e instanceof KumihanError) throw new KumihanError('image', `logo image ${file}: ${e.message}`, where);
      throw e;
    }
  });
}

const REQUIRED = ['cmap', 'head', 'hhea', 'hmtx', 'maxp'];

function fontProblem(file: string): string | undefined {
  let size: number;
  const fd = fs.openSync(file, 'r');
  try {
    size = fs.fstatSync(fd).size;
    const read = (position: number, length: number): Buffer => {
      const b = Buffer.alloc(length);
      const n = fs.readSync(fd, b, 0, length, position);
      return b.subarray(0, n);
    };
    const header = read(0, 12);
    if (header.length < 12) return `it has only ${size} bytes`;
    const tag = header.toString('latin1', 0, 4);
    if (tag === 'wOFF' || tag === 'wOF2') {
      const length = header.readUInt32BE(8);
      return length === size ? undefined : `the WOFF header says ${length} bytes, the file has ${size} (truncated?)`;
    }
    if (tag === 'ttcf') {
      const count = header.readUInt32BE(8);
      if (12 + 4 * count > size) return `its collection header lists ${count} fonts past the end of the file`;
      const offsets = read(12, 4 * count);
      for (let i = 0; i < count; i++) {
        const problem = sfntProblem(offsets.readUInt32BE(4 * i), size, read);
        if (problem) return `font ${i + 1} of the collection: ${problem}`;
      }
      return undefined;
    }
    const version = header.readUInt32BE(0);
    if (version !== 0x00010000 && tag !== 'true' && tag !== 'OTTO') return undefined; // not ours to judge: fontkit says
    return sfntProblem(0, size, read);
  } catch (e) {
    return describeOsError(e);
  } finally {
    fs.closeSync(fd);
  }
}

function sfntProblem(start: number, size: number, read: (position: number, length: number) => Buffer): string | undefined {
  const header = read(start, 12);
  if (header.length < 12) return 'the file ends inside the font header (truncated)';
  const numTables = header.readUInt16BE(4);
  const directory = read(start + 12, 16 * numTables);
  if (directory.length < 16 * numTables) return `the file ends inside the table directory (${numTables} tables; truncated)`;
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const tag = directory.toString('latin1', 16 * i, 16 * i + 4);
    const offset = directory.readUInt32BE(16 * i + 8);
    const length = directory.readUInt32BE(16 * i + 12);
    if (offset + length > size) {
      return `its ${tag.trim()} table (bytes ${offset}–${offset + length}) ends past the end of the file (${size} bytes): the file is truncated`;
    }
    tables.set(tag, { offset, length });
  }
  const missing = [...REQUIRED, ...(tables.has('CFF ') || tables.has('CFF2') ? [] : ['glyf', 'loca'])].filter((t) => !tables.has(t));
  if (missing.length > 0) return `it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`;
  const table = (tag: string, minimum: number): Buffer | string => {
    const t = tables.get(tag)!;
    if (t.length < minimum) return `its ${tag} table is too short (${t.length} bytes)`;
    return read(t.offset, Math.min(t.length, 64));
  };
  const head = table('head', 54);
  if (typeof head === 'string') return head;
  if (head.readUInt32BE(12) !== 0x5f0f3cf5) return 'its head table is damaged (wrong magic number)';
  const maxp = table('maxp', 6);
  if (typeof maxp === 'string') return maxp;
  const numGlyphs = maxp.readUInt16BE(4);
  const hhea = table('hhea', 36);
  if (typeof hhea === 'string') return hhea;
  const metrics = hhea.readUInt16BE(34);
  const hmtx = tables.get('hmtx')!;
  if (metrics === 0 || metrics > numGlyphs || hmtx.length < 4 * metrics + 2 * (numGlyphs - metrics)) {
    return `its hmtx table (${hmtx.length} bytes) is too short for ${numGlyphs} glyphs`;
  }
  const loca = tables.get('loca');
  if (loca && tables.has('glyf')) {
    const entry = head.readInt16BE(50) === 0 ? 2 : 4;
    if (loca.length < entry * (numGlyphs + 1)) return `its loca table (${loca.length} bytes) is too short for ${numGlyphs} glyphs`;
  }
  return undefined;
}
