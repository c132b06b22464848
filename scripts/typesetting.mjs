#!/usr/bin/env node
/**
 * `node scripts/typesetting.mjs [--before]` — how evenly kumihan spaces its lines (docs/typesetting.md).
 *
 * Composes every shipped text (content/*.yaml) and the punctuation-dense fixtures at every measure from
 * 10 to 60 characters (strict line breaking, one-em indent) and reports, per text and measure, the widest
 * letter spacing between kana/kanji, the widest 和欧間, the number of compressed marks inside lines and
 * the most any lost, the widest space between consecutive brackets, and the number of lines. The last line
 * of a paragraph (never stretched) and lines that are one unbreakable word are left out of the letter
 * spacing (see tests/support/spacing-metrics.ts).
 *
 * `--before` records the current figures as the baseline (docs/typesetting-before.json); without it the
 * figures are compared with that baseline.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './bundle.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);
const BEFORE = 'docs/typesetting-before.json';
const REPORT = 'docs/typesetting.md';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-typesetting-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
const entry = path.join(tmp, 'typesetting-entry.mjs');
await build({ ...bundleOptions(), entryPoints: ['scripts/typesetting-entry.ts'], outfile: entry });
const measure = (...args) => {
  const r = spawnSync(process.execPath, [entry, ROOT, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stderr.write(r.stderr.split('\n').slice(-12).join('\n'));
    process.exit(1);
  }
  return JSON.parse(r.stdout);
};
const now = measure();

if (process.argv.includes('--before')) {
  fs.writeFileSync(BEFORE, JSON.stringify(now, null, 1) + '\n');
  console.log(`wrote ${BEFORE}`);
  process.exit(0);
}
const before = JSON.parse(fs.readFileSync(BEFORE, 'utf8'));

const f2 = (x) => (x < 0 ? '–' : x.toFixed(2));
const pair = (b, a, fmt = f2) => (b === undefined ? fmt(a) : fmt(b) === fmt(a) ? fmt(a) : `${fmt(b)} → **${fmt(a)}**`);
const int = (x) => String(x);

const lines = [];
lines.push('# Typesetting evenness: before and after');
lines.push('');
lines.push('Produced by `node scripts/typesetting.mjs` (do not edit by hand). Every text is composed at every measure');
lines.push('from 10 to 60 characters a line (strict line breaking, one-em paragraph indent, BIZ UD Mincho with its');
lines.push("proportional companion for Latin). Figures are the worst over all justified lines (a paragraph's last line");
lines.push('is never stretched and is left out), in em; "before → **after**" where they changed.');
lines.push('');
lines.push('- **letter**: widest space between two adjacent kana/kanji (solid = 0), lines that are one unbreakable word left out;');
lines.push(
  '- **和欧間**: widest space between a kana/kanji and an adjacent Latin letter or digit (JLREQ §3.2.5: ¼ em, at most ½ em); – when none;',
);
lines.push('- **W-punct**: widest space between a kana/kanji and adjacent Western punctuation (`! ? , . : ; -`, brackets): should be 0;');
lines.push('- **compressed**: marks (、。「」・…) whose space inside a line is below natural, and **max cut** the most any lost;');
lines.push('- **brackets**: widest space between consecutive brackets such as `「（` or `）」` (JLREQ §3.1.4: solid);');
lines.push('- **lines**: lines in all.');
lines.push('');
const summary = [];
for (const [name, byMeasure] of Object.entries(now)) {
  lines.push(`## ${name}`);
  lines.push('');
  lines.push('| chars | letter | 和欧間 | W-punct | compressed | max cut | brackets | lines |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [measure, a] of Object.entries(byMeasure)) {
    const b = before[name]?.[measure] ?? {};
    lines.push(
      `| ${measure} | ${pair(b.letterSpacing, a.letterSpacing)} | ${pair(b.westernGap, a.westernGap)} | ${pair(b.westernPunctuationGap, a.westernPunctuationGap)} | ${pair(b.compressed, a.compressed, int)} | ${pair(b.maxCompression, a.maxCompression)} | ${pair(b.bracketGap, a.bracketGap)} | ${pair(b.lines, a.lines, int)} |`,
    );
  }
  lines.push('');
  const worst = (fig, src) => Math.max(...Object.values(src ?? {}).map((x) => x[fig] ?? 0));
  summary.push(
    `| ${name} | ${f2(worst('letterSpacing', before[name]))} → ${f2(worst('letterSpacing', byMeasure))} | ${f2(worst('westernGap', before[name]))} → ${f2(worst('westernGap', byMeasure))} | ${f2(worst('maxCompression', before[name]))} → ${f2(worst('maxCompression', byMeasure))} |`,
  );
}
const pushOut = measure('pushOut');
const pushOutSummary = Object.entries(pushOut).map(([name, byMeasure]) => {
  const worst = (fig) => Math.max(...Object.values(byMeasure).map((x) => x[fig] ?? 0));
  const total = (fig) => Object.values(byMeasure).reduce((sum, x) => sum + (x[fig] ?? 0), 0);
  const inTotal = (fig, src) => Object.values(src).reduce((sum, x) => sum + (x[fig] ?? 0), 0);
  return `| ${name} | ${f2(worst('letterSpacing'))} | ${f2(worst('westernGap'))} | ${inTotal('compressed', now[name])} → ${total('compressed')} | ${f2(worst('maxCompression'))} |`;
});
const head = [
  '## Summary: worst over all measures 10–60',
  '',
  '| text | letter | 和欧間 | max cut |',
  '|---|---:|---:|---:|',
  ...summary,
  '',
  'With `adjustment: pushOut` (after only): letter spacing and 和欧間 worst over all measures, compressed marks',
  'in all (pushIn → pushOut) and the most any lost.',
  '',
  '| text | letter | 和欧間 | compressed | max cut |',
  '|---|---:|---:|---:|---:|',
  ...pushOutSummary,
  '',
];
lines.splice(lines.indexOf('- **lines**: lines in all.') + 2, 0, ...head);
fs.writeFileSync(REPORT, lines.join('\n'));
console.log(`wrote ${REPORT}`);
