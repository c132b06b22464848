/**
 * Page masters: what every page of a kind has before any text flows into it — its size, its text region
 * (版面) with the line grid, and its furniture (a letterhead on the first page, folios on every page).
 *
 * The text block is set the way a Japanese compositor specifies it: `charsPerLine` (字詰め) ems wide and
 * `linesPerPage` (行数) lines, the line pitch being the block height divided by the line count. The block
 * is centred between the left and right margins and starts at the top margin.
 *
 * Furniture is placed on the physical page (a letterhead at the head, a folio at the foot), whatever the
 * writing mode of the text; only the flow's lines go through the writing mode.
 */
import { PT_PER_MM } from '../units.js';
import type { FontFace } from '../font/fonts.js';
import { TextSourceError, type FurnitureText, type Letterhead, type PageText, type RunningText } from '../model/document.js';
import type { Align } from '../model/schema.js';
import type { ResolvedTemplate } from '../model/template.js';
import { composeRuns, type ComposedLine, type ParagraphSettings, type PositionedGlyph } from '../text/compose.js';
import { ANNOTATION_SCALE } from '../text/ruby.js';
import { verticalForms } from '../text/vertical.js';
import { horizontalTb, type LineOrigin, type TextRegion, type WritingMode, type WritingModeName } from './writing-mode.js';
import type { ImageItem, PageItem, RuleItem, TextLineItem } from './page.js';

export type MasterName = 'first' | 'following' | 'left' | 'right';

export interface PageMaster {
  name: MasterName;
  /** Facing pages: which side of the spread the page is on (its のど faces the other). */
  side?: 'left' | 'right';
  width: number;
  height: number;
  region: TextRegion;
}

/**
 * The text region of the template's pages. The template has already been checked to hold its grid
 * (src/model/template.ts: the characters fit between the margins, the lines between top and bottom).
 */
export function textRegion(settings: ResolvedTemplate): TextRegion {
  const { page, body } = settings;
  const margins = page.margins;
  const available = page.size[0] - margins.left - margins.right;
  const height = page.size[1] - margins.top - margins.bottom;
  if (body.writingMode === 'vertical-rl') {
    // Columns of 字詰め characters from the top margin, 行数 of them across the whole width (right to left).
    return {
      x: margins.left,
      y: margins.top,
      width: available,
      height: body.charsPerLine * body.size,
      pitch: available / body.linesPerPage,
      lines: body.linesPerPage,
    };
  }
  const width = body.charsPerLine * body.size;
  return {
    x: margins.left + (available - width) / 2,
    y: margins.top,
    width,
    height,
    pitch: height / body.linesPerPage,
    lines: body.linesPerPage,
  };
}

/** A letter's masters: the first page (with the letterhead, if any) and the pages that follow. */
export function letterMasters(settings: ResolvedTemplate): (page: number) => PageMaster {
  const region = textRegion(settings);
  const [width, height] = settings.page.size;
  const first: PageMaster = { name: 'first', width, height, region };
  const following: PageMaster = { name: 'following', width, height, region };
  return (page) => (page === 0 ? first : following);
}

/**
 * Which side of a spread a page is on. Books bound on the left (horizontal text, 左綴じ) open with page 1
 * on the right: odd pages are right-hand pages. A book bound on the right (vertical text, 右綴じ) is the
 * mirror: page 1 on the left, odd pages are left-hand pages.
 */
export function sideOf(page: number, binding: 'left' | 'right' = 'left'): 'left' | 'right' {
  const first = binding === 'left' ? 'right' : 'left';
  const other = binding === 'left' ? 'left' : 'right';
  return page % 2 === 0 ? first : other;
}

/**
 * Facing pages (見開き): a right-hand page has the inner margin (のど) on its left, a left-hand page on its
 * right — the text block mirrored about the page's centre, the same grid on both.
 */
export function facingMasters(settings: ResolvedTemplate): (page: number) => PageMaster {
  const right = textRegion(settings);
  const [width, height] = settings.page.size;
  const left: TextRegion = { ...right, x: width - right.x - right.width };
  const masters = {
    right: { name: 'right', side: 'right', width, height, region: right } satisfies PageMaster,
    left: { name: 'left', side: 'left', width, height, region: left } satisfies PageMaster,
  };
  return (page) => masters[sideOf(page, settings.page.binding)];
}

/** Grid positions within this of a whole line or character count as on it. */
const GRID_EPSILON = 1e-9;

