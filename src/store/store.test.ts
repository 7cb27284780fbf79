import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { FeedItem } from '../types.js';
import { buildDraft, identifyItem } from './draft.js';
import { parseQuery } from './search-query.js';
import { openStore, type Store } from './store.js';
import type { ArticleDraft, FetchStateUpdate } from './types.js';

const at = '2026-11-20T10:00:00.000Z';
const fetchState: FetchStateUpdate = { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'test', durationMs: 1 };

function item(overrides: Partial<FeedItem>): FeedItem {
  return {
    id: null,
    title: 'Ransomware hits hospital chain',
    link: 'https://news.example/a/ransomware-hospital',
    published: '2026-11-19T08:00:00.000Z',
    updated: null,
    authors: ['Ana Writer'],
    summary: 'A ransomware attack disrupted hospitals.',
    content: null,
    categories: [],
    enclosures: [],
    ...overrides,
  };
}

function draft(sourceId: string, feedItem: FeedItem): ArticleDraft {
  return buildDraft({
    identity: identifyItem(sourceId, feedItem),
    item: feedItem,
    extracted: null,
    extractError: null,
    feedText: feedItem.summary ?? '',
    feedHtml: feedItem.summary,
    summary: feedItem.summary,
    tags: [{ type: 'incident', value: 'ransomware', slug: 'incident:ransomware', name: 'Ransomware', mentions: ['ransomware'] }],
    iocs: [],
  });
}

