/** Glyph geometry for tests: the advance the font gives a placed glyph, in em. */
import type { PositionedGlyph } from '../../src/text/compose.js';
import type { FontFace } from '../../src/text/shape.js';

export function glyphAdvance(face: FontFace, g: PositionedGlyph): number {
  const font = g.font === 'latin' && face.latin ? face.latin : face.main;
  return font.getGlyph(g.id).advanceWidth / font.unitsPerEm;
}

/** Where a glyph's body ends: its half-em body for narrowable punctuation, else its advance. */
export function glyphBodyEnd(face: FontFace, g: PositionedGlyph): number {
  return g.x + (g.narrow ? g.narrow.body : glyphAdvance(face, g));
}
