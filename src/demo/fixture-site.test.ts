import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedBodyText, findArticle, loadFixtureData, storyGroups } from './fixture-data.js';
import { ENCODING_CASES, FIXTURE_FAULTS, HUGE_FEED_BYTES, startFixtureSite, type FixtureSite } from './fixture-site.js';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The charset a feed declares in its XML prolog, as the encoding routes leave it only there. */
function decodeXml(body: Buffer, contentType: string | undefined): string {
  if (body[0] === 0xff && body[1] === 0xfe) return iconv.decode(body.subarray(2), 'utf16le');
  if (body[0] === 0xfe && body[1] === 0xff) return iconv.decode(body.subarray(2), 'utf16be');
  const fromHeader = /charset=([\w-]+)/i.exec(contentType ?? '')?.[1];
  const fromProlog = /^<\?xml[^>]*encoding="([^"]+)"/.exec(body.subarray(0, 200).toString('latin1'))?.[1];
  return iconv.decode(body, fromHeader ?? fromProlog ?? 'utf-8');
}

const parser = new Parser();
const data = loadFixtureData();

describe('fixture data', () => {
  it('has enough outlets, articles and every feed format', () => {
    expect(data.outlets.length).toBeGreaterThanOrEqual(6);
    expect(data.articles.length).toBeGreaterThanOrEqual(60);
    expect(new Set(data.outlets.map((outlet) => outlet.format))).toEqual(new Set(['rss2', 'rss1', 'atom', 'json']));
  });

  it('dates every article in October or November 2026, deterministically', () => {
    for (const article of data.articles) {
      const instant = Date.parse(article.published);
      expect(instant, article.slug).toBeGreaterThanOrEqual(Date.parse('2026-10-01T00:00:00Z'));
      expect(instant, article.slug).toBeLessThan(Date.parse('2026-11-30T00:00:00Z'));
      if (article.updated) expect(Date.parse(article.updated)).toBeGreaterThan(instant);
    }
  });

  it('covers the cases the later stages test', () => {
    const groups = storyGroups(data);
    const outletsOf = (event: string): Set<string> => new Set((groups.get(event) ?? []).map((key) => key.split('/')[0]));
    expect(outletsOf('kiyohara-breach').size).toBeGreaterThanOrEqual(4);
    expect(outletsOf('veltrix-zero-day').size).toBeGreaterThanOrEqual(3);
    expect(groups.get('veltrix-mass-exploitation')?.length).toBeGreaterThanOrEqual(2);
    expect(data.articles.some((article) => article.title.startsWith('UPDATED:') && article.updated)).toBe(true);
    expect(data.articles.some((article) => article.pageDate)).toBe(true);
    expect(data.articles.some((article) => article.feedPublished)).toBe(true);
    expect(data.articles.some((article) => article.lang === 'ja')).toBe(true);
    const copy = data.articles.find((article) => article.syndicatedFrom);
    const original = copy?.syndicatedFrom ? findArticle(data, copy.syndicatedFrom) : undefined;
    expect(copy && original && expectedBodyText(copy) === expectedBodyText(original)).toBe(true);
    for (const cve of ['CVE-2024-3400', 'CVE-2023-4966', 'CVE-2021-44228']) {
      expect(data.articles.some((article) => article.body.includes(cve)), cve).toBe(true);
    }
  });

  it('keeps windows-1252 outlets within windows-1252', () => {
    for (const outlet of data.outlets.filter((o) => o.encoding !== 'utf-8')) {
      for (const article of data.articles.filter((a) => a.outlet === outlet.id)) {
        const text = [article.title, article.dek, article.author, article.body].join('\n');
        expect(iconv.decode(iconv.encode(text, outlet.encoding), outlet.encoding), article.slug).toBe(text);
      }
    }
  });

  it('defines encoding cases that survive their own encoding', () => {
    for (const testCase of ENCODING_CASES) {
      const text = testCase.expectedTitle + testCase.expectedItemTitle;
      expect(iconv.decode(iconv.encode(text, testCase.encoding), testCase.encoding)).toBe(text);
    }
  });
});

