/** Which content files a command works on by default: content/*.yaml, the project's own layout. */
import fs from 'node:fs';
import path from 'node:path';

/** content/*.yaml under `root`, as `content/<name>.yaml`, sorted by name so that order (and output) is stable. */
export function defaultContentFiles(root: string): string[] {
  const dir = path.join(root, 'content');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => path.join('content', f));
}
