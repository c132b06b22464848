/**
 * Which PDF a build writes. A template without `print:` gives the plain PDF kumihan has always written.
 * With `print:` a document has two: the screen PDF (`<name>.pdf`: tagged, PDF/A-2b, screen.ts) and the
 * press PDF (`<name>.print.pdf`: bleed, trim marks, CMYK, PDF/X, print.ts), which the build preflights.
 */
import type { LaidOutDocument } from '../layout/page.js';
import type { LoadedDocument } from '../model/load.js';
import { colourConverter, type ColourConverter } from './colour.js';
import { PLAIN_OUTPUT, type PdfOutputHooks } from './output.js';
import { screenOutput } from './screen.js';
import type { PdfMetadata } from './write.js';

export type OutputVariant = 'screen' | 'press';

/** The press PDF's file name beside the screen PDF: `x.pdf` → `x.print.pdf`. */
export const pressFileName = (screenFile: string) => screenFile.replace(/(\.pdf)?$/i, '.print.pdf');

export interface PreparedOutput {
  hooks: PdfOutputHooks;
  /** The pages to write (the press PDF of a saddle-stitched document is padded to a multiple of 4). */
  layout: LaidOutDocument;
  /** What the build should tell: colours converted, pages added. */
  notices(): string[];
  /** For the press PDF: what preflight checks it against. */
  preflight?: { standard: 'PDF/X-1a' | 'PDF/X-4' | 'none'; saddleStitch: boolean };
}

export async function outputFor(
  layout: LaidOutDocument,
  doc: LoadedDocument,
  variant: OutputVariant,
  meta: PdfMetadata,
): Promise<PreparedOutput> {
  const print = doc.template.print;
  const usesCmyk = layout.pages.some((p) =>
    p.items.some((it) => {
      const colour = (it as { color?: unknown }).color;
      return typeof colour === 'string' && colour.startsWith('cmyk');
    }),
  );
  if (!print) return { hooks: PLAIN_OUTPUT, layout, notices: () => [] };
  const colours: ColourConverter | undefined =
    variant === 'press' || usesCmyk ? await colourConverter(print.outputCondition.profile) : undefined;
  const conversions = () => (colours?.conversions ?? []).map((c) => `colour ${c}`);
  if (variant === 'screen') return { hooks: screenOutput(colours), layout, notices: conversions };

  let pages = layout.pages;
  const added: string[] = [];
  if (print.saddleStitch && pages.length % 4 !== 0) {
    const last = pages[pages.length - 1]!;
    const blanks = 4 - (pages.length % 4);
    pages = [...pages, ...Array.from({ length: blanks }, () => ({ width: last.width, height: last.height, items: [] }))];
    added.push(
      `saddle stitch: ${blanks} blank page${blanks > 1 ? 's' : ''} added to the press PDF (${layout.pages.length} → ${pages.length} pages, a multiple of 4)`,
    );
  }
  // Loaded only for a press PDF: it brings the image decoders (pngjs, jpeg-js) that only it needs.
  const { pressOutput } = await import('./print.js');
  return {
    hooks: pressOutput(print, colours!, { title: meta.title || meta.subject || 'kumihan document' }),
    layout: { ...layout, pages },
    notices: () => [...added, ...conversions()],
    preflight: { standard: print.standard, saddleStitch: print.saddleStitch },
  };
}
