/**
 * Page breaking: flowing composed blocks into the line grid of successive pages.
 *
 * Works in grid units only — which page, which grid line (slot) — with no x/y and no text: the page
 * masters say how many lines a page's region has and where the flow may start on it, the blocks say how
 * many lines they have, how many grid lines each line takes (行取り) and how they may be broken (Keep).
 * Every keep rule lives here:
 *   - space before a block is dropped at the top of a page (a page break is space enough);
 *   - `onGrid` blocks start on a whole grid line, so running text sits on the same lines on every page;
 *   - `together` moves a block whole to the next page when it does not fit (unless it is taller than a page);
 *   - `orphans`: a paragraph never leaves fewer than this many lines at the foot of a page;
 *   - `widows`: nor fewer than this many at the top of the next page — the lines before come along;
 *   - `withPrevious`: a block that must move to the next page takes the last line of the paragraph before
 *     it along, so that it never stands alone there (a letter's closing and signature).
 * Widow control needs room to move lines: it is off on pages of fewer than four lines.
 */
import type { Keep } from '../model/document.js';

/** A block as the page breaker sees it. */
export type FlowNode<Line> = FlowLines<Line> | FlowGroup<Line>;

export interface FlowLines<Line> {
  kind: 'lines';
  lines: Line[];
  /** Grid lines each line takes. */
  lineSlots: number;
  spaceBefore: number;
  onGrid: boolean;
  keep: Keep;
}

export interface FlowGroup<Line> {
  kind: 'group';
  children: FlowNode<Line>[];
  spaceBefore: number;
  keep: Keep;
}

/** A line placed on a page: its first grid line and how many it takes. */
export interface PlacedLine<Line> {
  line: Line;
  slot: number;
  slots: number;
}

export interface PageRegions {
  /** Lines of the grid on every page. */
  lines: number;
  /** The first grid line the flow may use on a page (furniture such as a letterhead may take the first ones). */
  firstSlot(page: number): number;
}

/** Grid positions within this of a whole line count as on it (floating-point noise). */
const GRID_EPSILON = 1e-9;

/** Lays the nodes out page by page; returns each page's lines in reading order. */
export function flowPages<Line>(nodes: readonly FlowNode<Line>[], regions: PageRegions): PlacedLine<Line>[][] {
  const capacity = regions.lines;
  const pages: PlacedLine<Line>[][] = [[]];
  let page = 0;
  let slot = regions.firstSlot(0);
  /** The node whose lines were placed last, and how many of them are on the current page. */
  let previous: { node: FlowLines<Line>; onPage: number } | undefined;

  const newPage = () => {
    pages.push([]);
    page++;
    slot = regions.firstSlot(page);
    if (previous) previous.onPage = 0;
  };
  const put = (placed: PlacedLine<Line>) => {
    placed.slot = slot;
    pages[page]!.push(placed);
    slot += placed.slots;
  };
  const extent = (node: FlowNode<Line>): number =>
    node.kind === 'lines'
      ? node.spaceBefore + node.lines.length * node.lineSlots
      : node.spaceBefore + node.children.reduce((sum, child) => sum + extent(child), 0);

  /** The rule of `together` (and `withPrevious`): a new page before the node when it does not fit here. */
  const keepTogether = (node: FlowNode<Line>) => {
    const needed = extent(node);
    if (slot === 0 || slot + needed <= capacity) return;
    if (!node.keep.withPrevious) {
      newPage();
      return;
    }
    // Only when the node and one line fit on a page; otherwise it simply follows on.
    if (needed > capacity - 1) return;
    const carried: PlacedLine<Line>[] = [];
    const before = previous;
    // The line before comes along if the paragraph keeps at least its orphans (and two lines) behind.
    if (before && before.onPage - 1 >= Math.max(before.node.keep.orphans, 2)) carried.push(...pages[page]!.splice(-1, 1));
    newPage();
    for (const line of carried) put(line);
    if (before) before.onPage = carried.length;
  };

  const placeLines = (node: FlowLines<Line>) => {
    if (node.keep.together) keepTogether(node);
    if (slot > 0) slot += node.spaceBefore;
    if (node.onGrid) slot = Math.ceil(slot - GRID_EPSILON);
    const n = node.lines.length;
    const { orphans, widows } = node.keep;
    previous = { node, onPage: 0 };
    for (let j = 0; j < n; j++) {
      // Orphans: the paragraph's first lines do not stay alone at the foot of the page.
      if (j === 0 && n > 1 && orphans > 1 && slot > 0 && slot + Math.min(orphans, n) * node.lineSlots > capacity) newPage();
      if (slot + node.lineSlots > capacity) {
        // Widows: the last lines do not stand alone at the top of the next page; lines from this page
        // come along, all of them when fewer than `orphans` would stay behind.
        const onPage = previous.onPage;
        let carry = 0;
        if (widows > 1 && capacity >= 4 && n - j < widows) {
          carry = widows - (n - j);
          if (onPage - carry < orphans) carry = onPage;
          carry = Math.min(carry, onPage);
        }
        const carried = carry > 0 ? pages[page]!.splice(-carry, carry) : [];
        newPage();
        for (const line of carried) put(line);
        previous.onPage = carried.length;
      }
      put({ line: node.lines[j]!, slot, slots: node.lineSlots });
      previous.onPage++;
    }
  };

  const place = (node: FlowNode<Line>) => {
    if (node.kind === 'lines') {
      placeLines(node);
      return;
    }
    if (node.keep.together) keepTogether(node);
    if (slot > 0) slot += node.spaceBefore;
    for (const child of node.children) place(child);
  };

  for (const node of nodes) place(node);
  return pages;
}
