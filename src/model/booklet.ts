/**
 * A booklet (記念誌) as a document tree: the cover, the contents (目次), the sections, and the colophon
 * (奥付) at the foot of the last page.
 *
 * Each section starts with a SectionStartBlock (a new page, the next right-hand one by default) and a
 * heading on 行取り kept with what follows it. A letter file becomes an article — title, subtitle, date and
 * sender as the byline, the body through the same markup as a letter's (letter.ts bodyBlocks), closing and
 * signature; a section written in the booklet has a title, an author, a body, a chronology (年表: a
 * two-column table whose rows never split and whose column heads repeat on each page) and photos (each kept
 * on one page with its caption). Running heads and folios are furniture of facing pages: the booklet
 * title on left-hand pages, the section's on right-hand pages, folios at the outer corner of the foot.
 *
 * Nothing here knows x/y: shares of the measure, grid lines and sides of the spread only.
 */
import {
  joinTitleLines,
  type LoadedPhoto,
  type LoadedSection,
  plainTitle,
  titleLineJoint,
  titleLines,
  titleLinesAt,
} from './booklet-load.js';
import {
  KEEP_FREE,
  KEEP_RUNNING_TEXT,
  KEEP_TOGETHER,
  KEEP_WITH_PREVIOUS,
  type Block,
  type DocumentTree,
  type FigureBlock,
  type FigureCell,
  type InlineRun,
  type Keep,
  type ParagraphBlock,
  type ParagraphStyle,
  type RunningText,
  type SectionStartBlock,
  type StructureRole,
  type TextRun,
  type TextSource,
} from './document.js';
import { formatDate, defaultDateStyle } from './date.js';
import { Problems } from '../errors.js';
import { type FieldPart, inlineRuns } from './inline.js';
import { bodyBlocks, bodyStyle, letterMetadata } from './letter.js';
import { splitParagraphs } from './paragraphs.js';
import type { LoadedDocument } from './load.js';
import type { ResolvedTemplate } from './template.js';
import type { FieldPath } from './yamlfile.js';
import type { WritingModeName } from './schema.js';
import { PT_PER_IN } from '../units.js';

/** A heading: kept whole, and never alone at the foot of a page. */
const KEEP_HEADING: Keep = { ...KEEP_TOGETHER, withNext: true };

/**
 * A booklet field's text as runs, its inline markup (ruby, emphasis, tate-chu-yoko) read. Malformed markup
 * is a problem at the field, gathered with the others of the booklet (bookletDocument throws them all).
 */
type Marked = (value: string, path: FieldPath, within?: FieldPart) => TextRun[];

/** The lines of a title field, each as a part of the field (located in it) for Marked. */
const titlePartsOf = (title: string) => titleLinesAt(title).map((l) => ({ text: l.text, within: { field: title, at: l.at } }));

/** A title's runs: the lines its author wrote (see booklet-load.ts joinTitleLines) with a hard break between them. */
function titleRuns(marked: Marked, value: string, path: FieldPath): InlineRun[] {
  return titlePartsOf(value).flatMap((l, k): InlineRun[] =>
    k === 0 ? marked(l.text, path, l.within) : [{ kind: 'break' }, ...marked(l.text, path, l.within)],
  );
}

/** A title's runs on one line (a contents entry): each line's markup read on its own, the lines joined. */
function titleRunsOnOneLine(marked: Marked, value: string, path: FieldPath): InlineRun[] {
  const lines = titlePartsOf(value);
  return lines.flatMap((l, k): InlineRun[] => {
    const runs = marked(l.text, path, l.within);
    const joint = k > 0 ? titleLineJoint(lines[k - 1]!.text, l.text) : '';
    return joint ? [{ kind: 'text', text: joint, source: { origin: 'content', path } }, ...runs] : runs;
  });
}

/** A title as the running head prints it: plain text on one line, its markup read (and checked) as the title's. */
function runningHeadText(marked: Marked, value: string, path: FieldPath): string {
  return joinTitleLines(
    titlePartsOf(value).map((l) =>
      marked(l.text, path, l.within)
        .map((run) => run.text)
        .join(''),
    ),
  );
}

export const sectionAnchor = (index: number) => `section-${index}`;

