/**
 * `kumihan build [files…] [-o FILE|DIR] [--template NAME|PATH]`
 *
 * With no files it builds content/*.yaml (of the working directory). `content/x.yaml` goes to
 * `output/x.pdf`; with several files `-o` names a directory. One line per file (name, pages, bytes,
 * milliseconds) and a summary; exit status 1 if any file failed — the others still build, and a file
 * that fails keeps its previous PDF.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildDocument, writeFileAtomic } from '../build.js';
import { formatError, KumihanError } from '../errors.js';

export const BUILD_USAGE = `usage: kumihan build [files…] [-o FILE|DIR] [--template NAME|PATH]
  Builds each content file into a PDF. Default files: content/*.yaml; default output: output/<name>.pdf.
  -o, --output FILE|DIR   output file (one input) or directory (several inputs)
  -t, --template NAME|PATH  use this template instead of the content's own`;

/** content/*.yaml under `root`, sorted by name so that the order (and output) is stable. */
export function defaultContentFiles(root: string): string[] {
  const dir = path.join(root, 'content');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => path.join('content', f));
}

export const outputNameFor = (file: string) => path.basename(file).replace(/\.ya?ml$/i, '') + '.pdf';

export async function runBuild(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        template: { type: 'string', short: 't' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    console.error(formatError(new KumihanError('usage', `${(e as Error).message}\n${BUILD_USAGE}`)));
    return 2;
  }
  if (args.values.help) {
    console.log(BUILD_USAGE);
    return 0;
  }
  const files = args.positionals.length > 0 ? args.positionals : defaultContentFiles(process.cwd());
  if (files.length === 0) {
    console.error(formatError(new KumihanError('usage', `no content files given and no content/*.yaml in ${process.cwd()}\n${BUILD_USAGE}`)));
    return 2;
  }
  const output = args.values.output;
  const outputIsDir = output !== undefined && (files.length > 1 || output.endsWith('/') || (fs.existsSync(output) && fs.statSync(output).isDirectory()));
  const targetFor = (file: string) =>
    output === undefined ? path.join('output', outputNameFor(file)) : outputIsDir ? path.join(output, outputNameFor(file)) : output;

  const started = performance.now();
  let failed = 0;
  let pages = 0;
  for (const file of files) {
    const t0 = performance.now();
    try {
      const result = await buildDocument(file, { template: args.values.template });
      const target = targetFor(file);
      writeFileAtomic(target, result.pdf);
      pages += result.pages;
      for (const w of result.warnings) console.error(`${file}: warning: ${w}`);
      const ms = Math.round(performance.now() - t0);
      console.log(`${file} → ${target}  ${result.pages} ${result.pages === 1 ? 'page' : 'pages'}  ${result.pdf.length} bytes  ${ms} ms`);
    } catch (e) {
      failed++;
      console.error(formatError(e));
      console.log(`${file}  FAILED`);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`${files.length} ${files.length === 1 ? 'file' : 'files'}, ${pages} pages, ${seconds} s, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
