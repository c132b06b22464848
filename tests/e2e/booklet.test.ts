/**
 * Booklets of many shapes, built and read back from the PDF: the contents' numbers are the folios printed
 * where the sections start; bookmarks, page labels and links agree with them; sections start on right-hand
 * pages unless they say otherwise; running heads and folios sit where the template puts them and nowhere on
 * the cover or a blank page; the text block is mirrored on facing pages; chronology rows never split and
 * their heads repeat; photos stay inside the text block with their captions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { type BuildResult, buildDocument } from '../../src/build.js';
import { KumihanError } from '../../src/errors.js';
import { advanceWidthOf, loadFont } from '../../src/font/fonts.js';
import type { TextLineItem } from '../../src/layout/page.js';
import { openPdf } from '../../src/check/mupdf.js';
import { type PdfLine, readDrawnGlyphs } from '../../src/check/pdftext.js';
import { tempDir } from '../support/files.js';
import {
  type BookletSpec,
  buildAndRead,
  furnitureOf,
  random,
  type ReadBack,
  readBack,
  type SectionSpec,
  writeBooklet,
} from '../support/booklets.js';
import { writePhoto } from '../support/photos.js';

const LETTER_TITLE = '「日・カザフスタン外交関係樹立２５周年」';
const baseline = (l: PdfLine) => l.chars[0]?.y ?? l.bbox.y;
const compact = (s: string) => s.replace(/\s/g, '');

function titleOf(s: SectionSpec): string {
  return s.kind === 'letter' ? (s.title ?? LETTER_TITLE) : s.title;
}

/** The page index where each section's heading is set (its first body line equal to the title). */
function headingPages(read: ReadBack, spec: BookletSpec): number[] {
  let from = 0;
  return spec.sections.map((s) => {
    const title = titleOf(s);
    for (let k = from; k < read.pages.length; k++) {
      if (furnitureOf(read, k).body.some((l) => compact(l.text) === compact(title))) {
        from = k + 1;
        return k;
      }
    }
    throw new Error(`no heading "${title}" found`);
  });
}

function checkBooklet(read: ReadBack, spec: BookletSpec): void {
  const pages = read.pages;
  const starts = headingPages(read, spec);
  const block = read.result.layout.block;
  const pageWidth = pages[0]!.widthPt;

  // The cover: no running head, no folio; labelled 表紙.
  const cover = furnitureOf(read, 0);
  expect(cover.heads, 'no running head on the cover').toEqual([]);
  expect(cover.feet, 'no folio on the cover').toEqual([]);
  expect(read.labels[0]).toBe('表紙');

  // Every other page: its label is its folio; a page without text (a blank page) has no furniture either.
  const sectionInForce = (k: number) => {
    let title: string | undefined;
    spec.sections.forEach((s, i) => {
      if (starts[i]! <= k) title = titleOf(s);
    });
    return title;
  };
  const contentsPage = spec.contents === false ? undefined : 2;
  for (let k = 1; k < pages.length; k++) {
    expect(read.labels[k], `label of page ${k + 1}`).toBe(String(k + 1));
    const { heads, feet, body } = furnitureOf(read, k);
    if (body.length === 0) {
      expect(pages[k]!.lines, `page ${k + 1} is blank: no running head, no folio`).toEqual([]);
      continue;
    }
    // The colophon (奥付) alone on the last page: no running head, no folio either.
    const colophonRows = (spec.colophon ?? []).map(([label, value]) => compact(label + value));
    if (k === pages.length - 1 && colophonRows.length > 0 && body.every((l) => colophonRows.includes(compact(l.text)))) {
      expect([...heads, ...feet], `page ${k + 1} holds only the colophon`).toEqual([]);
      continue;
    }
    const right = k % 2 === 0;
    expect(
      feet.map((l) => compact(l.text)),
      `folio of page ${k + 1}`,
    ).toEqual([String(k + 1)]);
    // Folio and running head at the outer corner: flush with the text block's outer edge. On the right, by
    // the body of the last character: a closing bracket's is the first half of its full-em glyph box.
    const outer = (line: PdfLine) => {
      if (!right) return line.bbox.x;
      const last = line.chars[line.chars.length - 1]!;
      return /^[」』）〕］｝〉》】、。]$/.test(last.c) ? last.x + last.w / 2 : line.bbox.x + line.bbox.w;
    };
    const outerEdge = right ? block.x + block.width : pageWidth - block.x - block.width;
    expect(outer(feet[0]!), `folio of page ${k + 1} at the outer edge`).toBeCloseTo(outerEdge, 0);
    for (const head of heads) expect(outer(head), `running head of page ${k + 1} at the outer edge`).toBeCloseTo(outerEdge, 0);
    // No running head where a section (or the 目次) opens: its heading stands there.
    const opens = starts.includes(k) || k === contentsPage;
    const expectedHead = right ? (k >= (contentsPage ?? Infinity) && k < starts[0]! ? '目次' : sectionInForce(k)) : spec.title;
    expect(
      heads.map((l) => compact(l.text)),
      `running head of page ${k + 1}`,
    ).toEqual(opens ? [] : [compact(expectedHead ?? '')]);
  }

  // Sections start on a right-hand page (odd folio) unless they say startOn: any.
  spec.sections.forEach((s, i) => {
    if (s.startOn !== 'any') expect((starts[i]! + 1) % 2, `section ${i + 1} starts on page ${starts[i]! + 1}`).toBe(1);
    if (i > 0) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
  });

  // A heading is never the last line of its page.
  spec.sections.forEach((s, i) => {
    const body = furnitureOf(read, starts[i]!).body;
    const at = body.findIndex((l) => compact(l.text) === compact(titleOf(s)));
    expect(at, `heading of section ${i + 1} alone at the foot`).toBeLessThan(body.length - 1);
  });

  // Contents: each entry's number is the folio printed on the page its section starts on; links go there.
  if (contentsPage !== undefined) {
    const entries = furnitureOf(read, contentsPage).body.filter((l) => /\d+$/.test(compact(l.text)));
    expect(entries).toHaveLength(spec.sections.length);
    entries.forEach((entry, i) => {
      const text = compact(entry.text);
      expect(text.startsWith(compact(titleOf(spec.sections[i]!))), text).toBe(true);
      const number = /(\d+)$/.exec(text)![1]!;
      const printed = furnitureOf(read, starts[i]!).feet.map((l) => compact(l.text));
      expect([number], `contents entry ${i + 1}`).toEqual(printed);
    });
    const links = read.links[contentsPage]!;
    expect(links.map((l) => l.target)).toEqual(starts);
    // Each link covers its entry's line.
    links.forEach((link, i) => {
      const y = baseline(entries[i]!);
      expect(link.y0).toBeLessThan(y);
      expect(link.y1).toBeGreaterThan(y);
    });
  } else expect(read.links.flat()).toEqual([]);

  // Bookmarks: the contents, then every section, each at its page.
  const outline = [
    ...(contentsPage !== undefined ? [{ title: '目次', page: contentsPage }] : []),
    ...spec.sections.map((s, i) => ({ title: titleOf(s), page: starts[i]! })),
  ];
  expect(read.outline).toEqual(outline);

  // Facing pages: the text block mirrored — lines start at the inner margin on right-hand pages, at the outer on
  // left-hand ones. Lines that start at the block's edge: any but captions (centred), contents lines (inset) and
  // lines opening with a bracket (set half an em earlier, solid).
  const lineStarts = (right: boolean) =>
    pages.flatMap((_, k) =>
      k > 0 && k !== contentsPage && k % 2 === (right ? 0 : 1)
        ? furnitureOf(read, k)
            .body.filter((l) => !/写真\d+の説明/.test(l.text) && !/^[「『（〔［｛〈《【]/.test(l.text))
            .map((l) => l.chars[0]!.x)
        : [],
    );
  const rightStart = Math.min(...lineStarts(true));
  const leftStart = Math.min(...lineStarts(false));
  if (Number.isFinite(rightStart)) expect(rightStart, 'text starts at the inner margin of right-hand pages').toBeCloseTo(block.x, 0);
  if (Number.isFinite(leftStart))
    expect(leftStart, 'text starts at the outer margin of left-hand pages').toBeCloseTo(pageWidth - block.x - block.width, 0);

  // Photos: inside the text block of their page, each caption under an image on its page.
  const photos = spec.sections.flatMap((s) => (s.kind === 'photos' ? s.photos : []));
  const images = read.images.flatMap((list, k) => (k === 0 && spec.cover ? list.slice(1) : list).map((box) => ({ ...box, page: k })));
  expect(images).toHaveLength(photos.length);
  for (const image of images) {
    const x0 = image.page % 2 === 0 ? block.x : pageWidth - block.x - block.width;
    // (mupdf gives image boxes in whole points.)
    expect(image.x).toBeGreaterThanOrEqual(Math.floor(x0));
    expect(image.x + image.w).toBeLessThanOrEqual(Math.ceil(x0 + block.width));
    expect(image.y).toBeGreaterThanOrEqual(Math.floor(block.y));
    expect(image.y + image.h).toBeLessThanOrEqual(Math.ceil(block.y + block.height));
  }
  photos.forEach((_, n) => {
    const k = pages.findIndex((p) => p.lines.some((l) => compact(l.text).includes(`写真${n + 1}の説明`)));
    expect(k, `caption ${n + 1}`).toBeGreaterThanOrEqual(0);
    const caption = pages[k]!.lines.find((l) => compact(l.text).includes(`写真${n + 1}の説明`))!;
    expect(images.some((img) => img.page === k && img.y + img.h <= caption.bbox.y + 1)).toBe(true);
  });

  // Chronology: every row once, in order; a row's lines on one page; the column heads at the top of every page it is on.
  spec.sections.forEach((s, i) => {
    if (s.kind !== 'chronology') return;
    const seen: number[] = [];
    for (let k = starts[i]!; k < pages.length; k++) {
      const body = furnitureOf(read, k).body;
      const rows = body.filter((l) => /第\d+項/.test(l.text));
      if (rows.length === 0) continue;
      const head = body.findIndex((l) => compact(l.text) === '年月日事項');
      expect(head, `column heads on page ${k + 1}`).toBeGreaterThanOrEqual(0);
      expect(body.indexOf(rows[0]!), `the row after the heads on page ${k + 1}`).toBe(head + 1);
      // The page's last row is complete: no row continues overleaf (the next page starts with a row).
      for (const row of rows) seen.push(Number(/第(\d+)項/.exec(row.text)![1]));
    }
    expect(seen).toEqual(Array.from({ length: s.rows }, (_, r) => r + 1));
  });
}

