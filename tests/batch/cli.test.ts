/**
 * The bundled CLI, spawned as a user (or CI) runs it: parallel builds on worker threads, exit
 * status, and --watch. The bundle is built once into a private directory (helpers.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildJob } from '../../src/batch/jobs.js';
import { runBuildJob, type BuiltJob } from '../../src/batch/run-job.js';
import type { WorkerMessage } from '../../src/batch/worker.js';
import { bundledCli, letter, listFiles, runCli, startCli, tempDir, writeFile } from './helpers.js';

beforeAll(async () => {
  await bundledCli();
});

const NAMES = ['田中', '佐藤', '鈴木', '高橋', '伊藤', '渡辺', '山本', '中村'];

/** A project with plain letters and a mail merge: enough jobs for the workers to take some. */
function batchProject(): string {
  const dir = tempDir();
  writeFile(dir, 'content/people.csv', 'name\n' + NAMES.join('\n') + '\n');
  writeFile(dir, 'content/invite.yaml', letter('{{name}}様、発表会のご案内です。', 'recipients: people.csv\n'));
  writeFile(dir, 'content/plain.yaml', letter('ふつうの手紙です。'));
  writeFile(dir, 'content/other.yaml', letter('もう一通の手紙です。'));
  return dir;
}

describe('parallel builds', () => {
  it('build the same bytes as a sequential build, reported one line per file', async () => {
    const dir = batchProject();
    const sequential = await runCli(dir, ['build', '--jobs', '1', '-o', 'seq/']);
    expect(sequential.stderr).toBe('');
    expect(sequential.status).toBe(0);
    const parallel = await runCli(dir, ['build', '-o', 'par/']);
    expect(parallel.stderr).toBe('');
    expect(parallel.status).toBe(0);

    const files = listFiles(path.join(dir, 'seq'));
    expect(files).toHaveLength(NAMES.length + 3);
    expect(listFiles(path.join(dir, 'par'))).toEqual(files);
    for (const file of files.filter((f) => f.endsWith('.pdf'))) {
      expect(fs.readFileSync(path.join(dir, 'par', file)).equals(fs.readFileSync(path.join(dir, 'seq', file))), file).toBe(true);
    }
    // Same PDFs, same manifest (the output paths are relative to it).
    expect(fs.readFileSync(path.join(dir, 'par/manifest.json'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'seq/manifest.json'), 'utf8'));

    const lines = parallel.stdout.trim().split('\n');
    expect(lines).toHaveLength(NAMES.length + 3);
    expect(lines.slice(0, -1).sort()[0]).toMatch(/^content\/invite\.yaml → par\/invite\/1\.pdf {2}1 page {2}\d+ bytes {2}\d+ ms$/);
    expect(lines.at(-1)).toMatch(/^10 files, 10 pages, \d+\.\d\d s, 0 failed$/);
  });

  it('a worker thread running the bundle builds what this thread builds from the sources', async () => {
    const root = await bundledCli();
    const dir = batchProject();
    const jobs: BuildJob[] = [
      { kind: 'document', source: path.join(dir, 'content/plain.yaml'), output: path.join(dir, 'worker/plain.pdf') },
      {
        kind: 'letter',
        source: path.join(dir, 'content/invite.yaml'),
        output: path.join(dir, 'worker/tanaka.pdf'),
        recipient: { key: 't', record: { name: '田中' } },
      },
      {
        kind: 'combined',
        source: path.join(dir, 'content/invite.yaml'),
        output: path.join(dir, 'worker/all.pdf'),
        recipients: [
          { key: 'a', record: { name: '田中' } },
          { key: 'b', record: { name: '佐藤' } },
        ],
      },
    ];
    const worker = new Worker(new URL('dist/worker.cjs', `file://${root}/`));
    // A worker builds; the main thread writes (the PDF's bytes come back in the result).
    const fromWorker = await new Promise<BuiltJob[]>((resolve, reject) => {
      const results: BuiltJob[] = [];
      worker.on('error', reject);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready')
          jobs.forEach((job, id) => {
            worker.postMessage({ id, job });
          });
        else if ((results[message.id] = message.result) && results.filter(Boolean).length === jobs.length) resolve(results);
      });
    });
    await worker.terminate();

    for (const [i, job] of jobs.entries()) {
      const built = fromWorker[i];
      const fromWorkerBytes = Buffer.from(built.ok ? built.pdf : new Uint8Array());
      const here = await runBuildJob({ ...job, output: job.output.replace('/worker/', '/here/') });
      expect(fromWorker[i]).toMatchObject({ ok: true, pages: here.ok ? here.pages : -1 });
      expect(fs.readFileSync(job.output.replace('/worker/', '/here/')).equals(fromWorkerBytes), job.kind).toBe(true);
    }
  });
});

