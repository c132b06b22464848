/**
 * Preflight: the rules of PDF/X-1a, PDF/X-4 and PDF/A-2b that can be read from a file, checked on any
 * PDF (kumihan's or anyone's), one finding per line with its page and object.
 *
 * What is checked (N = the standard needs it, see the notes per rule):
 * - fonts: every font embedded (Type 3 fonts are drawn by the file itself); subset tags (ABCDEF+Name)
 *   unique per font program — the same tag on two different programs is a failure;
 * - colour: the colour spaces of content streams (operators and `cs`), images (also inline), shadings
 *   and patterns, in the page's content and every form it draws. PDF/X-1a allows DeviceCMYK,
 *   DeviceGray, Separation and DeviceN (with a CMYK or grey alternate); PDF/X-4 also ICC-based and Lab
 *   colour, but no Device RGB; PDF/A-2b no device colour the output intent does not cover. Black text
 *   in the press standards must be K only: four-colour black text fails;
 * - transparency (PDF/X-1a): SMask on images, soft masks in graphics states, CA/ca below 1, blend
 *   modes other than Normal, transparency groups;
 * - boxes (PDF/X): a TrimBox or ArtBox on every page, MediaBox ⊇ BleedBox ⊇ TrimBox;
 * - output intent and required keys: GTS_PDFX (or GTS_PDFA1) with OutputConditionIdentifier and, where
 *   the condition is not registered (or for PDF/X-4 and PDF/A), a DestOutputProfile; /GTS_PDFXVersion,
 *   /Trapped True or False, /Title, dates, the file ID; the PDF version the standard is based on;
 *   PDF/A's and PDF/X-4's XMP identification; no encryption;
 * - annotations (PDF/X): none inside the BleedBox (a link on the page would print or confuse the RIP);
 * - image resolution at its placed size (PDF/X): below 300 ppi is a warning, below 150 ppi a failure;
 * - saddle stitch (--saddle-stitch, or a build whose template says saddleStitch): a page count that is
 *   a multiple of 4.
 *
 * It reads the file with pdfread.ts, never with mupdf: `kumihan build` runs it on every press PDF.
 */
import { KumihanError } from '../errors.js';
import { PRESS_RESOLUTION_FAIL } from '../pdf/resolution.js';
import {
  asArray,
  Lexer,
  nameOf,
  Operator,
  PdfName,
  PdfRef,
  PdfStream,
  PdfString,
  pageTree,
  readPdf,
  type PdfDict,
  type PdfFile,
  type PdfValue,
} from './pdfread.js';

export const PREFLIGHT_STANDARDS = ['PDF/X-1a', 'PDF/X-4', 'PDF/A-2b', 'none'] as const;
export type PreflightStandard = (typeof PREFLIGHT_STANDARDS)[number];

export interface PreflightOptions {
  standard: PreflightStandard;
  saddleStitch?: boolean;
}

export interface Finding {
  severity: 'fail' | 'warn';
  /** A short name of the rule: fonts, colour, transparency, boxes, output-intent, keys, annotations, resolution, pages. */
  rule: string;
  /** 1-based. */
  page?: number;
  /** The object concerned, `12 0 R`. */
  object?: string;
  message: string;
}

export const formatFinding = (f: Finding): string =>
  `${f.severity === 'fail' ? 'FAIL' : 'WARN'} ${f.rule}${f.page !== undefined ? ` page ${f.page}` : ''}${f.object ? ` (${f.object})` : ''}: ${f.message}`;

const PRESS_RESOLUTION_WARN = 300;

