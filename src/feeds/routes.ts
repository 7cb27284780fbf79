import type { Config } from '../config/load.js';
import { SecwireError } from '../errors.js';
import { scheduleIntervalMs } from '../fetchers/next-fetch.js';
import type { Store } from '../store/store.js';
import type { ArticleQuery } from '../store/types.js';
import { TAG_TYPES, type TagType } from '../types.js';
import { articleToEntry } from './entries.js';
import { FEED_CONTENT_TYPES, renderFeed } from './render.js';
import type { FeedMeta, OutputFormat } from './types.js';

export interface Rendered {
  body: string;
  contentType: string;
  lastModified: Date | null;
}

export interface RouteContext {
  config: Config;
  store: Store;
}

const FORMATS: Record<string, OutputFormat> = { rss: 'rss', atom: 'atom', json: 'json' };

export interface FeedRequest {
  kind: 'all' | 'source' | 'tag';
  format: OutputFormat;
  source?: string;
  tag?: string;
  /** The path without the format extension, for self links. */
  path: string;
}

/** Recognises the feed routes of INTERFACE.md; null for any other path. */
export function matchFeedRoute(pathname: string): FeedRequest | null {
  const match = /^\/feeds\/(.+)\.(rss|atom|json)$/.exec(pathname);
  if (!match) return null;
  const [, rest, ext] = match as unknown as [string, string, string];
  const format = FORMATS[ext]!;
  const path = `/feeds/${rest}`;
  if (rest === 'all') return { kind: 'all', format, path };
  const parts = rest.split('/').map((part) => decodeURIComponent(part));
  if (parts.length === 2 && parts[0] === 'source') return { kind: 'source', format, source: parts[1]!, path };
  if (parts.length === 3 && parts[0] === 'tag' && (TAG_TYPES as readonly string[]).includes(parts[1]!)) {
    const type = parts[1] as TagType;
    const value = type === 'cve' || type === 'kev' || type === 'technique' ? parts[2]!.toUpperCase() : parts[2]!.toLowerCase();
    return { kind: 'tag', format, tag: `${type}:${value}`, path };
  }
  return null;
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

export function renderFeedRoute(context: RouteContext, request: FeedRequest, params: URLSearchParams): Rendered {
  const { store, config } = context;
  const limit = parseLimit(params.get('limit'), config);
  const full = params.get('full') === '1';
  const query: ArticleQuery = { limit, since: parseInstant('since', params.get('since')) };
  let title = config.feeds.title;
  let description = 'Security news from many outlets, deduplicated and tagged';
  if (request.kind === 'source') {
    const state = store.sourceState(request.source!);
    if (!state) throw new SecwireError('NotFound', `no source "${request.source}"`);
    query.source = state.id;
    title = `${config.feeds.title} — source: ${state.name}`;
    description = `Articles from ${state.name}, tagged by secwire`;
  } else if (request.kind === 'tag') {
    query.tags = [request.tag!];
    const label = store.tagCounts(request.tag!.split(':')[0], undefined, 1_000_000).find((t) => t.slug === request.tag)?.name ?? request.tag!.split(':').slice(1).join(':');
    title = `${config.feeds.title} — ${request.tag!.split(':')[0]}: ${label}`;
    description = `Security news tagged ${request.tag}`;
  }
  const { articles } = store.articles(query);
  const states = store.sourceStates();
  const sources = new Map(states.map((s) => [s.id, s]));
  const entries = articles.map((article) => articleToEntry(article, { sources, tagsOf: (id) => store.articleTags(id), full }));
  const base = config.server.baseUrl;
  const newest = entries.reduce<string | null>((max, e) => (max === null || e.updated > max ? e.updated : max), null);
  const meta: FeedMeta = {
    id: `${base}${request.path}`,
    title,
    description,
    homeUrl: `${base}/`,
    selfUrl: `${base}${request.path}.${request.format}`,
    updated: newest ?? new Date(0).toISOString(),
    ttlMinutes: Math.max(1, Math.round(scheduleIntervalMs(config.schedule) / 60_000)),
  };
  return { body: renderFeed(request.format, meta, entries), contentType: FEED_CONTENT_TYPES[request.format], lastModified: newest ? new Date(newest) : null };
}
