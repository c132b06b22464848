/**
 * The document tree: what the model hands to layout. Plain data, no fonts, no geometry.
 *
 * A document is a flow of blocks (paragraphs, and groups of blocks that keep together) whose text is a
 * list of inline runs, plus the page furniture its page masters draw (a letterhead on the first page,
 * folios on every page) and its metadata. Every setting arrives resolved (lengths in pt, fonts by
 * name), taken once from the template: layout reads the tree and the resolved template, nothing else.
 *
 * A letter is one kind of document (src/model/letter.ts makes it from a content file). Booklets and
 * vertical text add block and run kinds here; the stages after the model see only this shape.
 */
import type { InlineMark } from './markup.js';
import type { FieldPath } from './yamlfile.js';
import type { AdjustmentPolicy, Align, LineBreakMode, OpeningBracketIndent, StartOn, WritingModeName } from './schema.js';
import type { ResolvedTemplate } from './template.js';

/**
 * Where a run of text came from, so that a later stage can report a problem (a character the font
 * cannot show) at its place in the YAML source.
 */
export interface TextSource {
  /** The file the text was written in. */
  origin: 'content' | 'template';
  /** Field path in that file, e.g. ['body'], ['recipient', 1], ['letterhead', 'name']. */
  path: FieldPath;
  /** For body paragraphs: the paragraph's index (its characters are located through the body's offsets). */
  paragraph?: number;
  /**
   * For body text: the paragraph as the author counts them (1-based: the blocks between blank lines), where
   * `paragraph` counts the body's units (each line of a hard-broken paragraph, each list item, is one).
   */
  paragraphNumber?: number;
  /**
   * Where each character of the run is in the field's (or body unit's) text, when inline markup took
   * characters out (ruby, escapes); absent: the run's text is the field's from its start.
   */
  offsets?: readonly number[];
  /** For a field (not the body): its text as read, so that a character of it can be found in the YAML source. */
  fieldText?: string;
}

/**
 * A problem with a piece of text that a later stage finds (layout: a caption too long for any page),
 * reported at the text's place in the YAML source (build.ts).
 */
export class TextSourceError extends Error {
  constructor(
    readonly source: TextSource,
    message: string,
  ) {
    super(message);
    this.name = 'TextSourceError';
  }
}

/**
 * Text, plain or marked (markup.ts parseInline): a ruby base with its reading (ルビ, JLREQ §3.3), text
 * with emphasis dots (圏点, §3.3.9), or a tate-chu-yoko run (縦中横, §3.2.4; plain text in horizontal).
 */
export interface TextRun {
  kind: 'text';
  text: string;
  source: TextSource;
  mark?: InlineMark;
}

/**
 * The folio of the page where the block with `anchor` starts (a contents line, "see page 12"). Known only
 * once the document is laid out: layout sets the document, reads where the anchors fell and sets it again
 * until the numbers no longer change (see layoutDocument).
 */
export interface PageNumberRun {
  kind: 'pageNumber';
  target: string;
  source: TextSource;
}

/** A hard line break inside a paragraph (the line before it is set like a paragraph's last). */
export interface BreakRun {
  kind: 'break';
}

export type InlineRun = TextRun | PageNumberRun | BreakRun;

/** The runs layout hands to the composer: page numbers already resolved to text. */
export type ResolvedRun = TextRun;

/** How a paragraph's lines are set: everything the composer and the line placement need. */
export interface ParagraphStyle {
  /** A key of the template's fonts. */
  face: string;
  /** pt. */
  size: number;
  /**
   * Line length in em. Undefined: the text block's width at this size. The body gives it exactly
   * (字詰め), so that its lines are the measure the template names, with no rounding from pt.
   */
  measure?: number;
  /** Grid lines each line takes. Undefined: as many as its size needs (行取り); the body's own text takes one. */
  lineSlots?: number;
  /**
   * A heading's 行取り: the grid lines the whole block takes when it is one line, centred in them. A heading
   * that wraps sets its lines at its own line gap (HEADING_LEADING) and takes as many whole grid lines more
   * as they need, centred in them too (JLREQ §4.4: the heading keeps the body's grid before and after it),
   * rather than this many grid lines for each line. Takes the place of lineSlots.
   */
  headingSlots?: number;
  /**
   * 'justify': every line but the last flush on both sides, from the start edge (body text).
   * start | center | end: each line aligned to that edge, ragged where it wraps (headers, closings, contents entries).
   */
  align: 'justify' | Align;
  /** em kept free at the aligned edge (start or end; for center: taken from the measure). */
  inset: number;
  /** First-line indent in em (JLREQ §3.1.5). */
  firstLineIndent: number;
  lineBreak: LineBreakMode;
  hangingPunctuation: boolean;
  openingBracketIndent: OpeningBracketIndent;
  /** Line adjustment policy (JLREQ §3.8); default pushIn. */
  adjustment?: AdjustmentPolicy;
  /**
   * Balanced lines (a title that wraps): set in the narrowest measure that keeps the number of lines, so
   * that the last line is not a stub ("日本・カザフスタン外交関係 / 樹立２５周年記念誌", not "…２５ / 周年記念誌").
   */
  balance?: boolean;
}

