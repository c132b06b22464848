/**
 * The pipeline in one place: load & validate → shape & compose → lay out → write PDF.
 *
 *   content/*.yaml + templates/*.yaml
 *     → loadDocument            (src/model)   validated content, resolved template
 *     → layoutInputFor          (here)        which texts go where, in which face
 *     → layoutDocument          (src/layout)  composes every text block (src/text) and places lines on pages
 *     → writePdf                (src/pdf)     embeds subset fonts, writes glyphs where layout put them
 *
 * Each stage takes and returns plain data; this module only connects them and turns stage errors into
 * KumihanErrors that point at the source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KumihanError } from './errors.js';
import { layoutDocument, LayoutGlyphError, type LaidOutDocument, type LayoutInput, type TextBlock } from './layout/layout.js';
import { readImageSize } from './layout/image.js';
import { loadDocument, type LoadedDocument, type LoadOptions } from './model/load.js';
import type { ResolvedBlockItem } from './model/template.js';
import { writePdf, type PdfMetadata } from './pdf/write.js';
import { loadFace } from './font/fonts.js';
import type { FontFace } from './text/shape.js';

export interface BuildOptions extends LoadOptions {
  /** Seconds since 1970 for the PDF dates; default: SOURCE_DATE_EPOCH, else derived from the content. */
  sourceDateEpoch?: number;
  /** Override content fields (mail merge substitutes placeholders before layout). */
  transform?: (doc: LoadedDocument) => LoadedDocument;
}

export interface BuildResult {
  pdf: Uint8Array;
  pages: number;
  /** What the PDF's text layer must give back: each line's text, lines joined by newlines. */
  expectedText: string;
  warnings: string[];
  layout: LaidOutDocument;
  document: LoadedDocument;
}

/** Build one content file into PDF bytes (nothing is written to disk). */
export async function buildDocument(contentPath: string, opts: BuildOptions = {}): Promise<BuildResult> {
  let doc = loadDocument(contentPath, opts);
  if (opts.transform) doc = opts.transform(doc);
  return buildLoaded(doc, opts);
}

/** A document laid out and ready to write: the pages, the faces they use, and what the PDF must say. */
export interface LaidOut {
  layout: LaidOutDocument;
  faces: Record<string, FontFace>;
  /** What the PDF's text layer must give back: each line's text, lines joined by newlines. */
  expectedText: string;
}

/** Compose and lay out a loaded document (no PDF yet); a missing glyph becomes an error at its source. */
export function layoutLoaded(doc: LoadedDocument): LaidOut {
  const faces: Record<string, FontFace> = {};
  for (const [name, f] of Object.entries(doc.template.fonts)) faces[name] = loadFace(name, f.file, f.latin);
  const input = layoutInputFor(doc, faces);
  let layout: LaidOutDocument;
  try {
    layout = layoutDocument(input);
  } catch (e) {
    if (e instanceof LayoutGlyphError) throw missingGlyphError(doc, e);
    throw e;
  }
  const expectedText = layout.pages
    .map((p) => p.items.flatMap((it) => (it.kind === 'text' ? [it.text] : [])).join('\n'))
    .join('\n');
  return { layout, faces, expectedText };
}

/** Document information for the PDF: title from `title`, author from `sender`, unless `pdf:` says otherwise. */
export function pdfMetadataFor(doc: LoadedDocument, sourceDateEpoch?: number): PdfMetadata {
  const content = doc.content;
  const keywords = content.pdf?.keywords;
  return {
    title: content.pdf?.title ?? content.title,
    author: content.pdf?.author ?? content.sender,
    subject: content.pdf?.subject ?? content.subtitle,
    keywords: Array.isArray(keywords) ? keywords.join(', ') : keywords,
    creationDate: creationDateFor(doc, sourceDateEpoch),
    lang: 'ja-JP',
  };
}

export async function buildLoaded(doc: LoadedDocument, opts: BuildOptions = {}): Promise<BuildResult> {
  const { layout, faces, expectedText } = layoutLoaded(doc);
  const pdf = await writePdf(layout, faces, pdfMetadataFor(doc, opts.sourceDateEpoch));
  return { pdf, pages: layout.pages.length, expectedText, warnings: layout.warnings, layout, document: doc };
}

