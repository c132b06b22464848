/**
 * `kumihan build [files…] [-o FILE|DIR] [--template NAME|PATH] [--combine] [--shard I/N] [--jobs N] [--watch]
 *                [--root DIR] [--font-path DIR] [--wait SECONDS] [--max-memory MB]`
 *
 * With no files it builds content/*.yaml (of the working directory). `content/x.yaml` goes to
 * `output/x.pdf`; a mail-merge file (`recipients:`) to `output/x/<key>.pdf`, one per recipient, or with
 * --combine to `output/x.pdf`. With several files `-o` names a directory. Files are built in parallel
 * on worker threads, each file isolated from the others. A file that fails keeps its previous PDF and the
 * others still build; exit status 1 if any failed. The output folder is locked while the build writes
 * it. The build updates `manifest.json` (every PDF the content calls for, built or failed, and what it
 * was built from) next to the PDFs. See docs/release-builds.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runBatch } from '../batch/batch.js';
import {
  defaultContentFiles,
  documentNameOf,
  manifestSourceName,
  parseShard,
  planBuild,
  selectShard,
  unplannedSources,
  type Shard,
} from '../batch/jobs.js';
import {
  failedEntry,
  manifestOutputPath,
  MANIFEST_NAME,
  readManifest,
  shardPlan,
  updateManifest,
  writeManifest,
  type Manifest,
  type ManifestEntry,
} from '../batch/manifest.js';
import { lockOutputDir, removeDropped, removeStaleTempFiles, type OutputLock } from '../batch/output-dir.js';
import { formatError } from '../errors.js';
import { defaultParallelism } from '../batch/pool.js';
import { formatSummary } from '../batch/progress.js';
import { watchBuild } from '../batch/watch.js';
import { parseCommand, usageError as usageErrorFor } from './args.js';
import { sourceDateEpoch } from '../time.js';
import { output } from '../output.js';

export const BUILD_USAGE = `usage: kumihan build [files…] [-o FILE|DIR] [--template NAME|PATH] [--combine] [--shard I/N] [--jobs N] [--watch] [--root DIR] [--font-path DIR]
  Builds each content file into a PDF. Default files: content/*.yaml; default output: output/<name>.pdf,
  and output/<name>/<key>.pdf for each recipient of a mail merge. Writes manifest.json beside the PDFs.
  -o, --output FILE|DIR     output file (one input: FILE.pdf) or directory (DIR/, or several inputs)
  -t, --template NAME|PATH  use this template instead of the content's own
      --combine             a mail merge makes one PDF (output/<name>.pdf) with every letter
      --shard I/N           build only the I-th of N parts (CI machines each take one); writes
                            manifest.shard-I-of-N.json
  -j, --jobs N              build at most N files at once (default: the number of CPUs)
  -w, --watch               build, then rebuild whatever changes until Ctrl-C
      --root DIR            the project root (default: the working directory): files that content and
                            templates use must be inside it (symlinks followed)
      --font-path DIR       a folder fonts may also come from (may be given several times)
      --wait SECONDS        when another build is writing the output folder, wait this long for it
                            (default: refuse at once)
      --max-memory MB       memory one file may use while it is built (default 1024); a file that needs
                            more fails alone`;

export { defaultContentFiles };

const isDirectory = (dir: string) => fs.existsSync(dir) && fs.statSync(dir).isDirectory();

/** `content/x.yaml` → `x.pdf` */
export const outputNameFor = (file: string) => documentNameOf(file) + '.pdf';

const usageError = (message: string) => usageErrorFor(message, BUILD_USAGE);

