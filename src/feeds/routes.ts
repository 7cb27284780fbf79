import type { Config } from '../config/load.js';
import { SecwireError } from '../errors.js';
import { scheduleIntervalMs } from '../fetchers/next-fetch.js';
import { normaliseTagFilter, parseQuery } from '../store/search-query.js';
import type { Store } from '../store/store.js';
import type { ArticleQuery } from '../store/types.js';
import { compileWatchlist } from '../tagging/watchlist.js';
import { TAG_TYPES, type Article, type Tag } from '../types.js';
import { entriesFor, type EntryContext, type StoryLookup } from './entries.js';
import { FEED_CONTENT_TYPES, renderFeed } from './render.js';
import type { FeedEntry, FeedMeta, OutputFormat } from './types.js';

export interface Rendered {
  body: string;
  contentType: string;
  lastModified: Date | null;
}

export interface RouteContext {
  config: Config;
  store: Store;
  /** Story members for "Also covered by" and one entry per story in `/feeds/all`; null until stories exist. */
  stories?: StoryLookup | null;
  /**
   * Most articles a query-only watchlist reads (newest first) to fill one feed. Watchlist text rules run in
   * JavaScript over stored articles; a feed whose matches are rarer than this says so in its description.
   */
  watchlistScanLimit?: number;
}

export const DEFAULT_WATCHLIST_SCAN_LIMIT = 5000;

export type FeedSpec =
  | { kind: 'all' }
  | { kind: 'source'; source: string }
  | { kind: 'tag'; tag: string }
  | { kind: 'watchlist'; name: string }
  | { kind: 'search'; query: string; tags: string[] };

export interface FeedOptions {
  limit: number;
  full: boolean;
  since?: string | undefined;
  /** false: one entry per article even when stories exist (`stories=0`). */
  stories: boolean;
}

export interface FeedRequest {
  spec: FeedSpec;
  format: OutputFormat;
}

const FORMATS: Record<string, OutputFormat> = { rss: 'rss', atom: 'atom', json: 'json' };

/** Recognises the feed routes of INTERFACE.md; null for any other path. Search terms come from the query string. */
export function matchFeedRoute(pathname: string, params: URLSearchParams): FeedRequest | null {
  const match = /^\/feeds\/(.+)\.(rss|atom|json)$/.exec(pathname);
  if (!match) return null;
  const [, rest, ext] = match as unknown as [string, string, string];
  const format = FORMATS[ext]!;
  if (rest === 'all') return { spec: { kind: 'all' }, format };
  if (rest === 'search') return { spec: { kind: 'search', query: params.get('q') ?? '', tags: params.getAll('tag').filter(Boolean) }, format };
  let parts: string[];
  try {
    parts = rest.split('/').map((part) => decodeURIComponent(part));
  } catch {
    return null;
  }
  if (parts.length === 2 && parts[0] === 'source') return { spec: { kind: 'source', source: parts[1]! }, format };
  if (parts.length === 2 && parts[0] === 'watchlist') return { spec: { kind: 'watchlist', name: parts[1]! }, format };
  if (parts.length === 3 && parts[0] === 'tag' && (TAG_TYPES as readonly string[]).includes(parts[1]!)) {
    return { spec: { kind: 'tag', tag: normaliseTagFilter(parts[1]!, parts[2]!) }, format };
  }
  return null;
}

/** The path of a feed without its format extension (and, for a search, the query string after it). */
export function feedPath(spec: FeedSpec): { path: string; query: string } {
  switch (spec.kind) {
    case 'all':
      return { path: '/feeds/all', query: '' };
    case 'source':
      return { path: `/feeds/source/${encodeURIComponent(spec.source)}`, query: '' };
    case 'watchlist':
      return { path: `/feeds/watchlist/${encodeURIComponent(spec.name)}`, query: '' };
    case 'tag': {
      const [type, ...value] = spec.tag.split(':');
      return { path: `/feeds/tag/${type}/${encodeURIComponent(value.join(':'))}`, query: '' };
    }
    case 'search': {
      const params = new URLSearchParams();
      if (spec.query) params.set('q', spec.query);
      for (const tag of spec.tags) params.append('tag', tag);
      return { path: '/feeds/search', query: params.size ? `?${params}` : '' };
    }
  }
}

/** The URL of a feed in one format, e.g. `https://wire.example/feeds/tag/actor/apt29.atom`. */
export function feedUrl(baseUrl: string, spec: FeedSpec, format: OutputFormat): string {
  const { path, query } = feedPath(spec);
  return `${baseUrl}${path}.${format}${query}`;
}

