/**
 * src/model/yamlfast.ts must build exactly what yaml builds (values, node types, scalar types and the
 * ranges that locations and the body's source offsets are taken from), or give up and leave the text
 * to yaml. Checked on every YAML file in the repository, on edge cases, and on generated documents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseFastYaml } from '../../src/model/yamlfast.js';
import { parseYamlText } from '../../src/model/yamlfile.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The node tree as the fields consumers read: kind, scalar value and type, range start (and end for scalars). */
function shape(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  const n = node as Node;
  if (isMap(n)) {
    return {
      map: n.range?.[0],
      flow: !!n.flow,
      items: n.items.map((p) => ({ key: shape(p.key), value: shape(p.value) })),
    };
  }
  if (isSeq(n)) return { seq: n.range?.[0], flow: !!n.flow, items: n.items.map(shape) };
  if (isScalar(n)) return { scalar: n.value, type: n.type, start: n.range?.[0], end: n.range?.[1] };
  return { other: String(n) };
}

/** Whether the fast reader agrees with yaml on `text`; true too when it gives up (yaml then reads it). */
function agrees(text: string): { read: boolean } {
  const fast = parseFastYaml(text);
  if (!fast) return { read: false };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, schema: 'core', version: '1.2' });
  expect(doc.errors, text).toEqual([]);
  expect(fast.data, text).toStrictEqual(doc.toJS({ maxAliasCount: 1000 }));
  expect(shape(fast.root), text).toStrictEqual(shape(doc.contents));
  expect(fast.lineStarts, text).toStrictEqual(lineCounter.lineStarts);
  return { read: true };
}

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));
}