export function bookletDocument(doc: LoadedDocument): DocumentTree {
  const t = doc.template;
  const b = t.booklet!;
  const booklet = doc.booklet!;
  const data = booklet.data;
  const warnings: string[] = [];
  const blocks: Block[] = [];
  const body = bodyStyle(t);
  // Every field is read, whatever is wrong with another: the problems of all of them are reported in one run.
  const problems = new Problems();
  const marked: Marked = (value, path, within) =>
    problems.collect(
      () =>
        inlineRuns(
          value,
          { origin: 'content', path },
          (index) => doc.locateInField([...path], within?.field ?? value, index + (within?.at ?? 0)),
          within,
        ),
      [{ kind: 'text', text: value, source: { origin: 'content', path } }],
    );
  /** A line (or lines) of text in a style of its own: not indented, aligned, on the grid. */
  const line = (
    runs: InlineRun[],
    style: Partial<ParagraphStyle>,
    spaceBefore = 0,
    keep: Keep = KEEP_TOGETHER,
    structure?: StructureRole,
  ): ParagraphBlock => {
    const merged: ParagraphStyle = { ...body, firstLineIndent: 0, align: 'start', ...style };
    // At another size than the body's: the region's width as the measure, and as many grid lines as the size needs (行取り).
    if (merged.size !== body.size) {
      if (!('lineSlots' in style)) merged.lineSlots = undefined;
      if (!('measure' in style)) merged.measure = undefined;
    }
    return {
      kind: 'paragraph',
      role: 'header',
      style: merged,
      inlines: runs,
      spaceBefore,
      onGrid: true,
      keep,
      ...(structure ? { structure } : {}),
    };
  };
  const heading = (title: string, path: FieldPath): ParagraphBlock =>
    line(
      titleRuns(marked, title, path),
      { face: b.heading.font, size: b.heading.size, headingSlots: b.heading.lines, measure: undefined, balance: true },
      0,
      KEEP_HEADING,
      'H1',
    );

  // The cover: the title a quarter down the page (at the head, on a white panel, over a cover photo),
  // the subtitle under it, the date of issue and the issuer at the foot.
  blocks.push(sectionStart('cover', 'any', undefined, false, '表紙'));
  const cover = booklet.cover;
  const titleSlots = Math.max(1, Math.ceil((b.titleSize * 1.6) / pitchOf(t) - 1e-9));
  const coverTop = cover ? 1 : Math.floor(t.body.linesPerPage / 4);
  blocks.push(
    line(
      titleRuns(marked, data.title, ['title']),
      { face: b.heading.font, size: b.titleSize, lineSlots: titleSlots, measure: undefined, align: 'center', balance: true },
      coverTop,
      KEEP_TOGETHER,
      'H1',
    ),
  );
  if (data.subtitle)
    blocks.push(line(marked(data.subtitle, ['subtitle']), { size: b.heading.size, measure: undefined, align: 'center' }, 1));
  const issue: ParagraphBlock[] = [];
  if (doc.dateText) issue.push(line(marked(doc.dateText, ['date']), { align: 'center' }));
  if (data.issuer) issue.push(line(marked(data.issuer, ['issuer']), { align: 'center' }));
  if (issue.length > 0) {
    if (cover) blocks.push({ kind: 'group', role: 'header', blocks: issue, spaceBefore: 1, keep: KEEP_TOGETHER });
    else blocks.push({ kind: 'group', role: 'header', blocks: issue, spaceBefore: 0, keep: KEEP_TOGETHER, placement: 'foot' });
  }

  // The contents: every titled section, its folio flush with the line end after leaders, linked to it.
  const titled = booklet.sections.filter((s) => s.title !== '');
  if (data.contents && titled.length > 0) {
    blocks.push(sectionStart('contents', b.startOn, b.contentsTitle, true));
    blocks.push(
      line(
        [{ kind: 'text', text: b.contentsTitle, source: { origin: 'template', path: ['booklet', 'contentsTitle'] } }],
        {
          face: b.heading.font,
          size: b.heading.size,
          headingSlots: b.heading.lines,
          measure: undefined,
        },
        0,
        KEEP_HEADING,
        'H1',
      ),
    );
    titled.forEach((s, k) => {
      const anchor = sectionAnchor(s.index);
      // A title too long for its line turns over a further em in, so that each entry's start stands out,
      // in lines of about equal length (no stub of a word left alone before the leaders).
      const entry = line(
        titleRunsOnOneLine(marked, s.title, ['sections', s.index, 'title']),
        { inset: 2, firstLineIndent: -1, balance: true },
        k === 0 ? 1 : 0,
      );
      entry.role = 'body';
      entry.trailer = {
        inlines: [{ kind: 'pageNumber', target: anchor, source: { origin: 'content', path: ['sections', s.index] } }],
        leader: b.leader,
      };
      entry.link = anchor;
      blocks.push(entry);
    });
  }

  for (const section of booklet.sections) blocks.push(...sectionBlocks(doc, section, { marked, problems, heading, line }));

  // The colophon (奥付): label and value lines at the foot of the last page.
  if (data.colophon?.length) {
    const rows = data.colophon.map(([label, value], r) => {
      const row = line(marked(value, ['colophon', r, 1]), { size: t.body.size * 0.9, measure: undefined });
      row.labels = [{ inlines: marked(label, ['colophon', r, 0]), column: 'colophon', gapAfter: 2 }];
      return row;
    });
    rows[0]!.rule = 'above';
    rows[0]!.spaceBefore = 1;
    blocks.push({ kind: 'group', role: 'after', blocks: rows, spaceBefore: 1, keep: KEEP_TOGETHER, placement: 'foot' });
  }

  const furniture: DocumentTree['furniture'] = {
    pageTexts: [],
    runningTexts: runningTexts(
      t,
      runningHeadText(marked, data.runningHead ?? data.title, [data.runningHead !== undefined ? 'runningHead' : 'title']),
    ),
  };
  if (cover) {
    const dpi = coverResolution(t, cover);
    if (dpi < b.minimumDpi - 0.5) {
      warnings.push(
        `cover image ${cover.shown}: ${Math.round(dpi)} dpi filling the page${t.print ? ' and its bleed' : ''} (${cover.pixelWidth}×${cover.pixelHeight} pixels); print needs ${b.minimumDpi} dpi`,
      );
    }
  }
  if (cover)
    furniture.backgrounds = [
      {
        file: cover.file,
        pixelWidth: cover.pixelWidth,
        pixelHeight: cover.pixelHeight,
        page: 0,
        panelLines: coverPanelLines(t, data, titleSlots),
      },
    ];
  problems.throwIfAny();
  return { settings: t, metadata: letterMetadata(doc), furniture, blocks, warnings };
}

