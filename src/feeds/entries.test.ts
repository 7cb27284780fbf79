import { describe, expect, it } from 'vitest';
import type { Article } from '../types.js';
import { entriesFor, entryId, storyToEntry, type EntryContext, type StoryLookup } from './entries.js';

function article(id: number, source: string, published: string, story: number | null, extra: Partial<Article> = {}): Article {
  return {
    id,
    url: `https://${source}.example/a/${id}`,
    canonicalUrl: `https://${source}.example/a/${id}`,
    source,
    title: `Title ${id}`,
    authors: [],
    published,
    publishedSource: 'meta',
    updated: null,
    firstSeen: published,
    lang: 'en',
    image: null,
    summary: `Summary ${id}`,
    text: null,
    html: null,
    tags: [],
    story,
    ...extra,
  };
}

const context: EntryContext = {
  sources: new Map([
    ['zd', { id: 'zd', name: 'ZDNet', url: 'https://zd.example/feed' }],
    ['tc', { id: 'tc', name: 'TechCrunch', url: 'https://tc.example/feed' }],
    ['rec', { id: 'rec', name: 'The Record', url: 'https://rec.example/feed' }],
  ]),
  tagsOf: () => [],
  full: false,
};

describe('storyToEntry', () => {
  it('keeps the earliest article as lead, moves updated with the newest member and lists the other outlets', () => {
    const first = article(1, 'zd', '2026-11-20T09:00:00.000Z', 5);
    const second = article(2, 'tc', '2026-11-20T12:00:00.000Z', 5);
    const before = storyToEntry([first], context);
    const after = storyToEntry([second, first, article(3, 'rec', '2026-11-21T08:00:00.000Z', 5, { updated: '2026-11-22T08:00:00.000Z' })], context);
    expect(after.id).toBe(before.id);
    expect(after.id).toBe(entryId(first.canonicalUrl));
    expect(after.link).toBe(first.url);
    expect(after.published).toBe(first.published);
    expect(after.updated).toBe('2026-11-22T08:00:00.000Z');
    expect(after.alsoCoveredBy).toEqual([
      { sourceName: 'TechCrunch', title: 'Title 2', url: 'https://tc.example/a/2' },
      { sourceName: 'The Record', title: 'Title 3', url: 'https://rec.example/a/3' },
    ]);
  });
});

describe('entriesFor', () => {
  const members = new Map<number, Article[]>();
  const stored = new Map<number, Article>();
  const asked: number[][] = [];
  const lookup: StoryLookup = {
    membersOf: (ids) => {
      asked.push(ids);
      return new Map(ids.flatMap((id) => (members.has(id) ? [[id, members.get(id)!] as const] : [])));
    },
    article: (id) => stored.get(id) ?? null,
  };

  it('gives one entry per story at its newest member position, and one per article without a lookup', () => {
    const a = article(1, 'zd', '2026-11-20T09:00:00.000Z', 5);
    const b = article(2, 'tc', '2026-11-20T12:00:00.000Z', 5);
    const lone = article(3, 'rec', '2026-11-20T11:00:00.000Z', null);
    members.set(5, [a, b]);
    const page = [b, lone, a];
    const grouped = entriesFor(page, context, lookup);
    expect(grouped.map((e) => e.id)).toEqual([entryId(a.canonicalUrl), entryId(lone.canonicalUrl)]);
    expect(grouped[0]!.alsoCoveredBy).toHaveLength(1);
    expect(entriesFor(page, context, null)).toHaveLength(3);
  });

  it('reads the members of all stories on the page at once and the full lead only when it is not on the page', () => {
    const lead = article(10, 'zd', '2026-11-19T09:00:00.000Z', 7, { summary: 'The lead summary' });
    const newer = article(11, 'tc', '2026-11-21T09:00:00.000Z', 7);
    const other = article(12, 'rec', '2026-11-21T08:00:00.000Z', 8);
    members.set(7, [lead, newer]);
    members.set(8, [other]);
    stored.set(lead.id, lead);
    asked.length = 0;
    const grouped = entriesFor([newer, other], context, lookup);
    expect(asked).toEqual([[7, 8]]);
    expect(grouped.map((e) => e.id)).toEqual([entryId(lead.canonicalUrl), entryId(other.canonicalUrl)]);
    expect(grouped[0]!.summary).toBe('The lead summary');
    expect(grouped[0]!.updated).toBe(newer.published);
    stored.delete(lead.id);
    const withoutLead = entriesFor([newer], context, lookup);
    expect(withoutLead.map((e) => e.id)).toEqual([entryId(newer.canonicalUrl)]);
    expect(withoutLead[0]!.alsoCoveredBy).toEqual([]);
  });
});