export function parseLimit(value: string | null, config: Config): number {
  if (value === null || value === '') return config.feeds.defaultLimit;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new SecwireError('QueryError', `limit must be a positive integer, got "${value}"`);
  if (limit > config.feeds.maxLimit) throw new SecwireError('QueryError', `limit must be at most ${config.feeds.maxLimit}, got ${limit}`);
  return limit;
}

export function parseInstant(name: string, value: string | null): string | undefined {
  if (value === null || value === '') return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new SecwireError('QueryError', `${name} must be a date (ISO 8601, e.g. 2026-11-01), got "${value}"`);
  return new Date(ms).toISOString();
}

/** `limit`, `full=1`, `since` and `stories=0` from a feed URL. */
export function parseFeedOptions(params: URLSearchParams, config: Config): FeedOptions {
  const full = params.get('full');
  if (full !== null && full !== '0' && full !== '1') throw new SecwireError('QueryError', `full must be 0 or 1, got "${full}"`);
  return { limit: parseLimit(params.get('limit'), config), full: full === '1', since: parseInstant('since', params.get('since')), stories: params.get('stories') !== '0' };
}

/** Tag filters from `tag=` parameters: `type:value` slugs, normalised like the query language's. */
export function parseTagParams(values: string[]): string[] {
  return values.map((raw) => {
    const [type, ...rest] = raw.split(':');
    return normaliseTagFilter(type ?? '', rest.join(':'));
  });
}

export interface SelectedFeed {
  title: string;
  description: string;
  entries: FeedEntry[];
}

/** Minutes a reader should wait between polls: the ingest schedule's interval. */
export function ttlMinutes(config: Config): number {
  return Math.max(1, Math.round(scheduleIntervalMs(config.schedule) / 60_000));
}

/**
 * The configured sources by id, for entry source names and feed URLs. Read from the configuration rather than
 * the store: the store's source states carry per-source article counts that cost a scan on every render.
 */
export function sourceDirectory(config: Config): EntryContext['sources'] {
  return new Map(config.sources.map((s) => [s.id, { id: s.id, name: s.name, url: s.url }]));
}

/** A tag's human label, from the articles that carry it (no scan of the tag table); the value when none do. */
function tagLabel(store: Store, slug: string, articles: Article[]): string {
  const first = articles[0];
  const tag = first ? store.articleTags(first.id).find((t) => t.slug === slug) : undefined;
  return tag?.name ?? slug.split(':').slice(1).join(':');
}

function collectWatchlist(context: RouteContext, name: string, options: FeedOptions): { articles: Article[]; scanned: number; exhausted: boolean } {
  const { store, config } = context;
  const definition = config.watchlists.find((w) => w.name === name);
  if (!definition) throw new SecwireError('NotFound', `no watchlist "${name}" (configured: ${config.watchlists.map((w) => w.name).join(', ') || 'none'})`);
  const matches = compileWatchlist(definition);
  const scanLimit = context.watchlistScanLimit ?? DEFAULT_WATCHLIST_SCAN_LIMIT;
  // Tags are any-of: each tag's articles are read through the index; a query-only watchlist reads the newest.
  const lanes: (string | null)[] = definition.match.tags?.length ? parseTagParams(definition.match.tags) : [null];
  const found = new Map<number, Article>();
  let scanned = 0;
  let exhausted = true;
  for (const tag of lanes) {
    let cursor: string | undefined;
    let kept = 0;
    do {
      const pageSize = Math.min(200, scanLimit);
      const page = store.articles({ limit: pageSize, cursor, since: options.since, tags: tag ? [tag] : undefined });
      scanned += page.articles.length;
      for (const article of page.articles) {
        if (matches({ title: article.title, text: article.text ?? article.summary ?? '', tags: article.tags })) {
          found.set(article.id, article);
          kept += 1;
        }
      }
      cursor = page.nextCursor ?? undefined;
      if (cursor && scanned >= scanLimit * lanes.length) exhausted = false;
    } while (cursor && kept < options.limit && scanned < scanLimit * lanes.length);
  }
  const articles = [...found.values()].sort((a, b) => sortKey(b).localeCompare(sortKey(a)) || b.id - a.id).slice(0, options.limit);
  return { articles, scanned, exhausted };
}

function sortKey(article: Article): string {
  return article.published ?? article.firstSeen;
}

