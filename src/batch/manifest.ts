/**
 * The build manifest: the release as a set. It lists every PDF the content files call for — built, or
 * failed with the first line of its error — with its source, size and SHA-256, and what each source was
 * built from (`inputs`, with hashes), so that `kumihan verify` can check that an output folder is
 * exactly what the manifest says: nothing missing, failed, stale or extra.
 *
 * The manifest is reproducible itself: no timestamps, fixed key order, entries sorted by output path,
 * paths with forward slashes. Output paths are relative to the manifest's own directory (so the output
 * directory can be moved as a whole); sources are relative to the directory the build ran in.
 *
 * A build of some files updates their entries and keeps the others (updateManifest). A shard's manifest
 * also records its place in the whole build (`shard`, and `plan`: the number of PDFs of the whole build
 * and a hash of their output paths), so that verify can tell an incomplete, overlapping or mismatched
 * set of shards.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../build.js';
import { KumihanError } from '../errors.js';
import { findProjectRoot } from '../model/load.js';
import { manifestSourceName, portablePath, type BuildJob, type Shard } from './jobs.js';
import { inputState, type InputRecord } from './sources.js';
import { isTempFileName, listOutputFiles, LOCK_NAME, lockHolder } from './output-dir.js';

export const MANIFEST_NAME = 'manifest.json';
export const MANIFEST_FILE = /^manifest(\.shard-\d+-of-\d+)?\.json$/;

export interface ManifestEntry {
  /** The content file, relative to the build's working directory. */
  source: string;
  /** For a mail-merge letter: the recipient's key. */
  recipient?: string;
  /** Relative to the manifest's directory. */
  output: string;
  status: 'built' | 'failed';
  /** Built: */
  pages?: number;
  bytes?: number;
  sha256?: string;
  /** Failed: the first line of the error. */
  error?: string;
  /**
   * A PDF the user named (-o FILE.pdf): no later build removes it, and it records what it was built from
   * itself, since another build of its source (another name, another template) may be of other inputs.
   */
  named?: true;
  /**
   * What this PDF was built from, where that is not its source's current record: a named PDF's, and a
   * PDF kept because the build meant to replace it failed (updateManifest).
   */
  inputs?: InputRecord[];
}

export interface ShardPlan {
  /** PDFs of the whole (unsharded) build. */
  files: number;
  /** SHA-256 of their output paths, one per line, sorted. */
  sha256: string;
}

export interface Manifest {
  /** Present in a shard's manifest: which part of the build it describes, e.g. "2/4". */
  shard?: string;
  plan?: ShardPlan;
  files: ManifestEntry[];
  /** Per source: the files it was built from, with hashes. */
  inputs: Record<string, InputRecord[]>;
}

/** `manifest.json`, or `manifest.shard-2-of-4.json` for one shard of a build. */
export const manifestNameFor = (shard?: Shard) => (shard ? `manifest.shard-${shard.index}-of-${shard.count}.json` : MANIFEST_NAME);

/** An output path as a manifest in `manifestDir` spells it. */
export const manifestOutputPath = (output: string, manifestDir: string) => portablePath(path.relative(manifestDir, path.resolve(output)));

export function manifestEntry(
  fields: { source: string; recipient?: string; output: string; pages: number; bytes: number; sha256: string },
  manifestDir: string,
): ManifestEntry {
  // Written out key by key: JSON.stringify keeps this order, so every manifest spells entries alike.
  return {
    source: manifestSourceName(fields.source),
    ...(fields.recipient !== undefined ? { recipient: fields.recipient } : {}),
    output: manifestOutputPath(fields.output, manifestDir),
    status: 'built',
    pages: fields.pages,
    bytes: fields.bytes,
    sha256: fields.sha256,
  };
}

/**
 * The entry of a PDF that was not built: its error on one line, without the terminal's colours — the first
 * line, and when that introduces a list (it ends with a colon: the findings of preflight), the list's items
 * after it; never the source excerpt under a located error.
 */
export function failedEntry(job: BuildJob, error: string, manifestDir: string): ManifestEntry {
  const [head = '', ...rest] = error.split('\n');
  const items = head.endsWith(':') ? rest.filter((l) => /^\s+\S/.test(l) && !/^\s*(\d+ \||\^)/.test(l)).map((l) => l.trim()) : [];
  const first = items.length > 0 ? `${head} ${items.join('; ')}` : head;
  return {
    source: manifestSourceName(job.source),
    ...(job.kind === 'letter'
      ? { recipient: job.recipient.key }
      : job.kind === 'unbuildable' && job.recipientKey !== undefined
        ? { recipient: job.recipientKey }
        : {}),
    output: manifestOutputPath(job.output, manifestDir),
    status: 'failed',
    error: first.length > 600 ? first.slice(0, 600) + '…' : first,
  };
}

