/**
 * What layout does for booklets beyond running text: photos in the flow, contents lines with leaders, and
 * the furniture and navigation of facing pages (running heads, folios, page labels, bookmarks). Kept
 * apart from layout.ts so that letters never pass through it; x/y come only from the writing mode.
 */
import type { FontFace } from '../font/fonts.js';
import {
  TextSourceError,
  type DocumentTree,
  type FigureBlock,
  type ParagraphStyle,
  type RunningText,
  type SectionStartBlock,
} from '../model/document.js';
import { composeRuns, type ComposedLine, type ParagraphSettings } from '../text/compose.js';
import { verticalForms } from '../text/vertical.js';
import type { FlowLines, PlacedLine } from './flow.js';
import { annotationItem, drawRunningText, emBoxAscent, type FaceOf, type PageMaster } from './masters.js';
import type { ImageItem, LaidOutPage, Navigation, PageItem, RuleItem } from './page.js';
import { writingMode, type TextRegion, type WritingMode } from './writing-mode.js';
import { MM_PER_IN, PT_PER_IN } from '../units.js';
import { PRESS_RESOLUTION_FAIL } from '../pdf/resolution.js';

/** A figure as the page breaker places it: one "line" as deep as its images and captions, on whole grid lines. */
export interface FlowFigure {
  figure: FigureBlock;
  anchors: readonly string[];
  face: FontFace;
  cells: FlowFigureCell[];
  /** pt across the lines the images take (the deepest image); the captions follow on `captionSlots` grid lines. */
  imageExtent: number;
  imageSlots: number;
  captionSlots: number;
  /** Captions set in vertical columns (beside the images, after them along the block axis). */
  vertical: boolean;
}

interface FlowFigureCell {
  /** pt along the inline axis from the region's start: where the cell starts and how wide it is. */
  cellStart: number;
  cellExtent: number;
  /** The image: pt along and across. */
  inlineExtent: number;
  blockExtent: number;
  captionLines: ComposedLine[];
  /** pt: the measure the caption was set in (the photo's extent, or the cell's). */
  captionExtent: number;
}

/** Grid positions within this of a whole line count as on it. */
const GRID_EPSILON = 1e-9;

/**
 * A figure's cells side by side, each its share of the measure (less half the `gap` between two),
 * its image as deep as its proportions make it and its caption composed under it; when the deepest image
 * and the captions would not fit the text block, every image is scaled down alike — a photo never
 * overflows the 版面. Pixels are never resampled (the PDF embeds each file as it is), so a photo's
 * resolution on the page is its pixels over its size; below `minimumDpi` the author hears of it, by file.
 */
/** The narrowest a caption is set to its photo's extent, in em of the caption's size. */
const MIN_CAPTION_EM = 12;
/** Rounds of fitting a caption to its photo and the photo to the page beside its caption. */
const CAPTION_ROUNDS = 4;

