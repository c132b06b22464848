/**
 * The keep rules booklets add to the page breaker (src/layout/flow.ts), on grid lines alone: section
 * breaks to the next (right-hand) page, headings kept with what follows, column heads repeated on every
 * page a table continues on, and a block set at the foot of the page.
 */
import { describe, expect, test } from 'vitest';
import { flowPages, type FlowLines, type FlowNode } from '../../src/layout/flow.js';
import { type Block, KEEP_FREE, KEEP_RUNNING_TEXT, KEEP_TOGETHER } from '../../src/model/document.js';
import { layoutBlocks, style } from './helpers.js';

/** A block of `n` one-slot lines named `name1`, `name2`, …. */
const lines = (name: string, n: number, keep = KEEP_RUNNING_TEXT, spaceBefore = 0): FlowLines<string> => ({
  kind: 'lines',
  lines: Array.from({ length: n }, (_, i) => `${name}${i + 1}`),
  lineSlots: 1,
  spaceBefore,
  onGrid: true,
  keep,
});
/** Right-hand pages are the odd ones (index 0, 2, …), as in a book bound on the left. */
const regions = (capacity: number) => ({ lines: capacity, firstSlot: () => 0, isRightHand: (page: number) => page % 2 === 0 });
const names = (pages: { line: string }[][]) => pages.map((p) => p.map((l) => l.line));

describe('section breaks', () => {
  test('startOn right leaves a blank left-hand page where needed; any does not', () => {
    const nodes: FlowNode<string>[] = [
      lines('a', 3),
      { kind: 'break', startOn: 'right' },
      lines('b', 2),
      { kind: 'break', startOn: 'any' },
      lines('c', 1),
      { kind: 'break', startOn: 'right' },
      lines('d', 1),
    ];
    expect(names(flowPages(nodes, regions(10)))).toEqual([['a1', 'a2', 'a3'], [], ['b1', 'b2'], ['c1'], ['d1']]);
  });

  test('a break at the start of the document starts no page', () => {
    expect(names(flowPages([{ kind: 'break', startOn: 'right' }, lines('a', 1)], regions(10)))).toEqual([['a1']]);
  });

  test('startOn left leaves a blank right-hand page where needed (a book bound on the right starts sections there)', () => {
    const nodes: FlowNode<string>[] = [
      lines('a', 1),
      { kind: 'break', startOn: 'left' },
      lines('b', 1),
      { kind: 'break', startOn: 'left' },
      lines('c', 1),
    ];
    expect(names(flowPages(nodes, regions(10)))).toEqual([['a1'], ['b1'], [], ['c1']]);
  });

  test('a break may change the grid lines of the pages after it (a section in another writing mode)', () => {
    const nodes: FlowNode<string>[] = [
      lines('a', 5),
      { kind: 'break', startOn: 'any', lines: 3 },
      lines('b', 5),
      { kind: 'break', startOn: 'any', lines: 4 },
      lines('c', 5, KEEP_FREE),
    ];
    const pages = names(flowPages(nodes, { ...regions(5), isRightHand: undefined }));
    expect(pages).toEqual([['a1', 'a2', 'a3', 'a4', 'a5'], ['b1', 'b2', 'b3'], ['b4', 'b5'], ['c1', 'c2', 'c3', 'c4'], ['c5']]);
  });

  test('a break just after a full page adds no empty page', () => {
    const pages = flowPages([lines('a', 4), { kind: 'break', startOn: 'any' }, lines('b', 1)], regions(4));
    expect(names(pages)).toEqual([['a1', 'a2', 'a3', 'a4'], ['b1']]);
  });
});

