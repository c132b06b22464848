/**
 * Ruby in the tagged screen PDF (a template with `print:`): each ruby is a Ruby element with RB (the base,
 * in its paragraph's text where it stands) and RT (the reading: drawn, and given as the element's
 * /ActualText), read back from the structure tree; a jukugo gives one Ruby per character. Text extraction
 * from the page (mupdf, pdftotext) gives the base text alone, exactly as from the plain PDF.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDocument, type BuildResult } from '../../src/build.js';
import { extractPlainText, readPdfText } from '../../src/check/pdftext.js';
import { preflight } from '../../src/check/preflight.js';
import { parseInline } from '../../src/model/markup.js';
import { elementsOf, readStructure, type StructNode } from '../support/structure.js';

const BODY = [
  '東京都｜青梅《おうめ》市の皆様には、ますますご健勝《けんしょう》のこととお慶び申し上げます。',
  'このたび、《《記念式典》》を日本《に｜ほん》橋の会場で開き、鞦韆《しゅう｜せん》の展示もいたします。',
];

/** What each ruby of the body is, from its markup: [base, reading], a jukugo one pair per character. */
const expectedRubies = BODY.flatMap((p) =>
  parseInline(p).flatMap((piece) => {
    if (piece.mark?.kind !== 'ruby') return [];
    const { jukugo } = piece.mark;
    return jukugo ? Array.from(piece.text, (c, k) => [c, jukugo[k]!]) : [[piece.text, piece.mark.ruby]];
  }),
);
const plainParagraphs = BODY.map((p) =>
  parseInline(p)
    .map((piece) => piece.text)
    .join(''),
);

function files(template: string): { screen: string; plain: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-ruby-tags-'));
  fs.writeFileSync(path.join(dir, 'press.yaml'), `extends: ${template}\nprint:\n  bleed: 3mm\n`);
  const body = `body: |\n${BODY.map((p) => `  ${p}`).join('\n\n')}\n`;
  fs.writeFileSync(path.join(dir, 'screen.yaml'), `template: press.yaml\nrecipient: [山田様]\n${body}`);
  fs.writeFileSync(path.join(dir, 'plain.yaml'), `template: ${template}\nrecipient: [山田様]\n${body}`);
  return { screen: path.join(dir, 'screen.yaml'), plain: path.join(dir, 'plain.yaml'), dir };
}

/** A node's text without what its elements of `skip` types hold. */
function textWithout(node: StructNode, skip: string): string {
  return node.content.map((c) => (typeof c === 'string' ? c : c.type === skip ? '' : textWithout(c, skip))).join('');
}

describe.each(['letter', 'letter-vertical'])('ruby in the structure tree of the screen PDF (%s)', (template) => {
  let screen: BuildResult;
  let plain: BuildResult;
  let tree: StructNode[];
  beforeAll(async () => {
    const { screen: s, plain: p, dir } = files(template);
    screen = await buildDocument(s, { variant: 'screen', sourceDateEpoch: 0, root: dir, workingDirectory: dir });
    plain = await buildDocument(p, { sourceDateEpoch: 0, root: dir, workingDirectory: dir });
    tree = readStructure(screen.pdf);
  }, 60_000);

  it('has a Ruby element per ruby (per character of a jukugo) with RB the base and RT the reading, in reading order', () => {
    const rubies = elementsOf(tree).filter((n) => n.type === 'Ruby');
    expect(rubies.map((r) => r.content.map((k) => (typeof k === 'string' ? 'text' : k.type)))).toEqual(
      expectedRubies.map(() => ['RB', 'RT']),
    );
    const pairs = rubies.map((r) => {
      const [rb, rt] = r.content as StructNode[];
      // The RT draws the reading and says so for what reads the structure.
      expect(rt!.actualText).toBe(rt!.text);
      return [rb!.text, rt!.actualText];
    });
    expect(pairs).toEqual(expectedRubies);
  });

  it('puts each Ruby in its paragraph where its base stands: the paragraph reads as the base text', () => {
    const paragraphs = elementsOf(tree).filter((n) => n.type === 'P' && n.content.some((c) => typeof c !== 'string' && c.type === 'Ruby'));
    expect(paragraphs.map((p) => textWithout(p, 'RT').replace(/\s/g, ''))).toEqual(plainParagraphs);
    // No reading (of more than one character: に is in には) anywhere but in an RT.
    const readings = expectedRubies.map(([, r]) => r!).filter((r) => r.length > 1);
    for (const p of paragraphs)
      for (const c of p.content) if (typeof c === 'string') expect(readings.filter((r) => c.includes(r))).toEqual([]);
  });

  it('extracts the same text from the page as the plain PDF, with no reading in it (mupdf)', async () => {
    const fromScreen = extractPlainText(await readPdfText(screen.pdf));
    expect(fromScreen).toBe(extractPlainText(await readPdfText(plain.pdf)));
    const flat = fromScreen.replace(/\s/g, '');
    for (const p of plainParagraphs) expect(flat).toContain(p);
    for (const [, reading] of expectedRubies) if (reading!.length > 1) expect(flat).not.toContain(reading);
  });

  it('extracts the same text as the plain PDF with pdftotext (poppler)', (ctx) => {
    const text = (pdf: Uint8Array) => spawnSync('pdftotext', ['-', '-'], { input: pdf, encoding: 'utf8' });
    const run = text(screen.pdf);
    if (run.error || run.status !== 0) {
      ctx.skip(`pdftotext (poppler-utils) is not installed: ${run.error?.message ?? run.stderr}`);
      return;
    }
    expect(run.stdout).toBe(text(plain.pdf).stdout);
    for (const p of plainParagraphs) expect(run.stdout.replace(/\s/g, '')).toContain(p);
  });

  it('still passes PDF/A-2b preflight', () => {
    expect(preflight(screen.pdf, { standard: 'PDF/A-2b' })).toEqual([]);
  });

  it('leaves the plain PDF untagged', () => {
    expect(readStructure(plain.pdf)).toEqual([]);
    expect(Buffer.from(plain.pdf).toString('latin1')).not.toMatch(/\/(RB|RT|Ruby)\b/);
  });
});
