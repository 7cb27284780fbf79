import { createHash } from 'node:crypto';
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
