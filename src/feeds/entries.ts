import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { SourceState } from '../store/types.js';
import type { Article, Tag } from '../types.js';
import type { FeedEntry } from './types.js';
import { summarize } from './summary.js';

/** The id of an article in every feed: derived from its canonical URL, so it survives re-emits and rebuilt databases. */
export function entryId(canonicalUrl: string): string {
  return `urn:secwire:article:${createHash('sha256').update(canonicalUrl).digest('hex').slice(0, 32)}`;
}

export interface EntryContext {
  sources: Map<string, Pick<SourceState, 'id' | 'name' | 'url'>>;
  tagsOf: (articleId: number) => Tag[];
  full: boolean;
}

export function articleToEntry(article: Article, context: EntryContext): FeedEntry {
  const source = context.sources.get(article.source);
  const published = article.published ?? article.firstSeen;
  return {
    id: entryId(article.canonicalUrl),
    title: article.title,
    link: article.url,
    published,
    updated: article.updated && article.updated > published ? article.updated : published,
    authors: article.authors,
    summary: article.summary ?? (article.text ? summarize(article.text) : null),
    contentHtml: context.full ? article.html : null,
    tags: context.tagsOf(article.id).map((tag) => ({ slug: tag.slug, type: tag.type, value: tag.value, name: tag.name })),
    source: { id: article.source, name: source?.name ?? article.source, url: source?.url ?? article.url },
    image: article.image,
    alsoCoveredBy: [],
  };
}

/**
 * Where story members come from once the store clusters stories (issue 6). Routes and pages take this as an
 * optional lookup, so feeds work the same before stories exist and gain "Also covered by" when they do.
 */
export interface StoryLookup {
  /** Every article of the article's story, the article included; just `[article]` when it has no story. */
  membersOf(article: Article): Article[];
}

/** Story members as the store clusters them (issue 6); an article without a story stands alone. */
export function storeStoryLookup(store: Pick<Store, 'storyOf' | 'article'>): StoryLookup {
  return {
    membersOf(article) {
      const story = store.storyOf(article.id);
      if (story === null) return [article];
      const members = story.articles.map((member) => (member.id === article.id ? article : store.article(member.id))).filter((member) => member !== null);
      return members.length > 0 ? members : [article];
    },
  };
}

function instantOf(article: Article): string {
  const published = article.published ?? article.firstSeen;
  return article.updated && article.updated > published ? article.updated : published;
}

/**
 * One feed entry for a story: the earliest article leads (so the entry id never changes as outlets join),
 * `updated` moves with the newest member, and the other outlets' articles become "Also covered by".
 */
export function storyToEntry(members: Article[], context: EntryContext): FeedEntry {
  if (members.length === 0) throw new Error('storyToEntry needs at least one article');
  const byAge = [...members].sort((a, b) => (a.published ?? a.firstSeen).localeCompare(b.published ?? b.firstSeen) || a.id - b.id);
  const lead = byAge[0]!;
  const entry = articleToEntry(lead, context);
  const newest = byAge.map(instantOf).reduce((max, at) => (at > max ? at : max), entry.updated);
  const alsoCoveredBy = byAge
    .slice(1)
    .filter((member) => member.canonicalUrl !== lead.canonicalUrl)
    .map((member) => ({ sourceName: context.sources.get(member.source)?.name ?? member.source, title: member.title, url: member.url }));
  return { ...entry, updated: newest, alsoCoveredBy };
}

/**
 * Entries for a newest-first page of articles, one per story when `stories` is given: a story shows up once,
 * at the position of its first (newest) member on the page.
 */
export function entriesFor(articles: Article[], context: EntryContext, stories: StoryLookup | null): FeedEntry[] {
  if (stories === null) return articles.map((article) => articleToEntry(article, context));
  const seenStories = new Set<number>();
  const entries: FeedEntry[] = [];
  for (const article of articles) {
    if (article.story !== null) {
      if (seenStories.has(article.story)) continue;
      seenStories.add(article.story);
    }
    entries.push(storyToEntry(stories.membersOf(article), context));
  }
  return entries;
}
