/**
 * What a build prints while it runs.
 *
 * On a terminal (stderr is a TTY): one progress line on stderr, redrawn in place — files done/total,
 * pages, elapsed time. Elsewhere (CI logs, pipes): one plain line per finished file on stdout,
 *   content/a.yaml → output/a.pdf  2 pages  143930 bytes  561 ms
 * Errors and warnings go to stderr in both modes; the summary line always goes to stdout.
 */
import type { BuildJob } from './jobs.js';
import type { JobResult } from './run-job.js';
import { isTerminal, nodeStream, output } from '../output.js';

export interface BuildTotals {
  files: number;
  pages: number;
  failed: number;
  seconds: number;
  /** Of the failed: files that ran out of memory, and that crashed their worker thread (see pool.ts). */
  outOfMemory?: number;
  crashed?: number;
}

export interface BuildReporter {
  finished(job: BuildJob, result: JobResult): void;
  /** Clears the progress line; the caller prints the summary. */
  close(): void;
}

export interface ReporterOptions {
  total: number;
  /** Progress bar instead of per-file lines; default: whether stderr is a terminal. */
  tty?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 files, 12 pages, 1.25 s, 0 failed` */
export function formatSummary(t: BuildTotals): string {
  const crashed = [
    t.outOfMemory ? `${t.outOfMemory} ran out of memory` : '',
    t.crashed ? `${t.crashed} crashed ${t.crashed === 1 ? 'its' : 'their'} worker thread${t.crashed === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return `${plural(t.files, 'file')}, ${t.pages} pages, ${t.seconds.toFixed(2)} s, ${t.failed} failed${crashed.length ? ` (${crashed.join(', ')})` : ''}`;
}

/** How a job is named in warnings: its source, and the recipient for a mail-merge letter. */
export function jobLabel(job: BuildJob): string {
  return job.kind === 'letter' ? `${job.source} (recipient ${job.recipient.key})` : job.source;
}

/**
 * What is told once: the screen and press PDFs of a document are laid out alike, so a warning or an error
 * is told once for the two (per letter of a mail merge); a template colour converted for the other output
 * is the same conversion in every PDF of a content file, told once per content file.
 */
function oncePerSource(): (job: BuildJob, message: string) => boolean {
  const told = new Set<string>();
  return (job, message) => {
    const key = `${message.startsWith('colour ') ? job.source : jobLabel(job)}\0${message}`;
    if (told.has(key)) return false;
    told.add(key);
    return true;
  };
}

export function createReporter(opts: ReporterOptions): BuildReporter {
  const tty = opts.tty ?? isTerminal(2);
  return tty ? progressBarReporter(opts.total) : lineReporter();
}

function lineReporter(): BuildReporter {
  const tell = oncePerSource();
  return {
    finished(job, result) {
      if (result.ok) {
        for (const w of result.warnings) if (tell(job, w)) output.error(`${jobLabel(job)}: warning: ${w}`);
        output.log(`${job.source} → ${job.output}  ${plural(result.pages, 'page')}  ${result.bytes} bytes  ${result.ms} ms`);
      } else {
        if (tell(job, result.error)) output.error(result.error);
        output.log(`${job.source} → ${job.output}  FAILED`);
      }
    },
    close() {},
  };
}

const BAR_WIDTH = 24;
/** How often the elapsed time is redrawn while nothing finishes. */
const REDRAW_MS = 250;

function progressBarReporter(total: number): BuildReporter {
  const tell = oncePerSource();
  const stream = nodeStream(2);
  const started = performance.now();
  let done = 0;
  let pages = 0;
  let failed = 0;
  const draw = () => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const failures = failed > 0 ? `  ${failed} failed` : '';
    // \r: back to the start of the line; \x1b[K: erase what a longer previous line left.
    stream.write(`\r${bar}  ${done}/${total} files  ${pages} pages  ${seconds} s${failures}\x1b[K`);
  };
  /** Messages are printed on their own lines above the bar. */
  const printAbove = (text: string) => {
    stream.write(`\r\x1b[K${text}\n`);
    draw();
  };
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  draw();
  return {
    finished(job, result) {
      done++;
      if (result.ok) {
        pages += result.pages;
        for (const w of result.warnings) if (tell(job, w)) printAbove(`${jobLabel(job)}: warning: ${w}`);
      } else {
        failed++;
        printAbove(`${tell(job, result.error) ? `${result.error}\n` : ''}${job.source} → ${job.output}  FAILED`);
      }
      draw();
    },
    close() {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