/**
 * The text region of a page for text set in another writing mode than the template's (a vertical section
 * in a horizontal booklet, or the reverse): the same 版面 with the same line pitch (行送り) and type size, as
 * a compositor mixing 縦組み and 横組み in one book keeps them — as many whole characters as fit along the
 * new inline axis (字詰め) and whole lines across it (行数), centred across the 版面 and from its head.
 */
export function regionInMode(region: TextRegion, from: WritingModeName, to: WritingModeName, size: number): TextRegion {
  if (from === to) return region;
  if (to === 'vertical-rl') {
    const lines = Math.floor(region.width / region.pitch + GRID_EPSILON);
    const width = lines * region.pitch;
    const height = Math.floor(region.height / size + GRID_EPSILON) * size;
    return { x: region.x + (region.width - width) / 2, y: region.y, width, height, pitch: region.pitch, lines };
  }
  const width = Math.floor(region.width / size + GRID_EPSILON) * size;
  const lines = Math.floor(region.height / region.pitch + GRID_EPSILON);
  return { x: region.x + (region.width - width) / 2, y: region.y, width, height: lines * region.pitch, pitch: region.pitch, lines };
}

/** The masters a template's pages use: facing pages when its margins are inner and outer, else a letter's. */
export function mastersFor(settings: ResolvedTemplate): (page: number) => PageMaster {
  return settings.page.facing ? facingMasters(settings) : letterMasters(settings);
}

/**
 * A running head or folio on a page of a spread: `text` at the outer (小口) or inner (のど) end of the text
 * block or centred, `offset` from the top or bottom edge. Placed on the physical page, whatever the
 * writing mode of the text.
 */
/**
 * A line of furniture text: composed on one line of `measure` em; longer than that, cut with an ellipsis
 * (…) at the most characters that fit with it, and `onShortened` told — never run on to a second line
 * that has no place on the page.
 */
function oneLine(
  text: string,
  source: RunningText['source'],
  face: FontFace,
  measure: number,
  lineBreak: ParagraphSettings['lineBreak'],
  onShortened?: (text: string, shortened: string) => void,
): ComposedLine | undefined {
  const compose = (t: string) => composeRuns([{ kind: 'text', text: t, source }], face, furnitureSettings(measure, lineBreak)).lines;
  let lines = compose(text);
  if (lines.length > 1) {
    const chars = Array.from(text);
    let lo = 0;
    let hi = chars.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (compose(`${chars.slice(0, mid).join('').trimEnd()}…`).length <= 1) lo = mid;
      else hi = mid - 1;
    }
    const shortened = `${chars.slice(0, lo).join('').trimEnd()}…`;
    lines = compose(shortened);
    onShortened?.(text, shortened);
  }
  return lines[0];
}

export function drawRunningText(
  rt: RunningText,
  text: string,
  master: PageMaster,
  faceOf: FaceOf,
  lineBreak: ParagraphSettings['lineBreak'],
  /** Told when the text was too long for the line and is set cut, as `shortened`. */
  onShortened?: (text: string, shortened: string) => void,
): TextLineItem | undefined {
  if (text === '') return undefined;
  const measure = master.region.width / rt.size;
  const l = oneLine(text, rt.source, faceOf(rt.face), measure, lineBreak, onShortened);
  if (!l) return undefined;
  const outerIsEnd = master.side !== 'left';
  const align: Align = rt.align === 'center' ? 'center' : (rt.align === 'outer') === outerIsEnd ? 'end' : 'start';
  const baseline = rt.edge === 'bottom' ? master.height - rt.offset : rt.offset;
  const item = furnitureLine(l, rt, measure, master.region, align, baseline, rt.edge === 'bottom' ? 'footer' : 'runningHead');
  item.isLastOfParagraph = true;
  return item;
}

/** Ideographic em box: fonts for Japanese put the em box from descent to ascent (BIZ UD: 1802 / −246 of 2048). */
export function emBoxAscent(face: FontFace): number {
  const f = face.main;
  const total = f.ascent - f.descent;
  return total > 0 ? f.ascent / total : 0.88;
}

/**
 * The width, in em, by which a line is aligned: a line set from the start reaches its end with the space
 * after a last closing bracket or full stop; a centred or flush-end line is placed by its last character's
 * body, where that space has no place (地付き 「組版工房」 ends as flush as 組版工房).
 */
export function alignedWidth(line: Pick<ComposedLine, 'width' | 'contentWidth'>, align: Align): number {
  return align === 'start' ? line.width : line.contentWidth;
}

