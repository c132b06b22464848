/**
 * Property: whatever Unicode the author writes — surrogate halves, control characters, combining
 * marks, emoji, characters outside the font, YAML punctuation — a build either succeeds with a PDF
 * or throws a KumihanError with a location. Never a TypeError, RangeError or another internal error.
 *
 * Japanese text from a fixed alphabet is mixed in so that a fair share of the inputs build.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatError, KumihanError } from '../../src/errors.js';
import { buildSource, CONTENT } from './helpers.js';

const RUNS = 60;
/**
 * A fixed seed keeps CI deterministic (each property also checks that both outcomes occur, which a
 * random seed could miss by chance). FC_SEED=<n> explores another run, or replays a failing one.
 */
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 20261126;
const TIMEOUT = 120_000;

const JAPANESE = Array.from(
  '日本語の組版は、文字の並びを整える仕事である。「かぎ括弧」と（丸括弧）、ー・…！？漢字カタカナひらがな０１２ABC abc ',
);

const japanese = fc.constantFrom(...JAPANESE);
const surrogateHalf = fc.integer({ min: 0xd800, max: 0xdfff }).map((cp) => String.fromCharCode(cp));
const control = fc
  .oneof(
    fc.integer({ min: 0, max: 0x1f }),
    fc.integer({ min: 0x7f, max: 0x9f }),
    fc.constantFrom(0x2028, 0x2029, 0xfff9, 0xfffa, 0xfffb, 0xfeff, 0x200b, 0x200d, 0x202e),
  )
  .map((cp) => String.fromCodePoint(cp));
const combining = fc
  .oneof(fc.integer({ min: 0x300, max: 0x36f }), fc.constantFrom(0x3099, 0x309a, 0xfe0e, 0xfe0f, 0xe0100, 0x20e3))
  .map((cp) => String.fromCodePoint(cp));
const missing = fc.constantFrom('😀', '\u{2A6D6}', '\u{20BB7}', '👨‍👩‍👧', '🇯🇵', '\uFFFD', '\uE000');
const yamlPunctuation = fc.constantFrom(
  ':',
  '#',
  '- ',
  '"',
  "'",
  '|',
  '>',
  '{',
  '}',
  '[',
  ']',
  '&',
  '*',
  '!',
  '%',
  '@',
  '`',
  '\\',
  '\t',
  '\n',
  '\n\n',
  '  ',
  '---',
  '...',
);

/** One "unit" of text, weighted so that most are Japanese. */
const unit = fc.oneof(
  { arbitrary: japanese, weight: 30 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 4 },
  { arbitrary: surrogateHalf, weight: 1 },
  { arbitrary: control, weight: 1 },
  { arbitrary: combining, weight: 2 },
  { arbitrary: missing, weight: 1 },
);

const text = (maxLength: number) => fc.string({ unit, minLength: 0, maxLength });
/** Mostly Japanese text: succeeds more often. */
const cleanText = (maxLength: number) => fc.string({ unit: japanese, minLength: 1, maxLength });