const specs: BookletSpec[] = [
  {
    title: '記念誌の試し刷り',
    seed: 1,
    cover: { width: 1200, height: 1700 },
    sections: [
      { kind: 'letter' },
      { kind: 'text', title: '寄稿　一', paragraphs: 9, author: '山田太郎' },
      { kind: 'chronology', title: '年表', rows: 45 },
      {
        kind: 'photos',
        title: '写真',
        photos: [
          { width: 1600, height: 1000, format: 'jpg' },
          { width: 800, height: 1200, format: 'png' },
          { width: 900, height: 900, format: 'jpg' },
          { width: 1400, height: 2600, format: 'png', layout: 'full' },
        ],
      },
      { kind: 'text', title: 'あとがき', paragraphs: 2, startOn: 'any' },
    ],
    colophon: [
      ['書名', '記念誌の試し刷り'],
      ['発行', '発行者'],
    ],
  },
  { title: '短い冊子', seed: 2, sections: [{ kind: 'text', title: 'ごあいさつ', paragraphs: 1 }] },
  {
    title: '続けて組む冊子',
    seed: 3,
    sections: [
      { kind: 'text', title: '一', paragraphs: 4, startOn: 'any' },
      { kind: 'text', title: '二', paragraphs: 7, startOn: 'any' },
      { kind: 'chronology', title: '三', rows: 12, startOn: 'any' },
    ],
  },
];

/** Booklets drawn at random: 1–6 sections of every kind and length, startOn right or any. */
function randomSpec(seed: number): BookletSpec {
  const next = random(seed);
  const count = 1 + Math.floor(next() * 6);
  const sections: SectionSpec[] = Array.from({ length: count }, (_, i): SectionSpec => {
    const startOn = next() < 0.3 ? 'any' : undefined;
    const r = next();
    if (r < 0.1) return { kind: 'letter', ...(startOn ? { startOn } : {}) };
    if (r < 0.5) return { kind: 'text', title: `第${i + 1}章`, paragraphs: 1 + Math.floor(next() * 14), ...(startOn ? { startOn } : {}) };
    if (r < 0.75) return { kind: 'chronology', title: `年表${i + 1}`, rows: 1 + Math.floor(next() * 50), ...(startOn ? { startOn } : {}) };
    return {
      kind: 'photos',
      title: `写真${i + 1}`,
      photos: Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({
        width: 300 + Math.floor(next() * 1500),
        height: 300 + Math.floor(next() * 1500),
        format: next() < 0.5 ? 'png' : 'jpg',
      })),
      ...(startOn ? { startOn } : {}),
    };
  });
  return { title: `無作為の冊子${seed}`, seed, sections, contents: next() < 0.8 ? undefined : false };
}

describe('booklets read back from the PDF', () => {
  test.each(specs.map((spec) => [spec.title, spec] as const))(
    '%s',
    async (_, spec) => {
      const read = await buildAndRead(spec);
      checkBooklet(read, spec);
    },
    60_000,
  );

  test.each(Array.from({ length: 16 }, (_, k) => 100 + k))(
    'a booklet drawn at random (seed %i)',
    async (seed) => {
      const spec = randomSpec(seed);
      const read = await buildAndRead(spec);
      checkBooklet(read, spec);
    },
    60_000,
  );

  test('photos are embedded at their own pixels: a JPEG as its very bytes, a PNG at its width and height', async () => {
    const spec: BookletSpec = {
      title: '原寸',
      seed: 6,
      contents: false,
      sections: [
        {
          kind: 'photos',
          title: '写真',
          photos: [
            { width: 1300, height: 860, format: 'jpg' },
            { width: 700, height: 900, format: 'png' },
          ],
        },
      ],
    };
    const { dir, content } = writeBooklet(spec);
    const result = await buildDocument(content, { workingDirectory: dir, root: dir });
    const { doc } = await openPdf(result.pdf);
    const images: { width: number; height: number; filter: string; raw: Buffer }[] = [];
    for (let i = 0; i < doc.countPages(); i++) {
      doc
        .loadPage(i)
        .getObject()
        .get('Resources')
        .get('XObject')
        .forEach((x) => {
          const o = x.resolve();
          if (o.get('Subtype').asName() === 'Image')
            images.push({
              width: o.get('Width').asNumber(),
              height: o.get('Height').asNumber(),
              filter: o.get('Filter').asName(),
              raw: Buffer.from(x.readRawStream().asUint8Array()),
            });
        });
    }
    doc.destroy();
    expect(images.map((i) => [i.width, i.height, i.filter]).sort()).toEqual([
      [1300, 860, 'DCTDecode'],
      [700, 900, 'FlateDecode'],
    ]);
    const jpeg = images.find((i) => i.filter === 'DCTDecode')!;
    expect(jpeg.raw.equals(fs.readFileSync(path.join(dir, 'content/assets/photo-1.jpg')))).toBe(true);
  }, 60_000);

  test('a photo below 300 dpi on the page is named in a warning; one above is not', async () => {
    const spec: BookletSpec = {
      title: '解像度',
      seed: 5,
      contents: false,
      sections: [
        {
          kind: 'photos',
          title: '写真',
          photos: [
            { width: 600, height: 400, format: 'jpg' },
            { width: 2000, height: 1300, format: 'png' },
          ],
        },
      ],
    };
    const read = await buildAndRead(spec);
    expect(read.result.warnings.filter((w) => /dpi/.test(w))).toEqual([expect.stringMatching(/photo-1\.jpg: \d+ dpi/)]);
  }, 60_000);
});

