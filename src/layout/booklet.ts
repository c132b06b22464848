/**
 * What layout does for booklets beyond running text: photos in the flow, contents lines with leaders, and
 * the furniture and navigation of facing pages (running heads, folios, page labels, bookmarks). Kept
 * apart from layout.ts so that letters never pass through it; x/y come only from the writing mode.
 */
import type { FontFace } from '../font/fonts.js';
import type { DocumentTree, FigureBlock, ParagraphStyle, SectionStartBlock } from '../model/document.js';
import { composeRuns, type ComposedLine } from '../text/compose.js';
import type { FlowLines, PlacedLine } from './flow.js';
import { drawRunningText, type FaceOf, type PageMaster } from './masters.js';
import type { ImageItem, LaidOutPage, Navigation, PageItem } from './page.js';
import type { TextRegion, WritingMode } from './writing-mode.js';

/** A figure as the page breaker places it: one "line" as deep as the image, on whole grid lines. */
export interface FlowFigure {
  figure: FigureBlock;
  anchors: readonly string[];
  /** pt along the inline axis and across it. */
  inlineExtent: number;
  blockExtent: number;
}

/** Grid positions within this of a whole line count as on it. */
const GRID_EPSILON = 1e-9;
const PT_PER_INCH = 72;

/**
 * A figure scaled to its share of the measure, or smaller when it would be deeper than the text block
 * leaves room for (with its caption): a photo never overflows the 版面. Its pixels are never resampled
 * (the PDF embeds the file as it is), so its resolution on the page is its pixels over its size; below
 * `minimumDpi` the author hears of it, by file name.
 */
export function layoutFigure(
  block: FigureBlock,
  region: TextRegion,
  mode: WritingMode,
  warnings: string[],
  anchors: readonly string[],
): FlowLines<FlowFigure> {
  const minimumDpi = block.minimumDpi;
  let inlineExtent = mode.inlineSize(region) * block.share;
  let blockExtent = mode.imageBlockExtent(inlineExtent, block.pixelWidth, block.pixelHeight);
  const room = Math.max(1, region.lines - block.reserveLines) * region.pitch;
  if (blockExtent > room) {
    inlineExtent *= room / blockExtent;
    blockExtent = room;
  }
  const box = mode.box(region, 0, blockExtent, 0, inlineExtent);
  const dpi = Math.min((block.pixelWidth * PT_PER_INCH) / box.width, (block.pixelHeight * PT_PER_INCH) / box.height);
  if (dpi < minimumDpi - 0.5) {
    warnings.push(
      `photo ${block.shown}: ${Math.round(dpi)} dpi at its size on the page (${block.pixelWidth}×${block.pixelHeight} pixels over ${((box.width / PT_PER_INCH) * 25.4).toFixed(0)} mm wide); print needs ${minimumDpi} dpi`,
    );
  }
  const slots = Math.max(1, Math.ceil(blockExtent / region.pitch - GRID_EPSILON));
  return {
    kind: 'lines',
    lines: [{ figure: block, anchors, inlineExtent, blockExtent }],
    lineSlots: slots,
    spaceBefore: block.spaceBefore,
    onGrid: true,
    keep: block.keep,
  };
}

/** A placed figure as an image on the page, centred along the line and in the grid lines it takes. */
export function figureItem(fl: FlowFigure, region: TextRegion, mode: WritingMode, slot: number, slots: number): ImageItem {
  const inlineStart = (mode.inlineSize(region) - fl.inlineExtent) / 2;
  const blockStart = slot * region.pitch + (slots * region.pitch - fl.blockExtent) / 2;
  const box = mode.box(region, blockStart, fl.blockExtent, inlineStart, fl.inlineExtent);
  return { kind: 'image', file: fl.figure.file, ...box };
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
 * cover) and none on a page the flow left blank; a page background (the cover photo) behind the text;
 * the bookmarks; and page labels equal to the printed folios.
 */
export function bookletFurniture(
  doc: DocumentTree,
  pages: LaidOutPage[],
  placed: readonly (readonly PlacedLine<unknown>[])[],
  masterOf: (page: number) => PageMaster,
  anchorPlaces: ReadonlyMap<string, { page: number; slot: number }>,
  faceOf: FaceOf,
  folioOf: (page: number) => string,
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
  const pageLabels: Navigation['pageLabels'] = [];
  pages.forEach((page, k) => {
    const master = masterOf(k);
    const section = sectionOf(k);
    const furnished = section?.block.furniture;
    if (furnished && placed[k]!.length > 0) {
      for (const rt of doc.furniture.runningTexts ?? []) {
        if (rt.side !== 'both' && rt.side !== master.side) continue;
        const text = rt.format.replaceAll('{page}', folioOf(k)).replaceAll('{section}', section.block.title ?? '');
        const item = drawRunningText(rt, text, master, faceOf, lineBreak);
        if (item) page.items.push(item);
      }
    }
    for (const bg of doc.furniture.backgrounds ?? []) if (bg.page === k) page.items.unshift(...background(bg, page, master));
    // Page labels: a range starts where numbering starts or a fixed label changes.
    const label = furnished || section === undefined ? undefined : (section.block.pageLabel ?? '');
    const last = pageLabels[pageLabels.length - 1];
    if (label === undefined) {
      if (!last || last.prefix !== undefined) pageLabels.push({ page: k, start: Number(folioOf(k)) });
    } else if (!last || last.prefix !== label) pageLabels.push({ page: k, prefix: label });
  });
  const outline = places
    .filter((s) => s.block.title !== undefined && s.block.title !== '')
    .map((s) => ({ title: s.block.title!, page: s.page, top: masterOf(s.page).region.y + s.slot * masterOf(s.page).region.pitch }));
  return { outline, pageLabels };
}

/** A page background: the picture scaled to cover the page and cut at its edges, a white panel behind the text at the head. */
function background(bg: NonNullable<DocumentTree['furniture']['backgrounds']>[number], page: LaidOutPage, master: PageMaster): PageItem[] {
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
  return [
    image,
    { kind: 'box', x: r.x - pad, y: r.y - pad, width: r.width + 2 * pad, height: bg.panelLines * r.pitch + 2 * pad, color: '#ffffff' },
  ];
}
