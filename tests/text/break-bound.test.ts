/**
 * chooseBreaks skips the positions reached at more than a whole greedy setting of the paragraph costs
 * (src/text/compose.ts, greedyTotal). The claim is that this changes nothing: every shipped text and the
 * punctuation-dense fixtures, at many measures and under every line-break mode and adjustment policy,
 * are set exactly as when the lines from every reachable position are tried.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/model/load.js';
import { type ComposedParagraph, composeParagraph, type ParagraphSettings } from '../../src/text/compose.js';
import { defaults, face, ROOT } from './helpers.js';

const texts: string[] = [];
for (const file of fs
  .readdirSync(path.join(ROOT, 'content'))
  .filter((f) => f.endsWith('.yaml'))
  .sort())
  texts.push(...loadDocument(path.join(ROOT, 'content', file), { projectRoot: ROOT }).paragraphs);
for (const file of ['tests/fixtures/punctuation-dense.txt', 'tests/fixtures/stress-paragraphs.txt'])
  texts.push(
    ...fs
      .readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== ''),
  );
// Long paragraphs too, where the bound prunes least: the fixtures run together.
texts.push(texts.slice(-12).join(''));

/** Everything the composition decides: breaks, adjustment, every glyph's place. */
const decided = (c: ComposedParagraph) =>
  c.lines.map((l) => [l.start, l.end, l.adjustment, l.hanging, l.width, l.glyphs.map((g) => [g.font, g.id, g.x, g.text])]);

const settingsToTry: Partial<ParagraphSettings>[] = [];
for (let measure = 8; measure <= 60; measure++) settingsToTry.push({ measure, indent: 1 });
for (const measure of [11, 17, 23, 29, 35, 41, 47]) {
  for (const lineBreak of ['strict', 'normal', 'loose'] as const)
    for (const adjustment of ['pushIn', 'pushOut'] as const)
      settingsToTry.push({ measure, lineBreak, adjustment, hangingPunctuation: true, indent: measure % 2 });
  settingsToTry.push({ measure, justifyLastLine: true, openingBracketIndent: 'half' });
  settingsToTry.push({ measure, vertical: { tateChuYoko: 2 } });
}

describe('the bound on line starts changes no break', () => {
  it.each(settingsToTry.map((s) => [JSON.stringify(s), s] as const))('%s', (_, partial) => {
    const settings = { ...defaults, ...partial } as ParagraphSettings;
    for (const text of texts) {
      const bounded = composeParagraph(text, face, settings);
      const exhaustive = composeParagraph(text, face, settings, undefined, true);
      expect(decided(bounded), text.slice(0, 30)).toEqual(decided(exhaustive));
    }
  });
});
