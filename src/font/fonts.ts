/**
 * Font files: loading, glyph lookup and advances, shaping of plain runs, and TrueType subsetting for
 * the PDF writer.
 *
 * A font file is read and parsed once per process and shared: the same Font object is used for shaping
 * and for the PDF's font dictionaries (pdfkit takes any object with fontkit's interface). The caches are
 * keyed by the file's identity (path, size, mtime, inode: one stat per lookup), so that a font file
 * replaced on disk, as while `kumihan build --watch` runs, is read again.
 *
 * A plain TrueType or OpenType file is read here (SfntFont), with fontkit's answers, and fontkit itself
 * (the font engine inside pdfkit) is loaded only when a question needs it: shaping a run that the font's
 * GSUB, GPOS, kern or AAT tables could change (ligatures, combining marks, other scripts), CFF subsets,
 * rare properties. Loading fontkit costs more than typesetting a short letter, and most letters never
 * need it: their Western words are plain glyphs with plain advances in a Japanese font. Other files
 * (collections, WOFF, variable fonts) are fontkit Fonts from the start.
 *
 * Loading is lazy at every level:
 *   - `loadFace` only records the files; a font is read when a face is first used, so a template's
 *     unused faces cost nothing;
 *   - of a TrueType file, the tables a horizontal build reads are read (a few hundred KB of a 5 MB
 *     Japanese font); vertical metrics, OpenType layout tables and the cmap subtables not used here when
 *     first asked for (LoadedFile.deferred); glyph data when a glyph is subset (or all of it, should
 *     fontkit itself ask for `glyf`);
 *   - fontkit's glyph objects get their metrics from hmtx/vmtx here, so that fontkit never decodes an
 *     outline to answer `advanceWidth` (it computes a bounding box first, which a font with vmtx does
 *     not need).
 *
 * The hot paths read the font's tables directly, for any Font (fontkit decodes whole glyph outlines to
 * answer `advanceWidth` and to subset, and looks characters up through generic table decoders):
 *   - glyphIdForCodePoint: the Unicode cmap subtable fontkit would choose (format 4 or 12/13), read from
 *     the raw bytes with the same binary search, so the glyph ids are fontkit's;
 *   - advanceWidthOf: the hmtx entry (what fontkit's `glyph.advanceWidth` returns for a static font);
 *   - createSubset: a TrueType subsetter that copies glyph data as it is and parses only composite
 *     glyph headers, writing exactly the tables (and bytes) that fontkit's TTFSubset writes.
 * Fonts these readers do not cover (variable fonts, CFF outlines, legacy or unusual cmaps, collections)
 * fall back to fontkit for the part concerned. tests/font/fonts.test.ts holds every answer given here
 * against fontkit's for the same file.
 */
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import type { Font, Glyph, GlyphPosition, GlyphRun } from 'fontkit';
import { gsubCoverage } from './gsub-coverage.js';
import { KumihanError } from '../errors.js';

/** A named face: the Japanese font and, optionally, a proportional font for Western text. */
export interface FontFace {
  name: string;
  main: Font;
  latin?: Font;
  /** Fonts tried, in order, for a character the main font does not have (𠮷, an IVS variant). */
  fallbacks: readonly Font[];
}

/** Which font of a face a glyph comes from: the main font, the Latin one, or fallback number n. */
export type FontRole = 'main' | 'latin' | number;

/** The font of a face that a role names. */
export function fontOfRole(face: FontFace, role: FontRole): Font {
  if (role === 'main') return face.main;
  if (role === 'latin') return face.latin ?? face.main;
  return face.fallbacks[role] ?? face.main;
}

/**
 * A file's identity as one stat gives it: a file replaced on disk (a new font dropped over the old one
 * while `kumihan build --watch` runs) has another size, mtime or inode, so it is read again; an unchanged
 * file is read once per process. undefined when the file cannot be stat'ed.
 */
function identityOf(file: string): string | undefined {
  try {
    return statIdentity(fs.statSync(file));
  } catch {
    return undefined;
  }
}
const statIdentity = (st: fs.Stats): string => `${st.size}:${st.mtimeMs}:${st.ino}:${st.dev}`;

/** By path: the font read from the file with that identity (one entry per path, so a replaced file's old font is dropped). */
const fontCache = new Map<string, { identity: string; font: Font }>();

export function loadFont(file: string): Font {
  const identity = identityOf(file);
  const cached = fontCache.get(file);
  if (cached && identity !== undefined && cached.identity === identity) return cached.font;
  let loaded: LoadedFile;
  try {
    loaded = readFontFile(file);
  } catch {
    throw new KumihanError('font', `font file not found: ${file}`, { file });
  }
  // A plain TrueType or OpenType file is read here; fontkit is loaded only for what it alone can do.
  const sfnt = readSfntBytes(loaded.bytes, loaded);
  const font = SfntFont.from(loaded, sfnt) ?? openWithFontkit(loaded);
  fontCache.set(file, { identity: loaded.identity, font });
  return font;
}

