/**
 * Mail merge: one letter per recipient record, with `{{field}}` placeholders in the content's text
 * fields replaced by the record's values.
 *
 *   recipients: [ {id: tanaka, name: 田中一郎}, … ]      records written in the content file
 *   recipients: recipients.csv                           or a CSV file (header row = field names)
 *   recipients: recipients.yaml                          or a YAML file holding a list of records
 *
 * Loading the records (loadRecipients) reads files; substituting (applyRecipient) is a pure function
 * from a LoadedDocument and one record to the LoadedDocument of that recipient's letter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import * as z from 'zod/mini';
import { KumihanError, oneError, type SourceLocation } from '../errors.js';
import { closestMatch } from './issues.js';
import { escapeInlineMarkup } from './inline.js';
import type { LoadedDocument } from './load.js';
import { paragraphNumberOf, type MarkupBlock } from './markup.js';
import { recipientRecordSchema, type Content, type RecipientRecord } from './schema.js';
import { schemaError } from './validate.js';
import { readInput, refuseOutside, type InputPolicy } from './inputs.js';
import { displayPathFor } from './template.js';
import { locateField, readYamlFile, recordsAsWritten, type FieldPath } from './yamlfile.js';

export interface Recipient {
  /** Names the letter's file (`<key>.pdf`) and the recipient in messages: the record's `id`, else its padded position. */
  key: string;
  record: RecipientRecord;
  /** Where the record is written (content file, CSV line, or YAML file), for messages about it. */
  location: SourceLocation;
  /** Why this record cannot be used (a CSV row with too few or too many fields): only its letter fails. */
  problem?: KumihanError;
}

// ---------------------------------------------------------------------------------------------
// Placeholders

export interface Placeholder {
  /** The field name, spaces around it removed: `{{ name }}` → `name`. */
  name: string;
  /** `{{name?}}`: the value may be empty (an empty CSV cell); otherwise an empty value is an error. */
  optional: boolean;
  /** Offsets of `{{` and just past `}}` in the text. */
  start: number;
  end: number;
}

/** Thrown by findPlaceholders; the caller knows which field the text came from and adds the location. */
class PlaceholderSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The `{{…}}` placeholders of a text, in order. A `{{` without a closing `}}` or an empty name is an error. */
export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('{{', from);
    if (start < 0) return found;
    const close = text.indexOf('}}', start + 2);
    if (close < 0) throw new PlaceholderSyntaxError('`{{` without a closing `}}`', start);
    const inner = text.slice(start + 2, close);
    const optional = inner.trim().endsWith('?');
    const name = optional ? inner.trim().slice(0, -1).trim() : inner.trim();
    if (name === '' || /[{}?]/.test(name)) {
      throw new PlaceholderSyntaxError(
        `"${text.slice(start, close + 2)}" is not a placeholder; write {{field}} (or {{field?}} for a value that may be empty) with a field name of the recipient records`,
        start,
      );
    }
    found.push({ name, optional, start, end: close + 2 });
    from = close + 2;
  }
}

/** Whether any text field of the content holds a placeholder (to warn when there are no recipients to fill them). */
export function hasPlaceholders(doc: LoadedDocument): boolean {
  return textFieldsOf(doc.content).some(({ text }) => text.includes('{{')) || doc.paragraphs.some((p) => p.includes('{{'));
}

/** Content fields that may hold placeholders (the body is handled through `paragraphs`). */
const SCALAR_FIELDS = ['title', 'subtitle', 'sender', 'opening', 'closing', 'postscript'] as const;
const LIST_FIELDS = ['recipient', 'signature'] as const;
const PDF_SCALAR_FIELDS = ['title', 'author', 'subject'] as const;

interface TextField {
  path: FieldPath;
  text: string;
}

