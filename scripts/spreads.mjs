#!/usr/bin/env node
/**
 * Page spreads (見開き) from rendered pages: `node scripts/spreads.mjs DIR OUT.png [first-last]` puts the
 * page-<n>.png files of DIR (as `kumihan render` writes them) side by side as a book opens — page 1 alone
 * on the right, then 2|3, 4|5, … — in rows of spreads, and writes one PNG. With a page range, only the
 * spreads holding those pages.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';

const [dir, out, range] = process.argv.slice(2);
if (!dir || !out) {
  console.error('usage: node scripts/spreads.mjs DIR OUT.png [first-last]');
  process.exit(2);
}
const pages = fs
  .readdirSync(dir)
  .map((f) => /^page-(\d+)\.png$/.exec(f))
  .filter(Boolean)
  .map((m) => Number(m[1]))
  .sort((a, b) => a - b);
const [from, to] = range ? range.split('-').map(Number) : [1, pages[pages.length - 1]];
const load = (n) => (pages.includes(n) ? PNG.sync.read(fs.readFileSync(path.join(dir, `page-${n}.png`))) : undefined);
const spreads = [];
for (let left = 0; left <= pages[pages.length - 1]; left += 2) {
  const right = left + 1;
  if (right < from && left < from) continue;
  if (left > to) break;
  spreads.push([left >= 1 ? left : undefined, right]);
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
