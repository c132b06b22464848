/**
 * Turning zod issues into messages a person writing YAML can act on: what was expected, what was
 * found, and for typos a suggestion ("did you mean title?").
 */
import type * as z from 'zod/mini';
import type { FieldPath } from './yamlfile.js';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

export interface DescribedIssue {
  /** Path of the offending field (for an unknown field: including the field's own name). */
  path: (string | number)[];
  message: string;
  /** Point at the field name rather than its value (unknown fields). */
  pointAtKey: boolean;
  /** For a missing required field: its name. */
  missingField?: string;
  /** For an unknown field: the field it probably should have been. */
  suggestedField?: string;
}

// ---------------------------------------------------------------------------------------------
// Walking a schema to learn which fields an object allows (for "did you mean").

/** Every schema that can describe the value at `path` (several when unions are involved). */
function schemasAt(schema: AnySchema, path: FieldPath): AnySchema[] {
  let current: AnySchema[] = [schema];
  for (const segment of path) {
    const next: AnySchema[] = [];
    for (const s of current.flatMap(unwrap)) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'object' && typeof segment === 'string') {
        const field = (def.shape as Record<string, AnySchema>)[segment];
        if (field) next.push(field);
      } else if (def.type === 'array') {
        next.push(def.element as AnySchema);
      } else if (def.type === 'tuple' && typeof segment === 'number') {
        const item = (def.items as AnySchema[])[segment];
        if (item) next.push(item);
      } else if (def.type === 'record') {
        next.push(def.valueType as AnySchema);
      }
    }
    current = next;
  }
  return current.flatMap(unwrap);
}

/** Removes optional/nullable/default wrappers and splits unions into their options. */
function unwrap(schema: AnySchema): AnySchema[] {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return unwrap(def.innerType as AnySchema);
    case 'pipe':
      return unwrap(def.in as AnySchema);
    case 'lazy':
      // The schema z.lazy made (once: zod keeps it as innerType), e.g. the booklet parts of schema.ts.
      return unwrap((schema._zod as unknown as { innerType: AnySchema }).innerType);
    case 'union':
      return (def.options as AnySchema[]).flatMap(unwrap);
    default:
      return [schema];
  }
}

export function allowedFieldsAt(schema: AnySchema, path: FieldPath): string[] {
  const fields = new Set<string>();
  for (const s of schemasAt(schema, path)) {
    const def = s._zod.def as unknown as { type: string; shape?: Record<string, unknown> };
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) fields.add(key);
  }
  return [...fields];
}

// ---------------------------------------------------------------------------------------------
// Suggestions

/** Edit distance counting a swap of neighbours as one edit (titel → title), as typos usually are. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      // Every index is within the (a.length+1) × (b.length+1) table.
      const at = (r: number, c: number) => d[r]![c]!;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate if it is close enough to be a plausible typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = candidate.toLowerCase() === word.toLowerCase() ? 0 : editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

// ---------------------------------------------------------------------------------------------
// Messages

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
  tuple: 'a list',
  null: 'null',
};

function expectedName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

/** A short description of a YAML value for "got …". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  // JSON.stringify shows line breaks and control characters as escapes: the message stays one line.
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 40)).slice(0, -1)}…"` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return 'binary data (!!binary)';
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function got(issue: Issue): string {
  return 'input' in issue && issue.input !== undefined ? `, got ${describeValue(issue.input)}` : '';
}

const quote = (s: unknown) => JSON.stringify(s);
const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;

/** ", got an empty list" / ", got a list of 3 items": what a list's length check was given. */
function gotList(issue: Issue): string {
  const input = 'input' in issue ? issue.input : undefined;
  if (!Array.isArray(input)) return got(issue);
  return input.length === 0 ? ', got an empty list' : `, got a list of ${items(input.length)}`;
}

/** True when an issue only says "this is not even the right type" at the option's root. */
/**
 * A union's problems as separate issues, each with the path it sits under, where exactly one alternative
 * had the right type: every problem inside that alternative (three bad records of a recipients list)
 * rather than its first. Other issues as they are.
 */
export function spreadUnion(issue: Issue, basePath: (string | number)[] = []): { issue: Issue; basePath: (string | number)[] }[] {
  if (issue.code !== 'invalid_union') return [{ issue, basePath }];
  const plausible = issue.errors.filter((optionIssues) => !isRootTypeMismatch(optionIssues));
  if (plausible.length !== 1 || plausible[0]!.length < 2) return [{ issue, basePath }];
  const inner = [...basePath, ...(issue.path as (string | number)[])];
  return plausible[0]!.flatMap((sub) => spreadUnion(sub, inner));
}