function textFieldsOf(content: Content): TextField[] {
  const fields: TextField[] = [];
  for (const name of SCALAR_FIELDS) {
    const value = content[name];
    if (value !== undefined) fields.push({ path: [name], text: value });
  }
  // A date that is not YYYY-MM[-DD] is printed as written, so a placeholder in it makes sense.
  if (content.date !== undefined) fields.push({ path: ['date'], text: content.date });
  for (const name of LIST_FIELDS)
    content[name]?.forEach((text, i) => {
      fields.push({ path: [name, i], text });
    });
  for (const name of PDF_SCALAR_FIELDS) {
    const value = content.pdf?.[name];
    if (value !== undefined) fields.push({ path: ['pdf', name], text: value });
  }
  const keywords = content.pdf?.keywords;
  if (typeof keywords === 'string') fields.push({ path: ['pdf', 'keywords'], text: keywords });
  else
    keywords?.forEach((text, i) => {
      fields.push({ path: ['pdf', 'keywords', i], text });
    });
  return fields;
}

interface Substitution {
  text: string;
  /** sourceOffsetOf[i] = offset in the original text of character i of the result (a value maps to its placeholder). */
  sourceOffsetOf: number[];
}

/**
 * Replaces every placeholder of `text` by the record's value. `where` turns an offset in `text` into a
 * source location, so that both syntax errors and missing values point at the placeholder.
 */
function substitute(
  text: string,
  record: RecipientRecord,
  key: string,
  field: string,
  where: (offset: number) => SourceLocation,
): Substitution {
  let placeholders: Placeholder[];
  try {
    placeholders = findPlaceholders(text);
  } catch (e) {
    if (e instanceof PlaceholderSyntaxError) throw new KumihanError('merge', e.message, { ...where(e.offset), path: field });
    throw e;
  }
  let result = '';
  const sourceOffsetOf: number[] = [];
  let copied = 0;
  const copy = (to: number) => {
    for (let i = copied; i < to; i++) sourceOffsetOf.push(i);
    result += text.slice(copied, to);
  };
  for (const p of placeholders) {
    const value = Object.hasOwn(record, p.name) ? record[p.name] : undefined;
    // An optional placeholder ({{company?}}) that a record leaves out is empty, as one it gives as "".
    if (value === undefined && !p.optional) {
      const known = Object.keys(record);
      const fields = known.length > 0 ? `; its record has ${known.join(', ')}` : '; its record is empty';
      throw new KumihanError(
        'merge',
        `recipient ${key} has no value for {{${p.name}}}${fields} — write {{${p.name}?}} where it may be missing`,
        {
          ...where(p.start),
          path: field,
        },
      );
    }
    // A value is text, never markup: its ｜《》［ and \ are escaped for the inline parser (inline.ts). A value
    // on several lines (a CSV cell with line breaks: an address in Excel) keeps them as \n: applyRecipient
    // makes them lines of a list field, and a full-width space elsewhere.
    const valueText = escapeInlineMarkup(String(value ?? '')).replace(/\r\n?/g, '\n');
    if (valueText.trim() === '' && !p.optional) {
      throw new KumihanError(
        'merge',
        `recipient ${key} has an empty value for {{${p.name}}}; fill it in, or write {{${p.name}?}} where it may be empty`,
        {
          ...where(p.start),
          path: field,
        },
      );
    }
    copy(p.start);
    if (valueText.trim() === '') {
      // An optional field left empty takes the space that separated it with it: 「{{company?}}　{{name}}様」
      // prints 「田中様」, not 「　田中様」; 「{{name}}様　{{title?}}」 prints 「田中様」.
      const atLineStart = result === '' || result.endsWith('\n');
      if (atLineStart && SEPARATOR.test(text[p.end] ?? '')) {
        copied = p.end + 1;
        continue;
      }
      if (SEPARATOR.test(result.at(-1) ?? '') && (p.end === text.length || text[p.end] === '\n' || SEPARATOR.test(text[p.end]!))) {
        result = result.slice(0, -1);
        sourceOffsetOf.pop();
      }
      copied = p.end;
      continue;
    }
    for (let i = 0; i < valueText.length; i++) sourceOffsetOf.push(p.start);
    result += valueText;
    copied = p.end;
  }
  copy(text.length);
  return { text: result, sourceOffsetOf };
}

/** A space that separates a field from the text beside it. */
const SEPARATOR = /^[ \u3000]$/;

function fieldName(path: FieldPath): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}

