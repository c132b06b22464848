/** One batch: run the jobs with progress reporting, and collect the totals and manifest entries. */
import type { BuildJob } from './jobs.js';
import { failedEntry, manifestEntry, type ManifestEntry } from './manifest.js';
import { runJobs } from './pool.js';
import { createReporter, type BuildTotals } from './progress.js';
import type { JobResult } from './run-job.js';

export interface BatchOptions {
  /** Where the manifest will be written: manifest output paths are relative to it. */
  manifestDir: string;
  parallelism?: number;
  /** Progress bar instead of per-file lines; default: process.stderr.isTTY. */
  tty?: boolean;
  /** Heap limit of a worker thread in MB (--max-memory). */
  workerMemoryMb?: number;
  /** Called with the manifest entry of each job as it finishes (to write an interrupted build's manifest). */
  onEntry?: (index: number, entry: ManifestEntry) => void;
}

export interface BatchOutcome {
  results: JobResult[];
  totals: BuildTotals;
  /** Parallel to the jobs: the manifest entry of each, built or failed. */
  entries: ManifestEntry[];
}

export async function runBatch(jobs: BuildJob[], opts: BatchOptions): Promise<BatchOutcome> {
  const started = performance.now();
  const reporter = createReporter({ total: jobs.length, tty: opts.tty });
  const entryOf = (job: BuildJob, result: JobResult): ManifestEntry => {
    if (!result.ok) return failedEntry(job, result.error, opts.manifestDir);
    const recipient = job.kind === 'letter' ? job.recipient.key : undefined;
    return manifestEntry(
      { source: job.source, recipient, output: job.output, pages: result.pages, bytes: result.bytes, sha256: result.sha256 },
      opts.manifestDir,
    );
  };
  let results: JobResult[];
  try {
    results = await runJobs(jobs, {
      parallelism: opts.parallelism,
      workerMemoryMb: opts.workerMemoryMb,
      onResult: (job, result, index) => {
        reporter.finished(job, result);
        opts.onEntry?.(index, entryOf(job, result));
      },
    });
  } finally {
    reporter.close();
  }
  let pages = 0;
  let failed = 0;
  let outOfMemory = 0;
  let crashed = 0;
  const entries = results.map((result, i) => {
    if (result.ok) pages += result.pages;
    else {
      failed++;
      if (result.crash === 'memory') outOfMemory++;
      if (result.crash === 'crash') crashed++;
    }
    return entryOf(jobs[i]!, result);
  });
  const totals = {
    files: jobs.length,
    pages,
    failed,
    seconds: (performance.now() - started) / 1000,
    ...(outOfMemory ? { outOfMemory } : {}),
    ...(crashed ? { crashed } : {}),
  };
  return { results, totals, entries };
}
