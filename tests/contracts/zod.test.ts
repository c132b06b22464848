/**
 * zod internals that src/model/issues.ts relies on to suggest field names ("did you mean title?"): a
 * schema's definition `schema._zod.def`, its `type`, and the fields that lead to inner schemas for each
 * kind it walks through, and `_zod.innerType` of z.lazy (zod documents `_zod` as internal).
 */
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { allowedFieldsAt } from '../../src/model/issues.js';
import { bookletSchema } from '../../src/model/booklet-schema.js';
import { contentSchema, templateSchema } from '../../src/model/schema.js';
import { contract } from './contract.js';

const def = contract('zod', 'schema._zod.def', 'src/model/issues.ts');

const s = z.string();
/** [what, schema, the def's type, the field issues.ts follows, its kind]. */
const KINDS: [string, z.ZodMiniType, string, string, 'object' | 'array'][] = [
  ['z.object', z.object({ a: s }), 'object', 'shape', 'object'],
  ['z.strictObject', z.strictObject({ a: s }), 'object', 'shape', 'object'],
  ['z.array', z.array(s), 'array', 'element', 'object'],
  ['z.tuple', z.tuple([s]), 'tuple', 'items', 'array'],
  ['z.record', z.record(s, s), 'record', 'valueType', 'object'],
  ['z.optional', z.optional(s), 'optional', 'innerType', 'object'],
  ['z.nullable', z.nullable(s), 'nullable', 'innerType', 'object'],
  ['z._default', z._default(s, 'x'), 'default', 'innerType', 'object'],
  ['z.prefault', z.prefault(s, 'x'), 'prefault', 'innerType', 'object'],
  ['z.nonoptional', z.nonoptional(z.optional(s)), 'nonoptional', 'innerType', 'object'],
  ['z.readonly', z.readonly(s), 'readonly', 'innerType', 'object'],
  ['z.catch', z.catch(s, 'x'), 'catch', 'innerType', 'object'],
  ['z.pipe', z.pipe(s, s), 'pipe', 'in', 'object'],
  ['z.union', z.union([s, z.number()]), 'union', 'options', 'array'],
];

describe('schema._zod.def', () => {
  it.each(KINDS)('%s: def.type and the field to the inner schemas', (_what, schema, type, field, kind) => {
    def.field(schema, '_zod', 'object');
    def.field(schema._zod, 'def', 'object');
    const d = schema._zod.def as unknown as Record<string, unknown>;
    def.holds(d.type === type, `def.type of ${_what} is ${JSON.stringify(d.type)}, not "${type}"`);
    def.field(d, field, kind);
    const inner = kind === 'array' ? (d[field] as unknown[])[0] : field === 'shape' ? (d[field] as Record<string, unknown>).a : d[field];
    def.holds((inner as { _zod?: { def?: unknown } })?._zod?.def !== undefined, `def.${field} of ${_what} does not lead to a schema`);
  });

  it('lets issues.ts find the fields a content file or template allows, through wrappers, unions and records', () => {
    // What "did you mean" is made of: top-level fields, a nested (optional) object's, a record's values'.
    expect(allowedFieldsAt(contentSchema, [])).toEqual(expect.arrayContaining(['title', 'body', 'template', 'pdf']));
    expect(allowedFieldsAt(contentSchema, ['pdf'])).toEqual(expect.arrayContaining(['title', 'author']));
    expect(allowedFieldsAt(contentSchema, ['title'])).toEqual([]);
    expect(allowedFieldsAt(templateSchema, ['fonts', 'body']).sort()).toEqual(['fallback', 'file', 'latin']);
    expect(allowedFieldsAt(templateSchema, ['letterhead'])).toEqual(expect.arrayContaining(['name', 'logo']));
    // Parts built on first use (z.lazy): the booklet and print parts of a template, the booklet file.
    expect(allowedFieldsAt(templateSchema, ['booklet'])).toEqual(expect.arrayContaining(['startOn', 'runningHeads', 'folios']));
    expect(allowedFieldsAt(templateSchema, ['booklet', 'runningHeads'])).toEqual(expect.arrayContaining(['left', 'right']));
    expect(allowedFieldsAt(templateSchema, ['print'])).toEqual(expect.arrayContaining(['bleed', 'marks']));
    expect(allowedFieldsAt(bookletSchema, ['sections', 0])).toEqual(expect.arrayContaining(['title', 'body', 'photos']));
  });

  it('z.lazy: def.type "lazy", and _zod.innerType the schema its getter made, made once', () => {
    let made = 0;
    const lazy = z.lazy(() => {
      made++;
      return z.strictObject({ a: s });
    });
    def.holds((lazy._zod.def as unknown as { type: string }).type === 'lazy', 'def.type of z.lazy is not "lazy"');
    const inner = (lazy._zod as unknown as { innerType?: { _zod?: { def?: unknown } } }).innerType;
    def.holds(inner?._zod?.def !== undefined, '_zod.innerType of z.lazy does not lead to a schema');
    def.holds((lazy._zod as unknown as { innerType: unknown }).innerType === inner && made === 1, 'z.lazy makes its schema again');
  });
});