/** A copy of `content` with `value` at `path` (one or two levels of objects and arrays). */
function withField(content: Content, path: FieldPath, value: string): Content {
  const set = (target: unknown, rest: FieldPath): unknown => {
    const [head = '', ...tail] = rest;
    const copy = (Array.isArray(target) ? [...target] : { ...(target as object) }) as Record<string | number, unknown>;
    copy[head] = tail.length === 0 ? value : set(copy[head], tail);
    return copy;
  };
  return set(content, path) as Content;
}

/**
 * The letter for one recipient: placeholders in the content's text fields and body replaced by the
 * record's values. Pure: `doc` is not changed. A placeholder whose field the record lacks is an error
 * naming the recipient (by key) and the field, at the placeholder's place in the content file; so is an
 * empty value (an empty CSV cell), unless the placeholder says it may be empty: `{{department?}}`.
 */
export function applyRecipient(doc: LoadedDocument, record: RecipientRecord, key: string): LoadedDocument {
  const locateAt = (fieldPath: FieldPath) => () => doc.locate([...fieldPath]);
  const oneLine = (text: string) => text.replaceAll('\n', '\u3000');
  let content = doc.content;
  // A substituted field: its text as written and where each character of the new text came from.
  const substituted = new Map<string, { written: string; text: string; sourceOffsetOf: number[] }>();
  for (const field of textFieldsOf(doc.content)) {
    if (!field.text.includes('{{')) continue;
    const { text, sourceOffsetOf } = substitute(field.text, record, key, fieldName(field.path), locateAt(field.path));
    substituted.set(fieldName(field.path), { written: field.text, text, sourceOffsetOf });
    const listEntry = field.path.length === 2 && (LIST_FIELDS as readonly string[]).includes(String(field.path[0]));
    content = withField(content, field.path, listEntry ? text : oneLine(text));
  }
  // A value on several lines in an entry of a list field (an address in the recipient lines) gives that
  // many lines; `written` maps each line back to the entry it came from, for messages.
  const written = new Map<string, number[]>();
  for (const name of LIST_FIELDS) {
    const entries = content[name];
    if (!entries?.some((e) => e.includes('\n'))) continue;
    const from: number[] = [];
    const lines: string[] = [];
    entries.forEach((entry, i) => {
      for (const line of entry.split('\n')) {
        lines.push(line);
        from.push(i);
      }
    });
    content = { ...content, [name]: lines };
    written.set(name, from);
  }

  // The body is laid out from `paragraphs`; errors point at the exact character through locateBodyOffset.
  const paragraphOffsets: (number[] | undefined)[] = [];
  /** Units of the body that hold nothing once their placeholders are filled (an empty {{extra?}}). */
  const emptied = new Set<number>();
  const paragraphs = doc.paragraphs.map((paragraph, k) => {
    if (!paragraph.includes('{{')) return paragraph;
    const { text, sourceOffsetOf } = substitute(
      paragraph,
      record,
      key,
      `body (paragraph ${paragraphNumberOf(doc.bodyBlocks, k)})`,
      (offset) => doc.locateBodyOffset(k, offset),
    );
    paragraphOffsets[k] = sourceOffsetOf;
    if (text.trim() === '') emptied.add(k);
    return oneLine(text);
  });
  // A paragraph line (or a whole paragraph) that an optional field left empty is left out, as a word
  // processor's mail merge leaves out blank lines: it would take a line of the grid, and stand between
  // the closing and the text it follows. A line the author left empty (a \ alone) stays.
  const bodyBlocks =
    emptied.size === 0
      ? doc.bodyBlocks
      : doc.bodyBlocks.flatMap((block): MarkupBlock[] => {
          if (block.kind !== 'paragraph') return [block];
          const lines = block.lines.filter((unit) => !emptied.has(unit));
          return lines.length === 0 ? [] : [{ ...block, lines }];
        });
  // `body` itself is the text as written; keep it consistent with what is printed.
  if (content.body.includes('{{')) content = { ...content, body: substitute(content.body, record, key, 'body', locateAt(['body'])).text };

  // dateText is content.date formatted; only a literal date (printed as written) can hold a placeholder.
  let dateText = doc.dateText;
  if (dateText?.includes('{{')) dateText = oneLine(substitute(dateText, record, key, 'date', locateAt(['date'])).text);

  const locate = (fieldPath: (string | number)[]) => {
    const [name, index, ...rest] = fieldPath;
    const from = typeof name === 'string' && typeof index === 'number' ? written.get(name) : undefined;
    return doc.locate(from ? [name!, from[index as number] ?? index!, ...rest] : fieldPath);
  };
  return {
    ...doc,
    content,
    paragraphs,
    bodyBlocks,
    dateText,
    locate,
    // A character of a substituted field (a markup error in it) is reported where it is written.
    locateInField: (fieldPath, text, charIndex) => {
      const field = substituted.get(fieldName(fieldPath));
      if (!field) return doc.locateInField(fieldPath, text, charIndex);
      const at = field.text.replaceAll('\n', '\u3000') === text ? field.sourceOffsetOf[charIndex] : undefined;
      return at === undefined ? locate(fieldPath) : doc.locateInField(fieldPath, field.written, at);
    },
    // A character of a substituted paragraph (a glyph missing for a name, say) is reported at its placeholder.
    locateBodyOffset: (paragraphIndex, charIndex) => {
      const offsets = paragraphOffsets[paragraphIndex];
      const original = offsets ? (offsets[charIndex] ?? offsets.at(-1) ?? 0) : charIndex;
      return doc.locateBodyOffset(paragraphIndex, original);
    },
  };
}

