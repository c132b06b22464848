/**
 * Measurements for scripts/typesetting.mjs (bundled by it): every shipped text and the punctuation-dense
 * fixture, composed at every measure from 10 to 60 characters, and the evenness figures of each
 * (tests/support/spacing-metrics.ts). Prints one JSON object on stdout.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadDocument } from '../src/model/load.js';
import { composeParagraph, type ParagraphSettings } from '../src/text/compose.js';
import { loadFace } from '../src/font/fonts.js';
import { paragraphSpacing } from '../tests/support/spacing-metrics.js';

const root = process.argv[2];
// The shipped letter's body face, with its kanji fallback (the sample letter's 𠮷 is not in BIZ UD Mincho).
const face = loadFace('mincho', path.join(root, 'fonts/BIZUDMincho-Regular.ttf'), path.join(root, 'fonts/BIZUDPMincho-Regular.ttf'), [
  path.join(root, 'fonts/HanaMinA.ttf'),
]);

const texts: Record<string, string[]> = {};
for (const file of fs
  .readdirSync(path.join(root, 'content'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()) {
  texts[`content/${file}`] = loadDocument(path.join(root, 'content', file), { projectRoot: root }).paragraphs;
}
for (const file of ['tests/fixtures/punctuation-dense.txt', 'tests/fixtures/stress-paragraphs.txt']) {
  texts[file] = fs
    .readFileSync(path.join(root, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

// `pushOut` as the last argument measures with body.adjustment: pushOut (a composer without the setting
// ignores it).
const adjustment = process.argv[3] === 'pushOut' ? 'pushOut' : 'pushIn';
const out: Record<string, Record<number, object>> = {};
for (const [name, paragraphs] of Object.entries(texts)) {
  out[name] = {};
  for (let measure = 10; measure <= 60; measure++) {
    const settings = {
      measure,
      indent: 1,
      lineBreak: 'strict',
      hangingPunctuation: false,
      openingBracketIndent: 'jis',
      adjustment,
    } as ParagraphSettings;
    const worst = { letterSpacing: 0, westernGap: -1, westernPunctuationGap: 0, compressed: 0, maxCompression: 0, bracketGap: 0, lines: 0 };
    for (const text of paragraphs) {
      const s = paragraphSpacing(face, composeParagraph(text, face, settings));
      worst.letterSpacing = Math.max(worst.letterSpacing, s.letterSpacing);
      worst.westernGap = Math.max(worst.westernGap, s.westernGap);
      worst.westernPunctuationGap = Math.max(worst.westernPunctuationGap, s.westernPunctuationGap);
      worst.compressed += s.compressed;
      worst.maxCompression = Math.max(worst.maxCompression, s.maxCompression);
      worst.bracketGap = Math.max(worst.bracketGap, s.bracketGap);
      worst.lines += s.lines;
    }
    const r = (x: number) => Math.round(x * 1000) / 1000;
    out[name][measure] = Object.fromEntries(Object.entries(worst).map(([k, v]) => [k, r(v)]));
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
