/**
 * Booklets made up for tests: any number of sections of any length, chronologies, photos of any size and
 * format, letters as articles, `startOn` per section — written as a project (content file, images, letters)
 * in a temporary directory, built, and read back from the PDF with mupdf (text layer, outline, page labels,
 * links, images). Assertions read the PDF, never the layout's own data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildDocument, type BuildResult } from '../../src/build.js';
import { openPdf } from '../../src/check/mupdf.js';
import { readPdfText, type PdfLine, type PdfPage } from '../../src/check/pdftext.js';
import { ROOT, tempDir } from './files.js';
import { writePhoto } from './photos.js';

/** Sentences of the seed message, to fill paragraphs of any length. */
const SENTENCES = fs
  .readFileSync(path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml'), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('  ') && /[。]/.test(l))
  .flatMap((l) => l.trim().split(/(?<=。)/))
  .filter((s) => s.length > 5);

/** A deterministic pseudo-random sequence. */
export function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** `count` paragraphs of 1–6 sentences. */
export function paragraphs(count: number, seed: number): string {
  const next = random(seed);
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const n = 1 + Math.floor(next() * 6);
    let text = '';
    for (let k = 0; k < n; k++) text += SENTENCES[Math.floor(next() * SENTENCES.length)];
    out.push(text);
  }
  return out.join('\n\n');
}

/** What every section may say of where it starts and how it is set. */
interface SectionPlacement {
  startOn?: 'odd' | 'right' | 'left' | 'any';
  writingMode?: 'horizontal-tb' | 'vertical-rl';
}

export type SectionSpec = SectionPlacement &
  (
    | { kind: 'text'; title: string; paragraphs: number; author?: string }
    | { kind: 'letter'; title?: string }
    | { kind: 'chronology'; title: string; rows: number }
    | {
        kind: 'photos';
        title: string;
        photos: { width: number; height: number; format: 'png' | 'jpg'; layout?: 'full' | 'half' }[];
      }
  );

export interface BookletSpec {
  title: string;
  seed: number;
  sections: SectionSpec[];
  contents?: boolean;
  cover?: { width: number; height: number };
  colophon?: [string, string][];
  template?: string;
}