/**
 * A placeholder that no record fills (a typo: `{{nam}}`) or that is not a placeholder (`{{name`) is a
 * mistake in the content, not in a record: one error at the placeholder, before any letter is made,
 * rather than the same error once per recipient. A field that only some records lack is left to
 * applyRecipient, which names the recipient.
 */
function checkPlaceholderNames(doc: LoadedDocument, records: readonly RecipientRecord[]): void {
  const names = [...new Set(records.flatMap((r) => Object.keys(r)))];
  // Every mistake of every field is reported at once.
  const problems: KumihanError[] = [];
  const check = (text: string, field: string, where: (offset: number) => SourceLocation) => {
    let placeholders: Placeholder[];
    try {
      placeholders = findPlaceholders(text);
    } catch (e) {
      if (e instanceof PlaceholderSyntaxError) {
        problems.push(new KumihanError('merge', e.message, { ...where(e.offset), path: field }));
        return;
      }
      throw e;
    }
    for (const p of placeholders) {
      if (records.some((r) => Object.hasOwn(r, p.name))) continue;
      const known = names.length > 0 ? ` (the records have ${names.join(', ')})` : ' (the records are empty)';
      // Full-width letters typed for a field name ({{ｎａｍｅ}}) are compared as the half-width ones.
      const close = closestMatch(p.name.normalize('NFKC'), names);
      const hint = close ? ` — did you mean {{${close}}}?` : '';
      problems.push(
        new KumihanError('merge', `no recipient has a value for {{${p.name}}}${known}${hint}`, { ...where(p.start), path: field }),
      );
    }
  };
  for (const field of textFieldsOf(doc.content))
    if (field.text.includes('{{'))
      check(field.text, fieldName(field.path), (offset) => doc.locateInField([...field.path], field.text, offset));
  doc.paragraphs.forEach((paragraph, k) => {
    if (paragraph.includes('{{'))
      check(paragraph, `body (paragraph ${paragraphNumberOf(doc.bodyBlocks, k)})`, (offset) => doc.locateBodyOffset(k, offset));
  });
  if (problems.length > 0) throw oneError(problems);
}

// ---------------------------------------------------------------------------------------------
// Recipient records

const recipientListSchema = z.array(recipientRecordSchema);

/**
 * The recipients of a mail-merge document, each with its key; undefined when the content has no
 * `recipients`. Keys must be usable as file names and unique; an empty list is an error.
 */
