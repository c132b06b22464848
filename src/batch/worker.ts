/**
 * The worker side of a parallel build. A worker thread runs the CLI bundle itself (see pool.ts), started
 * on dist/worker.cjs, which calls src/cli.ts serveBuildJobs instead of main.
 * A worker builds one job at a time, as many as the pool sends it; fonts are parsed once per worker
 * (src/font/fonts.ts caches them) and reused by every job after the first.
 */
import { parentPort } from 'node:worker_threads';
import type { BuildJob } from './jobs.js';
import { buildJob, type BuiltJob, type DocumentCache } from './run-job.js';

export interface JobMessage {
  id: number;
  job: BuildJob;
}
/** A worker asks for jobs once it has loaded (`ready`), and for more with each result. */
export type WorkerMessage = { type: 'ready' } | { type: 'result'; id: number; result: BuiltJob };

export function serveBuildJobs(): void {
  const port = parentPort!;
  // A worker serves one batch and is then terminated, so its document cache is that batch's.
  const documents: DocumentCache = new Map();
  // Jobs arrive while one is being built; they are built one at a time, in order.
  let previous = Promise.resolve();
  port.on('message', (message: JobMessage) => {
    previous = previous
      .then(() => buildJob(message.job, documents))
      // The PDF's bytes are moved, not copied, to the main thread, which writes them.
      .then((result) =>
        port.postMessage(
          { type: 'result', id: message.id, result } satisfies WorkerMessage,
          result.ok ? [result.pdf.buffer as ArrayBuffer] : [],
        ),
      );
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}
