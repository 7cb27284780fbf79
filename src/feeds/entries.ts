import { createHash } from 'node:crypto';
import type { Store, StoryMember } from '../store/store.js';
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
  /** Reads the tags of these articles at once, before tagsOf asks for them one by one. */
  preloadTags?: (articleIds: number[]) => void;
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
  /** The members of each of these stories, read at once: a page of story entries costs one query, not one per member. */
  membersOf(storyIds: number[]): Map<number, StoryMember[]>;
  /** The full article of a story's lead, when the lead is not on the page itself. */
  article(id: number): Article | null;
  /** The full articles of many leads at once (one query instead of one per entry). */
  articles?(ids: number[]): Map<number, Article>;
}

/** Story members as the store clusters them (issue 6). */
/**
 * Story members read per story for an entry: its lead, its newest member and the oldest others. A story holds up
 * to `stories.maxArticles` (50) articles; a page of 50 full stories would read 2,500 rows for one feed.
 */
export const STORY_MEMBERS_PER_ENTRY = 20;

export function storeStoryLookup(store: Pick<Store, 'storyMembers' | 'article' | 'articlesById'>): StoryLookup {
  return { membersOf: (storyIds) => store.storyMembers(storyIds, STORY_MEMBERS_PER_ENTRY), article: (id) => store.article(id), articles: (ids) => store.articlesById(ids) };
}

/** An article's story companions, itself included; just the article when it has no story. */
export function companionsOf(article: Article, stories: StoryLookup): StoryMember[] {
  if (article.story === null) return [article];
  const members = stories.membersOf([article.story]).get(article.story) ?? [];
  return members.length > 0 ? members : [article];
}

function byAgeOrder(a: StoryMember, b: StoryMember): number {
  return (a.published ?? a.firstSeen).localeCompare(b.published ?? b.firstSeen) || a.id - b.id;
}

function instantOf(article: StoryMember): string {
  const published = article.published ?? article.firstSeen;
  return article.updated && article.updated > published ? article.updated : published;
}

/**
 * One feed entry for a story: the earliest article leads (so the entry id never changes as outlets join),
 * `updated` moves with the newest member, and the other outlets' articles become "Also covered by".
 * `fullArticle` gives the lead's full article when `members` only holds its summary row.
 */
export function storyToEntry(members: (Article | StoryMember)[], context: EntryContext, fullArticle: (member: StoryMember) => Article | null = asArticle): FeedEntry {
  if (members.length === 0) throw new Error('storyToEntry needs at least one article');
  const byAge = [...members].sort(byAgeOrder);
  // A member deleted since the story was read (retention) is skipped; the page's own article always resolves.
  let leadArticle: Article | null = null;
  let leadIndex = 0;
  for (; leadIndex < byAge.length && leadArticle === null; leadIndex += 1) leadArticle = fullArticle(byAge[leadIndex]!);
  if (leadArticle === null) throw new Error('storyToEntry found no article for any member');
  const lead = leadArticle;
  const entry = articleToEntry(lead, context);
  const rest = byAge.slice(leadIndex);
  const newest = rest.map(instantOf).reduce((max, at) => (at > max ? at : max), entry.updated);
  const alsoCoveredBy = rest
    .filter((member) => member.canonicalUrl !== lead.canonicalUrl)
    .map((member) => ({ sourceName: context.sources.get(member.source)?.name ?? member.source, title: member.title, url: member.url }));
  return { ...entry, updated: newest, alsoCoveredBy };
}

function asArticle(member: StoryMember): Article | null {
  return 'authors' in member ? (member as Article) : null;
}

/**
 * Entries for a newest-first page of articles, one per story when `stories` is given: a story shows up once,
 * at the position of its first (newest) member on the page.
 */
export function entriesFor(articles: Article[], context: EntryContext, stories: StoryLookup | null): FeedEntry[] {
  if (stories === null) {
    context.preloadTags?.(articles.map((article) => article.id));
    return articles.map((article) => articleToEntry(article, context));
  }
  const onPage = new Map(articles.map((article) => [article.id, article]));
  const storyIds = [...new Set(articles.flatMap((article) => (article.story === null ? [] : [article.story])))];
  const membersByStory = stories.membersOf(storyIds);
  // The stories' leads (their oldest members) that are not on the page, read at once.
  const leadIds = [...membersByStory.values()].flatMap((members) => {
    const lead = members.reduce<StoryMember | undefined>((oldest, member) => (oldest === undefined || byAgeOrder(member, oldest) < 0 ? member : oldest), undefined);
    return lead !== undefined && !onPage.has(lead.id) ? [lead.id] : [];
  });
  const leads = leadIds.length > 0 && stories.articles ? stories.articles(leadIds) : new Map<number, Article>();
  context.preloadTags?.([...onPage.keys(), ...leads.keys()]);
  const fullArticle = (member: StoryMember): Article | null => onPage.get(member.id) ?? leads.get(member.id) ?? stories.article(member.id);
  const seenStories = new Set<number>();
  const entries: FeedEntry[] = [];
  for (const article of articles) {
    if (article.story === null) {
      entries.push(articleToEntry(article, context));
      continue;
    }
    if (seenStories.has(article.story)) continue;
    seenStories.add(article.story);
    const members = membersByStory.get(article.story) ?? [];
    entries.push(storyToEntry(members.length > 0 ? members : [article], context, fullArticle));
  }
  return entries;
}
