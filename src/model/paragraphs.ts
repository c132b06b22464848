/**
 * Splitting a content `body` into paragraphs.
 *
 * Paragraphs are separated by one or more blank lines (a line holding only whitespace, including
 * U+3000). Inside a paragraph the author's line breaks are only source formatting, so lines are
 * joined:
 *   - Japanese text is simply concatenated (Japanese has no spaces between words);
 *   - between two Latin letters/digits (ASCII or Latin-1), or after ASCII punctuation that ends a
 *     word (`.,;:!?)]}%`) and before a Latin letter/digit, one space is inserted, so
 *     "Smart Mix with\nTechnology" → "Smart Mix with Technology";
 *   - whitespace at the end of a line is kept as exactly one space (the author typed it);
 *   - ASCII spaces/tabs at the start of a line are indentation and dropped. U+3000 (全角空白) is
 *     kept: an author who types it means it.
 */

export interface ParagraphSpan {
  text: string;
  /** bodyOffsets[i] = index in the body string of text[i] (an inserted space maps to the line break it replaces). */
  bodyOffsets: number[];
}

const ASCII_SPACE = /[ \t\f\v\r]/;
/** Latin letters and digits of ASCII and Latin-1 (× and ÷ are symbols, not letters). */
const LATIN_WORD_CHAR = /[A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF]/;
const WORD_ENDING_PUNCTUATION = /[.,;:!?)\]}%]/;

function isBlank(line: string): boolean {
  return /^\s*$/.test(line); // \s includes U+3000
}

function needsSpaceBetween(before: string, after: string): boolean {
  if (!LATIN_WORD_CHAR.test(after)) return false;
  return LATIN_WORD_CHAR.test(before) || WORD_ENDING_PUNCTUATION.test(before);
}

/**
 * The first character of text, past the inline markup that opens it (｜ 《《 ［＃縦中横］): "Word⏎《《emph》》"
 * is two words.
 */
function firstTextChar(text: string): string | undefined {
  return text.replace(/^(?:\uff5c|\u300a\u300a|\uff3b\uff03\u7e26\u4e2d\u6a2a\uff3d)+/, '')[0];
}

/** The last character of text, before the inline markup that closes it (》》, ［＃縦中横終わり］, a ruby's 《reading》). */
function lastTextChar(text: string): string | undefined {
  const t = text.replace(/(?:\u300b\u300b|\uff3b\uff03\u7e26\u4e2d\u6a2a\u7d42\u308f\u308a\uff3d|\u300a[^\u300a\u300b]*\u300b)+$/, '');
  return t[t.length - 1];
}

/** A line of the body and the offset where it starts. */
export interface SourceLine {
  text: string;
  start: number;
}

export function linesWithOffsets(body: string): SourceLine[] {
  const lines: SourceLine[] = [];
  let start = 0;
  for (;;) {
    const nl = body.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ text: body.slice(start), start });
      return lines;
    }
    lines.push({ text: body.slice(start, nl), start });
    start = nl + 1;
  }
}

/** The lines of one paragraph joined by the rule above, each character with its body offset. */
export function joinLines(lines: readonly SourceLine[]): ParagraphSpan {
  const span: ParagraphSpan = { text: '', bodyOffsets: [] };
  /** Set when the previous line ended in whitespace: where that whitespace began in the body. */
  let pendingSpaceAt: number | null = null;
  /** Body offset of the previous line's end (its line break). */
  let previousLineEnd = 0;
  lines.forEach((line, index) => {
    let from = 0;
    while (from < line.text.length && ASCII_SPACE.test(line.text[from]!)) from++;
    let to = line.text.length;
    while (to > from && ASCII_SPACE.test(line.text[to - 1]!)) to--;
    if (index > 0) {
      const before = lastTextChar(span.text);
      const after = firstTextChar(line.text.slice(from, to));
      if (pendingSpaceAt !== null) {
        span.text += ' ';
        span.bodyOffsets.push(pendingSpaceAt);
      } else if (before !== undefined && after !== undefined && needsSpaceBetween(before, after)) {
        span.text += ' ';
        span.bodyOffsets.push(previousLineEnd);
      }
    }
    span.text += line.text.slice(from, to);
    for (let i = from; i < to; i++) span.bodyOffsets.push(line.start + i);
    pendingSpaceAt = to < line.text.length && line.text.slice(to).replace(/\r/g, '') !== '' ? line.start + to : null;
    previousLineEnd = line.start + line.text.length;
  });
  return span;
}

/** Splits a body into paragraphs and remembers where each character came from (for error locations). */
export function splitParagraphsWithOffsets(body: string): ParagraphSpan[] {
  const paragraphs: ParagraphSpan[] = [];
  let current: SourceLine[] = [];
  for (const line of linesWithOffsets(body)) {
    if (isBlank(line.text)) {
      if (current.length > 0) paragraphs.push(joinLines(current));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) paragraphs.push(joinLines(current));
  return paragraphs;
}

/** The paragraphs of a body, lines joined as described above. */
export function splitParagraphs(body: string): string[] {
  return splitParagraphsWithOffsets(body).map((p) => p.text);
}
