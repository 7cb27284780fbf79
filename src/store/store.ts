import { SecwireError } from '../errors.js';
import { changeRatio, DEFAULT_STORY_OPTIONS } from '../similarity/index.js';
import type { Article, PublishedSource, SourceConfig, Tag } from '../types.js';
import { bestHitIds, DEFAULT_SEARCH_PLAN_OPTIONS, encodeCursor, findHits, type SearchPlanOptions } from './article-query.js';
import { pathIdentity } from './canonical-url.js';
import { openDatabase, type Db, type OpenOptions } from './db.js';
import type { ParsedQuery } from './search-query.js';
import { makeSnippet, snippetTerms } from './search-snippet.js';
import { createStoryIndex, type Story, type StoryIndex, type StoryIndexOptions, type StoryQuery } from './stories.js';
import type { ArticleDraft, ArticleQuery, FetchStateUpdate, IngestCounts, KnownItem, Revision, SourceState } from './types.js';

/** Clustering and revision settings (config key `stories`). */
export interface StoreStoryOptions extends StoryIndexOptions {
  /** Share of words (0..1) a revision must change to mark the article updated and re-emit it in feeds. */
  materialChange: number;
}

export const DEFAULT_STORE_STORY_OPTIONS: StoreStoryOptions = { ...DEFAULT_STORY_OPTIONS, candidatesPerKey: 20, maxCandidates: 40, maxArticles: 50, materialChange: 0.05 };

export interface StoreOptions extends OpenOptions {
  stories?: Partial<StoreStoryOptions>;
  search?: Partial<SearchPlanOptions>;
}

/** Newest articles read (ids and stories only) per step while looking for the heads of stories. */
const HEADS_PAGE = 200;

/** Hits the facets of a search are counted over (the best or newest first): bounds their cost on broad queries. */
export const DEFAULT_FACET_HITS = 1000;

interface ArticleRow {
  id: number;
  source_id: string;
  url: string;
  canonical_url: string;
  title: string;
  authors: string;
  published: string | null;
  published_source: string | null;
  updated: string | null;
  first_seen: string;
  sort_date: string;
  lang: string | null;
  image: string | null;
  summary: string | null;
  text: string | null;
  html: string | null;
  story_id: number | null;
}

interface SourceRow {
  id: string;
  name: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_fetch_at: string | null;
  last_success_at: string | null;
  last_status: number | null;
  error_kind: string | null;
  error_message: string | null;
  consecutive_errors: number;
  next_fetch_at: string | null;
  next_fetch_reason: string | null;
  last_new: number;
  last_updated: number;
  last_duplicates: number;
  last_duration_ms: number | null;
  ttl_minutes: number | null;
  feed_title: string | null;
  feed_link: string | null;
  articles_extracted: number;
  articles_failed: number;
  article_count: number;
}

export interface TagRow {
  slug: string;
  type: string;
  value: string;
  name: string;
  attack_id: string | null;
  mentions: string;
}

export interface SearchHit {
  article: Article;
  /** Relevance score (lower is better; article-query.ts says how it is computed), null when sorted by date. */
  rank: number | null;
  snippet: string | null;
}

/** What a feed entry or page needs of a story's other articles (no body, no tags). */
export interface StoryMember {
  id: number;
  source: string;
  url: string;
  canonicalUrl: string;
  title: string;
  published: string | null;
  firstSeen: string;
  updated: string | null;
}

export interface Facets {
  tags: Record<string, { slug: string; name: string; count: number }[]>;
  sources: { id: string; count: number }[];
}