/** Runs every rule of the standard; the findings are in page order, document-wide rules first. */
export function preflight(bytes: Uint8Array, opts: PreflightOptions): Finding[] {
  const findings: Finding[] = [];
  let pdf: PdfFile;
  try {
    pdf = readPdf(bytes);
  } catch (e) {
    return [{ severity: 'fail', rule: 'file', message: `cannot read the PDF: ${(e as Error).message}` }];
  }
  const std = opts.standard;
  const x1a = std === 'PDF/X-1a';
  const x4 = std === 'PDF/X-4';
  const isX = x1a || x4;
  const pdfa = std === 'PDF/A-2b';
  const fail = (rule: string, message: string, page?: number, object?: PdfValue | string) =>
    findings.push({ severity: 'fail', rule, message, page, object: object === undefined ? undefined : String(object) });
  const warn = (rule: string, message: string, page?: number, object?: PdfValue | string) =>
    findings.push({ severity: 'warn', rule, message, page, object: object === undefined ? undefined : String(object) });

  const root = pdf.dict(pdf.trailer.get('Root'));
  if (!root) return [{ severity: 'fail', rule: 'file', message: 'the PDF has no document catalog (/Root)' }];
  const info = pdf.dict(pdf.trailer.get('Info')) ?? new Map();
  const infoText = (key: string) => {
    const v = pdf.get(info.get(key));
    return v instanceof PdfString ? v.text : undefined;
  };

  // --- Document-wide rules -----------------------------------------------------------------------
  if (pdf.trailer.has('Encrypt') && std !== 'none') fail('keys', 'the file is encrypted; PDF/X and PDF/A forbid encryption');
  if (x1a && !['1.3', '1.4'].includes(pdf.version))
    fail('keys', `PDF version ${pdf.version}; PDF/X-1a is PDF 1.3 (X-1a:2001) or 1.4 (X-1a:2003)`);
  if (x4 && Number(pdf.version) > 1.6) fail('keys', `PDF version ${pdf.version}; PDF/X-4 is at most PDF 1.6`);
  if (isX) {
    const version = infoText('GTS_PDFXVersion');
    if (!version) fail('keys', 'the document information has no /GTS_PDFXVersion');
    else if (x1a && !/^PDF\/X-1(:|a)/.test(version)) fail('keys', `/GTS_PDFXVersion is "${version}", not PDF/X-1a`);
    else if (x4 && !/^PDF\/X-4/.test(version)) fail('keys', `/GTS_PDFXVersion is "${version}", not PDF/X-4`);
    const trapped = nameOf(pdf.get(info.get('Trapped')));
    if (trapped !== 'True' && trapped !== 'False')
      fail('keys', `/Trapped must be /True or /False (it is ${trapped ? `/${trapped}` : 'missing'})`);
    if (!infoText('Title')) fail('keys', 'the document information has no /Title');
    for (const key of ['CreationDate', 'ModDate']) if (!infoText(key)) fail('keys', `the document information has no /${key}`);
    if (!pdf.trailer.has('ID')) fail('keys', 'the trailer has no file identifier (/ID)');
  }
  const xmp = (() => {
    const s = pdf.stream(root.get('Metadata'));
    const data = s && pdf.decode(s);
    return data ? Buffer.from(data).toString('utf8') : '';
  })();
  if (x4 && !/pdfxid:GTS_PDFXVersion[^<]*>\s*PDF\/X-4|pdfxid:GTS_PDFXVersion="PDF\/X-4/.test(xmp))
    fail('keys', 'PDF/X-4 needs its identification in the XMP metadata (pdfxid:GTS_PDFXVersion)');
  if (x4)
    for (const key of ['xmpMM:DocumentID', 'xmpMM:VersionID', 'xmpMM:RenditionClass', 'xmp:ModifyDate', 'xmp:CreateDate'])
      if (!new RegExp(`${key}[ >="]`).test(xmp)) fail('keys', `PDF/X-4 needs ${key} in the XMP metadata`);
  if (pdfa) {
    if (!/pdfaid:part[^<]*>\s*2\s*<|pdfaid:part="2"/.test(xmp))
      fail('keys', 'no PDF/A-2 identification in the XMP metadata (pdfaid:part 2)');
    if (!/pdfaid:conformance[^<]*>\s*[ABU]\s*<|pdfaid:conformance="[ABU]"/.test(xmp))
      fail('keys', 'no PDF/A conformance level in the XMP metadata (pdfaid:conformance)');
  }

  // Output intent.
  const intents = asArray(pdf.get(root.get('OutputIntents'))).map((i) => ({ ref: i, dict: pdf.dict(i) }));
  const wanted = isX ? 'GTS_PDFX' : pdfa ? 'GTS_PDFA1' : undefined;
  let intentSpace: string | undefined;
  if (wanted) {
    const intent = intents.find((i) => nameOf(i.dict?.get('S')) === wanted);
    if (!intent?.dict) fail('output-intent', `no OutputIntent with /S /${wanted}`);
    else {
      const id = pdf.get(intent.dict.get('OutputConditionIdentifier'));
      const profile = pdf.stream(intent.dict.get('DestOutputProfile'));
      if (!(id instanceof PdfString) || !id.text)
        fail('output-intent', 'the OutputIntent has no /OutputConditionIdentifier', undefined, intent.ref);
      const registered = id instanceof PdfString && id.text !== 'Custom' && pdf.get(intent.dict.get('RegistryName')) instanceof PdfString;
      if (!profile && (x4 || pdfa || !registered))
        fail(
          'output-intent',
          x4 || pdfa
            ? `${std} needs the output profile embedded (/DestOutputProfile)`
            : 'the output condition is neither registered (/RegistryName with a known identifier) nor given as /DestOutputProfile',
          undefined,
          intent.ref,
        );
      if (profile) {
        const n = profile.dict.get('N');
        intentSpace = n === 4 ? 'DeviceCMYK' : n === 3 ? 'DeviceRGB' : n === 1 ? 'DeviceGray' : undefined;
      } else if (isX) intentSpace = 'DeviceCMYK';
    }
  }

  // --- Pages -------------------------------------------------------------------------------------
  const pages = pageTree(pdf);
  if (opts.saddleStitch && pages.length % 4 !== 0)
    fail('pages', `${pages.length} pages; a saddle-stitched booklet needs a multiple of 4 (add ${4 - (pages.length % 4)} blank pages)`);

  // Fonts and subset tags, document-wide: tag → the font programs that carry it.
  const tags = new Map<string, { program: string; page: number; font: string }[]>();
  const fontsSeen = new Set<string>();

  pages.forEach(({ dict: page, ref, inherited }, index) => {
    const pageNo = index + 1;
    const pageRef = ref ? String(ref) : undefined;
    const box = (key: string) => boxOf(pdf.get(page.get(key) ?? inherited.get(key)));
    const media = box('MediaBox');
    const trim = box('TrimBox');
    const bleed = box('BleedBox') ?? trim;
    const art = box('ArtBox');
    if (isX) {
      if (!media) fail('boxes', 'no MediaBox', pageNo, pageRef);
      if (!trim && !art) fail('boxes', 'no TrimBox (or ArtBox): the printer cannot know where to cut', pageNo, pageRef);
      if (trim && art) fail('boxes', 'both TrimBox and ArtBox; PDF/X wants one of them', pageNo, pageRef);
      if (media && bleed && !contains(media, bleed))
        fail('boxes', `the BleedBox ${fmtBox(bleed)} is not inside the MediaBox ${fmtBox(media)}`, pageNo, pageRef);
      if (bleed && trim && !contains(bleed, trim))
        fail('boxes', `the TrimBox ${fmtBox(trim)} is not inside the BleedBox ${fmtBox(bleed)}`, pageNo, pageRef);
      if (media && trim && !contains(media, trim))
        fail('boxes', `the TrimBox ${fmtBox(trim)} is not inside the MediaBox ${fmtBox(media)}`, pageNo, pageRef);
    }
    // Annotations.
    for (const a of asArray(pdf.get(page.get('Annots')))) {
      const annot = pdf.dict(a);
      if (!annot) continue;
      const subtype = nameOf(annot.get('Subtype')) ?? 'unknown';
      const rect = boxOf(pdf.get(annot.get('Rect')));
      if (isX && subtype !== 'PrinterMark' && subtype !== 'TrapNet') {
        const limit = bleed ?? trim ?? media;
        if (!rect || !limit || overlaps(rect, limit))
          fail(
            'annotations',
            `a ${subtype} annotation inside the ${trim ? 'trim' : 'page'}; PDF/X allows annotations only outside the BleedBox`,
            pageNo,
            a,
          );
      }
      if (pdfa && (subtype === 'Movie' || subtype === 'Sound' || subtype === 'FileAttachment'))
        fail('annotations', `a ${subtype} annotation; PDF/A-2 does not allow it`, pageNo, a);
    }
    if (x1a && nameOf(pdf.dict(page.get('Group'))?.get('S')) === 'Transparency')
      fail('transparency', 'the page has a transparency group; PDF/X-1a allows no transparency', pageNo, pageRef);

    // Content: colour, transparency, images, fonts.
    const walker = new ContentWalker(pdf, pageNo, std, intentSpace, { fail, warn }, tags, fontsSeen);
    const resources = pdf.dict(page.get('Resources') ?? inherited.get('Resources')) ?? new Map();
    const contentsValue = page.get('Contents');
    const contentRefs =
      contentsValue instanceof PdfRef && pdf.get(contentsValue) instanceof PdfStream ? [contentsValue] : asArray(pdf.get(contentsValue));
    const contents = contentRefs.map((c) => ({ ref: c instanceof PdfRef ? c : pageRef, stream: pdf.stream(c) })).filter((c) => c.stream);
    const data = contents.map((c) => Buffer.from(pdf.decode(c.stream!) ?? new Uint8Array()).toString('latin1')).join('\n');
    walker.walk(data, resources, contents[0]?.ref ?? pageRef ?? '', [1, 0, 0, 1, 0, 0], 0);
    // Annotation appearances are content too.
    for (const a of asArray(pdf.get(page.get('Annots')))) {
      const ap = pdf.dict(pdf.dict(a)?.get('AP'));
      const normal = ap && pdf.get(ap.get('N'));
      if (normal instanceof PdfStream) walker.form(normal, ap!.get('N')!, [1, 0, 0, 1, 0, 0], 1);
    }
  });

  for (const [tag, uses] of tags) {
    const programs = [...new Set(uses.map((u) => u.program))];
    if (programs.length > 1)
      fail(
        'fonts',
        `subset tag ${tag} is used by ${programs.length} different font programs (${programs.join(', ')}: ${[...new Set(uses.map((u) => u.font))].join(', ')}); a tag must name one subset`,
        uses[1]?.page,
        programs[1],
      );
  }
  return findings;
}

/** The standard a file says it conforms to: PDF/X from its /GTS_PDFXVersion, PDF/A-2 from its XMP. */
export function claimedStandard(bytes: Uint8Array): PreflightStandard | undefined {
  let pdf: PdfFile;
  try {
    pdf = readPdf(bytes);
  } catch {
    return undefined;
  }
  const version = pdf.get(pdf.dict(pdf.trailer.get('Info'))?.get('GTS_PDFXVersion'));
  if (version instanceof PdfString) {
    if (/^PDF\/X-1/.test(version.text)) return 'PDF/X-1a';
    if (/^PDF\/X-4/.test(version.text)) return 'PDF/X-4';
  }
  const metadata = pdf.stream(pdf.dict(pdf.trailer.get('Root'))?.get('Metadata'));
  const xmp = metadata ? Buffer.from(pdf.decode(metadata) ?? new Uint8Array()).toString('utf8') : '';
  if (/pdfaid:part[^<]*>\s*2\s*<|pdfaid:part="2"/.test(xmp)) return 'PDF/A-2b';
  return undefined;
}

/** Throws the failures as one error (the build's use: a press PDF that fails is not written). */
export function assertPreflight(bytes: Uint8Array, opts: PreflightOptions, file?: string): void {
  if (opts.standard === 'none' && !opts.saddleStitch) return;
  const failures = preflight(bytes, opts).filter((f) => f.severity === 'fail');
  if (failures.length === 0) return;
  throw new KumihanError(
    'preflight',
    `the press PDF fails ${opts.standard === 'none' ? 'preflight' : `${opts.standard} preflight`}:\n${failures.map((f) => `  ${formatFinding(f)}`).join('\n')}`,
    file ? { file } : {},
  );
}

// ---------------------------------------------------------------------------------------------

type Box = [number, number, number, number];
function boxOf(v: PdfValue | undefined): Box | undefined {
  if (!Array.isArray(v) || v.length !== 4 || !v.every((n) => typeof n === 'number')) return undefined;
  const [a, b, c, d] = v as number[];
  return [Math.min(a!, c!), Math.min(b!, d!), Math.max(a!, c!), Math.max(b!, d!)];
}
const EPS = 0.01;
const contains = (outer: Box, inner: Box) =>
  inner[0] >= outer[0] - EPS && inner[1] >= outer[1] - EPS && inner[2] <= outer[2] + EPS && inner[3] <= outer[3] + EPS;
const overlaps = (a: Box, b: Box) => a[0] < b[2] - EPS && b[0] < a[2] - EPS && a[1] < b[3] - EPS && b[1] < a[3] - EPS;
const fmtBox = (b: Box) => `[${b.map((n) => Math.round(n * 100) / 100).join(' ')}]`;

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];

