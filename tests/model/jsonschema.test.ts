/**
 * schemas/*.schema.json are generated from the zod schemas and committed (editors read them).
 * This test fails when they are stale. To regenerate:
 *   UPDATE_SCHEMAS=1 npx vitest run tests/model/jsonschema.test.ts
 * (or: node scripts/gen-schemas.mjs)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  contentJsonSchema,
  renderSchemaFiles,
  staleSchemaFiles,
  templateJsonSchema,
  writeSchemaFiles,
} from '../../src/model/jsonschema.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemaDir = path.join(projectRoot, 'schemas');

describe('JSON Schemas', () => {
  test('committed schema files match the zod schemas', () => {
    if (process.env.UPDATE_SCHEMAS === '1') writeSchemaFiles(schemaDir);
    const stale = staleSchemaFiles(schemaDir).map((file) => path.relative(projectRoot, file));
    expect(
      stale,
      `stale JSON Schema files: ${stale.join(', ')}\nregenerate with: UPDATE_SCHEMAS=1 npx vitest run tests/model/jsonschema.test.ts`,
    ).toEqual([]);
  });

  test('generation is deterministic', () => {
    expect(renderSchemaFiles()).toEqual(renderSchemaFiles());
  });

  test('content schema: strict, body required, field names as documented', () => {
    const schema = contentJsonSchema() as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['body']);
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'body',
        'closing',
        'date',
        'dateStyle',
        'opening',
        'pdf',
        'postscript',
        'recipient',
        'recipients',
        'recipientsEncoding',
        'sender',
        'signature',
        'subtitle',
        'template',
        'title',
      ].sort(),
    );
  });

  test('template schema: complete without extends, partial with extends', () => {
    const schema = templateJsonSchema() as {
      if: unknown;
      $defs: Record<string, { required?: string[]; properties: Record<string, { required?: string[]; items?: { required?: string[] } }> }>;
    };
    expect(schema.if).toEqual({ required: ['extends'] });
    expect(schema.$defs.template.required).toEqual(expect.arrayContaining(['page', 'fonts', 'body']));
    expect(schema.$defs.templateLayer.required).toBeUndefined();
    expect(schema.$defs.templateLayer.properties.body.required).toBeUndefined();
    // List items replace rather than merge, so a header item is always complete.
    const headerLayer = schema.$defs.templateLayer.properties.header as unknown as { anyOf: { items?: { required?: string[] } }[] };
    const items = headerLayer.anyOf.find((option) => option.items)?.items;
    expect(items?.required).toEqual(['field', 'align']);
  });

  test('shipped templates and content point editors at the schemas', () => {
    for (const [dir, schema] of [
      ['templates', '../schemas/template.schema.json'],
      ['content', '../schemas/content.schema.json'],
    ]) {
      for (const name of fs.readdirSync(path.join(projectRoot, dir)).filter((f) => f.endsWith('.yaml'))) {
        const text = fs.readFileSync(path.join(projectRoot, dir, name), 'utf8');
        // A content file with sections (a booklet) has a schema of its own.
        const expected = dir === 'content' && /^sections:/m.test(text) ? '../schemas/booklet.schema.json' : schema;
        expect(text.split('\n')[0], `${dir}/${name}`).toBe(`# yaml-language-server: $schema=${expected}`);
      }
    }
  });
});
