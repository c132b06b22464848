/**
 * `kumihan build` with a template that has `print:`: two PDFs per document (and per letter of a mail
 * merge), both in the manifest; the press PDF preflighted, and a press PDF that fails preflight is an
 * error that keeps the previous file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { asArray, nameOf, readPdf } from '../../src/check/pdfread.js';
import { preflight } from '../../src/check/preflight.js';
import { letter, listFiles, runCli, sha256, tempDir, writeFile } from './helpers.js';

const TEMPLATE = `extends: letter
letterhead:
  name: 組版工房
  logo: { file: logo.png, width: 20mm }
  rule: { thickness: 1pt, color: '#c81e28' }
print:
  bleed: 3mm
`;

function logo(dir: string, pixels: number) {
  const png = new PNG({ width: pixels, height: pixels });
  for (let i = 0; i < pixels * pixels; i++) png.data.set([200, 30, 40, 255], i * 4);
  writeFile(dir, 'content/templates/logo.png', PNG.sync.write(png));
}

describe('kumihan build with print:', () => {
  it('writes x.pdf and x.print.pdf for a document and for each letter of a mail merge, and lists all in the manifest', async () => {
    const dir = tempDir();
    writeFile(dir, 'content/templates/press.yaml', TEMPLATE);
    logo(dir, 400);
    writeFile(dir, 'content/doc.yaml', letter('本文です。').replace('template: letter', 'template: templates/press.yaml'));
    writeFile(
      dir,
      'content/merge.yaml',
      letter('{{name}}様へ。', 'recipients:\n  - { id: a, name: 山田 }\n  - { id: b, name: 鈴木 }\n').replace(
        'template: letter',
        'template: templates/press.yaml',
      ),
    );
    const run = await runCli(dir, ['build', 'content/doc.yaml', 'content/merge.yaml']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(listFiles(path.join(dir, 'output'))).toEqual([
      'doc.pdf',
      'doc.print.pdf',
      'manifest.json',
      'merge/a.pdf',
      'merge/a.print.pdf',
      'merge/b.pdf',
      'merge/b.print.pdf',
    ]);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'output/manifest.json'), 'utf8')) as {
      files: { output: string; status: string; sha256: string }[];
    };
    expect(manifest.files.map((f) => f.output)).toEqual([
      'doc.pdf',
      'doc.print.pdf',
      'merge/a.pdf',
      'merge/a.print.pdf',
      'merge/b.pdf',
      'merge/b.print.pdf',
    ]);
    for (const f of manifest.files) {
      expect(f.status).toBe('built');
      expect(f.sha256).toBe(sha256(fs.readFileSync(path.join(dir, 'output', f.output))));
    }
    expect(fs.readFileSync(path.join(dir, 'output/doc.print.pdf'), 'latin1')).toMatch(/^%PDF-1\.3/);
    expect(fs.readFileSync(path.join(dir, 'output/doc.pdf'), 'latin1')).toMatch(/^%PDF-1\.7/);
    expect((await runCli(dir, ['verify'])).status).toBe(0);
    // The colour conversion is told once per content file, not once per letter.
    const told = run.stderr.split('\n').filter((l) => /warning: colour #c81e28 → cmyk\([\d., ]+\) for the press$/.test(l));
    expect(told.length).toBe(2);
    expect(told.filter((l) => l.startsWith('content/doc.yaml: ')).length).toBe(1);
    expect(told.filter((l) => /^content\/merge\.yaml \(recipient [ab]\): /.test(l)).length).toBe(1);
  });

  it('a press PDF that fails preflight is an error naming the rule, and the previous press PDF is kept', async () => {
    const dir = tempDir();
    writeFile(dir, 'content/templates/press.yaml', TEMPLATE);
    logo(dir, 400);
    writeFile(dir, 'content/doc.yaml', letter('本文です。').replace('template: letter', 'template: templates/press.yaml'));
    const first = await runCli(dir, ['build']);
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'output/doc.print.pdf'));
    // 20 pixels over 20 mm: 25 ppi, far below what a press needs.
    logo(dir, 20);
    const run = await runCli(dir, ['build']);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(
      /the press PDF fails PDF\/X-1a preflight:\n\s+FAIL resolution page 1 \(\d+ 0 R\): an image of 25 ppi at its placed size/,
    );
    expect(fs.readFileSync(path.join(dir, 'output/doc.print.pdf')).equals(before)).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'output/manifest.json'), 'utf8')) as {
      files: { output: string; status: string }[];
    };
    expect(manifest.files.find((f) => f.output === 'doc.print.pdf')?.status).toBe('failed');
  });

  it('a combined mail merge: each letter keeps its own structure elements in the screen PDF; the press PDF passes', async () => {
    const dir = tempDir();
    writeFile(dir, 'content/templates/press.yaml', TEMPLATE);
    logo(dir, 400);
    const merge = (ids: string[]) =>
      letter('{{name}}様へ。\n\n  二段落目です。', `recipients:\n${ids.map((id) => `  - { id: ${id}, name: 山田 }`).join('\n')}\n`).replace(
        'template: letter',
        'template: templates/press.yaml',
      );
    const elementsOf = (file: string) => {
      const pdf = readPdf(fs.readFileSync(file));
      const root = pdf.dict(pdf.trailer.get('Root'))!;
      const document = pdf.dict(asArray(pdf.get(pdf.dict(root.get('StructTreeRoot'))!.get('K')))[0])!;
      return asArray(pdf.get(document.get('K'))).map((k) => nameOf(pdf.dict(k)!.get('S')));
    };
    writeFile(dir, 'content/one.yaml', merge(['a']));
    writeFile(dir, 'content/two.yaml', merge(['a', 'b']));
    const run = await runCli(dir, ['build', '--combine']);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const one = elementsOf(path.join(dir, 'output/one.pdf'));
    expect(one.length).toBeGreaterThan(3);
    expect(elementsOf(path.join(dir, 'output/two.pdf'))).toEqual([...one, ...one]);
    expect(preflight(fs.readFileSync(path.join(dir, 'output/two.print.pdf')), { standard: 'PDF/X-1a' })).toEqual([]);
  });
});
