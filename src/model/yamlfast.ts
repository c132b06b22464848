/**
 * A reader for the plain YAML that content files and templates are written in, used before the `yaml`
 * package: block mappings and sequences, plain and simply quoted one-line scalars, `|` literal blocks,
 * comments, `[]` and `{}`. It builds the same nodes `yaml` would (yaml's own Scalar, YAMLMap, YAMLSeq and
 * Pair objects, with the same ranges, scalar types and values, the values resolved by the YAML 1.2 core
 * schema), in one pass over the lines instead of yaml's lexer, parser and composer: ~1 ms instead of ~10 ms
 * for a letter and its templates in a process that has just started, when nothing is optimised yet.
 *
 * It gives up — returns undefined, and the caller parses the text with `yaml` — at anything else:
 * anchors, aliases, tags, flow collections with content, folded or keep-chomped blocks, multi-line plain
 * or quoted scalars, escapes, tabs, carriage returns, control characters, keys that are not simple
 * names, duplicate keys, any line it does not recognise. Syntax errors are therefore always reported
 * by `yaml`, with its messages and positions. tests/model/yamlfast.test.ts holds the nodes and values
 * built here against yaml's for every YAML file in the repository and for edge cases.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type ParsedNode } from 'yaml';

export interface FastYaml {
  /** The document's root node (always a block mapping). */
  root: YAMLMap.Parsed;
  /** Its plain JavaScript value, as yaml's `toJS()` would give it. */
  data: Record<string, unknown>;
  /** Offsets of line starts, as yaml's LineCounter records them. */
  lineStarts: number[];
}

/** Thrown inside the reader for input it leaves to yaml. */
class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

interface Line {
  /** Offset of the line's first character. */
  start: number;
  /** Offset of the line break ending it, or the text's length. */
  end: number;
  /** Number of leading spaces. */
  indent: number;
  /** Blank or comment only: not a node. */
  blank: boolean;
  /** Empty or spaces only (a blank line inside a literal block is content). */
  empty: boolean;
}

// Characters yaml treats specially anywhere (tabs, carriage returns, other line breaks, controls, BOM).
const SPECIAL_CHARS = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]/;
// A plain scalar may not start with one of these (YAML's indicators), nor with a quote or `|`, handled apart.
const INDICATORS = '-?:,[]{}#&*!|>\'"%@`';
const KEY = /^[A-Za-z_][A-Za-z0-9_-]*:(?= |$)/;

