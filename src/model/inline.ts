/**
 * Text fields as inline runs: the one inline markup parser (markup.ts parseInline) applied to a field or a
 * body unit, its errors located in the YAML source. Ruby, emphasis and tate-chu-yoko work in every text
 * field the document prints (body, recipient, title, signature, postscript, …).
 */
import { KumihanError, type SourceLocation } from '../errors.js';
import type { TextRun, TextSource } from './document.js';
import { InlineMarkupError, parseInline } from './markup.js';

/**
 * The runs of one text: a run per piece (plain, ruby base, emphasis, tate-chu-yoko). `locate` gives the
 * source location of a character of `text` (by UTF-16 index), for a malformed-markup error.
 */
export function inlineRuns(
  text: string,
  given: TextSource,
  locate: (index: number) => SourceLocation,
  /** When `text` is a part of a field (a line of a title): the field's text, and where the part starts in it. */
  within?: FieldPart,
): TextRun[] {
  const at = within?.at ?? 0;
  const source: TextSource = given.paragraph === undefined ? { ...given, fieldText: within?.field ?? text } : given;
  let pieces: ReturnType<typeof parseInline>;
  try {
    pieces = parseInline(text);
  } catch (e) {
    if (e instanceof InlineMarkupError) throw new KumihanError('schema', e.message, locate(e.bodyOffset));
    throw e;
  }
  if (at === 0 && pieces.length === 1 && pieces[0]!.mark === undefined && pieces[0]!.text === text) return [{ kind: 'text', text, source }];
  return pieces.map((piece) => {
    const offsets = at === 0 ? piece.offsets : piece.offsets.map((o) => o + at);
    const run: TextRun = { kind: 'text', text: piece.text, source: { ...source, offsets } };
    if (piece.mark?.kind === 'ruby' && piece.mark.rubyOffsets && at !== 0)
      run.mark = { ...piece.mark, rubyOffsets: piece.mark.rubyOffsets.map((o) => o + at) };
    else if (piece.mark) run.mark = piece.mark;
    return run;
  });
}

/** A part of a text field read on its own (a line of a title): the field's whole text, and where the part starts in it. */
export interface FieldPart {
  field: string;
  at: number;
}

/** A field's text as printed, inline markup taken out (for metadata); malformed markup is left as written. */
export function plainText(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return parseInline(text)
      .map((piece) => piece.text)
      .join('');
  } catch {
    return text;
  }
}

/** A value that must never be read as markup (a mail-merge value): its markup characters escaped. */
export function escapeInlineMarkup(value: string): string {
  return value.replace(/[\\\uff5c\u300a\u300b\uff3b]/g, '\\$&');
}