const byOutput = (a: ManifestEntry, b: ManifestEntry) => (a.output < b.output ? -1 : a.output > b.output ? 1 : 0);

export function renderManifest(manifest: Manifest): string {
  const files = [...manifest.files].sort(byOutput);
  const inputs: Record<string, InputRecord[]> = {};
  for (const source of Object.keys(manifest.inputs).sort()) inputs[source] = manifest.inputs[source]!;
  const out: Manifest = manifest.shard ? { shard: manifest.shard, plan: manifest.plan, files, inputs } : { files, inputs };
  return JSON.stringify(out, null, 2) + '\n';
}

/** Writes the manifest into `outputDir` (atomically, like the PDFs) and returns its path. */
export function writeManifest(outputDir: string, manifest: Manifest, shard?: Shard): string {
  const file = path.join(outputDir, manifestNameFor(shard));
  writeFileAtomic(
    file,
    new TextEncoder().encode(renderManifest(shard ? { ...manifest, shard: `${shard.index}/${shard.count}` } : manifest)),
  );
  return file;
}

/** The plan of a whole build, for shard manifests: how many PDFs, and a hash of their output paths. */
export function shardPlan(allOutputs: string[]): ShardPlan {
  const sorted = [...allOutputs].sort();
  return { files: sorted.length, sha256: createHash('sha256').update(sorted.join('\n')).digest('hex') };
}

/**
 * The manifest after a build: the previous one's entries of the sources not rebuilt are kept (unless
 * `complete`: a build of every content file replaces the whole set), the rebuilt sources' entries are
 * replaced by this build's; a PDF the user named stays until it is built again (`-o vertical.pdf` after
 * `-o horizontal.pdf` keeps both, and so does a build of the whole folder after them). A source that could
 * not even be planned keeps its previous entries too (their PDFs are still there; its failed entry says the
 * source is broken), and so does a source whose build failed in part (a failed --combine keeps the separate
 * letters it would have replaced). Returns the manifest and the
 * outputs (relative to the manifest) the previous manifest listed that no longer belong to the set.
 */
export function updateManifest(
  previous: Manifest | undefined,
  built: {
    entries: ManifestEntry[];
    inputs: Map<string, InputRecord[]>;
    unplanned: Set<string>;
    complete: boolean;
    /** The build wrote a PDF the user named (-o FILE.pdf): its entry is marked `named` (ManifestEntry). */
    namedOutput?: boolean;
  },
): { manifest: Manifest; dropped: ManifestEntry[] } {
  const rebuilt = new Set(built.entries.map((entry) => entry.source));
  const outputs = new Set(built.entries.map((entry) => entry.output));
  // A source with a PDF that failed this time: its previous PDFs stay (a failed --combine does not take
  // the separate letters with it), listed with the inputs they were built from, so verify calls them stale.
  const failing = new Set(built.entries.filter((entry) => entry.status === 'failed').map((entry) => entry.source));
  const files = new Map<string, ManifestEntry>();
  const inputs: Record<string, InputRecord[]> = {};
  const kept = (entry: ManifestEntry) =>
    (entry.named === true && !outputs.has(entry.output)) ||
    (failing.has(entry.source) && entry.status === 'built' && !outputs.has(entry.output)) ||
    (built.complete ? built.unplanned.has(entry.source) : !rebuilt.has(entry.source) || built.unplanned.has(entry.source));
  for (const entry of previous?.files ?? []) {
    if (!kept(entry) || (built.unplanned.has(entry.source) && entry.status === 'failed')) continue;
    const ownInputs = failing.has(entry.source) && !outputs.has(entry.output) && entry.inputs === undefined;
    const records = ownInputs ? previous?.inputs[entry.source] : undefined;
    files.set(entry.output, records ? { ...entry, inputs: records } : entry);
  }
  for (const [source, records] of Object.entries(previous?.inputs ?? {})) {
    const keep = built.unplanned.has(source) ? !built.inputs.has(source) : !built.complete && !rebuilt.has(source);
    if (keep) inputs[source] = records;
  }
  for (const entry of built.entries) {
    const records = built.inputs.get(entry.source);
    files.set(entry.output, built.namedOutput ? { ...entry, named: true, ...(records ? { inputs: records } : {}) } : entry);
  }
  for (const [source, records] of built.inputs) inputs[source] = records;
  const dropped = (previous?.files ?? []).filter((entry) => !files.has(entry.output));
  return { manifest: { files: [...files.values()].sort(byOutput), inputs }, dropped };
}

