/**
 * A letter as a document tree (src/model/letter.ts): the template's header items, the body paragraphs
 * and the closing items become blocks with the keep rules of a letter; the letterhead and page numbers
 * become furniture.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  KEEP_RUNNING_TEXT,
  KEEP_TOGETHER,
  KEEP_WITH_PREVIOUS,
  paragraphsOf,
  type Block,
  type ParagraphBlock,
} from '../../src/model/document.js';
import { letterDocument } from '../../src/model/letter.js';
import { loadDocument } from '../../src/model/load.js';
import { ROOT } from '../text/helpers.js';

const doc = loadDocument(path.join(ROOT, 'content/sample-company-letter.yaml'), { workingDirectory: ROOT });
const tree = letterDocument(doc);
/** A letter has no section starts: every block is in the flow. */
const blocks = tree.blocks.filter((b) => b.kind !== 'sectionStart');
const textOf = (block: Block) => paragraphsOf([block]).map((p) => p.inlines.map((r) => (r.kind === 'text' ? r.text : '')).join(''));

describe('the sample company letter as a document tree', () => {
  it('has the header items in the template’s order, each a group that keeps together', () => {
    const header = blocks.filter((b) => b.role === 'header');
    expect(header.map(textOf)).toEqual([
      [doc.dateText],
      ['株式会社サンプル商事', '営業部　山田太郎様'],
      ['株式会社組版工房'],
      ['新製品発表会のご案内'],
    ]);
    for (const group of header) expect(group.keep).toEqual(KEEP_TOGETHER);
    // The recipient's second line points back at its place in the content file.
    const recipient = paragraphsOf([header[1]!])[1]!;
    expect(recipient.inlines[0]).toMatchObject({ source: { origin: 'content', path: ['recipient', 1] } });
  });

  it('sets the body on the grid as running text, the 頭語 at its head, the first paragraph set apart from the header', () => {
    const body = blocks.filter((b) => b.role === 'body');
    const first = body[0]!;
    expect(first.kind === 'paragraph' && first.inlines.slice(0, 2)).toEqual([
      { kind: 'text', text: '拝啓', source: { origin: 'content', path: ['opening'] } },
      { kind: 'text', text: '\u3000', source: { origin: 'content', path: ['opening'] } },
    ]);
    expect(first.spaceBefore).toBe(doc.template.body.spaceBefore);
    for (const p of paragraphsOf(body)) {
      expect(p.onGrid).toBe(true);
      expect(p.style.measure).toBe(doc.template.body.charsPerLine);
    }
    // The 頭語 stands at the head of the line: the paragraph it opens is not indented. Other plain paragraphs
    // indent their first line; list items and 記書き lines hang after their labels instead.
    expect(doc.template.body.indent).toBeGreaterThan(0);
    const plain = body.filter((b): b is ParagraphBlock => b.kind === 'paragraph');
    expect(plain[0]).toBe(first);
    expect([plain[0]!.style.firstLineIndent, plain[0]!.keep]).toEqual([0, KEEP_RUNNING_TEXT]);
    for (const p of plain.slice(1)) expect([p.style.firstLineIndent, p.keep]).toEqual([doc.template.body.indent, KEEP_RUNNING_TEXT]);
  });

  it('makes the numbered lines a list whose items hang after a shared marker column', () => {
    const list = blocks.find((b) => b.kind === 'group' && b.role === 'body' && paragraphsOf([b]).every((p) => p.labels));
    const items = paragraphsOf([list!]);
    expect(items.map((i) => i.labels!.map((l) => (l.inlines[0] as { text: string }).text))).toEqual([['１．'], ['２．'], ['３．']]);
    expect(new Set(items.map((i) => i.labels![0]!.column)).size).toBe(1);
    expect(items.every((i) => i.style.firstLineIndent === 0 && i.style.inset === doc.template.body.indent)).toBe(true);
  });

  it('sets the 結語 before the 記書き, which centres 記, aligns the labels and ends flush with 以上', () => {
    const closingAt = blocks.findIndex((b) => textOf(b).join() === '敬具');
    expect(blocks[closingAt]!.keep).toEqual(KEEP_WITH_PREVIOUS);
    const kigaki = blocks[closingAt + 1]!;
    const lines = paragraphsOf([kigaki]);
    expect(lines[0]!.style.align).toBe('center');
    expect(textOf(lines[0]!)).toEqual(['記']);
    expect(lines.at(-1)!.style.align).toBe('end');
    expect(textOf(lines.at(-1)!)).toEqual(['以上']);
    const items = lines.slice(1, -1);
    expect(items.map((i) => i.labels!.map((l) => (l.inlines[0] as { text: string }).text))).toEqual([
      ['１．', '日時：'],
      ['２．', '会場：'],
      ['３．', '連絡先：'],
    ]);
    // The first item's hard break: two runs with a break between them.
    expect(items[0]!.inlines.map((r) => r.kind)).toEqual(['text', 'break', 'text']);
    // 記 goes with the first item: never alone at the foot of a page.
    const first = kigaki.kind === 'group' ? kigaki.blocks[0] : undefined;
    expect(first?.kind !== 'sectionStart' && first?.keep).toEqual(KEEP_TOGETHER);
  });

  it('ends with the signature and the 追伸, kept together and with what comes before', () => {
    const last = blocks[blocks.length - 1]!;
    expect(last.role).toBe('after');
    expect(last.keep).toEqual(KEEP_WITH_PREVIOUS);
    expect(textOf(last)[0]).toBe('株式会社組版工房');
    expect(textOf(last).at(-1)).toMatch(/^追伸　/);
  });

  it('draws the letterhead, the page numbers and the continuation header as furniture', () => {
    const lh = tree.furniture.letterhead!;
    expect(lh.name?.inlines[0]).toMatchObject({ text: '株式会社組版工房', source: { origin: 'template', path: ['letterhead', 'name'] } });
    expect(lh.address.length).toBe(2);
    expect(lh.logo?.height).toBeGreaterThan(0);
    expect(tree.furniture.pageTexts).toMatchObject([
      { format: '- {page} -', edge: 'bottom', pages: 'ofSeveral', source: { origin: 'template' } },
      { format: '株式会社サンプル商事　営業部　山田太郎様　{page} / {pages}', edge: 'top', pages: 'following' },
    ]);
  });

  it('warns of nothing: every field of the sample is placed', () => {
    expect(tree.warnings).toEqual([]);
  });

  it('carries the settings as the one resolved template and the document information', () => {
    expect(tree.settings).toBe(doc.template);
    expect(tree.metadata).toEqual({
      title: '新製品発表会のご案内',
      author: '株式会社組版工房',
      subject: '新製品発表会のご案内',
      keywords: '組版, 発表会',
      lang: 'ja-JP',
    });
  });
});
