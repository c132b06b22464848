/**
 * The press and screen PDFs of a document whose template has `print:`, read back from the files: boxes
 * (also as poppler's pdfinfo reports them, when it is installed), trim marks outside the BleedBox (in the
 * rendered pixels), colours, images, the PDF/X keys; the screen PDF's structure tree, language, outline
 * and PDF/A identification. The letterhead letter shipped in content/ is the real file under test; the
 * other documents are made in a temp folder from the shipped `letter` template, so that nothing here is
 * specific to one letter.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument, type BuildResult } from '../../src/build.js';
import {
  asArray,
  nameOf,
  pageTree,
  PdfName,
  type PdfStream,
  type PdfString,
  readPdf,
  type PdfDict,
  type PdfFile,
} from '../../src/check/pdfread.js';
import { preflight } from '../../src/check/preflight.js';
import { renderPdf } from '../../src/check/render.js';
import type { PageItem } from '../../src/layout/page.js';
import { pressFileName } from '../../src/pdf/outputs.js';
import { MARK_ROOM } from '../../src/pdf/print.js';
import { mmToPt, PAGE_SIZES } from '../../src/units.js';
import { ROOT, tempDir, writeFile } from '../support/files.js';

const LETTER = path.join(ROOT, 'content/sample-company-letter.yaml');
const BLEED = mmToPt(3);
const [A4W, A4H] = PAGE_SIZES.A4;

const pages = (pdf: PdfFile): PdfDict[] => pageTree(pdf).map((page) => page.dict);
const box = (pdf: PdfFile, page: PdfDict, key: string) => pdf.get(page.get(key)) as number[];
const infoOf = (pdf: PdfFile) => pdf.dict(pdf.trailer.get('Info'))!;
const text = (pdf: PdfFile, v: unknown) => (pdf.get(v as never) as PdfString | undefined)?.text;

/** A document in a temp folder: content text, and a template extending the shipped `letter`. */
function project(template: string, content = 'title: 試験\nbody: |\n  本文です。\n') {
  const dir = tempDir('kumihan-press-');
  writeFile(dir, 'doc.yaml', `template: t.yaml\n${content}`);
  writeFile(dir, 't.yaml', `extends: letter\n${template}`);
  const file = path.join(dir, 'doc.yaml');
  return { dir, file, build: (variant: 'press' | 'screen') => buildDocument(file, { root: dir, variant, sourceDateEpoch: 0 }) };
}

