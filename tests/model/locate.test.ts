import { describe, expect, test } from 'vitest';
import { loadDocument } from '../../src/model/load.js';
import { BASE_TEMPLATE, makeSandbox } from './helpers.js';

function loadContent(content: string) {
  const box = makeSandbox();
  box.write('templates/letter.yaml', BASE_TEMPLATE);
  return loadDocument('content/doc.yaml', { projectRoot: box.root, source: content });
}

/** The character at a location, read back from the source it was computed from. */
function charAt(source: string, location: { line?: number; column?: number }): string {
  const line = source.split('\n')[location.line! - 1];
  return line[location.column! - 1];
}

describe('locate(fieldPath)', () => {
  test('points at a field value', () => {
    const source = 'title: 表題\nrecipient:\n  - 山田様\n  - 佐藤様\nbody: 本文\n';
    const doc = loadContent(source);
    expect(doc.locate(['title'])).toMatchObject({ file: 'content/doc.yaml', line: 1, column: 8, path: 'title' });
    expect(doc.locate(['recipient', 1])).toMatchObject({ line: 4, column: 5, sourceLine: '  - 佐藤様' });
  });
});

describe('locateBodyOffset', () => {
  test('literal block: every character maps exactly', () => {
    const source = [
      'title: 表題',
      'body: |',
      '    日本とカザフスタンは，',
      '    外交関係を樹立しました。',
      '',
      '    Smart Mix with',
      '    Technology です。',
      '',
    ].join('\n');
    const doc = loadContent(source);
    expect(doc.paragraphs).toEqual(['日本とカザフスタンは，外交関係を樹立しました。', 'Smart Mix with Technology です。']);
    doc.paragraphs.forEach((paragraph, p) => {
      [...paragraph].forEach((ch, i) => {
        if (ch === ' ' && i === paragraph.indexOf(' Technology')) return; // the joined line break
        expect(charAt(source, doc.locateBodyOffset(p, i))).toBe(ch);
      });
    });
    const location = doc.locateBodyOffset(0, doc.paragraphs[0].indexOf('外'));
    expect(location).toMatchObject({ line: 4, column: 5, path: 'body', sourceLine: '    外交関係を樹立しました。' });
    expect(doc.locateBodyOffset(1, doc.paragraphs[1].indexOf('T'))).toMatchObject({ line: 7, column: 5 });
  });

  test('folded block', () => {
    const source = 'body: >\n  日本と\n  カザフスタン\n\n  第二段落\n';
    const doc = loadContent(source);
    // Paragraphs follow the lines as written: YAML's folding would put a space between 日本と and カザフスタン.
    expect(doc.content.body).toBe('日本と カザフスタン\n第二段落\n');
    expect(doc.paragraphs).toEqual(['日本とカザフスタン', '第二段落']);
    const location = doc.locateBodyOffset(0, doc.paragraphs[0].indexOf('カ'));
    expect(location).toMatchObject({ line: 3, column: 3 });
    expect(charAt(source, doc.locateBodyOffset(1, 1))).toBe('二');
  });

  test('plain multi-line scalar', () => {
    const source = 'body: 一行目の\n  続きの行\n';
    const doc = loadContent(source);
    expect(doc.paragraphs).toEqual(['一行目の続きの行']);
    const location = doc.locateBodyOffset(0, doc.paragraphs[0].indexOf('続'));
    expect(location).toMatchObject({ line: 2, column: 3 });
  });

  test('double-quoted scalar with an escape before the character', () => {
    const source = 'body: "前\\u3000後ろ"\n';
    const doc = loadContent(source);
    expect(doc.paragraphs[0]).toBe('前\u3000後ろ');
    const location = doc.locateBodyOffset(0, 2);
    expect(charAt(source, location)).toBe('後');
  });
});
