/**
 * Even spacing, as properties (issue "uneven spacing"): every shipped content file and the punctuation-dense
 * fixture (tests/fixtures/punctuation-dense.txt), composed at every measure from 10 to 60 characters, under
 * every line-break mode and both adjustment policies, keeps the composer's promises (invariants.ts) and:
 * - every line but a paragraph's last ends flush at the block edge — its last body plus the space a mark
 *   keeps there (a line ending in a Latin word included);
 * - no 和欧間 above ½ em (JIS X 4051 Table 6), and none at all next to Western punctuation (JLREQ §3.2.5);
 * - no two kana/kanji more than 0.35 em apart, except on a line that is a single unbreakable word or that
 *   is as full as it can be (the unbreakable unit after it does not fit even pushed in);
 * - consecutive brackets (「（ ）」) stay solid (JLREQ §3.1.4).
 * At 20, 25, 30 and 40 characters the same holds, the stress paragraphs (tests/fixtures/stress-paragraphs.txt)
 * included and hanging punctuation on or off, with no exception for lines that are as full as they can be; at
 * narrower measures some unbreakable units (a 45-character URL, ¥25,000.50, １９９１年 after カザフスタンは，)
 * leave no even choice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/model/load.js';
import type { ComposedParagraph, ParagraphSettings } from '../../src/text/compose.js';
import { LINE_BREAK_MODES } from '../../src/model/schema.js';
import { breakOpportunities } from '../../src/text/linebreak.js';
import { cellsOf, isSingleUnit, lineSpacing } from '../support/spacing-metrics.js';
import { compose, face, ROOT } from '../text/helpers.js';
import { composedProblems } from './invariants.js';

const lines = (file: string) =>
  fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
const contentFiles = fs.readdirSync(path.join(ROOT, 'content')).filter((f) => f.endsWith('.yaml'));
const texts: Record<string, string[]> = {
  ...Object.fromEntries(contentFiles.map((f) => [f, loadDocument(path.join(ROOT, 'content', f)).paragraphs])),
  'punctuation-dense.txt': lines('tests/fixtures/punctuation-dense.txt'),
};

/** Space a mark keeps after it at the line end (JLREQ §3.1.5 note; see lineEndSpace in spacing.ts). */
const LINE_END: Record<string, number> = { 'cl-02': 0.5, 'cl-06': 0.5, 'cl-07': 0.5, 'cl-05': 0.25 };

/**
 * Is this line as full as it can be? True when the line with the next unbreakable unit added does not fit
 * the measure even pushed in: then its letter spacing was forced by what follows (カザフスタンは， before
 * １９９１年 at 12 characters), not chosen.
 */
function fullest(p: ComposedParagraph, k: number, settings: Partial<ParagraphSettings>): boolean {
  const line = p.lines[k];
  const rest = p.clusters.slice(line.end);
  const ok = breakOpportunities(rest, settings.lineBreak ?? 'strict');
  let u = 1;
  while (u < rest.length && !ok[u]) u++;
  const withNext = line.text + rest.slice(0, u).join('');
  return compose(withNext, { ...settings, indent: k === 0 ? (settings.indent ?? 0) : 0 }).lines.length > 1;
}

function spacingProblems(p: ComposedParagraph, measure: number, settings: Partial<ParagraphSettings> = {}, exemptFullest = true): string[] {
  const problems: string[] = [];
  p.lines.forEach((line, k) => {
    if (line.isLast) return;
    const where = `line ${k + 1} "${line.text}"`;
    const s = lineSpacing(face, line);
    if (s.westernGap > 0.5 + 1e-6) problems.push(`${where}: 和欧間 ${s.westernGap.toFixed(3)} em`);
    if (s.westernPunctuationGap > 1e-6) problems.push(`${where}: ${s.westernPunctuationGap.toFixed(3)} em next to Western punctuation`);
    if (s.letterSpacing > 0.35 + 1e-6 && !isSingleUnit(line) && !(exemptFullest && fullest(p, k, { ...settings, measure })))
      problems.push(`${where}: kana/kanji ${s.letterSpacing.toFixed(3)} em apart`);
    if (s.bracketGap > 1e-6) problems.push(`${where}: consecutive brackets ${s.bracketGap.toFixed(3)} em apart`);
    if (line.hanging === 0 && line.adjustment !== 'short') {
      const ink = cellsOf(face, line).filter(
        (c) => c.cls !== 'cl-26' && !(c.cls === 'cl-14' && c.text === '\u3000' && c === cellsOf(face, line).at(-1)),
      );
      const last = ink[ink.length - 1];
      const edge = last.end + (last.western ? 0 : (LINE_END[last.cls] ?? 0));
      // A mark's line-end space may be removed (JLREQ Table 3 priority 2): then its body ends the line.
      if (Math.abs(edge - measure) > 0.01 && Math.abs(last.end - measure) > 0.01)
        problems.push(`${where}: ends at ${edge.toFixed(3)} em, not ${measure}`);
    }
  });
  return problems;
}

describe.each(Object.keys(texts))('%s', (name) => {
  for (const adjustment of ['pushIn', 'pushOut'] as const) {
    for (const mode of LINE_BREAK_MODES) {
      it(`${adjustment}, ${mode}: lengths 10–60`, () => {
        const problems: string[] = [];
        for (let measure = 10; measure <= 60; measure++) {
          for (const text of texts[name]) {
            const settings = { measure, lineBreak: mode, indent: 1, adjustment } as const;
            const p = compose(text, settings);
            for (const problem of [...composedProblems(p, text, measure, mode), ...spacingProblems(p, measure, settings)])
              problems.push(`${measure} chars: ${problem}`);
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }
});

describe("at 20, 25, 30 and 40 characters (the issue's measures): no exception but a single unbreakable word", () => {
  const all: [string, string[]][] = [...Object.entries(texts), ['stress-paragraphs.txt', lines('tests/fixtures/stress-paragraphs.txt')]];
  for (const adjustment of ['pushIn', 'pushOut'] as const) {
    for (const hangingPunctuation of [false, true]) {
      it(`${adjustment}${hangingPunctuation ? ', hanging' : ''}`, () => {
        const problems: string[] = [];
        for (const measure of [20, 25, 30, 40]) {
          for (const mode of LINE_BREAK_MODES) {
            for (const [name, paragraphs] of all) {
              paragraphs.forEach((text, k) => {
                const settings = { measure, lineBreak: mode, indent: 1, adjustment, hangingPunctuation } as const;
                const p = compose(text, settings);
                for (const problem of [...composedProblems(p, text, measure, mode), ...spacingProblems(p, measure, settings, false)]) {
                  problems.push(`${name} ¶${k + 1} at ${measure} (${mode}): ${problem}`);
                }
              });
            }
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }
});
