/**
 * Made-up photos for booklet tests: a sky, a sun and hills, in colours from a seed, as PNG or JPEG of any
 * pixel size, so that tests can try every size and proportion without shipping image files.
 */
import fs from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels of a landscape picture. */
export function landscapePixels(width: number, height: number, seed = 1): Buffer {
  const data = Buffer.alloc(width * height * 4);
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
      const o = (y * width + x) * 4;
      data[o] = c[0]!;
      data[o + 1] = c[1]!;
      data[o + 2] = c[2]!;
      data[o + 3] = 255;
    }
  }
  return data;
}

function hsl(h: number, s: number, l: number): number[] {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

export function writePhoto(file: string, width: number, height: number, seed = 1): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const data = landscapePixels(width, height, seed);
  if (/\.jpe?g$/i.test(file)) fs.writeFileSync(file, jpeg.encode({ data, width, height }, 85).data);
  else {
    const png = new PNG({ width, height });
    data.copy(png.data);
    fs.writeFileSync(file, PNG.sync.write(png));
  }
  return file;
}