export function layoutFigure(
  block: FigureBlock,
  region: TextRegion,
  mode: WritingMode,
  faceOf: FaceOf,
  gap: number,
  anchors: readonly string[],
  /** Set in vertical writing: captions are columns, composed by its rules (as body text is). */
  vertical?: ParagraphSettings['vertical'],
  /** Grid lines the figure may take (its space before included), where fewer than a page: the rest of a page. */
  maxLines = region.lines,
): FlowLines<FlowFigure> {
  const measure = mode.inlineSize(region);
  const n = block.cells.length;
  const cellExtent = n > 1 ? Math.min(measure * block.share, (measure - gap * (n - 1)) / n) : measure * block.share;
  const rowExtent = n * cellExtent + (n - 1) * gap;
  const face = faceOf(block.caption.face);
  const size = block.caption.size;
  const captionSlotsPerLine = Math.max(1, Math.ceil((size * 1.4) / region.pitch - GRID_EPSILON));
  const captionOf = (k: number, extent: number) => {
    const caption = block.cells[k]!.caption;
    return caption
      ? composeRuns(caption, face, {
          measure: extent / size,
          indent: 0,
          lineBreak: block.caption.lineBreak,
          hangingPunctuation: false,
          openingBracketIndent: 'none',
          ...(vertical ? { vertical } : {}),
        }).lines
      : [];
  };
  // A row of photos is centred on the measure; in vertical writing it stands at the head of the columns
  // (天付き), as figures in a vertically set book do.
  const rowStart = vertical ? 0 : (measure - rowExtent) / 2;
  const cells: FlowFigureCell[] = block.cells.map((cell, k) => ({
    cellStart: rowStart + k * (cellExtent + gap),
    cellExtent,
    inlineExtent: cellExtent,
    blockExtent: mode.imageBlockExtent(cellExtent, cell.pixelWidth, cell.pixelHeight),
    captionLines: captionOf(k, cellExtent),
    captionExtent: cellExtent,
  }));
  const natural = cells.map((c) => ({ inline: c.inlineExtent, block: c.blockExtent }));
  let captionSlots = 0;
  let imageExtent = 0;
  // Captions and at least one line of photo must fit the text block (less what stands above the figure).
  const lines = Math.min(region.lines, maxLines);
  const captionRoom = lines - block.reserveLines - block.spaceBefore - 1;
  /** Scales the photos to the room their captions leave (the caption must leave a line of photo). */
  const fitPhotos = () => {
    captionSlots = Math.max(0, ...cells.map((c) => c.captionLines.length)) * captionSlotsPerLine;
    // A caption longer than that, even on its cell's whole extent, would run off the page: an error at it.
    if (captionSlots > captionRoom) {
      const longest = cells.reduce((a, c, k) => (c.captionLines.length > cells[a]!.captionLines.length ? k : a), 0);
      throw new TextSourceError(
        block.cells[longest]!.caption![0]!.source,
        `this caption takes ${cells[longest]!.captionLines.length} lines at ${size} pt, and a page has room for ${Math.max(0, Math.floor(captionRoom / captionSlotsPerLine))} ${vertical ? 'beside' : 'under'} its photo: shorten it`,
      );
    }
    const room = Math.max(1, lines - captionSlots - block.reserveLines - block.spaceBefore) * region.pitch;
    // Each photo of a row on its own: a tall one scaled to the room does not shrink a square one beside it.
    cells.forEach((c, k) => {
      const scale = natural[k]!.block > room ? room / natural[k]!.block : 1;
      c.inlineExtent = natural[k]!.inline * scale;
      c.blockExtent = natural[k]!.block * scale;
    });
    imageExtent = Math.max(...cells.map((c) => c.blockExtent));
  };
  // A photo scaled down to fit the page is narrower than its cell (shorter than its column, in vertical
  // writing): its caption is set to the photo's extent, as a compositor sets it, not running past it. A
  // narrower caption may take more lines and so shrink the photo again: settled in a few rounds (the last
  // keeps the captions the photo was fitted beside). Where the photo is shorter than MIN_CAPTION_EM (a
  // panorama in vertical writing; a long caption, each column of which takes room from the photo itself),
  // or its caption set to it would not fit the page, the caption takes its cell's whole extent instead, and
  // the photo the room it leaves.
  /** Sets a cell's caption to the extent its photo now calls for; whether it changed. */
  const fitCaption = (c: FlowFigureCell, k: number) => {
    let extent = Math.min(c.cellExtent, c.inlineExtent);
    if (extent < Math.min(c.cellExtent, MIN_CAPTION_EM * size) - GRID_EPSILON) extent = c.cellExtent;
    if (extent === c.captionExtent) return false;
    let lines = captionOf(k, extent);
    if (extent !== c.cellExtent && lines.length * captionSlotsPerLine > captionRoom) {
      extent = c.cellExtent;
      if (extent === c.captionExtent) return false;
      lines = captionOf(k, extent);
    }
    c.captionLines = lines;
    c.captionExtent = extent;
    return true;
  };
  for (let round = 0; round < CAPTION_ROUNDS; round++) {
    fitPhotos();
    if (round === CAPTION_ROUNDS - 1) break;
    let changed = false;
    cells.forEach((c, k) => {
      if (fitCaption(c, k)) changed = true;
    });
    if (!changed) break;
  }
  const imageSlots = Math.max(1, Math.ceil(imageExtent / region.pitch - GRID_EPSILON));
  return {
    kind: 'lines',
    lines: [{ figure: block, anchors, face, cells, imageExtent, imageSlots, captionSlots, vertical: vertical !== undefined }],
    lineSlots: imageSlots + captionSlots,
    spaceBefore: block.spaceBefore,
    onGrid: true,
    keep: block.keep,
  };
}

