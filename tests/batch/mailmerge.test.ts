/** Mail merge on the model: placeholders, recipient records from the content, CSV and YAML, keys. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatError, KumihanError } from '../../src/errors.js';
import { loadDocument } from '../../src/model/load.js';
import { applyRecipient, fileNameProblem, findPlaceholders, loadRecipients } from '../../src/model/mailmerge.js';
import { tempDir, writeFile } from './helpers.js';

/** Loads content text as if it were `dir/content/letter.yaml` (`dir` is the project root). */
function load(source: string, dir = tempDir()) {
  return loadDocument(path.join(dir, 'content', 'letter.yaml'), { source, root: dir });
}

function errorOf(run: () => unknown): KumihanError {
  try {
    run();
  } catch (e) {
    if (e instanceof KumihanError) return e;
    throw e;
  }
  throw new Error('expected a KumihanError');
}

const EVERY_FIELD = `template: letter
date: "{{when}}"
sender: "{{from}}"
recipient:
  - "{{company}}"
  - "{{ name }}様"
title: "{{name}}様へ"
subtitle: "副題 {{id}}"
body: |
  {{name}}様、こんにちは。

  二段落目は{{company}}について。
closing: "{{closing}}"
signature: ["{{from}}", 代表]
pdf:
  title: "案内 {{id}}"
  author: "{{from}}"
  subject: "{{company}}"
  keywords: ["{{name}}", 固定]
`;

describe('placeholders', () => {
  it('finds {{field}} and {{ field }}, and rejects an unclosed or empty one', () => {
    expect(findPlaceholders('a {{x}} b {{ long name }}c').map((p) => p.name)).toEqual(['x', 'long name']);
    expect(findPlaceholders('no placeholders { } }}')).toEqual([]);
    expect(() => findPlaceholders('oops {{name')).toThrow(/without a closing/);
    expect(() => findPlaceholders('{{ }}')).toThrow(/not a placeholder/);
  });

  it('applyRecipient fills every text field, the body and the PDF metadata, and leaves the document alone', () => {
    const doc = load(EVERY_FIELD);
    const record = { id: 7, name: '田中', company: '株式会社A', from: '組版工房', when: '令和六年四月一日', closing: '敬具' };
    const merged = applyRecipient(doc, record, '7');
    expect(merged.content).toMatchObject({
      sender: '組版工房',
      recipient: ['株式会社A', '田中様'],
      title: '田中様へ',
      subtitle: '副題 7',
      closing: '敬具',
      signature: ['組版工房', '代表'],
      pdf: { title: '案内 7', author: '組版工房', subject: '株式会社A', keywords: ['田中', '固定'] },
    });
    expect(merged.paragraphs).toEqual(['田中様、こんにちは。', '二段落目は株式会社Aについて。']);
    expect(merged.dateText).toBe('令和六年四月一日');
    // Pure: the loaded document still has its placeholders.
    expect(doc.content.title).toBe('{{name}}様へ');
    expect(doc.paragraphs[0]).toBe('{{name}}様、こんにちは。');
  });

  it('an optional field left empty takes the space that separated it along', () => {
    const doc = load(
      'recipient:\n  - "{{company?}}　{{name}}様"\n  - "{{name}}様　{{title?}}"\n  - "{{dept?}} {{name}}"\nsender: "A　{{x?}}　B"\nbody: 本文\n',
    );
    const empty = applyRecipient(doc, { name: '田中', company: '', title: '', dept: '', x: '' }, '1');
    expect(empty.content.recipient).toEqual(['田中様', '田中様', '田中']);
    expect(empty.content.sender).toBe('A　B');
    const filled = applyRecipient(doc, { name: '田中', company: 'A社', title: '部長', dept: '営業', x: 'X' }, '1');
    expect(filled.content.recipient).toEqual(['A社　田中様', '田中様　部長', '営業 田中']);
    expect(filled.content.sender).toBe('A　X　B');
  });

  it('an optional field a record leaves out (no key at all) is empty too; a required one says how to make it optional', () => {
    const doc = load('recipient:\n  - "{{company?}}　{{name}}様"\nbody: 本文\n');
    expect(applyRecipient(doc, { name: '田中' }, 'b').content.recipient).toEqual(['田中様']);
    const required = load('recipient:\n  - "{{company}}　{{name}}様"\nbody: 本文\n');
    const err = errorOf(() => applyRecipient(required, { name: '田中' }, 'b'));
    expect(err.message).toBe('recipient b has no value for {{company}}; its record has name — write {{company?}} where it may be missing');
  });

  it('a placeholder without a value names the recipient, the field and where it is', () => {
    const doc = load(EVERY_FIELD);
    const err = errorOf(() => applyRecipient(doc, { id: 'x', name: '田中', company: 'A', when: '今日', closing: '敬具' }, 'x'));
    expect(err.kind).toBe('merge');
    expect(err.message).toMatch(/recipient x has no value for \{\{from\}\}/);
    expect(err.location).toMatchObject({ path: 'sender', line: 3 });
    expect(formatError(err)).toMatch(/letter\.yaml:3:\d+: sender: recipient x has no value for \{\{from\}\}/);
  });

  it('a missing value in the body points at the placeholder in the body', () => {
    const doc = load('body: |\n  前文です。\n\n  二段落目、{{name}}様。\nrecipients: [{id: a}]\n');
    const err = errorOf(() => applyRecipient(doc, { id: 'a' }, 'a'));
    expect(err.message).toContain('recipient a has no value for {{name}}');
    expect(err.location).toMatchObject({ path: 'body (paragraph 2)', line: 4, column: 8 });
  });

  it('an unclosed {{ is an error at its field', () => {
    const doc = load('title: "{{name"\nbody: 本文\n');
    const err = errorOf(() => applyRecipient(doc, { name: 'x' }, '1'));
    expect(err.message).toMatch(/without a closing `}}`/);
    expect(err.location).toMatchObject({ path: 'title', line: 1 });
  });
});

