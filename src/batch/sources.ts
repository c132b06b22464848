/**
 * What each PDF was built from — the content file, its templates, fonts, logo and recipients file —
 * with a SHA-256 of each, so that `kumihan verify` can tell a PDF that is older than its sources
 * (STALE) from one that is current. Content hashes, not modification times: CI artifacts and copies do
 * not keep times, and the manifest stays the same for the same input.
 *
 * Paths are written portably: relative to the working directory (forward slashes), `kumihan:fonts/…`
 * for the package's own files (wherever it is installed), else absolute.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedDocument } from '../model/load.js';
import { isInside } from '../model/inputs.js';

/**
 * One input: a project file with its fingerprint (`sha256`: the SHA-256 of the file; for a file over
 * 4 MB, a font say, of its size and its first and last megabyte, to keep builds fast), or a file of the
 * kumihan package with the package's version (`kumihan`): the shipped templates and fonts change only
 * with it, and hashing 20 MB of fonts would cost more than building a letter.
 */
export interface InputRecord {
  file: string;
  sha256?: string;
  kumihan?: string;
}

/** Absolute paths of every file a loaded document is built from, the content file first. */
export function inputFilesOf(doc: LoadedDocument, contentPath: string): string[] {
  const files = [path.resolve(doc.paths.workingDirectory, contentPath), ...doc.templateFiles];
  for (const font of Object.values(doc.template.fonts)) {
    files.push(font.file);
    if (font.latin) files.push(font.latin);
  }
  if (doc.template.letterhead?.logo) files.push(doc.template.letterhead.logo.file);
  if (doc.recipientsFile) files.push(doc.recipientsFile);
  // The press PDF's colours depend on the output profile (kumihan's own or the user's).
  if (doc.template.print) files.push(doc.template.print.outputCondition.profile);
  if (doc.booklet) files.push(...doc.booklet.files);
  return [...new Set(files.map((file) => path.resolve(file)))];
}

const PACKAGE_PREFIX = 'kumihan:';

/** The portable name of an input file (see the module comment). */
export function portableInputName(file: string, workingDirectory: string, packageRoot: string): string {
  const inPackage = ['templates', 'fonts', 'profiles'].some((dir) => isInside(file, path.join(packageRoot, dir)));
  if (inPackage) return PACKAGE_PREFIX + path.relative(packageRoot, file).split(path.sep).join('/');
  if (isInside(file, workingDirectory)) return path.relative(workingDirectory, file).split(path.sep).join('/');
  return file;
}

/** The file a portable name means here. */
export function inputPathOf(name: string, workingDirectory: string, packageRoot: string): string {
  if (name.startsWith(PACKAGE_PREFIX)) return path.join(packageRoot, name.slice(PACKAGE_PREFIX.length));
  return path.resolve(workingDirectory, name);
}

const hashes = new Map<string, { stamp: string; sha256: string }>();

/** SHA-256 of a file (cached while its size and modification time stay the same); undefined when it cannot be read. */
export function fileSha256(file: string): string | undefined {
  return digest(file, Infinity);
}

const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;
const PART = 1024 * 1024;

/** An input's fingerprint (see InputRecord); undefined when it cannot be read. */
export function fingerprint(file: string): string | undefined {
  return digest(file, WHOLE_FILE_LIMIT);
}

function digest(file: string, wholeUpTo: number): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return undefined;
    const stamp = `${stat.size}:${stat.mtimeMs}:${wholeUpTo}`;
    const key = `${file}\0${wholeUpTo}`;
    const cached = hashes.get(key);
    if (cached?.stamp === stamp) return cached.sha256;
    const hash = createHash('sha256');
    if (stat.size <= wholeUpTo) hash.update(fs.readFileSync(file));
    else {
      const fd = fs.openSync(file, 'r');
      try {
        const head = Buffer.alloc(PART);
        const tail = Buffer.alloc(PART);
        fs.readSync(fd, head, 0, PART, 0);
        fs.readSync(fd, tail, 0, PART, stat.size - PART);
        hash.update(`${stat.size}\n`).update(head).update(tail);
      } finally {
        fs.closeSync(fd);
      }
    }
    const sha256 = hash.digest('hex');
    hashes.set(key, { stamp, sha256 });
    return sha256;
  } catch {
    return undefined;
  }
}

let packageVersion: string | undefined;

/** The version of the kumihan package at `packageRoot`. */
export function kumihanVersion(packageRoot: string): string {
  if (packageVersion === undefined) {
    try {
      packageVersion = String(
        (JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '',
      );
    } catch {
      packageVersion = '';
    }
  }
  return packageVersion;
}

/** Whether an input is still as recorded: undefined if so, else 'changed' or 'gone'. */
export function inputState(record: InputRecord, workingDirectory: string, packageRoot: string): 'changed' | 'gone' | undefined {
  const file = inputPathOf(record.file, workingDirectory, packageRoot);
  if (record.kumihan !== undefined) {
    if (!fs.existsSync(file)) return 'gone';
    return record.kumihan === kumihanVersion(packageRoot) ? undefined : 'changed';
  }
  const actual = fingerprint(file);
  return actual === undefined ? 'gone' : actual === record.sha256 ? undefined : 'changed';
}

/** The input records of a document's files, in a stable order (the content file first, then by name). */
export function inputRecords(files: string[], workingDirectory: string, packageRoot: string): InputRecord[] {
  const [first, ...rest] = files.map((file): InputRecord => {
    const name = portableInputName(file, workingDirectory, packageRoot);
    return name.startsWith(PACKAGE_PREFIX)
      ? { file: name, kumihan: kumihanVersion(packageRoot) }
      : { file: name, sha256: fingerprint(file) ?? '' };
  });
  rest.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return first ? [first, ...rest] : [];
}
