import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

/**
 * The package root (where package.json, config/ and fixtures/ live). The code runs from `src/` under vitest
 * and from `dist/src/` when compiled, so walk up to the nearest package.json instead of hard-coding depth.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('secwire: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

export function configDir(): string {
  return join(packageRoot(), 'config');
}
