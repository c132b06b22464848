/**
 * The typesetting promises of the composer, as checks that any composition must pass (issue "Japanese line
 * composition to the JLREQ standard", Done when). Used on composer data and on PDFs read back with mupdf.
 */
import { classOfCluster, toClusters, type CharClass } from '../../src/text/classes.js';
import type { ComposedParagraph } from '../../src/text/compose.js';
import { mayEndLine, mayStartLine, type LineBreakMode } from '../../src/text/linebreak.js';

const PUNCTUATION: ReadonlySet<CharClass> = new Set(['cl-01', 'cl-02', 'cl-05', 'cl-06', 'cl-07']);
export const HANGABLE = new Set(['、', '。', '，', '．']);

/** Problems found in a composed paragraph; empty when it keeps every promise. */
export function composedProblems(p: ComposedParagraph, text: string, measure: number, mode: LineBreakMode): string[] {
  const problems: string[] = [];
  if (p.lines.map((l) => l.text).join('') !== text) problems.push('the lines do not give back the paragraph text');
  p.lines.forEach((line, k) => {
    const clusters = toClusters(line.text);
    const first = clusters[0];
    const ink = clusters.filter((c) => c !== ' ');
    const last = ink[ink.length - 1];
    const where = `line ${k + 1} "${line.text}"`;
    if (k > 0 && !line.forced && !p.lines[k - 1].forced && !mayStartLine(first, mode))
      problems.push(`${where}: starts with prohibited ${first}`);
    if (!line.isLast && !line.forced && last !== undefined && !mayEndLine(last, mode))
      problems.push(`${where}: ends with prohibited ${last}`);
    if (!line.isLast && line.adjustment !== 'short') {
      if (Math.abs(line.width - measure) > 0.01) problems.push(`${where}: width ${line.width.toFixed(4)} em, not the measure ${measure}`);
    }
    if (line.width > measure + 0.01 && line.hanging === 0) problems.push(`${where}: overflows the measure (${line.width.toFixed(3)} em)`);
    if (line.hanging > 1 + 1e-9) problems.push(`${where}: hangs ${line.hanging} em`);
    // Consecutive punctuation: the space between the two glyph bodies is less than a full em.
    const glyphs = line.glyphs.filter((g) => g.text !== '');
    for (let i = 1; i < glyphs.length; i++) {
      const a = classOfCluster(glyphs[i - 1].text);
      const b = classOfCluster(glyphs[i].text);
      if (PUNCTUATION.has(a) && PUNCTUATION.has(b) && glyphs[i].x - glyphs[i - 1].x >= 1 - 1e-9 && !(a === 'cl-05' && b === 'cl-05')) {
        problems.push(`${where}: ${glyphs[i - 1].text}${glyphs[i].text} takes a full em`);
      }
    }
  });
  return problems;
}
