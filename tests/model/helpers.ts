/** A throwaway project (templates/, fonts/, content/) in a temp directory, for loader tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { KumihanError } from '../../src/errors.js';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export interface Sandbox {
  root: string;
  /** Writes a file (relative to root) and returns its absolute path. */
  write(relativePath: string, text: string): string;
}

/** Font files only have to exist for the model; their bytes are never read here. */
export const DUMMY_FONTS = ['Mincho.ttf', 'Gothic.ttf', 'PMincho.ttf'];

export function makeSandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-model-'));
  created.push(root);
  fs.mkdirSync(path.join(root, 'templates'));
  fs.mkdirSync(path.join(root, 'fonts'));
  for (const font of DUMMY_FONTS) fs.writeFileSync(path.join(root, 'fonts', font), '');
  return {
    root,
    write(relativePath, text) {
      const file = path.join(root, relativePath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

/** A complete minimal template, as YAML. */
export const BASE_TEMPLATE = `page:
  size: A4
  margins: 25mm
fonts:
  mincho:
    file: Mincho.ttf
  gothic:
    file: Gothic.ttf
body:
  font: mincho
  size: 10pt
  charsPerLine: 40
  linesPerPage: 30
header:
  - field: date
    align: end
  - field: title
    align: center
    font: gothic
letterhead:
  name: 株式会社テスト
  rule: true
footer:
  pageNumbers: '{page} / {pages}'
`;

export const MINIMAL_CONTENT = `title: テスト
body: 本文です。
`;

/** Runs fn and returns the KumihanError it throws (fails the test if it does not throw one). */
export function catchKumihanError(fn: () => unknown): KumihanError {
  try {
    fn();
  } catch (err) {
    if (err instanceof KumihanError) return err;
    throw err;
  }
  throw new Error('expected a KumihanError, but nothing was thrown');
}
