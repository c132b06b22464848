/**
 * Font files are read and parsed once per process and shared: the same fontkit Font object is used for
 * shaping here and handed to pdfkit for embedding (pdfkit accepts a fontkit font), so no font is parsed twice.
 */
import fs from 'node:fs';
import * as fontkit from 'fontkit';
import type { Font } from 'fontkit';
import { KumihanError } from '../errors.js';
import type { FontFace } from './shape.js';

const fontCache = new Map<string, Font>();

export function loadFont(file: string): Font {
  const cached = fontCache.get(file);
  if (cached) return cached;
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new KumihanError('font', `font file not found: ${file}`, { file });
  }
  let font: Font;
  try {
    font = fontkit.create(bytes);
  } catch (e) {
    throw new KumihanError('font', `not a font file fontkit can read (${(e as Error).message})`, { file });
  }
  if (!font || typeof font.layout !== 'function') {
    throw new KumihanError('font', 'font collections are not supported; name a single font file', { file });
  }
  fontCache.set(file, font);
  return font;
}

/** A face from its files: the Japanese font and an optional proportional font for Western text. */
export function loadFace(name: string, file: string, latinFile?: string): FontFace {
  // One face object per pair of files, so that shaping caches survive across documents of a batch.
  const key = `${file}\0${latinFile ?? ''}`;
  let face = faceCache.get(key);
  if (!face) {
    face = { name, main: loadFont(file), latin: latinFile ? loadFont(latinFile) : undefined };
    faceCache.set(key, face);
  }
  return face;
}
const faceCache = new Map<string, FontFace>();
