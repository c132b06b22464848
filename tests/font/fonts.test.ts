/**
 * Fonts read without fontkit (src/font/fonts.ts): every answer must be the one fontkit gives for the
 * same file, and fontkit must stay unloaded for the runs that do not need it (that is the point).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { gsubCoverage } from '../../src/font/gsub-coverage.js';
import { advanceWidthOf, isReadWithoutFontkit, loadFont } from '../../src/font/fonts.js';
import { createSubset } from '../../src/pdf/subset.js';
import { ROOT } from '../text/helpers.js';

/**
 * The shipped faces' fonts. HanaMinA, the kanji fallback, is not among them: SfntFont leaves its cmap
 * (a Unicode-platform subtable fontkit prefers) to fontkit, which reads it whole when a kanji first needs it.
 */
const FONT_FILES = fs
  .readdirSync(path.join(ROOT, 'fonts'))
  .filter((f) => /\.(ttf|otf)$/.test(f) && !f.startsWith('HanaMin'))
  .map((f) => path.join(ROOT, 'fonts', f));

/** A fresh fontkit Font of the file, never shared with kumihan's caches. */
const viaFontkit = (file: string) => fontkit.create(fs.readFileSync(file));

const ascii = Array.from({ length: 0x7f - 0x21 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
const RUNS = [
  'Smart',
  'Mix',
  'with',
  'Technology',
  ' ',
  ascii,
  'office',
  'ffi fl',
  'AVATAR',
  'naïve café Ærø Øre Œuvre',
  'Ελληνικά',
  'Русский',
  '“quoted” ‘single’ — dash – en … †‡‰',
  // Left to fontkit by the fast path: soft hyphen, fraction slash, combining marks, other scripts.
  'co\u00adoperate',
  '1\u20442',
  'e\u0301',
  'かな',
  '日本語',
];
const FEATURE_SETS: (Record<string, boolean> | undefined)[] = [
  undefined,
  { liga: false, clig: false, dlig: false },
  { liga: true },
  { ccmp: false },
];

describe.each(FONT_FILES.map((f) => [path.basename(f), f]))('%s read without fontkit', (_name, file) => {
  const font = loadFont(file);
  const reference = viaFontkit(file);

  it('is read here, not by fontkit', () => {
    expect(isReadWithoutFontkit(font)).toBe(true);
  });

  it('has fontkit’s names and metrics', () => {
    const props = (f: Font) => {
      const any = f as unknown as Record<string, unknown> & {
        bbox: Record<string, number>;
        'OS/2'?: { sFamilyClass: number };
        post: { isFixedPitch: number; italicAngle: number };
        head: { macStyle: { italic: boolean; bold: boolean } };
      };
      return {
        postscriptName: f.postscriptName,
        unitsPerEm: f.unitsPerEm,
        ascent: f.ascent,
        descent: f.descent,
        lineGap: f.lineGap,
        capHeight: f.capHeight,
        xHeight: f.xHeight,
        italicAngle: any.italicAngle,
        numGlyphs: f.numGlyphs,
        bbox: [any.bbox.minX, any.bbox.minY, any.bbox.maxX, any.bbox.maxY, any.bbox.width, any.bbox.height],
        sFamilyClass: any['OS/2']?.sFamilyClass,
        isFixedPitch: any.post.isFixedPitch,
        postItalicAngle: any.post.italicAngle,
        italic: any.head.macStyle.italic,
        bold: any.head.macStyle.bold,
      };
    };
    expect(props(font)).toEqual(props(reference));
  });

  it('maps code points and gives advances as fontkit does', () => {
    for (const cp of [0x20, 0x41, 0x7a, 0xe9, 0x3042, 0x3001, 0x3002, 0x6f22, 0x29fce, 0x1f600, 0xfffd, 0x10ffff]) {
      expect(font.hasGlyphForCodePoint(cp), `U+${cp.toString(16)}`).toBe(reference.hasGlyphForCodePoint(cp));
      const id = font.glyphForCodePoint(cp).id;
      expect(id).toBe(reference.glyphForCodePoint(cp).id);
      expect(font.getGlyph(id).advanceWidth).toBe(reference.getGlyph(id).advanceWidth);
      expect(advanceWidthOf(font, id)).toBe(reference.getGlyph(id).advanceWidth);
    }
  });

  it.each(FEATURE_SETS.map((f) => [JSON.stringify(f) ?? 'default features', f]))(
    'lays out runs as fontkit does (%s)',
    (_label, features) => {
      for (const run of RUNS) {
        const ours = font.layout(run, features);
        const theirs = reference.layout(run, features);
        const view = (r: fontkit.GlyphRun) =>
          r.glyphs.map((g, i) => [g.id, g.codePoints.join('+'), r.positions[i].xAdvance, r.positions[i].xOffset, r.positions[i].yOffset]);
        expect(view(ours), run).toEqual(view(theirs));
      }
    },
  );

  it('leaves the caller’s features object as it was, also when fontkit shapes the run', () => {
    const features = { liga: false, clig: false, dlig: false };
    for (const run of ['Smart', 'e\u0301', 'ffi', 'かな']) {
      font.layout(run, features);
      font.layout(run, Object.freeze({ ...features }));
    }
    expect(features).toEqual({ liga: false, clig: false, dlig: false });
  });

  // Glyphs to subset: Latin, kana, kanji, punctuation, and .notdef-only code points (left out: id 0).
  const SUBSET_TEXT = 'Aj&%あ漢、。「𩸽';
  const subsetIds = (f: Font) => [...SUBSET_TEXT].map((ch) => f.glyphForCodePoint(ch.codePointAt(0)!).id).filter((id) => id !== 0);
  type FontkitSubset = { includeGlyph(id: number): number; encode(): Uint8Array };

  it('makes subsets with hinting that have exactly fontkit’s bytes for the same file', () => {
    const ours = createSubset(font, { hinting: true });
    const theirs = (reference as unknown as { createSubset(): FontkitSubset }).createSubset();
    const ids = subsetIds(reference);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) expect(ours.includeGlyph(id)).toBe(theirs.includeGlyph(id));
    const a = Buffer.from(ours.encode());
    const b = Buffer.from(theirs.encode());
    expect(a.length).toBe(b.length);
    expect(a.equals(b)).toBe(true);
  });

  it('makes subsets without hinting whose glyphs fontkit reads back with the original outlines and advances', () => {
    const subset = createSubset(font, { hinting: false });
    const ids = subsetIds(reference);
    const subsetId = ids.map((id) => subset.includeGlyph(id));
    const back = fontkit.create(Buffer.from(subset.encode()));
    expect(back.numGlyphs).toBe(ids.length + 1);
    ids.forEach((id, k) => {
      const original = reference.getGlyph(id) as fontkit.Glyph & { path: { toSVG(): string } };
      const copy = back.getGlyph(subsetId[k]) as fontkit.Glyph & { path: { toSVG(): string } };
      expect(copy.path.toSVG(), `glyph ${id}`).toBe(original.path.toSVG());
      expect(copy.advanceWidth, `glyph ${id}`).toBe(original.advanceWidth);
    });
  });
});

describe('shaping Western text does not load fontkit', () => {
  it('a word in BIZ UDPMincho is shaped from cmap and hmtx', () => {
    // A file of its own, so that no other test has loaded fontkit for it.
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-fonts-')), 'p.ttf');
    fs.copyFileSync(path.join(ROOT, 'fonts/BIZUDPMincho-Regular.ttf'), copy);
    try {
      const font = loadFont(copy);
      const run = font.layout('Smart Mix with Technology', { liga: false, clig: false, dlig: false });
      expect(run.glyphs.length).toBe(25);
      expect(isReadWithoutFontkit(font)).toBe(true);
      // A combining sequence needs fontkit (it places the mark): now it is loaded.
      font.layout('e\u0301');
      expect(isReadWithoutFontkit(font)).toBe(false);
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
});

// ------------------------------------------------------------------------------------------------
// gsubCoverage on hand-made tables

/** A GSUB table: features (tag → lookup indices) and lookups (type → subtable bytes). */
function gsubTable(features: [string, number[]][], lookups: [number, number[]][]): DataView {
  const bytes: number[] = [];
  const u16 = (n: number) => bytes.push((n >> 8) & 0xff, n & 0xff);
  const u16At = (at: number, n: number) => {
    bytes[at] = (n >> 8) & 0xff;
    bytes[at + 1] = n & 0xff;
  };
  u16(1);
  u16(0);
  u16(0); // script list (unused here)
  u16(0); // feature list, patched
  u16(0); // lookup list, patched
  const featureList = bytes.length;
  u16At(6, featureList);
  u16(features.length);
  const featureOffsets: number[] = [];
  for (const [tag] of features) {
    for (const ch of tag) bytes.push(ch.charCodeAt(0));
    featureOffsets.push(bytes.length);
    u16(0);
  }
  features.forEach(([, indices], i) => {
    u16At(featureOffsets[i], bytes.length - featureList);
    u16(0);
    u16(indices.length);
    for (const k of indices) u16(k);
  });
  const lookupList = bytes.length;
  u16At(8, lookupList);
  u16(lookups.length);
  const lookupOffsets = lookups.map(() => {
    const at = bytes.length;
    u16(0);
    return at;
  });
  lookups.forEach(([type, subtable], i) => {
    const lookup = bytes.length;
    u16At(lookupOffsets[i], lookup - lookupList);
    u16(type);
    u16(0);
    u16(1);
    u16(8); // the subtable follows this 8-byte lookup header
    bytes.push(...subtable);
  });
  return new DataView(Uint8Array.from(bytes).buffer);
}
const be16 = (...ns: number[]) => ns.flatMap((n) => [(n >> 8) & 0xff, n & 0xff]);
/** Single substitution format 1 (delta 1) with a coverage table of format 1 listing `glyphs`. */
const single = (...glyphs: number[]) => be16(1, 6, 1, 1, glyphs.length, ...glyphs);
/** Single substitution with a coverage table of format 2: one range. */
const singleRange = (first: number, last: number) => be16(1, 6, 1, 2, 1, first, last, 0);

describe('gsubCoverage', () => {
  const covered = (view: DataView, features: string[]) => {
    const c = gsubCoverage(view, 0, view.byteLength, 20, new Set(features));
    return c && [...c.keys()].filter((g) => c[g] === 1);
  };

  it('collects the coverage of the lookups of the features in force, and only those', () => {
    const view = gsubTable(
      [
        ['liga', [0]],
        ['ccmp', [1]],
        ['vert', [2]],
      ],
      [
        [1, single(3, 7)],
        [1, singleRange(10, 12)],
        [1, single(15)],
      ],
    );
    expect(covered(view, ['liga', 'ccmp'])).toEqual([3, 7, 10, 11, 12]);
    expect(covered(view, ['ccmp'])).toEqual([10, 11, 12]);
    expect(covered(view, ['kern'])).toEqual([]);
  });

  it('follows extension lookups to their subtables', () => {
    // Extension: format 1, type 1, 32-bit offset 8 to a single substitution.
    const view = gsubTable([['ccmp', [0]]], [[7, [...be16(1, 1), 0, 0, 0, 8, ...single(4)]]]);
    expect(covered(view, ['ccmp'])).toEqual([4]);
  });

  it('takes the first input coverage of a chained context lookup of format 3', () => {
    // format 3, one backtrack coverage (glyph 1), one input coverage (glyph 2), no lookahead, no lookups.
    const subtable = be16(3, 1, 14, 1, 20, 0, 0, 1, 1, 1, 1, 1, 2);
    const view = gsubTable([['calt', [0]]], [[6, subtable]]);
    expect(covered(view, ['calt'])).toEqual([2]);
  });

  it('gives up (undefined) on what it cannot read, so that the engine shapes', () => {
    expect(covered(gsubTable([['liga', [0]]], [[9, single(3)]]), ['liga'])).toBeUndefined();
    expect(covered(gsubTable([['liga', [0]]], [[1, be16(1, 6, 1, 3, 0)]]), ['liga'])).toBeUndefined();
    const truncated = gsubTable([['liga', [0]]], [[1, single(3)]]);
    expect(gsubCoverage(truncated, 0, truncated.byteLength - 4, 20, new Set(['liga']))).toBeUndefined();
  });
});
