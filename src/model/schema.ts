/**
 * The public file formats, defined once as zod schemas; every TypeScript type for them is
 * derived with z.infer, and the JSON Schemas for editors are generated from the same source
 * (see jsonschema.ts). All objects are strict: an unknown field is an error, so a typo such as
 * `titel:` is reported instead of being silently ignored.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { LENGTH_PATTERN, PAGE_SIZES, parseLength, type PageSizeName } from '../units.js';

// zod/mini: the same core schemas as classic zod without its method-laden classes, so the CLI
// bundle carries and loads a fraction of zod. Use only its top-level functions at run time
// (z.string, z.optional, z.config, …): reading a namespace such as `z.core` or `z.locales` would
// pull all of it back into the bundle.
//
// zod/mini registers no message locale, where classic zod registers English on first use.
// kumihan words its messages itself but passes a few of zod's through (issues.ts), so they stay
// in English as before.
if (!z.config().localeError) z.config(en());

// ---------------------------------------------------------------------------------------------
// Lengths

export const LENGTH_MESSAGE = 'expected a length like 12mm or 10.5pt';

/**
 * A length as written in YAML: a string with a unit (`mm`, `pt`, `in`, `cm`, `q`) or a bare
 * number meaning points. The regex makes the shape visible in the JSON Schema; the refine adds
 * what a regex cannot say (sign).
 */
function lengthSchema(kind: 'non-negative' | 'positive' | 'pageSide') {
  const positive = kind !== 'non-negative';
  let schema = z.union([z.number(), z.string().check(z.regex(LENGTH_PATTERN, { error: LENGTH_MESSAGE }))], { error: LENGTH_MESSAGE }).check(
    z.refine(
      (value) => {
        // A value that is not a length at all has its message from the union already.
        const pt = parseLength(value);
        return pt === null || (positive ? pt > 0 : pt >= 0);
      },
      { error: positive ? 'a length must be greater than zero' : 'a length must not be negative' },
    ),
  );
  if (kind === 'pageSide')
    schema = schema.check(
      z.refine((value) => (parseLength(value) ?? 0) <= MAX_PAGE_SIDE_PT + 1e-6, {
        error: 'a page side may be at most 5080mm (200in): the largest page a PDF holds',
      }),
    );
  return schema.register(z.globalRegistry, {
    id: kind === 'non-negative' ? 'length' : kind === 'positive' ? 'positiveLength' : 'pageSide',
    description:
      kind === 'pageSide'
        ? 'A page width or height, at most 5080mm: a number with unit mm, cm, in, pt or q, or a bare number of points.'
        : 'A length: a number with unit mm, cm, in, pt or q (e.g. 25mm, 10.5pt), or a bare number of points.',
  });
}

/** The largest page side a PDF holds: 14,400 units, 200 in (ISO 32000-1, Annex C). */
const MAX_PAGE_SIDE_PT = 14400;

/** Margins, offsets, spacing: zero is fine. */
export const length = lengthSchema('non-negative');
/** Font sizes, page dimensions, rule thickness, logo width: must be > 0. */
export const positiveLength = lengthSchema('positive');

export type Length = z.infer<typeof length>;

/** A page's width or height: positive, and no larger than a PDF page can be. */
const pageSide = lengthSchema('pageSide');

/** A number of lines or ems that may be zero but not negative, with the default given (spacing, indents). */
function nonNegativeNumber(defaultValue: number, description: string) {
  return z._default(z.number().check(z.minimum(0)), defaultValue).register(z.globalRegistry, { description });
}

// ---------------------------------------------------------------------------------------------
// Content files (content/*.yaml)

export const DATE_STYLES = ['wareki', 'western', 'literal'] as const;
export const dateStyleSchema = z.enum(DATE_STYLES);
export type DateStyle = z.infer<typeof dateStyleSchema>;

/** 禁則 strictness, as CSS line-break names it for Japanese (src/text/linebreak.ts). */
export const LINE_BREAK_MODES = ['strict', 'normal', 'loose'] as const;
export type LineBreakMode = (typeof LINE_BREAK_MODES)[number];

/** A paragraph opening with a bracket (JLREQ §3.1.5 note; JIS X 4051): 1 em with the bracket solid, ½ em, or none. */
export const OPENING_BRACKET_INDENTS = ['jis', 'half', 'none'] as const;
export type OpeningBracketIndent = (typeof OPENING_BRACKET_INDENTS)[number];

