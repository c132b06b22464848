// ES module resolve hook for tests/support/module-spy.cjs: records imports of the mupdf package.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (specifier === 'mupdf' || specifier.startsWith('mupdf/') || /\/node_modules\/mupdf\//.test(result.url)) {
    appendFileSync(log, `import ${specifier} -> ${result.url}\n`);
  }
  return result;
}