describe('the shipped letterhead letter: press PDF', () => {
  let press: BuildResult;
  let pdf: PdfFile;
  beforeAll(async () => {
    press = await buildDocument(LETTER, { variant: 'press' });
    pdf = readPdf(press.pdf);
  });

  it('passes PDF/X-1a preflight with no finding at all', () => {
    expect(preflight(press.pdf, { standard: 'PDF/X-1a' })).toEqual([]);
  });

  it('has on every page TrimBox = the A4 page, BleedBox = trim + 3 mm, MediaBox = bleed + room for the marks', () => {
    const all = pages(pdf);
    expect(all.length).toBe(press.pages);
    for (const page of all) {
      const trim = box(pdf, page, 'TrimBox');
      const bleed = box(pdf, page, 'BleedBox');
      const media = box(pdf, page, 'MediaBox');
      expect(trim[2]! - trim[0]!).toBeCloseTo(A4W, 2);
      expect(trim[3]! - trim[1]!).toBeCloseTo(A4H, 2);
      for (const k of [0, 1]) expect(trim[k]! - bleed[k]!).toBeCloseTo(BLEED, 2);
      for (const k of [2, 3]) expect(bleed[k]! - trim[k]!).toBeCloseTo(BLEED, 2);
      expect(media[0]).toBe(0);
      expect(bleed[0]! - media[0]!).toBeCloseTo(MARK_ROOM, 2);
      expect(media[2]! - bleed[2]!).toBeCloseTo(MARK_ROOM, 2);
    }
  });

  it('pdfinfo -box (poppler) reports the same boxes', (ctx) => {
    const run = spawnSync('pdfinfo', ['-box', '-f', '1', '-l', '1', '-'], { input: press.pdf, encoding: 'utf8' });
    if (run.error || run.status !== 0) {
      ctx.skip(`pdfinfo (poppler-utils) is not installed: ${run.error?.message ?? run.stderr}`);
      return;
    }
    const read = (name: string) =>
      new RegExp(`${name}:\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)`).exec(run.stdout)!.slice(1).map(Number);
    const trim = read('TrimBox');
    const bleed = read('BleedBox');
    expect(trim[2]! - trim[0]!).toBeCloseTo(A4W, 1);
    expect(trim[3]! - trim[1]!).toBeCloseTo(A4H, 1);
    expect(bleed[2]! - bleed[0]! - (trim[2]! - trim[0]!)).toBeCloseTo(2 * BLEED, 1);
    expect(bleed[3]! - bleed[1]! - (trim[3]! - trim[1]!)).toBeCloseTo(2 * BLEED, 1);
    expect(run.stdout).toMatch(/PDF version:\s+1\.3/);
    expect(run.stdout).toMatch(/PDF subtype:\s+PDF\/X-1:2001/);
  });

  it('identifies itself as PDF/X-1a:2001 with a registered Japan Color output intent, /Trapped /False, no annotations', () => {
    expect(pdf.version).toBe('1.3');
    const info = infoOf(pdf);
    expect(text(pdf, info.get('GTS_PDFXVersion'))).toBe('PDF/X-1:2001');
    expect(text(pdf, info.get('GTS_PDFXConformance'))).toBe('PDF/X-1a:2001');
    expect(pdf.get(info.get('Trapped'))).toEqual(new PdfName('False'));
    const root = pdf.dict(pdf.trailer.get('Root'))!;
    const intents = asArray(pdf.get(root.get('OutputIntents'))).map((i) => pdf.dict(i)!);
    expect(intents.map((i) => nameOf(i.get('S')))).toEqual(['GTS_PDFX']);
    expect(text(pdf, intents[0]!.get('OutputConditionIdentifier'))).toBe('JC200103');
    for (const page of pages(pdf)) expect(page.has('Annots')).toBe(false);
  });

  it('writes the logo as a CMYK image without an SMask, converted through the profile (not a naive formula)', () => {
    const images = pages(pdf).flatMap((page) => {
      const xobjects = pdf.dict(pdf.dict(page.get('Resources'))!.get('XObject'));
      return xobjects ? [...xobjects.values()].map((v) => pdf.get(v) as PdfStream) : [];
    });
    expect(images.length).toBeGreaterThan(0);
    const logo = images[0]!;
    expect(nameOf(logo.dict.get('ColorSpace'))).toBe('DeviceCMYK');
    expect(logo.dict.has('SMask')).toBe(false);
    const data = pdf.decode(logo)!;
    const [w, h] = [logo.dict.get('Width') as number, logo.dict.get('Height') as number];
    expect(data.length).toBe(w * h * 4);
    // The logo is red on a transparent ground: the ground is paper white (0 0 0 0), the red has
    // magenta and yellow, and a profile conversion puts black (K) into a dark red as well.
    const corner = [...data.subarray(0, 4)];
    expect(corner).toEqual([0, 0, 0, 0]);
    let inked = 0;
    let withBlack = 0;
    for (let i = 0; i < w * h; i++) {
      const [c, m, y, k] = data.subarray(i * 4, i * 4 + 4);
      if (m! > 128) {
        inked++;
        if (k! > 0) withBlack++;
        expect(c!).toBeLessThan(m!);
        expect(y!).toBeGreaterThan(0);
      }
    }
    expect(inked).toBeGreaterThan(100);
    expect(withBlack).toBeGreaterThan(0);
  });

  it('draws trim marks outside the BleedBox only: the bleed band is blank, the marks are where the trim lines run', async () => {
    const dpi = 288;
    const scale = dpi / 72;
    const [page] = await renderPdf(press.pdf, dpi);
    const png = PNG.sync.read(page!.png);
    const trim = box(pdf, pages(pdf)[0]!, 'TrimBox');
    const media = box(pdf, pages(pdf)[0]!, 'MediaBox');
    const H = media[3]!;
    const dark = (x: number, y: number) => {
      // PDF coordinates (origin bottom-left) → pixel.
      const px = Math.round(x * scale);
      const py = Math.round((H - y) * scale);
      const i = (py * png.width + px) * 4;
      return png.data[i]! < 200;
    };
    // The band between trim and bleed along the left edge (the letter has nothing there): all white.
    let inBleed = 0;
    for (let y = trim[1]! + 5; y < trim[3]! - 5; y += 1)
      for (let x = trim[0]! - BLEED + 1; x < trim[0]! - 0.5; x += 0.5) if (dark(x, y)) inBleed++;
    expect(inBleed).toBe(0);
    // The top-left corner mark: the trim line runs left from the bleed, outside it.
    const topTrim = trim[3]!;
    let found = 0;
    for (let x = trim[0]! - BLEED - mmToPt(9); x < trim[0]! - BLEED - 2; x += 1) if (dark(x, topTrim)) found++;
    expect(found).toBeGreaterThan(20);
    // … and not inside the trim: the same line does not continue onto the page.
    let onPage = 0;
    for (let x = trim[0]! + 2; x < trim[0]! + mmToPt(9); x += 1) if (dark(x, topTrim)) onPage++;
    expect(onPage).toBe(0);
  });

  it('sets text as K only: no RGB text, no four-colour black (preflight reads every text operator)', () => {
    const findings = preflight(press.pdf, { standard: 'PDF/X-1a' });
    expect(findings.filter((f) => f.rule === 'colour')).toEqual([]);
  });

  it('has one subset tag per font program, and every font embedded', () => {
    const programs = new Map<string, Set<string>>();
    for (const page of pages(pdf)) {
      const fonts = pdf.dict(pdf.dict(page.get('Resources'))!.get('Font'))!;
      for (const ref of fonts.values()) {
        const font = pdf.dict(ref)!;
        const descendant = pdf.dict(asArray(pdf.get(font.get('DescendantFonts')))[0])!;
        const name = nameOf(descendant.get('BaseFont'))!;
        const descriptor = pdf.dict(descendant.get('FontDescriptor'))!;
        const program = descriptor.get('FontFile2') ?? descriptor.get('FontFile3');
        expect(program, `${name} is embedded`).toBeDefined();
        const tag = /^([A-Z]{6})\+/.exec(name)![1]!;
        programs.set(tag, (programs.get(tag) ?? new Set()).add(String(program)));
      }
    }
    expect(programs.size).toBeGreaterThan(1);
    for (const [tag, set] of programs) expect(set.size, tag).toBe(1);
  });
});