/** Line adjustment (JLREQ §3.8) when a character may not start a line: prefer 追い込み or 追い出し. */
export const ADJUSTMENT_POLICIES = ['pushIn', 'pushOut'] as const;
export type AdjustmentPolicy = (typeof ADJUSTMENT_POLICIES)[number];

export const DIGIT_STYLES = ['fullwidth', 'halfwidth'] as const;
export const digitStyleSchema = z.enum(DIGIT_STYLES);
export type DigitStyle = z.infer<typeof digitStyleSchema>;

export const pdfMetadataSchema = z
  .strictObject({
    title: z.optional(z.string()),
    author: z.optional(z.string()),
    subject: z.optional(z.string()),
    keywords: z.optional(z.union([z.string(), z.array(z.string())])),
  })
  .register(z.globalRegistry, { description: 'Document information written into the PDF.' });

/** One mail-merge record: column name → value. */
export const recipientRecordSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type RecipientRecord = z.infer<typeof recipientRecordSchema>;

export const contentSchema = z
  .strictObject({
    template: z.optional(z.string().check(z.minLength(1))).register(z.globalRegistry, {
      description: 'Template name from templates/ (e.g. letter) or a path relative to this file. Default: letter.',
    }),
    date: z
      .optional(z.string())
      .register(z.globalRegistry, { description: 'YYYY-MM or YYYY-MM-DD (printed as 和暦 by default), or any text printed as written.' }),
    dateStyle: z.optional(dateStyleSchema).register(z.globalRegistry, {
      description: 'wareki (平成29年1月), western (2017年1月) or literal. Default: wareki for YYYY-MM[-DD], else literal.',
    }),
    sender: z.optional(z.string()),
    recipient: z.optional(z.array(z.string())).register(z.globalRegistry, { description: '宛名, one entry per line.' }),
    title: z.optional(z.string()),
    subtitle: z.optional(z.string()),
    body: z
      .string()
      .check(z.refine((text) => text.trim().length > 0, { error: 'body must not be empty' }))
      .register(z.globalRegistry, {
        description: 'The text. Paragraphs are separated by a blank line; line breaks inside a paragraph are joined.',
      }),
    opening: z.optional(z.string()).register(z.globalRegistry, {
      description: '頭語, e.g. 拝啓: set at the head of the body, followed by an ideographic space, unless the template places it.',
    }),
    closing: z.optional(z.string()).register(z.globalRegistry, { description: '結語, e.g. 敬具: flush with the line end.' }),
    signature: z.optional(z.array(z.string())),
    postscript: z
      .optional(z.string())
      .register(z.globalRegistry, { description: '追伸 (追って書き), after the signature. Paragraphs are separated by a blank line.' }),
    pdf: z.optional(pdfMetadataSchema),
    recipients: z.optional(z.union([z.string(), z.array(recipientRecordSchema)])).register(z.globalRegistry, {
      description: 'Mail merge: a list of records, or a path (relative to this file) to a CSV or YAML file.',
    }),
    recipientsEncoding: z.optional(z.enum(['utf-8', 'shift_jis', 'euc-jp'])).register(z.globalRegistry, {
      description:
        'Encoding of a CSV recipients file: utf-8, shift_jis (CP932, what Excel writes in Japan) or euc-jp. Default: detected (UTF-8 with or without BOM, else Shift_JIS or EUC-JP; a file that could be either is an error asking for this field).',
    }),
  })
  .register(z.globalRegistry, { title: 'kumihan content', description: 'A document to typeset with a kumihan template.' });

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

/**
 * Margins of facing pages (見開き): のど (inner, at the binding) and 小口 (outer, at the fore-edge) instead of
 * left and right; a right-hand page has the inner margin on its left, a left-hand page on its right.
 */
const facingMarginsSchema = z.strictObject({
  top: length,
  bottom: length,
  inner: length,
  outer: length,
});

/** The edge a book is bound at: left (左綴じ, horizontal text) or right (右綴じ, vertical text). */
export const BINDINGS = ['left', 'right'] as const;
export type Binding = (typeof BINDINGS)[number];

