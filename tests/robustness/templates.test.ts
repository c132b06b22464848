/**
 * Broken templates and the files they name: a missing or damaged logo, templates that extend each
 * other in a cycle, a template or font that does not exist. Each is one KumihanError naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { expectPdf, expectReadable, kumihanErrorOf, tempDir, writeFile } from './helpers.js';

const CONTENT_TEXT = (template: string) => `template: ${template}\ntitle: 表題\nbody: 本文です。\n`;

/** A temp dir with a content file using `template` and the given extra files; returns paths. */
function project(template: string, files: Record<string, string | Uint8Array>) {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  const content = writeFile(dir, 'doc.yaml', CONTENT_TEXT(template));
  return { dir, content, build: () => buildDocument(content, { root: dir }) };
}

const logoTemplate = (file: string) => `extends: letter
letterhead:
  name: 株式会社テスト
  logo:
    file: ${file}
    width: 20mm
`;

/** A PNG signature and IHDR for a 16×16 RGB image, then garbage instead of image data. */
function pngWithGarbageData(): Uint8Array {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(16, 8);
  ihdr.writeUInt32BE(16, 12);
  ihdr[16] = 8; // bit depth
  ihdr[17] = 2; // RGB
  const idat = Buffer.concat([Buffer.from([0, 0, 0, 40]), Buffer.from('IDAT', 'latin1'), Buffer.alloc(40, 0xa5), Buffer.alloc(4)]);
  const iend = Buffer.concat([Buffer.alloc(4), Buffer.from('IEND', 'latin1'), Buffer.alloc(4)]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, idat, iend]);
}

describe('the letterhead logo', () => {
  test('a missing image: image error at the template line naming the file', async () => {
    const p = project('./logo.yaml', { 'logo.yaml': logoTemplate('missing-logo.png') });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('image');
    expect(err.message).toContain('missing-logo.png');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'logo.yaml'), line: 5, column: 11, path: 'letterhead.logo.file' });
    expect(err.location.sourceLine).toBe('    file: missing-logo.png');
    expectReadable(err, 'missing-logo.png');
    expectReadable(err, 'logo.yaml');
  });

  test.each([
    ['garbage bytes named .png', 'logo.png', Buffer.from('this is not an image at all, just some text\n'.repeat(4))],
    ['random bytes named .png', 'logo.png', Uint8Array.from({ length: 512 }, (_, i) => (i * 73 + 11) & 0xff)],
    ['an empty .png', 'logo.png', new Uint8Array(0)],
    ['a PNG signature only', 'logo.png', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['garbage bytes named .jpg', 'logo.jpg', Buffer.from('\xff\xd8garbage garbage garbage garbage', 'latin1')],
  ])('a corrupt image (%s): image error naming the file', async (_name, file, bytes) => {
    const p = project('./logo.yaml', { 'logo.yaml': logoTemplate(file), [file]: bytes });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('image');
    expect(err.location.file).toBeDefined();
    expect(err.location.file!.endsWith(file) || err.location.file!.endsWith('logo.yaml')).toBe(true);
    expectReadable(err, file);
  });

  test('a PNG whose header is fine but whose image data is garbage: image error naming the file', async () => {
    const p = project('./logo.yaml', { 'logo.yaml': logoTemplate('logo.png'), 'logo.png': pngWithGarbageData() });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('image');
    expectReadable(err, 'logo.png');
  });

  test('a logo that is not PNG or JPEG: image error at the template line', async () => {
    const p = project('./logo.yaml', { 'logo.yaml': logoTemplate('logo.gif'), 'logo.gif': 'GIF89a' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('image');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'logo.yaml'), line: 5, path: 'letterhead.logo.file' });
    expectReadable(err, 'logo.gif');
  });

  test('a logo path naming a directory: image error at the template line', async () => {
    const p = project('./logo.yaml', { 'logo.yaml': logoTemplate('images.png'), 'images.png/readme.txt': 'a directory' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('image');
    expect(err.location).toMatchObject({ line: 5, path: 'letterhead.logo.file' });
    expectReadable(err, 'images.png');
  });
});

