/**
 * Loading a content file together with its template: everything the layout needs, validated,
 * with all lengths in points and every file path absolute — plus the means to point back into the
 * YAML source when a later stage finds a problem (a glyph missing from the font, say).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KumihanError, Problems, type SourceLocation } from '../errors.js';
import { defaultDateStyle, formatDate } from './date.js';
import { DEFAULT_LIMITS, type InputLimits } from './inputs.js';
import { isPlainObject } from './merge.js';
import { MarkupError, parseBody, type MarkupBlock } from './markup.js';
import { contentSchema, type Content, type DateStyle } from './schema.js';
import {
  displayPathFor,
  loadTemplate,
  locateInLayers,
  type ModelPaths,
  type ResolvedTemplate,
  type TemplateReference,
} from './template.js';
import { schemaError } from './validate.js';
import { isBookletData } from './booklet-schema.js';
import { inlineRuns } from './inline.js';
import { loadBooklet, type LoadedBooklet } from './booklet-load.js';
import {
  locateField,
  locateInField,
  locationAtOffset,
  parseYamlText,
  readYamlFile,
  recordsAsWritten,
  valueAsWritten,
  type FieldPath,
  type YamlFile,
} from './yamlfile.js';

export const DEFAULT_TEMPLATE = 'letter';

export interface LoadedDocument {
  /** As given by the caller. */
  contentPath: string;
  /** The validated content; `body` is the text as written (see `paragraphs`). */
  content: Content;
  /**
   * The body's text units in reading order (markup.ts): a plain paragraph is one unit, lines joined
   * (see splitParagraphs); a paragraph with hard breaks, a list item, a 記書き line are units of their own.
   */
  paragraphs: string[];
  /** The body's blocks (paragraphs, lists, 記書き), referring to `paragraphs` by index. */
  bodyBlocks: MarkupBlock[];
  /** All lengths in pt, fonts and logo as absolute paths, defaults filled. */
  template: ResolvedTemplate;
  /** Absolute path of every template file used, most derived first (for watch mode). */
  templateFiles: string[];
  /** content.date as it is to be printed (dateStyle and the template's digits applied). */
  dateText?: string;
  /** The style dateText was produced with (explicit or defaulted). */
  dateStyle?: DateStyle;
  /** Absolute path of the mail-merge data when content.recipients names a file. */
  recipientsFile?: string;
  /** The paths and the input policy the document was loaded with (the recipients file is read under it). */
  paths: ModelPaths;
  /** file/line/column of a content field, e.g. ['body'] or ['recipient', 1]. */
  locate(fieldPath: (string | number)[]): SourceLocation;
  /**
   * file/line/column of character `charIndex` (a UTF-16 index) of a content text field whose value is
   * `text` (yamlfile.ts locateInField): the field's start when `text` is not its value as written.
   */
  locateInField(fieldPath: (string | number)[], text: string, charIndex: number): SourceLocation;
  /** file/line/column of a template field, in the template file that set it, e.g. ['letterhead', 'name']. */
  locateTemplate(fieldPath: (string | number)[]): SourceLocation;
  /**
   * file/line/column in the content file of character `charIndex` (a UTF-16 index, as in
   * `paragraphs[paragraphIndex][charIndex]`) of a body paragraph. Exact for `|` block scalars;
   * best effort for `>` and plain or quoted strings.
   */
  locateBodyOffset(paragraphIndex: number, charIndex: number): SourceLocation;
  /** A booklet (a content file with sections and no body): its sections, loaded (booklet-load.ts). */
  booklet?: LoadedBooklet;
}