function sectionStart(
  anchor: string,
  startOn: SectionStartBlock['startOn'],
  title: string | undefined,
  furniture: boolean,
  pageLabel?: string,
  writingMode?: WritingModeName,
): SectionStartBlock {
  return {
    kind: 'sectionStart',
    anchor,
    startOn,
    title,
    furniture,
    ...(pageLabel !== undefined ? { pageLabel } : {}),
    ...(writingMode !== undefined ? { writingMode } : {}),
  };
}

/** The line pitch (行送り) of the template's grid: its block extent (the 版面's height, or width in vertical writing) over 行数. */
function pitchOf(t: ResolvedTemplate): number {
  const { size, margins } = t.page;
  const blockExtent =
    t.body.writingMode === 'vertical-rl' ? size[0] - margins.left - margins.right : size[1] - margins.top - margins.bottom;
  return blockExtent / t.body.linesPerPage;
}

/**
 * The cover picture's resolution where it is printed: it covers the page (cut at its edges, layout's
 * background) and, in the press PDF, the bleed too (print.ts scales it about the centre to reach it).
 */
function coverResolution(t: ResolvedTemplate, cover: LoadedPhoto): number {
  const [width, height] = t.page.size;
  const bleed = t.print?.bleed ?? 0;
  const scale = Math.max((width + 2 * bleed) / cover.pixelWidth, (height + 2 * bleed) / cover.pixelHeight);
  return PT_PER_IN / scale;
}

