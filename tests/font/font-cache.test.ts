/**
 * The font caches are keyed by the file's identity (path, size, mtime, inode), not by its path alone:
 * a font file replaced on disk — as while `kumihan build --watch` runs — is read again and gives a new
 * face, and an unchanged file is read once per process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadFace, loadFont } from '../../src/font/fonts.js';
import { createSubset } from '../../src/pdf/subset.js';
import { ROOT } from '../text/helpers.js';

const MINCHO = path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf');
const GOTHIC = path.join(ROOT, 'fonts/BIZUDGothic-Regular.ttf');
const P_MINCHO = path.join(ROOT, 'fonts/BIZUDPMincho-Regular.ttf');

const dirs: string[] = [];
function tempCopy(source: string, name = 'font.ttf'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-font-cache-'));
  dirs.push(dir);
  const file = path.join(dir, name);
  fs.copyFileSync(source, file);
  return file;
}
afterEach(() => {
  vi.restoreAllMocks();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Replaces `file` by a new file (another inode), as editors and `cp` to a temp name + `mv` do. */
function replaceByRename(file: string, source: string): void {
  const tmp = `${file}.new`;
  fs.copyFileSync(source, tmp);
  fs.renameSync(tmp, file);
}

describe('loadFont', () => {
  it('reads an unchanged file once per process', () => {
    const file = tempCopy(MINCHO);
    const opens = vi.spyOn(fs, 'openSync');
    const a = loadFont(file);
    const b = loadFont(file);
    expect(b).toBe(a);
    expect(opens.mock.calls.filter(([p]) => p === file)).toHaveLength(1);
  });

  it('reads a file replaced on disk (new inode) again and gives the new font', () => {
    const file = tempCopy(MINCHO);
    const before = loadFont(file);
    expect(before.postscriptName).toBe('BIZUDMincho-Regular');
    replaceByRename(file, GOTHIC);
    const after = loadFont(file);
    expect(after).not.toBe(before);
    expect(after.postscriptName).toBe('BIZUDGothic-Regular');
    expect(after.numGlyphs).toBe(loadFont(GOTHIC).numGlyphs);
    // And again once only: the new file is now the cached one.
    expect(loadFont(file)).toBe(after);
  });

  it('reads a file overwritten in place (same inode, new size and mtime) again', () => {
    const file = tempCopy(P_MINCHO);
    const before = loadFont(file);
    expect(before.postscriptName).toBe('BIZUDPMincho-Regular');
    const inode = fs.statSync(file).ino;
    fs.writeFileSync(file, fs.readFileSync(GOTHIC));
    expect(fs.statSync(file).ino).toBe(inode);
    const after = loadFont(file);
    expect(after.postscriptName).toBe('BIZUDGothic-Regular');
  });

  it('refuses to read glyph data for a font whose file has been replaced since, rather than mixing two files', () => {
    const file = tempCopy(MINCHO);
    const font = loadFont(file);
    const id = font.glyphForCodePoint('漢'.codePointAt(0)!).id;
    replaceByRename(file, GOTHIC);
    // BIZ UD Mincho's glyph data is read on demand (src/font/fonts.ts, lazy glyf): not from the new file.
    const subset = createSubset(font, { hinting: false });
    subset.includeGlyph(id);
    expect(() => subset.encode()).toThrow(/changed since it was loaded/);
  });
});

describe('loadFace', () => {
  it('gives the same face for unchanged files, and a new face with the new font when one is replaced', () => {
    const main = tempCopy(MINCHO, 'main.ttf');
    const latin = tempCopy(P_MINCHO, 'latin.ttf');
    const face = loadFace('body', main, latin);
    expect(face.main.postscriptName).toBe('BIZUDMincho-Regular');
    expect(loadFace('body', main, latin)).toBe(face);

    replaceByRename(latin, GOTHIC);
    const next = loadFace('body', main, latin);
    expect(next).not.toBe(face);
    expect(next.latin!.postscriptName).toBe('BIZUDGothic-Regular');
    // The unchanged main font is still read once.
    expect(next.main).toBe(face.main);
    expect(loadFace('body', main, latin)).toBe(next);
  });
});