const INLINE_SPACES: Record<string, string> = { G: 'DeviceGray', RGB: 'DeviceRGB', CMYK: 'DeviceCMYK', I: 'Indexed' };

/** Reads content streams (and the forms they draw) for colour, transparency, images and fonts. */
class ContentWalker {
  private reported = new Set<string>();
  constructor(
    private pdf: PdfFile,
    private page: number,
    private std: PreflightStandard,
    private intentSpace: string | undefined,
    private report: {
      fail: (rule: string, message: string, page?: number, object?: PdfValue | string) => void;
      warn: (rule: string, message: string, page?: number, object?: PdfValue | string) => void;
    },
    private tags: Map<string, { program: string; page: number; font: string }[]>,
    private fontsSeen: Set<string>,
  ) {}

  private once(key: string, f: () => void) {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    f();
  }

  /** The family of a colour space and, for Separation/DeviceN/Indexed/ICCBased, what it stands on. */
  private family(cs: PdfValue | undefined, resources: PdfDict): { family: string; base?: string; n?: number } {
    const pdf = this.pdf;
    let v = pdf.get(cs);
    if (v instanceof PdfName) {
      const named = pdf.get(pdf.dict(resources.get('ColorSpace'))?.get(v.name));
      if (named !== undefined && named !== null) v = named;
      else return { family: v.name };
    }
    if (v instanceof PdfName) return { family: v.name };
    if (Array.isArray(v)) {
      const family = nameOf(pdf.get(v[0])) ?? 'unknown';
      if (family === 'ICCBased') {
        const n = pdf.stream(v[1])?.dict.get('N');
        return { family, n: typeof n === 'number' ? n : undefined };
      }
      if (family === 'Separation' || family === 'DeviceN')
        return { family, base: this.family(v[family === 'Separation' ? 2 : 2], resources).family };
      if (family === 'Indexed') return { family, base: this.family(v[1], resources).family };
      return { family };
    }
    return { family: 'unknown' };
  }

