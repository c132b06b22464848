/**
 * pdfkit, fontkit and zod are pinned to exact versions (package.json, no ^ or ~) because kumihan relies on
 * their internals (see the other tests in tests/contracts/). The installed versions must be the pinned
 * ones, and package-lock.json must agree, so that an upgrade is always a deliberate edit of the pin —
 * after which these contract tests say what to re-check.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/files.js';
import { installedVersion } from './contract.js';

const PINNED = ['pdfkit', 'fontkit', 'zod'] as const;

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dependencies?: Record<string, string> }>;
};

describe.each(PINNED)('%s', (name) => {
  const pinned = pkg.dependencies[name];

  it('is pinned to an exact version in package.json', () => {
    expect(pinned, `package.json pins ${name} to "${pinned}": use an exact version (its internals are relied on)`).toMatch(
      /^\d+\.\d+\.\d+$/,
    );
  });

  it('is installed (and locked) at the pinned version', () => {
    expect(installedVersion(name), `node_modules/${name} is not the pinned ${pinned}: run npm ci`).toBe(pinned);
    expect(lock.packages[''].dependencies?.[name], `package-lock.json does not pin ${name} as package.json does`).toBe(pinned);
    expect(lock.packages[`node_modules/${name}`]?.version, `package-lock.json locks another ${name}`).toBe(pinned);
  });
});

it('pdfkit uses the same fontkit as kumihan (one copy, the pinned one)', () => {
  // kumihan's fonts are read against fontkit's answers and handed to pdfkit: both must be this fontkit.
  const fromPdfkit = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('pdfkit')).resolve('fontkit');
  const fromKumihan = createRequire(path.join(ROOT, 'package.json')).resolve('fontkit');
  expect(fromPdfkit).toBe(fromKumihan);
});
