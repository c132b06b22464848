/**
 * PDF pages → PNG images through mupdf, for reference-render checks.
 *
 * Determinism: pages are rendered without alpha into DeviceRGB (white background), with
 * mupdf's built-in anti-aliasing level (mupdf.js exposes no way to change it, so it is the
 * compiled-in default of 8 bits for text and graphics). The renderer is WebAssembly, so the
 * same PDF bytes give the same pixels on every machine and every run, as long as the mupdf
 * package version is the same (package-lock pins it). PNG encoding is mupdf's own and
 * carries the resolution in a pHYs chunk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KumihanError } from '../errors.js';
import { boundsSize, openPdf } from './mupdf.js';
import { readPdfFile } from './pdf-file.js';

export interface RenderedPage {
  /** 1-based page number. */
  index: number;
  /** Page size in points (CropBox, after rotation). */
  widthPt: number;
  heightPt: number;
  /** PNG bytes, 8-bit RGB, no alpha. */
  png: Buffer;
  /** Image size in pixels. */
  width: number;
  height: number;
}

export const DEFAULT_DPI = 96;

function checkDpi(dpi: number): void {
  if (!Number.isFinite(dpi) || dpi < 9 || dpi > 1200) {
    throw new KumihanError('usage', `dpi must be a number between 9 and 1200 (got ${dpi})`);
  }
}

/** Renders every page of `pdf` at `dpi` (default 96). */
export async function renderPdf(pdf: Uint8Array, dpi = DEFAULT_DPI, label?: string): Promise<RenderedPage[]> {
  checkDpi(dpi);
  const { mupdf, doc } = await openPdf(pdf, label);
  const scale = dpi / 72;
  const out: RenderedPage[] = [];
  try {
    const n = doc.countPages();
    // A PDF cut short can open, repaired, with no page at all: nothing rendered is no success.
    if (n === 0) throw new KumihanError('check', 'the PDF has no pages (it may be damaged or cut short)', label ? { file: label } : {});
    for (let i = 0; i < n; i++) {
      const page = doc.loadPage(i);
      try {
        const { widthPt, heightPt } = boundsSize(page.getBounds());
        const pix = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true);
        try {
          pix.setResolution(Math.round(dpi), Math.round(dpi));
          out.push({
            index: i + 1,
            widthPt,
            heightPt,
            png: Buffer.from(pix.asPNG()),
            width: pix.getWidth(),
            height: pix.getHeight(),
          });
        } finally {
          pix.destroy();
        }
      } finally {
        page.destroy();
      }
    }
  } finally {
    doc.destroy();
  }
  return out;
}

/** Renders `pdfPath` into `outDir/page-<n>.png`; returns the written paths in page order. */
export async function writeRenders(pdfPath: string, outDir: string, dpi = DEFAULT_DPI): Promise<string[]> {
  const pages = await renderPdf(readPdfFile(pdfPath), dpi, pdfPath);
  mkdirSync(outDir, { recursive: true });
  return pages.map((p) => {
    const file = join(outDir, `page-${p.index}.png`);
    writeFileSync(file, p.png);
    return file;
  });
}
