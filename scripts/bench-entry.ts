/**
 * In-process measurements for scripts/bench.mjs. Bundled by the bench (with the CLI's esbuild settings)
 * to a temporary file and run in a child process per measure, so that each one starts from a fresh
 * process and reports its own peak memory:
 *
 *   node bench-entry.mjs <mode> '<json options>'   → one line of JSON on stdout
 *
 * Modes: warm (the same content built repeatedly), letters (N personalised letters, one after another),
 * compose (composer throughput and linearity).
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildDocument } from '../src/build.js';
import type { LoadedDocument } from '../src/model/load.js';
import { composeParagraph, type ParagraphSettings } from '../src/text/compose.js';
import { loadFace } from '../src/font/fonts.js';

interface Options {
  projectRoot: string;
  content?: string;
  runs?: number;
  count?: number;
  outDir?: string;
  /** compose: the text to repeat (paragraphs separated by blank lines). */
  sizes?: number[];
}

const now = () => performance.now();
const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

async function warm(o: Options) {
  const times: number[] = [];
  let bytes = 0;
  let pages = 0;
  const first0 = now();
  const first = await buildDocument(o.content!, { projectRoot: o.projectRoot });
  const firstMs = now() - first0;
  for (let i = 0; i < (o.runs ?? 10); i++) {
    const t0 = now();
    const r = await buildDocument(o.content!, { projectRoot: o.projectRoot });
    times.push(now() - t0);
    bytes = r.pdf.length;
    pages = r.pages;
  }
  return { firstMs, times, bytes, pages, firstBytes: first.pdf.length, maxRssMB: maxRssMB() };
}

/** One letter per recipient, built one after another in this thread, the recipient line replaced. */
async function letters(o: Options) {
  const count = o.count ?? 1000;
  const t0 = now();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const name = `受取人${String(i + 1).padStart(4, '0')} 様`;
    const transform = (doc: LoadedDocument): LoadedDocument => ({ ...doc, content: { ...doc.content, recipient: [name] } });
    const r = await buildDocument(o.content!, { projectRoot: o.projectRoot, transform });
    bytes += r.pdf.length;
    if (o.outDir) fs.writeFileSync(path.join(o.outDir, `${i}.pdf`), r.pdf);
  }
  const ms = now() - t0;
  return { count, ms, bytes, maxRssMB: maxRssMB() };
}

const SETTINGS: ParagraphSettings = { measure: 40, indent: 1, lineBreak: 'strict', hangingPunctuation: false, openingBracketIndent: 'jis' };

/** Composer throughput: the seed body as one long paragraph and as many paragraphs, at several lengths. */
function compose(o: Options) {
  const root = o.projectRoot;
  const face = loadFace('mincho', path.join(root, 'fonts/BIZUDMincho-Regular.ttf'), path.join(root, 'fonts/BIZUDPMincho-Regular.ttf'));
  const source = fs.readFileSync(o.content!, 'utf8');
  // The body's paragraphs: the lines of the `body: |` block that are not blank.
  const bodyStart = source.indexOf('body: |');
  const paragraphs = source
    .slice(bodyStart + 'body: |'.length)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const sizes = o.sizes ?? [25000, 50000, 100000];
  const textOf = (n: number) => {
    let s = '';
    const out: string[] = [];
    for (let k = 0; s.length < n; k++) {
      const p = paragraphs[k % paragraphs.length];
      out.push(p);
      s += p;
    }
    return out;
  };
  // The first call in this process (cold JIT and shaping caches) is reported on its own; then one pass
  // over every size warms the JIT up before anything is timed.
  const c0 = now();
  composeParagraph(textOf(2000).join(''), face, SETTINGS);
  const coldMs = now() - c0;
  for (const n of sizes) {
    const parts = textOf(n);
    composeParagraph(parts.join(''), face, SETTINGS);
    for (const p of parts) composeParagraph(p, face, SETTINGS);
  }
  const runs = o.runs ?? 3;
  const result: { chars: number; oneMs: number[]; manyMs: number[]; paragraphs: number }[] = [];
  for (const n of sizes) {
    const parts = textOf(n);
    const one = parts.join('');
    const oneMs: number[] = [];
    const manyMs: number[] = [];
    for (let r = 0; r < runs; r++) {
      let t0 = now();
      composeParagraph(one, face, SETTINGS);
      oneMs.push(now() - t0);
      t0 = now();
      for (const p of parts) composeParagraph(p, face, SETTINGS);
      manyMs.push(now() - t0);
    }
    result.push({ chars: one.length, oneMs, manyMs, paragraphs: parts.length });
  }
  return { coldMs, sizes: result, maxRssMB: maxRssMB() };
}

const [mode, json] = process.argv.slice(2);
const opts = JSON.parse(json ?? '{}') as Options;
const run = { warm, letters, compose }[mode as 'warm' | 'letters' | 'compose'];
if (!run) {
  console.error(`usage: bench-entry <warm|letters|compose> '<json>'`);
  process.exit(2);
}
console.log(JSON.stringify(await run(opts)));
