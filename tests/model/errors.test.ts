import { describe, expect, test } from 'vitest';
import { formatError } from '../../src/errors.js';
import { loadDocument } from '../../src/model/load.js';
import { BASE_TEMPLATE, MINIMAL_CONTENT, catchKumihanError, makeSandbox } from './helpers.js';

/** Loads content text against a sandbox with a valid default template (or the one given). */
function loadContent(content: string, template = BASE_TEMPLATE) {
  const box = makeSandbox();
  box.write('templates/letter.yaml', template);
  return loadDocument('content/doc.yaml', { projectRoot: box.root, source: content });
}

function templateError(template: string) {
  return catchKumihanError(() => loadContent(MINIMAL_CONTENT, template));
}

describe('YAML syntax errors', () => {
  test('carry file, line, column and the source line', () => {
    // An unterminated string is shown where it begins, not at the end of the file.
    const err = catchKumihanError(() => loadContent('title: ok\nbody: "unterminated\nsender: x\n'));
    expect(err.kind).toBe('yaml-syntax');
    expect(err.location).toMatchObject({ file: 'content/doc.yaml', line: 2, column: 7, sourceLine: 'body: "unterminated' });
    expect(err.message).toMatch(/^YAML syntax error: Missing closing "quote/);
  });

  test('an unclosed flow collection points at its opening bracket, not where yaml gave up', () => {
    const err = catchKumihanError(() => loadContent('title: ok\nrecipient: [a, b\nbody: 本文\n'));
    expect(err.kind).toBe('yaml-syntax');
    expect(err.message).toMatch(/end with a \]/);
    expect(err.location).toMatchObject({ line: 2, column: 12, sourceLine: 'recipient: [a, b' });
    // Brackets in quotes and comments are not flow collections; the innermost open one is reported.
    const quoted = catchKumihanError(() =>
      loadContent('title: "[見出し]" # [注]\nrecipient: {name: [a, b], to: [c\nbody: 本文\nsender: x\n'),
    );
    expect(quoted.location).toMatchObject({ line: 2, column: 31 });
  });

  test('duplicate keys are a syntax error at the second key', () => {
    const err = catchKumihanError(() => loadContent('title: a\nbody: b\ntitle: c\n'));
    expect(err.kind).toBe('yaml-syntax');
    expect(err.location).toMatchObject({ line: 3, column: 1, sourceLine: 'title: c' });
  });

  test('formatError shows the line with a caret', () => {
    const err = catchKumihanError(() => loadContent('title: a\nbody: b\ntitle: c\n'));
    const text = formatError(err);
    expect(text).toContain('content/doc.yaml:3:1');
    expect(text).toContain('   3 | title: c');
    expect(text.split('\n')[2]).toMatch(/^ +\^$/);
  });
});

describe('content schema errors', () => {
  test('an unknown field names the field, suggests the right one, and points at the key', () => {
    const err = catchKumihanError(() => loadContent('body: 本文\n\ntitel: 表題\n'));
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/unknown field "titel"/);
    expect(err.message).toMatch(/did you mean title\?/);
    expect(err.location).toMatchObject({ file: 'content/doc.yaml', line: 3, column: 1, path: 'titel', sourceLine: 'titel: 表題' });
  });

  test('an unknown field without a close match lists the allowed fields', () => {
    const err = catchKumihanError(() => loadContent('body: 本文\npdf:\n  zzzzzzzz: 1\n'));
    expect(err.message).toMatch(/unknown field "zzzzzzzz"; allowed fields: title, author, subject, keywords/);
    expect(err.location).toMatchObject({ line: 3, column: 3, path: 'pdf.zzzzzzzz' });
  });

  test('wrong type', () => {
    const err = catchKumihanError(() => loadContent('body: 本文\nrecipient: 山田様\n'));
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/expected a list, got "山田様"/);
    expect(err.location).toMatchObject({ line: 2, column: 12, path: 'recipient' });
  });

  test('wrong type inside a list reports the index', () => {
    const err = catchKumihanError(() => loadContent('body: 本文\nrecipient:\n  - 株式会社\n  - 3\n'));
    expect(err.message).toMatch(/expected a string, got 3/);
    expect(err.location).toMatchObject({ line: 4, column: 5, path: 'recipient[1]' });
  });

  test('missing body', () => {
    const err = catchKumihanError(() => loadContent('title: 表題\n'));
    expect(err.message).toMatch(/missing required field "body"/);
    expect(err.location.path).toBe('body');
  });

  test('empty body', () => {
    const err = catchKumihanError(() => loadContent('title: 表題\nbody: |\n\n  \n'));
    expect(err.message).toMatch(/body must not be empty/);
    expect(err.location).toMatchObject({ line: 2, path: 'body' });
  });

  test('bad enum lists the allowed values', () => {
    const err = catchKumihanError(() => loadContent('body: 本文\ndate: 2017-01\ndateStyle: japanese\n'));
    expect(err.message).toMatch(/expected one of "wareki", "western", "literal", got "japanese"/);
    expect(err.location).toMatchObject({ line: 3, column: 12, path: 'dateStyle' });
  });

  test('an impossible date points at the date field', () => {
    const err = catchKumihanError(() => loadContent('body: 本文\ndate: 2017-02-30\n'));
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/2017-02-30/);
    expect(err.location).toMatchObject({ line: 2, column: 7, path: 'date' });
  });

  test('an unquoted date stays a string (YAML 1.2 core schema)', () => {
    const doc = loadContent('body: 本文\ndate: 2017-01-26\n');
    expect(doc.content.date).toBe('2017-01-26');
    expect(doc.dateText).toBe('平成２９年１月２６日');
  });

  test('every problem in the file is reported, the first in the file first', () => {
    const err = catchKumihanError(() => loadContent('sender: 1\ntitle: 2\nbody: 本文\n'));
    expect(err.location.line).toBe(1);
    expect(err.others.map((other) => other.location.line)).toEqual([2]);
    expect(
      formatError(err)
        .split('\n')
        .filter((line) => /^content\/doc\.yaml:\d+:\d+: /.test(line)),
    ).toHaveLength(2);
  });

  test('an empty content file', () => {
    const err = catchKumihanError(() => loadContent('# nothing here\n'));
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/empty/);
  });
});