/** What every outcome must satisfy. */
async function expectPdfOrLocatedError(source: string): Promise<'built' | 'error'> {
  try {
    const result = await buildSource(source);
    expect(Buffer.from(result.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    expect(result.pages).toBeGreaterThanOrEqual(1);
    return 'built';
  } catch (err) {
    if (!(err instanceof KumihanError)) {
      throw new Error(`not a KumihanError for source ${JSON.stringify(source)}: ${(err as Error)?.stack ?? String(err)}`);
    }
    const where = `${err.kind}: ${JSON.stringify(formatError(err))} for source ${JSON.stringify(source)}`;
    expect(err.location.file, where).toBe(CONTENT);
    if (err.kind === 'yaml-syntax' || err.kind === 'missing-glyph') {
      expect(err.location.line, where).toBeGreaterThanOrEqual(1);
      expect(err.location.column, where).toBeGreaterThanOrEqual(1);
    }
    const message = formatError(err);
    expect(message, where).toContain(CONTENT);
    expect(message, where).not.toMatch(/internal error|^\s+at .+:\d+/m);
    return 'error';
  }
}

/** Runs the property and checks that both outcomes occurred (the generator is not all-fail). */
async function check(arbitrary: fc.Arbitrary<string>, expectBoth = true): Promise<void> {
  const outcomes = { built: 0, error: 0 };
  await fc.assert(
    fc.asyncProperty(arbitrary, async (source) => {
      outcomes[await expectPdfOrLocatedError(source)]++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  if (expectBoth) {
    expect(outcomes.built, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.error, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }
}

/** YAML double-quoted scalar, so the text arrives in the value exactly (escapes for controls). */
const quoted = (s: string) => JSON.stringify(s);

/** A `|` block scalar with the text's lines indented. */
const literal = (s: string) =>
  '|\n' +
  s
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n') +
  '\n';

describe('random Unicode never crashes the build', () => {
  test(
    'a random body, double-quoted: a PDF or a located KumihanError',
    () => check(fc.tuple(cleanText(30), text(60)).map(([a, b]) => `title: 表題\nbody: ${quoted(a + b)}\n`)),
    TIMEOUT,
  );

  test(
    'a random body as a block scalar (raw characters in the file)',
    () => check(fc.tuple(cleanText(20), text(60)).map(([a, b]) => `title: 表題\nbody: ${literal(a + b)}`)),
    TIMEOUT,
  );

  test(
    'a random body as a plain scalar (YAML punctuation may break the file)',
    () =>
      check(
        fc
          .tuple(
            cleanText(20),
            fc.string({ unit: fc.oneof({ arbitrary: unit, weight: 5 }, { arbitrary: yamlPunctuation, weight: 1 }), maxLength: 40 }),
          )
          .map(([a, b]) => `body: ${a}${b}\n`),
      ),
    TIMEOUT,
  );

  test(
    'random text in the title, sender, recipient and closing',
    () =>
      check(
        fc
          .record({
            title: text(20),
            sender: text(15),
            recipient: fc.array(text(12), { maxLength: 3 }),
            closing: text(6),
            body: cleanText(80),
          })
          .map(
            (r) =>
              `title: ${quoted(r.title)}\nsender: ${quoted(r.sender)}\nrecipient: [${r.recipient.map(quoted).join(', ')}]\nclosing: ${quoted(r.closing)}\nbody: ${quoted(r.body)}\n`,
          ),
      ),
    TIMEOUT,
  );

  test(
    'a whole random file',
    () =>
      check(
        fc
          .string({ unit: fc.oneof({ arbitrary: unit, weight: 3 }, { arbitrary: yamlPunctuation, weight: 2 }), maxLength: 80 })
          .map((s) => `body: 本文\n${s}`),
        false,
      ),
    TIMEOUT,
  );

  test(
    'combining marks and variation selectors on Japanese text',
    () =>
      check(
        fc
          .array(fc.tuple(japanese, fc.option(combining, { freq: 4 })), { minLength: 1, maxLength: 40 })
          .map((pairs) => `body: ${quoted(pairs.map(([c, m]) => c + (m ?? '')).join(''))}\n`),
      ),
    TIMEOUT,
  );

  // Counterexamples the properties found: ordinary Japanese, where a closing bracket or comma is set
  // in its narrow (half-em) form after the font is already in use.
  test.each([
    ['日）、日', 'body: 日）、日\n'],
    ['彼は「はい」、と言った。', 'body: 彼は「はい」、と言った。\n'],
    ['日本（東京）。', 'body: 日本（東京）。\n'],
    ['「はい」。', 'body: 「はい」。\n'],
    ['a title 「表題」、', 'title: 「表題」、\nbody: 本文です。\n'],
  ])('ordinary text %s builds', async (_name, source) => {
    expect(await expectPdfOrLocatedError(source)).toBe('built');
  });

  test('lone surrogates at the start, middle and end of the body', async () => {
    for (const source of [
      'body: "\\ud800本文"\n',
      'body: "本\\udfff文"\n',
      'body: "本文\\ud83d"\n',
      'title: "\\udc00"\nbody: 本文\n',
      `body: "本${'\uD800'}文"\n`,
      `body: |\n  本文${'\uDC00'}\n`,
    ]) {
      expect(await expectPdfOrLocatedError(source)).toBe('error');
    }
  });
});
