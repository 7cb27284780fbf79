import { describe, expect, it } from 'vitest';
import type { FeedItem, Tag } from '../types.js';
import { ingestFeedItem } from '../../test/support/store.js';
import { ftsMatch, parseQuery } from './search-query.js';
import { makeSnippet, snippetTerms } from './search-snippet.js';
import { openStore, type Store } from './store.js';

const at = '2026-11-20T10:00:00.000Z';

function add(store: Store, n: number, title: string, text: string | null, summary: string | null = null): void {
  const item: FeedItem = { id: `g${n}`, title, link: `https://one.example/${n}`, published: at, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
  const tags: Tag[] = [{ type: 'vendor', value: 'ivanti', slug: 'vendor:ivanti', name: 'Ivanti' }];
  ingestFeedItem(store, 'one', item, { text, summary, tags }, at);
}

/** Bodies of every shape a snippet meets: long and short, sentences, colons, diacritics, repeats, nothing matching. */
function archive(): Store {
  const store = openStore(':memory:');
  store.syncSources([{ id: 'one', name: 'one', url: 'https://one.example/f', schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' }]);
  let seed = 11;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return Math.floor((seed / 4_294_967_296) * n);
  };
  const words = ['kalo', 'kalor', 'dimu', 'pexo', 'rune', 'tarn', 'velt', 'zorp', 'Café', 'résumé', 'gateway', 'Ivanti', 'zero-day', 'CVE-2024-3400'];
  const ends = [' ', ' ', ' ', ' ', '. ', ': ', ', ', '.\n\n', ' (', ') ', ' - '];
  for (let n = 0; n < 120; n++) {
    const length = [3, 10, 23, 24, 25, 60, 200][n % 7]!;
    let text = n % 5 === 0 ? '  "' : '';
    for (let i = 0; i < length; i++) text += words[next(words.length)]! + ends[next(ends.length)]!;
    add(store, n, `Title ${words[next(words.length)]} ${n}`, text.trimEnd() + (n % 3 === 0 ? '.' : ''));
  }
  add(store, 1000, 'Summary only kalo', null, 'A summary: kalo and dimu, nothing more.');
  return store;
}

describe('makeSnippet', () => {
  const store = archive();
  const reference = store.db.prepare("SELECT snippet(articles_fts, 1, char(2), char(3), '…', 24) FROM articles_fts WHERE articles_fts MATCH ? AND rowid = CAST(? AS INTEGER)").pluck();

  it.each(['kalo', 'kal*', 'kalo dimu', '"kalo dimu"', 'pexo OR rune', 'cafe', 'resume gateway', 'zero-day', 'ivanti', 'title', 'cve-2024-3400', 'tarn -velt', 'ka* ze*', 'zorp sort:date'])(
    'chooses and marks the same window as FTS5 snippet(): %s',
    (q) => {
      const match = parseQuery(q);
      const hits = store.search({ limit: 200, match }).hits;
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits) expect(hit.snippet).toBe(reference.get(ftsMatch(match), hit.article.id));
    },
  );

  it('marks a phrase as one span and keeps the text between words as it is', () => {
    const terms = snippetTerms(parseQuery('"connect secure"'));
    expect(makeSnippet('Ivanti Connect  Secure, again.', terms)).toBe('Ivanti \u0002Connect  Secure\u0003, again.');
  });

  it('gives the opening words when nothing in the body matches, and an empty body as it is', () => {
    const terms = snippetTerms(parseQuery('absent'));
    const text = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    expect(makeSnippet(text, terms)).toBe(`${Array.from({ length: 24 }, (_, i) => `w${i}`).join(' ')}…`);
    expect(makeSnippet('', terms)).toBe('');
  });
});
