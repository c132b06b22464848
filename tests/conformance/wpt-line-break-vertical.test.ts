/**
 * The WPT-derived line-break cases (wpt-line-break.json) composed in a vertical column: kinsoku does
 * not depend on the writing direction (JLREQ §3.1.7), so every required case must break in a vertical
 * column exactly where it breaks in a horizontal line, and a forbidden break is never taken along the
 * column. Tate-chu-yoko is switched off here (it would turn digits into one upright em, which is another
 * question than where lines may break); tests/vertical checks it on its own.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeParagraph } from '../../src/text/compose.js';
import type { LineBreakMode } from '../../src/text/linebreak.js';
import { MissingGlyphError } from '../../src/text/shape.js';
import { defaults, face } from '../text/helpers.js';

interface WptCase {
  mode: LineBreakMode;
  before: string;
  after: string;
  breakAllowed: boolean;
  optional?: boolean;
}

const data = JSON.parse(readFileSync(new URL('./wpt-line-break.json', import.meta.url), 'utf8')) as { cases: WptCase[] };
/** Cases the shipped face can set at all (a few WPT characters, ․ ⋯ ︙ ℉ ﹩ …, are in none of its fonts). */
function settable(c: WptCase): boolean {
  try {
    composeParagraph(c.before + c.after, face, defaults);
    return true;
  } catch (e) {
    if (e instanceof MissingGlyphError) return false;
    throw e;
  }
}
const required = data.cases.filter((c) => !c.optional && settable(c));

/** The clusters after which each line of a composition ends. */
function lineEnds(text: string, mode: LineBreakMode, measure: number, vertical: boolean): number[] {
  const settings = { ...defaults, lineBreak: mode, measure, ...(vertical ? { vertical: { tateChuYoko: 0 } } : {}) };
  return composeParagraph(text, face, settings).lines.map((l) => l.end);
}

describe('WPT line-break cases in a vertical column', () => {
  it('covers nearly all required cases', () => {
    expect(required.length).toBeGreaterThan(data.cases.filter((c) => !c.optional).length - 25);
  });

  it.each(required.map((c) => [`${c.mode}: ${c.before}|${c.after} ${c.breakAllowed ? 'allowed' : 'forbidden'}`, c] as const))(
    '%s',
    (_title, c) => {
      // Padding before the case so that the measure can put the line end right at the position.
      const text = 'あ'.repeat(3) + c.before + c.after + 'あ'.repeat(3);
      const at = 3 + Array.from(c.before).length;
      for (const measure of [at - 1, at, at + 1].filter((m) => m >= 2)) {
        const vertical = lineEnds(text, c.mode, measure, true);
        expect(vertical).toEqual(lineEnds(text, c.mode, measure, false));
        if (!c.breakAllowed) expect(vertical).not.toContain(at);
      }
    },
  );
});