/**
 * A placed figure as page items: each image centred in its cell (at its head in vertical writing), the
 * images of a row on one foot, the deepest at the figure's top, and the captions a fixed distance under
 * that foot (so that the captions of a row start on one line). In the
 * tagged screen PDF each image is a Figure whose alternative text is its caption, and the caption a
 * Caption (`newElement` numbers structure elements in reading order).
 */
export function figureItems(
  fl: FlowFigure,
  region: TextRegion,
  mode: WritingMode,
  slot: number,
  newElement: () => number,
  warnings: string[],
): PageItem[] {
  const items: PageItem[] = [];
  const imageTop = slot * region.pitch;
  const size = fl.figure.caption.size;
  const captionSlotsPerLine = fl.captionSlots / Math.max(1, ...fl.cells.map((c) => c.captionLines.length));
  const band = captionSlotsPerLine * region.pitch;
  // Ruby and emphasis dots stand on the photo's side of a caption line (over it; right of a column): the
  // captions of a figure with any move that far away from the photo (within their band), so that the
  // annotations do not touch it.
  const annotated = fl.cells.some((c) => c.captionLines.some((line) => line.annotations));
  const captionShift = annotated ? Math.min(size / 4, Math.max(0, (band - size) / 2)) : 0;
  // The images start where the figure does (the top of the text block, at a page's head) and stand on one
  // foot; the captions follow that foot at one distance, whatever the photo's depth: what the grid lines
  // leave over goes after them.
  const imageFoot = imageTop + fl.imageExtent;
  fl.cells.forEach((c, k) => {
    // Centred in its cell; in vertical writing at the head of it (天付き).
    const inlineStart = fl.vertical ? c.cellStart : c.cellStart + (c.cellExtent - c.inlineExtent) / 2;
    // A caption of one line is centred under its photo (at its head in vertical writing); the lines of a
    // longer one all start at one edge — the block of them centred — not each centred on its own.
    const captionWidth = Math.max(0, ...c.captionLines.map((line) => line.contentWidth * size));
    const blockStart = imageFoot - c.blockExtent;
    const alt = c.captionLines.map((line) => line.text).join('');
    const box = mode.box(region, blockStart, c.blockExtent, inlineStart, c.inlineExtent);
    items.push({
      kind: 'image',
      file: fl.figure.cells[k]!.file,
      ...box,
      structure: { role: 'Figure', element: newElement(), ...(alt ? { alt } : {}) },
    });
    resolutionWarning(fl.figure, k, box, warnings);
    const caption = c.captionLines.length > 0 ? newElement() : 0;
    c.captionLines.forEach((line, j) => {
      const lineStart = fl.vertical ? inlineStart : c.cellStart + (c.cellExtent - captionWidth) / 2;
      const origin = mode.lineOrigin(region, imageFoot + captionShift + j * band, band, lineStart, size, emBoxAscent(fl.face));
      items.push({
        kind: 'text',
        face: fl.figure.caption.face,
        size,
        x: origin.x,
        baseline: origin.baseline,
        glyphs: fl.vertical ? verticalForms(line.glyphs, fl.face) : line.glyphs,
        text: line.text,
        width: line.width,
        measure: c.captionExtent / size,
        isLastOfParagraph: line.isLast,
        role: 'body',
        structure: { role: 'Caption', element: caption, ...(line.rubies ? { ruby: line.rubies } : {}) },
        ...(fl.vertical ? { writingMode: 'vertical-rl' as const } : {}),
      });
      if (line.annotations) items.push(annotationItem(line, origin, mode, fl.face, fl.figure.caption.face, size, c.captionExtent / size));
    });
  });
  return items;
}

/** A photo under the figure's minimum resolution at the size it is placed (after any scaling to its page): a warning naming it. */
function resolutionWarning(figure: FigureBlock, k: number, box: { width: number; height: number }, warnings: string[]): void {
  const cell = figure.cells[k]!;
  const dpi = Math.min((cell.pixelWidth * PT_PER_IN) / box.width, (cell.pixelHeight * PT_PER_IN) / box.height);
  if (dpi < figure.minimumDpi - 0.5) {
    warnings.push(
      `photo ${cell.shown}: ${Math.round(dpi)} dpi at its size on the page (${cell.pixelWidth}×${cell.pixelHeight} pixels over ${((box.width / PT_PER_IN) * MM_PER_IN).toFixed(0)} mm wide); print needs ${figure.minimumDpi} dpi${dpi < PRESS_RESOLUTION_FAIL ? ` — and below ${PRESS_RESOLUTION_FAIL} the press PDF fails its preflight: give a larger image` : ''}`,
    );
  }
}