describe('recipients', () => {
  it('a placeholder that no record has is one error at the placeholder, not one per recipient', () => {
    const doc = load(
      'title: "{{nam}}様へ"\nbody: |\n  {{name}}様、{{plase}}で。\nrecipients:\n  - {name: a, place: x}\n  - {name: b, place: y}\n',
    );
    const err = errorOf(() => loadRecipients(doc));
    expect(err.kind).toBe('merge');
    expect(err.message).toBe('no recipient has a value for {{nam}} (the records have name, place) — did you mean {{name}}?');
    expect(err.location).toMatchObject({ path: 'title', line: 1, column: 9 });
    // In the body, at the placeholder; without a close name, no suggestion.
    // Every unknown placeholder of every field at once, full-width letters typed for half-width ones too.
    const many = errorOf(() =>
      loadRecipients(
        load(
          'title: "{{titel}}"\nsender: "{{ｎａｍｅ}}"\nbody: |\n  {{nmae}}様\n\n  {{plase}}で。\nrecipients: [{name: a, title: t, place: p}]\n',
        ),
      ),
    );
    expect([many, ...many.others].map((e) => e.message)).toEqual([
      'no recipient has a value for {{titel}} (the records have name, title, place) — did you mean {{title}}?',
      'no recipient has a value for {{ｎａｍｅ}} (the records have name, title, place) — did you mean {{name}}?',
      'no recipient has a value for {{nmae}} (the records have name, title, place) — did you mean {{name}}?',
      'no recipient has a value for {{plase}} (the records have name, title, place) — did you mean {{place}}?',
    ]);
    const body = errorOf(() => loadRecipients(load('body: |\n  前文。\n\n  {{name}}と{{zzz}}。\nrecipients: [{name: a}]\n')));
    expect(body.message).toBe('no recipient has a value for {{zzz}} (the records have name)');
    expect(body.location).toMatchObject({ path: 'body (paragraph 2)', line: 4, column: 12 });
    // A field that some records have is that recipient's problem, reported when its letter is made.
    expect(loadRecipients(load('body: "{{x}}"\nrecipients: [{x: 1}, {y: 2}]\n'))).toHaveLength(2);
    // A broken placeholder is one error too.
    expect(errorOf(() => loadRecipients(load('sender: "{{name"\nbody: a\nrecipients: [{name: a}, {name: b}]\n'))).location).toMatchObject({
      path: 'sender',
      line: 1,
    });
  });

  it('from the content file: keys are the padded position, or the id', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `  - {name: n${i}}`).join('\n');
    const doc = load(`body: "{{name}}"\nrecipients:\n${twelve}\n`);
    const keys = loadRecipients(doc)!.map((r) => r.key);
    expect(keys.slice(0, 3)).toEqual(['01', '02', '03']);
    expect(keys.at(-1)).toBe('12');

    const three = load('body: x\nrecipients: [{name: a}, {name: b}, {name: c}]\n');
    expect(loadRecipients(three)!.map((r) => r.key)).toEqual(['1', '2', '3']);

    const withIds = load('body: x\nrecipients: [{id: tanaka, name: a}, {id: 42, name: b}]\n');
    expect(loadRecipients(withIds)!.map((r) => [r.key, r.record.name])).toEqual([
      ['tanaka', 'a'],
      ['42', 'b'],
    ]);
    expect(loadRecipients(load('body: x\n'))).toBeUndefined();
  });

  it('a YAML recipients file with several bad records: every one reported, each at its line', () => {
    const dir = tempDir();
    writeFile(dir, 'content/recs.yaml', '- {id: b, name: [x, y]}\n- {id: c, name: {k: v}}\n- 5\n');
    const err = errorOf(() => loadRecipients(load('body: "{{name}}"\nrecipients: recs.yaml\n', dir)));
    const all = [err, ...err.others];
    expect(all.map((e) => [e.location.line, e.location.path])).toEqual([
      [1, '[0].name'],
      [2, '[1].name'],
      [3, '[2]'],
    ]);
    expect(all.every((e) => e.message.startsWith('recipients file: '))).toBe(true);
  });

  it('pads to four digits from 1000 records on', () => {
    const dir = tempDir();
    writeFile(dir, 'content/people.csv', 'name\n' + Array.from({ length: 1000 }, (_, i) => `n${i}`).join('\n') + '\n');
    const keys = loadRecipients(load('body: x\nrecipients: people.csv\n', dir))!.map((r) => r.key);
    expect(keys).toHaveLength(1000);
    expect([keys[0], keys[8], keys[999]]).toEqual(['0001', '0009', '1000']);
  });

  it('from a CSV file relative to the content file (header names trimmed, BOM and blank lines ignored)', () => {
    const dir = tempDir();
    writeFile(dir, 'content/data/people.csv', '\uFEFFid, name ,company\ntanaka,田中,"株式会社A, 本社"\n\nsato,佐藤,B\n');
    const recipients = loadRecipients(load('body: "{{name}}"\nrecipients: data/people.csv\n', dir))!;
    expect(recipients.map((r) => r.key)).toEqual(['tanaka', 'sato']);
    expect(recipients[0].record).toEqual({ id: 'tanaka', name: '田中', company: '株式会社A, 本社' });
    expect(recipients[1].location).toMatchObject({ file: expect.stringMatching(/people\.csv$/), line: 4 });
  });

  it('from a YAML file holding a list of records', () => {
    const dir = tempDir();
    writeFile(dir, 'content/people.yaml', '- {id: a1, name: 田中, age: 40}\n- id: b2\n  name: 佐藤\n');
    const recipients = loadRecipients(load('body: x\nrecipients: people.yaml\n', dir))!;
    expect(recipients.map((r) => [r.key, r.record.name, r.record.age])).toEqual([
      ['a1', '田中', '40'],
      ['b2', '佐藤', undefined],
    ]);
  });

  it('a value on several lines (a CSV cell with line breaks) gives as many recipient lines; elsewhere a full-width space', () => {
    const dir = tempDir();
    writeFile(dir, 'content/people.csv', 'id,address,note\r\na1,"東京都千代田区1-1\r\n組版ビル５階","一行目\n二行目"\r\n');
    const doc = load('recipient: ["{{address}}", "{{id}}様"]\nbody: "{{note}}です。"\nrecipients: people.csv\n', dir);
    const [r] = loadRecipients(doc)!;
    const letter = applyRecipient(doc, r!.record, r!.key);
    expect(letter.content.recipient).toEqual(['東京都千代田区1-1', '組版ビル５階', 'a1様']);
    expect(letter.paragraphs[0]).toBe('一行目\u3000二行目です。');
    // The third line was the second entry as written: messages about it point there.
    expect(letter.locate(['recipient', 2])).toEqual(doc.locate(['recipient', 1]));
    expect(letter.locate(['recipient', 1])).toEqual(doc.locate(['recipient', 0]));
  });

  it('keeps values YAML would read as numbers as they are written: leading zeros, exponents, trailing zeros', () => {
    const record = '{id: 007, tel: 0312345678, amount: 1e3, big: 12345678901234567890, rate: 0.10, quoted: "0120"}';
    const dir = tempDir();
    writeFile(
      dir,
      'content/people.yaml',
      `- ${record}
`,
    );
    const expected = { id: '007', tel: '0312345678', amount: '1e3', big: '12345678901234567890', rate: '0.10', quoted: '0120' };
    for (const doc of [load(`body: x\nrecipients:\n  - ${record}\n`), load('body: x\nrecipients: people.yaml\n', dir)]) {
      const [r] = loadRecipients(doc)!;
      expect(r!.key).toBe('007');
      expect(r!.record).toEqual(expected);
      expect(applyRecipient(load('body: "TEL {{tel}}"\n'), r!.record, r!.key).paragraphs[0]).toBe('TEL 0312345678');
    }
  });

  it('a YAML file that is not a list of records is an error in that file', () => {
    const dir = tempDir();
    writeFile(dir, 'content/people.yaml', '- {id: a1, name: [not, text]}\n');
    const err = errorOf(() => loadRecipients(load('body: x\nrecipients: people.yaml\n', dir)));
    expect(err.message).toMatch(/recipients file/);
    expect(err.location.file).toMatch(/people\.yaml$/);
  });

  it('keys must be safe file names and unique', () => {
    const traversal = errorOf(() => loadRecipients(load('body: x\nrecipients:\n  - {id: ok}\n  - {id: ../x}\n')));
    expect(traversal.message).toBe('recipient 2 has id "../x", which cannot be a file name: it contains a path separator (/ or \\)');
    expect(traversal.location).toMatchObject({ line: 4, path: 'recipients[1].id' });

    const dir = tempDir();
    writeFile(dir, 'content/people.csv', 'id,name\na,1\nA,2\n');
    // Both spellings named: on macOS and Windows a.pdf and A.pdf are one file.
    expect(() => loadRecipients(load('body: x\nrecipients: people.csv\n', dir))).toThrow(
      /recipients 1 and 2 have ids "a" and "A", the same file name where case is not told apart/,
    );
    writeFile(dir, 'content/twice.csv', 'id,name\nb,1\nc,2\nb,3\n');
    expect(() => loadRecipients(load('body: x\nrecipients: twice.csv\n', dir))).toThrow(/recipients 1 and 3 have the same id "b";/);

    for (const bad of ['', '..', '.hidden', 'a/b', 'a\\b', 'a:b', ' a']) expect(fileNameProblem(bad), bad).toBeDefined();
    for (const good of ['tanaka', '0001', '田中一郎', 'a-b_c.d', '株'.repeat(81)]) expect(fileNameProblem(good), good).toBeUndefined();
    // Within 200 characters, but more bytes than a file name may have (3 each in UTF-8).
    expect(fileNameProblem('株'.repeat(82))).toMatch(/246 bytes long in UTF-8, too long for a file name/);
  });

  it('an empty list, a missing file and an unknown file type are errors at `recipients`', () => {
    expect(() => loadRecipients(load('body: x\nrecipients: []\n'))).toThrow(/no recipients/);
    const missing = errorOf(() => loadRecipients(load('body: x\nrecipients: nobody.csv\n')));
    expect(missing.message).toMatch(/recipients file .*nobody\.csv not found/);
    expect(missing.location).toMatchObject({ path: 'recipients', line: 2 });
    const dir = tempDir();
    writeFile(dir, 'content/people.txt', 'x');
    expect(() => loadRecipients(load('body: x\nrecipients: people.txt\n', dir))).toThrow(/use a \.csv, \.yaml or \.yml file/);
    writeFile(dir, 'content/header-only.csv', 'id,name\n');
    expect(() => loadRecipients(load('body: x\nrecipients: header-only.csv\n', dir))).toThrow(/no recipients/);
  });

  it('a malformed CSV file is an error with its line', () => {
    const dir = tempDir();
    writeFile(dir, 'content/people.csv', 'id,name\na,1\nb,"2\n');
    const err = errorOf(() => loadRecipients(load('body: x\nrecipients: people.csv\n', dir)));
    expect(err.message).toMatch(/cannot read the CSV file: a quoted field is never closed/);
    expect(err.location).toMatchObject({ line: 3 });
    // A quote inside an unquoted field: its column counted from 1, and how to write it.
    writeFile(dir, 'content/quotes.csv', 'id,name\na,山田 "太郎"\n');
    const quote = errorOf(() => loadRecipients(load('body: x\nrecipients: quotes.csv\n', dir)));
    expect(quote.message).toMatch(/a quote \("\) in the middle of column 2; .* doubled/);
    expect(quote.location).toMatchObject({ line: 2 });
  });

  it('counts lines as an editor does when cells hold line breaks (CRLF file), and skips rows with every cell empty', () => {
    const dir = tempDir();
    const rows = ['id,address,name', 'a,"東京都\r\n千代田区\r\n1-1",田中', ',,', ' , ,', 'b,大阪', 'c,"京都\r\n",佐藤'];
    writeFile(dir, 'content/people.csv', `${rows.join('\r\n')}\r\n`);
    const recipients = loadRecipients(load('body: x\nrecipients: people.csv\n', dir))!;
    expect(recipients.map((r) => r.key)).toEqual(['a', 'b', 'c']);
    // Each record at the line it ends on, as an editor numbers the file's lines.
    const lineOf = (text: string) => `${rows.join('\r\n')}`.split('\r\n').indexOf(text) + 1;
    expect(recipients[0]!.location).toMatchObject({ line: lineOf('1-1",田中') });
    expect(recipients[1]!.problem?.location).toMatchObject({ line: lineOf('b,大阪') });
    expect(recipients[2]!.location).toMatchObject({ line: lineOf('",佐藤') });
  });

  it('a row with a field too many is a problem of that record only, at its line', () => {
    const dir = tempDir();
    writeFile(dir, 'content/people.csv', 'id,name\na,1\nb,2,3\n');
    const recipients = loadRecipients(load('body: x\nrecipients: people.csv\n', dir))!;
    expect(recipients.map((r) => r.key)).toEqual(['a', 'b']);
    expect(recipients[0]!.problem).toBeUndefined();
    expect(recipients[1]!.problem?.message).toMatch(/this row has 3 fields but the header has 2 fields \(id, name\)/);
    expect(recipients[1]!.problem?.location).toMatchObject({ line: 3 });
  });
});
