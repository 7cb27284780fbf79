import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/config/load.js';
import type { FixtureSite } from '../../src/demo/fixture-site.js';

export interface ExtraSource {
  id: string;
  name?: string;
  path: string;
  articles?: boolean;
}

/**
 * A real secwire.yaml in a temp dir, pointing at the fixture site's outlets (and any extra fixture paths),
 * with the site's host:port allowed past the private-address guard. Returns the file and the loaded config.
 */
export function writeTestConfig(site: FixtureSite, options: { extra?: ExtraSource[]; outlets?: boolean; fetch?: Record<string, unknown> } = {}): { file: string; dir: string; config: Config } {
  const dir = mkdtempSync(join(tmpdir(), 'secwire-e2e-'));
  const sources = [
    ...(options.outlets === false ? [] : site.outlets.map((o) => ({ id: o.id, name: o.name, url: o.feedUrl, articles: o.articles }))),
    ...(options.extra ?? []).map((e) => ({ id: e.id, name: e.name ?? e.id, url: `${site.url}${e.path}`, articles: e.articles ?? false })),
  ];
  const yaml = {
    database: join(dir, 'secwire.db'),
    server: { host: '127.0.0.1', port: 0, baseUrl: 'http://127.0.0.1:8080' },
    fetch: { allowPrivateHosts: [`${site.host}:${site.port}`], ...options.fetch },
    sources,
    log: { level: 'silent' },
  };
  const file = join(dir, 'secwire.yaml');
  writeFileSync(file, stringify(yaml));
  return { file, dir, config: loadConfig({ configPath: file, env: {} }) };
}
