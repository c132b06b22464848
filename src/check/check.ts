/**
 * Reference-render checks, independent of how the PDFs are made: every page is rendered and
 * compared pixel by pixel with `tests/references/<name>/page-<n>.png`, and the PDF's text
 * layer is compared with the text the content says it must contain.
 *
 * Outputs go to `<outDir>/<name>/page-<n>.{reference,actual,diff}.png` and
 * `<outDir>/index.html` (written on every run, so a stale failing report never outlives a
 * passing run; passing pages only get the reference copy).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { KumihanError } from '../errors.js';
import { comparePng, DEFAULT_MAX_DIFF_PIXELS, DEFAULT_THRESHOLD, pngDpi } from './compare.js';
import { extractPlainText, readPdfText, type PdfPage } from './pdftext.js';
import { DEFAULT_DPI, renderPdf, type RenderedPage } from './render.js';
import { writeHtmlReport, type ReportEntry, type ReportPage, type TextMismatch } from './report.js';

export interface CheckTarget {
  /** Names the reference folder: `<referencesDir>/<name>/page-<n>.png`. */
  name: string;
  pdf: Uint8Array;
  /**
   * The text the PDF's text layer must read back as: all pages and lines concatenated.
   * Line breaks in it are ignored; spaces count (only real spaces, mupdf adds none).
   */
  expectedText: string;
}

export interface CheckOptions {
  /** e.g. `tests/references`. */
  referencesDir: string;
  /** e.g. `output/check`. */
  outDir: string;
  dpi?: number;
  threshold?: number;
  maxDiffPixels?: number;
  /** Write/refresh references instead of failing on differences. */
  update?: boolean;
  /** Targets that could not be built: listed as failures in the result and report. */
  buildErrors?: { name: string; message: string }[];
  /** Fixed "generated" stamp for the report (tests); defaults to now. */
  generated?: string;
}

export type ReferenceChangeKind = 'new' | 'changed' | 'unchanged' | 'removed';

export interface ReferenceChange {
  name: string;
  /** The page, or 0 for the reference text. */
  page: number;
  change: ReferenceChangeKind;
  /** The reference file (written, kept or deleted). */
  path: string;
}

export interface PageCheck {
  /** 1-based. */
  index: number;
  passed: boolean;
  diffPixels: number | null;
  totalPixels: number | null;
  /** Share of differing pixels, 0–1; null when there was nothing to compare with. */
  ratio: number | null;
  messages: string[];
  /** In update mode: what happened to this page's reference. */
  update?: ReferenceChangeKind;
}

export interface FileCheck {
  name: string;
  passed: boolean;
  pageCount: number;
  referencePageCount: number;
  /** File-level messages (page count, text layer, build error). */
  messages: string[];
  text: { passed: boolean; mismatch?: TextMismatch };
  pages: PageCheck[];
}

export interface CheckResult {
  passed: boolean;
  files: FileCheck[];
  /** In update mode: every reference page, new/changed/unchanged/removed. */
  changes: ReferenceChange[];
  reportPath: string;
}

export const MISSING_REFERENCE = 'missing reference (run kumihan check --update)';
/** The accepted text layer, next to the page images: lines joined by newlines. */
export const REFERENCE_TEXT = 'text.txt';

const PAGE_FILE = /^page-(\d+)\.png$/;

function checkName(name: string): void {
  if (!name || name === '.' || name === '..' || /[\\/\0-\x1f]/.test(name)) {
    throw new KumihanError('check', `invalid check target name ${JSON.stringify(name)} (it names a folder; no slashes)`);
  }
}

/** Existing reference pages: page number → path. */
function listReferences(dir: string): Map<number, string> {
  const out = new Map<number, string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    const m = PAGE_FILE.exec(f);
    if (m) out.set(Number(m[1]), join(dir, f));
  }
  return out;
}

/** Removes line breaks (they are layout, not content). */
export function normalizeText(s: string): string {
  return s.replace(/\r\n|[\r\n\u2028\u2029]/g, '');
}

/**
 * Compares the expected text with the text read from the PDF (both after normalizeText).
 * Returns null when equal, else where they first differ with context.
 */
