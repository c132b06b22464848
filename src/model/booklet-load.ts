/**
 * Loading a booklet (記念誌): its own fields, its template, and every section — a letter file read as an
 * article, or a body, chronology and photos written in the booklet — validated and located, so that the
 * document tree (booklet.ts) and layout never meet a missing file or a broken image.
 *
 * Text units (LoadedDocument.paragraphs) of all sections are numbered in one sequence, so that a missing
 * glyph in any section is reported at its character, in the file it was written in.
 */
import { plainText } from './inline.js';
import path from 'node:path';
import { eachOrAllProblems, KumihanError, Problems, type SourceLocation } from '../errors.js';
import { bookletSchema, isBookletData, type Booklet, type BookletSection } from './booklet-schema.js';
import { defaultDateStyle, formatDate, looksLikeCalendarDate, toFullwidthDigits, warekiYear } from './date.js';
import { checkInput, describeOsError, refuseOutside } from './inputs.js';
import { readImageSize } from './image.js';
import {
  checkMarkupOf,
  loadDocument,
  parseBodyField,
  type LoadedDocument,
  type LoadOptions,
  type ParsedBodyField,
  refusedWithMarkup,
} from './load.js';
import { isPlainObject } from './merge.js';
import type { MarkupBlock } from './markup.js';
import type { Content, DateStyle, DigitStyle, StartOn, WritingModeName } from './schema.js';
import { displayPathFor, loadTemplate, locateInLayers, type ModelPaths, type TemplateReference } from './template.js';
import { locateField, locateInField, readYamlFile, type FieldPath, type YamlFile } from './yamlfile.js';
import fs from 'node:fs';

export const DEFAULT_BOOKLET_TEMPLATE = 'booklet';

/** A photo, checked: a PNG or JPEG inside the project root whose data matches its header. */
export interface LoadedPhoto {
  /** Absolute path. */
  file: string;
  /** As messages show it. */
  shown: string;
  caption?: string;
  width?: 'full' | 'half';
  pixelWidth: number;
  pixelHeight: number;
  /** Where the photo is named (field path in the booklet). */
  path: FieldPath;
}

export interface LoadedChronologyRow {
  /** As printed: in the booklet's dateStyle. */
  dateText: string;
  text: string;
}

/** A body written in the booklet or taken from a letter file: its units are `base`… of the booklet's paragraphs. */
export interface SectionBody {
  paragraphs: string[];
  bodyBlocks: MarkupBlock[];
  base: number;
}

export interface LoadedSection {
  index: number;
  /** The title shown in the contents, the outline and the running head (may be empty: the section is then listed by nothing). */
  title: string;
  startOn: StartOn;
  /** The running heads' {section}, when it is not the title. */
  runningHead?: string;
  /** How the section is set: its own writing mode, or the template's. */
  writingMode: WritingModeName;
  /** A letter file set as an article. */
  letter?: LoadedDocument;
  subtitle?: string;
  author?: string;
  body?: SectionBody;
  chronology?: LoadedChronologyRow[];
  photos?: LoadedPhoto[];
}

export interface LoadedBooklet {
  data: Booklet;
  sections: LoadedSection[];
  cover?: LoadedPhoto;
  /** Absolute paths of every file the booklet uses beyond its template (section files, their templates, images). */
  files: string[];
}

const SECTION_CONTENT = ['body', 'chronology', 'photos'] as const;