/** A relative path that stays in its folder: not absolute, no `..` part. */
function staysInside(output: string): boolean {
  if (output === '' || path.isAbsolute(output) || path.win32.isAbsolute(output)) return false;
  return !output.split(/[\\/]/).includes('..');
}

export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KumihanError(
      'missing-file',
      code === 'ENOENT' ? `manifest ${file} not found (run kumihan build first)` : `cannot read manifest ${file} (${code})`,
      { file },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new KumihanError('check', `manifest is not valid JSON: ${(e as Error).message}`, { file });
  }
  const files = (data as { files?: unknown })?.files;
  if (!Array.isArray(files)) throw new KumihanError('check', 'not a kumihan manifest: it has no "files" list', { file });
  files.forEach((entry: Partial<ManifestEntry>, i) => {
    if (typeof entry?.output !== 'string')
      throw new KumihanError('check', `entry ${i + 1} of "files" has no output`, { file, path: `files[${i}]` });
    // A manifest lists the files beside it. One naming a file elsewhere (../, an absolute path) is not
    // one kumihan wrote: a build would remove that file as no longer called for, and verify read it.
    if (!staysInside(entry.output))
      throw new KumihanError(
        'check',
        `entry ${i + 1} of "files" names ${JSON.stringify(entry.output)}, outside the manifest's folder: a manifest lists only the files in its folder`,
        { file, path: `files[${i}].output` },
      );
    if (entry.inputs !== undefined && !Array.isArray(entry.inputs))
      throw new KumihanError('check', `entry ${i + 1} of "files" has "inputs" that is not a list`, { file, path: `files[${i}].inputs` });
    // Manifests of earlier versions list built files only, without a status.
    entry.status ??= 'built';
    const valid =
      entry.status === 'failed' ||
      (entry.status === 'built' &&
        typeof entry.bytes === 'number' &&
        typeof entry.sha256 === 'string' &&
        /^[0-9a-f]{64}$/.test(entry.sha256));
    if (!valid)
      throw new KumihanError('check', `entry ${i + 1} of "files" needs a status, and bytes and sha256 when built`, {
        file,
        path: `files[${i}]`,
      });
  });
  const manifest = data as Manifest;
  manifest.inputs ??= {};
  return manifest;
}

// ---------------------------------------------------------------------------------------------
// verify

export type FileCheck =
  | { status: 'ok'; file: string }
  | { status: 'missing'; file: string }
  | { status: 'failed'; file: string; error?: string }
  | { status: 'size'; file: string; expected: number; actual: number }
  | { status: 'hash'; file: string }
  | { status: 'stale'; file: string; input: string; gone: boolean }
  | { status: 'extra'; file: string; temp: boolean }
  | { status: 'busy'; file: string; holder: string }
  | { status: 'conflict'; file: string; otherManifest: string };

export interface VerifyOptions {
  /** Accept an incomplete set of shards (checking one shard on its own machine). */
  partial?: boolean;
  /** Check the sources for staleness (default); off to verify a copy of a release without its sources. */
  sources?: boolean;
  /** Where the sources are (the build's working directory); default: process.cwd(). */
  workingDirectory?: string;
}

export interface Verification {
  checks: FileCheck[];
  /** Problems of the set of manifests itself (shards incomplete, overlapping, of different builds). */
  setProblems: string[];
}

/**
 * Checks the output folder(s) against the manifests: every listed PDF built, present, of the recorded
 * size and SHA-256, and not older than its sources; no PDF or temporary file in the folder that no
 * manifest lists; a set of shard manifests complete, without overlap, all of one build.
 */
