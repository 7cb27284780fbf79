import { describe, expect, it } from 'vitest';
import { clusterLabelled, labelledDraft, loadLabelledSet, pairwiseScore, type LabelledArticle } from '../../scripts/lib/story-eval.js';
import { createTagger } from '../tagging/index.js';
import type { FeedItem, Tag } from '../types.js';
import { buildDraft, identifyItem } from './draft.js';
import { openStore, type Store } from './store.js';
import type { ArticleDraft, FetchStateUpdate } from './types.js';

const SOURCES = ['ledger', 'desk', 'relay', 'cert', 'patch'];

function freshStore(options: Parameters<typeof openStore>[1] = {}): Store {
  const store = openStore(':memory:', options);
  store.syncSources(SOURCES.map((id) => ({ id, name: id, url: `https://${id}.example/feed`, schedule: '*/15 * * * *', articles: false, rules: null, tags: [], kind: 'feed' })));
  return store;
}

function state(at: string): FetchStateUpdate {
  return { at, status: 200, errorKind: null, errorMessage: null, nextFetchAt: at, nextFetchReason: 'test', durationMs: 1 };
}

function tag(slug: string): Tag {
  const [type, value] = slug.split(':') as [Tag['type'], string];
  return { type, value, slug, name: value };
}

function article(id: string, source: string, published: string, title: string, text: string, tags: string[] = []): LabelledArticle & { tags: string[] } {
  return { id, event: id, source, published, title, text, tags };
}

function ingest(store: Store, a: ReturnType<typeof article>): ArticleDraft {
  const draft = labelledDraft(a, a.tags.map(tag));
  store.ingest(a.source, [draft], state(a.published));
  return draft;
}

function storyOfUrl(store: Store, draft: ArticleDraft): number {
  return store.articleByUrl(draft.canonicalUrl)!.story!;
}

