/**
 * The build manifest: every PDF a build wrote, with its source, size and SHA-256, so that a release
 * can be checked (`kumihan verify`) after it was copied, uploaded or assembled from CI shards.
 *
 * The manifest is reproducible itself: no timestamps, fixed key order, entries sorted by output path,
 * paths with forward slashes. Output paths are relative to the manifest's own directory (so the output
 * directory can be moved as a whole); sources are relative to the directory the build ran in.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../build.js';
import { KumihanError } from '../errors.js';
import { portablePath, type Shard } from './jobs.js';

export const MANIFEST_NAME = 'manifest.json';

export interface ManifestEntry {
  /** The content file, relative to the build's working directory. */
  source: string;
  /** For a mail-merge letter: the recipient's key. */
  recipient?: string;
  /** Relative to the manifest's directory. */
  output: string;
  pages: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  /** Present in a shard's manifest: which part of the build it describes, e.g. "2/4". */
  shard?: string;
  files: ManifestEntry[];
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
  const entry: ManifestEntry = {
    source: portablePath(path.relative(process.cwd(), path.resolve(fields.source))),
    ...(fields.recipient !== undefined ? { recipient: fields.recipient } : {}),
    output: manifestOutputPath(fields.output, manifestDir),
    pages: fields.pages,
    bytes: fields.bytes,
    sha256: fields.sha256,
  };
  return entry;
}

export function renderManifest(entries: Iterable<ManifestEntry>, shard?: Shard): string {
  const files = [...entries].sort((a, b) => (a.output < b.output ? -1 : a.output > b.output ? 1 : 0));
  const manifest: Manifest = shard ? { shard: `${shard.index}/${shard.count}`, files } : { files };
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** Writes the manifest into `outputDir` (atomically, like the PDFs) and returns its path. */
export function writeManifest(outputDir: string, entries: Iterable<ManifestEntry>, shard?: Shard): string {
  const file = path.join(outputDir, manifestNameFor(shard));
  writeFileAtomic(file, new TextEncoder().encode(renderManifest(entries, shard)));
  return file;
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
    const valid =
      typeof entry?.output === 'string' &&
      typeof entry.bytes === 'number' &&
      typeof entry.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(entry.sha256);
    if (!valid) throw new KumihanError('check', `entry ${i + 1} of "files" needs output, bytes and sha256`, { file, path: `files[${i}]` });
  });
  return data as Manifest;
}

export type FileCheck =
  | { status: 'ok'; file: string }
  | { status: 'missing'; file: string }
  | { status: 'size'; file: string; expected: number; actual: number }
  | { status: 'hash'; file: string }
  | { status: 'conflict'; file: string; otherManifest: string };

/**
 * Checks every file the manifests list: present, of the recorded size, with the recorded SHA-256.
 * A file listed by two manifests (shards that overlap) must be recorded the same in both.
 */
export function verifyManifests(manifestFiles: string[]): FileCheck[] {
  const checks: FileCheck[] = [];
  const recorded = new Map<string, { sha256: string; manifest: string }>();
  for (const manifestFile of manifestFiles) {
    const manifest = readManifest(manifestFile);
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
      checks.push(checkFile(file, entry));
    }
  }
  return checks;
}

function checkFile(file: string, entry: ManifestEntry): FileCheck {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { status: 'missing', file };
  }
  if (bytes.length !== entry.bytes) return { status: 'size', file, expected: entry.bytes, actual: bytes.length };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return sha256 === entry.sha256 ? { status: 'ok', file } : { status: 'hash', file };
}
