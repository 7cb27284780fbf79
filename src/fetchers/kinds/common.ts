import { parseDate } from '../../extract/dates.js';
import type { FeedItem } from '../../types.js';

/** An absolute http(s) URL, or null for anything else (javascript:, mailto:, garbage). */
export function resolveHttpUrl(href: string | null | undefined, base: string): string | null {
  if (!href?.trim()) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A date as a listing or an advisory writes it, read by the article date code, as a UTC instant. */
export function listingDate(raw: string | null | undefined, now: Date): string | null {
  const parsed = parseDate(raw, { now });
  return parsed === null ? null : new Date(parsed).toISOString();
}

export function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function newItem(fields: Pick<FeedItem, 'title' | 'link'> & Partial<FeedItem>): FeedItem {
  return { id: null, published: null, updated: null, authors: [], summary: null, content: null, categories: [], enclosures: [], ...fields };
}
