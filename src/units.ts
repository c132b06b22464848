/**
 * Units and page sizes, defined once. Internally every length is in PDF points (1/72 in).
 * Typographic lengths relative to the font size are kept in em until layout resolves them.
 */
export const PT_PER_IN = 72;
export const MM_PER_IN = 25.4;
export const PT_PER_MM = PT_PER_IN / MM_PER_IN;
/** JIS Q (級) and H (歯) are both 0.25 mm. */
export const PT_PER_Q = 0.25 * PT_PER_MM;

export type LengthUnit = 'pt' | 'mm' | 'cm' | 'in' | 'q';

const PT_PER_UNIT: Record<LengthUnit, number> = {
  pt: 1,
  mm: PT_PER_MM,
  cm: 10 * PT_PER_MM,
  in: PT_PER_IN,
  q: PT_PER_Q,
};

/** `12mm`, `10.5pt`, `1in`, `0.5cm`, `14q` → points. A bare number is points. Returns null when unparsable. */
export function parseLength(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const m = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(pt|mm|cm|in|q|Q)?\s*$/.exec(value);
  if (!m) return null;
  const unit = (m[2]?.toLowerCase() ?? 'pt') as LengthUnit;
  return Number(m[1]) * PT_PER_UNIT[unit];
}

export const LENGTH_PATTERN = /^\s*(-?\d+(?:\.\d+)?|-?\.\d+)\s*(pt|mm|cm|in|q|Q)?\s*$/;

/** Named page sizes in points, portrait. B5 is JIS B5 (182 × 257 mm), as Japanese offices mean it. */
export const PAGE_SIZES = {
  A3: [297 * PT_PER_MM, 420 * PT_PER_MM],
  A4: [210 * PT_PER_MM, 297 * PT_PER_MM],
  A5: [148 * PT_PER_MM, 210 * PT_PER_MM],
  B5: [182 * PT_PER_MM, 257 * PT_PER_MM],
  B6: [128 * PT_PER_MM, 182 * PT_PER_MM],
  Letter: [8.5 * PT_PER_IN, 11 * PT_PER_IN],
} as const satisfies Record<string, readonly [number, number]>;

export type PageSizeName = keyof typeof PAGE_SIZES;

export const ptToMm = (pt: number): number => pt / PT_PER_MM;
export const mmToPt = (mm: number): number => mm * PT_PER_MM;