export function loadRecipients(doc: LoadedDocument): Recipient[] | undefined {
  const recipients = doc.content.recipients;
  if (recipients === undefined) return undefined;
  const records: LocatedRecord[] =
    typeof recipients === 'string'
      ? readRecipientsFile(doc)
      : recipients.map((record, i) => ({
          record,
          location: doc.locate(['recipients', i]),
          idLocation: doc.locate(['recipients', i, 'id']),
        }));
  if (records.length === 0) throw new KumihanError('merge', 'there are no recipients: the list is empty', doc.locate(['recipients']));
  checkPlaceholderNames(
    doc,
    records.map((r) => r.record),
  );

  const width = String(records.length).length;
  const keyOwners = new Map<string, { index: number; key: string }>();
  return records.map(({ record, location, idLocation, problem: recordProblem }, i) => {
    const hasId = Object.hasOwn(record, 'id');
    const key = hasId ? String(record.id) : String(i + 1).padStart(width, '0');
    const problem = fileNameProblem(key);
    if (problem) throw new KumihanError('merge', `recipient ${i + 1} has id "${key}", which cannot be a file name: ${problem}`, idLocation);
    // Compared without case: on macOS and Windows `A.pdf` and `a.pdf` are the same file.
    const folded = key.toLowerCase();
    const first = keyOwners.get(folded);
    if (first !== undefined) {
      const same =
        first.key === key
          ? `the same id "${key}"`
          : `ids "${first.key}" and "${key}", the same file name where case is not told apart (macOS, Windows)`;
      throw new KumihanError(
        'merge',
        `recipients ${first.index + 1} and ${i + 1} have ${same}; each letter needs its own file name`,
        idLocation,
      );
    }
    keyOwners.set(folded, { index: i, key });
    return { key, record, location, ...(recordProblem ? { problem: recordProblem } : {}) };
  });
}

/** Why `key` cannot name a file inside the output directory, or undefined when it can. */
export function fileNameProblem(key: string): string | undefined {
  if (key.trim() === '') return 'it is empty';
  if (key === '.' || key === '..') return `"${key}" names a directory`;
  if (/[/\\]/.test(key)) return 'it contains a path separator (/ or \\)';
  if (key.startsWith('.')) return 'it starts with a dot (a hidden file)';
  // Characters Windows forbids in file names, and control characters, which no file name should have.
  if (/[<>:"|?*\u0000-\u001f\u007f]/.test(key)) return 'it contains one of < > : " | ? * or a control character';
  if (key !== key.trim()) return 'it starts or ends with a space';
  if (key.length > 200) return 'it is longer than 200 characters';
  // <key>.print.pdf (a press PDF's name) within the 255 bytes a file name may have; kanji take 3 bytes each.
  if (Buffer.byteLength(`${key}.print.pdf`) > 255)
    return `it is ${Buffer.byteLength(key)} bytes long in UTF-8, too long for a file name (at most 245)`;
  if (key.endsWith('.')) return 'it ends with a dot (Windows drops it)';
  // Names Windows reserves for devices, with any extension: CON.pdf cannot be created there.
  if (/^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])(\..*)?$/i.test(key))
    return `"${key}" is a name Windows reserves for a device`;
  return undefined;
}

interface LocatedRecord {
  record: RecipientRecord;
  location: SourceLocation;
  problem?: KumihanError;
  /** Where the record's id is (its line for CSV), for key errors. */
  idLocation: SourceLocation;
}

function readRecipientsFile(doc: LoadedDocument): LocatedRecord[] {
  const file = doc.recipientsFile!;
  const { inputs, workingDirectory } = doc.paths;
  // As the user would name it: relative to the working directory when that is shorter, else absolute.
  const reference = doc.content.recipients as string;
  const displayPath = path.isAbsolute(reference) ? reference : displayPathFor(file, workingDirectory);
  const where = doc.locate(['recipients']);
  refuseOutside(file, 'recipients', inputs, displayPath, where);
  if (!fs.existsSync(file)) {
    throw new KumihanError('missing-file', `recipients file ${displayPath} not found`, where);
  }
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv') {
    const bytes = readInput(file, 'recipients', inputs, displayPath, where);
    const encoding = doc.content.recipientsEncoding;
    // Where the encoding is (or is to be) said: recipientsEncoding, else the recipients line.
    const said = encoding === undefined ? where : doc.locate(['recipientsEncoding']);
    return readCsvRecipients(decodeCsv(bytes, displayPath, encoding, said), displayPath);
  }
  if (extension === '.yaml' || extension === '.yml' || extension === '.json') return readYamlRecipients(file, displayPath, inputs, where);
  throw new KumihanError('merge', `recipients file ${displayPath}: use a .csv, .yaml or .yml file`, where);
}

