/**
 * Tables a plain build never reads (vmtx, GSUB, the other cmap subtables) are left unread when a font is
 * loaded, and read when first asked for (src/font/fonts.ts, LoadedFile.deferred). Every answer and every
 * table's bytes must be what the whole file gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { advanceWidthOf, glyphIdForCodePoint, loadFont, sfntOf } from '../../src/font/fonts.js';
import { verticalAdvanceOf } from '../../src/pdf/vertical.js';
import { ROOT } from '../support/files.js';

const FILE = path.join(ROOT, 'fonts/BIZUDPMincho-Regular.ttf');

describe('deferred font tables', () => {
  const whole = fs.readFileSync(FILE);
  const reference = fontkit.create(whole);
  const font = loadFont(FILE);
  const sfnt = sfntOf(font);

  it('leave vmtx, GSUB and the unused cmap subtables unread at first', () => {
    const waiting = sfnt.loaded?.deferred ?? [];
    const record = (tag: string) => [...sfnt.tables.entries()].find(([t]) => t === tag)![1];
    const inside = (tag: string) => {
      const r = record(tag);
      return waiting.some(([a, b]) => a >= r.offset && b <= r.offset + r.length);
    };
    expect(['vmtx', 'GSUB', 'cmap'].map(inside)).toEqual([true, true, true]);
  });

  it('look characters up as fontkit does, from the one cmap subtable read', () => {
    const differing: number[] = [];
    for (let cp = 0; cp < 0x30000; cp += cp < 0x10000 ? 1 : 7) {
      if (glyphIdForCodePoint(font, cp) !== reference.glyphForCodePoint(cp).id) differing.push(cp);
    }
    expect(differing).toEqual([]);
  });

  it('read a table when it is asked for: vertical advances as the whole file has them', () => {
    // The same function on a font made from the whole file (fontkit's, whose bytes are all there).
    const gids = [0, 1, 2, 100, 1000, 5000, 10000, reference.numGlyphs - 1];
    const expected = gids.map((g) => verticalAdvanceOf(reference, g));
    expect(new Set(expected).size).toBeGreaterThan(1);
    expect(gids.map((g) => verticalAdvanceOf(font, g))).toEqual(expected);
  });

  it('give every table (but glyf, read glyph by glyph) the bytes of the file, and leave nothing unread after', () => {
    const differing: string[] = [];
    for (const tag of [...sfnt.tables.keys()]) {
      if (tag === 'glyf') continue;
      const r = sfnt.tables.get(tag)!;
      if (!Buffer.from(sfnt.bytes.subarray(r.offset, r.offset + r.length)).equals(whole.subarray(r.offset, r.offset + r.length))) {
        differing.push(tag);
      }
    }
    expect(differing).toEqual([]);
    expect(sfnt.loaded?.deferred ?? []).toEqual([]);
  });

  it('read everything at once when a deferred table shares bytes with one that is read (a font laid out so)', () => {
    // The same font, its GSUB record pointed at the bytes of hmtx and cmap: nothing may be left unread there.
    const bytes = Buffer.from(whole);
    const numTables = bytes.readUInt16BE(4);
    const entry = (tag: string) =>
      [...Array(numTables).keys()].map((i) => 12 + 16 * i).find((e) => bytes.toString('latin1', e, e + 4) === tag)!;
    const hmtx = entry('hmtx');
    bytes.writeUInt32BE(bytes.readUInt32BE(hmtx + 8), entry('GSUB') + 8);
    bytes.writeUInt32BE(bytes.readUInt32BE(hmtx + 12) + 40_000, entry('GSUB') + 12);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-shared-tables-'));
    try {
      const file = path.join(dir, 'shared.ttf');
      fs.writeFileSync(file, bytes);
      const shared = loadFont(file);
      expect(sfntOf(shared).loaded?.deferred ?? []).toEqual([]);
      const cps = [0x3042, 0x5b57, 0x41, 0x3002, 0x4e00];
      expect(cps.map((cp) => advanceWidthOf(shared, glyphIdForCodePoint(shared, cp)))).toEqual(
        cps.map((cp) => reference.glyphForCodePoint(cp).advanceWidth),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
