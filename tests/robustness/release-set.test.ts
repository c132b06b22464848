/**
 * A release is a set (issue items 1, 2 and 3): the manifest lists every PDF the content calls for, with
 * its status; a build of some files keeps the others' entries; verify fails on missing, failed, stale and
 * extra PDFs, on temporary files, and on shard sets that are incomplete, overlapping or of different N;
 * an output folder is locked while a build writes it; temporary files of a killed build are cleaned.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNoCrash, filesUnder, kumihan, tempDir, writeFile } from './helpers.js';

const LETTER = (text: string) => `title: ご案内\nbody: |\n  ${text}\n`;

/** A project: content/a.yaml, content/m.yaml (a merge over people.csv with x and y). */
function project(): string {
  const dir = tempDir('kumihan-release-');
  writeFile(dir, 'content/a.yaml', LETTER('一通目です。'));
  writeFile(dir, 'content/m.yaml', 'title: ご案内\nbody: "{{name}}様、ご案内です。"\nrecipients: people.csv\n');
  writeFile(dir, 'content/people.csv', 'id,name\nx,田中\ny,佐藤\n');
  return dir;
}

const manifestOf = (dir: string, name = 'output/manifest.json') =>
  JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as {
    shard?: string;
    files: { output: string; status: string; error?: string }[];
  };

const snapshot = (dir: string) =>
  Object.fromEntries(filesUnder(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));