/** The encodings a CSV recipients file may have (recipientsEncoding). */
export type CsvEncoding = 'utf-8' | 'shift_jis' | 'euc-jp';
const CSV_ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'shift_jis', 'euc-jp'];

/** Hiragana or full-width katakana: in the Shift_JIS reading of an EUC-JP file there are none (and the reverse). */
const KANA = /[\u3041-\u3096\u30a1-\u30fa]/;

function decodeAs(bytes: Uint8Array, encoding: CsvEncoding): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The text of a CSV file: UTF-8 (with or without a byte-order mark), Shift_JIS (CP932, what Excel writes
 * in Japan) or EUC-JP (older Unix systems), detected or as `recipientsEncoding` says. A file that is valid
 * UTF-8 is UTF-8. Many EUC-JP files are also valid Shift_JIS — their kana read as half-width katakana
 * (あい → ､｢､､) — so where both readings hold, the one with kana is taken, and where neither has kana
 * (names in kanji only) the choice is the user's: an error, never a guess.
 */
export function decodeCsv(
  bytes: Uint8Array,
  displayPath: string,
  encoding: CsvEncoding | undefined,
  /** recipientsEncoding in the content file, or the recipients line when it is not given. */
  encodingLocation: SourceLocation,
): string {
  if (encoding !== undefined) {
    const text = decodeAs(bytes, encoding);
    if (text === undefined) {
      const other = CSV_ENCODINGS.find((e) => e !== encoding && decodeAs(bytes, e) !== undefined);
      const hint = other ? `; it reads as ${other}: set recipientsEncoding: ${other}` : '';
      throw new KumihanError('merge', `recipients file ${displayPath} is not ${encoding} text${hint}`, {
        ...encodingLocation,
        path: 'recipientsEncoding',
      });
    }
    return text;
  }
  const utf8 = decodeAs(bytes, 'utf-8');
  if (utf8 !== undefined) return utf8;
  const sjis = decodeAs(bytes, 'shift_jis');
  const euc = decodeAs(bytes, 'euc-jp');
  if (sjis !== undefined && euc !== undefined) {
    const sjisKana = KANA.test(sjis);
    if (sjisKana !== KANA.test(euc)) return sjisKana ? sjis : euc;
    throw new KumihanError(
      'merge',
      `recipients file ${displayPath} reads both as Shift_JIS and as EUC-JP text, and nothing in it tells which; set recipientsEncoding: shift_jis or euc-jp (or save it as UTF-8)`,
      encodingLocation,
    );
  }
  const text = sjis ?? euc;
  if (text === undefined) {
    const bad = firstUndecodableLine(bytes);
    throw new KumihanError(
      'merge',
      `recipients file is neither UTF-8, Shift_JIS nor EUC-JP text${bad ? ` (line ${bad} has bytes that are none of them)` : ''}; save it as UTF-8 (Excel: "CSV UTF-8"), or set recipientsEncoding`,
      { file: displayPath, line: bad },
    );
  }
  return text;
}

/** The first line (1-based) whose bytes decode in none of the CSV encodings. */
function firstUndecodableLine(bytes: Uint8Array): number | undefined {
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const part = bytes.subarray(start, i);
      if (!CSV_ENCODINGS.some((encoding) => decodeAs(part, encoding) !== undefined)) return line;
      start = i + 1;
      line++;
    }
  }
  return undefined;
}

/**
 * Records of a CSV file: the header row names the fields (spaces around a name dropped; a name given
 * twice, or an empty one, is an error at the header). A row with more or fewer fields than the header is
 * kept as a record with a problem, so that only its letter fails, naming its line.
 */
