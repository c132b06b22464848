/**
 * What a Japanese office letter needs, built whole and read back from the layout: hard breaks, lists
 * with hanging indents, 記書き with aligned labels, 頭語 and 結語, 追伸, warnings for fields the template
 * does not place, continuation headers, and located errors for malformed markup.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TextLineItem } from '../../src/layout/layout.js';
import type { BuildResult } from '../../src/build.js';
import { buildSource, CONTENT, kumihanErrorOf, ROOT, tempDir, writeFile } from '../robustness/helpers.js';

const lines = (r: BuildResult) => r.layout.pages.flatMap((p) => p.items.filter((i): i is TextLineItem => i.kind === 'text'));
const line = (r: BuildResult, start: string) => {
  const found = lines(r).find((l) => l.text.startsWith(start));
  if (!found)
    throw new Error(
      `no line starts with ${start}: ${lines(r)
        .map((l) => l.text)
        .join(' / ')}`,
    );
  return found;
};
/** Where the glyph for `ch` of a line starts on the page, pt. */
const glyphX = (l: TextLineItem, index: number) => l.x + l.glyphs[index]!.x * l.size;

describe('lines set flush with the end (地付き: sender, signature)', () => {
  it('end at the body of their last character: a closing bracket or full stop keeps no space after it there', async () => {
    const r = await buildSource(
      'closing: 敬具\nsignature: [代表取締役社長, 代表取締役（社長）, 「組版工房」, 以上、よろしくお願いします。]\nbody: |\n  本文です。\n',
    );
    const bodyEnd = (start: string, body: number) => {
      const l = line(r, start);
      return glyphX(l, l.glyphs.length - 1) + body * l.size;
    };
    const flush = bodyEnd('代表取締役社長', 1);
    expect(bodyEnd('代表取締役（', 0.5)).toBeCloseTo(flush, 1);
    expect(bodyEnd('「組版', 0.5)).toBeCloseTo(flush, 1);
    expect(bodyEnd('以上、', 0.5)).toBeCloseTo(flush, 1);
  });
});

