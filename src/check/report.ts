/**
 * The HTML report of a check run: `<outDir>/index.html`, plain HTML + CSS, no script, images
 * referenced by paths relative to the report so it opens straight from the file system.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A text-layer mismatch: where the first difference is, with a little context. */
export interface TextMismatch {
  /** 0-based index (in code points) of the first difference in the compared strings. */
  position: number;
  /** Page and line (1-based) of the PDF where the difference starts, when known. */
  page?: number;
  line?: number;
  /** Context before the difference (same for both), the differing parts, context after. */
  before: string;
  expected: string;
  actual: string;
  afterExpected: string;
  afterActual: string;
  expectedLength: number;
  actualLength: number;
}

export interface ReportPage {
  /** 1-based page number. */
  index: number;
  passed: boolean;
  /** Reference-update outcome, in update mode. */
  update?: 'new' | 'changed' | 'unchanged' | 'removed';
  diffPixels: number | null;
  totalPixels: number | null;
  ratio: number | null;
  /** Image paths relative to the report's directory. */
  images: { reference?: string; actual?: string; diff?: string };
  messages: string[];
}

export interface ReportEntry {
  name: string;
  passed: boolean;
  /** File-level messages: page count, text layer, build errors. */
  messages: string[];
  textMismatch?: TextMismatch;
  pages: ReportPage[];
}

