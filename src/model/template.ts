/**
 * Loading a template: find the file, follow `extends`, deep-merge, validate the merged result with
 * the full schema, and resolve it into a ResolvedTemplate (lengths in points, absolute font and
 * image paths, defaults filled) that layout and PDF code can use without further checks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { KumihanError, type SourceLocation } from '../errors.js';
import { PAGE_SIZES, parseLength } from '../units.js';
import { deepMerge, expandMarginShorthand, isPlainObject, marginsOfOneKind, type PlainObject } from './merge.js';
import {
  templateSchema,
  type Binding,
  type AfterField,
  type Align,
  type HeaderField,
  type HeaderItem,
  type Length,
  type PrintStandard,
  type TrimMarks,
  type Template,
  type TemplateBody,
  type FurnitureAlign,
  type StartOn,
} from './schema.js';
import { closestMatch } from './issues.js';
import { checkInput, isInside, liesInside, refuseOutside, type InputKind, type InputPolicy } from './inputs.js';
import { schemaError } from './validate.js';
import { formatFieldPath, locateField, lookupNode, readYamlFile, type FieldPath, type YamlFile } from './yamlfile.js';

// ---------------------------------------------------------------------------------------------
// The resolved form

export interface ResolvedFont {
  /** The key in the template's `fonts`. */
  name: string;
  /** Absolute path of the font file. */
  file: string;
  /** Absolute path of the proportional companion font for Latin text, if any. */
  latin?: string;
  /** Absolute paths of the fonts tried, in order, for characters the face does not have. */
  fallback: string[];
}

/** A header or after item: the schema's fields (spaceBefore in body lines, indent in em), font and size resolved. */
export type ResolvedBlockItem<Field extends string> = Omit<HeaderItem, 'field' | 'font' | 'size'> & {
  field: Field;
  /** A key of ResolvedTemplate.fonts (default: the body font). */
  font: string;
  /** pt (default: the body size). */
  size: number;
};

export interface ResolvedLetterhead {
  name?: string;
  nameFont: string;
  nameSize: number;
  address: string[];
  font: string;
  size: number;
  logo?: { file: string; width: number; position: 'left' | 'right' | 'center' };
  rule?: { thickness: number; color: string };
  align: Align;
  /** pt between the letterhead and what follows. */
  spaceAfter: number;
}

export interface ResolvedFooter {
  /** Format with {page} and optionally {pages}, e.g. '- {page} -'. */
  pageNumbers: string;
  font: string;
  size: number;
  align: Align;
  /** pt from the bottom edge of the page to the page-number baseline. */
  offset: number;
}

export interface ResolvedTemplate {
  page: {
    /** [width, height] in pt, orientation already applied. */
    size: [number, number];
    orientation: 'portrait' | 'landscape';
    /** For facing pages: left = のど (inner), right = 小口 (outer), as on a right-hand page. */
    margins: { top: number; bottom: number; left: number; right: number };
    /** Facing pages (見開き): margins given as inner and outer, mirrored on left-hand pages. */
    facing?: boolean;
    /** The edge the pages are bound at (which side page 1 is on): the template's, or by the writing mode. */
    binding: Binding;
  };
  fonts: Record<string, ResolvedFont>;
  /** The schema's body settings (see schema.ts for each), with the size in pt. */
  body: Omit<TemplateBody, 'size'> & { size: number };
  header: ResolvedBlockItem<HeaderField>[];
  after: ResolvedBlockItem<AfterField>[];
  letterhead?: ResolvedLetterhead;
  /** Absent when there are no page numbers. */
  footer?: ResolvedFooter;
  /** The header of continuation pages; absent when the template has none. */
  continuation?: ResolvedContinuation;
  kigaki: Template['kigaki'];
  /** Print-ready output (a press PDF beside the screen PDF); absent when the template has no `print:`. */
  print?: ResolvedPrint;
  /** How a booklet's pages are set; absent in templates for letters. */
  booklet?: ResolvedBookletTemplate;
}

/** A page text of a booklet (running head or folio), lengths in pt and fonts checked. */
export interface ResolvedBookletPageText {
  font: string;
  size: number;
  align: FurnitureAlign;
  /** pt from the top edge (running heads) or the bottom edge (folios) to the baseline. */
  offset: number;
}

