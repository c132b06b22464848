/**
 * The booklet file (記念誌): a content file with `sections:` and no `body:`. Its field names are the public
 * interface (issue 11); the JSON Schema for editors (schemas/booklet.schema.json) is generated from this.
 * Objects are strict, as in schema.ts: an unknown field is an error.
 */
import * as z from 'zod/mini';
import { dateStyleSchema, pdfMetadataSchema, START_ON, WRITING_MODES } from './schema.js';

export const PHOTO_WIDTHS = ['full', 'half'] as const;

/**
 * The booklet file's schema, built when a booklet is first read (z.lazy), not when a letter build starts
 * (see bookletTemplateSchema in schema.ts).
 */
export const bookletSchema = z.lazy(() => {
  /** Text that prints: not empty, and not spaces alone (a title of "　" would set an empty heading). */
  const SPACES_ONLY = 'has only spaces: write its text, or leave the field out';
  const printedText = (error = SPACES_ONLY) =>
    z.string().check(
      z.minLength(1),
      z.refine((v) => v.trim() !== '', { error }),
    );
  /** A date as YAML may read it: 1992-01-26 and 1992-01 are strings, a bare year 1992 a number. */
  const dateField = z.union([z.string().check(z.minLength(1)), z.number().check(z.int())]);

  const chronologyRowSchema = z.strictObject({
    date: dateField.register(z.globalRegistry, {
      description: 'YYYY-MM-DD, YYYY-MM or YYYY (printed in the booklet dateStyle), or any text printed as written.',
    }),
    text: z.string().check(z.minLength(1)),
  });

  const photoSchema = z.strictObject({
    file: z
      .string()
      .check(z.minLength(1))
      .register(z.globalRegistry, { description: 'A PNG or JPEG file, relative to the booklet file. Embedded as it is, never resampled.' }),
    caption: z.optional(z.string()),
    width: z.optional(z.enum(PHOTO_WIDTHS)).register(z.globalRegistry, {
      description:
        'full: the width of the text block; half: half of it. Default: full for a landscape photo, half for an upright or square one (and for any that would not fit a page at full width).',
    }),
  });

  const sectionSchema = z
    .strictObject({
      file: z.optional(z.string().check(z.minLength(1))).register(z.globalRegistry, {
        description:
          'A letter content file (relative to this file) set as an article: title, subtitle, sender as byline, date, body, closing, signature.',
      }),
      // "" is a section without a title (over a letter file's own); spaces alone are a mistake.
      title: z.optional(z.string().check(z.refine((v) => v === '' || v.trim() !== '', { error: SPACES_ONLY }))).register(z.globalRegistry, {
        description: 'The section title (contents, outline, running head); "" for none. With file: overrides the title the file has.',
      }),
      subtitle: z.optional(z.string()),
      runningHead: z.optional(printedText()).register(z.globalRegistry, {
        description:
          "A shorter title for the running heads ({section}) of the section's pages, for a title too long for one line there. Default: the title.",
      }),
      author: z.optional(z.string()).register(z.globalRegistry, { description: 'Byline, set flush with the line end under the title.' }),
      body: z.optional(z.string()).register(z.globalRegistry, {
        description: 'Text, with the same markup as a letter body (paragraphs, lists, 記書き, breaks).',
      }),
      chronology: z.optional(z.array(chronologyRowSchema)).register(z.globalRegistry, {
        description: '年表: rows of date and text, set as a two-column table.',
      }),
      photos: z.optional(z.array(photoSchema)).register(z.globalRegistry, { description: 'Photos with captions.' }),
      startOn: z.optional(z.enum(START_ON)).register(z.globalRegistry, {
        description:
          "odd: start on the next odd page (改丁); right or left: on the next page of that side; any: on the next page. Default: the template's booklet.startOn.",
      }),
      writingMode: z.optional(z.enum(WRITING_MODES)).register(z.globalRegistry, {
        description:
          "horizontal-tb or vertical-rl: how this section is set, in the booklet's 版面 with its line pitch (字詰め and 行数 follow from them). Default: the template's body.writingMode.",
      }),
    })
    .register(z.globalRegistry, { description: 'A section: a letter file, or a title with body, chronology and/or photos.' });

  return z
    .strictObject({
      template: z.optional(z.string().check(z.minLength(1))).register(z.globalRegistry, {
        description: 'Template name from templates/ or a path relative to this file. Default: booklet.',
      }),
      title: printedText('has only spaces: write the booklet title').register(z.globalRegistry, {
        description: 'The booklet title: cover, running heads, colophon.',
      }),
      runningHead: z.optional(printedText()).register(z.globalRegistry, {
        description:
          'A shorter booklet title for the running heads ({title}), for a title too long for one line there. Default: the title.',
      }),
      subtitle: z.optional(z.string()),
      issuer: z.optional(z.string()).register(z.globalRegistry, { description: '発行者: on the cover and as the PDF author.' }),
      date: z
        .optional(z.string())
        .register(z.globalRegistry, { description: 'Date of issue: YYYY-MM-DD or YYYY-MM, or any text printed as written.' }),
      dateStyle: z.optional(dateStyleSchema).register(z.globalRegistry, {
        description: 'wareki, western or literal: the date of issue, the chronology and the articles. Default: wareki for YYYY-MM[-DD].',
      }),
      cover: z.optional(
        z.strictObject({
          image: z.optional(z.string().check(z.minLength(1))).register(z.globalRegistry, {
            description: 'A PNG or JPEG that fills the cover page (the title is set on a white panel over it).',
          }),
        }),
      ),
      contents: z._default(z.boolean(), true).register(z.globalRegistry, { description: '目次 after the cover. Default: true.' }),
      sections: z.array(sectionSchema).check(z.minLength(1, { error: 'a booklet needs at least one section' })),
      colophon: z.optional(z.array(z.tuple([z.string(), z.string()]))).register(z.globalRegistry, {
        description: '奥付: [label, value] lines at the foot of the last page.',
      }),
      pdf: z.optional(pdfMetadataSchema),
    })
    .register(z.globalRegistry, { title: 'kumihan booklet', description: 'A commemorative booklet (記念誌) made of sections.' });
});

export type Booklet = z.infer<typeof bookletSchema>;
export type BookletSection = Booklet['sections'][number];

/** A parsed content file is a booklet when it has sections and no body. */
export function isBookletData(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && 'sections' in data && !('body' in data);
}
