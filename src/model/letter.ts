/**
 * A letter as a document tree: the content's fields placed by the template.
 *
 * The template's `header` items come first, each a group of lines kept together; then the body, one
 * paragraph per blank-line-separated paragraph, on the grid; then the `after` items (closing,
 * signature), kept together and never alone at the top of a page. The letterhead and the page numbers
 * are page furniture, drawn by the page masters.
 */
import {
  KEEP_FREE,
  KEEP_RUNNING_TEXT,
  KEEP_TOGETHER,
  KEEP_WITH_PREVIOUS,
  type Block,
  type DocumentMetadata,
  type DocumentTree,
  type FurnitureText,
  type GroupBlock,
  type InlineRun,
  type Keep,
  type Label,
  type Letterhead,
  type ParagraphBlock,
  type ParagraphStyle,
  type TextRun,
  type TextSource,
} from './document.js';
import { eachOrAllProblems, type SourceLocation } from '../errors.js';
import { inlineRuns } from './inline.js';
import type { UnitIndex } from './markup.js';
import { splitParagraphs } from './paragraphs.js';
import { readImageSize } from './image.js';
import type { LoadedDocument } from './load.js';
import type { ResolvedBlockItem, ResolvedTemplate } from './template.js';
import type { FieldPath } from './yamlfile.js';

export function letterDocument(doc: LoadedDocument): DocumentTree {
  const t = doc.template;
  const warnings = unplacedFieldWarnings(doc);
  const blocks: Block[] = [];
  // Every field and body block is read, and the problems of all of them reported at once: a malformed
  // ruby in the title does not hide one in the third paragraph.
  const parts = [
    () => eachOrAllProblems(t.header, (item) => fieldGroup(doc, item, 'header')),
    () => eachOrAllProblems(t.after, (item) => fieldGroup(doc, item, 'after')),
    () =>
      bodyBlocks(
        doc,
        t.header.some((item) => item.field === 'opening'),
      ),
  ] as const;
  const [headerGroups, afterGroups, bodyPart] = eachOrAllProblems<() => unknown, unknown>(parts, (part) => part()) as [
    ReturnType<(typeof parts)[0]>,
    ReturnType<(typeof parts)[1]>,
    ReturnType<(typeof parts)[2]>,
  ];
  for (const group of headerGroups) if (group) blocks.push(group);
  const afterItems = afterGroups.flatMap((group, i) => (group ? [{ field: t.after[i]!.field, group }] : []));
  // The 結語 goes before a 記書き block when the template says so (as most business letters have it), and
  // before a lone 以上, which ends the whole letter.
  const { blocks: body, ending: endingBlock } = bodyPart;
  const ending = endingBlock ? body.indexOf(endingBlock) : -1;
  const closing = afterItems.find((a) => a.field === 'closing');
  if (ending >= 0 && t.kigaki.closingFirst && closing) {
    body.splice(ending, 0, { ...closing.group, keep: KEEP_WITH_PREVIOUS });
    afterItems.splice(afterItems.indexOf(closing), 1);
  }
  blocks.push(...body);
  if (afterItems.length > 0) {
    blocks.push({ kind: 'group', role: 'after', blocks: afterItems.map((a) => a.group), spaceBefore: 0, keep: KEEP_WITH_PREVIOUS });
  }
  const furniture: DocumentTree['furniture'] = { pageTexts: [] };
  if (t.letterhead) furniture.letterhead = letterhead(t, (path) => doc.locateTemplate([...path]));
  if (t.footer) {
    const f = t.footer;
    furniture.pageTexts.push({
      format: f.pageNumbers,
      face: f.font,
      size: f.size,
      align: f.align,
      edge: 'bottom',
      offset: f.offset,
      pages: 'ofSeveral',
      source: { origin: 'template', path: ['footer', 'pageNumbers'] },
    });
  }
  if (t.continuation) {
    const c = t.continuation;
    furniture.pageTexts.push({
      format: withContentFields(doc, c.text),
      face: c.font,
      size: c.size,
      align: c.align,
      edge: 'top',
      offset: c.offset,
      pages: 'following',
      source: { origin: 'template', path: ['continuation', 'text'] },
    });
  }
  return { settings: t, metadata: letterMetadata(doc), furniture, blocks, warnings };
}