describe('headings kept with what follows (withNext)', () => {
  const heading = lines('h', 1, { ...KEEP_TOGETHER, withNext: true });
  test('a heading that would stand at the foot goes to the next page with the start of its text', () => {
    // 6 lines a page: 4 lines of text, the heading on line 5, and only one line of the paragraph could follow.
    const pages = flowPages([lines('a', 4, KEEP_FREE), heading, lines('b', 3)], regions(6));
    expect(names(pages)).toEqual([
      ['a1', 'a2', 'a3', 'a4'],
      ['h1', 'b1', 'b2', 'b3'],
    ]);
  });
  test('a heading stays when the first lines of its text fit under it', () => {
    const pages = flowPages([lines('a', 3, KEEP_FREE), heading, lines('b', 5)], regions(6));
    expect(names(pages)).toEqual([
      ['a1', 'a2', 'a3', 'h1', 'b1', 'b2'],
      ['b3', 'b4', 'b5'],
    ]);
  });
  test('a block kept whole that fits on no page with its heading starts under it, rather than leave it alone', () => {
    // A heading of two lines, then a table row of 5 lines: 2 + 5 > 6, and the row alone would fit the next
    // page — but the heading would stand alone on this one (at its head: a section's first page).
    const tall = lines('h', 2, { ...KEEP_TOGETHER, withNext: true });
    for (const before of [[], [lines('a', 1, KEEP_FREE)]]) {
      const pages = flowPages([...before, tall, lines('r', 5, KEEP_TOGETHER)], regions(6));
      expect(names(pages)[0], `${before.length} lines before`).toContain('r1');
    }
  });
  test('a heading goes along when its text is too short to be split (no orphan, no widow)', () => {
    const pages = flowPages([lines('a', 3, KEEP_FREE), heading, lines('b', 3)], regions(6));
    expect(names(pages)).toEqual([
      ['a1', 'a2', 'a3'],
      ['h1', 'b1', 'b2', 'b3'],
    ]);
  });
});

describe('repeated column heads', () => {
  test('the heads are set again at the top of every page the table continues on, never twice on one page', () => {
    const head = lines('H', 1, KEEP_TOGETHER);
    const rows = Array.from({ length: 7 }, (_, r) => lines(`r${r + 1}.`, 1 + (r % 2), KEEP_TOGETHER));
    const table: FlowNode<string> = {
      kind: 'group',
      children: [{ kind: 'group', children: [head, rows[0]!], spaceBefore: 0, keep: KEEP_TOGETHER }, ...rows.slice(1)],
      spaceBefore: 0,
      keep: KEEP_FREE,
      repeatHead: head,
    };
    const pages = names(flowPages([lines('a', 2, KEEP_FREE), table, lines('z', 1, KEEP_FREE)], regions(5)));
    // Every page after the first that holds rows starts with the heads; no row is split.
    pages.forEach((page, k) => {
      const hasRows = page.some((l) => l.startsWith('r'));
      if (k > 0 && hasRows) expect(page[0]).toBe('H1');
      expect(page.filter((l) => l === 'H1').length).toBeLessThanOrEqual(1);
      for (const l of page) if (/^r\d+\.2$/.test(l)) expect(page).toContain(l.replace(/2$/, '1'));
    });
    expect(pages.flat().filter((l) => l.startsWith('r'))).toEqual(rows.flatMap((r) => r.lines));
    // After the table the heads stop: z follows without them.
    const last = pages[pages.length - 1]!;
    expect(last[last.length - 1]).toBe('z1');
  });
});

describe('a first row longer than the page below the heads', () => {
  test('continues on the next page under the heads, set again there', () => {
    const head = lines('H', 1, { ...KEEP_TOGETHER, withNext: true });
    const first = lines('r', 7, KEEP_TOGETHER);
    const table: FlowNode<string> = {
      kind: 'group',
      children: [{ kind: 'group', children: [head, first], spaceBefore: 0, keep: KEEP_TOGETHER }, lines('s', 1, KEEP_TOGETHER)],
      spaceBefore: 0,
      keep: KEEP_FREE,
      repeatHead: head,
    };
    expect(names(flowPages([table], regions(5)))).toEqual([
      ['H1', 'r1', 'r2', 'r3', 'r4'],
      ['H1', 'r5', 'r6', 'r7', 's1'],
    ]);
  });
});

