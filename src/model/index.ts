/** The document model: content and template files, validated and resolved. */
export { loadDocument, loadTemplateOnly, findProjectRoot, DEFAULT_TEMPLATE, type LoadedDocument, type LoadOptions } from './load.js';
export { splitParagraphs, splitParagraphsWithOffsets, type ParagraphSpan } from './paragraphs.js';
export { formatDate, parseCalendarDate, defaultDateStyle, eraOf, toFullwidthDigits, type CalendarDate } from './date.js';
export type {
  ResolvedTemplate,
  ResolvedFont,
  ResolvedBlockItem,
  ResolvedLetterhead,
  ResolvedFooter,
} from './template.js';
export {
  contentSchema,
  templateSchema,
  type Content,
  type Template,
  type DateStyle,
  type DigitStyle,
  type Align,
  type HeaderField,
  type AfterField,
  type RecipientRecord,
} from './schema.js';
export { renderSchemaFiles, writeSchemaFiles, staleSchemaFiles } from './jsonschema.js';
