/**
 * Command-line parsing shared by every command: node:util parseArgs with positionals and -h/--help.
 * A parse error prints the message and the command's usage and gives exit status 2; --help prints the
 * usage and gives 0. Either way the caller returns `exit`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatError, KumihanError } from '../errors.js';
import { output } from '../output.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export type ParsedCommand<O extends Options> =
  | { exit: number }
  | {
      exit?: undefined;
      values: ReturnType<
        typeof parseArgs<{ args: string[]; options: O & { help: { type: 'boolean'; short: 'h' } }; allowPositionals: true }>
      >['values'];
      positionals: string[];
    };

export function parseCommand<O extends Options>(argv: string[], options: O, usage: string): ParsedCommand<O> {
  try {
    const parsed = parseArgs({
      args: negativeValuesInline(argv, options),
      allowPositionals: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } as const },
    });
    if ((parsed.values as { help?: boolean }).help) {
      output.log(usage);
      return { exit: 0 };
    }
    return { values: parsed.values, positionals: parsed.positionals } as ParsedCommand<O>;
  } catch (e) {
    return { exit: usageError((e as Error).message, usage) };
  }
}

/**
 * `--wait -1` as `--wait=-1`: parseArgs takes a value that starts with "-" for an option and refuses it as
 * ambiguous; a negative number after an option that takes a value is that value, which the command then
 * judges in its own words ("--wait -1: expected a number of seconds").
 */
function negativeValuesInline(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : Object.keys(options).find((key) => options[key]!.short === arg.slice(1));
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** Print a usage error (message, then the usage) and return exit status 2. */
export function usageError(message: string, usage: string): number {
  output.error(formatError(new KumihanError('usage', `${message}\n${usage}`)));
  return 2;
}
