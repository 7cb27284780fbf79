import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { exportCommand } from '../../src/cli/commands/export.js';
import { sourcesExportCommand, sourcesImportCommand } from '../../src/cli/commands/opml.js';
import { openWire } from '../../src/cli/context.js';
import { loadConfig, type Config } from '../../src/config/load.js';
import { startFixtureSite, type FixtureSite } from '../../src/demo/fixture-site.js';
import { frontMatterDate } from '../../src/feeds/markdown.js';
import { parseOpml } from '../../src/feeds/opml.js';
import { startServer, type WireServer } from '../../src/feeds/server.js';
import { silentLogger } from '../../src/log.js';
import { runCycle } from '../../src/pipeline.js';
import type { Article } from '../../src/types.js';
import { runFeedparser, runNewsboat } from '../support/feed-clients.js';
import { writeTestConfig } from '../support/wire.js';

interface JsonFeed {
  title: string;
  items: { id: string; title: string; url: string; content_html?: string; date_published: string }[];
}

let site: FixtureSite;
let wire: ReturnType<typeof openWire>;
let server: WireServer;
let config: Config;
let configFile: string;
let topTag: { slug: string; type: string; value: string; name: string; count: number };
let searchWord: string;

/** A word of a title that not every article has: the search and query-watchlist tests look for it. */
function pickSearchWord(articles: Article[]): string {
  const counts = new Map<string, number>();
  for (const article of articles) for (const word of new Set(article.title.toLowerCase().match(/\b[a-z]{6,}\b/g) ?? [])) counts.set(word, (counts.get(word) ?? 0) + 1);
  const candidates = [...counts].filter(([, n]) => n >= 2 && n < articles.length / 2).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return candidates[0]![0];
}