  /** Whether the standard allows a colour space; the reason when not. */
  private problem(space: { family: string; base?: string; n?: number }): string | undefined {
    const { family, base, n } = space;
    const std = this.std;
    if (std === 'none') return undefined;
    const device = family === 'Separation' || family === 'DeviceN' || family === 'Indexed' ? (base ?? 'unknown') : family;
    if (family === 'Pattern') return undefined;
    if (std === 'PDF/X-1a') {
      if (device === 'DeviceCMYK' || device === 'DeviceGray') return undefined;
      if (family === 'Separation' || family === 'DeviceN') return `${family} with a ${base} alternate`;
      return family === 'ICCBased' ? `ICC-based colour (${n ?? '?'} components)` : family;
    }
    if (std === 'PDF/X-4') {
      if (['DeviceCMYK', 'DeviceGray', 'ICCBased', 'Lab', 'CalGray', 'CalRGB'].includes(device)) return undefined;
      return device === 'DeviceRGB' ? 'DeviceRGB' : device;
    }
    // PDF/A-2b: device colour must be covered by the output intent (DeviceGray by any).
    if (device === 'DeviceRGB' && this.intentSpace !== 'DeviceRGB') return 'DeviceRGB without an RGB output intent';
    if (device === 'DeviceCMYK' && this.intentSpace !== 'DeviceCMYK') return 'DeviceCMYK without a CMYK output intent';
    return undefined;
  }

