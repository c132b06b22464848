/**
 * pdfkit internals that src/pdf/write.ts relies on (pdfkit documents none of them): the document's font
 * registry (`_font`, `_fontCount`, `_fontFamilies`), `ref()`, `addContent()`, `page.fonts`, output through `push()`, a page's
 * initial y-flip, and the EmbeddedFont class — its constructor `(doc, font, id)`, its fields `document`,
 * `font`, `id`, `widths`, `unicode`, `scale`, `subset`, `dictionary`, and `ref()` / `embed()` as the
 * document's end calls them.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { describe, it } from 'vitest';
import { loadFont } from '../../src/font/fonts.js';
import { CollectedPdfDocument } from '../../src/pdf/write.js';
import { ROOT } from '../support/files.js';
import { contract } from './contract.js';

const WRITER = 'src/pdf/write.ts';
const MINCHO = path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf');
const GOTHIC = path.join(ROOT, 'fonts/BIZUDGothic-Regular.ttf');

type Internals = Record<string, unknown> & {
  _font: Record<string, unknown> & { constructor: new (doc: unknown, font: unknown, id: string) => Record<string, unknown> };
  _fontCount: number;
  _fontFamilies: Record<string, unknown>;
  page: { fonts: Record<string, unknown> };
  ref(data?: Record<string, unknown>): { data: Record<string, unknown>; end(chunk?: string | Uint8Array): void };
  addContent(data: string | Uint8Array): unknown;
};

/** A document as writePdf makes it (no default font, no first page), uncompressed so that its bytes can be read. */
function newDocument(): { pdf: PDFKit.PDFDocument; internals: Internals; done: Promise<Buffer> } {
  const pdf = new PDFDocument({ autoFirstPage: false, compress: false, font: null as unknown as string } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  return { pdf, internals: pdf as unknown as Internals, done };
}

describe('PDFDocument', () => {
  const doc = contract('pdfkit', 'PDFDocument', WRITER);

  it('keeps its font registry in _font, _fontCount and _fontFamilies, and font() takes a Font object', async () => {
    const { pdf, internals, done } = newDocument();
    doc.field(internals, '_fontFamilies', 'object');
    doc.field(internals, '_fontCount', 'number');
    doc.holds(internals._font === null, '`_font` is not null in a document made with `font: null` (Helvetica would be loaded)');
    const font = loadFont(MINCHO);
    pdf.font(font as unknown as string);
    doc.field(internals, '_font', 'object');
    doc.holds(internals._font.font === font, 'font(fontObject) does not use the object given (`_font.font`)');
    doc.holds(internals._fontCount === 1 && internals._font.id === 'F1', 'the first font is not `F1` counted by `_fontCount`');
    // write.ts adopts pdfkit's object once and relies on getting the same one back for the same font.
    const first = internals._font;
    pdf.font(font as unknown as string);
    doc.holds(
      internals._font === first,
      'selecting the same font object again does not give back the same font object (isEqualFont on `_tables`)',
    );
    pdf.font(loadFont(GOTHIC) as unknown as string);
    doc.holds(internals._font !== first, 'selecting another font gives back the first one');
    pdf.addPage({ size: [100, 100], margin: 0 });
    pdf.end();
    await done;
  });

  it('makes indirect objects with ref(data), which are written with end()', async () => {
    const { pdf, internals, done } = newDocument();
    doc.field(internals, 'ref', 'function');
    const ref = internals.ref({ Type: 'KumihanContract' });
    doc.field(ref, 'data', 'object');
    doc.field(ref, 'end', 'function');
    ref.data.Marker = 42;
    ref.end();
    pdf.addPage({ size: [100, 100], margin: 0 });
    pdf.end();
    const bytes = (await done).toString('latin1');
    doc.holds(/\/Type \/KumihanContract\s*\/Marker 42/.test(bytes), 'ref(data).end() does not write the object with its data');
  });

  it('starts a page with its y-flip, writes bytes given to addContent() as they are, and registers page fonts in page.fonts', async () => {
    const { pdf, internals, done } = newDocument();
    pdf.addPage({ size: [100, 100], margin: 0 });
    doc.field(internals, 'addContent', 'function');
    doc.field(internals.page, 'fonts', 'object');
    const fontRef = internals.ref({ Type: 'Font', Subtype: 'Type0', BaseFont: 'KumihanContractFont' });
    fontRef.end();
    internals.page.fonts.F9 = fontRef;
    doc.holds(internals.page.fonts.F9 === fontRef, '`page.fonts` does not keep what is put in it');
    const ops = 'BT\n/F9 12 Tf\n[<0001>] TJ\nET\n';
    internals.addContent(Buffer.from(ops, 'latin1'));
    pdf.end();
    const bytes = (await done).toString('latin1');
    // write.ts undoes pdfkit's initial transform (`1 0 0 -1 0 <height> cm`) in each line it writes.
    const flip = '1 0 0 -1 0 100 cm\n';
    doc.holds(bytes.includes(`stream\n${flip}`), `a page's content no longer starts with the y-flip \`${flip.trim()}\``);
    doc.holds(
      bytes.includes(`/Length ${flip.length + ops.length}\n>>\nstream\n${flip}${ops}\nendstream`),
      'addContent(bytes) does not write the bytes verbatim (and nothing else) into the page content',
    );
    doc.holds(/\/Font <<\s*\/F9 \d+ 0 R/.test(bytes), '`page.fonts` entries are not written as the page\u2019s /Font resources');
  });

  it('writes all of its output with push(), ending with push(null) (CollectedPdfDocument collects it there)', async () => {
    // The same document, read as a stream and collected by CollectedPdfDocument: the same bytes.
    const options = {
      autoFirstPage: false,
      compress: false,
      font: null as unknown as string,
      info: { CreationDate: new Date(Date.UTC(2017, 0, 26)), Title: 'contract' },
    } as PDFKit.PDFDocumentOptions;
    const draw = (pdf: PDFKit.PDFDocument) => {
      for (const size of [100, 200]) {
        pdf.addPage({ size: [size, size], margin: 0 });
        (pdf as unknown as Internals).addContent(Buffer.from('0 0 m 10 10 l S\n', 'latin1'));
      }
    };
    const streamed = new PDFDocument(options);
    const chunks: Buffer[] = [];
    streamed.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise<void>((resolve) => streamed.on('end', resolve));
    draw(streamed);
    streamed.end();
    await ended;
    const collected = new CollectedPdfDocument(options);
    let finished = false;
    collected.finished = () => (finished = true);
    draw(collected);
    collected.end();
    doc.holds(finished, 'end() does not finish the file with push(null) before it returns');
    const expected = Buffer.concat(chunks);
    doc.holds(
      expected.length > 500 && Buffer.concat(collected.output).equals(expected),
      'a document collected from push() is not the document the stream gives',
    );
  });
});

describe('EmbeddedFont', () => {
  const ef = contract('pdfkit', 'EmbeddedFont', WRITER);

  it.each([
    ['read by kumihan (SfntFont)', () => loadFont(MINCHO)],
    ['opened by fontkit', () => fontkit.create(fs.readFileSync(GOTHIC))],
  ] as [string, () => Font][])('has the constructor and fields the writer uses, for a font %s', async (_label, open) => {
    const { pdf, internals, done } = newDocument();
    const font = open();
    pdf.font(font as unknown as string);
    const first = internals._font;
    // write.ts makes further font objects of a file with pdfkit's own class: `new (first.constructor)(doc, font, id)`.
    const EmbeddedFont = first.constructor;
    ef.holds(typeof EmbeddedFont === 'function' && EmbeddedFont.length === 3, 'the constructor is not `(document, font, id)`');
    const f = new EmbeddedFont(pdf, font, 'F7');
    ef.holds(f.document === pdf, 'field `document` is not the document given to the constructor');
    ef.holds(f.font === font, 'field `font` is not the font given to the constructor');
    ef.holds(f.id === 'F7', 'field `id` is not the id given to the constructor');
    ef.field(f, 'widths', 'array');
    ef.field(f, 'unicode', 'array');
    ef.field(f, 'scale', 'number');
    ef.holds(f.scale === 1000 / font.unitsPerEm, '`scale` is no longer 1000 / unitsPerEm');
    ef.field(f, 'subset', 'object');
    ef.field(f.subset, 'includeGlyph', 'function');
    ef.field(f, 'ref', 'function');
    ef.field(f, 'embed', 'function');
    ef.holds(f.dictionary === undefined, '`dictionary` is set before ref() is called');

    // write.ts replaces `subset` and `embed` on the object, fills `widths` and `unicode` by subset glyph id,
    // registers the object in `_fontFamilies` and takes `ref()` for the page; the document's end must then
    // call the object's own `embed()` once, with `dictionary` set to that ref.
    const calls: unknown[] = [];
    f.embed = function (this: Record<string, unknown>) {
      calls.push(this.dictionary);
      (this.dictionary as { end(): void }).end();
    };
    (f.widths as number[])[1] = 500;
    (f.unicode as number[][])[1] = [0x3042];
    internals._fontFamilies[f.id as string] = f;
    pdf.addPage({ size: [100, 100], margin: 0 });
    const ref = (f.ref as () => unknown)();
    ef.holds(f.dictionary === ref, 'ref() does not keep its reference in `dictionary`');
    ef.holds((f.ref as () => unknown)() === ref, 'ref() does not give the same reference each time');
    pdf.end();
    await done;
    ef.holds(
      calls.length === 1 && calls[0] === ref,
      `the document's end called the font object's embed() ${calls.length} times (expected once, with \`dictionary\` set)`,
    );
  });
});