/** What one feed holds: its title and description, and its entries newest first. */
export function selectFeed(context: RouteContext, spec: FeedSpec, options: FeedOptions): SelectedFeed {
  const { store, config } = context;
  const name = config.feeds.title;
  const query: ArticleQuery = { limit: options.limit, since: options.since };
  let articles: Article[];
  let title: string;
  let description: string;
  let stories = context.stories ?? null;
  switch (spec.kind) {
    case 'all':
      if (!options.stories) stories = null;
      // `limit` counts entries: a story with many outlets must not crowd the others out.
      articles = stories ? store.storyHeads({ since: query.since }, query.limit) : store.articles(query).articles;
      title = `${name} — all security news`;
      description = stories ? 'Security news from many outlets, one entry per story, tagged' : 'Security news from many outlets, deduplicated and tagged';
      break;
    case 'source': {
      const state = sourceDirectory(config).get(spec.source) ?? store.sourceState(spec.source);
      if (!state) throw new SecwireError('NotFound', `no source "${spec.source}"`);
      articles = store.articles({ ...query, source: state.id }).articles;
      title = `${name} — source: ${state.name}`;
      description = `Articles from ${state.name}, tagged by secwire`;
      stories = null;
      break;
    }
    case 'tag': {
      const [type] = spec.tag.split(':');
      articles = store.articles({ ...query, tags: [spec.tag] }).articles;
      title = `${name} — ${type}: ${tagLabel(store, spec.tag, articles)}`;
      description = `Security news tagged ${spec.tag}`;
      stories = null;
      break;
    }
    case 'watchlist': {
      const collected = collectWatchlist(context, spec.name, options);
      articles = collected.articles;
      title = `${name} — watchlist: ${spec.name}`;
      description = `Articles matching the watchlist "${spec.name}"`;
      if (!collected.exhausted) description += ` (searched the newest ${collected.scanned} candidate articles)`;
      stories = null;
      break;
    }
    case 'search': {
      const match = parseQuery(spec.query);
      // A feed reader wants newest first unless the query asks otherwise.
      match.sort ??= 'date';
      articles = store.search({ ...query, tags: parseTagParams(spec.tags), match }).hits.map((hit) => hit.article);
      const what = [spec.query.trim(), ...spec.tags.map((t) => `tag:${t}`)].filter(Boolean).join(' ');
      title = `${name} — search: ${what || 'everything'}`;
      description = `Articles matching the search "${what}"`;
      stories = null;
      break;
    }
  }
  // Tags read for the whole page at once, then handed out per entry.
  const tagsRead = new Map<number, Tag[]>();
  const entryContext: EntryContext = {
    sources: sourceDirectory(config),
    tagsOf: (id) => {
      let tags = tagsRead.get(id);
      if (tags === undefined) tagsRead.set(id, (tags = store.articleTags(id)));
      return tags;
    },
    preloadTags: (ids) => {
      const missing = ids.filter((id) => !tagsRead.has(id));
      const found = store.articlesTags(missing);
      for (const id of missing) tagsRead.set(id, found.get(id) ?? []);
    },
    full: options.full,
  };
  return { title, description, entries: entriesFor(articles, entryContext, stories) };
}

/** A feed rendered in one format, with the instant of its newest entry for Last-Modified. */
export function renderSelectedFeed(config: Config, spec: FeedSpec, format: OutputFormat, selected: SelectedFeed, baseUrl = config.server.baseUrl): Rendered {
  const newest = selected.entries.reduce<string | null>((max, e) => (max === null || e.updated > max ? e.updated : max), null);
  const { path, query } = feedPath(spec);
  const meta: FeedMeta = {
    id: `${baseUrl}${path}${query}`,
    title: selected.title,
    description: selected.description,
    homeUrl: spec.kind === 'tag' ? `${baseUrl}${path.replace(/^\/feeds/, '')}` : `${baseUrl}/`,
    selfUrl: feedUrl(baseUrl, spec, format),
    updated: newest ?? new Date(0).toISOString(),
    ttlMinutes: ttlMinutes(config),
  };
  return { body: renderFeed(format, meta, selected.entries), contentType: FEED_CONTENT_TYPES[format], lastModified: newest ? new Date(newest) : null };
}

export function renderFeedRoute(context: RouteContext, request: FeedRequest, params: URLSearchParams): Rendered {
  const selected = selectFeed(context, request.spec, parseFeedOptions(params, context.config));
  return renderSelectedFeed(context.config, request.spec, request.format, selected);
}
