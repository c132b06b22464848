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
  type Letterhead,
  type ParagraphBlock,
  type TextSource,
} from './document.js';
import { readImageSize } from './image.js';
import type { LoadedDocument } from './load.js';
import type { ResolvedBlockItem, ResolvedTemplate } from './template.js';
import type { FieldPath } from './yamlfile.js';

export function letterDocument(doc: LoadedDocument): DocumentTree {
  const t = doc.template;
  const blocks: Block[] = [];
  for (const item of t.header) {
    const group = fieldGroup(doc, item, 'header');
    if (group) blocks.push(group);
  }
  doc.paragraphs.forEach((text, k) => blocks.push(bodyParagraph(t, text, k)));
  const after = t.after.flatMap((item) => fieldGroup(doc, item, 'after') ?? []);
  if (after.length > 0) {
    blocks.push({ kind: 'group', role: 'after', blocks: after, spaceBefore: 0, keep: KEEP_WITH_PREVIOUS });
  }
  const furniture: DocumentTree['furniture'] = {};
  if (t.letterhead) furniture.letterhead = letterhead(t);
  if (t.footer) {
    const f = t.footer;
    furniture.folio = {
      format: f.pageNumbers,
      face: f.font,
      size: f.size,
      align: f.align,
      offset: f.offset,
      source: { origin: 'template', path: ['footer', 'pageNumbers'] },
    };
  }
  return { settings: t, metadata: letterMetadata(doc), furniture, blocks };
}

/** Document information: title from `title`, author from `sender`, unless `pdf:` says otherwise. */
export function letterMetadata(doc: LoadedDocument): DocumentMetadata {
  const content = doc.content;
  const keywords = content.pdf?.keywords;
  return {
    title: content.pdf?.title ?? content.title,
    author: content.pdf?.author ?? content.sender,
    subject: content.pdf?.subject ?? content.subtitle,
    keywords: Array.isArray(keywords) ? keywords.join(', ') : keywords,
    lang: 'ja-JP',
  };
}

function bodyParagraph(t: ResolvedTemplate, text: string, k: number): ParagraphBlock {
  const body = t.body;
  return {
    kind: 'paragraph',
    role: 'body',
    style: {
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
    },
    inlines: [{ kind: 'text', text, source: { origin: 'content', path: ['body'], paragraph: k } }],
    // The first paragraph is set apart from the header; the others by the paragraph spacing.
    spaceBefore: k === 0 ? body.spaceBefore : body.paragraphSpacing,
    onGrid: true,
    keep: KEEP_RUNNING_TEXT,
  };
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
  const lines = fieldLines(doc, item.field).filter((l) => l.text.trim() !== '');
  if (lines.length === 0) return undefined;
  const body = doc.template.body;
  const paragraphs: ParagraphBlock[] = lines.map((line) => ({
    kind: 'paragraph',
    role,
    style: {
      face: item.font,
      size: item.size,
      align: item.align,
      inset: item.indent,
      firstLineIndent: 0,
      lineBreak: body.lineBreak,
      hangingPunctuation: false,
      openingBracketIndent: 'none',
    },
    inlines: [{ kind: 'text', text: line.text, source: { origin: 'content', path: line.path } }],
    spaceBefore: 0,
    onGrid: false,
    keep: KEEP_FREE,
  }));
  return { kind: 'group', role, blocks: paragraphs, spaceBefore: item.spaceBefore, keep: KEEP_TOGETHER };
}

function letterhead(t: ResolvedTemplate): Letterhead {
  const lh = t.letterhead!;
  const line = (text: string, face: string, size: number, path: FieldPath): FurnitureText => {
    const source: TextSource = { origin: 'template', path };
    return { inlines: [{ kind: 'text', text, source }], face, size };
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