export interface LoadOptions {
  /** Directory holding templates/ and fonts/; default: the kumihan package. */
  projectRoot?: string;
  /** CLI --template: overrides the content's `template`; a path is relative to the working directory. */
  template?: string;
  /** Content text to use instead of reading contentPath (which still names it in messages). */
  source?: string;
  /**
   * The directory relative paths (the content path, --template) are resolved against and messages show
   * paths relative to; default: the process's working directory, read here at the model's entry only.
   */
  workingDirectory?: string;
  /**
   * The project root: every file content and templates use (templates, fonts, images, recipients) must
   * resolve inside it, symlinks followed; relative to the working directory; default: the working
   * directory. The package's own templates/ and fonts/ are always allowed, and so are the files the caller
   * names itself (the content file, the `template` option).
   */
  root?: string;
  /** Folders fonts may also come from (--font-path), searched after the package's fonts/. */
  fontPaths?: string[];
  /**
   * The content file was found (content/*.yaml), not named by the caller: it must lie inside the root like
   * every file it uses — a link in content/ to a file elsewhere is refused, not read.
   */
  contentFound?: boolean;
  /** Size limits per kind of file (default: DEFAULT_LIMITS). */
  limits?: Partial<InputLimits>;
}

/** The paths the model works with, from the caller's options (the only place the model reads process state). */
export function modelPaths(opts: Pick<LoadOptions, 'projectRoot' | 'workingDirectory' | 'root' | 'fontPaths' | 'limits'>): ModelPaths {
  const workingDirectory = path.resolve(opts.workingDirectory ?? process.cwd());
  const projectRoot = path.resolve(workingDirectory, opts.projectRoot ?? findProjectRoot());
  return {
    projectRoot,
    workingDirectory,
    inputs: {
      root: path.resolve(workingDirectory, opts.root ?? '.'),
      packageDirs: [path.join(projectRoot, 'templates'), path.join(projectRoot, 'fonts')],
      fontPaths: (opts.fontPaths ?? []).map((dir) => path.resolve(workingDirectory, dir)),
      limits: { ...DEFAULT_LIMITS, ...opts.limits },
    },
  };
}

let cachedProjectRoot: string | undefined;

/**
 * The kumihan package root: the nearest directory above this module that has templates/ and fonts/
 * (they ship with the package). Works from src/ under a TypeScript runner and from a bundle in dist/.
 */