describe('the manifest is the whole set', () => {
  test('a failed build lists the failed PDF as failed; verify exits 1 naming it; the other PDFs are unchanged', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    const before = snapshot(path.join(dir, 'output'));
    writeFile(dir, 'content/a.yaml', 'title: [壊れた\n');
    const build = kumihan(dir, ['build']);
    expect(build.status, build.all).toBe(1);
    expect(manifestOf(dir).files.map((f) => [f.output, f.status])).toEqual([
      ['a.pdf', 'failed'],
      ['m/x.pdf', 'built'],
      ['m/y.pdf', 'built'],
    ]);
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/a\.pdf +FAILED: not built \(content\/a\.yaml:\d+:\d+: YAML syntax error/m);
    expect(verify.stdout).toMatch(/^1 of 3 files FAILED verification$/m);
    // No good PDF was lost or changed: a.pdf's previous version is kept, the letters are the same bytes.
    const after = snapshot(path.join(dir, 'output'));
    for (const file of ['a.pdf', 'm/x.pdf', 'm/y.pdf']) expect(after[file], file).toBe(before[file]);
  });

  test('building one file updates its entries and keeps the rest; verify still checks every PDF', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    writeFile(dir, 'content/a.yaml', LETTER('書き直しました。'));
    expect(kumihan(dir, ['build', 'content/a.yaml']).status).toBe(0);
    expect(manifestOf(dir).files.map((f) => f.output)).toEqual(['a.pdf', 'm/x.pdf', 'm/y.pdf']);
    const verify = kumihan(dir, ['verify']);
    expect(verify.status, verify.all).toBe(0);
    expect(verify.stdout).toMatch(/^3 files verified$/m);
  });

  test('a manifest naming a file outside its folder is not one kumihan wrote: build removes nothing by it, verify refuses it', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    const victim = path.join(path.dirname(dir), `${path.basename(dir)}-victim.txt`);
    fs.writeFileSync(victim, 'precious');
    const sha256 = createHash('sha256').update('precious').digest('hex');
    for (const output of [`../../${path.basename(victim)}`, victim]) {
      const manifest = manifestOf(dir) as { files: Record<string, unknown>[] };
      manifest.files.push({ ...manifest.files[0], output, bytes: 8, sha256, status: 'built' });
      writeFile(dir, 'output/manifest.json', JSON.stringify(manifest));
      const verify = kumihan(dir, ['verify']);
      expect(verify.status, verify.all).not.toBe(0);
      expect(verify.all).toMatch(/outside the manifest's folder/);
      const build = kumihan(dir, ['build']);
      expect(build.status, build.all).toBe(0);
      expect(fs.readFileSync(victim, 'utf8'), output).toBe('precious');
    }
    fs.rmSync(victim);
  });

  test('a recipient removed from the CSV: its PDF is removed by the next build, and a PDF put back is EXTRA', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    const y = fs.readFileSync(path.join(dir, 'output/m/y.pdf'));
    writeFile(dir, 'content/people.csv', 'id,name\nx,田中\n');
    const build = kumihan(dir, ['build', 'content/m.yaml']);
    expect(build.status, build.all).toBe(0);
    expect(build.stdout).toMatch(/^removed output\/m\/y\.pdf \(no longer called for by content\/m\.yaml\)$/m);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['a.pdf', 'm/x.pdf', 'manifest.json']);
    expect(kumihan(dir, ['verify']).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'output/m/y.pdf'), y);
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/m\/y\.pdf +EXTRA: not in the manifest$/m);
  });

  test('a failed build keeps the PDFs it would have replaced: separate letters after a failed --combine, and the combined PDF after failed letters', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    const before = snapshot(path.join(dir, 'output'));
    // A recipient whose name has a character no font has: the combined PDF cannot be made.
    writeFile(dir, 'content/people.csv', 'id,name\nx,田中\ny,佐藤\u{1F600}\n');
    const combined = kumihan(dir, ['build', 'content/m.yaml', '--combine']);
    expect(combined.status, combined.all).toBe(1);
    expect(combined.stdout).not.toMatch(/^removed/m);
    const after = snapshot(path.join(dir, 'output'));
    for (const file of ['m/x.pdf', 'm/y.pdf']) expect(after[file], file).toBe(before[file]);
    // They are still listed, and verify says they no longer match their sources.
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/m\.pdf +FAILED/m);
    expect(verify.stdout).toMatch(/^output\/m\/y\.pdf +STALE: content\/people\.csv changed after it was built$/m);

    // The other way round: a good combined PDF, then letters that fail.
    writeFile(dir, 'content/people.csv', 'id,name\nx,田中\ny,佐藤\n');
    expect(kumihan(dir, ['build', 'content/m.yaml', '--combine']).status).toBe(0);
    const good = fs.readFileSync(path.join(dir, 'output/m.pdf'));
    writeFile(dir, 'content/people.csv', 'id,name\nx,田中\ny,佐藤\u{1F600}\n');
    const separate = kumihan(dir, ['build', 'content/m.yaml']);
    expect(separate.status, separate.all).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'output/m.pdf')).equals(good)).toBe(true);
  });

  test('a PDF older than its sources is STALE: the content, or the recipients file, changed after the build', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    writeFile(dir, 'content/people.csv', 'id,name\nx,田中\ny,佐藤二郎\n');
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/a\.pdf +OK$/m);
    expect(verify.stdout).toMatch(/^output\/m\/y\.pdf +STALE: content\/people\.csv changed after it was built$/m);
    // --no-sources: checking a copy of the release without its sources.
    expect(kumihan(dir, ['verify', '--no-sources']).status).toBe(0);
    writeFile(dir, 'content/people.csv', 'id,name\nx,田中\ny,佐藤\n');
    fs.rmSync(path.join(dir, 'content/a.yaml'));
    const gone = kumihan(dir, ['verify']);
    expect(gone.status).toBe(1);
    expect(gone.stdout).toMatch(/^output\/a\.pdf +STALE: its source content\/a\.yaml is gone$/m);
    expect(gone.stderr).toMatch(/sources are missing here; run verify where the build ran, or give --no-sources/);
  });

  test('a manifest of an empty build does not verify an output folder holding PDFs', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    fs.writeFileSync(path.join(dir, 'output/manifest.json'), '{"files": []}\n');
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^3 of 3 files FAILED verification$/m);
  });
});

