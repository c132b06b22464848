/**
 * `kumihan verify [manifest…] [--merge FILE]`
 *
 * Checks that every file a build manifest lists is there, with the recorded size and SHA-256: after
 * copying a release, downloading CI artifacts, or assembling the shards of a build. Several manifests
 * (one per shard) are checked together; with --merge, when all is well, they are also written as one
 * manifest, the same as an unsharded build would have written. One line per file; exit status 1 if
 * any file is missing or differs.
 */
import path from 'node:path';
import { DEFAULT_OUTPUT_DIR } from '../batch/jobs.js';
import {
  manifestOutputPath,
  MANIFEST_NAME,
  readManifest,
  renderManifest,
  verifyManifests,
  type FileCheck,
  type ManifestEntry,
} from '../batch/manifest.js';
import { writeFileAtomic } from '../build.js';
import { formatError } from '../errors.js';
import { parseCommand } from './args.js';
import { output } from '../output.js';

export const VERIFY_USAGE = `usage: kumihan verify [manifest…] [--merge FILE]
  Checks that every PDF a build manifest lists exists with the recorded size and SHA-256.
  Default manifest: output/manifest.json. Give several (e.g. output/manifest.shard-*.json) to check them together.
      --merge FILE   when every file checks out, also write the manifests merged into one (FILE)`;

function describe(check: FileCheck): string {
  switch (check.status) {
    case 'ok':
      return 'OK';
    case 'missing':
      return 'MISSING';
    case 'size':
      return `SIZE DIFFERS: ${check.actual} bytes, manifest says ${check.expected}`;
    case 'hash':
      return 'SHA-256 DIFFERS';
    case 'conflict':
      return `CONFLICT: listed with another SHA-256 in ${check.otherManifest}`;
  }
}

export async function runVerify(argv: string[]): Promise<number> {
  const args = parseCommand(argv, { merge: { type: 'string' } }, VERIFY_USAGE);
  if (args.exit !== undefined) return args.exit;
  const manifests = args.positionals.length > 0 ? args.positionals : [path.join(DEFAULT_OUTPUT_DIR, MANIFEST_NAME)];
  let checks: FileCheck[];
  try {
    checks = verifyManifests(manifests);
  } catch (e) {
    output.error(formatError(e));
    return 1;
  }
  const width = Math.max(0, ...checks.map((check) => check.file.length));
  for (const check of checks) output.log(`${check.file.padEnd(width)}  ${describe(check)}`);
  const bad = checks.filter((check) => check.status !== 'ok').length;
  const files = checks.length - checks.filter((check) => check.status === 'conflict').length;
  output.log(
    bad === 0
      ? `${files} ${files === 1 ? 'file' : 'files'} verified`
      : `${bad} of ${files} ${files === 1 ? 'file' : 'files'} FAILED verification`,
  );
  if (bad > 0) return 1;

  if (args.values.merge !== undefined) {
    const target = args.values.merge;
    writeFileAtomic(target, new TextEncoder().encode(renderManifest(mergedEntries(manifests, path.dirname(target)))));
    output.log(`merged ${manifests.length} ${manifests.length === 1 ? 'manifest' : 'manifests'} into ${target}`);
  }
  return 0;
}

/** The entries of several manifests, output paths made relative to `targetDir`, each output once. */
function mergedEntries(manifests: string[], targetDir: string): ManifestEntry[] {
  const byOutput = new Map<string, ManifestEntry>();
  for (const manifestFile of manifests) {
    for (const entry of readManifest(manifestFile).files) {
      const output = manifestOutputPath(path.join(path.dirname(manifestFile), entry.output), targetDir);
      byOutput.set(output, { ...entry, output });
    }
  }
  return [...byOutput.values()];
}