// The YAML 1.2 core schema's implicit tags, as yaml (the package) tests them, in its order.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_DEC = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The value the core schema gives a plain scalar; gives up on the rare forms (octal, hex, infinities, NaN). */
function resolvePlain(s: string): unknown {
  if (NULL.test(s)) return null;
  if (TRUE.test(s)) return true;
  if (FALSE.test(s)) return false;
  if (INT_OCT.test(s) || INT_HEX.test(s) || FLOAT_NAN.test(s)) return giveUp();
  if (INT_DEC.test(s)) return parseInt(s, 10);
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

function scalar(value: unknown, type: Scalar.Type, range: [number, number, number]): Scalar.Parsed {
  const node = new Scalar(value) as Scalar.Parsed;
  node.type = type;
  node.range = range;
  return node;
}

/** Reads `text`, or returns undefined when it is not in the subset described above. */
export function parseFastYaml(text: string): FastYaml | undefined {
  if (SPECIAL_CHARS.test(text)) return undefined;
  try {
    return new Reader(text).document();
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
}

class Reader {
  private readonly lines: Line[] = [];
  readonly lineStarts: number[] = [];

  constructor(private readonly text: string) {
    for (let start = 0; ; ) {
      this.lineStarts.push(start);
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let indent = start;
      while (indent < end && text.charCodeAt(indent) === 32) indent++;
      const empty = indent === end;
      this.lines.push({ start, end, indent: indent - start, empty, blank: empty || text.charCodeAt(indent) === 35 /* # */ });
      if (end === text.length) break;
      start = end + 1;
    }
  }

  document(): FastYaml {
    const first = this.nextNode(0);
    if (first === this.lines.length) giveUp(); // empty document: null, left to yaml
    const line = this.lines[first]!;
    if (line.indent !== 0 || this.text.startsWith('- ', line.start) || this.text.startsWith('---', line.start)) giveUp();
    const { node, value, next } = this.map(first, 0, line.start);
    if (this.nextNode(next) !== this.lines.length) giveUp();
    return { root: node, data: value, lineStarts: this.lineStarts };
  }

  /** The index of the first line at or after `i` that holds a node (not blank, not a comment). */
  private nextNode(i: number): number {
    while (i < this.lines.length && this.lines[i]!.blank) i++;
    return i;
  }

  /** End of the line's content: before a comment (` #`) and trailing spaces. */
  private contentEnd(from: number, end: number): number {
    const hash = this.text.indexOf(' #', from);
    let e = hash >= 0 && hash < end ? hash : end;
    while (e > from && this.text.charCodeAt(e - 1) === 32) e--;
    return e;
  }

  /**
   * A block mapping whose keys are at column `column`; the first key starts at `firstAt` on line `i`
   * (after `- ` for a mapping inside a sequence item). Returns the line after it.
   */
  private map(i: number, column: number, firstAt: number): { node: YAMLMap.Parsed; value: Record<string, unknown>; next: number } {
    const node = new YAMLMap() as YAMLMap.Parsed;
    const value: Record<string, unknown> = {};
    let at = firstAt;
    let next = i;
    for (;;) {
      const line = this.lines[next]!;
      const key = KEY.exec(this.text.slice(at, line.end));
      if (!key) return giveUp();
      const name = key[0].slice(0, -1);
      if (typeof resolvePlain(name) !== 'string' || name === '__proto__' || Object.hasOwn(value, name)) giveUp();
      const keyEnd = at + name.length;
      const keyNode = scalar(name, 'PLAIN', [at, keyEnd, keyEnd]);
      const entry = this.value(next, column, keyEnd + 1, false);
      node.items.push(new Pair(keyNode, entry.node) as Pair<ParsedNode, ParsedNode>);
      value[name] = entry.value;
      next = this.nextNode(entry.next);
      if (next === this.lines.length || this.lines[next]!.indent < column) break;
      if (this.lines[next]!.indent !== column) giveUp();
      at = this.lines[next]!.start + column;
    }
    node.range = [firstAt, this.endOf(next), this.endOf(next)];
    return { node, value, next };
  }

  /** A block sequence whose `-` are at column `column`, from line `i`. */
  private seq(i: number, column: number): { node: YAMLSeq.Parsed; value: unknown[]; next: number } {
    const node = new YAMLSeq() as YAMLSeq.Parsed;
    const value: unknown[] = [];
    const first = this.lines[i]!.start + column;
    let next = i;
    for (;;) {
      const line = this.lines[next]!;
      const dash = line.start + column;
      if (this.text.charCodeAt(dash) !== 45 /* - */ || (dash + 1 < line.end && this.text.charCodeAt(dash + 1) !== 32)) giveUp();
      const item = this.value(next, column, dash + 1, true);
      node.items.push(item.node);
      value.push(item.value);
      next = this.nextNode(item.next);
      if (next === this.lines.length || this.lines[next]!.indent < column) break;
      if (this.lines[next]!.indent !== column) giveUp();
    }
    node.range = [first, this.endOf(next), this.endOf(next)];
    return { node, value, next };
  }

  /** Where the node that ends before line `next` ends (the start of that line, or the end of the text). */
  private endOf(next: number): number {
    return next < this.lines.length ? this.lines[next]!.start : this.text.length;
  }

  /**
   * The value after `key:` or `-` (at `from`, on line `i`) of an entry at column `column`. Returns the
   * line after it.
   */
  private value(i: number, column: number, from: number, inSeq: boolean): { node: ParsedNode; value: unknown; next: number } {
    const line = this.lines[i]!;
    const text = this.text;
    let at = from;
    while (at < line.end && text.charCodeAt(at) === 32) at++;
    const rest = at < line.end ? text.charCodeAt(at) : -1;

    if (rest === -1 || rest === 35 /* # */) {
      // Nothing on this line: a nested block on the lines below, or null.
      if (rest === 35 && at === from) giveUp(); // `key:#…` is not a comment
      const next = this.nextNode(i + 1);
      if (next < this.lines.length && this.lines[next]!.indent > column) {
        const nested = this.lines[next]!;
        const nestedAt = nested.start + nested.indent;
        if (text.charCodeAt(nestedAt) === 45 /* - */ && (nestedAt + 1 === nested.end || text.charCodeAt(nestedAt + 1) === 32)) {
          return this.seq(next, nested.indent);
        }
        return this.map(next, nested.indent, nestedAt);
      }
      // A sequence directly under a key at the key's own column (`key:\n- a`): left to yaml.
      if (
        !inSeq &&
        next < this.lines.length &&
        this.lines[next]!.indent === column &&
        text.charCodeAt(this.lines[next]!.start + column) === 45
      ) {
        giveUp();
      }
      return { node: scalar(null, 'PLAIN', [at, at, at]), value: null, next: i + 1 };
    }

    // `- key: value`: a mapping inside a sequence item, its keys at the column of the first.
    if (inSeq && KEY.test(text.slice(at, line.end))) return this.map(i, at - line.start, at);

    if (rest === 124 /* | */) return this.literal(i, column, at);

    const end = this.contentEnd(at, line.end);
    let node: ParsedNode;
    let value: unknown;
    if (rest === 39 /* ' */ || rest === 34 /* " */) {
      const quote = text[at]!;
      let close = at + 1;
      for (;;) {
        close = text.indexOf(quote, close);
        if (close < 0 || close >= line.end) giveUp();
        if (quote === "'" && text[close + 1] === "'") close += 2;
        else break;
      }
      if (close + 1 !== end) giveUp(); // something after the closing quote
      const inner = text.slice(at + 1, close);
      if (quote === '"' && inner.includes('\\')) giveUp();
      value = quote === "'" ? inner.replaceAll("''", "'") : inner;
      node = scalar(value, quote === "'" ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE', [at, end, this.endOf(i + 1)]);
    } else if (rest === 123 /* { */) {
      ({ node, value } = this.flowMap(at, end, this.endOf(i + 1)));
    } else if (rest === 91 /* [ */) {
      ({ node, value } = this.flowSeq(at, end, this.endOf(i + 1)));
    } else {
      if (INDICATORS.includes(text[at]!)) giveUp();
      const source = text.slice(at, end);
      // `a: b: c`, `a:` at the end, a comment without a space before it: yaml decides.
      if (source.includes(': ') || source.endsWith(':') || source.includes('#')) giveUp();
      value = resolvePlain(source);
      node = scalar(value, 'PLAIN', [at, end, this.endOf(i + 1)]);
    }
    // A more indented line after a one-line value would continue it (or be an error): yaml decides.
    const next = this.nextNode(i + 1);
    if (next < this.lines.length && this.lines[next]!.indent > column) giveUp();
    return { node, value, next: i + 1 };
  }

  /** `[]`, or `[a, b]` of plain scalars, on one line from `at` to `end`. */
  private flowSeq(at: number, end: number, nodeEnd: number): { node: YAMLSeq.Parsed; value: unknown[] } {
    const text = this.text;
    if (text[end - 1] !== ']') giveUp();
    const seq = new YAMLSeq() as YAMLSeq.Parsed;
    seq.flow = true;
    seq.range = [at, end, nodeEnd];
    const value: unknown[] = [];
    if (text.slice(at + 1, end - 1).trim() === '') return end === at + 2 ? { node: seq, value } : giveUp();
    for (let from = at + 1; from < end; ) {
      let comma = text.indexOf(',', from);
      if (comma < 0 || comma > end - 1) comma = end - 1;
      let a = from;
      while (text.charCodeAt(a) === 32) a++;
      let b = comma;
      while (b > a && text.charCodeAt(b - 1) === 32) b--;
      const source = text.slice(a, b);
      // Plain items only, none empty (`[a,,b]`, `[a,]`), nothing yaml would read otherwise.
      if (source === '' || INDICATORS.includes(source[0]!) || /[[\]{}:#'"]/.test(source)) giveUp();
      const item = resolvePlain(source);
      seq.items.push(scalar(item, 'PLAIN', [a, b, b]));
      value.push(item);
      from = comma + 1;
    }
    return { node: seq, value };
  }

  /**
   * `{}`, or `{ a: b, c: d }` on one line from `at` to `end`: simple names as keys, plain scalars as values
   * (a booklet's chronology rows and photos are written so).
   */
  private flowMap(at: number, end: number, nodeEnd: number): { node: YAMLMap.Parsed; value: Record<string, unknown> } {
    const text = this.text;
    if (text[end - 1] !== '}') giveUp();
    const map = new YAMLMap() as YAMLMap.Parsed;
    map.flow = true;
    map.range = [at, end, nodeEnd];
    const value: Record<string, unknown> = {};
    if (text.slice(at + 1, end - 1).trim() === '') return end === at + 2 ? { node: map, value } : giveUp();
    for (let from = at + 1; from < end; ) {
      let comma = text.indexOf(',', from);
      if (comma < 0 || comma > end - 1) comma = end - 1;
      let a = from;
      while (text.charCodeAt(a) === 32) a++;
      const key = KEY.exec(text.slice(a, comma));
      if (!key) return giveUp();
      const name = key[0].slice(0, -1);
      if (typeof resolvePlain(name) !== 'string' || name === '__proto__' || Object.hasOwn(value, name)) giveUp();
      const keyEnd = a + name.length;
      let v = keyEnd + 1;
      while (text.charCodeAt(v) === 32) v++;
      let b = comma;
      while (b > v && text.charCodeAt(b - 1) === 32) b--;
      const source = text.slice(v, b);
      // Plain values only, none empty, nothing yaml would read otherwise.
      if (source === '' || INDICATORS.includes(source[0]!) || /[[\]{}#'"]|: |:$/.test(source)) giveUp();
      const item = resolvePlain(source);
      map.items.push(
        new Pair(scalar(name, 'PLAIN', [a, keyEnd, keyEnd]), scalar(item, 'PLAIN', [v, b, comma])) as Pair<ParsedNode, ParsedNode>,
      );
      value[name] = item;
      from = comma + 1;
    }
    return { node: map, value };
  }

  /** A `|` or `|-` literal block whose header is at `at` on line `i`, under an entry at column `column`. */
  private literal(i: number, column: number, at: number): { node: ParsedNode; value: unknown; next: number } {
    const line = this.lines[i]!;
    const header = this.text.slice(at, line.end);
    if (header !== '|' && header !== '|-') giveUp(); // indentation indicators, keep chomping, comments
    let first = i + 1;
    while (first < this.lines.length && this.lines[first]!.empty) first++;
    if (first === this.lines.length || this.lines[first]!.indent <= column) giveUp(); // an empty block
    const indent = this.lines[first]!.indent;
    // Leading blank lines longer than the block's indentation are an error in YAML.
    for (let k = i + 1; k < first; k++) if (this.lines[k]!.end - this.lines[k]!.start > indent) giveUp();
    let last = first; // the last line with content
    let k = first;
    for (; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      if (l.empty) continue;
      if (l.indent < indent) break;
      last = k;
    }
    if (this.lines[last]!.end === this.text.length) giveUp(); // no line break after the last line
    let value = '';
    for (let j = i + 1; j <= last; j++) {
      const l = this.lines[j]!;
      if (j > i + 1) value += '\n';
      if (l.end - l.start > indent) value += this.text.slice(l.start + indent, l.end);
    }
    if (header === '|') value += '\n';
    const valueEnd = this.lines[last]!.end + 1;
    if (k < this.lines.length && (this.lines[this.nextNode(k)]?.indent ?? -1) > column) giveUp();
    return { node: scalar(value, 'BLOCK_LITERAL', [at, valueEnd, valueEnd]), value, next: last + 1 };
  }
}
