/**
 * Layout: a document tree onto pages. Pure data in, pure data out — no files, no PDF.
 *
 *   1. the page masters give each page its size, text region (版面 and its line grid) and furniture;
 *   2. every paragraph is composed along the inline axis (src/text, JLREQ);
 *   3. the page breaker (flow.ts) places the lines on grid lines of successive pages, with the keep rules;
 *   4. the writing mode (writing-mode.ts) turns each line's grid line and inline offset into x/y;
 *   5. the furniture that needs the page count (folios) is drawn once the flow is settled.
 *
 * Lay out, then settle: a document that refers to its own page numbers (a contents page) is laid out
 * with the numbers as far as they are known, then again with the pages its anchors fell on, until they no
 * longer change. A document without page references is laid out once.
 *
 * Everything is on the body's line grid (行取り): a line of any size takes a whole number of grid lines,
 * so the body lines of every page are at the same positions.
 */
import { KumihanError } from '../errors.js';
import { formatFieldPath } from '../model/yamlfile.js';
import type { FontFace } from '../font/fonts.js';
import {
  paragraphsOf,
  TextSourceError,
  type Block,
  type DocumentTree,
  type InlineRun,
  type Label,
  type ParagraphBlock,
  type ParagraphStyle,
  type ResolvedRun,
} from '../model/document.js';
import { composeRuns, type ComposedLine, type ParagraphSettings, type PositionedGlyph } from '../text/compose.js';
import { ANNOTATION_SCALE } from '../text/ruby.js';
import { verticalForms } from '../text/vertical.js';
import { flowPages, type FlowLines, type FlowNode, type PlacedLine } from './flow.js';
import {
  alignedWidth,
  alignOffset,
  annotationItem,
  drawLetterhead,
  drawLetterheadAbove,
  drawPageText,
  emBoxAscent,
  mastersFor,
  regionInMode,
  type FaceOf,
} from './masters.js';
import type { LaidOutDocument, LaidOutPage, PageItem, TextLineItem } from './page.js';
import { bookletFurniture, figureItems, layoutFigure, ruleItem, type FlowFigure, trailerGlyphs } from './booklet.js';
import { writingMode, type TextRegion, type WritingMode, type WritingModeName } from './writing-mode.js';

export type { ImageItem, LaidOutDocument, LaidOutPage, PageItem, RuleItem, TextLineItem } from './page.js';

/** What the page breaker places: a composed line, or a figure, with the writing mode it is set in. */
type FlowItem = (FlowLine | FlowFigure) & { flow: FlowContext };

/** A composed line with what placing it needs: its paragraph and how it is measured. */
interface FlowLine {
  figure?: undefined;
  line: ComposedLine;
  /** Anchors of the blocks this line starts. */
  anchors: readonly string[];
  block: ParagraphBlock;
  face: FontFace;
  /** The measure the line was set in, em (the region's width at its size, or the body's 字詰め). */
  measure: number;
  /** em kept free at the aligned edge: the block's inset and its label columns. */
  inset: number;
  /** The block's first and last line. */
  first: boolean;
  last: boolean;
}

/** Label columns by name with their width in em (the widest label's), and every label composed once. */
interface Columns {
  widths: ReadonlyMap<string, number>;
  lines: ReadonlyMap<Label, ComposedLine | undefined>;
}

/** Runs composed alone on one line (a label, a contents line's page number), by the rules of the writing mode. */
function composeOneLine(runs: ResolvedRun[], face: FontFace, style: ParagraphStyle, flow: FlowContext): ComposedLine | undefined {
  return composeRuns(runs, face, {
    measure: LABEL_MEASURE,
    indent: 0,
    lineBreak: style.lineBreak,
    hangingPunctuation: false,
    openingBracketIndent: 'none',
    ...(flow.vertical ? { vertical: flow.vertical } : {}),
  }).lines[0];
}

/** Ems of text a line keeps after its label columns; in a narrower measure the labels are set in the line. */
const MIN_TEXT_AFTER_LABELS = 4;

/**
 * em kept between a contents title and its page number: room for two leader dots at least, so that a
 * title that nearly fills the line still leads the eye to its number (a longer title wraps before it).
 */
const LEADER_ROOM = 3;

/** A line with nothing on it, to carry a block's labels. */
const EMPTY_LINE: ComposedLine = {
  start: 0,
  end: 0,
  text: '',
  glyphs: [],
  width: 0,
  contentWidth: 0,
  hanging: 0,
  adjustment: 'natural',
  forced: false,
  isLast: true,
};

/** Long enough for any label to stay on one line. */
const LABEL_MEASURE = 1000;

/**
 * Every label column of the document and its width: that of its widest label — of its widest 均等割り label
 * at most twice as wide as its narrowest (OUTLIER_RATIO). A label wider than that (お問い合わせ先： among
 * 日時： and 会場：) is set as written and its text follows it: the others are not spread to its width
 * (日　　　　　時), as a compositor spreads item names only among names of about one length.
 */
