/**
 * A parsed YAML file that still knows where every value came from, so that errors found later
 * (schema, fonts, missing glyphs) can point at file:line:column with the offending source line.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type ParsedNode,
  type YAMLError,
} from 'yaml';
import { KumihanError, type SourceLocation } from '../errors.js';
import { parseFastYaml } from './yamlfast.js';
import { readInput, type InputKind, type InputPolicy } from './inputs.js';

export type FieldPath = readonly (string | number)[];

export interface YamlFile {
  /** Path for messages: as the user named it, or relative to the working directory. */
  displayPath: string;
  absolutePath: string;
  text: string;
  /** yaml's Document (parsed when first asked for, when the file was read by the fast reader). */
  doc: Document.Parsed;
  /** The document's root node: `doc.contents`, or the same nodes built by the fast reader. */
  root: ParsedNode | null;
  lineCounter: LineCounter;
  /** The plain JavaScript value of the document (null for an empty file). */
  data: unknown;
}

/** `body.size`, `header[2].align` */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}

/**
 * Parses YAML text. YAML 1.2 core schema: an unquoted 2017-01-26 stays the string "2017-01-26"
 * (YAML 1.1 would turn it into a timestamp), which is what the date field expects.
 */
/** Levels of mappings and lists inside one another: kumihan's own fields go a few deep, a file that goes
 * further is refused before anything walks it (a walk that deep would run out of stack). */
const MAX_NESTING = 64;

function nestingError(displayPath: string): KumihanError {
  return new KumihanError(
    'yaml-syntax',
    `the file nests mappings or lists more than ${MAX_NESTING} levels deep; no content or template field goes that deep`,
    { file: displayPath },
  );
}

/** How deep `data` nests objects and arrays, counted without recursion; stops past `limit`. */
function nestingDepth(data: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > deepest) deepest = depth + 1;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return deepest;
}

export function parseYamlText(text: string, absolutePath: string, displayPath: string): YamlFile {
  let file: YamlFile;
  try {
    file = parseYamlTextOnce(text, absolutePath, displayPath);
  } catch (e) {
    // The YAML library reads nested flow collections recursively: a file nested thousands deep overflows it.
    if (e instanceof RangeError || (e instanceof KumihanError && /Maximum call stack/.test(e.message))) throw nestingError(displayPath);
    throw e;
  }
  if (nestingDepth(file.data, MAX_NESTING) > MAX_NESTING) throw nestingError(displayPath);
  return file;
}

/** What a location in a file's text needs: the text, its line starts and the name to show. */
type TextLines = Pick<YamlFile, 'displayPath' | 'text' | 'lineCounter'>;

/**
 * Where a value starts with {{ without quotes (`- {{name}}様`, `title: {{event}}のご案内`, `[{{name}}様]`), and
 * that value as written; undefined where none does. YAML reads
 * `{` there as the start of a mapping — {{name}} is a mapping inside a mapping — so a mail-merge placeholder
 * at the start of a value is a syntax error or a mapping, never the text its author meant.
 */
