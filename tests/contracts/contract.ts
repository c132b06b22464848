/**
 * Private contracts: kumihan reaches into fields and methods that pdfkit, fontkit and zod do not document
 * (they are pinned to exact versions in package.json for that reason). The tests in this directory
 * exercise each of them against the installed library, and fail with a message that says which package
 * changed what, and which file of kumihan relies on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/files.js';

/** The version of `pkg` installed in node_modules. */
export function installedVersion(pkg: string): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

type Kind = 'function' | 'object' | 'number' | 'string' | 'array';

const kindOf = (value: unknown): string => (Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);

/** Checks on one part (`subject`, e.g. "EmbeddedFont") of `pkg` that `file` relies on. */
export function contract(pkg: string, subject: string, file: string) {
  const fail = (what: string): never => {
    throw new Error(`${pkg} ${installedVersion(pkg)} changed ${subject}: ${what} — ${file} relies on it; re-check before upgrading`);
  };
  return {
    /** `object[field]` exists and is of the given kind. */
    field(object: unknown, field: string, kind: Kind): void {
      const value = (object as Record<string, unknown> | null | undefined)?.[field];
      if (value === undefined) fail(`field \`${field}\` is missing`);
      if (kindOf(value) !== kind) fail(`field \`${field}\` is a ${kindOf(value)}, not a ${kind}`);
    },
    /** A behaviour holds (`what` says which). */
    holds(condition: boolean, what: string): void {
      if (!condition) fail(what);
    },
  };
}