describe('body markup in a built letter', () => {
  it('breaks a line where the author wrote \\, and sets the line before it like a paragraph end', async () => {
    const r = await buildSource('body: |\n  日時は十二月十日です。\\\n  会場は本社です。\n');
    expect(line(r, '日時は').text).toBe('日時は十二月十日です。');
    expect(line(r, '会場は').text).toBe('会場は本社です。');
    // The second line does not take the paragraph indent: it starts at the block's start edge.
    expect(line(r, '会場は').x).toBeLessThan(line(r, '日時は').x + line(r, '日時は').glyphs[0]!.x * 10.5);
  });

  it('hangs a list item’s lines after its marker: the wrapped line starts under the text, not the marker', async () => {
    const long = '組版規則に従って行を分割し、約物を詰め、和欧間を空けて、読みやすい行を作ります。'.repeat(2);
    const r = await buildSource(`body: |\n  １．${long}\n  ２．短い項目\n`);
    const items = lines(r).filter((l) => l.role === 'body');
    const first = items[0]!;
    expect(first.text.startsWith('１．組版')).toBe(true);
    const textStart = glyphX(first, 2); // the glyph after 「１．」
    expect(items[1]!.x).toBeCloseTo(textStart, 3);
    // The second item's text starts where the first's does: one marker column for the list.
    const second = line(r, '２．');
    expect(glyphX(second, 2)).toBeCloseTo(textStart, 3);
  });

  const fullWidth = (n: number) => Array.from(String(n), (d) => String.fromCodePoint(0xff10 + Number(d))).join('');
  it.each([
    ['full-width', (n: number) => `${fullWidth(n)}．`],
    ['half-width', (n: number) => `${n}. `],
    ['bracketed', (n: number) => `（${fullWidth(n)}）`],
  ])('aligns %s list numbers on their last digit: the marks of ９． and １０． line up, the text follows them alike', async (_, marker) => {
    const items = Array.from({ length: 11 }, (_, i) => `  ${marker(i + 1)}項目です\n`);
    const r = await buildSource(`body: |\n${items.join('')}\n  本文です。\n`);
    const marked = lines(r).filter((l) => l.text.includes('項目です'));
    expect(marked).toHaveLength(11);
    // The glyph before 項 (the full stop or closing bracket) ends at the same place on every line, and 項 too.
    const markEnd = (l: TextLineItem) => {
      const k = Array.from(l.text).indexOf('項');
      return [glyphX(l, k - 1), glyphX(l, k)];
    };
    const [stop, text] = markEnd(marked[9]!);
    for (const l of marked) {
      expect(markEnd(l)[0], l.text).toBeCloseTo(stop!, 2);
      expect(markEnd(l)[1], l.text).toBeCloseTo(text!, 2);
    }
  });

  it('sets 記 centred, aligns the texts after the labels, and 以上 flush with the line end', async () => {
    const r = await buildSource('body: |\n  下記のとおりです。\n\n  記\n\n  日時：十二月十日\n  会場名：本社\n\n  以上\n');
    const ki = line(r, '記');
    const block = r.layout.block;
    expect(ki.x + (ki.width * ki.size) / 2).toBeCloseTo(block.x + block.width / 2, 0);
    const a = line(r, '日時：');
    const b = line(r, '会場名：');
    expect(glyphX(a, 3)).toBeCloseTo(glyphX(b, 4), 3);
    const ijo = line(r, '以上');
    expect(ijo.x + ijo.width * ijo.size).toBeCloseTo(block.x + block.width, 1);
  });

  it('sets 以上 alone (no 記) on its own line flush with the line end, after the 結語', async () => {
    for (const body of ['臨時休業といたします。\n  以上', '臨時休業といたします。\n\n  以上']) {
      const r = await buildSource(`opening: 拝啓\nclosing: 敬具\nbody: |\n  ${body}\n`);
      const order = lines(r).map((l) => l.text);
      expect(order).toContain('拝啓　臨時休業といたします。');
      const ijo = line(r, '以上');
      expect(ijo.text).toBe('以上');
      const block = r.layout.block;
      expect(ijo.x + ijo.width * ijo.size).toBeCloseTo(block.x + block.width, 1);
      expect(order.indexOf('敬具')).toBeLessThan(order.indexOf('以上'));
    }
  });

  it('at any page break: a short 記書き stands whole on one page, 以上 and the 結語 and signature never stand alone on a page (the signature after 以上 takes the 記書き along)', async () => {
    for (let n = 20; n <= 36; n++) {
      const paragraphs = Array.from({ length: n }, (_, i) => `  短い段落${i}です。`).join('\n\n');
      const kigaki = '\n\n  記\n\n  日時：明日\n  場所：会議室\n  会費：無料\n\n  以上';
      for (const body of [paragraphs, paragraphs + kigaki, `${paragraphs}\n\n  以上`, `${paragraphs}\n  以上`]) {
        const r = await buildSource(
          `opening: 拝啓\nclosing: 敬具\nsignature: [株式会社組版工房, 代表取締役　佐藤花子]\nbody: |\n${body}\n`,
        );
        const pages = r.layout.pages.map((p) => p.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role !== 'footer'));
        for (const [k, page] of pages.entries()) {
          const texts = page.map((l) => l.text);
          const where = `${n} paragraphs${body.slice(paragraphs.length).replace(/\s+/g, ' ')}, page ${k + 1}: ${texts.join(' / ')}`;
          // Something of the body stands on every page the letter's end (以上, 結語, signature) is on.
          if (texts.includes('以上') || texts.includes('敬具') || texts.includes('株式会社組版工房'))
            expect(
              page.some((l) => l.role === 'body' && l.text !== '以上'),
              where,
            ).toBe(true);
          // The 記書き, short as it is, stands whole on one page: 記, its three items and 以上.
          const ki = texts.indexOf('記');
          if (ki >= 0)
            expect(
              texts.slice(ki + 1).filter((t) => /^(日時|場所|会費)|^以上$/.test(t)),
              where,
            ).toHaveLength(4);
        }
      }
    }
  }, 60_000);

  it('at any page break: an item that introduces a sub-list never ends a page without its first sub-item', async () => {
    const long = 'この項目は二行以上に折り返すように十分な長さの説明文を付けています。変更前と変更後の条件を比較してください。';
    let atBreak = 0;
    for (let n = 24; n <= 34; n++) {
      const paragraphs = Array.from({ length: n }, (_, i) => `  短い段落${i}です。`).join('\n\n');
      for (const parent of ['親項目です。', `親項目です。${long}`]) {
        for (const kigaki of [false, true]) {
          const items = `  １．${parent}\n    ・子項目の一。\n    ・子項目の二。\n  ２．次の項目。`;
          const body = kigaki ? `${paragraphs}\n\n  記\n\n${items}\n\n  以上` : `${paragraphs}\n\n${items}`;
          const r = await buildSource(`body: |\n${body}\n`);
          const pages = r.layout.pages.map((p) =>
            p.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'body').map((l) => l.text),
          );
          for (const [k, page] of pages.entries()) {
            const child = page.findIndex((t) => t.startsWith('・子項目の一'));
            if (child < 0) continue;
            // Never at the head of a page, its parent's last line left on the page before.
            expect(child, `${n} paragraphs, ${kigaki ? '記書き' : 'list'}, page ${k + 1}: ${page.join(' / ')}`).toBeGreaterThan(0);
            // (A page break fell just before the sub-item: its parent came along.)
            if (k > 0 && !page[0]!.startsWith('短い段落')) atBreak++;
          }
        }
      }
    }
    expect(atBreak).toBeGreaterThan(0);
  }, 60_000);

  it('sets the text after • where it stands after ・ (an em), and bullets after numbers in one list in a column of their own', async () => {
    const r = await buildSource(
      'body: |\n  ・甲です\n  ・乙です\n\n  本文です。\n\n  • 丙です\n  • 丁です\n\n  （１０）数です\n  ・点です\n',
    );
    const textX = (start: string) => glyphX(line(r, start), [...start].length - 2);
    const bullet = textX('・甲で');
    expect(textX('•丙で')).toBeCloseTo(bullet, 3);
    expect(textX('・点で')).toBeCloseTo(bullet, 3);
    // The numbered item keeps its own, wider column.
    expect(textX('（１０）数で')).toBeGreaterThan(bullet + 2 * line(r, '・甲で').size);
  });

  it('spreads a shorter label over its column (均等割り): first character at the start, the last before the colon', async () => {
    const r = await buildSource('body: |\n  記\n\n  日時：十二月十日\n  連絡先：総務部\n  他：なし\n\n  以上\n');
    const short = line(r, '日時：');
    const long = line(r, '連絡先：');
    const other = line(r, '他：');
    // 日 where 連 is, 時 where 先 is, the colons in one column.
    expect(glyphX(short, 0)).toBeCloseTo(glyphX(long, 0), 3);
    expect(glyphX(short, 1)).toBeCloseTo(glyphX(long, 2), 3);
    expect(glyphX(short, 2)).toBeCloseTo(glyphX(long, 3), 3);
    // One character: at the start, its colon in line with the others.
    expect(glyphX(other, 0)).toBeCloseTo(glyphX(long, 0), 3);
    expect(glyphX(other, 1)).toBeCloseTo(glyphX(long, 3), 3);
  });

  it('spreads labels only among labels of about one length: one more than twice the shortest is set as written, its text after it', async () => {
    const r = await buildSource('body: |\n  記\n\n  日時：十二月十日\n  会場：本社\n  お問い合わせ先：総務部\n\n  以上\n');
    const date = line(r, '日時：');
    const place = line(r, '会場：');
    const outlier = line(r, 'お問い合わせ先：');
    const em = date.size;
    // 日時： set solid (not 日　　　　　時), its colon and text in line with 会場's.
    expect(glyphX(date, 1) - glyphX(date, 0)).toBeCloseTo(em, 3);
    expect(glyphX(date, 2)).toBeCloseTo(glyphX(place, 2), 3);
    expect(glyphX(date, 3)).toBeCloseTo(glyphX(place, 3), 3);
    // The long label starts where the others do, and its text follows its own colon.
    expect(glyphX(outlier, 0)).toBeCloseTo(glyphX(date, 0), 3);
    expect(glyphX(outlier, 8) - glyphX(outlier, 7)).toBeCloseTo(em, 3);
    expect(glyphX(outlier, 8)).toBeGreaterThan(glyphX(date, 3) + 3 * em);
  });

  it.each([
    [
      'a list',
      '  一覧です。\n  １．会場\n    （１）旧会場：大会議室\n  ２．精算\n    ・領収書を添付してください。\n    ・写しでも可とします。\n',
    ],
    [
      'a 記書き',
      '  記\n\n  １．会場\n    （１）旧会場：大会議室\n  ２．精算\n    ・領収書を添付してください。\n    ・写しでも可とします。\n\n  以上\n',
    ],
  ])('in %s, a sub-list under one item keeps its own marker column, not the width of another item’s sub-list', async (_, body) => {
    const r = await buildSource(`body: |\n${body}`);
    const bullet = line(r, '・領収書');
    const numbered = line(r, '（１）');
    // Each sub-list starts under its parent's text ...
    expect(glyphX(bullet, 0)).toBeCloseTo(glyphX(line(r, '２．精算'), 2), 3);
    expect(glyphX(numbered, 3)).toBeGreaterThan(glyphX(line(r, '１．会場'), 2) + 2 * numbered.size);
    // ... and its text follows its own marker: one em after ・ (the （１） of the other item's sub-list is wider).
    expect(glyphX(bullet, 1) - glyphX(bullet, 0)).toBeCloseTo(bullet.size, 3);
    expect(glyphX(line(r, '・写し'), 1)).toBeCloseTo(glyphX(bullet, 1), 3);
  });

  it('leaves half an em after a marker that ends in a half-width character (1. and (2), not １．)', async () => {
    const r = await buildSource('body: |\n  1. 筆記用具\n  10. 書類\n\n  記\n\n  (1) 日時：十二月十日\n  (2) 場所：本社\n\n  以上\n');
    for (const [start, text] of [
      ['1.', '筆'],
      ['10.', '書'],
      ['(1)', '日'],
    ] as const) {
      const l = line(r, start);
      // The text starts half an em after the marker's last glyph (a period or parenthesis, a quarter em
      // wide or more) ends: three quarters of an em or more after that glyph starts.
      const last = glyphX(l, start.length - 1);
      expect(glyphX(l, l.text.indexOf(text)) - last, start).toBeGreaterThanOrEqual(0.75 * l.size - 0.01);
    }
    // Full-width markers bring their own space: nothing added.
    const full = await buildSource('body: |\n  １．筆記用具\n  ２．書類\n');
    const l = line(full, '１．');
    expect(glyphX(l, 2) - glyphX(l, 0)).toBeCloseTo(2 * l.size, 1);
    // A full-width closing bracket keeps the half em after it that it has in running text.
    const paren = await buildSource('body: |\n  （１）筆記用具\n  （２）書類\n');
    const p = line(paren, '（１）');
    expect(glyphX(p, 3) - glyphX(p, 2)).toBeCloseTo(p.size, 1);
  });

  it('nests the items indented further under an item: under its text, their labels a column of their own', async () => {
    const r = await buildSource(
      'body: |\n  記\n\n  1. 日時：十二月十日\n  2. 持ち物\n    - 細目一：写し\n    - 細目二：証明書\n  3. 場所：本社\n\n  以上\n',
    );
    const parent = line(r, '2.');
    const nested = line(r, '・細目一');
    // The nested marker stands where the parent's text starts (after 「2.」 and its gap).
    const parentText = glyphX(parent, parent.text.indexOf('持'));
    expect(glyphX(nested, 0)).toBeCloseTo(parentText, 1);
    // The outer labels are not spread to the nested ones' width: 日時： and 場所： are set solid.
    const date = line(r, '1.');
    const dateAt = date.text.indexOf('日');
    expect(glyphX(date, dateAt + 1) - glyphX(date, dateAt)).toBeCloseTo(date.size, 1);
    // The nested items' own labels in one column: their texts start together.
    expect(glyphX(nested, nested.text.indexOf('写'))).toBeCloseTo(glyphX(line(r, '・細目二'), line(r, '・細目二').text.indexOf('証')), 1);
  });

  it('keeps an item whose text is empty: its label is printed', async () => {
    const r = await buildSource('body: |\n  記\n\n  日時：\n  場所：本社\n  備考：\n\n  以上\n');
    const texts = lines(r).map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(['日時：', '場所：本社', '備考：']));
    expect(texts.indexOf('日時：')).toBeLessThan(texts.indexOf('場所：本社'));
    expect(texts.indexOf('場所：本社')).toBeLessThan(texts.indexOf('備考：'));
  });

  it('in a measure too narrow for the label columns, sets the labels in the line: nothing outside the text block', async () => {
    const dir = tempDir();
    const template = writeFile(
      dir,
      'narrow.yaml',
      'extends: letter\npage: { size: A5 }\nbody: { charsPerLine: 8, linesPerPage: 30 }\nkigaki: { indent: 2 }\n',
    );
    const body = 'body: |\n  記\n\n  １．日時：令和８年１２月１０日（木）\n  ２．お問い合わせ窓口：総務部\n\n  以上\n';
    const r = await buildSource(`template: ${template}\n${body}`, { root: dir });
    const block = r.layout.block;
    const items = lines(r).filter((l) => l.role === 'body');
    expect(items.map((l) => l.text).join('')).toContain('２．お問い合わせ窓口：総務部');
    for (const l of items)
      for (const g of l.glyphs) {
        const x = l.x + g.x * l.size;
        expect(x, l.text).toBeGreaterThanOrEqual(block.x - 1e-6);
        expect(x + l.size, l.text).toBeLessThanOrEqual(block.x + block.width + l.size / 2 + 1e-6);
      }
  });

  it('warns that ruby touches the line above only where it does: in running text on a tight grid, not on a title with room above', async () => {
    const crowded = (w: string) => /ruby or emphasis dots need a line gap/.test(w);
    // The letter's own grid: a title with ruby, two grid lines below the header, has room; so has the body.
    const roomy = await buildSource(
      'title: ｜秋季《しゅうき》例会のご案内\nbody: |\n  会員の皆様にはご健勝《けんしょう》のことと存じます。\n',
    );
    expect(roomy.layout.warnings.filter(crowded)).toEqual([]);
    // 50 lines to the page: 3.7 pt between body lines, where ruby of 10.5 pt text needs 5.25.
    const dir = tempDir();
    const template = writeFile(dir, 'tight.yaml', 'extends: letter\nbody: { linesPerPage: 50 }\n');
    const body = `body: |\n  ${'会員の皆様には、'.repeat(6)}いよいよご健勝《けんしょう》のことと存じます。\n`;
    const tight = await buildSource(`template: ${template}\n${body}`, { root: dir });
    expect(tight.layout.warnings.filter(crowded)).toEqual([expect.stringContaining('(first at "会員の皆様には、')]);
  });

  it('reports malformed markup in a field other than the body at the character, plain or quoted', async () => {
    const cases: [string, number, number][] = [
      ['closing: 敬具《けいぐ\nbody: 本文\n', 1, 12],
      ['recipient:\n  - "会員《かいいん各位"\nbody: 本文\n', 2, 8],
      ['recipient: [山田様, 会員《かいいん各位]\nbody: 本文\n', 1, 20],
      // Block scalars: the value starts on the line after the key, under its indentation.
      ['title: |-\n  第一行\n  表《ひょう題\nbody: 本文\n', 3, 4],
      ['postscript: >-\n    追って、\n    会員《かいいん各位\nbody: 本文\n', 3, 7],
      ['recipient:\n  - |-\n      会員\n      各位《かくい\nbody: 本文\n', 4, 9],
    ];
    for (const [source, line, column] of cases) {
      const err = await kumihanErrorOf(() => buildSource(source));
      expect(err.location, `${source}: ${err.message}`).toMatchObject({ file: CONTENT, line, column });
    }
  });

  it('keeps a line the author left empty with a \\ alone on it', async () => {
    const plain = await buildSource('body: |\n  本文です。\n');
    const spaced = await buildSource('body: |\n  \\\n  本文です。\n');
    const pitch = plain.layout.block.pitch;
    expect(line(spaced, '本文').baseline - line(plain, '本文').baseline).toBeCloseTo(pitch, 6);
  });

  it('reports the markup problems of every field and paragraph in one run, each at its line', async () => {
    const source =
      'title: 表題《ひょうだい\nsignature: [｜閉じない]\nbody: |\n  一段落目。\n\n  二段落目《《強調\n\n  三段落目は正しい。\n\n  四段落目｜漢字\n';
    const err = await kumihanErrorOf(() => buildSource(source));
    const all = [err, ...err.others];
    expect(all.map((e) => e.location.line).sort((a, b) => a! - b!)).toEqual([1, 2, 6, 10]);
  });

  it('reports an unclosed 記 at its line and column', async () => {
    const source = 'title: 表題\nbody: |\n  本文です。\n\n  記\n  日時：今日\n';
    const err = await kumihanErrorOf(() => buildSource(source));
    expect(err.location).toMatchObject({ file: CONTENT, line: 5, column: 3 });
    expect(err.message).toContain('以上');
  });

  it('sets the 頭語 at the head of the body and the 結語 before the 記書き', async () => {
    const r = await buildSource('opening: 拝啓\nclosing: 敬具\nbody: |\n  本文です。\n\n  記\n  日時：今日\n  以上\n');
    expect(lines(r).find((l) => l.role === 'body')!.text).toBe('拝啓　本文です。');
    const order = lines(r).map((l) => l.text);
    expect(order.indexOf('敬具')).toBeLessThan(order.indexOf('記'));
  });
});

