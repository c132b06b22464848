/**
 * Image dimensions from the file header (PNG IHDR, JPEG SOFn), so layout can size a logo without
 * decoding it. A file that is neither is an error here, before any PDF is written.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { KumihanError } from '../errors.js';

export interface ImageSize {
  width: number;
  height: number;
  format: 'png' | 'jpeg';
}

export function readImageSize(file: string): ImageSize {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new KumihanError('image', `image file not found: ${file}`, { file });
  }
  const size = pngSize(bytes) ?? jpegSize(bytes);
  if (!size || size.width <= 0 || size.height <= 0) {
    throw new KumihanError('image', 'not a readable PNG or JPEG image (the file is damaged or of another type)', { file });
  }
  return size;
}

function pngSize(b: Buffer): ImageSize | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || signature.some((v, i) => b[i] !== v)) return null;
  if (b.toString('latin1', 12, 16) !== 'IHDR') return null;
  if (!pngDataReadable(b)) return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), format: 'png' };
}

/**
 * The image data must be there and inflate: a PNG with a good header but damaged data would otherwise be
 * copied into the PDF as it is, and the logo would be missing when the letter is printed.
 */
function pngDataReadable(b: Buffer): boolean {
  const idat: Buffer[] = [];
  let i = 8;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (i + 12 + length > b.length) return false;
    if (type === 'IDAT') idat.push(b.subarray(i + 8, i + 8 + length));
    if (type === 'IEND') break;
    i += 12 + length;
  }
  if (idat.length === 0) return false;
  try {
    zlib.inflateSync(Buffer.concat(idat));
    return true;
  } catch {
    return false;
  }
}

function jpegSize(b: Buffer): ImageSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), format: 'jpeg' };
    }
    i += 2 + len;
  }
  return null;
}
