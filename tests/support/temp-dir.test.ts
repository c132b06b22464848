import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';

// The run's own temp directory (tests/support/bundle.ts): what tests leave there is removed when the run ends.
test('tests make their temp directories inside the run’s own temp directory', () => {
  expect(path.basename(os.tmpdir())).toMatch(/^kumihan-tests-/);
});
