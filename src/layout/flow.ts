/**
 * Page breaking: flowing composed blocks into the line grid of successive pages.
 *
 * Works in grid units only — which page, which grid line (slot) — with no x/y and no text: the page
 * masters say how many lines a page's region has and where the flow may start on it, the blocks say how
 * many lines they have, how many grid lines each line takes (行取り) and how they may be broken (Keep).
 * Every keep rule lives here:
 *   - space before a block is dropped at the top of a page (a page break is space enough);
 *   - `onGrid` blocks start on a whole grid line, so running text sits on the same lines on every page;
 *   - `together` moves a block whole to the next page when it does not fit (unless it is taller than a page),
 *     after trying it smaller where it may be set so (`fitTo`: a figure, its photos scaled down); a group
 *     (a 記書き) only where that leaves the page at least half full, else it breaks between its blocks;
 *   - `orphans`: a paragraph never leaves fewer than this many lines at the foot of a page;
 *   - `widows`: nor fewer than this many at the top of the next page — the lines before come along;
 *   - `withPrevious`: a block that must move to the next page takes the last lines of the paragraph before
 *     it along — its `widows` (the whole paragraph when it is too short to split) — so that it never stands
 *     alone there (a letter's closing and signature, a 記書き's 以上); blocks kept with one another (the
 *     signature after 以上 after the 結語) move as one chain, and one that stands in a group kept together
 *     (a 記書き) brings the whole group;
 *   - `withNext`: a block (a heading) goes to the next page unless the start of the block after it — its
 *     first `orphans` lines, or all of it when it keeps together — fits below it (JLREQ §4: no heading
 *     alone at the foot of a page); where they fit on no page together, a block kept together starts under
 *     the heading all the same (a chronology row longer than the page below a section's heading);
 *   - a group's `repeatHead` (a table's column heads) is set again at the top of every page the group
 *     continues on; a group `atFoot` is set at the foot of the page (a colophon);
 *   - a `break` starts a new page — the next right-hand page for `startOn: right`, leaving a blank page
 *     where needed (a booklet's sections), and blank pages after it where asked (a saddle-stitched booklet's padding).
 * Widow control needs room to move lines: it is off on pages of fewer than four lines. A break may change
 * the number of grid lines of the pages after it (a section set in another writing mode has columns, not lines).
 */
import type { Keep } from '../model/document.js';

/** A block as the page breaker sees it. */
export type FlowNode<Line> = FlowLines<Line> | FlowGroup<Line> | FlowBreak;

/** A forced page break (a section start). */
export interface FlowBreak {
  kind: 'break';
  /** right, left: the next page of that side (a blank page is left where needed); any: the next page. */
  startOn: 'right' | 'left' | 'any';
  /** Grid lines of the pages from here on, when they differ from those before (a section in another writing mode). */
  lines?: number;
  /** Blank pages after the break, before what follows (a saddle-stitched booklet's padding). */
  blank?: number;
}

export interface FlowLines<Line> {
  kind: 'lines';
  lines: Line[];
  /** Grid lines each line takes. */
  lineSlots: number;
  /**
   * Set for a heading: its lines are one unit, `pitch` grid lines apart (its own line gap, a fraction of a
   * grid line or more), centred in the whole grid lines they need (lineSlots for one line); never split.
   */
  stacked?: { pitch: number };
  spaceBefore: number;
  onGrid: boolean;
  keep: Keep;
  /**
   * For a block kept together that may be set smaller (a figure, its photos scaled down): the block in at
   * most `lines` grid lines (its space before included), or undefined where that would be too small. Used
   * where the block does not fit the rest of the page, before moving it to the next.
   */
  fitTo?: (lines: number) => FlowLines<Line> | undefined;
}

export interface FlowGroup<Line> {
  kind: 'group';
  children: FlowNode<Line>[];
  spaceBefore: number;
  keep: Keep;
  /** Set again at the top of each page the group continues on after its first child (column heads). */
  repeatHead?: FlowLines<Line>;
  /** Set at the foot of the page (on a new page when it does not fit below what is there). */
  atFoot?: boolean;
}