  private checkSpace(space: { family: string; base?: string; n?: number }, what: string, object: PdfValue | string) {
    const problem = this.problem(space);
    if (problem)
      this.once(`cs:${problem}:${what}:${object}`, () =>
        this.report.fail('colour', `${what} in ${problem}; ${allowed(this.std)}`, this.page, object),
      );
  }

  form(stream: PdfStream, ref: PdfValue, ctm: Matrix, depth: number) {
    const key = String(ref);
    if (depth > 16) return;
    const matrix = asArray(this.pdf.get(stream.dict.get('Matrix')));
    const m = (matrix.length === 6 ? matrix : [1, 0, 0, 1, 0, 0]) as Matrix;
    if (this.std === 'PDF/X-1a' && nameOf(this.pdf.dict(stream.dict.get('Group'))?.get('S')) === 'Transparency')
      this.once(`tg:${key}`, () => this.report.fail('transparency', 'a form with a transparency group', this.page, ref));
    const data = this.pdf.decode(stream);
    if (!data) return;
    const resources = this.pdf.dict(stream.dict.get('Resources')) ?? new Map();
    this.walk(Buffer.from(data).toString('latin1'), resources, ref, multiply(m, ctm), depth + 1);
  }

  walk(data: string, resources: PdfDict, object: PdfValue | string, ctm: Matrix, depth: number) {
    const pdf = this.pdf;
    const lexer = new Lexer(data);
    const operands: PdfValue[] = [];
    const stack: { ctm: Matrix; fill: string; fillValues: number[] }[] = [];
    let fill = 'DeviceGray';
    let fillValues: number[] = [0];
    for (;;) {
      let v: PdfValue;
      try {
        if (lexer.atEnd()) break;
        v = lexer.value();
      } catch {
        break;
      }
      if (!(v instanceof Operator)) {
        operands.push(v);
        continue;
      }
      const op = v.op;
      const nums = operands.filter((o): o is number => typeof o === 'number');
      switch (op) {
        case 'q':
          stack.push({ ctm, fill, fillValues });
          break;
        case 'Q': {
          const s = stack.pop();
          if (s) ({ ctm, fill, fillValues } = s);
          break;
        }
        case 'cm':
          if (nums.length === 6) ctm = multiply(nums as Matrix, ctm);
          break;
        case 'g':
        case 'G':
        case 'rg':
        case 'RG':
        case 'k':
        case 'K': {
          const space = op.toLowerCase() === 'g' ? 'DeviceGray' : op.toLowerCase() === 'rg' ? 'DeviceRGB' : 'DeviceCMYK';
          const isFill = op === op.toLowerCase();
          if (isFill) {
            fill = space;
            fillValues = nums;
          }
          this.checkSpace({ family: space }, `${isFill ? 'fill' : 'stroke'} colour (${op})`, object);
          break;
        }
        case 'cs':
        case 'CS': {
          const sp = this.family(operands[0], resources);
          if (op === 'cs') {
            fill = sp.family === 'Separation' || sp.family === 'DeviceN' ? `${sp.family}/${sp.base}` : sp.family;
            fillValues = [];
          }
          this.checkSpace(sp, `${op === 'cs' ? 'fill' : 'stroke'} colour space`, object);
          break;
        }
        case 'sc':
        case 'scn':
          if (operands.every((o) => typeof o === 'number')) fillValues = nums;
          break;
        case 'Tj':
        case 'TJ':
        case "'":
        case '"':
          this.checkText(fill, fillValues, object);
          break;
        case 'Tf': {
          const name = nameOf(operands[0]);
          if (name) this.checkFont(name, resources);
          break;
        }
        case 'gs': {
          const name = nameOf(operands[0]);
          const gs = name ? pdf.dict(pdf.dict(resources.get('ExtGState'))?.get(name)) : undefined;
          if (gs) this.checkGraphicsState(gs, pdf.dict(resources.get('ExtGState'))?.get(name!) ?? object);
          break;
        }
        case 'sh': {
          const name = nameOf(operands[0]);
          const sh = name ? pdf.dict(pdf.dict(resources.get('Shading'))?.get(name)) : undefined;
          if (sh)
            this.checkSpace(
              this.family(sh.get('ColorSpace'), resources),
              'a shading',
              pdf.dict(resources.get('Shading'))?.get(name!) ?? object,
            );
          break;
        }
        case 'Do': {
          const name = nameOf(operands[0]);
          const ref = name ? pdf.dict(resources.get('XObject'))?.get(name) : undefined;
          const x = pdf.stream(ref);
          if (x && ref) {
            const subtype = nameOf(x.dict.get('Subtype'));
            if (subtype === 'Image') this.checkImage(x.dict, ref, resources, ctm);
            else if (subtype === 'Form') this.form(x, ref, ctm, depth);
          }
          break;
        }
        case 'BI': {
          // Inline image: its dictionary up to ID, its data up to EI.
          const dict: PdfDict = new Map();
          for (;;) {
            const k = lexer.value();
            if (k instanceof Operator && k.op === 'ID') break;
            if (!(k instanceof PdfName)) break;
            dict.set(k.name, lexer.value());
          }
          const end = data.indexOf('EI', lexer.pos);
          lexer.pos = end < 0 ? data.length : end + 2;
          const cs = dict.get('CS') ?? dict.get('ColorSpace');
          const csName = nameOf(cs);
          const space = csName && INLINE_SPACES[csName] ? { family: INLINE_SPACES[csName]! } : this.family(cs, resources);
          if (!(dict.get('IM') ?? dict.get('ImageMask'))) this.checkSpace(space, 'an inline image', object);
          break;
        }
      }
      operands.length = 0;
    }
  }