describe('letter structure', () => {
  it('warns of a content field the template does not print, at its line', async () => {
    const r = await buildSource('template: embassy-message\nclosing: 敬具\nbody: 本文です。\n');
    expect(r.warnings).toContain(
      'line 2: content field "closing" is not printed: the template places it nowhere (add it to the template\'s header or after)',
    );
  });

  it('prints 追伸 after the signature', async () => {
    const r = await buildSource('signature: [代表取締役　見本太郎]\npostscript: 追伸　お知らせです。\nbody: 本文です。\n');
    const order = lines(r).map((l) => l.text);
    expect(order.indexOf('追伸　お知らせです。')).toBeGreaterThan(order.indexOf('代表取締役　見本太郎'));
  });

  it('heads the pages after the first with the continuation header, and only those', async () => {
    const body = Array.from({ length: 60 }, (_, k) => `第${k + 1}段落の本文です。`).join('\n\n  ');
    const template = 'extends: letter\ncontinuation:\n  text: "{recipient}　{page} / {pages}"\n';
    const dir = tempDir();
    const file = writeFile(dir, 'cont.yaml', template);
    const r = await buildSource(`template: ${file}\nrecipient: [見本商事]\nbody: |\n  ${body}\n`, { root: dir });
    const heads = r.layout.pages.map((p) =>
      p.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'runningHead').map((i) => i.text),
    );
    expect(r.pages).toBeGreaterThan(1);
    expect(heads[0]).toEqual([]);
    for (const [k, h] of heads.slice(1).entries()) expect(h).toEqual([`見本商事　${k + 2} / ${r.pages}`]);
  });

  it('sets the letterhead’s name and address beside a logo at its side, never under it', async () => {
    const logo = path.join(ROOT, 'content/assets/logo.png');
    for (const position of ['left', 'right'])
      for (const align of ['start', 'end', 'center']) {
        const dir = tempDir();
        const file = writeFile(
          dir,
          'lh.yaml',
          `extends: letter\nletterhead:\n  name: 在カザフスタン日本国大使館　領事部\n  address: [〒010000 カザフスタン共和国アスタナ市コスモナフトフ通り５番地　チェムピオン・ツェントル・ビル５階]\n  logo: { file: ${JSON.stringify(logo)}, width: 20mm, position: ${position} }\n  align: ${align}\n`,
        );
        const r = await buildSource(`template: ${file}\nbody: 本文です。\n`, { root: '/' });
        const items = r.layout.pages[0]!.items;
        const image = items.find((i) => i.kind === 'image')!;
        expect(image).toBeDefined();
        const head = lines(r).filter((l) => l.role === 'letterhead');
        expect(head.length).toBeGreaterThan(1);
        for (const l of head) {
          const left = l.x;
          const right = l.x + l.width * l.size;
          const apart = right <= image.x + 1e-6 || left >= image.x + image.width - 1e-6;
          expect(
            apart,
            `${position}/${align}: ${l.text} [${left.toFixed(1)}, ${right.toFixed(1)}] vs logo [${image.x.toFixed(1)}, ${(image.x + image.width).toFixed(1)}]`,
          ).toBe(true);
        }
      }
  });

  it('breaks a sender, signature or recipient written in parts at the full-width spaces its author typed', async () => {
    const parts = ['株式会社組版工房', '代表取締役社長', '佐藤花子'];
    const dir = tempDir();
    writeFile(dir, 'content/narrow.yaml', 'extends: letter\nbody:\n  charsPerLine: 15\n');
    const source = `template: narrow.yaml\nsender: ${parts.join('　')}\nsignature: [${parts.join('　')}]\nbody: 本文です。\n`;
    const r = await buildSource(source, { workingDirectory: dir, root: dir }, 'content/letter.yaml');
    const wrapped = lines(r).filter((l) => l.text.startsWith('株式会社'));
    expect(wrapped.length).toBe(2);
    const all = lines(r);
    // 株式会社組版工房 / 代表取締役社長　佐藤花子: no part broken; the space at the break takes no room,
    // so the first line ends as flush as the second.
    for (const first of wrapped) {
      const second = all[all.indexOf(first) + 1]!;
      expect([first.text.trimEnd(), second.text]).toEqual([parts[0], `${parts[1]}　${parts[2]}`]);
      const end = (l: TextLineItem, char: string) =>
        glyphX(
          l,
          l.glyphs.findIndex((g) => g.text === char),
        ) + l.size;
      expect(end(first, '房')).toBeCloseTo(end(second, '子'), 1);
    }
    // Where both groupings fit the line, the more even one: the name stays with the title before it.
    writeFile(dir, 'content/narrow.yaml', 'extends: letter\nbody:\n  charsPerLine: 20\n');
    const wide = await buildSource(source, { workingDirectory: dir, root: dir }, 'content/letter.yaml');
    const sender = lines(wide).filter((l) => l.text.startsWith('株式会社') || l.text.startsWith('代表'));
    expect(sender.map((l) => l.text.trimEnd()).slice(0, 2)).toEqual([parts[0], `${parts[1]}　${parts[2]}`]);
  });

  it('sets a sender, signature or recipient too long for one line in balanced lines, no stub of a name left alone', async () => {
    const long = '公益財団法人日本国際交流センター国際交流部アジア太平洋地域担当部長代理補佐役佐々木一郎';
    const r = await buildSource(
      `sender: ${long}\nsignature: [${long}]\nrecipient: [${long.replace('佐々木一郎', '山田太郎様')}]\nbody: 本文です。\n`,
    );
    const wrapped = lines(r).filter((l) => l.role !== 'body' && long.startsWith(l.text.slice(0, 6)));
    expect(wrapped.length).toBeGreaterThanOrEqual(3);
    const all = lines(r);
    for (const first of wrapped) {
      const second = all[all.indexOf(first) + 1]!;
      // The two lines of the field are within a few characters of each other.
      expect(
        Math.abs(Array.from(first.text).length - Array.from(second.text).length),
        `${first.text} / ${second.text}`,
      ).toBeLessThanOrEqual(6);
    }
  });

  it('turns a recipient line over an em further in, so that its second line is not taken for another', async () => {
    const long = '公益財団法人日本国際交流センター国際交流部アジア太平洋地域担当部長代理補佐役山田太郎様';
    const r = await buildSource(`recipient: [${long}, 二行目の宛名様]\nbody: 本文です。\n`);
    const all = lines(r);
    const first = all.find((l) => l.text.startsWith('公益財団法人'))!;
    const second = all[all.indexOf(first) + 1]!;
    const next = all.find((l) => l.text.startsWith('二行目'))!;
    expect(long.startsWith(first.text.trimEnd())).toBe(true);
    expect(second.x - first.x).toBeCloseTo(first.size, 3);
    expect(next.x).toBeCloseTo(first.x, 3);
  });

  it('cuts a continuation header longer than its line with an ellipsis, and says so once', async () => {
    const body = Array.from({ length: 60 }, (_, k) => `第${k + 1}段落の本文です。`).join('\n\n  ');
    const template = 'extends: letter\ncontinuation:\n  text: "{recipient}　{page} / {pages}　{title}"\n';
    const dir = tempDir();
    const file = writeFile(dir, 'cont.yaml', template);
    const title = '中央アジア地域における日本語教育支援事業の実施に関するご報告';
    const recipient = '独立行政法人国際協力機構中央アジア・コーカサス地域部　中央アジア第一課課長補佐　山田太郎様';
    const r = await buildSource(`template: ${file}\ntitle: ${title}\nrecipient: [${recipient}]\nbody: |\n  ${body}\n`, { root: dir });
    const heads = r.layout.pages
      .slice(1)
      .flatMap((p) => p.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'runningHead'));
    expect(heads.length).toBe(r.pages - 1);
    const block = r.layout.block;
    for (const head of heads) {
      expect(head.text.endsWith('…')).toBe(true);
      expect(head.x + head.width * head.size).toBeLessThanOrEqual(block.x + block.width + 1e-6);
    }
    const told = r.warnings.filter((w) => w.startsWith('the header of the following pages'));
    expect(told).toEqual([expect.stringContaining('shorten continuation.text in the template, or the fields it names')]);
  });
});