/** A line placed on a page: its first grid line and how many it takes. */
export interface PlacedLine<Line> {
  line: Line;
  slot: number;
  slots: number;
}

export interface PageRegions {
  /** Lines of the grid on every page (until a break says otherwise). */
  lines: number;
  /** The first grid line the flow may use on a page (furniture such as a letterhead may take the first ones). */
  firstSlot(page: number): number;
  /** Whether a page is a right-hand page (facing pages); without it, every page is. */
  isRightHand?(page: number): boolean;
}

/** Grid positions within this of a whole line count as on it (floating-point noise). */
const GRID_EPSILON = 1e-9;

/** Grid lines a node's lines take: lineSlots each, or, stacked, the whole grid lines the stack needs. */
function linesExtent(node: FlowLines<unknown>): number {
  const n = node.lines.length;
  if (!node.stacked || n === 0) return n * node.lineSlots;
  return node.lineSlots + Math.ceil((n - 1) * node.stacked.pitch - GRID_EPSILON);
}

/** A node whose lines have been placed: how many of them are on the current page. */
interface Placement<Line> {
  node: FlowLines<Line>;
  onPage: number;
  /** Kept with the node before it (its own `withPrevious`, or that of the group it opens). */
  kept: boolean;
  /** The outermost group kept together that the node is in, where that group started on this page. */
  within?: GroupStart;
  /** For a kept node: the placement of the one before it. */
  before?: Placement<Line>;
}

/** Where a group kept together started: its page, and how many lines were on that page before it. */
interface GroupStart {
  page: number;
  count: number;
}