describe('titles written on several lines', () => {
  test('break where written on the cover and in the heading; one line in running heads, contents and bookmarks', async () => {
    const spec: BookletSpec = {
      title: '日本・カザフスタン\n外交関係樹立記念誌',
      seed: 5,
      sections: [{ kind: 'text', title: '草原の国で\n日本語を教えた日々', paragraphs: 14 }],
    };
    const read = await buildAndRead(spec);
    const coverLines = furnitureOf(read, 0).body.map((l) => compact(l.text));
    expect(coverLines.slice(0, 2)).toEqual(['日本・カザフスタン', '外交関係樹立記念誌']);
    const start = read.outline.find((o) => o.title !== '目次')!;
    expect(start.title).toBe('草原の国で日本語を教えた日々');
    const body = furnitureOf(read, start.page).body.map((l) => compact(l.text));
    expect(body.slice(0, 2)).toEqual(['草原の国で', '日本語を教えた日々']);
    const contents = furnitureOf(read, 2).body.map((l) => compact(l.text));
    expect(contents.some((l) => l.startsWith('草原の国で日本語を教えた日々'))).toBe(true);
    // A left-hand page of the section carries the booklet title, joined.
    const left = read.pages.findIndex((_, k) => k > start.page && k % 2 === 1 && furnitureOf(read, k).body.length > 0);
    expect(left).toBeGreaterThan(0);
    expect(furnitureOf(read, left).heads.map((l) => compact(l.text))).toEqual(['日本・カザフスタン外交関係樹立記念誌']);
  });
});

describe('inline markup in the booklet’s own fields', () => {
  test('ruby and emphasis in titles print as marked; running heads and bookmarks take the base text', async () => {
    const spec: BookletSpec = {
      title: '記念｜冊子《さっし》',
      seed: 9,
      sections: [{ kind: 'text', title: '《《強調》》の見出し', paragraphs: 14 }],
    };
    const read = await buildAndRead(spec);
    const cover = furnitureOf(read, 0).body.map((l) => compact(l.text));
    expect(cover).toContain('記念冊子');
    expect(cover.join()).not.toMatch(/[｜《》]/);
    // The ruby is drawn (kept out of the text layer): above the title, at half its size.
    const drawn = (await readDrawnGlyphs(read.result.pdf))[0]!;
    const ruby = drawn.filter((g) => 'さっし'.includes(g.c));
    const base = drawn.filter((g) => '冊子'.includes(g.c));
    expect(ruby.map((g) => g.c).join('')).toBe('さっし');
    for (const g of ruby) {
      expect(g.size).toBeCloseTo(base[0]!.size / 2, 1);
      expect(g.y).toBeLessThan(base[0]!.y - base[0]!.size * 0.8);
    }
    const start = read.outline.find((o) => o.title !== '目次')!;
    expect(start.title).toBe('強調の見出し');
    const left = read.pages.findIndex((_, k) => k > start.page && k % 2 === 1 && furnitureOf(read, k).body.length > 0);
    expect(furnitureOf(read, left).heads.map((l) => compact(l.text))).toEqual(['記念冊子']);
  });

  test('malformed markup in a chronology row is an error at its field', async () => {
    const { dir, content } = writeBooklet({ title: '冊子', seed: 1, sections: [{ kind: 'chronology', title: '年表', rows: 2 }] });
    const file = path.join(dir, content);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('第2項', '第2項《閉じない'));
    await expect(buildDocument(content, { workingDirectory: dir, root: dir })).rejects.toThrow(/chronology.*1.*text|《/);
  });
});

describe('headings, captions and running heads too long for their place', () => {
  test('a heading of several lines sets them at its own line gap (1.5 × its size), not a 行取り each', async () => {
    const spec: BookletSpec = {
      title: '見出し',
      seed: 11,
      contents: false,
      sections: [{ kind: 'text', title: '第一部\n草原の国で日本語を教えて', paragraphs: 16 }],
    };
    const read = await buildAndRead(spec);
    const layout = read.result.layout;
    const template = read.result.document.template;
    const size = template.booklet!.heading.size;
    const page = layout.pages.findIndex((p) => p.items.some((i) => i.kind === 'text' && i.text === '第一部'));
    const lines = layout.pages[page]!.items.filter(
      (i): i is TextLineItem => i.kind === 'text' && i.role !== 'runningHead' && i.role !== 'footer',
    );
    const first = lines.findIndex((l) => l.text === '第一部');
    expect(lines[first + 1]!.text).toBe('草原の国で日本語を教えて');
    expect(lines[first + 1]!.baseline - lines[first]!.baseline).toBeCloseTo(size * 1.5, 6);
    // The body after the heading stays on the grid: a whole number of line pitches from the first line of
    // the next page (which starts at the head of the text block).
    const body = lines.find((l) => l.role === 'body')!;
    const next = layout.pages[page + 1]!.items.find((i): i is TextLineItem => i.kind === 'text' && i.role === 'body')!;
    const steps = (body.baseline - next.baseline) / layout.block.pitch;
    expect(steps).toBeGreaterThan(2);
    expect(Math.abs(steps - Math.round(steps))).toBeLessThan(1e-6);
  });

  test('a caption too long for any page with its photo is an error at the caption', async () => {
    const { dir, content } = writeBooklet({
      title: '写真',
      seed: 3,
      contents: false,
      sections: [{ kind: 'photos', title: '写真', photos: [{ width: 800, height: 600, format: 'jpg' }] }],
    });
    const file = path.join(dir, content);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('写真1の説明', '長い説明がずっと続きます。'.repeat(150)));
    const error = await buildDocument(content, { workingDirectory: dir, root: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KumihanError);
    const { message, location } = error as KumihanError;
    expect(message).toMatch(/caption takes \d+ lines .* under its photo: shorten it/); // a horizontal section: under, not beside
    expect(location.path).toBe('sections[0].photos[0].caption');
    expect(location.line).toBeGreaterThan(0);
  });

  test('a running head longer than its line ends in an ellipsis, with a warning; runningHead gives a shorter one', async () => {
    const long = `第一章　${'とても長い表題'.repeat(12)}`;
    const spec: BookletSpec = { title: '柱', seed: 4, contents: false, sections: [{ kind: 'text', title: long, paragraphs: 16 }] };
    const read = await buildAndRead(spec);
    const heads = read.pages
      .flatMap((_, k) => furnitureOf(read, k).heads.map((l) => compact(l.text)))
      .filter((t) => t.startsWith('第一章'));
    expect(heads.length).toBeGreaterThan(0);
    for (const head of heads) {
      expect(head.endsWith('…')).toBe(true);
      expect(compact(long).startsWith(head.slice(0, -1))).toBe(true);
    }
    const block = read.result.layout.block;
    for (const page of read.result.layout.pages)
      for (const item of page.items)
        if (item.kind === 'text' && item.role === 'runningHead')
          expect(item.x + item.width * item.size).toBeLessThanOrEqual(block.x + block.width + 1e-6);
    expect(read.result.warnings.filter((w) => w.includes('running head'))).toEqual([expect.stringContaining('runningHead')]);

    const { dir, content } = writeBooklet(spec);
    const file = path.join(dir, content);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(`title: ${long}`, `title: ${long}\n    runningHead: 第一章　表題`));
    const short = await buildDocument(content, { workingDirectory: dir, root: dir });
    expect(short.warnings.filter((w) => w.includes('running head'))).toEqual([]);
    const texts = short.layout.pages.flatMap((p) =>
      p.items.flatMap((i) => (i.kind === 'text' && i.role === 'runningHead' ? [i.text] : [])),
    );
    expect(texts).toContain('第一章　表題');
  });

  test('a booklet title too long for the running head asks for a shorter title, not a section runningHead', async () => {
    const title = `創立記念誌　${'とても長い書名'.repeat(12)}`;
    const spec: BookletSpec = { title, seed: 4, contents: false, sections: [{ kind: 'text', title: '第一章', paragraphs: 16 }] };
    const read = await buildAndRead(spec);
    const warnings = read.result.warnings.filter((w) => w.includes('running head'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('the booklet title is too long for it; give the booklet a shorter runningHead');
    expect(warnings[0]).not.toContain('section');

    // The booklet's runningHead: a shorter title for the running heads; the cover keeps the whole title.
    const { dir, content } = writeBooklet(spec);
    const file = path.join(dir, content);
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, (line) => `${line}\nrunningHead: 創立記念誌`),
    );
    const short = await buildDocument(content, { workingDirectory: dir, root: dir });
    expect(short.warnings.filter((w) => w.includes('running head'))).toEqual([]);
    const heads = short.layout.pages.flatMap((p) =>
      p.items.flatMap((i) => (i.kind === 'text' && i.role === 'runningHead' ? [i.text] : [])),
    );
    expect(heads).toContain('創立記念誌');
  });
});

