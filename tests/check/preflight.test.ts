/**
 * Preflight on PDFs made here to break one rule each. The generator writes a small PDF/X-1a file with
 * pdfkit — not with kumihan's writer, so that preflight is tested on someone else's PDF — and a control
 * made by the same generator with every switch off must pass: each failure below is then caused by its
 * one switch. The duplicate subset tag is made by editing the bytes of such a file (same length, so the
 * cross-reference table stays right).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { formatFinding, preflight, type Finding } from '../../src/check/preflight.js';
import { ROOT, tempDir, writeFile } from '../support/files.js';

const GOTHIC = path.join(ROOT, 'fonts/BIZUDGothic-Regular.ttf');
const MINCHO = path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf');
const BIN = path.join(ROOT, 'bin/kumihan.cjs');

interface Breakage {
  rgbText?: boolean;
  richBlackText?: boolean;
  alphaImage?: boolean;
  noTrimBox?: boolean;
  /** A link annotation inside the trim, or (outside) beyond the BleedBox. */
  link?: 'inside' | 'outside';
  opacity?: boolean;
  pages?: number;
  secondFont?: boolean;
  noOutputIntent?: boolean;
  lowResolution?: boolean;
}

/** A grey PNG with an alpha channel (colour type 4), `size` pixels square. */
function greyAlphaPng(size: number, alpha: boolean): Buffer {
  const png = new PNG({ width: size, height: size, colorType: alpha ? 4 : 0, inputColorType: 6, inputHasAlpha: true });
  for (let i = 0; i < size * size; i++) png.data.set([100, 100, 100, i % 2 ? 128 : 255], i * 4);
  return PNG.sync.write(png, { colorType: alpha ? 4 : 0, inputColorType: 6, inputHasAlpha: true });
}

/** A PDF/X-1a:2001 file of `pages` A5-ish pages with 3 mm bleed, broken as asked. */
async function makePdf(b: Breakage = {}): Promise<Uint8Array> {
  const pdf = new PDFDocument({
    pdfVersion: '1.3',
    autoFirstPage: false,
    info: { Title: 'preflight fixture', CreationDate: new Date(0), ModDate: new Date(0) },
  });
  const internals = pdf as unknown as {
    ref(data: object): { end(data?: unknown): void; data: Record<string, unknown> };
    _root: { data: Record<string, unknown> };
    page: { dictionary: { data: Record<string, unknown> } };
    info: Record<string, unknown>;
  };
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => pdf.on('end', resolve));
  const bleed = 8.5;
  const [w, h] = [420, 595];
  for (let p = 0; p < (b.pages ?? 1); p++) {
    pdf.addPage({ size: [w + 2 * bleed + 40, h + 2 * bleed + 40], margin: 0 });
    const o = bleed + 20;
    if (!b.noTrimBox) internals.page.dictionary.data.TrimBox = [o, o, o + w, o + h];
    internals.page.dictionary.data.BleedBox = [o - bleed, o - bleed, o + w + bleed, o + h + bleed];
    pdf.font(GOTHIC).fontSize(12);
    pdf.fillColor(b.rgbText ? '#cc0000' : b.richBlackText ? [60, 40, 40, 100] : [0, 0, 0, 100]);
    pdf.text('組版の試験', o + 40, o + 40, { lineBreak: false });
    if (b.secondFont) pdf.font(MINCHO).text('明朝の試験', o + 40, o + 80, { lineBreak: false });
    if (b.alphaImage || b.lowResolution) {
      // 120 pixels over 28.8 pt is 300 ppi; over 144 pt it is 60 ppi.
      pdf.image(greyAlphaPng(120, b.alphaImage === true), o + 40, o + 120, { width: b.lowResolution ? 144 : 28.8 });
    }
    if (b.link === 'inside') pdf.link(o + 40, o + 200, 100, 20, 'https://example.com/');
    if (b.link === 'outside') pdf.link(2, 2, 10, 10, 'https://example.com/');
    if (b.opacity)
      pdf
        .fillOpacity(0.5)
        .rect(o + 40, o + 300, 50, 50)
        .fill([0, 100, 0, 0]);
  }
  if (!b.noOutputIntent) {
    const intent = internals.ref({
      Type: 'OutputIntent',
      S: 'GTS_PDFX',
      OutputConditionIdentifier: new String('JC200103'),
      RegistryName: new String('http://www.color.org'),
      Info: new String('Japan Color 2001 Coated'),
    });
    intent.end();
    internals._root.data.OutputIntents = [intent];
  }
  internals.info.GTS_PDFXVersion = 'PDF/X-1:2001';
  internals.info.GTS_PDFXConformance = 'PDF/X-1a:2001';
  // /Trapped is a name: an object pdfkit writes through toString, as it writes its references.
  const Reference = Object.getPrototypeOf(internals._root.constructor) as new () => object;
  internals.info.Trapped = new (class extends Reference {
    override toString() {
      return '/False';
    }
  })();
  pdf.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

const failures = (findings: Finding[]) => findings.filter((f) => f.severity === 'fail');
const lines = (findings: Finding[]) => failures(findings).map(formatFinding);

