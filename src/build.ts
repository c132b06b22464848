/**
 * The pipeline in one place: load & validate → document tree → lay out → write PDF.
 *
 *   content/*.yaml + templates/*.yaml
 *     → loadDocument      (src/model)   validated content, resolved template, source locations
 *     → letterDocument    (src/model)   the document tree: blocks of inline runs, furniture, settings
 *     → loadFace          (src/font)    the template's faces (read when first used)
 *     → layoutDocument    (src/layout)  composes every paragraph (src/text) and flows the lines onto pages
 *     → writePdf          (src/pdf)     embeds subset fonts, writes glyphs where layout put them
 *
 * Each stage takes and returns plain data; this module only connects them and turns stage errors into
 * KumihanErrors that point at the source. A single letter, a letter of a mail merge and a combined mail
 * merge all go through buildLoadedParts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eachOrAllProblems, KumihanError, Problems, type SourceLocation } from './errors.js';
import { loadFace, type FontFace } from './font/fonts.js';
import { checkFontTables, checkImage } from './model/assets.js';
import { layoutDocument, type LaidOutDocument } from './layout/layout.js';
import { concatenateLayouts } from './layout/page.js';
import { bookletDocument } from './model/booklet.js';
import { letterDocument, letterMetadata } from './model/letter.js';
import { TextSourceError, type TextSource } from './model/document.js';
import { loadDocument, type LoadedDocument, type LoadOptions } from './model/load.js';
import { formatFieldPath } from './model/yamlfile.js';
import { writePdf, type PdfMetadata } from './pdf/write.js';
import { outputFor, type OutputVariant } from './pdf/outputs.js';
import { assertPreflight } from './check/preflight.js';
import { collectMissingGlyphs, MissingGlyphsError, RunGlyphError } from './text/compose.js';
import { sourceDateEpoch } from './time.js';

export interface BuildOptions extends LoadOptions {
  /** Seconds since 1970 for the PDF dates; default: SOURCE_DATE_EPOCH, else derived from the content. */
  sourceDateEpoch?: number;
  /** Override content fields (mail merge substitutes placeholders before layout). */
  transform?: (doc: LoadedDocument) => LoadedDocument;
  /**
   * Which PDF of a document with `print:` in its template: the screen PDF (default) or the press PDF
   * (src/pdf/outputs.ts). Without `print:` there is only the plain PDF.
   */
  variant?: OutputVariant;
}

