import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { FeedItem, Tag } from '../types.js';
import { bestHitIds, chooseDatePlan, DEFAULT_SEARCH_PLAN_OPTIONS, encodeCursor, findHits, relevanceWindow, type ArticleSearch } from './article-query.js';
import { ingestFeedItem } from '../../test/support/store.js';
import { MIGRATIONS } from './migrations.js';
import { emptyQuery, ftsExcluded, ftsMatch, parseQuery } from './search-query.js';
import { openStore, type Store } from './store.js';

const at = '2026-11-20T10:00:00.000Z';

function tag(slug: string, name: string): Tag {
  const [type, value] = slug.split(':') as [Tag['type'], string];
  return { type, value, slug, name };
}

function add(store: Store, source: string, n: number, title: string, text: string, tags: Tag[], published: string): void {
  const item: FeedItem = { id: `g${n}`, title, link: `https://${source}.example/${n}`, published, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
  ingestFeedItem(store, source, item, { text, tags: [...tags, tag(`source:${source}`, source)] }, at);
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

  it('ranks title, then tag name, then body matches, folding diacritics and case as the index does', () => {
    const store = archive();
    add(store, 'one', 5, 'Résumé-Café breach', 'Nothing more.', [], '2026-11-01T00:00:00Z');
    add(store, 'two', 6, 'Quiet week', 'A cafe was mentioned.', [], '2026-11-17T00:00:00Z');
    add(store, 'one', 7, 'Another week', 'Nothing at all.', [tag('vendor:cafe-systems', 'CAFÉ Systems')], '2026-11-18T00:00:00Z');
    // Newest first within a tier: "Quiet week" before the older "APT29 ..." (Café in its body).
    expect(titles(store, 'cafe')).toEqual(['Résumé-Café breach', 'Another week', 'Quiet week', 'APT29 phishing targets diplomats']);
    expect(titles(store, '"resume cafe"')).toEqual(['Résumé-Café breach']);
    expect(titles(store, 'caf* OR lockbit')).toEqual(['Résumé-Café breach', 'Another week', 'Ransomware hits hospital chain', 'Quiet week', 'APT29 phishing targets diplomats']);
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

/** A deterministic archive big enough that plans differ: words, tags, sources and dates drawn from small sets. */
function syntheticArchive(count: number): Store {
  const store = openStore(':memory:');
  const sources = ['one', 'two', 'three'];
  store.syncSources(sources.map((id) => ({ id, name: id, url: `https://${id}.example/f`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * n);
  };
  // Common, middling and rare words, and words sharing prefixes (kal, kalo, kalor...).
  const words = ['kalo', 'kalor', 'kalorin', 'dimu', 'dimura', 'pexo', 'rune', 'tarn', 'velt', 'zorp', 'quill', 'ombre'];
  const weights = [40, 20, 3, 30, 5, 25, 10, 8, 6, 2, 1, 1];
  const total = weights.reduce((a, b) => a + b, 0);
  const word = (): string => {
    let r = next(total);
    for (let i = 0; i < words.length; i += 1) if ((r -= weights[i]!) < 0) return words[i]!;
    return words[0]!;
  };
  const actors = ['apt29', 'apt28', 'fin7'];
  for (let n = 0; n < count; n += 1) {
    const source = sources[next(sources.length)]!;
    const title = Array.from({ length: 3 }, word).join(' ');
    const text = Array.from({ length: 12 }, word).join(' ');
    const day = 1 + next(28);
    // Some articles share a date so the id breaks ties.
    const published = `2026-0${1 + next(9)}-${String(day).padStart(2, '0')}T${n % 3 === 0 ? '00' : String(next(24)).padStart(2, '0')}:00:00.000Z`;
    const actor = actors[next(actors.length)]!;
    const tags = [tag(`actor:${actor}`, actor.toUpperCase()), ...(next(10) === 0 ? [tag('cve:CVE-2026-0001', 'CVE-2026-0001')] : [])];
    const item: FeedItem = { id: `s${n}`, title, link: `https://${source}.example/s/${n}`, published, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
    ingestFeedItem(store, source, item, { text, tags: [...tags, tag(`source:${source}`, source)] }, at);
  }
  return store;
}

/**
 * What a query must return, by the plainest SQL there is: every article checked, sorted in full. By relevance:
 * the newest `window` matches, each scored by FTS5 column filters (1, +10 per AND-group in the title, +4 per
 * group in the tags), best first, then newest.
 */
function referenceIds(store: Store, q: string, extra: ArticleSearch = { limit: 0 }, window = DEFAULT_SEARCH_PLAN_OPTIONS.relevanceWindow): number[] {
  const match = parseQuery(q, { now: new Date('2026-11-30T00:00:00Z') });
  const where: string[] = [];
  const params: Record<string, string> = {};
  const wanted = ftsMatch(match);
  const excluded = ftsExcluded(match);
  if (wanted) {
    where.push('a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH @wanted)');
    params['wanted'] = wanted;
  }
  if (excluded) {
    where.push('a.id NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH @excluded)');
    params['excluded'] = excluded;
  }
  [...(extra.tags ?? []), ...match.tags].forEach((slug, i) => {
    where.push(`a.id IN (SELECT article_id FROM tags WHERE slug = @t${i})`);
    params[`t${i}`] = slug;
  });
  match.excludedTags.forEach((slug, i) => {
    where.push(`a.id NOT IN (SELECT article_id FROM tags WHERE slug = @n${i})`);
    params[`n${i}`] = slug;
  });
  match.sources.forEach((source, i) => {
    where.push(`a.source_id = @s${i}`);
    params[`s${i}`] = source;
  });
  if (match.since) {
    where.push('a.sort_date >= @since');
    params['since'] = match.since;
  }
  if (match.until) {
    where.push('a.sort_date < @until');
    params['until'] = match.until;
  }
  const byRelevance = wanted !== null && match.sort !== 'date';
  const order = byRelevance ? 'ORDER BY a.id DESC' : 'ORDER BY a.sort_date DESC, a.id DESC';
  const ids = store.db.prepare(`SELECT a.id FROM articles a ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${order}`).pluck().all(params) as number[];
  if (!byRelevance) return ids;
  const inColumn = (column: string, group: (typeof match.groups)[number]): Set<number> =>
    new Set(store.db.prepare('SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?').pluck().all(`${column} : (${ftsMatch({ ...emptyQuery(), groups: [group] })})`) as number[]);
  const columns = match.groups.map((group) => ({ title: inColumn('title', group), tags: inColumn('tags', group) }));
  const score = (id: number): number => columns.reduce((sum, { title, tags }) => sum + (title.has(id) ? 10 : 0) + (tags.has(id) ? 4 : 0), 1);
  return ids.slice(0, window).sort((a, b) => score(b) - score(a) || b - a);
}

describe('search plans', () => {
  const store = syntheticArchive(400);
  const now = new Date('2026-11-30T00:00:00Z');
  const queries = [
    'kalo sort:date',
    'kal* sort:date',
    'kalor* sort:date',
    'ka* sort:date',
    'kalorin sort:date',
    'quill OR ombre sort:date',
    'dimu -kalo sort:date',
    '"kalo dimu" sort:date',
    'tag:actor:apt29 sort:date',
    'cve:CVE-2026-0001',
    'cve:CVE-2026-0001 -actor:fin7',
    'actor:apt28 pexo sort:date',
    'source:two rune sort:date',
    '-kalo',
    '-kalo -source:one',
    'pexo since:2026-03-01 until:2026-05-01 sort:date',
    'since:2026-04-01 until:2026-04-03',
    'kalo',
    'kal*',
    'quill OR ombre',
    'dimu -kalo',
    'actor:apt29 velt',
    'tarn since:2026-03-01',
    'cve:CVE-2026-0001 kal*',
    '"kalo dimu" OR apt28 pexo',
    'actor:apt28 kalo source:two',
    'actor:apt29 dimu -cve:CVE-2026-0001',
    'actor:fin7 "kalo dimu" since:2026-03-01',
  ];

  it.each(queries)('finds the same articles in the same order by every plan: %s', (q) => {
    const match = parseQuery(q, { now });
    const expected = referenceIds(store, q);
    const ids = (page: { hits: { id: number }[] }): number[] => page.hits.map((hit) => hit.id);
    const everything = { limit: 1000, match };
    expect(ids(findHits(store.db, everything, { walkBudget: 10_000 }, 'walk'))).toEqual(expected);
    expect(ids(findHits(store.db, everything, { walkBudget: 10_000 }, 'driven'))).toEqual(expected);
    expect(ids(findHits(store.db, everything, {}, 'semi'))).toEqual(expected);
    // A first page with a small walk budget: the walk fills it, or gives up and the driven read answers. A small
    // density sample lets the words' estimate pick the semi-join (a few candidates, more read when filters thin them).
    for (const walkBudget of [5, 60, 10_000]) expect(ids(findHits(store.db, { limit: 20, match }, { walkBudget }))).toEqual(expected.slice(0, 21));
    for (const densitySample of [2, 10, 50]) {
      for (const limit of [1, 20]) expect(ids(findHits(store.db, { limit, match }, { densitySample }))).toEqual(expected.slice(0, limit + 1));
    }
    // Relevance ranks the newest `relevanceWindow` matches, however the window is found (the words' index, a small
    // tag, a common tag intersected with all the words' matches or only their newest few).
    for (const relevanceWindow of [3, 40]) {
      for (const tagSemiMatches of [2, 25, 10_000]) {
        expect(ids(findHits(store.db, everything, { relevanceWindow, tagSemiMatches }))).toEqual(referenceIds(store, q, undefined, relevanceWindow));
      }
    }
  });

  it.each(['kal* sort:date', 'cve:CVE-2026-0001', 'pexo OR rune -tarn', 'actor:apt29 velt'])('pages through every match with cursors, whatever the walk budget: %s', (q) => {
    const match = parseQuery(q, { now });
    const expected = store.search({ limit: 1000, match }).hits.map((hit) => hit.article.id);
    expect(expected.length).toBeGreaterThan(3);
    for (const plan of [{ walkBudget: 4 }, { walkBudget: 10_000 }, { densitySample: 3 }]) {
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = findHits(store.db, { limit: 7, match, cursor }, plan);
        const shown = page.hits.slice(0, 7);
        seen.push(...shown.map((hit) => hit.id));
        const last = shown[shown.length - 1];
        cursor = page.hits.length > 7 && last ? encodeCursor(page.sort === 'relevance' ? String(last.rank) : last.sort_date!, last.id) : undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
    }
  });

  it('gives the newest article of each of the newest stories, as a walk over every article would', () => {
    const all = store.db.prepare('SELECT id, story_id FROM articles ORDER BY sort_date DESC, id DESC').all() as { id: number; story_id: number | null }[];
    const stories = new Set(all.map((row) => row.story_id));
    expect(stories.size).toBeGreaterThan(5);
    expect(stories.size).toBeLessThan(all.length);
    for (const count of [1, 5, 300]) {
      const seen = new Set<string>();
      const expected: number[] = [];
      for (const row of all) {
        const key = row.story_id === null ? `a${row.id}` : `s${row.story_id}`;
        if (!seen.has(key) && expected.length < count) expected.push(row.id);
        seen.add(key);
      }
      expect(store.storyHeads({}, count).map((article) => article.id)).toEqual(expected);
    }
  });

  it.each(['kalo', 'actor:apt29 velt', 'cve:CVE-2026-0001 kal*', 'tag:actor:apt29 sort:date'])('counts facets over the same hits as the ranked list: %s', (q) => {
    const match = parseQuery(q, { now });
    const sorted = (ids: number[]): number[] => [...ids].sort((a, b) => a - b);
    for (const [relevanceWindow, maxHits] of [[30, 30], [30, 100], [100, 30]] as const) {
      const ranked = findHits(store.db, { limit: maxHits - 1, match }, { relevanceWindow }).hits.map((hit) => hit.id);
      expect(sorted(bestHitIds(store.db, { limit: 20, match }, maxHits, { relevanceWindow }))).toEqual(sorted(ranked));
    }
  });

  it('reads every match when few match, and otherwise picks the walk or the semi-join by the words\' density', () => {
    expect(findHits(store.db, { limit: 5, match: parseQuery('quill sort:date') }).plan).toBe('driven');
    expect(findHits(store.db, { limit: 5, match: parseQuery('kalo sort:date') }, { densitySample: 10 }).plan).toBe('semi');
    // Tags alone: a common one is walked, a rare one (under a quarter of the walk budget) read whole.
    expect(findHits(store.db, { limit: 5, match: parseQuery('actor:apt29 sort:date') }, { walkBudget: 100 }).plan).toBe('walk');
    expect(findHits(store.db, { limit: 5, match: parseQuery('cve:CVE-2026-0001') }, { walkBudget: 400 }).plan).toBe('driven');
    expect(findHits(store.db, { limit: 5, match: parseQuery('quill') }).plan).toBe('relevance');
    // Relevance with a tag: a small tag drives; a common one is intersected with the words' matches, unless their
    // newest few hold less than a window of it (the words then drive, each match checked against the tag).
    const tagged = { limit: 5, match: parseQuery('actor:apt29 velt') };
    expect(relevanceWindow(store.db, tagged).driver).toBe('tag');
    expect(relevanceWindow(store.db, tagged, { relevanceWindow: 3 }).driver).toBe('tag-semi');
    expect(relevanceWindow(store.db, tagged, { relevanceWindow: 3, tagSemiMatches: 2 }).driver).toBe('fts');
    expect(relevanceWindow(store.db, tagged, { relevanceWindow: 3, tagSemiMatches: 2 }).ids).toEqual(relevanceWindow(store.db, tagged, { relevanceWindow: 3 }).ids);
    // At a million articles: common words are walked (a page is near), words in a few percent are semi-joined.
    expect(chooseDatePlan(0.5, 1_000_000, 21).plan).toBe('walk');
    expect(chooseDatePlan(0.05, 1_000_000, 21)).toEqual({ plan: 'semi', candidates: 1680 });
    // A page of a thousand (facets) at that density needs so many candidates that reading every match is cheaper.
    expect(chooseDatePlan(0.05, 1_000_000, 1000).plan).toBe('driven');
  });
});

describe('migration 5', () => {
  it('rebuilds the full-text index with prefix indexes on a database of schema 4, keeping every article searchable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-m5-'));
    const file = join(dir, 'old.db');
    const old = new Database(file);
    old.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    for (const migration of MIGRATIONS.filter((m) => m.version <= 4)) {
      old.exec(migration.sql);
      old.prepare('INSERT INTO migrations VALUES (?, ?, ?)').run(migration.version, migration.name, at);
    }
    const insert = old.prepare(
      `INSERT INTO articles (source_id, url, canonical_url, title, first_seen, sort_date, text, feed_hash, content_hash, tag_text, story_id)
       VALUES ('one', ?, ?, ?, ?, ?, ?, 'f', 'c', 'APT29 apt29', NULL)`,
    );
    insert.run('https://one.example/1', 'https://one.example/1', 'Kalorimeter breach', at, '2026-11-01T00:00:00.000Z', 'Ransomware crews struck.');
    insert.run('https://one.example/2', 'https://one.example/2', 'Patch day', at, '2026-11-02T00:00:00.000Z', 'Kalorin firmware fixed.');
    old.close();

    const store = openStore(file);
    try {
      expect(store.db.prepare('SELECT MAX(version) >= 5 FROM migrations').pluck().get()).toBe(1);
      expect(store.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'").pluck().get()).toContain("prefix = '2 3 4 5'");
      const found = (q: string): string[] => store.search({ limit: 10, match: parseQuery(q) }).hits.map((hit) => hit.article.title);
      expect(found('kal* sort:date')).toEqual(['Patch day', 'Kalorimeter breach']);
      expect(found('kalorimeter')).toEqual(['Kalorimeter breach']);
      expect(found('ransom*')).toEqual(['Kalorimeter breach']);
      expect(found('apt29 -kalorin')).toEqual(['Kalorimeter breach']);
      // The triggers still write to the rebuilt index.
      add(store, 'one', 9, 'Kalends advisory', 'Nothing else.', [], '2026-11-03T00:00:00Z');
      expect(found('kal* sort:date')).toEqual(['Kalends advisory', 'Patch day', 'Kalorimeter breach']);
      expect(store.db.prepare("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)").run().changes).toBeGreaterThanOrEqual(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('change token', () => {
  it('sees another connection commit once the event loop turns, and its own writes at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-token-'));
    const file = join(dir, 'wire.db');
    const reader = openStore(file);
    const writer = openStore(file);
    try {
      const before = reader.changeToken();
      writer.setMeta('x', '1');
      await new Promise((resolve) => setImmediate(resolve));
      const afterOther = reader.changeToken();
      expect(afterOther).not.toBe(before);
      reader.setMeta('y', '1');
      expect(reader.changeToken()).not.toBe(afterOther);
    } finally {
      reader.close();
      writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
