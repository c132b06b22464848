/**
 * The body markup: what an office worker writes in `body:` (and in `postscript:`), parsed into blocks.
 * One small language, line-based, shared by letters and booklets:
 *
 *   paragraphs      separated by a blank line; a paragraph's own line breaks are joined (paragraphs.ts)
 *   hard break      a line ending in \  — the next line starts a new line of the same paragraph
 *   lists           lines starting with a marker: ・ • - *  (bulleted; - and * are printed ・), or a number
 *                   or letter as Japanese documents write it — １． １） 1. 1) （１） (1) ① Ａ． a. a) (a) (ii) ア． (ア)
 *                   … — printed as written. A line
 *                   without a marker continues the item; a marker indented further starts a nested list.
 *   記書き          a line 記 alone, the items one per line (「日時：…」 labels are aligned), a line 以上 alone
 *   以上            a line 以上 alone outside a 記書き: the end of the text, flush with the line end
 *   escapes         \ before any character writes it as it is (\・ \記 \\ \｜ \《); a \ ending a line is a break
 *
 * and inside the text of any unit (and of any other text field: parseInline):
 *
 *   ruby            ｜青梅《おうめ》 (｜ marks where the base starts) or 漢字《かんじ》 (the base is the run of
 *                   kanji before 《), as Aozora Bunko writes it (JLREQ §3.3): group ruby over the whole base
 *   jukugo ruby     東京《とう｜きょう》: one reading per base character, separated by ｜ inside 《》 (as
 *                   でんでんマークダウン separates them in {東京|とう|きょう}); each character keeps its own
 *                   reading, which may overhang its neighbours in the word, and a line may break between
 *                   them (JLREQ §3.3.6, Appendix F). As many readings as base characters, none empty.
 *   emphasis        《《強調》》: emphasis dots (圏点) beside each character but punctuation
 *   tate-chu-yoko   ［＃縦中横］12［＃縦中横終わり］: a short run set across the column in vertical text
 *                   (Aozora Bunko's range annotation); in horizontal text it is plain text
 *
 * Text is kept as units (ParagraphSpan: the text with, for each character, its offset in the body), so
 * that every character can still be located in the YAML source, and so that mail merge can replace
 * placeholders unit by unit without a value ever being read as markup.
 */
import { toClusters } from '../text/classes.js';
import { joinLines, linesWithOffsets, type ParagraphSpan, type SourceLine } from './paragraphs.js';

/** A reference to a text unit of the parsed body. */
export type UnitIndex = number;

export interface MarkupParagraph {
  kind: 'paragraph';
  /** The paragraph's lines: more than one where the author wrote a hard break. */
  lines: UnitIndex[];
}

export interface MarkupListItem {
  /** The marker as printed (・ for - and *). */
  marker: UnitIndex;
  lines: UnitIndex[];
  /** 0 for the outer list, 1 for a list nested in an item, … */
  level: number;
  numbered: boolean;
}

export interface MarkupList {
  kind: 'list';
  items: MarkupListItem[];
}

/** A line of a 記書き block: an optional list marker, an optional label (日時：) and the text (its lines: a \ breaks). */
export interface KigakiItem {
  marker?: UnitIndex;
  label?: UnitIndex;
  lines: UnitIndex[];
  /** 0 for the 記書き's own items, 1 for items indented further under one (a list in an item), … */
  level: number;
}

export interface MarkupKigaki {
  kind: 'kigaki';
  /** 記 and 以上 as written (so that they can be located and shown). */
  opening: UnitIndex;
  items: KigakiItem[];
  closing: UnitIndex;
}

/**
 * 以上 on a line of its own outside a 記書き: the end of the text (a notice, a report), set flush with
 * the line end as a 記書き's 以上 is — never run on into the paragraph before.
 */
export interface MarkupEnd {
  kind: 'end';
  mark: UnitIndex;
}

export type MarkupBlock = MarkupParagraph | MarkupList | MarkupKigaki | MarkupEnd;

export interface ParsedBody {
  blocks: MarkupBlock[];
  /** Every piece of text, in reading order; blocks refer to them by index. */
  units: ParagraphSpan[];
}

