/**
 * Hostile input (issue items 4 and 5): files that content, templates and recipient lists name are
 * untrusted. They must resolve inside the project root, be regular files and stay within the size
 * limit of their kind; an error shows only a short window of its source line. Each case: the message,
 * exit status 1, nothing leaked into stderr or a PDF, and the good file of the batch is still built.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { expectNoCrash, filesUnder, GOOD_LETTER, kumihan, kumihanErrorOf, ROOT, tempDir, writeFile } from './helpers.js';

const SECRET = 'kumihan-secret-3f9a1c';

/**
 * A project whose a.yaml and b.yaml were built once (good), after which b.yaml goes bad and a.yaml is
 * edited; `run` builds both into out/ again from the project directory.
 */
function buildWithBad(bad: string, files: Record<string, string> = {}, extra: string[] = []) {
  const dir = tempDir('kumihan-hostile-');
  writeFile(dir, 'a.yaml', GOOD_LETTER);
  writeFile(dir, 'b.yaml', GOOD_LETTER.replace('正しい', '前の'));
  const first = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out', ...extra]);
  expect(first.status, first.all).toBe(0);
  previous.set(dir, fs.readFileSync(path.join(dir, 'out/b.pdf')));
  writeFile(dir, 'a.yaml', GOOD_LETTER.replace('正しい', '直した'));
  writeFile(dir, 'b.yaml', bad);
  for (const [name, text] of Object.entries(files)) writeFile(dir, name, text);
  return { dir, run: () => kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out', ...extra], { KUMIHAN_TEST_SECRET: SECRET }) };
}

/** b.pdf of each project's first (good) build. */
const previous = new Map<string, Buffer>();

/**
 * Exit 1, the message matches, no crash, the secret nowhere; a.pdf rebuilt, b.pdf's previous good
 * version kept byte for byte, and verify says b.pdf failed.
 */
function expectRefused(dir: string, run: ReturnType<typeof kumihan>, message: RegExp) {
  expect(run.status, run.all).toBe(1);
  expect(run.stderr).toMatch(message);
  expectNoCrash(run);
  expect(run.all).not.toContain(SECRET);
  expect(run.stdout).toMatch(/^a\.yaml → out\/a\.pdf {2}1 page/m);
  expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf', 'manifest.json']);
  expect(fs.readFileSync(path.join(dir, 'out/b.pdf')).equals(previous.get(dir)!)).toBe(true);
  const verify = kumihan(dir, ['verify', 'out/manifest.json']);
  expect(verify.status).toBe(1);
  expect(verify.stdout).toMatch(/^out\/a\.pdf +OK$/m);
  expect(verify.stdout).toMatch(/^out\/b\.pdf +FAILED: not built/m);
}

describe('files outside the project root', () => {
  test('template: /proc/self/environ is refused without reading it', () => {
    const { dir, run } = buildWithBad('template: /proc/self/environ\nbody: 本文\n');
    const r = run();
    expectRefused(dir, r, /b\.yaml:1:11: template: template \/proc\/self\/environ is outside the project root .*--root DIR/);
  });

  test('a recipients file that is a symlink to a file outside the root is refused; nothing of it is printed', () => {
    const outside = tempDir('kumihan-outside-');
    const secretCsv = writeFile(outside, 'secret.csv', `id,name\nx,${SECRET}\n`);
    const { dir, run } = buildWithBad('body: "{{name}}様"\nrecipients: people.csv\n');
    fs.symlinkSync(secretCsv, path.join(dir, 'people.csv'));
    const r = run();
    expect(r.status, r.all).toBe(1);
    expect(r.stderr).toMatch(/recipients file people\.csv is outside the project root .*\(it resolves to .*secret\.csv\)/);
    expect(r.all).not.toContain(SECRET);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf', 'manifest.json']);
    expect(fs.readFileSync(path.join(dir, 'out/b.pdf')).equals(previous.get(dir)!)).toBe(true);
  });

  test('a content file found in content/ that links outside the root is refused, nothing of it printed; named, it is built', () => {
    const outside = tempDir('kumihan-outside-');
    const secret = writeFile(outside, 'secret.yaml', `title: ${SECRET}\nbody: [${SECRET}\n`);
    const dir = tempDir('kumihan-found-');
    writeFile(dir, 'content/a.yaml', GOOD_LETTER);
    fs.symlinkSync(secret, path.join(dir, 'content/leak.yaml'));
    const r = kumihan(dir, ['build']);
    expect(r.status, r.all).toBe(1);
    expect(r.stderr).toMatch(/content file content\/leak\.yaml is outside the project root .*\(it resolves to .*secret\.yaml\)/);
    expect(r.all).not.toContain(SECRET);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['a.pdf', 'manifest.json']);
    const check = kumihan(dir, ['check']);
    expect(check.all).toMatch(/content\/leak\.yaml is outside the project root/);
    expect(check.all).not.toContain(SECRET);
    // Named on the command line, a file is the user's own choice (a fixed one, here).
    fs.writeFileSync(secret, 'title: 外の原稿\nbody: 本文です。\n');
    const named = kumihan(dir, ['build', 'content/leak.yaml']);
    expect(named.status, named.all).toBe(0);
  });

  test('a logo in a sibling directory is refused; with --root at the parent it builds', () => {
    const parent = tempDir('kumihan-parent-');
    const dir = path.join(parent, 'project');
    fs.copyFileSync(path.join(ROOT, 'content/assets/logo.png'), writeFile(parent, 'assets/logo.png', ''));
    writeFile(dir, 'a.yaml', GOOD_LETTER);
    writeFile(dir, 'b.yaml', 'template: ./logo.yaml\nbody: 本文\n');
    writeFile(dir, 'logo.yaml', 'extends: letter\nletterhead:\n  name: 株式会社\n  logo:\n    file: ../assets/logo.png\n    width: 20mm\n');
    const refused = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out']);
    expect(refused.status, refused.all).toBe(1);
    expect(refused.stderr).toMatch(/logo\.yaml:5:11: letterhead\.logo\.file: image .*logo\.png is outside the project root/);
    const allowed = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out', '--root', '..']);
    expect(allowed.status, allowed.all).toBe(0);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf', 'manifest.json']);
  });

  test('a font outside the root is refused; a folder named with --font-path is searched and allowed', () => {
    const parent = tempDir('kumihan-parent-');
    const dir = path.join(parent, 'project');
    fs.mkdirSync(path.join(parent, 'myfonts'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'fonts/BIZUDGothic-Regular.ttf'), path.join(parent, 'myfonts/Mine.ttf'));
    writeFile(dir, 'x.yaml', 'template: ./t.yaml\ntitle: 表題\nbody: 本文です。\n');
    writeFile(dir, 't.yaml', 'extends: letter\nfonts:\n  mincho: { file: ../myfonts/Mine.ttf }\n');
    const refused = kumihan(dir, ['build', 'x.yaml', '-o', 'out/']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /t\.yaml:3:\d+: fonts\.mincho\.file: font file .*Mine\.ttf is outside the project root .*, or name its folder with --font-path DIR/,
    );
    writeFile(dir, 't.yaml', 'extends: letter\nfonts:\n  mincho: { file: Mine.ttf }\n');
    const allowed = kumihan(dir, ['build', 'x.yaml', '-o', 'out/', '--font-path', '../myfonts']);
    expect(allowed.status, allowed.all).toBe(0);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['manifest.json', 'x.pdf']);
  });

  test.each([
    [
      'a photo',
      (p: string) => ({ 'b.yaml': `template: booklet\ntitle: 冊子\nsections:\n  - title: 写真\n    photos: [{ file: ${p} }]\n` }),
    ],
    ['a section file', (p: string) => ({ 'b.yaml': `template: booklet\ntitle: 冊子\nsections:\n  - file: ${p}\n` })],
    ['a template path', (p: string) => ({ 'b.yaml': `template: ${p}\nbody: 本文\n` })],
    [
      'a logo',
      (p: string) => ({
        'b.yaml': 'template: ./t.yaml\nbody: 本文\n',
        't.yaml': `extends: letter\nletterhead:\n  logo: { file: ${p}, width: 20mm }\n`,
      }),
    ],
    [
      'a font',
      (p: string) => ({ 'b.yaml': 'template: ./t.yaml\nbody: 本文\n', 't.yaml': `extends: letter\nfonts:\n  mincho: { file: ${p} }\n` }),
    ],
  ])('%s outside the root: the same refusal whether the file is there or not, and of whatever kind', async (_, files) => {
    const outside = tempDir('kumihan-outside-');
    writeFile(outside, 'there.png', SECRET);
    const messages: string[] = [];
    for (const name of ['there.png', 'nothing-here.png']) {
      const dir = tempDir('kumihan-hostile-');
      for (const [file, text] of Object.entries(files(path.join(outside, name)))) writeFile(dir, file, text);
      const err = await kumihanErrorOf(() => buildDocument('b.yaml', { workingDirectory: dir, root: dir }));
      expect(err.message).toMatch(/is outside the project root/);
      expect(err.location.line, err.message).toBeGreaterThan(0);
      messages.push(err.message.replace(name, 'NAME').replace(dir, 'DIR'));
    }
    expect(messages[0]).toBe(messages[1]);
  });

  test('a recipients file outside the root: the same refusal whether the file is there or not', () => {
    const outside = tempDir('kumihan-outside-');
    writeFile(outside, 'there.csv', `id,name\nx,${SECRET}\n`);
    const messages = ['there.csv', 'nothing-here.csv'].map((name) => {
      const dir = tempDir('kumihan-hostile-');
      writeFile(dir, 'b.yaml', `body: "{{name}}"\nrecipients: ${path.join(outside, name)}\n`);
      const r = kumihan(dir, ['build', 'b.yaml', '-o', 'out/']);
      expect(r.status).toBe(1);
      expect(r.all).not.toContain(SECRET);
      expect(r.stderr).toMatch(/b\.yaml:2:\d+: recipients: recipients file .* is outside the project root/);
      return r.stderr.split('\n')[0]!.replace(name, 'NAME').replaceAll(dir, 'DIR');
    });
    expect(messages[0]).toBe(messages[1]);
  });

  test('the shipped templates and fonts are always allowed, from any directory', () => {
    const dir = tempDir('kumihan-hostile-');
    writeFile(dir, 'x.yaml', 'template: embassy-message\ntitle: 表題\nbody: 本文です。\n');
    const r = kumihan(dir, ['build', 'x.yaml', '-o', 'x.pdf']);
    expect(r.status, r.all).toBe(0);
  });
});

