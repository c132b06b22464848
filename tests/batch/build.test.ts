/**
 * `kumihan build` in this process (the TypeScript sources: no worker threads, see pool.ts):
 * mail merge outputs, --combine, sharding, the manifest and `kumihan verify`, failures.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseShard, planBuild, selectShard } from '../../src/batch/jobs.js';
import { runBuild } from '../../src/commands/build.js';
import { runVerify } from '../../src/commands/verify.js';
import { letter, listFiles, pdfPageCount, ROOT, sha256, tempDir, writeFile } from './helpers.js';
import { output } from '../../src/output.js';

let out: string[];
let err: string[];
let cwd: string;
let project: string;
beforeEach(() => {
  out = [];
  err = [];
  vi.spyOn(output, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(output, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  // Builds name files relative to the working directory, as a user in their project would.
  cwd = process.cwd();
  project = tempDir();
  process.chdir(project);
});
afterEach(() => {
  process.chdir(cwd);
  vi.restoreAllMocks();
});

const manifestOf = (file = 'output/manifest.json') =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as { shard?: string; files: Record<string, unknown>[] };

const NAMES = ['田中', '佐藤', '鈴木', '高橋', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田'];

describe('mail merge builds', () => {
  it('one PDF per recipient under output/<name>/, keyed by id or padded position', async () => {
    writeFile(
      project,
      'content/invite.yaml',
      letter('{{name}}様、ご案内です。', `recipients:\n${NAMES.map((n) => `  - {name: ${n}}`).join('\n')}\n`),
    );
    writeFile(project, 'content/thanks.yaml', letter('{{name}}様、ありがとうございました。', 'recipients: people.csv\n'));
    writeFile(project, 'content/people.csv', 'id,name\ntanaka,田中\nsato,佐藤\n');
    writeFile(project, 'content/plain.yaml', letter('ふつうの手紙です。'));

    expect(await runBuild([])).toBe(0);
    expect(listFiles('output')).toEqual([
      ...NAMES.map((_, i) => `invite/${String(i + 1).padStart(2, '0')}.pdf`),
      'manifest.json',
      'plain.pdf',
      'thanks/sato.pdf',
      'thanks/tanaka.pdf',
    ]);
    expect(out).toContain(
      `content/thanks.yaml → output/thanks/sato.pdf  1 page  ${fs.statSync('output/thanks/sato.pdf').size} bytes  ${out.find((l) => l.includes('sato.pdf'))!.match(/(\d+) ms$/)![1]} ms`,
    );
    expect(out.at(-1)).toMatch(/^15 files, 15 pages, \d+\.\d\d s, 0 failed$/);
    // Different recipients, different letters.
    expect(sha256(fs.readFileSync('output/thanks/sato.pdf'))).not.toBe(sha256(fs.readFileSync('output/thanks/tanaka.pdf')));
  });

  it('from a YAML file; --combine makes one PDF whose pages are the letters’ pages in order', async () => {
    // One long letter (two pages) among short ones: the combined page count is the sum.
    const long = 'とても長い文章です。'.repeat(160);
    writeFile(
      project,
      'content/people.yaml',
      `- {id: a, name: 田中, text: 短い}\n- {id: b, name: 佐藤, text: ${long}}\n- {id: c, name: 鈴木, text: 短い}\n`,
    );
    writeFile(project, 'content/notice.yaml', letter('{{name}}様。{{text}}', 'recipients: people.yaml\n'));

    expect(await runBuild(['content/notice.yaml'])).toBe(0);
    const letterPages = ['a', 'b', 'c'].map((key) => pdfPageCount(`output/notice/${key}.pdf`));
    expect(letterPages).toEqual([1, 2, 1]);

    out = [];
    expect(await runBuild(['content/notice.yaml', '--combine'])).toBe(0);
    expect(out[0]).toMatch(/^content\/notice\.yaml → output\/notice\.pdf {2}4 pages {2}\d+ bytes/);
    expect(pdfPageCount('output/notice.pdf')).toBe(4);
    expect(manifestOf().files).toEqual([expect.objectContaining({ source: 'content/notice.yaml', output: 'notice.pdf', pages: 4 })]);
  });

  it('a missing placeholder value fails that letter only, naming the recipient and the field', async () => {
    writeFile(
      project,
      'content/invite.yaml',
      letter(
        '{{name}}様、{{place}}でお待ちしています。',
        'recipients:\n  - {id: ok, name: 田中, place: 東京}\n  - {id: bad, name: 佐藤}\n',
      ),
    );
    expect(await runBuild([])).toBe(1);
    expect(err.join('\n')).toMatch(/content\/invite\.yaml:6:\d+: body \(paragraph 1\): recipient bad has no value for \{\{place\}\}/);
    expect(out).toContain('content/invite.yaml → output/invite/bad.pdf  FAILED');
    expect(listFiles('output')).toEqual(['invite/ok.pdf', 'manifest.json']);
  });

  it('a problem in a value (a character the font lacks) names the recipient and the row of its CSV file', async () => {
    writeFile(project, 'content/people.csv', 'id,name\nok,田中\nemoji,佐藤😀\n');
    writeFile(project, 'content/invite.yaml', letter('{{name}}様、お待ちしています。', 'recipients: people.csv\n'));
    expect(await runBuild([])).toBe(1);
    expect(err.join('\n')).toMatch(
      /content\/invite\.yaml:\d+:\d+: body \(paragraph 1\): recipient emoji \(content\/people\.csv:3\): character "😀"/,
    );
    expect(listFiles('output')).toEqual(['invite/ok.pdf', 'manifest.json']);
  });

  it('an empty CSV cell names the recipient and the row of its CSV file', async () => {
    writeFile(project, 'content/people.csv', 'id,name\nok,田中\nblank,\n');
    writeFile(project, 'content/invite.yaml', letter('{{name}}様、お待ちしています。', 'recipients: people.csv\n'));
    expect(await runBuild([])).toBe(1);
    expect(err.join('\n')).toMatch(
      /content\/invite\.yaml:\d+:\d+: body \(paragraph 1\): recipient blank \(content\/people\.csv:3\) has an empty value for \{\{name\}\}/,
    );
    expect(listFiles('output')).toEqual(['invite/ok.pdf', 'manifest.json']);
  });

  it('malformed markup after a merged value is reported where it is written in the content file', async () => {
    writeFile(
      project,
      'content/invite.yaml',
      letter('ご案内です。', 'recipients: [{name: 田中一郎}]\npostscript: |-\n  追って、\n  {{name}}様《さま\n'),
    );
    expect(await runBuild([])).toBe(1);
    // Line 11, column 12: the 《 after {{name}}様 as written, whatever the length of the name put in.
    expect(err.join('\n')).toMatch(/content\/invite\.yaml:11:12: postscript: recipient 1: .*《/);
  });

  it('--combine names the recipient and its CSV row, for an empty value and for a character the font lacks', async () => {
    writeFile(project, 'content/people.csv', 'id,name\nok,田中\nblank,\n');
    writeFile(project, 'content/invite.yaml', letter('{{name}}様、お待ちしています。', 'recipients: people.csv\n'));
    expect(await runBuild(['content/invite.yaml', '--combine', '-o', 'all.pdf'])).toBe(1);
    expect(err.join('\n')).toMatch(/recipient blank \(content\/people\.csv:3\) has an empty value for \{\{name\}\}/);
    err.length = 0;
    writeFile(project, 'content/people.csv', 'id,name\nok,田中\nemoji,佐藤😀\n');
    expect(await runBuild(['content/invite.yaml', '--combine', '-o', 'all.pdf'])).toBe(1);
    expect(err.join('\n')).toMatch(/body \(paragraph 1\): recipient emoji \(content\/people\.csv:3\): character "😀"/);
    expect(fs.existsSync('all.pdf')).toBe(false);
  });

  it('--combine reports the problems of every letter, not only the first', async () => {
    writeFile(project, 'content/people.csv', 'id,name\nok,田中\nblank1,\nemoji,佐藤😀\nblank2,\nemoji2,鈴木😀\n');
    writeFile(project, 'content/invite.yaml', letter('{{name}}様、お待ちしています。', 'recipients: people.csv\n'));
    expect(await runBuild(['content/invite.yaml', '--combine', '-o', 'all.pdf'])).toBe(1);
    const said = err.join('\n');
    expect(said).toMatch(/recipient blank1 \(content\/people\.csv:3\) has an empty value/);
    expect(said).toMatch(/recipient blank2 \(content\/people\.csv:5\) has an empty value/);
    // The letters whose values went in are laid out too: their missing characters are told at once.
    expect(said).toMatch(/recipient emoji \(content\/people\.csv:4\): character "😀"/);
    expect(said).toMatch(/recipient emoji2 \(content\/people\.csv:6\): character "😀"/);
    // Once the values are there, every letter's missing character is reported.
    writeFile(project, 'content/people.csv', 'id,name\nok,田中\nemoji,佐藤😀\nemoji2,鈴木😀\n');
    err.length = 0;
    expect(await runBuild(['content/invite.yaml', '--combine', '-o', 'all.pdf'])).toBe(1);
    expect(err.join('\n')).toMatch(/recipient emoji \(content\/people\.csv:3\): character "😀"/);
    expect(err.join('\n')).toMatch(/recipient emoji2 \(content\/people\.csv:4\): character "😀"/);
  });

  it('placeholders without recipients are printed as written, with a warning', async () => {
    writeFile(project, 'content/a.yaml', letter('{{name}}様'));
    expect(await runBuild([])).toBe(0);
    expect(err).toEqual(['content/a.yaml: warning: the content has {{…}} placeholders but no recipients; they are printed as written']);
  });

  it('-o naming neither a PDF (.pdf) nor a folder (…/ or one that exists) is refused: no PDF without its extension', async () => {
    writeFile(project, 'content/invite.yaml', letter('{{name}}様', 'recipients: [{name: 田中}, {name: 佐藤}]\n'));
    writeFile(project, 'content/a.yaml', letter('一通目です。'));
    for (const args of [
      ['content/invite.yaml', '-o', 'merge', '--combine'],
      ['content/a.yaml', '-o', 'letter'],
    ]) {
      err = [];
      expect(await runBuild(args)).toBe(2);
      expect(err.join('\n')).toMatch(new RegExp(`-o ${args[2]} names neither a PDF file .*\\.pdf.* nor a folder`));
      expect(fs.existsSync(path.join(project, args[2]!))).toBe(false);
    }
    expect(await runBuild(['content/invite.yaml', '-o', 'merge.pdf', '--combine'])).toBe(0);
    expect(await runBuild(['content/a.yaml', '-o', 'letter/'])).toBe(0);
    expect(listFiles('letter')).toEqual(['a.pdf', 'manifest.json']);
  });

  it('-o FILE with a mail merge needs --combine or a directory', async () => {
    writeFile(project, 'content/invite.yaml', letter('{{name}}様', 'recipients: [{name: 田中}, {name: 佐藤}]\n'));
    expect(await runBuild(['content/invite.yaml', '-o', 'letters.pdf'])).toBe(1);
    expect(err.join('\n')).toMatch(/-o letters\.pdf names a file, but content\/invite\.yaml is a mail merge with 2 recipients/);
    expect(await runBuild(['content/invite.yaml', '-o', 'letters/'])).toBe(0);
    expect(listFiles('letters')).toEqual(['invite/1.pdf', 'invite/2.pdf', 'manifest.json']);
  });
});

describe('failures', () => {
  it('a failed file keeps its previous PDF, the others still build, and the status is 1', async () => {
    writeFile(project, 'content/a.yaml', letter('一通目です。'));
    writeFile(project, 'content/b.yaml', letter('二通目です。'));
    expect(await runBuild([])).toBe(0);
    const previous = fs.readFileSync('output/b.pdf');

    writeFile(project, 'content/a.yaml', letter('一通目を書き直しました。'));
    writeFile(project, 'content/b.yaml', 'title: [not, a, string]\nbody: 本文\n');
    out = [];
    expect(await runBuild([])).toBe(1);
    expect(fs.readFileSync('output/b.pdf').equals(previous)).toBe(true);
    expect(out).toContain('content/b.yaml → output/b.pdf  FAILED');
    expect(out.at(-1)).toMatch(/^2 files, 1 pages, .* s, 1 failed$/);
    expect(err.join('\n')).toMatch(/content\/b\.yaml:1:\d+: title: /);
    // The manifest lists the whole set: a.pdf built, b.pdf failed (its previous PDF is not this build's).
    expect(manifestOf().files.map((f) => [f.output, f.status])).toEqual([
      ['a.pdf', 'built'],
      ['b.pdf', 'failed'],
    ]);
    expect(manifestOf().files[1]!.error).toMatch(/^content\/b\.yaml:1:\d+: title: /);
    // No temporary files are left behind.
    expect(listFiles('output')).toEqual(['a.pdf', 'b.pdf', 'manifest.json']);
  });

  it('usage errors exit with 2', async () => {
    writeFile(project, 'content/a.yaml', letter('本文'));
    for (const bad of ['0/2', '3/2', '1/0', 'x', '1-2']) expect(await runBuild(['--shard', bad]), bad).toBe(2);
    expect(await runBuild(['--jobs', '0'])).toBe(2);
    expect(await runBuild(['--shard', '1/2', '--watch'])).toBe(2);
    expect(await runBuild(['--nope'])).toBe(2);
    fs.rmSync('content', { recursive: true });
    expect(await runBuild([])).toBe(2);
    expect(err.join('\n')).toMatch(/--shard 0\/2: expected I\/N/);
  });

  it('a negative number after an option is its value, reported as such (not "argument is ambiguous")', async () => {
    writeFile(project, 'content/a.yaml', letter('本文'));
    expect(await runBuild(['--wait', '-1'])).toBe(2);
    expect(await runBuild(['-j', '-2'])).toBe(2);
    const text = err.join('\n');
    expect(text).toMatch(/--wait -1: expected a number of seconds/);
    expect(text).toMatch(/--jobs -2: expected a whole number/);
    expect(text).not.toMatch(/ambiguous/);
  });
});

describe('sharding', () => {
  it('parses I/N and rejects anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '1', '/2', 'a/b', '-1/2', '1.5/2']) expect(parseShard(bad), bad).toBeUndefined();
  });

  it('the shards are disjoint and together are the whole build', () => {
    writeFile(project, 'content/people.csv', 'name\n' + NAMES.join('\n') + '\n');
    writeFile(project, 'content/m.yaml', letter('{{name}}様', 'recipients: people.csv\n'));
    for (const name of ['x', 'b', 'k']) writeFile(project, `content/${name}.yaml`, letter('本文'));
    const files = ['content/x.yaml', 'content/m.yaml', 'content/b.yaml', 'content/k.yaml'];
    const all = planBuild(files, {}).jobs.map((job) => job.output);
    expect(all).toHaveLength(15);
    expect(all).toEqual([...all].sort());
    for (const count of [1, 2, 3, 4, 7, 20]) {
      const shards = Array.from({ length: count }, (_, i) =>
        selectShard(planBuild(files, {}).jobs, { index: i + 1, count }).map((job) => job.output),
      );
      expect(shards.flat().sort(), `${count} shards`).toEqual(all);
      expect(new Set(shards.flat()).size).toBe(all.length);
      // Balanced: sizes differ by at most one.
      expect(Math.max(...shards.map((s) => s.length)) - Math.min(...shards.map((s) => s.length))).toBeLessThanOrEqual(1);
    }
  });

  it('shard manifests verify together and merge into the manifest of the whole build', async () => {
    writeFile(
      project,
      'content/m.yaml',
      letter(
        '{{name}}様',
        `recipients:\n${NAMES.slice(0, 4)
          .map((n) => `  - {name: ${n}}`)
          .join('\n')}\n`,
      ),
    );
    writeFile(project, 'content/p.yaml', letter('本文です。'));
    expect(await runBuild([])).toBe(0);
    const whole = fs.readFileSync('output/manifest.json', 'utf8');
    fs.rmSync('output', { recursive: true });

    for (const i of [1, 2, 3]) expect(await runBuild(['--shard', `${i}/3`])).toBe(0);
    expect(listFiles('output').filter((f) => f.startsWith('manifest'))).toEqual([
      'manifest.shard-1-of-3.json',
      'manifest.shard-2-of-3.json',
      'manifest.shard-3-of-3.json',
    ]);
    expect(manifestOf('output/manifest.shard-2-of-3.json')).toMatchObject({ shard: '2/3', files: [{}, {}] });

    const shards = [1, 2, 3].map((i) => `output/manifest.shard-${i}-of-3.json`);
    out = [];
    expect(await runVerify([...shards, '--merge', 'output/manifest.json'])).toBe(0);
    expect(out.filter((line) => line.endsWith('  OK'))).toHaveLength(5);
    expect(fs.readFileSync('output/manifest.json', 'utf8')).toBe(whole);
  });
});

describe("-o FILE.pdf into a folder that is not kumihan's", () => {
  it("removes a killed build's temporary file of that PDF, and leaves the folders below alone", async () => {
    writeFile(project, 'content/a.yaml', letter('一通です。'));
    // What a build killed while writing desk/a.pdf leaves, and a file of that name in someone's folder.
    writeFile(project, 'desk/.a.pdf.4194321.k3j2.tmp', '%PDF-half');
    writeFile(project, 'desk/photos/.b.pdf.4194321.a1b2.tmp', 'not ours');
    expect(await runBuild(['content/a.yaml', '-o', 'desk/a.pdf'])).toBe(0);
    expect(listFiles('desk')).toEqual(['a.pdf', 'manifest.json', 'photos/.b.pdf.4194321.a1b2.tmp']);
  });

  it('keeps the PDFs named by earlier builds of the same content (another template, another name): both verify', async () => {
    writeFile(project, 'content/a.yaml', letter('一通です。'));
    expect(await runBuild(['content/a.yaml', '-o', 'desk/horizontal.pdf'])).toBe(0);
    expect(await runBuild(['content/a.yaml', '-t', 'letter-vertical', '-o', 'desk/vertical.pdf'])).toBe(0);
    expect(listFiles('desk')).toEqual(['horizontal.pdf', 'manifest.json', 'vertical.pdf']);
    expect(out.join('\n')).not.toContain('removed');
    expect(manifestOf('desk/manifest.json').files.map((f) => f.output)).toEqual(['horizontal.pdf', 'vertical.pdf']);
    expect(await runVerify(['desk/manifest.json'])).toBe(0);
    // Built again under its own name, a PDF replaces itself only.
    expect(await runBuild(['content/a.yaml', '-o', 'desk/horizontal.pdf'])).toBe(0);
    expect(listFiles('desk')).toEqual(['horizontal.pdf', 'manifest.json', 'vertical.pdf']);
    // A build of the whole content folder into the same folder keeps them too.
    expect(await runBuild(['-o', 'desk/'])).toBe(0);
    expect(listFiles('desk')).toEqual(['a.pdf', 'horizontal.pdf', 'manifest.json', 'vertical.pdf']);
    expect(await runVerify(['desk/manifest.json'])).toBe(0);
    // Each named PDF is judged by its own inputs: after an edit, rebuilding one leaves the other stale.
    writeFile(project, 'content/a.yaml', letter('書き直しました。'));
    expect(await runBuild(['content/a.yaml', '-o', 'desk/horizontal.pdf'])).toBe(0);
    expect(await runVerify(['desk/manifest.json', '--no-sources'])).toBe(0);
    out.length = 0;
    expect(await runVerify(['desk/manifest.json'])).toBe(1);
    const report = out.join('\n');
    expect(report).toMatch(/vertical\.pdf\s+STALE/);
    expect(report).toMatch(/horizontal\.pdf\s+OK/);
  });
});

describe('manifest and verify', () => {
  it('records every output with source, pages, bytes and SHA-256, in a stable form', async () => {
    writeFile(project, 'content/b.yaml', letter('二通目です。'));
    writeFile(project, 'content/a.yaml', letter('{{name}}様', 'recipients: [{id: x, name: 田中}]\n'));
    expect(await runBuild([])).toBe(0);
    const text = fs.readFileSync('output/manifest.json', 'utf8');
    const manifest = JSON.parse(text);
    const hashOf = (file: string) => sha256(fs.readFileSync(file));
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const shipped = (file: string) => ({ file: `kumihan:${file}`, kumihan: version });
    const inputsOf = (source: string) => [
      { file: source, sha256: hashOf(source) },
      shipped('fonts/BIZUDGothic-Bold.ttf'),
      shipped('fonts/BIZUDGothic-Regular.ttf'),
      shipped('fonts/BIZUDMincho-Regular.ttf'),
      shipped('fonts/BIZUDPGothic-Bold.ttf'),
      shipped('fonts/BIZUDPGothic-Regular.ttf'),
      shipped('fonts/BIZUDPMincho-Regular.ttf'),
      shipped('templates/letter.yaml'),
    ];
    expect(manifest).toEqual({
      files: [
        {
          source: 'content/a.yaml',
          recipient: 'x',
          output: 'a/x.pdf',
          status: 'built',
          pages: 1,
          bytes: fs.statSync('output/a/x.pdf').size,
          sha256: hashOf('output/a/x.pdf'),
        },
        {
          source: 'content/b.yaml',
          output: 'b.pdf',
          status: 'built',
          pages: 1,
          bytes: fs.statSync('output/b.pdf').size,
          sha256: hashOf('output/b.pdf'),
        },
      ],
      inputs: { 'content/a.yaml': inputsOf('content/a.yaml'), 'content/b.yaml': inputsOf('content/b.yaml') },
    });
    expect(Object.keys(manifest)).toEqual(['files', 'inputs']);
    expect(Object.keys(manifest.files[0])).toEqual(['source', 'recipient', 'output', 'status', 'pages', 'bytes', 'sha256']);
    // Reproducible: the same build writes the same manifest (SOURCE_DATE_EPOCH or not, no clock in it).
    expect(await runBuild([])).toBe(0);
    expect(fs.readFileSync('output/manifest.json', 'utf8')).toBe(text);
  });

  it('verify passes, then fails after a byte changes or a file goes missing', async () => {
    writeFile(project, 'content/a.yaml', letter('一通目です。'));
    writeFile(project, 'content/b.yaml', letter('二通目です。'));
    expect(await runBuild([])).toBe(0);

    out = [];
    expect(await runVerify([])).toBe(0);
    expect(out).toEqual(['output/a.pdf  OK', 'output/b.pdf  OK', '2 files verified']);

    const bytes = fs.readFileSync('output/a.pdf');
    bytes[bytes.length - 10] ^= 1;
    fs.writeFileSync('output/a.pdf', bytes);
    out = [];
    expect(await runVerify(['output/manifest.json'])).toBe(1);
    expect(out).toEqual(['output/a.pdf  SHA-256 DIFFERS', 'output/b.pdf  OK', '1 of 2 files FAILED verification']);

    fs.appendFileSync('output/a.pdf', 'x');
    fs.rmSync('output/b.pdf');
    out = [];
    expect(await runVerify([])).toBe(1);
    expect(out[0]).toMatch(/^output\/a\.pdf {2}SIZE DIFFERS: \d+ bytes, manifest says \d+$/);
    expect(out[1]).toBe('output/b.pdf  MISSING');

    err = [];
    expect(await runVerify(['nowhere/manifest.json'])).toBe(1);
    expect(err.join('\n')).toMatch(/manifest nowhere\/manifest\.json not found/);
  });

  it('the manifest goes with -o: into the directory, or beside the file', async () => {
    writeFile(project, 'content/a.yaml', letter('本文です。'));
    expect(await runBuild(['content/a.yaml', '-o', 'dist/letter.pdf'])).toBe(0);
    expect(manifestOf('dist/manifest.json').files).toEqual([expect.objectContaining({ source: 'content/a.yaml', output: 'letter.pdf' })]);
    expect(await runVerify(['dist/manifest.json'])).toBe(0);
    expect(path.resolve('dist/letter.pdf')).toBe(path.join(project, 'dist/letter.pdf'));
  });
});

describe('long file names', () => {
  it('a letter whose name is near the limit is written (its temporary file name is cut to fit)', async () => {
    const id = '株'.repeat(81);
    writeFile(project, 'content/long.yaml', letter('{{name}}様', `recipients:\n  - {id: ${id}, name: 田中}\n`));
    expect(await runBuild([])).toBe(0);
    expect(listFiles('output')).toEqual([`long/${id}.pdf`, 'manifest.json']);
  });
});
