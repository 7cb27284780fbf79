import { describe, expect, it } from 'vitest';
import type { FeedItem, Tag } from '../types.js';
import { buildDraft, identifyItem } from './draft.js';
import { parseQuery } from './search-query.js';
import { openStore, type Store } from './store.js';

const at = '2026-11-20T10:00:00.000Z';

function tag(slug: string, name: string): Tag {
  const [type, value] = slug.split(':') as [Tag['type'], string];
  return { type, value, slug, name };
}

function add(store: Store, source: string, n: number, title: string, text: string, tags: Tag[], published: string): void {
  const item: FeedItem = { id: `g${n}`, title, link: `https://${source}.example/${n}`, published, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
  store.ingest(
    source,
    [buildDraft({ identity: identifyItem(source, item), item, extracted: null, extractError: null, feedText: text, feedHtml: null, summary: null, tags: [...tags, tag(`source:${source}`, source)], iocs: [] })],
    { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 't', durationMs: 1 },
  );
}

function archive(): Store {
  const store = openStore(':memory:');
  store.syncSources(['one', 'two'].map((id) => ({ id, name: id, url: `https://${id}.example/f`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  add(store, 'one', 1, 'Ivanti Connect Secure zero-day exploited', 'Attackers exploit CVE-2024-21887 in Ivanti gateways.', [tag('vendor:ivanti', 'Ivanti'), tag('incident:zero-day', 'Zero-day')], '2026-11-10T00:00:00Z');
  add(store, 'two', 2, 'Weekly roundup', 'Among other news, an Ivanti flaw was patched and a phishing wave hit banks.', [tag('vendor:ivanti', 'Ivanti'), tag('incident:phishing', 'Phishing')], '2026-11-12T00:00:00Z');
  add(store, 'one', 3, 'APT29 phishing targets diplomats', 'Midnight Blizzard sent wine-tasting lures. Café résumé.', [tag('actor:apt29', 'APT29'), tag('incident:phishing', 'Phishing')], '2026-11-14T00:00:00Z');
  add(store, 'two', 4, 'Ransomware hits hospital chain', 'LockBit affiliates encrypted systems.', [tag('malware:lockbit', 'LockBit'), tag('incident:ransomware', 'Ransomware')], '2026-11-16T00:00:00Z');
  return store;
}

const titles = (store: Store, q: string): string[] => store.search({ limit: 10, match: parseQuery(q, { now: new Date('2026-11-30T00:00:00Z') }) }).hits.map((h) => h.article.title);

describe('search', () => {
  it('ranks a title match above a body match', () => {
    expect(titles(archive(), 'ivanti')).toEqual(['Ivanti Connect Secure zero-day exploited', 'Weekly roundup']);
  });

  it('applies exclusions, tag filters, negated tags and sources', () => {
    const store = archive();
    expect(titles(store, 'ivanti -phishing')).toEqual(['Ivanti Connect Secure zero-day exploited']);
    expect(titles(store, 'tag:incident:phishing -actor:apt29')).toEqual(['Weekly roundup']);
    expect(titles(store, 'source:two sort:date')).toEqual(['Ransomware hits hospital chain', 'Weekly roundup']);
    expect(titles(store, 'phishing -source:one')).toEqual(['Weekly roundup']);
  });

  it('filters by dates, newest first without words', () => {
    expect(titles(archive(), 'since:2026-11-13 until:2026-11-15')).toEqual(['APT29 phishing targets diplomats']);
  });

  it('finds tag names, prefixes, phrases and diacritic-free spellings', () => {
    const store = archive();
    expect(titles(store, 'lockbit')).toEqual(['Ransomware hits hospital chain']);
    expect(titles(store, 'ransom*')).toEqual(['Ransomware hits hospital chain']);
    expect(titles(store, '"connect secure"')).toEqual(['Ivanti Connect Secure zero-day exploited']);
    expect(titles(store, 'cafe resume')).toEqual(['APT29 phishing targets diplomats']);
    expect(titles(store, 'zero-day')).toEqual(['Ivanti Connect Secure zero-day exploited']);
  });

  it('returns highlighted snippets', () => {
    const hit = archive().search({ limit: 1, match: parseQuery('lures') }).hits[0]!;
    expect(hit.snippet).toContain('\u0002lures\u0003');
  });

  it('keeps hostile queries away from FTS5', () => {
    const store = archive();
    for (const q of ['NEAR(ivanti exploited)', 'title:ivanti', '"', '*', '(ivanti', 'ivanti)', '^ivanti', 'a AND', 'NOT x', "'; DROP TABLE articles; --"]) {
      expect(() => store.search({ limit: 5, match: parseQuery(q) })).not.toThrow();
    }
    expect(store.articleCount()).toBe(4);
  });

  it('pages by keyset in date and relevance order without repeats', () => {
    const store = archive();
    for (const q of ['sort:date', 'ivanti OR phishing OR lockbit']) {
      const match = parseQuery(q);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = store.search({ limit: 1, match, cursor });
        seen.push(...page.hits.map((h) => h.article.title));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(store.search({ limit: 10, match }).hits.map((h) => h.article.title));
    }
  });

  it('counts facets over the result set', () => {
    const facets = archive().facets({ limit: 10, match: parseQuery('phishing') });
    expect(facets.tags['incident']).toEqual([{ slug: 'incident:phishing', name: 'Phishing', count: 2 }]);
    expect(facets.tags['actor']).toEqual([{ slug: 'actor:apt29', name: 'APT29', count: 1 }]);
    expect(facets.tags['source']).toBeUndefined();
    expect(facets.sources).toEqual([
      { id: 'one', count: 1 },
      { id: 'two', count: 1 },
    ]);
  });

  it('keeps the index in step with updates', () => {
    const store = archive();
    add(store, 'one', 1, 'Ivanti gateway flaw: CISA orders patching', 'Federal agencies told to patch.', [], '2026-11-10T00:00:00Z');
    expect(titles(store, 'cisa')).toEqual(['Ivanti gateway flaw: CISA orders patching']);
    expect(titles(store, 'exploited')).toEqual([]);
  });
});