function labelColumns(segments: readonly Segment[], faceOf: FaceOf): Columns {
  const widths = new Map<string, number>();
  const spread = new Map<string, number[]>();
  const lines = new Map<Label, ComposedLine | undefined>();
  for (const { flow, blocks } of segments)
    for (const block of paragraphsOf(blocks)) {
      for (const label of block.labels ?? []) {
        const line = composeOneLine(label.inlines, faceOf(block.style.face), block.style, flow);
        const measure = (flow.templateGrid ? block.style.measure : undefined) ?? flow.inlineSize / block.style.size;
        if (label.maxShare !== undefined && line && line.width > measure * label.maxShare) {
          const first = label.inlines[0];
          const message = `"${line.text}" is ${Math.ceil(line.width)} characters wide: its column may take ${Math.floor(measure * label.maxShare)} of the line's ${Math.floor(measure)}; shorten it (put the rest in the text beside it)`;
          if (first) throw new TextSourceError(first.source, message);
        }
        lines.set(label, line);
        const width = (line?.width ?? 0) + (label.gapAfter ?? 0);
        if (label.distribute && line) spread.set(label.column, [...(spread.get(label.column) ?? []), width]);
        else widths.set(label.column, Math.max(widths.get(label.column) ?? 0, width));
      }
    }
  for (const [column, list] of spread) {
    const narrowest = Math.min(...list);
    widths.set(column, Math.max(widths.get(column) ?? 0, ...list.filter((w) => w <= OUTLIER_RATIO * narrowest + 1e-9)));
  }
  return { widths, lines };
}

/** A 均等割り label wider than this many times the narrowest of its column is set as written (labelColumns). */
const OUTLIER_RATIO = 2;

/** Consecutive top-level blocks set in one writing mode (a section's, or the template's). */
interface Segment {
  flow: FlowContext;
  blocks: Block[];
}

/** A paragraph's labels set in their columns: the glyphs (before the line start, at −hang), their text, and the hang. */
function setLabels(labels: readonly Label[], columns: Columns): { glyphs: PositionedGlyph[]; text: string; hang: number } {
  // A label wider than its column (one set as written: labelColumns) takes its own width.
  const widthOf = (label: Label) => {
    const own = (columns.lines.get(label)?.width ?? 0) + (label.gapAfter ?? 0);
    return Math.max(columns.widths.get(label.column) ?? 0, own);
  };
  const hang = labels.reduce((sum, label) => sum + widthOf(label), 0);
  const glyphs: PositionedGlyph[] = [];
  let text = '';
  let x = -hang;
  for (const label of labels) {
    const line = columns.lines.get(label);
    if (line) {
      const extra = widthOf(label) - (label.gapAfter ?? 0) - line.width;
      // 均等割り: the room is shared out between the characters (those that start a cluster) so that the
      // first stands at the column's start and the last at its end — a closing colon (日時：) is not one of
      // them: it follows the last character, in line with the colons of the longer labels.
      const texts = line.glyphs.filter((g) => g.text !== '');
      const starts = texts.length;
      const colon = texts[starts - 1]?.text === '\uff1a' ? 1 : 0;
      const spreadOver = starts - colon;
      const shift = label.alignEnd && extra > 0 ? extra : 0;
      let k = -1;
      for (const g of line.glyphs) {
        if (g.text !== '') k++;
        const step = Math.min(k, spreadOver - 1);
        const spread =
          !label.distribute || extra <= 0 ? 0 : spreadOver > 1 ? (extra * step) / (spreadOver - 1) : colon && k >= spreadOver ? extra : 0;
        glyphs.push({ ...g, x: g.x + x + spread + shift });
      }
      text += line.text;
    }
    x += widthOf(label);
  }
  return { glyphs, text, hang };
}

/** Grid lines a line of this size takes (行取り): as many as its size and a little leading need. */
function slotsFor(size: number, pitch: number): number {
  return Math.max(1, Math.ceil((size * 1.2) / pitch - 1e-9));
}

/**
 * Baseline to baseline of a heading's lines, in its size: a line gap of half an em, closer than running
 * text (the lines of a heading read as one) and just the room ruby takes (JLREQ §3.3.2), the heading
 * centred on the grid as a whole.
 */
const HEADING_LEADING = 1.5;

/** Passes after which page references that still move are an error (they cannot settle: a cycle). */
const MAX_SETTLE_PASSES = 5;

/** Page numbers by anchor: the folio of the page each anchored block starts on. */
export type AnchorPages = ReadonlyMap<string, string>;

export function layoutDocument(doc: DocumentTree, faces: Record<string, FontFace>): LaidOutDocument {
  const cache: ComposeCache = new Map();
  const layout = settle(doc, faces, cache);
  return doc.settings.print?.saddleStitch ? padForSaddleStitch(doc, faces, cache, layout) : layout;
}

/**
 * A cover (a first section without furniture: a booklet's) is one page: what it holds — the title, the
 * subtitle, the date and issuer — running on to the next page (the inside of the cover) is an error at
 * the title, not a silent second page.
 */