function unquotedPlaceholderAt(text: string): { at: number; value: string } | undefined {
  if (!text.includes('{{')) return undefined;
  // Lines inside a block scalar (body: |) are text, {{ at their start included: skipped.
  let blockIndent = -1;
  let offset = 0;
  for (const line of text.split('\n')) {
    const indent = /^ */.exec(line)![0].length;
    if (blockIndent >= 0 && (line.trim() === '' || indent > blockIndent)) {
      offset += line.length + 1;
      continue;
    }
    blockIndent = -1;
    // A block value (- {{…}}, key: {{…}}), or an item of a flow list ([{{…}}, …]) outside quotes.
    const block = /^( *(?:- +)*(?:[^\s#'"{[-][^#]*?:[ \t]+)?)\{\{/.exec(line);
    const flow = block ? undefined : /[[,][ \t]*\{\{/.exec(line);
    const start = block ? block[1]!.length : flow && !/["']/.test(line.slice(0, flow.index)) ? flow.index + flow[0].length - 2 : -1;
    if (start >= 0) {
      const rest = line.slice(start).replace(/\r$/, '');
      const value = (block ? rest.replace(/\s+#.*$/, '') : /^[^,\]]*/.exec(rest)![0]).trim();
      return { at: offset + start, value };
    }
    if (/(?:^|[:-] +)[|>][+-]?\d*[+-]? *(?:#.*)?\r?$/.test(line.trimStart())) blockIndent = indent;
    offset += line.length + 1;
  }
  return undefined;
}

function parseYamlTextOnce(text: string, absolutePath: string, displayPath: string): YamlFile {
  const placeholder = unquotedPlaceholderAt(text);
  if (placeholder) {
    const lineCounter = new LineCounter();
    lineCounter.addNewLine(0);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
    throw new KumihanError(
      'yaml-syntax',
      `YAML syntax error: a value that starts with {{ is read by YAML as a mapping, not as text: put the value in quotes (${JSON.stringify(placeholder.value)}) — a mail-merge placeholder at the start of a value needs them`,
      locationAtOffset({ displayPath, text, lineCounter }, placeholder.at),
    );
  }
  // Plain files (every content file and template kumihan ships) are read by src/model/yamlfast.ts,
  // ten times faster in a fresh process; anything else, and every error, by yaml.
  const fast = parseFastYaml(text);
  if (fast) {
    const lineCounter = new LineCounter();
    for (const start of fast.lineStarts) lineCounter.addNewLine(start);
    let doc: Document.Parsed | undefined;
    return {
      displayPath,
      absolutePath,
      text,
      get doc() {
        return (doc ??= parseDocument(text, yamlOptions()));
      },
      root: fast.root,
      lineCounter,
      data: fast.data,
    };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...yamlOptions(), lineCounter });
  const file: YamlFile = { displayPath, absolutePath, text, doc, root: doc.contents, lineCounter, data: null };
  const firstError = doc.errors[0];
  if (firstError) {
    const message = firstError.message.replace(/ at line \d+, column \d+[\s\S]*$/, '');
    throw new KumihanError('yaml-syntax', `YAML syntax error: ${message}`, locationAtOffset(file, syntaxErrorOffset(text, firstError)));
  }
  try {
    // A YAML alias is resolved here: an unknown one, or one that expands too far (a "billion laughs"
    // file), is the author's error, not ours.
    file.data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const message = (e as Error).message.replace(/ at line \d+, column \d+[\s\S]*$/, '');
    // yaml names the alias at the end of the message ("Unresolved alias (…): honbun").
    const alias = /:\s*([^\s,\]}]+)\s*$/.exec((e as Error).message)?.[1];
    const offset = alias && text.includes(`*${alias}`) ? text.indexOf(`*${alias}`) : 0;
    throw new KumihanError('yaml-syntax', `YAML error: ${message}`, locationAtOffset(file, offset));
  }
  return file;
}

const yamlOptions = () => ({ prettyErrors: false, schema: 'core', version: '1.2' }) as const;

/**
 * yaml reports an unterminated quoted string where the file ends; the author needs to see where
 * the string began, which is the last such quote before that point.
 */
function syntaxErrorOffset(text: string, error: YAMLError): number {
  const offset = error.pos[0];
  const quote = /^Missing closing (["'])quote/.exec(error.message)?.[1];
  if (error.code === 'MISSING_CHAR' && quote) {
    const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
    if (opening >= 0) return opening;
  }
  // An unclosed [ or {: yaml notices at the next line it cannot take (the end of the file, at worst);
  // the author needs the bracket that was never closed.
  if (/end with a [\]}]/.test(error.message)) return unclosedBracket(text, offset) ?? offset;
  return offset;
}

/**
 * The offset of the innermost [ or { still open at `end`, reading flow collections as YAML does: brackets
 * inside quoted strings and comments do not count. Undefined when every bracket is closed.
 */
function unclosedBracket(text: string, end: number): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < end && text[i] !== '\n') i++;
    } else if (c === '"' || c === "'") {
      for (i++; i < end && text[i] !== c; i++) if (c === '"' && text[i] === '\\') i++;
    } else if (c === '[' || c === '{') open.push(i);
    else if ((c === ']' || c === '}') && open.length > 0) open.pop();
  }
  return open.at(-1);
}

/**
 * Reads and parses a YAML file that the user or a template named, under the input policy (inside the
 * project root, a regular file, within the size limit for its kind: see inputs.ts).
 */
export function readYamlFile(
  absolutePath: string,
  displayPath: string,
  kind: InputKind,
  policy: InputPolicy,
  referencedFrom?: SourceLocation,
  named = false,
): YamlFile {
  const bytes = readInput(absolutePath, kind, policy, displayPath, referencedFrom ?? { file: displayPath }, named);
  return parseYamlText(decodeUtf8(bytes, displayPath), absolutePath, displayPath);
}

/** UTF-8 text without a byte-order mark; bytes that are not UTF-8 are an error at their line. */
export function decodeUtf8(bytes: Uint8Array, displayPath: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes);
    const bad = text.indexOf('\uFFFD');
    const line = bad < 0 ? undefined : text.slice(0, bad).split('\n').length;
    throw new KumihanError('yaml-syntax', 'the file is not UTF-8 text; save it as UTF-8', { file: displayPath, line });
  }
}

/** The text of a 1-based line, without its line break. */
export function sourceLineText(file: TextLines, line: number): string {
  const starts = file.lineCounter.lineStarts;
  const start = starts[line - 1] ?? file.text.length;
  const end = line < starts.length ? starts[line]! - 1 : file.text.length;
  return file.text.slice(start, end).replace(/\r$/, '');
}

export function locationAtOffset(file: TextLines, offset: number, path?: FieldPath): SourceLocation {
  const at = Math.min(offset, file.text.length);
  const { line, col } = file.lineCounter.linePos(at);
  // The column an editor shows: code points from the line start (yaml counts UTF-16 units, so a
  // character beyond the BMP before the offset would count twice).
  const column = 1 + Array.from(file.text.slice(at - (col - 1), at)).length;
  const location: SourceLocation = { file: file.displayPath, line, column, sourceLine: sourceLineText(file, line) };
  if (path?.length) location.path = formatFieldPath(path);
  return location;
}

export interface NodeLookup {
  /** The node at the path, or the deepest ancestor that exists. */
  node: Node | null;
  /** The key node of the last map entry on the way (used to point at an unknown field's name). */
  keyNode: Node | null;
  /** Whether the whole path exists. */
  found: boolean;
  /** How many path segments were matched. */
  depth: number;
}

/**
 * Mail-merge records as written: a value YAML reads as a number or a boolean (0312345678, 007, 1e3, 0.10,
 * yes) is its text in the file, so that a telephone number keeps its leading zero and an amount its
 * digits. `records` are the parsed records at `path` (a list of maps); changed in place.
 */
export function recordsAsWritten(file: YamlFile, path: FieldPath, records: Record<string, unknown>[]): void {
  records.forEach((record, i) => {
    for (const [key, value] of Object.entries(record)) {
      if (typeof value !== 'number' && typeof value !== 'boolean') continue;
      const { node, found } = lookupNode(file, [...path, i, key]);
      if (found && isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string') record[key] = node.source;
    }
  });
}

export function lookupNode(file: YamlFile, path: FieldPath): NodeLookup {
  let node: unknown = file.root;
  let keyNode: Node | null = null;
  let depth = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(file.doc);
    let next: unknown;
    let nextKey: Node | null = null;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair) {
        next = pair.value;
        nextKey = pair.key as Node;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined) break;
    // `key:` with nothing after it has no (or an empty) value node; point at the key then.
    if (next === null || (isScalar(next) && next.range && next.range[0] === next.range[1])) {
      return { node: nextKey, keyNode: nextKey, found: depth + 1 === path.length, depth: depth + 1 };
    }
    node = next;
    keyNode = nextKey;
    depth++;
  }
  return { node: (node as Node | null) ?? null, keyNode, found: depth === path.length, depth };
}

export function hasPath(file: YamlFile, path: FieldPath): boolean {
  return lookupNode(file, path).found;
}

/**
 * Where a field is in the file. When the field is absent (a missing required field) the nearest
 * ancestor that exists is shown. `pointAtKey` points at the field's name instead of its value
 * (for unknown fields).
 */
export function locateField(file: YamlFile, path: FieldPath, pointAtKey = false): SourceLocation {
  const { node, keyNode, found } = lookupNode(file, path);
  const target = found && pointAtKey && keyNode ? keyNode : node;
  const offset = target?.range?.[0];
  if (offset === undefined) return { file: file.displayPath, path: formatFieldPath(path) };
  return locationAtOffset(file, offset, path);
}

// ---------------------------------------------------------------------------------------------
// A value as written, and where each of its characters is in the YAML source

export interface ValueSource {
  /** The value's text with the author's line breaks (the line structure the body's paragraph splitter sees). */
  text: string;
  /** sourceOffsets[i] = offset in the YAML file of text[i]. */
  sourceOffsets: number[];
}

/**
 * A text value (a body, a title, a caption) with the author's line breaks, each character tied to its
 * source offset.
 *
 * For block scalars (`|` and `>`) and plain scalars this is the source lines minus indentation.
 * Deliberately not YAML's folded value for `>` and plain scalars: folding turns every line break
 * into a space, which is right for English and wrong for Japanese; the paragraph splitter's join
 * rule handles both. For `|` it is exactly YAML's value. Quoted scalars (escapes!) use YAML's
 * value, tied back to the source on a best-effort basis.
 */
export function valueAsWritten(file: YamlFile, value: string, fieldPath: FieldPath): ValueSource {
  const { node, found } = lookupNode(file, fieldPath);
  const scalar = found && isScalar(node) ? node : null;
  const range = scalar?.range;
  if (!scalar || !range) return { text: value, sourceOffsets: [] };
  const [start, end] = range;
  switch (scalar.type) {
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      const contentStart = file.text.indexOf('\n', start) + 1;
      const lines = file.text.slice(contentStart, end);
      // The block's indentation is that of its first non-empty line (YAML's rule when no indicator).
      const indent = /^( *)[^ \r\n]/m.exec(lines)?.[1]?.length ?? 0;
      return sourceLines(file.text, contentStart, end, (line) => Math.min(indent, line.length));
    }
    case 'PLAIN':
      // Continuation lines of a plain scalar are indented arbitrarily; the indentation is not text.
      return sourceLines(file.text, start, end, (line, index) => (index === 0 ? 0 : line.length - line.trimStart().length));
    default:
      return { text: value, sourceOffsets: alignToSource(file.text, start + 1, end, value) };
  }
}