/** A continuation header's content placeholders filled ({page} and {pages} are layout's). */
function withContentFields(doc: LoadedDocument, format: string): string {
  const c = doc.content;
  const fields: Record<string, string | undefined> = {
    recipient: c.recipient?.join('　'),
    title: c.title,
    sender: c.sender,
    date: doc.dateText,
  };
  return format.replace(/\{(recipient|title|sender|date)\}/g, (_, name: string) => fields[name] ?? '');
}

/** Content fields the template places nowhere: printed by no one, which the author should hear about. */
function unplacedFieldWarnings(doc: LoadedDocument): string[] {
  const placed = new Set<string>([...doc.template.header, ...doc.template.after].map((item) => item.field));
  placed.add('opening'); // at the head of the body unless the template places it
  const c = doc.content as Record<string, unknown>;
  const fields = ['date', 'sender', 'recipient', 'title', 'subtitle', 'closing', 'signature', 'postscript'];
  return fields
    .filter((field) => c[field] !== undefined && !placed.has(field))
    .map((field) => {
      const line = doc.locate([field]).line;
      const at = line !== undefined ? `line ${line}: ` : '';
      return `${at}content field "${field}" is not printed: the template places it nowhere (add it to the template's header or after)`;
    });
}
/** Document information: title from `title`, author from `sender`, unless `pdf:` says otherwise. */
export function letterMetadata(doc: LoadedDocument): DocumentMetadata {
  const content = doc.content;
  const keywords = content.pdf?.keywords;
  return {
    // The printed fields' text without their markup (a title with ruby is its base text); malformed
    // markup is an error at the field, printed or not, never raw markup in the document information.
    title: metadataText(doc, 'title', 'title'),
    author: metadataText(doc, 'author', 'sender'),
    subject: metadataText(doc, 'subject', 'subtitle'),
    keywords: Array.isArray(keywords) ? keywords.join(', ') : keywords,
    lang: 'ja-JP',
  };
}

/** `pdf.<key>`, else the content field it defaults to, as plain text (its markup read and taken out). */
function metadataText(
  doc: LoadedDocument,
  key: 'title' | 'author' | 'subject',
  field: 'title' | 'sender' | 'subtitle',
): string | undefined {
  const own = doc.content.pdf?.[key];
  const text = own ?? doc.content[field];
  if (text === undefined) return undefined;
  return fieldRuns(doc, text, own !== undefined ? ['pdf', key] : [field])
    .map((run) => (run.kind === 'text' ? run.text : ''))
    .join('');
}

/** The body's style: running text on the grid, 字詰め as the measure. */
export function bodyStyle(t: ResolvedTemplate): ParagraphStyle {
  const body = t.body;
  return {
    face: body.font,
    size: body.size,
    measure: body.charsPerLine,
    lineSlots: 1,
    align: 'justify',
    inset: 0,
    firstLineIndent: body.indent,
    lineBreak: body.lineBreak,
    hangingPunctuation: body.hangingPunctuation,
    openingBracketIndent: body.openingBracketIndent,
    adjustment: body.adjustment,
  };
}

/** A unit of the body as text runs (its inline markup read) that point back at it. */
function unitRuns(doc: LoadedDocument, unit: UnitIndex, block: number): TextRun[] {
  const source: TextSource = { origin: 'content', path: ['body'], paragraph: unit, paragraphNumber: block + 1 };
  return inlineRuns(doc.paragraphs[unit]!, source, (index) => doc.locateBodyOffset(unit, index));
}

/** A content field's text as runs, its inline markup read. */
function fieldRuns(doc: LoadedDocument, text: string, path: FieldPath): TextRun[] {
  return inlineRuns(text, { origin: 'content', path }, (index) => doc.locateInField([...path], text, index));
}

/**
 * The scope of each level's label columns for each item of a list: the list's own at the outer level; a
 * sub-list's its own (under the item it belongs to), so that the markers of one sub-list do not widen the
 * column of another under another item. Where bullets follow numbers at one level (or numbers bullets),
 * they start a column of their own: a ・ does not stand in the width of （１０）.
 */
