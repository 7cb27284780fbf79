import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig, loadShippedSources } from './load.js';

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'secwire-config-'));
  const file = join(dir, 'secwire.yaml');
  writeFileSync(file, text);
  return file;
}

function loadError(text: string): ConfigError {
  const file = writeConfig(text);
  try {
    loadConfig({ configPath: file, env: {} });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses the defaults of INTERFACE.md with no file', () => {
    const config = loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'secwire-empty-')) });
    expect(config.file).toBeNull();
    expect(config.server).toEqual({ host: '127.0.0.1', port: 8080, baseUrl: 'http://127.0.0.1:8080' });
    expect(config.schedule).toBe('*/15 * * * *');
    expect(config.fetch.timeoutMs).toBe(20000);
    expect(config.fetch.maxBytes).toBe(10485760);
    expect(config.fetch.maxRedirects).toBe(5);
    expect(config.fetch.concurrency).toBe(16);
    expect(config.fetch.perHostConcurrency).toBe(2);
    expect(config.fetch.allowPrivateHosts).toEqual([]);
    expect(config.retention.days).toBe(365);
    expect(config.database.endsWith(join('data', 'secwire.db'))).toBe(true);
    expect(config.sources.length).toBeGreaterThanOrEqual(31);
  });

  it('reads keys, applies the default schedule to sources and lets the environment override', () => {
    const file = writeConfig(`
database: ./x.db
server: { port: 9000 }
schedule: "*/5 * * * *"
fetch:
  timeoutMs: 1000
  allowPrivateHosts: ["127.0.0.1:8081"]
sources:
  - id: one
    name: One
    url: https://example.com/feed.xml
  - id: two
    name: Two
    url: https://example.org/rss
    schedule: "0 * * * *"
    articles: true
    tags: [vendor:fortinet]
`);
    const config = loadConfig({ configPath: file, env: { SECWIRE_PORT: '9100' } });
    expect(config.server.port).toBe(9100);
    expect(config.fetch.timeoutMs).toBe(1000);
    expect(config.fetch.allowPrivateHosts).toEqual(['127.0.0.1:8081']);
    expect(config.sources.map((s) => [s.id, s.schedule, s.articles, s.tags])).toEqual([
      ['one', '*/5 * * * *', false, []],
      ['two', '0 * * * *', true, ['vendor:fortinet']],
    ]);
  });

  it('keeps the shipped list with include: default', () => {
    const file = writeConfig('sources:\n  - include: default\n  - id: mine\n    name: Mine\n    url: https://example.com/f\n');
    const config = loadConfig({ configPath: file, env: {} });
    expect(config.sources.length).toBe(loadShippedSources().length + 1);
  });

  it('names file, line and key for a typo', () => {
    const error = loadError('server:\n  host: 127.0.0.1\n  prot: 8080\n');
    expect(error.line).toBe(3);
    expect(error.key).toBe('server.prot');
    expect(error.message).toMatch(/secwire\.yaml:3: server\.prot: unknown key "prot"/);
  });

  it('reads the search plan keys and refuses a window that is not a positive integer', () => {
    const config = loadConfig({ configPath: writeConfig('search:\n  relevanceWindow: 50\n  walkBudget: 500\n'), env: {} });
    expect(config.search).toEqual({ relevanceWindow: 50, walkBudget: 500 });
    expect(loadConfig({ configPath: writeConfig('schedule: "*/15 * * * *"\n'), env: {} }).search).toEqual({});
    const error = loadError('search:\n  relevanceWindow: 0\n');
    expect(error.line).toBe(2);
    expect(error.key).toBe('search.relevanceWindow');
  });

  it('names file, line and key for a wrong type', () => {
    const error = loadError('schedule: "*/15 * * * *"\nfetch:\n  timeoutMs: "soon"\n');
    expect(error.line).toBe(3);
    expect(error.key).toBe('fetch.timeoutMs');
  });

  it('points into the source entry that is wrong', () => {
    const error = loadError('sources:\n  - id: ok\n    name: OK\n    url: https://example.com/a\n  - id: bad\n    name: Bad\n    url: ftp://example.com/b\n');
    expect(error.line).toBe(7);
    expect(error.key).toBe('sources[1](bad).url');
  });

  it('rejects invalid cron expressions and YAML syntax errors with a line', () => {
    expect(loadError('schedule: "every hour"\n').key).toBe('schedule');
    expect(loadError('server:\n  host: [unclosed\n').line).not.toBeNull();
  });

  it('reports a missing --config file', () => {
    expect(() => loadConfig({ configPath: '/nonexistent/secwire.yaml', env: {} })).toThrow(/not found/);
  });
});
