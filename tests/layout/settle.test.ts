/**
 * Lay out, then settle: page numbers that refer to where blocks fall (a contents page) are the folios
 * those blocks start on in the final layout.
 */
import { describe, expect, it } from 'vitest';
import type { TextLineItem } from '../../src/layout/layout.js';
import { KEEP_RUNNING_TEXT, type Block, type InlineRun, type ParagraphBlock } from '../../src/model/document.js';
import { fillerText, layoutBlocks, style as textStyle } from './helpers.js';

/** Body text: 10 em lines, one grid line each. */
const style = { ...textStyle, measure: 10, lineSlots: 1 };
const source = { origin: 'content' as const, path: ['body'] };

function paragraph(inlines: InlineRun[], anchor?: string): ParagraphBlock {
  return { kind: 'paragraph', role: 'body', style, inlines, spaceBefore: 0, onGrid: true, keep: KEEP_RUNNING_TEXT, anchor };
}
const text = (t: string): InlineRun => ({ kind: 'text', text: t, source });
const ref = (target: string): InlineRun => ({ kind: 'pageNumber', target, source });
/** A paragraph of `lines` full lines of 10 characters (the last one shorter). */
const filler = (lines: number) => text(fillerText(lines));

const layout = layoutBlocks;

/** The folio (1-based) of the page whose lines include one starting with `start`. */
const pageOf = (pages: TextLineItem[][], start: string) => 1 + pages.findIndex((p) => p.some((l) => l.text.startsWith(start)));

describe('page references', () => {
  it('give the folio where each anchored block starts', () => {
    const pages = layout([
      paragraph([text('甲は'), ref('a'), text('頁')]),
      paragraph([text('乙は'), ref('b'), text('頁')]),
      paragraph([filler(8)]),
      paragraph([text('甲の章です。')], 'a'),
      paragraph([filler(5)]),
      paragraph([text('乙の章です。')], 'b'),
    ]);
    const a = pageOf(pages, '甲の章');
    const b = pageOf(pages, '乙の章');
    expect(a).toBeGreaterThan(1);
    expect(b).toBeGreaterThan(a);
    expect(pages[0]![0]!.text).toBe(`甲は${a}頁`);
    expect(pages[0]![1]!.text).toBe(`乙は${b}頁`);
  });

  it('settle on folios of two digits, whatever the placeholder of the first pass', () => {
    const blocks: Block[] = [paragraph([text('一二三四五六七八九十一二三'), ref('z'), text('頁')])];
    for (let k = 0; k < 15; k++) blocks.push(paragraph([filler(4)]));
    blocks.push(paragraph([text('目標の段落です。')], 'z'));
    const pages = layout(blocks);
    const z = pageOf(pages, '目標の段落');
    expect(z).toBeGreaterThanOrEqual(10);
    const first = pages[0]!.slice(0, pages[0]!.findIndex((l) => l.isLastOfParagraph) + 1);
    expect(first.map((l) => l.text).join('')).toBe(`一二三四五六七八九十一二三${z}頁`);
  });

  it('point at a group by the page of its first line', () => {
    const group: Block = {
      kind: 'group',
      role: 'body',
      anchor: 'g',
      spaceBefore: 0,
      keep: KEEP_RUNNING_TEXT,
      blocks: [paragraph([text('群の最初です。')])],
    };
    const pages = layout([paragraph([ref('g')]), paragraph([filler(7)]), group]);
    expect(pages[0]![0]!.text).toBe(String(pageOf(pages, '群の最初')));
  });
});
