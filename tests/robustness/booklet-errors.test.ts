/**
 * A booklet that cannot be built is one located error — the file, the line and the field — and the
 * previous PDF stays: a section whose file is missing, a section file that is itself a booklet, an image
 * that is missing, damaged or neither PNG nor JPEG, a section with nothing in it, a file outside the root.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildDocument } from '../../src/build.js';
import type { KumihanError } from '../../src/errors.js';
import { writePhoto } from '../support/photos.js';
import { ROOT, expectReadable, kumihanErrorOf, tempDir, writeFile } from './helpers.js';

const LETTER = fs.readFileSync(path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml'), 'utf8');

/** A project with a booklet whose sections are `sections` (YAML lines, indented under `sections:`). */
function project(sections: string): { dir: string; source: string } {
  const dir = tempDir('kumihan-booklet-errors-');
  writeFile(dir, 'content/letter.yaml', LETTER);
  writePhoto(path.join(dir, 'content/good.png'), 400, 300);
  const source = `template: booklet\ntitle: 記念誌\nsections:\n${sections}\n`;
  writeFile(dir, 'content/b.yaml', source);
  return { dir, source };
}

/** The error building the project's booklet (content/b.yaml) throws. */
const buildError = (dir: string) => kumihanErrorOf(() => buildDocument('content/b.yaml', { workingDirectory: dir, root: dir }));

/** Each problem of an error, the first and its others, as `line: field path`. */
const linesAndPaths = (err: KumihanError) => [err, ...err.others].map((e) => `${e.location.line}: ${e.location.path}`);

/** The error building a booklet written as `lines` in a project (after `setup`, which may add files to it). */
async function bookletError(lines: readonly string[], setup?: (dir: string) => void): Promise<KumihanError> {
  const { dir } = project('  - file: letter.yaml');
  setup?.(dir);
  writeFile(dir, 'content/b.yaml', [...lines, ''].join('\n'));
  return buildError(dir);
}

async function errorOf(sections: string, fieldLine: string) {
  const { dir, source } = project(sections);
  const err = await buildError(dir);
  expectReadable(err, 'content/b.yaml');
  const lines = source.split('\n');
  expect(err.location.file).toBe('content/b.yaml');
  expect(lines[err.location.line! - 1], err.message).toContain(fieldLine);
  return err;
}

