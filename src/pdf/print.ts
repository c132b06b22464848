/**
 * The press PDF (入稿データ): the laid-out pages on a sheet with bleed and trim marks, every colour in
 * DeviceCMYK or DeviceGray, images converted to CMYK, and the PDF/X identification.
 *
 * - Geometry: each page's TrimBox is the laid-out page; the BleedBox grows it by `print.bleed` on every
 *   side; the MediaBox leaves room for the trim marks (MARK_ROOM beyond the bleed) or, with
 *   `marks: none`, is the BleedBox. The content is drawn translated so that page coordinates stay those
 *   of layout.
 * - Trim marks (トンボ), Japanese style: at each corner a double mark — one line on the trim, one on the
 *   bleed — and a centre mark (十字) on each side, all outside the BleedBox, in registration colour
 *   (cmyk 100 100 100 100, which every plate prints).
 * - Colour: text is never given a colour (the initial DeviceGray 0: the K plate alone, "K100"); rules
 *   and images go through the colour converter (colour.ts): neutrals to DeviceGray, others to CMYK.
 * - Images: decoded (pngjs), alpha flattened on white paper (no SMask: PDF/X-1a has no transparency),
 *   converted to CMYK through the output profile, embedded as one DeviceCMYK (or DeviceGray) image
 *   XObject per file. A CMYK or grey JPEG is embedded as it is; an RGB JPEG is decoded (jpeg-js) and
 *   converted like a PNG, its samples Flate-compressed (lossless: larger than the JPEG, never resampled).
 * - Bleed: an image or rule that touches the trim is extended into the bleed on that side (an image
 *   scaled about its centre to cover the extended box and clipped to it).
 * - Standard: PDF/X-1a:2001 is PDF 1.3 with /GTS_PDFXVersion (PDF/X-1:2001), /GTS_PDFXConformance
 *   (PDF/X-1a:2001), /Trapped /False and an OutputIntent /GTS_PDFX naming the registered condition
 *   (JC200103), the profile embedded only when it is the user's own. PDF/X-4 is PDF 1.6 with the XMP
 *   identification and the profile embedded. No links or annotations are ever written.
 */
import fs from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { KumihanError } from '../errors.js';
import type { ImageItem, LaidOutPage, PageItem, RuleItem } from '../layout/page.js';
import type { ResolvedPrint } from '../model/template.js';
import { mmToPt } from '../units.js';
import { parseColour, type ColourConverter, type DeviceColour } from './colour.js';
import { escapeInfoInXmp, type Pdf, type PdfOutputHooks } from './output.js';
import { xmpTimestamp } from '../time.js';

/** Room for the marks beyond the bleed: the marks are 10 mm long, with 1 mm to spare. */
export const MARK_LENGTH = mmToPt(10);
export const MARK_ROOM = MARK_LENGTH + mmToPt(1);
/** Trim marks are hairlines (0.1 mm, about 0.3 pt), as print shops draw them. */
export const MARK_WIDTH = 0.3;
const TOUCH = 0.01;

/** The page's boxes in PDF coordinates (origin bottom-left of the sheet), [x0, y0, x1, y1]. */
export interface PressBoxes {
  media: [number, number, number, number];
  bleed: [number, number, number, number];
  trim: [number, number, number, number];
  /** Where the laid-out page's origin lies on the sheet (left, top offsets in pt). */
  offset: number;
}

export function pressBoxes(width: number, height: number, print: Pick<ResolvedPrint, 'bleed' | 'marks'>): PressBoxes {
  const b = print.bleed;
  const offset = print.marks === 'japanese' ? b + MARK_ROOM : b;
  const W = width + 2 * offset;
  const H = height + 2 * offset;
  return {
    media: [0, 0, W, H],
    bleed: [offset - b, offset - b, offset + width + b, offset + height + b],
    trim: [offset, offset, offset + width, offset + height],
    offset,
  };
}

