/**
 * A booklet as the model sees it: which files it uses, how its chronology dates are printed, where its text
 * comes from (each run points back at the file and field it was written in), and the blocks it becomes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { dependenciesOf } from '../../src/batch/watch.js';
import { chronologyDate, joinTitleLines } from '../../src/model/booklet-load.js';
import { bookletDocument } from '../../src/model/booklet.js';
import { paragraphsOf } from '../../src/model/document.js';
import { loadDocument } from '../../src/model/load.js';
import { writeBooklet } from '../support/booklets.js';

describe('a title written on several lines, joined into one (contents, running heads, bookmarks)', () => {
  test.each([
    [['日本・カザフスタン', '外交関係樹立記念誌'], '日本・カザフスタン外交関係樹立記念誌'],
    [['Kazakhstan', 'and Japan'], 'Kazakhstan and Japan'],
    // A chapter label keeps a full-width space after it, as a contents line sets it.
    [['第一章', '百年の歩み'], '第一章　百年の歩み'],
    [['第３部', '未来へ'], '第３部　未来へ'],
    [['第12章', '草原の国で'], '第12章　草原の国で'],
    [['序章', 'はじめに'], '序章　はじめに'],
    [['第一章の', '思い出'], '第一章の思い出'],
  ])('%j → %s', (lines, joined) => {
    expect(joinTitleLines(lines)).toBe(joined);
  });
});

describe('chronology dates', () => {
  test.each([
    ['1992-01-26', 'wareki', '平成４年１月２６日'],
    ['1993-01', 'wareki', '平成５年１月'],
    ['1989-01-07', 'wareki', '昭和６４年１月７日'],
    ['2019-05-01', 'western', '２０１９年５月１日'],
    ['1997', 'wareki', '平成９年'],
    ['1997', undefined, '平成９年'],
    ['1989', 'wareki', '平成元年'],
    ['2019', 'wareki', '令和元年'],
    ['1926', 'wareki', '大正１５年'],
    // A year of the lunisolar calendar's time is still its 明治 year (the era counts from 慶応４年１月１日).
    ['1868', 'wareki', '明治元年'],
    ['1872', 'wareki', '明治５年'],
    ['1997', 'western', '１９９７年'],
    ['1997', 'literal', '1997'],
    ['平成の初め', undefined, '平成の初め'],
    ['平成初期', 'wareki', '平成初期'],
    ['1990年代', 'wareki', '1990年代'],
    ['江戸時代', 'western', '江戸時代'],
  ] as const)('%s (%s) → %s', (date, style, printed) => {
    expect(chronologyDate(date, style, 'fullwidth', {})).toBe(printed);
  });
  test('a date in another form says which forms a chronology takes, and a number YAML read says so', () => {
    for (const date of ['1992/01/26', '2024-10-01T10:00', '2024-10-01 10:00', '20241001']) {
      expect(() => chronologyDate(date, 'wareki', 'fullwidth', {}), date).toThrow(
        new RegExp(
          `"${date}" is not a date of the forms a chronology takes: a year \\(YYYY\\), a month \\(YYYY-MM\\) or a day \\(YYYY-MM-DD\\)`,
        ),
      );
    }
    // YAML reads 0645 as the number 645: the message says what was read, and how to write it.
    expect(() => chronologyDate(645, 'wareki', 'fullwidth', {})).toThrow(
      /YAML read this date as the number 645, which is not a date of the forms a chronology takes \(write it in quotes/,
    );
  });
  test('a date that cannot be printed is an error where it is written', () => {
    expect(() => chronologyDate('1867', 'wareki', 'fullwidth', {})).toThrow(/^1867 is before the 明治 era \(1868\)/);
    // A day or month before 1873: written as the record gives it, the row's date is printed as written (the
    // booklet-wide dateStyle: literal would change every other row too).
    expect(() => chronologyDate('1870-05', 'wareki', 'fullwidth', {})).toThrow(
      /^1870-05 is before 1873-01-01.*old calendar as this row’s date, which a chronology prints as written \(for example 明治五年十一月九日\)/,
    );
    for (const date of ['1992-13-01', '1992/01/26', '1992.01.26', '1850', '2024-10-01T10:00'])
      for (const style of ['wareki', undefined] as const)
        expect(() => chronologyDate(date, style, 'fullwidth', { file: 'b.yaml', line: 7 }), `${date} ${style}`).toThrow(
          expect.objectContaining({ location: { file: 'b.yaml', line: 7 } }),
        );
  });
});

describe('a booklet with a letter, a text, a chronology and photos', () => {
  // Made once for the tests below (a directory of its own: tempDir's is removed after each test).
  const made = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-booklet-model-'));
  afterAll(() => fs.rmSync(made, { recursive: true, force: true }));
  const { dir, content } = writeBooklet(
    {
      title: '模型の冊子',
      seed: 3,
      sections: [
        { kind: 'letter' },
        { kind: 'text', title: '寄稿', paragraphs: 2, startOn: 'any' },
        { kind: 'chronology', title: '年表', rows: 3 },
        { kind: 'photos', title: '写真', photos: [{ width: 400, height: 300, format: 'png' }] },
      ],
      cover: { width: 300, height: 420 },
    },
    made,
  );
  const doc = loadDocument(content, { workingDirectory: dir, root: dir });
  const tree = bookletDocument(doc);

  test('lists every file it uses, and watch mode rebuilds on each', () => {
    const files = doc.booklet!.files.map((f) => path.relative(dir, f));
    expect(files).toEqual(expect.arrayContaining(['content/letter.yaml', 'content/assets/photo-1.png', 'content/assets/cover.jpg']));
    const deps = dependenciesOf(path.join(dir, content), undefined, [], { root: dir });
    for (const file of doc.booklet!.files) expect(deps).toContain(path.resolve(file));
  });

  test('starts each section with a section start: the cover without furniture, the rest with their titles', () => {
    const starts = tree.blocks.filter((b) => b.kind === 'sectionStart');
    // The template names no startOn: sections start on an odd page (改丁), in the template's writing mode.
    expect(starts.map((s) => [s.anchor, s.startOn, s.title, s.furniture, s.writingMode])).toEqual([
      ['cover', 'any', undefined, false, undefined],
      ['contents', 'odd', '目次', true, undefined],
      ['section-0', 'odd', '「日・カザフスタン外交関係樹立２５周年」', true, 'horizontal-tb'],
      ['section-1', 'any', '寄稿', true, 'horizontal-tb'],
      ['section-2', 'odd', '年表', true, 'horizontal-tb'],
      ['section-3', 'odd', '写真', true, 'horizontal-tb'],
    ]);
  });

  test('points every run of a section body at its file: the letter’s units through the booklet’s numbering', () => {
    const body = paragraphsOf(tree.blocks).filter((p) => p.role === 'body');
    const letterRun = body.flatMap((p) => p.inlines).find((r) => r.kind === 'text' && r.source.path[2] === 'body')!;
    expect(letterRun.kind === 'text' && letterRun.source.path.slice(0, 3)).toEqual(['sections', 0, 'body']);
    const at = letterRun.kind === 'text' ? doc.locateBodyOffset(letterRun.source.paragraph!, 0) : undefined;
    expect(at?.file).toBe('content/letter.yaml');
    // The text section's units come after the letter's, and are located in the booklet.
    const own = body.flatMap((p) => p.inlines).find((r) => r.kind === 'text' && r.source.path[1] === 1)!;
    expect(own.kind === 'text' && doc.locateBodyOffset(own.source.paragraph!, 0).file).toBe('content/booklet.yaml');
  });

  test('makes contents lines that refer to and link to each section', () => {
    const entries = paragraphsOf(tree.blocks).filter((p) => p.trailer);
    expect(entries.map((e) => e.link)).toEqual(['section-0', 'section-1', 'section-2', 'section-3']);
    expect(entries.map((e) => e.trailer!.inlines[0])).toEqual(
      entries.map((e) => expect.objectContaining({ kind: 'pageNumber', target: e.link })),
    );
  });

  test('sets the cover photo behind the first page and running heads on both sides', () => {
    expect(tree.furniture.backgrounds?.map((b) => [b.page, path.basename(b.file)])).toEqual([[0, 'cover.jpg']]);
    expect(tree.furniture.runningTexts?.map((r) => [r.side, r.format])).toEqual([
      ['left', '模型の冊子'],
      ['right', '{section}'],
      ['both', '{page}'],
    ]);
  });
});