const pageSchema = z.strictObject({
  size: z
    .union([z.enum(PAGE_SIZE_NAMES), z.tuple([pageSide, pageSide])])
    .register(z.globalRegistry, { description: 'A3, A4, A5, B5 (JIS), B6, Letter, or [width, height] such as [210mm, 297mm].' }),
  orientation: z._default(z.enum(['portrait', 'landscape']), 'portrait'),
  margins: z.union([length, marginSidesSchema, facingMarginsSchema]).register(z.globalRegistry, {
    description:
      'One length for all four sides, {top, bottom, left, right}, or for facing pages {top, bottom, inner, outer} (のど and 小口, mirrored on left and right pages).',
  }),
  binding: z.optional(z.enum(BINDINGS)).register(z.globalRegistry, {
    description:
      'Facing pages: the edge the pages are bound at. left (左綴じ): page 1 is a right-hand page, pages turn right to left; right (右綴じ): page 1 is a left-hand page, pages progress right to left (/Direction /R2L). Default: left for horizontal-tb text, right for vertical-rl.',
  }),
});

const fontSchema = z.strictObject({
  file: z
    .string()
    .check(z.minLength(1))
    .register(z.globalRegistry, { description: "A file name in kumihan's fonts/ directory, or a path relative to this template." }),
  latin: z
    .optional(z.string().check(z.minLength(1)))
    .register(z.globalRegistry, { description: 'Optional proportional companion font used for Latin text.' }),
  fallback: z.optional(z.array(z.string().check(z.minLength(1)))).register(z.globalRegistry, {
    description:
      'Fonts tried in order for a character (or an ideographic variation sequence) the face does not have, e.g. [HanaMinA.ttf] for 𠮷.',
  }),
});

/** Writing modes, by their CSS names: horizontal lines top to bottom, or vertical columns right to left (縦組み). */
export const WRITING_MODES = ['horizontal-tb', 'vertical-rl'] as const;
export type WritingModeName = (typeof WRITING_MODES)[number];

const bodySchema = z.strictObject({
  font: z.string().check(z.minLength(1)).register(z.globalRegistry, { description: 'A key of `fonts`.' }),
  size: positiveLength,
  charsPerLine: z
    .number()
    .check(z.int(), z.minimum(5), z.maximum(200))
    .register(z.globalRegistry, { description: '字詰め: characters per line.' }),
  linesPerPage: z.number().check(z.int(), z.minimum(1)).register(z.globalRegistry, { description: '行数: lines per page.' }),
  indent: nonNegativeNumber(1, 'Paragraph indent in em.'),
  lineBreak: z._default(z.enum(LINE_BREAK_MODES), 'strict').register(z.globalRegistry, { description: '禁則 strictness.' }),
  hangingPunctuation: z._default(z.boolean(), false).register(z.globalRegistry, { description: 'ぶら下げ組み.' }),
  adjustment: z._default(z.enum(ADJUSTMENT_POLICIES), 'pushIn').register(z.globalRegistry, {
    description:
      'Line adjustment (JLREQ 3.8) when a character may not start a line: pushIn = prefer 追い込み (squeeze punctuation a little), pushOut = prefer 追い出し (space the letters a little), as LuaTeX-ja does.',
  }),
  openingBracketIndent: z._default(z.enum(OPENING_BRACKET_INDENTS), 'jis').register(z.globalRegistry, {
    description: 'Indent of a paragraph starting with an opening bracket: jis = 1em (bracket set solid), half = 0.5em, none.',
  }),
  paragraphSpacing: nonNegativeNumber(0, 'Extra space between paragraphs, in lines.'),
  spaceBefore: nonNegativeNumber(0, 'Space between the header items and the body, in lines.'),
  digits: z._default(digitStyleSchema, 'fullwidth').register(z.globalRegistry, { description: 'Digits in generated dates.' }),
  writingMode: z._default(z.enum(WRITING_MODES), 'horizontal-tb').register(z.globalRegistry, {
    description:
      'horizontal-tb: lines top to bottom (横組み); vertical-rl: columns top to bottom, right to left (縦組み), charsPerLine down the column and linesPerPage columns.',
  }),
  tateChuYoko: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(4)), 2).register(z.globalRegistry, {
    description:
      '縦中横 in vertical text: runs of up to this many half-width digits (a sign before them included: −5, ¥5) are set across the column in one em, as are one or two half-width ! ? standing alone (0: off, at most 4).',
  }),
});

export type TemplateBody = z.infer<typeof bodySchema>;

export const HEADER_FIELDS = ['date', 'sender', 'title', 'subtitle', 'recipient', 'opening'] as const;
export const AFTER_FIELDS = ['closing', 'signature', 'date', 'sender', 'recipient', 'postscript'] as const;
export type HeaderField = (typeof HEADER_FIELDS)[number];
export type AfterField = (typeof AFTER_FIELDS)[number];