/** Lays the nodes out page by page; returns each page's lines in reading order. */
export function flowPages<Line>(nodes: readonly FlowNode<Line>[], regions: PageRegions): PlacedLine<Line>[][] {
  let capacity = regions.lines;
  const pages: PlacedLine<Line>[][] = [[]];
  let page = 0;
  let slot = regions.firstSlot(0);
  /**
   * The node whose lines were placed last, and how many of them are on the current page; for a node kept
   * with the one before it (以上), that one too (`before`), so that both can move together.
   */
  let previous: Placement<Line> | undefined;

  /**
   * Set when the last thing placed is a block kept with the next (a heading): the withNext rule has
   * already moved it to a new page if it and the start of the next block fit on one; if they did not, the
   * next block starts under it even when kept together, as moving it would leave the heading alone.
   */
  let underHeading = false;

  /** Column heads of the groups being placed that repeat on each new page (the innermost is set). */
  const heads: FlowLines<Line>[] = [];
  /** The heads of the group being started, until they are set (then they join `heads`). */
  let awaitedHead: FlowLines<Line> | undefined;
  const newPage = () => {
    pages.push([]);
    page++;
    slot = regions.firstSlot(page);
    for (let p = previous; p; p = p.before) p.onPage = 0;
    const head = heads[heads.length - 1];
    if (head) {
      for (const line of head.lines) put({ line, slot, slots: head.lineSlots });
      // A row that does not fit below the repeated heads would leave them alone on this page too.
      underHeading = true;
    }
  };
  /**
   * Set while a group kept with the block before it (a 結語 set before 以上) is opened: its first lines
   * are kept with that block, so that a chain through the group moves whole.
   */
  let groupKept = false;
  /** The groups kept together being placed, outermost first. */
  const together: GroupStart[] = [];
  const placement = (node: FlowLines<Line>, onPage: number): Placement<Line> => {
    const kept = (node.keep.withPrevious || groupKept) && previous !== undefined;
    groupKept = false;
    const within = together.find((g) => g.page === page);
    return { node, onPage, kept, ...(kept ? { before: previous } : {}), ...(within ? { within } : {}) };
  };
  const put = (placed: PlacedLine<Line>) => {
    underHeading = false;
    placed.slot = slot;
    pages[page]!.push(placed);
    slot += placed.slots;
  };
  const extent = (node: FlowNode<Line>): number =>
    node.kind === 'break'
      ? 0
      : node.kind === 'lines'
        ? node.spaceBefore + linesExtent(node)
        : node.spaceBefore + node.children.reduce((sum, child) => sum + extent(child), 0);
  /** Grid lines the start of a node needs on a page: its first lines that must stay together. */
  const lead = (node: FlowNode<Line>): number => {
    if (node.kind === 'break') return 0;
    if (node.keep.together) return extent(node);
    if (node.kind === 'lines') {
      // A paragraph too short to leave its orphans on this page and its widows on the next moves whole.
      const n = node.lines.length;
      const { orphans, widows } = node.keep;
      const first = n < orphans + widows ? n : Math.max(orphans, 1);
      return node.spaceBefore + Math.min(first, n) * node.lineSlots;
    }
    const first = node.children[0];
    return node.spaceBefore + (first ? lead(first) : 0);
  };

  /** Would a page whose flow ended at grid line `at` be less than half full (of the lines the flow may use)? */
  const lessThanHalfFull = (at: number) => at - regions.firstSlot(page) < (capacity - regions.firstSlot(page)) / 2;

  /** The rule of `together` (and `withPrevious`): a new page before the node when it does not fit here. */
  const keepTogether = (node: FlowLines<Line> | FlowGroup<Line>) => {
    const needed = extent(node);
    if (slot === 0 || slot + needed <= capacity) return;
    // Taller than a page: it breaks wherever it starts, so it starts here (a long list of recipients
    // moved whole would leave the page before it nearly empty).
    if (needed > capacity - regions.firstSlot(page + 1)) return;
    // A group (a 記書き of many items) that would leave more than half the page empty, moved whole, starts
    // here too and breaks between its blocks, each by its own keeps (記 with its first two items).
    if (node.kind === 'group' && !node.atFoot && lessThanHalfFull(slot)) return;
    if (!node.keep.withPrevious) {
      if (!underHeading) newPage();
      return;
    }
    // Only when the node and one line fit on a page; otherwise it simply follows on.
    if (needed > capacity - 1) return;
    // What comes along, walking back from the block before: the last line of a paragraph that keeps at
    // least its orphans (and two lines) behind (not of a block kept together); a paragraph too short for
    // that (a one-line paragraph, a 記書き item) whole, when it is whole on this page, something stays
    // behind, and it fits with the node on the next page. A block itself kept with the one before it
    // (以上 after the last item) comes along whole with what it is kept with, or nothing does.
    const onPage = pages[page]!;
    const fits = (take: number) =>
      take === 0 ||
      needed + onPage[onPage.length - 1]!.slot + onPage[onPage.length - 1]!.slots - onPage[onPage.length - take]!.slot <= capacity;
    const moved: [Placement<Line>, number][] = [];
    let take = 0;
    for (let b = previous; b; b = b.before) {
      const whole = b.onPage === b.node.lines.length && onPage.length > take + b.onPage && fits(take + b.onPage);
      if (b.kept) {
        if (!whole) break;
        take += b.onPage;
        moved.push([b, b.onPage]);
        continue;
      }
      // The block it stands on is in a group kept together (a 記書き, 記 to 以上): the whole group comes
      // along, when it started on this page after something that stays behind, in the page's second half
      // (from higher up, it would leave more than half the page empty: then its end comes along as
      // running text's would), and fits with the node.
      if (
        b.within &&
        b.within.page === page &&
        b.within.count > 0 &&
        !lessThanHalfFull(onPage[b.within.count]!.slot) &&
        fits(onPage.length - b.within.count)
      ) {
        take = onPage.length - b.within.count;
        moved.push([b, b.onPage]);
        break;
      }
      // A paragraph's last lines come along — its `widows`, so that none stands alone over the closing —
      // when its orphans (and two lines) stay behind.
      const widows = Math.max(b.node.keep.widows, 1);
      const splits = !b.node.keep.together && b.onPage - widows >= Math.max(b.node.keep.orphans, 2);
      const lines = splits && fits(take + widows) ? widows : whole ? b.onPage : 0;
      if (lines > 0) {
        take += lines;
        moved.push([b, lines]);
      }
      break;
    }
    // A chain of kept blocks that found nothing to stand on stays where it is.
    if (moved.length > 0 && moved[moved.length - 1]![0].kept) moved.length = take = 0;
    const carried = take > 0 ? onPage.splice(-take) : [];
    newPage();
    // The carried lines keep the space between them.
    const shift = carried.length > 0 ? slot - carried[0]!.slot : 0;
    for (const line of carried) {
      pages[page]!.push({ ...line, slot: line.slot + shift });
      slot = line.slot + shift + line.slots;
    }
    for (const [b, lines] of moved) b.onPage = lines;
  };

  const placeLines = (given: FlowLines<Line>) => {
    let node = given;
    // A figure that does not fit the rest of the page is set smaller there, where it may be.
    const room = capacity - Math.ceil(slot - GRID_EPSILON);
    if (node.fitTo && slot > regions.firstSlot(page) && extent(node) > room && room > node.spaceBefore) {
      const fitted = node.fitTo(room);
      if (fitted && extent(fitted) <= room) node = fitted;
    }
    if (node.keep.together) keepTogether(node);
    if (slot > 0) slot += node.spaceBefore;
    if (node.onGrid) slot = Math.ceil(slot - GRID_EPSILON);
    const n = node.lines.length;
    if (node.stacked) {
      const unit = linesExtent(node);
      if (slot + unit > capacity && slot > regions.firstSlot(page)) newPage();
      // Each line centred in a band of lineSlots, the bands `pitch` apart, the stack centred in the unit.
      const start = slot + (unit - (node.lineSlots + (n - 1) * node.stacked.pitch)) / 2;
      const pitch = node.stacked.pitch;
      for (let j = 0; j < n; j++) pages[page]!.push({ line: node.lines[j]!, slot: start + j * pitch, slots: node.lineSlots });
      slot += unit;
      previous = placement(node, n);
      return;
    }
    const { orphans, widows } = node.keep;
    previous = placement(node, 0);
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

  const place = (node: FlowNode<Line>, next: FlowNode<Line> | undefined) => {
    if (node.kind === 'break') {
      underHeading = false;
      if (pages[page]!.length > 0) newPage();
      const isRight = regions.isRightHand;
      if (isRight && node.startOn !== 'any' && isRight(page) !== (node.startOn === 'right')) newPage();
      if (node.lines !== undefined) capacity = node.lines;
      for (let k = 0; k < (node.blank ?? 0); k++) newPage();
      previous = undefined;
      return;
    }
    // withNext: the node and the start of the next one on the same page (when they fit on one at all).
    // (Not under a heading that is itself kept with this node: moving this one would leave that alone.)
    if (node.keep.withNext && next && slot > regions.firstSlot(page) && !underHeading) {
      const needed = extent(node) + lead(next);
      if (slot + needed > capacity && needed <= capacity - regions.firstSlot(page)) newPage();
    }
    if (node.kind === 'lines') {
      placeLines(node);
      if (node.keep.withNext) underHeading = true;
      if (node === awaitedHead) {
        heads.push(node);
        awaitedHead = undefined;
      }
      return;
    }
    if (node.atFoot) {
      const needed = extent(node) - node.spaceBefore;
      if (slot + node.spaceBefore + needed > capacity && slot > regions.firstSlot(page)) newPage();
      slot = Math.max(slot, capacity - needed);
    } else {
      if (node.keep.together) keepTogether(node);
      if (slot > 0) slot += node.spaceBefore;
      groupKept = node.keep.withPrevious;
    }
    if (node.keep.together) together.push({ page, count: pages[page]!.length });
    // The heads repeat from the moment they are set: a first row longer than the rest of the page continues
    // under them on the next (they are in the group's first child, kept with that row).
    const depth = heads.length;
    if (node.repeatHead) awaitedHead = node.repeatHead;
    node.children.forEach((child, k) => {
      place(child, node.children[k + 1] ?? next);
      if (k === 0 && node.repeatHead && awaitedHead === node.repeatHead) {
        heads.push(node.repeatHead);
        awaitedHead = undefined;
      }
    });
    if (node.repeatHead) heads.length = depth;
    if (node.keep.together) together.pop();
    if (node.keep.withNext) underHeading = true;
  };

  for (let k = 0; k < nodes.length; k++) place(nodes[k]!, nodes[k + 1]);
  return pages;
}