describe('the shipped letterhead letter: screen PDF', () => {
  let screen: BuildResult;
  let pdf: PdfFile;
  beforeAll(async () => {
    screen = await buildDocument(LETTER);
    pdf = readPdf(screen.pdf);
  });

  it('is tagged, in Japanese, with a structure tree whose elements follow the reading order', () => {
    const root = pdf.dict(pdf.trailer.get('Root'))!;
    expect(pdf.get(pdf.dict(root.get('MarkInfo'))!.get('Marked'))).toBe(true);
    expect(text(pdf, root.get('Lang'))).toBe('ja-JP');
    const tree = pdf.dict(root.get('StructTreeRoot'))!;
    const document = pdf.dict(asArray(pdf.get(tree.get('K')))[0])!;
    expect(nameOf(document.get('S'))).toBe('Document');
    const kinds = asArray(pdf.get(document.get('K'))).map((k) => nameOf(pdf.dict(k)!.get('S')));
    // One element per block of text: the header lines, the title as the one heading, the body's paragraphs …
    const blocks = new Set(
      screen.layout.pages.flatMap((p) => p.items.flatMap((it) => (it.kind === 'text' && it.structure ? [it.structure.element] : []))),
    );
    expect(kinds.length).toBe(blocks.size);
    expect(kinds.filter((k) => k === 'H1').length).toBe(1);
    expect(kinds.every((k) => k === 'P' || k === 'H1')).toBe(true);
  });

  it('gives each element the text of its block (poppler reads the tree back), in reading order', (ctx) => {
    const run = spawnSync('pdfinfo', ['-struct-text', '-'], { input: screen.pdf, encoding: 'utf8' });
    if (run.error || run.status !== 0) {
      ctx.skip(`pdfinfo (poppler-utils) is not installed: ${run.error?.message ?? run.stderr}`);
      return;
    }
    const quoted = [...run.stdout.matchAll(/^\s+"(.*)"$/gm)].map((m) => m[1]);
    const expected = screen.layout.pages.flatMap((p) => p.items.flatMap((it) => (it.kind === 'text' && it.structure ? [it.text] : [])));
    expect(quoted).toEqual(expected);
    expect(run.stdout).toMatch(/^ {2}H1 \(block\)\n {4}"新製品発表会のご案内"/m);
  });

  it('passes PDF/A-2b preflight: XMP identification, an sRGB output intent, the XMP saying what Info says', () => {
    expect(preflight(screen.pdf, { standard: 'PDF/A-2b' })).toEqual([]);
    const root = pdf.dict(pdf.trailer.get('Root'))!;
    const xmp = Buffer.from(pdf.decode(pdf.stream(root.get('Metadata'))!)!).toString('utf8');
    expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>/);
    expect(xmp).toContain(`<rdf:li xml:lang="x-default">${text(pdf, infoOf(pdf).get('Title'))}</rdf:li>`);
    expect(xmp).toMatch(/<xmp:ModifyDate>/);
    const intent = pdf.dict(asArray(pdf.get(root.get('OutputIntents')))[0])!;
    expect(nameOf(intent.get('S'))).toBe('GTS_PDFA1');
    expect(pdf.stream(intent.get('DestOutputProfile'))!.dict.get('N')).toBe(3);
  });

  it('veraPDF accepts it as PDF/A-2b (skipped when veraPDF is not installed)', (ctx) => {
    const probe = spawnSync('verapdf', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      ctx.skip('veraPDF is not installed (not in the npm registry or Debian here): install it to run this check');
      return;
    }
    const dir = tempDir();
    const file = writeFile(dir, 'screen.pdf', screen.pdf);
    const run = spawnSync('verapdf', ['--flavour', '2b', '--format', 'text', file], { encoding: 'utf8' });
    expect(run.stdout).toMatch(/^PASS /m);
  });
});

