import { describe, expect, it } from 'vitest';
import type { FeedItem, Tag } from '../types.js';
import { ingestFeedItem } from '../../test/support/store.js';
import { parseQuery } from './search-query.js';
import { openStore, type Store } from './store.js';

const at = '2026-11-20T10:00:00.000Z';

function add(store: Store, n: number, tags: Tag[]): void {
  const item: FeedItem = { id: `g${n}`, title: `Article ${n} kalo`, link: `https://one.example/${n}`, published: at, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
  ingestFeedItem(store, 'one', item, { text: `Body ${n} kalo.`, tags }, at);
}

describe('reading many articles at once', () => {
  const store = openStore(':memory:');
  store.syncSources([{ id: 'one', name: 'one', url: 'https://one.example/f', schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' }]);
  const tag = (slug: string, name: string, mentions?: string[]): Tag => {
    const [type, value] = slug.split(':') as [Tag['type'], string];
    return { type, value, slug, name, ...(mentions ? { mentions } : {}) };
  };
  add(store, 1, [tag('vendor:ivanti', 'Ivanti', ['Ivanti']), tag('actor:apt29', 'APT29'), tag('cve:CVE-2024-1', 'CVE-2024-1')]);
  add(store, 2, []);
  add(store, 3, [tag('malware:lockbit', 'LockBit')]);
  const ids = (store.db.prepare('SELECT id FROM articles ORDER BY id').pluck().all() as number[]).concat([999]);

  it('gives each article and its tags as reading them one by one does', () => {
    const articles = store.articlesById(ids);
    const tags = store.articlesTags(ids);
    expect(articles.size).toBe(3);
    for (const id of ids) {
      expect(articles.get(id) ?? null).toEqual(store.article(id));
      expect(tags.get(id) ?? []).toEqual(id === 999 ? [] : store.articleTags(id));
    }
    expect(store.articleTags(ids[0]!).map((t) => t.slug)).toEqual(['actor:apt29', 'cve:CVE-2024-1', 'vendor:ivanti']);
  });

  it('gives search hits the tags of their own article', () => {
    const hits = store.search({ limit: 10, match: parseQuery('kalo sort:date') }).hits;
    expect(hits).toHaveLength(3);
    for (const hit of hits) expect(hit.article.tags).toEqual(store.article(hit.article.id)!.tags);
  });
});
