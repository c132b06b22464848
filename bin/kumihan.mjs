#!/usr/bin/env node
// The installed command: runs the bundled CLI (built by `npm ci` through the prepare script).
import { main } from '../dist/cli.mjs';

process.exitCode = await main(process.argv.slice(2));