function columnScopes(list: string, items: readonly { level: number; numbered?: boolean }[]): string[][] {
  const parents: number[] = [];
  /** Per level, under the current parent: the kind of marker and how many times it has changed. */
  const runs: { numbered: boolean | undefined; changes: number }[] = [];
  return items.map((item, i) => {
    const run = runs[item.level];
    if (!run) runs[item.level] = { numbered: item.numbered, changes: 0 };
    else if (run.numbered !== item.numbered) {
      run.numbered = item.numbered;
      run.changes++;
    }
    // A deeper level starts afresh under this item.
    runs.length = item.level + 1;
    const scope = Array.from({ length: item.level + 1 }, (_, level) => {
      const changes = runs[level]!.changes;
      return `${level === 0 ? list : `${list}/${parents[level - 1]}`}${changes > 0 ? `#${changes}` : ''}`;
    });
    parents.length = item.level;
    parents.push(i);
    return scope;
  });
}

/**
 * A list marker as a label in `column`. One that ends in a half-width character (`1.`, `(2)`, `a)`) keeps
 * half an em before the text, as a full-width marker's own punctuation does (`１．`); else the marker ran
 * into the text (「10.書類」).
 */
function markerLabel(doc: LoadedDocument, unit: UnitIndex, block: number, column: string): Label {
  // • is a half-width bullet: with the gap it takes the em of ・.
  const halfWidthEnd = /[\x21-\x7e\u2022]$/.test(doc.paragraphs[unit] ?? '');
  return { inlines: unitRuns(doc, unit, block), column, alignEnd: true, ...(halfWidthEnd ? { gapAfter: MARKER_GAP } : {}) };
}
/** em after a marker ending in a half-width character. */
const MARKER_GAP = 0.5;

/** A paragraph's lines as runs, with a break between them. */
function linesRuns(doc: LoadedDocument, lines: readonly UnitIndex[], block: number): InlineRun[] {
  return lines.flatMap((unit, i): InlineRun[] =>
    i === 0 ? unitRuns(doc, unit, block) : [{ kind: 'break' }, ...unitRuns(doc, unit, block)],
  );
}

/**
 * The body's markup blocks as document blocks, the opening (頭語) at the head of the first unless placed,
 * and the first 記書き block or lone 以上 (`ending`: the closing may go before it).
 */