/** The paragraph (1-based, the blocks between blank lines) holding body unit `unit`; the unit's own number when none does. */
export function paragraphNumberOf(blocks: readonly MarkupBlock[], unit: UnitIndex): number {
  const k = blocks.findIndex((block) => {
    if (block.kind === 'paragraph') return block.lines.includes(unit);
    if (block.kind === 'list') return block.items.some((item) => item.marker === unit || item.lines.includes(unit));
    if (block.kind === 'end') return block.mark === unit;
    return (
      block.opening === unit ||
      block.closing === unit ||
      block.items.some((item) => item.marker === unit || item.label === unit || item.lines.includes(unit))
    );
  });
  return k >= 0 ? k + 1 : unit + 1;
}

/** Malformed markup (an unclosed 記, a 記 inside a 記): where it is in the body. */
export class MarkupError extends Error {
  constructor(
    message: string,
    /** Offset in the body text of the offending line. */
    readonly bodyOffset: number,
  ) {
    super(message);
    this.name = 'MarkupError';
  }
}

const KIGAKI_OPEN = '記';
const KIGAKI_CLOSE = '以上';
/** Bullets: ・ and • as they are; - and * (followed by a space) are printed as ・. */
const BULLET = /^(?:([\u30fb\u2022])[ \u3000]*|([-*])[ \u3000]+)/;
/**
 * Numbers as Japanese documents write them. Full-width １． １） Ａ． ａ） ア． イ） are markers when text (not a
 * digit or letter: １．５) follows; ASCII 1. 1) a. a) need a space after them (1.5 is a number, a.m. a
 * word); bracketed and circled numbers always are.
 */
const NUMBERED =
  /^(?:([\uff10-\uff19]+[\uff0e\uff09]|[\uff21-\uff3a\uff41-\uff5a\u30a2-\u30f3][\uff0e\uff09])(?![\uff10-\uff19\uff21-\uff3a\uff41-\uff5a])[ \u3000]*|([0-9]+[.)]|[a-zA-Z][.)])[ \u3000]+|([\uff08(](?:[0-9\uff10-\uff19]+|xii|xi|viii|vii|vi|iv|ix|iii|ii|[a-z\uff41-\uff5a]|[\u30a2-\u30f3]|[\u30a4\u30ed\u30cf\u30cb\u30db\u30d8\u30c8\u30c1\u30ea\u30cc\u30eb])[\uff09)])[ \u3000]*|([\u2460-\u2473])[ \u3000]*)/;
/**
 * A full-width number whose item starts with a month (１．４月１２日（日）総会): a marker, though a digit
 * follows its point — nobody writes a month as a decimal (１．５日, １．５倍 stay numbers).
 */
const MONTH_ITEM = /^([\uff10-\uff19]+\uff0e)(?=[\uff10-\uff19]{1,2}\u6708)/;
/** A 記書き label: up to 12 characters before a full-width colon (日時：, 会　場：). */
const LABEL = /^([^\uff1a]{1,12}\uff1a)[ \u3000]*/;

/** A source line with its indentation (ASCII spaces) measured. */
interface Line extends SourceLine {
  indent: number;
}

function linesOf(body: string): Line[] {
  return linesWithOffsets(body).map((line) => {
    const text = line.text.replace(/\r$/, '');
    let indent = 0;
    while (indent < text.length && (text[indent] === ' ' || text[indent] === '\t')) indent++;
    return { text, start: line.start, indent };
  });
}

const isBlank = (line: Line) => /^\s*$/.test(line.text); // \s includes U+3000
const trimmed = (line: Line) => line.text.trim();

/** The line from `from` on (offsets kept). */
const rest = (line: Line, from: number): SourceLine => ({ text: line.text.slice(from), start: line.start + from });

