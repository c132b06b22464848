/**
 * Recipient lists as people really write them (issue item 7): Shift_JIS from Excel, a short row, an
 * empty cell, a header named twice; and keys that cannot be file names on every system (item 8).
 * Each case: the message, the exit status, and the other letters still built.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoCrash, filesUnder, kumihan, tempDir, writeFile } from './helpers.js';

const MERGE = (placeholders = '{{name}}様（{{dept}}）') => `title: ご案内\nbody: "${placeholders}、ご案内です。"\nrecipients: people.csv\n`;

function project(csv: string | Uint8Array, content = MERGE()): string {
  const dir = tempDir('kumihan-csv-');
  writeFile(dir, 'content/m.yaml', content);
  writeFile(dir, 'content/people.csv', csv);
  return dir;
}

const UTF8_CSV = 'id,name,dept\nt,田中,営業\ns,佐藤,総務\n';
/** The same file as Excel saves it in Japan: Shift_JIS (CP932). */
const SJIS_CSV = Uint8Array.from([
  ...Buffer.from('id,name,dept\nt,'),
  ...[0x93, 0x63, 0x92, 0x86], // 田中
  0x2c,
  ...[0x89, 0x63, 0x8b, 0xc6], // 営業
  ...Buffer.from('\ns,'),
  ...[0x8d, 0xb2, 0x93, 0xa1], // 佐藤
  0x2c,
  ...[0x91, 0x8d, 0x96, 0xb1], // 総務
  0x0a,
]);

/** Text in EUC-JP: JIS X 0208 kana and kanji as two bytes, each 0xA1–0xFE (its row and cell + 0xA0). */
function eucJp(text: string): Buffer {
  // Through Shift_JIS, which TextDecoder reads and this inverts: Shift_JIS and EUC-JP are two spellings of JIS X 0208.
  const bytes: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      bytes.push(ch.charCodeAt(0));
      continue;
    }
    const [row, cell] = jisRowCell(ch);
    bytes.push(0xa0 + row, 0xa0 + cell);
  }
  return Buffer.from(bytes);
}

/** The JIS X 0208 row and cell of a character, found by decoding every Shift_JIS pair once. */
function jisRowCell(ch: string): [number, number] {
  const sjis = new TextDecoder('shift_jis');
  for (let row = 1; row <= 94; row++)
    for (let cell = 1; cell <= 94; cell++) {
      const lead = Math.floor((row + 1) / 2) + (row <= 62 ? 0x80 : 0xc0);
      const trail = row % 2 === 1 ? cell + (cell <= 63 ? 0x3f : 0x40) : cell + 0x9e;
      if (sjis.decode(Uint8Array.of(lead, trail)) === ch) return [row, cell];
    }
  throw new Error(`not in JIS X 0208: ${ch}`);
}

describe('encodings', () => {
  test('the fixture is Shift_JIS for the same text', () => {
    expect(new TextDecoder('shift_jis').decode(SJIS_CSV)).toBe(UTF8_CSV);
  });

  test('a Shift_JIS CSV is detected and gives exactly the letters of the UTF-8 file', () => {
    const utf8 = project(UTF8_CSV);
    const sjis = project(SJIS_CSV);
    const withBom = project('\uFEFF' + UTF8_CSV);
    for (const dir of [utf8, sjis, withBom]) expect(kumihan(dir, ['build']).status).toBe(0);
    for (const letter of ['m/s.pdf', 'm/t.pdf']) {
      const expected = fs.readFileSync(path.join(utf8, 'output', letter));
      expect(fs.readFileSync(path.join(sjis, 'output', letter)).equals(expected), letter).toBe(true);
      expect(fs.readFileSync(path.join(withBom, 'output', letter)).equals(expected), letter).toBe(true);
    }
  });

  test('recipientsEncoding: shift_jis reads the file as Shift_JIS; utf-8 on a Shift_JIS file is an error with the fix', () => {
    const dir = project(SJIS_CSV, MERGE() + 'recipientsEncoding: shift_jis\n');
    expect(kumihan(dir, ['build']).status).toBe(0);
    writeFile(dir, 'content/m.yaml', MERGE() + 'recipientsEncoding: utf-8\n');
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /content\/m\.yaml:4:\d+: recipientsEncoding: recipients file content\/people\.csv is not utf-8 text; it reads as shift_jis: set recipientsEncoding: shift_jis/,
    );
  });

  test('an EUC-JP CSV is detected, also where it reads as Shift_JIS too (its kana as half-width katakana)', () => {
    const utf8 = project(UTF8_CSV.replace('田中', 'たなか'), MERGE());
    const eucKana = project(eucJp(UTF8_CSV.replace('田中', 'たなか')));
    // Kana: the Shift_JIS reading is valid too (､ｿ､ﾊ､ｫ); the EUC-JP reading is the one with kana.
    expect(new TextDecoder('shift_jis', { fatal: true }).decode(eucJp('たなか'))).toMatch(/^[\uff61-\uff9f]+$/);
    for (const dir of [utf8, eucKana]) expect(kumihan(dir, ['build']).status).toBe(0);
    for (const letter of ['m/s.pdf', 'm/t.pdf']) {
      const expected = fs.readFileSync(path.join(utf8, 'output', letter));
      expect(fs.readFileSync(path.join(eucKana, 'output', letter)).equals(expected), letter).toBe(true);
    }
  });

  test('a file that reads both as Shift_JIS and EUC-JP without kana is an error asking for recipientsEncoding', () => {
    // 山田 in EUC-JP is ｻｳﾅﾄ in Shift_JIS: nothing tells which was meant.
    const csv = Buffer.concat([Buffer.from('id,name,dept\nt,'), eucJp('山田'), Buffer.from(',x\n')]);
    const dir = project(csv, MERGE());
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /content\/m\.yaml:3:\d+: recipients: recipients file content\/people\.csv reads both as Shift_JIS and as EUC-JP text.*set recipientsEncoding: shift_jis or euc-jp/,
    );
    writeFile(dir, 'content/m.yaml', MERGE() + 'recipientsEncoding: euc-jp\n');
    expect(kumihan(dir, ['build']).status).toBe(0);
  });

  test('a file that is neither UTF-8 nor Shift_JIS is a clear error at its line, not a font error', () => {
    const bad = Buffer.concat([Buffer.from('id,name,dept\nt,田中,営業\ns,'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from(',総務\n')]);
    const dir = project(bad);
    writeFile(dir, 'content/a.yaml', 'title: 表題\nbody: 本文です。\n');
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /content\/people\.csv:3: recipients file is neither UTF-8, Shift_JIS nor EUC-JP text \(line 3 has bytes that are none of them\)/,
    );
    expect(r.stderr).not.toMatch(/font|U\+FFFD/);
    expectNoCrash(r);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['a.pdf', 'manifest.json']);
  });
});

