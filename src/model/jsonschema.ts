/**
 * JSON Schemas for editors (yaml-language-server), generated from the zod schemas so the two
 * cannot drift apart. The generated files are committed in schemas/; tests/model/jsonschema.test.ts
 * fails when they are stale. Regenerate with
 *   UPDATE_SCHEMAS=1 npx vitest run tests/model/jsonschema.test.ts
 * or
 *   node scripts/gen-schemas.mjs
 */
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { findProjectRoot } from './load.js';
import { contentSchema, templateSchema } from './schema.js';
import { bookletSchema } from './booklet-schema.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

function toJsonSchema(schema: z.ZodMiniType): JsonObject {
  // io: 'input' describes what may be written in the file: fields with defaults are optional.
  return z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonObject;
}

/** Object keys sorted recursively, so the output does not depend on emission order. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: JsonObject = {};
  for (const [key, item] of Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) sorted[key] = sortKeys(item);
  return sorted;
}

/**
 * A template that `extends` another may set any subset of fields; only the merged result has to
 * be complete. So: drop every `required` — except inside list items (a header item is always
 * written whole, lists replace rather than merge).
 */
function withoutRequired(value: Json, insideListItem = false): Json {
  if (Array.isArray(value)) return value.map((item) => withoutRequired(item, insideListItem));
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'required' && !insideListItem) continue;
    out[key] = withoutRequired(child, insideListItem || key === 'items' || key === 'prefixItems');
  }
  return out;
}

export function contentJsonSchema(): JsonObject {
  return sortKeys(toJsonSchema(contentSchema)) as JsonObject;
}

export function bookletJsonSchema(): JsonObject {
  return sortKeys(toJsonSchema(bookletSchema)) as JsonObject;
}

export function templateJsonSchema(): JsonObject {
  const { $schema: _draft, $defs: sharedDefs = {}, title, description, ...complete } = toJsonSchema(templateSchema);
  return sortKeys({
    $schema: DRAFT,
    title: title ?? null,
    description: description ?? null,
    // A template without `extends` must be complete; one with `extends` is a partial layer.
    if: { required: ['extends'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a thenable
    then: { $ref: '#/$defs/templateLayer' },
    else: { $ref: '#/$defs/template' },
    $defs: {
      ...(sharedDefs as JsonObject),
      template: complete,
      templateLayer: withoutRequired(complete),
    },
  }) as JsonObject;
}

/** File name in schemas/ → file text. */
export function renderSchemaFiles(): Record<string, string> {
  const text = (schema: JsonObject) => JSON.stringify(schema, null, 2) + '\n';
  return {
    'booklet.schema.json': text(bookletJsonSchema()),
    'content.schema.json': text(contentJsonSchema()),
    'template.schema.json': text(templateJsonSchema()),
  };
}

export function defaultSchemaDir(): string {
  return path.join(findProjectRoot(), 'schemas');
}

/** Writes the schema files; returns the paths written. */
export function writeSchemaFiles(dir: string = defaultSchemaDir()): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(renderSchemaFiles()).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}

/** Schema files in `dir` that are missing or differ from what the zod schemas generate. */
export function staleSchemaFiles(dir: string = defaultSchemaDir()): string[] {
  return Object.entries(renderSchemaFiles())
    .filter(([name, text]) => {
      const file = path.join(dir, name);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
    })
    .map(([name]) => path.join(dir, name));
}