export function compareText(expected: string, pages: PdfPage[] | string, context = 20): TextMismatch | null {
  const exp = Array.from(normalizeText(expected));
  const actualStr = typeof pages === 'string' ? pages : extractPlainText(pages);
  const act = Array.from(normalizeText(actualStr));
  let i = 0;
  while (i < exp.length && i < act.length && exp[i] === act[i]) i++;
  if (i === exp.length && i === act.length) return null;
  // common suffix (not overlapping the prefix) → the differing middle parts
  let j = 0;
  while (j < exp.length - i && j < act.length - i && exp[exp.length - 1 - j] === act[act.length - 1 - j]) j++;
  const cut = (xs: string[], from: number, to: number, max: number) =>
    to - from > max ? xs.slice(from, from + max).join('') + '…' : xs.slice(from, to).join('');
  const mismatch: TextMismatch = {
    position: i,
    before: exp.slice(Math.max(0, i - context), i).join(''),
    expected: cut(exp, i, exp.length - j, 40),
    actual: cut(act, i, act.length - j, 40),
    afterExpected: exp.slice(exp.length - j, exp.length - j + context).join(''),
    afterActual: act.slice(act.length - j, act.length - j + context).join(''),
    expectedLength: exp.length,
    actualLength: act.length,
  };
  if (typeof pages !== 'string') {
    // locate code point i in the PDF's pages/lines
    let n = 0;
    outer: for (let p = 0; p < pages.length; p++) {
      const lines = pages[p]!.lines;
      for (let l = 0; l < lines.length; l++) {
        const len = Array.from(normalizeText(lines[l]!.text)).length;
        if (i < n + len) {
          mismatch.page = p + 1;
          mismatch.line = l + 1;
          break outer;
        }
        n += len;
      }
    }
    if (mismatch.page === undefined && pages.length) mismatch.page = pages.length;
  }
  return mismatch;
}

export function describeTextMismatch(t: TextMismatch): string {
  const where = t.page !== undefined ? ` (page ${t.page}${t.line !== undefined ? `, line ${t.line}` : ''})` : '';
  return (
    `text layer differs at character ${t.position + 1}${where}: ` +
    `expected …${t.before}[${t.expected}]${t.afterExpected}… but the PDF has …${t.before}[${t.actual}]${t.afterActual}…`
  );
}