  private checkText(fill: string, values: number[], object: PdfValue | string) {
    if (this.std !== 'PDF/X-1a' && this.std !== 'PDF/X-4') {
      if (this.problem({ family: fill.split('/')[0]! }) && this.std !== 'none')
        this.once(`text:${fill}`, () => this.report.fail('colour', `text drawn in ${fill}; ${allowed(this.std)}`, this.page, object));
      return;
    }
    if (fill === 'DeviceRGB' || fill === 'CalRGB' || (fill === 'ICCBased' && this.std === 'PDF/X-1a'))
      this.once(`text:${fill}`, () =>
        this.report.fail('colour', `text drawn in ${fill}; black text must be K only (DeviceGray 0 or CMYK 0 0 0 1)`, this.page, object),
      );
    if (fill === 'DeviceCMYK' && values.length === 4) {
      const [c, m, y, k] = values as [number, number, number, number];
      if (k >= 0.9 && c + m + y > 0.05)
        this.once('text:richblack', () =>
          this.report.fail(
            'colour',
            `black text in four colours (cmyk ${values.join(' ')}); black text must be K100 alone`,
            this.page,
            object,
          ),
        );
    }
  }

  private checkGraphicsState(gs: PdfDict, ref: PdfValue | string) {
    if (this.std !== 'PDF/X-1a') return;
    const smask = this.pdf.get(gs.get('SMask'));
    if (smask !== undefined && nameOf(smask) !== 'None')
      this.once(`gs-smask:${ref}`, () => this.report.fail('transparency', 'a soft mask in a graphics state (SMask)', this.page, ref));
    for (const key of ['CA', 'ca']) {
      const a = this.pdf.get(gs.get(key));
      if (typeof a === 'number' && a < 1)
        this.once(`gs-${key}:${ref}`, () => this.report.fail('transparency', `opacity /${key} ${a} (below 1)`, this.page, ref));
    }
    const bm = asArray(this.pdf.get(gs.get('BM'))).map(nameOf);
    if (bm.length && bm.some((m) => m !== 'Normal' && m !== 'Compatible'))
      this.once(`gs-bm:${ref}`, () =>
        this.report.fail('transparency', `blend mode ${bm.join(', ')} (only Normal is allowed)`, this.page, ref),
      );
  }