describe('shard sets', () => {
  function shards(dir: string, ...specs: string[]) {
    for (const spec of specs) expect(kumihan(dir, ['build', '--shard', spec]).status, spec).toBe(0);
  }

  test('one shard of two is incomplete', () => {
    const dir = project();
    shards(dir, '1/2');
    const verify = kumihan(dir, ['verify', '--merge', 'output/manifest.json', 'output/manifest.shard-1-of-2.json']);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/incomplete set of shards: 1 of 2 given, missing 2\/2/);
    expect(fs.existsSync(path.join(dir, 'output/manifest.json'))).toBe(false);
    // On its own machine, one shard can be checked with --partial.
    expect(kumihan(dir, ['verify', '--partial', 'output/manifest.shard-1-of-2.json']).status).toBe(0);
  });

  test('shards 1/3 and 2/2 are of different builds', () => {
    const dir = project();
    shards(dir, '1/3', '2/2');
    const verify = kumihan(dir, ['verify', 'output/manifest.shard-1-of-3.json', 'output/manifest.shard-2-of-2.json']);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/the shards are of different builds: 1\/3 .*, 2\/2 /);
  });

  test('the same shard twice (copied under another name) overlaps', () => {
    const dir = project();
    shards(dir, '1/2', '2/2');
    fs.copyFileSync(path.join(dir, 'output/manifest.shard-1-of-2.json'), path.join(dir, 'output/copy.json'));
    const verify = kumihan(dir, ['verify', 'output/manifest.shard-1-of-2.json', 'output/copy.json', 'output/manifest.shard-2-of-2.json']);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/shard 1\/2 is given twice .*the shards overlap/);
  });

  test('shards planned from different content do not make a set', () => {
    const dir = project();
    shards(dir, '1/2');
    writeFile(dir, 'content/b.yaml', LETTER('もう一通。'));
    shards(dir, '2/2');
    const verify = kumihan(dir, ['verify', '--no-sources', 'output/manifest.shard-1-of-2.json', 'output/manifest.shard-2-of-2.json']);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/planned from different content/);
  });
});

describe('the output folder while a build writes it', () => {
  test('a folder locked by a running build is refused with a message; nothing in it changes', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    const before = snapshot(path.join(dir, 'output'));
    // This test's own process stands for the other build: it is alive.
    const lock = JSON.stringify({ pid: process.pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' });
    fs.writeFileSync(path.join(dir, 'output/.kumihan.lock'), lock);
    writeFile(dir, 'content/a.yaml', LETTER('書き直しました。'));
    const build = kumihan(dir, ['build']);
    expect(build.status).toBe(1);
    expect(build.stderr).toMatch(
      new RegExp(`^output is being written by another kumihan build \\(pid ${process.pid}, started 2026-01-01T00:00:00.000Z\\)`),
    );
    expectNoCrash(build);
    const after = snapshot(path.join(dir, 'output'));
    delete after['.kumihan.lock'];
    expect(after).toEqual(before);
    // verify says so too.
    expect(kumihan(dir, ['verify']).stdout).toMatch(/BUSY: a build is writing this folder/);
  });

  test('the lock of a build that was killed is taken over; its temporary files are removed', () => {
    const dir = project();
    expect(kumihan(dir, ['build']).status).toBe(0);
    // A pid that is not running: larger than any pid this machine hands out.
    const dead = JSON.stringify({ pid: 2 ** 22 + 17, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' });
    fs.writeFileSync(path.join(dir, 'output/.kumihan.lock'), dead);
    fs.writeFileSync(path.join(dir, 'output/.a.pdf.4194321.k3j2.tmp'), '%PDF-half');
    fs.writeFileSync(path.join(dir, 'output/m/.x.pdf.4194321.a1b2.tmp'), '%PDF-half');
    const verify = kumihan(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/\.a\.pdf\.4194321\.k3j2\.tmp +EXTRA: a temporary file of an unfinished build$/m);
    const build = kumihan(dir, ['build']);
    expect(build.status, build.all).toBe(0);
    expect(filesUnder(path.join(dir, 'output'))).toEqual(['a.pdf', 'm/x.pdf', 'm/y.pdf', 'manifest.json']);
    expect(kumihan(dir, ['verify']).status).toBe(0);
  });
});
