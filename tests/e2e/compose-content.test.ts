/**
 * Every content file, composed at every line length from 10 to 60 characters under each line-break mode,
 * keeps the composer's promises: no prohibited character at a line start or end, every non-final line
 * flush to the measure (a hanging 、。 may pass it), consecutive punctuation never a full em apart, and
 * the lines give back the text. Hanging punctuation on and off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/model/load.js';
import { LINE_BREAK_MODES } from '../../src/model/schema.js';
import { compose, ROOT } from '../text/helpers.js';
import { composedProblems } from './invariants.js';

const contentFiles = fs.readdirSync(path.join(ROOT, 'content')).filter((f) => f.endsWith('.yaml'));

describe.each(contentFiles)('%s', (file) => {
  const doc = loadDocument(path.join(ROOT, 'content', file));
  const texts = [...doc.paragraphs, doc.content.title, doc.content.subtitle].filter((t): t is string => !!t);
  for (const mode of LINE_BREAK_MODES) {
    for (const hangingPunctuation of [false, true]) {
      it(`${mode}${hangingPunctuation ? ', hanging' : ''}: lengths 10–60`, () => {
        const problems: string[] = [];
        for (let measure = 10; measure <= 60; measure++) {
          for (const text of texts) {
            const p = compose(text, { measure, lineBreak: mode, indent: 1, hangingPunctuation });
            for (const problem of composedProblems(p, text, measure, mode)) problems.push(`${measure} chars: ${problem}`);
          }
        }
        expect(problems).toEqual([]);
      });
    }
  }
});
