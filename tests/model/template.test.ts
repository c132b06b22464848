import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDocument } from '../../src/model/load.js';
import { deepMerge } from '../../src/model/merge.js';
import { PAGE_SIZES, mmToPt } from '../../src/units.js';
import { BASE_TEMPLATE, MINIMAL_CONTENT, catchKumihanError, makeSandbox } from './helpers.js';

function sandboxWithBase() {
  const box = makeSandbox();
  box.write('templates/base.yaml', BASE_TEMPLATE);
  return box;
}

function load(box: ReturnType<typeof makeSandbox>, content: string, opts: { template?: string } = {}) {
  const contentPath = box.write('content/doc.yaml', content);
  return loadDocument(contentPath, { projectRoot: box.root, root: box.root, ...opts });
}

describe('deepMerge', () => {
  test('objects merge, arrays and scalars replace, null removes', () => {
    const base = { a: { x: 1, y: 2 }, list: [1, 2, 3], s: 'base', gone: { deep: true } };
    const override = { a: { y: 20, z: 30 }, list: [9], s: 'derived', gone: null };
    expect(deepMerge(base, override)).toEqual({ a: { x: 1, y: 20, z: 30 }, list: [9], s: 'derived' });
    // Inputs are not modified.
    expect(base.a).toEqual({ x: 1, y: 2 });
  });
});

