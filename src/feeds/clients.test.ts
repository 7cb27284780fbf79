/** Real feed readers (python3-feedparser, newsboat) read what we render, served over loopback with sendCached. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFeedparser, runNewsboat, startLoopbackServer, type LoopbackServer } from '../../test/support/feed-clients.js';
import { expectedTitle, sampleEntries, sampleMeta } from '../../test/support/feed-samples.js';
import { makeCachedBody, sendCached } from './http-cache.js';
import { FEED_CONTENT_TYPES, renderFeed } from './render.js';
import type { FeedEntry } from './types.js';

const ENTRY_COUNT = 24;
const entries = sampleEntries(ENTRY_COUNT);
const fullEntries = sampleEntries(ENTRY_COUNT, { full: true });

function instant(iso: string): string {
  return new Date(iso).toISOString().replace('.000Z', 'Z');
}

let server: LoopbackServer;

beforeAll(async () => {
  server = await startLoopbackServer((req, res) => {
    const match = /^\/feeds\/(all|full)\.(rss|atom)$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const format = match[2] as 'rss' | 'atom';
    const body = renderFeed(format, sampleMeta(server.url, format, { selfUrl: `${server.url}${req.url}` }), match[1] === 'full' ? fullEntries : entries);
    sendCached(req, res, makeCachedBody(body, FEED_CONTENT_TYPES[format], new Date('2026-03-04T05:06:07Z'), 900));
  });
});

afterAll(async () => {
  await server.close();
});

describe.each(['rss', 'atom'] as const)('%s', (format) => {
  it('python3-feedparser: bozo 0, same titles, links, ids, dates, tags, sources, images', async () => {
    const result = await runFeedparser(`${server.url}/feeds/all.${format}`);
    expect(result.bozoException).toBeNull();
    expect(result.bozo).toBe(0);
    expect(result.version).toBe(format === 'rss' ? 'rss20' : 'atom10');
    expect(result.feed.title).toBe('secwire — all stories');
    expect(result.feed.selfLink).toBe(`${server.url}/feeds/all.${format}`);
    expect(result.feed.updated).toBe('2026-03-04T05:06:07Z');
    expect(result.entries).toHaveLength(ENTRY_COUNT);
    result.entries.forEach((got, index) => {
      const entry = entries[index]!;
      expect(got.title).toBe(expectedTitle(entry));
      expect(got.link).toBe(entry.link);
      expect(got.id).toBe(entry.id);
      if (format === 'rss') expect(got.published).toBe(instant(entry.published ?? entry.updated));
      else {
        expect(got.published).toBe(entry.published === null ? null : instant(entry.published));
        expect(got.updated).toBe(instant(entry.updated));
      }
      expect(got.authors).toEqual(entry.authors.length > 0 || format === 'rss' ? entry.authors : [entry.source.name]);
      const tagKey = format === 'rss' ? 'term' : 'label';
      expect(got.tags.map((tag) => tag[tagKey])).toEqual(entry.tags.map((tag) => tag.name));
      expect(got.tags.map((tag) => tag.scheme)).toEqual(entry.tags.map((tag) => `${server.url}/tag/${tag.type}`));
      expect(got.source).toEqual({ title: entry.source.name, href: entry.source.url });
      expect(got.enclosures.map((enclosure) => enclosure.href)).toEqual(entry.image === null ? [] : [entry.image]);
      expect(got.thumbnails).toEqual(entry.image === null ? [] : [entry.image]);
      for (const other of entry.alsoCoveredBy) expect(got.summary).toContain(other.url.replace(/&/g, '&amp;'));
    });
  });

  it('python3-feedparser: full=1 content arrives as HTML', async () => {
    const result = await runFeedparser(`${server.url}/feeds/full.${format}`);
    expect(result.bozo).toBe(0);
    result.entries.forEach((got, index) => {
      // feedparser re-serialises the HTML it sanitises: a `>` inside an attribute comes back as `&gt;`.
      expect(got.content[0]?.replace(/&gt;/g, '>')).toContain(fullEntries[index]!.contentHtml!);
    });
  });

  it('newsboat: same item count, exact titles, links, guids and dates', async () => {
    const result = await runNewsboat([`${server.url}/feeds/all.${format}`]);
    expect(result.errorLog).toBe('');
    expect(result.feeds.map((feed) => feed.title)).toEqual(['secwire — all stories']);
    expect(result.items).toHaveLength(ENTRY_COUNT);
    const byGuid = new Map(result.items.map((item) => [item.guid, item]));
    for (const entry of entries) {
      const got = byGuid.get(entry.id);
      expect(got, entry.id).toBeDefined();
      expect(got!.title).toBe(expectedTitle(entry));
      expect(got!.url).toBe(entry.link);
      expect(got!.pubDate).toBe(instant(entry.published ?? entry.updated));
    }
  });

  it('python3-feedparser reads a file as well as a URL', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'secwire-feeds-'));
    try {
      const file = join(dir, `all.${format}`);
      await writeFile(file, renderFeed(format, sampleMeta('https://wire.example.com', format), entries));
      const result = await runFeedparser(file);
      expect(result.bozo).toBe(0);
      expect(result.entries.map((entry) => entry.title)).toEqual(entries.map(expectedTitle));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
