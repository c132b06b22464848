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
  | 'check';

export class KumihanError extends Error {
  readonly kind: ErrorKind;
  readonly location: SourceLocation;
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
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (keepNewlines && c === '\n') return c;
    const cp = c.codePointAt(0)!;
    if (cp < 0x20) return String.fromCodePoint(0x2400 + cp);
    if (cp === 0x7f) return '\u2421';
    return `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

/** One readable, multi-line message: `file:line:col: field: message` plus the source line and a caret. */
export function formatError(err: unknown): string {
  if (!(err instanceof KumihanError)) {
    const e = err as Error;
    return `internal error: ${e?.stack ?? String(err)}`;
  }
  const { file, line, column, path, sourceLine } = err.location;
  let where = '';
  if (file) where += file;
  if (line !== undefined) where += `:${line}` + (column !== undefined ? `:${column}` : '');
  const head = [where, path ? `${path}` : ''].filter(Boolean).join(': ');
  let out = visibleControls(head ? `${head}: ${err.message}` : err.message, true);
  if (sourceLine !== undefined && line !== undefined) {
    const gutter = String(line).padStart(4) + ' | ';
    out += `\n${gutter}${visibleControls(sourceLine)}`;
    if (column !== undefined) out += `\n${' '.repeat(gutter.length + Math.max(0, column - 1))}^`;
  }
  return out;
}
