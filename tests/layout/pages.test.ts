/**
 * Page breaking in the body: a paragraph never leaves a single line at the top of a page (widow) or
 * starts on the last line of a page with the rest overleaf (orphan).
 */
import { describe, expect, it } from 'vitest';
import type { TextLineItem } from '../../src/layout/layout.js';
import {
  KEEP_FREE,
  KEEP_RUNNING_TEXT,
  KEEP_TOGETHER,
  KEEP_WITH_PREVIOUS,
  type Block,
  type ParagraphBlock,
} from '../../src/model/document.js';
import { fillerText as paragraph, layoutBlocks, style } from './helpers.js';

/** A closing item: a line aligned to the end, in a group that keeps together. */
const item = (text: string, spaceBefore: number): Block => ({
  kind: 'group',
  role: 'after',
  spaceBefore,
  keep: KEEP_TOGETHER,
  blocks: [
    {
      kind: 'paragraph',
      role: 'after',
      style: { ...style, align: 'end', openingBracketIndent: 'none' },
      spaceBefore: 0,
      onGrid: false,
      keep: KEEP_FREE,
      inlines: [{ kind: 'text', text, source: { origin: 'content', path: ['closing'] } }],
    },
  ],
});

function layout(paragraphLines: number[], linesPerPage = 6, after: Block[] = []): TextLineItem[][] {
  const body = paragraphLines.map(
    (n, k): ParagraphBlock => ({
      kind: 'paragraph',
      role: 'body',
      style: { ...style, measure: 10, lineSlots: 1 },
      spaceBefore: 0,
      onGrid: true,
      keep: KEEP_RUNNING_TEXT,
      inlines: [{ kind: 'text', text: paragraph(n), source: { origin: 'content', path: ['body'], paragraph: k } }],
    }),
  );
  const blocks: Block[] = [...body];
  if (after.length > 0) blocks.push({ kind: 'group', role: 'after', blocks: after, spaceBefore: 0, keep: KEEP_WITH_PREVIOUS });
  return layoutBlocks(blocks, linesPerPage);
}

describe('page breaks in the body', () => {
  it('sets lines on the grid until the page is full', () => {
    const pages = layout([3, 3]);
    expect(pages.map((p) => p.length)).toEqual([6]);
  });

  it('carries the line before a widow to the next page', () => {
    // 2 + 5 lines on 6-line pages: the second paragraph's last line would open page 2 alone.
    const pages = layout([2, 5]);
    expect(pages.map((p) => p.length)).toEqual([5, 2]);
    expect(pages[1][0].isLastOfParagraph).toBe(false);
    expect(pages[1][1].isLastOfParagraph).toBe(true);
    // The carried line sits on the first line of the grid.
    expect(pages[1][0].baseline).toBeLessThan(pages[1][1].baseline);
  });

  it('does not leave a paragraph’s first line alone at the foot of a page', () => {
    // 5 lines, then a 3-line paragraph: its first line would be the 6th line of page 1.
    const pages = layout([5, 3]);
    expect(pages.map((p) => p.length)).toEqual([5, 3]);
    expect(pages[1][0].text.startsWith('一二三')).toBe(true);
  });

  it('moves a three-line paragraph whole rather than leave a widow or an orphan', () => {
    // A 3-line paragraph starting on line 5: one line carried would leave one behind, so all three go.
    const pages = layout([4, 3]);
    expect(pages.map((p) => p.length)).toEqual([4, 3]);
    expect(pages[1].map((l) => l.isLastOfParagraph)).toEqual([false, false, true]);
  });
});

describe('the closing and signature', () => {
  const closing = (spaceBefore: number): Block[] => [item('敬具', spaceBefore), item('代表取締役　見本太郎', 0)];
  it('stay together and take the body’s last lines with them to the next page — two, so that no widow stands over them', () => {
    // 5 body lines on a 6-line page; closing + signature need 2 lines: they go to page 2, with two body lines.
    const pages = layout([5], 6, closing(0));
    expect(pages.map((p) => p.map((l) => l.role))).toEqual([
      ['body', 'body', 'body'],
      ['body', 'body', 'after', 'after'],
    ]);
  });
  it('take a three-line paragraph whole, when two lines would not stay behind', () => {
    const pages = layout([2, 3], 5, closing(0));
    expect(pages.map((p) => p.map((l) => l.role))).toEqual([
      ['body', 'body'],
      ['body', 'body', 'body', 'after', 'after'],
    ]);
  });
  it('stay on the page when they fit', () => {
    const pages = layout([4], 6, closing(0));
    expect(pages.map((p) => p.length)).toEqual([6]);
  });
});
