import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

export const FONT = join(import.meta.dirname, '..', '..', 'fonts', 'BIZUDMincho-Regular.ttf');
export const MM = 72 / 25.4;

export interface TextItem {
  text: string;
  x: number;
  y: number;
  size?: number;
}

export interface PdfSpec {
  /** Text items per page. */
  pages: TextItem[][];
  title?: string;
  lang?: string;
  size?: string | [number, number];
}

/** A small PDF made with pdfkit, BIZ UD Mincho embedded, fixed creation date. */
export function makePdf(spec: PdfSpec): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: spec.size ?? 'A4',
      autoFirstPage: false,
      lang: spec.lang,
      info: { CreationDate: new Date(0), ...(spec.title ? { Title: spec.title } : {}) },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    for (const items of spec.pages) {
      doc.addPage({ size: spec.size ?? 'A4', margin: 0 });
      doc.font(FONT);
      for (const it of items) {
        doc.fontSize(it.size ?? 12).text(it.text, it.x, it.y, { lineBreak: false });
      }
    }
    doc.end();
  });
}

/** The standard two-page sample; `edit` may change it before it is built. */
export function sampleSpec(edit?: (pages: TextItem[][]) => void): PdfSpec {
  const pages: TextItem[][] = [
    [
      { text: '組版の確認：吉野家と漢字テスト。', x: 72, y: 100 },
      { text: 'Smart Mix with Technology', x: 72, y: 130 },
    ],
    [
      { text: '二ページ目の本文です。', x: 72, y: 72 },
      { text: '最後の行', x: 72, y: 100 },
    ],
  ];
  edit?.(pages);
  return { pages };
}

export function sampleText(pages: TextItem[][]): string {
  return pages.map((p) => p.map((i) => i.text).join('\n')).join('\n');
}

export function tmp(prefix = 'kumihan-check-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