describe('characters missing from the font in template text', () => {
  test('an emoji in the letterhead name: names the code point and the template line', async () => {
    const p = project('./lh.yaml', { 'lh.yaml': 'extends: letter\nletterhead:\n  name: 株式会社😀\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+1F600');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'lh.yaml'), line: 3 });
    expect(err.location.path).toMatch(/^letterhead/);
    expectReadable(err, 'lh.yaml');
  });

  test('a control character in the footer format: names the code point and the template line', async () => {
    const p = project('./ft.yaml', { 'ft.yaml': 'extends: letter\nfooter:\n  pageNumbers: "\\a{page}"\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('missing-glyph');
    expect(err.message).toContain('U+0007');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'ft.yaml'), line: 3, path: 'footer.pageNumbers' });
    expectReadable(err, 'ft.yaml');
  });
});

describe('templates that extend each other', () => {
  test('a template name that finds the content file itself: an error saying so at the template field', async () => {
    const p = project('doc', {});
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/template "doc" is this content file itself/);
    expect(err.location).toMatchObject({ file: p.content, line: 1, column: 11, path: 'template' });
    expectReadable(err, 'doc.yaml');
  });

  test('a template that extends itself (by path): template error at its extends line', async () => {
    const p = project('./self.yaml', { 'self.yaml': 'extends: ./self.yaml\nbody:\n  charsPerLine: 30\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/cycle/);
    expect(err.message).toContain('self.yaml');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'self.yaml'), line: 1, column: 10, path: 'extends' });
    expectReadable(err, 'self.yaml');
  });

  test('a template that extends itself (by name)', async () => {
    const p = project('mine', { 'mine.yaml': 'extends: mine\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/cycle/);
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'mine.yaml'), line: 1, path: 'extends' });
    expectReadable(err, 'mine.yaml');
  });

  test('two templates extending each other: template error naming both', async () => {
    const p = project('./a.yaml', {
      'a.yaml': '# first\nextends: ./b.yaml\n',
      'b.yaml': 'body:\n  charsPerLine: 30\nextends: ./a.yaml\n',
    });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/cycle/);
    expect(err.message).toContain('a.yaml');
    expect(err.message).toContain('b.yaml');
    // The reference that closes the cycle.
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'b.yaml'), line: 3, path: 'extends' });
    expectReadable(err, 'b.yaml');
  });

  test('a three-template cycle through a shipped template name is still caught', async () => {
    const p = project('./x.yaml', { 'x.yaml': 'extends: ./y.yaml\n', 'y.yaml': 'extends: ./z.yaml\n', 'z.yaml': 'extends: ./x.yaml\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('template');
    expect(err.message).toMatch(/x\.yaml.*y\.yaml.*z\.yaml.*x\.yaml/);
    expectReadable(err, 'z.yaml');
  });
});

describe('a missing template', () => {
  test('named in the content: missing-file error at the content line', async () => {
    const p = project('no-such-template', {});
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('missing-file');
    expect(err.message).toContain('no-such-template');
    expect(err.location).toMatchObject({
      file: p.content,
      line: 1,
      column: 11,
      path: 'template',
      sourceLine: 'template: no-such-template',
    });
    expectReadable(err, 'doc.yaml');
  });

  test('as a path in the content', async () => {
    const p = project('./templates/gone.yaml', {});
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('missing-file');
    expect(err.location).toMatchObject({ file: p.content, line: 1, path: 'template' });
    expectReadable(err, 'gone.yaml');
  });

  test('as the parent of a template: error at the extends line', async () => {
    const p = project('./child.yaml', { 'child.yaml': 'body:\n  charsPerLine: 30\nextends: parnet\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('missing-file');
    expect(err.message).toContain('parnet');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'child.yaml'), line: 3, path: 'extends' });
    expectReadable(err, 'child.yaml');
  });

  test('given with the template option (the CLI --template): the message names it', async () => {
    const p = project('letter', {});
    const missing = path.join(p.dir, 'nowhere.yaml');
    const err = await kumihanErrorOf(() => buildDocument(p.content, { template: missing, root: p.dir }));
    expect(err.kind).toBe('missing-file');
    expectReadable(err, 'nowhere.yaml');
  });

  test('a template file that is malformed YAML: syntax error in the template', async () => {
    const p = project('./broken.yaml', { 'broken.yaml': 'extends: letter\nbody:\n  size: [10pt\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('yaml-syntax');
    expect(err.location.file).toBe(path.join(p.dir, 'broken.yaml'));
    expect(err.location.line).toBeTypeOf('number');
    expectReadable(err, 'broken.yaml');
  });

  test('a template with a misspelt field: did you mean, in the template', async () => {
    const p = project('./typo.yaml', { 'typo.yaml': 'extends: letter\nbody:\n  charPerLine: 30\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('schema');
    expect(err.message).toMatch(/did you mean charsPerLine\?/);
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'typo.yaml'), line: 3, column: 3, path: 'body.charPerLine' });
    expectReadable(err, 'typo.yaml');
  });
});