/** PDF operators setting a stroke (or fill) colour. */
export function colourOperator(c: DeviceColour, stroke: boolean): string {
  const n = (v: number) => String(Math.round(v * 1000) / 1000);
  switch (c.space) {
    case 'gray':
      return `${n(c.value)} ${stroke ? 'G' : 'g'}`;
    case 'cmyk':
      return `${c.cmyk.map(n).join(' ')} ${stroke ? 'K' : 'k'}`;
    case 'rgb':
      return `${c.rgb.map(n).join(' ')} ${stroke ? 'RG' : 'rg'}`;
  }
}

/** A rule drawn with raw operators in pdfkit's page space (origin top-left, y down). */
export function drawRule(pdf: Pdf, rule: RuleItem, colour: DeviceColour): void {
  const n = (v: number) => String(Math.round(v * 1000) / 1000);
  pdf.addContent(
    `q ${n(rule.thickness)} w ${colourOperator(colour, true)} ${n(rule.x1)} ${n(rule.y1)} m ${n(rule.x2)} ${n(rule.y2)} l S Q`,
  );
}

interface PdfRef {
  data: Record<string, unknown>;
  end(chunk?: Uint8Array | string): void;
}
/** The pdfkit internals the press hooks use (PDFDocument.ref, the current page's dictionary). */
interface Internals {
  ref(data?: Record<string, unknown>): PdfRef;
  page: { xobjects: Record<string, unknown>; dictionary: PdfRef };
  addContent(data: string): void;
  openImage(src: Buffer): { embed(doc: unknown): void; obj: PdfRef; width: number; height: number };
  info: Record<string, unknown>;
  _root: PdfRef;
}
const internalsOf = (pdf: Pdf) => pdf as unknown as Internals;

/** One image XObject per file and document. */
interface EmbeddedImage {
  ref: PdfRef;
  name: string;
  width: number;
  height: number;
}

/** What an image file becomes in the press PDF: CMYK or grey samples, never with alpha. */
export function pressImageData(
  file: string,
  colours: ColourConverter,
): { width: number; height: number; space: 'DeviceCMYK' | 'DeviceGray'; data: Uint8Array; jpeg?: false } | { jpeg: true; data: Buffer } {
  const bytes = fs.readFileSync(file);
  let pixels: { width: number; height: number; data: Uint8Array };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const components = jpegComponents(bytes);
    if (components === 4 || components === 1) return { jpeg: true, data: bytes };
    // An RGB JPEG (a camera's photo): decoded to its pixels, never resampled, and converted below like a PNG.
    try {
      const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 200, maxMemoryUsageInMB: 1024 });
      pixels = { width: decoded.width, height: decoded.height, data: decoded.data };
    } catch (e) {
      throw new KumihanError('image', `cannot read the JPEG image (${(e as Error).message})`, { file });
    }
  } else {
    try {
      const png = PNG.sync.read(bytes);
      pixels = { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
    } catch (e) {
      throw new KumihanError('image', `cannot read the PNG image (${(e as Error).message})`, { file });
    }
  }
  const count = pixels.width * pixels.height;
  const rgba = pixels.data;
  // A grey image (every pixel neutral) stays grey: K only, as black line art should print.
  let grey = true;
  for (let i = 0; i < count && grey; i++) {
    const r = rgba[i * 4]!;
    if (r !== rgba[i * 4 + 1] || r !== rgba[i * 4 + 2]) grey = false;
  }
  if (grey) {
    const data = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const a = rgba[i * 4 + 3]!;
      data[i] = Math.round((rgba[i * 4]! * a + 255 * (255 - a)) / 255);
    }
    return { width: pixels.width, height: pixels.height, space: 'DeviceGray', data };
  }
  return { width: pixels.width, height: pixels.height, space: 'DeviceCMYK', data: colours.imageToCmyk(rgba, 4, count) };
}

/** The number of components of a JPEG's frame (SOFn), or 0. */
function jpegComponents(b: Buffer): number {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return 0;
    const marker = b[i + 1]!;
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return b[i + 9]!;
    i += 2 + length;
  }
  return 0;
}

