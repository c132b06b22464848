/**
 * `kumihan preflight FILE.pdf… [--standard PDF/X-1a|PDF/X-4|PDF/A-2b] [--saddle-stitch]`: checks PDFs
 * (kumihan's or anyone's) against the rules of a standard that can be read from the file
 * (src/check/preflight.ts). One line per finding, with its page and object; exit status 1 if any rule
 * fails. Without --standard, the standard the file claims (its /GTS_PDFXVersion or PDF/A identification).
 */
import { formatError, KumihanError } from '../errors.js';
import { output } from '../output.js';
import { parseCommand } from './args.js';
import { readPdfFile } from '../check/pdf-file.js';

export const PREFLIGHT_USAGE = `usage: kumihan preflight FILE.pdf… [--standard PDF/X-1a|PDF/X-4|PDF/A-2b] [--saddle-stitch]
  Checks each PDF against the standard's rules that can be read from the file: fonts embedded and subset
  tags unique, colour spaces, transparency, page boxes, output intent, required keys, annotations inside
  the trim, image resolution at its placed size. Prints one line per finding; exit status 1 if any fails.
  -s, --standard NAME    the standard to check (default: the one the file claims)
      --saddle-stitch    the page count must be a multiple of 4 (中綴じ)`;

export async function runPreflight(argv: string[]): Promise<number> {
  const args = parseCommand(argv, { standard: { type: 'string', short: 's' }, 'saddle-stitch': { type: 'boolean' } }, PREFLIGHT_USAGE);
  if (args.exit !== undefined) return args.exit;
  const { preflight, claimedStandard, formatFinding, PREFLIGHT_STANDARDS } = await import('../check/preflight.js');
  try {
    const files = args.positionals;
    if (files.length === 0) throw new KumihanError('usage', `preflight needs a PDF file\n${PREFLIGHT_USAGE}`);
    const given = args.values.standard;
    if (given !== undefined && !(PREFLIGHT_STANDARDS as readonly string[]).includes(given))
      throw new KumihanError('usage', `--standard must be one of ${PREFLIGHT_STANDARDS.join(', ')} (got ${JSON.stringify(given)})`);
    let failed = 0;
    for (const file of files) {
      const bytes = readPdfFile(file);
      const standard = (given as (typeof PREFLIGHT_STANDARDS)[number] | undefined) ?? claimedStandard(bytes);
      if (!standard) throw new KumihanError('usage', `${file} claims no PDF/X or PDF/A standard; name one with --standard`, { file });
      const findings = preflight(bytes, { standard, saddleStitch: args.values['saddle-stitch'] === true });
      const failures = findings.filter((f) => f.severity === 'fail').length;
      for (const f of findings) output.log(`${file}: ${formatFinding(f)}`);
      const warnings = findings.length - failures;
      output.log(
        `${file}: ${failures === 0 ? 'passes' : 'fails'} ${standard} preflight (${failures} failure${failures === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`,
      );
      if (failures > 0) failed++;
    }
    return failed > 0 ? 1 : 0;
  } catch (e) {
    output.error(formatError(e));
    return e instanceof KumihanError && e.kind === 'usage' ? 2 : 1;
  }
}
