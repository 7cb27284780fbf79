import { SecwireError } from '../errors.js';
import type { ParsedFeed } from '../types.js';
import { decodeBody } from './charset.js';
import { parseFeed } from './parse/index.js';
import type { HttpClient } from './types.js';

export interface FeedValidators {
  etag: string | null;
  lastModified: string | null;
}

export type FeedFetch =
  | { notModified: true; status: number; headers: Record<string, string> }
  | { notModified: false; status: number; url: string; headers: Record<string, string>; validators: FeedValidators; feed: ParsedFeed };

/** Fetches a feed with a conditional GET and parses it; a 304 costs no decode and no parse. */
export async function fetchFeed(http: HttpClient, url: string, validators: FeedValidators, signal?: AbortSignal): Promise<FeedFetch> {
  const response = await http.fetch(url, { accept: 'feed', etag: validators.etag, lastModified: validators.lastModified, ...(signal ? { signal } : {}) });
  if (response.notModified) return { notModified: true, status: response.status, headers: response.headers };
  const text = decodeBody(response.body, response.contentType);
  const feed = await parseFeed(text, response.url);
  return {
    notModified: false,
    status: response.status,
    url: response.url,
    headers: response.headers,
    validators: { etag: response.etag, lastModified: response.lastModified },
    feed,
  };
}

/** Fetches an article page and decodes it to text. */
export async function fetchPage(http: HttpClient, url: string, signal?: AbortSignal): Promise<{ url: string; html: string }> {
  const response = await http.fetch(url, { accept: 'page', ...(signal ? { signal } : {}) });
  if (response.notModified) throw new SecwireError('Http4xx', `${url} answered 304 Not Modified to an unconditional request`, { status: 304 });
  return { url: response.url, html: decodeBody(response.body, response.contentType) };
}
