import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { sourcesAddCommand } from '../../src/cli/commands/sources-add.js';
import { openWire } from '../../src/cli/context.js';
import { loadConfig, type Config } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { canonicalizeUrl } from '../../src/store/canonical-url.js';
import { ingestSource } from '../../src/pipeline.js';
import type { SourceConfig } from '../../src/types.js';
import { HTML, JSON_TYPE, RSS, startKindsSite, type KindsSite } from '../support/kinds-site.js';

const KEV_MAPPING = {
  items: 'vulnerabilities',
  id: 'cveID',
  title: 'CISA adds {cveID} ({vendorProject} {product}) to KEV',
  link: 'https://nvd.nist.gov/vuln/detail/{cveID}',
  date: 'dateAdded',
  summary: '{vulnerabilityName}. {shortDescription}',
  tags: ['kev:{cveID}', 'cve:{cveID}', 'vendor:{vendorProject}', 'product:{vendorProject} {product}'],
};

function kevEntry(n: number, day: number): Record<string, string> {
  return { cveID: `CVE-2099-000${n}`, vendorProject: 'Acme Networks', product: 'EdgeOS', vulnerabilityName: `Acme EdgeOS flaw ${n}`, shortDescription: 'Exploited in the wild.', dateAdded: `2025-07-${day}` };
}

function listingPage(cards: { href: string; title: string; date: string }[], next: string | null): string {
  const items = cards.map((c) => `<li><h4><a href="${c.href}">${c.title}</a></h4><p>About ${c.title}.</p><span class="date">${c.date}</span></li>`).join('');
  return `<html><body><ul id="news">${items}</ul>${next ? `<a class="next" href="${next}">Older</a>` : ''}</body></html>`;
}

const digestFeed = (site: string): string => `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>CERT bulletins</title><link>${site}/</link>
<item><title>Daily bulletin</title><link>${site}/bulletin/1</link><guid>bulletin-1</guid><pubDate>Mon, 28 Jul 2025 06:00:00 GMT</pubDate>
<content:encoded><![CDATA[${[1, 2, 3, 4, 5].map((n) => `<h3><a href="/story/${n}">Story ${n} headline</a></h3><p>Story ${n} text.</p>`).join('')}]]></content:encoded></item>
</channel></rss>`;

describe('source kinds end to end (html listing, KEV json, digest, bad mapping)', () => {
  let site: KindsSite;
  let config: Config;
  let wire: ReturnType<typeof openWire>;
  const source = (id: string): SourceConfig => config.sources.find((s) => s.id === id)!;
  const titles = (id: string): string[] => wire.store.articles({ source: id, limit: 100 }).articles.map((a) => a.title).sort();

  beforeAll(async () => {
    site = await startKindsSite();
    site.pages.set('/news/', { type: HTML, body: listingPage([{ href: '/news/a', title: 'Story A', date: 'July 27, 2025' }, { href: 'b', title: 'Story B', date: '2025-07-26T10:00:00Z' }], '/news/page/2/') });
    site.pages.set('/news/page/2/', { type: HTML, body: listingPage([{ href: '/news/c', title: 'Story C', date: '25/07/2025' }], '/news/page/3/') });
    site.pages.set('/news/page/3/', { type: HTML, body: listingPage([{ href: '/news/d', title: 'Story D', date: '24/07/2025' }], null) });
    site.pages.set('/kev.json', { type: JSON_TYPE, body: JSON.stringify({ title: 'KEV', vulnerabilities: [kevEntry(1, 20), kevEntry(2, 21)] }) });
    site.pages.set('/bulletins.xml', { type: RSS, body: digestFeed(site.url) });
    const dir = mkdtempSync(join(tmpdir(), 'secwire-kinds-'));
    const file = join(dir, 'secwire.yaml');
    const html = { item: '#news > li', title: 'h4', link: 'h4 a', date: '.date', summary: 'p', next: 'a.next', pages: 2 };
    writeFileSync(file, stringify({
      database: join(dir, 'secwire.db'),
      fetch: { allowPrivateHosts: [site.hostPort] },
      log: { level: 'silent' },
      sources: [
        { id: 'listing', name: 'Listing', url: `${site.url}/news/`, kind: 'html', html },
        { id: 'kev', name: 'KEV', url: `${site.url}/kev.json`, kind: 'json', json: KEV_MAPPING },
        { id: 'bulletins', name: 'Bulletins', url: `${site.url}/bulletins.xml`, split: 'digest' },
        { id: 'broken', name: 'Broken', url: `${site.url}/news/`, kind: 'html', html: { ...html, item: 'article.post' } },
      ],
    }));
    config = loadConfig({ configPath: file, env: {} });
    wire = openWire(config, silentLogger);
  });
  afterAll(async () => {
    await wire?.close();
    await site?.close();
  });

  it('reads an html listing and back-fills up to `pages` listing pages, with dates in three formats', async () => {
    const report = await ingestSource(wire, source('listing'), { articles: false });
    expect(report).toMatchObject({ outcome: 'ok', new: 3 });
    expect(titles('listing')).toEqual(['Story A', 'Story B', 'Story C']);
    expect(site.requests).not.toContain('/news/page/3/');
    const b = wire.store.articleByUrl(canonicalizeUrl(`${site.url}/news/b`));
    expect(b?.published).toBe('2025-07-26T10:00:00.000Z');
    const c = wire.store.articleByUrl(canonicalizeUrl(`${site.url}/news/c`));
    expect(c?.published).toBe('2025-07-25T00:00:00.000Z');
  });

  it('turns only the KEV entries added between two fetches into new items, tagged kev/cve/vendor/product', async () => {
    const first = await ingestSource(wire, source('kev'), { articles: false });
    expect(first).toMatchObject({ outcome: 'ok', new: 2 });
    site.pages.set('/kev.json', { type: JSON_TYPE, body: JSON.stringify({ title: 'KEV', vulnerabilities: [kevEntry(1, 20), kevEntry(2, 21), kevEntry(3, 28)] }) });
    const second = await ingestSource(wire, source('kev'), { articles: false });
    expect(second).toMatchObject({ outcome: 'ok', new: 1, updated: 0 });
    const added = wire.store.articleByUrl(canonicalizeUrl('https://nvd.nist.gov/vuln/detail/CVE-2099-0003'));
    expect(added?.title).toBe('CISA adds CVE-2099-0003 (Acme Networks EdgeOS) to KEV');
    expect(added?.published).toBe('2025-07-28T00:00:00.000Z');
    expect(added?.tags).toEqual(expect.arrayContaining(['kev:CVE-2099-0003', 'cve:CVE-2099-0003', 'vendor:acme-networks', 'product:acme-networks-edgeos']));
  });

  it('splits a digest post into one item per story, each with its own link and title', async () => {
    const report = await ingestSource(wire, source('bulletins'), { articles: false });
    expect(report).toMatchObject({ outcome: 'ok', items: 5, new: 5 });
    for (const n of [1, 2, 3, 4, 5]) {
      const story = wire.store.articleByUrl(canonicalizeUrl(`${site.url}/story/${n}`));
      expect(story?.title).toBe(`Story ${n} headline`);
      expect(story?.html ?? '').toContain(`${site.url}/bulletin/1`);
    }
  });

  it('reports a selector that matches nothing as a MappingError on the source, not an empty success', async () => {
    const report = await ingestSource(wire, source('broken'), { articles: false });
    expect(report.outcome).toBe('error');
    expect(report.error?.kind).toBe('MappingError');
    expect(wire.store.sourceState('broken')?.errorKind).toBe('MappingError');
  });
});

