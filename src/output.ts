/**
 * What the commands print: whole lines to standard output (results) and standard error (errors,
 * warnings), in the order they are written.
 *
 * Lines go straight to the file descriptors. Node's `console` creates `process.stdout` on first use,
 * and when standard output is a pipe (a CI log, a program calling kumihan) that loads Node's network
 * stack: about 8 ms of a cold build that prints two lines. A descriptor that cannot take a write at
 * once (a non-blocking pipe that is full) is handed to Node's stream from then on, which waits.
 * Tests replace these methods with `vi.spyOn(output, 'log')`.
 */
import fs from 'node:fs';

export const output = {
  log(line: string): void {
    writeLine(1, line);
  },
  error(line: string): void {
    writeLine(2, line);
  },
};

/**
 * Whether a descriptor is a terminal: what `process.stderr.isTTY` says, without creating the stream.
 * Creating `process.stderr` (or loading `node:tty`) loads Node's network stack, 3–5 ms of a cold build
 * whose standard error is a pipe. Only a character device can be a terminal, so a pipe or a file is
 * settled by fstat; for a character device (a terminal, /dev/null) `tty.isatty` decides, as Node does.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false; // closed: Node's stream would not be a terminal either
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** Descriptors whose writes now go through Node's stream (see writeLine). */
const streamed = new Set<number>();
let streamsUsed = false;

/** `process.stdout` or `process.stderr`, for writes that go through Node's streams (noted for `outputSettled`). */
export function nodeStream(fd: 1 | 2): NodeJS.WriteStream {
  streamsUsed = true;
  return fd === 1 ? process.stdout : process.stderr;
}

/**
 * Whether everything printed has reached its descriptor: true unless some output went through Node's
 * streams, which may still be writing (asynchronously, for a pipe on macOS) when a command returns.
 * bin/kumihan.cjs exits at once when it is true.
 */
export function outputSettled(): boolean {
  return !streamsUsed;
}

function writeLine(fd: 1 | 2, line: string): void {
  const stream = () => nodeStream(fd);
  if (streamed.has(fd)) {
    stream().write(line + '\n');
    return;
  }
  const bytes = Buffer.from(line + '\n', 'utf8');
  let written = 0;
  try {
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // The reader has gone (`kumihan build | head -1`): nothing more can be shown.
    if (code === 'EPIPE') return;
    if (code !== 'EAGAIN') throw e;
    streamed.add(fd);
    stream().write(bytes.subarray(written));
  }
}
