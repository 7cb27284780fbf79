import { describe, expect, it } from 'vitest';
import type { FeedItem, Tag } from '../types.js';
import { bulkLoad, resumeBulkLoad, type BulkItem } from './bulk-load.js';
import { buildDraft, identifyItem } from './draft.js';
import { parseQuery } from './search-query.js';
import { openStore, type Store } from './store.js';

const SOURCES = ['alpha', 'bravo', 'charlie', 'delta'];
const VENDORS = ['Ivanti', 'Fortinet', 'Citrix', 'Cisco', 'Atlassian'];
const ACTORS = ['apt29', 'lazarus-group', 'volt-typhoon'];

function tag(type: Tag['type'], value: string, name = value): Tag {
  return { type, value, slug: `${type}:${value}`, name };
}

/**
 * 30 events, each reported by 1-4 outlets in their own words (so stories form), then a later batch where one
 * article is revised and another outlet republishes a known URL (a duplicate sighting).
 */
function batches(): BulkItem[][] {
  const at = '2026-11-20T10:00:00.000Z';
  const state = { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'test', durationMs: 1 };
  const draft = (source: string, n: number, title: string, text: string, tags: Tag[], published: string) => {
    const item: FeedItem = { id: `g${n}`, title, link: `https://${source}.example/news/${n}`, published, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [] };
    return buildDraft({ identity: identifyItem(source, item), item, extracted: null, extractError: null, feedText: text, feedHtml: null, summary: text.slice(0, 80), tags: [...tags, tag('source', source)], iocs: [] });
  };
  const reports: { source: string; draft: ReturnType<typeof draft> }[] = [];
  let n = 0;
  for (let event = 0; event < 30; event++) {
    const vendor = VENDORS[event % VENDORS.length]!;
    const actor = ACTORS[event % ACTORS.length]!;
    const cve = `CVE-2026-${2000 + event}`;
    const day = String(1 + (event % 28)).padStart(2, '0');
    for (let r = 0; r < 1 + (event % 4); r++) {
      const source = SOURCES[(event + r) % SOURCES.length]!;
      const text = `${vendor} confirmed that ${cve} in its gateway appliances was exploited by ${actor} before a patch shipped. Researchers at Mandiant Helix Labs
        saw the Glimmerfang implant on hundreds of devices in Norway and Brazil. Report ${r} adds that customers should rotate credentials and check logs for event ${event}.`;
      reports.push({ source, draft: draft(source, n++, `${vendor} ${cve} exploited by ${actor} (${r})`, text, [tag('vendor', vendor.toLowerCase(), vendor), tag('actor', actor), tag('cve', cve)], `2026-11-${day}T0${r}:00:00Z`) });
    }
  }
  const bySource = (list: typeof reports): BulkItem[] =>
    SOURCES.flatMap((source) => {
      const drafts = list.filter((report) => report.source === source).map((report) => report.draft);
      return drafts.length ? [{ sourceId: source, drafts, state }] : [];
    });
  const first = reports[0]!;
  const revised = { ...first.draft, text: `${first.draft.text} Update: a second flaw, CVE-2026-9999, was chained with it.`, contentHash: 'revised' };
  const republished = { ...reports[1]!.draft, itemKey: 'guid:copy' };
  return [
    bySource(reports.slice(0, 40)),
    bySource(reports.slice(40)),
    [
      { sourceId: first.source, drafts: [revised], state },
      { sourceId: 'delta', drafts: [republished], state },
    ],
  ];
}

