/**
 * Page layout: places composed lines on pages. Pure data in, pure data out — no PDF here.
 *
 * The text block (版面) is set the way a Japanese compositor specifies it: `charsPerLine` (字詰め) ems wide
 * and `linesPerPage` (行数) lines, the line pitch being the block height divided by the line count. The
 * block is centred between the left and right margins and starts at the top margin. Everything before and
 * after the body is placed on the same line grid (行取り): an item of any size occupies a whole number of
 * lines, so the body lines of every page sit on the same positions.
 */
import { KumihanError } from '../errors.js';
import type { Align } from '../model/schema.js';
import { composeParagraph, type AdjustmentPolicy, type ComposedParagraph, type OpeningBracketIndent, type PositionedGlyph } from '../text/compose.js';
import type { LineBreakMode } from '../text/linebreak.js';
import { MissingGlyphError, type FontFace } from '../text/shape.js';
import { ptToMm } from '../units.js';

export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Where a piece of text came from, so that a missing glyph can be reported at its source. */
export interface TextSource {
  /** Field path, e.g. ['body'] or ['recipient', 1]. */
  path: (string | number)[];
  /** For body paragraphs: the paragraph index. */
  paragraph?: number;
}

export interface TextBlock {
  lines: { text: string; source: TextSource }[];
  face: string;
  size: number;
  align: Align;
  /** Lines of the grid left empty before this block. */
  spaceBefore: number;
  /** Indent from the start edge (start/center) or the end edge (end), in em. */
  indent: number;
}

export interface LayoutInput {
  page: { width: number; height: number; margins: Margins };
  faces: Record<string, FontFace>;
  body: {
    face: string;
    size: number;
    charsPerLine: number;
    linesPerPage: number;
    indent: number;
    lineBreak: LineBreakMode;
    hangingPunctuation: boolean;
    openingBracketIndent: OpeningBracketIndent;
    /** Line adjustment policy; default pushIn. */
    adjustment?: AdjustmentPolicy;
    paragraphSpacing: number;
    /** Lines left empty between the header and the first paragraph (when there is a header). */
    spaceBefore: number;
  };
  letterhead?: {
    name?: { text: string; face: string; size: number };
    address: { text: string; face: string; size: number }[];
    align: Align;
    logo?: { file: string; width: number; height: number; position: 'left' | 'right' | 'center' };
    rule?: { thickness: number; color: string };
    spaceAfter: number;
  };
  before: TextBlock[];
  paragraphs: { text: string; source: TextSource }[];
  after: TextBlock[];
  footer?: { format: string; face: string; size: number; align: Align; offset: number };
}