describe('only regular files are read', () => {
  test('template: /dev/zero is refused at once', () => {
    const { dir, run } = buildWithBad('template: /dev/zero\nbody: 本文\n');
    expectRefused(dir, run(), /template \/dev\/zero is outside the project root/);
  });

  test('a device inside the root (a symlink to /dev/zero) is refused', () => {
    const { dir, run } = buildWithBad('template: ./zero.yaml\nbody: 本文\n', {}, ['--root', '/']);
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    expectRefused(dir, run(), /b\.yaml:1:11: template: template zero\.yaml is a character device; only regular files are read/);
  });

  test('a FIFO as template does not hang the build', () => {
    const { dir, run } = buildWithBad('template: ./pipe.yaml\nbody: 本文\n');
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    expectRefused(dir, run(), /template pipe\.yaml is a named pipe \(FIFO\); only regular files are read/);
  });

  test('a FIFO as recipients file does not hang the build', () => {
    const { dir, run } = buildWithBad('body: "{{name}}"\nrecipients: people.csv\n');
    execFileSync('mkfifo', [path.join(dir, 'people.csv')]);
    expectRefused(dir, run(), /b\.yaml:2:13: recipients: recipients file people\.csv is a named pipe \(FIFO\)/);
  });
});

describe('size limits per kind', () => {
  test('a 100 MB content file is refused before it is read; the rest of the batch builds', () => {
    const { dir, run } = buildWithBad('');
    fs.truncateSync(path.join(dir, 'b.yaml'), 100 * 1024 * 1024);
    expectRefused(dir, run(), /content file b\.yaml is 100 MB; the limit for a content file is 16 MB/);
  });

  test('a 1 GB sparse file named as a font is refused without reading it', () => {
    const { dir, run } = buildWithBad('template: ./big.yaml\nbody: 本文\n', {
      'big.yaml': 'extends: letter\nfonts:\n  mincho: { file: huge.ttf }\n',
    });
    const font = path.join(dir, 'huge.ttf');
    fs.writeFileSync(font, '');
    fs.truncateSync(font, 1024 * 1024 * 1024);
    expectRefused(dir, run(), /big\.yaml:3:\d+: fonts\.mincho\.file: font file huge\.ttf is 1024 MB; the limit for a font file is 128 MB/);
  });

  test('a template over 1 MB is refused', () => {
    const { dir, run } = buildWithBad('template: ./big.yaml\nbody: 本文\n', {
      'big.yaml': 'extends: letter\n' + '#'.repeat(2 * 1024 * 1024) + '\n',
    });
    expectRefused(dir, run(), /template big\.yaml is 2\.0 MB; the limit for a template is 1\.0 MB/);
  });
});