/** A thin rule across the region's measure, `blockOffset` pt into it along the block axis. */
export function ruleItem(region: TextRegion, mode: WritingMode, blockOffset: number): RuleItem {
  const box = mode.box(region, blockOffset, 0, 0, mode.inlineSize(region));
  return { kind: 'rule', x1: box.x, y1: box.y, x2: box.x + box.width, y2: box.y + box.height, thickness: 0.4, color: '#000000' };
}

/**
 * A contents line's last line with its trailer (the page number) flush with the end of `measure` em and
 * leaders between: whole leader characters on a grid of their own width from the line start, so that the
 * leaders of every line stand in the same columns, half an em clear of the text and the number.
 */
export function trailerGlyphs(
  line: ComposedLine,
  trailer: ComposedLine,
  leader: string,
  face: FontFace,
  measure: number,
  style: ParagraphStyle,
): ComposedLine {
  const dot = composeRuns([{ kind: 'text', text: leader, source: { origin: 'template', path: ['booklet', 'leader'] } }], face, {
    measure: 100,
    indent: 0,
    lineBreak: style.lineBreak,
    hangingPunctuation: false,
    openingBracketIndent: 'none',
  }).lines[0];
  const trailerStart = measure - trailer.width;
  const glyphs = [...line.glyphs];
  let text = line.text;
  if (dot && dot.width > 0) {
    const step = dot.width;
    const end = trailerStart - 0.5;
    for (let x = Math.ceil((line.contentWidth + 0.5) / step - GRID_EPSILON) * step; x + step <= end + GRID_EPSILON; x += step) {
      for (const g of dot.glyphs) glyphs.push({ ...g, x: g.x + x });
      text += dot.text;
    }
  }
  for (const g of trailer.glyphs) glyphs.push({ ...g, x: g.x + trailerStart });
  text += trailer.text;
  return { ...line, glyphs, text, width: measure, contentWidth: measure };
}

interface SectionPlace {
  block: SectionStartBlock;
  page: number;
  slot: number;
  /** The top of its first line on the page, pt (a bookmark's destination). */
  top: number;
}

/** The section starts of a document, in order. */
function sectionStarts(doc: DocumentTree): SectionStartBlock[] {
  const out: SectionStartBlock[] = [];
  const walk = (blocks: DocumentTree['blocks']) => {
    for (const b of blocks) {
      if (b.kind === 'sectionStart') out.push(b);
      else if (b.kind === 'group') walk(b.blocks);
    }
  };
  walk(doc.blocks);
  return out;
}

/**
 * The furniture of facing pages and the navigation of a document made of sections (a booklet; a
 * document without sections gets none): on each page, the running heads and folio of its side, with
 * {section} the title of the section in force — none on the pages of a section without furniture (the
 * cover), none on a page the flow left blank or the colophon's own pages, no running head on a page where a
 * section opens; a page background (the cover photo) behind the text;
 * the bookmarks; and page labels equal to the printed folios.
 */
