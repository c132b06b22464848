/**
 * fontkit internals that src/font/fonts.ts relies on (fontkit documents none of them): a Font's
 * `_getTableStream(tag)` (hooked so that glyph data is read from the file before fontkit first reads
 * `glyf`), `_getBaseGlyph(gid, chars)` and its `_glyphs` cache (hooked to give new glyphs their metrics),
 * a glyph's `_metrics` (set from hmtx/vmtx so that fontkit never decodes an outline for an advance),
 * `stream.buffer` (a Font's bytes) and `_tables.head.checkSumAdjustment` (which SfntFont mirrors for
 * pdfkit's isEqualFont).
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font, Glyph } from 'fontkit';
import { describe, it } from 'vitest';
import { loadFont, sfntOf, tableMetrics } from '../../src/font/fonts.js';
import { ROOT } from '../support/files.js';
import { contract } from './contract.js';

const FONTS = 'src/font/fonts.ts';
const MINCHO = path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf');

type Internals = Font &
  Record<string, unknown> & {
    _getTableStream(tag: string): unknown;
    _getBaseGlyph(gid: number, chars?: number[]): Glyph | null;
    _glyphs: Record<number, unknown>;
  };
type GlyphInternals = Glyph & { _metrics?: Record<string, number>; advanceHeight: number; path: unknown };

/** A fresh fontkit Font of the shipped Mincho (never one of kumihan's, which are hooked). */
const open = () => fontkit.create(fs.readFileSync(MINCHO)) as Internals;
const KAN = '漢'.codePointAt(0)!;

describe('Font', () => {
  const font = contract('fontkit', 'Font', FONTS);

  it('reads every table, glyph outlines included, through this._getTableStream(tag)', () => {
    const f = open();
    font.field(f, '_getTableStream', 'function');
    const tags: string[] = [];
    const original = f._getTableStream;
    f._getTableStream = function (this: unknown, tag: string) {
      tags.push(tag);
      return original.call(this, tag);
    };
    void f.hhea;
    font.holds(tags.includes('hhea'), 'reading a table (`hhea`) does not go through the instance\u2019s `_getTableStream`');
    void (f.getGlyph(f.glyphForCodePoint(KAN).id) as GlyphInternals).path;
    font.holds(tags.includes('glyf'), 'decoding a glyph outline does not read `glyf` through the instance\u2019s `_getTableStream`');
  });

  it('makes glyphs through this._getBaseGlyph(gid, chars) and caches them in _glyphs', () => {
    const f = open();
    font.field(f, '_getBaseGlyph', 'function');
    font.field(f, '_glyphs', 'object');
    const made: number[] = [];
    const original = f._getBaseGlyph;
    f._getBaseGlyph = function (this: Internals, gid: number, chars?: number[]) {
      made.push(gid);
      return original.call(this, gid, chars);
    };
    const id = f.glyphForCodePoint(KAN).id;
    const glyph = f.getGlyph(id);
    font.holds(made.includes(id), 'getGlyph(id) does not go through the instance\u2019s `_getBaseGlyph`');
    font.holds(f._glyphs[id] === glyph, '`_glyphs[id]` is not the glyph getGlyph(id) returned');
    const before = made.length;
    f.layout('あ');
    font.holds(made.length > before, 'layout() does not make its glyphs through `_getBaseGlyph`');
  });

  it('gives its bytes as stream.buffer and its head checksum as _tables.head.checkSumAdjustment', () => {
    const bytes = fs.readFileSync(MINCHO);
    const f = fontkit.create(bytes) as Internals & {
      stream?: { buffer?: Uint8Array };
      _tables?: { head?: { checkSumAdjustment?: number } };
    };
    font.field(f, 'stream', 'object');
    font.holds(
      f.stream?.buffer instanceof Uint8Array && Buffer.from(f.stream.buffer).equals(bytes),
      '`stream.buffer` is not the font file\u2019s bytes',
    );
    void (f as unknown as { head: unknown }).head;
    font.field(f._tables, 'head', 'object');
    font.field(f._tables!.head, 'checkSumAdjustment', 'number');
    const ours = loadFont(MINCHO) as unknown as { _tables: { head: { checkSumAdjustment: number } } };
    font.holds(
      f._tables!.head!.checkSumAdjustment === ours._tables.head.checkSumAdjustment,
      '`_tables.head.checkSumAdjustment` is not the head table\u2019s checksum adjustment',
    );
  });
});