describe('a missing or broken font file', () => {
  const fontTemplate = (file: string) => `extends: letter\nfonts:\n  mincho:\n    file: ${file}\n`;

  test('a font file that does not exist: font error at the template line naming the file', async () => {
    const p = project('./font.yaml', { 'font.yaml': fontTemplate('NoSuchFont-Regular.ttf') });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('font');
    expect(err.message).toContain('NoSuchFont-Regular.ttf');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'font.yaml'), line: 4, column: 11, path: 'fonts.mincho.file' });
    expectReadable(err, 'NoSuchFont-Regular.ttf');
  });

  test('a missing latin companion font', async () => {
    const p = project('./font.yaml', { 'font.yaml': 'extends: letter\nfonts:\n  mincho:\n    latin: Gone-P.ttf\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('font');
    expect(err.location).toMatchObject({ file: path.join(p.dir, 'font.yaml'), line: 4, path: 'fonts.mincho.latin' });
    expectReadable(err, 'Gone-P.ttf');
  });

  test.each([
    ['garbage bytes', Buffer.from('not a font\n'.repeat(50))],
    ['an empty file', new Uint8Array(0)],
    ['a truncated TrueType header', Uint8Array.from([0, 1, 0, 0, 0, 12, 0, 128, 0, 3, 0, 32])],
  ])('a font file holding %s: font error naming the file', async (_name, bytes) => {
    const p = project('./font.yaml', { 'font.yaml': fontTemplate('Broken.ttf'), 'Broken.ttf': bytes });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('font');
    expectReadable(err, 'Broken.ttf');
  });

  test('a font declared but never used is still looked for', async () => {
    const p = project('./font.yaml', { 'font.yaml': 'extends: letter\nfonts:\n  extra:\n    file: Unused.ttf\n' });
    const err = await kumihanErrorOf(p.build);
    expect(err.kind).toBe('font');
    expectReadable(err, 'Unused.ttf');
  });

  test('sanity: the same project with a good template builds', async () => {
    const p = project('./ok.yaml', { 'ok.yaml': 'extends: letter\nbody:\n  charsPerLine: 30\n' });
    const result = await p.build();
    expectPdf(result.pdf);
    expect(fs.existsSync(p.content)).toBe(true);
  });
});

describe('a template name that is not found', () => {
  test.each([
    ['leter', 'letter'],
    ['bookletvertical', 'booklet-vertical'],
    ['Embassy-Message', 'embassy-message'],
  ])('%s: the error suggests the closest name in templates/ (%s)', async (written, suggested) => {
    const dir = tempDir('kumihan-template-name-');
    writeFile(dir, 'x.yaml', `template: ${written}\nbody: 本文\n`);
    const err = await kumihanErrorOf(() => buildDocument('x.yaml', { workingDirectory: dir, root: dir }));
    expect(err.message).toMatch(new RegExp(`template "${written}" not found .* — did you mean ${suggested}\\?$`));
    expect(err.location).toMatchObject({ file: 'x.yaml', line: 1, column: 11 });
  });

  test('a name like no template: no suggestion; a content file beside it is never suggested', async () => {
    const dir = tempDir('kumihan-template-name-');
    writeFile(dir, 'x.yaml', 'template: qqqqqqq\nbody: 本文\n');
    writeFile(dir, 'qqqqqqx.yaml', 'body: 本文\n');
    const err = await kumihanErrorOf(() => buildDocument('x.yaml', { workingDirectory: dir, root: dir }));
    expect(err.message).toMatch(/template "qqqqqqq" not found \(tried [^)]*\)$/);
  });
});