describe('exit status', () => {
  it('is 0 when everything builds, 1 when a file fails (the others still build), 2 for usage errors', async () => {
    const dir = batchProject();
    expect((await runCli(dir, ['build'])).status).toBe(0);
    const previous = fs.readFileSync(path.join(dir, 'output/plain.pdf'));

    writeFile(dir, 'content/plain.yaml', 'body: [broken\n');
    writeFile(dir, 'content/other.yaml', letter('書き直した手紙です。'));
    const failed = await runCli(dir, ['build']);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/content\/plain\.yaml:\d+:\d+: YAML syntax error/);
    expect(failed.stdout).toMatch(/^content\/plain\.yaml → output\/plain\.pdf {2}FAILED$/m);
    expect(failed.stdout).toMatch(/^content\/other\.yaml → output\/other\.pdf {2}1 page/m);
    expect(failed.stdout.trim().split('\n').at(-1)).toMatch(/^10 files, 9 pages, .* s, 1 failed$/);
    expect(fs.readFileSync(path.join(dir, 'output/plain.pdf')).equals(previous)).toBe(true);

    expect((await runCli(dir, ['build', '--shard', '4/3'])).status).toBe(2);
    // The release is not whole: verify says which PDF failed (its previous version is not this build's).
    const afterFailure = await runCli(dir, ['verify']);
    expect(afterFailure.status).toBe(1);
    expect(afterFailure.stdout).toMatch(/^output\/plain\.pdf +FAILED: not built \(content\/plain\.yaml:\d+:\d+: YAML syntax error/m);
    writeFile(dir, 'content/plain.yaml', letter('直した手紙です。'));
    expect((await runCli(dir, ['build'])).status).toBe(0);
    expect((await runCli(dir, ['verify'])).status).toBe(0);
    fs.appendFileSync(path.join(dir, 'output/other.pdf'), '\n');
    const verify = await runCli(dir, ['verify']);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(/^output\/other\.pdf +SIZE DIFFERS/m);
  });
});

describe('--watch', () => {
  it('rebuilds a file when it or its data changes, survives a broken file, and exits 0 on Ctrl-C', async () => {
    const dir = batchProject();
    const child = await startCli(dir, ['build', '--watch', 'content/plain.yaml', 'content/invite.yaml']);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    /** Waits until stdout has `count` matches of `pattern`. */
    const waitFor = async (pattern: RegExp, count = 1) => {
      const deadline = Date.now() + 30_000;
      while ((stdout.match(new RegExp(pattern, 'gm')) ?? []).length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await waitFor(/^watching \d+ files for changes/);
      const before = fs.statSync(path.join(dir, 'output/plain.pdf')).mtimeMs;

      writeFile(dir, 'content/plain.yaml', letter('書き直しました。'));
      await waitFor(/^rebuilt: 1 file, 1 pages, .* 0 failed$/);
      expect(stdout).toMatch(/changed: content\/plain\.yaml — rebuilding/);
      expect(fs.statSync(path.join(dir, 'output/plain.pdf')).mtimeMs).toBeGreaterThan(before);

      // Mail-merge data is a dependency too: a new recipient is a new letter.
      writeFile(dir, 'content/people.csv', 'name\n' + [...NAMES, '新人'].join('\n') + '\n');
      await waitFor(/^rebuilt: 9 files/);
      expect(fs.existsSync(path.join(dir, 'output/invite/9.pdf'))).toBe(true);

      // A build error is printed, and watching goes on.
      writeFile(dir, 'content/plain.yaml', 'body: [broken\n');
      await waitFor(/^rebuilt: 1 file, 0 pages, .* 1 failed$/);
      expect(stderr).toMatch(/YAML syntax error/);
      writeFile(dir, 'content/plain.yaml', letter('直りました。'));
      await waitFor(/^rebuilt: 1 file, 1 pages, .* 0 failed$/, 2);

      // The manifest follows the rebuilds.
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'output/manifest.json'), 'utf8'));
      expect(manifest.files).toHaveLength(NAMES.length + 2);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
