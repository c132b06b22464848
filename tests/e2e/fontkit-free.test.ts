/**
 * The shipped letters are built without loading fontkit (src/font/fonts.ts reads their fonts): fontkit's
 * initialisation alone costs a cold build more than laying out a letter. A file of its own, so that no
 * other test has loaded fontkit for these fonts in this process.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLoaded, layoutLoaded } from '../../src/build.js';
import { loadDocument } from '../../src/model/load.js';
import { isReadWithoutFontkit } from '../../src/font/fonts.js';
import { ROOT } from '../text/helpers.js';

describe.each(['embassy-2017-kazakhstan.yaml', 'sample-company-letter.yaml'])('%s', (name) => {
  it('is laid out and written with fonts read from their tables, fontkit never loaded', async () => {
    const doc = loadDocument(path.join(ROOT, 'content', name));
    const { faces } = layoutLoaded(doc);
    const result = await buildLoaded(doc);
    expect(result.pdf.length).toBeGreaterThan(1000);
    const fonts = Object.values(faces).flatMap((face) => [face.main, ...(face.latin ? [face.latin] : [])]);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(isReadWithoutFontkit(font), font.postscriptName).toBe(true);
  });
});