/** A line (or lines) printed before or after the body, taken from a content field. */
function blockItemSchema<const F extends readonly [string, ...string[]]>(fields: F) {
  return z.strictObject({
    field: z.enum(fields),
    align: alignSchema,
    font: z
      .optional(z.string().check(z.minLength(1)))
      .register(z.globalRegistry, { description: 'A key of `fonts`; default: the body font.' }),
    size: z.optional(positiveLength).register(z.globalRegistry, { description: 'Default: the body size.' }),
    spaceBefore: nonNegativeNumber(0, 'Space before this item, in body lines.'),
    indent: nonNegativeNumber(0, 'Indent in em; for align: end it is the distance from the end edge (字上げ).'),
  });
}

export const headerItemSchema = blockItemSchema(HEADER_FIELDS);
export const afterItemSchema = blockItemSchema(AFTER_FIELDS);
export type HeaderItem = z.infer<typeof headerItemSchema>;
export type AfterItem = z.infer<typeof afterItemSchema>;

const logoSchema = z.strictObject({
  file: z
    .string()
    .check(z.minLength(1))
    .register(z.globalRegistry, { description: 'Image file (PNG or JPEG), relative to this template.' }),
  width: positiveLength,
  position: z.optional(z.enum(['left', 'right', 'center'])),
});

/** `#rrggbb` (screen colour) or `cmyk(c, m, y, k)` in percent (press colour): see src/pdf/colour.ts. */
export const COLOUR_PATTERN = /^(#[0-9a-fA-F]{6}|cmyk\(\s*\d+(\.\d+)?\s*(,\s*\d+(\.\d+)?\s*){3}\))$/;
export const colourSchema = z
  .string()
  .check(
    z.regex(COLOUR_PATTERN, { error: 'expected a colour like #b01e2d or cmyk(0, 100, 100, 0)' }),
    z.refine((text) => !text.startsWith('cmyk') || (text.match(/[\d.]+/g) ?? []).every((v) => Number(v) <= 100), {
      error: 'cmyk() takes four percentages from 0 to 100',
    }),
  )
  .register(z.globalRegistry, {
    id: 'colour',
    description: '#rrggbb, or cmyk(c, m, y, k) in percent; each is converted once for the other output (see print).',
  });

const ruleSchema = z.union([
  z.boolean(),
  z.strictObject({
    thickness: positiveLength,
    color: z.optional(colourSchema),
  }),
]);

const letterheadSchema = z
  .strictObject({
    name: z.optional(z.string()),
    nameFont: z.optional(z.string().check(z.minLength(1))),
    nameSize: z.optional(positiveLength),
    address: z.optional(z.array(z.string())),
    font: z.optional(z.string().check(z.minLength(1))),
    size: z.optional(positiveLength),
    logo: z.nullish(logoSchema),
    rule: z.nullish(ruleSchema),
    align: z.optional(alignSchema),
    spaceAfter: z.optional(length),
  })
  .register(z.globalRegistry, { description: 'Printed at the top of page one.' });

const kigakiSchema = z
  .strictObject({
    indent: nonNegativeNumber(2, 'Indent of the items of a 記書き block, in em.'),
    closingFirst: z._default(z.boolean(), true).register(z.globalRegistry, {
      description: 'Set the 結語 (closing) before the 記書き block, as most business letters do; false: after it.',
    }),
  })
  .register(z.globalRegistry, { description: 'The 記 … 以上 block of the body.' });

const continuationSchema = z
  .strictObject({
    text: z.string().check(z.minLength(1)).register(z.globalRegistry, {
      description:
        "A line at the head of every page after the first, e.g. '{recipient}　{page} / {pages}'. Placeholders: {page}, {pages}, {recipient}, {title}, {sender}, {date}.",
    }),
    font: z.optional(z.string().check(z.minLength(1))),
    size: z.optional(positiveLength),
    align: z._default(alignSchema, 'end'),
    offset: z
      .optional(length)
      .register(z.globalRegistry, { description: 'Distance of the baseline from the top edge; default: half the top margin.' }),
  })
  .register(z.globalRegistry, { description: 'A header on continuation pages (the pages after the first).' });

/** Placeholders a page-number format may contain. */
export const PAGE_NUMBER_PLACEHOLDERS = ['{page}', '{pages}'] as const;

const footerSchema = z.strictObject({
  pageNumbers: z
    .nullish(
      z.string().check(
        z.refine((format) => format === 'none' || /\{page\}/.test(format), {
          error: 'a page-number format must contain {page} (or be none)',
        }),
        z.refine((format) => (format.match(/\{[^}]*\}/g) ?? []).every((p) => (PAGE_NUMBER_PLACEHOLDERS as readonly string[]).includes(p)), {
          error: 'unknown placeholder in page-number format; use {page} and {pages}',
        }),
      ),
    )
    .register(z.globalRegistry, {
      description:
        "Format such as '- {page} -' or '{page} / {pages}', set on every page of a letter of more than one; null or none for no page numbers.",
    }),
  font: z.optional(z.string().check(z.minLength(1))),
  size: z.optional(positiveLength),
  align: z._default(alignSchema, 'center'),
  offset: z.optional(length).register(z.globalRegistry, {
    description: 'Distance of the page-number baseline from the bottom edge; default: half the bottom margin.',
  }),
});