function fmtPt(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

export async function checkTargets(targets: CheckTarget[], opts: CheckOptions): Promise<CheckResult> {
  const dpi = opts.dpi ?? DEFAULT_DPI;
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const maxDiffPixels = opts.maxDiffPixels ?? DEFAULT_MAX_DIFF_PIXELS;
  if (!(threshold >= 0 && threshold <= 1)) throw new KumihanError('usage', `threshold must be between 0 and 1 (got ${threshold})`);
  if (!(Number.isInteger(maxDiffPixels) && maxDiffPixels >= 0)) {
    throw new KumihanError('usage', `max-diff-pixels must be a whole number ≥ 0 (got ${maxDiffPixels})`);
  }
  const seen = new Set<string>();
  for (const t of targets) {
    checkName(t.name);
    if (seen.has(t.name)) throw new KumihanError('check', `two check targets are both named ${JSON.stringify(t.name)}`);
    seen.add(t.name);
  }

  const files: FileCheck[] = [];
  const changes: ReferenceChange[] = [];
  const entries: ReportEntry[] = [];
  const rel = (p: string) => relative(opts.outDir, p).split('\\').join('/');

  for (const be of opts.buildErrors ?? []) {
    files.push({
      name: be.name,
      passed: false,
      pageCount: 0,
      referencePageCount: 0,
      messages: [be.message],
      text: { passed: false },
      pages: [],
    });
    entries.push({ name: be.name, passed: false, messages: [be.message], pages: [] });
  }

  for (const target of targets) {
    const rendered: RenderedPage[] = await renderPdf(target.pdf, dpi, target.name);
    const textPages = await readPdfText(target.pdf, target.name);
    const refDir = join(opts.referencesDir, target.name);
    const outDir = join(opts.outDir, target.name);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const refs = listReferences(refDir);
    const messages: string[] = [];
    const pages: PageCheck[] = [];
    const reportPages: ReportPage[] = [];

    // Text layer, twice: it must say what the content says, and it must not have changed since the
    // references were accepted (a different character drawn with the same glyph changes no pixel).
    const mismatch = compareText(target.expectedText, textPages);
    if (mismatch) messages.push(describeTextMismatch(mismatch));
    const refTextPath = join(refDir, REFERENCE_TEXT);
    const pdfText = textPages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n') + '\n';
    const oldRefText = existsSync(refTextPath) ? readFileSync(refTextPath, 'utf8') : undefined;
    let refTextMismatch: TextMismatch | null = null;
    if (!opts.update) {
      if (oldRefText === undefined) {
        if (refs.size > 0) messages.push(`missing reference text ${REFERENCE_TEXT} (run kumihan check --update)`);
      } else {
        refTextMismatch = compareText(oldRefText, textPages);
        if (refTextMismatch) messages.push(`compared with the reference text: ${describeTextMismatch(refTextMismatch)}`);
      }
    } else {
      mkdirSync(refDir, { recursive: true });
      const change: ReferenceChangeKind = oldRefText === undefined ? 'new' : oldRefText === pdfText ? 'unchanged' : 'changed';
      if (change !== 'unchanged') writeFileSync(refTextPath, pdfText);
      changes.push({ name: target.name, page: 0, change, path: refTextPath });
    }

    const refCountBefore = refs.size === 0 ? 0 : Math.max(...refs.keys());
    const outPath = (n: number, kind: 'reference' | 'actual' | 'diff') => join(outDir, `page-${n}.${kind}.png`);

    if (opts.update) {
      mkdirSync(refDir, { recursive: true });
      for (const page of rendered) {
        const refPath = join(refDir, `page-${page.index}.png`);
        const old = refs.has(page.index) ? readFileSync(refPath) : undefined;
        let change: ReferenceChangeKind;
        const images: ReportPage['images'] = {};
        let cmp: ReturnType<typeof comparePng> | undefined;
        if (!old) {
          change = 'new';
        } else if (old.equals(page.png)) {
          change = 'unchanged';
        } else {
          cmp = comparePng(old, page.png, { threshold, maxDiffPixels: 0 });
          change = cmp.sameSize && cmp.diffPixels === 0 ? 'unchanged' : 'changed';
        }
        if (change !== 'unchanged') writeFileSync(refPath, page.png);
        if (change === 'changed' && old && cmp) {
          // show what the update changed: old reference, new render, diff
          writeFileSync(outPath(page.index, 'reference'), old);
          writeFileSync(outPath(page.index, 'actual'), page.png);
          writeFileSync(outPath(page.index, 'diff'), cmp.diffPng);
          images.reference = rel(outPath(page.index, 'reference'));
          images.actual = rel(outPath(page.index, 'actual'));
          images.diff = rel(outPath(page.index, 'diff'));
        } else {
          writeFileSync(outPath(page.index, 'reference'), page.png);
          images.reference = rel(outPath(page.index, 'reference'));
        }
        changes.push({ name: target.name, page: page.index, change, path: refPath });
        const pc: PageCheck = {
          index: page.index,
          passed: true,
          diffPixels: cmp ? cmp.diffPixels : change === 'new' ? null : 0,
          totalPixels: cmp ? cmp.totalPixels : page.width * page.height,
          ratio: cmp ? cmp.ratio : change === 'new' ? null : 0,
          messages: [],
          update: change,
        };
        pages.push(pc);
        reportPages.push({ ...pc, images });
      }
      for (const [n, path] of [...refs].sort((a, b) => a[0] - b[0])) {
        if (n > rendered.length) {
          unlinkSync(path);
          changes.push({ name: target.name, page: n, change: 'removed', path });
          reportPages.push({
            index: n,
            passed: true,
            update: 'removed',
            diffPixels: null,
            totalPixels: null,
            ratio: null,
            images: {},
            messages: [`reference page ${n} removed (the PDF has ${rendered.length} pages)`],
          });
        }
      }
    } else {
      if (refs.size === 0) {
        messages.push(MISSING_REFERENCE);
      } else if (refCountBefore !== rendered.length || refs.size !== refCountBefore) {
        messages.push(
          `page count differs: the references have ${refs.size} page${refs.size === 1 ? '' : 's'}` +
            (refs.size !== refCountBefore ? ` (up to page ${refCountBefore})` : '') +
            `, the PDF has ${rendered.length}`,
        );
      }
      const last = Math.max(rendered.length, refCountBefore);
      for (let n = 1; n <= last; n++) {
        const page = rendered[n - 1];
        const refPath = refs.get(n);
        const pageMessages: string[] = [];
        const images: ReportPage['images'] = {};
        let pc: PageCheck;
        if (page && refPath) {
          const ref = readFileSync(refPath);
          const cmp = comparePng(ref, page.png, { threshold, maxDiffPixels });
          if (!cmp.sameSize) {
            const refDpi = pngDpi(ref);
            pageMessages.push(
              `page size differs: reference ${cmp.reference.width}×${cmp.reference.height} px, ` +
                `actual ${cmp.actual.width}×${cmp.actual.height} px (${fmtPt(page.widthPt)}×${fmtPt(page.heightPt)} pt at ${dpi} dpi)` +
                (refDpi !== null && refDpi !== Math.round(dpi) ? `; the reference was rendered at ${refDpi} dpi` : ''),
            );
          } else if (!cmp.passed) {
            pageMessages.push(
              `${cmp.diffPixels} pixel${cmp.diffPixels === 1 ? '' : 's'} differ (${(cmp.ratio * 100).toFixed(3)}%; allowed ${maxDiffPixels})`,
            );
          }
          writeFileSync(outPath(n, 'reference'), ref);
          images.reference = rel(outPath(n, 'reference'));
          if (!cmp.passed) {
            writeFileSync(outPath(n, 'actual'), page.png);
            writeFileSync(outPath(n, 'diff'), cmp.diffPng);
            images.actual = rel(outPath(n, 'actual'));
            images.diff = rel(outPath(n, 'diff'));
          }
          pc = {
            index: n,
            passed: cmp.passed,
            diffPixels: cmp.diffPixels,
            totalPixels: cmp.totalPixels,
            ratio: cmp.ratio,
            messages: pageMessages,
          };
        } else if (page) {
          pageMessages.push(MISSING_REFERENCE);
          writeFileSync(outPath(n, 'actual'), page.png);
          images.actual = rel(outPath(n, 'actual'));
          pc = { index: n, passed: false, diffPixels: null, totalPixels: null, ratio: null, messages: pageMessages };
        } else {
          pageMessages.push(
            refPath
              ? `the reference has page ${n} but the PDF has only ${rendered.length} page${rendered.length === 1 ? '' : 's'}`
              : `no reference and no PDF page ${n} (reference pages are not numbered consecutively)`,
          );
          if (refPath) {
            writeFileSync(outPath(n, 'reference'), readFileSync(refPath));
            images.reference = rel(outPath(n, 'reference'));
          }
          pc = { index: n, passed: false, diffPixels: null, totalPixels: null, ratio: null, messages: pageMessages };
        }
        pages.push(pc);
        reportPages.push({ ...pc, images });
      }
    }

    const passed = messages.length === 0 && pages.every((p) => p.passed);
    files.push({
      name: target.name,
      passed,
      pageCount: rendered.length,
      referencePageCount: refs.size,
      messages,
      text: mismatch ? { passed: false, mismatch } : { passed: true },
      pages,
    });
    entries.push({ name: target.name, passed, messages, textMismatch: mismatch ?? refTextMismatch ?? undefined, pages: reportPages });
  }

  const reportPath = writeHtmlReport(opts.outDir, entries, {
    dpi,
    threshold,
    maxDiffPixels,
    update: opts.update,
    generated: opts.generated,
  });
  return { passed: files.every((f) => f.passed), files, changes, reportPath };
}