/** What csv-parse reports: its code, the line, the field (counted from 0). */
interface CsvError extends Error {
  code?: string;
  lines?: number;
  index?: number;
}

/** csv-parse's problem in words a spreadsheet user knows: columns counted from 1, no parser options. */
function csvProblem(e: CsvError): string {
  const column = e.index !== undefined ? e.index + 1 : undefined;
  switch (e.code) {
    case 'INVALID_OPENING_QUOTE':
      return `a quote (") in the middle of column ${column}; a field that holds quotes must be quoted as a whole, with each quote doubled ("a ""b"" c")`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed: a quote (") is missing';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `a quote (") closes column ${column} but the field goes on; double a quote inside a quoted field ("")`;
    default:
      return e.message.replace(/\s*\(if activated\)/g, '');
  }
}

function readCsvRecipients(text: string, displayPath: string): LocatedRecord[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // CRLF as LF: csv-parse counts a CRLF inside a quoted cell as two lines, and a cell's line breaks
    // become \n anyway (an address in Excel).
    rows = parseCsv(text.replace(/\r\n/g, '\n'), {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (e) {
    throw new KumihanError('merge', `cannot read the CSV file: ${csvProblem(e as CsvError)}`, {
      file: displayPath,
      line: (e as CsvError).lines,
    });
  }
  // A row with every cell empty (`,,,`: what a spreadsheet saves for an emptied row) is a blank line.
  const [header, ...body] = rows.filter((row) => row.record.some((value) => value.trim() !== ''));
  if (!header) return [];
  const names = header.record.map((name) => name.trim());
  const headerLocation = { file: displayPath, line: header.info.lines };
  names.forEach((name, i) => {
    if (name === '')
      throw new KumihanError('merge', `the header names no field in column ${i + 1}; every column needs a name`, headerLocation);
    const first = names.indexOf(name);
    if (first !== i) {
      throw new KumihanError(
        'merge',
        `the header names the field "${name}" twice (columns ${first + 1} and ${i + 1}); each field needs its own name`,
        headerLocation,
      );
    }
  });
  return body.map(({ record: values, info }) => {
    // info.lines is the line the record ends on; a quoted field may span lines, so this is its last line.
    const location = { file: displayPath, line: info.lines };
    const record: RecipientRecord = {};
    names.forEach((name, i) => {
      if (i < values.length) record[name] = values[i]!;
    });
    if (values.length === names.length) return { record, location, idLocation: location };
    const count = (n: number) => `${n} ${n === 1 ? 'field' : 'fields'}`;
    const problem = new KumihanError(
      'merge',
      `this row has ${count(values.length)} but the header has ${count(names.length)} (${names.join(', ')}); check for a missing or extra comma, or quote a value that holds a comma`,
      location,
    );
    // The id, when the row has it and it can name a file, still names the letter; else its position does.
    if (record.id !== undefined && fileNameProblem(String(record.id)) !== undefined) delete record.id;
    return { record, location, idLocation: location, problem };
  });
}

function readYamlRecipients(file: string, displayPath: string, inputs: InputPolicy, where: SourceLocation): LocatedRecord[] {
  const yaml = readYamlFile(file, displayPath, 'recipients', inputs, where);
  const parsed = recipientListSchema.safeParse(yaml.data ?? [], { reportInput: true });
  if (!parsed.success) {
    const error = schemaError(parsed.error.issues, recipientListSchema, (fieldPath, pointAtKey) =>
      locateField(yaml, fieldPath, pointAtKey),
    );
    // Every bad record is reported, the first with what the file must be.
    throw oneError(
      [error, ...error.others].map(
        (e, k) =>
          new KumihanError(
            'merge',
            `recipients file: ${e.message}${k === 0 ? ' (it must be a list of records such as "- {id: tanaka, name: 田中}")' : ''}`,
            e.location,
          ),
      ),
    );
  }
  recordsAsWritten(yaml, [], parsed.data);
  return parsed.data.map((record, i) => ({ record, location: locateField(yaml, [i]), idLocation: locateField(yaml, [i, 'id']) }));
}
