/**
 * The worker side of a parallel build. A worker thread runs the CLI bundle itself (see pool.ts);
 * src/cli.ts sees `workerData.kumihanWorker` and calls serveBuildJobs instead of being the CLI.
 * A worker builds one job at a time, as many as the pool sends it; fonts are parsed once per worker
 * (src/text/fonts.ts caches them) and reused by every job after the first.
 */
import { parentPort } from 'node:worker_threads';
import type { BuildJob } from './jobs.js';
import { runBuildJob, type DocumentCache, type JobResult } from './run-job.js';

export interface JobMessage {
  id: number;
  job: BuildJob;
}
export interface ResultMessage {
  id: number;
  result: JobResult;
}

export function serveBuildJobs(): void {
  const port = parentPort!;
  // A worker serves one batch and is then terminated, so its document cache is that batch's.
  const documents: DocumentCache = new Map();
  port.on('message', (message: JobMessage) => {
    void runBuildJob(message.job, documents).then((result) => port.postMessage({ id: message.id, result } satisfies ResultMessage));
  });
}