/** A line that ends in a single backslash (not an escaped one) asks for a hard break after it. */
function endsWithBreak(line: SourceLine): boolean {
  const t = line.text.replace(/[ \t]+$/, '');
  let slashes = 0;
  for (let i = t.length - 1; i >= 0 && t[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** The line without its break backslash. */
function withoutBreak(line: SourceLine): SourceLine {
  const t = line.text.replace(/[ \t]+$/, '');
  return { text: t.slice(0, -1), start: line.start };
}

/** A marker at the start of the line (after its indentation), unless escaped. */
function markerAt(line: Line): { marker: string; printed: string; length: number; numbered: boolean } | undefined {
  const text = line.text.slice(line.indent);
  const b = BULLET.exec(text);
  if (b) return { marker: b[1] ?? b[2]!, printed: b[1] ?? '・', length: b[0].length, numbered: false };
  const n = NUMBERED.exec(text) ?? MONTH_ITEM.exec(text);
  if (n) {
    const marker = n[1] ?? n[2] ?? n[3] ?? n[4]!;
    return { marker, printed: marker, length: n[0].length, numbered: true };
  }
  return undefined;
}

export function parseBody(body: string): ParsedBody {
  const units: ParagraphSpan[] = [];
  const blocks: MarkupBlock[] = [];
  const lines = linesOf(body);

  /** A unit from source lines joined by the paragraph rule, escapes resolved. */
  const unit = (source: SourceLine[]): UnitIndex => {
    units.push(resolveEscapes(joinLines(source)));
    return units.length - 1;
  };
  /** A unit of literal text (a printed marker), located at `offset`. */
  const literal = (text: string, offset: number): UnitIndex => {
    // A marker printed as written maps character by character; one printed otherwise (- as ・) to its place.
    const asWritten = body.startsWith(text, offset);
    units.push({ text, bodyOffsets: Array.from({ length: text.length }, (_, i) => (asWritten ? offset + i : offset)) });
    return units.length - 1;
  };
  /** Lines joined into units, a new unit after every line ending in a break. */
  const brokenLines = (source: SourceLine[]): UnitIndex[] => {
    const out: UnitIndex[] = [];
    let pending: SourceLine[] = [];
    for (const line of source) {
      if (endsWithBreak(line)) {
        pending.push(withoutBreak(line));
        out.push(unit(pending));
        pending = [];
      } else pending.push(line);
    }
    if (pending.length > 0) out.push(unit(pending));
    return out;
  };

  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    if (trimmed(line) === KIGAKI_OPEN) {
      i = parseKigaki(lines, i, blocks, unit, literal);
      continue;
    }
    if (trimmed(line) === KIGAKI_CLOSE) {
      blocks.push({ kind: 'end', mark: literal(KIGAKI_CLOSE, line.start + line.text.indexOf(KIGAKI_CLOSE)) });
      i++;
      continue;
    }
    // A block of non-blank lines: a paragraph, possibly followed by a list from its first marker line; a
    // line 記 or 以上 alone ends it.
    const block: Line[] = [];
    const ends = (l: Line) => trimmed(l) === KIGAKI_OPEN || trimmed(l) === KIGAKI_CLOSE;
    while (i < lines.length && !isBlank(lines[i]!) && !(block.length > 0 && ends(lines[i]!))) block.push(lines[i++]!);
    const firstMarker = block.findIndex((l) => markerAt(l) !== undefined);
    const prose = firstMarker < 0 ? block : block.slice(0, firstMarker);
    if (prose.length > 0) blocks.push({ kind: 'paragraph', lines: brokenLines(prose) });
    if (firstMarker >= 0) blocks.push(parseList(block.slice(firstMarker), literal, brokenLines));
  }
  return { blocks, units };
}

function parseList(
  lines: Line[],
  literal: (text: string, offset: number) => UnitIndex,
  brokenLines: (source: SourceLine[]) => UnitIndex[],
): MarkupList {
  const items: MarkupListItem[] = [];
  /** Indentation of each open level, outermost first. */
  const levels: number[] = [];
  let current: { item: Omit<MarkupListItem, 'lines'>; source: SourceLine[] } | undefined;
  const finish = () => {
    if (current) items.push({ ...current.item, lines: brokenLines(current.source) });
  };
  for (const line of lines) {
    const marker = markerAt(line);
    if (!marker) {
      current!.source.push(line); // the first line has a marker: there is always a current item
      continue;
    }
    finish();
    while (levels.length > 0 && line.indent < levels[levels.length - 1]!) levels.pop();
    if (levels.length === 0 || line.indent > levels[levels.length - 1]!) levels.push(line.indent);
    current = {
      item: { marker: literal(marker.printed, line.start + line.indent), level: levels.length - 1, numbered: marker.numbered },
      source: [rest(line, line.indent + marker.length)],
    };
  }
  finish();
  return { kind: 'list', items };
}

function parseKigaki(
  lines: Line[],
  start: number,
  blocks: MarkupBlock[],
  unit: (source: SourceLine[]) => UnitIndex,
  literal: (text: string, offset: number) => UnitIndex,
): number {
  const open = lines[start]!;
  const opening = literal(KIGAKI_OPEN, open.start + open.text.indexOf(KIGAKI_OPEN));
  const items: KigakiItem[] = [];
  /** Indentation of each open level, outermost first (as in a list). */
  const levels: number[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const t = trimmed(line);
    if (t === KIGAKI_CLOSE) {
      const closing = literal(KIGAKI_CLOSE, line.start + line.text.indexOf(KIGAKI_CLOSE));
      blocks.push({ kind: 'kigaki', opening, items, closing });
      return i + 1;
    }
    if (t === KIGAKI_OPEN)
      throw new MarkupError(
        `a 記 inside the 記書き opened on an earlier line; close that one with 以上 first (write \\記 for the character itself)`,
        line.start,
      );
    let from = line.indent;
    while (levels.length > 0 && line.indent < levels[levels.length - 1]!) levels.pop();
    if (levels.length === 0 || line.indent > levels[levels.length - 1]!) levels.push(line.indent);
    const item: Partial<KigakiItem> = { level: levels.length - 1 };
    const marker = markerAt(line);
    if (marker) {
      item.marker = literal(marker.printed, line.start + from);
      from += marker.length;
    }
    const label = LABEL.exec(line.text.slice(from));
    if (label && !line.text.slice(from).startsWith('\\')) {
      item.label = unit([{ text: label[1]!, start: line.start + from }]);
      from += label[0].length;
    }
    // A line ending in \ goes on, under the text, on the next line.
    let source = rest(line, from);
    item.lines = [];
    while (endsWithBreak(source) && i + 1 < lines.length && !isBlank(lines[i + 1]!)) {
      item.lines.push(unit([withoutBreak(source)]));
      const next = lines[++i]!;
      source = rest(next, next.indent);
    }
    item.lines.push(unit([endsWithBreak(source) ? withoutBreak(source) : source]));
    items.push(item as KigakiItem);
  }
  throw new MarkupError('this 記書き has no 以上: end it with a line 以上 (write \\記 for the character itself)', open.start);
}

/**
 * Escapes resolved: \x → x (its offset kept), \\ → \ — except the escapes of the inline markup characters
 * (\｜ \《 \》 \［) and a \\ before one of them, which stay as written for parseInline to resolve.
 */
function resolveEscapes(span: ParagraphSpan): ParagraphSpan {
  if (!span.text.includes('\\')) return span;
  let text = '';
  const bodyOffsets: number[] = [];
  for (let i = 0; i < span.text.length; i++) {
    let k = i;
    if (span.text[i] === '\\' && i + 1 < span.text.length) {
      const next = span.text[i + 1]!;
      if (INLINE_MARKUP.has(next) || (next === '\\' && INLINE_MARKUP.has(span.text[i + 2] ?? ''))) {
        // Kept as written (two characters): the inline parser reads the escape.
        text += span.text[i]! + span.text[i + 1]!;
        bodyOffsets.push(span.bodyOffsets[i]!, span.bodyOffsets[i + 1]!);
        i++;
        continue;
      }
      k = ++i;
    }
    text += span.text[k];
    bodyOffsets.push(span.bodyOffsets[k]!);
  }
  return { text, bodyOffsets };
}

/**
 * What an inline piece of text is besides its characters. A ruby's `ruby` is its whole reading; `jukugo`,
 * when the reading was written per character (東京《とう｜きょう》), the reading of each base character.
 */
export type InlineMark =
  | {
      kind: 'ruby';
      ruby: string;
      jukugo?: string[];
      /**
       * Where each UTF-16 unit of `ruby` is in the parsed text, for an error at a character of the reading
       * (absent for a mark not read from text: then the base's place is given).
       */
      rubyOffsets?: number[];
    }
  | { kind: 'emphasis' }
  | { kind: 'tateChuYoko' };

/** A piece of a text field after inline markup: its text, where each character was, and its mark. */
export interface InlinePiece {
  text: string;
  /** offsets[i]: index in the parsed text of text[i]. */
  offsets: number[];
  mark?: InlineMark;
}

const RUBY_BAR = '\uff5c'; // ｜
const RUBY_OPEN = '\u300a'; // 《
const RUBY_CLOSE = '\u300b'; // 》
const TCY_OPEN = '［＃縦中横］';
/** Where an Aozora Bunko annotation starts; kumihan reads only 縦中横 of them. */
const ANNOTATION_OPEN = '［＃';
const TCY_CLOSE = '［＃縦中横終わり］';
/** The characters that start or end inline markup. */
const INLINE_MARKUP: ReadonlySet<string> = new Set([RUBY_BAR, RUBY_OPEN, RUBY_CLOSE, '［']);
/** Characters a backslash escapes in inline markup (in every text field, not only the body). */
const INLINE_ESCAPABLE: ReadonlySet<string> = new Set(['\\', ...INLINE_MARKUP]);
/** What an implicit ruby base is made of: kanji, and the marks Aozora Bunko counts with them (々 〆 〇 ヶ). */
const KANJI = /[\p{Script=Han}\u3005\u3006\u3007\u30f6]/u;

/** Malformed inline markup: the message and the index in the parsed text where it is. */
export class InlineMarkupError extends MarkupError {}

/**
 * Inline markup of one text (a body unit, a recipient line, a title): ruby, emphasis, tate-chu-yoko and
 * the escapes \｜ \《 \》 \［ \\. Plain text comes back as one piece. Throws InlineMarkupError, located
 * by its index in `text`, for an unclosed 《, an empty ruby, ruby on nothing, an unclosed emphasis or
 * tate-chu-yoko.
 */
export function parseInline(text: string): InlinePiece[] {
  if (!/[\\\uff5c\u300a\u300b\uff3b]/.test(text)) return [{ text, offsets: Array.from({ length: text.length }, (_, i) => i) }];
  const pieces: InlinePiece[] = [];
  let plain: InlinePiece = { text: '', offsets: [] };
  const flush = () => {
    if (plain.text) pieces.push(plain);
    plain = { text: '', offsets: [] };
  };
  /** Plain text (escapes resolved) from i up to the first unescaped `stop`; -1 when there is none. */
  const until = (from: number, stop: string): { piece: InlinePiece; end: number } => {
    const piece: InlinePiece = { text: '', offsets: [] };
    let i = from;
    while (i < text.length && !text.startsWith(stop, i)) {
      if (text[i] === '\\' && i + 1 < text.length && INLINE_ESCAPABLE.has(text[i + 1]!)) i++;
      piece.text += text[i];
      piece.offsets.push(i);
      i++;
    }
    return { piece, end: i < text.length ? i : -1 };
  };
  /**
   * Markup inside marked text is not read (ruby inside emphasis, emphasis inside a reading, a 縦中横 inside
   * a 縦中横): the first unescaped ｜ 《 》 or 縦中横 marker in [from, to), to be reported rather than
   * printed. `allowBar`: inside a reading, where ｜ separates the readings of a jukugo.
   */
  const nestedMarkup = (from: number, to: number, allowBar = false): number => {
    for (let k = from; k < to; k++) {
      const ch = text[k]!;
      if (ch === '\\' && k + 1 < to && INLINE_ESCAPABLE.has(text[k + 1]!)) k++;
      else if (
        (ch === RUBY_BAR && !allowBar) ||
        ch === RUBY_OPEN ||
        ch === RUBY_CLOSE ||
        text.startsWith(TCY_OPEN, k) ||
        text.startsWith(TCY_CLOSE, k)
      )
        return k;
    }
    return -1;
  };
  const refuseNested = (from: number, to: number, what: string, allowBar = false) => {
    const at = nestedMarkup(from, to, allowBar);
    if (at >= 0)
      throw new InlineMarkupError(
        `${text.startsWith(TCY_OPEN, at) || text.startsWith(TCY_CLOSE, at) ? '縦中横' : text[at]} inside ${what} is not read as markup: ` +
          `end the ${what} before it, or write \\${text[at]} for the character itself`,
        at,
      );
  };
  /** The ruby mark of `base` from the reading after 《 at `open`: group ruby, or jukugo ruby (readings split by ｜). */
  const rubyText = (open: number, base: string): { mark: InlineMark; end: number } => {
    // Unescaped ｜ inside 《》 separate the readings of a jukugo; until() resolves escapes, so find them first.
    const separators: number[] = [];
    let k = open + 1;
    while (k < text.length && text[k] !== RUBY_CLOSE) {
      if (text[k] === '\\' && k + 1 < text.length && INLINE_ESCAPABLE.has(text[k + 1]!)) k += 2;
      else {
        if (text[k] === RUBY_BAR) separators.push(k);
        k++;
      }
    }
    const { piece, end } = until(open + 1, RUBY_CLOSE);
    if (end < 0) throw new InlineMarkupError(`this 《 has no 》: close the ruby with 》 (write \\《 for the character itself)`, open);
    if (piece.text.trim() === '') throw new InlineMarkupError('an empty ruby 《》: write the reading between 《 and 》', open);
    refuseNested(open + 1, end, 'a reading', true);
    if (separators.length === 0) return { mark: { kind: 'ruby', ruby: piece.text, rubyOffsets: piece.offsets }, end: end + 1 };
    // Jukugo ruby: the reading of each base character, in order.
    const parts: string[] = [];
    const rubyOffsets: number[] = [];
    let from = 0;
    for (const at of [...separators, end]) {
      let part = '';
      while (from < piece.offsets.length && piece.offsets[from]! < at) {
        rubyOffsets.push(piece.offsets[from]!);
        part += piece.text[from++];
      }
      if (at !== end) from++; // the separator itself
      if (part.trim() === '') {
        const where = parts.length === 0 ? open : separators[parts.length - 1]!;
        throw new InlineMarkupError(
          `an empty reading in jukugo ruby 《${text.slice(open + 1, end)}》: write one reading for each base character, separated by ｜`,
          where,
        );
      }
      parts.push(part);
    }
    const characters = toClusters(base).length;
    if (parts.length !== characters)
      throw new InlineMarkupError(
        `jukugo ruby 《${text.slice(open + 1, end)}》 has ${parts.length} readings for the ${characters} characters of ${base}: ` +
          'write one reading for each base character, separated by ｜ (or no ｜ for one reading over the whole base)',
        open,
      );
    return { mark: { kind: 'ruby', ruby: parts.join(''), jukugo: parts, rubyOffsets }, end: end + 1 };
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && INLINE_ESCAPABLE.has(text[i + 1]!)) {
      plain.text += text[i + 1];
      plain.offsets.push(i + 1);
      i += 2;
    } else if (text.startsWith(RUBY_OPEN + RUBY_OPEN, i)) {
      const { piece, end } = until(i + 2, RUBY_CLOSE + RUBY_CLOSE);
      if (end < 0) throw new InlineMarkupError('this 《《 has no 》》: close the emphasis with 》》', i);
      if (piece.text === '') throw new InlineMarkupError('an empty emphasis 《《》》', i);
      refuseNested(i + 2, end, 'emphasis 《《》》');
      flush();
      pieces.push({ ...piece, mark: { kind: 'emphasis' } });
      i = end + 2;
    } else if (c === RUBY_BAR) {
      if (text.startsWith(RUBY_OPEN + RUBY_OPEN, i + 1))
        throw new InlineMarkupError(
          'this ｜ is followed by emphasis 《《…》》, not by a ruby base (write \\｜ for the character itself)',
          i,
        );
      const { piece: base, end } = until(i + 1, RUBY_OPEN);
      if (end < 0)
        throw new InlineMarkupError('this ｜ starts a ruby base but no 《reading》 follows (write \\｜ for the character itself)', i);
      if (base.text === '') throw new InlineMarkupError('ruby on nothing: write the base between ｜ and 《', i);
      refuseNested(i + 1, end, 'a ruby base');
      const { mark, end: after } = rubyText(end, base.text);
      flush();
      pieces.push({ ...base, mark });
      i = after;
    } else if (c === RUBY_OPEN) {
      // The base: the kanji just before 《 (JLREQ §3.3 ruby sits on a word; Aozora Bunko's implicit base).
      let k = plain.text.length;
      while (k > 0 && KANJI.test(plain.text[k - 1]!)) k--;
      if (k === plain.text.length)
        throw new InlineMarkupError(
          'ruby on nothing: 《 follows no kanji; mark the base with ｜ (｜ベース《るび》), or write \\《 for the character',
          i,
        );
      const { mark, end: after } = rubyText(i, plain.text.slice(k));
      const base: InlinePiece = { text: plain.text.slice(k), offsets: plain.offsets.slice(k), mark };
      plain = { text: plain.text.slice(0, k), offsets: plain.offsets.slice(0, k) };
      flush();
      pieces.push(base);
      i = after;
    } else if (text.startsWith(TCY_OPEN, i)) {
      const { piece, end } = until(i + TCY_OPEN.length, TCY_CLOSE);
      if (end < 0) throw new InlineMarkupError(`this ${TCY_OPEN} has no ${TCY_CLOSE}`, i);
      if (piece.text === '') throw new InlineMarkupError(`an empty ${TCY_OPEN}${TCY_CLOSE}`, i);
      refuseNested(i + TCY_OPEN.length, end, '縦中横');
      // Set across the column in one em: beyond a few characters they cannot be read (JLREQ §3.2.4: two
      // or three digits or letters).
      if (toClusters(piece.text).length > TCY_MAX)
        throw new InlineMarkupError(
          `${TCY_OPEN}${piece.text}${TCY_CLOSE} is ${toClusters(piece.text).length} characters; 縦中横 sets at most ${TCY_MAX} across the column in one em`,
          i,
        );
      flush();
      pieces.push({ ...piece, mark: { kind: 'tateChuYoko' } });
      i = end + TCY_CLOSE.length;
    } else if (c === RUBY_CLOSE || text.startsWith(TCY_CLOSE, i)) {
      const what = c === RUBY_CLOSE ? (text.startsWith(RUBY_CLOSE + RUBY_CLOSE, i) ? '》》' : '》') : TCY_CLOSE;
      throw new InlineMarkupError(`this ${what} closes nothing (write \\${c} for the character itself)`, i);
    } else if (text.startsWith(ANNOTATION_OPEN, i)) {
      // Another of Aozora Bunko's annotations (［＃傍点］, ［＃ここから２字下げ］): printed, it would show the
      // notation in the document; the author meant markup.
      const close = text.indexOf('］', i);
      const annotation = close < 0 ? ANNOTATION_OPEN : text.slice(i, close + 1);
      throw new InlineMarkupError(
        `${annotation} is an annotation kumihan does not read: of Aozora Bunko's notation it reads ruby ｜…《…》, ` +
          `emphasis dots 《《…》》 and ${TCY_OPEN}…${TCY_CLOSE} (write \\［ for the character itself)`,
        i,
      );
    } else {
      plain.text += c;
      plain.offsets.push(i);
      i++;
    }
  }
  flush();
  return pieces;
}

/** The most characters a marked 縦中横 may hold (as body.tateChuYoko's automatic runs). */
const TCY_MAX = 4;