function checkCoverFits(blocks: readonly Block[], placed: readonly (readonly PlacedLine<FlowItem>[])[]): void {
  const start = blocks[0];
  if (start?.kind !== 'sectionStart' || start.furniture) return;
  const next = blocks.findIndex((b, k) => k > 0 && b.kind === 'sectionStart');
  const cover = new Set<Block>(paragraphsOf(blocks.slice(1, next < 0 ? blocks.length : next)));
  const onCover = ({ line }: PlacedLine<FlowItem>) => {
    const block = (line as { block?: Block }).block;
    return block !== undefined && cover.has(block);
  };
  if (placed.slice(1).some((page) => page.some(onCover))) {
    const title = paragraphsOf(blocks.slice(1, 2))[0]?.inlines.find((run) => run.kind === 'text');
    const lines = placed.reduce((sum, page) => sum + page.filter(onCover).length, 0);
    const message = `the cover's title, subtitle, date and issuer (${lines} lines) do not fit on the cover: shorten the title or write it on fewer lines`;
    if (title) throw new TextSourceError(title.source, message);
    throw new KumihanError('layout', message);
  }
}

/** Blank pages before a block: the padding of a saddle-stitched booklet, before its colophon. */
interface Padding {
  before: Block;
  blank: number;
}

/** Lays the document out until its page references stop moving (a contents page needs the final numbers). */
function settle(doc: DocumentTree, faces: Record<string, FontFace>, cache: ComposeCache, padding?: Padding): LaidOutDocument {
  if (!hasPageReferences(doc.blocks)) return layoutPass(doc, faces, new Map(), cache, padding).layout;
  let known: AnchorPages = new Map();
  for (let pass = 0; pass < MAX_SETTLE_PASSES; pass++) {
    const { layout, anchors } = layoutPass(doc, faces, known, cache, padding);
    if (sameAnchors(known, anchors)) return layout;
    known = anchors;
  }
  throw new KumihanError(
    'layout',
    `page references did not settle after ${MAX_SETTLE_PASSES} passes (a page number that moves its own target?)`,
  );
}

/**
 * A saddle-stitched booklet is folded from sheets of four pages: its page count is made a multiple of 4
 * with blank pages before the colophon (奥付), which stays on the last page (moved to a page of its own
 * when it shared one). The pages are the same in the screen and the press PDF, so their folios agree. A
 * document without a colophon is padded at its end, in the press PDF only (pdf/outputs.ts).
 */
function padForSaddleStitch(
  doc: DocumentTree,
  faces: Record<string, FontFace>,
  cache: ComposeCache,
  layout: LaidOutDocument,
): LaidOutDocument {
  const count = layout.pages.length;
  const colophon = doc.blocks.at(-1);
  if (count % 4 === 0 || colophon?.kind !== 'group' || colophon.placement !== 'foot') return layout;
  const alone = settle(doc, faces, cache, { before: colophon, blank: 0 });
  const blank = (4 - (alone.pages.length % 4)) % 4;
  const padded = blank === 0 ? alone : settle(doc, faces, cache, { before: colophon, blank });
  // The colophon may have moved to a page of its own (it shared the last page) as well as gained blanks before it.
  const moved = alone.pages.length > count;
  const blanks = `${blank} blank page${blank > 1 ? 's' : ''} before the colophon`;
  const what = blank === 0 ? 'the colophon set on a page of its own' : moved ? `the colophon set on a page of its own, ${blanks}` : blanks;
  padded.warnings.push(`saddle stitch: ${what} (${count} → ${padded.pages.length} pages, a multiple of 4)`);
  return padded;
}

/**
 * The last pages that hold the colophon (奥付) and nothing else — the last page, unless the colophon is too
 * long for one (a warning): a book prints no running head or folio there (its number is counted, not
 * printed, as on a blank page).
 */
function colophonPages(doc: DocumentTree, placed: readonly (readonly PlacedLine<FlowItem>[])[], warnings: string[]): ReadonlySet<number> {
  const pages = new Set<number>();
  const colophon = doc.blocks.at(-1);
  if (colophon?.kind !== 'group' || colophon.placement !== 'foot') return pages;
  const rows = new Set<Block>(paragraphsOf(colophon.blocks));
  const only = (k: number) => {
    const lines = placed[k] ?? [];
    return lines.length > 0 && lines.every(({ line }) => !line.figure && rows.has(line.block));
  };
  // A colophon longer than a page runs on over the last pages: none of them carries furniture.
  for (let k = placed.length - 1; k >= 0 && only(k); k--) pages.add(k);
  if (pages.size > 1)
    warnings.push(
      `the colophon (奥付) takes ${pages.size} pages; it belongs at the foot of the last page: shorten it to what a page holds`,
    );
  return pages;
}

function hasPageReferences(blocks: readonly Block[]): boolean {
  return paragraphsOf(blocks).some((b) => [...b.inlines, ...(b.trailer?.inlines ?? [])].some((run) => run.kind === 'pageNumber'));
}

function sameAnchors(a: AnchorPages, b: AnchorPages): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The folio printed on a page (pages count from 1). */
const folioOf = (page: number) => String(page + 1);

