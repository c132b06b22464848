/**
 * The embassy message in content/ must reproduce the seed text character for character: only the
 * extraction artefacts (blank lines, hard wraps at 40 characters, the page break after 「日本」,
 * trailing spaces) may differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { loadDocument } from '../../src/model/load.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const contentPath = path.join(projectRoot, 'content/embassy-2017-kazakhstan.yaml');
// A copy of the extracted source text the content file was made from (seed 000_cde152a9dcdc54d0).
const seedPath = path.join(projectRoot, 'tests/model/fixtures/seed-embassy-2017-kazakhstan.txt');

const withoutWhitespace = (text: string) => text.replace(/\s+/g, '');

describe('content/embassy-2017-kazakhstan.yaml', () => {
  const doc = loadDocument(contentPath);

  test('header fields', () => {
    expect(doc.content.template).toBe('embassy-message');
    expect(doc.content.date).toBe('2017-01');
    expect(doc.dateStyle).toBe('wareki');
    expect(doc.dateText).toBe('平成２９年１月');
    expect(doc.content.sender).toBe('在カザフスタン大使館');
    expect(doc.content.title).toBe('「日・カザフスタン外交関係樹立２５周年」');
    expect(doc.content.subtitle).toBe('川端大使メッセージ');
  });

  test('11 paragraphs', () => {
    expect(doc.paragraphs).toHaveLength(11);
    expect(doc.paragraphs[0].startsWith('日本政府を代表し，')).toBe(true);
    expect(doc.paragraphs[10].endsWith('発展させようではありませんか。')).toBe(true);
    // Every paragraph ends a sentence; none was cut at a hard wrap or the page break.
    for (const paragraph of doc.paragraphs) expect(paragraph.endsWith('。')).toBe(true);
    expect(doc.paragraphs.join('')).toContain('日本とカザフスタンの外交政策は');
  });

  test('"Smart Mix with Technology" has single spaces; no other Latin spacing was invented', () => {
    const all = doc.paragraphs.join('');
    const phrase = '「Smart Mix with Technology ～オールジャパンの経験と挑戦」'; // the space before ～ is in the seed
    expect(all).toContain(phrase);
    expect(all.replace(phrase, '')).not.toMatch(/\s/);
  });

  test('header and body reproduce the seed text exactly', () => {
    const seed = fs.readFileSync(seedPath, 'utf8');
    const printed = [doc.dateText, doc.content.sender, doc.content.title, doc.content.subtitle, ...doc.paragraphs].join('');
    expect(withoutWhitespace(printed)).toBe(withoutWhitespace(seed));
  });

  test('the template is the embassy layout on A4 with 40 characters a line', () => {
    const t = doc.template;
    expect(t.body.charsPerLine).toBe(40);
    expect(t.page.size[0]).toBeCloseTo(595.28, 1);
    expect(t.header.map((h) => [h.field, h.align])).toEqual([
      ['date', 'end'],
      ['sender', 'end'],
      ['title', 'center'],
      ['subtitle', 'center'],
    ]);
    expect(t.footer?.pageNumbers).toBe('- {page} -');
    expect(path.basename(t.fonts.mincho.latin ?? '')).toBe('BIZUDPMincho-Regular.ttf');
  });
});