describe('secwire sources add', () => {
  let site: KindsSite;
  let dir: string;
  let file: string;
  const listed = (): SourceConfig[] => loadConfig({ configPath: file, env: {} }).sources;

  beforeAll(async () => {
    site = await startKindsSite();
    site.pages.set('/feed.xml', { type: RSS, body: digestFeed(site.url) });
    site.pages.set('/blog/', { type: HTML, body: `<html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body>Hi</body></html>` });
    const cards = [1, 2, 3, 4].map((n) => ({ href: `/news/${n}`, title: `Listing story ${n} headline`, date: `2025-07-2${n}` }));
    site.pages.set('/news/', { type: HTML, body: listingPage(cards, null) });
    dir = mkdtempSync(join(tmpdir(), 'secwire-add-'));
    file = join(dir, 'secwire.yaml');
    writeFileSync(file, `# my wire\ndatabase: ${join(dir, 'secwire.db')}\nlog: { level: silent }\nfetch:\n  allowPrivateHosts: ["${site.hostPort}"]\nsources:\n  - include: default\n`);
  });
  afterAll(async () => {
    await site?.close();
  });

  it('uses the feed a page links, and adds it at once keeping the file comments', async () => {
    expect(await sourcesAddCommand(`${site.url}/blog/`, { config: file, json: true })).toBe(0);
    const added = listed().find((s) => s.url === `${site.url}/feed.xml`);
    expect(added).toMatchObject({ id: 'cert-bulletins', name: 'CERT bulletins', kind: 'feed' });
    expect(readFileSync(file, 'utf8')).toMatch(/^# my wire/);
    await expect(sourcesAddCommand(`${site.url}/feed.xml`, { config: file, json: true })).rejects.toMatchObject({ kind: 'UsageError' });
  });

  it('prints a guessed listing without writing it, and writes it with --yes', async () => {
    const before = readFileSync(file, 'utf8');
    expect(await sourcesAddCommand(`${site.url}/news/`, { config: file, json: true, id: 'news-listing' })).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(await sourcesAddCommand(`${site.url}/news/`, { config: file, json: true, id: 'news-listing', yes: true })).toBe(0);
    const source = listed().find((s) => s.id === 'news-listing');
    expect(source).toMatchObject({ kind: 'html', html: { item: '#news > li', title: 'h4', link: 'h4 a[href]' } });
    const config = loadConfig({ configPath: file, env: {} });
    const wire = openWire(config, silentLogger);
    try {
      const report = await ingestSource(wire, source!, { articles: false });
      expect(report).toMatchObject({ outcome: 'ok', new: 4 });
    } finally {
      await wire.close();
    }
  });
});