export function verifyManifests(manifestFiles: string[], opts: VerifyOptions = {}): Verification {
  const workingDirectory = opts.workingDirectory ?? process.cwd();
  const checks: FileCheck[] = [];
  const recorded = new Map<string, { sha256?: string; manifest: string }>();
  const manifests = [...new Set(manifestFiles.map((file) => path.resolve(file)))].map((resolved) => {
    const file = manifestFiles.find((f) => path.resolve(f) === resolved)!;
    return { file, manifest: readManifest(file) };
  });
  const setProblems = shardSetProblems(manifests, opts.partial ?? false);
  const staleInputs = new Map<string, string | undefined>(); // source → first changed input
  const packageRoot = findProjectRoot();
  const staleness = (records: readonly InputRecord[]): { input: string; gone: boolean } | undefined => {
    if (opts.sources === false) return undefined;
    for (const record of records) {
      const key = `${record.file}\0${record.sha256 ?? ''}\0${record.kumihan ?? ''}`;
      if (!staleInputs.has(key)) staleInputs.set(key, inputState(record, workingDirectory, packageRoot));
      const state = staleInputs.get(key);
      if (state) return { input: record.file, gone: state === 'gone' };
    }
    return undefined;
  };

  for (const { file: manifestFile, manifest } of manifests) {
    const dir = path.dirname(manifestFile);
    for (const entry of manifest.files) {
      const file = path.join(dir, entry.output);
      const key = path.resolve(file);
      const earlier = recorded.get(key);
      if (earlier) {
        if (earlier.sha256 !== entry.sha256) checks.push({ status: 'conflict', file, otherManifest: earlier.manifest });
        continue;
      }
      recorded.set(key, { sha256: entry.sha256, manifest: manifestFile });
      if (entry.status === 'failed') {
        checks.push({ status: 'failed', file, error: entry.error });
        continue;
      }
      const check = checkFile(file, entry);
      const stale = check.status === 'ok' ? staleness(entry.inputs ?? manifest.inputs[entry.source] ?? []) : undefined;
      checks.push(stale ? { status: 'stale', file, ...stale } : check);
    }
  }

  // Whatever else is in the folders: PDFs no manifest lists, temporary files, a build still writing.
  for (const dir of new Set(manifests.map(({ file }) => path.dirname(file)))) {
    const holder = lockHolder(dir);
    if (holder) checks.push({ status: 'busy', file: path.join(dir, LOCK_NAME), holder });
    for (const relative of listOutputFiles(dir)) {
      const name = path.basename(relative);
      const temp = isTempFileName(name);
      if (!temp && !/\.pdf$/i.test(name)) continue;
      const file = path.join(dir, relative);
      if (!recorded.has(path.resolve(file))) checks.push({ status: 'extra', file, temp });
    }
  }
  return { checks, setProblems };
}

function shardSetProblems(manifests: { file: string; manifest: Manifest }[], partial: boolean): string[] {
  const shards = manifests.filter(({ manifest }) => manifest.shard !== undefined);
  if (shards.length === 0) return [];
  const problems: string[] = [];
  const parsed = shards.map(({ file, manifest }) => {
    const m = /^(\d+)\/(\d+)$/.exec(manifest.shard!);
    return { file, manifest, index: m ? Number(m[1]) : NaN, count: m ? Number(m[2]) : NaN };
  });
  const bad = parsed.filter((s) => !(s.index >= 1 && s.index <= s.count));
  for (const s of bad) problems.push(`${s.file}: "shard": "${s.manifest.shard}" is not I/N`);
  const counts = [...new Set(parsed.map((s) => s.count))];
  if (counts.length > 1) {
    problems.push(
      `the shards are of different builds: ${parsed.map((s) => `${s.manifest.shard} (${s.file})`).join(', ')}; give the shards of one build (all I/N with the same N)`,
    );
    return problems;
  }
  const plans = new Set(parsed.map((s) => (s.manifest.plan ? `${s.manifest.plan.files}:${s.manifest.plan.sha256}` : '')));
  if (plans.size > 1)
    problems.push('the shards were planned from different content (their plans differ): build every shard from the same commit');
  const seen = new Map<number, string>();
  for (const s of parsed) {
    const first = seen.get(s.index);
    if (first !== undefined) problems.push(`shard ${s.index}/${s.count} is given twice (${first} and ${s.file}): the shards overlap`);
    else seen.set(s.index, s.file);
  }
  const count = counts[0]!;
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0 && !partial) {
    problems.push(`incomplete set of shards: ${seen.size} of ${count} given, missing ${missing.map((i) => `${i}/${count}`).join(', ')}`);
  }
  if (missing.length === 0 && plans.size === 1) {
    const plan = parsed[0]!.manifest.plan;
    const outputs = new Set(parsed.flatMap((s) => s.manifest.files.map((entry) => path.resolve(path.dirname(s.file), entry.output))));
    if (plan && outputs.size !== plan.files)
      problems.push(`the shards list ${outputs.size} PDFs, but the build they are part of has ${plan.files}`);
  }
  return problems;
}

function checkFile(file: string, entry: ManifestEntry): FileCheck {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { status: 'missing', file };
  }
  if (bytes.length !== entry.bytes) return { status: 'size', file, expected: entry.bytes!, actual: bytes.length };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return sha256 === entry.sha256 ? { status: 'ok', file } : { status: 'hash', file };
}