export function bodyBlocks(doc: LoadedDocument, openingPlaced: boolean): { blocks: Block[]; ending?: Block } {
  const t = doc.template;
  const style = bodyStyle(t);
  const out: Block[] = [];
  let ending: Block | undefined;
  /** A list item or 記書き line: running text `inset` em in, hanging after its labels. */
  const labelled = (
    inset: number,
    labels: Label[],
    inlines: InlineRun[],
    spaceBefore: number,
    keep = KEEP_RUNNING_TEXT,
  ): ParagraphBlock => ({
    kind: 'paragraph',
    role: 'body',
    style: { ...style, inset, firstLineIndent: 0 },
    labels,
    inlines,
    spaceBefore,
    onGrid: true,
    keep,
  });
  // The first item of a sub-list is never parted from the item it belongs to: it takes that item's last
  // line (or all of a short one) along to the next page, so no item that introduces a sub-list ends a page.
  const itemKeep = (items: readonly { level: number }[], i: number) =>
    i > 0 && items[i]!.level > items[i - 1]!.level ? KEEP_WITH_PREVIOUS : KEEP_RUNNING_TEXT;
  const spaceBefore = () => (out.length === 0 ? t.body.spaceBefore : t.body.paragraphSpacing);
  eachOrAllProblems(doc.bodyBlocks, (block, b) => {
    switch (block.kind) {
      case 'paragraph':
        out.push({
          kind: 'paragraph',
          role: 'body',
          style,
          inlines: linesRuns(doc, block.lines, b),
          spaceBefore: spaceBefore(),
          onGrid: true,
          keep: KEEP_RUNNING_TEXT,
        });
        break;
      case 'list': {
        // Items start where a paragraph's first line does; their lines hang after the marker column of
        // their level (an outer level's column is kept free, so that a nested list starts under the text).
        const scopes = columnScopes(`list${b}`, block.items);
        const items = block.items.map((item, i): ParagraphBlock => {
          const labels: Label[] = [];
          for (let level = 0; level < item.level; level++) labels.push({ inlines: [], column: `${scopes[i]![level]}.${level}` });
          labels.push(markerLabel(doc, item.marker, b, `${scopes[i]![item.level]}.${item.level}`));
          return labelled(t.body.indent, labels, linesRuns(doc, item.lines, b), 0, itemKeep(block.items, i));
        });
        out.push({ kind: 'group', role: 'body', blocks: items, spaceBefore: spaceBefore(), keep: KEEP_FREE });
        break;
      }
      case 'kigaki': {
        // 記 centred with a blank line before and after it, the items indented, 以上 flush with the line end.
        const line = (unit: UnitIndex, align: ParagraphStyle['align'], spaceBefore: number, keep: Keep): ParagraphBlock => ({
          kind: 'paragraph',
          role: 'body',
          style: { ...style, align, firstLineIndent: 0 },
          inlines: unitRuns(doc, unit, b),
          spaceBefore,
          onGrid: true,
          keep,
        });
        // An item indented further (a list in an item) starts under its parent's text, with marker and
        // label columns of its own level: its labels are not spread to the width of the outer ones.
        const scopes = columnScopes(`kigaki${b}`, block.items);
        const items = block.items.map((item, i): ParagraphBlock => {
          const labels: Label[] = [];
          const scope = scopes[i]!;
          for (let level = 0; level < item.level; level++) labels.push({ inlines: [], column: `${scope[level]}.marker${level}` });
          if (item.marker !== undefined) labels.push(markerLabel(doc, item.marker, b, `${scope[item.level]}.marker${item.level}`));
          if (item.label !== undefined)
            labels.push({ inlines: unitRuns(doc, item.label, b), column: `${scope[item.level]}.label${item.level}`, distribute: true });
          return labelled(t.kigaki.indent, labels, linesRuns(doc, item.lines, b), i === 0 ? 1 : 0, itemKeep(block.items, i));
        });
        // 記 is never left at the foot of a page with less than two items under it (one where there is one).
        const firsts = items.slice(0, 2);
        const others = items.slice(2);
        const heading = line(block.opening, 'center', 0, KEEP_FREE);
        const blocks: Block[] = [
          { kind: 'group', role: 'body', blocks: [heading, ...firsts], spaceBefore: 0, keep: KEEP_TOGETHER },
          ...others,
          line(block.closing, 'end', 0, { ...KEEP_FREE, together: true, withPrevious: true }),
        ];
        // The whole 記書き, 記 to 以上, on one page where it fits on one: it moves to the next page whole, and a
        // signature that must go there takes it all along rather than its last item (a page break before
        // 記, never inside a short list). Longer than a page, it breaks like running text.
        const group: Block = { kind: 'group', role: 'body', blocks, spaceBefore: Math.max(1, spaceBefore()), keep: KEEP_TOGETHER };
        ending ??= group;
        out.push(group);
        break;
      }
      case 'end': {
        // 以上 alone: flush with the line end, on the page of the text it ends.
        const end: ParagraphBlock = {
          kind: 'paragraph',
          role: 'body',
          style: { ...style, align: 'end', firstLineIndent: 0 },
          inlines: unitRuns(doc, block.mark, b),
          spaceBefore: out.length === 0 ? t.body.spaceBefore : 0,
          onGrid: true,
          keep: { ...KEEP_FREE, together: true, withPrevious: true },
        };
        ending ??= end;
        out.push(end);
        break;
      }
    }
  });
  const opening = doc.content.opening?.trim();
  if (opening && !openingPlaced) {
    // 頭語 and a full-width space, then the text: 「拝啓　晩秋の候、…」. The 頭語 stands at the head of the
    // line, not indented like a paragraph's first line (as letter-writing guides and 文書の書き方 teach).
    const runs: InlineRun[] = [
      { kind: 'text', text: opening, source: { origin: 'content', path: ['opening'] } },
      { kind: 'text', text: '\u3000', source: { origin: 'content', path: ['opening'] } },
    ];
    const first = out[0];
    if (first?.kind === 'paragraph') {
      first.inlines = [...runs, ...first.inlines];
      first.style = { ...first.style, firstLineIndent: 0 };
    } else
      out.unshift({
        kind: 'paragraph',
        role: 'body',
        style: { ...style, firstLineIndent: 0 },
        inlines: runs,
        spaceBefore: t.body.spaceBefore,
        onGrid: true,
        keep: KEEP_RUNNING_TEXT,
      });
  }
  return { blocks: out, ending };
}

