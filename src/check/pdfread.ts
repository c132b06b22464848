/**
 * A small PDF object reader for preflight: enough of ISO 32000 to walk the catalog, the page tree,
 * resources, content streams, images, fonts and annotations of any PDF — ours or anyone's — without
 * mupdf, so that `kumihan build` can preflight the press PDFs it writes (mupdf never loads on the build
 * path).
 *
 * Objects are found by scanning the file for `n g obj` (robust to a damaged or absent xref table; the
 * last definition wins, as with incremental updates) and inside object streams (/Type /ObjStm); the
 * trailer is the last `trailer` dictionary or cross-reference stream with a /Root. Streams are decoded
 * for FlateDecode (with PNG predictors), ASCIIHexDecode and ASCII85Decode; image data (DCT, JPX …) is
 * never decoded: preflight needs only its dictionary. Encrypted files are reported, not decrypted.
 */
import zlib from 'node:zlib';

export class PdfName {
  constructor(readonly name: string) {}
}
/** A string's bytes as latin1 characters. */
export class PdfString {
  constructor(readonly bytes: string) {}
  /** The text: UTF-16BE with a BOM, else PDFDocEncoding (read as latin1). */
  get text(): string {
    const b = this.bytes;
    if (b.charCodeAt(0) === 0xfe && b.charCodeAt(1) === 0xff) {
      let out = '';
      for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b.charCodeAt(i) << 8) | b.charCodeAt(i + 1));
      return out;
    }
    return b;
  }
}
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString() {
    return `${this.num} ${this.gen} R`;
  }
}
export type PdfDict = Map<string, PdfValue>;
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly raw: Uint8Array,
  ) {}
}
export type PdfValue = number | boolean | null | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict | PdfStream | Operator;
/** A content-stream operator (only in content streams). */
export class Operator {
  constructor(readonly op: string) {}
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);

/** A tokenizer/parser over latin1 text (PDF syntax is bytes; latin1 keeps one char per byte). */
export class Lexer {
  pos = 0;
  constructor(
    readonly src: string,
    start = 0,
  ) {
    this.pos = start;
  }
  private skipSpace() {
    const s = this.src;
    for (;;) {
      while (this.pos < s.length && WHITE.has(s.charCodeAt(this.pos))) this.pos++;
      if (s.charCodeAt(this.pos) === 0x25) {
        while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
        continue;
      }
      return;
    }
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.src.length;
  }
  private regular(): string {
    const s = this.src;
    const start = this.pos;
    while (this.pos < s.length && !WHITE.has(s.charCodeAt(this.pos)) && !DELIM.has(s.charCodeAt(this.pos))) this.pos++;
    return s.slice(start, this.pos);
  }
  /** The next value; `n g R` becomes a reference; a bare word an Operator (content streams) or a keyword. */
  value(): PdfValue {
    this.skipSpace();
    const s = this.src;
    const c = s[this.pos];
    if (c === undefined) throw new Error('unexpected end of data');
    if (c === '/') {
      this.pos++;
      return new PdfName(this.regular().replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))));
    }
    if (c === '(') return this.literalString();
    if (c === '<') {
      if (s[this.pos + 1] === '<') {
        this.pos += 2;
        const dict: PdfDict = new Map();
        for (;;) {
          this.skipSpace();
          if (s.startsWith('>>', this.pos)) {
            this.pos += 2;
            return dict;
          }
          const key = this.value();
          if (!(key instanceof PdfName)) throw new Error(`dictionary key expected at ${this.pos}`);
          dict.set(key.name, this.value());
        }
      }
      const end = s.indexOf('>', this.pos);
      const hex = s.slice(this.pos + 1, end).replace(/\s+/g, '');
      this.pos = end + 1;
      let out = '';
      for (let i = 0; i < hex.length; i += 2) out += String.fromCharCode(Number.parseInt((hex[i] ?? '0') + (hex[i + 1] ?? '0'), 16));
      return new PdfString(out);
    }
    if (c === '[') {
      this.pos++;
      const arr: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (s[this.pos] === ']') {
          this.pos++;
          return arr;
        }
        if (this.pos >= s.length) return arr;
        arr.push(this.value());
      }
    }
    if (c === ']' || c === '>' || c === ')' || c === '{' || c === '}') {
      this.pos++;
      return new Operator(c);
    }
    const word = this.regular();
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      // `n g R`: look ahead without consuming when it is not a reference.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        this.skipSpace();
        const gen = this.regular();
        if (/^\d+$/.test(gen)) {
          this.skipSpace();
          if (
            s[this.pos] === 'R' &&
            (this.pos + 1 >= s.length || WHITE.has(s.charCodeAt(this.pos + 1)) || DELIM.has(s.charCodeAt(this.pos + 1)))
          ) {
            this.pos++;
            return new PdfRef(Number(word), Number(gen));
          }
        }
        this.pos = save;
      }
      return Number(word);
    }
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (word === '') {
      this.pos++;
      return new Operator(c);
    }
    return new Operator(word);
  }
  private literalString(): PdfString {
    const s = this.src;
    let depth = 0;
    let out = '';
    this.pos++;
    while (this.pos < s.length) {
      const c = s[this.pos++]!;
      if (c === '\\') {
        const n = s[this.pos++]!;
        const esc: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '(': '(', ')': ')', '\\': '\\' };
        if (esc[n] !== undefined) out += esc[n];
        else if (/[0-7]/.test(n)) {
          let oct = n;
          while (oct.length < 3 && /[0-7]/.test(s[this.pos] ?? '')) oct += s[this.pos++];
          out += String.fromCharCode(Number.parseInt(oct, 8) & 0xff);
        } else if (n === '\r') {
          if (s[this.pos] === '\n') this.pos++;
        } else if (n !== '\n') out += n;
      } else if (c === '(') {
        depth++;
        out += c;
      } else if (c === ')') {
        if (depth === 0) break;
        depth--;
        out += c;
      } else out += c;
    }
    return new PdfString(out);
  }
}

