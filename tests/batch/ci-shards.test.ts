/**
 * The merge-and-verify half of a sharded CI release (examples/ci/), with real shard outputs: each shard
 * is built in its own copy of the project, as on its own machine; the output folders are then put
 * together as the CI's artifact download does, and the merge job's command is run on them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { letter, listFiles, ROOT, runCli, tempDir, writeFile } from './helpers.js';

const SHARDS = 3;
const NAMES = ['田中', '佐藤', '鈴木', '高橋', '伊藤', '渡辺', '山本'];

function writeProject(dir: string): void {
  writeFile(dir, 'content/invite.yaml', letter('{{name}}様、ご案内です。', 'recipients: people.csv\n'));
  writeFile(dir, 'content/people.csv', 'name\n' + NAMES.join('\n') + '\n');
  writeFile(dir, 'content/plain.yaml', letter('ふつうの手紙です。'));
  writeFile(dir, 'content/notice.yaml', letter('お知らせです。'));
}

/** Copies every file of `from` into `to` (the artifact download: all shards into one output/). */
function copyInto(from: string, to: string): void {
  for (const file of listFiles(from)) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}

/** Builds every shard on its own "machine" and returns their output folders. */
async function buildShards(env: NodeJS.ProcessEnv): Promise<string[]> {
  const outputs: string[] = [];
  for (let i = 1; i <= SHARDS; i++) {
    const machine = tempDir(`kumihan-machine-${i}-`);
    writeProject(machine);
    const run = await runCli(machine, ['build', '--shard', `${i}/${SHARDS}`], env);
    expect(run.status, run.stderr).toBe(0);
    outputs.push(path.join(machine, 'output'));
  }
  return outputs;
}

const MERGE = ['verify', '--merge', 'output/manifest.json'];
const shardManifests = (n = SHARDS) => Array.from({ length: n }, (_, i) => `output/manifest.shard-${i + 1}-of-${SHARDS}.json`);

describe('shard → merge → verify', () => {
  const env = { SOURCE_DATE_EPOCH: '1700000000' };

  test('the merged release is exactly the unsharded build: the same PDFs and the same manifest', async () => {
    const single = tempDir('kumihan-single-');
    writeProject(single);
    expect((await runCli(single, ['build'], env)).status).toBe(0);

    const merge = tempDir('kumihan-merge-');
    writeProject(merge); // the merge job's checkout: verify checks the PDFs against these sources
    for (const output of await buildShards(env)) copyInto(output, path.join(merge, 'output'));
    const verify = await runCli(merge, [...MERGE, ...shardManifests()]);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^9 files verified$/m);
    expect(fs.readFileSync(path.join(merge, 'output/manifest.json'), 'utf8')).toBe(
      fs.readFileSync(path.join(single, 'output/manifest.json'), 'utf8'),
    );
    const pdfs = listFiles(path.join(single, 'output')).filter((f) => f.endsWith('.pdf'));
    expect(pdfs).toHaveLength(9);
    for (const pdf of pdfs)
      expect(fs.readFileSync(path.join(merge, 'output', pdf)).equals(fs.readFileSync(path.join(single, 'output', pdf))), pdf).toBe(true);
    // The merged manifest verifies on its own, as the release does after it is published.
    expect((await runCli(merge, ['verify'])).status).toBe(0);
  });

  test('a shard whose artifact did not arrive: the merge job fails and writes no manifest', async () => {
    const merge = tempDir('kumihan-merge-');
    writeProject(merge);
    const outputs = await buildShards(env);
    for (const output of outputs.slice(0, 2)) copyInto(output, path.join(merge, 'output'));
    const verify = await runCli(merge, [...MERGE, ...shardManifests(2)]);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/incomplete set of shards: 2 of 3 given, missing 3\/3/);
    expect(fs.existsSync(path.join(merge, 'output/manifest.json'))).toBe(false);
  });

  test('a shard in which a letter failed: the merge job names it', async () => {
    const merge = tempDir('kumihan-merge-');
    writeProject(merge);
    const outputs: string[] = [];
    for (let i = 1; i <= SHARDS; i++) {
      const machine = tempDir(`kumihan-machine-${i}-`);
      writeProject(machine);
      // One recipient row is broken, on every machine (they build the same commit).
      writeFile(machine, 'content/people.csv', 'name\n' + NAMES.join('\n') + '\n鈴木,余分\n');
      await runCli(machine, ['build', '--shard', `${i}/${SHARDS}`], env);
      outputs.push(path.join(machine, 'output'));
    }
    writeFile(merge, 'content/people.csv', 'name\n' + NAMES.join('\n') + '\n鈴木,余分\n');
    for (const output of outputs) copyInto(output, path.join(merge, 'output'));
    const verify = await runCli(merge, [...MERGE, ...shardManifests()]);
    expect(verify.status).toBe(1);
    expect(verify.stdout).toMatch(
      /^output\/invite\/8\.pdf +FAILED: not built \(content\/people\.csv:9: recipient 8: this row has 2 fields but the header has 1 field/m,
    );
    expect(fs.existsSync(path.join(merge, 'output/manifest.json'))).toBe(false);
  });
});

describe('the CI examples run these commands', () => {
  test('GitHub Actions: a matrix of shards, artifacts merged into output/, verify --merge', () => {
    const workflow = parse(fs.readFileSync(path.join(ROOT, 'examples/ci/github-actions.yml'), 'utf8'));
    const shards: number[] = workflow.jobs.build.strategy.matrix.shard;
    expect(shards).toEqual(Array.from({ length: Number(workflow.env.SHARDS) }, (_, i) => i + 1));
    const buildRuns = workflow.jobs.build.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template literal
    expect(buildRuns).toContain('npx kumihan build --shard "${{ matrix.shard }}/${{ env.SHARDS }}"');
    const download = workflow.jobs.merge.steps.find((s: { uses?: string }) => s.uses?.startsWith('actions/download-artifact'));
    expect(download.with).toMatchObject({ path: 'output', 'merge-multiple': true });
    const mergeRuns = workflow.jobs.merge.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template literal
    expect(mergeRuns).toContain('npx kumihan verify --merge output/manifest.json output/manifest.shard-*-of-${{ env.SHARDS }}.json');
  });

  test('GitLab CI: parallel build jobs as shards, verify --merge in the release job', () => {
    const pipeline = parse(fs.readFileSync(path.join(ROOT, 'examples/ci/gitlab-ci.yml'), 'utf8'));
    expect(pipeline.build.parallel).toBe(Number(pipeline.variables.SHARDS));
    expect(pipeline.build.script.join('\n')).toContain('npx kumihan build --shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"');
    expect(pipeline.build.artifacts).toMatchObject({ when: 'always', paths: ['output/'] });
    expect(pipeline.release.script.join('\n')).toContain(
      'npx kumihan verify --merge output/manifest.json output/manifest.shard-*-of-$SHARDS.json',
    );
  });
});