/** The hooks that make writePdf write a press PDF. */
export function pressOutput(print: ResolvedPrint, colours: ColourConverter, meta: { title: string }): PdfOutputHooks {
  const x1a = print.standard === 'PDF/X-1a';
  const x4 = print.standard === 'PDF/X-4';
  const images = new Map<string, EmbeddedImage>();
  let boxes: PressBoxes;
  let pageHeight = 0;
  let pageWidth = 0;

  /** The extended box of an item touching the trim, in page coordinates (top-left origin). */
  const extend = (x0: number, y0: number, x1: number, y1: number) => {
    const b = print.bleed;
    return [
      x0 <= TOUCH ? x0 - b : x0,
      y0 <= TOUCH ? y0 - b : y0,
      x1 >= pageWidth - TOUCH ? x1 + b : x1,
      y1 >= pageHeight - TOUCH ? y1 + b : y1,
    ] as const;
  };

  const imageFor = (pdf: Internals, file: string): EmbeddedImage => {
    let image = images.get(file);
    if (image) return image;
    const decoded = pressImageData(file, colours);
    let ref: PdfRef;
    let width: number;
    let height: number;
    if (decoded.jpeg) {
      // pdfkit reads a JPEG's size and components (a 4-component JPEG becomes DeviceCMYK, with the
      // Adobe inversion handled); it never adds an SMask to a JPEG.
      const img = pdf.openImage(decoded.data);
      img.embed(pdf);
      ({ width, height } = img);
      ref = img.obj;
    } else {
      ({ width, height } = decoded);
      ref = pdf.ref({ Type: 'XObject', Subtype: 'Image', Width: width, Height: height, BitsPerComponent: 8, ColorSpace: decoded.space });
      ref.end(decoded.data);
    }
    image = { ref, name: `IP${images.size + 1}`, width, height };
    images.set(file, image);
    return image;
  };

  const drawImage = (pdf: Internals, item: ImageItem) => {
    const image = imageFor(pdf, item.file);
    pdf.page.xobjects[image.name] = image.ref;
    // What is visible: the image's box, or the part of it inside its clip (a photo cut at the page edge).
    const clip = (item as { clip?: { x: number; y: number; width: number; height: number } }).clip;
    const shown = clip ?? item;
    const [x0, y0, x1, y1] = extend(shown.x, shown.y, shown.x + shown.width, shown.y + shown.height);
    const extended = x0 !== shown.x || y0 !== shown.y || x1 !== shown.x + shown.width || y1 !== shown.y + shown.height;
    const n = (v: number) => String(Math.round(v * 1000) / 1000);
    let { x, y, width, height } = item;
    const ops: string[] = ['q'];
    if (extended && (x > x0 || y > y0 || x + width < x1 || y + height < y1)) {
      // The image does not reach into the bleed by itself: it is scaled, keeping its proportions,
      // about the centre of the extended box, to cover it.
      const scale = Math.max((x1 - x0) / width, (y1 - y0) / height);
      const cx = (x0 + x1) / 2;
      const cy = (y0 + y1) / 2;
      width *= scale;
      height *= scale;
      x = cx - width / 2;
      y = cy - height / 2;
    }
    if (extended || clip) ops.push(`${n(x0)} ${n(y0)} ${n(x1 - x0)} ${n(y1 - y0)} re W n`);
    // pdfkit's page space is y-down: the image's unit square is flipped into place.
    ops.push(`${n(width)} 0 0 ${n(-height)} ${n(x)} ${n(y + height)} cm /${image.name} Do Q`);
    pdf.addContent(ops.join(' '));
  };

  /** A filled rectangle (a panel, a background) in press colour, run into the bleed where it touches the trim. */
  const drawBox = (pdf: Pdf, box: { x: number; y: number; width: number; height: number; color: string }) => {
    const [x0, y0, x1, y1] = extend(box.x, box.y, box.x + box.width, box.y + box.height);
    const n = (v: number) => String(Math.round(v * 1000) / 1000);
    pdf.addContent(
      `q ${colourOperator(colours.forPress(parseColour(box.color)), false)} ${n(x0)} ${n(y0)} ${n(x1 - x0)} ${n(y1 - y0)} re f Q`,
    );
  };

  const drawMarks = (pdf: Pdf) => {
    if (print.marks !== 'japanese') return;
    const n = (v: number) => String(Math.round(v * 1000) / 1000);
    const [W, H] = [boxes.media[2], boxes.media[3]];
    const o = boxes.offset;
    const b = print.bleed;
    // In pdfkit's page space (y down): trim edges and bleed edges.
    const left = o;
    const right = W - o;
    const top = o;
    const bottom = H - o;
    const half = MARK_WIDTH / 2;
    const L = MARK_LENGTH;
    const lines: [number, number, number, number][] = [];
    for (const [cx, sx] of [
      [left, -1],
      [right, 1],
    ] as const) {
      for (const [cy, sy] of [
        [top, -1],
        [bottom, 1],
      ] as const) {
        const bx = cx + sx * (b + half); // the bleed line, its stroke just outside the BleedBox
        const by = cy + sy * (b + half);
        const startX = cx + sx * (b + MARK_WIDTH); // lines start outside the BleedBox
        const startY = cy + sy * (b + MARK_WIDTH);
        // Horizontal lines (on the trim and on the bleed) run outward from the bleed edge.
        lines.push([startX, cy, cx + sx * (b + L), cy]);
        lines.push([startX, by, cx + sx * (b + L), by]);
        // Vertical lines likewise.
        lines.push([cx, startY, cx, cy + sy * (b + L)]);
        lines.push([bx, startY, bx, cy + sy * (b + L)]);
      }
    }
    // Centre marks (十字): a line on the centre axis outward from the bleed, crossed by a short one.
    const mx = W / 2;
    const my = H / 2;
    const cross = L / 2;
    for (const [ey, sy] of [
      [top, -1],
      [bottom, 1],
    ] as const) {
      lines.push([mx, ey + sy * (b + MARK_WIDTH), mx, ey + sy * (b + L)]);
      const at = ey + sy * (b + L / 2);
      lines.push([mx - cross / 2, at, mx + cross / 2, at]);
    }
    for (const [ex, sx] of [
      [left, -1],
      [right, 1],
    ] as const) {
      lines.push([ex + sx * (b + MARK_WIDTH), my, ex + sx * (b + L), my]);
      const at = ex + sx * (b + L / 2);
      lines.push([at, my - cross / 2, at, my + cross / 2]);
    }
    const path = lines.map(([a, c, d, e]) => `${n(a)} ${n(c)} m ${n(d)} ${n(e)} l`).join(' ');
    pdf.addContent(`q ${n(MARK_WIDTH)} w 1 1 1 1 K ${path} S Q`);
  };

  return {
    documentOptions: {
      pdfVersion: x1a ? '1.3' : x4 ? '1.6' : '1.4',
      // PDF/X-1a:2001 has no XMP; X-4 identifies itself in XMP (added in end()).
    },
    // A RIP may take widths from the font program: the dictionaries say the same (see screen.ts).
    fontProgramWidths: true,
    annotations: false,
    beginPage(pdf, page: LaidOutPage) {
      pageWidth = page.width;
      pageHeight = page.height;
      boxes = pressBoxes(page.width, page.height, print);
      pdf.addPage({ size: [boxes.media[2], boxes.media[3]], margin: 0 });
      const dict = internalsOf(pdf).page.dictionary.data;
      dict.BleedBox = boxes.bleed;
      dict.TrimBox = boxes.trim;
      // Every colour the page uses is opaque and Normal: nothing to say about transparency groups.
      pdf.save();
      pdf.translate(boxes.offset, boxes.offset);
      pdf.addContent('0 g 0 G');
    },
    drawItem(pdf, item: PageItem, draw) {
      if (item.kind === 'text') return draw(item);
      if (item.kind === 'rule') {
        const touching = extend(
          Math.min(item.x1, item.x2),
          Math.min(item.y1, item.y2),
          Math.max(item.x1, item.x2),
          Math.max(item.y1, item.y2),
        );
        const rule = { ...item };
        // A rule reaching the trim runs on into the bleed.
        if (item.x1 === item.x2) {
          if (touching[1] < Math.min(item.y1, item.y2)) rule[item.y1 < item.y2 ? 'y1' : 'y2'] = touching[1];
          if (touching[3] > Math.max(item.y1, item.y2)) rule[item.y1 > item.y2 ? 'y1' : 'y2'] = touching[3];
        } else {
          if (touching[0] < Math.min(item.x1, item.x2)) rule[item.x1 < item.x2 ? 'x1' : 'x2'] = touching[0];
          if (touching[2] > Math.max(item.x1, item.x2)) rule[item.x1 > item.x2 ? 'x1' : 'x2'] = touching[2];
        }
        return drawRule(pdf, rule, colours.forPress(parseColour(item.color)));
      }
      if (item.kind === 'image') return drawImage(internalsOf(pdf), item);
      // A filled box (kind 'box': x, y, width, height, color), as a booklet's cover panel.
      const other = item as { kind: string; x: number; y: number; width: number; height: number; color?: string };
      if (other.kind === 'box' && typeof other.color === 'string') return drawBox(pdf, other as typeof other & { color: string });
      // Anything else is drawn as it is; preflight fails the press PDF if that is not allowed there.
      return draw(item);
    },
    endPage(pdf) {
      pdf.restore();
      drawMarks(pdf);
    },
    end(pdf) {
      const internals = internalsOf(pdf);
      const condition = print.outputCondition;
      if (print.standard !== 'none') {
        const intent: Record<string, unknown> = {
          Type: 'OutputIntent',
          S: 'GTS_PDFX',
          OutputConditionIdentifier: new String(condition.identifier),
          OutputCondition: new String(condition.name),
          Info: new String(condition.name),
        };
        if (condition.registry) intent.RegistryName = new String(condition.registry);
        if (condition.userProfile || x4) {
          const profile = fs.readFileSync(condition.profile);
          const ref = internals.ref({ N: 4 });
          ref.end(profile);
          intent.DestOutputProfile = ref;
        }
        const intentRef = internals.ref(intent);
        intentRef.end();
        internals._root.data.OutputIntents = [intentRef];
      }
      const info = internals.info;
      if (!info.Title) info.Title = meta.title;
      info.Trapped = pdfName(pdf, 'False');
      if (x1a) {
        info.GTS_PDFXVersion = 'PDF/X-1:2001';
        info.GTS_PDFXConformance = 'PDF/X-1a:2001';
      } else if (x4) {
        info.GTS_PDFXVersion = 'PDF/X-4';
        escapeInfoInXmp(pdf);
        // PDF/X-4 (ISO 15930-7 §6.7.2) also wants the document's identity and dates in XMP: the
        // document ID is the file identifier pdfkit derives from the metadata (deterministic).
        const x = pdf as unknown as { appendXML(xml: string): void; _id: Uint8Array; info: { ModDate?: Date } };
        const id = Buffer.from(x._id).toString('hex');
        const uuid = `uuid:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
        const date = xmpTimestamp(x.info.ModDate ?? new Date(0));
        x.appendXML(`
        <rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
            <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Trapped>False</pdf:Trapped>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">
            <xmpMM:DocumentID>${uuid}</xmpMM:DocumentID>
            <xmpMM:VersionID>1</xmpMM:VersionID>
            <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${date}</xmp:ModifyDate>
            <xmp:MetadataDate>${date}</xmp:MetadataDate>
        </rdf:Description>
        `);
      }
    },
  };
}

/**
 * A PDF name as a value of the document information (pdfkit writes every Info value it is given as a
 * string, but /Trapped must be the name /False): an object pdfkit serialises through toString, as it
 * does its own references.
 */
function pdfName(pdf: Pdf, name: string): unknown {
  // pdfkit's PDFAbstractReference, from the catalog (making a reference here would leave it unwritten).
  const root = (pdf as unknown as { _root: object })._root;
  const Reference = Object.getPrototypeOf(root.constructor) as new () => object;
  class PdfName extends Reference {
    override toString() {
      return `/${name}`;
    }
  }
  return new PdfName();
}
