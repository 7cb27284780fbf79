import { createHash } from 'node:crypto';
import { getDomain } from 'tldts';
import type { Extracted, FeedItem, Ioc, Tag } from '../types.js';
import { canonicalizeUrl } from './canonical-url.js';
import type { ArticleDraft } from './types.js';

function hash(parts: (string | null | undefined)[]): string {
  const digest = createHash('sha256');
  for (const part of parts) digest.update(part ?? '\u0000').update('\u0001');
  return digest.digest('base64url').slice(0, 22);
}

export interface ItemIdentity {
  itemKey: string;
  canonicalUrl: string;
  feedHash: string;
}

/**
 * How an item is known: its canonical URL is its identity across sources; within a source its guid
 * (or, without one, its canonical URL) is the key of the sighting. An item without a link gets a URN so it
 * can still be stored once.
 */
export function identifyItem(sourceId: string, item: FeedItem): ItemIdentity {
  const canonical = item.link ? canonicalizeUrl(item.link) : null;
  const fallback = `urn:secwire:${sourceId}:${hash([item.id, item.title])}`;
  const canonicalUrl = canonical ?? fallback;
  return {
    itemKey: item.id ? `guid:${item.id}` : `url:${canonicalUrl}`,
    canonicalUrl,
    feedHash: hash([item.title, item.link, item.published, item.updated, item.summary, item.content, item.authors.join('\n'), item.categories.join('\n')]),
  };
}

export interface DraftParts {
  identity: ItemIdentity;
  item: FeedItem;
  extracted: Extracted | null;
  extractError: string | null;
  feedText: string;
  feedHtml: string | null;
  summary: string | null;
  tags: Tag[];
  iocs: Ioc[];
}

/** Merges what the feed said and what the page said into one article; the page wins where it knows better. */
export function buildDraft(parts: DraftParts): ArticleDraft {
  const { identity, item, extracted } = parts;
  const title = item.title || extracted?.title || '(untitled)';
  const text = extracted?.text || parts.feedText || null;
  const html = extracted?.html || parts.feedHtml || null;
  const published = extracted?.published ? toUtc(extracted.published) : item.published;
  const publishedSource = extracted?.published ? extracted.publishedSource : item.published ? 'feed' : null;
  return {
    itemKey: identity.itemKey,
    guid: item.id,
    url: item.link ?? identity.canonicalUrl,
    canonicalUrl: identity.canonicalUrl,
    title,
    authors: item.authors.length ? item.authors : (extracted?.authors ?? []),
    published,
    publishedSource,
    feedPublished: item.published,
    updated: item.updated && item.updated !== item.published ? item.updated : null,
    lang: extracted?.lang ?? null,
    image: extracted?.image ?? item.enclosures.find((e) => e.type?.startsWith('image/'))?.url ?? null,
    summary: parts.summary,
    text,
    html,
    aliasUrls: pageCanonical(identity.canonicalUrl, extracted?.canonicalUrl ?? null),
    feedHash: identity.feedHash,
    contentHash: hash([title, text]),
    extractError: parts.extractError,
    tags: parts.tags,
    iocs: parts.iocs,
  };
}

/**
 * The page's rel=canonical as an alias of the article, when it differs and is on the same site. A canonical
 * on another site is not trusted as identity: any page could claim to be another outlet's article (copies
 * across sites are found by their text instead).
 */
function pageCanonical(itemUrl: string, declared: string | null): string[] {
  const canonical = declared ? canonicalizeUrl(declared) : null;
  if (!canonical || canonical === itemUrl) return [];
  const site = (url: string): string | null => getDomain(url);
  return site(canonical) !== null && site(canonical) === site(itemUrl) ? [canonical] : [];
}

function toUtc(iso: string): string | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