describe('kanji outside the body font', () => {
  const glyphsOf = (r: BuildResult) => lines(r).flatMap((l) => l.glyphs.filter((g) => g.text !== ''));

  it('sets 𠮷 from the template’s fallback face and gives it back in the text layer', async () => {
    const r = await buildSource('body: 𠮷野家の𠮷田さん\n');
    const yoshi = glyphsOf(r).filter((g) => g.text === '𠮷');
    expect(yoshi).toHaveLength(2);
    expect(yoshi.every((g) => g.font === 0)).toBe(true);
    expect(glyphsOf(r).find((g) => g.text === '野')!.font).toBe('main');
    expect(r.expectedText).toContain('𠮷野家の𠮷田さん');
  });

  it('keeps an ideographic variation sequence together, from a face that lists it, never the base glyph alone', async () => {
    // 葛 + VS17 is listed by BIZ UD Mincho (cmap 14); 仼 + VS17 is not (it has only 仼), but HanaMinA lists it.
    const r = await buildSource('body: 葛\u{E0100}城の仼\u{E0100}と仼\n');
    const glyphs = glyphsOf(r);
    expect(glyphs.find((g) => g.text.startsWith('葛'))).toMatchObject({ text: '葛\u{E0100}', font: 'main' });
    const [variant, plain] = glyphs.filter((g) => g.text.startsWith('仼'));
    expect(variant).toMatchObject({ text: '仼\u{E0100}', font: 0 });
    expect(plain).toMatchObject({ text: '仼', font: 'main' });
    expect(r.expectedText).toContain('仼\u{E0100}と仼');
  });

  it('is an error naming every face when none has the kanji, and never used for an emoji', async () => {
    const kanji = await kumihanErrorOf(() => buildSource('body: 本文の\u{2A700}です。\n'));
    expect(kanji.message).toMatch(/U\+2A700.*BIZUDMincho-Regular or HanaMinA/);
    const emoji = await kumihanErrorOf(() => buildSource('body: 本文の😀です。\n'));
    expect(emoji.message).toContain('U+1F600');
    expect(emoji.message).not.toContain('HanaMinA');
  });
});

