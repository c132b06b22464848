import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Bundles the CLI once, for the tests that run the installed command.
    globalSetup: ['tests/support/bundle.ts'],
    // Builds and PDF renders take a few hundred milliseconds each on a 2-core machine; no test asserts on time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