export interface ResolvedBookletTemplate {
  startOn: StartOn;
  runningHeads?: ResolvedBookletPageText & { left: string; right: string };
  folios?: ResolvedBookletPageText & { format: string };
  heading: { font: string; size: number; lines: number };
  titleSize: number;
  contentsTitle: string;
  leader: string;
  chronologyHeads: [string, string];
  captionSize: number;
  minimumDpi: number;
}

/**
 * The printing condition a press PDF is made for: a registered characterization (its name goes into the
 * OutputIntent) and the ICC profile colours are converted with — the user's file, or kumihan's shipped
 * CMYK profile (profiles/README.md says what it is and why it stands in for Japan Color).
 */
export interface ResolvedOutputCondition {
  /** OutputConditionIdentifier: JC200103, FOGRA39, or "Custom" for a profile file. */
  identifier: string;
  /** A human-readable name (OutputIntent /Info, OutputCondition). */
  name: string;
  /** Absolute path of the CMYK ICC profile used for conversions (and embedded where the standard asks). */
  profile: string;
  /** True when `profile` is the user's own file, which then describes the condition exactly. */
  userProfile: boolean;
  /** The registry the identifier is in (empty for a user's profile). */
  registry: string;
}

export interface ResolvedPrint {
  /** pt on every side. */
  bleed: number;
  marks: TrimMarks;
  standard: PrintStandard;
  outputCondition: ResolvedOutputCondition;
  saddleStitch: boolean;
}

/** Registered characterizations kumihan knows by name (the ICC's registry, www.color.org). */
export const REGISTERED_CONDITIONS: Record<string, string> = {
  JC200103: 'Japan Color 2001 Coated',
  FOGRA39: 'Coated FOGRA39 (ISO 12647-2:2004)',
};
/** kumihan's own CMYK profile (profiles/README.md): made from FOGRA39L characterization data. */
export const SHIPPED_CMYK_PROFILE = 'kumihan-cmyk-fogra39.icc';

export interface ResolvedContinuation {
  /** With {page}, {pages} and content fields ({recipient}, {title}, {sender}, {date}). */
  text: string;
  font: string;
  size: number;
  align: Align;
  /** pt from the top edge of the page to the baseline. */
  offset: number;
}

// ---------------------------------------------------------------------------------------------
// Finding template files

/**
 * Where the model finds files: the kumihan package (shipped templates/ and fonts/) and the directory
 * the user works in (paths in messages are shown relative to it). Given by the caller: the model reads
 * no process state of its own.
 */
export interface ModelPaths {
  projectRoot: string;
  workingDirectory: string;
  /** What content and templates may read: the project root, font folders, size limits (inputs.ts). */
  inputs: InputPolicy;
}

/** A path relative to the working directory when that is shorter to read, else absolute. */
export function displayPathFor(absolutePath: string, workingDirectory: string): string {
  const relative = path.relative(workingDirectory, absolutePath);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
}

function looksLikePath(reference: string): boolean {
  return /[\\/]/.test(reference) || /\.ya?ml$/i.test(reference);
}

/**
 * Files a template reference may mean, in order: a bare name is a shipped template
 * (`<projectRoot>/templates/<name>.yaml`) or, failing that, `<name>.yaml` next to the referring file;
 * anything that looks like a path is relative to the referring file.
 */
export function templateCandidates(reference: string, baseDir: string, projectRoot: string): string[] {
  if (looksLikePath(reference)) return [path.resolve(baseDir, reference)];
  return [path.join(projectRoot, 'templates', `${reference}.yaml`), path.resolve(baseDir, `${reference}.yaml`)];
}

