// Makes docs/images/press-corner.png, the README's picture of a press PDF's corner: the top-left corner
// of output/sample-company-letter.print.pdf as `kumihan render` draws it, with the bleed (塗り足し, between
// the BleedBox and the TrimBox) tinted so that it can be seen. Run after `npm run build`:
//   node bin/kumihan.cjs render output/sample-company-letter.print.pdf --dpi 200 --out output/render/press
//   node scripts/press-corner.mjs output/sample-company-letter.print.pdf output/render/press/page-1.png 200
import fs from 'node:fs';
import { PNG } from 'pngjs';

const [pdfFile, pngFile, dpiText] = process.argv.slice(2);
const dpi = Number(dpiText);
const pdf = fs.readFileSync(pdfFile, 'latin1');
const boxOf = (name) =>
  /\[([\d.\s-]+)\]/
    .exec(pdf.slice(pdf.indexOf(`/${name}`)))[1]
    .trim()
    .split(/\s+/)
    .map(Number);
const [media, bleed, trim] = ['MediaBox', 'BleedBox', 'TrimBox'].map(boxOf);
const src = PNG.sync.read(fs.readFileSync(pngFile));
const px = (pt) => Math.round((pt * dpi) / 72);
const H = media[3];
// The corner: from the sheet's top-left to 70 mm × 45 mm inside the trim (the logo).
const mm = 72 / 25.4;
const width = px(trim[0] + 70 * mm);
const height = px(H - trim[3] + 45 * mm);
const out = new PNG({ width, height });
const inBox = (b, x, y) => x >= px(b[0]) && x < px(b[2]) && y >= px(H - b[3]) && y < px(H - b[1]);
for (let y = 0; y < height; y++) {
  for (let x = 0; x < width; x++) {
    const s = (y * src.width + x) * 4;
    const d = (y * width + x) * 4;
    let [r, g, b] = [src.data[s], src.data[s + 1], src.data[s + 2]];
    // The bleed band: inside the BleedBox, outside the TrimBox, tinted light blue where the page is white.
    if (inBox(bleed, x, y) && !inBox(trim, x, y)) [r, g, b] = [Math.round(r * 0.82), Math.round(g * 0.9), b];
    out.data.set([r, g, b, 255], d);
  }
}
fs.mkdirSync('docs/images', { recursive: true });
fs.writeFileSync('docs/images/press-corner.png', PNG.sync.write(out));
console.log(`docs/images/press-corner.png ${width}×${height}`);