describe('the fast YAML reader', () => {
  test('reads every content file and template in the repository as yaml does', () => {
    const files = ['content', 'templates', 'tests'].flatMap((d) => yamlFiles(path.join(projectRoot, d)));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const { read } = agrees(text);
      // The shipped files are the common case: they must not fall back to yaml.
      if (!file.includes(`${path.sep}tests${path.sep}`)) expect(read, file).toBe(true);
    }
  });

  test.each([
    'a: 1\n',
    'a: 1',
    'a:\nb: 2\n',
    'a:   # comment\nb: 2\n',
    'a: \n  # only a comment\nb: 2',
    "a: x y # comment\nb: \"q\" # c\nc: 'it''s'\n",
    'a:\n  b:\n    c: 1\n  d: 2\ne: 3\n',
    'a:\n  - 1\n  - two\n  -\n  - x: 1\n    y: 2\n  - z: []\nb: {}\n',
    'a:\n- 1\n',
    'list:\n  - - 1\n',
    'n: [1]\n',
    'n: [a, 2, 全角, 3.5 , x y]\n',
    'n: [ ]\n',
    'n: [a,]\n',
    'a:\n  - { date: 1991-08-29, text: 日本がカザフスタン共和国を国家承認 }\n  - { date: 1992, text: x y }\n',
    'n: {a: 1,b: x y}\n',
    'n: { a: 1, }\n',
    'n: { a: b: c }\n',
    'n: { a: "q" }\n',
    'n: { a: 1, a: 2 }\n',
    'n: { a: [1] }\n',
    'n: { file: assets/p1.jpg, caption: 首脳会談（２０１６年１１月）, width: half }\n',
    'n: {a:1}\n',
    'n: { a: }\n',
    'n: [a,,b]\n',
    'n: [a, [b]]\n',
    'n: [a: b]\n',
    'n: [a\n',
    "n: ['a', b]\n",
    'body: |\n  one\n\n  two\n\n\nz: 1\n',
    'body: |-\n  one\n    indented\n  # not a comment\n\nz: 1\n',
    'body: |\n\n  after a blank line\n',
    'body: |\n     \n  longer blank line first\n',
    'body: |\n  no line break at the end',
    'body: |+\n  keep\n\n',
    'body: >\n  folded\n',
    'body: |2\n   indicator\n',
    'body: |\n  a\n    \n  b\n',
    'body: |\nz: 1\n',
    'values:\n  a: ~\n  b: null\n  c: Null\n  d: NULL\n  e: true\n  f: False\n  g: TRUE\n  h: yes\n  i: 007\n  j: -12\n  k: +3\n  l: 1.5\n  m: .5\n  n: 1.\n  o: 1e3\n  p: -2.5E-2\n  q: 10.5pt\n  r: 2017-01-26\n  s: 0x1F\n  t: 0o17\n  u: .inf\n  v: .NaN\n  w: 12345678901234567890\n',
    'a: b: c\n',
    'a: b:\n',
    'a: C#\n',
    'a: "x\\ny"\n',
    'a: "unterminated\n',
    "a: 'multi\n  line'\n",
    'a: plain\n  continued\n',
    'a: &anchor 1\nb: *anchor\n',
    'a: !!str 1\n',
    'a:\tb\n',
    'a: 1\r\nb: 2\r\n',
    'a: 1\na: 2\n',
    'true: 1\n',
    '__proto__: 1\n',
    '"quoted key": 1\n',
    'key with space: 1\n',
    '? complex\n: key\n',
    '---\na: 1\n',
    'a: 1\n...\n',
    '%YAML 1.2\n---\na: 1\n',
    '- top\n- level\n',
    'scalar\n',
    '',
    '# only comments\n',
    '  a: 1\n',
    'a: 1\n  b: 2\n',
    'a:\n    b: 1\n  c: 2\n',
    'a: -\n',
    'a: - b\n',
    'a: "a #b"\n',
    'a: x\nb:\n  - |\n    block in a sequence\n',
    'a:\n  - "q"\n  - \'s\'\n  - 1.0\n',
    'a: 1 # c\n# trailing comment\n\n',
    'a: 全角：文字、「括弧」\nb: ｜\n',
  ])('%j', (text) => {
    agrees(text);
  });

  test('gives up on what it does not read, so that yaml reports errors', () => {
    for (const text of ['a: "unterminated\n', 'a: b: c\n', 'a: 1\na: 2\n', 'a:\tb\n', 'a: &x 1\n', 'a: 1\n  b: 2\n']) {
      expect(parseFastYaml(text), text).toBeUndefined();
    }
  });

  test('agrees with yaml on generated documents', () => {
    // Mostly what the fast reader reads (so that it is compared often), some of what it leaves to yaml.
    const scalars = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          '1',
          '-1',
          '+1',
          '007',
          '1.5',
          '.5',
          '1.',
          '1e3',
          '~',
          'null',
          'Null',
          'true',
          'False',
          'yes',
          'x',
          'a b',
          'a:b',
          '10.5pt',
          '2017-01',
          "'q'",
          "'it''s'",
          "''",
          '"d"',
          '""',
          '"a b"',
          '[]',
          '{}',
          '[a, 1]',
          '[1.5,x]',
          'x #c',
          '全角',
          '12345678901234567890',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom('0x1F', '0o17', '.inf', '.nan', '-', '- x', 'C#', '"\\n"', '&a x', '*a', '!t x', '[ ]', '[a,]', 'a: b'),
      },
    );
    const key = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'body', 'x-y', 'x_1') },
      { weight: 1, arbitrary: fc.constantFrom('true', '1', 'a b') },
    );
    const indentOf = (depth: number) => '  '.repeat(depth);
    const block = fc.letrec<{ node: string[] }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc
          .array(
            fc.tuple(
              key,
              fc.oneof(
                scalars.map((s) => ({ inline: s })),
                tie('node').map((lines) => ({ lines })),
                fc.constantFrom('|', '|-').map((h) => ({ literal: h })),
              ),
            ),
            { minLength: 1, maxLength: 4 },
          )
          .map((entries) =>
            entries.flatMap(([k, v]) => {
              if ('inline' in v) return [`${k}: ${v.inline}`];
              if ('literal' in v) return [`${k}: ${v.literal}`, '  text', '', '    more', ''];
              return [`${k}:`, ...v.lines.map((l) => `  ${l}`)];
            }),
          ),
        fc
          .array(
            fc.oneof(
              scalars.map((s) => [`- ${s}`]),
              tie('node').map((lines) => lines.map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))),
            ),
            { minLength: 1, maxLength: 3 },
          )
          .map((items) => items.flat()),
      ),
    }));
    let read = 0;
    fc.assert(
      fc.property(block.node, fc.constantFrom('', '# comment', '  # indented comment'), (lines, comment) => {
        const text = [...lines, comment].map((l) => indentOf(0) + l).join('\n') + '\n';
        if (agrees(text).read) read++;
      }),
      { numRuns: 3000, seed: 20261204 },
    );
    // Not a vacuous property: a good share of the documents are read by the fast reader.
    expect(read).toBeGreaterThan(300);
  });

  test('parseYamlText gives the same file either way', () => {
    const file = path.join(projectRoot, 'content/embassy-2017-kazakhstan.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const fast = parseYamlText(text, file, 'content/embassy-2017-kazakhstan.yaml');
    // yaml's Document, parsed when asked for: the same contents.
    expect(shape(fast.root)).toStrictEqual(shape(fast.doc.contents));
    const lineCounter = new LineCounter();
    parseDocument(text, { lineCounter });
    expect(fast.lineCounter.lineStarts).toStrictEqual(lineCounter.lineStarts);
    expect(fast.lineCounter.linePos(text.indexOf('body:'))).toStrictEqual(lineCounter.linePos(text.indexOf('body:')));
  });
});
