/**
 * The W3C Feed Validator's rules for RSS 2.0 and Atom 1.0, and the JSON Feed 1.1 spec, as assertions.
 * Well-formedness itself is checked by a strict XML parser (expat, through feedparser) in clients.test.ts.
 */
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import { sampleEntries, sampleMeta } from '../../test/support/feed-samples.js';
import { renderFeed } from './render.js';
import type { FeedEntry } from './types.js';

const BASE = 'https://wire.example.com';
const entries = sampleEntries(20, { full: true });
const rss = renderFeed('rss', sampleMeta(BASE, 'rss'), entries);
const atom = renderFeed('atom', sampleMeta(BASE, 'atom'), entries);
const json = renderFeed('json', sampleMeta(BASE, 'json'), entries);

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|[+-]\d{4})$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MIME = /^[a-z]+\/[a-z0-9.+-]+$/;
const INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function isAbsoluteHttpUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isAbsoluteIri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(value);
}

function loadXml(xml: string): cheerio.CheerioAPI {
  return cheerio.load(xml, { xml: true });
}

/** Every `prefix:` used on an element or attribute is declared on the root (the validator's "undeclared namespace"). */
function expectPrefixesDeclared($: cheerio.CheerioAPI, root: { attribs: Record<string, string> }): void {
  const prefixes = new Set<string>();
  $('*').each((_i, node) => {
    if (!('attribs' in node)) return;
    const names = [node.name, ...Object.keys(node.attribs)];
    for (const name of names) {
      const prefix = /^([a-z]+):/i.exec(name)?.[1];
      if (prefix && prefix !== 'xmlns' && prefix !== 'xml') prefixes.add(prefix);
    }
  });
  expect(prefixes.size).toBeGreaterThan(0);
  for (const prefix of prefixes) expect(root.attribs[`xmlns:${prefix}`], `xmlns:${prefix}`).toMatch(/^https?:\/\//);
}

function expectRfc822(value: string): void {
  expect(value).toMatch(RFC822);
  // The validator also checks the day of the week against the date.
  expect(new Date(value).toUTCString()).toBe(value);
}

describe('every format', () => {
  it('has no XML-invalid characters, even from titles that contain them', () => {
    expect(entries.some((entry) => INVALID_XML_CHAR.test(entry.title))).toBe(true);
    for (const text of [rss, atom, json]) expect(INVALID_XML_CHAR.test(text)).toBe(false);
  });

  it('escapes text: no markup from titles or summaries leaks into the XML', () => {
    for (const xml of [rss, atom]) {
      expect(xml).not.toMatch(/<script/i);
      expect(xml).not.toMatch(/<img/i);
      expect(xml).not.toMatch(/<Connect/);
      expect(xml).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      // Plain-text summary inside an HTML payload (CDATA): escaped for HTML.
      expect(xml).toContain('<![CDATA[<p>Summary 0: attackers used &lt;img');
      // A "]]>" inside HTML is split across two CDATA sections, never ends one early.
      expect(xml).toContain('title="a]]]]><![CDATA[>b"');
    }
  });

  it('renders the same bytes for the same input (ids and content stable across re-emits)', () => {
    expect(renderFeed('rss', sampleMeta(BASE, 'rss'), sampleEntries(20, { full: true }))).toBe(rss);
    expect(renderFeed('atom', sampleMeta(BASE, 'atom'), sampleEntries(20, { full: true }))).toBe(atom);
    expect(renderFeed('json', sampleMeta(BASE, 'json'), sampleEntries(20, { full: true }))).toBe(json);
  });

  it.each(['rss', 'atom', 'json'] as const)('%s: an empty feed is still a valid feed', (format) => {
    const empty = renderFeed(format, sampleMeta(BASE, format), []);
    if (format === 'json') expect((JSON.parse(empty) as { items: unknown[] }).items).toEqual([]);
    else expect(empty).toMatch(format === 'rss' ? /<channel>[\s\S]*<\/channel>/ : /<feed [\s\S]*<\/feed>/);
  });

  it.each(['rss', 'atom', 'json'] as const)('%s: a relative link is a BadUrl error, a bad date or a bare id a UsageError', (format) => {
    const [entry] = sampleEntries(1) as [FeedEntry];
    const relative = (): string => renderFeed(format, sampleMeta(BASE, format), [{ ...entry, link: '/relative/path' }]);
    expect(relative).toThrow(SecwireError);
    expect(relative).toThrow(/link of urn:secwire:story:1000 is not an absolute URL/);
    expect(() => renderFeed(format, sampleMeta(BASE, format), [{ ...entry, id: '1234' }])).toThrow(/entry id is not an absolute IRI/);
    const badDate = (): string => renderFeed(format, sampleMeta(BASE, format), [{ ...entry, published: 'last tuesday', updated: 'last tuesday' }]);
    expect(badDate).toThrow(/not a valid date/);
    try {
      badDate();
    } catch (error) {
      expect((error as SecwireError).kind).toBe('UsageError');
    }
  });
});

describe('RSS 2.0 (W3C validator rules)', () => {
  const $ = loadXml(rss);
  const root = $('rss').get(0)!;
  const channel = $('rss > channel');
  const items = channel.children('item');

  it('is RSS 2.0 with its namespaces declared', () => {
    expect(root.attribs['version']).toBe('2.0');
    expect(rss.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<rss ')).toBe(true);
    expectPrefixesDeclared($, root);
  });

  it('has the required channel elements once each, absolute links, a self link, ttl and dates', () => {
    for (const name of ['title', 'link', 'description', 'lastBuildDate', 'ttl']) expect(channel.children(name), name).toHaveLength(1);
    expect(channel.children('title').text()).toBe('secwire — all stories');
    expect(isAbsoluteHttpUrl(channel.children('link').text())).toBe(true);
    const self = channel.children('atom\\:link[rel="self"]');
    expect(self).toHaveLength(1);
    expect(self.attr('href')).toBe(`${BASE}/feeds/all.rss`);
    expect(self.attr('type')).toBe('application/rss+xml');
    expect(channel.children('ttl').text()).toMatch(/^\d+$/);
    expectRfc822(channel.children('lastBuildDate').text());
  });

  it('gives every item a link, one non-permalink guid (unique), an RFC 822 pubDate', () => {
    expect(items).toHaveLength(entries.length);
    const guids = new Set<string>();
    items.each((_i, node) => {
      const item = $(node);
      expect(item.children('title')).toHaveLength(1);
      expect(isAbsoluteHttpUrl(item.children('link').text())).toBe(true);
      const guid = item.children('guid');
      expect(guid).toHaveLength(1);
      expect(guid.attr('isPermaLink')).toBe('false');
      guids.add(guid.text());
      expect(item.children('pubDate')).toHaveLength(1);
      expectRfc822(item.children('pubDate').text());
      // <author> must be an e-mail address in RSS 2.0: names go to dc:creator instead.
      expect(item.children('author')).toHaveLength(0);
    });
    expect(guids.size).toBe(entries.length);
  });

  it('has absolute URLs in category domains, sources, enclosures and thumbnails; enclosures are well-formed', () => {
    items.each((_i, node) => {
      const item = $(node);
      item.children('category').each((_j, category) => expect(isAbsoluteHttpUrl($(category).attr('domain'))).toBe(true));
      const source = item.children('source');
      expect(source).toHaveLength(1);
      expect(isAbsoluteHttpUrl(source.attr('url'))).toBe(true);
      expect(source.text().length).toBeGreaterThan(0);
      item.children('enclosure').each((_j, enclosure) => {
        expect(isAbsoluteHttpUrl($(enclosure).attr('url'))).toBe(true);
        expect($(enclosure).attr('length')).toMatch(/^\d+$/);
        expect($(enclosure).attr('type')).toMatch(MIME);
      });
      expect(item.children('enclosure').length).toBeLessThanOrEqual(1);
      item.children('media\\:thumbnail').each((_j, thumbnail) => expect(isAbsoluteHttpUrl($(thumbnail).attr('url'))).toBe(true));
    });
  });

  it('carries summary HTML in description and the full article in content:encoded', () => {
    const first = items.first();
    expect(first.children('description').text()).toMatch(/^<p>Summary 0: attackers used &lt;img/);
    expect(first.children('description').text()).toContain('<p>Also covered by:</p><ul><li><a href="https://other.example.org/s?id=1&amp;x=2">');
    expect(first.children('content\\:encoded').text()).toContain(entries[0]!.contentHtml!);
  });
});

describe('Atom 1.0 (W3C validator rules, RFC 4287)', () => {
  const $ = loadXml(atom);
  const root = $('feed').get(0)!;
  const feed = $('feed');
  const entryNodes = feed.children('entry');

  it('is in the Atom namespace with its other namespaces declared', () => {
    expect(root.attribs['xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(root.attribs['xml:lang']).toBe('en');
    expectPrefixesDeclared($, root);
  });

  it('has exactly one id, title, updated; a self link; RFC 3339 dates', () => {
    for (const name of ['id', 'title', 'updated']) expect(feed.children(name), name).toHaveLength(1);
    expect(isAbsoluteIri(feed.children('id').text())).toBe(true);
    expect(feed.children('updated').text()).toMatch(RFC3339);
    expect(feed.children('link[rel="self"]').attr('href')).toBe(`${BASE}/feeds/all.atom`);
    expect(feed.children('title').attr('type')).toBe('text');
  });

  it('gives every entry one id (unique, absolute IRI), one text title, one updated, an author, an alternate link', () => {
    expect(entryNodes).toHaveLength(entries.length);
    const ids = new Set<string>();
    entryNodes.each((index, node) => {
      const entry = $(node);
      for (const name of ['id', 'title', 'updated']) expect(entry.children(name), name).toHaveLength(1);
      const id = entry.children('id').text();
      expect(isAbsoluteIri(id)).toBe(true);
      ids.add(id);
      // type="text": newsboat strips anything tag-like from type="html" titles.
      expect(entry.children('title').attr('type')).toBe('text');
      expect(entry.children('updated').text()).toMatch(RFC3339);
      entry.children('published').each((_j, published) => expect($(published).text()).toMatch(RFC3339));
      expect(entry.children('published')).toHaveLength(entries[index]!.published === null ? 0 : 1);
      expect(entry.children('author').length).toBeGreaterThan(0);
      entry.children('author').each((_j, author) => expect($(author).children('name').text().length).toBeGreaterThan(0));
      const alternates = entry.children('link[rel="alternate"]');
      expect(alternates).toHaveLength(1);
      expect(isAbsoluteHttpUrl(alternates.attr('href'))).toBe(true);
      entry.children('link').each((_j, link) => expect(isAbsoluteHttpUrl($(link).attr('href'))).toBe(true));
    });
    expect(ids.size).toBe(entries.length);
  });

  it('has categories with a term, an absolute scheme and a label; a source with id and title; html summary/content', () => {
    entryNodes.each((index, node) => {
      const entry = $(node);
      const expected = entries[index]!;
      const categories = entry.children('category');
      expect(categories.map((_j, category) => $(category).attr('term')).get()).toEqual(expected.tags.map((tag) => tag.slug));
      categories.each((_j, category) => {
        expect(isAbsoluteHttpUrl($(category).attr('scheme'))).toBe(true);
        expect($(category).attr('label')?.length).toBeGreaterThan(0);
      });
      const source = entry.children('source');
      expect(source).toHaveLength(1);
      expect(source.children('id').text()).toBe(expected.source.url);
      expect(source.children('title').text()).toBe(expected.source.name);
      for (const name of ['summary', 'content']) entry.children(name).each((_j, part) => expect($(part).attr('type')).toBe('html'));
      expect(entry.children('link[rel="related"]')).toHaveLength(expected.alsoCoveredBy.length);
      expect(entry.children('link[rel="enclosure"]')).toHaveLength(expected.image === null ? 0 : 1);
      entry.children('link[rel="enclosure"]').each((_j, link) => expect($(link).attr('type')).toMatch(MIME));
    });
  });
});

describe('JSON Feed 1.1 (spec)', () => {
  interface JsonFeedDocument {
    version: string;
    title: string;
    home_page_url: string;
    feed_url: string;
    language?: string;
    author?: unknown;
    items: Record<string, unknown>[];
  }
  const feed = JSON.parse(json) as JsonFeedDocument;

  it('declares version 1.1 with absolute home and feed URLs and a language', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(typeof feed.title).toBe('string');
    expect(isAbsoluteHttpUrl(feed.home_page_url)).toBe(true);
    expect(isAbsoluteHttpUrl(feed.feed_url)).toBe(true);
    expect(feed.language).toBe('en');
    // `author` is deprecated in 1.1 in favour of `authors`.
    expect(feed.author).toBeUndefined();
  });

  it('gives every item a unique string id, content, absolute URLs, RFC 3339 dates, authors as objects', () => {
    const ids = new Set<string>();
    for (const item of feed.items) {
      expect(typeof item['id']).toBe('string');
      ids.add(item['id'] as string);
      expect(typeof item['content_html'] === 'string' || typeof item['content_text'] === 'string').toBe(true);
      expect(isAbsoluteHttpUrl(item['url'] as string)).toBe(true);
      if (item['image'] !== undefined) expect(isAbsoluteHttpUrl(item['image'] as string)).toBe(true);
      expect(item['date_modified']).toMatch(RFC3339);
      if (item['date_published'] !== undefined) expect(item['date_published']).toMatch(RFC3339);
      expect(item['author']).toBeUndefined();
      if (item['authors'] !== undefined) for (const author of item['authors'] as { name: unknown }[]) expect(typeof author.name).toBe('string');
      if (item['tags'] !== undefined) for (const tag of item['tags'] as unknown[]) expect(typeof tag).toBe('string');
      for (const key of Object.keys(item)) expect(['id', 'url', 'title', 'content_html', 'summary', 'image', 'date_published', 'date_modified', 'authors', 'tags'].includes(key) || key.startsWith('_')).toBe(true);
    }
    expect(ids.size).toBe(entries.length);
  });
});
