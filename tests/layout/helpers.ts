/** Document trees laid out by hand: a 10 × N grid of 10pt on a 400pt page, in BIZ UD Mincho. */
import { layoutDocument, type TextLineItem } from '../../src/layout/layout.js';
import type { Block, DocumentTree, ParagraphStyle } from '../../src/model/document.js';
import type { ResolvedTemplate } from '../../src/model/template.js';
import { face } from '../text/helpers.js';

/** Justified running text at 10pt; the body's own measure and line slots are added where a test needs them. */
export const style: ParagraphStyle = {
  face: 'mincho',
  size: 10,
  align: 'justify',
  inset: 0,
  firstLineIndent: 0,
  lineBreak: 'strict',
  hangingPunctuation: false,
  openingBracketIndent: 'jis',
};

/** A paragraph's text of `lines` full lines of 10 characters (the last one shorter). */
export const fillerText = (lines: number) => '一二三四五六七八九十'.repeat(lines - 1) + '終わり。';

/** The blocks laid out on 10-character lines, `linesPerPage` to a page: each page's text lines. */
export function layoutBlocks(blocks: Block[], linesPerPage = 6): TextLineItem[][] {
  const settings = {
    page: { size: [400, 400], orientation: 'portrait', margins: { top: 40, bottom: 40, left: 40, right: 40 } },
    body: { font: 'mincho', size: 10, charsPerLine: 10, linesPerPage },
  } as unknown as ResolvedTemplate;
  const doc: DocumentTree = { settings, metadata: { lang: 'ja-JP' }, furniture: { pageTexts: [] }, blocks, warnings: [] };
  return layoutDocument(doc, { mincho: face }).pages.map((p) => p.items.filter((i): i is TextLineItem => i.kind === 'text'));
}
