/**
 * Reading the files that content and templates name — untrusted input, written by many people and
 * reviewed loosely. Every such file:
 *
 *   - must resolve (symlinks followed) inside the project root (`--root`, default: the working
 *     directory), or inside a directory allowed for its kind: the kumihan package's own templates/ and
 *     fonts/, and the font folders given with `--font-path`;
 *   - must be a regular file (never a device, a FIFO, a socket or a directory: /dev/zero, a named pipe);
 *   - must be no larger than the limit for its kind, checked before and while it is read (a file in
 *     /proc reports size 0 and a growing file may pass the first check).
 *
 * The policy is given by the caller (src/model/load.ts builds it from LoadOptions): nothing here reads
 * process state.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KumihanError, type ErrorKind, type SourceLocation } from '../errors.js';

export type InputKind = 'content' | 'template' | 'recipients' | 'font' | 'image' | 'profile';

/** How each kind is named in messages. */
export const KIND_NAMES: Record<InputKind, string> = {
  content: 'content file',
  template: 'template',
  recipients: 'recipients file',
  font: 'font file',
  image: 'image',
  profile: 'colour profile',
};

/** The kind of error a refused file is: fonts and images keep their own kinds. */
const ERROR_KINDS: Record<InputKind, ErrorKind> = {
  content: 'missing-file',
  template: 'missing-file',
  recipients: 'missing-file',
  font: 'font',
  image: 'image',
  profile: 'missing-file',
};

/** Byte limits per kind, and the pixel limit of an image. */
export interface InputLimits {
  content: number;
  template: number;
  recipients: number;
  font: number;
  image: number;
  /** An ICC output profile (print.outputCondition). */
  profile: number;
  /** Width × height of an image. */
  imagePixels: number;
}

const MB = 1024 * 1024;

/**
 * Generous for real documents, small enough that one hostile file cannot exhaust a build's memory:
 * a 16 MB content file is some 5 million Japanese characters; Japanese fonts are 5–30 MB (a whole
 * Pan-CJK collection about 120 MB); 64 MB of CSV is several hundred thousand recipients.
 */
export const DEFAULT_LIMITS: InputLimits = {
  content: 16 * MB,
  template: 1 * MB,
  recipients: 64 * MB,
  font: 128 * MB,
  image: 32 * MB,
  profile: 16 * MB,
  imagePixels: 50_000_000,
};

export interface InputPolicy {
  /** Absolute: the project root. */
  root: string;
  /** Absolute directories every kind may also be read from (the package's templates/ and fonts/). */
  packageDirs: string[];
  /** Absolute directories fonts may also be read from (--font-path). */
  fontPaths: string[];
  limits: InputLimits;
}

