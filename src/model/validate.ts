/** Converting a failed zod parse into one KumihanError that points into the YAML source. */
import type * as z from 'zod/mini';
import { KumihanError, type SourceLocation } from '../errors.js';
import { describeIssue, spreadUnion } from './issues.js';
import { formatFieldPath, type FieldPath } from './yamlfile.js';

export type Locator = (fieldPath: FieldPath, pointAtKey: boolean) => SourceLocation;

/**
 * Reports the problem that comes first in the source (zod lists issues in schema order, which is
 * not the order the author reads the file in), mentioning how many more there are.
 * `fileRank` orders problems in different files (derived template before its base).
 */
export function schemaError(
  issues: readonly z.core.$ZodIssue[],
  schema: z.core.$ZodType,
  locate: Locator,
  fileRank: (location: SourceLocation) => number = () => 0,
): KumihanError {
  // Each unknown field is its own problem, at its own line.
  // Each problem inside the one plausible alternative of a union is its own too (spreadUnion).
  const separate = issues
    .flatMap((issue) => spreadUnion(issue))
    .flatMap(({ issue, basePath }): { issue: z.core.$ZodIssue; basePath: (string | number)[] }[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key: string) => ({ issue: { ...issue, keys: [key] }, basePath }))
        : [{ issue, basePath }],
    );
  const described = separate.map(({ issue, basePath }) => describeIssue(issue, schema, basePath));
  // `charPerLine:` is one mistake, not two: drop "missing charsPerLine" when an unknown field
  // next to it is the likely misspelling.
  const misspelt = new Set(
    described.filter((d) => d.suggestedField).map((d) => formatFieldPath([...d.path.slice(0, -1), d.suggestedField!])),
  );
  const problems = described
    .filter((d) => !(d.missingField && misspelt.has(formatFieldPath(d.path))))
    .map((d) => ({
      message: d.message,
      location: { ...locate(d.path, d.pointAtKey), path: formatFieldPath(d.path) || undefined },
    }));
  problems.sort(
    (a, b) =>
      fileRank(a.location) - fileRank(b.location) ||
      (a.location.line ?? Infinity) - (b.location.line ?? Infinity) ||
      (a.location.column ?? 0) - (b.location.column ?? 0),
  );
  // Every problem is reported (formatError prints up to MAX_PROBLEMS), the first in the file first.
  const [first, ...rest] = problems;
  if (!first) throw new Error('schemaError: called without problems');
  const error = new KumihanError('schema', first.message, first.location);
  error.others = rest.map((p) => new KumihanError('schema', p.message, p.location));
  return error;
}
