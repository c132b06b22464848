/**
 * Running build jobs: in parallel on worker threads when there is more than one job and more than
 * one CPU, otherwise one after another in this thread. Both paths call runBuildJob, so they write
 * identical bytes.
 *
 * The main thread builds too, alongside N−1 workers. A worker needs a while before its first PDF
 * (loading the bundle, ~0.3 s; parsing the fonts and warming up, as the main thread also does once),
 * so a small batch is mostly or entirely built here while the workers start, and a large one uses
 * every CPU. A worker asks for jobs when it has loaded.
 *
 * The worker entry is the CLI bundle's loader (dist/loader.cjs) itself: this module is part of the
 * bundle, whose `import.meta.url` names the loader, and src/cli.ts turns a thread started with
 * `workerData.kumihanWorker` into a job server (src/batch/worker.ts). Run from TypeScript sources
 * (under vitest) `import.meta.url` names a .ts file that a worker cannot load: everything is built here.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { takePlannedDocuments, type BuildJob } from './jobs.js';
import { buildJob, commitJob, type BuiltJob, type DocumentCache, type JobResult } from './run-job.js';
import type { JobMessage, WorkerMessage } from './worker.js';

export interface RunOptions {
  /** Threads building at once, this one included; default and upper bound: os.availableParallelism(). */
  parallelism?: number;
  /** Called as each job finishes, in the order they finish. */
  onResult?: (job: BuildJob, result: JobResult, index: number) => void;
}

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
  return /\.[cm]?js$/.test(fileURLToPath(url)) ? url : undefined;
}

export const defaultParallelism = () => os.availableParallelism();

/** Runs every job; results are in job order. Never rejects: a failed job is a result with ok: false. */
export async function runJobs(jobs: BuildJob[], opts: RunOptions = {}): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  // Every PDF is written here, in the main thread (see run-job.ts).
  const finish = (index: number, built: BuiltJob) => {
    const result = commitJob(jobs[index], built);
    results[index] = result;
    opts.onResult?.(jobs[index]!, result, index);
  };
  // Jobs that failed while planning have nothing to build: report them at once.
  const queue: number[] = [];
  jobs.forEach((job, index) => (job.kind === 'unbuildable' ? finish(index, { ok: false, error: job.error, ms: 0 }) : queue.push(index)));

  const threads = Math.min(opts.parallelism ?? defaultParallelism(), defaultParallelism(), queue.length);
  const entry = workerEntry();
  const workers = entry && threads >= 2 ? startWorkers(entry, threads - 1, jobs, queue, finish) : undefined;

  const documents: DocumentCache = takePlannedDocuments();
  for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
    finish(index, await buildJob(jobs[index], documents));
    // Let worker messages (results, requests for more) through between our own jobs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await workers?.done();
  return results;
}

interface WorkerGroup {
  /** Resolves when every job sent to a worker has a result and all workers have stopped. */
  done(): Promise<void>;
}

/**
 * `count` workers taking jobs from the shared queue. A worker that dies (a crash, not a build error:
 * those are results) fails the jobs it held; its queue share goes to the others and the main thread.
 */
function startWorkers(entry: URL, count: number, jobs: BuildJob[], queue: number[], finish: (index: number, result: BuiltJob) => void): WorkerGroup {
  let running = count;
  let allStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (allStopped = resolve));
  const stopIdle: (() => void)[] = [];

  for (let w = 0; w < count; w++) {
    const worker = new Worker(entry, { workerData: { kumihanWorker: true } });
    const held = new Map<number, number>(); // job index → when it was sent
    let crash: Error | undefined;
    let warm = false;
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void worker.terminate();
    };
    const fill = () => {
      while (held.size < (warm ? JOBS_PER_WARM_WORKER : 1) && queue.length > 0) {
        const index = queue.shift()!;
        held.set(index, performance.now());
        worker.postMessage({ id: index, job: jobs[index] } satisfies JobMessage);
      }
      if (held.size === 0 && queue.length === 0) stop();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'result') {
        warm = true;
        held.delete(message.id);
        finish(message.id, message.result);
      }
      fill();
    });
    worker.on('error', (error) => (crash = error));
    worker.on('exit', () => {
      for (const [index, sent] of held) {
        const reason = crash ? (crash.stack ?? String(crash)) : 'the worker thread stopped';
        finish(index, { ok: false, error: `internal error: ${reason}`, ms: Math.round(performance.now() - sent) });
      }
      held.clear();
      if (--running === 0) allStopped();
    });
    // A worker that has not asked for a job by the time the queue is empty is not needed.
    stopIdle.push(() => {
      if (held.size === 0) stop();
    });
  }
  return {
    done() {
      for (const stopIfIdle of stopIdle) stopIfIdle();
      return stopped;
    },
  };
}
