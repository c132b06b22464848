/**
 * Building one job: the PDF is built (buildJob, in a worker thread or the main thread: the same function,
 * so a parallel build gives exactly the bytes of a sequential one), then written atomically and hashed
 * (commitJob, always in the main thread). Only the main thread writes files: a temporary file exists only
 * inside one synchronous call there, so a signal handler (which runs between such calls) never finds one.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildLoaded, buildLoadedParts, layoutParts, writeFileAtomic, type BuildPart } from '../build.js';
import { formatError, KumihanError, oneError } from '../errors.js';
import { loadDocument, type LoadedDocument } from '../model/load.js';
import { applyRecipient, hasPlaceholders } from '../model/mailmerge.js';
import type { BuildJob, RecipientData } from './jobs.js';

export type JobResult =
  | {
      ok: true;
      pages: number;
      bytes: number;
      /** Hex SHA-256 of the written file, for the manifest. */
      sha256: string;
      warnings: string[];
      ms: number;
    }
  | { ok: false; error: string; ms: number; crash?: CrashKind };

/** How a job failed when it took its worker thread down: out of memory, or any other crash. */
export type CrashKind = 'memory' | 'crash';

/**
 * Loaded documents by source and template, kept for one batch: the letters of a mail merge share
 * their document, and loading it (YAML, schema, template) is a noticeable part of a short letter's time.
 * The caller scopes it: a worker lives for one batch; the in-process path makes one per batch.
 */
export type DocumentCache = Map<string, LoadedDocument>;

/** A job built but not yet written: what a worker sends back (the PDF's buffer is transferred). */
export type BuiltJob =
  | { ok: true; pdf: Uint8Array; pages: number; warnings: string[]; ms: number }
  | { ok: false; error: string; ms: number; crash?: CrashKind };

export async function buildJob(job: BuildJob, documents: DocumentCache = new Map()): Promise<BuiltJob> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (job.kind === 'unbuildable') return { ok: false, error: job.error, ms: 0 };
  injectFault(job);
  try {
    const { pdf, pages, warnings } = await buildJobPdf(job, documents);
    return { ok: true, pdf, pages, warnings, ms: elapsed() };
  } catch (e) {
    return { ok: false, error: formatError(e), ms: elapsed() };
  }
}

/** Writes a built job's PDF (atomically) and hashes it; an OS error (a full or read-only disk) fails the job. */
export function commitJob(job: BuildJob, built: BuiltJob): JobResult {
  if (!built.ok) return built;
  const started = performance.now();
  const { pdf, pages, warnings } = built;
  try {
    writeFileAtomic(job.output, pdf);
  } catch (e) {
    return { ok: false, error: formatError(e), ms: built.ms };
  }
  // Hashed from the bytes written: the manifest describes exactly the file on disk.
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  return { ok: true, pages, bytes: pdf.length, sha256, warnings, ms: built.ms + Math.round(performance.now() - started) };
}

/** Builds and writes one job in this thread. */
export async function runBuildJob(job: BuildJob, documents: DocumentCache = new Map()): Promise<JobResult> {
  return commitJob(job, await buildJob(job, documents));
}

async function buildJobPdf(
  job: Exclude<BuildJob, { kind: 'unbuildable' }>,
  documents: DocumentCache,
): Promise<{ pdf: Uint8Array; pages: number; warnings: string[] }> {
  const cacheKey = `${job.source}\0${job.template ?? ''}`;
  let doc = documents.get(cacheKey);
  if (!doc) {
    doc = loadDocument(job.source, { template: job.template, ...job.load });
    documents.set(cacheKey, doc);
  }
  switch (job.kind) {
    case 'document': {
      const result = await buildLoaded(doc, { variant: job.variant });
      const warnings = [...result.warnings];
      if (doc.content.recipients === undefined && hasPlaceholders(doc)) {
        warnings.push('the content has {{…}} placeholders but no recipients; they are printed as written');
      }
      return { pdf: result.pdf, pages: result.pages, warnings };
    }
    case 'letter': {
      const { key, record, row } = job.recipient;
      try {
        const result = await buildLoaded(applyRecipient(doc, record, key), { variant: job.variant });
        return { pdf: result.pdf, pages: result.pages, warnings: result.warnings };
      } catch (e) {
        throw inRecipient(e, key, row);
      }
    }
    case 'combined':
      return buildCombined(doc, job.recipients, job.variant);
  }
}

/** How messages name one letter of a mail merge: `recipient 3 (content/people.csv:4)`. */
function recipientLabel(key: string, row: string | undefined): string {
  return `recipient ${key}${row ? ` (${row})` : ''}`;
}

/**
 * A problem in one recipient's letter (an empty value, a character of a name the font lacks), named by
 * the recipient and the row of its CSV file. The merge's own messages already begin with the recipient
 * (`recipient 3 has an empty value …`); the row goes in after its key.
 */
function inRecipient(e: unknown, key: string, row: string | undefined): unknown {
  if (!(e instanceof KumihanError)) return e;
  const label = recipientLabel(key, row);
  const own = `recipient ${key}`;
  let message: string;
  if (e.message.startsWith(label)) message = e.message;
  else if (e.message.startsWith(`${own} `) || e.message.startsWith(`${own}:`)) message = label + e.message.slice(own.length);
  else message = `${label}: ${e.message}`;
  return Object.assign(new KumihanError(e.kind, message, e.location), { others: e.others });
}

/**
 * All letters of a mail merge in one PDF: each letter is laid out on its own (so it starts on a new
 * page and its page numbers start at 1), and the pages are written as one document.
 */
async function buildCombined(
  doc: LoadedDocument,
  recipients: RecipientData[],
  variant?: 'press',
): Promise<{ pdf: Uint8Array; pages: number; warnings: string[] }> {
  // The problems of every letter, not only the first letter's: the combined PDF needs all of them fixed.
  // A letter whose values cannot be put in is reported, and the others are still laid out for theirs.
  const problems: KumihanError[] = [];
  const parts: BuildPart[] = [];
  for (const { key, record, row } of recipients) {
    try {
      parts.push({ doc: applyRecipient(doc, record, key), label: recipientLabel(key, row) });
    } catch (e) {
      const problem = inRecipient(e, key, row);
      if (!(problem instanceof KumihanError)) throw problem;
      problems.push(problem);
    }
  }
  if (problems.length > 0) {
    try {
      layoutParts(parts);
    } catch (e) {
      if (!(e instanceof KumihanError)) throw e;
      problems.push(e, ...e.others);
    }
    throw oneError(problems);
  }
  const result = await buildLoadedParts(parts, { variant });
  return { pdf: result.pdf, pages: result.pages, warnings: result.warnings };
}

/**
 * Fault injection for the isolation tests: KUMIHAN_FAULT_INJECTION=oom:NAME or crash:NAME makes the
 * job of the content file named NAME (its base name) run out of memory, or crash its thread. Only in a
 * worker thread, where the pool is meant to contain it.
 */
function injectFault(job: BuildJob): void {
  const fault = /^(oom|crash):(.+)$/.exec(process.env.KUMIHAN_FAULT_INJECTION ?? '');
  if (!fault || process.getBuiltinModule('node:worker_threads').isMainThread || path.basename(job.source) !== fault[2]) return;
  // Thrown outside the job's error handling: an unhandled rejection, which ends the worker thread.
  if (fault[1] === 'crash') throw new Error('injected crash');
  const hoard: unknown[] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(hoard.length));
}
