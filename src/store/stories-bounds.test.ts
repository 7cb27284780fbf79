import { describe, expect, it } from 'vitest';
import { labelledDraft, type LabelledArticle } from '../../scripts/lib/story-eval.js';
import type { Tag } from '../types.js';
import { openStore, type Store } from './store.js';
import type { ArticleDraft, FetchStateUpdate } from './types.js';

const SOURCES = ['ledger', 'desk', 'relay', 'cert', 'patch', 'wire'];

function freshStore(stories: Parameters<typeof openStore>[1] extends infer O ? (O extends { stories?: infer S } ? S : never) : never = {}): Store {
  const store = openStore(':memory:', { stories });
  store.syncSources(SOURCES.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  return store;
}

const state = (at: string): FetchStateUpdate => ({ at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'test', durationMs: 1 });

function tag(slug: string): Tag {
  const [type, value] = slug.split(':') as [Tag['type'], string];
  return { type, value, slug, name: value };
}

function ingest(store: Store, id: string, source: string, published: string, title: string, text: string, tags: string[] = []): number {
  const article: LabelledArticle = { id, event: id, source, published, title, text };
  const draft: ArticleDraft = labelledDraft(article, tags.map(tag));
  store.ingest(source, [draft], state(published));
  return store.articleByUrl(draft.canonicalUrl)!.story!;
}

describe('bounded stories', () => {
  it('does not grow a story by a chain of weak links: the joining article must match the lead', () => {
    const store = freshStore();
    const a = ingest(store, 'a', 'ledger', '2027-03-02T09:00:00Z', 'Orchard Mutual Bank confirms breach of loan records', 'Orchard Mutual Bank said an intruder copied loan files. The lender hired Halcyon Forensics to investigate.');
    // Shares the forensics firm with the lead: joins.
    const b = ingest(store, 'b', 'desk', '2027-03-02T12:00:00Z', 'Forensics firm busy with two lender breaches', 'Halcyon Forensics is also working for Pinecrest Credit Union, which found an intruder in its network.');
    // Shares the credit union with b only, nothing with the lead: another event, its own story.
    const c = ingest(store, 'c', 'relay', '2027-03-02T15:00:00Z', 'Pinecrest Credit Union resets member passwords', 'Pinecrest Credit Union reset passwords for members after the network intrusion, Pinecrest said.');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(store.story(a)!.articles).toHaveLength(2);
  });

  it('caps a story at maxArticles: the next article on the event starts a new story', () => {
    const store = freshStore({ maxArticles: 3 });
    const text = (n: number) => `Harborline Ferries cancelled bookings after ransomware hit its reservation servers, outlet ${n} reports. Harborline Ferries hired Coldwater Response.`;
    const ids = SOURCES.slice(0, 5).map((source, n) => ingest(store, `h${n}`, source, `2027-03-0${n + 1}T09:00:00Z`, `Harborline Ferries ransomware update ${n}`, text(n), ['malware:lockbit']));
    expect(ids.slice(0, 3).every((id) => id === ids[0])).toBe(true);
    expect(ids[3]).not.toBe(ids[0]);
    expect(ids[4]).toBe(ids[3]);
    expect(store.story(ids[0]!)!.articles).toHaveLength(3);
  });
});

describe('bridged stories', () => {
  const victim = 'Kettlewood Schools postponed exams after attackers took down the district network, Kettlewood Schools said on Monday.';
  const flaw = 'Brightline Networks released a fix for CVE-2027-41002 in its Brightline Gateway appliances, which attackers exploited at a school district.';
  const bridge = 'Kettlewood Schools said attackers came in through CVE-2027-41002 in a Brightline Gateway appliance made by Brightline Networks.';

  it('merges two stories of one event when a later article strongly matches both: the older survives and is re-dated', () => {
    const store = freshStore();
    const first = ingest(store, 'victim', 'ledger', '2027-04-05T09:00:00Z', 'Kettlewood Schools delay exams after network outage', victim);
    const second = ingest(store, 'flaw', 'patch', '2027-04-05T11:00:00Z', 'Brightline Networks patches exploited gateway flaw', flaw, ['cve:CVE-2027-41002']);
    expect(second).not.toBe(first);
    const joined = ingest(store, 'bridge', 'desk', '2027-04-06T10:00:00Z', 'Kettlewood Schools outage traced to Brightline gateway flaw', bridge, ['cve:CVE-2027-41002']);
    expect(joined).toBe(first);
    expect(store.story(second)).toBeNull();
    const story = store.story(first)!;
    expect(story.articles.map((m) => m.source)).toEqual(['ledger', 'patch', 'desk']);
    expect(story.updated).toBe('2027-04-06T10:00:00Z');
    expect(story.title).toBe('Kettlewood Schools delay exams after network outage');
    expect(story.tags).toEqual(['cve:CVE-2027-41002']);
    expect(store.stories({ limit: 10 }).stories.map((s) => s.id)).toEqual([first]);
    // Later articles find the merged story through either side.
    const later = ingest(store, 'later', 'cert', '2027-04-07T08:00:00Z', 'Brightline Gateway flaw CVE-2027-41002 exploited', flaw.replace('released', 'shipped'), ['cve:CVE-2027-41002']);
    expect(later).toBe(first);
  });

  it('does not merge two stories over generic vendors and incident types', () => {
    const store = freshStore();
    const generic = ['vendor:microsoft', 'incident:ransomware'];
    const first = ingest(store, 'teams', 'ledger', '2027-04-05T09:00:00Z', 'Microsoft warns of ransomware gangs abusing Teams calls', 'Microsoft said ransomware affiliates call employees over Teams pretending to be help desk staff.', generic);
    const second = ingest(store, 'exchange', 'patch', '2027-04-05T11:00:00Z', 'Ransomware hits unpatched Exchange servers, Microsoft says', 'Microsoft said ransomware crews are encrypting unpatched Exchange servers this week.', generic);
    ingest(store, 'roundup', 'desk', '2027-04-06T10:00:00Z', 'Microsoft ransomware roundup: Teams calls and Exchange servers', 'Microsoft published two ransomware warnings this week, about Teams calls and about Exchange servers.', generic);
    expect(second).not.toBe(first);
    expect(store.story(first)).not.toBeNull();
    expect(store.story(second)).not.toBeNull();
  });

  it('does not merge when the merged story would exceed maxArticles', () => {
    const store = freshStore({ maxArticles: 2 });
    const first = ingest(store, 'victim', 'ledger', '2027-04-05T09:00:00Z', 'Kettlewood Schools delay exams after network outage', victim);
    const second = ingest(store, 'flaw', 'patch', '2027-04-05T11:00:00Z', 'Brightline Networks patches exploited gateway flaw', flaw, ['cve:CVE-2027-41002']);
    const joined = ingest(store, 'bridge', 'desk', '2027-04-06T10:00:00Z', 'Kettlewood Schools outage traced to Brightline gateway flaw', bridge, ['cve:CVE-2027-41002']);
    expect(store.story(first)).not.toBeNull();
    expect(store.story(second)).not.toBeNull();
    expect([first, second]).toContain(joined);
  });
});
