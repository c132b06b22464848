/**
 * The kumihan command. Each command module is loaded only when it runs, so that `build` never pays for
 * the PDF renderer (mupdf's WebAssembly) that `render` and `check` need.
 */
import { formatError } from './errors.js';
import { output } from './output.js';

export { outputSettled } from './output.js';

/**
 * A parallel build runs this same bundle in worker threads (src/batch/pool.ts), started on dist/worker.cjs,
 * which calls this instead of main. (Asking node:worker_threads whether this is the main thread would load
 * it, and its dependencies, in every build.)
 */
export async function serveBuildJobs(): Promise<void> {
  (await import('./batch/worker.js')).serveBuildJobs();
}

export const USAGE = `kumihan — Japanese typesetting from YAML to print-ready PDF

usage: kumihan <command> [options]

commands:
  build [files…] [-o FILE|DIR] [--template NAME|PATH]
        build content files (default: content/*.yaml) into output/<name>.pdf
        (also: --combine, --shard I/N, --jobs N, --watch; see kumihan build --help)
  verify [manifest…] [--merge FILE]
        check the PDFs a build manifest lists (default: output/manifest.json)
  preflight FILE.pdf [--standard PDF/X-1a|PDF/X-4|PDF/A-2b] [--saddle-stitch]
        check a PDF against the print (PDF/X) or archive (PDF/A) rules that can be read from it
  render FILE.pdf [--dpi 96] [--out DIR]
        render each page of a PDF to page-<n>.png
  check [files…] [--update] [--threshold N] [--max-diff-pixels N] [--dpi N]
        build, render and compare with tests/references/; --update refreshes the references

Run "kumihan <command> --help" for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'build':
        return await (await import('./commands/build.js')).runBuild(rest);
      case 'verify':
        return await (await import('./commands/verify.js')).runVerify(rest);
      case 'preflight':
        return await (await import('./commands/preflight.js')).runPreflight(rest);
      case 'render':
        return await (await import('./commands/render.js')).runRender(rest);
      case 'check': {
        const { runCheck } = await import('./commands/check.js');
        const { buildDocument } = await import('./build.js');
        const path = await import('node:path');
        return await runCheck(rest, async (file, found) => {
          const r = await buildDocument(file, found ? { contentFound: true } : {});
          return { name: path.basename(file).replace(/\.ya?ml$/i, ''), pdf: r.pdf, expectedText: r.expectedText };
        });
      }
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        output.log(USAGE);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
        output.log(KUMIHAN_VERSION);
        return 0;
      default:
        output.error(`kumihan: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    output.error(formatError(e));
    return 1;
  }
}

declare const KUMIHAN_VERSION: string;