export interface PdfFile {
  version: string;
  trailer: PdfDict;
  /** The object, following references. */
  get(value: PdfValue | undefined): PdfValue | undefined;
  dict(value: PdfValue | undefined): PdfDict | undefined;
  stream(value: PdfValue | undefined): PdfStream | undefined;
  /** A stream's decoded data (undefined when a filter is one preflight does not decode). */
  decode(stream: PdfStream): Uint8Array | undefined;
  objectCount: number;
}

const toLatin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

export function readPdf(bytes: Uint8Array): PdfFile {
  const src = toLatin1(bytes);
  const header = /%PDF-(\d\.\d)/.exec(src.slice(0, 1024));
  if (!header) throw new Error('not a PDF file (no %PDF- header)');
  const objects = new Map<number, PdfValue>();
  const positions = new Map<number, number>();
  const re = /(?:^|[\r\n\s])(\d+)\s+(\d+)\s+obj\b/g;
  for (let m = re.exec(src); m; m = re.exec(src)) positions.set(Number(m[1]), m.index + m[0].length);
  const parsed = new Set<number>();

  const parseAt = (num: number, pos: number): PdfValue => {
    const lexer = new Lexer(src, pos);
    const value = lexer.value();
    if (value instanceof Map) {
      // A stream follows its dictionary.
      const after = /^\s*stream(\r\n|\n|\r)/.exec(src.slice(lexer.pos, lexer.pos + 20));
      if (after) {
        const start = lexer.pos + after[0].length;
        let length = value.get('Length');
        if (length instanceof PdfRef) {
          const target = positions.get(length.num);
          length = target !== undefined && length.num !== num ? new Lexer(src, target).value() : undefined;
        }
        let end = typeof length === 'number' ? start + length : -1;
        if (end < 0 || !src.startsWith('endstream', end + (/^\s*/.exec(src.slice(end, end + 4))?.[0].length ?? 0))) {
          end = src.indexOf('endstream', start);
          while (end > start && (src[end - 1] === '\n' || src[end - 1] === '\r')) end--;
        }
        return new PdfStream(value, bytes.subarray(start, end));
      }
    }
    return value;
  };

  const file: PdfFile = {
    version: header[1]!,
    trailer: new Map(),
    objectCount: 0,
    get(value) {
      let v = value;
      for (let hops = 0; v instanceof PdfRef && hops < 32; hops++) {
        const num: number = v.num;
        if (!objects.has(num) && !parsed.has(num)) {
          parsed.add(num);
          const pos = positions.get(num);
          if (pos !== undefined) {
            try {
              objects.set(num, parseAt(num, pos));
            } catch {
              objects.set(num, null);
            }
          }
        }
        v = objects.get(num) ?? null;
      }
      return v;
    },
    dict(value) {
      const v = file.get(value);
      return v instanceof Map ? v : v instanceof PdfStream ? v.dict : undefined;
    },
    stream(value) {
      const v = file.get(value);
      return v instanceof PdfStream ? v : undefined;
    },
    decode(stream) {
      const filters = asArray(file.get(stream.dict.get('Filter')));
      const parms = asArray(file.get(stream.dict.get('DecodeParms')));
      let data: Uint8Array = stream.raw;
      for (const [i, f] of filters.entries()) {
        const name = f instanceof PdfName ? f.name : '';
        if (name === 'FlateDecode' || name === 'Fl') {
          try {
            data = zlib.inflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
          } catch {
            return undefined;
          }
          const p = file.dict(parms[i]);
          const predictor = p?.get('Predictor');
          if (typeof predictor === 'number' && predictor >= 10) data = unpredict(data, (p!.get('Columns') as number) ?? 1);
        } else if (name === 'ASCIIHexDecode' || name === 'AHx') {
          const hex = toLatin1(data).replace(/[^0-9a-fA-F]/g, '');
          data = Uint8Array.from({ length: hex.length >> 1 }, (_, k) => Number.parseInt(hex.slice(2 * k, 2 * k + 2), 16));
        } else if (name === 'ASCII85Decode' || name === 'A85') data = ascii85(toLatin1(data));
        else return undefined;
      }
      return data;
    },
  };

  // Object streams: their objects are parsed now (they are few and small).
  for (const num of positions.keys()) {
    const v = file.get(new PdfRef(num, 0));
    if (v instanceof PdfStream && (v.dict.get('Type') as PdfName | undefined)?.name === 'ObjStm') {
      const data = file.decode(v);
      const n = v.dict.get('N');
      const first = v.dict.get('First');
      if (!data || typeof n !== 'number' || typeof first !== 'number') continue;
      const text = toLatin1(data);
      const head = new Lexer(text.slice(0, first));
      for (let k = 0; k < n; k++) {
        const objNum = head.value();
        const offset = head.value();
        if (typeof objNum !== 'number' || typeof offset !== 'number') break;
        if (positions.has(objNum)) continue; // a plain definition later in the file wins
        try {
          objects.set(objNum, new Lexer(text, first + offset).value());
        } catch {
          objects.set(objNum, null);
        }
        parsed.add(objNum);
      }
    }
  }
  file.objectCount = new Set([...positions.keys(), ...objects.keys()]).size;

  // The trailer: the last `trailer` dictionary, or the last cross-reference stream, that has a /Root.
  const candidates: PdfDict[] = [];
  const tr = /trailer\s*<</g;
  for (let m = tr.exec(src); m; m = tr.exec(src)) {
    try {
      const d = new Lexer(src, m.index + 7).value();
      if (d instanceof Map) candidates.push(d);
    } catch {
      /* a damaged trailer: try the next */
    }
  }
  for (const num of positions.keys()) {
    const v = file.get(new PdfRef(num, 0));
    if (v instanceof PdfStream && (v.dict.get('Type') as PdfName | undefined)?.name === 'XRef') candidates.push(v.dict);
  }
  const withRoot = candidates.filter((d) => d.has('Root'));
  file.trailer = withRoot[withRoot.length - 1] ?? new Map();
  return file;
}