/**
 * The PDF creation date. SOURCE_DATE_EPOCH wins (reproducible-builds.org); otherwise the letter's own
 * date (its first day when only a month is given), otherwise 2000-01-01 — never the clock, so that the
 * same input always gives the same bytes.
 */
export function creationDateFor(doc: LoadedDocument, epoch?: number): Date {
  const env = process.env.SOURCE_DATE_EPOCH;
  const fromEnv = epoch ?? (env !== undefined && /^\d+$/.test(env.trim()) ? Number(env.trim()) : undefined);
  if (fromEnv !== undefined) return new Date(fromEnv * 1000);
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(doc.content.date ?? '');
  if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? '1')));
  return new Date(Date.UTC(2000, 0, 1));
}

function fieldLines(doc: LoadedDocument, field: string): { text: string; path: (string | number)[] }[] {
  const c = doc.content as Record<string, unknown>;
  if (field === 'date') return doc.dateText ? [{ text: doc.dateText, path: ['date'] }] : [];
  const value = c[field];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v, i) => ({ text: String(v), path: [field, i] }));
  return [{ text: String(value), path: [field] }];
}

function blocksFor(doc: LoadedDocument, items: ResolvedBlockItem<string>[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const item of items) {
    const lines = fieldLines(doc, item.field).filter((l) => l.text.trim() !== '');
    if (lines.length === 0) continue;
    blocks.push({
      lines: lines.map((l) => ({ text: l.text, source: { path: l.path } })),
      face: item.font,
      size: item.size,
      align: item.align,
      spaceBefore: item.spaceBefore,
      indent: item.indent,
    });
  }
  return blocks;
}

export function layoutInputFor(doc: LoadedDocument, faces: Record<string, FontFace>): LayoutInput {
  const t = doc.template;
  const lh = t.letterhead;
  let letterhead: LayoutInput['letterhead'];
  if (lh) {
    let logo: NonNullable<LayoutInput['letterhead']>['logo'];
    if (lh.logo) {
      const size = readImageSize(lh.logo.file);
      logo = { file: lh.logo.file, width: lh.logo.width, height: (lh.logo.width * size.height) / size.width, position: lh.logo.position };
    }
    letterhead = {
      name: lh.name ? { text: lh.name, face: lh.nameFont, size: lh.nameSize } : undefined,
      address: lh.address.map((a) => ({ text: a, face: lh.font, size: lh.size })),
      align: lh.align,
      logo,
      rule: lh.rule,
      spaceAfter: lh.spaceAfter,
    };
  }
  return {
    page: { width: t.page.size[0], height: t.page.size[1], margins: t.page.margins },
    faces,
    body: {
      face: t.body.font,
      size: t.body.size,
      charsPerLine: t.body.charsPerLine,
      linesPerPage: t.body.linesPerPage,
      indent: t.body.indent,
      lineBreak: t.body.lineBreak,
      hangingPunctuation: t.body.hangingPunctuation,
      openingBracketIndent: t.body.openingBracketIndent,
      adjustment: t.body.adjustment,
      paragraphSpacing: t.body.paragraphSpacing,
      spaceBefore: t.body.spaceBefore,
    },
    letterhead,
    before: blocksFor(doc, t.header),
    paragraphs: doc.paragraphs.map((text, k) => ({ text, source: { path: ['body'], paragraph: k } })),
    after: blocksFor(doc, t.after),
    footer: t.footer
      ? { format: t.footer.pageNumbers, face: t.footer.font, size: t.footer.size, align: t.footer.align, offset: t.footer.offset }
      : undefined,
  };
}

function missingGlyphError(doc: LoadedDocument, e: LayoutGlyphError): KumihanError {
  const { source, charIndex, glyphError: cause } = e;
  const fromTemplate = source.path[0] === 'letterhead' || source.path[0] === 'footer';
  const where =
    source.paragraph !== undefined
      ? doc.locateBodyOffset(source.paragraph, charIndex)
      : fromTemplate
        ? doc.locateTemplate(source.path)
        : doc.locate(source.path);
  const field = source.paragraph !== undefined ? `body (paragraph ${source.paragraph + 1})` : source.path.join('.');
  const hint = cause.control ? '' : '; choose a font that has it, or replace the character';
  return new KumihanError('missing-glyph', `${cause.message}${hint}`, { ...where, path: field });
}

/**
 * Write a file atomically: to a temporary file in the same directory, then rename over the target.
 * A failed build therefore never leaves a half-written PDF and never replaces a good one.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
