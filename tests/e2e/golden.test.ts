/**
 * Golden line breaks of the seed message at 40, 33 and 25 characters a line under each line-break mode
 * (tests/golden/seed-<chars>-<mode>.txt, one line per line, paragraphs separated by a blank line).
 * A change to the composer that moves a break shows up here as a readable diff; after looking at the
 * new breaks, regenerate with UPDATE_GOLDEN=1 npx vitest run tests/e2e/golden.test.ts
 *
 * The original 2017 PDF was set 40 characters a line; its lines are in the seed file, and at 40 characters
 * our breaks must agree with it except where proportional Latin (narrower than the original's fixed-pitch
 * Latin) legitimately moves a break.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDocument } from '../../src/model/load.js';
import { LINE_BREAK_MODES } from '../../src/model/schema.js';
import { compose, ROOT } from '../text/helpers.js';

const doc = loadDocument(path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml'));
const GOLDEN = path.join(ROOT, 'tests/golden');

function breaks(measure: number, mode: (typeof LINE_BREAK_MODES)[number]): string {
  return (
    doc.paragraphs
      .map((p) =>
        compose(p, { measure, indent: 1, lineBreak: mode })
          .lines.map((l) => l.text)
          .join('\n'),
      )
      .join('\n\n') + '\n'
  );
}

describe.each([40, 33, 25])('seed at %i characters a line', (measure) => {
  it.each(LINE_BREAK_MODES)('%s', (mode) => {
    const file = path.join(GOLDEN, `seed-${measure}-${mode}.txt`);
    const actual = breaks(measure, mode);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
    expect(fs.existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run tests/e2e/golden.test.ts`).toBe(true);
    expect(actual).toBe(fs.readFileSync(file, 'utf8'));
  });
});

describe('agreement with the original 2017 letter at 40 characters a line', () => {
  it('breaks where the original compositor did on at least 60 of its 66 body lines', () => {
    const original = fs
      .readFileSync(path.join(ROOT, 'tests/model/fixtures/seed-embassy-2017-kazakhstan.txt'), 'utf8')
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l.trim() !== '')
      .slice(4); // date, sender, title, subtitle
    const ours = breaks(40, 'strict')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.trimEnd());
    expect(ours).toHaveLength(original.length);
    const same = ours.filter((l, i) => l === original[i]).length;
    expect(same).toBeGreaterThanOrEqual(60);
  });
});