export interface ReportMeta {
  dpi?: number;
  threshold?: number;
  maxDiffPixels?: number;
  update?: boolean;
  /** Shown in the header; defaults to now. Pass a fixed value for reproducible output. */
  generated?: string;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Relative path → URL path (escaping each segment, keeping `/`). */
const href = (rel: string): string => rel.split(/[\\/]/).map(encodeURIComponent).join('/');

export function formatRatio(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(3)}%`;
}

const CSS = `
:root { --fail: #c62828; --pass: #2e7d32; --muted: #666; }
body { font-family: system-ui, "Hiragino Sans", "Yu Gothic", "Noto Sans CJK JP", sans-serif; margin: 1.5rem; color: #222; }
h1 { font-size: 1.4rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 0; }
.meta { color: var(--muted); font-size: .85rem; margin-bottom: 1rem; }
table.summary { border-collapse: collapse; margin-bottom: 1.5rem; font-size: .9rem; }
table.summary td, table.summary th { border: 1px solid #ccc; padding: .25rem .6rem; text-align: left; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: .25rem; color: #fff; font-weight: 600; font-size: .8rem; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.info { background: #555; }
section.file { border: 1px solid #ccc; border-radius: .4rem; padding: 1rem; margin-bottom: 1.5rem; }
section.file.fail { border-color: var(--fail); }
.file-head { display: flex; gap: .8rem; align-items: center; margin-bottom: .6rem; }
ul.messages { margin: .3rem 0 .8rem; padding-left: 1.2rem; }
ul.messages li { color: var(--fail); }
.page.pass ul.messages li { color: var(--muted); }
.page { border-top: 1px solid #eee; padding-top: .7rem; margin-top: .7rem; }
.page-head { display: flex; gap: .8rem; align-items: baseline; margin-bottom: .4rem; }
.images { display: flex; gap: .8rem; flex-wrap: wrap; align-items: flex-start; }
figure { margin: 0; flex: 1 1 0; min-width: 14rem; max-width: 32rem; }
figure img { width: 100%; border: 1px solid #bbb; background: #fff; display: block; }
figcaption { font-size: .8rem; color: var(--muted); margin-bottom: .2rem; }
.textdiff { font-family: ui-monospace, monospace; font-size: .85rem; background: #f7f7f7; padding: .5rem; white-space: pre-wrap; word-break: break-all; }
.textdiff del { background: #ffd6d6; text-decoration: none; } .textdiff ins { background: #d6f5d6; text-decoration: none; }
.textdiff .label { color: var(--muted); display: inline-block; width: 5.5em; }
.none { color: var(--muted); font-style: italic; font-size: .85rem; }
`;

function badge(passed: boolean, text = passed ? 'PASS' : 'FAIL'): string {
  return `<span class="badge ${passed ? 'pass' : 'fail'}">${esc(text)}</span>`;
}

function renderText(t: TextMismatch): string {
  const where = t.page !== undefined ? ` (page ${t.page}${t.line !== undefined ? `, line ${t.line}` : ''})` : '';
  const show = (s: string) => esc(s.replace(/\n/g, '⏎'));
  return `<div class="textdiff">first difference at character ${t.position + 1}${esc(where)}
<span class="label">expected</span>…${show(t.before)}<ins>${show(t.expected) || '∅'}</ins>${show(t.afterExpected)}…
<span class="label">actual</span>…${show(t.before)}<del>${show(t.actual) || '∅'}</del>${show(t.afterActual)}…
<span class="label">lengths</span>expected ${t.expectedLength}, actual ${t.actualLength} characters</div>`;
}

function figure(caption: string, rel: string | undefined): string {
  if (!rel) return `<figure><figcaption>${esc(caption)}</figcaption><p class="none">none</p></figure>`;
  return `<figure><figcaption>${esc(caption)}</figcaption><a href="${href(rel)}"><img src="${href(rel)}" alt="${esc(caption)}" loading="lazy"></a></figure>`;
}

function renderPage(p: ReportPage, fileAnchor: string): string {
  const { reference, actual, diff } = p.images;
  let images: string;
  if (p.passed && reference && !actual && !diff) {
    images = figure('reference = actual (identical)', reference);
  } else {
    images = figure('reference', reference) + figure('actual', actual) + figure('diff (red: differing pixels)', diff);
  }
  const upd = p.update ? ` <span class="badge info">${esc(p.update)}</span>` : '';
  const msgs = p.messages.length ? `<ul class="messages">${p.messages.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : '';
  return `<div class="page ${p.passed ? 'pass' : 'fail'}" id="${esc(`${fileAnchor}-p${p.index}`)}"><div class="page-head"><strong>page ${p.index}</strong>${badge(p.passed)}${upd}
<span>differing pixels: ${formatRatio(p.ratio)}${p.diffPixels !== null ? ` (${p.diffPixels} of ${p.totalPixels})` : ''}</span></div>
${msgs}<div class="images">${images}</div></div>`;
}

const failuresFirst = <T extends { passed: boolean }>(xs: T[]): T[] =>
  xs
    .map((x, i) => [x, i] as const)
    .sort((a, b) => Number(a[0].passed) - Number(b[0].passed) || a[1] - b[1])
    .map(([x]) => x);

/** Writes `<outDir>/index.html` and returns its path. */
export function writeHtmlReport(outDir: string, entries: ReportEntry[], meta: ReportMeta = {}): string {
  mkdirSync(outDir, { recursive: true });
  const failed = entries.filter((e) => !e.passed).length;
  const anchor = (name: string) => `f-${encodeURIComponent(name)}`;
  const summary = entries.length
    ? `<table class="summary"><tr><th>file</th><th>result</th><th>pages</th><th>failing pages</th></tr>
${failuresFirst(entries)
  .map(
    (e) =>
      `<tr><td><a href="#${esc(anchor(e.name))}">${esc(e.name)}</a></td><td>${badge(e.passed)}</td><td>${e.pages.length}</td><td>${e.pages
        .filter((p) => !p.passed)
        .map((p) => p.index)
        .join(', ')}</td></tr>`,
  )
  .join('\n')}</table>`
    : '<p class="none">nothing was checked</p>';
  const sections = failuresFirst(entries)
    .map((e) => {
      const msgs = e.messages.length ? `<ul class="messages">${e.messages.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : '';
      const text = e.textMismatch ? renderText(e.textMismatch) : '';
      return `<section class="file ${e.passed ? 'pass' : 'fail'}" id="${esc(anchor(e.name))}">
<div class="file-head"><h2>${esc(e.name)}</h2>${badge(e.passed)}</div>
${msgs}${text}
${failuresFirst(e.pages)
  .map((p) => renderPage(p, anchor(e.name)))
  .join('\n')}
</section>`;
    })
    .join('\n');
  const settings = [
    meta.update ? 'mode: update references' : 'mode: compare',
    meta.dpi !== undefined ? `${meta.dpi} dpi` : '',
    meta.threshold !== undefined ? `threshold ${meta.threshold}` : '',
    meta.maxDiffPixels !== undefined ? `max differing pixels per page ${meta.maxDiffPixels}` : '',
    `generated ${meta.generated ?? new Date().toISOString()}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const html = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kumihan check — ${failed ? `${failed} failing` : 'all passing'}</title>
<style>${CSS}</style>
</head>
<body>
<h1>kumihan check: ${failed ? `<span style="color:var(--fail)">${failed} of ${entries.length} failing</span>` : `all ${entries.length} passing`}</h1>
<div class="meta">${esc(settings)}</div>
${summary}
${sections}
</body>
</html>
`;
  const file = join(outDir, 'index.html');
  writeFileSync(file, html);
  return file;
}