describe('stories in the store', () => {
  it('puts one event from three outlets in one story: lead is the earliest, tags are the union, members by date', () => {
    const store = freshStore();
    const a = ingest(store, article('a', 'ledger', '2027-03-02T09:00:00Z', 'Orchard Mutual Bank confirms breach of loan records', 'Orchard Mutual Bank said on Tuesday that an intruder copied loan files. The lender hired Halcyon Forensics.', ['incident:data-breach']));
    const b = ingest(store, article('b', 'desk', '2027-03-02T13:00:00Z', 'Hackers stole loan files from a Midwest lender', 'A regional lender, Orchard Mutual Bank, disclosed that attackers reached a document server. Halcyon Forensics is investigating.', ['sector:finance']));
    const c = ingest(store, article('c', 'relay', '2027-03-01T20:00:00Z', 'Orchard Mutual data breach hits 210,000 borrowers', 'Borrowers were exposed in a data breach at Orchard Mutual Bank, according to a notice. Orchard Mutual blamed a vendor.', []));
    const id = storyOfUrl(store, a);
    expect(storyOfUrl(store, b)).toBe(id);
    expect(storyOfUrl(store, c)).toBe(id);
    const story = store.story(id)!;
    expect(story.articles.map((m) => m.source)).toEqual(['relay', 'ledger', 'desk']);
    expect(story.lead).toBe(store.articleByUrl(c.canonicalUrl)!.id);
    expect(story.title).toBe('Orchard Mutual data breach hits 210,000 borrowers');
    expect(story.first).toBe('2027-03-01T20:00:00.000Z');
    expect(story.last).toBe('2027-03-02T13:00:00.000Z');
    expect(story.tags).toEqual(['incident:data-breach', 'sector:finance']);
    expect(store.storyOf(store.articleByUrl(b.canonicalUrl)!.id)!.id).toBe(id);
    expect(store.stories({ limit: 10 }).stories).toHaveLength(1);
  });

  it('keeps two events that share only a vendor apart', () => {
    const store = freshStore();
    const a = ingest(store, article('a', 'desk', '2027-03-03T18:00:00Z', 'Microsoft warns of consent phishing that steals Teams tokens', 'Microsoft said a phishing campaign tricks users into granting a rogue app access to Teams.', ['vendor:microsoft', 'incident:phishing']));
    const b = ingest(store, article('b', 'patch', '2027-03-04T18:00:00Z', 'Microsoft ships out-of-band fix for Exchange Server mail flow bug', 'Microsoft released an update after a date check stopped mail flow on Exchange Server.', ['vendor:microsoft', 'incident:phishing']));
    expect(storyOfUrl(store, a)).not.toBe(storyOfUrl(store, b));
  });

  it('keeps the advisory and the exploitation a month later apart though they share a CVE', () => {
    const store = freshStore();
    const a = ingest(store, article('a', 'patch', '2027-02-01T16:00:00Z', 'Quarrystone fixes critical Transfer flaw CVE-2027-31001', 'Quarrystone released a fix for CVE-2027-31001 in Quarrystone Transfer.', ['cve:CVE-2027-31001']));
    const b = ingest(store, article('b', 'desk', '2027-03-06T09:00:00Z', 'Attackers mass-exploit Quarrystone Transfer flaw CVE-2027-31001', 'Attackers exploit CVE-2027-31001 in Quarrystone Transfer servers.', ['cve:CVE-2027-31001']));
    const c = ingest(store, article('c', 'cert', '2027-03-06T14:00:00Z', 'Active exploitation of CVE-2027-31001 in Quarrystone Transfer', 'We observe exploitation of CVE-2027-31001 against Quarrystone Transfer.', ['cve:CVE-2027-31001']));
    expect(storyOfUrl(store, a)).not.toBe(storyOfUrl(store, b));
    expect(storyOfUrl(store, b)).toBe(storyOfUrl(store, c));
  });

  it('stores a syndicated copy as its own row, marked as a copy of the original, in the same story', () => {
    const store = freshStore();
    const text = 'Brightmoor Labs today published its 2027 Phishing Benchmark, based on 48 million simulated phishing emails sent to employees at 3,100 organisations. The average click rate fell to 4.1 percent.';
    const a = ingest(store, article('a', 'relay', '2027-03-05T12:00:00Z', 'Brightmoor Labs 2027 Phishing Benchmark', text));
    const b = ingest(store, article('b', 'ledger', '2027-03-05T15:00:00Z', 'Press release: click rates fall again', text));
    const original = store.articleByUrl(a.canonicalUrl)!;
    const story = store.storyOf(original.id)!;
    expect(story.articles.map((m) => [m.url, m.duplicateOf])).toEqual([
      [a.url, null],
      [b.url, original.id],
    ]);
    expect(story.lead).toBe(original.id);
    expect(store.articleCount()).toBe(2);
  });

  it('pages stories by last change and filters them by tag and source', () => {
    const store = freshStore();
    ingest(store, article('a', 'desk', '2027-03-01T09:00:00Z', 'Nestwatch raises $25 million', 'Nestwatch, a start-up, raised money from Larkspur Ventures.', ['incident:policy']));
    ingest(store, article('b', 'cert', '2027-03-02T09:00:00Z', 'Skyrun Air booking site knocked offline', 'Skyrun Air said its booking site was unreachable after an attack.', ['incident:ddos']));
    ingest(store, article('c', 'ledger', '2027-03-03T09:00:00Z', 'Harborline Ferries hit by ransomware', 'Harborline Ferries cancelled bookings after an attack.', ['incident:ransomware']));
    const first = store.stories({ limit: 2 });
    expect(first.stories.map((s) => s.title)).toEqual(['Harborline Ferries hit by ransomware', 'Skyrun Air booking site knocked offline']);
    const second = store.stories({ limit: 2, cursor: first.nextCursor! });
    expect(second.stories.map((s) => s.title)).toEqual(['Nestwatch raises $25 million']);
    expect(second.nextCursor).toBeNull();
    expect(store.stories({ limit: 10, tags: ['incident:ddos'] }).stories.map((s) => s.title)).toEqual(['Skyrun Air booking site knocked offline']);
    expect(store.stories({ limit: 10, source: 'desk' }).stories.map((s) => s.title)).toEqual(['Nestwatch raises $25 million']);
  });

  it('meets the precision and recall goals on the labelled set', () => {
    const tagger = createTagger();
    const labelled = loadLabelledSet(new URL('../../test/fixtures/stories/labelled.yaml', import.meta.url).pathname);
    const score = pairwiseScore(labelled, clusterLabelled(labelled, (title, text) => tagger.tag({ title, text }).tags));
    expect(score.falseMerges).toEqual([]);
    expect(score.missedMerges).toEqual([]);
    expect(score.precision).toBeGreaterThanOrEqual(0.97);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
  });
});

