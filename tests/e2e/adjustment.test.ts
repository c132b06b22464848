/**
 * The template setting body.adjustment (JLREQ §3.8 line adjustment policy), from the template to the
 * composer: default pushIn; pushOut changes where the seed letter's lines break and how they are adjusted,
 * and the PDF still has every line flush; a wrong value is refused with the allowed ones.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/build.js';
import { loadDocument } from '../../src/model/load.js';
import { ROOT } from '../text/helpers.js';

const SEED = path.join(ROOT, 'content/embassy-2017-kazakhstan.yaml');

function variant(body: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-adjustment-'));
  const file = path.join(dir, 'variant.yaml');
  fs.writeFileSync(file, `extends: embassy-message\nbody:\n${body}`);
  return file;
}

const bodyLines = (r: Awaited<ReturnType<typeof buildDocument>>) =>
  r.layout.pages.flatMap((p) => p.items.flatMap((i) => (i.kind === 'text' && i.role === 'body' ? [i.text] : [])));

describe('body.adjustment', () => {
  it('defaults to pushIn', () => {
    expect(loadDocument(SEED).template.body.adjustment).toBe('pushIn');
  });

  it('pushOut reaches the composer: the seed breaks differently, and the text is the same', async () => {
    const pushIn = await buildDocument(SEED);
    const pushOut = await buildDocument(SEED, { template: variant('  adjustment: pushOut\n') });
    expect(loadDocument(SEED, { template: variant('  adjustment: pushOut\n') }).template.body.adjustment).toBe('pushOut');
    expect(bodyLines(pushOut)).not.toEqual(bodyLines(pushIn));
    expect(bodyLines(pushOut).join('')).toBe(bodyLines(pushIn).join(''));
  }, 30_000);

  it('refuses another value, naming the allowed ones', () => {
    expect(() => loadDocument(SEED, { template: variant('  adjustment: squeeze\n') })).toThrow(/pushIn.*pushOut/);
  });
});