describe('a block at the foot of the page', () => {
  const colophon = (): FlowNode<string> => ({
    kind: 'group',
    children: [lines('c', 2, KEEP_FREE)],
    spaceBefore: 1,
    keep: KEEP_TOGETHER,
    atFoot: true,
  });
  test('is set on the last lines of the page', () => {
    const pages = flowPages([lines('a', 2), colophon()], regions(8));
    expect(pages.map((p) => p.map((l) => [l.line, l.slot + 0]))).toEqual([
      [
        ['a1', 0],
        ['a2', 1],
        ['c1', 6],
        ['c2', 7],
      ],
    ]);
  });
  test('goes to a new page when the page is full', () => {
    const pages = flowPages([lines('a', 7), colophon()], regions(8));
    expect(pages.map((p) => p.map((l) => [l.line, l.slot + 0]))[1]).toEqual([
      ['c1', 6],
      ['c2', 7],
    ]);
  });
});

describe('a long group kept together (a 記書き of many items)', () => {
  // As a letter's 記書き: 記 and its first two items kept together, the other items, 以上 kept with them.
  const kigaki = (items: number): FlowNode<string> => ({
    kind: 'group',
    keep: KEEP_TOGETHER,
    spaceBefore: 0,
    children: [
      { kind: 'group', keep: KEEP_TOGETHER, spaceBefore: 0, children: [lines('記', 1, KEEP_FREE), lines('i1-', 1), lines('i2-', 1)] },
      ...Array.from({ length: items - 2 }, (_, k) => lines(`i${k + 3}-`, 1)),
      lines('以上', 1, { ...KEEP_FREE, together: true, withPrevious: true }),
    ],
  });
  const signature = lines('s', 3, { ...KEEP_FREE, together: true, withPrevious: true });

  test('a signature that must move takes the last item along, not the whole 記書き, where that would leave more than half the page empty', () => {
    const pages = names(flowPages([lines('a', 2, KEEP_FREE), kigaki(18), signature], regions(24)));
    expect(pages[0]!.at(-1)).toBe('i17-1');
    expect(pages[1]).toEqual(['i18-1', '以上1', 's1', 's2', 's3']);
  });
  test('one that does not fit starts where it is and breaks between its items, rather than leave more than half the page empty', () => {
    // 18 lines, on a page of 24 under 10 lines of text: moved whole, it would leave 14 lines empty.
    const pages = names(flowPages([lines('a', 10, KEEP_FREE), kigaki(16)], regions(24)));
    expect(pages[0]!.slice(9, 11)).toEqual(['a10', '記1']);
    expect(pages[0]).toHaveLength(24);
    expect(pages[1]!.at(-1)).toBe('以上1');
  });
  test('a short one still moves whole, with the signature', () => {
    const pages = names(flowPages([lines('a', 14, KEEP_FREE), kigaki(6), signature], regions(24)));
    expect(pages[0]).toEqual(Array.from({ length: 14 }, (_, k) => `a${k + 1}`));
    expect(pages[1]![0]).toBe('記1');
  });
});

describe('balanced lines (a title that wraps)', () => {
  const title = (balance: boolean): Block => ({
    kind: 'paragraph',
    role: 'header',
    style: { ...style, align: 'center', balance },
    inlines: [{ kind: 'text', text: 'あいうえおかきくけこさしす', source: { origin: 'content', path: ['title'] } }],
    spaceBefore: 0,
    onGrid: true,
    keep: KEEP_TOGETHER,
  });
  test('keep the number of lines and come out about equally long', () => {
    const lengths = (balance: boolean) => layoutBlocks([title(balance)])[0]!.map((l) => [...l.text].length);
    expect(lengths(false)).toEqual([10, 3]);
    const balanced = lengths(true);
    expect(balanced).toHaveLength(2);
    expect(Math.max(...balanced) - Math.min(...balanced)).toBeLessThanOrEqual(1);
    expect(balanced.reduce((a, b) => a + b)).toBe(13);
  });
});