/** What a press PDF conforms to (src/pdf/print.ts); `none` writes boxes and marks only. */
export const PRINT_STANDARDS = ['PDF/X-1a', 'PDF/X-4', 'none'] as const;
export type PrintStandard = (typeof PRINT_STANDARDS)[number];
/** トンボ: Japanese double corner marks and centre marks, or none (a page of trim + bleed). */
export const TRIM_MARKS = ['japanese', 'none'] as const;
export type TrimMarks = (typeof TRIM_MARKS)[number];

// Built on first use (z.lazy) like the booklet part below: only press builds read it.
const printSchema = z.lazy(() =>
  z
    .strictObject({
      bleed: z._default(length, '3mm').register(z.globalRegistry, {
        description: '塗り足し: the BleedBox is the TrimBox grown by this on every side; what touches the trim extends into it.',
      }),
      marks: z._default(z.enum(TRIM_MARKS), 'japanese').register(z.globalRegistry, {
        description: 'トンボ: japanese = double corner marks and centre marks outside the bleed; none = the page is trim + bleed.',
      }),
      standard: z._default(z.enum(PRINT_STANDARDS), 'PDF/X-1a').register(z.globalRegistry, {
        description: 'PDF/X-1a (PDF/X-1a:2001, PDF 1.3), PDF/X-4 (PDF 1.6, needs an output profile), or none.',
      }),
      outputCondition: z._default(z.string().check(z.minLength(1)), 'JC200103').register(z.globalRegistry, {
        description:
          'The printing condition: a registered name (JC200103 = Japan Color 2001 Coated, FOGRA39) or an ICC output profile file (.icc), relative to this template.',
      }),
      saddleStitch: z._default(z.boolean(), false).register(z.globalRegistry, {
        description: '中綴じ: pad the press PDF with blank pages to a multiple of 4 (with a notice); preflight checks the count.',
      }),
    })
    .register(z.globalRegistry, {
      description: 'Print-ready output: the build also writes <name>.print.pdf for the press (see README: Sending it to the printer).',
    }),
);
// ---------------------------------------------------------------------------------------------
// Booklets (記念誌): what a template says about a booklet's pages. Only booklets read it.

/**
 * Where a section starts: on the next odd page (改丁: the right-hand page of a book bound on the left, the
 * left-hand page of one bound on the right), on the next right- or left-hand page (a blank page is
 * inserted where needed), or on the next page (改ページ).
 */
export const START_ON = ['odd', 'right', 'left', 'any'] as const;
export type StartOn = (typeof START_ON)[number];

/** Furniture placed along the head or foot: at the outer (小口) or inner (のど) end of the text block, or centred. */
export const FURNITURE_ALIGNS = ['outer', 'inner', 'center'] as const;
export type FurnitureAlign = (typeof FURNITURE_ALIGNS)[number];

/**
 * Built the first time a template has `booklet:` (or the JSON Schema is generated), not on every start: zod
 * makes a schema's objects when it is declared (~20 µs each in a fresh process; ~90 in the booklet and print
 * parts), and z.lazy's getter is never called for an absent optional field.
 */