/**
 * Runs as the composer takes them, one list per line the author broke: a page number is the folio where
 * its anchor fell, or ? before it is known.
 */
function resolveRuns(runs: readonly InlineRun[], anchors: AnchorPages): ResolvedRun[][] {
  const lines: ResolvedRun[][] = [[]];
  for (const run of runs) {
    if (run.kind === 'break') lines.push([]);
    else
      lines[lines.length - 1]!.push(run.kind === 'text' ? run : { kind: 'text', text: anchors.get(run.target) ?? '?', source: run.source });
  }
  return lines;
}

function layoutPass(
  doc: DocumentTree,
  faces: Record<string, FontFace>,
  known: AnchorPages,
  cache: ComposeCache,
  padding?: Padding,
): { layout: LaidOutDocument; anchors: AnchorPages } {
  const settings = doc.settings;
  const faceOf: FaceOf = (name) => {
    const f = faces[name];
    if (!f) throw new KumihanError('template', `unknown font "${name}"; the template's fonts are: ${Object.keys(faces).join(', ')}`);
    return f;
  };
  const masterOf = mastersFor(settings);
  const first = masterOf(0);
  const region = first.region;
  const templateMode = settings.body.writingMode;
  /** A page's text region for text in a writing mode: the master's, or the same 版面 in the other mode. */
  const regionOf = (page: number, name: WritingModeName) => regionInMode(masterOf(page).region, templateMode, name, settings.body.size);
  /** What flowing text in a writing mode needs, one per mode (a booklet's sections may differ from the template). */
  const contexts = new Map<WritingModeName, FlowContext>();
  const contextOf = (name: WritingModeName): FlowContext => {
    let context = contexts.get(name);
    if (!context) {
      const mode = writingMode(name);
      const r = regionOf(0, name);
      context = {
        mode,
        region: r,
        // Odd pages (改丁) are right-hand pages when the book is bound on the left, left-hand ones when on the right.
        oddSide: settings.page.binding === 'right' ? 'left' : 'right',
        templateGrid: name === templateMode,
        inlineSize: mode.inlineSize(r),
        vertical: name === 'vertical-rl' ? { tateChuYoko: settings.body.tateChuYoko } : undefined,
      };
      contexts.set(name, context);
    }
    return context;
  };
  const vertical = templateMode === 'vertical-rl';
  const lineBreak = settings.body.lineBreak;
  const warnings: string[] = [...doc.warnings];

  // A letterhead takes grid lines at the head of page one; in vertical writing those are columns, which a
  // horizontal letterhead cannot share: it stands in the head margin above them.
  const lh = doc.furniture.letterhead;
  const letterhead = lh ? (vertical ? drawLetterheadAbove : drawLetterhead)(lh, region, faceOf, lineBreak) : undefined;

  // A section is set in its writing mode until the next one starts (the template's when it names none).
  // A colophon moved to a page of its own by padding is the booklet's, not the last section's: the template's.
  const segments: Segment[] = [];
  for (const block of doc.blocks) {
    const flow =
      block.kind === 'sectionStart'
        ? contextOf(block.writingMode ?? templateMode)
        : block === padding?.before
          ? contextOf(templateMode)
          : segments.at(-1)?.flow;
    const last = segments.at(-1);
    if (last && last.flow === (flow ?? last.flow)) last.blocks.push(block);
    else segments.push({ flow: flow ?? contextOf(templateMode), blocks: [block] });
  }
  const columns = labelColumns(segments, faceOf);
  // Anchors not yet taken by a line carry over to the next block (a section start's to its heading).
  const pending: string[] = [];
  // A booklet's warnings about a body paragraph name its section: "body paragraph 3" is in every section.
  // (The others name a field path or a file of their own.)
  let section: string | undefined;
  const nodes = segments.flatMap(({ flow, blocks }) =>
    blocks.flatMap((block): FlowNode<FlowItem>[] => {
      if (block.kind === 'sectionStart') section = block.title;
      const own: string[] = [];
      const node = flowNode(block, flow, faceOf, own, known, pending, columns, cache);
      for (const w of own) warnings.push(section !== undefined && w.startsWith(BODY_PARAGRAPH) ? `section 「${section}」: ${w}` : w);
      // The page after the padding has the grid of the block's writing mode (as a section start's has).
      const after = { kind: 'break' as const, startOn: 'any' as const, blank: padding?.blank, lines: flow.region.lines };
      return block === padding?.before ? [after, node] : [node];
    }),
  );
  const placed = flowPages(nodes, {
    lines: region.lines,
    firstSlot: (page) => (page === 0 ? (letterhead?.firstSlot ?? 0) : 0),
    // Sides exist on facing pages only: elsewhere a section simply starts on the next page.
    ...(settings.page.facing ? { isRightHand: (page: number) => masterOf(page).side !== 'left' } : {}),
  });
  checkCoverFits(doc.blocks, placed);

  const anchors = new Map<string, string>();
  /** Where each anchor fell: page index, the grid line its first line starts on and that line's top on the page (pt). */
  const anchorPlaces = new Map<string, { page: number; slot: number; top: number }>();
  placed.forEach((lines, k) => {
    for (const { line, slot } of lines)
      for (const anchor of line.anchors)
        if (!anchors.has(anchor)) {
          anchors.set(anchor, folioOf(k));
          const r = regionOf(k, line.flow.mode.name);
          anchorPlaces.set(anchor, { page: k, slot, top: line.flow.mode.box(r, slot * r.pitch, 0, 0, 0).y });
        }
  });
  // Structure elements are numbered in reading order: the lines of one block share its number.
  const elements = new Map<ParagraphBlock, number>();
  let elementCount = 0;
  const newElement = () => ++elementCount;
  const elementOf = (block: ParagraphBlock) => {
    let n = elements.get(block);
    if (n === undefined) elements.set(block, (n = newElement()));
    return n;
  };
  let rubyCrowded = false;
  const pages: LaidOutPage[] = placed.map((lines, k) => {
    const master = masterOf(k);
    const items: PageItem[] = k === 0 && letterhead ? [...letterhead.items] : [];
    for (const [index, { line: fl, slot, slots }] of lines.entries()) {
      const mode = fl.flow.mode;
      const vertical = fl.flow.vertical !== undefined;
      const region = regionOf(k, mode.name);
      if (fl.figure) {
        items.push(...figureItems(fl, region, mode, slot, newElement, warnings));
        continue;
      }
      const { line, block, face, measure, inset } = fl;
      const style = block.style;
      const align = style.align === 'justify' ? 'start' : style.align;
      const lineWidth = alignedWidth(line, align) * style.size;
      const inlineStart = alignOffset(align, mode.inlineSize(region), lineWidth, inset * style.size);
      const origin = mode.lineOrigin(region, slot * region.pitch, slots * region.pitch, inlineStart, style.size, emBoxAscent(face));
      // A first line that hangs out before the others (a negative first-line indent: a contents entry
      // whose turnovers are indented) is drawn from where it starts, its indent before the others.
      const hang = fl.first && style.firstLineIndent < 0 ? style.firstLineIndent : 0;
      const drawn =
        hang < 0
          ? mode.lineOrigin(
              region,
              slot * region.pitch,
              slots * region.pitch,
              inlineStart + hang * style.size,
              style.size,
              emBoxAscent(face),
            )
          : origin;
      const glyphs = hang < 0 ? line.glyphs.map((g) => ({ ...g, x: g.x - hang })) : line.glyphs;
      items.push({
        kind: 'text',
        face: style.face,
        size: style.size,
        x: drawn.x,
        baseline: drawn.baseline,
        glyphs: vertical ? verticalForms(glyphs, face) : glyphs,
        text: line.text,
        width: line.width,
        measure,
        isLastOfParagraph: line.isLast,
        role: block.role,
        structure: { role: block.structure ?? 'P', element: elementOf(block), ...(line.rubies ? { ruby: line.rubies } : {}) },
        ...(block.link !== undefined && anchorPlaces.has(block.link) ? { link: anchorPlaces.get(block.link)!.page } : {}),
        ...(vertical ? { writingMode: 'vertical-rl' as const } : {}),
      } satisfies TextLineItem);
      // The gap above the line: to the line before in a heading's stack; else from the bottom of the line
      // before on the page (each centred in its grid lines; a heading's stack taken as filling its own) to
      // this one's top — a title two grid lines below the header has room for its ruby. Nothing above the
      // first line of a page.
      const before = lines[index - 1];
      const headingTop = style.headingSlots !== undefined;
      const gapAbove =
        headingTop && !fl.first
          ? style.size * (HEADING_LEADING - 1)
          : before === undefined || before.line.figure
            ? Infinity
            : slot * region.pitch +
              (headingTop ? 0 : (slots * region.pitch - style.size) / 2) -
              (before.slot + before.slots) * region.pitch +
              (before.line.block.style.headingSlots !== undefined ? 0 : (before.slots * region.pitch - before.line.block.style.size) / 2);
      if (line.annotations && gapAbove < style.size * ANNOTATION_SCALE - 1e-6 && !rubyCrowded) {
        // Ruby sits in the space between lines (JLREQ §3.3.2 ruby takes the line gap; the grid is not moved).
        rubyCrowded = true;
        warnings.push(
          `ruby or emphasis dots need a line gap of half the text size (${style.size * ANNOTATION_SCALE} pt); the line pitch leaves ${Math.round(gapAbove * 100) / 100} pt: they touch the line above (first at "${Array.from(line.text).slice(0, 16).join('')}")`,
        );
      }
      if (line.annotations) {
        items.push(annotationItem(line, origin, mode, face, style.face, style.size, measure));
      }
      if (block.rule === 'above' && fl.first) {
        // Where its grid lines start; when the line carries ruby, which takes the line gap before it, clear of
        // the ruby by a quarter of its text size (JLREQ §3.3: ruby keeps clear of what is beside it).
        let offset = slot * region.pitch;
        if (line.annotations) {
          const rubyTop = slot * region.pitch + (slots * region.pitch - style.size) / 2 - style.size * ANNOTATION_SCALE;
          offset = Math.min(offset, rubyTop - style.size * RULE_CLEARANCE);
        }
        items.push(ruleItem(region, mode, offset));
      }
      if (block.rule === 'below' && fl.last) {
        // Under the line, where its grid lines end; when the line after it carries ruby, whose top reaches
        // into those grid lines (it takes the line gap), midway between this line's em box and the ruby.
        let offset = (slot + slots) * region.pitch;
        const next = lines[index + 1];
        if (next && !next.line.figure && next.line.line.annotations) {
          const nextSize = next.line.block.style.size;
          const rubyTop = next.slot * region.pitch + (next.slots * region.pitch - nextSize) / 2 - nextSize * ANNOTATION_SCALE;
          const emFoot = slot * region.pitch + (slots * region.pitch + style.size) / 2;
          offset = Math.min(offset, (emFoot + rubyTop) / 2);
        }
        items.push(ruleItem(region, mode, offset));
      }
    }
    return { width: master.width, height: master.height, items };
  });
  const navigation = bookletFurniture(
    doc,
    pages,
    placed,
    masterOf,
    anchorPlaces,
    faceOf,
    folioOf,
    warnings,
    colophonPages(doc, placed, warnings),
  );

  for (const pageText of doc.furniture.pageTexts) {
    // A page text longer than its line (a continuation header naming a long title) is cut, once said.
    let told = false;
    const tooLong = (text: string, cut: string) => {
      if (told) return;
      told = true;
      const what = pageText.edge === 'bottom' ? 'the page footer' : 'the header of the following pages';
      const field = pageText.source.path.join('.');
      warnings.push(
        `${what} "${text}" is longer than its line and is set as "${cut}": shorten ${field} in the template, or the fields it names`,
      );
    };
    pages.forEach((page, k) => {
      const item = drawPageText(pageText, k, pages.length, masterOf(k), faceOf, lineBreak, tooLong);
      if (item) page.items.push(item);
    });
  }

  return {
    layout: {
      pages,
      warnings,
      block: { x: region.x, y: region.y, width: region.width, height: region.height, pitch: region.pitch },
      ...(navigation ? { navigation } : {}),
    },
    anchors,
  };
}