describe('preflight of PDFs made to break one rule each', () => {
  it('the control file, with nothing broken, passes PDF/X-1a', async () => {
    expect(preflight(await makePdf(), { standard: 'PDF/X-1a' })).toEqual([]);
    expect(preflight(await makePdf({ secondFont: true, link: 'outside' }), { standard: 'PDF/X-1a' })).toEqual([]);
  });

  it('RGB text fails, naming the page and the content stream', async () => {
    const found = lines(preflight(await makePdf({ rgbText: true }), { standard: 'PDF/X-1a' }));
    expect(found).toContainEqual(
      expect.stringMatching(/^FAIL colour page 1 \(\d+ 0 R\): text drawn in DeviceRGB; black text must be K only/),
    );
    expect(found.every((l) => l.startsWith('FAIL colour page 1'))).toBe(true);
  });

  it('four-colour black text fails (K100 alone is what shops want)', async () => {
    expect(lines(preflight(await makePdf({ richBlackText: true }), { standard: 'PDF/X-1a' }))).toEqual([
      expect.stringMatching(
        /^FAIL colour page 1 \(\d+ 0 R\): black text in four colours \(cmyk 0\.6 0\.4 0\.4 1\); black text must be K100 alone$/,
      ),
    ]);
  });

  it('an image with alpha fails as transparency (an SMask), naming the image', async () => {
    expect(lines(preflight(await makePdf({ alphaImage: true }), { standard: 'PDF/X-1a' }))).toEqual([
      expect.stringMatching(
        /^FAIL transparency page 1 \(\d+ 0 R\): an image with an alpha channel \(SMask\); flatten it on white for PDF\/X-1a$/,
      ),
    ]);
    // PDF/X-4 allows transparency.
    expect(
      failures(preflight(await makePdf({ alphaImage: true }), { standard: 'PDF/X-4' })).filter((f) => f.rule === 'transparency'),
    ).toEqual([]);
  });

  it('opacity below 1 fails as transparency', async () => {
    expect(lines(preflight(await makePdf({ opacity: true }), { standard: 'PDF/X-1a' }))).toEqual([
      expect.stringMatching(/^FAIL transparency page 1 \(\d+ 0 R\): opacity \/ca 0\.5 \(below 1\)$/),
    ]);
  });

  it('a page without a TrimBox fails, on that page only', async () => {
    const found = lines(preflight(await makePdf({ noTrimBox: true, pages: 2 }), { standard: 'PDF/X-1a' }));
    expect(found).toEqual([
      expect.stringMatching(/^FAIL boxes page 1 \(\d+ 0 R\): no TrimBox \(or ArtBox\)/),
      expect.stringMatching(/^FAIL boxes page 2 \(\d+ 0 R\): no TrimBox \(or ArtBox\)/),
    ]);
  });

  it('a link inside the trim fails; one outside the BleedBox passes', async () => {
    expect(lines(preflight(await makePdf({ link: 'inside' }), { standard: 'PDF/X-1a' }))).toEqual([
      expect.stringMatching(
        /^FAIL annotations page 1 \(\d+ 0 R\): a Link annotation inside the trim; PDF\/X allows annotations only outside the BleedBox$/,
      ),
    ]);
  });

  it('two font programs with one subset tag fail', async () => {
    const good = await makePdf({ secondFont: true });
    const text = Buffer.from(good).toString('latin1');
    const tags = [...new Set([...text.matchAll(/\/BaseFont \/([A-Z]{6})\+/g)].map((m) => m[1]!))];
    expect(tags.length).toBe(2);
    const broken = Buffer.from(text.replaceAll(`/${tags[1]}+`, `/${tags[0]}+`), 'latin1');
    expect(broken.length).toBe(good.length);
    const found = lines(preflight(broken, { standard: 'PDF/X-1a' }));
    expect(found).toEqual([
      expect.stringMatching(
        new RegExp(
          `^FAIL fonts page 1 \\(\\d+ 0 R\\): subset tag ${tags[0]} is used by 2 different font programs \\(\\d+ 0 R, \\d+ 0 R: ${tags[0]}\\+BIZUDGothic-Regular, ${tags[0]}\\+BIZUDMincho-Regular\\)`,
        ),
      ),
    ]);
  });

  it('13 pages fail with saddle stitch, 12 pass', async () => {
    expect(lines(preflight(await makePdf({ pages: 13 }), { standard: 'PDF/X-1a', saddleStitch: true }))).toEqual([
      'FAIL pages: 13 pages; a saddle-stitched booklet needs a multiple of 4 (add 3 blank pages)',
    ]);
    expect(preflight(await makePdf({ pages: 12 }), { standard: 'PDF/X-1a', saddleStitch: true })).toEqual([]);
    expect(preflight(await makePdf({ pages: 13 }), { standard: 'PDF/X-1a' })).toEqual([]);
  });

  it('a missing output intent fails', async () => {
    expect(lines(preflight(await makePdf({ noOutputIntent: true }), { standard: 'PDF/X-1a' }))).toEqual([
      'FAIL output-intent: no OutputIntent with /S /GTS_PDFX',
    ]);
  });

  it('an image under 150 ppi at its placed size fails; 300 ppi passes', async () => {
    expect(lines(preflight(await makePdf({ lowResolution: true }), { standard: 'PDF/X-1a' }))).toEqual([
      expect.stringMatching(/^FAIL resolution page 1 \(\d+ 0 R\): an image of 60 ppi at its placed size/),
    ]);
  });

  it('a plain PDF (not PDF/X) fails the required keys', async () => {
    const plain = new PDFDocument({ pdfVersion: '1.7' });
    const chunks: Buffer[] = [];
    plain.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve) => plain.on('end', resolve));
    plain.end();
    await done;
    const found = lines(preflight(Buffer.concat(chunks), { standard: 'PDF/X-1a' }));
    expect(found).toContain('FAIL keys: PDF version 1.7; PDF/X-1a is PDF 1.3 (X-1a:2001) or 1.4 (X-1a:2003)');
    expect(found).toContain('FAIL keys: the document information has no /GTS_PDFXVersion');
    expect(found).toContain('FAIL keys: /Trapped must be /True or /False (it is missing)');
    // pdfkit's default font (Helvetica) is not embedded: not used on an empty page, so not reported.
    expect(found.some((l) => l.includes('fonts'))).toBe(false);
  });
});