function feedItem(overrides: Partial<FeedItem>): FeedItem {
  return {
    id: null,
    title: 'Harborline Ferries hit by ransomware',
    link: 'https://ledger.example/2027/03/harborline',
    published: '2027-03-10T07:00:00.000Z',
    updated: null,
    authors: [],
    summary: null,
    content: null,
    categories: [],
    enclosures: [],
    ...overrides,
  };
}

const BODY = Array.from({ length: 30 }, (_, i) => `Harborline Ferries sentence ${i} about the bookings outage and the reservation servers.`).join(' ');

function feedDraft(source: string, item: FeedItem, text = BODY, canonical: string | null = null): ArticleDraft {
  const identity = identifyItem(source, item);
  const extracted = canonical
    ? { url: item.link!, canonicalUrl: canonical, title: item.title, authors: [], published: null, publishedSource: null, modified: null, lang: null, siteName: null, image: null, description: null, text, html: `<p>${text}</p>` }
    : null;
  return buildDraft({ identity, item, extracted, extractError: null, feedText: text, feedHtml: null, summary: null, tags: [], iocs: [] });
}

describe('one article, several URLs and revisions', () => {
  it('takes the AMP and mobile renderings from another feed as the same article', () => {
    const store = freshStore();
    store.ingest('ledger', [feedDraft('ledger', feedItem({}))], state('2027-03-10T08:00:00Z'));
    const counts = store.ingest('desk', [feedDraft('desk', feedItem({ link: 'https://m.ledger.example/2027/03/harborline/amp?amp=1' }))], state('2027-03-10T09:00:00Z'));
    expect(counts).toEqual({ new: 0, updated: 0, duplicates: 1, unchanged: 0 });
    expect(store.articleCount()).toBe(1);
  });

  it('finds an article again under its page rel=canonical (same site only)', () => {
    const store = freshStore();
    const draft = feedDraft('ledger', feedItem({ link: 'https://ledger.example/?p=4411' }), BODY, 'https://ledger.example/2027/03/harborline');
    expect(draft.aliasUrls).toEqual(['https://ledger.example/2027/03/harborline']);
    store.ingest('ledger', [draft], state('2027-03-10T08:00:00Z'));
    const counts = store.ingest('desk', [feedDraft('desk', feedItem({ link: 'https://ledger.example/2027/03/harborline' }))], state('2027-03-10T09:00:00Z'));
    expect(counts.duplicates).toBe(1);
    expect(store.articleCount()).toBe(1);
    expect(store.articleUrls(store.articleByUrl('https://ledger.example/?p=4411')!.id)).toEqual([
      'https://ledger.example/2027/03/harborline',
      'https://ledger.example/?p=4411',
    ]);
    expect(feedDraft('ledger', feedItem({}), BODY, 'https://other-site.example/harborline').aliasUrls).toEqual([]);
  });

  it('does not create an article when a publisher churns GUIDs and cache-busting queries', () => {
    const store = freshStore();
    store.ingest('ledger', [feedDraft('ledger', feedItem({ id: 'g-1', link: 'https://ledger.example/2027/03/harborline?cb=1' }))], state('2027-03-10T08:00:00Z'));
    const counts = store.ingest('ledger', [feedDraft('ledger', feedItem({ id: 'g-2', link: 'https://ledger.example/2027/03/harborline?cb=2' }))], state('2027-03-10T09:00:00Z'));
    expect(counts.new).toBe(0);
    expect(store.articleCount()).toBe(1);
    // The pipeline asks before fetching the page: with the title, a churned item is known (no re-extraction).
    const churned = feedItem({ id: 'g-9', link: 'https://ledger.example/2027/03/harborline?cb=9' });
    const id = store.articleByUrl('https://ledger.example/2027/03/harborline?cb=1')?.id ?? store.articles({ limit: 1 }).articles[0]!.id;
    expect(store.knownItem('ledger', 'guid:g-9', 'https://ledger.example/2027/03/harborline?cb=9', churned.title)?.articleId).toBe(id);
    expect(store.knownItem('ledger', 'guid:g-9', 'https://ledger.example/2027/03/harborline?cb=9')).toBeNull();
    expect(store.knownItem('ledger', 'guid:g-9', 'https://ledger.example/2027/03/harborline?cb=9', 'Another title')).toBeNull();
    // The same path under another title is another article (a live blog reusing its URL is the publisher's choice).
    store.ingest('ledger', [feedDraft('ledger', feedItem({ id: 'g-3', title: 'Another story', link: 'https://ledger.example/2027/03/harborline?cb=3' }))], state('2027-03-10T10:00:00Z'));
    expect(store.articleCount()).toBe(2);
  });

  it('keeps revisions: a typo fix is not material, a new paragraph is, and only that re-dates article and story', () => {
    const store = freshStore({ stories: { materialChange: 0.05 } });
    store.ingest('ledger', [feedDraft('ledger', feedItem({}))], state('2027-03-10T08:00:00Z'));
    const id = store.articleByUrl('https://ledger.example/2027/03/harborline')!.id;
    const storyBefore = store.storyOf(id)!.updated;

    const typo = store.ingest('ledger', [feedDraft('ledger', feedItem({ summary: 'x' }), BODY.replace('outage', 'outtage'))], state('2027-03-10T09:00:00Z'));
    expect(typo.updated).toBe(1);
    expect(store.article(id)!.updated).toBeNull();
    expect(store.storyOf(id)!.updated).toBe(storyBefore);

    const update = `${BODY} UPDATE: Harborline Ferries said on Wednesday that bookings have resumed and no passenger payment data was taken, according to a statement.`;
    store.ingest('ledger', [feedDraft('ledger', feedItem({ title: 'UPDATED: Harborline Ferries hit by ransomware', summary: 'y' }), update)], state('2027-03-11T09:00:00Z'));
    expect(store.article(id)!.updated).toBe('2027-03-11T09:00:00Z');
    expect(store.article(id)!.title).toBe('UPDATED: Harborline Ferries hit by ransomware');
    expect(store.storyOf(id)!.updated).toBe('2027-03-11T09:00:00Z');
    expect(store.storyOf(id)!.title).toBe('UPDATED: Harborline Ferries hit by ransomware');

    const history = store.revisions(id);
    expect(history.map((r) => [r.revision, r.at, r.title, r.material])).toEqual([
      [1, '2027-03-10T09:00:00Z', 'Harborline Ferries hit by ransomware', false],
      [2, '2027-03-11T09:00:00Z', 'Harborline Ferries hit by ransomware', true],
    ]);
    expect(history[0]!.change).toBeLessThan(0.05);
    expect(history[1]!.change).toBeGreaterThanOrEqual(0.05);
    expect(store.articleCount()).toBe(1);
  });
});
