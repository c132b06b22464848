/**
 * Pixel comparison of two page renders (PNG) with pixelmatch.
 *
 * Defaults — threshold 0.1, anti-aliased pixels counted, maxDiffPixels 0 — rest on the
 * renderer being exactly deterministic (see render.ts): an unchanged PDF renders to the very
 * same bytes, so any differing pixel means the page changed. pixelmatch's anti-aliasing
 * detection is switched off (includeAA: true) on purpose: it classifies glyph-edge pixels as
 * "anti-aliasing" and ignores them, which hides sub-pixel shifts of whole lines — exactly
 * the regressions typesetting checks must catch. The threshold (OKLab HyAB distance, 0–1)
 * only forgives colour noise far below what a changed glyph or a moved line produces.
 * Measured with BIZ UD Mincho 12 pt (differing pixels with AA counted / AA ignored):
 *   96 dpi: one Latin letter changed (y→i) 50 / 21, one kanji changed 141 / 88,
 *           a line moved down 0.5 mm (1.42 pt ≈ 1.9 px) 1684 / 930, moved 0.1 pt 1347 / 624;
 *   48 dpi: y→i 17 / 3, 0.5 mm shift 499 / 275 (moves under ~0.25 px vanish in glyph snapping);
 *   an identical rebuild: 0 (byte-identical PNGs).
 */
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

export interface CompareOptions {
  /** pixelmatch colour threshold, 0–1 (default 0.1). */
  threshold?: number;
  /** Pages with more differing pixels than this fail (default 0). */
  maxDiffPixels?: number;
  /** Count anti-aliased pixels as differences (default true; see the module comment). */
  includeAA?: boolean;
}

export interface CompareResult {
  sameSize: boolean;
  /** Differing pixels (over the union area when sizes differ). */
  diffPixels: number;
  totalPixels: number;
  /** diffPixels / totalPixels. */
  ratio: number;
  /** Pass/fail under maxDiffPixels; always false when sizes differ. */
  passed: boolean;
  /** Reference faded as background, differing pixels in red (PNG, encoded on first access). */
  readonly diffPng: Buffer;
  reference: { width: number; height: number };
  actual: { width: number; height: number };
}

export const DEFAULT_THRESHOLD = 0.1;
export const DEFAULT_MAX_DIFF_PIXELS = 0;

/** RGBA image padded with white to width × height (no copy when already that size). */
function pad(img: PNG, width: number, height: number): Uint8Array {
  if (img.width === width && img.height === height) return img.data;
  const out = new Uint8Array(width * height * 4).fill(255);
  for (let y = 0; y < img.height; y++) {
    out.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), y * width * 4);
  }
  return out;
}

export function comparePng(reference: Buffer | Uint8Array, actual: Buffer | Uint8Array, opts: CompareOptions = {}): CompareResult {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const maxDiffPixels = opts.maxDiffPixels ?? DEFAULT_MAX_DIFF_PIXELS;
  const ref = PNG.sync.read(Buffer.from(reference.buffer, reference.byteOffset, reference.byteLength));
  const act = PNG.sync.read(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength));
  const sameSize = ref.width === act.width && ref.height === act.height;
  const width = Math.max(ref.width, act.width);
  const height = Math.max(ref.height, act.height);
  const diff = new PNG({ width, height });
  const diffPixels = pixelmatch(pad(ref, width, height), pad(act, width, height), diff.data, width, height, {
    threshold,
    includeAA: opts.includeAA ?? true,
    alpha: 0.15,
    diffColor: [255, 0, 0],
    aaColor: [255, 0, 0],
  });
  const totalPixels = width * height;
  let diffPng: Buffer | undefined;
  return {
    sameSize,
    diffPixels,
    totalPixels,
    ratio: totalPixels ? diffPixels / totalPixels : 0,
    passed: sameSize && diffPixels <= maxDiffPixels,
    // Encoded on first use: a passing page never needs it (encoding an A4 page at 96 dpi
    // costs more than the comparison). No PNG row filter: fastest, and smallest for these.
    get diffPng(): Buffer {
      return (diffPng ??= PNG.sync.write(diff, { filterType: 0 }));
    },
    reference: { width: ref.width, height: ref.height },
    actual: { width: act.width, height: act.height },
  };
}

/** Reads the resolution (dpi) stored in a PNG's pHYs chunk, or null. */
export function pngDpi(png: Uint8Array): number | null {
  // 8-byte signature, then chunks: length(4) type(4) data crc(4)
  let off = 8;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  while (off + 8 <= png.byteLength) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    if (type === 'pHYs' && len >= 9) {
      const ppuX = view.getUint32(off + 8);
      const unit = png[off + 16];
      return unit === 1 ? Math.round(ppuX * 0.0254) : null;
    }
    if (type === 'IDAT' || type === 'IEND') return null;
    off += 12 + len;
  }
  return null;
}