/**
 * The role a block plays in a tagged PDF's structure tree (ISO 32000 §14.8.4 standard structure types):
 * a paragraph P unless the block says otherwise (a heading H1…H6, a list item LI, a figure's Caption).
 */
export const STRUCTURE_ROLES = ['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'Caption', 'Figure', 'Table', 'TD', 'TH'] as const;
export type StructureRole = (typeof STRUCTURE_ROLES)[number];

/** What a line is, for the text layer's reading order and for checks ('body', 'header', …). */
export type BlockRole = 'body' | 'header' | 'after';

/**
 * How a block may be broken across pages (JLREQ §4 leaves page breaking to the designer; these are the
 * rules a Japanese compositor applies to running text).
 */
export interface Keep {
  /** Never break inside: move the whole block to the next page when it does not fit (unless taller than a page). */
  together: boolean;
  /** Lines of a paragraph that must stay together at the foot of a page (no single first line alone). */
  orphans: number;
  /** Lines that must stay together at the top of a page (no single last line alone). */
  widows: number;
  /**
   * Never stand alone at the top of a page: when the block must move to the next page, the last line
   * of the paragraph before it comes along (if that paragraph keeps its orphans behind).
   */
  withPrevious: boolean;
  /**
   * Never stand alone at the foot of a page: the block moves to the next page unless the start of the
   * block after it fits below it (a heading, JLREQ §4).
   */
  withNext?: boolean;
}

/** Lines flow freely (inside a group that keeps together, or furniture). */
export const KEEP_FREE: Keep = { together: false, orphans: 1, widows: 1, withPrevious: false };
/** A header or closing item: its lines stay on one page. */
export const KEEP_TOGETHER: Keep = { together: true, orphans: 1, widows: 1, withPrevious: false };
/** Running text: no single first line at the foot of a page, no single last line at the top. */
export const KEEP_RUNNING_TEXT: Keep = { together: false, orphans: 2, widows: 2, withPrevious: false };
/** A letter's closing and signature: together, and never alone at the top of a page. */
export const KEEP_WITH_PREVIOUS: Keep = { ...KEEP_TOGETHER, withPrevious: true };

/**
 * Text set before a paragraph's first line in a column of its own: a list marker (１．, ・), a 記書き label
 * (日時：). The paragraph's lines hang after the columns, so that the texts of a list align.
 */
export interface Label {
  inlines: TextRun[];
  /** Labels naming the same column share its width: that of the widest (an empty label only takes the room). */
  column: string;
  /**
   * 均等割り: spread a label narrower than its column over the column's width, its last character (a
   * colon) at the end — 「日　　時：」 under 「連絡先：」, as Japanese forms align their item names.
   */
  distribute?: boolean;
  /**
   * Set flush with the end of its column: a list number, so that the full stops (or brackets) of ９． and
   * １０． line up, as numbers are aligned on their last digit.
   */
  alignEnd?: boolean;
  /** em of space after the column (between a chronology's date column and its text). */
  gapAfter?: number;
  /**
   * The share of the measure the column may take at most; a label wider than that is an error at its
   * text (a chronology's date column: a sentence written as a date would leave its text no room).
   */
  maxShare?: number;
}

export interface ParagraphBlock {
  kind: 'paragraph';
  role: BlockRole;
  /** A name page-number runs can refer to. */
  anchor?: string;
  /** Columns before the text (list markers, labels), in order. */
  labels?: Label[];
  /** Its role in the tagged screen PDF; default P. */
  structure?: StructureRole;
  style: ParagraphStyle;
  inlines: InlineRun[];
  /** Grid lines left empty before the block; dropped at the top of a page. */
  spaceBefore: number;
  /** Start on a whole grid line (行取り) after spaceBefore: body text always sits on the grid. */
  onGrid: boolean;
  keep: Keep;
  /**
   * Set flush with the line end after the text, the room between filled with the leader character (a
   * contents line: title ……… page number; the numbers of all such lines align).
   */
  trailer?: { inlines: InlineRun[]; leader: string };
  /** The anchor this block's lines link to in the PDF (a contents line to its section). */
  link?: string;
  /** A thin rule across the measure at the block's edge: under a table's column heads, over a colophon. */
  rule?: 'above' | 'below';
}

export interface GroupBlock {
  kind: 'group';
  role: BlockRole;
  /** A name page-number runs can refer to (the page of the group's first line). */
  anchor?: string;
  blocks: Block[];
  /** Grid lines left empty before the group (its first block's own space comes after). */
  spaceBefore: number;
  keep: Keep;
  /** Set again at the top of each page the group continues on (a table's column heads). */
  repeatHead?: ParagraphBlock;
  /** Set at the foot of the page (a colophon, 奥付). */
  placement?: 'foot';
}

/** A photo of a figure, with its caption. */
export interface FigureCell {
  file: string;
  /** As messages name the file. */
  shown: string;
  pixelWidth: number;
  pixelHeight: number;
  /** Set under the image, centred, in the figure's caption style. */
  caption?: TextRun[];
}

/**
 * Images in the flow (photos), side by side when there are several: each `share` of the measure along the
 * inline axis (1 or ½; cells side by side keep a line pitch between them) and as deep as its proportions make it,
 * with its caption under it — one unit, never split across pages, on whole grid lines. Scaled down when
 * it would not fit the text block: a photo never leaves the 版面.
 */
export interface FigureBlock {
  kind: 'figure';
  role: BlockRole;
  anchor?: string;
  cells: FigureCell[];
  share: number;
  caption: { face: string; size: number; lineBreak: LineBreakMode };
  /** Grid lines of the text block the figure leaves to what must stand above it on its page (its section's heading). */
  reserveLines: number;
  /** Below this effective resolution on the page, a warning names the file. */
  minimumDpi: number;
  spaceBefore: number;
  keep: Keep;
}

/**
 * A section starts here: on a new page — the next odd, right- or left-hand page as `startOn` says (which
 * side a page is on is the page master's business: it follows the binding) — whose furniture (running
 * heads, folios) follows the section, and whose blocks are set in `writingMode` until the next section
 * start (the template's when undefined).
 */
export interface SectionStartBlock {
  kind: 'sectionStart';
  anchor: string;
  startOn: StartOn;
  writingMode?: WritingModeName;
  /** The section's title: its outline entry and the running head {section}; undefined for none (the cover). */
  title?: string;
  /** The running head {section} when it is not the title (a shorter one). */
  runningHead?: string;
  /** Whether its pages carry running heads and folios (the cover does not). */
  furniture: boolean;
  /** The page label of its pages when they carry no folio (the cover: 表紙). */
  pageLabel?: string;
}

export type Block = ParagraphBlock | GroupBlock | FigureBlock | SectionStartBlock;

/** A line of furniture text: one line, composed but never broken. */
export interface FurnitureText {
  inlines: TextRun[];
  face: string;
  size: number;
}

/** The organisation's letterhead at the top of the first page (page master "first"). */
export interface Letterhead {
  name?: FurnitureText;
  address: FurnitureText[];
  align: Align;
  /** pt; the height follows the image's proportions. */
  logo?: { file: string; width: number; height: number; position: 'left' | 'right' | 'center' };
  rule?: { thickness: number; color: string };
  /** pt between the letterhead and the first line of text. */
  spaceAfter: number;
}

/**
 * A line of text at the head or foot of pages: page numbers (ノンブル), a continuation header. Its
 * {page} and {pages} are known only once the flow is laid out.
 */
export interface PageText {
  format: string;
  face: string;
  size: number;
  align: Align;
  /** The page edge the baseline is measured from, and how far (pt). */
  edge: 'top' | 'bottom';
  offset: number;
  /**
   * Every page of a document of more than one (page numbers: on a one-page letter a number says
   * nothing), or the pages after the first (a letter's continuation pages).
   */
  pages: 'ofSeveral' | 'following';
  source: TextSource;
}

/**
 * A running head (柱) or folio (ノンブル) of facing pages: on left-hand, right-hand or both pages, at the
 * outer (小口) or inner (のど) end of the text block or centred. {page} is the folio, {section} the title of
 * the section in force on the page; pages without furniture (the cover, blank pages) have none.
 */
export interface RunningText {
  /** A running head (柱: left out on a page where a section opens) or a folio (ノンブル: on every page). */
  role: 'head' | 'folio';
  /** The text with `{page}` and `{section}` still to fill in (by layout). */
  format: string;
  /** The booklet title put in for `{title}`, when the template's format has it (for a warning's advice). */
  title?: string;
  face: string;
  size: number;
  edge: 'top' | 'bottom';
  /** pt from the edge to the baseline. */
  offset: number;
  align: 'outer' | 'inner' | 'center';
  side: 'left' | 'right' | 'both';
  source: TextSource;
}

/** A picture filling a page (the cover), behind its text. */
export interface PageBackground {
  file: string;
  pixelWidth: number;
  pixelHeight: number;
  /** Physical page index. */
  page: number;
  /** The text on it sits on a white panel this many grid lines deep from the top of the text block. */
  panelLines: number;
}

export interface DocumentMetadata {
  title?: string;
  author?: string;
  subject?: string;
  keywords?: string;
  lang: string;
}

export interface DocumentTree {
  /** The one resolved configuration: page, grid, fonts, every default filled. */
  settings: ResolvedTemplate;
  metadata: DocumentMetadata;
  furniture: { letterhead?: Letterhead; pageTexts: PageText[]; runningTexts?: RunningText[]; backgrounds?: PageBackground[] };
  blocks: Block[];
  /** What the model noticed and the user should know (a content field the template does not place). */
  warnings: string[];
}

/** Every run of a block, in reading order. */
export function paragraphsOf(blocks: readonly Block[]): ParagraphBlock[] {
  const out: ParagraphBlock[] = [];
  const walk = (list: readonly Block[]) => {
    for (const block of list) {
      if (block.kind === 'paragraph') out.push(block);
      else if (block.kind === 'group') {
        if (block.repeatHead) out.push(block.repeatHead);
        walk(block.blocks);
      }
    }
  };
  walk(blocks);
  return out;
}