export interface Store {
  readonly db: Db;
  readonly path: string;
  syncSources(sources: SourceConfig[]): void;
  sourceState(id: string): SourceState | null;
  sourceStates(): SourceState[];
  /**
   * What the store already has of an item, by its sighting or URL; with `title`, also an item whose GUID or
   * query string churned (same source, title and path), so the pipeline does not re-extract it every fetch.
   */
  knownItem(sourceId: string, itemKey: string, canonicalUrl: string, title?: string): KnownItem | null;
  /** Stores a source's items and its new fetch state in one transaction. */
  ingest(sourceId: string, drafts: ArticleDraft[], state: FetchStateUpdate): IngestCounts;
  recordFetch(sourceId: string, state: FetchStateUpdate): void;
  articles(query: ArticleQuery): { articles: Article[]; nextCursor: string | null };
  /** Full-text search with the filters of `query`; snippets mark matches with \u0002 ... \u0003. */
  search(query: ArticleQuery & { match?: ParsedQuery | undefined }): { hits: SearchHit[]; nextCursor: string | null };
  /** Top tags per type and articles per source over (at most `maxHits` of) the result set. */
  facets(query: ArticleQuery & { match?: ParsedQuery | undefined }, options?: { perType?: number; maxHits?: number }): Facets;
  article(id: number): Article | null;
  /** Many articles by id (one query for the rows, one for their tags), by id; missing ones are left out. */
  articlesById(ids: number[]): Map<number, Article>;
  articleByUrl(canonicalUrl: string): Article | null;
  articleTags(id: number): Tag[];
  /** The tags of many articles at once (one query), by article id; an article without tags has none in the map. */
  articlesTags(ids: number[]): Map<number, Tag[]>;
  tagCounts(type?: string, prefix?: string, limit?: number): { slug: string; type: string; value: string; name: string; count: number }[];
  articleCount(): number;
  /** Changes whenever any connection commits: a cheap validator for caches of rendered output. */
  changeToken(): string;
  meta(key: string): string | null;
  setMeta(key: string, value: string): void;
  /** The story an article belongs to, with all its articles (lead first by date) and the union of their tags. */
  storyOf(articleId: number): Story | null;
  story(id: number): Story | null;
  /**
   * The members of each story, oldest first, in one read (feed pages show many stories at once). With
   * `perStory`, at most that many of each: the oldest `perStory - 1` and the newest (a feed entry's lead and its
   * latest date), so a page of big stories reads a bounded number of rows.
   */
  storyMembers(storyIds: number[], perStory?: number): Map<number, StoryMember[]>;
  /**
   * The newest article of each of the `count` newest stories matching `query` (an article without a story is its
   * own), newest first: a page of one entry per story, found without reading the rows of the stories' other articles.
   */
  storyHeads(query: Omit<ArticleQuery, 'limit' | 'cursor'>, count: number): Article[];
  /** Stories, most recently changed first (a new member or a material revision re-dates one). */
  stories(query: StoryQuery): { stories: Story[]; nextCursor: string | null };
  /** Earlier versions of an article, oldest first; the article itself is the latest. */
  revisions(articleId: number): Revision[];
  /** Every URL the article was seen under: its own, its aliases, and each source's link. */
  articleUrls(articleId: number): string[];
  close(): void;
}

export function openStore(path: string, options: StoreOptions = {}): Store {
  const db = openDatabase(path, options);
  const storyOptions = { ...DEFAULT_STORE_STORY_OPTIONS, ...options.stories };
  if (!options.readonly) backfillStories(db, createStoryIndex(db, storyOptions));
  return createStore(db, path, storyOptions, { ...DEFAULT_SEARCH_PLAN_OPTIONS, ...options.search });
}

/** Articles placed per transaction while backfilling: other writers get the lock in between. */
const BACKFILL_BATCH = 500;

/** Migration 6 asks for every clustered article to be indexed again from this article id on. */
const REINDEX_META = 'stories.reindex_after';

/**
 * Brings the story index up to date when the store opens, in batches of `BACKFILL_BATCH` articles per
 * transaction: first re-indexes articles that have a story but no index entry (after migration 6 changed the
 * index layout; their stories stay as they are), then places articles stored before stories existed
 * (migration 4), oldest first, as if they had just arrived: the same order an ingest would have used, so the
 * result is the same as clustering them live. Each runs once.
 */
function backfillStories(db: Db, storyIndex: StoryIndex): void {
  const text = `a.id, a.title, COALESCE(a.text, a.summary, '') AS text, COALESCE(a.published, a.first_seen) AS date,
       (SELECT json_group_array(slug) FROM tags WHERE article_id = a.id) AS tags`;
  type Row = { id: number; title: string; text: string; date: string; tags: string; story_id: number; duplicate_of: number | null };
  const input = (row: Row) => ({ title: row.title, text: row.text, tags: JSON.parse(row.tags) as string[], date: Date.parse(row.date) });
  const reindexFrom = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const toReindex = db.prepare(`SELECT ${text}, a.story_id, a.duplicate_of FROM articles a WHERE a.id > ? AND a.story_id IS NOT NULL ORDER BY a.id LIMIT ?`);
  const setReindexFrom = db.prepare('UPDATE meta SET value = ? WHERE key = ?');
  const doneReindexing = db.prepare('DELETE FROM meta WHERE key = ?');
  const reindexBatch = db.transaction((): boolean => {
    const after = reindexFrom.get(REINDEX_META) as string | undefined;
    if (after === undefined) return false;
    const rows = toReindex.all(Number(after), BACKFILL_BATCH) as Row[];
    for (const row of rows) storyIndex.reindex(row.id, row.story_id, row.duplicate_of, input(row));
    const last = rows[rows.length - 1];
    if (last) setReindexFrom.run(String(last.id), REINDEX_META);
    else doneReindexing.run(REINDEX_META);
    return last !== undefined;
  });
  while (reindexBatch.immediate());
  const pending = db.prepare(`SELECT ${text} FROM articles a WHERE a.story_id IS NULL ORDER BY a.sort_date, a.id LIMIT ?`);
  const placeBatch = db.transaction((now: string): number => {
    const rows = pending.all(BACKFILL_BATCH) as Row[];
    for (const row of rows) storyIndex.place(row.id, row.title, input(row), now);
    return rows.length;
  });
  while (placeBatch.immediate(new Date().toISOString()) === BACKFILL_BATCH);
}