export function loadBooklet(file: YamlFile, contentPath: string, paths: ModelPaths, opts: LoadOptions): LoadedDocument {
  const parsed = bookletSchema.safeParse(file.data, { reportInput: true });
  if (!parsed.success) {
    throw refusedWithMarkup(file, parsed.error.issues, bookletSchema, sectionBodies(file.data));
  }
  const data = parsed.data;
  const locateHere = (fieldPath: FieldPath) => locateField(file, fieldPath);
  const baseDir = path.dirname(file.absolutePath);

  const templateReference: TemplateReference =
    opts.template !== undefined
      ? { reference: opts.template, baseDir: paths.workingDirectory, named: true }
      : {
          reference: data.template ?? DEFAULT_BOOKLET_TEMPLATE,
          baseDir,
          referencedFrom: data.template ? locateHere(['template']) : { file: contentPath },
          referringFile: file.absolutePath,
        };
  const { template, templateFiles, layers } = loadTemplate(templateReference, paths);
  if (!template.booklet) {
    throw new KumihanError(
      'template',
      `template "${templateReference.reference}" has no booklet: section; a booklet needs a booklet template (e.g. template: booklet)`,
      templateReference.referencedFrom ?? { file: contentPath },
    );
  }
  const digits = template.body.digits;
  const style = data.dateStyle;
  const files: string[] = [];

  const photo = (reference: string, fieldPath: FieldPath, extra: Partial<LoadedPhoto> = {}): LoadedPhoto => {
    const where = locateHere(fieldPath);
    const absolute = path.resolve(baseDir, reference);
    const shown = displayPathFor(absolute, paths.workingDirectory);
    refuseOutside(absolute, 'image', paths.inputs, shown, where);
    if (!fs.existsSync(absolute)) throw new KumihanError('image', `image ${shown} not found`, where);
    if (!/\.(png|jpe?g)$/i.test(absolute)) throw new KumihanError('image', `image ${shown} must be a PNG or JPEG file`, where);
    const real = checkInput(absolute, 'image', paths.inputs, shown, where);
    let size: ReturnType<typeof readImageSize>;
    try {
      size = readImageSize(real, paths.inputs.limits.imagePixels);
    } catch (e) {
      if (e instanceof KumihanError) throw new KumihanError('image', `image ${shown}: ${e.message}`, where);
      throw new KumihanError('image', `image ${shown} ${describeOsError(e)}`, where);
    }
    files.push(real);
    return { file: real, shown, pixelWidth: size.width, pixelHeight: size.height, path: fieldPath, ...extra };
  };

  const paragraphs: string[] = [];
  /** Where each unit's characters are: by the section that holds it. */
  const unitLocators: { base: number; count: number; locate: ParsedBodyField['locateOffset'] }[] = [];
  const addBody = (body: { paragraphs: string[]; bodyBlocks: MarkupBlock[] }, locate: ParsedBodyField['locateOffset']): SectionBody => {
    const base = paragraphs.length;
    paragraphs.push(...body.paragraphs);
    unitLocators.push({ base, count: body.paragraphs.length, locate });
    return { paragraphs: body.paragraphs, bodyBlocks: body.bodyBlocks, base };
  };

  // Every section is checked, and the cover and the date: a problem in one does not hide those in the next
  // (one run, every message).
  const problems = new Problems();
  const sections = problems.collect(
    () =>
      eachOrAllProblems(data.sections, (section, index): LoadedSection => {
        const at = (...rest: FieldPath) => ['sections', index, ...rest];
        const startOn = section.startOn ?? template.booklet!.startOn;
        const writingMode = section.writingMode ?? template.body.writingMode;
        const given = SECTION_CONTENT.filter((key) => section[key] !== undefined);
        if (section.file !== undefined) {
          if (given.length > 0) {
            throw new KumihanError(
              'schema',
              `a section with file: takes its text from that file; move ${given.join(', ')} into a section of its own`,
              locateField(file, at(given[0]!), true),
            );
          }
          const letter = loadSectionFile(section.file, at('file'), file, paths);
          files.push(path.resolve(paths.workingDirectory, letter.contentPath), ...letter.templateFiles);
          const body = addBody(letter, letter.locateBodyOffset);
          const title = section.title ?? letter.content.title ?? letter.content.subtitle ?? '';
          return {
            index,
            title,
            startOn,
            runningHead: section.runningHead,
            writingMode,
            letter,
            body,
            subtitle: section.subtitle,
            author: section.author,
          };
        }
        const hasContent =
          (section.body !== undefined && section.body.trim() !== '') ||
          (section.chronology?.length ?? 0) > 0 ||
          (section.photos?.length ?? 0) > 0;
        if (!hasContent) {
          throw new KumihanError(
            'schema',
            'this section has no content: give it file: (a letter), or body:, chronology: or photos:',
            locateField(file, ['sections', index]),
          );
        }
        const out: LoadedSection = {
          index,
          title: section.title ?? '',
          startOn,
          runningHead: section.runningHead,
          writingMode,
          subtitle: section.subtitle,
          author: section.author,
        };
        if (section.body !== undefined && section.body.trim() !== '') {
          const parsedBody = parseBodyField(file, section.body, at('body'));
          out.body = addBody(parsedBody, parsedBody.locateOffset);
        }
        if (section.chronology?.length) {
          out.chronology = eachOrAllProblems(section.chronology, (row, r) => ({
            dateText: chronologyDate(row.date, style, digits, locateHere(at('chronology', r, 'date'))),
            text: row.text,
          }));
        }
        if (section.photos?.length) {
          out.photos = eachOrAllProblems(section.photos, (p, k) =>
            photo(p.file, at('photos', k, 'file'), { caption: p.caption, width: p.width }),
          );
        }
        return out;
      }),
    [],
  );

  const cover = problems.collect(
    () => (data.cover?.image !== undefined ? photo(data.cover.image, ['cover', 'image']) : undefined),
    undefined,
  );

  // The booklet's own fields as a content's: title, subtitle, issuer as the author, date of issue.
  const content: Content = {
    template: data.template,
    title: plainTitle(data.title),
    subtitle: data.subtitle,
    sender: data.issuer,
    date: data.date,
    dateStyle: data.dateStyle,
    pdf: data.pdf,
    body: '',
  };
  const sectionAt = (fieldPath: FieldPath) => {
    const [head, index, field] = fieldPath;
    if (head !== 'sections' || typeof index !== 'number' || field === undefined || field === 'file' || field === 'startOn')
      return undefined;
    if (data.sections[index]?.[field as keyof BookletSection] !== undefined) return undefined;
    return sections[index]?.letter;
  };
  const loaded: LoadedDocument = {
    contentPath,
    content,
    paragraphs,
    bodyBlocks: [],
    template,
    templateFiles,
    paths,
    // A field of a section taken from a letter file is located in that file.
    locate: (fieldPath) => sectionAt(fieldPath)?.locate(fieldPath.slice(2)) ?? locateHere(fieldPath),
    locateInField: (fieldPath, text, charIndex) =>
      sectionAt(fieldPath)?.locateInField(fieldPath.slice(2), text, charIndex) ?? locateInField(file, fieldPath, text, charIndex),
    locateTemplate: (fieldPath) => locateInLayers(layers, fieldPath),
    locateBodyOffset: (paragraphIndex, charIndex): SourceLocation => {
      const unit = unitLocators.find((u) => paragraphIndex >= u.base && paragraphIndex < u.base + u.count);
      return unit ? unit.locate(paragraphIndex - unit.base, charIndex) : { file: contentPath };
    },
    booklet: { data, sections, cover, files: [...new Set(files)] },
  };
  if (data.date !== undefined) {
    const dateStyle = data.dateStyle ?? defaultDateStyle(data.date);
    loaded.dateText = problems.collect(() => located(() => formatDate(data.date!, dateStyle, digits), locateHere(['date'])), undefined);
    loaded.dateStyle = dateStyle;
  }
  // The document is not made when the load found problems, and with it the markup of its fields is not
  // read (booklet.ts): read it here, so that its problems come in the same run.
  problems.collect(() => {
    if (problems.found > 0) checkMarkupOf(file, data, []);
  }, undefined);
  problems.throwIfAny();
  return loaded;
}

