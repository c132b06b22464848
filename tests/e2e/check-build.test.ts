/**
 * `kumihan check` on real builds (issue "Check every build against reference renders"): an identical
 * rebuild passes; one changed character fails on exactly the page it is on; a margin moved by 1 mm and a
 * changed font size fail; a text layer that changes without any pixel changing is caught; a missing
 * reference is reported as such.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { checkTargets, MISSING_REFERENCE, type CheckTarget } from '../../src/check/check.js';
import { readPdfText } from '../../src/check/pdftext.js';
import { ROOT } from '../text/helpers.js';

const SEED = path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml');
const seedSource = fs.readFileSync(SEED, 'utf8');
const DPI = 72; // enough to see a 1 mm move or one character, and faster than 96

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-check-'));
}

/** Build the seed (optionally with edited source or another template) as a check target named "seed". */
async function seedTarget(edit: (s: string) => string = (s) => s, template?: string): Promise<CheckTarget> {
  const r = await buildDocument(SEED, { source: edit(seedSource), template });
  return { name: 'seed', pdf: r.pdf, expectedText: r.expectedText };
}

function templateWith(yaml: string): string {
  const file = path.join(tmp(), 'variant.yaml');
  fs.writeFileSync(file, `extends: embassy-message\n${yaml}`);
  return file;
}

describe('check on real builds', () => {
  let referencesDir: string;
  beforeAll(async () => {
    referencesDir = tmp();
    const u = await checkTargets([await seedTarget()], { referencesDir, outDir: tmp(), dpi: DPI, update: true });
    expect(u.changes.filter((c) => c.change === 'new')).toHaveLength(3); // text + 2 pages
  });
  const opts = () => ({ referencesDir, outDir: tmp(), dpi: DPI });

  it('an identical rebuild passes', async () => {
    const r = await checkTargets([await seedTarget()], opts());
    expect(r.passed).toBe(true);
    expect(r.files[0].pages.map((p) => p.diffPixels)).toEqual([0, 0]);
  });

  it('one changed character fails on exactly its page, with actual and diff images', async () => {
    // 格言 is in the last paragraph, on page 2; 名言 has the same width, so nothing else moves.
    const o = opts();
    const r = await checkTargets([await seedTarget((s) => s.replace('格言', '名言'))], o);
    expect(r.passed).toBe(false);
    expect(r.files[0].pages.map((p) => p.passed)).toEqual([true, false]);
    expect(fs.existsSync(path.join(o.outDir, 'seed', 'page-2.diff.png'))).toBe(true);
    expect(fs.existsSync(path.join(o.outDir, 'seed', 'page-2.actual.png'))).toBe(true);
    expect(fs.existsSync(path.join(o.outDir, 'seed', 'page-1.diff.png'))).toBe(false);
    expect(fs.readFileSync(r.reportPath, 'utf8')).toContain('page-2.diff.png');
  });

  it('a margin moved by 1 mm fails on every page', async () => {
    const r = await checkTargets([await seedTarget(undefined, templateWith('page:\n  margins:\n    top: 31mm\n'))], opts());
    expect(r.files[0].pages.map((p) => p.passed)).toEqual([false, false]);
  });

  it('a changed font size fails', async () => {
    const r = await checkTargets([await seedTarget(undefined, templateWith('body:\n  size: 10pt\n'))], opts());
    expect(r.passed).toBe(false);
    expect(r.files[0].pages[0].passed).toBe(false);
  });

  it('a missing reference is reported as missing, not as a pass', async () => {
    const r = await checkTargets([{ ...(await seedTarget()), name: 'other' }], opts());
    expect(r.passed).toBe(false);
    expect(r.files[0].messages).toContain(MISSING_REFERENCE);
  });
});

describe('a text layer that changes without a pixel changing', () => {
  // BIZ UD Mincho draws U+29FCE 𩿎 and U+29FD7 𩿗 with the same glyph.
  const letter = (ch: string) => `template: letter\ntitle: 字形の確認\nbody: |\n  この字は${ch}です。\n`;
  const build = async (ch: string): Promise<CheckTarget> => {
    const file = path.join(tmp(), 'glyph.yaml');
    fs.writeFileSync(file, letter(ch));
    const r = await buildDocument(file);
    return { name: 'glyph', pdf: r.pdf, expectedText: r.expectedText };
  };

  it('is caught by comparing with the reference text', async () => {
    const referencesDir = tmp();
    await checkTargets([await build('𩿎')], { referencesDir, outDir: tmp(), dpi: DPI, update: true });
    const r = await checkTargets([await build('𩿗')], { referencesDir, outDir: tmp(), dpi: DPI });
    expect(r.files[0].pages.every((p) => p.diffPixels === 0)).toBe(true); // same pixels
    expect(r.passed).toBe(false);
    expect(r.files[0].messages.join('\n')).toMatch(/compared with the reference text: text layer differs/);
  });

  it('both characters in one document read back as themselves', async () => {
    const file = path.join(tmp(), 'both.yaml');
    fs.writeFileSync(file, letter('𩿎と𩿗'));
    const r = await buildDocument(file);
    const pages = await readPdfText(r.pdf);
    expect(pages[0].lines.map((l) => l.text)).toContain('この字は𩿎と𩿗です。');
  });
});
