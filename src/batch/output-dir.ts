/**
 * The output folder while a build writes it: a lock, so that two builds never write one folder at once,
 * and the temporary files of atomic writes, which never outlive a build.
 *
 * The lock is a file, `.kumihan.lock`, created exclusively (O_EXCL) in the output folder, holding the
 * process id, the host name and when the build started. A second build into the folder waits for it (up
 * to `waitSeconds`, default 0: it refuses at once) and then refuses with a message naming the holder. A
 * lock whose process is gone (a build killed with SIGKILL, a crash) is taken over, on the same host.
 *
 * Temporary files are named `.<name>.<pid>.<random>.tmp` (build.ts writeFileAtomic) and exist only inside
 * one synchronous write in the main thread, so an interrupted build (SIGINT, SIGTERM) leaves none. A killed
 * one (SIGKILL, power loss) may leave one: the next build removes every such file once it holds the lock,
 * since no other build can be writing the folder then.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeFileIfPresent } from '../build.js';
import { KumihanError } from '../errors.js';
import { output } from '../output.js';
import type { ManifestEntry } from './manifest.js';
import { fileSha256 } from './sources.js';
import { isoTimestamp } from '../time.js';

export const LOCK_NAME = '.kumihan.lock';

/** The temporary files of writeFileAtomic. */
export const isTempFileName = (name: string) => /^\..+\.\d+\.[0-9a-z]+\.tmp$/.test(name);

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof info?.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a lock was left by a build that is gone: its process no longer runs (same host only). */
function isStale(info: LockInfo | undefined): boolean {
  if (!info) return true;
  return info.host === os.hostname() && info.pid !== process.pid && !alive(info.pid);
}

const describe = (info: LockInfo | undefined) =>
  info ? `pid ${info.pid}${info.host === os.hostname() ? '' : ` on ${info.host}`}, started ${info.started}` : 'unknown';

/** Who holds the folder's lock, when a live build does; undefined otherwise. */
export function lockHolder(dir: string): string | undefined {
  const file = path.join(dir, LOCK_NAME);
  if (!fs.existsSync(file)) return undefined;
  const info = readLock(file);
  return isStale(info) || info?.pid === process.pid ? undefined : describe(info);
}

export interface OutputLock {
  release(): void;
}

const held = new Map<string, number>();

/**
 * Takes the output folder's lock (creating the folder), waiting up to `waitSeconds` for another build
 * to finish. Throws a KumihanError when the folder stays locked. Reentrant within this process.
 */
export async function lockOutputDir(dir: string, waitSeconds = 0): Promise<OutputLock> {
  const resolved = path.resolve(dir);
  const file = path.join(resolved, LOCK_NAME);
  const release = () => {
    const count = (held.get(resolved) ?? 1) - 1;
    if (count > 0) return void held.set(resolved, count);
    held.delete(resolved);
    if (readLock(file)?.pid === process.pid) removeFileIfPresent(file);
  };
  if (held.has(resolved)) {
    held.set(resolved, held.get(resolved)! + 1);
    return { release };
  }
  fs.mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    try {
      const info: LockInfo = { pid: process.pid, host: os.hostname(), started: isoTimestamp(new Date()) };
      fs.writeFileSync(file, JSON.stringify(info) + '\n', { flag: 'wx' });
      held.set(resolved, 1);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const info = readLock(file);
    if (isStale(info)) {
      // Left by a build that is gone. Another build may take it over at the same moment: whichever
      // creates the new lock first wins, the other sees a live holder.
      if (info) removeFileIfPresent(file);
      else if (Date.now() - statTime(file) > 2000)
        removeFileIfPresent(file); // unreadable for long: half-written by a killed build
      else await sleep(50);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new KumihanError(
        'usage',
        `${dir} is being written by another kumihan build (${describe(info)}); wait for it to finish (or give --wait SECONDS), or build into another folder. If no build is running, remove ${path.join(dir, LOCK_NAME)}`,
      );
    }
    await sleep(100);
  }
}

function statTime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The files a build may have written in an output folder, relative to it: those in the folder and in its
 * folders one level down (`x.pdf`, `x/<key>.pdf`) — never deeper, so that an output folder that is the
 * project itself (`-o letter.pdf`) is not searched through.
 */
export function listOutputFiles(dir: string): string[] {
  const files: string[] = [];
  const entries = (at: string) => {
    try {
      return fs.readdirSync(at, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  for (const entry of entries(dir)) {
    if (entry.isFile()) files.push(entry.name);
    else if (entry.isDirectory())
      for (const inner of entries(path.join(dir, entry.name))) if (inner.isFile()) files.push(path.join(entry.name, inner.name));
  }
  return files;
}

/**
 * Removes the temporary files left in `dir` by builds that were killed. Call with the lock held.
 * `folders`: only these folders, not the ones below them, for a build into a folder that is not its own
 * (`-o ~/Desktop/letter.pdf`): its subfolders are none of kumihan's business, and may be many.
 */
export function removeStaleTempFiles(dir: string, folders?: readonly string[]): string[] {
  const removed: string[] = [];
  const names = folders
    ? [...new Set(folders)].flatMap((folder) => {
        const inFolder = path.relative(dir, folder);
        try {
          return fs.readdirSync(folder).map((name) => path.join(inFolder, name));
        } catch {
          return [];
        }
      })
    : listOutputFiles(dir);
  for (const name of names) {
    if (!isTempFileName(path.basename(name))) continue;
    const file = path.join(dir, name);
    try {
      if (fs.lstatSync(file).isFile()) {
        removeFileIfPresent(file);
        removed.push(file);
      }
    } catch {
      // Gone meanwhile.
    }
  }
  return removed;
}

/**
 * PDFs the previous manifest listed that the content no longer calls for (a recipient removed from the
 * CSV, a content file deleted) are removed — only when they are exactly what the manifest recorded, so
 * that a file someone put there by hand is never lost (verify reports it as EXTRA).
 */
export function removeDropped(dir: string, dropped: ManifestEntry[]): void {
  for (const entry of dropped) {
    if (entry.status !== 'built') continue;
    const file = path.join(dir, entry.output);
    if (fileSha256(file) !== entry.sha256) continue;
    removeFileIfPresent(file);
    output.log(`removed ${file} (no longer called for by ${entry.source})`);
  }
}
