import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { labelledDraft } from '../../scripts/lib/story-eval.js';
import { openStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const state = (at: string) => ({ at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'test', durationMs: 1 });

describe('stories backfill', () => {
  it('places articles stored before stories existed when the store opens, the same way an ingest would have', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-backfill-'));
    dirs.push(dir);
    const path = join(dir, 'wire.db');
    const store = openStore(path);
    store.syncSources(['ledger', 'desk', 'relay'].map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' as const })));
    const articles = [
      { id: 'a', event: 'orchard', source: 'ledger', published: '2027-03-02T09:00:00Z', title: 'Orchard Mutual Bank confirms breach of loan records', text: 'Orchard Mutual Bank said on Tuesday that an intruder copied loan files. The lender hired Halcyon Forensics.' },
      { id: 'b', event: 'orchard', source: 'desk', published: '2027-03-02T13:00:00Z', title: 'Hackers stole loan files from a Midwest lender', text: 'A regional lender, Orchard Mutual Bank, disclosed that attackers reached a document server. Halcyon Forensics is investigating.' },
      { id: 'c', event: 'kettle', source: 'relay', published: '2027-03-02T10:00:00Z', title: 'Kettlewood Schools delay exams after network outage', text: 'Kettlewood Schools postponed exams after an outage took down its network, the district said.' },
    ];
    for (const a of articles) store.ingest(a.source, [labelledDraft(a, [])], state(a.published));
    const live = articles.map((a) => store.articleByUrl(labelledDraft(a, []).canonicalUrl)!.story);
    expect(live[0]).toBe(live[1]);
    expect(live[2]).not.toBe(live[0]);
    // What a database from before migration 4 looks like: articles without stories.
    store.db.exec('UPDATE articles SET story_id = NULL, duplicate_of = NULL; DELETE FROM story_keys; DELETE FROM story_members; DELETE FROM stories;');
    store.close();

    const reopened = openStore(path);
    const stories = articles.map((a) => reopened.articleByUrl(labelledDraft(a, []).canonicalUrl)!.story);
    expect(stories.every((id) => id !== null)).toBe(true);
    expect(stories[0]).toBe(stories[1]);
    expect(stories[2]).not.toBe(stories[0]);
    expect(reopened.story(stories[0]!)!.articles.map((m) => m.source)).toEqual(['ledger', 'desk']);
    reopened.close();
  });
  it('re-indexes articles that kept their story when the index layout changed (migration 6), without moving them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secwire-reindex-'));
    dirs.push(dir);
    const path = join(dir, 'wire.db');
    const store = openStore(path);
    store.syncSources(['ledger', 'desk', 'relay'].map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' as const })));
    const a = { id: 'a', event: 'orchard', source: 'ledger', published: '2027-03-02T09:00:00Z', title: 'Orchard Mutual Bank confirms breach of loan records', text: 'Orchard Mutual Bank said on Tuesday that an intruder copied loan files. The lender hired Halcyon Forensics.' };
    store.ingest(a.source, [labelledDraft(a, [])], state(a.published));
    const storyId = store.articleByUrl(labelledDraft(a, []).canonicalUrl)!.story;
    // As migration 6 leaves a database: stories kept, index emptied, re-indexing requested.
    store.db.exec("DELETE FROM story_keys; DELETE FROM story_members; INSERT INTO meta (key, value) VALUES ('stories.reindex_after', '0')");
    store.close();

    const reopened = openStore(path);
    expect(reopened.db.prepare('SELECT story_id FROM story_members').pluck().all()).toEqual([storyId]);
    expect(reopened.meta('stories.reindex_after')).toBeNull();
    const b = { id: 'b', event: 'orchard', source: 'desk', published: '2027-03-02T13:00:00Z', title: 'Hackers stole loan files from a Midwest lender', text: 'A regional lender, Orchard Mutual Bank, disclosed that attackers reached a document server. Halcyon Forensics is investigating.' };
    reopened.ingest(b.source, [labelledDraft(b, [])], state(b.published));
    expect(reopened.articleByUrl(labelledDraft(b, []).canonicalUrl)!.story).toBe(storyId);
    reopened.close();
  });
});
