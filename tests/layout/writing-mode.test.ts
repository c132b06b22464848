/**
 * The two writing modes (src/layout/writing-mode.ts): horizontal-tb maps inline → +x and block → +y;
 * vertical-rl maps inline → +y (down the column) and block → −x (columns from the right edge), and puts
 * annotations (ruby) to the right of a column instead of above a line.
 */
import { describe, expect, it } from 'vitest';
import { horizontalTb, verticalRl, writingMode, type TextRegion } from '../../src/layout/writing-mode.js';

const region: TextRegion = { x: 100, y: 50, width: 600, height: 400, pitch: 20, lines: 30 };

describe('writing modes', () => {
  it('are chosen by their CSS names', () => {
    expect(writingMode('horizontal-tb')).toBe(horizontalTb);
    expect(writingMode('vertical-rl')).toBe(verticalRl);
  });
  it('measure lines along the width in horizontal writing and along the height in vertical writing', () => {
    expect(horizontalTb.inlineSize(region)).toBe(600);
    expect(verticalRl.inlineSize(region)).toBe(400);
  });
  it('place vertical columns from the right edge, each centred in its grid line, starting at the inline offset', () => {
    const first = verticalRl.lineOrigin(region, 0, 20, 12, 12, 0.88);
    expect(first).toEqual({ x: 100 + 600 - 10, baseline: 50 + 12 });
    const third = verticalRl.lineOrigin(region, 40, 20, 0, 12, 0.88);
    expect(third.x).toBe(first.x - 40);
  });
  it('put ruby over a horizontal line and to the right of a vertical column, solid against the em box', () => {
    const h = horizontalTb.annotationOrigin({ x: 10, baseline: 100 }, 12, 0.88, 0.5);
    expect(h.x).toBe(10);
    expect(h.baseline).toBeCloseTo(100 - 0.88 * 12 - 0.12 * 6, 9);
    const v = verticalRl.annotationOrigin({ x: 200, baseline: 50 }, 12, 0.88, 0.5);
    expect(v).toEqual({ x: 200 + 6 + 3, baseline: 50 });
  });
});