function isRootTypeMismatch(issues: readonly Issue[]): boolean {
  return issues.length > 0 && issues.every((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_union'));
}

/**
 * Describes one zod issue. `schema` is the root schema that was parsed (used to list the allowed
 * fields of an object).
 */
/** What a field name in kumihan's files looks like (charsPerLine, startOn, font-path): letters, digits, - and _. */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export function describeIssue(issue: Issue, schema: AnySchema, basePath: (string | number)[] = []): DescribedIssue {
  const path = [...basePath, ...(issue.path as (string | number)[])];
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        const field = path[path.length - 1];
        return {
          path,
          message: `missing required field ${quote(field)} (expected ${expectedName(issue.expected)})`,
          pointAtKey: false,
          missingField: String(field),
        };
      }
      return { path, message: `expected ${expectedName(issue.expected)}${got(issue)}`, pointAtKey: false };
    }
    case 'unrecognized_keys': {
      const [first = '', ...more] = issue.keys;
      const allowed = allowedFieldsAt(schema, path);
      const suggestion = closestMatch(first, allowed);
      let message = `unknown field ${quote(first)}`;
      if (suggestion) message += ` — did you mean ${suggestion}?`;
      else if (allowed.length) message += `; allowed fields: ${allowed.join(', ')}`;
      if (more.length) message += ` (also unknown here: ${more.map((k) => quote(k)).join(', ')})`;
      // Not a name at all (Ltd.を設立): most likely the rest of a value that a comma cut short in a flow mapping.
      if (!FIELD_NAME.test(first))
        message += ` — if it is the rest of a value, put that value in quotes: in { … } or [ … ] a comma ends a value (text: "Co., Ltd.")`;
      return { path: [...path, first], message, pointAtKey: true, suggestedField: suggestion };
    }
    case 'invalid_value': {
      const allowed = issue.values.map((v) => quote(v));
      const field = path[path.length - 1];
      if (issue.input === undefined && typeof field === 'string') {
        const expected = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
        return { path, message: `missing required field ${quote(field)} (expected ${expected})`, pointAtKey: false, missingField: field };
      }
      let message = allowed.length === 1 ? `expected ${allowed[0]}${got(issue)}` : `expected one of ${allowed.join(', ')}${got(issue)}`;
      if (typeof issue.input === 'string') {
        const suggestion = closestMatch(issue.input, issue.values.map(String));
        if (suggestion) message += ` — did you mean ${suggestion}?`;
      }
      return { path, message, pointAtKey: false };
    }
    case 'invalid_union': {
      // If exactly one alternative had the right type and failed deeper inside, that alternative is
      // what the author meant: report its problem instead of a vague "invalid input".
      const plausible = issue.errors.filter((optionIssues) => !isRootTypeMismatch(optionIssues));
      const only = plausible.length === 1 ? plausible[0]![0] : undefined;
      if (only) return describeIssue(only, schema, path);
      if (issue.message && issue.message !== 'Invalid input') {
        return { path, message: `${issue.message}${got(issue)}`, pointAtKey: false };
      }
      const expected = new Set<string>();
      for (const optionIssues of issue.errors) {
        for (const i of optionIssues) {
          if (i.path.length) continue;
          if (i.code === 'invalid_type') expected.add(expectedName(i.expected));
          // A nested union with its own wording, e.g. "expected a length like 12mm or 10.5pt".
          else if (i.code === 'invalid_union' && i.message.startsWith('expected ')) expected.add(i.message.slice('expected '.length));
        }
      }
      const list = [...expected];
      const alternatives =
        list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : (list[0] ?? 'a different value');
      const field = path[path.length - 1];
      if (issue.input === undefined && typeof field === 'string') {
        return {
          path,
          message: `missing required field ${quote(field)} (expected ${alternatives})`,
          pointAtKey: false,
          missingField: field,
        };
      }
      return { path, message: `expected ${alternatives}${got(issue)}`, pointAtKey: false };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        return { path, message: min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`, pointAtKey: false };
      }
      if (issue.origin === 'array')
        return { path, message: `expected a list of at least ${items(min)}${gotList(issue)}`, pointAtKey: false };
      return { path, message: `expected a number ${issue.inclusive ? '≥' : '>'} ${min}${got(issue)}`, pointAtKey: false };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return { path, message: `must be at most ${max} characters long`, pointAtKey: false };
      if (issue.origin === 'array')
        return { path, message: `expected a list of at most ${items(max)}${gotList(issue)}`, pointAtKey: false };
      return { path, message: `expected a number ${issue.inclusive ? '≤' : '<'} ${max}${got(issue)}`, pointAtKey: false };
    }
    case 'invalid_format':
    case 'custom':
      return { path, message: `${issue.message}${got(issue)}`, pointAtKey: false };
    default:
      return { path, message: issue.message, pointAtKey: false };
  }
}
