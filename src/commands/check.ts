/**
 * `kumihan check [content files…] [--update] [--threshold N] [--max-diff-pixels N] [--dpi N]`
 *
 * Builds each content file (through the `build` callback, so this module does not depend on
 * the typesetter), renders the PDF and compares it with `tests/references/<name>/`. Prints one
 * line per file and page and the report path; exit status 1 when anything fails.
 */
import { basename, extname, join, relative, resolve } from 'node:path';
import { formatError, KumihanError } from '../errors.js';
import { parseNumberOption } from './render.js';
import { parseCommand } from './args.js';
import { defaultContentFiles } from '../model/content-files.js';
import { output } from '../output.js';

export const CHECK_USAGE = `usage: kumihan check [content files…] [--update] [--threshold N] [--max-diff-pixels N] [--dpi N]
  Compares every page with tests/references/<name>/page-<n>.png, the PDF's text layer with the accepted
  tests/references/<name>/text.txt, and the text layer with the content.
  Default files: content/*.yaml. --update writes/refreshes the references instead.
  Defaults: --dpi 96 --threshold 0.1 --max-diff-pixels 0. Report: output/check/index.html.`;

/** Builds a content file; `found`: it was found in content/, not named (see LoadOptions.contentFound). */
export type BuildForCheck = (contentPath: string, found: boolean) => Promise<{ name: string; pdf: Uint8Array; expectedText: string }>;

export interface RunCheckPaths {
  /** Project root: default content, references and output folders are under it (default: cwd). */
  root?: string;
  referencesDir?: string;
  outDir?: string;
}

const pct = (r: number | null) => (r === null ? '      —' : `${(r * 100).toFixed(3)}%`.padStart(8));

export async function runCheck(argv: string[], build: BuildForCheck, paths: RunCheckPaths = {}): Promise<number> {
  const args = parseCommand(
    argv,
    {
      update: { type: 'boolean', short: 'u' },
      threshold: { type: 'string' },
      'max-diff-pixels': { type: 'string' },
      dpi: { type: 'string' },
    },
    CHECK_USAGE,
  );
  if (args.exit !== undefined) return args.exit;
  const root = resolve(paths.root ?? process.cwd());
  const show = (p: string) => relative(process.cwd(), p) || '.';
  try {
    const dpi = parseNumberOption('dpi', args.values.dpi, 9, 1200) ?? 96;
    const threshold = parseNumberOption('threshold', args.values.threshold, 0, 1) ?? 0.1;
    const maxDiffPixels = parseNumberOption('max-diff-pixels', args.values['max-diff-pixels'], 0, Number.MAX_SAFE_INTEGER, true) ?? 0;
    const update = args.values.update ?? false;
    const files = args.positionals.length ? args.positionals : defaultContentFiles(root).map((f) => join(root, f));
    if (files.length === 0) {
      throw new KumihanError('usage', `no content files to check (none given and none in ${show(join(root, 'content'))}/*.yaml)`);
    }

    const { checkTargets } = await import('../check/check.js');
    const targets = [];
    const buildErrors: { name: string; message: string }[] = [];
    for (const file of files) {
      try {
        targets.push(await build(file, args.positionals.length === 0));
      } catch (e) {
        const message = formatError(e);
        output.error(message);
        buildErrors.push({ name: basename(file, extname(file)), message: `build failed: ${message}` });
      }
    }

    const result = await checkTargets(targets, {
      referencesDir: paths.referencesDir ?? join(root, 'tests', 'references'),
      outDir: paths.outDir ?? join(root, 'output', 'check'),
      dpi,
      threshold,
      maxDiffPixels,
      update,
      buildErrors,
    });

    const width = Math.max(...result.files.map((f) => f.name.length));
    for (const f of result.files) {
      const name = f.name.padEnd(width);
      if (f.pages.length === 0 && f.messages.length === 0) output.log(`${name}  ${f.passed ? 'PASS' : 'FAIL'}`);
      for (const p of f.pages) {
        const note = p.messages.length ? `  ${p.messages.join('; ')}` : '';
        if (update) {
          const changed =
            p.update === 'changed' && p.ratio !== null ? `  ${pct(p.ratio).trim()} of pixels differ from the old reference` : '';
          output.log(`${name}  page ${p.index}  ${p.update ?? ''}${changed}${note}`);
        } else {
          output.log(`${name}  page ${p.index}  ${pct(p.ratio)}  ${p.passed ? 'PASS' : 'FAIL'}${note}`);
        }
      }
      if (update) {
        for (const c of result.changes) {
          if (c.name !== f.name) continue;
          if (c.page === 0) output.log(`${name}  text    ${c.change}`);
          else if (c.change === 'removed') output.log(`${name}  page ${c.page}  removed`);
        }
      }
      // one line each: a build error's full text (and stack) was printed to stderr already
      for (const m of f.messages) output.log(`${name}  FAIL  ${m.split('\n')[0]}`);
    }
    if (update) {
      const count = (k: string) => result.changes.filter((c) => c.change === k).length;
      output.log(
        `references: ${count('new')} new, ${count('changed')} changed, ${count('unchanged')} unchanged, ${count('removed')} removed` +
          ` (${show(paths.referencesDir ?? join(root, 'tests', 'references'))})`,
      );
    }
    const failed = result.files.filter((f) => !f.passed).length;
    output.log(
      `${failed ? `${failed} of ${result.files.length} failing` : `all ${result.files.length} passing`}; report: ${show(result.reportPath)}`,
    );
    return result.passed ? 0 : 1;
  } catch (e) {
    output.error(formatError(e));
    return e instanceof KumihanError && e.kind === 'usage' ? 2 : 1;
  }
}