/**
 * What composing a block needs of the flow: its writing mode, the text region in that mode (of a page;
 * facing pages mirror it, with the same grid), its measure (pt) and, in vertical writing, its rules.
 */
interface FlowContext {
  mode: WritingMode;
  region: TextRegion;
  /** The side of the spread odd pages are on (where `startOn: odd` starts a section). */
  oddSide: 'left' | 'right';
  /**
   * Whether the region is the template's own grid. A block's measure is given in the template's 字詰め;
   * in the other writing mode the 版面 has its own, and blocks take the region's measure instead.
   */
  templateGrid: boolean;
  inlineSize: number;
  vertical: ParagraphSettings['vertical'];
}

/**
 * What composing a block gave, kept across the passes of the settle loop for blocks that refer to no page
 * (only a contents line changes when the page numbers do): composition is most of layout's work.
 */
type ComposeCache = Map<Block, { lines?: ComposedBlock; figure?: FlowLines<FlowFigure>; warnings: string[] }>;

interface ComposedBlock {
  lines: ComposedLine[];
  face: FontFace;
  measure: number;
  inset: number;
}

/** The node a paragraph block was composed into, among `nodes` and their children. */
function linesOf(nodes: readonly FlowNode<FlowItem>[], block: Block): FlowLines<FlowItem> | undefined {
  for (const node of nodes) {
    const first = node.kind === 'lines' ? node.lines[0] : undefined;
    if (node.kind === 'lines' && first && !first.figure && first.block === block) return node;
    if (node.kind === 'group') {
      const found = linesOf(node.children, block);
      if (found) return found;
    }
  }
  return undefined;
}

