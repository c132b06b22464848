/**
 * Which glyphs an OpenType GSUB table could change under a set of features: the glyphs where any
 * lookup of those features can start to match (the union of the lookups' coverage tables).
 *
 * Used to decide when shaping a run can skip the font engine: if no glyph of a run is in this set,
 * no substitution of those features applies to it, and its glyphs are the cmap's. The set is an
 * over-approximation (a contextual lookup covering a glyph may still not match), which only means
 * a run goes to the engine when it did not need to.
 */

/** Lookup types whose subtables start `format, coverageOffset` (single, multiple, alternate, ligature, reverse chaining). */
const COVERAGE_AT_2 = new Set([1, 2, 3, 4, 8]);
const CONTEXT = 5;
const CHAINED_CONTEXT = 6;
const EXTENSION = 7;

/**
 * The glyphs a GSUB table's lookups for `features` may apply to, as a byte per glyph id (1 = covered),
 * or undefined when the table cannot be read with certainty here (then every run must be shaped
 * by the engine). `gsub` is the table's offset in `view`.
 */
export function gsubCoverage(
  view: DataView,
  gsub: number,
  gsubLength: number,
  numGlyphs: number,
  features: ReadonlySet<string>,
): Uint8Array | undefined {
  const end = gsub + gsubLength;
  const u16 = (at: number) => {
    if (at < gsub || at + 2 > end) throw new RangeError('GSUB: offset outside the table');
    return view.getUint16(at);
  };
  const u32 = (at: number) => {
    if (at < gsub || at + 4 > end) throw new RangeError('GSUB: offset outside the table');
    return view.getUint32(at);
  };
  try {
    const major = u16(gsub);
    const minor = u16(gsub + 2);
    if (major !== 1) return undefined;
    // Feature variations swap feature tables under conditions this reader does not evaluate.
    if (minor >= 1 && u32(gsub + 10) !== 0) return undefined;
    const featureList = gsub + u16(gsub + 6);
    const lookupList = gsub + u16(gsub + 8);

    const lookups = new Set<number>();
    const featureCount = u16(featureList);
    for (let i = 0; i < featureCount; i++) {
      const record = featureList + 2 + 6 * i;
      const tag = String.fromCharCode(
        view.getUint8(record),
        view.getUint8(record + 1),
        view.getUint8(record + 2),
        view.getUint8(record + 3),
      );
      if (!features.has(tag)) continue;
      const feature = featureList + u16(record + 4);
      const count = u16(feature + 2);
      for (let k = 0; k < count; k++) lookups.add(u16(feature + 4 + 2 * k));
    }

    const covered = new Uint8Array(numGlyphs + 1);
    const lookupCount = u16(lookupList);
    const addCoverage = (coverage: number) => {
      const format = u16(coverage);
      if (format === 1) {
        const count = u16(coverage + 2);
        for (let k = 0; k < count; k++) {
          const gid = u16(coverage + 4 + 2 * k);
          if (gid < covered.length) covered[gid] = 1;
        }
      } else if (format === 2) {
        const count = u16(coverage + 2);
        for (let k = 0; k < count; k++) {
          const r = coverage + 4 + 6 * k;
          const last = Math.min(u16(r + 2), covered.length - 1);
          for (let gid = u16(r); gid <= last; gid++) covered[gid] = 1;
        }
      } else throw new RangeError(`GSUB: coverage format ${format}`);
    };
    const addSubtable = (type: number, subtable: number) => {
      const format = u16(subtable);
      if (type === EXTENSION) {
        if (format !== 1) throw new RangeError('GSUB: extension format');
        const inner = u16(subtable + 2);
        if (inner === EXTENSION) throw new RangeError('GSUB: nested extension');
        addSubtable(inner, subtable + u32(subtable + 4));
      } else if (COVERAGE_AT_2.has(type)) {
        addCoverage(subtable + u16(subtable + 2));
      } else if (type === CONTEXT) {
        if (format === 1 || format === 2) addCoverage(subtable + u16(subtable + 2));
        // Format 3: the coverage of the first input glyph.
        else if (format === 3) addCoverage(subtable + u16(subtable + 6));
        else throw new RangeError('GSUB: context format');
      } else if (type === CHAINED_CONTEXT) {
        if (format === 1 || format === 2) addCoverage(subtable + u16(subtable + 2));
        else if (format === 3) {
          // Backtrack coverages come first; the lookup applies where the first input glyph is.
          const backtrack = u16(subtable + 2);
          const inputCount = subtable + 4 + 2 * backtrack;
          if (u16(inputCount) === 0) throw new RangeError('GSUB: empty input sequence');
          addCoverage(subtable + u16(inputCount + 2));
        } else throw new RangeError('GSUB: chained context format');
      } else throw new RangeError(`GSUB: lookup type ${type}`);
    };
    for (const index of lookups) {
      if (index >= lookupCount) continue;
      const lookup = lookupList + u16(lookupList + 2 + 2 * index);
      const type = u16(lookup);
      const subtables = u16(lookup + 4);
      for (let k = 0; k < subtables; k++) addSubtable(type, lookup + u16(lookup + 6 + 2 * k));
    }
    return covered;
  } catch {
    return undefined;
  }
}