export interface TextLineItem {
  kind: 'text';
  face: string;
  size: number;
  /** Page coordinates in pt, origin top-left: x of the line start, y of the baseline. */
  x: number;
  baseline: number;
  glyphs: PositionedGlyph[];
  /** The line's text, as the text layer will give it back. */
  text: string;
  /** Line metrics in em for checks: the justified width and how far punctuation hangs. */
  width: number;
  measure: number;
  isLastOfParagraph: boolean;
  role: 'body' | 'header' | 'after' | 'letterhead' | 'footer';
}
export interface RuleItem {
  kind: 'rule';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  thickness: number;
  color: string;
}
export interface ImageItem {
  kind: 'image';
  file: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export type PageItem = TextLineItem | RuleItem | ImageItem;

export interface LaidOutPage {
  width: number;
  height: number;
  items: PageItem[];
}

export interface LaidOutDocument {
  pages: LaidOutPage[];
  warnings: string[];
  /** The geometry used, for tests and the check command. */
  block: { x: number; y: number; width: number; height: number; pitch: number };
}

/** Where a character that cannot be shown is: the error the CLI will print. */
export class LayoutGlyphError extends Error {
  constructor(
    readonly source: TextSource,
    readonly charIndex: number,
    readonly glyphError: MissingGlyphError,
  ) {
    super(glyphError.message);
  }
}

/** Ideographic em box: fonts for Japanese put the em box from descent to ascent (BIZ UD: 1802 / −246 of 2048). */
function emBoxAscent(face: FontFace): number {
  const f = face.main;
  const total = f.ascent - f.descent;
  return total > 0 ? f.ascent / total : 0.88;
}

function compose(
  text: string,
  face: FontFace,
  source: TextSource,
  settings: Parameters<typeof composeParagraph>[2],
): ComposedParagraph {
  try {
    return composeParagraph(text, face, settings);
  } catch (e) {
    if (e instanceof MissingGlyphError) {
      // Cluster index → character index in the original text.
      const clusters = Array.from(text);
      let chars = 0;
      for (let k = 0, c = 0; k < clusters.length && c < e.clusterIndex; k++) {
        chars += clusters[k].length;
        c++;
      }
      throw new LayoutGlyphError(source, chars, e);
    }
    throw e;
  }
}

export function layoutDocument(input: LayoutInput): LaidOutDocument {
  const { page, body } = input;
  const warnings: string[] = [];
  const faceOf = (name: string): FontFace => {
    const f = input.faces[name];
    if (!f) throw new KumihanError('template', `unknown font "${name}"; the template's fonts are: ${Object.keys(input.faces).join(', ')}`);
    return f;
  };
  const bodyFace = faceOf(body.face);
  const available = page.width - page.margins.left - page.margins.right;
  const blockWidth = body.charsPerLine * body.size;
  if (blockWidth > available + 0.01) {
    throw new KumihanError(
      'layout',
      `the text block does not fit: ${body.charsPerLine} characters of ${body.size.toFixed(2)}pt need ${ptToMm(blockWidth).toFixed(1)}mm but the margins leave ${ptToMm(available).toFixed(1)}mm`,
      { path: 'body.charsPerLine' },
    );
  }
  const blockHeight = page.height - page.margins.top - page.margins.bottom;
  if (blockHeight <= 0) throw new KumihanError('layout', 'the page margins leave no room for text', { path: 'page.margins' });
  const pitch = blockHeight / body.linesPerPage;
  if (pitch < body.size) {
    throw new KumihanError(
      'layout',
      `${body.linesPerPage} lines of ${body.size.toFixed(2)}pt do not fit in a ${ptToMm(blockHeight).toFixed(1)}mm high text block`,
      { path: 'body.linesPerPage' },
    );
  }
  const blockX = page.margins.left + (available - blockWidth) / 2;
  const blockY = page.margins.top;

  const pages: LaidOutPage[] = [];
  let current: LaidOutPage = { width: page.width, height: page.height, items: [] };
  pages.push(current);
  let slot = 0; // next free line of the grid on the current page

  const newPage = () => {
    current = { width: page.width, height: page.height, items: [] };
    pages.push(current);
    slot = 0;
  };
  /** Lines of the grid an item of this size occupies (行取り). */
  const slotsFor = (size: number) => Math.max(1, Math.ceil((size * 1.2) / pitch - 1e-9));
  /** Baseline of a line of `size` centred in `slots` grid lines starting at `first`. */
  const baselineAt = (first: number, slots: number, size: number, face: FontFace) => {
    const top = blockY + first * pitch + (slots * pitch - size) / 2;
    return top + emBoxAscent(face) * size;
  };

  // Letterhead: top of page one, above everything else, on the grid.
  if (input.letterhead) {
    const lh = input.letterhead;
    let y = blockY;
    const placeLine = (line: { text: string; face: string; size: number }, path: (string | number)[]) => {
      const face = faceOf(line.face);
      const measure = blockWidth / line.size;
      const composed = compose(line.text, face, { path }, {
        measure, indent: 0, lineBreak: body.lineBreak, hangingPunctuation: false, openingBracketIndent: 'none',
      });
      for (const l of composed.lines) {
        const x = blockX + alignOffset(lh.align, blockWidth, (lh.align === 'center' ? l.contentWidth : l.width) * line.size, 0);
        const baseline = y + emBoxAscent(face) * line.size;
        current.items.push({ kind: 'text', face: line.face, size: line.size, x, baseline, glyphs: l.glyphs, text: l.text, width: l.width, measure, isLastOfParagraph: l.isLast, role: 'letterhead' });
        y += line.size * 1.4;
      }
    };
    let textTop = y;
    if (lh.logo) {
      const logo = lh.logo;
      const lx = logo.position === 'right' ? blockX + blockWidth - logo.width : logo.position === 'center' ? blockX + (blockWidth - logo.width) / 2 : blockX;
      current.items.push({ kind: 'image', file: logo.file, x: lx, y, width: logo.width, height: logo.height });
      if (logo.position === 'center') textTop = y + logo.height + 4;
    }
    y = textTop;
    if (lh.name) placeLine(lh.name, ['letterhead', 'name']);
    lh.address.forEach((a, i) => placeLine(a, ['letterhead', 'address', i]));
    let bottom = Math.max(y, lh.logo && lh.logo.position !== 'center' ? blockY + lh.logo.height : y);
    if (lh.rule) {
      bottom += 2;
      current.items.push({ kind: 'rule', x1: blockX, y1: bottom, x2: blockX + blockWidth, y2: bottom, thickness: lh.rule.thickness, color: lh.rule.color });
      bottom += lh.rule.thickness;
    }
    bottom += lh.spaceAfter;
    slot = Math.ceil((bottom - blockY) / pitch - 1e-9);
  }

  const composeBlock = (block: TextBlock) => {
    const face = faceOf(block.face);
    const measure = blockWidth / block.size;
    const lines = block.lines.flatMap((line) =>
      compose(line.text, face, line.source, {
        measure: Math.max(1, measure - block.indent),
        indent: 0,
        lineBreak: body.lineBreak,
        hangingPunctuation: false,
        openingBracketIndent: 'none',
      }).lines,
    );
    return { face, measure, lines, slots: slotsFor(block.size) };
  };
  const placeBlock = (block: TextBlock, role: 'header' | 'after', composed = composeBlock(block)) => {
    const { face, measure, lines: composedLines, slots } = composed;
    const needed = block.spaceBefore + composedLines.length * slots;
    // Keep a block together: move it to the next page when it does not fit (but never loop on a block taller than a page).
    if (slot + needed > body.linesPerPage && slot > 0) newPage();
    if (slot > 0) slot += block.spaceBefore;
    for (const l of composedLines) {
      if (slot + slots > body.linesPerPage) newPage();
      const x = blockX + alignOffset(block.align, blockWidth, (block.align === 'center' ? l.contentWidth : l.width) * block.size, block.indent * block.size);
      current.items.push({
        kind: 'text', face: block.face, size: block.size, x, baseline: baselineAt(slot, slots, block.size, face),
        glyphs: l.glyphs, text: l.text, width: l.width, measure, isLastOfParagraph: l.isLast, role,
      });
      slot += slots;
    }
  };

  for (const block of input.before) placeBlock(block, 'header');
  // Header items may be spaced by fractions of a line; the body starts on the grid again.
  if (slot > 0) slot += body.spaceBefore;
  slot = Math.ceil(slot - 1e-9);

  const bodySettings = {
    measure: body.charsPerLine,
    indent: body.indent,
    lineBreak: body.lineBreak,
    hangingPunctuation: body.hangingPunctuation,
    openingBracketIndent: body.openingBracketIndent,
    adjustment: body.adjustment,
  };
  input.paragraphs.forEach((para, k) => {
    const composed = compose(para.text, bodyFace, para.source, bodySettings);
    for (const w of composed.warnings) warnings.push(`body paragraph ${k + 1}: ${w}`);
    if (k > 0 && body.paragraphSpacing > 0) slot += body.paragraphSpacing;
    const lines = composed.lines;
    lines.forEach((l, j) => {
      // No paragraph begins on the last line of a page with the rest overleaf (orphan).
      if (j === 0 && lines.length > 1 && slot === body.linesPerPage - 1 && slot > 0) newPage();
      if (slot >= body.linesPerPage) {
        // No paragraph ends with a single line at the top of a page (widow): the line before it comes
        // along, leaving the previous page a line short; when that would leave a single line behind
        // (an orphan), both come along.
        const carry = j !== lines.length - 1 || body.linesPerPage < 4 ? 0 : j >= 3 ? 1 : j === 2 ? 2 : 0;
        const carried = current.items.splice(current.items.length - carry, carry);
        newPage();
        for (const line of carried) {
          if (line.kind !== 'text') continue;
          line.baseline = baselineAt(slot, 1, body.size, bodyFace);
          current.items.push(line);
          slot += 1;
        }
      }
      current.items.push({
        kind: 'text', face: body.face, size: body.size, x: blockX, baseline: baselineAt(slot, 1, body.size, bodyFace),
        glyphs: l.glyphs, text: l.text, width: l.width, measure: body.charsPerLine, isLastOfParagraph: l.isLast, role: 'body',
      });
      slot += 1;
    });
  });

  // The closing and signature stay together, and never stand alone on a page: when they must move to the
  // next page, the body's last line comes with them (if its paragraph keeps two lines behind).
  const afterBlocks = input.after.map(composeBlock);
  const afterSlots = input.after.reduce((sum, block, k) => sum + block.spaceBefore + afterBlocks[k].lines.length * afterBlocks[k].slots, 0);
  if (input.after.length > 0 && slot > 0 && slot + afterSlots > body.linesPerPage && afterSlots <= body.linesPerPage - 1) {
    const items = current.items;
    const last = items[items.length - 1];
    const before = items[items.length - 2];
    const before2 = items[items.length - 3];
    const bodyLine = (item: PageItem | undefined): item is TextLineItem => item?.kind === 'text' && item.role === 'body';
    const carry = bodyLine(last) && bodyLine(before) && bodyLine(before2) && !before.isLastOfParagraph && !before2.isLastOfParagraph;
    if (carry) items.pop();
    newPage();
    if (carry && last.kind === 'text') {
      last.baseline = baselineAt(slot, 1, body.size, bodyFace);
      current.items.push(last);
      slot += 1;
    }
  }
  input.after.forEach((block, k) => placeBlock(block, 'after', afterBlocks[k]));

  if (input.footer) {
    const f = input.footer;
    const face = faceOf(f.face);
    pages.forEach((pg, k) => {
      const text = f.format.replaceAll('{page}', String(k + 1)).replaceAll('{pages}', String(pages.length));
      const composed = compose(text, face, { path: ['footer', 'pageNumbers'] }, {
        measure: blockWidth / f.size, indent: 0, lineBreak: body.lineBreak, hangingPunctuation: false, openingBracketIndent: 'none',
      });
      const l = composed.lines[0];
      if (!l) return;
      const x = blockX + alignOffset(f.align, blockWidth, (f.align === 'center' ? l.contentWidth : l.width) * f.size, 0);
      pg.items.push({
        kind: 'text', face: f.face, size: f.size, x, baseline: page.height - f.offset, glyphs: l.glyphs, text: l.text,
        width: l.width, measure: blockWidth / f.size, isLastOfParagraph: true, role: 'footer',
      });
    });
  }

  return { pages, warnings, block: { x: blockX, y: blockY, width: blockWidth, height: blockHeight, pitch } };
}

function alignOffset(align: Align, blockWidth: number, lineWidth: number, indent: number): number {
  switch (align) {
    case 'start':
      return indent;
    case 'center':
      return (blockWidth - lineWidth) / 2;
    case 'end':
      return blockWidth - lineWidth - indent;
  }
}

