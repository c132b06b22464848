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

/** Images with more pixels than this are refused (the default of DEFAULT_LIMITS.imagePixels). */
export const IMAGE_PIXEL_LIMIT = 50_000_000;

/**
 * The image's size, after checking that its data matches its header: a PNG's image data must inflate
 * to exactly the bytes its width, height and pixel format call for; a JPEG must have its scan data and
 * end marker, with at least a bit of data per 8×8 block. Either may have at most `pixelLimit` pixels.
 */
export function readImageSize(file: string, pixelLimit = IMAGE_PIXEL_LIMIT): ImageSize {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new KumihanError('image', `image file not found: ${file}`, { file });
  }
  const header = pngHeader(bytes) ?? jpegHeader(bytes);
  if (!header || header.width <= 0 || header.height <= 0) {
    throw new KumihanError('image', 'not a readable PNG or JPEG image (the file is damaged or of another type)', { file });
  }
  const { width, height } = header;
  if (width * height > pixelLimit) {
    throw new KumihanError(
      'image',
      `the image is ${width}×${height} pixels; at most ${(pixelLimit / 1e6).toFixed(0)} million pixels are allowed`,
      { file },
    );
  }
  const problem = header.format === 'png' ? pngDataProblem(bytes, header) : jpegDataProblem(bytes, header);
  if (problem)
    throw new KumihanError(
      'image',
      `the ${header.format.toUpperCase()} header says ${width}×${height} pixels, but ${problem} (the file is damaged or truncated)`,
      { file },
    );
  return { width, height, format: header.format };
}

interface PngHeader extends ImageSize {
  format: 'png';
  bitDepth: number;
  colorType: number;
  interlace: number;
}

function pngHeader(b: Buffer): PngHeader | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 33 || signature.some((v, i) => b[i] !== v)) return null;
  if (b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), format: 'png', bitDepth: b[24]!, colorType: b[25]!, interlace: b[28]! };
}

const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };

/** Bytes of filtered scanlines the image data must inflate to (each pass of an interlaced image counted). */
function pngRawSize(h: PngHeader): number {
  const bitsPerPixel = PNG_CHANNELS[h.colorType]! * h.bitDepth;
  const rows = (width: number, height: number) => (width === 0 || height === 0 ? 0 : height * (1 + Math.ceil((width * bitsPerPixel) / 8)));
  if (h.interlace === 0) return rows(h.width, h.height);
  // Adam7: [x start, y start, x step, y step] of the seven passes.
  const passes: [number, number, number, number][] = [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2],
  ];
  return passes.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((h.width - x0) / dx), Math.ceil((h.height - y0) / dy)), 0);
}

/**
 * The image data must be there and inflate to exactly the size the header calls for: a PNG with a good
 * header but damaged or missing data would otherwise be copied into the PDF as it is, and the logo
 * would be missing (or the PDF broken) when the letter is printed.
 */
function pngDataProblem(b: Buffer, h: PngHeader): string | undefined {
  if (!PNG_DEPTHS[h.colorType]?.includes(h.bitDepth))
    return `its pixel format (colour type ${h.colorType}, depth ${h.bitDepth}) is not valid`;
  if (h.interlace > 1) return 'its interlace method is not valid';
  const idat: Buffer[] = [];
  let i = 8;
  let ended = false;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    if (i + 12 + length > b.length) return 'the file ends inside a chunk';
    if (type === 'IDAT') idat.push(b.subarray(i + 8, i + 8 + length));
    if (type === 'IEND') {
      ended = true;
      break;
    }
    i += 12 + length;
  }
  if (idat.length === 0) return 'it has no image data';
  if (!ended) return 'it has no end chunk';
  const expected = pngRawSize(h);
  let inflated: Buffer;
  try {
    // Never inflate more than the header calls for: a small file must not become gigabytes here.
    // Output chunks as large as the image calls for, up to 4 MB (a photo at 300 dpi): zlib's default 16 KB
    // chunks are concatenated at the end, which costs more than the inflating itself. Never more, so that a
    // small file whose header claims a huge image does not make a huge allocation before its data runs out.
    const chunkSize = Math.min(Math.max(16 * 1024, expected + 1), 4 * 1024 * 1024);
    inflated = zlib.inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1, chunkSize });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return 'its data holds more than that';
    return 'its data does not decompress';
  }
  if (inflated.length !== expected) return `its data holds ${inflated.length} bytes of pixels where ${expected} are needed`;
  return undefined;
}

interface JpegHeader extends ImageSize {
  format: 'jpeg';
  /** Offset just past the SOF segment. */
  after: number;
}

function jpegHeader(b: Buffer): JpegHeader | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    const len = b.readUInt16BE(i + 2);
    // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7), format: 'jpeg', after: i + 2 + len };
    }
    i += 2 + len;
  }
  return null;
}

/**
 * Without decoding: after the frame header there must be a scan (SOS) and, after its data, the end
 * marker; and the scan data must have at least one bit per 8×8 block of the image (no Huffman code is
 * shorter), so a header claiming far more pixels than the data can hold is refused.
 */
function jpegDataProblem(b: Buffer, h: JpegHeader): string | undefined {
  let i = h.after;
  while (i + 4 <= b.length && !(b[i] === 0xff && b[i + 1] === 0xda)) {
    if (b[i] !== 0xff) return 'its segments are damaged';
    if (b[i + 1] === 0xff) {
      i++;
      continue;
    }
    i += 2 + b.readUInt16BE(i + 2);
  }
  if (i + 4 > b.length) return 'it has no image data (no scan)';
  const scanStart = i + 2 + b.readUInt16BE(i + 2);
  const end = b.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (end < scanStart) return 'it has no end marker';
  const blocks = Math.ceil(h.width / 8) * Math.ceil(h.height / 8);
  if ((end - scanStart) * 8 < blocks) return `its ${end - scanStart} bytes of scan data cannot hold ${blocks} blocks`;
  return undefined;
}
