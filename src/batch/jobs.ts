/**
 * Planning a build: content files → a list of jobs, one per output PDF.
 *
 * A plain content file is one job; a mail-merge file is one job per recipient (or, with --combine, one
 * job for all of them). Jobs are plain data, so that they can be posted to worker threads.
 * A file that cannot even be planned (a YAML error, a bad recipients file) becomes an `unbuildable`
 * job carrying its error: it is reported like any failed build, and it falls into exactly one shard.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatError, KumihanError } from '../errors.js';
import { loadDocument, type LoadedDocument } from '../model/load.js';
import { loadRecipients, type Recipient } from '../model/mailmerge.js';
import type { RecipientRecord } from '../model/schema.js';
import { inputFilesOf, inputRecords, type InputRecord } from './sources.js';
import { pressFileName } from '../pdf/outputs.js';

interface JobBase {
  /** The content file as the user named it. */
  source: string;
  /** Where the PDF is written (relative to the working directory, or absolute). */
  output: string;
  /** CLI --template override. */
  template?: string;
  /** The project root and font folders (--root, --font-path), as plain data for the workers. */
  load?: JobLoadOptions;
  /** The press PDF of a document whose template has `print:` (written beside its screen PDF as x.print.pdf). */
  variant?: 'press';
}

export interface JobLoadOptions {
  root?: string;
  fontPaths?: string[];
  /** The content file was found in content/, not named by the user (see LoadOptions). */
  contentFound?: boolean;
}

export interface RecipientData {
  key: string;
  record: RecipientRecord;
  /** Where the record is written, as messages show it (people.csv:5), when not in the content file itself. */
  row?: string;
}

export type BuildJob =
  | (JobBase & { kind: 'document' })
  | (JobBase & { kind: 'letter'; recipient: RecipientData })
  | (JobBase & { kind: 'combined'; recipients: RecipientData[] })
  | (JobBase & { kind: 'unbuildable'; error: string; recipientKey?: string });

export interface PlanOptions {
  /** -o: a file (one input) or a directory. */
  output?: string;
  template?: string;
  /** --combine: one PDF per mail-merge file instead of one per recipient. */
  combine?: boolean;
  /** --root, --font-path. */
  load?: JobLoadOptions;
}

export interface BuildPlan {
  /** Sorted by output path (see sortJobs). */
  jobs: BuildJob[];
  /** What each source (as the manifest names it) is built from, with hashes (see sources.ts). */
  inputs: Map<string, InputRecord[]>;
  /** The directory the manifest goes to: output/, the -o directory, or the -o file's directory. */
  outputDir: string;
  /** -o when it names a file (one input). */
  outputFile?: string;
}

export const DEFAULT_OUTPUT_DIR = 'output';

/** `content/letter.yaml` → `letter` */
export const documentNameOf = (file: string) => path.basename(file).replace(/\.ya?ml$/i, '');

export { defaultContentFiles } from '../model/content-files.js';

/** Whether -o names a directory: with several inputs always; otherwise when it ends in / or is one. */
export function outputIsDirectory(output: string, fileCount: number): boolean {
  return fileCount > 1 || /[/\\]$/.test(output) || (fs.existsSync(output) && fs.statSync(output).isDirectory());
}

export function planBuild(files: string[], opts: PlanOptions): BuildPlan {
  const { output } = opts;
  const toDirectory = output === undefined || outputIsDirectory(output, files.length);
  const outputDir = output === undefined ? DEFAULT_OUTPUT_DIR : toDirectory ? output : path.dirname(output);
  const outputFile = toDirectory ? undefined : output;
  const inputs = new Map<string, InputRecord[]>();
  const jobs = files.flatMap((file) => planFile(file, opts, outputFile, outputDir, inputs));
  return { jobs: sortJobs(rejectSharedOutputs(jobs)), inputs, outputDir, outputFile };
}

/**
 * Documents loaded while planning, keyed like the build's document cache (source and template), so that
 * the main thread does not load and validate them a second time. Taken (and so released) by the pool.
 */
const plannedDocuments = new Map<string, LoadedDocument>();

export function takePlannedDocuments(): Map<string, LoadedDocument> {
  const taken = new Map(plannedDocuments);
  plannedDocuments.clear();
  return taken;
}