/** Where a line of `lineWidth` pt starts in a measure of `measure` pt, `inset` pt from its aligned edge. */
export function alignOffset(align: Align, measure: number, lineWidth: number, inset: number): number {
  switch (align) {
    case 'start':
      return inset;
    case 'center':
      return (measure - lineWidth) / 2;
    case 'end':
      return measure - lineWidth - inset;
  }
}

/** Furniture text is one line in the region's measure, neither indented nor hung. */
function furnitureSettings(measure: number, lineBreak: ParagraphSettings['lineBreak']): ParagraphSettings {
  return { measure, indent: 0, lineBreak, hangingPunctuation: false, openingBracketIndent: 'none' };
}

export type FaceOf = (name: string) => FontFace;

/** A composed furniture line as a page item, its start `align`ed in the region's width. */
function furnitureLine(
  l: ComposedLine,
  text: { face: string; size: number },
  measure: number,
  region: TextRegion,
  align: Align,
  baseline: number,
  role: TextLineItem['role'],
): TextLineItem {
  const x = region.x + alignOffset(align, region.width, alignedWidth(l, align) * text.size, 0);
  return {
    kind: 'text',
    face: text.face,
    size: text.size,
    x,
    baseline,
    glyphs: l.glyphs,
    text: l.text,
    width: l.width,
    measure,
    isLastOfParagraph: l.isLast,
    role,
  };
}

/** A letterhead's lines, baseline to baseline, as a share of their size. */
const LETTERHEAD_LEADING = 1.4;
/** Room kept between ruby and the line before it, as a share of the text size. */
const RUBY_CLEARANCE = 0.25;

/** pt between a logo at the side of a letterhead and its text. */
const LOGO_GAP = 8;

/**
 * The letterhead at the top of the first page: logo, name, address lines and rule, set from the top of
 * the text block down. Returns its items and the first grid line the flow may use below it.
 */
export function drawLetterhead(
  lh: Letterhead,
  region: TextRegion,
  faceOf: FaceOf,
  lineBreak: ParagraphSettings['lineBreak'],
): { items: PageItem[]; firstSlot: number; depth: number } {
  const items: PageItem[] = [];
  let y = region.y;
  // Beside a logo at the left or the right, the name and address take the width the logo leaves (and a
  // gap of LOGO_GAP), so that they never run under it; under a centred logo, the whole width.
  const side = lh.logo && lh.logo.position !== 'center' ? lh.logo : undefined;
  const taken = side ? side.width + LOGO_GAP : 0;
  const textRegion: TextRegion =
    side?.position === 'left'
      ? { ...region, x: region.x + taken, width: region.width - taken }
      : { ...region, width: region.width - taken };
  const placeText = (text: FurnitureText) => {
    const face = faceOf(text.face);
    const measure = textRegion.width / text.size;
    for (const l of composeRuns(text.inlines, face, furnitureSettings(measure, lineBreak)).lines) {
      // Ruby over a line (a company name's reading) takes room above it: half the text size, and under a
      // line before it a quarter more, clear of that line (JLREQ §3.3), less the gap the line spacing leaves.
      if (l.annotations) {
        const need = text.size * (ANNOTATION_SCALE + (gapAbove > 0 ? RUBY_CLEARANCE : 0));
        y += Math.max(0, need - gapAbove);
      }
      const item = furnitureLine(l, text, measure, textRegion, lh.align, y + emBoxAscent(face) * text.size, 'letterhead');
      items.push(item);
      if (l.annotations)
        items.push(annotationItem(l, { x: item.x, baseline: item.baseline }, horizontalTb, face, text.face, text.size, measure));
      y += text.size * LETTERHEAD_LEADING;
      gapAbove = text.size * (LETTERHEAD_LEADING - 1);
    }
  };
  /** The room between the em box of the line before and the next line's (none above the first). */
  let gapAbove = 0;
  let textTop = y;
  if (lh.logo) {
    const logo = lh.logo;
    const lx =
      logo.position === 'right'
        ? region.x + region.width - logo.width
        : logo.position === 'center'
          ? region.x + (region.width - logo.width) / 2
          : region.x;
    items.push({ kind: 'image', file: logo.file, x: lx, y, width: logo.width, height: logo.height } satisfies ImageItem);
    if (logo.position === 'center') textTop = y + logo.height + 4;
  }
  y = textTop;
  if (lh.name) placeText(lh.name);
  for (const address of lh.address) placeText(address);
  let bottom = Math.max(y, lh.logo && lh.logo.position !== 'center' ? region.y + lh.logo.height : y);
  if (lh.rule) {
    bottom += 2;
    const rule: RuleItem = {
      kind: 'rule',
      x1: region.x,
      y1: bottom,
      x2: region.x + region.width,
      y2: bottom,
      thickness: lh.rule.thickness,
      color: lh.rule.color,
    };
    items.push(rule);
    bottom += lh.rule.thickness;
  }
  bottom += lh.spaceAfter;
  return { items, firstSlot: Math.ceil((bottom - region.y) / region.pitch - 1e-9), depth: bottom - region.y };
}

