/**
 * Conformance: Japanese `line-break: strict | normal | loose` cases taken from
 * web-platform-tests (css/css-text/line-break/ and css/css-text/i18n/ja/).
 *
 * The data (characters + expected break opportunity) lives in wpt-line-break.json;
 * see README.md in this directory for provenance and for the cases marked optional.
 *
 * Each case checks one break position: between the last unit of `before` and the
 * first unit of `after`. Cases with `optional: true` (WPT "should" tests, or WPT
 * expectations that are disputed / contradicted by other WPT tests) are listed as
 * skipped so they stay visible in the report without failing the suite.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { breakOpportunities, type LineBreakMode } from '../../src/text/linebreak.js';

interface WptCase {
  file: string;
  mode: LineBreakMode;
  lang: string;
  before: string;
  after: string;
  breakAllowed: boolean;
  note: string;
  codepoints?: string;
  /** The expectation holds because the content language is ja (or zh); see README. */
  langDependent?: boolean;
  /** WPT "should"-level or disputed expectation: reported as skipped. */
  optional?: boolean;
}

interface WptData {
  source: unknown;
  cases: WptCase[];
}

const data = JSON.parse(readFileSync(new URL('./wpt-line-break.json', import.meta.url), 'utf8')) as WptData;

const MODES: readonly LineBreakMode[] = ['strict', 'normal', 'loose'];

function shortFile(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.(x?html?|xht)$/, '');
}

type NamedCase = WptCase & { name: string };

const cases: NamedCase[] = data.cases.map((c) => ({
  ...c,
  name: `${c.mode}: ${c.before}|${c.after} ${c.breakAllowed ? 'allowed' : 'forbidden'} (${shortFile(c.file)})`,
}));

function check(c: WptCase): void {
  // Units are code points here: none of the WPT strings contain combining marks or
  // variation selectors, so code points and the composer's grapheme-ish units coincide.
  const before = Array.from(c.before);
  const chars = [...before, ...Array.from(c.after)];
  const result = breakOpportunities(chars, c.mode);
  expect(result).toHaveLength(chars.length + 1);
  expect(result[before.length], `${c.codepoints ?? ''} — ${c.note}`).toBe(c.breakAllowed);
}

describe('WPT line-break data', () => {
  it('is well-formed', () => {
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) {
      expect(MODES).toContain(c.mode);
      expect(Array.from(c.before).length).toBeGreaterThan(0);
      expect(Array.from(c.after).length).toBeGreaterThan(0);
      expect(typeof c.breakAllowed).toBe('boolean');
    }
  });
});

describe.each(MODES)('WPT line-break: %s', (mode) => {
  const required = cases.filter((c) => c.mode === mode && !c.optional);
  const optional = cases.filter((c) => c.mode === mode && c.optional);

  // Rows are [title, case] so the title is printed verbatim (`$name` would be truncated and quoted).
  it.each(required.map((c) => [c.name, c] as const))('%s', (_title, c) => {
    check(c);
  });

  if (optional.length > 0) {
    it.skip.each(optional.map((c) => [c.name, c] as const))('[optional] %s', (_title, c) => {
      check(c);
    });
  }
});
