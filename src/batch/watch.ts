/**
 * `kumihan build --watch`: after the first build, rebuild a content file whenever it or anything it
 * depends on changes — its template files, fonts, logo image, mail-merge data.
 *
 * The dependency list of a file is resolved again after each of its builds (a changed `template:` or
 * `extends:` changes it). Changes within ~100 ms are built together (an editor's save is often several
 * events). A build error is printed and watching goes on; Ctrl-C stops with status 0.
 *
 * We watch the directories that hold the dependencies, not the files themselves: many editors save
 * by writing a new file and renaming it over the old one, after which a watch on the old file sees
 * nothing more. A directory watch sees the rename, and events for other files in it are ignored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KumihanError } from '../errors.js';
import { loadDocument } from '../model/load.js';
import { runBatch } from './batch.js';
import {
  outputKeyOf,
  unplannedSources,
  planFile,
  type JobLoadOptions,
  rejectSharedOutputs,
  sortJobs,
  type BuildPlan,
  type PlanOptions,
} from './jobs.js';
import { removeDropped } from './output-dir.js';
import { updateManifest, writeManifest, type Manifest } from './manifest.js';
import type { InputRecord } from './sources.js';
import { formatSummary } from './progress.js';
import { output } from '../output.js';

export const DEBOUNCE_MS = 100;

export interface WatchOptions {
  /** Content files as the user named them. */
  files: string[];
  plan: PlanOptions;
  /** The first build's plan: where outputs and the manifest go. */
  firstPlan: BuildPlan;
  /** The first build's manifest; kept up to date and rewritten after every rebuild. */
  manifest: Manifest;
  parallelism?: number;
  tty?: boolean;
}

/** Absolute paths of every file whose change should rebuild `source`. */
export function dependenciesOf(source: string, template: string | undefined, previous: string[] = [], load: JobLoadOptions = {}): string[] {
  const deps = new Set<string>([path.resolve(source)]);
  try {
    const doc = loadDocument(source, { template, ...load });
    for (const file of doc.templateFiles) deps.add(path.resolve(file));
    for (const font of Object.values(doc.template.fonts)) {
      deps.add(font.file);
      if (font.latin) deps.add(font.latin);
    }
    if (doc.template.letterhead?.logo) deps.add(doc.template.letterhead.logo.file);
    if (doc.recipientsFile) deps.add(doc.recipientsFile);
    for (const file of doc.booklet?.files ?? []) deps.add(path.resolve(file));
  } catch (e) {
    // The file does not load, so its dependencies are unknown: keep the last known ones, and add the
    // file the error is in (a broken template, a missing recipients file) so that fixing it rebuilds.
    for (const file of previous) deps.add(file);
    if (e instanceof KumihanError && e.location.file) deps.add(path.resolve(e.location.file));
  }
  return [...deps];
}

/** Resolves when watching stops (Ctrl-C), with the exit status: 0. */
export function watchBuild(opts: WatchOptions): Promise<number> {
  const { files, plan, firstPlan, parallelism, tty } = opts;
  const outputDir = firstPlan.outputDir;

  // The manifest; a rebuild replaces the entries of the files it built (updateManifest).
  let manifest = opts.manifest;
  // Which source writes which output, so that a rebuild cannot take over another file's output.
  const outputOwners = new Map<string, string>();
  for (const job of firstPlan.jobs) if (job.kind !== 'unbuildable') outputOwners.set(outputKeyOf(job), job.source);

  const dependencies = new Map<string, string[]>();
  for (const file of files) dependencies.set(file, dependenciesOf(file, plan.template, [], plan.load));

  const watchers = new Map<string, fs.FSWatcher>();
  const dirty = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let building = false;
  let stopped = false;

  /** (Re)creates the directory watchers for the current dependency lists. */
  const watchDependencies = () => {
    // Ctrl-C during a rebuild: no new watchers, or the process would never exit.
    if (stopped) return;
    const wanted = new Set([...dependencies.values()].flat().map((file) => path.dirname(file)));
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) {
      if (watchers.has(dir)) continue;
      try {
        const watcher = fs.watch(dir, (_event, name) => changed(dir, name));
        watcher.on('error', () => {
          // The directory went away (or cannot be watched any more): try again after the next build.
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, watcher);
      } catch {
        // A directory that does not exist (yet): the next build's dependency list will try again.
      }
    }
  };

  const changed = (dir: string, name: string | Buffer | null) => {
    if (stopped) return;
    const file = name === null ? undefined : path.join(dir, name.toString());
    for (const [source, deps] of dependencies) {
      // Without a name (some platforms), any change in the directory counts.
      if (file === undefined ? deps.some((dep) => path.dirname(dep) === dir) : deps.includes(file)) dirty.add(source);
    }
    if (dirty.size === 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => void rebuild(), DEBOUNCE_MS);
  };

  const rebuild = async () => {
    // One build at a time; changes made meanwhile are built right after.
    if (building || stopped || dirty.size === 0) return;
    building = true;
    const sources = files.filter((file) => dirty.has(file));
    dirty.clear();
    try {
      const time = new Date().toTimeString().slice(0, 8);
      output.log(`[${time}] changed: ${sources.join(', ')} — rebuilding`);
      // The rebuilt files may now write other outputs (a recipient added or removed): claim them afresh.
      for (const [output, owner] of outputOwners) if (sources.includes(owner)) outputOwners.delete(output);
      const inputs = new Map<string, InputRecord[]>();
      const jobs = sortJobs(
        rejectSharedOutputs(
          sources.flatMap((source) => planFile(source, plan, firstPlan.outputFile, outputDir, inputs)),
          outputOwners,
        ),
      );
      const outcome = await runBatch(jobs, { manifestDir: outputDir, parallelism, tty });
      const unplanned = new Set(unplannedSources(jobs));
      const updated = updateManifest(manifest, {
        entries: outcome.entries,
        inputs,
        unplanned,
        complete: false,
        namedOutput: firstPlan.outputFile !== undefined,
      });
      manifest = updated.manifest;
      writeManifest(outputDir, manifest);
      removeDropped(outputDir, updated.dropped);
      output.log(`rebuilt: ${formatSummary(outcome.totals)}`);
      for (const source of sources) dependencies.set(source, dependenciesOf(source, plan.template, dependencies.get(source), plan.load));
      watchDependencies();
    } catch (e) {
      // Never stop watching over one bad build.
      output.error(`kumihan: rebuild failed: ${(e as Error).message}`);
    } finally {
      building = false;
    }
    if (dirty.size > 0) void rebuild();
  };

  watchDependencies();
  const watchedFiles = new Set([...dependencies.values()].flat()).size;
  output.log(`watching ${watchedFiles} files for changes (Ctrl-C to stop)`);

  return new Promise((resolve) => {
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