describe('a title that wraps between phrases', () => {
  const title = (text: string, balance: boolean): Block => ({
    kind: 'paragraph',
    role: 'header',
    style: { ...style, align: 'center', balance },
    inlines: [{ kind: 'text', text, source: { origin: 'content', path: ['title'] } }],
    spaceBefore: 0,
    onGrid: true,
    keep: KEEP_TOGETHER,
  });
  const texts = (text: string, balance: boolean) => layoutBlocks([title(text, balance)])[0]!.map((l) => l.text);
  test('takes a line more rather than break a word (周／年) or start a line with a particle (／を)', () => {
    // In 10 characters a line: set plainly, 外交関係樹立二十五周／年を記念して刊行.
    expect(texts('外交関係樹立二十五周年を記念して刊行', true)).toEqual(['外交関係樹立', '二十五周年を', '記念して刊行']);
    const unbalanced = texts('外交関係樹立二十五周年を記念して刊行', false);
    expect(unbalanced).toHaveLength(3);
    expect(unbalanced.slice(0, 2).map((l) => l.at(-1))).not.toContain('周');
  });
  test('balancing never buys its even lines with a worse break', () => {
    // 10 and 10 characters: as even as they go, and both lines whole phrases.
    expect(texts('創立百周年記念式典および祝賀会のご案内', true)).toEqual(['創立百周年記念式典', 'および祝賀会のご案内']);
  });
});

describe('a heading of several lines (stacked)', () => {
  const heading = (n: number, pitch: number): FlowLines<string> => ({
    ...lines('h', n, { ...KEEP_TOGETHER, withNext: true }),
    lineSlots: 3,
    stacked: { pitch },
  });

  test('one line takes its 行取り, centred in it as before', () => {
    const pages = flowPages([heading(1, 1.2), lines('b', 2)], regions(20));
    expect(pages[0]!.map(({ line, slot, slots }) => [line, slot + 0, slots])).toEqual([
      ['h1', 0, 3],
      ['b1', 3, 1],
      ['b2', 4, 1],
    ]);
  });

  test('its lines are `pitch` grid lines apart, the stack centred in the whole grid lines it needs', () => {
    // 3 lines 1.2 grid lines apart: 3 + ceil(2.4) = 6 grid lines; the stack (3 + 2.4) centred in them.
    const pages = flowPages([lines('a', 2), heading(3, 1.2), lines('b', 1)], regions(20));
    const placed = pages[0]!;
    const starts = placed.filter((p) => p.line.startsWith('h')).map((p) => p.slot);
    expect(starts[0]).toBeCloseTo(2 + (6 - 5.4) / 2, 9);
    expect(starts[1]! - starts[0]!).toBeCloseTo(1.2, 9);
    expect(starts[2]! - starts[1]!).toBeCloseTo(1.2, 9);
    expect(placed.find((p) => p.line === 'b1')!.slot).toBe(8);
  });

  test('is never split: when it does not fit, it starts the next page (whatever its keep)', () => {
    const free: FlowLines<string> = { ...heading(2, 1.5), keep: KEEP_FREE };
    const pages = flowPages([lines('a', 6, KEEP_FREE), free, lines('b', 1)], regions(10));
    expect(names(pages)).toEqual([
      ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'],
      ['h1', 'h2', 'b1'],
    ]);
  });
});

