import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeParagraph, type ComposedParagraph, type ParagraphSettings } from '../../src/text/compose.js';
import { loadFace } from '../../src/font/fonts.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** BIZ UD Mincho with its proportional companion for Latin, as the shipped templates use it. */
/** The shipped letter's body face: BIZ UD Mincho, its proportional Latin, and the kanji fallback. */
export const face = loadFace(
  'mincho',
  path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf'),
  path.join(ROOT, 'fonts/BIZUDPMincho-Regular.ttf'),
  [path.join(ROOT, 'fonts/HanaMinA.ttf')],
);

export const defaults: ParagraphSettings = {
  measure: 40,
  indent: 0,
  lineBreak: 'strict',
  hangingPunctuation: false,
  openingBracketIndent: 'jis',
};

export function compose(text: string, settings: Partial<ParagraphSettings> = {}): ComposedParagraph {
  return composeParagraph(text, face, { ...defaults, ...settings });
}

/** x of the body start of each cluster on a one-line composition (glyph x minus its ink shift is not needed: use text). */
export function glyphX(p: ComposedParagraph, line = 0): [string, number][] {
  return p.lines[line].glyphs.filter((g) => g.text !== '').map((g) => [g.text, round(g.x)]);
}

export const round = (n: number) => Math.round(n * 1e4) / 1e4;
