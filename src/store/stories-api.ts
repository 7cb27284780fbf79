/**
 * `GET /api/stories` as a function the HTTP layer calls: query parameters in, JSON-ready body out.
 * Parameters: limit (1-500, default 50), cursor, tag (repeatable), source, since (ISO date).
 * Bad parameters throw QueryError (HTTP 400).
 */
import { SecwireError } from '../errors.js';
import type { Story } from './stories.js';
import type { Store } from './store.js';

export interface StoriesResponse {
  stories: Story[];
  nextCursor: string | null;
}

export const STORIES_API_LIMITS = { defaultLimit: 50, maxLimit: 500 };

export function storiesResponse(store: Store, params: URLSearchParams, limits = STORIES_API_LIMITS): StoriesResponse {
  const limitText = params.get('limit');
  const limit = limitText === null ? limits.defaultLimit : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.maxLimit) {
    throw new SecwireError('QueryError', `limit must be an integer from 1 to ${limits.maxLimit}, got "${limitText}"`);
  }
  const since = params.get('since');
  if (since !== null && Number.isNaN(Date.parse(since))) throw new SecwireError('QueryError', `since must be an ISO 8601 date, got "${since}"`);
  return store.stories({
    limit,
    cursor: params.get('cursor') ?? undefined,
    tags: params.getAll('tag'),
    source: params.get('source') ?? undefined,
    since: since === null ? undefined : new Date(since).toISOString(),
  });
}
