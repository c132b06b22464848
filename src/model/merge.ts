/**
 * Template inheritance: a template that `extends` another is deep-merged onto it.
 *   - mappings merge key by key, recursively;
 *   - lists and scalars replace the inherited value (a header list is one design, not a set);
 *   - null removes the inherited value (`letterhead: null` switches the letterhead off).
 */

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a new value; neither argument is modified. Nulls in `override` delete. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return stripNulls(override);
  const merged: PlainObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else if (isPlainObject(value) && isPlainObject(merged[key])) merged[key] = deepMerge(merged[key], value);
    else merged[key] = stripNulls(value);
  }
  return merged;
}

/** Nulls inside a mapping mean "not set" (there is nothing to remove); lists keep their items. */
function stripNulls(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const [key, item] of Object.entries(value)) if (item !== null) out[key] = stripNulls(item);
  return out;
}

/**
 * `margins: 25mm` is shorthand for all four sides. Expanding it in every template layer before
 * merging lets a derived template override one side (`margins: {top: 40mm}`) of a base that used
 * the shorthand.
 */
export function expandMarginShorthand(layer: unknown): unknown {
  if (!isPlainObject(layer) || !isPlainObject(layer.page)) return layer;
  const margins = layer.page.margins;
  if (typeof margins !== 'string' && typeof margins !== 'number') return layer;
  return { ...layer, page: { ...layer.page, margins: { top: margins, bottom: margins, left: margins, right: margins } } };
}

/**
 * A layer's page.margins named by left and right (a letter's) or by inner and outer (a book's): a
 * derived template that names the other pair replaces the inherited pair, not adds to it (the four
 * sides would be both, which no page is). `base` is the merged value so far; returns the layer to merge.
 */
export function marginsOfOneKind(base: unknown, layer: unknown): unknown {
  if (!isPlainObject(layer) || !isPlainObject(layer.page) || !isPlainObject(layer.page.margins)) return layer;
  if (!isPlainObject(base) || !isPlainObject(base.page) || !isPlainObject(base.page.margins)) return layer;
  const sides = layer.page.margins;
  const names = (pair: readonly string[]) => pair.some((side) => side in sides && sides[side] !== null);
  const dropped = names(['left', 'right']) ? ['inner', 'outer'] : names(['inner', 'outer']) ? ['left', 'right'] : [];
  const inherited = dropped.filter((side) => side in (base.page as PlainObject & { margins: PlainObject }).margins);
  if (inherited.length === 0) return layer;
  return { ...layer, page: { ...layer.page, margins: { ...sides, ...Object.fromEntries(inherited.map((side) => [side, null])) } } };
}
