/**
 * One entry point for every source kind: whatever the source is (feed, HTML listing, JSON advisories),
 * the pipeline gets the same feed-shaped result, and everything downstream stays unchanged.
 */
import { SecwireError } from '../../errors.js';
import type { FeedItem, SourceConfig } from '../../types.js';
import { decodeBody } from '../charset.js';
import { fetchFeed, type FeedValidators } from '../fetch-feed.js';
import type { FetchOk, HttpClient } from '../types.js';
import { splitDigest } from './digest.js';
import { parseListing } from './html.js';
import { parseJsonListing } from './json.js';

export interface SourceFeed {
  title: string | null;
  link: string | null;
  ttlMinutes: number | null;
  items: FeedItem[];
}

export type SourceFetch =
  | { notModified: true; status: number; headers: Record<string, string> }
  | { notModified: false; status: number; url: string; headers: Record<string, string>; validators: FeedValidators; feed: SourceFeed };

export interface SourceFetchOptions {
  validators: FeedValidators;
  now: Date;
  signal?: AbortSignal | undefined;
}

/** Fetches a source by its kind (conditional GET on the first request) and applies `split: digest`. */
export async function fetchSource(http: HttpClient, source: SourceConfig, options: SourceFetchOptions): Promise<SourceFetch> {
  const fetched = await fetchByKind(http, source, options);
  if (fetched.notModified || source.split !== 'digest') return fetched;
  return { ...fetched, feed: { ...fetched.feed, items: fetched.feed.items.flatMap((item) => splitDigest(item)) } };
}

async function fetchByKind(http: HttpClient, source: SourceConfig, options: SourceFetchOptions): Promise<SourceFetch> {
  if (source.kind === 'feed') return fetchFeed(http, source.url, options.validators, options.signal);
  const signal = options.signal ? { signal: options.signal } : {};
  const first = await http.fetch(source.url, { accept: source.kind === 'json' ? 'json' : 'page', etag: options.validators.etag, lastModified: options.validators.lastModified, ...signal });
  if (first.notModified) return { notModified: true, status: first.status, headers: first.headers };
  const done = (feed: SourceFeed): SourceFetch => ({
    notModified: false,
    status: first.status,
    url: first.url,
    headers: first.headers,
    validators: { etag: first.etag, lastModified: first.lastModified },
    feed,
  });
  if (source.kind === 'json') {
    const listing = parseJsonListing(bodyText(first), first.url, mappingOf(source, source.json), options.now);
    return done({ title: listing.title, link: first.url, ttlMinutes: null, items: listing.items });
  }
  const html = mappingOf(source, source.html);
  let page = parseListing(bodyText(first), first.url, html, options.now);
  const title = page.title;
  const items = [...page.items];
  // Back-fill: older listing pages, never one twice (a "next" that loops back ends the walk).
  const visited = new Set([source.url, first.url]);
  for (let read = 1; read < html.pages && page.next && !visited.has(page.next); read += 1) {
    visited.add(page.next);
    const response = await http.fetch(page.next, { accept: 'page', ...signal });
    if (response.notModified) break;
    page = parseListing(bodyText(response), response.url, html, options.now);
    items.push(...page.items);
  }
  return done({ title, link: first.url, ttlMinutes: null, items });
}

/** The schema requires the mapping of the source's kind; a SourceConfig built in code may still lack it. */
function mappingOf<T>(source: SourceConfig, mapping: T | undefined): T {
  if (!mapping) throw new SecwireError('ConfigError', `source ${source.id} has kind "${source.kind}" but no "${source.kind}:" mapping`, { source: source.id });
  return mapping;
}

function bodyText(response: FetchOk): string {
  return decodeBody(response.body, response.contentType);
}