/** Source lines in [start, end) joined with \n, dropping `skip(line)` leading characters of each. */
function sourceLines(source: string, start: number, end: number, skip: (line: string, index: number) => number): ValueSource {
  let text = '';
  const sourceOffsets: number[] = [];
  let lineStart = start;
  for (let index = 0; lineStart < end; index++) {
    const newline = source.indexOf('\n', lineStart);
    const lineEnd = newline < 0 || newline >= end ? end : newline;
    const line = source.slice(lineStart, lineEnd);
    const from = skip(line, index);
    text += line.slice(from);
    for (let i = from; i < line.length; i++) sourceOffsets.push(lineStart + i);
    if (lineEnd >= end) break;
    text += '\n';
    sourceOffsets.push(lineEnd);
    lineStart = lineEnd + 1;
  }
  return { text, sourceOffsets };
}

/** How far ahead to look for a value character the source spells differently (\u3000 is 6 characters). */
const ESCAPE_LOOKAHEAD = 10;

/**
 * Best-effort offsets for a quoted scalar's value: walk value and source together; a value
 * character found a little ahead in the source is matched there; one that is not (produced by an
 * escape or a fold) stays at the current position.
 */
function alignToSource(source: string, start: number, end: number, value: string): number[] {
  const offsets: number[] = [];
  let cursor = start;
  for (const ch of value) {
    let match = -1;
    for (let k = cursor; k < end && k < cursor + ESCAPE_LOOKAHEAD; k++) {
      // startsWith: a character beyond the BMP (😀) is two units of the source.
      if (source.startsWith(ch, k)) {
        match = k;
        break;
      }
    }
    // `for…of` walks code points; offsets are per UTF-16 unit like the value's indices.
    for (let unit = 0; unit < ch.length; unit++) offsets.push((match < 0 ? cursor : match) + unit);
    if (match >= 0) cursor = match + ch.length;
  }
  return offsets;
}

/**
 * Where character `index` (a UTF-16 index) of the text field at `fieldPath` is in the file, when `text` is
 * the field's value as the file gives it; else (a text made from the field: a mail-merge value put in) the
 * field's start. Exact for `|` blocks and single-line values; best effort for `>` blocks and quoted values.
 */
export function locateInField(file: YamlFile, fieldPath: FieldPath, text: string, index: number): SourceLocation {
  const { node, found } = lookupNode(file, fieldPath);
  if (!found || !isScalar(node) || node.value !== text) return locateField(file, fieldPath);
  const offset = valueAsWritten(file, text, fieldPath).sourceOffsets[index];
  return offset === undefined ? locateField(file, fieldPath) : locationAtOffset(file, offset, fieldPath);
}