/** A block composed into lines, as the page breaker sees it. */
function flowNode(
  block: Block,
  flow: FlowContext,
  faceOf: FaceOf,
  warnings: string[],
  known: AnchorPages,
  /** Anchors of enclosing groups that no line has started yet: they fall where this block starts. */
  pending: string[],
  columns: Columns,
  cache: ComposeCache,
): FlowNode<FlowItem> {
  const region = flow.region;
  if (block.anchor !== undefined) pending.push(block.anchor);
  // A section start breaks the page, to the side it asks for, onto pages with the grid of its writing mode.
  if (block.kind === 'sectionStart')
    return { kind: 'break', startOn: block.startOn === 'odd' ? flow.oddSide : block.startOn, lines: region.lines };
  if (block.kind === 'figure') {
    // (Its resolution warnings come with its page items, at the size it is placed: figureItems.)
    let cached = cache.get(block);
    if (!cached?.figure)
      cache.set(
        block,
        (cached = { figure: layoutFigure(block, region, flow.mode, faceOf, region.pitch, [], flow.vertical), warnings: [] }),
      );
    const figure = cached.figure!;
    const anchors = pending.splice(0);
    const withFlow = ({ fitTo: _, ...f }: FlowLines<FlowFigure>): FlowLines<FlowItem> => ({
      ...f,
      lines: f.lines.map((line, j) => ({ ...line, flow, anchors: j === 0 ? anchors : [] })),
    });
    // Where it does not fit the rest of a page, the figure is set there smaller, its photos down to
    // MIN_FIGURE_SCALE of their size (a compositor does not leave most of a page empty for want of a few
    // lines), with no room kept for the heading above it (that is on the page already).
    const fitTo = (lines: number): FlowLines<FlowItem> | undefined => {
      let fitted: FlowLines<FlowFigure>;
      try {
        fitted = layoutFigure({ ...block, reserveLines: 0 }, region, flow.mode, faceOf, region.pitch, [], flow.vertical, lines);
      } catch (e) {
        if (e instanceof TextSourceError) return undefined; // its caption does not fit there beside it
        throw e;
      }
      const scale = Math.min(...fitted.lines[0]!.cells.map((c, k) => c.blockExtent / figure.lines[0]!.cells[k]!.blockExtent));
      return scale >= MIN_FIGURE_SCALE - 1e-9 ? withFlow(fitted) : undefined;
    };
    return { ...withFlow(figure), fitTo };
  }
  if (block.kind === 'group') {
    const children = block.blocks.map((b) => flowNode(b, flow, faceOf, warnings, known, pending, columns, cache));
    const group: FlowNode<FlowItem> = { kind: 'group', children, spaceBefore: block.spaceBefore, keep: block.keep };
    if (block.repeatHead) {
      // The node the heads were set as among the children (the page breaker repeats them from the moment
      // they are set), else one of their own.
      const head = linesOf(children, block.repeatHead) ?? flowNode(block.repeatHead, flow, faceOf, warnings, known, [], columns, cache);
      if (head.kind === 'lines') group.repeatHead = head;
    }
    if (block.placement === 'foot') group.atFoot = true;
    return group;
  }
  const refersToPages = [...block.inlines, ...(block.trailer?.inlines ?? [])].some((run) => run.kind === 'pageNumber');
  let cached = refersToPages ? undefined : cache.get(block);
  if (!cached?.lines) {
    const own: string[] = [];
    const composed = composeBlock(block, flow, faceOf, own, known, columns);
    const slots = composed.lines.length * (block.style.headingSlots ?? block.style.lineSlots ?? slotsFor(block.style.size, region.pitch));
    if (block.keep.together && slots > region.lines) {
      // Kept whole where it can be; longer than a page, it can only continue on the next.
      const source = block.inlines.find((run) => run.kind === 'text')?.source;
      const where = source && source.paragraph === undefined ? ` (${formatFieldPath(source.path)})` : '';
      own.push(
        `a block kept on one page${where} takes ${composed.lines.length} lines, more than a page holds (${region.lines}): it continues on the next page`,
      );
    }
    cached = { lines: composed, warnings: own };
    if (!refersToPages) cache.set(block, cached);
  }
  warnings.push(...cached.warnings);
  const { lines, face, measure, inset } = cached.lines!;
  const style = block.style;
  return {
    kind: 'lines',
    lines: lines.map(
      (line, j): FlowItem => ({
        line,
        flow,
        anchors: j === 0 ? pending.splice(0) : [],
        block,
        face,
        measure,
        inset,
        first: j === 0,
        last: j === lines.length - 1,
      }),
    ),
    lineSlots: style.headingSlots ?? style.lineSlots ?? slotsFor(style.size, region.pitch),
    ...(style.headingSlots !== undefined ? { stacked: { pitch: (style.size * HEADING_LEADING) / region.pitch } } : {}),
    spaceBefore: block.spaceBefore,
    onGrid: block.onGrid,
    keep: block.keep,
  };
}