/**
 * The letterhead of a letter set vertically: horizontal, as printed on letterhead paper, in the head margin
 * above the columns (its `spaceAfter` clear of them), so that the columns keep their 字詰め on every page.
 * The template's top margin has to leave room for it.
 */
export function drawLetterheadAbove(
  lh: Letterhead,
  region: TextRegion,
  faceOf: FaceOf,
  lineBreak: ParagraphSettings['lineBreak'],
): { items: PageItem[]; firstSlot: number } {
  const { depth } = drawLetterhead(lh, { ...region, y: 0 }, faceOf, lineBreak);
  if (depth > region.y + 1e-6) {
    const mm = (pt: number) => `${(pt / PT_PER_MM).toFixed(1)} mm`;
    // Reported at the template's top margin (build.ts locates a template source in the layer that set it).
    throw new TextSourceError(
      { origin: 'template', path: ['page', 'margins', 'top'] },
      `the letterhead (with its spaceAfter) is ${mm(depth)} deep; in vertical writing it stands above the columns, and page.margins.top leaves ${mm(region.y)}: make the top margin at least ${mm(depth)}`,
    );
  }
  const { items } = drawLetterhead(lh, { ...region, y: region.y - depth }, faceOf, lineBreak);
  return { items, firstSlot: 0 };
}

/**
 * A page text (folio, continuation header) of page `page` of `pages`, its baseline `offset` from the
 * top or bottom edge; undefined when the page does not have it or it sets no line.
 */
export function drawPageText(
  pageText: PageText,
  page: number,
  pages: number,
  master: PageMaster,
  faceOf: FaceOf,
  lineBreak: ParagraphSettings['lineBreak'],
  /** Told when the text was too long for the line and is set cut, as `shortened`. */
  onShortened?: (text: string, shortened: string) => void,
): TextLineItem | undefined {
  if (pageText.pages === 'following' && page === 0) return undefined;
  const text = pageText.format.replaceAll('{page}', String(page + 1)).replaceAll('{pages}', String(pages));
  const measure = master.region.width / pageText.size;
  const l = oneLine(text, pageText.source, faceOf(pageText.face), measure, lineBreak, onShortened);
  // Set before it is left out of a one-page letter: a format the font cannot print is the template's
  // error on every letter, not only on the long ones.
  if (!l || (pageText.pages === 'ofSeveral' && pages === 1)) return undefined;
  const baseline = pageText.edge === 'bottom' ? master.height - pageText.offset : pageText.offset;
  const item = furnitureLine(
    l,
    pageText,
    measure,
    master.region,
    pageText.align,
    baseline,
    pageText.edge === 'bottom' ? 'footer' : 'runningHead',
  );
  item.isLastOfParagraph = true;
  return item;
}

/**
 * The ruby and emphasis dots of a line as a line of their own, at ANNOTATION_SCALE of its size: the
 * PDF writer keeps them out of the base text (role 'annotation'). `origin` is the base line's origin;
 * `vertical` is the face whose vertical forms a vertical line takes.
 */
export function annotationItem(
  line: ComposedLine,
  origin: LineOrigin,
  mode: WritingMode,
  face: FontFace,
  faceName: string,
  size: number,
  measure: number,
): TextLineItem {
  const at = mode.annotationOrigin(origin, size, emBoxAscent(face), ANNOTATION_SCALE);
  const glyphs = line.annotations!.map((g): PositionedGlyph => ({ font: g.font, id: g.id, x: g.x / ANNOTATION_SCALE, text: g.text }));
  const vertical = mode.name === 'vertical-rl';
  return {
    kind: 'text',
    face: faceName,
    size: size * ANNOTATION_SCALE,
    x: at.x,
    baseline: at.baseline,
    glyphs: vertical ? verticalForms(glyphs, face) : glyphs,
    text: glyphs.map((g) => g.text).join(''),
    width: line.width / ANNOTATION_SCALE,
    measure: measure / ANNOTATION_SCALE,
    isLastOfParagraph: false,
    role: 'annotation',
    ...(vertical ? { writingMode: 'vertical-rl' as const } : {}),
  };
}