beforeAll(async () => {
  site = await startFixtureSite();
  const written = writeTestConfig(site);
  wire = openWire(written.config, silentLogger);
  await runCycle(wire, written.config.sources, { articles: true, force: false });
  topTag = wire.store.tagCounts(undefined, undefined, 1)[0]!;
  searchWord = pickSearchWord(wire.store.articles({ limit: 500 }).articles);
  // The watchlists need the data: written into the same secwire.yaml after the ingest, as a user would.
  configFile = written.file;
  writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}watchlists:\n  - name: top-tag\n    match: { tags: [${JSON.stringify(topTag.slug)}] }\n  - name: by-word\n    match: { query: ${JSON.stringify(searchWord)} }\n`);
  config = loadConfig({ configPath: configFile, env: {} });
  server = await startServer({ config: { ...config, server: { ...config.server, baseUrl: '' } }, store: wire.store, logger: silentLogger, port: 0 });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await wire?.close();
  await site?.close();
});

async function json<T>(path: string): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

function rawGet(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('feeds per tag, source, watchlist and search', () => {
  it('serves a search feed whose items match and whose title says what it is', async () => {
    const { body } = await json<JsonFeed>(`/feeds/search.json?q=${encodeURIComponent(searchWord)}&limit=500`);
    expect(body.title).toBe(`secwire — search: ${searchWord}`);
    const expected = wire.store.search({ limit: 500, match: { groups: [[{ text: searchWord, phrase: false, prefix: false }]], excluded: [], tags: [], excludedTags: [], sources: [], since: null, until: null, sort: 'date' } }).hits;
    expect(body.items.length).toBe(expected.length);
    expect(body.items.length).toBeGreaterThan(0);
    const dates = body.items.map((i) => i.date_published);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('narrows a search feed with tag= and answers a malformed query with 400 and a clear message', async () => {
    const { body } = await json<JsonFeed>(`/feeds/search.json?tag=${encodeURIComponent(topTag.slug)}&limit=500`);
    expect(body.items.length).toBe(topTag.count);
    expect(body.title).toContain(`tag:${topTag.slug}`);
    const bad = await json<{ error: { kind: string; message: string } }>('/feeds/search.atom?q=tag:bogus:x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.kind).toBe('QueryError');
    expect(bad.body.error.message).toMatch(/unknown tag type "bogus"/);
  });

  it('answers /api/articles?q= with snippets, and 400 for a bad query', async () => {
    const { status, body } = await json<{ articles: (Article & { snippet: string | null })[] }>(`/api/articles?q=${encodeURIComponent(searchWord)}`);
    expect(status).toBe(200);
    expect(body.articles.length).toBeGreaterThan(0);
    expect(body.articles.every((a) => `${a.title} ${a.text}`.toLowerCase().includes(searchWord))).toBe(true);
    const bad = await json<{ error: { kind: string } }>('/api/articles?q=since:notadate');
    expect(bad.status).toBe(400);
    expect(bad.body.error.kind).toBe('QueryError');
  });

  it('serves watchlist feeds by tag (any of) and by query, and 404 for an unknown one', async () => {
    const byTag = await json<JsonFeed>('/feeds/watchlist/top-tag.json?limit=500');
    expect(byTag.body.title).toBe('secwire — watchlist: top-tag');
    expect(byTag.body.items.length).toBe(topTag.count);
    const byWord = await json<JsonFeed>('/feeds/watchlist/by-word.json?limit=500');
    expect(byWord.body.items.length).toBeGreaterThan(0);
    for (const item of byWord.body.items) {
      const article = wire.store.articles({ limit: 500 }).articles.find((a) => a.url === item.url)!;
      expect(`${article.title} ${article.text}`.toLowerCase()).toMatch(new RegExp(`\\b${searchWord}\\b`));
    }
    expect((await fetch(`${server.url}/feeds/watchlist/nope.rss`)).status).toBe(404);
  });

  it('takes limit, full=1 and since on every kind of feed', async () => {
    const paths = ['/feeds/all', `/feeds/source/${site.outlets[0]!.id}`, `/feeds/tag/${topTag.type}/${encodeURIComponent(topTag.value)}`, '/feeds/watchlist/top-tag', `/feeds/search?q=${searchWord}`];
    for (const path of paths) {
      const [route, query = ''] = path.split('?');
      const url = (params: string): string => `${route}.json?${[query, params].filter(Boolean).join('&')}`;
      const limited = await json<JsonFeed>(url('limit=1'));
      expect(limited.body.items, path).toHaveLength(1);
      const full = await json<JsonFeed>(url('limit=1&full=1'));
      // Without full=1 the summary stands in for the content (JSON Feed wants one); with it, the whole article.
      expect(full.body.items[0]!.content_html!.length, path).toBeGreaterThan(limited.body.items[0]!.content_html!.length);
      const future = await json<JsonFeed>(url('since=2999-01-01'));
      expect(future.body.items, path).toHaveLength(0);
      expect((await fetch(`${server.url}${url('since=yesterday-ish')}`)).status, path).toBe(400);
    }
  });

  it('is read by feedparser (bozo 0) and newsboat with the same titles and counts', async () => {
    for (const path of [`/feeds/search.rss?q=${searchWord}`, '/feeds/watchlist/top-tag.atom', '/feeds/all.rss?limit=500']) {
      const url = `${server.url}${path}`;
      const parsed = await runFeedparser(url);
      expect(parsed.bozo, `${url}: ${parsed.bozoException}`).toBe(0);
      expect(parsed.feed.title).toMatch(/^secwire — (search: |watchlist: |all security news)/);
      const newsboat = await runNewsboat([url]);
      expect(newsboat.errorLog).toBe('');
      expect(newsboat.items).toHaveLength(parsed.entries.length);
      expect(newsboat.feeds[0]!.title).toBe(parsed.feed.title);
    }
  }, 60_000);
});

describe('HTTP behaviour of the feeds', () => {
  it('sends Cache-Control from the schedule, answers HEAD without a body, and brotli that decodes to the same bytes', async () => {
    const plain = await rawGet('/feeds/watchlist/top-tag.atom', {});
    expect(plain.headers['cache-control']).toBe('public, max-age=225'); // */15 schedule: a quarter of 15 minutes
    const head = await rawGet('/feeds/watchlist/top-tag.atom', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['etag']).toBe(plain.headers['etag']);
    const br = await rawGet('/feeds/watchlist/top-tag.atom', { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    const notModified = await rawGet('/feeds/watchlist/top-tag.atom', { 'if-none-match': String(plain.headers['etag']) });
    expect(notModified.status).toBe(304);
  });

  it('lists every generated feed in /opml', async () => {
    const response = await fetch(`${server.url}/opml`);
    expect(response.headers.get('content-type')).toMatch(/opml/);
    const feeds = parseOpml(await response.text());
    const urls = feeds.map((f) => f.xmlUrl);
    expect(urls).toContain(`${server.url}/feeds/all.atom`);
    for (const outlet of site.outlets) expect(urls).toContain(`${server.url}/feeds/source/${outlet.id}.atom`);
    expect(urls).toContain(`${server.url}/feeds/watchlist/by-word.atom`);
    expect(urls).toContain(`${server.url}/feeds/tag/${topTag.type}/${encodeURIComponent(topTag.value)}.atom`);
    expect(feeds.every((f) => f.title?.startsWith('secwire — '))).toBe(true);
  });
});

describe('the web page', () => {
  it('serves escaped HTML under a strict CSP: home, tag, article, search, and a 400 for a bad search', async () => {
    const home = await fetch(`${server.url}/`);
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(home.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const html = await home.text();
    expect(html).toContain('href="/assets/style.css"');
    expect(html).not.toMatch(/<script/i);
    const tag = await (await fetch(`${server.url}/tag/${topTag.type}/${encodeURIComponent(topTag.value)}`)).text();
    expect(tag).toContain(`/feeds/tag/${topTag.type}/`);
    expect(tag).toContain('Subscribe');
    const first = wire.store.articles({ limit: 1 }).articles[0]!;
    const article = await (await fetch(`${server.url}/article/${first.id}`)).text();
    expect(article).toContain(`href="${first.url.replace(/&/g, '&amp;')}"`);
    const search = await fetch(`${server.url}/search?q=${encodeURIComponent(`${searchWord} <script>alert(1)</script>`)}`);
    const searchHtml = await search.text();
    expect(searchHtml).not.toContain('<script>alert(1)</script>');
    expect(searchHtml).toContain('&lt;script&gt;');
    const bad = await fetch(`${server.url}/search?q=tag:bogus:x`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('unknown tag type');
    const missing = await fetch(`${server.url}/article/999999`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe('stories in /feeds/all', () => {
  it('gives one entry per story with the other outlets listed, and one per article with stories=0', async () => {
    const perArticle = await json<JsonFeed>('/feeds/all.json?limit=500&stories=0');
    expect(perArticle.body.items).toHaveLength(wire.store.articleCount());
    const perStory = await json<JsonFeed>('/feeds/all.json?limit=500');
    const storyIds = new Set(wire.store.articles({ limit: 500 }).articles.map((a) => (a.story === null ? `a${a.id}` : `s${a.story}`)));
    expect(perStory.body.items).toHaveLength(storyIds.size);
    expect(perStory.body.items.length).toBeLessThan(perArticle.body.items.length);
    expect(new Set(perStory.body.items.map((i) => i.id)).size).toBe(perStory.body.items.length);
    const merged = perStory.body.items.filter((i) => /Also covered by/.test(i.content_html ?? ''));
    expect(merged.length).toBeGreaterThan(0);
    const limited = await json<JsonFeed>('/feeds/all.json?limit=3');
    expect(limited.body.items.map((i) => i.id)).toEqual(perStory.body.items.slice(0, 3).map((i) => i.id));
    const inStory = wire.store.articles({ limit: 500 }).articles.find((a) => (wire.store.storyOf(a.id)?.articles.length ?? 0) > 1)!;
    const page = await (await fetch(`${server.url}/article/${inStory.id}`)).text();
    expect(page).toContain('<h2>Also covered by</h2>');
    for (const member of wire.store.storyOf(inStory.id)!.articles.filter((m) => m.id !== inStory.id)) expect(page).toContain(`href="/article/${member.id}"`);
    const stories = await json<{ stories: { articles: unknown[] }[] }>('/api/stories?limit=5');
    expect(stories.status).toBe(200);
    expect(stories.body.stories.length).toBeGreaterThan(0);
  });
});

// The exports below run synchronously for seconds in this process, which also hosts the server: a kept-alive
// socket can time out on the server side while the loop is blocked, so HTTP tests stay above them.
describe('secwire export', () => {
  let stdout: string[];
  beforeAll(() => {
    stdout = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it('writes one feed to a file, and to stdout without --out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-export-'));
    const file = join(dir, 'apt.atom');
    expect(exportCommand({ config: configFile, format: 'atom', tag: [topTag.slug], out: file, limit: 500 })).toBe(0);
    const parsed = await runFeedparser(file);
    expect(parsed.bozo).toBe(0);
    expect(parsed.entries).toHaveLength(topTag.count);
    stdout.length = 0;
    expect(exportCommand({ config: configFile, format: 'json', query: searchWord, limit: 2 })).toBe(0);
    const feed = JSON.parse(stdout.join('')) as JsonFeed;
    expect(feed.items).toHaveLength(2);
    expect(feed.title).toContain(`search: ${searchWord}`);
  });

  it('writes a static site of every feed plus an index and OPML for --out DIR', () => {
    const dir = `${mkdtempSync(join(tmpdir(), 'secwire-site-'))}/`;
    expect(exportCommand({ config: configFile, format: 'rss', out: dir, baseUrl: 'https://wire.example.org/news' })).toBe(0);
    const index = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(index).toContain('feeds/all.rss');
    const feeds = parseOpml(readFileSync(join(dir, 'opml.xml'), 'utf8'));
    for (const feed of feeds) {
      expect(feed.xmlUrl.startsWith('https://wire.example.org/news/feeds/')).toBe(true);
      const relative = decodeURIComponent(feed.xmlUrl.slice('https://wire.example.org/news/'.length));
      expect(readFileSync(join(dir, relative), 'utf8')).toContain('<rss');
    }
    expect(feeds.length).toBe(1 + site.outlets.length + 2 + Math.min(30, wire.store.tagCounts(undefined, undefined, 1000).length));
    expect(readFileSync(join(dir, 'feeds/all.rss'), 'utf8')).toContain('<atom:link href="https://wire.example.org/news/feeds/all.rss"');
  });

  it('writes Markdown whose front matter reads back to the stored article', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-md-'));
    expect(exportCommand({ config: configFile, format: 'markdown', out: dir })).toBe(0);
    const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
    expect(files).toHaveLength(wire.store.articleCount());
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      const [, frontMatter, body] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(text)!;
      const matter = parseYaml(frontMatter!) as Record<string, unknown>;
      const id = Number(/-(\d+)\.md$/.exec(file)![1]);
      const article = wire.store.article(id)!;
      const tags = wire.store.articleTags(id);
      expect(matter['title']).toBe(article.title);
      expect(matter['date']).toBe(frontMatterDate(article.published ?? article.firstSeen));
      expect(file.startsWith((article.published ?? article.firstSeen).slice(0, 10))).toBe(true);
      expect(matter['tags']).toEqual(tags.map((t) => t.slug));
      expect(matter['categories']).toEqual([...new Set(tags.map((t) => t.type))]);
      expect(matter['url']).toBe(article.url);
      expect(matter['source']).toBe(site.outlets.find((o) => o.id === article.source)?.name);
      expect(matter['thumbnail'] ?? null).toBe(article.image);
      expect(body).toMatch(/^## /);
      expect(body).not.toMatch(/<(div|span|script|p)\b/);
    }
  });

  it('writes the generated feeds as OPML', () => {
    stdout.length = 0;
    expect(exportCommand({ config: configFile, format: 'opml' })).toBe(0);
    const feeds = parseOpml(stdout.join(''));
    expect(feeds.map((f) => f.xmlUrl)).toContain('http://127.0.0.1:8080/feeds/watchlist/top-tag.atom');
  });
});

describe('secwire sources import and export', () => {
  const FRESHRSS = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>FreshRSS</title></head><body>
  <outline text="Security">
    <outline text="Example CERT &amp; Friends" type="rss" xmlUrl="https://cert.example.org/feed.xml" htmlUrl="https://cert.example.org/" />
    <outline text="Vendors"><outline type="rss" xmlUrl="https://blog.vendor.example/rss" /></outline>
  </outline>
</body></opml>`;
  const FEEDLY = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Feedly</title></head><body>
  <outline text="infosec" title="infosec">
    <outline type="rss" text="Outlet One" title="Outlet One" xmlUrl="https://one.example.com/feed/" htmlUrl="https://one.example.com"/>
    <outline type="rss" text="Example CERT dup" title="Example CERT dup" xmlUrl="https://cert.example.org/feed.xml?utm_source=feedly"/>
  </outline>
</body></opml>`;
  const MINIFLUX = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Miniflux</title></head><body>
  <outline text="All"><outline title="Outlet One" text="Outlet One" xmlURL="https://two.example.com/atom.xml" type="rss"></outline>
  <outline title="gopher" text="gopher" xmlUrl="gopher://old.example/feed" type="rss"></outline></outline>
</body></opml>`;

  it('merges FreshRSS, Feedly and Miniflux files into secwire.yaml (nested, untitled, duplicates) and exports them back', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'secwire-opml-'));
      const file = join(dir, 'secwire.yaml');
      writeFileSync(file, '# my wire\nsources:\n  - include: default\n');
      for (const [name, text] of Object.entries({ FRESHRSS, FEEDLY, MINIFLUX })) {
        writeFileSync(join(dir, `${name}.opml`), text);
        expect(sourcesImportCommand(join(dir, `${name}.opml`), { config: file })).toBe(0);
      }
      const yamlText = readFileSync(file, 'utf8');
      expect(yamlText.startsWith('# my wire\n')).toBe(true);
      const loaded = loadConfig({ configPath: file, env: {} });
      const added = loaded.sources.slice(-4).map((s) => ({ id: s.id, name: s.name, url: s.url }));
      expect(added).toEqual([
        { id: 'example-cert-friends', name: 'Example CERT & Friends', url: 'https://cert.example.org/feed.xml' },
        { id: 'blog-vendor-example', name: 'blog.vendor.example', url: 'https://blog.vendor.example/rss' },
        { id: 'outlet-one', name: 'Outlet One', url: 'https://one.example.com/feed/' },
        { id: 'outlet-one-2', name: 'Outlet One', url: 'https://two.example.com/atom.xml' },
      ]);
      // Importing the same file again adds nothing.
      expect(sourcesImportCommand(join(dir, 'FEEDLY.opml'), { config: file })).toBe(0);
      expect(loadConfig({ configPath: file, env: {} }).sources).toHaveLength(loaded.sources.length);
      const exported = join(dir, 'export.opml');
      expect(sourcesExportCommand({ config: file, out: exported })).toBe(0);
      const back = parseOpml(readFileSync(exported, 'utf8'));
      expect(back.map((f) => ({ title: f.title, xmlUrl: f.xmlUrl }))).toEqual(loaded.sources.map((s) => ({ title: s.name, xmlUrl: s.url })));
    } finally {
      vi.restoreAllMocks();
    }
  });
});
