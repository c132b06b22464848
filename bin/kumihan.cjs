#!/usr/bin/env node
// The installed command: runs the bundled CLI (built by `npm ci` through the prepare script).
// CommonJS on purpose: an ES module here would start Node's ES module loader, a cost on every run.
'use strict';

require('../dist/loader.cjs')
  .main(process.argv.slice(2))
  .then((status) => {
    process.exitCode = status;
  });
