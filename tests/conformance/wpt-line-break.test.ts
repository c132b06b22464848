/**
 * Conformance: Japanese `line-break: strict | normal | loose` cases taken from
 * web-platform-tests (css/css-text/line-break/ and css/css-text/i18n/ja/).
 *
 * The data (characters + expected break opportunity) lives in wpt-line-break.json;
 * see README.md in this directory for provenance and for the cases marked optional.
 *
 * Each case checks one break position: between the last unit of `before` and the
 * first unit of `after`. Cases with `optional: true` (WPT "should" tests, or WPT
 * expectations that are disputed / contradicted by other WPT tests) run too:
 *   - those kumihan meets are ordinary tests, marked `[should]`;
 *   - those it does not meet (EXPECTED_FAILURES: the disputed ja-pr cases) are expected
 *     failures (`it.fails`), marked with the reason. They are reported as passing while the
 *     composer disagrees with them, and fail as soon as a case starts to pass, so that it is
 *     promoted to an ordinary test (drop it from EXPECTED_FAILURES).
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
  /** WPT "should"-level or disputed expectation (see EXPECTED_FAILURES). */
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

/**
 * Optional cases kumihan does not meet, by WPT file, with the reason (README.md, "Optional cases").
 * Only optional cases may be listed: a required case must pass.
 */
const EXPECTED_FAILURES: Record<string, string> = {
  'css-text-line-break-ja-pr-strict':
    'disputed: forbids a break before a prefix, which UAX14 (ID ÷ PR), CSS Text 3 and line-break-strict-018 allow',
  'css-text-line-break-ja-pr-normal':
    'disputed: forbids a break before a prefix, which UAX14 (ID ÷ PR), CSS Text 3 and line-break-normal-018 allow',
};
const expectedFailure = (c: WptCase): string | undefined => EXPECTED_FAILURES[shortFile(c.file)];

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
      if (expectedFailure(c) !== undefined) expect(c.optional, `${c.name} is listed as an expected failure but is required`).toBe(true);
    }
    // The counts README.md gives: 22 optional cases, 16 of them expected failures (ja-pr strict and normal).
    expect(cases.filter((c) => c.optional)).toHaveLength(22);
    expect(cases.filter((c) => expectedFailure(c) !== undefined)).toHaveLength(16);
  });
});

describe.each(MODES)('WPT line-break: %s', (mode) => {
  const required = cases.filter((c) => c.mode === mode && !c.optional);
  const met = cases.filter((c) => c.mode === mode && c.optional && expectedFailure(c) === undefined);
  const unmet = cases.filter((c) => c.mode === mode && c.optional && expectedFailure(c) !== undefined);

  // Rows are [title, case] so the title is printed verbatim (`$name` would be truncated and quoted).
  it.each(required.map((c) => [c.name, c] as const))('%s', (_title, c) => {
    check(c);
  });

  if (met.length > 0) {
    it.each(met.map((c) => [c.name, c] as const))('[should] %s', (_title, c) => {
      check(c);
    });
  }

  if (unmet.length > 0) {
    // Passing here means the case still fails; if it starts to pass, this fails: promote it.
    it.fails.each(unmet.map((c) => [`${c.name} — ${expectedFailure(c)}`, c] as const))('[expected failure] %s', (_title, c) => {
      check(c);
    });
  }
});
