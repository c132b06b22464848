#!/usr/bin/env node
/**
 * Page spreads (見開き) from rendered pages: `node scripts/spreads.mjs DIR OUT.png [PAGES]` puts the
 * page-<n>.png files of DIR (as `kumihan render` writes them) side by side as a book opens — page 1 alone
 * on the right, then 2|3, 4|5, … — two spreads to a row, and writes one PNG. PAGES (`3-9` or `1,5,13`)
 * keeps only the spreads holding those pages. With --right-bound, as a book bound on the right (右綴じ,
 * vertical text) opens: page 1 alone on the left, then 3|2, 5|4, ….
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const args = process.argv.slice(2);
const rightBound = args.includes('--right-bound');
const [dir, out, range] = args.filter((a) => a !== '--right-bound');
if (!dir || !out) {
  console.error('usage: node scripts/spreads.mjs DIR OUT.png [first-last] [--right-bound]');
  process.exit(2);
}
const pages = fs
  .readdirSync(dir)
  .map((f) => /^page-(\d+)\.png$/.exec(f))
  .filter(Boolean)
  .map((m) => Number(m[1]))
  .sort((a, b) => a - b);
const wanted = new Set(
  (range ?? `1-${pages[pages.length - 1]}`).split(',').flatMap((part) => {
    const [a, b = a] = part.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, k) => a + k);
  }),
);
const load = (n) => (pages.includes(n) ? PNG.sync.read(fs.readFileSync(path.join(dir, `page-${n}.png`))) : undefined);
const spreads = [];
for (let left = 0; left <= pages[pages.length - 1]; left += 2) {
  const right = left + 1;
  if (wanted.has(left) || wanted.has(right))
    spreads.push(rightBound ? [right, left >= 1 ? left : undefined] : [left >= 1 ? left : undefined, right]);
}
const sample = load(pages[0]);
const w = sample.width;
const h = sample.height;
const gap = 16;
const perRow = Math.min(2, spreads.length);
const rows = Math.ceil(spreads.length / perRow);
const sheet = new PNG({ width: perRow * 2 * w + (perRow + 1) * gap, height: rows * h + (rows + 1) * gap });
sheet.data.fill(200);
spreads.forEach(([l, r], k) => {
  const x0 = gap + (k % perRow) * (2 * w + gap);
  const y0 = gap + Math.floor(k / perRow) * (h + gap);
  for (const [n, dx] of [
    [l, 0],
    [r, w],
  ]) {
    const page = n !== undefined ? load(n) : undefined;
    if (page) PNG.bitblt(page, sheet, 0, 0, Math.min(w, page.width), Math.min(h, page.height), x0 + dx, y0);
  }
});
fs.writeFileSync(out, PNG.sync.write(sheet));
console.log(`${out}: ${spreads.length} spreads`);
