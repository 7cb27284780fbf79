import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import { expectedTitle, sampleEntries, sampleMeta } from '../../test/support/feed-samples.js';
import { renderFeed } from './render.js';
import type { FeedEntry } from './types.js';

const BASE = 'https://wire.example.com';

function expectedDate(entry: FeedEntry): string {
  return new Date(entry.published ?? entry.updated).toISOString();
}

describe('renderFeed round-trips through rss-parser', () => {
  const entries = sampleEntries(12, { full: true });

  for (const format of ['rss', 'atom'] as const) {
    it(`${format}: titles, links, ids, dates and count survive`, async () => {
      const xml = renderFeed(format, sampleMeta(BASE, format), entries);
      const parsed = await new Parser().parseString(xml);
      expect(parsed.title).toBe('secwire — all stories');
      expect(parsed.items).toHaveLength(entries.length);
      parsed.items.forEach((item, index) => {
        const entry = entries[index]!;
        expect(item.title).toBe(expectedTitle(entry));
        expect(item.link).toBe(entry.link);
        expect(item.guid ?? (item as { id?: string }).id).toBe(entry.id);
        if (format === 'rss' || entry.published !== null) expect(item.isoDate).toBe(expectedDate(entry));
      });
    });
  }

  it('json: JSON Feed 1.1 with the same items', () => {
    const feed = JSON.parse(renderFeed('json', sampleMeta(BASE, 'json'), entries)) as {
      version: string;
      language: string;
      feed_url: string;
      items: { id: string; title: string; url: string; date_published?: string; date_modified: string; authors?: { name: string }[]; content_html: string; summary?: string; tags?: string[]; image?: string }[];
    };
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.language).toBe('en');
    expect(feed.feed_url).toBe(`${BASE}/feeds/all.json`);
    expect(feed.items).toHaveLength(entries.length);
    feed.items.forEach((item, index) => {
      const entry = entries[index]!;
      expect(item.id).toBe(entry.id);
      expect(item.title).toBe(expectedTitle(entry));
      expect(item.url).toBe(entry.link);
      expect(item.date_modified).toBe(entry.updated);
      expect(item.date_published ?? null).toBe(entry.published);
      expect(item.authors?.map((author) => author.name) ?? []).toEqual(entry.authors);
      expect(item.content_html.startsWith(entry.contentHtml!)).toBe(true);
      expect(item.image ?? null).toBe(entry.image);
      expect(item.tags ?? []).toEqual(entry.tags.map((tag) => tag.name));
    });
  });
});

describe('category labels', () => {
  const [sample] = sampleEntries(1, { full: true });
  const entry: FeedEntry = {
    ...sample!,
    tags: [
      { slug: 'cve:CVE-2024-21762', type: 'cve', value: 'CVE-2024-21762', name: 'CVE-2024-21762' },
      { slug: 'kev:CVE-2024-21762', type: 'kev', value: 'CVE-2024-21762', name: 'CVE-2024-21762' },
      { slug: 'actor:qilin', type: 'actor', value: 'qilin', name: 'Qilin' },
      { slug: 'malware:qilin', type: 'malware', value: 'qilin', name: 'Qilin' },
    ],
  };
  const labels = ['CVE-2024-21762', 'CVE-2024-21762 (CISA KEV)', 'Qilin', 'Qilin (malware)'];

  it('never show one text twice in an entry, in any format', async () => {
    const rss = await new Parser().parseString(renderFeed('rss', sampleMeta(BASE, 'rss'), [entry]));
    // rss-parser gives a category with a domain attribute as { _: text, $: { domain } }.
    expect((rss.items[0]!.categories as unknown as { _: string }[]).map((category) => category._)).toEqual(labels);
    const atom = renderFeed('atom', sampleMeta(BASE, 'atom'), [entry]);
    expect([...atom.matchAll(/<category term="([^"]+)"[^>]* label="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(entry.tags.map((tag, i) => `${tag.slug} ${labels[i]}`));
    const json = JSON.parse(renderFeed('json', sampleMeta(BASE, 'json'), [entry])) as { items: { tags: string[]; _secwire: { tags: unknown[] } }[] };
    expect(json.items[0]!.tags).toEqual(labels);
    // The structured tags keep the names as stored.
    expect(json.items[0]!._secwire.tags).toEqual(entry.tags);
  });
});
