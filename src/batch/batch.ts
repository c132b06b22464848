/** One batch: run the jobs with progress reporting, and collect the totals and manifest entries. */
import type { BuildJob } from './jobs.js';
import { manifestEntry, type ManifestEntry } from './manifest.js';
import { runJobs } from './pool.js';
import { createReporter, type BuildTotals } from './progress.js';
import type { JobResult } from './run-job.js';

export interface BatchOptions {
  /** Where the manifest will be written: manifest output paths are relative to it. */
  manifestDir: string;
  parallelism?: number;
  /** Progress bar instead of per-file lines; default: process.stderr.isTTY. */
  tty?: boolean;
}

export interface BatchOutcome {
  results: JobResult[];
  totals: BuildTotals;
  /** Parallel to the jobs: the manifest entry of each PDF written, undefined for a failed job. */
  entries: (ManifestEntry | undefined)[];
}

export async function runBatch(jobs: BuildJob[], opts: BatchOptions): Promise<BatchOutcome> {
  const started = performance.now();
  const reporter = createReporter({ total: jobs.length, tty: opts.tty });
  let results: JobResult[];
  try {
    results = await runJobs(jobs, { parallelism: opts.parallelism, onResult: (job, result) => reporter.finished(job, result) });
  } finally {
    reporter.close();
  }
  let pages = 0;
  let failed = 0;
  const entries = results.map((result, i) => {
    if (!result.ok) {
      failed++;
      return undefined;
    }
    pages += result.pages;
    const job = jobs[i];
    const recipient = job.kind === 'letter' ? job.recipient.key : undefined;
    return manifestEntry(
      { source: job.source, recipient, output: job.output, pages: result.pages, bytes: result.bytes, sha256: result.sha256 },
      opts.manifestDir,
    );
  });
  const totals = { files: jobs.length, pages, failed, seconds: (performance.now() - started) / 1000 };
  return { results, totals, entries };
}