/** Grid lines the white panel behind the cover's text takes: its space, the title and the subtitle, date and issuer lines. */
function coverPanelLines(t: ResolvedTemplate, data: NonNullable<LoadedDocument['booklet']>['data'], titleSlots: number): number {
  const b = t.booklet!;
  const measure = t.body.charsPerLine * t.body.size;
  const titleLineCount = titleLines(data.title).reduce((n, l) => n + Math.ceil(([...l].length * b.titleSize) / measure), 0);
  const subtitle = data.subtitle ? 1 + Math.ceil((b.heading.size * 1.2) / pitchOf(t)) : 0;
  const issue = (data.date ? 1 : 0) + (data.issuer ? 1 : 0);
  return 1 + titleLineCount * titleSlots + subtitle + (issue > 0 ? issue + 1 : 0);
}

/** Running heads (the booklet title filled in; {section} and {page} are layout's) and folios. */
function runningTexts(t: ResolvedTemplate, title: string): RunningText[] {
  const b = t.booklet!;
  const out: RunningText[] = [];
  const rh = b.runningHeads;
  if (rh) {
    for (const side of ['left', 'right'] as const) {
      const format = rh[side].replaceAll('{title}', title);
      if (format === '') continue;
      out.push({
        role: 'head',
        format,
        ...(rh[side].includes('{title}') ? { title } : {}),
        face: rh.font,
        size: rh.size,
        edge: 'top',
        offset: rh.offset,
        align: rh.align,
        side,
        source: { origin: 'template', path: ['booklet', 'runningHeads', side] },
      });
    }
  }
  const f = b.folios;
  if (f)
    out.push({
      role: 'folio',
      format: f.format,
      face: f.font,
      size: f.size,
      edge: 'bottom',
      offset: f.offset,
      align: f.align,
      side: 'both',
      source: { origin: 'template', path: ['booklet', 'folios', 'format'] },
    });
  return out;
}

type LineMaker = (
  runs: InlineRun[],
  style: Partial<ParagraphStyle>,
  spaceBefore?: number,
  keep?: Keep,
  structure?: StructureRole,
) => ParagraphBlock;

