#!/usr/bin/env node
// The command's first name, kept so that scripts written against it still work. The command is
// bin/kumihan.cjs (package.json "bin"): CommonJS, because an ES module entry point like this one starts
// Node's ES module loader first, a few milliseconds on every run.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./kumihan.cjs');