describe('what a booklet author is told', () => {
  const problems = async (edit: (yaml: string) => string) => {
    const { dir, content } = writeBooklet({
      title: '冊子',
      seed: 2,
      contents: false,
      sections: [{ kind: 'chronology', title: '年表', rows: 2 }],
    });
    const file = path.join(dir, content);
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    return buildDocument(content, { workingDirectory: dir, root: dir }).then(
      (r) => ({ warnings: r.warnings, errors: [] as string[] }),
      (e: KumihanError) => ({ warnings: [] as string[], errors: [e, ...e.others].map((x) => `${x.location.path}: ${x.message}`) }),
    );
  };

  test('a list too short says how long it is; a missing field of a row is missing, not of the wrong type', async () => {
    const empty = await problems((y) => y.replace(/sections:\n[\s\S]*$/, 'sections: []\n'));
    expect(empty.errors).toEqual(['sections: expected a list of at least 1 item, got an empty list']);
    const rows = await problems((y) => y.replace(/- date: [^\n]+\n(\s+)text:/, '- text:') + 'colophon:\n  - [書名]\n');
    expect(rows.errors).toEqual([
      'sections[0].chronology[0].date: missing required field "date" (expected a string or a number)',
      'colophon[0]: expected a list of at least 2 items, got a list of 1 item',
    ]);
  });

  test('a chronology row longer than a page is said to continue overleaf', async () => {
    const { warnings } = await problems((y) => y.replace(/text: 第2項[^\n]*/, `text: 第2項${'とても長い年表の説明です。'.repeat(120)}`));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^a block kept on one page \(sections\[0\]\.chronology\[1\]\.text\) takes \d+ lines, more than a page holds \(\d+\)/,
      ),
    ]);
  });

  test('a title too long for the cover is an error at the title, not a second page of cover', async () => {
    const { dir, content } = writeBooklet({
      title: Array.from({ length: 14 }, (_, k) => `長い題名の${k + 1}行目`).join('\n'),
      seed: 4,
      contents: false,
      sections: [{ kind: 'text', title: '一', paragraphs: 1 }],
    });
    const error = await buildDocument(content, { workingDirectory: dir, root: dir }).then(
      () => undefined,
      (e: unknown) => e as KumihanError,
    );
    expect(error?.message).toMatch(/do not fit on the cover: shorten the title/);
    expect(error?.location).toMatchObject({ path: 'title', line: expect.any(Number) });
  });

  test('a cover picture below the template’s minimum resolution is named in a warning', async () => {
    const low = await buildAndRead({
      title: '表紙',
      seed: 3,
      contents: false,
      cover: { width: 500, height: 700 },
      sections: [{ kind: 'text', title: '一', paragraphs: 1 }],
    });
    expect(low.result.warnings).toContainEqual(
      expect.stringMatching(
        /^cover image content\/assets\/cover\.jpg: \d+ dpi filling the page and its bleed \(500×700 pixels\); print needs 300 dpi$/,
      ),
    );
    const high = await buildAndRead({
      title: '表紙',
      seed: 3,
      contents: false,
      cover: { width: 1900, height: 2700 },
      sections: [{ kind: 'text', title: '一', paragraphs: 1 }],
    });
    expect(high.result.warnings.filter((w) => w.startsWith('cover image'))).toEqual([]);
  });
});

describe('saddle stitching (the booklet template: print.saddleStitch)', () => {
  const onPage = (r: BuildResult, k: number) =>
    r.layout.pages[k]!.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role !== 'runningHead' && i.role !== 'footer');

  test.each([1, 2, 3, 4, 5, 6])(
    'a booklet of %i text sections: a multiple of 4 pages, blank ones before the colophon on the last',
    async (n) => {
      const spec: BookletSpec = {
        title: '中綴じ',
        seed: 20 + n,
        contents: false,
        sections: Array.from({ length: n }, (_, i) => ({
          kind: 'text' as const,
          title: `第${i + 1}章`,
          paragraphs: 2 + ((i * 5) % 9),
          startOn: 'any' as const,
        })),
        colophon: [['書名', '中綴じ']],
      };
      const { dir, content } = writeBooklet(spec);
      const screen = await buildDocument(content, { workingDirectory: dir, root: dir });
      const press = await buildDocument(content, { workingDirectory: dir, root: dir, variant: 'press' });
      const count = screen.layout.pages.length;
      expect(count % 4).toBe(0);
      expect(press.layout.pages.length).toBe(count);
      // The colophon is on the last page; every page it moved past is blank (no text, no furniture).
      const last = onPage(screen, count - 1);
      expect(last.map((l) => l.text)).toContain('書名中綴じ');
      let lastText = count - 2;
      while (lastText >= 0 && screen.layout.pages[lastText]!.items.length === 0) lastText--;
      for (let k = lastText + 1; k < count - 1; k++) expect(screen.layout.pages[k]!.items, `page ${k + 1}`).toEqual([]);
      // 奥付 alone on its page: no running head, no folio (as in a book); sharing the last page, they stay.
      const furniture = screen.layout.pages[count - 1]!.items.filter(
        (i) => i.kind === 'text' && (i.role === 'runningHead' || i.role === 'footer'),
      );
      if (last.every((l) => l.text === '書名中綴じ')) expect(furniture, 'the colophon’s own page').toEqual([]);
      else expect(furniture.length, 'the last page, shared').toBeGreaterThan(0);
      const told = screen.warnings.filter((w) => w.startsWith('saddle stitch'));
      if (count - 1 > lastText + 1 || told.length > 0) {
        expect(told).toEqual([expect.stringMatching(/before the colophon|a page of its own/)]);
        // What it says it added is what it added: the blank pages, and the colophon's own page if it moved.
        const [, before, after] = /\((\d+) → (\d+) pages/.exec(told[0]!)!.map(Number);
        const blanks = Number(/(\d+) blank page/.exec(told[0]!)?.[1] ?? 0);
        const moved = told[0]!.includes('a page of its own') ? 1 : 0;
        expect(blanks + moved, told[0]).toBe(after! - before!);
      }
    },
  );

  test.each([1, 2, 3, 4])(
    'a colophon moved to a page of its own after a vertical section (%i) is set in the booklet’s writing mode',
    async (n) => {
      const spec: BookletSpec = {
        title: '中綴じ',
        seed: 40 + n,
        contents: false,
        sections: [
          { kind: 'text', title: '横組の章', paragraphs: 3, startOn: 'any' },
          { kind: 'text', title: '縦組の章', paragraphs: 2 + 3 * n, startOn: 'any', writingMode: 'vertical-rl' },
        ],
        colophon: [['書名', '中綴じ']],
      };
      const { dir, content } = writeBooklet(spec);
      const screen = await buildDocument(content, { workingDirectory: dir, root: dir });
      const count = screen.layout.pages.length;
      expect(count % 4).toBe(0);
      const colophon = onPage(screen, count - 1).find((l) => l.text.includes('中綴じ'))!;
      expect(colophon).toBeDefined();
      const sharesPage = onPage(screen, count - 1).some((l) => l !== colophon && l.role === 'body');
      // On a page of its own it is the booklet's (horizontal); on the vertical section's last page, vertical.
      if (sharesPage) expect(colophon.writingMode).toBe('vertical-rl');
      else {
        expect(colophon.writingMode, `${count} pages`).toBeUndefined();
        // At the foot of the page, on the horizontal grid (not where the vertical section's grid would end).
        const { block } = screen.layout;
        const lastRow = onPage(screen, count - 1).at(-1)!;
        expect(lastRow.baseline).toBeGreaterThan(block.y + block.height - 2 * block.pitch);
      }
    },
  );
});

/** Content files (name → YAML) written in content/ of a new project; content/b.yaml built. */
async function buildFiles(files: Record<string, string>): Promise<BuildResult> {
  const dir = tempDir('kumihan-booklet-files-');
  fs.mkdirSync(path.join(dir, 'content'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, 'content', name), text);
  return buildDocument('content/b.yaml', { workingDirectory: dir, root: dir });
}

