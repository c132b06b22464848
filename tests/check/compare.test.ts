import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { comparePng } from '../../src/check/compare.js';

function png(width: number, height: number, paint?: (x: number, y: number) => [number, number, number] | undefined): Buffer {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const c = paint?.(x, y) ?? [255, 255, 255];
      img.data[i] = c[0];
      img.data[i + 1] = c[1];
      img.data[i + 2] = c[2];
      img.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(img);
}

describe('comparePng', () => {
  it('identical images: 0 differing pixels, passes', () => {
    const a = png(20, 10, (x) => (x === 3 ? [0, 0, 0] : undefined));
    const r = comparePng(a, a);
    expect(r).toMatchObject({ sameSize: true, diffPixels: 0, totalPixels: 200, ratio: 0, passed: true });
    expect(PNG.sync.read(r.diffPng).width).toBe(20);
  });

  it('one black pixel fails under the default maxDiffPixels 0, passes with an allowance', () => {
    const a = png(20, 10);
    const b = png(20, 10, (x, y) => (x === 5 && y === 5 ? [0, 0, 0] : undefined));
    const r = comparePng(a, b);
    expect(r.diffPixels).toBe(1);
    expect(r.ratio).toBeCloseTo(1 / 200);
    expect(r.passed).toBe(false);
    expect(comparePng(a, b, { maxDiffPixels: 1 }).passed).toBe(true);
    // the diff image marks it in red
    const d = PNG.sync.read(r.diffPng);
    const i = (5 * 20 + 5) * 4;
    expect([d.data[i], d.data[i + 1], d.data[i + 2]]).toEqual([255, 0, 0]);
  });

  it('colour noise below the threshold is not a difference', () => {
    const a = png(8, 8, () => [200, 200, 200]);
    const b = png(8, 8, () => [201, 200, 200]);
    expect(comparePng(a, b).diffPixels).toBe(0);
    expect(comparePng(a, b, { threshold: 0 }).diffPixels).toBe(64);
  });

  it('different sizes never pass', () => {
    const r = comparePng(png(10, 10), png(10, 12));
    expect(r.sameSize).toBe(false);
    expect(r.passed).toBe(false);
    expect(r.totalPixels).toBe(120);
    expect(r.reference).toEqual({ width: 10, height: 10 });
    expect(r.actual).toEqual({ width: 10, height: 12 });
  });
});
