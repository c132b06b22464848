/**
 * `kumihan render FILE.pdf [--dpi 96] [--out DIR]`: every page of a PDF to PNG
 * (default folder `output/render/<name>/`, relative to the working directory).
 */
import { basename, extname, join } from 'node:path';
import { formatError, KumihanError } from '../errors.js';
import { parseCommand } from './args.js';
import { output } from '../output.js';

export const RENDER_USAGE = `usage: kumihan render FILE.pdf [--dpi N] [--out DIR]
  Renders every page to DIR/page-<n>.png (default DIR: output/render/<name>/, default 96 dpi).`;

export function parseNumberOption(name: string, value: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new KumihanError(
      'usage',
      `--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

export async function runRender(argv: string[]): Promise<number> {
  const args = parseCommand(argv, { dpi: { type: 'string' }, out: { type: 'string', short: 'o' } }, RENDER_USAGE);
  if (args.exit !== undefined) return args.exit;
  try {
    if (args.positionals.length !== 1) throw new KumihanError('usage', `render takes exactly one PDF file\n${RENDER_USAGE}`);
    const pdfPath = args.positionals[0];
    const dpi = parseNumberOption('dpi', args.values.dpi, 9, 1200) ?? 96;
    const outDir = args.values.out ?? join('output', 'render', basename(pdfPath, extname(pdfPath)));
    const { writeRenders } = await import('../check/render.js');
    const files = await writeRenders(pdfPath, outDir, dpi);
    for (const f of files) output.log(f);
    return 0;
  } catch (e) {
    output.error(formatError(e));
    return e instanceof KumihanError && e.kind === 'usage' ? 2 : 1;
  }
}