test('a contents entry that turns over is set in lines of about equal length, no word left alone before the leaders', async () => {
  const title = '創業者が語った言葉と社員たちの証言でたどる株式会社組版工房の歩み';
  const r = await buildFiles({
    'b.yaml': `template: booklet\ntitle: 記念誌\nsections:\n  - title: ${title}\n    body: 本文です。\n`,
  });
  const page = r.layout.pages.find((p) => p.items.some((i) => i.kind === 'text' && i.text === '目次'))!;
  const entry = page.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'body');
  const texts = entry.map((l) => l.text.replace(/[…‥.・\s0-9]+$/u, ''));
  expect(texts.join('')).toBe(title);
  expect(texts.length).toBeGreaterThan(1);
  const lengths = texts.map((t) => [...t].length);
  expect(Math.max(...lengths) - Math.min(...lengths), texts.join('／')).toBeLessThanOrEqual(4);
});

describe('titles too long for one line', () => {
  const LONG = '日本とカザフスタンの外交関係樹立二十五周年を記念して両国の歩みと未来を語り合う座談会の記録';
  const LATIN = 'International Cooperation Between Japan and Kazakhstan in Science and Technology';
  const build = () =>
    buildFiles({
      'b.yaml': `title: 記念誌\nsections:\n  - title: ${LONG}\n    body: 本文です。\n  - title: 短い題\n    body: 本文です。\n  - title: ${LATIN}\n    body: 本文です。\n`,
    });
  const words = (text: string) => new Set([...new Intl.Segmenter('ja', { granularity: 'word' }).segment(text)].map((w) => w.index));

  test('a heading breaks between words (ICU’s Japanese word segmentation), not inside one', async () => {
    const r = await build();
    const lines = r.layout.pages
      .flatMap((p) => p.items)
      .filter((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'H1' && i.text.length > 3 && LONG.includes(i.text));
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.map((l) => l.text).join('')).toBe(LONG);
    const boundaries = words(LONG);
    let at = 0;
    for (const l of lines.slice(0, -1)) {
      at += l.text.length;
      expect(boundaries.has(at), `${l.text}／`).toBe(true);
    }
  });

  test('a heading’s lines keep their spacing (和欧間, the aki before a bracket) and none starts with a particle', async () => {
    const title = '第1節　見出しの位置の検査（とても長い見出しが二行に折り返される場合の処理を確かめる）';
    const r = await buildFiles({ 'b.yaml': `title: 記念誌\ncontents: false\nsections:\n  - title: ${title}\n    body: 本文です。\n` });
    const lines = r.layout.pages
      .flatMap((p) => p.items)
      .filter((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'H1' && i.text.length > 3);
    expect(lines.map((l) => l.text).join('')).toBe(title);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines.slice(1)) expect(l.text, 'a line starting with hiragana').toMatch(/^[^\u3041-\u309f]/u);
    const first = lines[0]!;
    const x = (ch: string) => first.glyphs.find((g) => g.text === ch)!.x;
    // 1 between 第 and 節 with a quarter em each side (the digit is the Latin font's, as wide as it says);
    // （ after 査, not squeezed.
    const one = first.glyphs.find((g) => g.text === '1')!;
    expect(one.font).toBe('latin');
    const latin = loadFont(r.document.template.fonts.gothicBold!.latin!);
    const oneWidth = advanceWidthOf(latin, one.id) / latin.unitsPerEm;
    expect(x('1') - x('第')).toBeCloseTo(1 + 0.25, 2);
    expect(x('節') - x('1')).toBeCloseTo(oneWidth + 0.25, 2);
    expect(x('（') - x('査')).toBeCloseTo(1, 2); // the full-width bracket, its aki in its own first half
  });

  test('a contents entry turns over an em further in, its lines ragged: Western words keep their spaces', async () => {
    const r = await build();
    const page = r.layout.pages.find((p) => p.items.some((i) => i.kind === 'text' && i.text === '目次'))!;
    const entries = page.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'body');
    const japanese = entries.filter((l) => LONG.includes(l.text.replace(/[…‥.・\s0-9]+$/u, '').trim()) && l.text.length > 2);
    expect(japanese.length).toBe(2);
    const size = japanese[0]!.size;
    expect(japanese[1]!.x - japanese[0]!.x).toBeCloseTo(size, 3);
    // Its two lines (balanced: …Japan／and Kazakhstan…): the first and the one that ends the title.
    const latin = entries.filter((l) => l.text.startsWith('International') || l.text.includes('Technology'));
    expect(latin.length).toBe(2);
    expect(latin[1]!.x - latin[0]!.x).toBeCloseTo(size, 3);
    // The first line of the Western title is not stretched: its spaces are word spaces (under ½ em), and
    // it ends short of the measure.
    const first = latin[0]!;
    const spaces = first.glyphs.filter((g, k) => g.text === ' ' && k + 1 < first.glyphs.length);
    expect(spaces.length).toBeGreaterThan(2);
    for (const [k, g] of first.glyphs.entries()) {
      if (g.text !== ' ' || k + 1 >= first.glyphs.length) continue;
      expect(first.glyphs[k + 1]!.x - g.x, 'a word space').toBeLessThan(0.5);
    }
  });
});

describe('a chronology whose first row is nearly a page long', () => {
  test('starts under its section’s heading (never alone on the section’s first page), the heads repeated where it continues', async () => {
    for (const repeat of [10, 14, 18]) {
      const long = '草原の国との交流の歩みを記した長い出来事の説明がここに入ります。'.repeat(repeat);
      const r = await buildFiles({
        'b.yaml': `title: 記念誌\ncontents: false\nsections:\n  - title: 年表\n    chronology:\n      - { date: 1992-01-26, text: ${long} }\n      - { date: 1993-01, text: 短い項目 }\n`,
      });
      const page = r.layout.pages.find((p) => p.items.some((i) => i.kind === 'text' && i.text === '年表' && i.structure?.role === 'H1'))!;
      const body = page.items.filter((i) => i.kind === 'text' && i.role === 'body');
      expect(body.length, `${repeat} × the sentence`).toBeGreaterThan(0);
      // A page the row continues on starts with the column heads, as every page of the table does.
      const next = r.layout.pages[r.layout.pages.indexOf(page) + 1];
      const texts =
        next?.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role !== 'runningHead' && i.role !== 'footer') ?? [];
      if (texts.some((t) => t.role === 'body')) expect(texts[0]!.text, `${repeat} × the sentence`).toBe('年月日事項');
    }
  });
});

test('a colophon longer than a page: a warning, and no running head or folio on any of its pages', async () => {
  const rows = Array.from({ length: 40 }, (_, k) => `  - [項目${k + 1}, 奥付の値${k + 1}]`).join('\n');
  const r = await buildFiles({
    'b.yaml': `title: 記念誌\ncontents: false\nsections:\n  - title: 本文\n    body: 本文です。\ncolophon:\n${rows}\n`,
  });
  expect(r.warnings.some((w) => /^the colophon \(奥付\) takes \d+ pages/.test(w))).toBe(true);
  const pages = r.layout.pages.filter((p) => p.items.some((i) => i.kind === 'text' && /^項目\d+/.test(i.text)));
  expect(pages.length).toBeGreaterThan(1);
  for (const page of pages)
    expect(page.items.filter((i) => i.kind === 'text' && (i.role === 'runningHead' || i.role === 'footer'))).toEqual([]);
});

describe('the rule under a chronology’s column heads', () => {
  test.each(['horizontal-tb', 'vertical-rl'])('%s: stands clear of the ruby of the row under it', async (mode) => {
    const r = await buildFiles({
      'b.yaml': `title: 記念誌\ncontents: false\nsections:\n  - title: 年表\n    writingMode: ${mode}\n    chronology:\n      - { date: 1991-08-29, text: 核実験場《かくじっけんじょう》を閉鎖 }\n      - { date: 1991-12-16, text: 独立を宣言 }\n`,
    });
    const page = r.layout.pages.find((p) => p.items.some((i) => i.kind === 'rule'))!;
    const rule = page.items.find((i) => i.kind === 'rule')!;
    const texts = page.items.filter((i): i is TextLineItem => i.kind === 'text');
    const ruby = texts.find((t) => t.role === 'annotation')!;
    const head = texts.find((t) => t.text.endsWith('事項'))!; // the column heads: 年月日 and 事項 on one line
    if (rule.kind !== 'rule') throw new Error('no rule');
    const gap = 0.5;
    if (mode === 'horizontal-tb') {
      // The ruby's em box (ascent 0.88) starts below the rule; the head's em box ends above it.
      expect(ruby.baseline - ruby.size * 0.88, 'ruby top').toBeGreaterThan(rule.y1 + gap);
      expect(head.baseline + head.size * 0.12, 'head foot').toBeLessThan(rule.y1 - gap);
    } else {
      // Columns: the ruby right of its column, left of the rule; the head column right of it.
      expect(ruby.x + ruby.size / 2, 'ruby right edge').toBeLessThan(rule.x1 - gap);
      expect(head.x - head.size / 2, 'head left edge').toBeGreaterThan(rule.x1 + gap);
    }
  });
});