describe('page numbers', () => {
  it('are left out of a letter of one page, and set on every page of a longer one', async () => {
    const footers = (r: BuildResult) =>
      r.layout.pages.map((p) => p.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'footer').map((i) => i.text));
    expect(footers(await buildSource('body: 本文です。\n'))).toEqual([[]]);
    const long = Array.from({ length: 40 }, (_, i) => `  段落${i}です。`).join('\n\n');
    const two = footers(await buildSource(`body: |\n${long}\n`));
    expect(two.length).toBeGreaterThan(1);
    expect(two[0]).toEqual(['- 1 -']);
    expect(two[1]).toEqual(['- 2 -']);
  });
});

describe('header fields too long for their line', () => {
  it('a Western recipient wraps ragged (word spaces stay word spaces), a Japanese title between words', async () => {
    const recipient = 'Embassy of the Republic of Kazakhstan to Japan, Department of Cultural and Educational Exchange Programmes';
    const title = '外交関係樹立二十五周年を記念する両国の文化交流事業の実施と今後の協力体制の構築についてのご案内';
    const r = await buildSource(`recipient: ["${recipient}"]\ntitle: ${title}\nbody: 本文です。\n`);
    const header = lines(r).filter((l) => l.role === 'header');
    const western = header.filter((l) => recipient.includes(l.text.trim()) && l.text.length > 5);
    expect(western.length).toBeGreaterThan(1);
    for (const l of western.slice(0, -1))
      for (const [k, g] of l.glyphs.entries())
        if (g.text === ' ' && k + 1 < l.glyphs.length) expect(l.glyphs[k + 1]!.x - g.x, l.text).toBeLessThan(0.5);
    const titled = header.filter((l) => title.includes(l.text) && l.text.length > 3);
    expect(titled.map((l) => l.text).join('')).toBe(title);
    expect(titled.length).toBeGreaterThan(1);
    const words = new Set([...new Intl.Segmenter('ja', { granularity: 'word' }).segment(title)].map((w) => w.index));
    let at = 0;
    for (const l of titled.slice(0, -1)) {
      at += l.text.length;
      expect(words.has(at), `${l.text}／`).toBe(true);
    }
  });
});