describe('fixture site', () => {
  let site: FixtureSite;

  beforeAll(async () => {
    site = await startFixtureSite();
  });
  afterAll(async () => {
    await site.close();
  });

  it('serves every outlet feed with its content type, parseable, linking to existing pages', async () => {
    const expectedTypes = { rss2: 'application/rss+xml', rss1: 'application/rdf+xml', atom: 'application/atom+xml', json: 'application/feed+json' };
    for (const outlet of site.outlets) {
      const reply = await get(outlet.feedUrl);
      expect(reply.status, outlet.id).toBe(200);
      expect(reply.headers['content-type']).toContain(expectedTypes[outlet.format]);
      const own = site.articles.filter((article) => article.outlet === outlet.id);
      const reposts = data.outlets.find((o) => o.id === outlet.id)?.reposts.length ?? 0;
      let links: string[];
      let titles: string[];
      if (outlet.format === 'json') {
        const feed = JSON.parse(reply.body.toString('utf8')) as { version: string; items: { url: string; title: string }[] };
        expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
        links = feed.items.map((item) => item.url);
        titles = feed.items.map((item) => item.title);
      } else {
        const feed = await parser.parseString(decodeXml(reply.body, reply.headers['content-type']));
        links = feed.items.map((item) => item.link ?? '');
        titles = feed.items.map((item) => item.title ?? '');
      }
      expect(links.length, outlet.id).toBe(own.length + reposts);
      for (const article of own) expect(titles, outlet.id).toContain(article.title);
      for (const link of links) {
        const page = await get(link);
        expect(page.status, link).toBe(200);
        expect(page.headers['content-type']).toMatch(/^text\/html; charset=/);
      }
    }
  });

  it('decodes the windows-1252 outlet to the accented names', async () => {
    const nordic = site.outlets.find((outlet) => outlet.id === 'nordic-cert');
    const reply = await get(nordic?.feedUrl ?? '');
    expect(reply.headers['content-type']).toBe('application/rss+xml; charset=windows-1252');
    const feed = await parser.parseString(decodeXml(reply.body, reply.headers['content-type']));
    expect(feed.items.map((item) => item.creator)).toContain('Þórunn Sigurðardóttir');
    expect(reply.body.includes(Buffer.from('Ø', 'utf8'))).toBe(false);
  });

  it('lists one article in two feeds, once with tracking parameters', async () => {
    const original = site.articles.find((article) => article.slug === 'veltrix-gateway-zero-days-chained');
    const relay = await get(`${site.url}/wire-relay/rss`);
    expect(relay.body.toString('utf8')).toContain(`<link>${original?.url}?utm_source=rss&amp;utm_medium=feed</link>`);
    const desk = await get(`${site.url}/exploit-desk/index.rdf`);
    expect(desk.body.toString('utf8')).toContain(`<link>${original?.url}</link>`);
  });

  it('renders each outlet with its own date placement and real-page clutter', async () => {
    const page = async (slug: string): Promise<string> => {
      const article = site.articles.find((a) => a.slug === slug);
      const reply = await get(article?.url ?? '');
      return iconv.decode(reply.body, /windows-1252/.test(reply.headers['content-type'] ?? '') ? 'windows-1252' : 'utf-8');
    };
    const ledger = await page('kiyohara-electric-breach-partner-data');
    expect(ledger).toContain('"@graph"');
    expect(ledger).toContain('"datePublished":"2026-10-27T09:40:00-04:00"');
    const monday = await page('october-2026-patch-tuesday');
    expect(monday).toContain('<time class="published" datetime="2026-10-13T18:30:00+01:00">13 October 2026</time>');
    const desk = await page('apt29-wine-tasting-lures-diplomats');
    expect(desk).toContain('<meta property="article:published_time" content="2026-10-20T12:00:00+00:00">');
    const kernel = await page('meridian-health-lockbit-attack');
    expect(kernel.split('<section class="c-related__list').length - 1).toBe(2);
    expect(kernel).toContain('<strong>KERNEL WIRE</strong> Recommends');
    expect(kernel).toContain('"dateModified":"2026-10-16T12:30:00-07:00"');
    expect(kernel).toContain('data-src=');
    const nordic = await page('pan-os-cve-2024-3400-compromised-devices');
    expect(nordic).toContain('Published 13 November 2026');
    expect(nordic).not.toMatch(/datetime=|datePublished|published_time/);
    const tokyo = await page('minato-interactive-ransomware');
    expect(tokyo).toContain('2026年10月12日 15時30分');
    for (const html of [ledger, monday, desk, kernel, nordic, tokyo]) {
      expect(html).toMatch(/cookie/i);
      expect(html).toContain('newsletter-signup');
    }
    for (const html of [ledger, monday, desk, kernel, tokyo]) expect(html).toContain('<ins class="adsbygoogle"');
  });

  it('answers conditional requests with 304 and serves gzip when asked', async () => {
    const feedUrl = site.outlets[0]?.feedUrl ?? '';
    const first = await get(feedUrl);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect((await get(feedUrl, { 'If-None-Match': etag })).status).toBe(304);
    expect((await get(feedUrl, { 'If-Modified-Since': lastModified })).status).toBe(304);
    expect((await get(feedUrl, { 'If-None-Match': '"stale"' })).status).toBe(200);
    const zipped = await get(feedUrl, { 'Accept-Encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(first.body)).toBe(true);
    const head = await get(feedUrl, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('serves the encoding cases with the charset only in the BOM or prolog', async () => {
    for (const testCase of ENCODING_CASES) {
      const reply = await get(`${site.url}${testCase.path}`);
      expect(reply.headers['content-type']).toBe('application/rss+xml');
      const feed = await parser.parseString(decodeXml(reply.body, undefined));
      expect(feed.title, testCase.path).toBe(testCase.expectedTitle);
      expect(feed.items[0]?.title, testCase.path).toBe(testCase.expectedItemTitle);
    }
  });

  it('fails on purpose on the fault routes', async () => {
    expect((await get(`${site.url}${FIXTURE_FAULTS.serverError}`)).status).toBe(500);
    expect((await get(`${site.url}${FIXTURE_FAULTS.notFound}`)).status).toBe(404);
    expect((await get(`${site.url}/no/such/page`)).status).toBe(404);
    const retry = await get(`${site.url}${FIXTURE_FAULTS.retryAfter}`);
    expect([retry.status, retry.headers['retry-after']]).toEqual([503, '120']);
    const html = await get(`${site.url}${FIXTURE_FAULTS.htmlNotFeed}`);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.body.toString()).toContain('<link rel="alternate" type="application/rss+xml" title="Breach Ledger" href="/breach-ledger/feed.xml">');
    const redirect = await get(`${site.url}${FIXTURE_FAULTS.redirect}`);
    expect([redirect.status, redirect.headers.location]).toEqual([301, '/breach-ledger/feed.xml']);
    const loop = await get(`${site.url}${FIXTURE_FAULTS.redirectLoop}`);
    expect([loop.status, loop.headers.location]).toEqual([302, FIXTURE_FAULTS.redirectLoop]);
    await expect(parser.parseString((await get(`${site.url}${FIXTURE_FAULTS.malformed}`)).body.toString())).rejects.toThrow();
    const huge = await get(`${site.url}${FIXTURE_FAULTS.huge}`);
    expect(huge.body.length).toBe(HUGE_FEED_BYTES);
    expect(huge.body.subarray(-17).toString()).toBe('</channel></rss>\n');
  });

  it('logs every request with its headers', async () => {
    await get(`${site.url}/robots.txt`, { 'User-Agent': 'fixture-test' });
    const last = site.requestLog.at(-1);
    expect(last).toMatchObject({ method: 'GET', path: '/robots.txt' });
    expect(last?.headers['user-agent']).toBe('fixture-test');
  });
});

describe('fixture site revisions', () => {
  it('serves a revised article with new validators, leaving other feeds alone', async () => {
    const site = await startFixtureSite();
    try {
      const key = 'kernel-wire/ai-phishing-kits-rise';
      const feedUrl = `${site.url}/kernel-wire/feed.json`;
      const otherUrl = `${site.url}/patch-monday/atom.xml`;
      const [before, other] = [await get(feedUrl), await get(otherUrl)];
      const revised = site.reviseArticle(key, { title: 'Phishing kits now write their own lures (corrected)', updated: '2026-10-04T09:00:00-07:00' });
      const after = await get(feedUrl, { 'If-None-Match': String(before.headers.etag) });
      expect(after.status).toBe(200);
      expect(after.body.toString()).toContain('(corrected)');
      expect((await get(revised.url)).body.toString()).toContain('<h1>Phishing kits now write their own lures (corrected)</h1>');
      expect((await get(otherUrl, { 'If-None-Match': String(other.headers.etag) })).status).toBe(304);
      expect(loadFixtureData().articles.find((a) => `${a.outlet}/${a.slug}` === key)?.title).not.toContain('corrected');
      expect(() => site.reviseArticle('kernel-wire/no-such-article', { title: 'x' })).toThrow(/no fixture article/);
    } finally {
      await site.close();
    }
  });
});

describe('fixture site shutdown', () => {
  it('closes while a request hangs, cutting the hung connection', async () => {
    const site = await startFixtureSite();
    const hung = get(`${site.url}${FIXTURE_FAULTS.hang}`);
    while (!site.requestLog.some((entry) => entry.path === FIXTURE_FAULTS.hang)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await site.close();
    await expect(hung).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