export interface BuildResult {
  pdf: Uint8Array;
  pages: number;
  /** What the PDF's text layer must give back: each line's text, lines joined by newlines. */
  expectedText: string;
  warnings: string[];
  layout: LaidOutDocument;
  /** The (first) document built. */
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

/** The template's faces (one object per pair of font files, shared across documents: see loadFace). */
export function facesFor(doc: LoadedDocument): Record<string, FontFace> {
  const faces: Record<string, FontFace> = {};
  for (const [name, f] of Object.entries(doc.template.fonts)) {
    // A truncated or damaged font is an error at the template line naming it, before it is parsed.
    checkFontTables(f.file, doc.locateTemplate(['fonts', name, 'file']));
    if (f.latin) checkFontTables(f.latin, doc.locateTemplate(['fonts', name, 'latin']));
    faces[name] = loadFace(name, f.file, f.latin, f.fallback);
  }
  return faces;
}

/** A logo whose data does not match its header, or with too many pixels, is an error at the template line. */
function checkAssets(doc: LoadedDocument): void {
  const logo = doc.template.letterhead?.logo;
  if (logo) checkImage(logo.file, doc.paths.inputs.limits.imagePixels, doc.locateTemplate(['letterhead', 'logo', 'file']));
}

/** Model → layout for a loaded document (no PDF yet); a missing glyph becomes an error at its source. */
export function layoutLoaded(doc: LoadedDocument): LaidOut {
  checkAssets(doc);
  const faces = facesFor(doc);
  let layout: LaidOutDocument;
  try {
    const tree = doc.booklet ? bookletDocument(doc) : letterDocument(doc);
    // Every character the fonts cannot show, in one run (each at its place), not one per build.
    layout = collectMissingGlyphs(() => layoutDocument(tree, faces));
  } catch (e) {
    if (e instanceof MissingGlyphsError) {
      const problems = new Problems();
      for (const missing of e.missing) problems.add(missingGlyphError(doc, missing));
      problems.throwIfAny();
    }
    if (e instanceof RunGlyphError) throw missingGlyphError(doc, e);
    if (e instanceof TextSourceError) throw new KumihanError('layout', e.message, locateText(doc, e.source, e.source.offsets?.[0] ?? 0));
    throw e;
  }
  return { layout, faces, expectedText: textOf(layout) };
}

function textOf(layout: LaidOutDocument): string {
  // Ruby and emphasis dots are not part of the text: the PDF marks them so that extraction leaves them out.
  return layout.pages
    .map((p) => p.items.flatMap((it) => (it.kind === 'text' && it.role !== 'annotation' ? [it.text] : [])).join('\n'))
    .join('\n');
}

/** Document information for the PDF: the document's metadata and its creation date. */
export function pdfMetadataFor(doc: LoadedDocument, sourceDateEpoch?: number): PdfMetadata {
  return { ...letterMetadata(doc), creationDate: creationDateFor(doc, sourceDateEpoch) };
}

export async function buildLoaded(doc: LoadedDocument, opts: BuildOptions = {}): Promise<BuildResult> {
  return buildLoadedParts([{ doc }], opts);
}

/** One document of a PDF; warnings and errors of a part of several are prefixed with its label. */
export interface BuildPart {
  doc: LoadedDocument;
  label?: string;
}

/** Each part laid out; the problems of every part thrown together, each named by its part's label. */
export function layoutParts(parts: readonly BuildPart[]): LaidOut[] {
  return eachOrAllProblems(parts, (part) => {
    try {
      return layoutLoaded(part.doc);
    } catch (e) {
      if (!part.label || !(e instanceof KumihanError)) throw e;
      throw labelled(e, part.label);
    }
  });
}

/** A problem and those found with it, each prefixed with `label` (unless it already names it). */
function labelled(e: KumihanError, label: string): KumihanError {
  const one = (x: KumihanError) => (x.message.startsWith(label) ? x : new KumihanError(x.kind, `${label}: ${x.message}`, x.location));
  return Object.assign(one(e), { others: e.others.map(one) });
}

/**
 * Several documents in one PDF (the letters of a combined mail merge), or one: each is laid out on its
 * own — it starts on a new page and its page numbers start at 1 — and the pages are written as one PDF,
 * with the document information of the first and each font embedded once.
 */
export async function buildLoadedParts(parts: readonly BuildPart[], opts: BuildOptions = {}): Promise<BuildResult> {
  if (parts.length === 0) throw new Error('buildLoadedParts: nothing to build');
  const laidOut = layoutParts(parts);
  const first = laidOut[0]!;
  const warnings = laidOut.flatMap((l, i) => l.layout.warnings.map((w) => (parts[i]!.label ? `${parts[i]!.label}: ${w}` : w)));
  const layout: LaidOutDocument =
    laidOut.length === 1
      ? { ...first.layout, warnings }
      : { ...concatenateLayouts(laidOut.map((l) => l.layout)), warnings, block: first.layout.block };
  const meta = pdfMetadataFor(parts[0]!.doc, opts.sourceDateEpoch);
  const output = await outputFor(layout, parts[0]!.doc, opts.variant ?? 'screen', meta);
  const pdf = await writePdf(output.layout, first.faces, meta, output.hooks);
  // A press PDF that fails preflight is an error: the previous file is kept.
  if (output.preflight) assertPreflight(pdf, output.preflight, parts[0]!.doc.contentPath);
  warnings.push(...output.notices());
  const expectedText = laidOut.map((l) => l.expectedText).join('\n');
  return { pdf, pages: output.layout.pages.length, expectedText, warnings: layout.warnings, layout, document: parts[0]!.doc };
}

/**
 * The PDF creation date. SOURCE_DATE_EPOCH wins (reproducible-builds.org); otherwise the letter's own
 * date (its first day when only a month is given), otherwise 2000-01-01 — never the clock, so that the
 * same input always gives the same bytes.
 */
export function creationDateFor(doc: LoadedDocument, epoch?: number): Date {
  // A malformed SOURCE_DATE_EPOCH is refused by the commands before any build (sourceDateEpoch).
  const fromEnv = epoch ?? sourceDateEpoch().epoch;
  if (fromEnv !== undefined) return new Date(fromEnv * 1000);
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(doc.content.date ?? '');
  if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? '1')));
  return new Date(Date.UTC(2000, 0, 1));
}