/** How a warning about a body paragraph starts (its number follows). */
const BODY_PARAGRAPH = 'body paragraph ';

/** How far a rule keeps clear of the ruby beside it, as a share of the text size. */
const RULE_CLEARANCE = 0.25;

/** How much smaller a figure may be set to fit the rest of a page, rather than go to the next (a share of its size). */
const MIN_FIGURE_SCALE = 0.7;

/** Steps of the search for a balanced measure, in em: finer would change no break. */
const BALANCE_STEP = 0.25;

/**
 * The paragraph set in the narrowest measure (down to whole quarter ems) that still gives it as many lines
 * as the full measure, with breaks as good (no break inside a word that the full measure did not need):
 * its lines come out about equally long.
 */
function balanced(
  runs: ResolvedRun[],
  face: FontFace,
  settings: (width: number) => Parameters<typeof composeRuns>[2],
  full: number,
  composed: ReturnType<typeof composeRuns>,
): ReturnType<typeof composeRuns> {
  const count = composed.lines.length;
  // Its lines are ragged: never squeezed to fit a narrower measure (text/compose.ts pushes out instead).
  let best = composed;
  let lo = Math.ceil(full / count / BALANCE_STEP);
  let hi = Math.floor(full / BALANCE_STEP);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const trial = composeRuns(runs, face, settings(mid * BALANCE_STEP));
    if (trial.lines.length <= count && !trial.lines.some((l) => l.forced) && trial.breakPrice <= composed.breakPrice + 1e-9) {
      best = trial;
      hi = mid;
    } else lo = mid + 1;
  }
  return best;
}