export async function runBuild(argv: string[]): Promise<number> {
  const args = parseCommand(
    argv,
    {
      output: { type: 'string', short: 'o' },
      template: { type: 'string', short: 't' },
      combine: { type: 'boolean' },
      shard: { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      watch: { type: 'boolean', short: 'w' },
      root: { type: 'string' },
      'font-path': { type: 'string', multiple: true },
      wait: { type: 'string' },
      'max-memory': { type: 'string' },
    },
    BUILD_USAGE,
  );
  if (args.exit !== undefined) return args.exit;
  const options = args.values;
  let shard: Shard | undefined;
  if (options.shard !== undefined) {
    shard = parseShard(options.shard);
    if (!shard) return usageError(`--shard ${options.shard}: expected I/N with 1 ≤ I ≤ N, e.g. --shard 2/4`);
    if (options.watch) return usageError('--shard and --watch do not go together');
  }
  let parallelism = defaultParallelism();
  if (options.jobs !== undefined) {
    if (!/^\d+$/.test(options.jobs) || Number(options.jobs) < 1)
      return usageError(`--jobs ${options.jobs}: expected a whole number of at least 1`);
    parallelism = Math.min(Number(options.jobs), parallelism);
  }

  const epoch = sourceDateEpoch();
  if (epoch.problem) return usageError(epoch.problem);
  const named = args.positionals.length > 0 ? args.positionals : defaultContentFiles(process.cwd());
  if (named.length === 0) return usageError(`no content files given and no content/*.yaml in ${process.cwd()}`);
  // The same file named twice would be built twice into one output.
  const files = named.filter((file, i) => named.findIndex((other) => path.resolve(other) === path.resolve(file)) === i);

  if (options.root !== undefined && !isDirectory(options.root)) return usageError(`--root ${options.root}: not a directory`);
  for (const dir of options['font-path'] ?? []) if (!isDirectory(dir)) return usageError(`--font-path ${dir}: not a directory`);
  // Files found in content/ (none named) must lie inside the root, as the files they use must.
  const load = {
    root: options.root ?? '.',
    fontPaths: options['font-path'] ?? [],
    ...(args.positionals.length === 0 ? { contentFound: true } : {}),
  };
  // -o x.pdf with several inputs would quietly make a folder named x.pdf.
  if (options.output !== undefined && options.output.trim() === '')
    return usageError('-o needs a PDF file or a folder (it was given an empty name)');
  // -o x with one input would write a PDF named x, without its extension: a folder was meant, or a PDF.
  if (options.output !== undefined && files.length === 1 && !/(\.pdf|[/\\])$/i.test(options.output) && !isDirectory(options.output))
    return usageError(
      `-o ${options.output} names neither a PDF file (end it in .pdf: -o ${options.output}.pdf) nor a folder (end it in /: -o ${options.output}/, where a mail merge puts its letters)`,
    );
  if (options.output !== undefined && files.length > 1 && /\.pdf$/i.test(options.output) && !isDirectory(options.output)) {
    return usageError(
      `-o ${options.output} names a PDF file, but there are ${files.length} content files (one PDF each); give a folder (-o DIR/) or build one file`,
    );
  }
  let workerMemoryMb: number | undefined;
  if (options['max-memory'] !== undefined) {
    if (!/^\d+$/.test(options['max-memory']) || Number(options['max-memory']) < 64)
      return usageError(`--max-memory ${options['max-memory']}: expected a number of MB, at least 64`);
    workerMemoryMb = Number(options['max-memory']);
  }
  let waitSeconds = 0;
  if (options.wait !== undefined) {
    if (!/^\d+$/.test(options.wait)) return usageError(`--wait ${options.wait}: expected a number of seconds`);
    waitSeconds = Number(options.wait);
  }
  const planOptions = { output: options.output, template: options.template, combine: options.combine, load };
  const plan = planBuild(files, planOptions);
  const jobs = shard ? selectShard(plan.jobs, shard) : plan.jobs;

  // One build at a time writes an output folder; temporary files of a killed build are removed.
  let lock: OutputLock;
  try {
    lock = await lockOutputDir(plan.outputDir, waitSeconds);
  } catch (e) {
    output.error(formatError(e));
    return 1;
  }
  // -o FILE.pdf writes into a folder that is not kumihan's: only where this build writes is cleaned.
  removeStaleTempFiles(plan.outputDir, plan.outputFile ? [plan.outputDir, ...plan.jobs.map((job) => path.dirname(job.output))] : undefined);

  const manifestFor = (entries: ManifestEntry[]): { manifest: Manifest; dropped: ManifestEntry[] } => {
    const sources = new Set(jobs.map((job) => manifestSourceName(job.source)));
    const inputs = new Map([...plan.inputs].filter(([source]) => sources.has(source)));
    if (shard) {
      const plannedOutputs = plan.jobs.map((job) => manifestOutputPath(job.output, plan.outputDir));
      return { manifest: { plan: shardPlan(plannedOutputs), files: entries, inputs: Object.fromEntries(inputs) }, dropped: [] };
    }
    const unplanned = new Set(unplannedSources(jobs));
    return updateManifest(previousManifest(plan.outputDir), {
      entries,
      inputs,
      unplanned,
      complete: args.positionals.length === 0,
      namedOutput: plan.outputFile !== undefined,
    });
  };

  // Interrupted (Ctrl-C, SIGTERM from CI): the manifest says what was built and that the rest was not.
  const finished: (ManifestEntry | undefined)[] = new Array(jobs.length);
  const interrupted = (signal: NodeJS.Signals) => {
    const reason = `the build was interrupted (${signal}) before this PDF was written`;
    const entries = jobs.map((job, i) => finished[i] ?? failedEntry(job, reason, plan.outputDir));
    try {
      writeManifest(plan.outputDir, manifestFor(entries).manifest, shard);
    } catch {
      // Nothing more can be done while exiting; verify will say the manifest is missing or old.
    }
    lock.release();
    output.error(
      `kumihan: ${reason.replace(' before this PDF was written', '')}; ${finished.filter(Boolean).length} of ${jobs.length} PDFs written`,
    );
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  // (Watch mode installs its own handlers once the first build is done.)
  const onSignal = (signal: NodeJS.Signals) => interrupted(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let status: number;
  let entries: ManifestEntry[];
  try {
    const outcome = await runBatch(jobs, {
      manifestDir: plan.outputDir,
      parallelism,
      workerMemoryMb,
      onEntry: (index, entry) => (finished[index] = entry),
    });
    entries = outcome.entries;
    status = outcome.totals.failed > 0 ? 1 : 0;
    try {
      const { manifest, dropped } = manifestFor(entries);
      writeManifest(plan.outputDir, manifest, shard);
      removeDropped(plan.outputDir, dropped);
    } catch (e) {
      output.error(`kumihan: cannot write the manifest: ${formatError(e)}`);
      status = 1;
    }
    output.log(formatSummary(outcome.totals));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!options.watch) lock.release();
  }

  if (options.watch) {
    try {
      return await watchBuild({ files, plan: planOptions, firstPlan: plan, manifest: manifestFor(entries).manifest, parallelism });
    } finally {
      lock.release();
    }
  }
  return status;
}

/** The manifest in the output folder, if there is a readable one. */
function previousManifest(dir: string): Manifest | undefined {
  try {
    return readManifest(path.join(dir, MANIFEST_NAME));
  } catch {
    return undefined;
  }
}
