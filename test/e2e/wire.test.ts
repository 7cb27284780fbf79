import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../../src/cli/context.js';
import { ENCODING_CASES, FIXTURE_FAULTS, startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { startServer, type WireServer } from '../../src/feeds/server.js';
import { silentLogger } from '../../src/log.js';
import { runCycle, type SourceReport } from '../../src/pipeline.js';
import { canonicalizeUrl } from '../../src/store/canonical-url.js';
import { runFeedparser, runNewsboat } from '../support/feed-clients.js';
import { writeTestConfig } from '../support/wire.js';

let site: FixtureSite;
beforeAll(async () => {
  site = await startFixtureSite();
});
afterAll(async () => {
  await site.close();
});

describe('the wire end to end on the fixture site', () => {
  let wire: ReturnType<typeof openWire>;
  let server: WireServer;
  let firstRun: SourceReport[];
  let secondRun: SourceReport[];
  let changesAfterFirst: number;
  let changesAfterSecond: number;

  beforeAll(async () => {
    const { config } = writeTestConfig(site);
    wire = openWire(config, silentLogger);
    firstRun = (await runCycle(wire, config.sources, { articles: true, force: false })).reports;
    changesAfterFirst = articleWrites();
    secondRun = (await runCycle(wire, config.sources, { articles: true, force: false })).reports;
    changesAfterSecond = articleWrites();
    server = await startServer({ config: { ...config, server: { ...config.server, baseUrl: '' } }, store: wire.store, logger: silentLogger, port: 0 });
  }, 120_000);
  afterAll(async () => {
    await server.close();
    await wire.close();
  });

  function articleWrites(): number {
    return wire.store.db.prepare("SELECT COUNT(*) + COALESCE(SUM(length(title) + length(COALESCE(text, ''))), 0) FROM articles").pluck().get() as number;
  }

  it('ingests every outlet and stores each article page once', () => {
    expect(firstRun.every((r) => r.outcome === 'ok')).toBe(true);
    const pages = new Set(site.articles.map((a) => canonicalizeUrl(a.url)));
    expect(wire.store.articleCount()).toBe(pages.size);
    const duplicates = firstRun.reduce((sum, r) => sum + r.duplicates, 0);
    expect(duplicates).toBeGreaterThanOrEqual(1);
  });

  it('merges the item that two outlets carry, one with tracking parameters', () => {
    const sightings = wire.store.db
      .prepare("SELECT article_id, COUNT(DISTINCT source_id) AS sources, GROUP_CONCAT(url, ' ') AS urls FROM sightings GROUP BY article_id HAVING sources > 1")
      .all() as { article_id: number; sources: number; urls: string }[];
    expect(sightings.some((s) => /utm_/.test(s.urls))).toBe(true);
  });

  it('does no article writes on a second run with unchanged feeds (conditional GET)', () => {
    expect(secondRun.every((r) => r.outcome === 'not-modified')).toBe(true);
    expect(changesAfterSecond).toBe(changesAfterFirst);
    const conditional = site.requestLog.filter((r) => r.headers['if-none-match'] || r.headers['if-modified-since']);
    expect(conditional.length).toBeGreaterThanOrEqual(site.outlets.length);
  });

  it('extracts article pages for outlets with truncated feeds', () => {
    const extracted = firstRun.reduce((sum, r) => sum + r.extracted, 0);
    expect(extracted).toBeGreaterThan(0);
    const failed = firstRun.reduce((sum, r) => sum + r.extractFailed, 0);
    expect(failed).toBe(0);
  });

  it('serves the merged wire newest first in all three formats, read back by rss-parser', async () => {
    const parser = new Parser();
    const counts: number[] = [];
    for (const format of ['rss', 'atom', 'json'] as const) {
      // stories=0: one entry per article (the default is one per story, tested in feeds-out).
      const response = await fetch(`${server.url}/feeds/all.${format}?limit=500&stories=0`);
      expect(response.status).toBe(200);
      const body = await response.text();
      if (format === 'json') {
        const feed = JSON.parse(body) as { version: string; items: { date_published: string; title: string }[] };
        expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
        counts.push(feed.items.length);
        const dates = feed.items.map((i) => i.date_published);
        expect([...dates].sort().reverse()).toEqual(dates);
      } else {
        const feed = await parser.parseString(body);
        counts.push(feed.items.length);
      }
    }
    expect(new Set(counts)).toEqual(new Set([wire.store.articleCount()]));
  });

  it('answers 304 to a conditional request and 404 to unknown paths', async () => {
    const first = await fetch(`${server.url}/feeds/all.atom`);
    const etag = first.headers.get('etag')!;
    expect(first.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const second = await fetch(`${server.url}/feeds/all.atom`, { headers: { 'If-None-Match': etag } });
    expect(second.status).toBe(304);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    expect((await fetch(`${server.url}/feeds/source/nope.rss`)).status).toBe(404);
    expect((await fetch(`${server.url}/feeds/all.atom?limit=abc`)).status).toBe(400);
  });

  it('serves per-source and per-tag feeds and the JSON API', async () => {
    const outlet = site.outlets[0]!;
    const sourceFeed = (await (await fetch(`${server.url}/feeds/source/${outlet.id}.json`)).json()) as { items: unknown[]; title: string };
    expect(sourceFeed.items.length).toBe(wire.store.articles({ limit: 500, source: outlet.id }).articles.length);
    expect(sourceFeed.title).toContain(outlet.name);
    const api = (await (await fetch(`${server.url}/api/articles?limit=5`)).json()) as { articles: { id: number }[]; nextCursor: string };
    expect(api.articles).toHaveLength(5);
    const next = (await (await fetch(`${server.url}/api/articles?limit=5&cursor=${api.nextCursor}`)).json()) as { articles: { id: number }[] };
    expect(next.articles.map((a) => a.id)).not.toContain(api.articles[0]!.id);
    const sources = (await (await fetch(`${server.url}/api/sources`)).json()) as { sources: { id: string; etag?: string }[] };
    expect(sources.sources.map((s) => s.id).sort()).toEqual(site.outlets.map((o) => o.id).sort());
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('emits feeds that python feedparser reads with bozo == 0 and newsboat reads with the same item count', async () => {
    const total = wire.store.articleCount();
    // Neither Debian client reads JSON Feed; it is checked against its spec in src/feeds.
    for (const format of ['rss', 'atom']) {
      const url = `${server.url}/feeds/all.${format}?limit=500&stories=0`;
      const parsed = await runFeedparser(url);
      expect(parsed.bozo, `${url}: ${parsed.bozoException}`).toBe(0);
      expect(parsed.entries).toHaveLength(total);
      // newsboat keys items by guid across its whole cache: one run per format.
      const newsboat = await runNewsboat([url]);
      expect(newsboat.errorLog).toBe('');
      expect(newsboat.items).toHaveLength(total);
    }
  }, 60_000);
});

describe('sources that fail', () => {
  it('reports a 500, a timeout and an HTML page each with a named kind, and stores the others', async () => {
    const { config } = writeTestConfig(site, {
      outlets: false,
      extra: [
        { id: 'broken', path: FIXTURE_FAULTS.serverError },
        { id: 'hangs', path: FIXTURE_FAULTS.hang },
        { id: 'html', path: FIXTURE_FAULTS.htmlNotFeed },
        { id: 'good', path: new URL(site.outlets[0]!.feedUrl).pathname },
      ],
      fetch: { timeoutMs: 1500, headersTimeoutMs: 1000 },
    });
    const wire = openWire(config, silentLogger);
    try {
      const { reports } = await runCycle(wire, config.sources, { articles: false, force: false });
      const byId = Object.fromEntries(reports.map((r) => [r.source, r]));
      expect(byId['broken']!.error?.kind).toBe('Http5xx');
      expect(byId['hangs']!.error?.kind).toBe('Timeout');
      expect(byId['html']!.error?.kind).toBe('NotAFeed');
      expect(JSON.stringify(byId['html']!.error?.details)).toContain('/feed.xml');
      expect(byId['good']!.outcome).toBe('ok');
      expect(wire.store.articleCount()).toBeGreaterThan(0);
      expect(wire.store.sourceState('broken')).toMatchObject({ errorKind: 'Http5xx', consecutiveErrors: 1 });
    } finally {
      await wire.close();
    }
  }, 30_000);
});

describe('feeds in the encodings publishers use', () => {
  it.each(ENCODING_CASES)('$path decodes to the right text', async (testCase) => {
    const { config } = writeTestConfig(site, { outlets: false, extra: [{ id: 'enc', path: testCase.path }] });
    const wire = openWire(config, silentLogger);
    try {
      const { reports } = await runCycle(wire, config.sources, { articles: false, force: false });
      expect(reports[0]!.error).toBeNull();
      expect(wire.store.articles({ limit: 5 }).articles.map((a) => a.title)).toEqual([testCase.expectedItemTitle]);
      expect(wire.store.sourceState('enc')!.feedTitle).toBe(testCase.expectedTitle);
    } finally {
      await wire.close();
    }
  });
});
