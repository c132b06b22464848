import { describe, expect, test } from 'vitest';
import { splitParagraphs, splitParagraphsWithOffsets } from '../../src/model/paragraphs.js';

describe('splitParagraphs', () => {
  test('blank lines separate paragraphs; runs of blank lines count once', () => {
    expect(splitParagraphs('一段落目。\n\n二段落目。\n\n\n\n三段落目。\n')).toEqual(['一段落目。', '二段落目。', '三段落目。']);
  });

  test('whitespace-only lines (including U+3000) are blank', () => {
    expect(splitParagraphs('甲。\n  \t\n乙。\n\u3000\n丙。')).toEqual(['甲。', '乙。', '丙。']);
  });

  test('Japanese lines are concatenated without a space', () => {
    expect(splitParagraphs('日本政府を代表し，日本と\nカザフスタンの外交関係')).toEqual(['日本政府を代表し，日本とカザフスタンの外交関係']);
  });

  test('a space is inserted between Latin letters or digits', () => {
    expect(splitParagraphs('Smart Mix with\nTechnology')).toEqual(['Smart Mix with Technology']);
    expect(splitParagraphs('version\n2')).toEqual(['version 2']);
    expect(splitParagraphs('café\nÉcole')).toEqual(['café École']);
  });

  test('the space between Latin words is kept when inline markup opens or closes a word at the line break', () => {
    expect(splitParagraphs('Word\n《《emph》》です')).toEqual(['Word 《《emph》》です']);
    expect(splitParagraphs('Word\n｜a《ruby》')).toEqual(['Word ｜a《ruby》']);
    expect(splitParagraphs('《《emph》》\nWord')).toEqual(['《《emph》》 Word']);
    expect(splitParagraphs('｜Web《ウェブ》\nsite')).toEqual(['｜Web《ウェブ》 site']);
    expect(splitParagraphs('《《強調》》\nです')).toEqual(['《《強調》》です']);
  });

  test('a space follows word-ending punctuation before a Latin word', () => {
    expect(splitParagraphs('the end.\nNext')).toEqual(['the end. Next']);
  });

  test('no space between Latin and Japanese', () => {
    expect(splitParagraphs('「Smart\n」です')).toEqual(['「Smart」です']);
    expect(splitParagraphs('日本\nJapan')).toEqual(['日本Japan']);
  });

  test('trailing spaces before a line break become exactly one space', () => {
    expect(splitParagraphs('Smart Mix with   \nTechnology')).toEqual(['Smart Mix with Technology']);
    expect(splitParagraphs('日本 \nカザフスタン')).toEqual(['日本 カザフスタン']);
  });

  test('leading ASCII indentation is dropped, U+3000 is kept', () => {
    expect(splitParagraphs('  日本\n    と')).toEqual(['日本と']);
    expect(splitParagraphs('\u3000日本は')).toEqual(['\u3000日本は']);
  });

  test('CRLF line ends', () => {
    expect(splitParagraphs('甲\r\n乙\r\n\r\n丙\r\n')).toEqual(['甲乙', '丙']);
  });

  test('offsets point at each character in the body', () => {
    const body = 'ab\ncd\n\n  日本\n語';
    const spans = splitParagraphsWithOffsets(body);
    expect(spans.map((s) => s.text)).toEqual(['ab cd', '日本語']);
    for (const span of spans) {
      expect(span.bodyOffsets).toHaveLength(span.text.length);
      [...span.text].forEach((ch, i) => {
        if (ch !== ' ') expect(body[span.bodyOffsets[i]]).toBe(ch);
      });
    }
    // The inserted space stands for the line break it replaces.
    expect(body[spans[0].bodyOffsets[2]]).toBe('\n');
  });
});
