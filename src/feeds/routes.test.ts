import { describe, expect, it } from 'vitest';
import type { Config } from '../config/load.js';
import { feedPath, feedUrl, matchFeedRoute, parseFeedOptions, parseTagParams } from './routes.js';

const config = { feeds: { defaultLimit: 50, maxLimit: 500, title: 'secwire' } } as Config;

describe('matchFeedRoute', () => {
  const none = new URLSearchParams();
  it('recognises every feed route of INTERFACE.md in every format', () => {
    expect(matchFeedRoute('/feeds/all.rss', none)).toEqual({ spec: { kind: 'all' }, format: 'rss' });
    expect(matchFeedRoute('/feeds/source/the-record.atom', none)).toEqual({ spec: { kind: 'source', source: 'the-record' }, format: 'atom' });
    expect(matchFeedRoute('/feeds/tag/cve/cve-2021-44228.json', none)).toEqual({ spec: { kind: 'tag', tag: 'cve:CVE-2021-44228' }, format: 'json' });
    expect(matchFeedRoute('/feeds/tag/actor/APT29.rss', none)?.spec).toEqual({ kind: 'tag', tag: 'actor:apt29' });
    expect(matchFeedRoute('/feeds/watchlist/my-vendors.atom', none)?.spec).toEqual({ kind: 'watchlist', name: 'my-vendors' });
    expect(matchFeedRoute('/feeds/search.rss', new URLSearchParams('q=ivanti&tag=actor:apt29&tag=')).spec).toEqual({ kind: 'search', query: 'ivanti', tags: ['actor:apt29'] });
  });

  it('returns null for other paths, unknown tag types and broken escapes', () => {
    for (const path of ['/feeds/all.xml', '/feeds/tag/nope/x.rss', '/feeds/tag/actor.rss', '/feeds/source/%E0%A4%A.rss', '/other']) expect(matchFeedRoute(path, none), path).toBeNull();
  });
});

describe('feed paths and URLs', () => {
  it('round-trips through matchFeedRoute, escaping values and carrying search terms in the query string', () => {
    const specs = [
      { kind: 'all' },
      { kind: 'source', source: 'a-b' },
      { kind: 'tag', tag: 'product:ivanti-connect-secure' },
      { kind: 'tag', tag: 'country:jp' },
      { kind: 'watchlist', name: 'mine' },
      { kind: 'search', query: 'ivanti "zero day" & more', tags: ['actor:apt29'] },
    ] as const;
    for (const spec of specs) {
      const url = new URL(feedUrl('https://wire.example/base', spec, 'atom'));
      expect(url.pathname.startsWith('/base/feeds/')).toBe(true);
      expect(matchFeedRoute(url.pathname.slice('/base'.length), url.searchParams)?.spec).toEqual(spec);
    }
    expect(feedPath({ kind: 'search', query: '', tags: [] })).toEqual({ path: '/feeds/search', query: '' });
  });
});

describe('parseFeedOptions', () => {
  it('reads limit, full, since and stories with defaults', () => {
    expect(parseFeedOptions(new URLSearchParams(''), config)).toEqual({ limit: 50, full: false, since: undefined, stories: true });
    expect(parseFeedOptions(new URLSearchParams('limit=5&full=1&since=2026-11-01&stories=0'), config)).toEqual({ limit: 5, full: true, since: '2026-11-01T00:00:00.000Z', stories: false });
  });

  it('answers QueryError for bad values', () => {
    for (const query of ['limit=0', 'limit=501', 'limit=x', 'full=yes', 'since=soon']) {
      expect(() => parseFeedOptions(new URLSearchParams(query), config), query).toThrow(expect.objectContaining({ kind: 'QueryError' }));
    }
    expect(() => parseTagParams(['bogus:x'])).toThrow(expect.objectContaining({ kind: 'QueryError' }));
    expect(parseTagParams(['CVE:cve-2024-1', 'Actor:APT29'])).toEqual(['cve:CVE-2024-1', 'actor:apt29']);
  });
});
