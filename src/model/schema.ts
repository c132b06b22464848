/**
 * The public file formats, defined once as zod schemas; every TypeScript type for them is
 * derived with z.infer, and the JSON Schemas for editors are generated from the same source
 * (see jsonschema.ts). All objects are strict: an unknown field is an error, so a typo such as
 * `titel:` is reported instead of being silently ignored.
 */
import { z } from 'zod';
import { LENGTH_PATTERN, PAGE_SIZES, parseLength, type PageSizeName } from '../units.js';

// ---------------------------------------------------------------------------------------------
// Lengths

export const LENGTH_MESSAGE = 'expected a length like 12mm or 10.5pt';

/**
 * A length as written in YAML: a string with a unit (`mm`, `pt`, `in`, `cm`, `q`) or a bare
 * number meaning points. The regex makes the shape visible in the JSON Schema; the refine adds
 * what a regex cannot say (sign).
 */
function lengthSchema(kind: 'non-negative' | 'positive') {
  return z
    .union([z.number(), z.string().regex(LENGTH_PATTERN, { error: LENGTH_MESSAGE })], { error: LENGTH_MESSAGE })
    .refine(
      (value) => {
        const pt = parseLength(value);
        return pt !== null && (kind === 'positive' ? pt > 0 : pt >= 0);
      },
      { error: kind === 'positive' ? 'a length must be greater than zero' : 'a length must not be negative' },
    )
    .meta({
      id: kind === 'positive' ? 'positiveLength' : 'length',
      description: 'A length: a number with unit mm, cm, in, pt or q (e.g. 25mm, 10.5pt), or a bare number of points.',
    });
}

/** Margins, offsets, spacing: zero is fine. */
export const length = lengthSchema('non-negative');
/** Font sizes, page dimensions, rule thickness, logo width: must be > 0. */
export const positiveLength = lengthSchema('positive');

export type Length = z.infer<typeof length>;

// ---------------------------------------------------------------------------------------------
// Content files (content/*.yaml)

export const DATE_STYLES = ['wareki', 'western', 'literal'] as const;
export const dateStyleSchema = z.enum(DATE_STYLES);
export type DateStyle = z.infer<typeof dateStyleSchema>;

export const DIGIT_STYLES = ['fullwidth', 'halfwidth'] as const;
export const digitStyleSchema = z.enum(DIGIT_STYLES);
export type DigitStyle = z.infer<typeof digitStyleSchema>;