/** The section bodies of a booklet as written (one that may not have passed the schema): where they are, what of them is text. */
function sectionBodies(data: unknown): FieldPath[] {
  const sections = isPlainObject(data) ? data.sections : undefined;
  if (!Array.isArray(sections)) return [];
  return sections.flatMap((section, index): FieldPath[] =>
    isPlainObject(section) && typeof section.body === 'string' ? [['sections', index, 'body']] : [],
  );
}

/** A KumihanError thrown by `f` (a date that cannot be printed) located at `where`. */
function located<T>(f: () => T, where: SourceLocation): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof KumihanError) throw new KumihanError(e.kind, e.message, where);
    throw e;
  }
}

/**
 * A chronology date in the booklet's style (和暦 unless it says otherwise). A bare year is printed as a
 * year: in 和暦 the era's year in force at mid-year (1989 → 平成元年, 2019 → 令和元年, 1926 → 大正１５年), as
 * a chronology of the year's events gives it; in western style １９９２年. Text that is not a date (平成初期,
 * 1990年代) is printed as written in any style; numbers in another date form (1992/01/26, 1992-13-01) are
 * errors at the date, as they would print wrongly.
 */
export function chronologyDate(date: string | number, style: DateStyle | undefined, digits: DigitStyle, where: SourceLocation): string {
  const text = String(date).trim();
  if (style === 'literal') return text;
  const printed = (s: string) => (digits === 'fullwidth' ? toFullwidthDigits(s) : s);
  if (/^\d{4}$/.test(text)) {
    if (style === 'western') return printed(`${text}年`);
    if (Number(text) < 1868)
      throw new KumihanError(
        'schema',
        `${text} is before the 明治 era (1868) and cannot be written in 和暦; use dateStyle: western or literal`,
        where,
      );
    return printed(located(() => warekiYear({ year: Number(text), month: 7, day: 1 }), where));
  }
  const dateLike = /^\d{4}[-./]\d/.test(text) || /^[\d\s./:-]+$/.test(text);
  if (!looksLikeCalendarDate(text) && !dateLike) return text;
  // Numbers in another date form are not printed as written (1992/01/26, 2024-10-01T10:00): an error.
  if (!looksLikeCalendarDate(text)) {
    const read =
      typeof date === 'number'
        ? `YAML read this date as the number ${date}, which is not a date of the forms a chronology takes (write it in quotes to keep it as written)`
        : `"${text}" is not a date of the forms a chronology takes`;
    throw new KumihanError(
      'schema',
      `${read}: a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD), printed in the booklet's date style; any other text (平成初期, 1990年代) is printed as written`,
      where,
    );
  }
  // A row's date that is not a date is printed as written: that is how an old-calendar date is given here.
  return located(() => formatDate(text, style ?? 'wareki', digits, 'as this row’s date, which a chronology prints as written'), where);
}

