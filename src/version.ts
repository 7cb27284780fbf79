import { readFileSync } from 'node:fs';

interface PackageJson {
  version: string;
  homepage: string;
}

// Read at run time so the compiled file and the sources agree on one version.
const packageJson = JSON.parse(
  readFileSync(new URL(import.meta.url.includes('/dist/') ? '../../package.json' : '../package.json', import.meta.url), 'utf8'),
) as PackageJson;

export const VERSION = packageJson.version;
export const HOMEPAGE = packageJson.homepage;
export const DEFAULT_USER_AGENT = `secwire/${VERSION} (+${HOMEPAGE})`;