/** The jobs of one content file. `outputFile` is -o when it names a file (one input only). */
export function planFile(
  source: string,
  opts: PlanOptions,
  outputFile: string | undefined,
  outputDir: string,
  inputs: Map<string, InputRecord[]> = new Map(),
): BuildJob[] {
  const name = documentNameOf(source);
  const single = outputFile ?? path.join(outputDir, `${name}.pdf`);
  const base = { source, template: opts.template, ...(opts.load ? { load: opts.load } : {}) };
  let recipients: Recipient[] | undefined;
  let press = false;
  try {
    const doc = loadDocument(source, { template: opts.template, ...opts.load });
    plannedDocuments.set(`${source}\0${opts.template ?? ''}`, doc);
    inputs.set(manifestSourceName(source), inputRecords(inputFilesOf(doc, source), doc.paths.workingDirectory, doc.paths.projectRoot));
    recipients = loadRecipients(doc);
    press = doc.template.print !== undefined;
  } catch (e) {
    return [{ ...base, kind: 'unbuildable', output: single, error: formatError(e) }];
  }
  // A template with print: makes a second, press PDF of every PDF: its own job (built, preflighted and
  // written on its own), `x.print.pdf` beside `x.pdf`.
  const withPress = (jobs: BuildJob[]): BuildJob[] =>
    press
      ? jobs.flatMap((job): BuildJob[] =>
          job.kind === 'unbuildable' ? [job] : [job, { ...job, output: pressFileName(job.output), variant: 'press' }],
        )
      : jobs;
  if (!recipients) return withPress([{ ...base, kind: 'document', output: single }]);
  const data = recipients.map(({ key, record, location }): RecipientData => {
    const row =
      location.file !== undefined && location.file !== source && location.line !== undefined
        ? `${location.file}:${location.line}`
        : undefined;
    return { key, record, ...(row ? { row } : {}) };
  });
  // A record that cannot be used (a CSV row with a field too few or too many) fails its own letter only.
  const problemOf = (recipient: Recipient) =>
    recipient.problem &&
    formatError(
      new KumihanError(recipient.problem.kind, `recipient ${recipient.key}: ${recipient.problem.message}`, recipient.problem.location),
    );
  if (opts.combine) {
    const problem = recipients.map(problemOf).find((p) => p !== undefined);
    if (problem) return [{ ...base, kind: 'unbuildable', output: single, error: problem }];
    return withPress([{ ...base, kind: 'combined', output: single, recipients: data }]);
  }
  if (outputFile !== undefined) {
    const error = new KumihanError(
      'usage',
      `-o ${outputFile} names a file, but ${source} is a mail merge with ${data.length} recipients and makes one PDF each; give a directory (-o DIR/) or --combine`,
    );
    return [{ ...base, kind: 'unbuildable', output: single, error: formatError(error) }];
  }
  return withPress(
    data.map((recipient, i): BuildJob => {
      const output = path.join(outputDir, name, `${recipient.key}.pdf`);
      const problem = problemOf(recipients![i]!);
      return problem
        ? { ...base, kind: 'unbuildable', output, error: problem, recipientKey: recipient.key }
        : { ...base, kind: 'letter', output, recipient };
    }),
  );
}

/** Output paths compared as the same file whatever their spelling (`output/a.pdf`, `./output/a.pdf`). */
export const outputKeyOf = (job: BuildJob) => path.resolve(job.output);

/**
 * Two jobs writing one file (content/a/x.yaml and content/b/x.yaml both → output/x.pdf) would
 * overwrite each other, and which one wins would depend on timing: the later ones (in source order)
 * fail. `owners` (output → source) carries the claims across calls; watch mode keeps it between rebuilds.
 */
export function rejectSharedOutputs(jobs: BuildJob[], owners = new Map<string, string>()): BuildJob[] {
  return jobs.map((job) => {
    const key = outputKeyOf(job);
    const owner = owners.get(key);
    if (owner === undefined || owner === job.source) {
      owners.set(key, job.source);
      return job;
    }
    const error = new KumihanError(
      'usage',
      `${job.output} is also the output of ${owner}; give the files different names or build them separately`,
      { file: job.source },
    );
    return {
      kind: 'unbuildable',
      source: job.source,
      output: job.output,
      template: job.template,
      load: job.load,
      error: formatError(error),
    };
  });
}

/** A content file as the manifest names it: relative to the working directory, forward slashes. */
export const manifestSourceName = (source: string) => portablePath(path.relative(process.cwd(), path.resolve(source)));

/** Sources (as the manifest names them) that could not be planned as a whole: their recipients, if any, are unknown. */
export const unplannedSources = (jobs: BuildJob[]) =>
  new Set(jobs.filter((job) => job.kind === 'unbuildable' && job.recipientKey === undefined).map((job) => manifestSourceName(job.source)));

/** Output path with forward slashes: the sort key and the manifest's spelling, the same on every OS. */
export const portablePath = (p: string) => p.split(path.sep).join('/');

/** Jobs by output path (code-unit order, not locale order, so that every machine agrees). */
export function sortJobs(jobs: BuildJob[]): BuildJob[] {
  const keyed = jobs.map((job) => ({ job, key: portablePath(path.normalize(job.output)) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ job }) => job);
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `--shard 2/4` → {index: 2, count: 4}; undefined when malformed or out of range. */
export function parseShard(text: string): Shard | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

/**
 * The shard's part of the (sorted) job list: every job whose position modulo `count` is `index - 1`.
 * Every job is in exactly one shard, and every machine that plans the same files gets the same split.
 */
export function selectShard<T>(sortedJobs: T[], shard: Shard): T[] {
  return sortedJobs.filter((_, i) => i % shard.count === shard.index - 1);
}