describe('template schema errors', () => {
  test('bad length', () => {
    const err = templateError(BASE_TEMPLATE.replace('size: 10pt', 'size: 10px'));
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/expected a length like 12mm or 10\.5pt, got "10px"/);
    expect(err.location).toMatchObject({ line: 11, column: 9, path: 'body.size', sourceLine: '  size: 10px' });
    expect(err.location.file).toMatch(/letter\.yaml$/);
    // One problem, one message: not also "must be greater than zero" for a length it could not read.
    expect(err.others).toEqual([]);
  });

  test('a length of the wrong type', () => {
    const err = templateError(BASE_TEMPLATE.replace('size: 10pt', 'size: true'));
    expect(err.message).toMatch(/expected a length like 12mm or 10\.5pt, got true/);
  });

  test('zero font size', () => {
    const err = templateError(BASE_TEMPLATE.replace('size: 10pt', 'size: 0mm'));
    expect(err.message).toMatch(/greater than zero/);
    expect(err.location.path).toBe('body.size');
  });

  test('bad length inside the margins mapping', () => {
    const err = templateError(
      BASE_TEMPLATE.replace('margins: 25mm', 'margins:\n    top: 2 5mm\n    bottom: 1in\n    left: 1in\n    right: 1in'),
    );
    expect(err.message).toMatch(/expected a length/);
    expect(err.location).toMatchObject({ line: 4, path: 'page.margins.top' });
  });

  test('bad enum in a list item lists the allowed values and suggests', () => {
    const err = templateError(BASE_TEMPLATE.replace('    align: center\n', '    align: centre\n'));
    expect(err.message).toMatch(/expected one of "start", "center", "end", got "centre" — did you mean center\?/);
    expect(err.location).toMatchObject({ line: 18, column: 12, path: 'header[1].align' });
  });

  test('unknown page size suggests the right spelling', () => {
    const err = templateError(BASE_TEMPLATE.replace('size: A4', 'size: a4'));
    expect(err.message).toMatch(/expected one of "A3", "A4", "A5", "B5", "B6", "Letter", got "a4" — did you mean A4\?/);
    expect(err.location.path).toBe('page.size');
  });

  test('unknown field in a template', () => {
    const err = templateError(BASE_TEMPLATE.replace('  charsPerLine: 40', '  charPerLine: 40'));
    expect(err.message).toMatch(/unknown field "charPerLine" — did you mean charsPerLine\?/);
    expect(err.location).toMatchObject({ line: 12, column: 3, path: 'body.charPerLine' });
    // The misspelling is one problem, not also "missing charsPerLine".
    expect(err.message).not.toMatch(/more problem/);
  });

  test('integer fields reject fractions and out-of-range values', () => {
    expect(templateError(BASE_TEMPLATE.replace('charsPerLine: 40', 'charsPerLine: 40.5')).message).toMatch(/expected an integer/);
    const tooFew = templateError(BASE_TEMPLATE.replace('charsPerLine: 40', 'charsPerLine: 3'));
    expect(tooFew.message).toMatch(/≥ 5/);
    expect(tooFew.location.path).toBe('body.charsPerLine');
  });

  test('rule: boolean or mapping', () => {
    const err = templateError(BASE_TEMPLATE.replace('rule: true', 'rule: 3'));
    expect(err.message).toMatch(/expected true or false or a mapping/);
    const deep = templateError(BASE_TEMPLATE.replace('rule: true', 'rule:\n    thickness: thin'));
    expect(deep.message).toMatch(/expected a length/);
    expect(deep.location.path).toBe('letterhead.rule.thickness');
  });

  test('page-number format placeholders', () => {
    expect(templateError(BASE_TEMPLATE.replace("'{page} / {pages}'", "'{pgae}'")).message).toMatch(/\{page\}/);
    expect(templateError(BASE_TEMPLATE.replace("'{page} / {pages}'", "'{page} of {total}'")).message).toMatch(/unknown placeholder/);
  });
});

describe('characters that would act on the terminal', () => {
  test('bidirectional controls in a message or source line are shown escaped, never sent raw', async () => {
    const { KumihanError } = await import('../../src/errors.js');
    const err = new KumihanError('schema', 'the name \u202eevil\u202c is bad \u2066x\u2069', {
      file: 'a.yaml',
      line: 1,
      column: 1,
      sourceLine: 'title: \u202etxt.exe',
    });
    const text = formatError(err);
    expect(text).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('\\u202e');
    expect(text).toContain('\\u2066');
  });
});