const bookletTemplateSchema = z.lazy(() => {
  const runningHeadsSchema = z
    .strictObject({
      left: z._default(z.string(), '{title}').register(z.globalRegistry, {
        description:
          'Running head (柱) of left-hand pages: {title} (the booklet), {section} (the section in force), or any text; empty for none.',
      }),
      right: z._default(z.string(), '{section}').register(z.globalRegistry, { description: 'Running head of right-hand pages.' }),
      font: z.optional(z.string().check(z.minLength(1))),
      size: z.optional(positiveLength),
      align: z._default(z.enum(FURNITURE_ALIGNS), 'outer'),
      offset: z
        .optional(length)
        .register(z.globalRegistry, { description: 'Distance of the baseline from the top edge; default: half the top margin.' }),
    })
    .register(z.globalRegistry, { description: 'Running heads (柱); null for none.' });

  const foliosSchema = z
    .strictObject({
      format: z._default(
        z.string().check(z.refine((format) => /\{page\}/.test(format), { error: 'a folio format must contain {page}' })),
        '{page}',
      ),
      font: z.optional(z.string().check(z.minLength(1))),
      size: z.optional(positiveLength),
      align: z._default(z.enum(FURNITURE_ALIGNS), 'outer'),
      offset: z.optional(length).register(z.globalRegistry, {
        description: 'Distance of the baseline from the bottom edge; default: half the bottom margin.',
      }),
    })
    .register(z.globalRegistry, { description: 'Folios (ノンブル) at the foot of the page; null for none.' });

  return z
    .strictObject({
      startOn: z._default(z.enum(START_ON), 'odd').register(z.globalRegistry, {
        description:
          'Where each section starts: odd (改丁, the next odd page: right-hand when bound on the left, left-hand when bound on the right), right or left (the next page of that side), inserting a blank page where needed; or any (the next page).',
      }),
      runningHeads: z.nullish(runningHeadsSchema),
      folios: z.nullish(foliosSchema),
      heading: z._default(
        z.strictObject({
          font: z.optional(z.string().check(z.minLength(1))),
          size: z.optional(positiveLength),
          lines: z._default(z.number().check(z.int(), z.minimum(1)), 3).register(z.globalRegistry, {
            description: '行取り: grid lines a section title takes (it is centred in them).',
          }),
        }),
        { lines: 3 },
      ),
      titleSize: z.optional(positiveLength).register(z.globalRegistry, { description: 'Size of the booklet title on the cover.' }),
      contentsTitle: z._default(z.string(), '目次').register(z.globalRegistry, { description: 'Heading of the table of contents.' }),
      leader: z._default(z.string().check(z.minLength(1)), '・').register(z.globalRegistry, {
        description: 'Leader character between a contents entry and its page number (リーダー).',
      }),
      chronologyHeads: z._default(z.tuple([z.string(), z.string()]), ['年月日', '事項']).register(z.globalRegistry, {
        description: 'Column heads of a chronology (年表), repeated on every page it continues on.',
      }),
      captionSize: z
        .optional(positiveLength)
        .register(z.globalRegistry, { description: 'Size of photo captions; default: 0.85 × the body size.' }),
      minimumDpi: z._default(z.number().check(z.minimum(1)), 300).register(z.globalRegistry, {
        description: 'A photo whose effective resolution on the page is lower gets a warning.',
      }),
    })
    .register(z.globalRegistry, { description: 'Booklet pages (記念誌): section starts, running heads, folios, headings.' });
});

export type BookletTemplate = z.infer<typeof bookletTemplateSchema>;

export const templateSchema = z
  .strictObject({
    extends: z
      .optional(z.string().check(z.minLength(1)))
      .register(z.globalRegistry, { description: 'Template to start from: a name from templates/ or a path relative to this file.' }),
    page: pageSchema,
    fonts: z.record(z.string(), fontSchema).register(z.globalRegistry, { description: 'Font name → font file.' }),
    body: bodySchema,
    header: z.nullish(z.array(headerItemSchema)).register(z.globalRegistry, { description: 'Printed before the body, in order.' }),
    after: z.nullish(z.array(afterItemSchema)).register(z.globalRegistry, { description: 'Printed after the body, in order.' }),
    letterhead: z.nullish(letterheadSchema),
    footer: z.nullish(footerSchema),
    continuation: z.nullish(continuationSchema),
    kigaki: z._default(kigakiSchema, { indent: 2, closingFirst: true }),
    print: z.nullish(printSchema),
    booklet: z.nullish(bookletTemplateSchema),
  })
  .register(z.globalRegistry, { title: 'kumihan template', description: 'Page layout for kumihan documents.' });

export type Template = z.infer<typeof templateSchema>;