test('a warning names the section it comes from (every section has a body paragraph 1)', async () => {
  const word = 'abcdefghij'.repeat(16);
  const r = await buildFiles({
    'b.yaml': `title: 記念誌\ncontents: false\nsections:\n  - title: はじめに\n    body: 本文です。\n  - title: 第二章\n    body: 長い語${word}です。\n`,
  });
  expect(r.warnings.find((w) => w.includes('a word longer than the line'))).toMatch(/^section 「第二章」: body paragraph 1: a word longer/);
});

describe('the rule over a colophon', () => {
  test.each(['booklet', 'booklet-vertical'])('%s: stands clear of the ruby of its first row', async (template) => {
    const r = await buildFiles({
      'b.yaml': `template: ${template}\ntitle: 記念誌\ncontents: false\nsections:\n  - title: 本文\n    body: 本文です。\ncolophon:\n  - [書名, ｜衝突試験《しょうとつしけん》の本]\n  - [発行, 組版出版]\n`,
    });
    const page = r.layout.pages.at(-1)!;
    const rule = page.items.find((i) => i.kind === 'rule')!;
    const ruby = page.items.find((i): i is TextLineItem => i.kind === 'text' && i.role === 'annotation')!;
    if (rule.kind !== 'rule') throw new Error('no rule');
    const gap = 0.5;
    if (template === 'booklet') expect(ruby.baseline - ruby.size * 0.88, 'ruby top').toBeGreaterThan(rule.y1 + gap);
    else expect(ruby.x + ruby.size / 2, 'ruby right edge').toBeLessThan(rule.x1 - gap);
  });
});

describe('a letter as an article', () => {
  test('keeps every part of the letter in the letter’s order: 宛名, body, 結語 before 以上, signature, 追伸', async () => {
    const r = await buildFiles({
      'l.yaml':
        'title: 以上のある手紙\nrecipient: [株式会社見本商事, 代表取締役　見本太郎様]\nopening: 拝啓\nclosing: 敬具\nbody: |\n  本文です。よろしくお願いします。\n\n  以上\nsignature: [組版工房]\npostscript: 追伸　大事なことを書きました。\n',
      'b.yaml': 'title: 記念誌\ncontents: false\nsections:\n  - file: l.yaml\n',
    });
    const texts = r.layout.pages.flatMap((p) =>
      p.items.flatMap((i) => (i.kind === 'text' && i.role !== 'runningHead' && i.role !== 'footer' ? [i.text] : [])),
    );
    const at = (t: string) => {
      const k = texts.indexOf(t);
      expect(k, `${t} in ${texts.join(' / ')}`).toBeGreaterThanOrEqual(0);
      return k;
    };
    const order = [
      '株式会社見本商事',
      '代表取締役　見本太郎様',
      '拝啓　本文です。よろしくお願いします。',
      '敬具',
      '以上',
      '組版工房',
      '追伸　大事なことを書きました。',
    ];
    const places = order.map(at);
    expect(places).toEqual([...places].sort((a, b) => a - b));
  });
});

describe('contents lines', () => {
  test('every entry leads to its page number with two leader dots at least, however long its title', async () => {
    const sections: SectionSpec[] = Array.from({ length: 12 }, (_, i) => ({
      kind: 'text',
      title: 'あ'.repeat(22 + i),
      paragraphs: 1,
      startOn: 'any',
    }));
    const r = await buildAndRead({ title: '目次の試験', seed: 9, sections });
    const entries = r.result.layout.pages[2]!.items.filter(
      (i): i is TextLineItem => i.kind === 'text' && i.role !== 'runningHead' && i.role !== 'footer' && /\d$/.test(i.text),
    );
    expect(entries).toHaveLength(12);
    for (const entry of entries) expect(entry.text, entry.text).toMatch(/…{2,}\d+$/);
  });
});

describe('a section title written on several lines with ruby', () => {
  test('reads each line’s markup on its own: the contents, the running head and the heading all build', async () => {
    const r = await buildFiles({
      // Long enough to reach a right-hand page after the one it opens on (which has no running head).
      'b.yaml': `title: 記念誌\nsections:\n  - title: |-\n      第一章\n      東京都《とう｜きょう｜と》の歩み\n    body: ${'本文です。'.repeat(700)}\n`,
    });
    const texts = r.layout.pages.flatMap((p) => p.items.flatMap((i) => (i.kind === 'text' ? [{ text: i.text, role: i.role }] : [])));
    // Joined with a full-width space after the chapter label (titleLineJoint).
    expect(texts.some((t) => t.role === 'runningHead' && t.text === '第一章　東京都の歩み')).toBe(true);
    expect(texts.some((t) => /^第一章　東京都の歩み…+\d+$/.test(t.text))).toBe(true);
    // The readings, one a character, over 東京都 in the heading and in the contents.
    expect(texts.filter((t) => t.role === 'annotation' && t.text.replace(/\s/g, '') === 'とうきょうと')).toHaveLength(2);
  });
});

describe('a caption is set to the extent of its photo, not the column’s', () => {
  const CAPTION =
    '開校当時の校舎と校庭。木造二階建ての校舎は地域の大工さんたちの手で建てられ、新校舎に建て替えられるまでの二十年間、子どもたちを見守り続けました。';
  const SHORT = '開校当時の木造二階建ての校舎と校庭。地域の大工さんたちの手で建てられました。';
  test.each([
    ['booklet', 600, 1400, 'a portrait photo scaled to the page height: the caption no wider than it', CAPTION],
    ['booklet-vertical', 1400, 800, 'a landscape photo in columns: the caption columns no longer than it', SHORT],
    ['booklet-vertical', 1200, 800, 'the same, a photo of another shape', SHORT],
  ])('%s: %i×%i — %s', async (template, width, height, _, caption) => {
    const dir = tempDir('kumihan-caption-');
    writePhoto(path.join(dir, 'content/assets/p.jpg'), width, height);
    const photos = [{ file: 'assets/p.jpg', caption, width: 'full' }];
    fs.writeFileSync(
      path.join(dir, 'content/b.yaml'),
      `template: ${template}\ntitle: 記念誌\ncontents: false\nsections:\n  - title: 写真\n    photos: ${JSON.stringify(photos)}\n`,
    );
    const read = await readBack(await buildDocument('content/b.yaml', { workingDirectory: dir, root: dir }));
    const k = read.images.findIndex((list) => list.length > 0);
    // The photo's box as the layout placed it (mupdf's image boxes are rounded outwards by several points).
    const placed = read.result.layout.pages[k]!.items.find((i) => i.kind === 'image')!;
    const image = {
      x: placed.x,
      y: placed.y,
      w: placed.kind === 'image' ? placed.width : 0,
      h: placed.kind === 'image' ? placed.height : 0,
    };
    expect(image.w * image.h).toBeGreaterThan(0);
    if (template === 'booklet') {
      const lines = read.pages[k]!.lines.filter((l) => compact(l.text).length > 1 && caption.includes(compact(l.text)));
      expect(lines.map((l) => compact(l.text)).join('')).toBe(caption);
      expect(lines.length).toBeGreaterThan(1);
      for (const l of lines) {
        expect(l.bbox.x, l.text).toBeGreaterThanOrEqual(image.x - 1);
        expect(l.bbox.x + l.bbox.w, l.text).toBeLessThanOrEqual(image.x + image.w + 1);
      }
    } else {
      // The glyphs as drawn (their origins: the top of each em box along the column); the caption's are
      // the vertical ones at the caption's size.
      const size = read.result.document.template.booklet?.captionSize ?? 0;
      const glyphs = (await readDrawnGlyphs(read.result.pdf))[k]!.filter((g) => g.wmode === 1 && Math.abs(g.size - size) < 0.01);
      glyphs.sort((p, q) => q.x - p.x || p.y - q.y);
      expect(glyphs.map((g) => g.c).join('')).toBe(caption);
      expect(new Set(glyphs.map((g) => Math.round(g.x))).size).toBeGreaterThan(1);
      // mupdf gives a vertical glyph's origin an ascent below the top of its em box: the caption's first
      // glyph is less than an em below the photo's top, and no column spans more than the photo's height.
      const top = Math.min(...glyphs.map((g) => g.y));
      expect(top - image.y).toBeGreaterThanOrEqual(0);
      expect(top - image.y).toBeLessThan(size);
      for (const g of glyphs) {
        // 、。 at the column's end are set in half an em.
        const extent = /[、。]/.test(g.c) ? size / 2 : size;
        expect(g.y - top + extent, g.c).toBeLessThanOrEqual(image.h + 0.01);
      }
    }
  });
});

