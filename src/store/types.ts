import type { Ioc, PublishedSource, Tag } from '../types.js';

/** One article ready to be stored: what the pipeline hands the store after extract and tag. */
export interface ArticleDraft {
  /** How the source identifies the item: its guid, else its canonical URL. */
  itemKey: string;
  guid: string | null;
  url: string;
  canonicalUrl: string;
  title: string;
  authors: string[];
  published: string | null;
  publishedSource: PublishedSource | null;
  feedPublished: string | null;
  updated: string | null;
  lang: string | null;
  image: string | null;
  summary: string | null;
  text: string | null;
  html: string | null;
  /**
   * Other canonical URLs of the same page (the page's own rel=canonical on the same site): a later item
   * under any of them is this article.
   */
  aliasUrls?: string[];
  /** Hash of what the feed said of the item: unchanged means nothing to fetch, extract or write. */
  feedHash: string;
  /** Hash of the stored title and body: a change is a new revision. */
  contentHash: string;
  extractError: string | null;
  tags: Tag[];
  iocs: Ioc[];
}

export interface KnownItem {
  articleId: number;
  feedHash: string;
  /** The article was first stored by another source (a duplicate sighting). */
  ownedByOtherSource: boolean;
}

export interface IngestCounts {
  new: number;
  updated: number;
  duplicates: number;
  unchanged: number;
}

export interface SourceState {
  id: string;
  name: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
  lastFetchAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: number | null;
  errorKind: string | null;
  errorMessage: string | null;
  consecutiveErrors: number;
  nextFetchAt: string | null;
  nextFetchReason: string | null;
  lastNew: number;
  lastUpdated: number;
  lastDuplicates: number;
  lastDurationMs: number | null;
  ttlMinutes: number | null;
  feedTitle: string | null;
  feedLink: string | null;
  articlesExtracted: number;
  articlesFailed: number;
  articleCount: number;
}

/** What one fetch of a source changes in its stored state. */
export interface FetchStateUpdate {
  at: string;
  status: number | null;
  etag?: string | null;
  lastModified?: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  nextFetchAt: string;
  nextFetchReason: string;
  durationMs: number;
  ttlMinutes?: number | null;
  feedTitle?: string | null;
  feedLink?: string | null;
  articlesExtracted?: number;
  articlesFailed?: number;
}

export interface ArticleQuery {
  source?: string | undefined;
  tags?: string[] | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  /** Keyset cursor from a previous page. */
  cursor?: string | undefined;
}

/** An earlier version of an article: what it said until `at`. */
export interface Revision {
  revision: number;
  at: string;
  title: string;
  text: string | null;
  /** Share of words changed by the next version (0..1). */
  change: number;
  /** The change reached `stories.materialChange`: feeds re-emitted the article. */
  material: boolean;
}
