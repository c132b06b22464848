/**
 * Punctuation-dense and mixed-script paragraphs (tests/fixtures/stress-paragraphs.txt) at every line length
 * from 10 to 60 and under every mode keep the composer's promises — the composer is built for the rule, not
 * for the seed message.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINE_BREAK_MODES } from '../../src/model/schema.js';
import { compose, ROOT } from '../text/helpers.js';
import { composedProblems } from './invariants.js';

const paragraphs = fs
  .readFileSync(path.join(ROOT, 'tests/fixtures/stress-paragraphs.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');

describe('stress paragraphs', () => {
  for (const mode of LINE_BREAK_MODES) {
    for (const hangingPunctuation of [false, true]) {
      for (const openingBracketIndent of ['jis', 'half', 'none'] as const) {
        it(`${mode}, hanging ${hangingPunctuation}, bracket indent ${openingBracketIndent}`, () => {
          const problems: string[] = [];
          for (let measure = 10; measure <= 60; measure++) {
            paragraphs.forEach((text, k) => {
              const p = compose(text, { measure, lineBreak: mode, indent: 1, hangingPunctuation, openingBracketIndent });
              for (const problem of composedProblems(p, text, measure, mode)) problems.push(`¶${k + 1} at ${measure}: ${problem}`);
            });
          }
          expect(problems).toEqual([]);
        });
      }
    }
  }
});