/** A one-section booklet of `photos` (files of the given pixel sizes under content/assets), built. */
async function buildPhotos(template: string, photos: object[], files: Record<string, [number, number]>): Promise<BuildResult> {
  const dir = tempDir('kumihan-photos-');
  for (const [name, [width, height]] of Object.entries(files)) writePhoto(path.join(dir, 'content/assets', name), width, height);
  fs.writeFileSync(
    path.join(dir, 'content/b.yaml'),
    `template: ${template}\ntitle: 記念誌\ncontents: false\nsections:\n  - title: 写真\n    photos: ${JSON.stringify(photos)}\n`,
  );
  return buildDocument('content/b.yaml', { workingDirectory: dir, root: dir });
}

test('a caption too long to stand beside its photo within the photo’s extent takes whole columns (vertical)', async () => {
  const caption =
    '開校当時の校舎と校庭。木造二階建ての校舎は地域の大工さんたちの手で建てられ、新校舎に建て替えられるまでの二十年間、子どもたちを見守り続けました。';
  const result = await buildPhotos('booklet-vertical', [{ file: 'assets/p.jpg', caption, width: 'full' }], { 'p.jpg': [1400, 800] });
  const items = result.layout.pages.flatMap((p) => p.items);
  const image = items.find((i) => i.kind === 'image')!;
  const columns = items.filter((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'Caption');
  // Set in columns of 12 em or more it would take so many that the photo beside them shrank below that:
  // the columns run the text block's length, and the photo keeps the room they leave.
  expect(columns.length).toBe(Math.ceil([...caption].length / Math.floor(columns[0]!.measure)));
  expect(columns[0]!.measure * columns[0]!.size).toBeCloseTo(result.layout.block.height, 0);
  expect(image.kind === 'image' && image.width).toBeGreaterThan(result.layout.block.width / 2);
});

test('photos of any depth: the caption a fixed distance under its photo, a photo at a page’s head at the top of the text block', async () => {
  const sizes: [number, number][] = [
    [1600, 1000],
    [1600, 700],
    [1300, 1000],
    [1600, 1150],
    [1600, 900],
  ];
  const files = Object.fromEntries(sizes.map((s, k) => [`p${k}.jpg`, s])) as Record<string, [number, number]>;
  const photos = sizes.map((_, k) => ({ file: `assets/p${k}.jpg`, caption: `写真${k}の説明`, width: 'full' }));
  const result = await buildPhotos('booklet', photos, files);
  const gaps: number[] = [];
  let headed = 0;
  for (const page of result.layout.pages) {
    const images = page.items.filter((i) => i.kind === 'image');
    const captions = page.items.filter((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'Caption');
    for (const [k, image] of images.entries()) {
      if (image.kind !== 'image') continue;
      gaps.push(captions[k]!.baseline - (image.y + image.height));
    }
    const first = images[0];
    const heading = page.items.some((i) => i.kind === 'text' && i.structure?.role === 'H1');
    if (first?.kind === 'image' && !heading) {
      expect(first.y).toBeCloseTo(result.layout.block.y, 3);
      headed++;
    }
  }
  expect(gaps).toHaveLength(sizes.length);
  for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0]!, 3);
  expect(headed).toBeGreaterThan(0);
});

test('a photo set smaller to stay on the page after the text before it: its resolution warning gives the size it is placed at', async () => {
  const dir = tempDir('kumihan-photos-');
  writePhoto(path.join(dir, 'content/assets/p.jpg'), 700, 490);
  const body = '写真の前の本文です。'.repeat(40);
  fs.writeFileSync(
    path.join(dir, 'content/b.yaml'),
    `title: 記念誌\ncontents: false\nsections:\n  - title: 写真\n    body: ${body}\n    photos: [{ file: assets/p.jpg, caption: 説明, width: full }]\n`,
  );
  const result = await buildDocument('content/b.yaml', { workingDirectory: dir, root: dir });
  const image = result.layout.pages.flatMap((p) => p.items).find((i) => i.kind === 'image')!;
  // Set below the full measure (scaled to the room the text leaves), on the page of the text.
  expect(image.width).toBeLessThan(result.layout.block.width - 1);
  const warning = result.warnings.find((w) => w.startsWith('photo '))!;
  const mm = Math.round((image.width / 72) * 25.4);
  const dpi = Math.round((700 * 72) / image.width);
  expect(warning).toContain(`${dpi} dpi at its size on the page (700×490 pixels over ${mm} mm wide)`);
});

test('a photo under 300 dpi at its size gets a warning; under 150, that the press PDF will fail', async () => {
  const result = await buildPhotos(
    'booklet',
    [
      { file: 'assets/small.jpg', caption: '小さい写真', width: 'full' },
      { file: 'assets/mid.jpg', caption: '中くらいの写真', width: 'full' },
    ],
    { 'small.jpg': [200, 130], 'mid.jpg': [900, 600] },
  );
  const warnings = result.warnings.filter((w) => w.startsWith('photo '));
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toMatch(
    /^photo content\/assets\/small\.jpg: \d+ dpi .*print needs 300 dpi — and below 150 the press PDF fails its preflight: give a larger image$/,
  );
  expect(warnings[1]).toMatch(/^photo content\/assets\/mid\.jpg: \d+ dpi .*print needs 300 dpi$/);
});

describe('photos without a width in vertical writing: measured along the columns', () => {
  test('an upright photo and a landscape one share one page, one above the other (the landscape one half a column long)', async () => {
    const photos = [
      { file: 'assets/upright.jpg', caption: '夜のアーケード' },
      { file: 'assets/landscape.jpg', caption: '七夕まつりの会場となった河川敷' },
    ];
    const result = await buildPhotos('booklet-vertical', photos, { 'upright.jpg': [900, 1200], 'landscape.jpg': [1600, 1000] });
    const block = result.layout.block;
    const pages = result.layout.pages.filter((p) => p.items.some((i) => i.kind === 'image'));
    expect(pages).toHaveLength(1);
    const images = pages[0]!.items.filter((i) => i.kind === 'image');
    expect(images).toHaveLength(2);
    const [upper, lower] = [...images].sort((a, b) => a.y - b.y);
    // One under the other down the columns, each within half the column's length.
    expect(lower!.y).toBeGreaterThanOrEqual(upper!.y + upper!.height - 1e-6);
    for (const image of images) expect(image.height).toBeLessThanOrEqual(block.height / 2 + 1e-6);
  });
});

test.each([
  ['booklet-vertical', [900, 1200]],
  ['booklet-vertical', [800, 1200]],
])(
  '%s: an upright photo too wide for a whole column’s length, alone, is scaled to the page, not set at half (%j)',
  async (template, [w, h]) => {
    const result = await buildPhotos(template, [{ file: 'assets/u.jpg', caption: '夜のアーケード' }], { 'u.jpg': [w!, h!] });
    const block = result.layout.block;
    const image = result.layout.pages.flatMap((p) => p.items).find((i) => i.kind === 'image')!;
    // Half a column long it would leave half the page empty: longer than that, as wide as the page allows.
    expect(image.height).toBeGreaterThan(block.height / 2 + 1);
    expect(image.width).toBeLessThanOrEqual(block.width + 1e-6);
  },
);