export const asArray = (v: PdfValue | undefined): PdfValue[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
export const nameOf = (v: PdfValue | undefined): string | undefined => (v instanceof PdfName ? v.name : undefined);

function unpredict(data: Uint8Array, columns: number): Uint8Array {
  const row = columns + 1;
  const rows = Math.floor(data.length / row);
  const out = new Uint8Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const type = data[r * row]!;
    for (let c = 0; c < columns; c++) {
      const raw = data[r * row + 1 + c]!;
      const up = r > 0 ? out[(r - 1) * columns + c]! : 0;
      const left = c > 0 ? out[r * columns + c - 1]! : 0;
      out[r * columns + c] = (type === 2 ? raw + up : type === 1 ? raw + left : raw) & 0xff;
    }
  }
  return out;
}

function ascii85(text: string): Uint8Array {
  const out: number[] = [];
  const clean = text.replace(/\s+/g, '').replace(/^<~/, '').replace(/~>.*$/, '');
  let group: number[] = [];
  const flush = (n: number) => {
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    for (let k = 0; k < n - 1; k++) out.push((v >>> (24 - 8 * k)) & 0xff);
    group = [];
  };
  for (const ch of clean) {
    if (ch === 'z' && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    group.push(ch.charCodeAt(0) - 33);
    if (group.length === 5) flush(5);
  }
  if (group.length) flush(group.length);
  return Uint8Array.from(out);
}

/** A page of a PDF's page tree, with the attributes it inherits from the tree above it. */
export interface PageEntry {
  dict: PdfDict;
  ref?: PdfRef;
  /** Inheritable attributes from the page tree. */
  inherited: PdfDict;
}

/**
 * The pages of a PDF in order, found by walking its page tree from the catalog (cycles and runaway depth
 * cut off: the file may be anyone's).
 */
export function pageTree(pdf: PdfFile): PageEntry[] {
  const root = pdf.dict(pdf.trailer.get('Root'));
  if (!root) return [];
  const out: PageEntry[] = [];
  const seen = new Set<string>();
  const walk = (node: PdfValue | undefined, inherited: PdfDict, depth: number) => {
    if (depth > 64) return;
    const key = node instanceof PdfRef ? String(node) : undefined;
    if (key) {
      if (seen.has(key)) return;
      seen.add(key);
    }
    const dict = pdf.dict(node);
    if (!dict) return;
    const type = nameOf(dict.get('Type'));
    const next = new Map(inherited);
    for (const k of ['Resources', 'MediaBox', 'CropBox', 'Rotate']) if (dict.has(k)) next.set(k, dict.get(k)!);
    if (type === 'Pages' || (type === undefined && dict.has('Kids'))) {
      for (const kid of asArray(pdf.get(dict.get('Kids')))) walk(kid, next, depth + 1);
    } else out.push({ dict, ref: node instanceof PdfRef ? node : undefined, inherited });
  };
  walk(root.get('Pages'), new Map(), 0);
  return out;
}