describe('Glyph', () => {
  const glyph = contract('fontkit', 'Glyph', FONTS);

  it('answers advances from _metrics when it is set, without decoding the outline', () => {
    const f = open();
    const g = f.getGlyph(f.glyphForCodePoint(KAN).id) as GlyphInternals;
    glyph.holds(g._metrics === undefined, 'a new glyph already has `_metrics`');
    const tags: string[] = [];
    const original = f._getTableStream;
    f._getTableStream = function (this: unknown, tag: string) {
      tags.push(tag);
      return original.call(this, tag);
    };
    g._metrics = { advanceWidth: 1234, advanceHeight: 2345, leftBearing: 1, topBearing: 2 };
    glyph.holds(g.advanceWidth === 1234 && g.advanceHeight === 2345, 'advanceWidth/advanceHeight do not come from a preset `_metrics`');
    glyph.holds(!tags.includes('glyf'), 'reading advances with `_metrics` set still decodes the outline');
  });

  it('computes _metrics as { advanceWidth, advanceHeight, leftBearing, topBearing } from hmtx and vmtx, as fonts.ts seeds them', () => {
    const f = open();
    const s = sfntOf(loadFont(MINCHO));
    glyph.holds(s.hmtx !== undefined && s.vmtx !== undefined, 'test font: BIZ UD Mincho should have hmtx and vmtx');
    for (const cp of [0x41, 0x3042, KAN, 0x3001]) {
      const id = f.glyphForCodePoint(cp).id;
      const g = f.getGlyph(id) as GlyphInternals;
      void g.advanceWidth;
      const h = tableMetrics(s, s.hmtx!, id);
      const v = tableMetrics(s, s.vmtx!, id);
      const expected = { advanceWidth: h.advance, advanceHeight: v.advance, leftBearing: h.bearing, topBearing: v.bearing };
      const sorted = (m: Record<string, number> | undefined) =>
        JSON.stringify(m && Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b))));
      glyph.holds(
        sorted(g._metrics) === sorted(expected),
        `\`_metrics\` of glyph ${id} is ${JSON.stringify(g._metrics)}, not ${JSON.stringify(expected)} as fonts.ts (glyphMetrics) would seed it`,
      );
    }
  });
});

describe('cmap format 14 (ideographic variation sequences)', () => {
  const cmap = contract('fontkit', 'CmapProcessor', FONTS);
  it('exposes _cmapProcessor.uvs.varSelectors: records of varSelector, defaultUVS ranges and nonDefaultUVS mappings', () => {
    const font = open() as unknown as Record<string, unknown>;
    cmap.field(font, '_cmapProcessor', 'object');
    const processor = font._cmapProcessor as Record<string, unknown>;
    cmap.field(processor, 'uvs', 'object');
    const uvs = processor.uvs as Record<string, unknown>;
    cmap.field(uvs, 'varSelectors', 'object');
    const records = (uvs.varSelectors as { toArray(): Record<string, unknown>[] }).toArray();
    const vs17 = records.find((r) => r.varSelector === 0xe0100);
    cmap.holds(vs17 !== undefined, 'no VS17 record is read from BIZ UD Mincho');
    const ranges = (vs17!.defaultUVS ?? []) as { startUnicodeValue: number; additionalCount: number }[];
    const mapped = (vs17!.nonDefaultUVS ?? []) as { unicodeValue: number; glyphID: number }[];
    // BIZ UD Mincho lists 葛 (U+845B) + VS17, as a default or a glyph of its own.
    const listed =
      ranges.some((r) => 0x845b >= r.startUnicodeValue && 0x845b <= r.startUnicodeValue + r.additionalCount) ||
      mapped.some((u) => u.unicodeValue === 0x845b);
    cmap.holds(listed, '葛 + VS17 is in neither defaultUVS nor nonDefaultUVS');
  });
});
