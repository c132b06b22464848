/** What a build prints: the progress line on a terminal, plain lines elsewhere. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BuildJob } from '../../src/batch/jobs.js';
import { failedEntry } from '../../src/batch/manifest.js';
import { createReporter, formatSummary } from '../../src/batch/progress.js';
import { output } from '../../src/output.js';

afterEach(() => vi.restoreAllMocks());

const job = (output: string): BuildJob => ({ kind: 'document', source: 'content/a.yaml', output });

describe('progress', () => {
  it('on a terminal: one line on stderr, redrawn in place, messages above it', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const log = vi.spyOn(output, 'log').mockImplementation(() => {});
    const reporter = createReporter({ total: 2, tty: true });
    reporter.finished(job('output/a.pdf'), { ok: true, pages: 3, bytes: 10, sha256: '', warnings: [], ms: 5 });
    reporter.finished(job('output/b.pdf'), { ok: false, error: 'content/a.yaml:1:1: broken', ms: 5 });
    reporter.close();
    const screen = written.join('');
    expect(screen).toMatch(/\r█{12}░{12} {2}1\/2 files {2}3 pages {2}\d+\.\d s\x1b\[K/);
    expect(screen).toContain('\r\x1b[Kcontent/a.yaml:1:1: broken\ncontent/a.yaml → output/b.pdf  FAILED\n');
    expect(screen).toMatch(/2\/2 files {2}3 pages {2}\d+\.\d s {2}1 failed\x1b\[K/);
    expect(screen.endsWith('\r\x1b[K')).toBe(true);
    // Nothing per file on stdout in this mode.
    expect(log).not.toHaveBeenCalled();
  });

  it('elsewhere: one line per file on stdout, errors and warnings on stderr', () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(output, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(output, 'error').mockImplementation((line: string) => void err.push(line));
    const reporter = createReporter({ total: 2, tty: false });
    reporter.finished(job('output/a.pdf'), { ok: true, pages: 1, bytes: 1234, sha256: '', warnings: ['a line is loose'], ms: 56 });
    reporter.finished(job('output/b.pdf'), { ok: false, error: 'broken', ms: 5 });
    reporter.close();
    expect(out).toEqual(['content/a.yaml → output/a.pdf  1 page  1234 bytes  56 ms', 'content/a.yaml → output/b.pdf  FAILED']);
    expect(err).toEqual(['content/a.yaml: warning: a line is loose', 'broken']);
    expect(formatSummary({ files: 1, pages: 2, failed: 0, seconds: 1.234 })).toBe('1 file, 2 pages, 1.23 s, 0 failed');
  });
});

describe('said once', () => {
  it('a warning or an error of a screen PDF is not said again for its press PDF; another letter’s is', () => {
    const err: string[] = [];
    const out: string[] = [];
    vi.spyOn(output, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(output, 'error').mockImplementation((line: string) => void err.push(line));
    const reporter = createReporter({ total: 4, tty: false });
    const press = (j: BuildJob): BuildJob => ({ ...j, output: j.output.replace('.pdf', '.print.pdf'), variant: 'press' });
    const a = job('output/a.pdf');
    reporter.finished(a, { ok: true, pages: 1, bytes: 1, sha256: '', warnings: ['a line is loose'], ms: 1 });
    reporter.finished(press(a), {
      ok: true,
      pages: 1,
      bytes: 1,
      sha256: '',
      warnings: ['a line is loose', 'saddle stitch: 3 blank pages'],
      ms: 1,
    });
    const b: BuildJob = { kind: 'document', source: 'content/b.yaml', output: 'output/b.pdf' };
    reporter.finished(b, { ok: false, error: 'content/b.yaml:3:1: broken', ms: 1 });
    reporter.finished(press(b), { ok: false, error: 'content/b.yaml:3:1: broken', ms: 1 });
    reporter.close();
    expect(err).toEqual([
      'content/a.yaml: warning: a line is loose',
      'content/a.yaml: warning: saddle stitch: 3 blank pages',
      'content/b.yaml:3:1: broken',
    ]);
    // Every PDF still has its line.
    expect(out).toHaveLength(4);
    expect(out[3]).toBe('content/b.yaml → output/b.print.pdf  FAILED');
  });
});

describe('the manifest entry of a failed PDF', () => {
  it('keeps the findings a message lists after its colon, on one line, and never the source excerpt', () => {
    const preflight =
      'a.yaml: the press PDF fails PDF/X-1a preflight:\n  FAIL resolution page 1 (9 0 R): an image of 148 ppi\n  FAIL fonts: not embedded';
    expect(failedEntry(job('output/a.pdf'), preflight, 'output').error).toBe(
      'a.yaml: the press PDF fails PDF/X-1a preflight: FAIL resolution page 1 (9 0 R): an image of 148 ppi; FAIL fonts: not embedded',
    );
    const located = 'a.yaml:12:4: caption: too long: shorten it\n  12 | - caption: 長い\n       ^';
    expect(failedEntry(job('output/a.pdf'), located, 'output').error).toBe('a.yaml:12:4: caption: too long: shorten it');
  });
});