describe('resolution', () => {
  test('lengths become points, fonts absolute paths, defaults are filled', () => {
    const box = sandboxWithBase();
    const doc = load(box, `template: base\n${MINIMAL_CONTENT}`);
    const t = doc.template;
    expect(t.page.size).toEqual([...PAGE_SIZES.A4]);
    expect(t.page.margins.left).toBeCloseTo(mmToPt(25), 6);
    expect(t.page.margins.top).toBeCloseTo(mmToPt(25), 6);
    expect(t.body.size).toBe(10);
    expect(t.fonts.mincho.file).toBe(path.join(box.root, 'fonts', 'Mincho.ttf'));
    expect(t.body.indent).toBe(1);
    expect(t.body.lineBreak).toBe('strict');
    expect(t.body.openingBracketIndent).toBe('jis');
    expect(t.body.digits).toBe('fullwidth');
    expect(t.header[0]).toEqual({ field: 'date', align: 'end', font: 'mincho', size: 10, spaceBefore: 0, indent: 0 });
    expect(t.header[1].font).toBe('gothic');
    expect(t.letterhead?.rule).toEqual({ thickness: 0.5, color: '#000000' });
    expect(t.footer?.pageNumbers).toBe('{page} / {pages}');
    expect(t.footer?.offset).toBeCloseTo(mmToPt(25) / 2, 6);
    expect(doc.templateFiles).toEqual([path.join(box.root, 'templates', 'base.yaml')]);
  });

  test('landscape swaps width and height; explicit sizes in any unit', () => {
    const box = sandboxWithBase();
    box.write(
      'templates/wide.yaml',
      'extends: base\npage:\n  size: [100mm, 6in]\n  orientation: landscape\n  margins: 5mm\nbody:\n  linesPerPage: 20\n',
    );
    const t = load(box, `template: wide\n${MINIMAL_CONTENT}`).template;
    expect(t.page.size[0]).toBeCloseTo(6 * 72, 6);
    expect(t.page.size[1]).toBeCloseTo(mmToPt(100), 6);
  });

  test('a page side up to 5080mm (200in, the largest page a PDF holds); larger is an error at the size', () => {
    const box = sandboxWithBase();
    box.write('templates/big.yaml', 'extends: base\npage:\n  size: [5080mm, 200in]\n  margins: 5mm\nbody:\n  linesPerPage: 20\n');
    expect(load(box, `template: big\n${MINIMAL_CONTENT}`).template.page.size[0]).toBeCloseTo(14400, 3);
    box.write('templates/huge.yaml', 'extends: base\npage:\n  size: [5081mm, 100mm]\n  margins: 5mm\nbody:\n  linesPerPage: 20\n');
    expect(() => load(box, `template: huge\n${MINIMAL_CONTENT}`)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^a page side may be at most 5080mm/),
        location: expect.objectContaining({ path: 'page.size[0]' }),
      }),
    );
  });

  test('a grid that does not fit between the margins is an error where the author changed things', () => {
    const box = sandboxWithBase();
    // Margins set by a template extending base: the margins are to blame.
    box.write('templates/wide.yaml', 'extends: base\npage:\n  margins: {top: 120mm, bottom: 120mm, left: 10mm, right: 10mm}\n');
    const margins = catchKumihanError(() => load(box, `template: wide\n${MINIMAL_CONTENT}`));
    expect(margins.location).toMatchObject({ file: expect.stringContaining('wide.yaml'), line: 3, path: 'page.margins' });
    expect(margins.message).toMatch(/^\d+ lines of [\d.]+pt do not fit into the text area height of [\d.]+pt$/);
    box.write('templates/none.yaml', 'extends: base\npage:\n  margins: {top: 200mm, bottom: 200mm, left: 10mm, right: 10mm}\n');
    const none = catchKumihanError(() => load(box, `template: none\n${MINIMAL_CONTENT}`));
    expect(none.message).toMatch(/^the margins leave no text area: the page is [\d.]+pt high, and the margins take 1133\.9pt of it$/);
    // Lines set by the extending template: the lines are.
    box.write('templates/many.yaml', 'extends: base\nbody:\n  linesPerPage: 200\n');
    const lines = catchKumihanError(() => load(box, `template: many\n${MINIMAL_CONTENT}`));
    expect(lines.location).toMatchObject({ file: expect.stringContaining('many.yaml'), line: 3, path: 'body.linesPerPage' });
  });

  test('binding: left for horizontal text, right for vertical text, unless the template says', () => {
    const box = sandboxWithBase();
    box.write('templates/tate.yaml', 'extends: base\nbody:\n  writingMode: vertical-rl\n  charsPerLine: 20\n  linesPerPage: 20\n');
    box.write('templates/tate-left.yaml', 'extends: tate\npage:\n  binding: left\n');
    expect(load(box, `template: base\n${MINIMAL_CONTENT}`).template.page.binding).toBe('left');
    expect(load(box, `template: tate\n${MINIMAL_CONTENT}`).template.page.binding).toBe('right');
    expect(load(box, `template: tate-left\n${MINIMAL_CONTENT}`).template.page.binding).toBe('left');
    box.write('templates/bad.yaml', 'extends: base\npage:\n  binding: top\n');
    const error = catchKumihanError(() => load(box, `template: bad\n${MINIMAL_CONTENT}`));
    expect(error.message).toMatch(/"left", "right"/);
    expect(error.location).toMatchObject({ line: 3, path: 'page.binding' });
    expect(error.location.file).toContain('bad.yaml');
  });

  test('the default template is letter', () => {
    const box = sandboxWithBase();
    box.write('templates/letter.yaml', BASE_TEMPLATE.replace('size: 10pt', 'size: 9pt'));
    expect(load(box, MINIMAL_CONTENT).template.body.size).toBe(9);
  });

  test('a template path relative to the content file', () => {
    const box = sandboxWithBase();
    box.write('content/local/mine.yaml', BASE_TEMPLATE.replace('charsPerLine: 40', 'charsPerLine: 33'));
    expect(load(box, `template: local/mine.yaml\n${MINIMAL_CONTENT}`).template.body.charsPerLine).toBe(33);
  });

  test('the --template override wins over the content', () => {
    const box = sandboxWithBase();
    box.write('templates/other.yaml', 'extends: base\nbody:\n  charsPerLine: 20\n');
    expect(load(box, `template: base\n${MINIMAL_CONTENT}`, { template: 'other' }).template.body.charsPerLine).toBe(20);
  });

  test('fonts: fonts/ first, else relative to the declaring template', () => {
    const box = sandboxWithBase();
    box.write('templates/sub/own.ttf', '');
    box.write('templates/sub/child.yaml', 'extends: ../base.yaml\nfonts:\n  own:\n    file: own.ttf\n    latin: PMincho.ttf\n');
    const t = load(box, `template: ../templates/sub/child.yaml\n${MINIMAL_CONTENT}`).template;
    expect(t.fonts.own.file).toBe(path.join(box.root, 'templates', 'sub', 'own.ttf'));
    expect(t.fonts.own.latin).toBe(path.join(box.root, 'fonts', 'PMincho.ttf'));
    expect(t.fonts.mincho.file).toBe(path.join(box.root, 'fonts', 'Mincho.ttf'));
  });

  test('a missing font file is a font error naming the path and the template line', () => {
    const box = sandboxWithBase();
    box.write('templates/bad.yaml', 'extends: base\nfonts:\n  mincho:\n    file: Nowhere.ttf\n');
    const err = catchKumihanError(() => load(box, `template: bad\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('font');
    expect(err.message).toContain(path.join(box.root, 'fonts', 'Nowhere.ttf'));
    expect(err.location.file).toContain('bad.yaml');
    expect(err.location.line).toBe(4);
    expect(err.location.path).toBe('fonts.mincho.file');
  });

  test('a missing font named with ../ is "not found" where the template points, not "outside the root" in kumihan\'s fonts/', () => {
    const box = sandboxWithBase();
    box.write('templates/bad.yaml', 'extends: base\nfonts:\n  mincho:\n    file: ../myfonts/Nowhere.ttf\n');
    const err = catchKumihanError(() => load(box, `template: bad\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('font');
    expect(err.message).toBe(`font file "../myfonts/Nowhere.ttf" not found (tried ${path.join(box.root, 'myfonts', 'Nowhere.ttf')})`);
  });

  test('a font name that is not declared', () => {
    const box = sandboxWithBase();
    box.write('templates/bad.yaml', 'extends: base\nbody:\n  font: minchoo\n');
    const err = catchKumihanError(() => load(box, `template: bad\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/unknown font "minchoo".*mincho, gothic/);
    expect(err.location).toMatchObject({ line: 3, path: 'body.font' });
  });

  test('a missing logo is an image error', () => {
    const box = sandboxWithBase();
    box.write('templates/bad.yaml', 'extends: base\nletterhead:\n  logo:\n    file: logo.png\n    width: 20mm\n');
    const err = catchKumihanError(() => load(box, `template: bad\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('image');
    expect(err.message).toContain(path.join(box.root, 'templates', 'logo.png'));
    expect(err.location.line).toBe(4);
  });

  test('a logo next to the template resolves; position follows the letterhead alignment', () => {
    const box = sandboxWithBase();
    box.write('templates/logo.png', 'not really a png');
    box.write('templates/withlogo.yaml', 'extends: base\nletterhead:\n  align: end\n  logo:\n    file: logo.png\n    width: 20mm\n');
    const lh = load(box, `template: withlogo\n${MINIMAL_CONTENT}`).template.letterhead;
    expect(lh?.logo).toEqual({ file: path.join(box.root, 'templates', 'logo.png'), width: mmToPt(20), position: 'right' });
    expect(lh?.name).toBe('株式会社テスト');
  });

  test('the character grid must fit between the margins (the error is at the margins a derived template narrowed)', () => {
    const box = sandboxWithBase();
    box.write('templates/tight.yaml', 'extends: base\npage:\n  margins:\n    left: 60mm\n');
    const err = catchKumihanError(() => load(box, `template: tight\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('template');
    expect(err.location).toMatchObject({ file: expect.stringContaining('tight.yaml'), path: 'page.margins' });
    box.write('templates/long.yaml', 'extends: base\nbody:\n  charsPerLine: 80\n');
    expect(catchKumihanError(() => load(box, `template: long\n${MINIMAL_CONTENT}`)).location.path).toBe('body.charsPerLine');
  });
});

describe('extends', () => {
  test('deep merge: a derived template overrides single fields and inherits the rest', () => {
    const box = sandboxWithBase();
    box.write('templates/child.yaml', 'extends: base\nbody:\n  size: 11pt\n  indent: 0\npage:\n  margins:\n    top: 40mm\n');
    const doc = load(box, `template: child\n${MINIMAL_CONTENT}`);
    const t = doc.template;
    expect(t.body.size).toBe(11);
    expect(t.body.indent).toBe(0);
    expect(t.body.charsPerLine).toBe(40); // inherited
    expect(t.body.font).toBe('mincho'); // inherited
    // One side overridden, the shorthand of the base still applies to the others.
    expect(t.page.margins.top).toBeCloseTo(mmToPt(40), 6);
    expect(t.page.margins.bottom).toBeCloseTo(mmToPt(25), 6);
    expect(doc.templateFiles.map((f) => path.basename(f))).toEqual(['child.yaml', 'base.yaml']);
  });

  test('margins named by inner and outer replace an inherited left and right, and the other way round', () => {
    const box = sandboxWithBase();
    box.write('templates/book.yaml', 'extends: base\npage:\n  margins: { top: 20mm, bottom: 20mm, inner: 22mm, outer: 15mm }\n');
    box.write('templates/flat.yaml', 'extends: book\npage:\n  margins: { left: 12mm, right: 14mm }\n');
    const book = load(box, `template: book\n${MINIMAL_CONTENT}`).template.page;
    expect(book.facing).toBe(true);
    expect(book.margins.left).toBeCloseTo(mmToPt(22), 6); // the inner margin, as on a right-hand page
    const flat = load(box, `template: flat\n${MINIMAL_CONTENT}`).template.page;
    expect(flat.facing).toBeFalsy();
    expect(flat.margins.left).toBeCloseTo(mmToPt(12), 6);
    expect(flat.margins.right).toBeCloseTo(mmToPt(14), 6);
    expect(flat.margins.top).toBeCloseTo(mmToPt(20), 6); // inherited
  });

  test('lists replace instead of merging', () => {
    const box = sandboxWithBase();
    box.write('templates/child.yaml', 'extends: base\nheader:\n  - field: sender\n    align: start\n');
    const t = load(box, `template: child\n${MINIMAL_CONTENT}`).template;
    expect(t.header.map((h) => h.field)).toEqual(['sender']);
  });

  test('null removes an inherited part', () => {
    const box = sandboxWithBase();
    box.write('templates/child.yaml', 'extends: base\nletterhead: null\nfooter:\n  pageNumbers: null\nheader: null\n');
    const t = load(box, `template: child\n${MINIMAL_CONTENT}`).template;
    expect(t.letterhead).toBeUndefined();
    expect(t.footer).toBeUndefined();
    expect(t.header).toEqual([]);
    // The base itself has them.
    const base = load(box, `template: base\n${MINIMAL_CONTENT}`).template;
    expect(base.letterhead).toBeDefined();
    expect(base.footer).toBeDefined();
  });

  test('three levels', () => {
    const box = sandboxWithBase();
    box.write('templates/mid.yaml', 'extends: base\nbody:\n  size: 11pt\n  charsPerLine: 30\n');
    box.write('templates/top.yaml', 'extends: mid\nbody:\n  size: 12pt\n');
    const doc = load(box, `template: top\n${MINIMAL_CONTENT}`);
    expect(doc.template.body.size).toBe(12);
    expect(doc.template.body.charsPerLine).toBe(30);
    expect(doc.templateFiles).toHaveLength(3);
  });

  test('a template extending itself is a cycle', () => {
    const box = sandboxWithBase();
    box.write('templates/self.yaml', 'extends: self\n');
    const err = catchKumihanError(() => load(box, `template: self\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/cycle.*self\.yaml.*self\.yaml/);
    expect(err.location.line).toBe(1);
  });

  test('an indirect cycle names every file', () => {
    const box = sandboxWithBase();
    box.write('templates/a.yaml', 'extends: b\n');
    box.write('templates/b.yaml', 'extends: c\n');
    box.write('templates/c.yaml', 'extends: a\n');
    const err = catchKumihanError(() => load(box, `template: a\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/a\.yaml → .*b\.yaml → .*c\.yaml → .*a\.yaml/);
  });

  test('a missing template names the paths tried and where it was referenced', () => {
    const box = sandboxWithBase();
    const err = catchKumihanError(() => load(box, `title: x\ntemplate: nosuch\nbody: 本文\n`));
    expect(err.kind).toBe('missing-file');
    expect(err.message).toContain(path.join(box.root, 'templates', 'nosuch.yaml'));
    expect(err.location).toMatchObject({ line: 2, path: 'template' });
  });

  test('a missing parent template points at the extends line', () => {
    const box = sandboxWithBase();
    box.write('templates/orphan.yaml', '# comment\nextends: ghost\n');
    const err = catchKumihanError(() => load(box, `template: orphan\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('missing-file');
    expect(err.message).toContain('ghost.yaml');
    expect(err.location.file).toContain('orphan.yaml');
    expect(err.location.line).toBe(2);
  });

  test('a bad value is reported in the file that set it', () => {
    const box = sandboxWithBase();
    box.write('templates/child.yaml', 'extends: base\n\nbody:\n  lineBreak: sometimes\n');
    const err = catchKumihanError(() => load(box, `template: child\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('schema');
    expect(err.location).toMatchObject({ line: 4, column: 14, path: 'body.lineBreak' });
    expect(err.location.file).toContain('child.yaml');
  });

  test('a problem inside a list a derived template replaced is reported in that template, never in the list it replaced', () => {
    const box = sandboxWithBase();
    box.write('templates/child.yaml', 'extends: base\nheader:\n  - field: title\n');
    const err = catchKumihanError(() => load(box, `template: child\n${MINIMAL_CONTENT}`));
    expect(err.location.file).toContain('child.yaml');
    expect(err.location).toMatchObject({ line: 3, path: 'header[0].align' });
    // A choice left out is a missing field, not a wrong value.
    expect(err.message).toMatch(/missing required field "align" \(expected one of "start", "center", "end"\)/);
  });

  test('a field missing from the merged result is reported', () => {
    const box = makeSandbox();
    box.write('templates/partial.yaml', BASE_TEMPLATE.replace('  linesPerPage: 30\n', ''));
    const err = catchKumihanError(() => load(box, `template: partial\n${MINIMAL_CONTENT}`));
    expect(err.kind).toBe('schema');
    expect(err.location.path).toBe('body.linesPerPage');
    expect(err.message).toMatch(/missing required field "linesPerPage"/);
  });
});