describe('kumihan preflight (the command)', () => {
  it('prints one line per finding and exits 1; a passing file exits 0; --standard is checked', async () => {
    const dir = tempDir();
    const bad = writeFile(dir, 'bad.pdf', await makePdf({ rgbText: true, link: 'inside' }));
    const good = writeFile(dir, 'good.pdf', await makePdf({ pages: 4 }));
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, 'preflight', ...args], { encoding: 'utf8' });
    const failed = run(bad);
    expect(failed.status).toBe(1);
    const out = failed.stdout.trim().split('\n');
    expect(out.filter((l) => l.startsWith(`${bad}: FAIL colour page 1`)).length).toBeGreaterThan(0);
    expect(out).toContainEqual(expect.stringMatching(/: FAIL annotations page 1 \(\d+ 0 R\): a Link annotation inside the trim/));
    expect(out[out.length - 1]).toMatch(/fails PDF\/X-1a preflight \(\d+ failures, 0 warnings\)$/);
    const passed = run(good, '--saddle-stitch');
    expect(passed.status, passed.stdout + passed.stderr).toBe(0);
    expect(passed.stdout).toContain(`${good}: passes PDF/X-1a preflight (0 failures, 0 warnings)`);
    const usage = run(good, '--standard', 'PDF/X-3');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--standard must be one of PDF\/X-1a, PDF\/X-4, PDF\/A-2b, none/);
  });
});

describe('subset tags (src/pdf/write.ts)', () => {
  it('are distinct and six capitals for every font id a document can have, and the same every time', async () => {
    const { subsetTag } = await import('../../src/pdf/write.js');
    const seen = new Map<string, string>();
    for (let n = 1; n <= 20000; n++) {
      const tag = subsetTag(`F${n}`);
      expect(tag).toMatch(/^[A-Z]{6}$/);
      expect(seen.get(tag), `F${n} and ${seen.get(tag)} share ${tag}`).toBeUndefined();
      seen.set(tag, `F${n}`);
    }
    expect(subsetTag('F1')).toBe(subsetTag('F1'));
  });
});

describe('preflight reads PDFs written by other tools', () => {
  it('a press PDF rewritten by mupdf with object streams and a cross-reference stream: everything is still found', async () => {
    const { buildDocument } = await import('../../src/build.js');
    const { loadMupdf } = await import('../../src/check/mupdf.js');
    const mupdf = await loadMupdf();
    const press = await buildDocument(path.join(ROOT, 'content/sample-company-letter.yaml'), { variant: 'press' });
    const doc = mupdf.Document.openDocument(press.pdf, 'application/pdf').asPDF()!;
    const rewritten = doc.saveToBuffer('compress,objstms,garbage').asUint8Array();
    const text = Buffer.from(rewritten).toString('latin1');
    expect(text).toContain('/ObjStm');
    expect(text).toContain('/XRef');
    // Object streams need PDF 1.5, which PDF/X-1a does not allow: that, and nothing else, fails.
    expect(lines(preflight(rewritten, { standard: 'PDF/X-1a' }))).toEqual([
      'FAIL keys: PDF version 1.5; PDF/X-1a is PDF 1.3 (X-1a:2001) or 1.4 (X-1a:2003)',
    ]);
    // The rest was read through the object streams: PDF/X-4 (PDF 1.5 allowed) only misses what X-4 adds.
    const x4 = lines(preflight(rewritten, { standard: 'PDF/X-4' }));
    expect(x4).toContain('FAIL keys: /GTS_PDFXVersion is "PDF/X-1:2001", not PDF/X-4');
    expect(x4.every((l) => /PDF\/X-4|DestOutputProfile|pdfxid/.test(l))).toBe(true);
  });
});
