/**
 * A PDF named on the command line (render, preflight), read as the build reads its inputs: only a regular
 * file — a device (/dev/zero) or a pipe would be read forever — and not past a size no PDF of ours reaches.
 */
import fs from 'node:fs';
import { KumihanError } from '../errors.js';

/** Larger than any document kumihan writes (a booklet's press PDF is a few MB) by far. */
const MAX_PDF_BYTES = 1024 * 1024 * 1024;

export function readPdfFile(file: string): Uint8Array {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new KumihanError('missing-file', code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (e as Error).message})`, {
      file,
    });
  }
  if (!stat.isFile()) throw new KumihanError('missing-file', 'not a regular file: only a PDF file is read', { file });
  if (stat.size > MAX_PDF_BYTES) throw new KumihanError('check', `${stat.size} bytes: larger than any PDF this reads (1 GB)`, { file });
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new KumihanError('missing-file', `cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file });
  }
}