describe('records', () => {
  test('a short row fails only its own letter, naming its line; the others are built, its old letter kept', () => {
    const dir = project('id,name,dept\nt,田中,営業\ns,佐藤,総務\nk,加藤,経理\n');
    expect(kumihan(dir, ['build']).status).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'output/m/s.pdf'));
    writeFile(dir, 'content/people.csv', 'id,name,dept\nt,田中,営業\ns,佐藤\nk,加藤,経理\n');
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^content\/people\.csv:3: recipient s: this row has 2 fields but the header has 3 fields \(id, name, dept\)/m);
    expect(r.stdout).toMatch(/^content\/m\.yaml → output\/m\/s\.pdf {2}FAILED$/m);
    expect(r.stdout).toMatch(/^content\/m\.yaml → output\/m\/k\.pdf {2}1 page/m);
    expect(r.stdout).toMatch(/^content\/m\.yaml → output\/m\/t\.pdf {2}1 page/m);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['m/k.pdf', 'm/s.pdf', 'm/t.pdf', 'manifest.json']);
    expect(fs.readFileSync(path.join(dir, 'output/m/s.pdf')).equals(before)).toBe(true);
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/m\/s\.pdf +FAILED: not built \(content\/people\.csv:3: recipient s: this row has 2 fields/m);
  });

  test('a long row fails only its own letter', () => {
    const dir = project('id,name,dept\nt,田中,営業\ns,佐藤,総務,余分\n');
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/content\/people\.csv:3: recipient s: this row has 4 fields but the header has 3 fields/);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['m/t.pdf', 'manifest.json']);
  });

  test('an empty value is an error naming the recipient and the field; {{field?}} may be empty', () => {
    const dir = project('id,name,dept\nt,田中,営業\ns,佐藤,\n');
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /content\/m\.yaml:2:\d+: body \(paragraph 1\): recipient s \(content\/people\.csv:3\) has an empty value for \{\{dept\}\}; fill it in, or write \{\{dept\?\}\} where it may be empty/,
    );
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['m/t.pdf', 'manifest.json']);
    writeFile(dir, 'content/m.yaml', MERGE('{{name}}様{{ dept? }}'));
    const optional = kumihan(dir, ['build']);
    expect(optional.status, optional.all).toBe(0);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['m/s.pdf', 'm/t.pdf', 'manifest.json']);
  });

  test('a field named twice in the header is an error at the header', () => {
    const dir = project('id,name,name\nt,田中,営業\n');
    writeFile(dir, 'content/a.yaml', 'title: 表題\nbody: 本文です。\n');
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/content\/people\.csv:1: the header names the field "name" twice \(columns 2 and 3\)/);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['a.pdf', 'manifest.json']);
  });
});

describe('keys that are not file names everywhere', () => {
  test.each(['CON', 'nul', 'COM1', 'lpt9', 'aux.txt'])('%s is refused as a key', (key) => {
    const dir = project(`id,name,dept\nt,田中,営業\n${key},佐藤,総務\n`);
    const r = kumihan(dir, ['build']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `content/people\\.csv:3: recipient 2 has id "${key.replace('.', '\\.')}", which cannot be a file name: "${key.replace('.', '\\.')}" is a name Windows reserves for a device`,
      ),
    );
    expectNoCrash(r);
  });
});
