/**
 * Made-up photos for booklet tests: a sky, a sun and hills, in colours from a seed, as PNG or JPEG of any
 * pixel size, so that tests can try every size and proportion without shipping image files.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as mupdf from 'mupdf';

/** RGB pixels of a landscape picture, rows `stride` bytes apart. */
function landscapePixels(data: Uint8Array | Uint8ClampedArray, stride: number, width: number, height: number, seed: number): void {
  const hue = (seed * 47) % 360;
  const sky = hsl(hue, 0.55, 0.72);
  const horizon = hsl((hue + 30) % 360, 0.5, 0.88);
  const hill = hsl((hue + 140) % 360, 0.4, 0.38);
  const sun = { x: width * (0.25 + ((seed * 13) % 50) / 100), y: height * 0.3, r: Math.min(width, height) * 0.12 };
  for (let y = 0; y < height; y++) {
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const ridge = height * (0.62 + 0.08 * Math.sin((x / width) * Math.PI * (2 + (seed % 3)) + seed));
      let c: number[];
      if (y > ridge) c = hill.map((v) => v * (0.8 + 0.2 * (1 - t)));
      else if ((x - sun.x) ** 2 + (y - sun.y) ** 2 < sun.r ** 2) c = [250, 240, 200];
      else c = sky.map((v, i) => v + (horizon[i]! - v) * (t / 0.65));
      const o = y * stride + x * 3;
      data[o] = c[0]!;
      data[o + 1] = c[1]!;
      data[o + 2] = c[2]!;
    }
  }
}

function hsl(h: number, s: number, l: number): number[] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** Writes a picture of `width` × `height` pixels as PNG or JPEG (by the file's extension), encoded by mupdf. */
export function writePhoto(file: string, width: number, height: number, seed = 1): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pixmap = new mupdf.Pixmap(mupdf.ColorSpace.DeviceRGB, [0, 0, width, height], false);
  landscapePixels(pixmap.getPixels(), pixmap.getStride(), width, height, seed);
  fs.writeFileSync(file, /\.jpe?g$/i.test(file) ? pixmap.asJPEG(85) : pixmap.asPNG());
  return file;
}