describe('booklet errors are located', () => {
  test('a section file that does not exist', async () => {
    const err = await errorOf('  - file: letter.yaml\n  - file: nowhere.yaml', 'nowhere.yaml');
    expect(err.message).toMatch(/section file content\/nowhere\.yaml not found/);
    expect(err.location.path).toBe('sections[1].file');
  });

  test('a section file that is itself a booklet', async () => {
    const { dir } = project('  - file: letter.yaml');
    writeFile(dir, 'content/inner.yaml', 'title: 中\nsections:\n  - title: x\n    body: y\n');
    writeFile(dir, 'content/b.yaml', 'template: booklet\ntitle: 記念誌\nsections:\n  - file: inner.yaml\n');
    const err = await buildError(dir);
    expect(err.message).toMatch(/inner\.yaml is itself a booklet/);
    expect(err.location).toMatchObject({ file: 'content/b.yaml', line: 4 });
  });

  test('a booklet that names itself as a section', async () => {
    const { dir } = project('  - file: b.yaml');
    const err = await buildError(dir);
    expect(err.message).toMatch(/is itself a booklet/);
  });

  test('a section with no content', async () => {
    const err = await errorOf('  - file: letter.yaml\n  - title: 空の節', 'title: 空の節');
    expect(err.message).toMatch(/this section has no content/);
  });

  test('a section with a file and a body', async () => {
    const err = await errorOf('  - file: letter.yaml\n    body: 本文', 'body: 本文');
    expect(err.message).toMatch(/takes its text from that file/);
  });

  test('malformed markup in a folded caption is reported at its character', async () => {
    const err = await errorOf(
      '  - title: 写真\n    photos:\n      - file: good.png\n        caption: >-\n          式典の様子\n          （会《かい場）',
      '（会《かい場）',
    );
    expect(err.location).toMatchObject({ line: 9, column: 13, path: 'sections[0].photos[0].caption' });
  });

  test('a chronology date wider than half the line, at the date', async () => {
    const long = '令和元年五月一日から令和二年三月三十一日まで';
    const err = await errorOf(
      `  - title: 年表\n    chronology:\n      - { date: 1992, text: 開設 }\n      - { date: ${long}, text: 事業 }`,
      long,
    );
    expect(err.message).toMatch(/is 22 characters wide: its column may take \d+ of the line's \d+; shorten it/);
    expect(err.location).toMatchObject({ path: 'sections[0].chronology[1].date', line: 7 });
  });

  test('a comma left unquoted in a { … } row: the unknown "field" is named as the rest of a value, with the fix', async () => {
    const err = await errorOf(`  - title: 年表\n    chronology:\n      - { date: 1975, text: ABC Co., Ltd.を設立 }`, 'Ltd.を設立');
    expect(err.message).toMatch(/^unknown field "Ltd\.を設立".*put that value in quotes: in \{ … \} or \[ … \] a comma ends a value/);
    // A misspelt field name gets no such hint.
    const misspelt = await errorOf(`  - title: 年表\n    chronology:\n      - { date: 1975, txt: 設立 }`, 'txt');
    expect(misspelt.message).not.toMatch(/in quotes/);
  });

  test('a section file that is a mail merge', async () => {
    const { dir } = project('  - file: letter.yaml\n  - file: merge.yaml');
    writeFile(dir, 'content/merge.yaml', 'title: "{{name}}様へ"\nbody: 本文です。\nrecipients: [{name: 田中}]\n');
    const err = await buildError(dir);
    expect(err.message).toMatch(/section file content\/merge\.yaml is a mail merge \(it has recipients:\)/);
    expect(err.location).toMatchObject({ file: 'content/b.yaml', line: 5, path: 'sections[1].file' });
  });

  test('a photo that does not exist', async () => {
    const err = await errorOf('  - title: 写真\n    photos:\n      - { file: missing.jpg, caption: x }', 'missing.jpg');
    expect(err.kind).toBe('image');
    expect(err.message).toMatch(/missing\.jpg not found/);
  });

  test('a photo that is neither PNG nor JPEG', async () => {
    const { dir } = project('  - title: 写真\n    photos:\n      - { file: pic.gif }');
    writeFile(dir, 'content/pic.gif', 'GIF89a');
    const err = await buildError(dir);
    expect(err.message).toMatch(/pic\.gif must be a PNG or JPEG/);
    expect(err.location).toMatchObject({ file: 'content/b.yaml', line: 6 });
  });

  test('a damaged PNG and a text file named .jpg', async () => {
    for (const [name, bytes] of [
      ['bad.png', fs.readFileSync(writePhoto(path.join(tempDir(), 'x.png'), 300, 200)).subarray(0, 200)],
      ['text.jpg', Buffer.from('not a picture')],
    ] as const) {
      const { dir } = project(`  - title: 写真\n    photos:\n      - { file: ${name} }`);
      writeFile(dir, `content/${name}`, bytes);
      const err = await buildError(dir);
      expect(err.kind).toBe('image');
      expect(err.message).toContain(name);
      expect(err.location).toMatchObject({ file: 'content/b.yaml', line: 6, path: 'sections[0].photos[0].file' });
    }
  });

  test('a section file outside the project root is not read', async () => {
    const outside = tempDir('kumihan-outside-');
    writeFile(outside, 'letter.yaml', LETTER);
    const { dir } = project(`  - file: ${path.join(outside, 'letter.yaml')}`);
    const err = await buildError(dir);
    expect(err.message).toMatch(/outside the project root/);
    expect(err.location).toMatchObject({ file: 'content/b.yaml', line: 4 });
  });

  test('a character the font lacks in a section body is located in the booklet; in a letter section, in the letter', async () => {
    const bad = await errorOf('  - title: あとがき\n    body: |\n      一つ目。\n\n      二つ目😀です。', '二つ目😀です。');
    expect(bad.kind).toBe('missing-glyph');
    const { dir } = project('  - file: letter.yaml');
    writeFile(dir, 'content/letter.yaml', LETTER.replace('お祝い申し上げます。', 'お祝い😀申し上げます。'));
    const err = await buildError(dir);
    expect(err.location.file).toBe('content/letter.yaml');
    expect(err.location.sourceLine).toContain('😀');
  });

  test.each([
    [
      'after another body',
      '  - title: 一\n    body: |\n      正しい本文です。\n\n      二つ目も正しい。\n  - title: 二\n    body: |\n      一行目は正しい。\n\n      二行目に｜閉じないルビ《るび がある。',
    ],
    [
      'in the first paragraph, after a letter and a body',
      '  - file: letter.yaml\n  - title: 一\n    body: 正しい本文です。\n  - title: 二\n    body: |\n      二行目に｜閉じないルビ《るび がある。\n      続きの行。',
    ],
  ])('malformed markup in a later section’s body is reported at its character (%s)', async (_, sections) => {
    const err = await errorOf(sections, '二行目に｜閉じないルビ《るび がある。');
    expect(err.message).toMatch(/this 《 has no 》/);
    const sectionCount = sections.split('\n').filter((l) => l.startsWith('  - ')).length;
    expect(err.location.path).toBe(`sections[${sectionCount - 1}].body`);
    const line = err.location.sourceLine!;
    expect(
      [...line]
        .slice(0, err.location.column! - 1)
        .join('')
        .trimStart(),
    ).toBe('二行目に｜閉じないルビ');
  });

  test('problems in several sections are all reported in one run, each at its line', async () => {
    const { dir, source } = project(
      '  - title: 一\n    photos: [{ file: nope.png }, { file: good.png }, { file: gone.jpg }]\n  - title: 二\n  - file: nowhere.yaml',
    );
    const err = await buildError(dir);
    const all = [err, ...err.others];
    expect(all.map((e) => e.location.path)).toEqual([
      'sections[0].photos[0].file',
      'sections[0].photos[2].file',
      'sections[1]',
      'sections[2].file',
    ]);
    const lines = source.split('\n');
    const written = ['nope.png', 'gone.jpg', '二', 'nowhere.yaml'];
    for (const [k, e] of all.entries()) expect(lines[e.location.line! - 1], e.message).toContain(written[k]);
  });

  test('a title written on several lines: a problem on its second line is located at its character', async () => {
    const source = [
      'template: booklet',
      'title: 記念誌',
      'sections:',
      '  - title: |-',
      '      第一章',
      '      百年の😀歩み',
      '    body: 本文です。',
    ];
    const glyph = await bookletError(source);
    expect(glyph.location).toMatchObject({ line: 6, column: 10, path: 'sections[0].title' });
    const markup = await bookletError(source.map((l) => l.replace('百年の😀歩み', '百年の歩み《')));
    expect(markup.location).toMatchObject({ line: 6, column: 12, path: 'sections[0].title' });
  });

  test('a field the schema refuses does not hide the markup problems of the others, bodies included', async () => {
    const err = await bookletError([
      'template: booklet',
      'title: 記念誌',
      'sections:',
      '  - title: 年表',
      '    chronology: [{ date: 1992, text: "" }]',
      '  - title: 本文',
      '    body: 本文《《です。',
      '  - title: 二',
      '    photos: [{ file: good.png, caption: 写真《しゃしん }]',
    ]);
    expect(linesAndPaths(err)).toEqual(['5: sections[0].chronology[0].text', '7: sections[1].body', '9: sections[2].photos[0].caption']);
  });

  test('malformed markup in every field is reported in one run, a running head’s too, in file order', async () => {
    const err = await bookletError([
      'template: booklet',
      'title: 記念誌',
      'runningHead: 柱《はしら》》と',
      'sections:',
      '  - title: 見出し｜ルビ',
      '    runningHead: 章《《柱',
      '    body: 本文《ほん',
      '  - title: 二',
      '    photos: [{ file: good.png, caption: 写真《しゃしん }]',
      '    chronology: [{ date: 2024, text: ｜本文《》 }]',
      '  - title: 三',
      '    body: 正しい本文です。',
    ]);
    expect(linesAndPaths(err)).toEqual([
      '3: runningHead',
      '5: sections[0].title',
      '6: sections[0].runningHead',
      '7: sections[0].body',
      '9: sections[1].photos[0].caption',
      '10: sections[1].chronology[0].text',
    ]);
  });

  test('markup problems are reported with a missing photo, a damaged cover and a bad date, in one run', async () => {
    const err = await bookletError(
      [
        'template: booklet',
        'title: 記念誌《きねんし',
        'date: 1872-05-01',
        'cover:',
        '  image: cover.png',
        'sections:',
        '  - title: 年表',
        '    chronology: [{ date: 1990, text: 本《ほん }]',
        '    photos: [{ file: nope.jpg, caption: 写真《しゃしん }]',
      ],
      (dir) => writeFile(dir, 'content/cover.png', 'not a PNG'),
    );
    expect(linesAndPaths(err)).toEqual([
      '2: title',
      '3: date',
      '5: cover.image',
      '8: sections[0].chronology[0].text',
      '9: sections[0].photos[0].file',
      '9: sections[0].photos[0].caption',
    ]);
  });

  test('a damaged cover image is reported with the sections’ problems', async () => {
    const { dir } = project('  - title: 一\n    photos: [{ file: nope.png }]');
    writeFile(dir, 'content/cover.png', 'not a PNG');
    fs.appendFileSync(path.join(dir, 'content/b.yaml'), 'cover:\n  image: cover.png\n');
    const err = await buildError(dir);
    expect([err, ...err.others].map((e) => e.location.path)).toEqual(['sections[0].photos[0].file', 'cover.image']);
  });

  test('a title of nothing but spaces is an error at it (an empty section title still means an untitled section)', async () => {
    const blank = await errorOf('  - title: "　"\n    body: 本文です。', 'title: "　"');
    expect(blank.location.path).toBe('sections[0].title');
    expect(blank.message).toMatch(/only spaces/);
    const { dir } = project('  - title: 節\n    body: 本文です。');
    writeFile(dir, 'content/b.yaml', 'template: booklet\ntitle: " 　"\nsections:\n  - title: 節\n    body: 本文です。\n');
    const err = await buildError(dir);
    expect(err.location).toMatchObject({ line: 2, path: 'title' });
    expect(err.message).toMatch(/has only spaces: write the booklet title/);
    const untitled = project('  - title: ""\n    body: 本文です。');
    await buildDocument('content/b.yaml', { workingDirectory: untitled.dir, root: untitled.dir });
  });

  test('a booklet with a template that has no booklet part', async () => {
    const { dir } = project('  - file: letter.yaml');
    writeFile(dir, 'content/b.yaml', 'template: letter\ntitle: 記念誌\nsections:\n  - file: letter.yaml\n');
    const err = await buildError(dir);
    expect(err.message).toMatch(/template "letter" has no booklet: section/);
    expect(err.location).toMatchObject({ file: 'content/b.yaml', line: 1 });
  });

  test('a misspelt section field and a wrong startOn are schema errors at their lines', async () => {
    const misspelt = await errorOf('  - titel: 節\n    body: 本文', 'titel: 節');
    expect(misspelt.message).toMatch(/unknown field "titel" — did you mean title\?/);
    const startOn = await errorOf('  - title: 節\n    body: 本文\n    startOn: top', 'startOn: top');
    expect(startOn.location.path).toBe('sections[0].startOn');
    expect(startOn.message).toMatch(/"odd", "right", "left", "any"/);
  });

  test('the command exits 1 and keeps the previous PDF', () => {
    const { dir } = project('  - file: letter.yaml');
    const bin = path.join(ROOT, 'bin/kumihan.cjs');
    const first = spawnSync(process.execPath, [bin, 'build', 'content/b.yaml'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(first.status, first.stderr).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'output/b.pdf'));
    writeFile(dir, 'content/b.yaml', 'template: booklet\ntitle: 記念誌\nsections:\n  - file: gone.yaml\n');
    const second = spawnSync(process.execPath, [bin, 'build', 'content/b.yaml'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(second.status).toBe(1);
    expect(second.stdout + second.stderr).toMatch(/content\/b\.yaml:4:\d+: .*gone\.yaml not found/);
    expect(fs.readFileSync(path.join(dir, 'output/b.pdf')).equals(pdf)).toBe(true);
  });
});
