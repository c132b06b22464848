/**
 * The body markup (src/model/markup.ts): paragraphs, hard breaks, lists, 記書き and escapes, each
 * character still tied to its place in the body.
 */
import { describe, expect, it } from 'vitest';
import { MarkupError, parseBody, type MarkupBlock } from '../../src/model/markup.js';

/** The blocks with their units as text, for readable expectations. */
function parsed(body: string) {
  const { blocks, units } = parseBody(body);
  const t = (k: number | undefined) => (k === undefined ? undefined : units[k]!.text);
  const show = (b: MarkupBlock) => {
    switch (b.kind) {
      case 'paragraph':
        return { paragraph: b.lines.map(t) };
      case 'list':
        return { list: b.items.map((i) => [i.level, t(i.marker), ...i.lines.map(t)]) };
      case 'kigaki':
        return { kigaki: b.items.map((i) => [t(i.marker), t(i.label), ...i.lines.map(t)]) };
      case 'end':
        return { end: t(b.mark) };
    }
  };
  return blocks.map(show);
}

describe('paragraphs and hard breaks', () => {
  it('joins a paragraph’s lines and separates paragraphs by a blank line', () => {
    expect(parsed('一行目と\n二行目。\n\n次の段落。')).toEqual([{ paragraph: ['一行目と二行目。'] }, { paragraph: ['次の段落。'] }]);
  });
  it('keeps a line break the author asked for with a backslash at the line end', () => {
    expect(parsed('日時　午後２時〜４時\\\n会場　本社５階')).toEqual([{ paragraph: ['日時　午後２時〜４時', '会場　本社５階'] }]);
  });
  it('treats an escaped backslash at the line end as text, not a break', () => {
    expect(parsed('円記号\\\\\n続き')).toEqual([{ paragraph: ['円記号\\続き'] }]);
  });
});

describe('lists', () => {
  it('numbered as written: １． and （１） and ①, items continued by unmarked lines', () => {
    expect(parsed('１．日時\n２．会場は\n本社です\n\n（１）甲\n（２）乙\n\n①丙')).toEqual([
      {
        list: [
          [0, '１．', '日時'],
          [0, '２．', '会場は本社です'],
        ],
      },
      {
        list: [
          [0, '（１）', '甲'],
          [0, '（２）', '乙'],
        ],
      },
      { list: [[0, '①', '丙']] },
    ]);
  });
  it('bulleted with ・, and - or * printed as ・', () => {
    expect(parsed('・一つ\n- 二つ\n* 三つ')).toEqual([
      {
        list: [
          [0, '・', '一つ'],
          [0, '・', '二つ'],
          [0, '・', '三つ'],
        ],
      },
    ]);
  });
  it('nests a list indented under an item', () => {
    expect(parsed('１．外\n  ・内\n  ・内二\n２．外二')).toEqual([
      {
        list: [
          [0, '１．', '外'],
          [1, '・', '内'],
          [1, '・', '内二'],
          [0, '２．', '外二'],
        ],
      },
    ]);
  });
  it('numbered with a closing parenthesis or a letter as written: １） 1) Ａ． a. a)', () => {
    for (const [marker, gap] of [
      ['１）', ''],
      ['1)', ' '],
      ['Ａ．', ''],
      ['ａ）', ''],
      ['a.', ' '],
      ['b)', ' '],
      ['B.', ' '],
      ['(ii)', ' '],
      ['(iv)', ''],
      ['ア．', ''],
      ['イ）', ''],
    ])
      expect(parsed(`${marker}${gap}日時\n${marker}${gap}会場`), marker).toEqual([
        {
          list: [
            [0, marker, '日時'],
            [0, marker, '会場'],
          ],
        },
      ]);
  });
  it('does not take numbers or words in prose for markers: １．５倍, 1.5, (株), a.m., Ａ．Ｂ．Ｃ', () => {
    expect(parsed('１．５倍です。')).toEqual([{ paragraph: ['１．５倍です。'] }]);
    expect(parsed('1.5倍です。')).toEqual([{ paragraph: ['1.5倍です。'] }]);
    expect(parsed('（株）見本です。')).toEqual([{ paragraph: ['（株）見本です。'] }]);
    expect(parsed('a.m.の会議です。')).toEqual([{ paragraph: ['a.m.の会議です。'] }]);
    expect(parsed('1)の場合です。')).toEqual([{ paragraph: ['1)の場合です。'] }]);
    expect(parsed('Ａ．Ｂ．Ｃ．の三社です。')).toEqual([{ paragraph: ['Ａ．Ｂ．Ｃ．の三社です。'] }]);
    expect(parsed('アイスクリームです。')).toEqual([{ paragraph: ['アイスクリームです。'] }]);
  });
  it('takes a full-width number whose item starts with a month for a marker: １．４月１２日 is no decimal (１．５月 is never written)', () => {
    expect(parsed('行事予定です。\n１．４月１２日（日）総会\n２．１０月１日（木）見学会')).toEqual([
      { paragraph: ['行事予定です。'] },
      {
        list: [
          [0, '１．', '４月１２日（日）総会'],
          [0, '２．', '１０月１日（木）見学会'],
        ],
      },
    ]);
    // A decimal before another counter stays a number.
    expect(parsed('１．５日かかります。')).toEqual([{ paragraph: ['１．５日かかります。'] }]);
  });
  it('starts a list at its first marker line after prose', () => {
    expect(parsed('次のとおりです。\n１．甲\n２．乙')).toEqual([
      { paragraph: ['次のとおりです。'] },
      {
        list: [
          [0, '１．', '甲'],
          [0, '２．', '乙'],
        ],
      },
    ]);
  });
  it('writes a marker literally after a backslash', () => {
    expect(parsed('\\・は中黒です。')).toEqual([{ paragraph: ['・は中黒です。'] }]);
  });
});