describe('print: in any template', () => {
  it('the press PDF of a document is named beside its screen PDF', () => {
    expect(pressFileName('output/x.pdf')).toBe('output/x.print.pdf');
    expect(pressFileName('out/a/0001.pdf')).toBe('out/a/0001.print.pdf');
  });

  it('marks: none gives a page of trim + bleed; a cmyk() colour stays as given', async () => {
    const p = project(
      'letterhead:\n  name: 組版工房\n  rule: { thickness: 2pt, color: "cmyk(0, 100, 100, 0)" }\nprint:\n  bleed: 5mm\n  marks: none\n',
    );
    const press = await p.build('press');
    const pdf = readPdf(press.pdf);
    const page = pages(pdf)[0]!;
    const media = box(pdf, page, 'MediaBox');
    const bleed = box(pdf, page, 'BleedBox');
    expect(media).toEqual(bleed);
    expect(bleed[2]! - bleed[0]!).toBeCloseTo(A4W + 2 * mmToPt(5), 2);
    const content = Buffer.from(pdf.decode(pdf.stream(page.get('Contents'))!)!).toString('latin1');
    expect(content).toContain('0 1 1 0 K');
    expect(content).not.toMatch(/\brg\b|\bRG\b/);
    expect(preflight(press.pdf, { standard: 'PDF/X-1a' })).toEqual([]);
  });

  it('the screen PDF gets a cmyk() colour in sRGB through the profile, and the build reports the conversion', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  rule: { thickness: 2pt, color: "cmyk(0, 100, 100, 0)" }\nprint: {}\n');
    const screen = await p.build('screen');
    const pdf = readPdf(screen.pdf);
    const content = Buffer.from(pdf.decode(pdf.stream(pages(pdf)[0]!.get('Contents'))!)!).toString('latin1');
    const rgb = /\/DeviceRGB CS\s+([\d.]+) ([\d.]+) ([\d.]+) SCN/.exec(content);
    expect(rgb).not.toBeNull();
    const [r, g, b] = rgb!.slice(1).map(Number);
    // Process red on coated paper is a warm red, well inside sRGB: strong red, little green, some blue.
    expect(r).toBeGreaterThan(0.8);
    expect(g).toBeLessThan(0.25);
    expect(b!).toBeLessThan(0.35);
    expect(screen.warnings.some((w) => /^colour cmyk\(0, 100, 100, 0\) → #[0-9a-f]{6} for the screen$/.test(w))).toBe(true);
    expect(preflight(screen.pdf, { standard: 'PDF/A-2b' })).toEqual([]);
  });

  it('a neutral #rrggbb colour goes to the press as grey (K only), a chromatic one through the profile, reported', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  rule: { thickness: 2pt, color: "#333333" }\nprint: {}\n');
    const press = await p.build('press');
    const pdf = readPdf(press.pdf);
    const content = Buffer.from(pdf.decode(pdf.stream(pages(pdf)[0]!.get('Contents'))!)!).toString('latin1');
    expect(content).toMatch(/ 0\.2 G /);
    expect(press.warnings.filter((w) => w.startsWith('colour'))).toEqual([]);
    const q = project('letterhead:\n  name: 組版工房\n  rule: { thickness: 2pt, color: "#1e50b0" }\nprint: {}\n');
    const blue = await q.build('press');
    expect(blue.warnings.some((w) => /^colour #1e50b0 → cmyk\([\d., ]+\) for the press$/.test(w))).toBe(true);
  });

  it('saddleStitch pads the press PDF with blank pages to a multiple of 4, with a notice, and preflight checks it', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `  第${i + 1}段落。${'長い本文が続きます。'.repeat(12)}\n`).join('\n');
    const p = project('print:\n  saddleStitch: true\n', `title: 冊子\nbody: |\n${body}`);
    const screen = await p.build('screen');
    const press = await p.build('press');
    expect(screen.pages % 4).not.toBe(0);
    expect(press.pages).toBe(Math.ceil(screen.pages / 4) * 4);
    expect(pages(readPdf(press.pdf)).length).toBe(press.pages);
    expect(press.warnings.some((w) => w.startsWith(`saddle stitch: ${press.pages - screen.pages} blank page`))).toBe(true);
    expect(preflight(press.pdf, { standard: 'PDF/X-1a', saddleStitch: true })).toEqual([]);
  });

  it('the same input gives the same press and screen bytes', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  rule: { thickness: 2pt, color: "#b01e2d" }\nprint: {}\n');
    for (const variant of ['press', 'screen'] as const) {
      const [a, b] = [await p.build(variant), await p.build(variant)];
      expect(Buffer.from(a.pdf).equals(Buffer.from(b.pdf)), variant).toBe(true);
    }
  });

  it('a title with & and < stays well-formed XML in the XMP and equal to the Info title', async () => {
    const p = project('print: {}\n', 'title: "A&B <新> 案内"\nbody: |\n  本文です。\n');
    const screen = await p.build('screen');
    const pdf = readPdf(screen.pdf);
    expect(text(pdf, infoOf(pdf).get('Title'))).toBe('A&B <新> 案内');
    const xmp = Buffer.from(pdf.decode(pdf.stream(pdf.dict(pdf.trailer.get('Root'))!.get('Metadata'))!)!).toString('utf8');
    expect(xmp).toContain('<rdf:li xml:lang="x-default">A&amp;B &lt;新&gt; 案内</rdf:li>');
  });

  it('an unknown output condition is an error at the template field', async () => {
    const p = project('print:\n  outputCondition: JapanColor2011\n');
    await expect(p.build('press')).rejects.toThrow(
      /unknown output condition "JapanColor2011"; use JC200103 or FOGRA39, or the path of an ICC profile/,
    );
  });

  it('a colour outside 0–100 % in cmyk() is a schema error', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  rule: { thickness: 2pt, color: "cmyk(0, 120, 0, 0)" }\n');
    await expect(p.build('screen')).rejects.toThrow(/cmyk\(\) takes four percentages from 0 to 100/);
  });

  it('PDF/X-4 with a registered condition kumihan has no profile for is a template error naming the field', async () => {
    const p = project('print:\n  standard: PDF/X-4\n');
    await expect(p.build('press')).rejects.toThrow(/PDF\/X-4 embeds the output profile/);
  });

  it('PDF/X-4 with FOGRA39 embeds the profile and identifies itself in XMP', async () => {
    const p = project('print:\n  standard: PDF/X-4\n  outputCondition: FOGRA39\n');
    const press = await p.build('press');
    const pdf = readPdf(press.pdf);
    expect(pdf.version).toBe('1.6');
    const root = pdf.dict(pdf.trailer.get('Root'))!;
    const intent = pdf.dict(asArray(pdf.get(root.get('OutputIntents')))[0])!;
    expect(pdf.stream(intent.get('DestOutputProfile'))!.dict.get('N')).toBe(4);
    expect(preflight(press.pdf, { standard: 'PDF/X-4' })).toEqual([]);
  });
});