/** The file as a fontkit Font (sharing its bytes), for the fonts and the questions SfntFont leaves to fontkit. */
function openWithFontkit(loaded: LoadedFile): Font {
  const { file } = loaded;
  let font: Font;
  try {
    readAllDeferred(loaded);
    font = fontkit.create(loaded.bytes);
  } catch (e) {
    throw new KumihanError('font', `not a font file fontkit can read (${(e as Error).message})`, { file });
  }
  if (!font || typeof font.layout !== 'function') {
    throw new KumihanError('font', 'font collections are not supported; name a single font file', { file });
  }
  fontFiles.set(font, loaded);
  if (loaded.lazyGlyf) hookGlyfTable(font, loaded);
  seedGlyphMetrics(font);
  return font;
}

// ------------------------------------------------------------------------------------------------
// Reading font files

/** A font file in memory: all of it, or (TrueType) all but the glyph data, which is read on demand. */
export interface LoadedFile {
  file: string;
  /** The identity (size, mtime, inode) of the file that was read: glyph data is read later only from that same file. */
  identity: string;
  bytes: Buffer;
  /**
   * The glyf table when it was not read: its glyphs are read as they are needed, each into `pieces` (by
   * glyph id), until fontkit asks for the whole table (`all`: then it is in `bytes`).
   */
  lazyGlyf?: { offset: number; length: number; all: boolean; pieces?: Map<number, Uint8Array> };
  /**
   * Byte ranges not read yet, [start, end) in file order: tables that plain horizontal composition never
   * reads (vertical metrics, layout tables) and the cmap subtables other than the one read here. Each is
   * read when its table is first asked for (SfntTables.get), and all of them before fontkit opens the file.
   */
  deferred?: [number, number][];
}
const fontFiles = new WeakMap<Font, LoadedFile>();

/** glyf tables smaller than this are read with the rest of the file. */
const LAZY_GLYF_MIN = 256 * 1024;

function readFontFile(file: string): LoadedFile {
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd);
    const size = st.size;
    const identity = statIdentity(st);
    const whole = (): LoadedFile => {
      const bytes = Buffer.allocUnsafe(size);
      readFully(fd, bytes, 0, size);
      return { file, identity, bytes };
    };
    const header = Buffer.alloc(12);
    if (size < 12 || fs.readSync(fd, header, 0, 12, 0) < 12) return whole();
    const version = header.readUInt32BE(0);
    // TrueType outlines only ('\0\1\0\0' or 'true'); collections, WOFF, CFF fonts are read whole.
    if (version !== 0x00010000 && version !== 0x74727565) return whole();
    const numTables = header.readUInt16BE(4);
    const directoryEnd = 12 + 16 * numTables;
    if (directoryEnd > size) return whole();
    // Zero-filled: the pages of glyph data never read are never touched.
    const bytes = Buffer.alloc(size);
    header.copy(bytes);
    readFully(fd, bytes, 12, directoryEnd - 12);
    const ranges: [number, number][] = [[0, directoryEnd]];
    const deferred: [number, number][] = [];
    let glyf: { offset: number; length: number } | undefined;
    let cmap: TableRecord | undefined;
    for (let i = 0; i < numTables; i++) {
      const e = 12 + 16 * i;
      const offset = bytes.readUInt32BE(e + 8);
      const length = bytes.readUInt32BE(e + 12);
      if (offset + length > size) return whole();
      const tag = bytes.toString('latin1', e, e + 4);
      if (tag === 'glyf' && length >= LAZY_GLYF_MIN) glyf = { offset, length };
      else if (DEFERRED_TABLES.has(tag) && length >= DEFERRED_MIN) deferred.push([offset, offset + length]);
      else if (tag === 'cmap' && length >= DEFERRED_MIN) cmap = { offset, length };
      else ranges.push([offset, offset + length]);
    }
    if (!glyf) return whole();
    // The cmap's header first, to know which subtable is the one read here (readCmap); the others wait.
    if (cmap) {
      const head = Math.min(cmap.length, CMAP_HEADER_READ);
      readFully(fd, bytes, cmap.offset, head);
      const sub = cmapSubtableRange(fd, bytes, cmap);
      if (sub) {
        ranges.push(sub);
        deferred.push([cmap.offset + head, sub[0]], [sub[1], cmap.offset + cmap.length]);
      } else ranges.push([cmap.offset, cmap.offset + cmap.length]);
    }
    let waiting = deferred.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0]);
    // Tables that share bytes (legal, if unusual): everything is read now, as a deferred range inside a
    // table read here would leave part of that table unread.
    if (waiting.some(([a, b]) => ranges.some(([start, end]) => a < end && b > start))) {
      ranges.push(...waiting);
      waiting = [];
    }
    for (const [start, end] of withoutRanges(coalesce(ranges, 64 * 1024), waiting)) readFully(fd, bytes, start, end - start);
    return { file, identity, bytes, lazyGlyf: { ...glyf, all: false }, ...(waiting.length > 0 ? { deferred: waiting } : {}) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads `length` bytes of the file from `from` into `into` at `at` (by default: the same offset). */
function readFully(fd: number, into: Buffer, at: number, length: number, from = at): void {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, into, at + done, length - done, from + done);
    if (n <= 0) throw new Error(`unexpected end of file at ${from + done}`);
    done += n;
  }
}

/** Byte ranges sorted and merged where they touch or lie within `gap` bytes of each other. */
function coalesce(ranges: [number, number][], gap: number): [number, number][] {
  const sorted = ranges.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + gap) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * Tables that plain horizontal composition and subsetting never read: vertical metrics (vertical text
 * reads them) and OpenType layout (read when a run may need shaping). Left unread until asked for, as is
 * the rest of a cmap beyond its header and the subtable read here (~170 KB of each BIZ UD font).
 */