function freshStore(): Store {
  const store = openStore(':memory:');
  store.syncSources([
    { id: 'one', name: 'One', url: 'https://one.example/feed', schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' },
    { id: 'two', name: 'Two', url: 'https://two.example/feed', schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' },
  ]);
  return store;
}

function totalChanges(store: Store): number {
  return store.db.prepare('SELECT total_changes()').pluck().get() as number;
}

describe('store', () => {
  it('stores an article once and its tags with mentions', () => {
    const store = freshStore();
    const counts = store.ingest('one', [draft('one', item({ id: 'g1' }))], fetchState);
    expect(counts).toEqual({ new: 1, updated: 0, duplicates: 0, unchanged: 0 });
    const { articles } = store.articles({ limit: 10 });
    expect(articles).toHaveLength(1);
    expect(articles[0]!.tags).toEqual(['incident:ransomware']);
    expect(store.articleTags(articles[0]!.id)[0]!.mentions).toEqual(['ransomware']);
    expect(articles[0]!.publishedSource).toBe('feed');
  });

  it('writes nothing to articles when the same items come again', () => {
    const store = freshStore();
    const drafts = [draft('one', item({ id: 'g1' })), draft('one', item({ id: 'g2', link: 'https://news.example/b', title: 'Another' }))];
    store.ingest('one', drafts, fetchState);
    const before = store.db.prepare('SELECT COUNT(*) AS n, MAX(rowid) AS r FROM articles').get();
    const changesBefore = totalChanges(store);
    const counts = store.ingest('one', drafts, fetchState);
    expect(counts).toEqual({ new: 0, updated: 0, duplicates: 0, unchanged: 2 });
    // Only the source's fetch-state row was written.
    expect(totalChanges(store) - changesBefore).toBe(1);
    expect(store.db.prepare('SELECT COUNT(*) AS n, MAX(rowid) AS r FROM articles').get()).toEqual(before);
  });

  it('merges the same article from two feeds when one link carries tracking parameters', () => {
    const store = freshStore();
    store.ingest('one', [draft('one', item({ id: 'one-guid' }))], fetchState);
    const counts = store.ingest('two', [draft('two', item({ id: 'two-guid', link: 'https://NEWS.example/a/ransomware-hospital/?utm_source=rss&utm_medium=feed#top' }))], fetchState);
    expect(counts).toEqual({ new: 0, updated: 0, duplicates: 1, unchanged: 0 });
    expect(store.articleCount()).toBe(1);
    expect(store.db.prepare('SELECT COUNT(*) FROM sightings').pluck().get()).toBe(2);
  });

  it('updates an article whose title changed, keeping its id', () => {
    const store = freshStore();
    store.ingest('one', [draft('one', item({ id: 'g1' }))], fetchState);
    const id = store.articles({ limit: 1 }).articles[0]!.id;
    const counts = store.ingest('one', [draft('one', item({ id: 'g1', title: 'UPDATED: Ransomware hits hospital chain' }))], { ...fetchState, at: '2026-11-21T00:00:00.000Z' });
    expect(counts.updated).toBe(1);
    const article = store.article(id)!;
    expect(article.title).toBe('UPDATED: Ransomware hits hospital chain');
    expect(article.updated).toBe('2026-11-21T00:00:00.000Z');
    expect(store.articleCount()).toBe(1);
  });

  it('replaces the tags and IOCs of an updated article; a tag without mentions reads back without them', () => {
    const store = freshStore();
    store.ingest('one', [draft('one', item({ id: 'g1' }))], fetchState);
    const id = store.articles({ limit: 1 }).articles[0]!.id;
    const revised = { ...draft('one', item({ id: 'g1', title: 'Hospital chain restores systems after attack' })), tags: [{ type: 'vendor' as const, value: 'acme', slug: 'vendor:acme', name: 'Acme' }], iocs: [{ type: 'domain' as const, value: 'evil.example' }] };
    expect(store.ingest('one', [revised], { ...fetchState, at: '2026-11-21T00:00:00.000Z' }).updated).toBe(1);
    expect(store.articleTags(id)).toEqual([{ type: 'vendor', value: 'acme', slug: 'vendor:acme', name: 'Acme' }]);
    expect(store.db.prepare('SELECT type, value FROM iocs WHERE article_id = ?').all(id)).toEqual([{ type: 'domain', value: 'evil.example' }]);
  });

  it('merges full-text segments 8 at a time (migration 7: cheaper indexing per ingest transaction)', () => {
    const store = freshStore();
    expect(store.db.prepare("SELECT v FROM articles_fts_config WHERE k = 'automerge'").pluck().get()).toBe(8);
  });

  it('creates new databases with 16 KiB pages, and leaves an existing one its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-pages-'));
    const fresh = openStore(join(dir, 'new.db'));
    expect(fresh.db.pragma('page_size', { simple: true })).toBe(16384);
    fresh.close();
    const old = new Database(join(dir, 'old.db'));
    old.pragma('page_size = 4096');
    old.exec('CREATE TABLE t (x)');
    old.close();
    const reopened = openStore(join(dir, 'old.db'));
    expect(reopened.db.pragma('page_size', { simple: true })).toBe(4096);
    reopened.close();
  });

  it('keeps per-source GUIDs apart: two sources may reuse a GUID for different articles', () => {
    const store = freshStore();
    store.ingest('one', [draft('one', item({ id: '1' }))], fetchState);
    store.ingest('two', [draft('two', item({ id: '1', link: 'https://two.example/other', title: 'Other' }))], fetchState);
    expect(store.articleCount()).toBe(2);
  });

  it('pages with a stable keyset cursor, newest first', () => {
    const store = freshStore();
    const drafts = Array.from({ length: 5 }, (_, i) => draft('one', item({ id: `g${i}`, link: `https://news.example/${i}`, title: `T${i}`, published: `2026-11-1${i}T00:00:00.000Z` })));
    store.ingest('one', drafts, fetchState);
    const first = store.articles({ limit: 2 });
    expect(first.articles.map((a) => a.title)).toEqual(['T4', 'T3']);
    store.ingest('one', [draft('one', item({ id: 'new', link: 'https://news.example/new', title: 'Newest', published: '2026-11-30T00:00:00.000Z' }))], fetchState);
    const second = store.articles({ limit: 2, cursor: first.nextCursor! });
    expect(second.articles.map((a) => a.title)).toEqual(['T2', 'T1']);
    expect(store.articles({ limit: 10, tags: ['incident:ransomware'], source: 'one' }).articles).toHaveLength(6);
    expect(store.articles({ limit: 10, tags: ['actor:apt29'] }).articles).toHaveLength(0);
  });

  it('records fetch errors and counts consecutive failures', () => {
    const store = freshStore();
    store.recordFetch('one', { ...fetchState, status: 500, errorKind: 'Http5xx', errorMessage: 'server error' });
    store.recordFetch('one', { ...fetchState, status: 500, errorKind: 'Http5xx', errorMessage: 'server error' });
    expect(store.sourceState('one')).toMatchObject({ consecutiveErrors: 2, errorKind: 'Http5xx', lastStatus: 500, lastSuccessAt: null });
    store.recordFetch('one', fetchState);
    expect(store.sourceState('one')).toMatchObject({ consecutiveErrors: 0, errorKind: null, lastSuccessAt: at });
  });

  it('changes its change token on every write', () => {
    const store = freshStore();
    const before = store.changeToken();
    store.ingest('one', [draft('one', item({ id: 'g1' }))], fetchState);
    expect(store.changeToken()).not.toBe(before);
  });

  describe('full-text index of an ingest (written once, before the commit)', () => {
    const titlesFound = (store: Store, query: string): string[] => store.search({ limit: 10, match: parseQuery(query) }).hits.map((hit) => hit.article.title);
    const indexIsSound = (store: Store): void => {
      // Throws SQLITE_CORRUPT_VTAB when the index and the articles disagree.
      store.db.exec("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)");
    };

    it('indexes every new article of the ingest, by prefix too, and leaves no deferral behind', () => {
      const store = freshStore();
      store.ingest('one', [draft('one', item({ id: 'g1', title: 'Kalorimeter breach' })), draft('one', item({ id: 'g2', title: 'Zorbatrix patch', link: 'https://news.example/a/zorbatrix' }))], fetchState);
      expect(titlesFound(store, 'kalorimeter')).toEqual(['Kalorimeter breach']);
      expect(titlesFound(store, 'zorb*')).toEqual(['Zorbatrix patch']);
      expect(store.meta('fts.deferred')).toBeNull();
      indexIsSound(store);
    });

    it('an item repeated in one feed with changed text updates an indexed row (the update trigger finds what it removes)', () => {
      const store = freshStore();
      const first = draft('one', item({ id: 'g1', title: 'Kalorimeter breach', summary: 'First words about quantelope.' }));
      const again = draft('one', item({ id: 'g2', title: 'Kalorimeter breach widens', summary: 'Second words about vexillary.' }));
      const counts = store.ingest('one', [first, again], fetchState);
      expect(counts).toMatchObject({ new: 1, updated: 1 });
      expect(titlesFound(store, 'vexillary')).toEqual(['Kalorimeter breach widens']);
      expect(titlesFound(store, 'quantelope')).toEqual([]);
      indexIsSound(store);
    });

    it('a failed ingest leaves neither rows nor the deferral; other writers are indexed by the trigger', () => {
      const store = freshStore();
      const broken = { ...draft('one', item({ id: 'g1', title: 'Kalorimeter breach' })), title: null as unknown as string };
      expect(() => store.ingest('one', [draft('one', item({ id: 'g0', title: 'Zorbatrix patch', link: 'https://news.example/a/z' })), broken], fetchState)).toThrow();
      expect(store.articleCount()).toBe(0);
      expect(store.meta('fts.deferred')).toBeNull();
      store.db
        .prepare("INSERT INTO articles (source_id, url, canonical_url, title, first_seen, sort_date, text, feed_hash, content_hash) VALUES ('one', 'u', 'u', 'Direct quillwort', ?, ?, 'body', 'f', 'c')")
        .run(at, at);
      expect(titlesFound(store, 'quillwort')).toEqual(['Direct quillwort']);
      indexIsSound(store);
    });
  });
});
