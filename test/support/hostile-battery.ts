import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../../src/cli/context.js';
import { startServer, type WireServer } from '../../src/feeds/server.js';
import { silentLogger } from '../../src/log.js';
import { runCycle, type SourceReport } from '../../src/pipeline.js';
import { canonicalizeUrl } from '../../src/store/canonical-url.js';
import { executableContent, feedHtmlFields, jsonFindings, writeSourcesConfig, type Finding } from './hostile-check.js';
import { startHostileSite, type HostileSite, type HostileSiteOptions } from './hostile-server.js';

/**
 * The hostile-input battery as vitest suites: `npm test` runs it with a feed of a few thousand items,
 * `npm run test:stress` with the 100k-item feed (about two CPU minutes of ingest on its own).
 */
export function hostileBattery(options: HostileSiteOptions): void {
  let site: HostileSite;
  let wire: ReturnType<typeof openWire>;
  let server: WireServer;
  let reports: Map<string, SourceReport>;

  beforeAll(async () => {
    site = await startHostileSite(options);
    const { config } = writeSourcesConfig(
      site.sources.map((s) => ({ id: s.id, url: `${site.url}${s.path}`, articles: s.articles })),
      [site.hostPort],
    );
    wire = openWire(config, silentLogger);
    const cycle = await runCycle(wire, config.sources, { articles: true, force: true });
    reports = new Map(cycle.reports.map((r) => [r.source, r]));
    server = await startServer({ config: { ...config, server: { ...config.server, baseUrl: '' } }, store: wire.store, logger: silentLogger, port: 0 });
  }, 900_000);

  afterAll(async () => {
    await server?.close();
    await wire?.close();
    await site?.close();
  });

  async function get(path: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: await response.text() };
  }

  function describeFindings(findings: Finding[]): string {
    return findings.slice(0, 10).map((f) => `${f.where}: ${f.what}`).join('\n');
  }

  describe('hostile sources ingested next to good ones', () => {
    it('reports every source, failures with a named kind, and stores every good source article', () => {
      expect([...reports.keys()].sort()).toEqual(site.sources.map((s) => s.id).sort());
      for (const report of reports.values()) {
        if (report.outcome === 'error') expect(report.error?.kind, report.source).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      }
      for (const source of site.sources.filter((s) => s.good)) {
        expect(reports.get(source.id)?.outcome, source.id).toBe('ok');
        const stored = new Set(wire.store.articles({ limit: 100, source: source.id }).articles.map((a) => a.canonicalUrl));
        for (const link of source.good!.links) expect(stored.has(canonicalizeUrl(link)), `${source.id}: ${link}`).toBe(true);
      }
    });

    it('stores the huge feed whole', () => {
      expect(reports.get('huge')).toMatchObject({ outcome: 'ok', items: site.hugeItems });
      expect(wire.store.db.prepare("SELECT COUNT(*) FROM articles WHERE source_id = 'huge'").pluck().get()).toBe(site.hugeItems);
    });

    it('never expands external or recursive entities', () => {
      const titles = wire.store.db.prepare('SELECT title || COALESCE(text, \'\') FROM articles').pluck().all() as string[];
      expect(titles.some((t) => t.includes('root:x:0'))).toBe(false);
      expect(titles.every((t) => t.length < 1_000_000)).toBe(true);
    });

    it('stores no NUL byte and no lone surrogate from the invalid-UTF-8 feed', () => {
      const texts = wire.store.db.prepare("SELECT title || ' ' || COALESCE(text, '') || ' ' || COALESCE(summary, '') FROM articles WHERE source_id = 'invalid-utf8'").pluck().all() as string[];
      for (const text of texts) {
        expect(text).not.toContain('\u0000');
        expect(text.isWellFormed()).toBe(true);
      }
    });

    it('stores the active-content items, and their HTML holds nothing executable', () => {
      const rows = wire.store.db.prepare("SELECT id, html FROM articles WHERE source_id LIKE 'active-%'").all() as { id: number; html: string | null }[];
      expect(rows.length, JSON.stringify([...reports.values()].filter((r) => r.source.startsWith('active-')))).toBeGreaterThanOrEqual(4);
      const findings = rows.flatMap((r) => (r.html ? executableContent(r.html, `article ${r.id}`) : []));
      expect(findings, describeFindings(findings)).toEqual([]);
    });
  });

  describe('nothing executable reaches readers', () => {
    const feedPaths = (format: string): string[] =>
      ['all', 'source/active-rss', 'source/active-atom', 'source/active-json'].flatMap((feed) =>
        ['', '&full=1'].flatMap((full) => ['', '&stories=0'].map((stories) => `/feeds/${feed}.${format}?limit=50${full}${stories}`)),
      );

    it.each(['rss', 'atom'] as const)('in %s feeds, summaries and full content', async (format) => {
      const findings: Finding[] = [];
      let entries = 0;
      for (const path of feedPaths(format)) {
        const { status, body } = await get(path);
        expect(status, path).toBe(200);
        const fields = feedHtmlFields(body, format);
        entries += fields.length;
        for (const field of fields) findings.push(...executableContent(field.html, `${path} ${field.where}`));
      }
      expect(entries).toBeGreaterThan(0);
      expect(findings, describeFindings(findings)).toEqual([]);
    });

    it('in JSON feeds', async () => {
      const findings: Finding[] = [];
      for (const path of feedPaths('json')) {
        const { status, body } = await get(path);
        expect(status, path).toBe(200);
        findings.push(...jsonFindings(JSON.parse(body), path));
      }
      expect(findings, describeFindings(findings)).toEqual([]);
    });

    it('in the JSON API: lists, single articles, search and stories', async () => {
      const findings: Finding[] = [];
      const ids = wire.store.db.prepare("SELECT id FROM articles WHERE source_id LIKE 'active-%' OR source_id LIKE 'malformed-%' OR source_id = 'invalid-utf8'").pluck().all() as number[];
      const paths = ['/api/articles?limit=50', '/api/articles?limit=50&source=active-rss', '/api/articles?q=pwn', '/api/articles?q=script', '/api/stories?limit=50', '/api/sources', ...ids.map((id) => `/api/articles/${id}`)];
      for (const path of paths) {
        const { status, body } = await get(path);
        expect(status, path).toBe(200);
        findings.push(...jsonFindings(JSON.parse(body), path));
      }
      expect(findings, describeFindings(findings)).toEqual([]);
    });

    it('in the web page: home, search, tags and every hostile article', async () => {
      const findings: Finding[] = [];
      const ids = wire.store.db.prepare("SELECT id FROM articles WHERE source_id <> 'huge'").pluck().all() as number[];
      const paths = ['/', '/search?q=pwn', '/search?q=%3Cscript%3E', '/tag/source/active-rss', ...ids.map((id) => `/article/${id}`)];
      for (const path of paths) {
        const { status, body } = await get(path);
        expect(status, path).toBe(200);
        findings.push(...executableContent(body, path, { page: true }));
      }
      expect(findings, describeFindings(findings)).toEqual([]);
    });
  });
}
