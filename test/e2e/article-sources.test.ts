import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWire } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { runCycle } from '../../src/pipeline.js';

const SOURCES = 4;
const ITEMS = 5;

/** Feeds /feed-S.xml of ITEMS items each, whose pages /s-S/I.html hold a few paragraphs; page requests are logged in order. */
function startSite(pageRequests: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const feed = /^\/feed-(\d+)\.xml$/.exec(url);
    if (feed) {
      const source = feed[1];
      const items = Array.from({ length: ITEMS }, (_, item) => `<item><title>Source ${source} story ${item}</title><link>${base}/s-${source}/${item}.html</link><guid>s${source}-${item}</guid></item>`);
      response.writeHead(200, { 'content-type': 'application/rss+xml' });
      response.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Feed ${source}</title><link>${base}/</link>${items.join('')}</channel></rss>`);
      return;
    }
    const page = /^\/s-(\d+)\/(\d+)\.html$/.exec(url);
    if (page) {
      pageRequests.push(`s${page[1]}`);
      const words = `Story ${page[2]} of source ${page[1]}: researchers describe how the flaw was found, patched and disclosed to the vendor.`;
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html><head><title>Story ${page[2]}</title></head><body><article><h1>Story ${page[2]}</h1><p>${words}</p><p>${words}</p><p>${words}</p></article></body></html>`);
      return;
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('fetch.articleSources', () => {
  const pageRequests: string[] = [];
  let server: Server;
  beforeAll(async () => {
    server = await startSite(pageRequests);
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('with 1, fetches the pages of one source after another and still stores every article', async () => {
    const port = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'secwire-article-sources-'));
    const file = join(dir, 'secwire.yaml');
    writeFileSync(
      file,
      stringify({
        database: join(dir, 'secwire.db'),
        fetch: { allowPrivateHosts: [`127.0.0.1:${port}`], articleSources: 1, perHostConcurrency: 8 },
        sources: Array.from({ length: SOURCES }, (_, source) => ({ id: `s${source}`, name: `Source ${source}`, url: `http://127.0.0.1:${port}/feed-${source}.xml`, articles: true })),
        log: { level: 'silent' },
      }),
    );
    const config = loadConfig({ configPath: file, env: {} });
    expect(config.fetch.articleSources).toBe(1);
    const wire = openWire(config, silentLogger);
    try {
      const { reports } = await runCycle(wire, config.sources, { articles: true, force: false });
      expect(reports.map((r) => [r.outcome, r.new, r.extracted])).toEqual(Array.from({ length: SOURCES }, () => ['ok', ITEMS, ITEMS]));
      // Each source's page requests form one run: no source's pages start before the previous source's are done.
      const runs = pageRequests.filter((source, index) => source !== pageRequests[index - 1]);
      expect(pageRequests).toHaveLength(SOURCES * ITEMS);
      expect(runs).toHaveLength(SOURCES);
    } finally {
      await wire.close();
    }
  });

  it('defaults to 8 sources at once', () => {
    expect(loadConfig({ env: {}, cwd: mkdtempSync(join(tmpdir(), 'secwire-article-sources-')) }).fetch.articleSources).toBe(8);
  });
});