describe('a panorama in vertical writing', () => {
  test.each([12, 30, 50, 90])(
    'with a caption of %i characters: the caption takes whole columns beside it, both at the head of the columns (天付き)',
    async (n) => {
      const caption = '草原の向こうに山並みが続く、夏の朝の眺め。'.repeat(5).slice(0, n);
      const result = await buildPhotos('booklet-vertical', [{ file: 'assets/p.jpg', caption, width: 'full' }], { 'p.jpg': [2400, 300] });
      const items = result.layout.pages.flatMap((p) => p.items);
      const image = items.find((i) => i.kind === 'image')!;
      const columns = items.filter((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'Caption');
      expect(columns.map((c) => c.text).join('')).toBe(caption);
      const block = result.layout.block;
      // The photo as long as the column it is short of would leave a caption of a character or two a
      // column: the caption takes the text block's length instead.
      expect(columns[0]!.measure * columns[0]!.size).toBeCloseTo(block.height, 0);
      expect(image.y).toBeCloseTo(block.y, 3);
      for (const column of columns) expect(column.baseline, column.text).toBeCloseTo(block.y, 3);
    },
  );
});

test('the lines of a caption of several lines start at one edge, the block of them centred under the photo', async () => {
  const caption = '開校当時の木造二階建ての校舎と校庭。地域の大工さんたちの手で建てられ、二十年間子どもたちを見守り続けました。';
  const result = await buildPhotos('booklet', [{ file: 'assets/p.jpg', caption, width: 'half' }], { 'p.jpg': [800, 600] });
  const items = result.layout.pages.flatMap((p) => p.items);
  const image = items.find((i) => i.kind === 'image')!;
  const lines = items.filter((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'Caption');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines[lines.length - 1]!.width).toBeLessThan(lines[0]!.width - 1);
  for (const line of lines) expect(line.x, line.text).toBeCloseTo(lines[0]!.x, 3);
  if (image.kind !== 'image') throw new Error('no image');
  expect(lines[0]!.x + (lines[0]!.width * lines[0]!.size) / 2).toBeCloseTo(image.x + image.width / 2, 0);
});

test('two photos in a row are each scaled on their own: a tall one fitted to the page leaves a square one beside it its size', async () => {
  const dir = tempDir('kumihan-row-');
  writePhoto(path.join(dir, 'content/assets/tall.jpg'), 300, 3000);
  writePhoto(path.join(dir, 'content/assets/square.jpg'), 1200, 1200);
  const photos = [
    { file: 'assets/tall.jpg', caption: '縦長', width: 'half' },
    { file: 'assets/square.jpg', caption: '正方形', width: 'half' },
  ];
  fs.writeFileSync(
    path.join(dir, 'content/b.yaml'),
    `template: booklet\ntitle: 記念誌\ncontents: false\nsections:\n  - title: 写真\n    photos: ${JSON.stringify(photos)}\n`,
  );
  const result = await buildDocument('content/b.yaml', { workingDirectory: dir, root: dir });
  const images = result.layout.pages.flatMap((p) => p.items.filter((i) => i.kind === 'image'));
  expect(images).toHaveLength(2);
  const [tall, square] = images.map((i) => (i.kind === 'image' ? i : undefined)!);
  // Side by side on one page; the tall one fitted to the text block's height.
  expect(Math.abs(tall!.y + tall!.height - (square!.y + square!.height))).toBeLessThan(0.01);
  expect(tall!.height).toBeLessThan(result.layout.block.height);
  // The square one as wide as its half of the measure (less half the gap), not shrunk by the tall one's scale.
  expect(square!.width).toBeGreaterThan(result.layout.block.width * 0.45);
  expect(square!.height).toBeCloseTo(square!.width, 1);
});

describe('ruby and emphasis dots in a caption', () => {
  test.each(['booklet', 'booklet-vertical'])('%s: set beside the caption line, clear of the photo', async (template) => {
    const photos = [{ file: 'assets/p.jpg', caption: '山々《やまやま》の｜眺《なが》め《《注目》》', width: 'full' }];
    const result = await buildPhotos(template, photos, { 'p.jpg': [800, 600] });
    const items = result.layout.pages.flatMap((p) => p.items);
    const image = items.find((i) => i.kind === 'image')!;
    const caption = items.find((i): i is TextLineItem => i.kind === 'text' && i.structure?.role === 'Caption')!;
    expect(caption.text).toBe('山々の眺め注目');
    expect(caption.structure?.ruby?.map((r) => r.reading)).toEqual(['やまやま', 'なが']);
    const annotations = items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'annotation');
    expect(annotations).toHaveLength(1);
    const dots = annotations[0]!;
    expect(dots.text.replace(/\s/g, '')).toMatch(/^やまやまなが(?:••|﹅﹅)$/u);
    expect(dots.size).toBeCloseTo(caption.size / 2);
    if (image.kind !== 'image') throw new Error('no image');
    if (template === 'booklet') {
      // Above the caption line, under the photo.
      expect(dots.baseline).toBeLessThan(caption.baseline - caption.size * 0.8);
      expect(dots.baseline - dots.size * 0.88).toBeGreaterThanOrEqual(image.y + image.height + caption.size / 4 - 0.01);
    } else {
      // To the right of the caption column, left of the photo (clear of it by a quarter of the caption's em).
      expect(dots.x).toBeGreaterThan(caption.x + caption.size * 0.4);
      expect(dots.x + dots.size / 2).toBeLessThanOrEqual(image.x - caption.size / 4 + 0.01);
    }
  });
});

describe('a photo that does not fit the rest of the page at its size is set smaller there, down to 70% of it', () => {
  const pageOf = (result: BuildResult, file: string) =>
    result.layout.pages.findIndex((p) => p.items.some((i) => i.kind === 'image' && i.file.endsWith(file)));
  const widthOf = (result: BuildResult, file: string) => {
    const image = result.layout.pages.flatMap((p) => p.items).find((i) => i.kind === 'image' && i.file.endsWith(file));
    return image?.kind === 'image' ? image.width : Number.NaN;
  };
  // A photo across the measure, then a pair whose deeper photo does not fit under it at its size.
  test.each([
    ['booklet', { 'first.jpg': [3000, 500], 'tall.jpg': [800, 1600], 'other.jpg': [1600, 900] }, 'tall.jpg'],
    ['booklet-vertical', { 'first.jpg': [500, 3000], 'tall.jpg': [800, 1600], 'other.jpg': [800, 1000] }, 'other.jpg'],
  ] as const)('%s: the pair stays on the page of the photo before it, its deeper photo smaller', async (template, sizes, deeper) => {
    const photos = [
      { file: 'assets/first.jpg', caption: '校庭の全景', width: 'full' },
      { file: 'assets/tall.jpg', caption: '記念樹', width: 'half' },
      { file: 'assets/other.jpg', caption: '正門', width: 'half' },
    ];
    const files = sizes as unknown as Record<string, [number, number]>;
    const result = await buildPhotos(template, photos, files);
    expect(pageOf(result, 'tall.jpg')).toBe(pageOf(result, 'first.jpg'));
    // Smaller than the same pair set on a page of its own, but not below 70% of that.
    const alone = await buildPhotos(template, [photos[1], photos[2]], files);
    expect(widthOf(result, deeper)).toBeLessThan(widthOf(alone, deeper));
    expect(widthOf(result, deeper)).toBeGreaterThanOrEqual(widthOf(alone, deeper) * 0.7 - 0.01);
  });
  test('one that would have to be set smaller than that goes to the next page at its size', async () => {
    const photos = [
      { file: 'assets/square.jpg', caption: '校舎', width: 'full' },
      { file: 'assets/tall.jpg', caption: '記念樹', width: 'half' },
    ];
    const result = await buildPhotos('booklet', photos, { 'square.jpg': [1600, 1500], 'tall.jpg': [800, 1600] });
    expect(pageOf(result, 'tall.jpg')).toBe(pageOf(result, 'square.jpg') + 1);
    const alone = await buildPhotos('booklet', [photos[1]], { 'tall.jpg': [800, 1600] });
    expect(widthOf(result, 'tall.jpg')).toBeCloseTo(widthOf(alone, 'tall.jpg'), 3);
  });
});