describe('記書き', () => {
  it('takes the lines between 記 and 以上 as items, with list markers and aligned labels', () => {
    expect(parsed('下記のとおりです。\n\n記\n\n１．日時：１２月１０日\n２．会場：本社\n\n以上')).toEqual([
      { paragraph: ['下記のとおりです。'] },
      {
        kigaki: [
          ['１．', '日時：', '１２月１０日'],
          ['２．', '会場：', '本社'],
        ],
      },
    ]);
  });
  it('continues an item under its text after a line ending in a backslash', () => {
    expect(parsed('記\n１．日時：今日\\\n  午後２時\n２．会場：本社\n以上')).toEqual([
      {
        kigaki: [
          ['１．', '日時：', '今日', '午後２時'],
          ['２．', '会場：', '本社'],
        ],
      },
    ]);
  });
  it('nests the items of a marker indented further, as a list does (their own level)', () => {
    const { blocks, units } = parseBody('記\n1. 日時：今日\n2. 持ち物\n  - 細目1：写し\n  - 細目2：証明書\n3. 場所：本社\n以上');
    const block = blocks[0]!;
    expect(block.kind).toBe('kigaki');
    if (block.kind !== 'kigaki') return;
    expect(block.items.map((i) => [i.level, units[i.marker!]!.text, i.label === undefined ? '' : units[i.label]!.text])).toEqual([
      [0, '1.', '日時：'],
      [0, '2.', ''],
      [1, '・', '細目1：'],
      [1, '・', '細目2：'],
      [0, '3.', '場所：'],
    ]);
  });
  it('takes lines without labels as they are', () => {
    expect(parsed('記\n日　時　　午後２時\n以上')).toEqual([{ kigaki: [[undefined, undefined, '日　時　　午後２時']] }]);
  });
  it('takes 以上 alone outside a 記書き as the end of the text: never joined to the paragraph before', () => {
    expect(parsed('臨時休業といたします。\n以上')).toEqual([{ paragraph: ['臨時休業といたします。'] }, { end: '以上' }]);
    expect(parsed('本文。\n\n　以上　\n')).toEqual([{ paragraph: ['本文。'] }, { end: '以上' }]);
    expect(parsed('・甲\n・乙\n以上')).toEqual([
      {
        list: [
          [0, '・', '甲'],
          [0, '・', '乙'],
        ],
      },
      { end: '以上' },
    ]);
    // In a sentence, or written \以上, it is text.
    expect(parsed('以上のとおりです。\n\\以上')).toEqual([{ paragraph: ['以上のとおりです。以上'] }]);
  });
  it('writes 記 itself after a backslash', () => {
    expect(parsed('\\記')).toEqual([{ paragraph: ['記'] }]);
  });
  it('refuses a 記 without 以上, at the 記', () => {
    const body = '本文。\n\n記\n１．日時\n';
    expect(() => parseBody(body)).toThrow(MarkupError);
    try {
      parseBody(body);
    } catch (e) {
      expect((e as MarkupError).bodyOffset).toBe(body.indexOf('記'));
      expect((e as MarkupError).message).toContain('以上');
    }
  });
  it('refuses a 記 inside a 記書き, at the second', () => {
    const body = '記\n甲\n記\n以上';
    try {
      parseBody(body);
      expect.unreachable();
    } catch (e) {
      expect((e as MarkupError).bodyOffset).toBe(body.lastIndexOf('記'));
    }
  });
});

describe('source offsets', () => {
  it('tie every character of every unit to its place in the body, escapes and markers included', () => {
    const body = '　段落の\\・です\n\n１．項目\\\n続き\n\n記\n日時：今日\n以上';
    const { units } = parseBody(body);
    for (const unit of units) {
      expect(unit.bodyOffsets).toHaveLength(unit.text.length);
      [...unit.text].forEach((ch, i) => {
        expect(body[unit.bodyOffsets[i]!]).toBe(ch);
      });
    }
  });
});
