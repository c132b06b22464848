/**
 * The one place that loads mupdf (WebAssembly). Importing it costs ~0.1–0.2 s, so it is only
 * ever loaded through `await import('mupdf')` from functions that need it: `kumihan build`
 * never pays for it. Only types are imported statically (erased at compile time).
 */
import type * as Mupdf from 'mupdf';
import { KumihanError } from '../errors.js';

export type MupdfModule = typeof Mupdf;

let loading: Promise<MupdfModule> | undefined;

/** Loads mupdf once per process. */
export function loadMupdf(): Promise<MupdfModule> {
  loading ??= import('mupdf').then((m) => {
    // mupdf prints recoverable-problem warnings to the console by default; they are noise
    // in check output (a broken PDF still fails through exceptions).
    m.setLog({ warning() {}, error() {} });
    return m;
  });
  return loading;
}

/**
 * Opens PDF bytes as a mupdf PDFDocument, turning failures into a KumihanError.
 * `label` names the PDF in messages (a path or a content name).
 */
export async function openPdf(pdf: Uint8Array, label?: string): Promise<{ mupdf: MupdfModule; doc: Mupdf.PDFDocument }> {
  const mupdf = await loadMupdf();
  let doc: Mupdf.Document;
  try {
    doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  } catch (e) {
    throw new KumihanError('check', `cannot open PDF: ${(e as Error).message ?? String(e)}`, label ? { file: label } : {});
  }
  const pdfDoc = doc.asPDF();
  if (!pdfDoc) {
    doc.destroy();
    throw new KumihanError('check', 'not a PDF document', label ? { file: label } : {});
  }
  return { mupdf, doc: pdfDoc };
}

/** Page size in points as mupdf sees it (CropBox, after /Rotate). */
export function boundsSize(bounds: readonly number[]): { widthPt: number; heightPt: number } {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = bounds;
  return { widthPt: x1 - x0, heightPt: y1 - y0 };
}
