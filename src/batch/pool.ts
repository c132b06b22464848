/**
 * Running build jobs: in worker threads when there is more than one job, otherwise in this thread. Both
 * paths call buildJob and then commitJob here (only the main thread writes files), so they write
 * identical bytes.
 *
 * Every job of a batch is built in a worker, so that a file that crashes its thread or exhausts its
 * memory (each worker has a heap limit, --max-memory) fails alone: the worker is replaced and the batch
 * goes on. A worker asks for jobs when it has loaded; a warm one holds two, so that it never waits.
 *
 * The worker entry is dist/worker.cjs, beside the CLI bundle's loader: this module is part of the bundle,
 * whose `import.meta.url` names the loader, and worker.cjs loads the same bundle and turns the thread
 * into a job server (src/cli.ts serveBuildJobs, src/batch/worker.ts). Run from TypeScript sources (under
 * vitest) `import.meta.url` names a .ts file: there is no bundle for a worker, everything is built here.
 * node:worker_threads is loaded only when workers start (a one-file build never needs it).
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { takePlannedDocuments, type BuildJob } from './jobs.js';
import { buildJob, commitJob, type BuiltJob, type CrashKind, type DocumentCache, type JobResult } from './run-job.js';
import type { JobMessage, WorkerMessage } from './worker.js';

export interface RunOptions {
  /** Threads building at once; default and upper bound: os.availableParallelism(). */
  parallelism?: number;
  /** Called as each job finishes, in the order they finish. */
  onResult?: (job: BuildJob, result: JobResult, index: number) => void;
  /** Heap limit of a worker thread in MB (a file that needs more fails alone); default DEFAULT_WORKER_MEMORY_MB. */
  workerMemoryMb?: number;
}

/** A worker's heap limit: far more than any letter needs, and a bound on what one hostile file can take. */
export const DEFAULT_WORKER_MEMORY_MB = 1024;

/**
 * Jobs a warm worker holds at once: the one it builds and the next, so that it never waits for us.
 * Until its first result (fonts parsed, code warmed up: the slow one) it holds one, so that the
 * batch does not end waiting for a cold worker's second job.
 */
const JOBS_PER_WARM_WORKER = 2;

/** The module a worker thread can run, or undefined when this code is not running from the bundle. */
export function workerEntry(): URL | undefined {
  const url = new URL(import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  return /\.[cm]?js$/.test(fileURLToPath(url)) ? new URL('worker.cjs', url) : undefined;
}

export const defaultParallelism = () => os.availableParallelism();

/**
 * Runs every job; results are in job order. Never rejects: a failed job is a result with ok: false.
 *
 * Isolation: with two jobs or more (and the bundle to run), every job is built in a worker thread, the
 * main thread only writes the PDFs. A file that crashes its worker, or needs more memory than a worker
 * may take, fails alone: the worker is replaced and the other files are built. A single job is built in
 * this thread (there is nothing else to protect, and it saves starting a worker).
 */
export async function runJobs(jobs: BuildJob[], opts: RunOptions = {}): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  // Every PDF is written here, in the main thread (see run-job.ts).
  const finish = (index: number, built: BuiltJob) => {
    const result = commitJob(jobs[index]!, built);
    results[index] = result;
    opts.onResult?.(jobs[index]!, result, index);
  };
  // Jobs that failed while planning have nothing to build: report them at once.
  const queue: number[] = [];
  jobs.forEach((job, index) => {
    if (job.kind === 'unbuildable') finish(index, { ok: false, error: job.error, ms: 0 });
    else queue.push(index);
  });

  const threads = Math.max(1, Math.min(opts.parallelism ?? defaultParallelism(), defaultParallelism(), queue.length));
  const entry = workerEntry();
  const documents: DocumentCache = takePlannedDocuments();
  if (entry && queue.length >= 2) {
    documents.clear();
    await runInWorkers(entry, threads, jobs, queue, finish, opts.workerMemoryMb ?? DEFAULT_WORKER_MEMORY_MB);
    return results;
  }
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    finish(index, await buildJob(jobs[index]!, documents));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}

/** Why a worker stopped, for the file it was building. */
function crashMessage(error: Error | undefined, memoryMb: number): { message: string; crash: CrashKind } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY' || /heap out of memory|out of memory/i.test(error?.message ?? '')) {
    return {
      crash: 'memory',
      message: `building this file ran out of memory (a file may use ${memoryMb} MB; --max-memory MB to change it); the other files were built`,
    };
  }
  const reason = error ? (error.message.split('\n')[0] ?? String(error)) : 'the worker thread stopped';
  return { crash: 'crash', message: `building this file crashed its worker thread (${reason}); the other files were built` };
}

/**
 * `count` workers taking jobs from the shared queue. A worker that dies (a crash or its memory limit,
 * not a build error: those are results) fails the job it was building — the first it holds, since it
 * builds them in order — and gives the others back to the queue; a new worker takes its place.
 */
function runInWorkers(
  entry: URL,
  count: number,
  jobs: BuildJob[],
  queue: number[],
  finish: (index: number, result: BuiltJob) => void,
  memoryMb: number,
): Promise<void> {
  let running = 0;
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  let failedStarts = 0;
  let allStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (allStopped = resolve));

  const start = () => {
    running++;
    // workerData marks the thread for observers (tests/support/module-spy.cjs); worker.cjs needs nothing.
    const worker = new Worker(entry, { workerData: { kumihanWorker: true }, resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    const held: number[] = []; // job indexes, in the order sent (= the order built)
    const sentAt = new Map<number, number>();
    let crash: Error | undefined;
    let warm = false;
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void worker.terminate();
    };
    const fill = () => {
      while (!stopping && held.length < (warm ? JOBS_PER_WARM_WORKER : 1) && queue.length > 0) {
        const index = queue.shift()!;
        held.push(index);
        sentAt.set(index, performance.now());
        worker.postMessage({ id: index, job: jobs[index]! } satisfies JobMessage);
      }
      if (held.length === 0 && queue.length === 0) stop();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'result') {
        warm = true;
        failedStarts = 0;
        held.splice(held.indexOf(message.id), 1);
        finish(message.id, message.result);
      }
      fill();
    });
    worker.on('error', (error) => (crash = error));
    worker.on('exit', () => {
      const [building, ...waiting] = held;
      held.length = 0;
      if (building !== undefined) {
        const { message, crash: kind } = crashMessage(crash, memoryMb);
        const label =
          jobs[building]!.kind === 'letter'
            ? `${jobs[building]!.source} (recipient ${(jobs[building] as { recipient: { key: string } }).recipient.key})`
            : jobs[building]!.source;
        finish(building, {
          ok: false,
          error: `${label}: ${message}`,
          ms: Math.round(performance.now() - (sentAt.get(building) ?? 0)),
          crash: kind,
        });
        failedStarts = 0;
      } else if (!stopping) failedStarts++;
      // The jobs it held but had not started go to the others; a new worker takes its place.
      queue.unshift(...waiting);
      running--;
      if (failedStarts >= 3) {
        // Workers die before building anything: no use starting more.
        const reason = crashMessage(crash, memoryMb).message;
        for (let index = queue.shift(); index !== undefined; index = queue.shift())
          finish(index, { ok: false, error: `${jobs[index]!.source}: ${reason}`, ms: 0, crash: 'crash' });
      } else if (queue.length > 0 && (!stopping || running === 0)) start();
      if (running === 0) allStopped();
    });
  };
  for (let w = 0; w < count; w++) start();
  return stopped;
}