/** The lines of a content field (a list field gives one line per entry); blank lines are left out. */
function fieldLines(doc: LoadedDocument, field: string): { text: string; path: FieldPath }[] {
  const c = doc.content as Record<string, unknown>;
  if (field === 'date') return doc.dateText ? [{ text: doc.dateText, path: ['date'] }] : [];
  const value = c[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v, i) => ({ text: String(v), path: [field, i] }));
  return [{ text: String(value), path: [field] }];
}

/** A template item (date, recipient, closing, …): its field's lines, kept together. */
function fieldGroup(doc: LoadedDocument, item: ResolvedBlockItem<string>, role: 'header' | 'after'): GroupBlock | undefined {
  if (item.field === 'postscript') return postscript(doc, item);
  const lines = fieldLines(doc, item.field).filter((l) => l.text.trim() !== '');
  if (lines.length === 0) return undefined;
  const body = doc.template.body;
  const paragraphs: ParagraphBlock[] = lines.map((line) => ({
    kind: 'paragraph',
    role,
    // The letter's title is its one heading in the tagged PDF.
    ...(item.field === 'title' ? { structure: 'H1' as const } : {}),
    style: {
      face: item.font,
      size: item.size,
      align: item.align,
      // A line set from the start (a 宛名) that turns over goes on an em further in, so that its second line
      // is not taken for another line of the address.
      inset: item.indent + (item.align === 'start' ? 1 : 0),
      firstLineIndent: item.align === 'start' ? -1 : 0,
      lineBreak: body.lineBreak,
      hangingPunctuation: false,
      openingBracketIndent: 'none',
      // A line too long for the measure (a long title, department and name) is set in balanced lines, so
      // that its end is not a stub on a line of its own (「…部長代理　佐々木一／郎」).
      balance: true,
    },
    inlines: fieldRuns(doc, line.text, line.path),
    spaceBefore: 0,
    onGrid: false,
    keep: KEEP_FREE,
  }));
  return { kind: 'group', role, blocks: paragraphs, spaceBefore: item.spaceBefore, keep: KEEP_TOGETHER };
}

/**
 * 追伸 (追って書き): its paragraphs after the signature, set like the body's but indented by the item's
 * indent, and kept together.
 */
function postscript(doc: LoadedDocument, item: ResolvedBlockItem<string>): GroupBlock | undefined {
  const text = doc.content.postscript;
  if (text === undefined || text.trim() === '') return undefined;
  // At the body's size it is set on the body's measure and grid; at another size, on the region's width and 行取り.
  const { measure, lineSlots, ...rest } = bodyStyle(doc.template);
  const grid = item.size === doc.template.body.size ? { measure, lineSlots } : {};
  const style: ParagraphStyle = { ...rest, ...grid, face: item.font, size: item.size, inset: item.indent, firstLineIndent: 0 };
  const paragraphs = splitParagraphs(text).map(
    (p): ParagraphBlock => ({
      kind: 'paragraph',
      role: 'after',
      style,
      inlines: fieldRuns(doc, p, ['postscript']),
      spaceBefore: 0,
      onGrid: true,
      keep: KEEP_RUNNING_TEXT,
    }),
  );
  return { kind: 'group', role: 'after', blocks: paragraphs, spaceBefore: item.spaceBefore, keep: KEEP_TOGETHER };
}

function letterhead(t: ResolvedTemplate, locate: (path: FieldPath) => SourceLocation): Letterhead {
  const lh = t.letterhead!;
  // Its markup is read as any text's (a company name's ruby: 株式会社｜鶴亀《つるかめ》商会), a mistake in it
  // reported at the template's field.
  const line = (text: string, face: string, size: number, path: FieldPath): FurnitureText => {
    const source: TextSource = { origin: 'template', path };
    return { inlines: inlineRuns(text, source, () => locate(path)), face, size };
  };
  const out: Letterhead = {
    address: lh.address.map((a, i) => line(a, lh.font, lh.size, ['letterhead', 'address', i])),
    align: lh.align,
    spaceAfter: lh.spaceAfter,
  };
  if (lh.name) out.name = line(lh.name, lh.nameFont, lh.nameSize, ['letterhead', 'name']);
  if (lh.logo) {
    const size = readImageSize(lh.logo.file);
    out.logo = { file: lh.logo.file, width: lh.logo.width, height: (lh.logo.width * size.height) / size.width, position: lh.logo.position };
  }
  if (lh.rule) out.rule = lh.rule;
  return out;
}