export function findProjectRoot(): string {
  if (cachedProjectRoot) return cachedProjectRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const isRoot = ['templates', 'fonts'].every((sub) => fs.existsSync(path.join(dir, sub)));
    if (isRoot) return (cachedProjectRoot = dir);
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`kumihan: cannot find the package directory (with templates/ and fonts/) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function loadDocument(contentPath: string, opts: LoadOptions = {}): LoadedDocument {
  const paths = modelPaths(opts);
  const absolutePath = path.resolve(paths.workingDirectory, contentPath);
  const file =
    opts.source !== undefined
      ? parseYamlText(opts.source.replace(/^\uFEFF/, ''), absolutePath, contentPath)
      : readYamlFile(absolutePath, contentPath, 'content', paths.inputs, undefined, !opts.contentFound);

  if (file.data === null || file.data === undefined) {
    throw new KumihanError('schema', 'the content file is empty; it needs at least a body', { file: contentPath });
  }
  if (!isPlainObject(file.data)) {
    throw new KumihanError('schema', 'expected a mapping of fields (title:, body:, …) at the top of the content file', {
      ...locateField(file, []),
      path: undefined,
    });
  }
  if (isBookletData(file.data)) return loadBooklet(file, contentPath, paths, opts);
  const parsed = contentSchema.safeParse(file.data, { reportInput: true });
  if (!parsed.success) {
    throw refusedWithMarkup(file, parsed.error.issues, contentSchema, [['body']]);
  }
  const content = parsed.data;
  if (Array.isArray(content.recipients)) recordsAsWritten(file, ['recipients'], content.recipients);
  const locate = (fieldPath: FieldPath) => locateField(file, fieldPath);

  // The CLI override wins over the content's choice.
  const templateReference: TemplateReference =
    opts.template !== undefined
      ? { reference: opts.template, baseDir: paths.workingDirectory, named: true }
      : content.template !== undefined
        ? {
            reference: content.template,
            baseDir: path.dirname(absolutePath),
            referencedFrom: locate(['template']),
            referringFile: absolutePath,
          }
        : { reference: DEFAULT_TEMPLATE, baseDir: path.dirname(absolutePath), referencedFrom: { file: contentPath } };
  const { template, templateFiles, layers } = loadTemplate(templateReference, paths);

  // The body's blocks and the date, each of which can fail on its own: their problems are reported together,
  // with the inline markup of the fields and the body (which the document would read next), in one run.
  const problems = new Problems();
  const body = problems.collect(() => parseBodyField(file, content.body, ['body']), undefined);
  let date: { text: string; style: DateStyle } | undefined;
  if (content.date !== undefined) {
    const style = content.dateStyle ?? defaultDateStyle(content.date);
    date = problems.collect(() => {
      try {
        return { text: formatDate(content.date!, style, template.body.digits), style };
      } catch (err) {
        if (err instanceof KumihanError) throw new KumihanError(err.kind, err.message, locate(['date']));
        throw err;
      }
    }, undefined);
  }
  if (problems.found > 0 || !body) {
    problems.collect(() => checkMarkupAsWritten(file, [['body']]), undefined);
    problems.throwIfAny();
  }
  const loaded: LoadedDocument = {
    contentPath,
    content,
    paragraphs: body!.paragraphs,
    bodyBlocks: body!.bodyBlocks,
    template,
    templateFiles,
    paths,
    locate: (fieldPath) => locate(fieldPath),
    locateInField: (fieldPath, text, charIndex) => locateInField(file, fieldPath, text, charIndex),
    locateTemplate: (fieldPath) => locateInLayers(layers, fieldPath),
    locateBodyOffset: body!.locateOffset,
  };
  if (date) {
    loaded.dateText = date.text;
    loaded.dateStyle = date.style;
  }
  if (typeof content.recipients === 'string') {
    loaded.recipientsFile = path.resolve(path.dirname(absolutePath), content.recipients);
  }
  return loaded;
}

/** Loads only a template (e.g. to check one), by name or path. */
export function loadTemplateOnly(
  reference: string,
  opts: Pick<LoadOptions, 'projectRoot' | 'workingDirectory' | 'root' | 'fontPaths' | 'limits'> & { baseDir?: string } = {},
): { template: ResolvedTemplate; templateFiles: string[] } {
  const paths = modelPaths(opts);
  const { template, templateFiles } = loadTemplate(
    { reference, baseDir: path.resolve(paths.workingDirectory, opts.baseDir ?? '.') },
    paths,
  );
  return { template, templateFiles };
}

export { displayPathFor };

/** A body field parsed into markup blocks, with where each character of its text units is in the YAML source. */
export interface ParsedBodyField {
  paragraphs: string[];
  bodyBlocks: MarkupBlock[];
  /** file/line/column of character `charIndex` of text unit `paragraphIndex` (see LoadedDocument.locateBodyOffset). */
  locateOffset(paragraphIndex: number, charIndex: number): SourceLocation;
}

/** Parses the body markup of the field at `fieldPath` (a letter's body, a booklet section's); a markup error is located. */
export function parseBodyField(file: YamlFile, value: string, fieldPath: FieldPath): ParsedBodyField {
  const locate = () => locateField(file, fieldPath);
  const body = valueAsWritten(file, value, fieldPath);
  let markup: ReturnType<typeof parseBody>;
  try {
    markup = parseBody(body.text);
  } catch (e) {
    if (!(e instanceof MarkupError)) throw e;
    const sourceOffset = body.sourceOffsets[e.bodyOffset];
    throw new KumihanError('schema', e.message, sourceOffset === undefined ? locate() : locationAtOffset(file, sourceOffset, fieldPath));
  }
  const spans = markup.units;
  return {
    paragraphs: spans.map((span) => span.text),
    bodyBlocks: markup.blocks,
    locateOffset: (paragraphIndex, charIndex) => {
      const span = spans[paragraphIndex];
      if (!span || span.bodyOffsets.length === 0) return locate();
      const textOffset = span.bodyOffsets[Math.max(0, Math.min(charIndex, span.bodyOffsets.length - 1))]!;
      const sourceOffset = body.sourceOffsets[textOffset];
      return sourceOffset === undefined ? locate() : locationAtOffset(file, sourceOffset, fieldPath);
    },
  };
}

/**
 * A content or booklet file that its schema refused: the schema's problems, and with them those of the
 * markup of its fields and of the bodies at `bodies` as written (checkMarkupAsWritten), in one error, so
 * that the schema's do not hide them.
 */
export function refusedWithMarkup(
  file: YamlFile,
  issues: Parameters<typeof schemaError>[0],
  schema: Parameters<typeof schemaError>[1],
  bodies: readonly FieldPath[],
): KumihanError {
  const refused = schemaError(issues, schema, (fieldPath, pointAtKey) => locateField(file, fieldPath, pointAtKey));
  const problems = new Problems();
  problems.collect(() => {
    throw refused;
  }, undefined);
  problems.collect(() => checkMarkupAsWritten(file, bodies), undefined);
  return problems.error() ?? refused;
}

/**
 * The inline markup of a content or booklet file as written, one that did not pass its schema: its fields'
 * (checkMarkupOf) and the bodies at `bodies` (those that are text); its problems thrown together.
 */
function checkMarkupAsWritten(file: YamlFile, bodies: readonly FieldPath[]): void {
  const problems = new Problems();
  problems.collect(() => checkMarkupOf(file, file.data, []), undefined);
  for (const fieldPath of bodies) {
    const body = lookupValue(file.data, fieldPath);
    if (typeof body !== 'string' || body.trim() === '') continue;
    const parsed = problems.collect(() => parseBodyField(file, body, fieldPath), undefined);
    if (!parsed) continue;
    for (const [unit, text] of parsed.paragraphs.entries())
      problems.collect(
        () => inlineRuns(text, { origin: 'content', path: fieldPath, paragraph: unit }, (k) => parsed.locateOffset(unit, k)),
        [],
      );
  }
  problems.throwIfAny();
}

/** The value at `fieldPath` in plain data, or undefined. */
function lookupValue(data: unknown, fieldPath: FieldPath): unknown {
  let v = data;
  for (const key of fieldPath) v = isPlainObject(v) || Array.isArray(v) ? (v as Record<string | number, unknown>)[key] : undefined;
  return v;
}

/**
 * The inline markup of every text at `value` (the field at `fieldPath` of `file`), not of fields that are not
 * printed text (NOT_MARKUP), bodies among them: its problems thrown together. Only to report them with
 * problems that keep the document from being made, which would read them (booklet.ts, letter.ts).
 */
export function checkMarkupOf(file: YamlFile, value: unknown, fieldPath: FieldPath): void {
  const problems = new Problems();
  const walk = (v: unknown, at: FieldPath): void => {
    if (typeof v === 'string')
      problems.collect(() => inlineRuns(v, { origin: 'content', path: at }, (index) => locateInField(file, at, v, index)), []);
    else if (Array.isArray(v)) for (const [k, item] of v.entries()) walk(item, [...at, k]);
    else if (v !== null && typeof v === 'object')
      for (const [key, item] of Object.entries(v)) if (!NOT_MARKUP.has(key)) walk(item, [...at, key]);
  };
  walk(value, fieldPath);
  problems.throwIfAny();
}

/**
 * Fields that are not printed text: files, settings, bodies (read on their own), PDF metadata (taken as
 * plain text), a mail merge's records (whose values are never read as markup).
 */
const NOT_MARKUP = new Set([
  'template',
  'file',
  'image',
  'date',
  'dateStyle',
  'startOn',
  'writingMode',
  'width',
  'body',
  'pdf',
  'contents',
  'recipients',
  'recipientsEncoding',
]);
