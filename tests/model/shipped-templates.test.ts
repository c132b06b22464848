import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { advanceWidthOf, glyphIdForCodePoint, loadFont } from '../../src/font/fonts.js';
import { loadTemplateOnly } from '../../src/model/load.js';
import { PAGE_SIZES, ptToMm } from '../../src/units.js';

describe('templates/letter.yaml', () => {
  const { template: t, templateFiles } = loadTemplateOnly('letter');

  test('a plain A4 letter', () => {
    expect(templateFiles.map((f) => path.basename(f))).toEqual(['letter.yaml']);
    expect(t.page.size).toEqual([...PAGE_SIZES.A4]);
    for (const side of Object.values(t.page.margins)) {
      expect(ptToMm(side)).toBeGreaterThanOrEqual(25);
      expect(ptToMm(side)).toBeLessThanOrEqual(30.01);
    }
    expect(t.body).toMatchObject({ font: 'mincho', size: 10.5, charsPerLine: 40 });
    expect(t.body.linesPerPage).toBeGreaterThanOrEqual(36);
    expect(t.body.linesPerPage).toBeLessThanOrEqual(40);
    expect(path.basename(t.fonts.mincho.file)).toBe('BIZUDMincho-Regular.ttf');
    expect(path.basename(t.fonts.mincho.latin!)).toBe('BIZUDPMincho-Regular.ttf');
  });

  test('header, closing and page numbers', () => {
    expect(t.header.slice(0, 4).map((h) => [h.field, h.align])).toEqual([
      ['date', 'end'],
      ['recipient', 'start'],
      ['sender', 'end'],
      ['title', 'center'],
    ]);
    const title = t.header.find((h) => h.field === 'title')!;
    expect(path.basename(t.fonts[title.font].file)).toBe('BIZUDGothic-Bold.ttf');
    expect(title.size).toBeGreaterThan(t.body.size);
    expect(t.after[0]).toMatchObject({ field: 'closing', align: 'end' });
    expect(t.footer?.pageNumbers).toBe('- {page} -');
  });
});

describe('templates/embassy-message.yaml', () => {
  test('extends letter: same page and body, its own header, no closing', () => {
    const { template: t, templateFiles } = loadTemplateOnly('embassy-message');
    const letter = loadTemplateOnly('letter').template;
    expect(templateFiles.map((f) => path.basename(f))).toEqual(['embassy-message.yaml', 'letter.yaml']);
    expect(t.page).toEqual(letter.page);
    expect(t.body).toEqual(letter.body);
    expect(t.header.map((h) => h.field)).toEqual(['date', 'sender', 'title', 'subtitle']);
    expect(t.header[2].spaceBefore).toBe(1); // the blank line between sender and title
    expect(t.after).toEqual([]);
    expect(t.footer).toEqual(letter.footer);
  });
});

describe('every face of every shipped template', () => {
  // A title, heading, running head or folio with Latin letters or digits in it is set in the face's Latin
  // font: a fixed-pitch one (BIZ UD Gothic's half-width Latin) spaces "Smart Mix" like a typewriter.
  test.each(['letter', 'embassy-message', 'letter-vertical', 'booklet', 'booklet-vertical'])('%s sets Latin proportionally', (name) => {
    const { template: t } = loadTemplateOnly(name);
    for (const [faceName, face] of Object.entries(t.fonts)) {
      // The vertical letter's body face rotates the main font's own Latin in its columns (its template says why).
      if (name === 'letter-vertical' && faceName === t.body.font) continue;
      expect(face.latin, faceName).toBeDefined();
      const font = loadFont(face.latin!);
      const width = (ch: string) => advanceWidthOf(font, glyphIdForCodePoint(font, ch.codePointAt(0)!));
      expect(width('i'), faceName).toBeLessThan(width('M') * 0.6);
    }
  });
});
