/**
 * A tagged PDF's structure tree read back from the bytes (src/check/pdfread.ts, no mupdf): each element
 * with its type, /ActualText and /Alt, and the text of the glyphs its marked content holds, decoded through
 * the fonts' ToUnicode maps — the glyphs as drawn, whatever /ActualText the content says (so that a ruby's
 * RT shows the reading it draws even though extraction is told to skip it).
 */
import {
  asArray,
  Lexer,
  nameOf,
  Operator,
  pageTree,
  type PdfDict,
  type PdfFile,
  PdfName,
  PdfRef,
  PdfString,
  type PdfValue,
  readPdf,
} from '../../src/check/pdfread.js';

export interface StructNode {
  type: string;
  actualText?: string;
  alt?: string;
  /** The text of the marked content under this element and its descendants, in the tree's order. */
  text: string;
  /** Its kids in order: elements, and the text of each marked-content sequence it holds directly. */
  content: (StructNode | string)[];
}

/** The elements under a node, depth first, in order. */
export function elementsOf(nodes: readonly StructNode[]): StructNode[] {
  return nodes.flatMap((n) => [n, ...elementsOf(n.content.filter((c): c is StructNode => typeof c !== 'string'))]);
}

/** A ToUnicode CMap's 2-byte codes → text. */
function toUnicodeMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => {
    let out = '';
    for (let i = 0; i + 3 < hex.length; i += 4) out += String.fromCharCode(Number.parseInt(hex.slice(i, i + 4), 16));
    return out;
  };
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)/g)) {
      const lo = Number.parseInt(m[1]!, 16);
      const hi = Number.parseInt(m[2]!, 16);
      if (m[3]!.startsWith('[')) {
        const dst = [...m[3]!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((d) => utf16(d[1]!));
        for (let c = lo; c <= hi; c++) map.set(c, dst[c - lo] ?? '');
      } else {
        const base = Number.parseInt(m[3]!.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++) map.set(c, String.fromCharCode(base + c - lo));
      }
    }
  }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(Number.parseInt(m[1]!, 16), utf16(m[2]!));
  return map;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** The text each marked-content id (MCID) of a page draws, from its content stream. */
function markedText(pdf: PdfFile, page: PdfDict, resources: PdfDict | undefined): Map<number, string> {
  const fonts = pdf.dict(resources?.get('Font'));
  const maps = new Map<string, Map<number, string>>();
  const mapOf = (name: string) => {
    let map = maps.get(name);
    if (!map) {
      const font = pdf.dict(fonts?.get(name));
      const stream = pdf.stream(font?.get('ToUnicode'));
      const data = stream ? pdf.decode(stream) : undefined;
      maps.set(name, (map = toUnicodeMap(data ? latin1(data) : '')));
    }
    return map;
  };
  let content = '';
  for (const part of asArray(pdf.get(page.get('Contents')))) {
    const stream = pdf.stream(part);
    const data = stream ? pdf.decode(stream) : undefined;
    if (data) content += `${latin1(data)}\n`;
  }
  const texts = new Map<number, string>();
  // The marked-content stack: the MCID each open sequence belongs to (inherited by nested ones).
  const stack: (number | undefined)[] = [];
  let font: Map<number, string> = new Map();
  let operands: PdfValue[] = [];
  const show = (s: PdfString) => {
    const mcid = stack.at(-1);
    if (mcid === undefined) return;
    let out = '';
    for (let i = 0; i + 1 < s.bytes.length; i += 2) out += font.get((s.bytes.charCodeAt(i) << 8) | s.bytes.charCodeAt(i + 1)) ?? '';
    texts.set(mcid, (texts.get(mcid) ?? '') + out);
  };
  const lexer = new Lexer(content);
  while (!lexer.atEnd()) {
    const v = lexer.value();
    if (!(v instanceof Operator)) {
      operands.push(v);
      continue;
    }
    switch (v.op) {
      case 'BDC': {
        const props = operands[1];
        const mcid = props instanceof Map ? props.get('MCID') : undefined;
        stack.push(typeof mcid === 'number' ? mcid : stack.at(-1));
        break;
      }
      case 'BMC':
        stack.push(stack.at(-1));
        break;
      case 'EMC':
        stack.pop();
        break;
      case 'Tf':
        font = operands[0] instanceof PdfName ? mapOf(operands[0].name) : new Map();
        break;
      case 'Tj':
        if (operands[0] instanceof PdfString) show(operands[0]);
        break;
      case 'TJ':
        for (const item of asArray(operands[0])) if (item instanceof PdfString) show(item);
        break;
    }
    operands = [];
  }
  return texts;
}

/** The structure tree of a tagged PDF: the elements under /StructTreeRoot (its /K), in order. */
export function readStructure(bytes: Uint8Array): StructNode[] {
  const pdf = readPdf(bytes);
  const root = pdf.dict(pdf.trailer.get('Root'));
  const tree = pdf.dict(root?.get('StructTreeRoot'));
  if (!tree) return [];
  const pages = new Map<string, Map<number, string>>();
  for (const entry of pageTree(pdf))
    if (entry.ref)
      pages.set(String(entry.ref), markedText(pdf, entry.dict, pdf.dict(entry.dict.get('Resources') ?? entry.inherited.get('Resources'))));
  const textOf = (pg: PdfValue | undefined, mcid: number) => (pg instanceof PdfRef ? (pages.get(String(pg))?.get(mcid) ?? '') : '');
  const node = (value: PdfValue | undefined, pg: PdfValue | undefined, depth: number): StructNode | string => {
    if (typeof value === 'number') return textOf(pg, value);
    const dict = pdf.dict(value);
    if (!dict || depth > 64) return '';
    if (nameOf(dict.get('Type')) === 'MCR') return textOf(dict.get('Pg'), pdf.get(dict.get('MCID')) as number);
    const page = dict.get('Pg') ?? pg;
    const content: (StructNode | string)[] = [];
    let text = '';
    for (const k of asArray(pdf.get(dict.get('K')))) {
      const child = node(k, page, depth + 1);
      content.push(child);
      text += typeof child === 'string' ? child : child.text;
    }
    const actual = pdf.get(dict.get('ActualText'));
    const alt = pdf.get(dict.get('Alt'));
    return {
      type: nameOf(dict.get('S')) ?? '',
      ...(actual instanceof PdfString ? { actualText: actual.text } : {}),
      ...(alt instanceof PdfString ? { alt: alt.text } : {}),
      text,
      content,
    };
  };
  return asArray(pdf.get(tree.get('K'))).flatMap((k) => {
    const n = node(k, undefined, 0);
    return typeof n === 'string' ? [] : [n];
  });
}
