/**
 * The shipped booklet goes to the press: its template has `print:` (PDF/X-1a, 3 mm bleed, saddle stitch),
 * so the build writes a press PDF beside the screen PDF. Read back: preflight passes, the boxes are A5 trim
 * plus 3 mm bleed on every page, the page count is a multiple of 4, every image is CMYK or grey at the pixel
 * size of its file (an RGB JPEG converted, never resampled), and the cover photo runs into the bleed while
 * a blank page's bleed stays white. The screen PDF passes PDF/A-2b and is tagged.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument, type BuildResult } from '../../src/build.js';
import { asArray, nameOf, pageTree, type PdfDict, type PdfFile, type PdfStream, readPdf } from '../../src/check/pdfread.js';
import { preflight } from '../../src/check/preflight.js';
import { renderPdf } from '../../src/check/render.js';
import { readImageSize } from '../../src/model/image.js';
import { mmToPt, PAGE_SIZES } from '../../src/units.js';
import { ROOT } from '../support/files.js';

const BOOKLET = path.join(ROOT, 'content/anniversary-booklet.yaml');
const BLEED = mmToPt(3);
const [A5W, A5H] = PAGE_SIZES.A5;

const pages = (pdf: PdfFile): PdfDict[] => pageTree(pdf).map((page) => page.dict);
const box = (pdf: PdfFile, page: PdfDict, key: string) => pdf.get(page.get(key)) as number[];

describe('the shipped booklet: press PDF', () => {
  let press: BuildResult;
  let pdf: PdfFile;
  beforeAll(async () => {
    press = await buildDocument(BOOKLET, { variant: 'press', sourceDateEpoch: 0 });
    pdf = readPdf(press.pdf);
  }, 60_000);

  it('passes PDF/X-1a preflight, saddle stitch included, with no finding', () => {
    expect(preflight(press.pdf, { standard: 'PDF/X-1a', saddleStitch: true })).toEqual([]);
    expect(pages(pdf).length % 4).toBe(0);
  });

  it('has on every page TrimBox = A5 and BleedBox = trim + 3 mm', () => {
    for (const page of pages(pdf)) {
      const trim = box(pdf, page, 'TrimBox');
      const bleed = box(pdf, page, 'BleedBox');
      expect(trim[2]! - trim[0]!).toBeCloseTo(A5W, 2);
      expect(trim[3]! - trim[1]!).toBeCloseTo(A5H, 2);
      for (const k of [0, 1]) expect(trim[k]! - bleed[k]!).toBeCloseTo(BLEED, 2);
      for (const k of [2, 3]) expect(bleed[k]! - trim[k]!).toBeCloseTo(BLEED, 2);
    }
  });

  it('pdfinfo -box (poppler) reads the same boxes on every page: A5 trim, 3 mm bleed', (ctx) => {
    const run = spawnSync('pdfinfo', ['-box', '-f', '1', '-l', '999', '-'], { input: press.pdf, encoding: 'utf8' });
    if (run.error || run.status !== 0) {
      ctx.skip(`pdfinfo (poppler-utils) is not installed: ${run.error?.message ?? run.stderr}`);
      return;
    }
    const read = (name: string) =>
      [...run.stdout.matchAll(new RegExp(`Page\\s+\\d+\\s+${name}:\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)`, 'g'))].map((m) =>
        m.slice(1).map(Number),
      );
    const trims = read('TrimBox');
    const bleeds = read('BleedBox');
    expect(trims).toHaveLength(pages(pdf).length);
    expect(bleeds).toHaveLength(pages(pdf).length);
    trims.forEach((trim, k) => {
      const bleed = bleeds[k]!;
      expect(trim[2]! - trim[0]!).toBeCloseTo(A5W, 1);
      expect(trim[3]! - trim[1]!).toBeCloseTo(A5H, 1);
      for (const j of [0, 1]) expect(trim[j]! - bleed[j]!).toBeCloseTo(BLEED, 1);
      for (const j of [2, 3]) expect(bleed[j]! - trim[j]!).toBeCloseTo(BLEED, 1);
    });
    expect(run.stdout).toMatch(/PDF subtype:\s+PDF\/X-1:2001/);
  });

  it('embeds every photo in CMYK or grey at the pixel size of its file', () => {
    const assets = path.join(ROOT, 'content/assets/booklet');
    const sizes = new Set(
      fs.readdirSync(assets).map((f) => {
        const size = readImageSize(path.join(assets, f));
        return `${size.width}x${size.height}`;
      }),
    );
    const seen = new Set<string>();
    for (const page of pages(pdf)) {
      const xobjects = pdf.dict(pdf.dict(page.get('Resources'))?.get('XObject'));
      for (const ref of xobjects?.values() ?? []) {
        const image = pdf.get(ref) as PdfStream;
        if (nameOf(image.dict.get('Subtype')) !== 'Image') continue;
        expect(['DeviceCMYK', 'DeviceGray']).toContain(nameOf(image.dict.get('ColorSpace')));
        seen.add(`${image.dict.get('Width')}x${image.dict.get('Height')}`);
      }
    }
    expect(seen).toEqual(sizes);
  });

  it('runs the cover photo into the bleed; a blank page’s bleed stays white', async () => {
    const dpi = 72;
    const rendered = await renderPdf(press.pdf, dpi);
    const bleedInk = (pageIndex: number) => {
      const page = pages(pdf)[pageIndex]!;
      const trim = box(pdf, page, 'TrimBox');
      const media = box(pdf, page, 'MediaBox');
      const png = PNG.sync.read(rendered[pageIndex]!.png);
      let inked = 0;
      let all = 0;
      // The band between the trim and the bleed along the outer (right) edge of page one, the left of page two.
      const x = pageIndex % 2 === 0 ? trim[2]! + BLEED / 2 : trim[0]! - BLEED / 2;
      for (let y = trim[1]! + 10; y < trim[3]! - 10; y += 2) {
        const px = Math.round(x);
        const py = Math.round(media[3]! - y);
        const i = (py * png.width + px) * 4;
        all++;
        if (png.data[i]! < 240 || png.data[i + 1]! < 240 || png.data[i + 2]! < 240) inked++;
      }
      return inked / all;
    };
    expect(bleedInk(0)).toBe(1);
    expect(bleedInk(1)).toBe(0);
  });
});

describe('the shipped booklet: screen PDF', () => {
  it('passes PDF/A-2b preflight and is tagged in Japanese', async () => {
    const screen = await buildDocument(BOOKLET, { variant: 'screen', sourceDateEpoch: 0 });
    expect(preflight(screen.pdf, { standard: 'PDF/A-2b' })).toEqual([]);
    const pdf = readPdf(screen.pdf);
    const root = pdf.dict(pdf.trailer.get('Root'))!;
    expect(root.has('StructTreeRoot')).toBe(true);
    expect((pdf.get(root.get('Lang')) as { text: string }).text).toBe('ja-JP');
    // The structure elements under Document, in reading order: their types and the figures' alt texts.
    const document = pdf.dict(asArray(pdf.get(pdf.dict(root.get('StructTreeRoot'))!.get('K')))[0])!;
    const kids = asArray(pdf.get(document.get('K'))).map((k) => pdf.dict(k as never)!);
    const types = kids.map((k) => nameOf(k.get('S')));
    const alts = kids
      .filter((k) => nameOf(k.get('S')) === 'Figure')
      .map((k) => (pdf.get(k.get('Alt')) as { text: string } | undefined)?.text);
    // The cover title, the contents heading and one heading per section are H1.
    const booklet = fs.readFileSync(BOOKLET, 'utf8');
    const sections = (booklet.match(/^ {2}- (title|file):/gm) ?? []).length;
    expect(types.filter((t) => t === 'H1')).toHaveLength(1 + 1 + sections);
    const captions = [...booklet.matchAll(/caption: ([^}]+?) \}/g)].map((m) => m[1]);
    expect(alts).toEqual(captions);
    expect(types.filter((t) => t === 'Caption')).toHaveLength(captions.length);
    expect(types.filter((t) => t === 'P').length).toBeGreaterThan(20);
  });
});
