/**
 * Every failure the user can cause is a KumihanError: it carries where the problem is
 * (file, line, column, or a field path) so the CLI can print one readable message.
 * Internal bugs stay ordinary Errors and are reported with their stack.
 */
export interface SourceLocation {
  /** Path of the file as the user named it (relative paths stay relative). */
  file?: string;
  /** 1-based line and column in `file`, when known. */
  line?: number;
  column?: number;
  /** Field path inside the document, e.g. `body.size` or `recipients[3].name`. */
  path?: string;
  /** The offending source line, shown under the message with a caret. */
  sourceLine?: string;
}

export type ErrorKind =
  | 'yaml-syntax'
  | 'schema'
  | 'missing-file'
  | 'template'
  | 'font'
  | 'missing-glyph'
  | 'image'
  | 'layout'
  | 'merge'
  | 'usage'
  | 'check'
  | 'preflight';

/** At most this many problems of one file are printed; the rest are counted. */
export const MAX_PROBLEMS = 20;

export class KumihanError extends Error {
  readonly kind: ErrorKind;
  readonly location: SourceLocation;
  /** More problems found with this one (all the schema problems of a file), in file order. */
  others: KumihanError[] = [];
  constructor(kind: ErrorKind, message: string, location: SourceLocation = {}) {
    super(message);
    this.name = 'KumihanError';
    this.kind = kind;
    this.location = location;
  }
}

/**
 * Control characters from the user's file are shown, never sent to the terminal (a raw ESC could run an
 * escape sequence): C0 controls become their Unicode "control picture" (␇), others a \u escape. A tab
 * stays a tab; a message's own line breaks may stay (keepNewlines), a source line's never.
 */
export function visibleControls(s: string, keepNewlines = false): string {
  // Bidirectional controls (U+061C, U+200E–200F, U+202A–202E, U+2066–2069) too: printed as they are, they
  // would reorder the rest of the terminal line (a file name or a message made to read otherwise).
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (keepNewlines && c === '\n') return c;
    const cp = c.codePointAt(0)!;
    if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
    if (cp === 0x7f) return '\u2421';
    return `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

/**
 * Columns a character takes in a terminal: 2 for East Asian Wide and Fullwidth characters (kanji, kana,
 * full-width forms, most emoji), 0 for combining marks and joiners, 1 otherwise.
 */
export function displayWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: one character at a time, variation selectors alone
  if (/^[\p{Mn}\p{Me}\u200b-\u200f\ufe00-\ufe0f]$/u.test(ch)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) ||
    (cp >= 0xfe30 && cp <= 0xfe6f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1b000 && cp <= 0x1b2ff) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

/** At most this many columns of a source line are shown: a window around the caret. */
export const SOURCE_WINDOW = 100;
/** A message line longer than this is cut in the middle (a value echoed in a message can be huge). */
export const MESSAGE_LINE_LIMIT = 400;

/**
 * The source line as shown (controls made visible, at most SOURCE_WINDOW columns around `column`, cut
 * ends marked …) and the caret line under it, aligned by display width: a full-width character takes two
 * columns, a tab stays a tab in both lines.
 */
export function sourceWindow(sourceLine: string, column?: number): { line: string; caret?: string } {
  const chars = Array.from(sourceLine).map((ch) => {
    const shown = visibleControls(ch);
    return { shown, width: ch === '\t' ? 1 : Array.from(shown).reduce((w, c) => w + displayWidth(c), 0), tab: ch === '\t' };
  });
  const at = column === undefined ? 0 : Math.max(0, Math.min(column - 1, chars.length));
  const total = chars.reduce((w, c) => w + c.width, 0);
  let from = 0;
  let to = chars.length;
  if (total > SOURCE_WINDOW) {
    // Start a third of the window before the caret, then take as much as fits.
    let before = 0;
    from = at;
    while (from > 0 && before + chars[from - 1]!.width <= SOURCE_WINDOW / 3) before += chars[--from]!.width;
    let width = 0;
    to = from;
    while (to < chars.length && width + chars[to]!.width <= SOURCE_WINDOW) width += chars[to++]!.width;
  }
  const line =
    (from > 0 ? '…' : '') +
    chars
      .slice(from, to)
      .map((c) => c.shown)
      .join('') +
    (to < chars.length ? '…' : '');
  if (column === undefined) return { line };
  let caret = from > 0 ? ' ' : '';
  for (const c of chars.slice(from, Math.max(from, at))) caret += c.tab ? '\t' : ' '.repeat(c.width);
  return { line, caret: caret + '^' };
}

function limitLine(line: string): string {
  if (line.length <= MESSAGE_LINE_LIMIT) return line;
  const keep = MESSAGE_LINE_LIMIT / 2;
  return `${line.slice(0, keep)} … (${line.length - 2 * keep} characters left out) … ${line.slice(-keep)}`;
}

/**
 * `f` applied to each item; the KumihanErrors of all of them thrown as one (the first, with the rest as
 * its others), so that a problem in one item does not hide those in the next. Other errors are thrown
 * as they come.
 */
export function eachOrAllProblems<T, R>(items: readonly T[], f: (item: T, index: number) => R): R[] {
  const problems = new Problems();
  const results = items.map((item, i) => problems.collect(() => f(item, i), undefined as R));
  problems.throwIfAny();
  return results;
}

/**
 * The problems of the independent parts of one input, gathered as they are found and thrown together at the
 * end (one run, every message): each part runs through `collect`, which gives a stand-in when it fails.
 * A problem found twice (a section title read for its heading and for the contents) is reported once.
 */
export class Problems {
  private readonly problems: KumihanError[] = [];
  private readonly seen = new Set<string>();

  /** `f()`, or `standIn` when it throws a KumihanError (kept, with its others, for throwIfAny). Other errors are thrown. */
  collect<T>(f: () => T, standIn: T): T {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof KumihanError)) throw e;
      this.add(e);
      return standIn;
    }
  }

  /** A problem found (with its others), kept for throwIfAny; one already there is not added again. */
  add(error: KumihanError): void {
    for (const problem of [error, ...error.others]) {
      const where = problem.location;
      const key = `${where.file}:${where.line}:${where.column}:${where.path}:${problem.message}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.problems.push(problem);
    }
  }

  /** How many problems were found so far. */
  get found(): number {
    return this.problems.length;
  }

  /** Throws what was found, if anything (as `error`). */
  throwIfAny(): void {
    const error = this.error();
    if (error) throw error;
  }

  /** What was found as one error, if anything: in file order (by line and column within a file; files as first met). */
  error(): KumihanError | undefined {
    if (this.problems.length === 0) return undefined;
    const files = [...new Set(this.problems.map((p) => p.location.file))];
    const order = (p: KumihanError) => [files.indexOf(p.location.file), p.location.line ?? 0, p.location.column ?? 0];
    const sorted = this.problems
      .map((p) => ({ p, key: order(p) }))
      .sort((a, b) => a.key[0]! - b.key[0]! || a.key[1]! - b.key[1]! || a.key[2]! - b.key[2]!)
      .map(({ p }) => p);
    return oneError(sorted);
  }
}

