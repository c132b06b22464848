/**
 * SfntFont against fontkit on the fonts this machine has (Liberation, DejaVu, FreeFont OTF… when
 * installed): TrueType and CFF outlines, GPOS kerning, composite glyphs — cases the shipped BIZ UD fonts
 * do not have. Skipped where no system fonts are installed.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font, GlyphRun } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { loadFont } from '../../src/font/fonts.js';
import { createSubset } from '../../src/pdf/subset.js';

function fontFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.(ttf|otf)$/i.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}
const FILES = fontFiles('/usr/share/fonts').slice(0, 24);

const RUNS = ['Smart Mix', 'AVATAR To', 'office ffi', 'naïve café', 'Ελληνικά', 'Русский', '“quoted” — …', 'e\u0301', '1\u20442'];

describe.skipIf(FILES.length === 0)('system fonts read without fontkit', () => {
  it.each(FILES.map((f) => [path.basename(f), f]))('%s: fontkit’s names, metrics, layouts and subsets', (_name, file) => {
    let reference: Font & Record<string, unknown>;
    try {
      reference = fontkit.create(fs.readFileSync(file)) as Font & Record<string, unknown>;
    } catch {
      // A file fontkit cannot read (a collection, a broken file) is refused here too, with a message.
      expect(() => loadFont(file)).toThrow(/font/);
      return;
    }
    const ours = loadFont(file) as Font & Record<string, unknown>;
    const props = (f: Font & Record<string, unknown>) => {
      const bbox = f.bbox as Record<string, number>;
      return [
        f.postscriptName,
        f.unitsPerEm,
        f.ascent,
        f.descent,
        f.lineGap,
        f.capHeight,
        f.xHeight,
        f.italicAngle,
        f.numGlyphs,
        bbox.minX,
        bbox.minY,
        bbox.maxX,
        bbox.maxY,
      ];
    };
    expect(props(ours)).toEqual(props(reference));
    const view = (r: GlyphRun) => r.glyphs.map((g, i) => [g.id, g.codePoints.join('+'), r.positions[i].xAdvance, r.positions[i].xOffset]);
    for (const run of RUNS) {
      for (const features of [undefined, { liga: false, clig: false, dlig: false }]) {
        expect(view(ours.layout(run, features && { ...features })), run).toEqual(view(reference.layout(run, features && { ...features })));
      }
    }
    // With hinting kept, a subset has exactly fontkit's bytes (CFF fonts are subset by fontkit itself).
    const a = createSubset(ours, { hinting: true });
    const b = (reference as unknown as { createSubset(): { includeGlyph(id: number): number; encode(): Uint8Array } }).createSubset();
    for (const ch of 'Smart éÅØœ€') {
      const id = reference.glyphForCodePoint(ch.codePointAt(0)!).id;
      if (id) {
        a.includeGlyph(id);
        b.includeGlyph(id);
      }
    }
    expect(Buffer.from(a.encode()).equals(Buffer.from(b.encode()))).toBe(true);
  });
});
