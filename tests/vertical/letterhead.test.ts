/**
 * A letterhead on a vertical letter: set horizontally in the head margin above the columns, as printed on
 * letterhead paper, so that the columns keep their 字詰め; a top margin too small for it is a template error
 * that says how much it needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { KumihanError } from '../../src/errors.js';
import type { TextLineItem } from '../../src/layout/page.js';
import { tempDir } from '../support/files.js';
import { ROOT } from '../text/helpers.js';

const LETTERHEAD = `letterhead:
  name: 多摩郷土史研究会
  nameSize: 14pt
  address:
    - 〒198-0000 東京都青梅市本町1-1
    - TEL 0428-00-0000
  size: 8.5pt
  rule:
    thickness: 0.6pt
`;

/** A project with the shipped invitation on a vertical template with `top` as its head margin, and the letterhead or not. */
async function build(top: string, letterhead: boolean, head = LETTERHEAD) {
  const dir = tempDir('kumihan-vertical-letterhead-');
  fs.mkdirSync(path.join(dir, 'content'));
  // 30 characters of 12pt (127mm) under a head margin of up to 55mm, on A4 landscape (210mm high).
  const template = `extends: letter-vertical\npage:\n  margins:\n    top: ${top}\n    bottom: 25mm\n    left: 25mm\n    right: 25mm\nbody:\n  charsPerLine: 30\n${letterhead ? head : ''}`;
  fs.writeFileSync(path.join(dir, 'content/lh-vertical.yaml'), template);
  const invitation = fs.readFileSync(path.join(ROOT, 'content/invitation-vertical.yaml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'content/letter.yaml'), invitation.replace('template: letter-vertical', 'template: lh-vertical.yaml'));
  return buildDocument('content/letter.yaml', { workingDirectory: dir, root: dir });
}

const texts = (items: readonly { kind: string }[]) => items.filter((i): i is TextLineItem => i.kind === 'text');

describe('a letterhead on a vertical letter', async () => {
  const withHead = await build('50mm', true);
  const without = await build('50mm', false);
  const region = withHead.layout.block;

  it('is printed, horizontally, above the columns', () => {
    const head = texts(withHead.layout.pages[0]!.items).filter((i) => i.role === 'letterhead');
    expect(head.map((i) => i.text).join('')).toContain('多摩郷土史研究会');
    for (const item of head) {
      expect(item.writingMode).toBeUndefined();
      expect(item.baseline).toBeLessThan(region.y);
      expect(item.baseline).toBeGreaterThan(0);
    }
    const rule = withHead.layout.pages[0]!.items.find((i) => i.kind === 'rule');
    expect(rule && rule.kind === 'rule' && rule.y1).toBeLessThan(region.y);
    expect(withHead.warnings.join('\n')).not.toMatch(/letterhead/);
  });

  it('leaves the columns exactly where they are without it', () => {
    const columns = (r: typeof withHead) =>
      r.layout.pages.flatMap((p) =>
        texts(p.items)
          .filter((i) => i.role !== 'letterhead')
          .map((i) => [i.text, i.x, i.baseline]),
      );
    expect(columns(withHead)).toEqual(columns(without));
    expect(columns(withHead).length).toBeGreaterThan(20);
  });

  it('needs room in the head margin: too small a one is a template error saying how much', async () => {
    const error = await build('20mm', true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KumihanError);
    expect((error as Error).message).toMatch(/letterhead .* (\d+\.\d) mm deep.*page\.margins\.top leaves 20\.0 mm.*at least \1 mm/);
  });
});

describe('markup in a letterhead', () => {
  it('is read as in any text: a reading over the name, clear of the text under it and inside the page', async () => {
    const r = await build('55mm', true, LETTERHEAD.replace('多摩郷土史研究会', '多摩｜郷土史《きょうどし》研究会'));
    const head = texts(r.layout.pages[0]!.items).filter((i) => i.role === 'letterhead' || i.role === 'annotation');
    const name = head.find((i) => i.text === '多摩郷土史研究会')!;
    const ruby = head.find((i) => i.role === 'annotation' && i.text === 'きょうどし')!;
    expect(name).toBeDefined();
    expect(ruby).toBeDefined();
    // The ruby's em box (ascent 0.88, descent 0.12) between the page's top and the name's em box.
    expect(ruby.baseline - ruby.size * 0.88).toBeGreaterThan(0);
    // (JLREQ §3.3: the ruby's frame touches the base's; 0.88 is the em box's ascent rounded.)
    expect(ruby.baseline + ruby.size * 0.12).toBeLessThanOrEqual(name.baseline - name.size * 0.88 + 0.01);
    expect(head.some((i) => /[｜《》]/.test(i.text))).toBe(false);
  });

  it('ruby on an address line keeps clear of the line above it', async () => {
    const r = await build('55mm', true, LETTERHEAD.replace('TEL 0428-00-0000', '代表　｜東海林《しょうじ》太郎'));
    const head = texts(r.layout.pages[0]!.items).filter((i) => i.role === 'letterhead' || i.role === 'annotation');
    const above = head.find((i) => i.text.startsWith('〒198'))!;
    const ruby = head.find((i) => i.text === 'しょうじ')!;
    // The ruby's em box top at least a quarter of the text size under the em box of the line above.
    expect(ruby.baseline - ruby.size * 0.88 - (above.baseline + above.size * 0.12)).toBeGreaterThanOrEqual(above.size * 0.25 - 0.01);
  });

  it('a mistake in it is an error at the template field', async () => {
    const error = await build('55mm', true, LETTERHEAD.replace('多摩郷土史研究会', '多摩郷土史《研究会')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KumihanError);
    expect((error as KumihanError).location).toMatchObject({ file: 'content/lh-vertical.yaml', path: 'letterhead.name' });
  });
});
