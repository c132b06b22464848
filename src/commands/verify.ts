/**
 * `kumihan verify [manifest…] [--merge FILE] [--partial] [--no-sources]`
 *
 * Checks that the output folder is exactly what the build manifest says — every PDF built, there with
 * the recorded size and SHA-256 and not older than its sources, nothing else in the folder: after
 * copying a release, downloading CI artifacts, or assembling the shards of a build. Several manifests
 * (one per shard) are checked together and must make a whole build; with --merge, when all is well,
 * they are also written as one manifest, the same as an unsharded build would have written. One line
 * per file; exit status 1 if anything is wrong.
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
  type Manifest,
  type ManifestEntry,
  type Verification,
} from '../batch/manifest.js';
import { writeFileAtomic } from '../build.js';
import { formatError } from '../errors.js';
import { parseCommand } from './args.js';
import { output } from '../output.js';

export const VERIFY_USAGE = `usage: kumihan verify [manifest…] [--merge FILE] [--partial] [--no-sources]
  Checks that the output folder is exactly what the build manifest says: every PDF it lists was built and
  is there with the recorded size and SHA-256, none is older than its sources (content, templates, fonts,
  logo, recipients), and no other PDF or temporary file is in the folder. Exit status 1 otherwise.
  Default manifest: output/manifest.json. Give every shard's manifest (output/manifest.shard-*-of-N.json)
  to check a sharded build: the set must be complete, without overlap, all of one build.
      --merge FILE   when everything checks out, also write the manifests merged into one (FILE)
      --partial      accept an incomplete set of shards (to check one shard on its own machine)
      --no-sources   do not check the sources (a copy of a release, verified without them)`;

function describe(check: FileCheck): string {
  switch (check.status) {
    case 'ok':
      return 'OK';
    case 'missing':
      return 'MISSING';
    case 'failed':
      return `FAILED: not built${check.error ? ` (${check.error})` : ''}`;
    case 'size':
      return `SIZE DIFFERS: ${check.actual} bytes, manifest says ${check.expected}`;
    case 'hash':
      return 'SHA-256 DIFFERS';
    case 'stale':
      return check.gone ? `STALE: its source ${check.input} is gone` : `STALE: ${check.input} changed after it was built`;
    case 'extra':
      return check.temp ? 'EXTRA: a temporary file of an unfinished build' : 'EXTRA: not in the manifest';
    case 'busy':
      return `BUSY: a build is writing this folder (${check.holder})`;
    case 'conflict':
      return `CONFLICT: listed with another SHA-256 in ${check.otherManifest}`;
  }
}

export async function runVerify(argv: string[]): Promise<number> {
  const args = parseCommand(
    argv,
    { merge: { type: 'string' }, partial: { type: 'boolean' }, 'no-sources': { type: 'boolean' } },
    VERIFY_USAGE,
  );
  if (args.exit !== undefined) return args.exit;
  const manifests = args.positionals.length > 0 ? args.positionals : [path.join(DEFAULT_OUTPUT_DIR, MANIFEST_NAME)];
  let verification: Verification;
  try {
    verification = verifyManifests(manifests, { partial: args.values.partial, sources: !args.values['no-sources'] });
  } catch (e) {
    output.error(formatError(e));
    return 1;
  }
  const { checks, setProblems } = verification;
  for (const problem of setProblems) output.error(`kumihan verify: ${problem}`);
  const width = Math.max(0, ...checks.map((check) => check.file.length));
  for (const check of checks) output.log(`${check.file.padEnd(width)}  ${describe(check)}`);
  const bad = checks.filter((check) => check.status !== 'ok').length;
  const files = checks.filter((check) => check.status !== 'conflict' && check.status !== 'busy').length;
  const noun = files === 1 ? 'file' : 'files';
  if (bad === 0 && setProblems.length === 0) output.log(`${files} ${noun} verified`);
  else if (bad === 0) output.log(`${files} ${noun} verified, but the set of manifests is not a whole build`);
  else output.log(`${bad} of ${files} ${noun} FAILED verification`);
  const gone = checks.filter((check) => check.status === 'stale' && check.gone).length;
  if (gone > 0 && gone === checks.filter((check) => check.status === 'stale').length) {
    output.error(
      'kumihan verify: sources are missing here; run verify where the build ran, or give --no-sources to check a copy of a release without its sources',
    );
  }
  if (bad > 0 || setProblems.length > 0) return 1;

  if (args.values.merge !== undefined) {
    const target = args.values.merge;
    writeFileAtomic(target, new TextEncoder().encode(renderManifest(merged(manifests, path.dirname(target)))));
    output.log(`merged ${manifests.length} ${manifests.length === 1 ? 'manifest' : 'manifests'} into ${target}`);
  }
  return 0;
}

/** The manifests as one: output paths made relative to `targetDir`, each output once, every source's inputs. */
function merged(manifests: string[], targetDir: string): Manifest {
  const byOutput = new Map<string, ManifestEntry>();
  const inputs: Manifest['inputs'] = {};
  for (const manifestFile of manifests) {
    const manifest = readManifest(manifestFile);
    for (const entry of manifest.files) {
      const output = manifestOutputPath(path.join(path.dirname(manifestFile), entry.output), targetDir);
      byOutput.set(output, { ...entry, output });
    }
    Object.assign(inputs, manifest.inputs);
  }
  return { files: [...byOutput.values()], inputs };
}