  private checkImage(dict: PdfDict, ref: PdfValue, resources: PdfDict, ctm: Matrix) {
    const pdf = this.pdf;
    const key = String(ref);
    if (this.std === 'PDF/X-1a' && dict.has('SMask'))
      this.once(`smask:${key}`, () =>
        this.report.fail('transparency', 'an image with an alpha channel (SMask); flatten it on white for PDF/X-1a', this.page, ref),
      );
    if (this.std === 'PDF/X-1a' && dict.has('SMaskInData') && dict.get('SMaskInData') !== 0)
      this.once(`smaskdata:${key}`, () => this.report.fail('transparency', 'a JPEG 2000 image with alpha (SMaskInData)', this.page, ref));
    const isMask = pdf.get(dict.get('ImageMask')) === true;
    if (!isMask) {
      const filters = asArray(pdf.get(dict.get('Filter'))).map(nameOf);
      if (!dict.has('ColorSpace') && filters.includes('JPXDecode')) {
        // A JPEG 2000 image names its colour space inside its data; X-1a allows no JPX anyway (PDF 1.5).
        if (this.std === 'PDF/X-1a')
          this.once(`jpx:${key}`, () => this.report.fail('colour', 'a JPEG 2000 image (not in PDF 1.3/1.4)', this.page, ref));
      } else this.checkSpace(this.family(dict.get('ColorSpace'), resources), 'an image', ref);
    }
    if (this.std === 'PDF/X-1a' || this.std === 'PDF/X-4') {
      const w = pdf.get(dict.get('Width'));
      const h = pdf.get(dict.get('Height'));
      if (typeof w === 'number' && typeof h === 'number' && !isMask) {
        // The unit square's image on the page: its sides' lengths in pt.
        const placedW = Math.hypot(ctm[0], ctm[1]);
        const placedH = Math.hypot(ctm[2], ctm[3]);
        if (placedW > 0 && placedH > 0) {
          const ppi = Math.min((w / placedW) * 72, (h / placedH) * 72);
          const rounded = Math.round(ppi);
          if (ppi < PRESS_RESOLUTION_FAIL)
            this.once(`ppi:${key}:${rounded}`, () =>
              this.report.fail('resolution', `an image of ${rounded} ppi at its placed size (print needs 300–350 ppi)`, this.page, ref),
            );
          else if (ppi < PRESS_RESOLUTION_WARN)
            this.once(`ppi:${key}:${rounded}`, () =>
              this.report.warn(
                'resolution',
                `an image of ${rounded} ppi at its placed size (300–350 ppi is what shops ask)`,
                this.page,
                ref,
              ),
            );
        }
      }
    }
  }