function emptyStore(): Store {
  const store = openStore(':memory:');
  store.syncSources(SOURCES.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  return store;
}

const QUERIES = ['ivanti', 'glimmerfang exploited', '"rotate credentials"', 'mand*', 'cve:cve-2026-2003', 'actor:apt29 -vendor:citrix', 'CVE-2026-9999', 'norway sort:date', 'source:bravo'];

/** Everything a reader can see of the archive: rows of every table clustering and search write, and search results. */
function snapshot(store: Store) {
  const all = (sql: string) => store.db.prepare(sql).all();
  return {
    articles: all('SELECT id, source_id, canonical_url, title, text, story_id, duplicate_of, tag_text FROM articles ORDER BY id'),
    tags: all('SELECT * FROM tags ORDER BY article_id, slug'),
    sightings: all('SELECT source_id, item_key, article_id FROM sightings ORDER BY source_id, item_key'),
    revisions: all('SELECT article_id, revision, change, material FROM revisions ORDER BY article_id, revision'),
    stories: all('SELECT * FROM stories ORDER BY id'),
    members: all('SELECT * FROM story_members ORDER BY article_id'),
    keys: all('SELECT * FROM story_keys ORDER BY key, date, article_id'),
    search: QUERIES.map((q) => store.search({ limit: 50, match: parseQuery(q, { now: new Date('2026-11-30T00:00:00Z') }) }).hits.map((hit) => [hit.article.id, hit.rank, hit.snippet])),
    facets: store.facets({ limit: 20, match: parseQuery('exploited') }),
  };
}

const ftsIntact = (store: Store): void => {
  store.db.exec("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)");
};

describe('bulkLoad', () => {
  it('builds the archive an ingest of the same batches builds: articles, tags, stories, search results', () => {
    const ingested = emptyStore();
    for (const batch of batches()) for (const item of batch) ingested.ingest(item.sourceId, item.drafts, item.state);
    const loaded = emptyStore();
    const counts = bulkLoad(loaded, batches());

    expect(counts).toEqual({ new: 73, updated: 1, duplicates: 1, unchanged: 0 });
    const expected = snapshot(ingested);
    // The archive must exercise what the load could get wrong: stories of several articles, a revision, hits.
    expect(Math.max(...(expected.stories as { article_count: number }[]).map((story) => story.article_count))).toBeGreaterThan(1);
    expect(expected.revisions).toHaveLength(1);
    expect(expected.search.every((hits) => hits.length > 0)).toBe(true);
    expect(snapshot(loaded)).toEqual(expected);
    ftsIntact(loaded);
  });

  it('keeps the full-text index in step with later ingests, and leaves foreign keys on', () => {
    const store = emptyStore();
    const [first, second] = batches();
    bulkLoad(store, [first!]);
    for (const item of second!) store.ingest(item.sourceId, item.drafts, item.state);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    ftsIntact(store);
    expect(store.search({ limit: 100, match: parseQuery('glimmerfang') }).hits).toHaveLength(store.articleCount());
  });

  it('restores the index when a batch fails, and when a load was cut off', () => {
    const store = emptyStore();
    const [first] = batches();
    function* failing(): Generator<BulkItem[]> {
      yield first!;
      throw new Error('generator broke');
    }
    expect(() => bulkLoad(store, failing())).toThrow('generator broke');
    ftsIntact(store);
    expect(store.meta('bulk_load.suspended_triggers')).toBeNull();
    const stored = store.articleCount();
    expect(store.search({ limit: 100, match: parseQuery('glimmerfang') }).hits).toHaveLength(stored);

    // A process killed mid-load, after dropping the insert trigger: its SQL waits in meta.
    const triggers = store.db.prepare("SELECT sql FROM sqlite_master WHERE name LIKE 'articles_fts_%' AND type = 'trigger'").pluck().all() as string[];
    expect(triggers).toHaveLength(3);
    store.setMeta('bulk_load.suspended_triggers', JSON.stringify(triggers));
    store.db.exec('DROP TRIGGER articles_fts_insert');
    const [, second] = batches();
    for (const item of second!) store.ingest(item.sourceId, item.drafts, item.state);
    expect(store.search({ limit: 100, match: parseQuery('glimmerfang') }).hits).toHaveLength(stored);
    resumeBulkLoad(store);
    ftsIntact(store);
    expect(store.search({ limit: 100, match: parseQuery('glimmerfang') }).hits).toHaveLength(store.articleCount());
    expect(store.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'articles_fts_%' AND type = 'trigger'").pluck().get()).toBe(3);
  });
});
