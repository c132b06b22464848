/**
 * Damaged and hostile assets (issue item 6): an image whose header claims more than its data holds, an
 * image with too many pixels, a font whose tables are cut off. Each is a located error at the template
 * line naming the file, exit status 1, no stack trace, no PDF for that file — and the rest of the batch
 * is built.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { expectNoCrash, filesUnder, GOOD_LETTER, kumihan, ROOT, tempDir, writeFile } from './helpers.js';

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** A PNG whose header says width × height (8-bit RGB) over the given scanline bytes. */
function png(width: number, height: number, raw: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A project whose a.yaml and b.yaml were built once with the shipped template; then b.yaml switches to
 * t.yaml, whose logo (or font) is the asset under test.
 */
function project(files: Record<string, Buffer | string>, template: string) {
  const dir = tempDir('kumihan-assets-');
  writeFile(dir, 'a.yaml', GOOD_LETTER);
  writeFile(dir, 'b.yaml', 'title: 表題\nbody: 本文です。\n');
  const first = kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out']);
  expect(first.status, first.all).toBe(0);
  previous.set(dir, fs.readFileSync(path.join(dir, 'out/b.pdf')));
  writeFile(dir, 'b.yaml', 'template: ./t.yaml\ntitle: 表題\nbody: 本文です。\n');
  writeFile(dir, 't.yaml', template);
  for (const [name, bytes] of Object.entries(files)) writeFile(dir, name, bytes);
  return { dir, run: () => kumihan(dir, ['build', 'a.yaml', 'b.yaml', '-o', 'out']) };
}

/** b.pdf of each project's first build. */
const previous = new Map<string, Buffer>();

const LOGO = (file: string) => `extends: letter\nletterhead:\n  name: 株式会社テスト\n  logo:\n    file: ${file}\n    width: 20mm\n`;

/** Exit 1, the message, no crash; a.pdf built, b.pdf's previous version kept byte for byte. */
function expectRefused(dir: string, run: ReturnType<typeof kumihan>, message: RegExp) {
  expect(run.status, run.all).toBe(1);
  expect(run.stderr).toMatch(message);
  expectNoCrash(run);
  expect(run.stdout).toMatch(/^a\.yaml → out\/a\.pdf {2}1 page/m);
  expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf', 'manifest.json']);
  expect(fs.readFileSync(path.join(dir, 'out/b.pdf')).equals(previous.get(dir)!)).toBe(true);
}

describe('images', () => {
  test('a PNG whose header claims 100000×100000 over 157 bytes of data: refused by the pixel limit', () => {
    const bytes = png(100000, 100000, Buffer.alloc(200));
    const { dir, run } = project({ 'logo.png': bytes }, LOGO('logo.png'));
    expectRefused(
      dir,
      run(),
      /t\.yaml:5:11: letterhead\.logo\.file: logo image .*logo\.png: the image is 100000×100000 pixels; at most 50 million pixels are allowed/,
    );
  });

  test('a PNG whose data holds far fewer pixels than its header says', () => {
    const bytes = png(2000, 2000, Buffer.alloc(300));
    const { dir, run } = project({ 'logo.png': bytes }, LOGO('logo.png'));
    expectRefused(
      dir,
      run(),
      /t\.yaml:5:11: letterhead\.logo\.file: logo image .*logo\.png: the PNG header says 2000×2000 pixels, but its data holds 300 bytes of pixels where 12002000 are needed/,
    );
  });

  test('a PNG whose data holds exactly what its header says is embedded', () => {
    const bytes = png(4, 2, Buffer.alloc(2 * (1 + 4 * 3), 0x40));
    const { dir, run } = project({ 'logo.png': bytes }, LOGO('logo.png'));
    const r = run();
    expect(r.status, r.all).toBe(0);
    expect(filesUnder(path.join(dir, 'out'))).toEqual(['a.pdf', 'b.pdf', 'manifest.json']);
    expect(fs.readFileSync(path.join(dir, 'out/b.pdf')).equals(previous.get(dir)!)).toBe(false);
  });

  test('a JPEG whose frame header claims 60000×60000 over a few bytes of scan data', () => {
    const sof = Buffer.from([
      0xff, 0xc0, 0x00, 0x11, 0x08, 0xea, 0x60, 0xea, 0x60, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    ]);
    const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00]);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8]), sof, sos, Buffer.alloc(40, 0x55), Buffer.from([0xff, 0xd9])]);
    const { dir, run } = project({ 'logo.jpg': bytes }, LOGO('logo.jpg'));
    expectRefused(dir, run(), /logo image .*logo\.jpg: the image is 60000×60000 pixels; at most 50 million pixels are allowed/);
  });

  test('a JPEG whose scan data cannot hold its blocks', () => {
    const sof = Buffer.from([
      0xff, 0xc0, 0x00, 0x11, 0x08, 0x0f, 0xa0, 0x0f, 0xa0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    ]);
    const sos = Buffer.from([0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00]);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8]), sof, sos, Buffer.alloc(40, 0x55), Buffer.from([0xff, 0xd9])]);
    const { dir, run } = project({ 'logo.jpg': bytes }, LOGO('logo.jpg'));
    expectRefused(
      dir,
      run(),
      /logo image .*logo\.jpg: the JPEG header says 4000×4000 pixels, but its 40 bytes of scan data cannot hold 250000 blocks/,
    );
  });
});

describe('fonts', () => {
  const font = fs.readFileSync(path.join(ROOT, 'fonts/BIZUDMincho-Regular.ttf'));
  const FONT_TEMPLATE = 'extends: letter\nfonts:\n  mincho: { file: cut.ttf }\n';

  test('a font cut in half: a located error naming the table that runs past the end', () => {
    const { dir, run } = project({ 'cut.ttf': font.subarray(0, font.length >> 1) }, FONT_TEMPLATE);
    expectRefused(
      dir,
      run(),
      /t\.yaml:3:\d+: fonts\.mincho\.file: font file .*cut\.ttf is damaged: its \w+ table \(bytes \d+–\d+\) ends past the end of the file \(\d+ bytes\): the file is truncated/,
    );
  });

  test('a font cut inside its table directory', () => {
    const { dir, run } = project({ 'cut.ttf': font.subarray(0, 40) }, FONT_TEMPLATE);
    expectRefused(dir, run(), /fonts\.mincho\.file: font file .*cut\.ttf is damaged: the file ends inside the table directory/);
  });

  test('a font whose hmtx table is too short for its glyphs', () => {
    const bytes = Buffer.from(font);
    const numTables = bytes.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      if (bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i) === 'hmtx') bytes.writeUInt32BE(8, 12 + 16 * i + 12);
    }
    const { dir, run } = project({ 'cut.ttf': bytes }, FONT_TEMPLATE);
    expectRefused(
      dir,
      run(),
      /fonts\.mincho\.file: font file .*cut\.ttf is damaged: its hmtx table \(8 bytes\) is too short for \d+ glyphs/,
    );
  });
});