const pdfMetadataSchema = z
  .strictObject({
    title: z.string().optional(),
    author: z.string().optional(),
    subject: z.string().optional(),
    keywords: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .meta({ description: 'Document information written into the PDF.' });

/** One mail-merge record: column name → value. */
export const recipientRecordSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type RecipientRecord = z.infer<typeof recipientRecordSchema>;

export const contentSchema = z
  .strictObject({
    template: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Template name from templates/ (e.g. letter) or a path relative to this file. Default: letter.' }),
    date: z
      .string()
      .optional()
      .meta({ description: 'YYYY-MM or YYYY-MM-DD (printed as 和暦 by default), or any text printed as written.' }),
    dateStyle: dateStyleSchema
      .optional()
      .meta({ description: 'wareki (平成29年1月), western (2017年1月) or literal. Default: wareki for YYYY-MM[-DD], else literal.' }),
    sender: z.string().optional(),
    recipient: z.array(z.string()).optional().meta({ description: '宛名, one entry per line.' }),
    title: z.string().optional(),
    subtitle: z.string().optional(),
    body: z
      .string()
      .refine((text) => text.trim().length > 0, { error: 'body must not be empty' })
      .meta({ description: 'The text. Paragraphs are separated by a blank line; line breaks inside a paragraph are joined.' }),
    closing: z.string().optional().meta({ description: '結語, e.g. 敬具.' }),
    signature: z.array(z.string()).optional(),
    pdf: pdfMetadataSchema.optional(),
    recipients: z
      .union([z.string(), z.array(recipientRecordSchema)])
      .optional()
      .meta({ description: 'Mail merge: a list of records, or a path (relative to this file) to a CSV or YAML file.' }),
  })
  .meta({ title: 'kumihan content', description: 'A document to typeset with a kumihan template.' });

export type Content = z.infer<typeof contentSchema>;

// ---------------------------------------------------------------------------------------------
// Template files (templates/*.yaml)
//
// Optional parts a derived template may want to switch off (`letterhead: null`) are nullish, so
// editors accept the null. The loader removes null values while merging, so after loading they
// behave exactly like absent fields.

export const PAGE_SIZE_NAMES = Object.keys(PAGE_SIZES) as [PageSizeName, ...PageSizeName[]];
export const ALIGNS = ['start', 'center', 'end'] as const;
export const alignSchema = z.enum(ALIGNS);
export type Align = z.infer<typeof alignSchema>;

const marginSidesSchema = z.strictObject({
  top: length,
  bottom: length,
  left: length,
  right: length,
});

const pageSchema = z.strictObject({
  size: z
    .union([z.enum(PAGE_SIZE_NAMES), z.tuple([positiveLength, positiveLength])])
    .meta({ description: 'A3, A4, A5, B5 (JIS), B6, Letter, or [width, height] such as [210mm, 297mm].' }),
  orientation: z.enum(['portrait', 'landscape']).default('portrait'),
  margins: z
    .union([length, marginSidesSchema])
    .meta({ description: 'One length for all four sides, or {top, bottom, left, right}.' }),
});

const fontSchema = z.strictObject({
  file: z
    .string()
    .min(1)
    .meta({ description: "A file name in kumihan's fonts/ directory, or a path relative to this template." }),
  latin: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Optional proportional companion font used for Latin text.' }),
});

const bodySchema = z.strictObject({
  font: z.string().min(1).meta({ description: 'A key of `fonts`.' }),
  size: positiveLength,
  charsPerLine: z.number().int().min(5).max(200).meta({ description: '字詰め: characters per line.' }),
  linesPerPage: z.number().int().min(1).meta({ description: '行数: lines per page.' }),
  indent: z.number().min(0).default(1).meta({ description: 'Paragraph indent in em.' }),
  lineBreak: z.enum(['strict', 'normal', 'loose']).default('strict').meta({ description: '禁則 strictness.' }),
  hangingPunctuation: z.boolean().default(false).meta({ description: 'ぶら下げ組み.' }),
  openingBracketIndent: z
    .enum(['jis', 'half', 'none'])
    .default('jis')
    .meta({ description: 'Indent of a paragraph starting with an opening bracket: jis = 1em (bracket set solid), half = 0.5em, none.' }),
  paragraphSpacing: z.number().min(0).default(0).meta({ description: 'Extra space between paragraphs, in lines.' }),
  spaceBefore: z
    .number()
    .min(0)
    .default(0)
    .meta({ description: 'Space between the header items and the body, in lines.' }),
  digits: digitStyleSchema.default('fullwidth').meta({ description: 'Digits in generated dates.' }),
});

export const HEADER_FIELDS = ['date', 'sender', 'title', 'subtitle', 'recipient'] as const;
export const AFTER_FIELDS = ['closing', 'signature', 'date', 'sender'] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];
export type AfterField = (typeof AFTER_FIELDS)[number];

/** A line (or lines) printed before or after the body, taken from a content field. */
function blockItemSchema<const F extends readonly [string, ...string[]]>(fields: F) {
  return z.strictObject({
    field: z.enum(fields),
    align: alignSchema,
    font: z.string().min(1).optional().meta({ description: 'A key of `fonts`; default: the body font.' }),
    size: positiveLength.optional().meta({ description: 'Default: the body size.' }),
    spaceBefore: z.number().min(0).default(0).meta({ description: 'Space before this item, in body lines.' }),
    indent: z
      .number()
      .min(0)
      .default(0)
      .meta({ description: 'Indent in em; for align: end it is the distance from the end edge (字上げ).' }),
  });
}

export const headerItemSchema = blockItemSchema(HEADER_FIELDS);
export const afterItemSchema = blockItemSchema(AFTER_FIELDS);
export type HeaderItem = z.infer<typeof headerItemSchema>;
export type AfterItem = z.infer<typeof afterItemSchema>;

const logoSchema = z.strictObject({
  file: z.string().min(1).meta({ description: 'Image file (PNG or JPEG), relative to this template.' }),
  width: positiveLength,
  position: z.enum(['left', 'right', 'center']).optional(),
});

const ruleSchema = z.union([
  z.boolean(),
  z.strictObject({
    thickness: positiveLength,
    color: z.string().min(1).optional(),
  }),
]);

const letterheadSchema = z
  .strictObject({
    name: z.string().optional(),
    nameFont: z.string().min(1).optional(),
    nameSize: positiveLength.optional(),
    address: z.array(z.string()).optional(),
    font: z.string().min(1).optional(),
    size: positiveLength.optional(),
    logo: logoSchema.nullish(),
    rule: ruleSchema.nullish(),
    align: alignSchema.optional(),
    spaceAfter: length.optional(),
  })
  .meta({ description: 'Printed at the top of page one.' });

/** Placeholders a page-number format may contain. */
export const PAGE_NUMBER_PLACEHOLDERS = ['{page}', '{pages}'] as const;

const footerSchema = z.strictObject({
  pageNumbers: z
    .string()
    .refine((format) => format === 'none' || /\{page\}/.test(format), {
      error: 'a page-number format must contain {page} (or be none)',
    })
    .refine((format) => (format.match(/\{[^}]*\}/g) ?? []).every((p) => (PAGE_NUMBER_PLACEHOLDERS as readonly string[]).includes(p)), {
      error: 'unknown placeholder in page-number format; use {page} and {pages}',
    })
    .nullish()
    .meta({ description: "Format such as '- {page} -' or '{page} / {pages}'; null or none for no page numbers." }),
  font: z.string().min(1).optional(),
  size: positiveLength.optional(),
  align: alignSchema.default('center'),
  offset: length.optional().meta({ description: 'Distance of the page-number baseline from the bottom edge; default: half the bottom margin.' }),
});

export const templateSchema = z
  .strictObject({
    extends: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'Template to start from: a name from templates/ or a path relative to this file.' }),
    page: pageSchema,
    fonts: z.record(z.string(), fontSchema).meta({ description: 'Font name → font file.' }),
    body: bodySchema,
    header: z.array(headerItemSchema).nullish().meta({ description: 'Printed before the body, in order.' }),
    after: z.array(afterItemSchema).nullish().meta({ description: 'Printed after the body, in order.' }),
    letterhead: letterheadSchema.nullish(),
    footer: footerSchema.nullish(),
  })
  .meta({ title: 'kumihan template', description: 'Page layout for kumihan documents.' });

export type Template = z.infer<typeof templateSchema>;