/** Several problems as one error: the first, with the rest as its others. */
export function oneError(problems: readonly KumihanError[]): KumihanError {
  const [first, ...rest] = problems;
  if (!first) throw new Error('oneError: no problems');
  return Object.assign(new KumihanError(first.kind, first.message, first.location), { others: rest });
}

/**
 * One readable message per problem: `file:line:col: field: message` plus the source line and a caret;
 * the problems found with it too (up to MAX_PROBLEMS in all, then a count of the rest).
 */
export function formatError(err: unknown): string {
  if (!(err instanceof KumihanError)) {
    const os = osErrorMessage(err);
    if (os) return os;
    const e = err as Error;
    return `internal error: ${e?.stack ?? String(err)}`;
  }
  const all = [err, ...err.others];
  const shown = all.slice(0, MAX_PROBLEMS).map(formatOne);
  const left = all.length - shown.length;
  if (left > 0) shown.push(`… and ${left} more problem${left > 1 ? 's' : ''} in ${err.location.file ?? 'this file'}`);
  return shown.join('\n');
}

function formatOne(err: KumihanError): string {
  const { file, line, column, path, sourceLine } = err.location;
  let where = '';
  if (file) where += file;
  if (line !== undefined) where += `:${line}` + (column !== undefined ? `:${column}` : '');
  const head = [where, path ? `${path}` : ''].filter(Boolean).join(': ');
  let out = visibleControls(head ? `${head}: ${err.message}` : err.message, true)
    .split('\n')
    .map(limitLine)
    .join('\n');
  if (sourceLine !== undefined && line !== undefined) {
    const gutter = String(line).padStart(4) + ' | ';
    const shown = sourceWindow(sourceLine, column);
    out += `\n${gutter}${shown.line}`;
    if (shown.caret !== undefined) out += `\n${' '.repeat(gutter.length)}${shown.caret}`;
  }
  return out;
}

/** What to do about an OS error, by its code. */
const OS_ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space and build again',
  EDQUOT: 'the disk quota is used up: free some space and build again',
  EROFS: 'the file system is read-only: build into a writable folder (-o DIR)',
  EACCES: 'permission denied: check the permissions of the folder, or build into another one (-o DIR)',
  EPERM: 'the operation is not permitted: check the permissions of the folder, or build into another one (-o DIR)',
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many open files: raise the limit (ulimit -n) or build with fewer jobs (-j)',
  EIO: 'an input/output error: check the disk',
  EEXIST: 'it exists already',
  ENAMETOOLONG: 'the name is too long: build into a folder with a shorter path',
};

/**
 * An OS error (a full or read-only disk, a permission) in one line, with the path and what to do:
 * `cannot write output/a.pdf: the disk is full: free some space and build again (ENOSPC)`. Undefined for
 * anything else.
 */
export function osErrorMessage(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || typeof e.syscall !== 'string') return undefined;
  const advice = OS_ADVICE[e.code] ?? (e.message.replace(/^\w+: /, '').replace(/, \w+ .*$/, '') || 'an error of the operating system');
  const verb = /^(open|write|rename|mkdir|unlink|copyfile|close|fsync|ftruncate)$/.test(e.syscall)
    ? e.syscall === 'open'
      ? 'open'
      : e.syscall === 'rename'
        ? 'write'
        : e.syscall
    : e.syscall;
  const dest = (e as { dest?: string }).dest;
  const file = e.syscall === 'rename' && dest ? dest : e.path;
  return visibleControls(`cannot ${verb} ${file ?? 'a file'}: ${advice} (${e.code})`);
}
