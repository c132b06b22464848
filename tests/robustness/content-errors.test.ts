/**
 * Bad content never crashes the build: malformed YAML, wrong types, unknown fields, an empty body,
 * characters the font does not have and control characters each give one KumihanError that says
 * what is wrong and where (file, line, column, the source line, the field).
 */
import { describe, expect, test } from 'vitest';
import { formatError } from '../../src/errors.js';
import { buildDocument } from '../../src/build.js';
import {
  buildSource,
  codePointLabel,
  CONTENT,
  expectLineLocation,
  expectPdf,
  expectReadable,
  kumihanErrorOf,
  tempDir,
  writeFile,
} from './helpers.js';

const failure = (source: string) => kumihanErrorOf(() => buildSource(source));

describe('malformed YAML', () => {
  const cases: { name: string; source: string; line: number; column?: number }[] = [
    { name: 'an unterminated double-quoted string', source: 'title: 表題\nbody: "本文\nsender: 差出人\n', line: 2, column: 7 },
    // Unclosed brackets: at the bracket, not where yaml gave up.
    { name: 'an unterminated flow sequence', source: 'recipient: [山田様, 佐藤様\nbody: 本文です。\n', line: 1, column: 12 },
    { name: 'a duplicate key', source: 'body: 本文\ntitle: 一\ntitle: 二\n', line: 3, column: 1 },
    { name: 'a nested mapping on one line', source: 'body: 本文\ntitle: 表題: 副題\n', line: 2 },
    { name: 'bad indentation after a block scalar', source: 'body: |\n    一行目\n  二行目\ntitle: x\n', line: 3 },
    { name: 'a tab used for indentation', source: 'pdf:\n\ttitle: x\nbody: 本文\n', line: 2 },
    { name: 'an unclosed flow mapping', source: 'body: 本文\npdf: {title: x\n', line: 2, column: 6 },
    { name: 'two documents', source: 'body: 一\n---\nbody: 二\n', line: 2 },
  ];

  test.each(cases)('$name: yaml-syntax error with file, line, column and the line', async ({ source, line, column }) => {
    const err = await failure(source);
    expect(err.kind).toBe('yaml-syntax');
    expect(err.message).toMatch(/^YAML syntax error: /);
    expectLineLocation(err, source);
    expect(err.location.line).toBe(line);
    if (column !== undefined) expect(err.location.column).toBe(column);
    const text = expectReadable(err, CONTENT);
    // file:line:column at the head, the source line under it, a caret under the column.
    expect(text.split('\n')[0]).toMatch(new RegExp(`^${CONTENT}:${line}:\\d+: YAML syntax error`));
    expect(text.split('\n')[1]).toBe(`${String(line).padStart(4)} | ${source.split('\n')[line - 1]}`);
    expect(text.split('\n')[2]).toMatch(/^ +\^$/);
  });

  test.each([
    ['with text after it', 'recipient:\n  - {{name}}様\nbody: 本文です。\n', 2, 5],
    ['alone (a mapping to YAML, no syntax error)', 'recipient:\n  - {{name}}\nbody: 本文です。\n', 2, 5],
    ['after a key', 'title: {{event}}のご案内\nbody: 本文です。\n', 1, 8],
    ['after a key and a tab', 'title:\t{{event}}のご案内\nbody: 本文です。\n', 1, 8],
    ['in a flow list', 'recipient: [株式会社見本, {{name}}様]\nbody: 本文です。\n', 1, 21],
  ])('a mail-merge placeholder starting a value without quotes (%s): says to quote it, at the {{', async (_, source, line, column) => {
    const err = await failure(source);
    expect(err.kind).toBe('yaml-syntax');
    expect(err.message).toMatch(/starts with \{\{.*quotes/);
    // The value as written, quoted: what to write instead.
    const value = /\{\{[^,\]\n]*/.exec(source.split('\n')[line - 1]!)![0];
    expect(err.message).toContain(`(${JSON.stringify(value)})`);
    expect(err.location).toMatchObject({ file: CONTENT, line, column });
    expectReadable(err, CONTENT);
  });

  test('a quoted placeholder, or one inside a value, is text', async () => {
    for (const source of [
      'recipient:\n  - "{{name}}様"\nbody: 本文です。\n',
      'recipient:\n  - 株式会社{{name}}様\nbody: |\n  {{name}}は本文です。\n',
    ])
      expect(String(await buildSource(source).catch((e: Error) => e.message))).not.toMatch(/starts with \{\{/);
  });

  test('an alias to an anchor that does not exist: yaml-syntax error at the alias', async () => {
    const source = 'title: 表題\nbody: *honbun\n';
    const err = await failure(source);
    expect(err.kind).toBe('yaml-syntax');
    expect(err.message).toContain('honbun');
    expect(err.location).toMatchObject({ file: CONTENT, line: 2 });
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('an alias bomb ("billion laughs"): a located error, not a crash or a hang', async () => {
    const lol = (name: string, of: string) => `${name}: &${name} [${Array(9).fill(of).join(', ')}]`;
    const source = [
      lol('a', '"lol"'),
      lol('b', '*a'),
      lol('c', '*b'),
      lol('d', '*c'),
      lol('e', '*d'),
      lol('f', '*e'),
      'body: 本文',
      '',
    ].join('\n');
    const err = await failure(source);
    expect(err.kind).toBe('yaml-syntax');
    expect(err.location.file).toBe(CONTENT);
    expect(err.location.line).toBeTypeOf('number');
    expectReadable(err, CONTENT);
  });

  test('a content file that is not UTF-8 text still gives a located error, not a crash', async () => {
    const source = 'body: \uFFFD\uFFFD\uFFFD\ntitle: [\n';
    const err = await failure(source);
    expect(err.kind).toBe('yaml-syntax');
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });
});

describe('wrong types', () => {
  const cases: { name: string; source: string; path: string; line: number; column: number; message: RegExp }[] = [
    { name: 'title: 3', source: 'body: 本文です。\ntitle: 3\n', path: 'title', line: 2, column: 8, message: /expected a string, got 3/ },
    { name: 'body: [a]', source: 'title: 表題\nbody: [a]\n', path: 'body', line: 2, column: 7, message: /expected a string, got a list/ },
    {
      name: 'title: !!binary',
      source: 'title: !!binary aGVsbG8=\nbody: 本文です。\n',
      path: 'title',
      line: 1,
      column: 17, // the tagged value itself
      message: /expected a string, got binary data \(!!binary\)/,
    },
    {
      name: 'recipient: x',
      source: 'recipient: x\nbody: 本文です。\n',
      path: 'recipient',
      line: 1,
      column: 12,
      message: /expected a list, got "x"/,
    },
    {
      name: 'signature: a mapping',
      source: 'body: 本文\nsignature:\n  name: 山田\n',
      path: 'signature',
      line: 3,
      column: 3,
      message: /expected a list, got a mapping/,
    },
    {
      name: 'recipient with a number in the list',
      source: 'body: 本文\nrecipient:\n  - 山田様\n  - 42\n',
      path: 'recipient[1]',
      line: 4,
      column: 5,
      message: /expected a string, got 42/,
    },
    {
      name: 'date: 2017 (a number)',
      source: 'date: 2017\nbody: 本文\n',
      path: 'date',
      line: 1,
      column: 7,
      message: /expected a string, got 2017/,
    },
    { name: 'title: true', source: 'body: 本文\ntitle: true\n', path: 'title', line: 2, column: 8, message: /expected a string, got true/ },
    { name: 'pdf: a string', source: 'body: 本文\npdf: 題名\n', path: 'pdf', line: 2, column: 6, message: /expected a mapping/ },
    {
      name: 'dateStyle: an unknown style',
      source: 'date: 2017-01\ndateStyle: westren\nbody: 本文\n',
      path: 'dateStyle',
      line: 2,
      column: 12,
      message: /did you mean western\?/,
    },
  ];

  test.each(cases)('$name: schema error at the value', async ({ source, path, line, column, message }) => {
    const err = await failure(source);
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(message);
    expect(err.location).toMatchObject({ file: CONTENT, line, column, path });
    expectLineLocation(err, source);
    const text = expectReadable(err, CONTENT);
    expect(text.split('\n')[0]).toContain(`${CONTENT}:${line}:${column}: ${path}: `);
  });

  test('a list at the top of the file instead of a mapping', async () => {
    const source = '- body: 本文\n';
    const err = await failure(source);
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/expected a mapping of fields/);
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('a bare string as the whole file', async () => {
    const source = '本文だけ\n';
    const err = await failure(source);
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/expected a mapping of fields/);
    expect(err.location.file).toBe(CONTENT);
    expectReadable(err, CONTENT);
  });
});

describe('unknown fields', () => {
  const cases: { name: string; source: string; key: string; path: string; line: number; column: number; suggestion: string }[] = [
    { name: 'titel', source: 'body: 本文\ntitel: 表題\n', key: 'titel', path: 'titel', line: 2, column: 1, suggestion: 'title' },
    {
      name: 'bdy (body itself missing)',
      source: 'title: 表題\nbdy: 本文です。\n',
      key: 'bdy',
      path: 'bdy',
      line: 2,
      column: 1,
      suggestion: 'body',
    },
    {
      name: 'Recipient (wrong case)',
      source: 'body: 本文\nRecipient:\n  - 山田様\n',
      key: 'Recipient',
      path: 'Recipient',
      line: 2,
      column: 1,
      suggestion: 'recipient',
    },
    {
      name: 'pdf.autor',
      source: 'body: 本文\npdf:\n  autor: 山田\n',
      key: 'autor',
      path: 'pdf.autor',
      line: 3,
      column: 3,
      suggestion: 'author',
    },
    { name: 'sendr', source: 'sendr: 大使館\nbody: 本文\n', key: 'sendr', path: 'sendr', line: 1, column: 1, suggestion: 'sender' },
  ];

  test.each(cases)(
    '$name: names the field, suggests "$suggestion", points at the key',
    async ({ source, key, path, line, column, suggestion }) => {
      const err = await failure(source);
      expect(err.kind).toBe('schema');
      expect(err.message).toContain(`unknown field "${key}"`);
      expect(err.message).toContain(`did you mean ${suggestion}?`);
      // One mistake, one message: no "missing body" beside the misspelt "bdy".
      expect(err.message).not.toMatch(/more problem/);
      expect(err.location).toMatchObject({ file: CONTENT, line, column, path });
      expectLineLocation(err, source);
      const text = expectReadable(err, CONTENT);
      expect(text).toContain(`did you mean ${suggestion}?`);
    },
  );
});

test('a field the schema refuses does not hide the markup problems of the others, the body’s included', async () => {
  const err = await failure('title: 表題《ひょう\nrecipient: [宛先《《様]\nfoo: 1\nbody: 本文です。\n\n  二段落目の《《です。\n');
  expect([err, ...err.others].map((e) => `${e.location.line}: ${e.location.path}`)).toEqual([
    '1: title',
    '2: recipient[0]',
    '3: foo',
    '6: body',
  ]);
});

describe('an empty body', () => {
  const cases: { name: string; source: string; line?: number }[] = [
    { name: 'body: ""', source: 'title: 表題\nbody: ""\n', line: 2 },
    { name: 'body of spaces', source: 'title: 表題\nbody: "   "\n', line: 2 },
    { name: 'body of ideographic spaces and newlines', source: 'title: 表題\nbody: "\u3000\\n\\n\u3000"\n', line: 2 },
    { name: 'body: with nothing after it', source: 'title: 表題\nbody:\n', line: 2 },
    { name: 'an empty block scalar', source: 'title: 表題\nbody: |\n\nsender: 差出人\n', line: 2 },
    { name: 'no body at all', source: 'title: 表題\nsender: 差出人\n' },
  ];

  test.each(cases)('$name: a schema error about the body', async ({ source, line }) => {
    const err = await failure(source);
    expect(err.kind).toBe('schema');
    expect(err.location.file).toBe(CONTENT);
    if (line !== undefined) {
      expect(err.location.path).toBe('body');
      expect(err.location.line).toBe(line);
      expectLineLocation(err, source);
    }
    // The field is named, in the message or as the location's path.
    expect(`${err.location.path ?? ''} ${err.message}`).toMatch(/body/);
    expectReadable(err, CONTENT);
  });

  test.each([
    ['an empty file', ''],
    ['a file of comments only', '# 下書き\n# まだ何もない\n'],
    ['a file of blank lines', '\n\n\n'],
  ])('%s: says the file is empty and needs a body', async (_name, source) => {
    const err = await failure(source);
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/empty.*body/);
    expect(err.location.file).toBe(CONTENT);
    expectReadable(err, CONTENT);
  });
});

describe('problems found while loading come together', () => {
  test('a date that does not exist comes in one run with the body’s problems: a 記 without 以上, or (that closed) an unclosed 《', async () => {
    const source = 'date: 2026-02-30\nbody: |\n  ご健勝《けんしょう のこととお慶び申し上げます。\n\n  記\n\n  １．日時：三月三日\n';
    const err = await failure(source);
    const all = [err, ...err.others].map((e) => [e.location.line, e.message.replace(/:.*/s, '')]);
    expect(all).toEqual([
      [1, 'invalid date "2026-02-30"'],
      [5, 'this 記書き has no 以上'],
    ]);
    // With the 記書き closed, the body's inline markup is read, and its problem comes with the date's.
    const closed = await failure(`${source}\n  以上\n`);
    expect([closed, ...closed.others].map((e) => [e.location.line, e.location.column])).toEqual([
      [1, 7],
      [3, 6],
    ]);
  });
});

describe('characters missing from the font', () => {
  const EMOJI = '😀';
  // Checked with fontkit: BIZ UD Mincho, PMincho and Gothic have neither.
  const RARE_KANJI = '\u{2A6D6}';
  // Neither in BIZ UD Mincho nor in the letter template's kanji fallback (HanaMinA): 𠮷 is in the fallback now.
  const EXT_C = '\u{2A700}';

  test('the paragraph is counted as the author counts them: a hard-broken paragraph and a list are one each', async () => {
    const source = `title: 表題\nbody: |\n  一行目\\\n  二行目\n\n  - 項目一\n  - 項目二\n\n  三段落目の${EMOJI}です。\n`;
    const err = await failure(source);
    expect(err.location).toMatchObject({ file: CONTENT, line: 9, path: 'body (paragraph 3)' });
  });

  test('an emoji in a block-scalar body: code point, paragraph and exact line:column', async () => {
    const source = 'title: 表題\nbody: |\n  一段落目です。\n\n  二段落目の途中に' + EMOJI + 'があります。\n';
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+1F600');
    expect(err.location).toMatchObject({ file: CONTENT, line: 5, column: 11, path: 'body (paragraph 2)' });
    expectLineLocation(err, source);
    const text = expectReadable(err, CONTENT);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^${CONTENT}:5:11: body \\(paragraph 2\\): .*U\\+1F600`));
  });

  test('after combining sequences (か゚か゚か゚い😀う): the column counts code points, as an editor does', async () => {
    // か゚ is one cluster of two code points: 2 (indent) + 3 × 2 + 1 (い) → the emoji is column 10.
    const source = 'title: 表題\nbody: |\n  か゚か゚か゚い' + EMOJI + 'う\n';
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+1F600');
    expect(err.location).toMatchObject({ file: CONTENT, line: 3, column: 10, path: 'body (paragraph 1)' });
  });

  test.each([
    ['a recipient line', `title: 表題\nrecipient: [株式会社テスト${'😀'}商事]\nbody: 本文です。\n`, 2, 20, 'recipient[0]'],
    ['a title with ruby before it', `title: ｜表題《ひょうだい》の${'😀'}です\nbody: 本文です。\n`, 1, 19, 'title'],
  ])('in %s: at the character, not the field start', async (_, source, line, column, path) => {
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.location).toMatchObject({ file: CONTENT, line, column, path });
  });

  test('in a ruby reading: at the character of the reading, not at the paragraph start', async () => {
    const source = `title: 表題\nbody: |\n  ここは東京《とう${EMOJI}きょう》です。\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+1F600');
    // 2 (indent) + ここは東京《とう → the emoji is column 11.
    expect(err.location).toMatchObject({ file: CONTENT, line: 3, column: 11, path: 'body (paragraph 1)' });
  });

  test('every missing character of the document in one run, each at its place (not one per build)', async () => {
    const source =
      `title: 表題${EMOJI}\nrecipient: [株式会社テスト${EMOJI}商事]\nbody: |\n` +
      `  一段落目の${EMOJI}と${EMOJI}です。東京《とう${EMOJI}きょう》。\n\n  二段落目の${RARE_KANJI}です。\n`;
    const err = await failure(source);
    const all = [err, ...err.others];
    expect(all.map((e) => e.kind)).toEqual(Array(6).fill('missing-glyph'));
    expect(all.map((e) => [e.location.line, e.location.column, e.location.path])).toEqual([
      [1, 10, 'title'],
      [2, 20, 'recipient[0]'],
      [4, 8, 'body (paragraph 1)'],
      [4, 10, 'body (paragraph 1)'],
      [4, 19, 'body (paragraph 1)'],
      [6, 8, 'body (paragraph 2)'],
    ]);
    // One message: each problem with its source line and caret.
    const text = formatError(err);
    expect(text.match(/^content\/robust\.yaml:\d+:\d+: /gm)).toHaveLength(6);
    expect(text).toContain('U+2A6D6');
  });

  test('a paragraph of nothing but missing characters: many of them reported, up to a cap', async () => {
    const source = `title: 表題\nbody: |\n  ${EMOJI.repeat(3000)}\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(1 + err.others.length).toBeGreaterThan(1);
    expect(1 + err.others.length).toBeLessThanOrEqual(100);
  });

  test('a line break in a field set on one line (a letter’s title as a | block) says so, at the line’s end', async () => {
    const err = await failure('title: |-\n  一行目\n  二行目\nbody: 本文です。\n');
    expect(err.message).toMatch(/U\+000A .*a line break, in a field that is set on one line: write it on one line/);
    expect(err.location).toMatchObject({ file: CONTENT, line: 2, column: 6, path: 'title' });
  });

  test("in a single-quoted value after a '' escape: at the character itself", async () => {
    const source = `signature: [ "代表", 'これは''${EMOJI}' ]\nbody: 本文です。\n`;
    const err = await failure(source);
    expect(err.location).toMatchObject({ file: CONTENT, line: 1, column: 26, path: 'signature[1]' });
  });

  test('after a character beyond the BMP (𠀋, in the font): one column, not two UTF-16 units', async () => {
    const source = 'title: 表題\nbody: |\n  𠀋𠀋い' + EMOJI + 'う\n';
    const err = await failure(source);
    expect(err.location).toMatchObject({ file: CONTENT, line: 3, column: 6, path: 'body (paragraph 1)' });
  });

  test.each([
    ['U+2A6D6', RARE_KANJI],
    ['U+2A700', EXT_C],
  ])('a kanji outside the font (%s) in a plain-scalar body', async (label, ch) => {
    const source = `title: 表題\nbody: 本文の${ch}です。\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(codePointLabel(ch)).toBe(label);
    expect(err.message).toContain(label);
    expect(err.message).toContain(ch);
    expect(err.location).toMatchObject({ file: CONTENT, line: 2, column: 10, path: 'body (paragraph 1)' });
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('a missing kanji on the third line of a long paragraph points at that line', async () => {
    const source = `body: |\n  あいうえお\n  かきくけこ\n  さし${RARE_KANJI}すせそ\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+2A6D6');
    expect(err.location).toMatchObject({ line: 4, column: 5, path: 'body (paragraph 1)' });
    expectLineLocation(err, source);
  });

  test('a missing character in a double-quoted body is located on its line', async () => {
    const source = `title: 表題\nbody: "前置き\\n\\n本文に${EMOJI}"\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+1F600');
    expect(err.location).toMatchObject({ file: CONTENT, line: 2, path: 'body (paragraph 2)' });
    expectLineLocation(err, source);
  });

  test.each([
    { field: 'title', source: `body: 本文\ntitle: 表題${RARE_KANJI}\n`, line: 2, path: 'title' },
    { field: 'subtitle', source: `body: 本文\nsubtitle: ${EMOJI}\n`, line: 2, path: 'subtitle' },
    { field: 'sender', source: `sender: 大使館${EMOJI}\nbody: 本文\n`, line: 1, path: 'sender' },
    { field: 'closing', source: `body: 本文\nclosing: 敬具${EMOJI}\n`, line: 2, path: 'closing' },
    { field: 'date (literal)', source: `body: 本文\ndate: 吉日${EMOJI}\n`, line: 2, path: 'date' },
  ])('in $field: names the code point, the field and file:line', async ({ source, line, path }) => {
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toMatch(/U\+(2A6D6|1F600)/);
    expect(err.location).toMatchObject({ file: CONTENT, line, path });
    expectLineLocation(err, source);
    const text = expectReadable(err, CONTENT);
    expect(text).toContain(`${CONTENT}:${line}:`);
    expect(text).toContain(path);
  });

  test('in the second recipient line: points at that list item', async () => {
    const source = `body: 本文\nrecipient:\n  - 山田様\n  - ${EXT_C}田様\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+2A700');
    expect(err.location).toMatchObject({ file: CONTENT, line: 4, column: 5 });
    expect(err.location.path).toMatch(/^recipient(\[1\]|\.1)$/);
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('the PDF metadata is not typeset: an emoji in pdf.title builds', async () => {
    const result = await buildSource(`body: 本文です。\npdf:\n  title: 報告${EMOJI}\n`);
    expectPdf(result.pdf);
  });
});

describe('control characters', () => {
  // YAML double-quoted escapes produce the raw character in the value.
  const escapes: [string, string][] = [
    ['\\a', '\u0007'],
    ['\\0', '\u0000'],
    ['\\e', '\u001B'],
    ['\\b', '\u0008'],
    ['\\v', '\u000B'],
    ['\\f', '\u000C'],
    ['\\x7f', '\u007F'],
    ['\\x9b', '\u009B'],
    ['\\u2028', '\u2028'],
  ];

  test.each(escapes)('%s in the body: a clear error naming the code point, never a tofu', async (written, ch) => {
    const source = `title: 表題\nbody: "本文の${written}途中"\n`;
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain(codePointLabel(ch));
    expect(err.message).toMatch(/control character/);
    expect(err.location).toMatchObject({ file: CONTENT, line: 2, path: 'body (paragraph 1)' });
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('U+0007 in the title', async () => {
    const source = 'body: 本文です。\ntitle: "表\\a題"\n';
    const err = await failure(source);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+0007');
    expect(err.message).toMatch(/control character/);
    expect(err.location).toMatchObject({ file: CONTENT, line: 2, path: 'title' });
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('a raw U+0007 written into a block-scalar body', async () => {
    const source = 'title: 表題\nbody: |\n  本文の\u0007途中\n';
    const err = await failure(source);
    // Either YAML refuses it or the typesetter does; both must say which character and where.
    expect(['yaml-syntax', 'missing-glyph']).toContain(err.kind);
    expect(err.message).toContain('U+0007');
    expect(err.location).toMatchObject({ file: CONTENT, line: 3 });
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test('a raw U+0007 in a plain-scalar title', async () => {
    const source = 'body: 本文\ntitle: 表\u0007題\n';
    const err = await failure(source);
    expect(['yaml-syntax', 'missing-glyph']).toContain(err.kind);
    expect(err.message).toContain('U+0007');
    expect(err.location).toMatchObject({ file: CONTENT, line: 2 });
    expectLineLocation(err, source);
    expectReadable(err, CONTENT);
  });

  test.each([
    ['U+0007 (BEL)', '\u0007'],
    ['U+001B (ESC, a terminal escape sequence)', '\u001B[2J'],
  ])('a raw %s: the formatted message does not echo it to the terminal', async (_name, raw) => {
    const source = `body: 本文\ntitle: 表${raw}題\n`;
    const err = await failure(source);
    expect(err.location).toMatchObject({ file: CONTENT, line: 2 });
    // The source line under the message must not carry the raw character (it would ring the bell or
    // drive the terminal); only line breaks may separate the parts of the message.
    expect(formatError(err)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  });

  test('the formatted message does not print the control character itself', async () => {
    const err = await failure('body: "鳴\\a"\n');
    expect(formatError(err)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
  });
});

describe('markup in the fields of the document information', () => {
  test.each([
    ['a title the template does not print', 'title: 題｜名《》\n', 'title', 11, /an empty ruby/],
    ['pdf.subject', 'title: 題名\npdf: { subject: "a《《b" }\n', 'pdf.subject', 19, /this 《《 has no 》》/],
  ])('%s: malformed markup is an error at its character, never raw markup in the PDF', async (_, fields, field, column, message) => {
    const dir = tempDir('kumihan-meta-');
    writeFile(dir, 't.yaml', 'extends: letter\nheader: []\n');
    const source = `template: ./t.yaml\n${fields}body: 本文。\n`;
    writeFile(dir, 'x.yaml', source);
    const err = await kumihanErrorOf(() => buildDocument('x.yaml', { workingDirectory: dir, root: dir }));
    expect(err.message).toMatch(message);
    expect(err.location).toMatchObject({ file: 'x.yaml', path: field, column });
    expect(source.split('\n')[err.location.line! - 1]).toContain(field.replace('pdf.', ''));
  });
});

describe('several bad records in the content’s own recipients list', () => {
  test('every one is reported, each at its line (the list is one alternative of a union: a path or records)', async () => {
    const source = 'body: "{{name}}"\nrecipients:\n  - {id: b, name: [x, y]}\n  - {id: c, name: {k: v}}\n  - 5\n';
    const err = await kumihanErrorOf(() => buildSource(source));
    expect([err, ...err.others].map((e) => [e.location.line, e.location.path, e.message])).toEqual([
      [3, 'recipients[0].name', 'expected a string or a number, got a list'],
      [4, 'recipients[1].name', 'expected a string or a number, got a mapping'],
      [5, 'recipients[2]', 'expected a mapping (key: value), got 5'],
    ]);
  });
});