export function bookletFurniture(
  doc: DocumentTree,
  pages: LaidOutPage[],
  placed: readonly (readonly PlacedLine<unknown>[])[],
  masterOf: (page: number) => PageMaster,
  anchorPlaces: ReadonlyMap<string, { page: number; slot: number; top: number }>,
  faceOf: FaceOf,
  folioOf: (page: number) => string,
  warnings: string[] = [],
  colophonPages: ReadonlySet<number> = new Set(),
): Navigation | undefined {
  const starts = sectionStarts(doc);
  if (starts.length === 0) return undefined;
  const places: SectionPlace[] = starts.flatMap((block) => {
    const at = anchorPlaces.get(block.anchor);
    return at ? [{ block, ...at }] : [];
  });
  const sectionOf = (page: number) => {
    let current: SectionPlace | undefined;
    for (const s of places) if (s.page <= page) current = s;
    return current;
  };
  const lineBreak = doc.settings.body.lineBreak;
  const shortened = new Set<string>();
  /**
   * A running head too long for its line: the warning says which part to shorten. The section's title
   * when the head without it fits; else the booklet title when the template puts it in; else the format.
   */
  const tooLong = (rt: RunningText, master: PageMaster, folio: string) => (text: string, cut: string) => {
    if (shortened.has(text)) return;
    shortened.add(text);
    let fixedPartFits = true;
    if (rt.format.includes('{section}')) {
      const fixedPart = rt.format.replaceAll('{page}', folio).replaceAll('{section}', '');
      drawRunningText(rt, fixedPart, master, faceOf, lineBreak, () => (fixedPartFits = false));
    }
    const advice =
      rt.format.includes('{section}') && fixedPartFits
        ? 'give the section a shorter runningHead'
        : rt.title !== undefined
          ? 'the booklet title is too long for it; give the booklet a shorter runningHead'
          : `shorten the template's booklet.runningHeads.${rt.side}`;
    warnings.push(`the running head "${text}" is longer than its line and is set as "${cut}": ${advice}`);
  };
  const pageLabels: Navigation['pageLabels'] = [];
  pages.forEach((page, k) => {
    const master = masterOf(k);
    const section = sectionOf(k);
    const furnished = section?.block.furniture;
    // A page where a section opens, under its heading, has no running head (柱), as books set them: the
    // heading says what the page is. Its folio stays.
    const opens = places.some((s) => s.page === k);
    if (furnished && placed[k]!.length > 0 && !colophonPages.has(k)) {
      for (const rt of doc.furniture.runningTexts ?? []) {
        // Pages that are not facing (margins left and right) count as right-hand pages.
        if (rt.side !== 'both' && rt.side !== (master.side ?? 'right')) continue;
        if (rt.role === 'head' && opens) continue;
        const heading = section.block.runningHead ?? section.block.title ?? '';
        const text = rt.format.replaceAll('{page}', folioOf(k)).replaceAll('{section}', heading);
        const item = drawRunningText(rt, text, master, faceOf, lineBreak, tooLong(rt, master, folioOf(k)));
        if (item) page.items.push(item);
      }
    }
    for (const bg of doc.furniture.backgrounds ?? [])
      if (bg.page === k) page.items.unshift(...background(bg, page, master, writingMode(doc.settings.body.writingMode)));
    // Page labels: a range starts where numbering starts or a fixed label changes.
    // Pages of a section without folios (the cover) are labelled by name; every other page — a blank one
    // too, as its number is counted though not printed — by its folio.
    const named = section !== undefined && !section.block.furniture && placed[k]!.length > 0;
    const label = named ? (section.block.pageLabel ?? '') : undefined;
    const last = pageLabels[pageLabels.length - 1];
    if (label === undefined) {
      if (!last || last.prefix !== undefined) pageLabels.push({ page: k, start: Number(folioOf(k)) });
    } else if (!last || last.prefix !== label) pageLabels.push({ page: k, prefix: label });
  });
  const outline = places
    .filter((s) => s.block.title !== undefined && s.block.title !== '')
    .map((s) => ({ title: s.block.title!, page: s.page, top: s.top }));
  return { outline, pageLabels, ...(doc.settings.page.binding === 'right' ? { direction: 'R2L' as const } : {}) };
}

/**
 * A page background: the picture scaled to cover the page and cut at its edges, a white panel behind the
 * first lines of the text (at the head in horizontal writing, at the right in vertical).
 */
function background(
  bg: NonNullable<DocumentTree['furniture']['backgrounds']>[number],
  page: LaidOutPage,
  master: PageMaster,
  mode: WritingMode,
): PageItem[] {
  const scale = Math.max(page.width / bg.pixelWidth, page.height / bg.pixelHeight);
  const width = bg.pixelWidth * scale;
  const height = bg.pixelHeight * scale;
  const image: ImageItem = {
    kind: 'image',
    file: bg.file,
    x: (page.width - width) / 2,
    y: (page.height - height) / 2,
    width,
    height,
    clip: { x: 0, y: 0, width: page.width, height: page.height },
  };
  const r = master.region;
  const pad = r.pitch;
  const panel = mode.box(r, 0, bg.panelLines * r.pitch, 0, mode.inlineSize(r));
  return [
    image,
    { kind: 'box', x: panel.x - pad, y: panel.y - pad, width: panel.width + 2 * pad, height: panel.height + 2 * pad, color: '#ffffff' },
  ];
}