describe('what touches the trim extends into the bleed', () => {
  it('a rule across the page and an image at a corner are drawn past the trim by the bleed, the image clipped there', async () => {
    const { writePdf } = await import('../../src/pdf/write.js');
    const { pressOutput } = await import('../../src/pdf/print.js');
    const { colourConverter } = await import('../../src/pdf/colour.js');
    const logo = path.join(ROOT, 'content/assets/logo.png');
    const doc = {
      pages: [
        {
          width: 200,
          height: 300,
          items: [
            { kind: 'rule' as const, x1: 0, y1: 100, x2: 200, y2: 100, thickness: 4, color: '#000000' },
            { kind: 'rule' as const, x1: 50, y1: 150, x2: 150, y2: 150, thickness: 4, color: '#000000' },
            { kind: 'image' as const, file: logo, x: 0, y: 0, width: 60, height: 60 },
            // A filled box (a booklet's panel; not a kind of this branch's layout): to the foot of the page.
            { kind: 'box', x: 0, y: 200, width: 200, height: 100, color: 'cmyk(0, 0, 100, 0)' } as unknown as PageItem,
          ],
        },
      ],
      warnings: [],
      block: { x: 0, y: 0, width: 200, height: 300, pitch: 10 },
    };
    const print = {
      bleed: 10,
      marks: 'none' as const,
      standard: 'PDF/X-1a' as const,
      saddleStitch: false,
      outputCondition: {
        identifier: 'JC200103',
        name: 'Japan Color 2001 Coated',
        profile: path.join(ROOT, 'profiles/kumihan-cmyk-fogra39.icc'),
        userProfile: false,
        registry: 'http://www.color.org',
      },
    };
    const colours = await colourConverter(print.outputCondition.profile);
    const bytes = await writePdf(
      doc,
      {},
      { creationDate: new Date(0), lang: 'ja-JP', title: 't' },
      pressOutput(print, colours, { title: 't' }),
    );
    const pdf = readPdf(bytes);
    const content = Buffer.from(pdf.decode(pdf.stream(pages(pdf)[0]!.get('Contents'))!)!).toString('latin1');
    // The full-width rule runs from −bleed to width + bleed; the inner one is untouched.
    expect(content).toContain('-10 100 m 210 100 l S');
    expect(content).toContain('50 150 m 150 150 l S');
    // The corner image covers the box grown by the bleed on the two sides it touches, clipped to it.
    expect(content).toContain('-10 -10 70 70 re W n');
    // The box runs into the bleed on the three sides it touches, in the CMYK it was given.
    expect(content).toContain('q 0 0 1 0 k -10 200 220 110 re f Q');
    // 240 pixels over 70 pt is about 247 ppi: below what shops ask, so a warning, not a failure.
    const findings = preflight(bytes, { standard: 'PDF/X-1a' });
    expect(findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(['warn resolution']);
    expect(findings[0]!.message).toMatch(/^an image of 24\d ppi at its placed size/);
  });
});

describe('a figure and an outline in the screen PDF (any document kind can set them)', () => {
  it('an image with a Figure role carries its caption as /Alt; navigation entries become bookmarks', async () => {
    const { writePdf } = await import('../../src/pdf/write.js');
    const { screenOutput } = await import('../../src/pdf/screen.js');
    const logo = path.join(ROOT, 'content/assets/logo.png');
    const doc = {
      pages: [
        {
          width: 300,
          height: 300,
          items: [
            {
              kind: 'image' as const,
              file: logo,
              x: 10,
              y: 10,
              width: 50,
              height: 50,
              structure: { role: 'Figure' as const, element: 1, alt: '組版工房のロゴ' },
            },
          ],
        },
        { width: 300, height: 300, items: [] },
      ],
      warnings: [],
      navigation: {
        outline: [
          { title: '第一章', page: 0, top: 20 },
          { title: '第一節', page: 0, top: 120 },
          { title: '第二章', page: 1, top: 20 },
        ],
        pageLabels: [{ page: 0, start: 1 }],
      },
      block: { x: 0, y: 0, width: 300, height: 300, pitch: 10 },
    };
    const bytes = await writePdf(doc, {}, { creationDate: new Date(0), lang: 'ja-JP', title: 't' }, screenOutput(undefined));
    const pdf = readPdf(bytes);
    const root = pdf.dict(pdf.trailer.get('Root'))!;
    const document = pdf.dict(asArray(pdf.get(pdf.dict(root.get('StructTreeRoot'))!.get('K')))[0])!;
    const figure = pdf.dict(asArray(pdf.get(document.get('K')))[0])!;
    expect(nameOf(figure.get('S'))).toBe('Figure');
    expect(text(pdf, figure.get('Alt'))).toBe('組版工房のロゴ');
    const outlines = pdf.dict(root.get('Outlines'))!;
    const titles: string[] = [];
    const walk = (item: unknown, depth: number) => {
      for (let it = item; it; it = pdf.dict(it as never)?.get('Next')) {
        const d = pdf.dict(it as never)!;
        titles.push(`${depth}:${text(pdf, d.get('Title'))}`);
        if (d.has('First')) walk(d.get('First'), depth + 1);
      }
    };
    walk(outlines.get('First'), 1);
    expect(titles).toEqual(['1:第一章', '1:第一節', '1:第二章']);
  });
});

describe('JPEG images in the press PDF', () => {
  /** A JPEG of a flat colour made with mupdf (tests may load it): RGB or CMYK. */
  async function jpeg(space: 'rgb' | 'cmyk', rgb?: [number, number, number]): Promise<Uint8Array> {
    const { loadMupdf } = await import('../../src/check/mupdf.js');
    const mupdf = await loadMupdf();
    const cs = space === 'rgb' ? mupdf.ColorSpace.DeviceRGB : mupdf.ColorSpace.DeviceCMYK;
    const pixmap = new mupdf.Pixmap(cs, [0, 0, 400, 400], false);
    pixmap.clear(space === 'rgb' ? 128 : 40);
    if (rgb) {
      const pixels = pixmap.getPixels();
      for (let i = 0; i < pixels.length; i += 3) pixels.set(rgb, i);
    }
    return pixmap.asJPEG(90);
  }

  it('an RGB JPEG is decoded and converted: a DeviceCMYK image of the same pixel size, and the screen PDF keeps the JPEG', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  logo: { file: logo.jpg, width: 20mm }\nprint: {}\n');
    writeFile(p.dir, 'logo.jpg', await jpeg('rgb', [200, 40, 40]));
    const press = await p.build('press');
    const pdf = readPdf(press.pdf);
    const xobjects = pdf.dict(pdf.dict(pages(pdf)[0]!.get('Resources'))!.get('XObject'))!;
    const image = pdf.get([...xobjects.values()][0]!) as PdfStream;
    expect(nameOf(image.dict.get('ColorSpace'))).toBe('DeviceCMYK');
    expect([image.dict.get('Width'), image.dict.get('Height')]).toEqual([400, 400]);
    expect(nameOf(image.dict.get('Filter'))).not.toBe('DCTDecode');
    expect(preflight(press.pdf, { standard: 'PDF/X-1a' })).toEqual([]);
    expect(preflight((await p.build('screen')).pdf, { standard: 'PDF/A-2b' })).toEqual([]);
  });

  it('a damaged RGB JPEG is an error naming the file, not a crash', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  logo: { file: logo.jpg, width: 20mm }\nprint: {}\n');
    const whole = await jpeg('rgb', [200, 40, 40]);
    // Scan data overwritten with a marker the decoder does not expect, the end marker kept.
    const damaged = new Uint8Array(whole);
    for (let i = Math.floor(whole.length * 0.5); i < whole.length - 2; i += 2) damaged.set([0xff, 0xc4], i);
    writeFile(p.dir, 'logo.jpg', damaged);
    await expect(p.build('press')).rejects.toThrow(/logo\.jpg.*(cannot read the JPEG image|damaged)/);
  });

  it('a truncated RGB JPEG (a copy cut short) is an error naming the file, and the build of the next document goes on', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  logo: { file: logo.jpg, width: 20mm }\nprint: {}\n');
    const whole = await jpeg('rgb', [200, 40, 40]);
    writeFile(p.dir, 'logo.jpg', whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expect(p.build('press')).rejects.toThrow(/logo\.jpg.*(truncated|cannot read the JPEG image)/);
    writeFile(p.dir, 'logo.jpg', whole);
    expect(preflight((await p.build('press')).pdf, { standard: 'PDF/X-1a' })).toEqual([]);
  });

  it('a CMYK JPEG goes in as it is, as DeviceCMYK', async () => {
    const p = project('letterhead:\n  name: 組版工房\n  logo: { file: logo.jpg, width: 20mm }\nprint: {}\n');
    writeFile(p.dir, 'logo.jpg', await jpeg('cmyk'));
    const press = await p.build('press');
    const pdf = readPdf(press.pdf);
    const xobjects = pdf.dict(pdf.dict(pages(pdf)[0]!.get('Resources'))!.get('XObject'))!;
    const image = pdf.get([...xobjects.values()][0]!) as PdfStream;
    expect(nameOf(image.dict.get('ColorSpace'))).toBe('DeviceCMYK');
    expect(nameOf(image.dict.get('Filter'))).toBe('DCTDecode');
    expect(preflight(press.pdf, { standard: 'PDF/X-1a' })).toEqual([]);
  });
});
