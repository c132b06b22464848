/**
 * Running build jobs: in parallel on worker threads when it pays, otherwise one after another in
 * this thread. Both paths call runBuildJob, so they write identical bytes.
 *
 * The worker entry is the CLI bundle (dist/cli.mjs) itself: this module is part of it, so
 * `import.meta.url` names the bundle, and src/cli.ts turns a thread started with
 * `workerData.kumihanWorker` into a job server. Run from TypeScript sources (under vitest)
 * `import.meta.url` names a .ts file that a worker cannot load, and the pool builds in-process.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BuildJob } from './jobs.js';
import { runBuildJob, type DocumentCache, type JobResult } from './run-job.js';
import type { JobMessage, ResultMessage } from './worker.js';

export interface RunOptions {
  /** Upper bound on worker threads; default: os.availableParallelism(). 1 builds in this thread. */
  parallelism?: number;
  /** Called as each job finishes, in the order they finish. */
  onResult?: (job: BuildJob, result: JobResult) => void;
}

/** The module a worker thread can run, or undefined when this code is not running from the bundle. */
export function workerEntry(): URL | undefined {
  const url = new URL(import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  return /\.m?js$/.test(fileURLToPath(url)) ? url : undefined;
}

export const defaultParallelism = () => os.availableParallelism();

/** Runs every job; results are in job order. Never rejects: a failed job is a result with ok: false. */
export async function runJobs(jobs: BuildJob[], opts: RunOptions = {}): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  const finish = (index: number, result: JobResult) => {
    results[index] = result;
    opts.onResult?.(jobs[index], result);
  };
  // Jobs that failed while planning have nothing to build: report them without a worker.
  const pending: number[] = [];
  jobs.forEach((job, index) => (job.kind === 'unbuildable' ? finish(index, { ok: false, error: job.error, ms: 0 }) : pending.push(index)));

  const threads = Math.min(opts.parallelism ?? defaultParallelism(), defaultParallelism(), pending.length);
  const entry = workerEntry();
  if (threads < 2 || !entry) {
    const documents: DocumentCache = new Map();
    for (const index of pending) finish(index, await runBuildJob(jobs[index], documents));
  } else {
    await runOnWorkers(entry, threads, jobs, pending, finish);
  }
  return results;
}

/**
 * A queue served by `threads` workers, each sent its next job as soon as it returns a result.
 * A worker that dies (a crash, not a build error: those are results) fails its current job and is
 * replaced while jobs remain.
 */
function runOnWorkers(entry: URL, threads: number, jobs: BuildJob[], pending: number[], finish: (index: number, result: JobResult) => void): Promise<void> {
  return new Promise((resolve) => {
    const queue = [...pending];
    let outstanding = pending.length;
    let running = 0;

    const start = () => {
      running++;
      const worker = new Worker(entry, { workerData: { kumihanWorker: true } });
      let current: { index: number; started: number } | undefined;
      let crash: Error | undefined;
      const sendNext = () => {
        const index = queue.shift();
        if (index === undefined) {
          current = undefined;
          void worker.terminate();
          return;
        }
        current = { index, started: performance.now() };
        worker.postMessage({ id: index, job: jobs[index] } satisfies JobMessage);
      };
      worker.on('message', (message: ResultMessage) => {
        current = undefined;
        finish(message.id, message.result);
        outstanding--;
        sendNext();
      });
      worker.on('error', (error) => (crash = error));
      worker.on('exit', () => {
        running--;
        if (current) {
          const reason = crash ? (crash.stack ?? String(crash)) : 'the worker thread exited';
          finish(current.index, { ok: false, error: `internal error: ${reason}`, ms: Math.round(performance.now() - current.started) });
          outstanding--;
          current = undefined;
          if (queue.length > 0) start();
        }
        if (outstanding === 0 && running === 0) resolve();
      });
      sendNext();
    };
    for (let i = 0; i < threads; i++) start();
  });
}