/** A paragraph's lines: its labels in their columns, its text composed (JLREQ), its trailer after leaders. */
function composeBlock(
  block: ParagraphBlock,
  flow: FlowContext,
  faceOf: FaceOf,
  warnings: string[],
  known: AnchorPages,
  columns: Columns,
): ComposedBlock {
  const style = block.style;
  const face = faceOf(style.face);
  const measure = (flow.templateGrid ? style.measure : undefined) ?? flow.inlineSize / style.size;
  // Labels (list markers, 記書き labels) stand in columns before the text, which hangs after them.
  let labels = block.labels ? setLabels(block.labels, columns) : undefined;
  // A trailer (a contents line's page number) is set flush with the line end; the text keeps clear of it.
  const trailer = block.trailer ? composeOneLine(resolveRuns(block.trailer.inlines, known)[0]!, face, style, flow) : undefined;
  const trailerRoom = block.trailer ? (trailer?.width ?? 0) + LEADER_ROOM : 0;
  // In a measure too narrow for the columns and some text after them, the labels open the first line
  // instead, and the text runs on under them: nothing is set outside the text block.
  const indent = Math.min(style.inset, Math.max(0, measure - MIN_TEXT_AFTER_LABELS));
  let inlineLabels: ResolvedRun[] = [];
  if (labels && measure - indent - labels.hang - trailerRoom < MIN_TEXT_AFTER_LABELS) {
    inlineLabels = block.labels!.flatMap((label) => label.inlines);
    labels = undefined;
  }
  const inset = indent + (labels?.hang ?? 0);
  const lines: ComposedLine[] = [];
  const firstSource = block.inlines.find((run) => run.kind === 'text')?.source;
  const paragraph = firstSource?.paragraphNumber ?? (firstSource?.paragraph ?? 0) + 1;
  const lineRuns = resolveRuns(block.inlines, known);
  if (inlineLabels.length > 0) lineRuns[0] = [...inlineLabels, ...lineRuns[0]!];
  // Each line the author broke is composed like a paragraph of its own (its last line is not justified);
  // only the first takes the first-line indent.
  lineRuns.forEach((runs, i) => {
    const settings = (width: number) => ({
      measure: width,
      indent: i === 0 ? style.firstLineIndent : 0,
      lineBreak: style.lineBreak,
      hangingPunctuation: style.hangingPunctuation,
      openingBracketIndent: style.openingBracketIndent,
      adjustment: style.adjustment,
      ...(style.align !== 'justify' ? { ragged: true } : {}),
      ...(flow.vertical ? { vertical: flow.vertical } : {}),
    });
    const full = Math.max(1, measure - inset - trailerRoom);
    let composed = composeRuns(runs, face, settings(full));
    if (style.align !== 'justify' && composed.lines.length > 1) {
      // A sender, signature or title written in parts (株式会社組版工房　代表取締役社長　佐藤花子) wraps where
      // its author put a full-width space, when that takes no more lines; otherwise its lines break between
      // phrases (「記念して」 whole, not 「記／念して」), at the price of a line more where needed: a word is
      // broken only where it is longer than the line. A title's lines are balanced.
      const atSpaces = (width: number) => ({ ...settings(width), breakAtSpaces: true });
      const parts = runs.some((run) => run.text.includes('\u3000')) ? composeRuns(runs, face, atSpaces(full)) : undefined;
      const whole = (width: number) => ({ ...settings(width), keepWords: true });
      // The parts grouped in lines as even as they go (株式会社組版工房／代表取締役社長　佐藤花子, not the name alone).
      if (parts && parts.lines.length <= composed.lines.length && !parts.lines.some((l) => l.forced))
        composed = balanced(runs, face, atSpaces, full, parts);
      else {
        composed = composeRuns(runs, face, whole(full));
        if (style.balance) composed = balanced(runs, face, whole, full, composed);
      }
    }
    if (block.role === 'body') for (const w of composed.warnings) warnings.push(`${BODY_PARAGRAPH}${paragraph}: ${w}`);
    // A line the author left empty between breaks (a `\` alone on its line) is kept, as an empty line.
    if (composed.lines.length === 0 && lineRuns.length > 1) lines.push({ ...EMPTY_LINE, isLast: i === lineRuns.length - 1 });
    lines.push(...composed.lines);
  });
  // A labelled line with no text after its labels (「備考：」 left empty, a merge field that was) keeps its labels.
  if (labels && lines.length === 0 && labels.glyphs.length > 0) lines.push(EMPTY_LINE);
  if (labels && lines[0]) lines[0] = { ...lines[0], glyphs: [...labels.glyphs, ...lines[0].glyphs], text: labels.text + lines[0].text };
  const last = lines.length - 1;
  if (block.trailer && trailer && last >= 0)
    lines[last] = trailerGlyphs(lines[last]!, trailer, block.trailer.leader, face, measure - inset, style);
  return { lines, face, measure, inset };
}