const DEFERRED_TABLES = new Set(['vmtx', 'VORG', 'GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'kern', 'morx', 'mort']);
/** Tables smaller than this are read with the others (a read of its own would cost more). */
const DEFERRED_MIN = 16 * 1024;
/** How much of a cmap is read first: its header and encoding records (a few dozen bytes in practice). */
const CMAP_HEADER_READ = 512;

/** `ranges` (sorted, disjoint) less the parts inside `holes` (sorted, disjoint). */
function withoutRanges(ranges: [number, number][], holes: readonly [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [start, end] of ranges) {
    let from = start;
    for (const [a, b] of holes) {
      if (b <= from || a >= end) continue;
      if (a > from) out.push([from, a]);
      from = Math.max(from, b);
    }
    if (from < end) out.push([from, end]);
  }
  return out;
}

/** Reads the deferred ranges that overlap [start, end) of the file (see LoadedFile.deferred). */
function readDeferred(loaded: LoadedFile, start: number, end: number): void {
  const waiting = loaded.deferred;
  if (!waiting) return;
  const due = waiting.filter(([a, b]) => a < end && b > start);
  if (due.length === 0) return;
  withFile(loaded, (fd) => {
    for (const [a, b] of due) readFully(fd, loaded.bytes, a, b - a);
  });
  loaded.deferred = waiting.filter((r) => !due.includes(r));
}

/** Reads every deferred range (before fontkit, which reads the file's tables by itself). */
function readAllDeferred(loaded: LoadedFile): void {
  if (loaded.deferred) readDeferred(loaded, 0, loaded.bytes.length);
}

/**
 * A font's table directory: `get` makes sure the table's bytes have been read (LoadedFile.deferred)
 * before handing out where they are; `record` only says where they are.
 */
class SfntTables extends Map<string, TableRecord> {
  constructor(private readonly loaded: LoadedFile | undefined) {
    super();
  }
  override get(tag: string): TableRecord | undefined {
    const r = super.get(tag);
    if (r && this.loaded?.deferred) readDeferred(this.loaded, r.offset, r.offset + r.length);
    return r;
  }
  record(tag: string): TableRecord | undefined {
    return super.get(tag);
  }
}

/** Reads the whole glyf table (once), for fontkit. */
function loadAllGlyphs(loaded: LoadedFile): void {
  const g = loaded.lazyGlyf;
  if (!g || g.all) return;
  withFile(loaded, (fd) => readFully(fd, loaded.bytes, g.offset, g.length));
  g.all = true;
}

/**
 * Reads the glyph data of `gids` (`ranges`: their [start, end) in the file, one per glyph) unless read
 * before, into one buffer of their own, glyph after glyph. Written at their places in the file-sized
 * buffer, a few hundred glyphs scattered over megabytes would each touch a page of memory never touched
 * before: a page fault apiece, ~10 µs each on a virtual machine, more than reading them.
 */
export function loadGlyphs(loaded: LoadedFile, gids: readonly number[], ranges: readonly (readonly [number, number])[]): void {
  const g = loaded.lazyGlyf;
  if (!g || g.all) return;
  const pieces = (g.pieces ??= new Map());
  const wanted: number[] = [];
  for (let i = 0; i < gids.length; i++) if (!pieces.has(gids[i]!)) wanted.push(i);
  if (wanted.length === 0) return;
  // In file order, glyphs less than GLYPH_GAP apart read as one span (kana, say, lie side by side):
  // fewer reads, each a system call, for a few bytes more.
  wanted.sort((a, b) => ranges[a]![0] - ranges[b]![0]);
  // Index loops and no destructuring: this runs for every glyph of a build, interpreted, where a
  // `for…of` or `const [a, b] = pair` allocates an iterator and a result object per step.
  const spans: [number, number][] = [];
  let total = 0;
  for (let w = 0; w < wanted.length; w++) {
    const range = ranges[wanted[w]!]!;
    const start = range[0];
    const end = range[1];
    const last = spans[spans.length - 1];
    if (last && start - last[1] <= GLYPH_GAP) {
      if (end > last[1]) {
        total += end - last[1];
        last[1] = end;
      }
    } else {
      spans.push([start, end]);
      total += end - start;
    }
  }
  const into = Buffer.allocUnsafe(total);
  withFile(loaded, (fd) => {
    let at = 0;
    let k = 0;
    for (let j = 0; j < spans.length; j++) {
      const start = spans[j]![0];
      const end = spans[j]![1];
      readFully(fd, into, at, end - start, start);
      for (; k < wanted.length && ranges[wanted[k]!]![0] <= end; k++) {
        const range = ranges[wanted[k]!]!;
        pieces.set(gids[wanted[k]!]!, into.subarray(at + range[0] - start, at + range[1] - start));
      }
      at += end - start;
    }
  });
}

/** Glyphs closer than this in the file are read together (see loadGlyphs). */
const GLYPH_GAP = 1024;

/** A glyph's data, [start, end) of the file: as loadGlyphs read it, or from the bytes of a file read whole. */
export function glyphBytes(loaded: LoadedFile | undefined, bytes: Uint8Array, gid: number, start: number, end: number): Uint8Array {
  const g = loaded?.lazyGlyf;
  if (!g || g.all) return bytes.subarray(start, end);
  const piece = g.pieces?.get(gid);
  if (!piece) throw new Error(`glyph ${gid} was not read (loadGlyphs first)`);
  return piece;
}

function withFile(loaded: LoadedFile, read: (fd: number) => void): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(loaded.file, 'r');
    // The glyph data must come from the file whose tables were read, not from one put in its place since.
    if (statIdentity(fs.fstatSync(fd)) !== loaded.identity) throw new Error('the file has changed since it was loaded; build again');
    read(fd);
  } catch (e) {
    throw new KumihanError('font', `cannot read the font file (${(e as Error).message})`, { file: loaded.file });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** fontkit reads every table through `_getTableStream`: the glyph data is read in full before it first does for glyf. */
function hookGlyfTable(font: Font, loaded: LoadedFile): void {
  const f = font as unknown as { _getTableStream?: (tag: string) => unknown };
  const original = f._getTableStream;
  if (typeof original !== 'function') {
    loadAllGlyphs(loaded);
    return;
  }
  f._getTableStream = function (this: unknown, tag: string) {
    if (tag === 'glyf') loadAllGlyphs(loaded);
    return original.call(this, tag);
  };
}

/**
 * fontkit's TrueType glyph computes its metrics after decoding the outline for a bounding box, which
 * it only needs for vertical metrics when the font has no vmtx. For static fonts with hmtx and vmtx,
 * each glyph object is given the metrics fontkit would compute (same tables, same rules) when created.
 */
function seedGlyphMetrics(font: Font): void {
  const s = sfntOf(font);
  if (!s.hmtx || !s.vmtx) return;
  const f = font as unknown as { _getBaseGlyph?: (gid: number, chars?: number[]) => Glyph | null; _glyphs?: Record<number, unknown> };
  const original = f._getBaseGlyph;
  if (typeof original !== 'function' || typeof f._glyphs !== 'object') return;
  f._getBaseGlyph = function (this: typeof f, gid: number, chars?: number[]) {
    const fresh = this._glyphs![gid] === undefined;
    const glyph = original.call(this, gid, chars) as (Glyph & { _metrics?: unknown }) | null;
    if (fresh && glyph && glyph._metrics === undefined && Number.isInteger(gid) && gid >= 0 && gid < s.numGlyphs) {
      glyph._metrics = glyphMetrics(s, gid);
    }
    return glyph;
  };
}

/** fontkit's Glyph._getMetrics for a static font with hmtx and vmtx. */
function glyphMetrics(s: Sfnt, gid: number): { advanceWidth: number; advanceHeight: number; leftBearing: number; topBearing: number } {
  const h = tableMetrics(s, s.hmtx!, gid);
  const v = tableMetrics(s, s.vmtx!, gid);
  return { advanceWidth: h.advance, advanceHeight: v.advance, leftBearing: h.bearing, topBearing: v.bearing };
}

/** fontkit's Glyph._getTableMetrics: the long metric, or past them the last advance (0 if none) and the glyph's own bearing. */
export function tableMetrics(s: Sfnt, m: Metrics, gid: number): { advance: number; bearing: number } {
  const v = s.view;
  const n = m.numberOfMetrics;
  if (gid < n) return { advance: v.getUint16(m.offset + 4 * gid), bearing: v.getInt16(m.offset + 4 * gid + 2) };
  const b = m.offset + 4 * n + 2 * (gid - n);
  return { advance: n > 0 ? v.getUint16(m.offset + 4 * (n - 1)) : 0, bearing: gid < s.numGlyphs && b + 2 <= m.end ? v.getInt16(b) : 0 };
}

/**
 * A face from its files: the Japanese font and an optional proportional font for Western text.
 * The files are read when `main` or `latin` is first used (the template has already checked that they exist).
 */
export function loadFace(name: string, file: string, latinFile?: string, fallbackFiles: readonly string[] = []): FontFace {
  // One face object per set of files, so that shaping caches survive across documents of a batch; a
  // new one when any file has been replaced on disk (its shaping caches hold the old font's glyphs).
  const key = [file, latinFile ?? '', ...fallbackFiles].join('\0');
  const identity = [file, ...(latinFile === undefined ? [] : [latinFile]), ...fallbackFiles].map(identityOf).join('\0');
  const cached = faceCache.get(key);
  if (cached && cached.identity === identity) return cached.face;
  let main: Font | undefined;
  let latin: Font | undefined;
  let fallbacks: Font[] | undefined;
  const face: FontFace = {
    get fallbacks(): readonly Font[] {
      return (fallbacks ??= fallbackFiles.map((f) => loadFont(f)));
    },
    name,
    get main(): Font {
      return (main ??= loadFont(file));
    },
    get latin(): Font | undefined {
      return latinFile === undefined ? undefined : (latin ??= loadFont(latinFile));
    },
  };
  faceCache.set(key, { identity, face });
  return face;
}
/** By pair of paths: the face for the files with these identities (one entry per pair: a replaced file's face is dropped). */
const faceCache = new Map<string, { identity: string; face: FontFace }>();

// ------------------------------------------------------------------------------------------------
// Raw tables

export interface TableRecord {
  offset: number;
  length: number;
}

/** hmtx or vmtx: where the table is and how many long metrics it has. */
export interface Metrics {
  offset: number;
  numberOfMetrics: number;
  end: number;
}

/** What the fast paths need of a font file, found once per font. */
export interface Sfnt {
  bytes: Uint8Array;
  view: DataView;
  tables: Map<string, TableRecord>;
  numGlyphs: number;
  /** undefined → ask fontkit (variable fonts, missing or malformed tables). */
  hmtx?: Metrics;
  vmtx?: Metrics;
  /** The file, when loaded by loadFont (its glyph data may still have to be read). */
  loaded?: LoadedFile;
  /** The cmap subtable fontkit uses, when it is a format read here. */
  cmap?: { format: 4; offset: number; segCount: number; end: number } | { format: 12 | 13; offset: number; nGroups: number };
  /** TrueType outlines without variations: subset here. */
  subsettable: boolean;
}

const sfnts = new WeakMap<Font, Sfnt>();

export function sfntOf(font: Font): Sfnt {
  if (font instanceof SfntFont) return font.sfnt;
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
  const loaded = fontFiles.get(font);
  // A font not loaded here (there is none in kumihan, but the functions take any fontkit Font): its buffer.
  return readSfntBytes(loaded?.bytes ?? (font as unknown as { stream?: { buffer?: Uint8Array } }).stream?.buffer, loaded);
}

function readSfntBytes(bytes: Uint8Array | undefined, loaded: LoadedFile | undefined): Sfnt {
  const none: Sfnt = {
    bytes: new Uint8Array(0),
    view: new DataView(new ArrayBuffer(0)),
    tables: new Map(),
    numGlyphs: 0,
    subsettable: false,
  };
  if (!bytes) return none;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    const tag = (o: number) => String.fromCharCode(...bytes.subarray(o, o + 4));
    // Plain sfnt files only (TrueType or CFF outlines); WOFF, WOFF2 and others are left to fontkit.
    if (!['\0\x01\0\0', 'true', 'OTTO'].includes(tag(0))) return none;
    const numTables = view.getUint16(4);
    const tables = new SfntTables(loaded);
    for (let i = 0; i < numTables; i++) {
      const o = 12 + 16 * i;
      const offset = view.getUint32(o + 8);
      const length = view.getUint32(o + 12);
      if (offset + length > bytes.length) throw new Error('table beyond the end of the file');
      tables.set(tag(o), { offset, length });
    }
    const maxp = tables.get('maxp');
    const s: Sfnt = {
      bytes,
      view,
      tables,
      numGlyphs: maxp && maxp.length >= 6 ? view.getUint16(maxp.offset + 4) : 0,
      loaded,
      subsettable: false,
    };
    const variable = tables.has('fvar');
    const metrics = (header: string, body: string, countAt: number): Metrics | undefined => {
      const h = tables.get(header);
      const t = tables.record(body);
      if (variable || !h || h.length < 36 || !t) return undefined;
      const numberOfMetrics = view.getUint16(h.offset + countAt);
      return numberOfMetrics * 4 <= t.length ? { offset: t.offset, numberOfMetrics, end: t.offset + t.length } : undefined;
    };
    s.hmtx = metrics('hhea', 'hmtx', 34);
    if (s.hmtx?.numberOfMetrics === 0) s.hmtx = undefined;
    // fontkit reads vhea's version as 16 bits, so its numberOfMetrics is the field before (metricDataFormat, 0):
    // all of vmtx is then "bearings". Read as fontkit reads it, so that the metrics are fontkit's.
    // Found when first asked for (vertical text, fontkit's glyph metrics): vmtx is read then.
    let vmtx: Metrics | undefined | null = null;
    Object.defineProperty(s, 'vmtx', {
      get: () => {
        if (vmtx === null) vmtx = metrics('vhea', 'vmtx', 32);
        if (vmtx) tables.get('vmtx');
        return vmtx;
      },
      enumerable: true,
    });
    s.cmap = readCmap(view, tables.record('cmap'));
    const head = tables.get('head');
    const hhea = tables.get('hhea');
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
  const offset = cmap && preferredCmapSubtable(view, cmap);
  if (offset === undefined) return undefined;
  const format = view.getUint16(offset);
  if (format === 4) {
    const length = view.getUint16(offset + 2);
    return { format, offset, segCount: view.getUint16(offset + 6) >> 1, end: offset + length };
  }
  if (format === 12 || format === 13) return { format, offset, nGroups: view.getUint32(offset + 12) };
  return undefined;
}

/** Where the subtable fontkit uses begins: the first with the first platform and encoding of UNICODE_CMAPS the cmap has. */
function preferredCmapSubtable(view: DataView, cmap: TableRecord): number | undefined {
  const n = view.getUint16(cmap.offset + 2);
  for (const [platform, encoding] of UNICODE_CMAPS) {
    for (let i = 0; i < n && 4 + 8 * i + 8 <= cmap.length; i++) {
      const r = cmap.offset + 4 + 8 * i;
      // fontkit takes the first subtable with this platform and encoding, whatever its format.
      if (view.getUint16(r) === platform && view.getUint16(r + 2) === encoding) return cmap.offset + view.getUint32(r + 4);
    }
  }
  return undefined;
}

/**
 * The bytes [start, end) of the subtable readCmap reads (format 4, 12 or 13), when it lies past the cmap's
 * first CMAP_HEADER_READ bytes (already read into `bytes`): its header is read to know its length.
 * undefined when the cmap is laid out otherwise (then all of it is read at once).
 */
function cmapSubtableRange(fd: number, bytes: Buffer, cmap: TableRecord): [number, number] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = Math.min(cmap.length, CMAP_HEADER_READ);
  const cmapEnd = cmap.offset + cmap.length;
  if (head < 4 || 4 + 8 * view.getUint16(cmap.offset + 2) > head) return undefined;
  const offset = preferredCmapSubtable(view, cmap);
  if (offset === undefined || offset < cmap.offset + head || offset + 16 > cmapEnd) return undefined;
  readFully(fd, bytes, offset, 16);
  const format = view.getUint16(offset);
  let end: number;
  // Format 4's 16-bit length may have wrapped in a large subtable: its glyph ids run to wherever they end.
  if (format === 4) end = cmapEnd;
  else if (format === 12 || format === 13)
    end = Math.max(offset + view.getUint32(offset + 4), offset + 16 + 12 * view.getUint32(offset + 12));
  else return undefined;
  return end <= cmapEnd ? [offset, end] : undefined;
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
// Fonts read without fontkit

/**
 * The features fontkit applies to a horizontal left-to-right run unless told otherwise (its default
 * shaper: rvrn, ltra/ltrm, the common and the horizontal features), GSUB and GPOS alike.
 */
const FONTKIT_DEFAULT_FEATURES = [
  'rvrn',
  'ltra',
  'ltrm',
  'ccmp',
  'locl',
  'rlig',
  'mark',
  'mkmk',
  'calt',
  'clig',
  'liga',
  'rclt',
  'curs',
  'kern',
];

/**
 * Code points whose glyph is the cmap's when no GSUB lookup applies: Latin, Greek and Cyrillic letters,
 * digits and common punctuation. Left out, so that fontkit shapes them: combining marks (fontkit places
 * them itself even without GPOS), default-ignorables such as the soft hyphen (it hides them), the
 * fraction slash (it switches on frac/numr/dnom around it), and every other script.
 */
function isPlainCodePoint(cp: number): boolean {
  if (cp <= 0x7e) return cp >= 0x20;
  if (cp >= 0xa0 && cp <= 0x24f) return cp !== 0xad;
  if (cp >= 0x370 && cp <= 0x4ff) return cp < 0x483 || cp > 0x489;
  if (cp >= 0x2010 && cp <= 0x2027) return true;
  if (cp >= 0x2030 && cp <= 0x205e) return cp !== 0x2044;
  return false;
}

interface PlainGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

/**
 * A TrueType or OpenType font read from its tables: what kumihan and pdfkit ask of a fontkit Font
 * (names, metrics, cmap, advances, subsets), with the same answers fontkit gives. fontkit is loaded
 * (from the same bytes) only for what is not answered here: shaping a run that the font's OpenType
 * or AAT tables could change (ligatures, contextual forms, kerning, marks), CFF subsets, and rare
 * properties. Starting fontkit costs more than building a short letter with these tables.
 */
class SfntFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly lineGap: number;
  readonly capHeight: number | undefined;
  readonly xHeight: number;
  readonly italicAngle: number;
  readonly numGlyphs: number;
  readonly bbox: { minX: number; minY: number; maxX: number; maxY: number; width: number; height: number };
  readonly head: { unitsPerEm: number; checkSumAdjustment: number; macStyle: { bold: boolean; italic: boolean } };
  readonly post: { italicAngle: number; isFixedPitch: number };
  readonly 'OS/2': { version: number; sFamilyClass: number; capHeight?: number; xHeight?: number } | undefined;
  /** What pdfkit compares to tell two fonts apart (isEqualFont), as fontkit has it. */
  readonly _tables: { head: { checkSumAdjustment: number } };
  private engine?: Font;
  private readonly psName: string | undefined;
  /** Per set of features: the glyphs GSUB could change (undefined: the table cannot be read here). */
  private readonly coverage = new Map<string, Uint8Array | undefined>();
  /** Whether the font has tables that position or substitute outside GSUB (then fontkit shapes every run). */
  private readonly otherLayoutTables: boolean;

  private constructor(
    private readonly loaded: LoadedFile,
    readonly sfnt: Sfnt,
  ) {
    const v = sfnt.view;
    const at = (tag: string) => sfnt.tables.get(tag)!.offset;
    const head = at('head');
    const hhea = at('hhea');
    const post = at('post');
    const macStyle = v.getUint16(head + 44);
    this.head = {
      unitsPerEm: v.getUint16(head + 18),
      checkSumAdjustment: v.getUint32(head + 8),
      macStyle: { bold: (macStyle & 1) !== 0, italic: (macStyle & 2) !== 0 },
    };
    this._tables = { head: { checkSumAdjustment: this.head.checkSumAdjustment } };
    this.unitsPerEm = this.head.unitsPerEm;
    this.bbox = plainBBox(v.getInt16(head + 36), v.getInt16(head + 38), v.getInt16(head + 40), v.getInt16(head + 42));
    this.ascent = v.getInt16(hhea + 4);
    this.descent = v.getInt16(hhea + 6);
    this.lineGap = v.getInt16(hhea + 8);
    this.post = { italicAngle: v.getInt32(post + 4) / 65536, isFixedPitch: v.getUint32(post + 12) };
    this.italicAngle = this.post.italicAngle;
    this.numGlyphs = sfnt.numGlyphs;
    const os2 = sfnt.tables.get('OS/2');
    if (os2) {
      const version = v.getUint16(os2.offset);
      this['OS/2'] = { version, sFamilyClass: v.getInt16(os2.offset + 30) };
      // sxHeight and sCapHeight exist from version 2 on (fontkit leaves them undefined before).
      if (version >= 2) {
        this['OS/2'].xHeight = v.getInt16(os2.offset + 86);
        this['OS/2'].capHeight = v.getInt16(os2.offset + 88);
      }
    }
    this.capHeight = os2 ? this['OS/2']?.capHeight : this.ascent;
    this.xHeight = os2 ? (this['OS/2']?.xHeight as number) : 0;
    this.psName = postscriptNameOf(sfnt);
    this.otherLayoutTables = ['GPOS', 'kern', 'morx', 'mort'].some((tag) => sfnt.tables.has(tag));
  }

  /** The font, when its tables are all there and readable here (else undefined: open it with fontkit). */
  static from(loaded: LoadedFile, sfnt: Sfnt): Font | undefined {
    const t = sfnt.tables;
    const long = (tag: string, min: number) => (t.get(tag)?.length ?? 0) >= min;
    const usable =
      sfnt.cmap !== undefined &&
      sfnt.hmtx !== undefined &&
      long('head', 54) &&
      long('hhea', 36) &&
      long('post', 16) &&
      long('maxp', 6) &&
      (!t.has('OS/2') || long('OS/2', 90)) &&
      // Variable, CFF2, colour and bitmap-glyph fonts: fontkit.
      !['fvar', 'CFF2', 'sbix', 'COLR'].some((tag) => t.has(tag));
    return usable ? (new SfntFont(loaded, sfnt) as unknown as Font) : undefined;
  }

  get fontkitLoaded(): boolean {
    return this.engine !== undefined;
  }

  /** fontkit's Font for this file, loaded on first need. */
  get fontkit(): Font {
    return (this.engine ??= openWithFontkit(this.loaded));
  }

  get postscriptName(): string {
    return this.psName ?? this.fontkit.postscriptName;
  }
  get familyName(): string {
    return this.fontkit.familyName;
  }
  get availableFeatures(): string[] {
    return this.fontkit.availableFeatures;
  }
  get characterSet(): number[] {
    return this.fontkit.characterSet;
  }

  hasGlyphForCodePoint(cp: number): boolean {
    return cmapLookup(this.sfnt, cp) !== 0;
  }

  glyphForCodePoint(cp: number): Glyph {
    return this.getGlyph(cmapLookup(this.sfnt, cp), [cp]);
  }

  /**
   * fontkit's glyph once fontkit is loaded (glyphs from its shaping carry their code points); before,
   * a glyph with the advance from hmtx, which asks fontkit for its code points only if they are read.
   */
  getGlyph(id: number, codePoints?: number[]): Glyph {
    if (this.engine) return this.engine.getGlyph(id, codePoints);
    const font = this;
    const advanceWidth = advanceWidthOf(this as unknown as Font, id);
    if (codePoints) return { id, advanceWidth, codePoints } satisfies PlainGlyph as Glyph;
    return {
      id,
      advanceWidth,
      get codePoints() {
        return font.fontkit.getGlyph(id).codePoints;
      },
    } satisfies PlainGlyph as Glyph;
  }

  /**
   * fontkit's `layout`, without fontkit for a run it would leave as the cmap has it: only plain code
   * points (see isPlainCodePoint), a font with no GPOS, kern or AAT tables, and none of the run's
   * glyphs covered by a GSUB lookup of the features in force. Then every glyph is the cmap's, with its
   * hmtx advance and no offset, which is what fontkit returns for such a run.
   */
  layout(text: string, features?: string[] | Record<string, boolean>): GlyphRun {
    const plain = this.plainLayout(text, features);
    // fontkit adds the features it applies to the object it is given: give it its own.
    return plain ?? this.fontkit.layout(text, Array.isArray(features) ? [...features] : features && { ...features });
  }

  private plainLayout(text: string, features: string[] | Record<string, boolean> | undefined): GlyphRun | undefined {
    if (this.otherLayoutTables || Array.isArray(features)) return undefined;
    const glyphs: Glyph[] = [];
    const positions: GlyphPosition[] = [];
    let covered: Uint8Array | undefined | null = null;
    for (let i = 0; i < text.length; i++) {
      const cp = text.charCodeAt(i); // plain code points are all in the BMP
      if (!isPlainCodePoint(cp)) return undefined;
      const id = cmapLookup(this.sfnt, cp);
      if (covered === null) covered = this.coveredBy(features);
      if (covered === undefined || covered[id] === 1) return undefined;
      const advanceWidth = advanceWidthOf(this as unknown as Font, id);
      glyphs.push({ id, advanceWidth, codePoints: [cp] } satisfies PlainGlyph as Glyph);
      positions.push({ xAdvance: advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
    }
    return { glyphs, positions };
  }

  /** The glyphs GSUB may change under fontkit's default features with `features` switched on or off. */
  private coveredBy(features: Record<string, boolean> | undefined): Uint8Array | undefined {
    const on = new Set(FONTKIT_DEFAULT_FEATURES);
    for (const [tag, enabled] of Object.entries(features ?? {})) {
      if (enabled) on.add(tag);
      else on.delete(tag);
    }
    const key = [...on].sort().join(',');
    if (this.coverage.has(key)) return this.coverage.get(key);
    const gsub = this.sfnt.tables.get('GSUB');
    const covered = gsub ? gsubCoverage(this.sfnt.view, gsub.offset, gsub.length, this.numGlyphs, on) : new Uint8Array(this.numGlyphs + 1);
    this.coverage.set(key, covered);
    return covered;
  }

  /**
   * pdfkit asks for one in each font object's constructor; the PDF stage replaces it at once with the
   * document's own subset (src/pdf/subset.ts), so this one only has to exist: it is never encoded.
   */
  createSubset(): { includeGlyph(gid: number): number; encode(): never } {
    return {
      includeGlyph: (gid) => gid,
      encode: () => {
        throw new Error('kumihan: font subsets are made by src/pdf/subset.ts');
      },
    };
  }
}

/** Whether `font` is read here and fontkit has not been needed for it (yet). */
export function isReadWithoutFontkit(font: Font): boolean {
  return font instanceof SfntFont && !font.fontkitLoaded;
}

function plainBBox(minX: number, minY: number, maxX: number, maxY: number) {
  return Object.freeze({ minX, minY, maxX, maxY, width: maxX - minX, height: maxY - minY });
}

/**
 * The PostScript name (name ID 6) as fontkit reads it: its English record, the Windows one (UTF-16BE)
 * when there is one, else the Macintosh one (Roman). Undefined for other layouts of the name table,
 * which are left to fontkit.
 */
function postscriptNameOf(sfnt: Sfnt): string | undefined {
  const name = sfnt.tables.get('name');
  if (!name || name.length < 6) return undefined;
  const v = sfnt.view;
  const count = v.getUint16(name.offset + 2);
  const strings = name.offset + v.getUint16(name.offset + 4);
  if (name.offset + 6 + 12 * count > name.offset + name.length) return undefined;
  let windows: string | undefined;
  let mac: string | undefined;
  for (let i = 0; i < count; i++) {
    const r = name.offset + 6 + 12 * i;
    if (v.getUint16(r + 6) !== 6) continue;
    const platform = v.getUint16(r);
    const encoding = v.getUint16(r + 2);
    const language = v.getUint16(r + 4);
    const length = v.getUint16(r + 8);
    const start = strings + v.getUint16(r + 10);
    if (start + length > name.offset + name.length) return undefined;
    const bytes = sfnt.bytes.subarray(start, start + length);
    if (platform === 3 && encoding === 1 && language === 0x409 && length % 2 === 0) {
      windows = '';
      for (let k = 0; k < length; k += 2) windows += String.fromCharCode((bytes[k]! << 8) | bytes[k + 1]!);
    } else if (platform === 1 && encoding === 0 && language === 0 && bytes.every((b) => b < 0x80)) {
      mac = String.fromCharCode(...bytes);
    } else return undefined;
  }
  return windows ?? mac;
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
  const s = sfntOf(font);
  if (!s.hmtx) return font.getGlyph(gid).advanceWidth;
  const m = s.hmtx;
  return s.view.getUint16(m.offset + 4 * (gid < m.numberOfMetrics ? gid : m.numberOfMetrics - 1));
}

/** A glyph's left side bearing in font units (from hmtx); undefined when the table was not read here. */
export function leftBearingOf(font: Font, gid: number): number | undefined {
  const s = sfntOf(font);
  return s.hmtx ? tableMetrics(s, s.hmtx, gid).bearing : undefined;
}

/** fontkit's parsed cmap format 14 (private fields: guarded by tests/contracts/fontkit.test.ts). */
interface VariationSelectorRecord {
  varSelector: number;
  defaultUVS?: { startUnicodeValue: number; additionalCount: number }[] | null;
  nonDefaultUVS?: { unicodeValue: number; glyphID: number }[] | null;
}

/**
 * Whether the font knows the ideographic variation sequence base + selector (cmap format 14, as the
 * base's own glyph or a glyph of its own). fontkit's lookup quietly gives the base glyph for a sequence
 * the font does not list, which would print 葛 for 葛󠄀: this tells the two apart.
 */
export function hasVariationSequence(font: Font, base: number, selector: number): boolean {
  const fk = font instanceof SfntFont ? font.fontkit : font;
  const processor = (fk as unknown as { _cmapProcessor?: { uvs?: { varSelectors?: { toArray(): VariationSelectorRecord[] } } | null } })
    ._cmapProcessor;
  const records = processor?.uvs?.varSelectors?.toArray() ?? [];
  const record = records.find((r) => r.varSelector === selector);
  if (!record) return false;
  if (record.nonDefaultUVS?.some((u) => u.unicodeValue === base)) return true;
  return record.defaultUVS?.some((r) => base >= r.startUnicodeValue && base <= r.startUnicodeValue + r.additionalCount) ?? false;
}