describe('a block kept with the one before it (withPrevious: a closing and signature, 以上)', () => {
  const signature = (n: number): FlowNode<string> => ({ ...lines('s', n), keep: { ...KEEP_TOGETHER, withPrevious: true } });
  const short = (name: string) => lines(name, 1);

  test('takes the last lines of a long paragraph along to the next page — its widows, not one line alone', () => {
    const pages = names(flowPages([lines('a', 5), signature(2)], { ...regions(6), isRightHand: undefined }));
    expect(pages).toEqual([
      ['a1', 'a2', 'a3'],
      ['a4', 'a5', 's1', 's2'],
    ]);
  });

  test('moves a chain through a group kept with the block before it (結語 before 以上) with the body line it stands on', () => {
    const closing: FlowNode<string> = {
      kind: 'group',
      children: [lines('c', 1, KEEP_FREE)],
      spaceBefore: 0,
      keep: { ...KEEP_TOGETHER, withPrevious: true },
    };
    const ijo: FlowNode<string> = { ...lines('i', 1), keep: { ...KEEP_TOGETHER, withPrevious: true } };
    const pages = names(
      flowPages([short('a'), short('b'), short('d'), short('e'), closing, ijo, signature(2)], { ...regions(6), isRightHand: undefined }),
    );
    expect(pages).toEqual([
      ['a1', 'b1', 'd1'],
      ['e1', 'c1', 'i1', 's1', 's2'],
    ]);
  });

  test('takes a one-line paragraph along whole, never standing alone on the next page', () => {
    const pages = names(
      flowPages([short('a'), short('b'), short('c'), short('d'), short('e'), signature(2)], { ...regions(6), isRightHand: undefined }),
    );
    expect(pages).toEqual([
      ['a1', 'b1', 'c1', 'd1'],
      ['e1', 's1', 's2'],
    ]);
  });

  test('takes a line that is itself kept with the one before it along with that one (以上 with its last 記書き item)', () => {
    const ijo: FlowNode<string> = { ...lines('i', 1), keep: { ...KEEP_TOGETHER, withPrevious: true } };
    const pages = names(flowPages([lines('a', 3), short('k'), ijo, signature(2)], { ...regions(5), isRightHand: undefined }));
    expect(pages).toEqual([
      ['a1', 'a2', 'a3'],
      ['k1', 'i1', 's1', 's2'],
    ]);
  });

  test('does not part a line from the one it is itself kept with when that one cannot come along', () => {
    const ijo: FlowNode<string> = { ...lines('i', 1), keep: { ...KEEP_TOGETHER, withPrevious: true } };
    // The item before 以上 fills the page above it: nothing would stay behind, so 以上 stays with it.
    const pages = names(flowPages([lines('k', 4, KEEP_TOGETHER), ijo, signature(2)], { ...regions(5), isRightHand: undefined }));
    expect(pages).toEqual([
      ['k1', 'k2', 'k3', 'k4', 'i1'],
      ['s1', 's2'],
    ]);
  });

  test('keeps the space between the lines it carries', () => {
    const ijo: FlowNode<string> = { ...lines('i', 1), keep: { ...KEEP_TOGETHER, withPrevious: true }, spaceBefore: 1 };
    const placed = flowPages([lines('a', 3), short('k'), ijo, signature(2)], { ...regions(6), isRightHand: undefined });
    expect(placed[1]!.map((p) => [p.line, p.slot])).toEqual([
      ['k1', 0],
      ['i1', 2],
      ['s1', 3],
      ['s2', 4],
    ]);
  });

  test('leaves the page it comes from with something on it', () => {
    const pages = names(flowPages([lines('a', 2), signature(4)], { ...regions(5), isRightHand: undefined }));
    expect(pages).toEqual([
      ['a1', 'a2'],
      ['s1', 's2', 's3', 's4'],
    ]);
  });
});

describe('a block kept together that is taller than a page', () => {
  test('starts where it is (it breaks anyway) rather than leaving the page before nearly empty', () => {
    const kept = lines('r', 12, KEEP_TOGETHER);
    expect(names(flowPages([lines('a', 1), kept], regions(10)))).toEqual([
      ['a1', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'],
      ['r10', 'r11', 'r12'],
    ]);
    // As a group of one-line blocks too (a letter's recipient lines).
    const group: FlowNode<string> = {
      kind: 'group',
      children: Array.from({ length: 12 }, (_, i) => lines(`g${i + 1}-`, 1, KEEP_FREE)),
      spaceBefore: 0,
      keep: KEEP_TOGETHER,
    };
    const pages = names(flowPages([lines('a', 1), group], regions(10)));
    expect(pages.map((p) => p.length)).toEqual([10, 3]);
    // One that fits on a page still moves whole.
    expect(names(flowPages([lines('a', 3), lines('s', 8, KEEP_TOGETHER)], regions(10)))).toEqual([
      ['a1', 'a2', 'a3'],
      ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'],
    ]);
  });
});
