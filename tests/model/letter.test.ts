/**
 * A letter as a document tree (src/model/letter.ts): the template's header items, the body paragraphs
 * and the closing items become blocks with the keep rules of a letter; the letterhead and page numbers
 * become furniture.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP_RUNNING_TEXT, KEEP_TOGETHER, KEEP_WITH_PREVIOUS, paragraphsOf, type Block } from '../../src/model/document.js';
import { letterDocument } from '../../src/model/letter.js';
import { loadDocument } from '../../src/model/load.js';
import { ROOT } from '../text/helpers.js';

const doc = loadDocument(path.join(ROOT, 'content/sample-company-letter.yaml'), { workingDirectory: ROOT });
const tree = letterDocument(doc);
const textOf = (block: Block) => paragraphsOf([block]).map((p) => p.inlines.map((r) => (r.kind === 'text' ? r.text : '')).join(''));

describe('the sample company letter as a document tree', () => {
  it('has the header items in the template’s order, each a group that keeps together', () => {
    const header = tree.blocks.filter((b) => b.role === 'header');
    expect(header.map(textOf)).toEqual([[doc.dateText], ['株式会社サンプル商事', '営業部　山田太郎様'], ['株式会社組版工房'], ['新製品発表会のご案内']]);
    for (const group of header) expect(group.keep).toEqual(KEEP_TOGETHER);
    // The recipient's second line points back at its place in the content file.
    const recipient = paragraphsOf([header[1]!])[1]!;
    expect(recipient.inlines[0]!.source).toEqual({ origin: 'content', path: ['recipient', 1] });
  });

  it('sets every body paragraph on the grid as running text, the first set apart from the header', () => {
    const body = tree.blocks.filter((b) => b.role === 'body');
    expect(body.length).toBe(doc.paragraphs.length);
    body.forEach((b, k) => {
      expect(b.kind).toBe('paragraph');
      if (b.kind !== 'paragraph') return;
      expect(b.keep).toEqual(KEEP_RUNNING_TEXT);
      expect(b.onGrid).toBe(true);
      expect(b.style.measure).toBe(doc.template.body.charsPerLine);
      expect(b.style.firstLineIndent).toBe(doc.template.body.indent);
      expect(b.spaceBefore).toBe(k === 0 ? doc.template.body.spaceBefore : doc.template.body.paragraphSpacing);
      expect(b.inlines).toEqual([{ kind: 'text', text: doc.paragraphs[k], source: { origin: 'content', path: ['body'], paragraph: k } }]);
    });
  });

  it('ends with the closing and signature, kept together and with the body’s last line', () => {
    const last = tree.blocks[tree.blocks.length - 1]!;
    expect(last.role).toBe('after');
    expect(last.keep).toEqual(KEEP_WITH_PREVIOUS);
    expect(textOf(last)).toEqual(['敬具', '株式会社組版工房', '代表取締役　佐藤花子']);
  });

  it('draws the letterhead and the page numbers as furniture, with the template as their source', () => {
    const lh = tree.furniture.letterhead!;
    expect(lh.name?.inlines[0]).toMatchObject({ text: '株式会社組版工房', source: { origin: 'template', path: ['letterhead', 'name'] } });
    expect(lh.address.length).toBe(2);
    expect(lh.logo?.height).toBeGreaterThan(0);
    expect(tree.furniture.folio).toMatchObject({ format: '- {page} -', source: { origin: 'template' } });
  });

  it('carries the settings as the one resolved template and the document information', () => {
    expect(tree.settings).toBe(doc.template);
    expect(tree.metadata).toEqual({ title: '新製品発表会のご案内', author: '株式会社組版工房', subject: '新製品発表会のご案内', keywords: '組版, 発表会', lang: 'ja-JP' });
  });
});