/** `12.3 MB`, `812 KB`, `57 bytes` */
export function formatBytes(n: number): string {
  if (n >= MB) return `${(n / MB).toFixed(n >= 10 * MB ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
}

// realpathSync.native: one call into libc per path, where Node's JavaScript realpathSync lstat()s every
// component of it from JavaScript (a dozen files per build, each a few folders deep). Same answers.
const realpathCache = new Map<string, string>();
function realDir(dir: string): string {
  let real = realpathCache.get(dir);
  if (real === undefined) {
    try {
      real = fs.realpathSync.native(dir);
    } catch {
      real = path.resolve(dir);
    }
    realpathCache.set(dir, real);
  }
  return real;
}

export const isInside = (file: string, dir: string) => {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

function fileType(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks that `file` (absolute) may be read as `kind`: where it resolves, what it is, its size. Returns
 * the resolved path. `shown` is the path as messages show it; `where` the place that named the file.
 * `named`: the file was named by whoever runs the build (a content file or --template on the command
 * line), not by content or a template: it may be anywhere, but it is still only read if it is a regular
 * file within the limit. What it references must be inside the root.
 */
export function checkInput(
  file: string,
  kind: InputKind,
  policy: InputPolicy,
  shown: string,
  where: SourceLocation = {},
  named = false,
): string {
  const what = KIND_NAMES[kind];
  refuseOutside(file, kind, policy, shown, where, named);
  let real: string;
  try {
    real = fs.realpathSync.native(file);
  } catch (e) {
    throw new KumihanError(ERROR_KINDS[kind], `${what} ${shown} ${describeOsError(e)}`, where);
  }
  // Where it resolves, through symbolic links: a link inside the root may point outside it.
  if (!named && !allowedDirs(kind, policy).some((dir) => isInside(real, realDir(dir)))) {
    throw outsideRoot(kind, policy, shown, real === path.resolve(file) ? '' : ` (it resolves to ${real})`, where);
  }
  const stat = fs.statSync(real);
  if (!stat.isFile())
    throw new KumihanError(ERROR_KINDS[kind], `${what} ${shown} is ${fileType(stat)}; only regular files are read`, where);
  const limit = policy.limits[kind];
  if (stat.size > limit) throw tooLarge(kind, shown, stat.size, limit, where);
  return real;
}

function allowedDirs(kind: InputKind, policy: InputPolicy): string[] {
  return [policy.root, ...policy.packageDirs, ...(kind === 'font' ? policy.fontPaths : [])];
}

/** Whether `file` lies where `kind` may be read from, as written (or its folders resolved): nothing on disk is looked at. */
export function liesInside(file: string, kind: InputKind, policy: InputPolicy): boolean {
  const resolved = path.resolve(file);
  return allowedDirs(kind, policy).some((dir) => isInside(resolved, path.resolve(dir)) || isInside(resolved, realDir(dir)));
}

/**
 * A file outside the root named by content or a template is refused before anything is asked of the file
 * system: whether it exists, or what it is, is not said (`../../etc/passwd` is "outside the project root",
 * never "not found" or "not a PNG").
 */
export function refuseOutside(
  file: string,
  kind: InputKind,
  policy: InputPolicy,
  shown: string,
  where: SourceLocation,
  named = false,
): void {
  if (!named && !liesInside(file, kind, policy)) throw outsideRoot(kind, policy, shown, '', where);
}

function outsideRoot(kind: InputKind, policy: InputPolicy, shown: string, resolved: string, where: SourceLocation): KumihanError {
  const fontHint = kind === 'font' ? ', or name its folder with --font-path DIR' : '';
  return new KumihanError(
    ERROR_KINDS[kind],
    `${KIND_NAMES[kind]} ${shown} is outside the project root ${policy.root}${resolved}; content and templates may only use files inside it: move the file there, or build with --root DIR${fontHint}`,
    where,
  );
}

function tooLarge(kind: InputKind, shown: string, size: number | undefined, limit: number, where: SourceLocation): KumihanError {
  const what = KIND_NAMES[kind];
  const actual = size === undefined ? `larger than ${formatBytes(limit)}` : `${formatBytes(size)}`;
  return new KumihanError(ERROR_KINDS[kind], `${what} ${shown} is ${actual}; the limit for a ${what} is ${formatBytes(limit)}`, where);
}

/**
 * Reads a file that content or a template names, after checkInput. Opened without blocking (a FIFO
 * swapped in after the check cannot hang the build) and read up to the limit, whatever its size said.
 */
export function readInput(
  file: string,
  kind: InputKind,
  policy: InputPolicy,
  shown: string,
  where: SourceLocation = {},
  named = false,
): Buffer {
  const real = checkInput(file, kind, policy, shown, where, named);
  const what = KIND_NAMES[kind];
  const limit = policy.limits[kind];
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new KumihanError(ERROR_KINDS[kind], `${what} ${shown} ${describeOsError(e)}`, where);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new KumihanError(ERROR_KINDS[kind], `${what} ${shown} is ${fileType(stat)}; only regular files are read`, where);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 64 * 1024), limit + 1, 16 * MB));
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n <= 0) break;
      total += n;
      if (total > limit) throw tooLarge(kind, shown, undefined, limit, where);
      chunks.push(Buffer.from(chunk.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof KumihanError) throw e;
    throw new KumihanError(ERROR_KINDS[kind], `${what} ${shown} ${describeOsError(e)}`, where);
  } finally {
    fs.closeSync(fd);
  }
}

/** What an OS error means, in words: `not found`, `cannot be read: permission denied (EACCES)`. */
export function describeOsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'not found';
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied (${code}); check the file's permissions`;
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return `cannot be read: too many levels of symbolic links (${code})`;
    case 'ENAMETOOLONG':
      return `cannot be read: the name is too long (${code})`;
    case 'EAGAIN':
      return `cannot be read without waiting (${code}); only regular files are read`;
    default:
      return `cannot be read (${code ?? (e as Error)?.message ?? String(e)})`;
  }
}
