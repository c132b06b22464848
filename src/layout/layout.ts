/**
 * Layout: a document tree onto pages. Pure data in, pure data out — no files, no PDF.
 *
 *   1. the page masters give each page its size, text region (版面 and its line grid) and furniture;
 *   2. every paragraph is composed along the inline axis (src/text, JLREQ);
 *   3. the page breaker (flow.ts) places the lines on grid lines of successive pages, with the keep rules;
 *   4. the writing mode (writing-mode.ts) turns each line's grid line and inline offset into x/y;
 *   5. the furniture that needs the page count (folios) is drawn once the flow is settled.
 *
 * Everything is on the body's line grid (行取り): a line of any size takes a whole number of grid lines,
 * so the body lines of every page are at the same positions.
 */
import { KumihanError } from '../errors.js';
import type { FontFace } from '../font/fonts.js';
import type { DocumentTree, ParagraphBlock, Block } from '../model/document.js';
import { composeRuns, type ComposedLine } from '../text/compose.js';
import { flowPages, type FlowNode } from './flow.js';
import { alignOffset, drawFolio, drawLetterhead, emBoxAscent, letterMasters, type FaceOf } from './masters.js';
import type { LaidOutDocument, LaidOutPage, PageItem, TextLineItem } from './page.js';
import { horizontalTb, type TextRegion } from './writing-mode.js';

export type { ImageItem, LaidOutDocument, LaidOutPage, PageItem, RuleItem, TextLineItem } from './page.js';

/** A composed line with what placing it needs: its paragraph and how it is measured. */
interface FlowLine {
  line: ComposedLine;
  block: ParagraphBlock;
  face: FontFace;
  /** The measure the line was set in, em (the region's width at its size, or the body's 字詰め). */
  measure: number;
}

/** Grid lines a line of this size takes (行取り): as many as its size and a little leading need. */
function slotsFor(size: number, pitch: number): number {
  return Math.max(1, Math.ceil((size * 1.2) / pitch - 1e-9));
}

export function layoutDocument(doc: DocumentTree, faces: Record<string, FontFace>): LaidOutDocument {
  const settings = doc.settings;
  const faceOf: FaceOf = (name) => {
    const f = faces[name];
    if (!f) throw new KumihanError('template', `unknown font "${name}"; the template's fonts are: ${Object.keys(faces).join(', ')}`);
    return f;
  };
  const masterOf = letterMasters(settings);
  const first = masterOf(0);
  const region = first.region;
  const mode = horizontalTb;
  const lineBreak = settings.body.lineBreak;
  const warnings: string[] = [];

  const letterhead = doc.furniture.letterhead ? drawLetterhead(doc.furniture.letterhead, region, faceOf, lineBreak) : undefined;

  const nodes = doc.blocks.map((block) => flowNode(block, region, faceOf, warnings));
  const placed = flowPages(nodes, { lines: region.lines, firstSlot: (page) => (page === 0 ? (letterhead?.firstSlot ?? 0) : 0) });

  const pages: LaidOutPage[] = placed.map((lines, k) => {
    const master = masterOf(k);
    const items: PageItem[] = k === 0 && letterhead ? [...letterhead.items] : [];
    for (const { line: fl, slot, slots } of lines) {
      const { line, block, face, measure } = fl;
      const style = block.style;
      const align = style.align === 'justify' ? 'start' : style.align;
      const lineWidth = (align === 'center' ? line.contentWidth : line.width) * style.size;
      const inlineStart = alignOffset(align, mode.inlineSize(master.region), lineWidth, style.inset * style.size);
      const origin = mode.lineOrigin(
        master.region,
        slot * master.region.pitch,
        slots * master.region.pitch,
        inlineStart,
        style.size,
        emBoxAscent(face),
      );
      items.push({
        kind: 'text',
        face: style.face,
        size: style.size,
        x: origin.x,
        baseline: origin.baseline,
        glyphs: line.glyphs,
        text: line.text,
        width: line.width,
        measure,
        isLastOfParagraph: line.isLast,
        role: block.role,
      } satisfies TextLineItem);
    }
    return { width: master.width, height: master.height, items };
  });

  const folio = doc.furniture.folio;
  if (folio) {
    pages.forEach((page, k) => {
      const item = drawFolio(folio, k, pages.length, masterOf(k), faceOf, lineBreak);
      if (item) page.items.push(item);
    });
  }

  return { pages, warnings, block: { x: region.x, y: region.y, width: region.width, height: region.height, pitch: region.pitch } };
}

/** A block composed into lines, as the page breaker sees it. */
function flowNode(block: Block, region: TextRegion, faceOf: FaceOf, warnings: string[]): FlowNode<FlowLine> {
  if (block.kind === 'group') {
    return {
      kind: 'group',
      children: block.blocks.map((b) => flowNode(b, region, faceOf, warnings)),
      spaceBefore: block.spaceBefore,
      keep: block.keep,
    };
  }
  const style = block.style;
  const face = faceOf(style.face);
  const measure = style.measure ?? region.width / style.size;
  const composed = composeRuns(block.inlines, face, {
    measure: Math.max(1, measure - style.inset),
    indent: style.firstLineIndent,
    lineBreak: style.lineBreak,
    hangingPunctuation: style.hangingPunctuation,
    openingBracketIndent: style.openingBracketIndent,
  });
  const paragraph = block.inlines[0]?.source.paragraph;
  if (block.role === 'body') for (const w of composed.warnings) warnings.push(`body paragraph ${(paragraph ?? 0) + 1}: ${w}`);
  return {
    kind: 'lines',
    lines: composed.lines.map((line) => ({ line, block, face, measure })),
    lineSlots: style.lineSlots ?? slotsFor(style.size, region.pitch),
    spaceBefore: block.spaceBefore,
    onGrid: block.onGrid,
    keep: block.keep,
  };
}
