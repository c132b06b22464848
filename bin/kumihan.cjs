#!/usr/bin/env node
// The installed command: runs the bundled CLI (built by `npm ci` through the prepare script).
// CommonJS on purpose: an ES module here would start Node's ES module loader, a cost on every run.
'use strict';

const cli = require('../dist/loader.cjs');

cli.main(process.argv.slice(2)).then((status) => {
  process.exitCode = status;
  // Exit now rather than let Node tear the process down piece by piece (its environment, then V8's
  // heap, waiting for the collector's background work): 10–25 ms after a build, as much as a `node -e 1`
  // exit takes in all. Nothing is left to do: files are written synchronously, and so is what was
  // printed, unless it went through Node's streams (then Node exits as usual, once they are written).
  if (cli.outputSettled()) process.exit();
});