describe('an error shows a short window of its source line', () => {
  test('a 900 KB line gives a message of a few hundred bytes, the caret under the problem', () => {
    const long = 'あ'.repeat(300_000);
    const { dir, run } = buildWithBad(`title: ${long}\nbody: 本文\ntitel: x\n`.replace('title: ' + long, `title: "${long}😀"`));
    const r = run();
    expect(r.status, r.all).toBe(1);
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.stderr).toMatch(/b\.yaml:3:1: titel: unknown field/);
    expect(fs.readFileSync(path.join(dir, 'out/b.pdf')).equals(previous.get(dir)!)).toBe(true);
  });

  test('the window is taken around the column of a problem far along the line', () => {
    const long = 'あ'.repeat(300_000);
    const { dir, run } = buildWithBad(`title: 表題\nbody: "${long}😀"\n`);
    const r = run();
    expect(r.status, r.all).toBe(1);
    expect(r.stderr.length).toBeLessThan(2000);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/b\.yaml:2:300008: body \(paragraph 1\): .*U\+1F600/);
    expect(lines[1]).toMatch(/^ {3}2 \| …あ+😀"$/);
    // The caret is under the emoji: two columns per あ, after the gutter and the … mark.
    const caretColumn = lines[2].indexOf('^');
    const before = lines[1].slice(0, lines[1].indexOf('😀'));
    const width = Array.from(before).reduce((w, ch) => w + (ch === 'あ' ? 2 : 1), 0);
    expect(caretColumn).toBe(width);
    expect(fs.readFileSync(path.join(dir, 'out/b.pdf')).equals(previous.get(dir)!)).toBe(true);
  });
});