/** A section's blocks: its start, heading, byline, recipient, body, closing, signature and 追伸, chronology, photos. */
function sectionBlocks(
  doc: LoadedDocument,
  section: LoadedSection,
  {
    marked,
    problems,
    heading,
    line,
  }: { marked: Marked; problems: Problems; heading: (title: string, path: FieldPath) => ParagraphBlock; line: LineMaker },
): Block[] {
  const t = doc.template;
  const b = t.booklet!;
  const at = (...rest: FieldPath): FieldPath => ['sections', section.index, ...rest];
  const letter = section.letter;
  const start = sectionStart(
    sectionAnchor(section.index),
    section.startOn,
    plainTitle(section.title ?? '') || undefined,
    true,
    undefined,
    section.writingMode,
  );
  if (section.runningHead !== undefined) start.runningHead = runningHeadText(marked, section.runningHead, at('runningHead'));
  const out: Block[] = [start];

  // Title, subtitle and byline: one group kept together and with the text after it.
  const head: ParagraphBlock[] = [];
  if (section.title) head.push(heading(section.title, at('title')));
  const subtitle = section.subtitle ?? letter?.content.subtitle;
  if (subtitle) head.push(line(marked(subtitle, at('subtitle')), { face: b.heading.font }));
  const byline: ParagraphBlock[] = [];
  const date = letter?.content.date;
  if (date !== undefined) {
    const style = doc.booklet!.data.dateStyle ?? letter!.content.dateStyle ?? defaultDateStyle(date);
    byline.push(line(marked(formatDate(date, style, t.body.digits), at('date')), { align: 'end' }, 1));
  }
  const author = section.author ?? letter?.content.sender;
  if (author) byline.push(line(marked(author, at('author')), { align: 'end' }, byline.length === 0 ? 1 : 0));
  head.push(...byline);
  if (head.length > 0) out.push({ kind: 'group', role: 'header', blocks: head, spaceBefore: 0, keep: KEEP_HEADING });

  // A letter's 宛名 heads its text, as in the letter.
  if (letter)
    for (const [k, r] of (letter.content.recipient ?? []).entries())
      out.push(line(marked(r, at('recipient', k)), {}, k === 0 ? 1 : 0, KEEP_WITH_PREVIOUS));
  let ending = -1;
  if (section.body) {
    const source = letter ?? { ...doc, content: { ...doc.content, opening: undefined } };
    // The view numbers the section's units from 0: a body written in the booklet is located by the
    // booklet's numbering (from `base`), a letter's by the letter's own.
    const base = letter ? 0 : section.body.base;
    const view: LoadedDocument = {
      ...source,
      template: t,
      paragraphs: section.body.paragraphs,
      bodyBlocks: section.body.bodyBlocks,
      locateBodyOffset: (unit, charIndex) => source.locateBodyOffset(unit + base, charIndex),
    };
    const { blocks, ending: endingBlock } = problems.collect(() => bodyBlocks(view, false), { blocks: [], ending: undefined });
    relocate(blocks, section.body.base, at());
    if (endingBlock) ending = out.length + blocks.indexOf(endingBlock);
    out.push(...blocks);
  }
  if (letter) {
    // The 結語 goes before a 記書き or a lone 以上 when the template says so, as in the letter itself.
    const closing = letter.content.closing ? line(marked(letter.content.closing, at('closing')), { align: 'end' }) : undefined;
    const after: ParagraphBlock[] = [];
    if (closing && ending >= 0 && t.kigaki.closingFirst) out.splice(ending, 0, { ...closing, keep: KEEP_WITH_PREVIOUS });
    else if (closing) after.push(closing);
    for (const [k, s] of (letter.content.signature ?? []).entries())
      after.push(line(marked(s, at('signature', k)), { align: 'end' }, k === 0 ? 1 : 0));
    // 追伸 after the signature: its paragraphs, a line apart from it.
    for (const [k, p] of splitParagraphs(letter.content.postscript ?? '').entries())
      after.push(line(marked(p, at('postscript')), { align: 'start' }, k === 0 ? 1 : 0, KEEP_RUNNING_TEXT));
    if (after.length > 0) out.push({ kind: 'group', role: 'after', blocks: after, spaceBefore: 0, keep: KEEP_WITH_PREVIOUS });
  }
  if (section.chronology) out.push(chronology(doc, section, marked, line));
  // The first photo stays on the page of the heading and byline above it (they are not left alone there).
  const headLines = (section.title ? b.heading.lines - 1 : 0) + head.length + (byline.length > 0 ? 1 : 0);
  const firstPhotoReserve = section.body || section.chronology ? 0 : headLines;
  const vertical = (section.writingMode ?? t.body.writingMode) === 'vertical-rl';
  out.push(...photoBlocks(marked, t, section.photos ?? [], firstPhotoReserve, vertical));
  return out;
}

/** Runs of a section's body made by bodyBlocks: their units renumbered into the booklet's, their paths under the section. */
function relocate(blocks: readonly Block[], base: number, prefix: FieldPath): void {
  const fix = (source: TextSource): TextSource => ({
    ...source,
    path: [...prefix, ...source.path],
    ...(source.paragraph !== undefined ? { paragraph: source.paragraph + base } : {}),
  });
  const walk = (list: readonly Block[]) => {
    for (const block of list) {
      if (block.kind === 'group') walk(block.blocks);
      if (block.kind !== 'paragraph') continue;
      block.inlines = block.inlines.map((run) => (run.kind === 'break' ? run : { ...run, source: fix(run.source) }));
      if (block.labels)
        block.labels = block.labels.map((label) => ({
          ...label,
          inlines: label.inlines.map((run) => ({ ...run, source: fix(run.source) })),
        }));
    }
  };
  walk(blocks);
}

/**
 * A chronology (年表): column heads, then one row per entry — the date in a column as wide as the widest
 * date, the text hanging after it — each row kept whole; the heads repeat on every page it continues on
 * and never stand alone at the foot of a page (they go with the first row).
 */