function missingGlyphError(doc: LoadedDocument, e: RunGlyphError): KumihanError {
  const { source, glyphError: cause } = e;
  // A run cut out by inline markup (a ruby base) knows where its characters were in the unit.
  const offset = source.offsets?.[e.offset] ?? e.offset;
  // A line break in a field set on one line (a letter's title written as a `|` block) is no character to print.
  const hint =
    cause.char === '\n' || cause.char === '\r'
      ? ': a line break, in a field that is set on one line: write it on one line (only a body, and a booklet’s titles, take several)'
      : cause.control
        ? ''
        : '; choose a font that has it, or replace the character';
  return new KumihanError('missing-glyph', `${cause.message}${hint}`, locateText(doc, source, offset));
}

/** Where a run of text is in the YAML source (at `offset`, a UTF-16 index into a body unit), with its field. */
function locateText(doc: LoadedDocument, source: TextSource, offset = 0): SourceLocation {
  const where =
    source.paragraph !== undefined
      ? doc.locateBodyOffset(source.paragraph, offset)
      : source.origin === 'template'
        ? doc.locateTemplate([...source.path])
        : source.fieldText !== undefined
          ? doc.locateInField([...source.path], source.fieldText, offset)
          : doc.locate([...source.path]);
  const paragraph = source.paragraphNumber ?? (source.paragraph ?? 0) + 1;
  return { ...where, path: source.paragraph !== undefined ? `body (paragraph ${paragraph})` : formatFieldPath(source.path) };
}

/**
 * Removes a file if it is there (as fs.rmSync(file, { force: true }) for a file): unlink, ENOENT ignored.
 * Not rmSync, which in Node 20 loads its recursive remover for a single file too (~1 ms, every build
 * removes its lock file).
 */
export function removeFileIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** File names are limited to 255 bytes (ext4, APFS, NTFS): a temporary name keeps within it. */
const NAME_MAX = 255;

/**
 * `.<name>.<pid>.<random>.tmp` (output-dir.ts recognises it), the name cut short where the whole would pass
 * NAME_MAX: a file name near the limit (a long recipient id in kanji, 3 bytes each) still gets a temporary one.
 */
function temporaryName(name: string): string {
  const suffix = `.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const chars = Array.from(name);
  while (chars.length > 1 && Buffer.byteLength(`.${chars.join('')}${suffix}`) > NAME_MAX) chars.pop();
  return `.${chars.join('')}${suffix}`;
}

/**
 * Write a file atomically: to a temporary file in the same directory, then rename over the target.
 * A failed build therefore never leaves a half-written PDF and never replaces a good one.
 */
export function writeFileAtomic(target: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = path.join(path.dirname(target), temporaryName(path.basename(target)));
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      removeFileIfPresent(tmp);
    } catch {
      // The error to report is the write's.
    }
    // The message names the file being written, not its temporary name.
    if ((e as NodeJS.ErrnoException).path === tmp) (e as NodeJS.ErrnoException).path = target;
    throw e;
  }
}