/** A section's letter file: inside the project root, a letter (not a booklet), loaded with its own template. */
function loadSectionFile(reference: string, fieldPath: FieldPath, booklet: YamlFile, paths: ModelPaths): LoadedDocument {
  const where = locateField(booklet, fieldPath);
  const absolute = path.resolve(path.dirname(booklet.absolutePath), reference);
  const shown = displayPathFor(absolute, paths.workingDirectory);
  refuseOutside(absolute, 'content', paths.inputs, shown, where);
  if (!fs.existsSync(absolute)) throw new KumihanError('missing-file', `section file ${shown} not found`, where);
  const sectionFile = readYamlFile(absolute, shown, 'content', paths.inputs, where);
  if (isBookletData(sectionFile.data)) {
    throw new KumihanError('schema', `section file ${shown} is itself a booklet (it has sections:); a section must be a letter`, where);
  }
  // A mail merge is many letters: which of them the article is would be a guess ({{name}} printed as written).
  const data = sectionFile.data as Record<string, unknown> | null;
  if (data && typeof data === 'object' && 'recipients' in data) {
    throw new KumihanError(
      'schema',
      `section file ${shown} is a mail merge (it has recipients:); a section is one letter: make a copy without recipients: and with the values written in`,
      where,
    );
  }
  return loadDocument(shown, {
    projectRoot: paths.projectRoot,
    workingDirectory: paths.workingDirectory,
    root: paths.inputs.root,
    fontPaths: paths.inputs.fontPaths,
    limits: paths.inputs.limits,
    source: sectionFile.text,
  });
}

/**
 * A title's lines joined as one line, for the places that have one line only (running heads, the contents, bookmarks, the
 * PDF's title). A title may be written on several lines to say where the cover or a heading breaks it
 * (「日本・カザフスタン⏎外交関係樹立２５周年記念誌」: a line break where a compositor would put it, at a
 * phrase, which balancing alone cannot know); the lines are joined without a space, except between two
 * Latin letters or digits, and after a chapter label (titleLineJoint).
 */
export function joinTitleLines(lines: readonly string[]): string {
  return lines.reduce((joined, l) => joined + titleLineJoint(joined, l) + l, '');
}

/**
 * What goes between two lines of a title joined into one: a space between Latin letters or digits, a
 * full-width space after a chapter label (第一章　百年の歩み, as a contents line sets it), else nothing.
 */
export function titleLineJoint(before: string, after: string): string {
  if (CHAPTER_LABEL.test(before)) return '\u3000';
  return /[A-Za-z0-9]$/.test(before) && /^[A-Za-z0-9]/.test(after) ? ' ' : '';
}

/** A chapter label alone on a title's first line: 第一章, 第３部, 第12章, 序章, 終章. */
// biome-ignore lint/complexity/useRegexLiterals: a string, which esbuild escapes: the bundle must be ASCII, and it leaves a regex literal's characters as written.
const CHAPTER_LABEL = new RegExp('^(?:第[0-9０-９〇一二三四五六七八九十百千]+[章部編節話回幕]|序章|終章)$');

/**
 * A title as one line of plain text (running heads, bookmarks, the PDF's title): each line's markup read
 * on its own — a ruby base never runs on from the line before (第一章⏎東京都《とう｜きょう｜と》) — then joined.
 */
export function plainTitle(title: string): string {
  return joinTitleLines(titleLines(title).map((l) => plainText(l) ?? l));
}

/** The lines a title was written on, trimmed, blank ones left out. */
export function titleLines(title: string): string[] {
  return titleLinesAt(title).map((l) => l.text);
}

/** The lines of a title (as titleLines), each with where it starts in the title (for locating its characters). */
export function titleLinesAt(title: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  let start = 0;
  for (const raw of title.split('\n')) {
    const text = raw.trim();
    if (text !== '') out.push({ text, at: start + raw.indexOf(text) });
    start += raw.length + 1;
  }
  return out;
}
