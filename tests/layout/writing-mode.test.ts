/**
 * The two writing modes (src/layout/writing-mode.ts): horizontal-tb maps inline → +x and block → +y;
 * vertical-rl maps inline → +y (down the column) and block → −x (columns from the right edge), and puts
 * annotations (ruby) to the right of a column instead of above a line.
 */
import { describe, expect, it } from 'vitest';
import { regionInMode } from '../../src/layout/masters.js';
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

describe('the 版面 in the other writing mode (regionInMode)', () => {
  // A horizontal block: 33 characters of 9.5pt across, 29 lines down at a pitch of 16.42pt.
  const horizontal: TextRegion = { x: 58.7, y: 56.7, width: 33 * 9.5, height: 29 * 16.42, pitch: 16.42, lines: 29 };
  it('is the same region in the same mode', () => {
    expect(regionInMode(horizontal, 'horizontal-tb', 'horizontal-tb', 9.5)).toBe(horizontal);
  });
  it('keeps the line pitch and takes whole characters down the block and whole columns across it', () => {
    const v = regionInMode(horizontal, 'horizontal-tb', 'vertical-rl', 9.5);
    expect(v.pitch).toBe(16.42);
    expect(v.lines).toBe(Math.floor((33 * 9.5) / 16.42));
    expect(v.height / 9.5).toBeCloseTo(Math.floor((29 * 16.42) / 9.5), 9);
    expect(v.y).toBe(horizontal.y);
    // Centred across the block: what is left of its width is shared on both sides.
    expect(v.x - horizontal.x).toBeCloseTo(horizontal.x + horizontal.width - (v.x + v.width), 9);
    expect(v.width).toBeCloseTo(v.lines * 16.42, 9);
  });
  it('turns a vertical block into whole characters across and whole lines down', () => {
    const vertical: TextRegion = { x: 40, y: 70, width: 19 * 17, height: 44 * 9.5, pitch: 17, lines: 19 };
    const h = regionInMode(vertical, 'vertical-rl', 'horizontal-tb', 9.5);
    expect(h.width / 9.5).toBeCloseTo(Math.floor((19 * 17) / 9.5), 9);
    expect(h.lines).toBe(Math.floor((44 * 9.5) / 17));
    expect(h.height).toBeCloseTo(h.lines * 17, 9);
    expect(h.x + h.width / 2).toBeCloseTo(vertical.x + vertical.width / 2, 9);
  });
});