/** The template names (`x` of `x.yaml`) in the templates folder, for a suggestion. */
function templateNamesIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((entry) => entry.endsWith('.yaml'))
      .map((entry) => entry.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

export interface TemplateLayer {
  file: YamlFile;
  data: PlainObject;
}

export interface TemplateReference {
  /** As written: a name or a path. */
  reference: string;
  /** Directory relative paths are resolved against. */
  baseDir: string;
  /** Where the reference was written, for error messages. */
  referencedFrom?: SourceLocation;
  /** Named by whoever runs the build (--template), not by content: may be outside the root (inputs.ts). */
  named?: boolean;
  /** The content file that names it (absolute): a name that finds this very file is a mistake, said as such. */
  referringFile?: string;
}

/** Loads a template and everything it extends. Most derived layer first. */
export function loadTemplateLayers(start: TemplateReference, paths: ModelPaths): TemplateLayer[] {
  const { projectRoot, workingDirectory } = paths;
  const layers: TemplateLayer[] = [];
  let next: TemplateReference | undefined = start;
  while (next) {
    const { reference, baseDir, referencedFrom, named } = next;
    const candidates = templateCandidates(reference, baseDir, projectRoot);
    const found = firstFound(candidates, 'template', paths, referencedFrom ?? {}, named);
    if (!found) {
      const close = looksLikePath(reference) ? undefined : closestMatch(reference, templateNamesIn(path.dirname(candidates[0]!)));
      const hint = close ? ` — did you mean ${close}?` : '';
      throw new KumihanError(
        'missing-file',
        `template "${reference}" not found (tried ${candidates.join(', ')})${hint}`,
        referencedFrom ?? {},
      );
    }
    const absolutePath = path.resolve(found);
    if (absolutePath === start.referringFile) {
      throw new KumihanError(
        'template',
        `template "${reference}" is this content file itself: a name is looked for in kumihan's templates/, then next to the content file; write the template's path (../templates/${reference}.yaml) or rename one of them`,
        referencedFrom ?? {},
      );
    }
    if (layers.some((layer) => layer.file.absolutePath === absolutePath)) {
      const cycle = [...layers.map((layer) => layer.file.displayPath), displayPathFor(absolutePath, workingDirectory)].join(' → ');
      throw new KumihanError('template', `templates extend each other in a cycle: ${cycle}`, referencedFrom ?? {});
    }
    const file = readYamlFile(
      absolutePath,
      displayPathFor(absolutePath, workingDirectory),
      'template',
      paths.inputs,
      referencedFrom,
      named,
    );
    if (!isPlainObject(file.data)) {
      throw new KumihanError('schema', 'a template must be a mapping of fields (page:, fonts:, body:, …)', {
        ...locateField(file, []),
        path: undefined,
      });
    }
    layers.push({ file, data: file.data });
    const parent = file.data.extends;
    if (parent !== undefined && parent !== null && typeof parent !== 'string') {
      throw new KumihanError('schema', 'expected the name or path of a template', locateField(file, ['extends']));
    }
    next = parent ? { reference: parent, baseDir: path.dirname(absolutePath), referencedFrom: locateField(file, ['extends']) } : undefined;
  }
  return layers;
}

/** Merges the layers (base first) into one plain object, without the `extends` keys. */
export function mergeTemplateLayers(layers: readonly TemplateLayer[]): PlainObject {
  let merged: unknown = {};
  for (const layer of [...layers].reverse()) merged = deepMerge(merged, marginsOfOneKind(merged, expandMarginShorthand(layer.data)));
  const result = merged as PlainObject;
  delete result.extends;
  return result;
}

/**
 * The layer that set a field: the most derived one that has it. For a field no layer has (a
 * missing required field) the layer with the deepest existing ancestor.
 */
export function layerForField(layers: readonly TemplateLayer[], fieldPath: FieldPath): TemplateLayer {
  // A list or a value replaces what it inherits (merge.ts): all that lies under one comes from the layer
  // that set it (a derived template's header list, not the base's it replaced).
  for (let k = 1; k < fieldPath.length; k++) {
    const prefix = fieldPath.slice(0, k);
    const setter = layers.find((layer) => lookupNode(layer.file, prefix).found);
    if (!setter) break;
    if (!isPlainObject(valueAt(setter.data, prefix))) return setter;
  }
  let best = layers[0]!; // a template has at least one layer
  let bestDepth = -1;
  for (const layer of layers) {
    const { depth, found } = lookupNode(layer.file, fieldPath);
    if (found) return layer;
    if (depth > bestDepth) {
      best = layer;
      bestDepth = depth;
    }
  }
  return best;
}

/** The value at `fieldPath` in plain data (undefined where there is none). */
function valueAt(data: unknown, fieldPath: FieldPath): unknown {
  let value = data;
  for (const segment of fieldPath) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

export function locateInLayers(layers: readonly TemplateLayer[], fieldPath: FieldPath, pointAtKey = false): SourceLocation {
  const location = locateField(layerForField(layers, fieldPath).file, fieldPath, pointAtKey);
  return { ...location, path: formatFieldPath(fieldPath) || undefined };
}

// ---------------------------------------------------------------------------------------------
// Resolution

export interface LoadedTemplate {
  template: ResolvedTemplate;
  /** Absolute paths of every template file used, most derived first (for watch mode). */
  templateFiles: string[];
  layers: TemplateLayer[];
}

export function loadTemplate(start: TemplateReference, paths: ModelPaths): LoadedTemplate {
  const layers = loadTemplateLayers(start, paths);
  const merged = mergeTemplateLayers(layers);
  const parsed = templateSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    throw schemaError(
      parsed.error.issues,
      templateSchema,
      (fieldPath, pointAtKey) => locateInLayers(layers, fieldPath, pointAtKey),
      (loc) => layers.findIndex((layer) => layer.file.displayPath === loc.file),
    );
  }
  return {
    template: resolveTemplate(parsed.data, layers, paths),
    templateFiles: layers.map((layer) => layer.file.absolutePath),
    layers,
  };
}

function pt(value: Length): number {
  const points = parseLength(value);
  // The schema has already rejected anything parseLength cannot read.
  if (points === null) throw new Error(`unvalidated length ${String(value)}`);
  return points;
}

/**
 * A file named in a template: absolute, or tried in `searchDirs` in order. Only places it may be read
 * from are looked at; when it is in none of them and one of the places is outside the project root, that
 * is the error (whether a file is there is not said).
 */
function findFile(
  name: string,
  searchDirs: string[],
  kind: InputKind,
  paths: Pick<ModelPaths, 'inputs' | 'workingDirectory'>,
  where: SourceLocation,
): { found?: string; tried: string[] } {
  // A name that climbs out of a search folder (../fonts/x.ttf) means the place relative to the template
  // that names it (the last folder): read against kumihan's own fonts/, it would name some other folder.
  const tried = path.isAbsolute(name)
    ? [name]
    : searchDirs.flatMap((dir, k) => {
        const candidate = path.resolve(dir, name);
        return k === searchDirs.length - 1 || isInside(candidate, path.resolve(dir)) ? [candidate] : [];
      });
  return { found: firstFound(tried, kind, paths, where), tried };
}

/**
 * The first of `candidates` that exists, looking only where `kind` may be read from (anywhere when the
 * file is `named` by whoever runs the build). Whatever exists is taken (and then checked: a directory or a
 * device is an error, not skipped). None found, a candidate outside the root is the error.
 */
function firstFound(
  candidates: readonly string[],
  kind: InputKind,
  paths: Pick<ModelPaths, 'inputs' | 'workingDirectory'>,
  where: SourceLocation,
  named = false,
): string | undefined {
  const mayLook = (candidate: string) => named || liesInside(candidate, kind, paths.inputs);
  const found = candidates.find((candidate) => mayLook(candidate) && fs.existsSync(candidate));
  const outside = found ? undefined : candidates.find((candidate) => !mayLook(candidate));
  if (outside) refuseOutside(outside, kind, paths.inputs, displayPathFor(outside, paths.workingDirectory), where);
  return found;
}

const TEXT_AREA_TOLERANCE_PT = 0.01;

export function resolveTemplate(template: Template, layers: readonly TemplateLayer[], paths: ModelPaths): ResolvedTemplate {
  const { projectRoot, workingDirectory, inputs } = paths;
  const locate = (fieldPath: FieldPath) => locateInLayers(layers, fieldPath);
  const declaringDir = (fieldPath: FieldPath) => path.dirname(layerForField(layers, fieldPath).file.absolutePath);

  // Page
  const { page } = template;
  let [width, height] = typeof page.size === 'string' ? PAGE_SIZES[page.size] : [pt(page.size[0]), pt(page.size[1])];
  if (page.orientation === 'landscape') [width, height] = [height, width];
  // mergeTemplateLayers expanded the shorthand, but a template used directly may still carry it.
  const given =
    typeof page.margins === 'object' ? page.margins : { top: page.margins, bottom: page.margins, left: page.margins, right: page.margins };
  // Facing pages are resolved as a right-hand page: のど on the left, 小口 on the right (masters mirror them).
  const facing = 'inner' in given;
  const sides = 'inner' in given ? { top: given.top, bottom: given.bottom, left: given.inner, right: given.outer } : given;
  const margins = { top: pt(sides.top), bottom: pt(sides.bottom), left: pt(sides.left), right: pt(sides.right) };

  // Fonts: fonts/ of the kumihan package first, then next to the template that declared the font.
  const fonts: Record<string, ResolvedFont> = {};
  for (const [name, font] of Object.entries(template.fonts)) {
    const resolveFontFile = (key: 'file' | 'latin' | ['fallback', number], fileName: string): string => {
      const fieldPath = ['fonts', name, ...(Array.isArray(key) ? key : [key])];
      const { found, tried } = findFile(
        fileName,
        [path.join(projectRoot, 'fonts'), ...inputs.fontPaths, declaringDir(fieldPath)],
        'font',
        paths,
        locate(fieldPath),
      );
      if (!found) throw new KumihanError('font', `font file "${fileName}" not found (tried ${tried.join(', ')})`, locate(fieldPath));
      checkInput(found, 'font', inputs, displayPathFor(found, workingDirectory), locate(fieldPath));
      return found;
    };
    fonts[name] = {
      name,
      file: resolveFontFile('file', font.file),
      fallback: (font.fallback ?? []).map((f, i) => resolveFontFile(['fallback', i], f)),
    };
    if (font.latin) fonts[name].latin = resolveFontFile('latin', font.latin);
  }
  const fontNames = Object.keys(fonts);
  const checkFont = (name: string, fieldPath: FieldPath): string => {
    if (!fonts[name]) {
      const declared = fontNames.length ? `the template declares ${fontNames.join(', ')}` : 'the template declares no fonts';
      throw new KumihanError('schema', `unknown font "${name}"; ${declared}`, locate(fieldPath));
    }
    return name;
  };

  // Body
  const body: ResolvedTemplate['body'] = {
    ...template.body,
    font: checkFont(template.body.font, ['body', 'font']),
    size: pt(template.body.size),
  };

  // The character grid must fit on the page: no layout can put 40 characters of 10.5pt into 140mm.
  const textWidth = width - margins.left - margins.right;
  const textHeight = height - margins.top - margins.bottom;
  // In vertical writing the characters go down the column and the lines (columns) across the page.
  const vertical = body.writingMode === 'vertical-rl';
  const [inlineExtent, blockExtent] = vertical ? [textHeight, textWidth] : [textWidth, textHeight];
  const gridWidth = body.charsPerLine * body.size;
  // Said where the author changed something: at the margins when a template set them after (more derived
  // than) the one that set the grid — an `extends: letter` with margins too wide — else at the grid.
  const layerIndex = (fieldPath: FieldPath) => layers.indexOf(layerForField(layers, fieldPath));
  const blame = (gridField: FieldPath): FieldPath =>
    layerIndex(['page', 'margins']) < layerIndex(gridField) ? ['page', 'margins'] : gridField;
  if (gridWidth > inlineExtent + TEXT_AREA_TOLERANCE_PT) {
    throw new KumihanError(
      'template',
      inlineExtent <= 0
        ? `the margins leave no text area: the page is ${(vertical ? height : width).toFixed(1)}pt ${vertical ? 'high' : 'wide'}, and the margins take ${((vertical ? height : width) - inlineExtent).toFixed(1)}pt of it`
        : `${body.charsPerLine} characters of ${body.size}pt need ${gridWidth.toFixed(1)}pt but the text area between the margins is only ${inlineExtent.toFixed(1)}pt ${vertical ? 'high' : 'wide'}`,
      locate(blame(['body', 'charsPerLine'])),
    );
  }
  if (body.linesPerPage * body.size > blockExtent + TEXT_AREA_TOLERANCE_PT) {
    throw new KumihanError(
      'template',
      blockExtent <= 0
        ? `the margins leave no text area: the page is ${(vertical ? width : height).toFixed(1)}pt ${vertical ? 'wide' : 'high'}, and the margins take ${((vertical ? width : height) - blockExtent).toFixed(1)}pt of it`
        : `${body.linesPerPage} lines of ${body.size}pt do not fit into the text area ${vertical ? 'width' : 'height'} of ${blockExtent.toFixed(1)}pt`,
      locate(blame(['body', 'linesPerPage'])),
    );
  }

  const resolveItems = <F extends string>(
    section: 'header' | 'after',
    items: readonly { field: F; align: Align; font?: string; size?: Length; spaceBefore: number; indent: number }[] | null | undefined,
  ): ResolvedBlockItem<F>[] =>
    (items ?? []).map((item, index) => ({
      field: item.field,
      align: item.align,
      font: item.font ? checkFont(item.font, [section, index, 'font']) : body.font,
      size: item.size !== undefined ? pt(item.size) : body.size,
      spaceBefore: item.spaceBefore,
      indent: item.indent,
    }));

  const resolved: ResolvedTemplate = {
    page: {
      size: [width, height],
      orientation: page.orientation,
      margins,
      ...(facing ? { facing } : {}),
      // Vertical books are bound on the right (右綴じ), horizontal ones on the left (左綴じ).
      binding: page.binding ?? (vertical ? 'right' : 'left'),
    },
    fonts,
    body,
    header: resolveItems('header', template.header),
    after: resolveItems('after', template.after),
    kigaki: template.kigaki,
  };

  // Letterhead
  const lh = template.letterhead;
  if (lh) {
    const font = lh.font ? checkFont(lh.font, ['letterhead', 'font']) : body.font;
    const size = lh.size !== undefined ? pt(lh.size) : body.size;
    const align = lh.align ?? 'start';
    const letterhead: ResolvedLetterhead = {
      nameFont: lh.nameFont ? checkFont(lh.nameFont, ['letterhead', 'nameFont']) : font,
      nameSize: lh.nameSize !== undefined ? pt(lh.nameSize) : size * 1.5,
      address: lh.address ?? [],
      font,
      size,
      align,
      spaceAfter: lh.spaceAfter !== undefined ? pt(lh.spaceAfter) : body.size,
    };
    if (lh.name !== undefined) letterhead.name = lh.name;
    if (lh.logo) {
      const fieldPath = ['letterhead', 'logo', 'file'];
      const { found, tried } = findFile(lh.logo.file, [declaringDir(fieldPath)], 'image', paths, locate(fieldPath));
      if (!found) throw new KumihanError('image', `logo image "${lh.logo.file}" not found (tried ${tried.join(', ')})`, locate(fieldPath));
      if (!/\.(png|jpe?g)$/i.test(found)) {
        throw new KumihanError('image', `logo image "${lh.logo.file}" must be a PNG or JPEG file`, locate(fieldPath));
      }
      checkInput(found, 'image', inputs, displayPathFor(found, workingDirectory), locate(fieldPath));
      const defaultPosition = align === 'end' ? 'right' : align === 'center' ? 'center' : 'left';
      letterhead.logo = { file: found, width: pt(lh.logo.width), position: lh.logo.position ?? defaultPosition };
    }
    if (lh.rule === true) letterhead.rule = { thickness: 0.5, color: '#000000' };
    else if (typeof lh.rule === 'object' && lh.rule)
      letterhead.rule = { thickness: pt(lh.rule.thickness), color: lh.rule.color ?? '#000000' };
    resolved.letterhead = letterhead;
  }

  // Footer
  const footer = template.footer;
  if (footer?.pageNumbers && footer.pageNumbers !== 'none') {
    resolved.footer = {
      pageNumbers: footer.pageNumbers,
      font: footer.font ? checkFont(footer.font, ['footer', 'font']) : body.font,
      size: footer.size !== undefined ? pt(footer.size) : body.size,
      align: footer.align,
      offset: footer.offset !== undefined ? pt(footer.offset) : margins.bottom / 2,
    };
  }

  const continuation = template.continuation;
  if (continuation) {
    resolved.continuation = {
      text: continuation.text,
      font: continuation.font ? checkFont(continuation.font, ['continuation', 'font']) : body.font,
      size: continuation.size !== undefined ? pt(continuation.size) : (resolved.footer?.size ?? body.size),
      align: continuation.align,
      offset: continuation.offset !== undefined ? pt(continuation.offset) : margins.top / 2,
    };
  }
  if (template.print) resolved.print = resolvePrint(template.print, paths, locate, declaringDir);
  if (template.booklet) resolved.booklet = resolveBooklet(template.booklet, body, margins, checkFont);
  return resolved;
}

function resolvePrint(
  print: NonNullable<Template['print']>,
  paths: ModelPaths,
  locate: (fieldPath: FieldPath) => SourceLocation,
  declaringDir: (fieldPath: FieldPath) => string,
): ResolvedPrint {
  const shipped = path.join(paths.projectRoot, 'profiles', SHIPPED_CMYK_PROFILE);
  const condition = print.outputCondition;
  let outputCondition: ResolvedOutputCondition;
  const registered = REGISTERED_CONDITIONS[condition];
  if (registered) {
    outputCondition = { identifier: condition, name: registered, profile: shipped, userProfile: false, registry: 'http://www.color.org' };
  } else if (/\.(icc|icm)$/i.test(condition)) {
    const fieldPath = ['print', 'outputCondition'];
    const { found, tried } = findFile(condition, [declaringDir(fieldPath)], 'profile', paths, locate(fieldPath));
    if (!found)
      throw new KumihanError('missing-file', `output profile "${condition}" not found (tried ${tried.join(', ')})`, locate(fieldPath));
    checkInput(found, 'profile', paths.inputs, displayPathFor(found, paths.workingDirectory), locate(fieldPath));
    const name = path.basename(found).replace(/\.(icc|icm)$/i, '');
    outputCondition = { identifier: 'Custom', name, profile: found, userProfile: true, registry: '' };
  } else {
    throw new KumihanError(
      'template',
      `unknown output condition "${condition}"; use ${Object.keys(REGISTERED_CONDITIONS).join(' or ')}, or the path of an ICC profile (.icc)`,
      locate(['print', 'outputCondition']),
    );
  }
  // PDF/X-4 has no registered-name-only form: the output profile must be embedded and must describe the
  // condition named. kumihan's shipped profile is FOGRA39 data, so it may stand only for FOGRA39 there.
  if (print.standard === 'PDF/X-4' && !outputCondition.userProfile && outputCondition.identifier !== 'FOGRA39') {
    throw new KumihanError(
      'template',
      `PDF/X-4 embeds the output profile, and kumihan ships none for ${outputCondition.name}; name your ICC profile file as outputCondition, or use FOGRA39`,
      locate(['print', 'outputCondition']),
    );
  }
  return { bleed: pt(print.bleed), marks: print.marks, standard: print.standard, outputCondition, saddleStitch: print.saddleStitch };
}

function resolveBooklet(
  b: NonNullable<Template['booklet']>,
  body: ResolvedTemplate['body'],
  margins: ResolvedTemplate['page']['margins'],
  checkFont: (name: string, fieldPath: FieldPath) => string,
): ResolvedBookletTemplate {
  const furnitureSize = body.size * 0.8;
  const out: ResolvedBookletTemplate = {
    startOn: b.startOn,
    heading: {
      font: b.heading.font ? checkFont(b.heading.font, ['booklet', 'heading', 'font']) : body.font,
      size: b.heading.size !== undefined ? pt(b.heading.size) : body.size * 1.4,
      lines: b.heading.lines,
    },
    titleSize: b.titleSize !== undefined ? pt(b.titleSize) : body.size * 2,
    contentsTitle: b.contentsTitle,
    leader: b.leader,
    chronologyHeads: b.chronologyHeads,
    captionSize: b.captionSize !== undefined ? pt(b.captionSize) : body.size * 0.85,
    minimumDpi: b.minimumDpi,
  };
  /** A running head's or folio's font, size, alignment and offset; `edge` is the margin its default offset halves. */
  const pageText = (
    t: { font?: string; size?: Length; align: FurnitureAlign; offset?: Length },
    key: 'runningHeads' | 'folios',
    edge: number,
  ): ResolvedBookletPageText => ({
    font: t.font ? checkFont(t.font, ['booklet', key, 'font']) : body.font,
    size: t.size !== undefined ? pt(t.size) : furnitureSize,
    align: t.align,
    offset: t.offset !== undefined ? pt(t.offset) : edge / 2,
  });
  if (b.runningHeads)
    out.runningHeads = { left: b.runningHeads.left, right: b.runningHeads.right, ...pageText(b.runningHeads, 'runningHeads', margins.top) };
  if (b.folios) out.folios = { format: b.folios.format, ...pageText(b.folios, 'folios', margins.bottom) };
  return out;
}