describe('markup and mail merge', () => {
  it('fills placeholders inside list items and 記書き lines, and never reads a value as markup', async () => {
    const { applyRecipient } = await import('../../src/model/mailmerge.js');
    const { buildLoaded } = await import('../../src/build.js');
    const { loadDocument } = await import('../../src/model/load.js');
    const source =
      'body: |\n  {{name}}様\n  １．{{item}}\n\n  記\n  会場：{{place}}\n  以上\nrecipients:\n  - {name: 田中, item: "記", place: "・本社\\\\"}\n';
    const doc = applyRecipient(loadDocument(CONTENT, { source }), { name: '田中', item: '記', place: '・本社\\' }, '1');
    const r = await buildLoaded(doc);
    const text = lines(r).map((l) => l.text);
    expect(text).toContain('１．記');
    expect(text).toContain('会場：・本社\\');
    expect(text.filter((t) => t === '記')).toHaveLength(1); // the heading; the value 記 stayed text in its item
  });

  it('leaves out a paragraph or line left empty by an optional field: no blank line, the closing stays with the text', async () => {
    const { applyRecipient } = await import('../../src/model/mailmerge.js');
    const { buildLoaded } = await import('../../src/build.js');
    const { loadDocument } = await import('../../src/model/load.js');
    for (let n = 20; n <= 28; n++) {
      const paragraphs = Array.from({ length: n }, (_, i) => `  短い段落${i}です。`).join('\n\n');
      const source = `opening: 拝啓\nclosing: 敬具\nbody: |\n${paragraphs}\n\n  本社\\\n  {{room?}}\n\n  {{extra?}}\nrecipients: [{extra: "", room: ""}]\n`;
      const r = await buildLoaded(applyRecipient(loadDocument(CONTENT, { source }), { extra: '', room: '' }, '1'));
      const pages = r.layout.pages.map((p) => p.items.filter((i): i is TextLineItem => i.kind === 'text' && i.role === 'body'));
      const body = pages.flat();
      expect(body.map((l) => l.text).slice(-1), `${n} paragraphs`).toEqual(['本社']);
      // Consecutive one-line paragraphs on a page stand on consecutive grid lines: no empty line among them.
      for (const page of pages)
        for (let k = 1; k < page.length; k++)
          expect(page[k]!.baseline - page[k - 1]!.baseline, `${n} paragraphs: ${page[k]!.text}`).toBeCloseTo(
            page[1]!.baseline - page[0]!.baseline,
            3,
          );
      const closingPage = r.layout.pages.findIndex((p) => p.items.some((i) => i.kind === 'text' && i.text === '敬具'));
      expect(pages[closingPage]!.length, `${n} paragraphs`).toBeGreaterThan(0);
    }
  });
});