  private checkFont(name: string, resources: PdfDict) {
    const pdf = this.pdf;
    const ref = pdf.dict(resources.get('Font'))?.get(name);
    const font = pdf.dict(ref);
    if (!font || !ref) return;
    const key = String(ref);
    if (this.fontsSeen.has(key)) return;
    this.fontsSeen.add(key);
    const subtype = nameOf(font.get('Subtype'));
    if (subtype === 'Type3') return;
    const descendant = subtype === 'Type0' ? pdf.dict(asArray(pdf.get(font.get('DescendantFonts')))[0]) : font;
    const baseFont = nameOf(descendant?.get('BaseFont')) ?? nameOf(font.get('BaseFont')) ?? name;
    const descriptor = pdf.dict(descendant?.get('FontDescriptor'));
    const programRef = descriptor && (descriptor.get('FontFile') ?? descriptor.get('FontFile2') ?? descriptor.get('FontFile3'));
    if (this.std !== 'none' && (!programRef || !pdf.stream(programRef)))
      this.report.fail('fonts', `font ${baseFont} is not embedded`, this.page, ref);
    const tag = /^([A-Z]{6})\+/.exec(baseFont)?.[1];
    if (tag && programRef) {
      const uses = this.tags.get(tag) ?? [];
      uses.push({ program: String(programRef), page: this.page, font: baseFont });
      this.tags.set(tag, uses);
    }
  }
}

function allowed(std: PreflightStandard): string {
  switch (std) {
    case 'PDF/X-1a':
      return 'PDF/X-1a allows DeviceCMYK, DeviceGray, Separation and DeviceN';
    case 'PDF/X-4':
      return 'PDF/X-4 allows CMYK, grey, spot, ICC-based and Lab colour, not DeviceRGB';
    case 'PDF/A-2b':
      return 'PDF/A-2b allows device colour only where the output intent covers it';
    default:
      return '';
  }
}

export { PdfName, PdfRef };