function chronology(doc: LoadedDocument, section: LoadedSection, marked: Marked, line: LineMaker): Block {
  const b = doc.template.booklet!;
  const column = `chronology${section.index}`;
  const headStyle: Partial<ParagraphStyle> = { face: b.heading.font };
  const headSource = (k: number): TextSource => ({ origin: 'template', path: ['booklet', 'chronologyHeads', k] });
  const head = line([{ kind: 'text', text: b.chronologyHeads[1], source: headSource(1) }], headStyle);
  head.labels = [{ inlines: [{ kind: 'text', text: b.chronologyHeads[0], source: headSource(0) }], column, gapAfter: 2 }];
  head.rule = 'below';
  // Kept with the first row: a row too long for the rest of the page starts under the heads all the same.
  head.keep = KEEP_HEADING;
  const rows = section.chronology!.map((row, r) => {
    const p = line(marked(row.text, ['sections', section.index, 'chronology', r, 'text']), { align: 'justify' });
    p.role = 'body';
    // The date column takes at most half the line: a longer date is an error at it, not a table without text.
    p.labels = [
      { inlines: marked(row.dateText, ['sections', section.index, 'chronology', r, 'date']), column, gapAfter: 2, maxShare: 0.5 },
    ];
    return p;
  });
  const [first, ...others] = rows;
  return {
    kind: 'group',
    role: 'body',
    blocks: [{ kind: 'group', role: 'body', blocks: first ? [head, first] : [head], spaceBefore: 0, keep: KEEP_TOGETHER }, ...others],
    spaceBefore: 1,
    keep: KEEP_FREE,
    repeatHead: head,
  };
}

/**
 * Photos as figures, each with its caption under it and kept on one page: a landscape photo at the width
 * of the text block, an upright or square one at half of it (about as deep as a landscape one at full
 * width) — and a photo that would not fit a page at full width at half too, beside another half one
 * (alone it stays at full width, scaled to the page) — unless `width:` says; two half-width photos in a
 * row stand side by side. In vertical writing the same along the columns: an
 * upright photo the length of a column, a landscape or square one half of it, two of those one above the
 * other. Layout scales a figure down further if even that would not fit the text block with its captions.
 */
function photoBlocks(
  marked: Marked,
  t: ResolvedTemplate,
  photos: readonly LoadedPhoto[],
  firstReserve: number,
  vertical: boolean,
): FigureBlock[] {
  const b = t.booklet!;
  // Along the line (the measure: across the page, or down a column in vertical writing) and across the lines.
  const measure = t.body.charsPerLine * t.body.size;
  const { size, margins } = t.page;
  const blockRoom = vertical ? size[0] - margins.left - margins.right : size[1] - margins.top - margins.bottom;
  /** Half: long across the lines (upright in horizontal text, landscape in a column); 'deep': too deep at full measure. */
  const shareOf = (photo: LoadedPhoto): 0.5 | 1 | 'deep' => {
    if (photo.width !== undefined) return photo.width === 'half' ? 0.5 : 1;
    const along = vertical ? photo.pixelHeight : photo.pixelWidth;
    const across = vertical ? photo.pixelWidth : photo.pixelHeight;
    if (across >= along) return 0.5;
    return (measure * across) / along > blockRoom - 3 * pitchOf(t) ? 'deep' : 1;
  };
  const shares = photos.map(shareOf);
  const halfOrDeep = (k: number) => shares[k] === 0.5 || shares[k] === 'deep';
  const cell = (photo: LoadedPhoto): FigureCell => ({
    file: photo.file,
    shown: photo.shown,
    pixelWidth: photo.pixelWidth,
    pixelHeight: photo.pixelHeight,
    ...(photo.caption ? { caption: marked(photo.caption, [...photo.path.slice(0, -1), 'caption']) } : {}),
  });
  const figures: FigureBlock[] = [];
  for (let k = 0; k < photos.length; k++) {
    // A photo too deep for the full measure goes at half beside another half one; alone, at full measure,
    // where layout scales it to the page — rather than half its size with the rest of the page empty.
    const pair = halfOrDeep(k) && k + 1 < photos.length && halfOrDeep(k + 1);
    const share = pair ? 0.5 : shares[k] === 'deep' ? 1 : (shares[k] as 0.5 | 1);
    figures.push({
      kind: 'figure',
      role: 'body',
      cells: pair ? [cell(photos[k]!), cell(photos[++k]!)] : [cell(photos[k]!)],
      share,
      caption: { face: t.body.font, size: b.captionSize, lineBreak: t.body.lineBreak },
      reserveLines: figures.length === 0 ? firstReserve : 0,
      minimumDpi: b.minimumDpi,
      spaceBefore: 1,
      keep: KEEP_TOGETHER,
    });
  }
  return figures;
}