function createStore(db: Db, path: string, storyOptions: StoreStoryOptions, searchOptions: SearchPlanOptions): Store {
  let localWrites = 0;
  const statements = prepareStatements(db);
  const storyIndex = createStoryIndex(db, storyOptions);

  const storyInput = (draft: ArticleDraft, date: string) => ({
    title: draft.title,
    text: draft.text ?? draft.summary ?? '',
    tags: draft.tags.map((tag) => tag.slug),
    date: Date.parse(date),
  });

  /** The article a draft is, when its own URL is new: an alias URL, or the same title and path under a churned GUID or query. */
  const sameArticle = (sourceId: string, draft: ArticleDraft): { id: number; source_id: string } | undefined => {
    for (const url of [draft.canonicalUrl, ...(draft.aliasUrls ?? [])]) {
      const row = (statements.articleIdByUrl.get(url) ?? statements.articleIdByAlias.get(url)) as { id: number; source_id: string } | undefined;
      if (row) return row;
    }
    const path = pathIdentity(draft.canonicalUrl);
    if (!path) return undefined;
    const sameTitle = statements.articlesBySourceTitle.all(sourceId, draft.title) as { id: number; source_id: string; canonical_url: string }[];
    return sameTitle.find((row) => pathIdentity(row.canonical_url) === path);
  };

  const insertDraft = (sourceId: string, draft: ArticleDraft, now: string): number => {
    const info = statements.insertArticle.run({
      source_id: sourceId,
      url: draft.url,
      canonical_url: draft.canonicalUrl,
      guid: draft.guid,
      title: draft.title,
      authors: JSON.stringify(draft.authors),
      published: draft.published,
      published_source: draft.publishedSource,
      feed_published: draft.feedPublished,
      updated: draft.updated,
      first_seen: now,
      sort_date: draft.published ?? now,
      lang: draft.lang,
      image: draft.image,
      summary: draft.summary,
      text: draft.text,
      html: draft.html,
      feed_hash: draft.feedHash,
      content_hash: draft.contentHash,
      extract_error: draft.extractError,
      tag_text: tagText(draft.tags),
    });
    const id = Number(info.lastInsertRowid);
    writeTags(id, draft, false);
    for (const alias of draft.aliasUrls ?? []) if (alias !== draft.canonicalUrl) statements.insertAlias.run(alias, id);
    storyIndex.place(id, draft.title, storyInput(draft, draft.published ?? now), now);
    return id;
  };

  /** `replacing`: the article had tags before; a new one has none to delete. */
  const writeTags = (articleId: number, draft: ArticleDraft, replacing: boolean): void => {
    if (replacing) statements.deleteTags.run(articleId);
    for (const tag of draft.tags) {
      statements.insertTag.run(articleId, tag.slug, tag.type, tag.value, tag.name, tag.ids?.attack ?? null, tag.mentions?.length ? JSON.stringify(tag.mentions) : NO_MENTIONS);
    }
    if (replacing) statements.deleteIocs.run(articleId);
    for (const ioc of draft.iocs) statements.insertIoc.run(articleId, ioc.type, ioc.value);
  };

  const applyState = (sourceId: string, state: FetchStateUpdate, counts: IngestCounts | null): void => {
    const ok = state.errorKind === null;
    statements.updateSourceState.run({
      id: sourceId,
      at: state.at,
      status: state.status,
      etag: state.etag === undefined ? null : state.etag,
      keep_validators: state.etag === undefined ? 1 : 0,
      last_modified: state.lastModified === undefined ? null : state.lastModified,
      ok: ok ? 1 : 0,
      error_kind: state.errorKind,
      error_message: state.errorMessage,
      next_fetch_at: state.nextFetchAt,
      next_fetch_reason: state.nextFetchReason,
      counts: counts ? 1 : 0,
      last_new: counts?.new ?? 0,
      last_updated: counts?.updated ?? 0,
      last_duplicates: counts?.duplicates ?? 0,
      duration_ms: state.durationMs,
      ttl_minutes: state.ttlMinutes ?? null,
      feed_title: state.feedTitle ?? null,
      feed_link: state.feedLink ?? null,
      extracted: state.articlesExtracted ?? 0,
      failed: state.articlesFailed ?? 0,
    });
  };

  /**
   * New articles of one ingest, not yet in the full-text index: the trigger leaves them to `indexUnindexed`, which
   * indexes them all in one statement (migration 8), so FTS5 writes one segment per ingest instead of one per article.
   * Without the trigger (a bulk load suspends it and rebuilds the index afterwards) the store indexes nothing either.
   */
  const unindexed = new Set<number>();
  const deferIndexing = (): void => {
    if (unindexed.size === 0) statements.deferIndexing.run();
  };
  const indexUnindexed = (): void => {
    if (unindexed.size === 0) return;
    statements.indexArticles.run(JSON.stringify([...unindexed]));
    statements.resumeIndexing.run();
    unindexed.clear();
  };

  const ingestDrafts = (sourceId: string, drafts: ArticleDraft[], state: FetchStateUpdate): IngestCounts => {
    const counts: IngestCounts = { new: 0, updated: 0, duplicates: 0, unchanged: 0 };
    const now = state.at;
    const indexing = statements.insertTriggerExists.get() !== undefined;
    for (const draft of drafts) {
      const sighting = statements.sightingByKey.get(sourceId, draft.itemKey) as { article_id: number } | undefined;
      const byUrl = sighting ? undefined : sameArticle(sourceId, draft);
      if (!sighting && !byUrl) {
        if (indexing) deferIndexing();
        const id = insertDraft(sourceId, draft, now);
        if (indexing) unindexed.add(id);
        statements.insertSighting.run(sourceId, draft.itemKey, id, draft.url, now);
        counts.new += 1;
        continue;
      }
      if (byUrl) {
        statements.insertSighting.run(sourceId, draft.itemKey, byUrl.id, draft.url, now);
        if (byUrl.source_id !== sourceId) {
          counts.duplicates += 1;
          continue;
        }
      }
      const articleId = sighting?.article_id ?? byUrl!.id;
      const current = statements.articleHashes.get(articleId) as
        | { source_id: string; feed_hash: string; content_hash: string; title: string; text: string | null; summary: string | null; updated: string | null; first_seen: string; published: string | null }
        | undefined;
      if (!current || current.source_id !== sourceId) {
        counts.duplicates += 1;
        continue;
      }
      if (current.feed_hash === draft.feedHash && current.content_hash === draft.contentHash) {
        counts.unchanged += 1;
        continue;
      }
      // The update trigger takes the old row out of the index: it must be in there (an item repeated in one feed).
      if (unindexed.has(articleId)) indexUnindexed();
      const revised = current.content_hash !== draft.contentHash;
      const change = revised ? changeRatio(`${current.title}\n${current.text ?? current.summary ?? ''}`, `${draft.title}\n${draft.text ?? draft.summary ?? ''}`) : 0;
      const material = revised && change >= storyOptions.materialChange;
      if (revised) {
        const revision = (statements.lastRevision.get(articleId) as number) + 1;
        statements.insertRevision.run(articleId, revision, now, current.title, current.text ?? current.summary, current.content_hash, change, material ? 1 : 0);
      }
      statements.updateArticle.run({
        id: articleId,
        url: draft.url,
        title: draft.title,
        authors: JSON.stringify(draft.authors),
        published: draft.published,
        published_source: draft.publishedSource,
        feed_published: draft.feedPublished,
        // Only a material change re-dates the article: a typo fix must not push it back to the top of feeds.
        updated: material ? (draft.updated ?? now) : current.updated,
        lang: draft.lang,
        image: draft.image,
        summary: draft.summary,
        text: draft.text,
        html: draft.html,
        feed_hash: draft.feedHash,
        content_hash: draft.contentHash,
        extract_error: draft.extractError,
        tag_text: tagText(draft.tags),
      });
      writeTags(articleId, draft, true);
      if (revised) storyIndex.revise(articleId, draft.title, storyInput(draft, draft.published ?? current.published ?? current.first_seen), now, material);
      if (revised) counts.updated += 1;
      else counts.unchanged += 1;
    }
    applyState(sourceId, state, counts);
    indexUnindexed();
    localWrites += 1;
    return counts;
  };

  const ingest = db.transaction((sourceId: string, drafts: ArticleDraft[], state: FetchStateUpdate): IngestCounts => {
    try {
      return ingestDrafts(sourceId, drafts, state);
    } finally {
      // Rolled back or indexed: either way nothing is left to index.
      unindexed.clear();
    }
  });

  const search = (query: ArticleQuery & { match?: ParsedQuery | undefined }): { hits: SearchHit[]; nextCursor: string | null } => {
    const found = hitsOf(query);
    const hasMore = found.hits.length > query.limit;
    const page = hasMore ? found.hits.slice(0, query.limit) : found.hits;
    const last = page[page.length - 1];
    const nextCursor = hasMore && last ? encodeCursor(found.sort === 'relevance' ? String(last.rank) : (last.sort_date ?? ''), last.id) : null;
    const ids = page.map((hit) => hit.id);
    // Wide rows for the page only, put back in hit order.
    const rows = new Map((statements.articlesByIds.all(JSON.stringify(ids)) as ArticleRow[]).map((row) => [row.id, row]));
    // Snippets from the body the page has read (the indexed body: text, else summary), for queries with words.
    const terms = query.match && query.match.groups.length > 0 ? snippetTerms(query.match) : null;
    const stored = page.flatMap((hit) => {
      const row = rows.get(hit.id);
      return row ? [{ hit, row }] : [];
    });
    const articles = toArticles(stored.map(({ row }) => row));
    const hits: SearchHit[] = stored.map(({ hit, row }, i) => ({ article: articles[i]!, rank: hit.rank, snippet: terms ? makeSnippet(row.text ?? row.summary ?? '', terms) : null }));
    return { hits, nextCursor };
  };

  let facetSources: ReturnType<Db['prepare']> | null = null;
  const hitIdsOf = (query: ArticleQuery & { match?: ParsedQuery | undefined }, maxHits: number): number[] => guarded(() => bestHitIds(db, query, maxHits, searchOptions));
  const hitsOf = (query: ArticleQuery & { match?: ParsedQuery | undefined }) => guarded(() => findHits(db, query, searchOptions));
  const guarded = <T>(find: () => T): T => {
    try {
      return find();
    } catch (error) {
      if (error instanceof SecwireError) throw error;
      // Every user string is quoted before it reaches FTS5; an error here is ours, not the user's.
      throw new SecwireError('StoreError', `search failed: ${(error as Error).message}`, {}, { cause: error });
    }
  };

  // Other connections' commits, read once per event-loop turn: a server asks on every request, and a burst of
  // requests handled in one turn cannot tell a commit during the turn from one just after it.
  let dataVersion: number | null = null;
  const currentDataVersion = (): number => {
    if (dataVersion === null) {
      dataVersion = statements.dataVersion.get() as number;
      setImmediate(() => (dataVersion = null));
    }
    return dataVersion;
  };

  /** The members of these stories, at most `cap` each: the oldest `cap - 1` and the newest, in story and date order. */
  const cappedMembers = (ids: string, cap: number): unknown[] => {
    const keys = statements.storyMemberKeys.all(ids) as [number, number][];
    const kept: number[] = [];
    let start = 0;
    for (let i = 0; i < keys.length; i++) {
      if (i + 1 < keys.length && keys[i + 1]![1] === keys[i]![1]) continue;
      // keys[start..i] is one story, oldest first.
      for (let j = start; j <= i; j++) if (j - start < cap - 1 || j === i) kept.push(keys[j]![0]);
      start = i + 1;
    }
    return statements.memberRows.all(JSON.stringify(kept));
  };

  /** Articles of many rows, their tag slugs read in one query. */
  const toArticles = (rows: ArticleRow[]): Article[] => {
    const slugs = new Map<number, string[]>();
    for (const [id, slug] of statements.tagSlugsOfArticles.all(JSON.stringify(rows.map((row) => row.id))) as [number, string][]) {
      const list = slugs.get(id);
      if (list) list.push(slug);
      else slugs.set(id, [slug]);
    }
    return rows.map((row) => toArticle(row, slugs.get(row.id) ?? []));
  };

  const toArticle = (row: ArticleRow, tags: string[] = statements.tagSlugs.all(row.id) as string[]): Article => ({
    id: row.id,
    url: row.url,
    canonicalUrl: row.canonical_url,
    source: row.source_id,
    title: row.title,
    authors: JSON.parse(row.authors) as string[],
    published: row.published,
    publishedSource: row.published_source as PublishedSource | null,
    updated: row.updated,
    firstSeen: row.first_seen,
    lang: row.lang,
    image: row.image,
    summary: row.summary,
    text: row.text,
    html: row.html,
    tags,
    story: row.story_id,
  });

  return {
    db,
    path,
    syncSources(sources) {
      db.transaction(() => {
        for (const source of sources) statements.upsertSource.run(source.id, source.name, source.url);
      })();
      localWrites += 1;
    },
    sourceState(id) {
      const row = statements.sourceById.get(id) as SourceRow | undefined;
      return row ? toSourceState(row) : null;
    },
    sourceStates() {
      return (statements.allSources.all() as SourceRow[]).map(toSourceState);
    },
    knownItem(sourceId, itemKey, canonicalUrl, title) {
      let row = (statements.knownBySighting.get(sourceId, itemKey) ?? statements.knownByUrl.get({ url: canonicalUrl })) as
        | { id: number; feed_hash: string; source_id: string }
        | undefined;
      const path = !row && title ? pathIdentity(canonicalUrl) : null;
      if (path) {
        const sameTitle = statements.articlesBySourceTitle.all(sourceId, title) as { id: number; canonical_url: string }[];
        const churned = sameTitle.find((candidate) => pathIdentity(candidate.canonical_url) === path);
        if (churned) row = statements.knownById.get(churned.id) as typeof row;
      }
      return row ? { articleId: row.id, feedHash: row.feed_hash, ownedByOtherSource: row.source_id !== sourceId } : null;
    },
    ingest(sourceId, drafts, state) {
      try {
        return ingest.immediate(sourceId, drafts, state);
      } catch (error) {
        throw new SecwireError('StoreError', `storing ${drafts.length} items of ${sourceId} failed: ${(error as Error).message}`, { source: sourceId }, { cause: error });
      }
    },
    recordFetch(sourceId, state) {
      applyState(sourceId, state, null);
      localWrites += 1;
    },
    articles(query) {
      const { hits, nextCursor } = search(query);
      return { articles: hits.map((hit) => hit.article), nextCursor };
    },
    search,
    facets(query, options = {}) {
      const perType = options.perType ?? 10;
      const ids = JSON.stringify(hitIdsOf(query, options.maxHits ?? DEFAULT_FACET_HITS));
      const tagRows = statements.facetTags.all(ids) as { type: string; slug: string; name: string; count: number }[];
      const tags: Record<string, { slug: string; name: string; count: number }[]> = {};
      for (const row of tagRows) {
        const list = (tags[row.type] ??= []);
        if (list.length < perType) list.push({ slug: row.slug, name: row.name, count: row.count });
      }
      // Prepared on first use, not with the others: a read-only store on a database older than migration 5 has no such index.
      facetSources ??= db.prepare('SELECT k.source_id AS id, COUNT(*) AS count FROM articles k INDEXED BY articles_hit_keys WHERE k.id IN (SELECT value FROM json_each(?)) GROUP BY k.source_id ORDER BY count DESC, id');
      const sources = facetSources.all(ids) as { id: string; count: number }[];
      return { tags, sources };
    },
    article(id) {
      const row = statements.articleById.get(id) as ArticleRow | undefined;
      return row ? toArticle(row) : null;
    },
    articlesById(ids) {
      const found = toArticles(statements.articlesByIds.all(JSON.stringify(ids)) as ArticleRow[]);
      return new Map(found.map((article) => [article.id, article]));
    },
    articleByUrl(canonicalUrl) {
      const row = (statements.articleByCanonicalUrl.get(canonicalUrl) ?? statements.articleByAliasUrl.get(canonicalUrl)) as ArticleRow | undefined;
      return row ? toArticle(row) : null;
    },
    articleTags(id) {
      return (statements.tagsOfArticle.all(id) as TagRow[]).map(toTag);
    },
    articlesTags(ids) {
      const byArticle = new Map<number, Tag[]>();
      for (const row of statements.tagsOfArticles.all(JSON.stringify(ids)) as (TagRow & { article_id: number })[]) {
        const list = byArticle.get(row.article_id);
        if (list) list.push(toTag(row));
        else byArticle.set(row.article_id, [toTag(row)]);
      }
      return byArticle;
    },
    tagCounts(type, prefix, limit = 100) {
      return db
        .prepare(
          `SELECT slug, type, value, name, COUNT(*) AS count FROM tags
           WHERE (@type IS NULL OR type = @type) AND (@prefix IS NULL OR value LIKE @prefix ESCAPE '\\')
           GROUP BY slug ORDER BY count DESC, slug LIMIT @limit`,
        )
        .all({ type: type ?? null, prefix: prefix ? `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null, limit }) as {
        slug: string;
        type: string;
        value: string;
        name: string;
        count: number;
      }[];
    },
    articleCount() {
      return statements.countArticles.get() as number;
    },
    changeToken() {
      return `${localWrites}:${currentDataVersion()}`;
    },
    meta(key) {
      return (statements.getMeta.get(key) as string | undefined) ?? null;
    },
    setMeta(key, value) {
      statements.setMeta.run(key, value);
      localWrites += 1;
    },
    storyOf(articleId) {
      const id = storyIndex.storyIdOf(articleId);
      return id === null ? null : storyIndex.story(id);
    },
    story(id) {
      return storyIndex.story(id);
    },
    stories(query) {
      return storyIndex.stories(query);
    },
    storyHeads(query, count) {
      const seen = new Set<string>();
      const heads: number[] = [];
      let cursor: string | undefined;
      while (heads.length < count) {
        const found = hitsOf({ ...query, limit: HEADS_PAGE, cursor });
        const page = found.hits.slice(0, HEADS_PAGE);
        const storyOf = new Map((statements.storyIdsOf.all(JSON.stringify(page.map((hit) => hit.id))) as { id: number; story_id: number | null }[]).map((row) => [row.id, row.story_id]));
        for (const hit of page) {
          const story = storyOf.get(hit.id) ?? null;
          const key = story === null ? `a${hit.id}` : `s${story}`;
          if (seen.has(key)) continue;
          seen.add(key);
          heads.push(hit.id);
          if (heads.length === count) break;
        }
        const last = page[page.length - 1];
        if (found.hits.length <= HEADS_PAGE || last === undefined) break;
        cursor = encodeCursor(last.sort_date ?? '', last.id);
      }
      const rows = new Map((statements.articlesByIds.all(JSON.stringify(heads)) as ArticleRow[]).map((row) => [row.id, row]));
      return toArticles(heads.flatMap((id) => rows.get(id) ?? []));
    },
    storyMembers(storyIds, perStory) {
      const byStory = new Map<number, StoryMember[]>();
      if (storyIds.length === 0) return byStory;
      const ids = JSON.stringify(storyIds);
      const cap = perStory === undefined ? null : Math.max(1, Math.trunc(perStory));
      const rows = (cap === null ? statements.storyMembers.all(ids) : cappedMembers(ids, cap)) as (ArticleRow & { story_id: number })[];
      for (const row of rows) {
        const list = byStory.get(row.story_id) ?? [];
        list.push({ id: row.id, source: row.source_id, url: row.url, canonicalUrl: row.canonical_url, title: row.title, published: row.published, firstSeen: row.first_seen, updated: row.updated });
        byStory.set(row.story_id, list);
      }
      return byStory;
    },
    revisions(articleId) {
      return (statements.revisions.all(articleId) as { revision: number; at: string; title: string; text: string | null; change: number; material: number }[]).map((row) => ({
        revision: row.revision,
        at: row.at,
        title: row.title,
        text: row.text,
        change: row.change,
        material: row.material === 1,
      }));
    },
    articleUrls(articleId) {
      return statements.articleUrls.all(articleId, articleId, articleId) as string[];
    },
    close() {
      db.close();
    },
  };
}

const NO_MENTIONS = '[]';

/** What full-text search sees of an article's tags: their labels and values ("APT29 apt29 Fortinet fortinet"). */
function tagText(tags: Tag[]): string {
  return tags.map((tag) => `${tag.name} ${tag.value}`).join(' ');
}

export function toTag(row: TagRow): Tag {
  const tag: Tag = { type: row.type as Tag['type'], value: row.value, slug: row.slug, name: row.name };
  if (row.attack_id) tag.ids = { attack: row.attack_id };
  const mentions = JSON.parse(row.mentions) as string[];
  if (mentions.length) tag.mentions = mentions;
  return tag;
}

function toSourceState(row: SourceRow): SourceState {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    etag: row.etag,
    lastModified: row.last_modified,
    lastFetchAt: row.last_fetch_at,
    lastSuccessAt: row.last_success_at,
    lastStatus: row.last_status,
    errorKind: row.error_kind,
    errorMessage: row.error_message,
    consecutiveErrors: row.consecutive_errors,
    nextFetchAt: row.next_fetch_at,
    nextFetchReason: row.next_fetch_reason,
    lastNew: row.last_new,
    lastUpdated: row.last_updated,
    lastDuplicates: row.last_duplicates,
    lastDurationMs: row.last_duration_ms,
    ttlMinutes: row.ttl_minutes,
    feedTitle: row.feed_title,
    feedLink: row.feed_link,
    articlesExtracted: row.articles_extracted,
    articlesFailed: row.articles_failed,
    articleCount: row.article_count,
  };
}

function prepareStatements(db: Db) {
  return {
    upsertSource: db.prepare('INSERT INTO sources (id, name, url) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, url = excluded.url'),
    sourceById: db.prepare('SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count FROM sources s WHERE id = ?'),
    allSources: db.prepare('SELECT s.*, (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id) AS article_count FROM sources s ORDER BY id'),
    updateSourceState: db.prepare(`
      UPDATE sources SET
        last_fetch_at = @at,
        last_status = @status,
        etag = CASE WHEN @keep_validators = 1 THEN etag ELSE @etag END,
        last_modified = CASE WHEN @keep_validators = 1 THEN last_modified ELSE @last_modified END,
        last_success_at = CASE WHEN @ok = 1 THEN @at ELSE last_success_at END,
        error_kind = @error_kind,
        error_message = @error_message,
        consecutive_errors = CASE WHEN @ok = 1 THEN 0 ELSE consecutive_errors + 1 END,
        next_fetch_at = @next_fetch_at,
        next_fetch_reason = @next_fetch_reason,
        last_new = CASE WHEN @counts = 1 THEN @last_new ELSE last_new END,
        last_updated = CASE WHEN @counts = 1 THEN @last_updated ELSE last_updated END,
        last_duplicates = CASE WHEN @counts = 1 THEN @last_duplicates ELSE last_duplicates END,
        last_duration_ms = @duration_ms,
        ttl_minutes = COALESCE(@ttl_minutes, ttl_minutes),
        feed_title = COALESCE(@feed_title, feed_title),
        feed_link = COALESCE(@feed_link, feed_link),
        articles_extracted = articles_extracted + @extracted,
        articles_failed = articles_failed + @failed
      WHERE id = @id`),
    sightingByKey: db.prepare('SELECT article_id FROM sightings WHERE source_id = ? AND item_key = ?'),
    articleIdByUrl: db.prepare('SELECT id, source_id FROM articles WHERE canonical_url = ?'),
    articleHashes: db.prepare('SELECT source_id, feed_hash, content_hash, title, text, summary, updated, first_seen, published FROM articles WHERE id = ?'),
    articleIdByAlias: db.prepare('SELECT a.id, a.source_id FROM article_urls u JOIN articles a ON a.id = u.article_id WHERE u.url = ?'),
    articlesBySourceTitle: db.prepare('SELECT id, source_id, canonical_url FROM articles WHERE source_id = ? AND title = ? ORDER BY id LIMIT 20'),
    insertAlias: db.prepare('INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)'),
    lastRevision: db.prepare('SELECT COALESCE(MAX(revision), 0) FROM revisions WHERE article_id = ?').pluck(),
    insertRevision: db.prepare('INSERT INTO revisions (article_id, revision, at, title, text, content_hash, change, material) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    revisions: db.prepare('SELECT revision, at, title, text, change, material FROM revisions WHERE article_id = ? ORDER BY revision'),
    articleUrls: db
      .prepare('SELECT url FROM articles WHERE id = ? UNION SELECT url FROM article_urls WHERE article_id = ? UNION SELECT url FROM sightings WHERE article_id = ? ORDER BY 1')
      .pluck(),
    knownById: db.prepare('SELECT id, feed_hash, source_id FROM articles WHERE id = ?'),
    knownBySighting: db.prepare('SELECT a.id, a.feed_hash, a.source_id FROM sightings s JOIN articles a ON a.id = s.article_id WHERE s.source_id = ? AND s.item_key = ?'),
    knownByUrl: db.prepare(
      'SELECT id, feed_hash, source_id FROM articles WHERE canonical_url = @url UNION ALL SELECT a.id, a.feed_hash, a.source_id FROM article_urls u JOIN articles a ON a.id = u.article_id WHERE u.url = @url LIMIT 1',
    ),
    insertArticle: db.prepare(`
      INSERT INTO articles (source_id, url, canonical_url, guid, title, authors, published, published_source, feed_published, updated,
        first_seen, sort_date, lang, image, summary, text, html, feed_hash, content_hash, extract_error, tag_text)
      VALUES (@source_id, @url, @canonical_url, @guid, @title, @authors, @published, @published_source, @feed_published, @updated,
        @first_seen, @sort_date, @lang, @image, @summary, @text, @html, @feed_hash, @content_hash, @extract_error, @tag_text)`),
    updateArticle: db.prepare(`
      UPDATE articles SET url = @url, title = @title, authors = @authors, published = COALESCE(@published, published),
        published_source = COALESCE(@published_source, published_source), feed_published = @feed_published, updated = @updated,
        sort_date = COALESCE(@published, published, first_seen), lang = @lang, image = @image, summary = @summary, text = @text, html = @html,
        feed_hash = @feed_hash, content_hash = @content_hash, extract_error = @extract_error, tag_text = @tag_text
      WHERE id = @id`),
    insertTriggerExists: db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'articles_fts_insert'").pluck(),
    deferIndexing: db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('fts.deferred', '1')"),
    indexArticles: db.prepare("INSERT INTO articles_fts (rowid, title, body, tags) SELECT id, title, COALESCE(text, summary, ''), tag_text FROM articles WHERE id IN (SELECT value FROM json_each(?))"),
    resumeIndexing: db.prepare("DELETE FROM meta WHERE key = 'fts.deferred'"),
    insertSighting: db.prepare('INSERT OR IGNORE INTO sightings (source_id, item_key, article_id, url, first_seen) VALUES (?, ?, ?, ?, ?)'),
    deleteTags: db.prepare('DELETE FROM tags WHERE article_id = ?'),
    insertTag: db.prepare('INSERT OR REPLACE INTO tags (article_id, slug, type, value, name, attack_id, mentions) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    deleteIocs: db.prepare('DELETE FROM iocs WHERE article_id = ?'),
    insertIoc: db.prepare('INSERT OR IGNORE INTO iocs (article_id, type, value) VALUES (?, ?, ?)'),
    articleById: db.prepare('SELECT * FROM articles WHERE id = ?'),
    articlesByIds: db.prepare('SELECT * FROM articles WHERE id IN (SELECT value FROM json_each(?))'),
    storyIdsOf: db.prepare('SELECT id, story_id FROM articles WHERE id IN (SELECT value FROM json_each(?))'),
    facetTags: db.prepare(
      "SELECT type, slug, name, COUNT(*) AS count FROM tags WHERE type != 'source' AND article_id IN (SELECT value FROM json_each(?)) GROUP BY slug ORDER BY type, count DESC, slug",
    ),
    articleByCanonicalUrl: db.prepare('SELECT * FROM articles WHERE canonical_url = ?'),
    articleByAliasUrl: db.prepare('SELECT a.* FROM article_urls u JOIN articles a ON a.id = u.article_id WHERE u.url = ?'),
    storyMembers: db.prepare(
      'SELECT id, story_id, source_id, url, canonical_url, title, published, first_seen, updated FROM articles WHERE story_id IN (SELECT value FROM json_each(?)) ORDER BY story_id, sort_date, id',
    ),
    // Members are chosen from the story index (story_id, sort_date) alone; only the kept ones' rows are read.
    storyMemberKeys: db.prepare('SELECT id, story_id FROM articles WHERE story_id IN (SELECT value FROM json_each(?)) ORDER BY story_id, sort_date, id').raw(),
    memberRows: db.prepare(
      'SELECT id, story_id, source_id, url, canonical_url, title, published, first_seen, updated FROM articles WHERE id IN (SELECT value FROM json_each(?)) ORDER BY story_id, sort_date, id',
    ),
    tagSlugs: db.prepare('SELECT slug FROM tags WHERE article_id = ? ORDER BY type, slug').pluck(),
    tagsOfArticle: db.prepare('SELECT slug, type, value, name, attack_id, mentions FROM tags WHERE article_id = ? ORDER BY type, slug'),
    tagsOfArticles: db.prepare('SELECT article_id, slug, type, value, name, attack_id, mentions FROM tags WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, type, slug'),
    tagSlugsOfArticles: db.prepare('SELECT article_id, slug FROM tags WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, type, slug').raw(),
    countArticles: db.prepare('SELECT COUNT(*) FROM articles').pluck(),
    // Prepared once: db.pragma() prepares a statement per call, and the server asks for this on every request.
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
  };
}