/** Writes the booklet's project; returns the directory and the content file's path relative to it. */
export function writeBooklet(spec: BookletSpec, dir = tempDir('kumihan-booklet-')): { dir: string; content: string } {
  fs.mkdirSync(path.join(dir, 'content/assets'), { recursive: true });
  let image = 0;
  const sections = spec.sections.map((s, i) => {
    const startOn = { ...(s.startOn ? { startOn: s.startOn } : {}), ...(s.writingMode ? { writingMode: s.writingMode } : {}) };
    switch (s.kind) {
      case 'text':
        return {
          title: s.title,
          ...(s.author ? { author: s.author } : {}),
          body: paragraphs(s.paragraphs, spec.seed * 31 + i),
          ...startOn,
        };
      case 'letter':
        fs.copyFileSync(path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml'), path.join(dir, 'content/letter.yaml'));
        return { file: 'letter.yaml', ...(s.title ? { title: s.title } : {}), ...startOn };
      case 'chronology':
        return {
          title: s.title,
          chronology: Array.from({ length: s.rows }, (_, r) => ({
            date: `${1992 + r}-${String((r % 12) + 1).padStart(2, '0')}-${String((r % 27) + 1).padStart(2, '0')}`,
            text: `第${r + 1}項　${paragraphs(1, spec.seed + r).slice(0, 12 + ((r * 7) % 40))}`,
          })),
          ...startOn,
        };
      case 'photos':
        return {
          title: s.title,
          photos: s.photos.map((p) => {
            const file = `assets/photo-${++image}.${p.format}`;
            writePhoto(path.join(dir, 'content', file), p.width, p.height, image);
            return { file, caption: `写真${image}の説明`, ...(p.layout ? { width: p.layout } : {}) };
          }),
          ...startOn,
        };
    }
    throw new Error('unknown section kind');
  });
  const booklet: Record<string, unknown> = {
    template: spec.template ?? 'booklet',
    title: spec.title,
    issuer: '発行者',
    date: '2017-12-01',
  };
  if (spec.cover) {
    writePhoto(path.join(dir, 'content/assets/cover.jpg'), spec.cover.width, spec.cover.height, 99);
    booklet.cover = { image: 'assets/cover.jpg' };
  }
  if (spec.contents !== undefined) booklet.contents = spec.contents;
  booklet.sections = sections;
  if (spec.colophon) booklet.colophon = spec.colophon;
  fs.writeFileSync(path.join(dir, 'content/booklet.yaml'), stringify(booklet));
  return { dir, content: 'content/booklet.yaml' };
}

export interface ReadBack {
  result: BuildResult;
  pages: PdfPage[];
  labels: string[];
  outline: { title: string; page: number }[];
  /** Links per page: the rectangle and the page index it goes to. */
  links: { page: number; y0: number; y1: number; target: number }[][];
  /** Images per page: their box on the page and their pixel size in the PDF. */
  images: { x: number; y: number; w: number; h: number }[][];
}

export async function buildAndRead(spec: BookletSpec): Promise<ReadBack> {
  const { dir, content } = writeBooklet(spec);
  const result = await buildDocument(content, { workingDirectory: dir, root: dir });
  return readBack(result);
}

export async function readBack(result: BuildResult): Promise<ReadBack> {
  const pages = await readPdfText(result.pdf);
  const { doc } = await openPdf(result.pdf);
  try {
    const labels: string[] = [];
    const links: ReadBack['links'] = [];
    const images: ReadBack['images'] = [];
    for (let i = 0; i < doc.countPages(); i++) {
      const page = doc.loadPage(i);
      labels.push(page.getLabel());
      links.push(
        page.getLinks().map((link) => {
          const [, y0, , y1] = link.getBounds();
          return { page: i, y0: y0!, y1: y1!, target: doc.resolveLink(link) };
        }),
      );
      const st = page.toStructuredText('preserve-images');
      const json = JSON.parse(st.asJSON()) as { blocks?: { type: string; bbox: { x: number; y: number; w: number; h: number } }[] };
      images.push((json.blocks ?? []).filter((b) => b.type === 'image').map((b) => b.bbox));
      st.destroy();
      page.destroy();
    }
    const outline = (doc.loadOutline() ?? []).map((item) => ({ title: item.title ?? '', page: item.page ?? -1 }));
    return { result, pages, labels, outline, links, images };
  } finally {
    doc.destroy();
  }
}

/** The text block of the booklet's pages (as the template sets it): horizontal lines above are running heads, below folios. */
export function furnitureOf(read: ReadBack, page: number): { heads: PdfLine[]; feet: PdfLine[]; body: PdfLine[] } {
  const block = read.result.layout.block;
  const lines = sameBaseline(read.pages[page]!.lines);
  const baseline = (l: PdfLine) => l.chars[0]?.y ?? l.bbox.y;
  // Furniture is set horizontally on every page: a vertical column (a piece of one) is the flow's.
  const head = (l: PdfLine) => l.wmode === 0 && baseline(l) < block.y;
  const foot = (l: PdfLine) => l.wmode === 0 && baseline(l) > block.y + block.height;
  return { heads: lines.filter(head), feet: lines.filter(foot), body: lines.filter((l) => !head(l) && !foot(l)) };
}

/**
 * The text layer's lines with those on one baseline joined, left to right: mupdf starts a new line where
 * glyphs jump far apart (a contents line's title, leaders and page number; two captions side by side).
 */
export function sameBaseline(lines: readonly PdfLine[]): PdfLine[] {
  const out: PdfLine[] = [];
  for (const line of lines) {
    const y = line.chars[0]?.y ?? line.bbox.y;
    const same = out.find((l) => Math.abs((l.chars[0]?.y ?? l.bbox.y) - y) < 0.5);
    if (!same) {
      out.push({ ...line, chars: [...line.chars] });
      continue;
    }
    same.chars = [...same.chars, ...line.chars].sort((a, b) => a.x - b.x);
    same.text = same.chars.map((c) => c.c).join('');
    const x0 = Math.min(same.bbox.x, line.bbox.x);
    const x1 = Math.max(same.bbox.x + same.bbox.w, line.bbox.x + line.bbox.w);
    same.bbox = { ...same.bbox, x: x0, w: x1 - x0 };
  }
  return out;
}
