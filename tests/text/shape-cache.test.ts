/** Shaping caches stay bounded however many distinct words a batch meets (a mail merge of names). */
import { describe, expect, it } from 'vitest';
import { toClusters } from '../../src/text/classes.js';
import { glyphCacheSize, shapeClusters } from '../../src/text/shape.js';
import { face } from './helpers.js';

describe('shaping caches', () => {
  it('hold at most 4,096 words, and shape a word the same before and after they start again', () => {
    const shape = (word: string) => shapeClusters(toClusters(word), face).map((c) => [c.text, c.width, c.glyphs.map((g) => g.id)]);
    const first = shape('Kazakhstan');
    for (let i = 0; i < 10_000; i++) {
      shape(`Name${i.toString(36)}`);
      expect(glyphCacheSize(face).words).toBeLessThanOrEqual(4_096);
    }
    expect(shape('Kazakhstan')).toEqual(first);
  });
});
