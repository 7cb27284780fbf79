/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Built directly: `feed` 6 emits version 1 with a single
 * `author` and no `language`, and the object is simpler to write than to repair.
 */
import { absoluteIri, absoluteUrl, categoryLabels, contentHtml, plainTitle, summaryHtml, toRfc3339 } from './entry-parts.js';
import type { FeedEntry, FeedMeta } from './types.js';
import { stripInvalidXmlChars } from './xml.js';

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  image?: string;
  date_published?: string;
  date_modified: string;
  authors?: { name: string }[];
  tags?: string[];
  /** Extension (JSON Feed allows `_` keys): what the spec has no field for. */
  _secwire: {
    source: FeedEntry['source'];
    tags: FeedEntry['tags'];
    also_covered_by: FeedEntry['alsoCoveredBy'];
  };
}

function jsonItem(entry: FeedEntry): JsonFeedItem {
  const summary = entry.summary?.trim() ?? '';
  const item: JsonFeedItem = {
    id: absoluteIri(entry.id, 'entry id'),
    url: absoluteUrl(entry.link, `link of ${entry.id}`),
    title: plainTitle(entry.title),
    // The spec wants content_html or content_text in every item: the summary (as HTML) stands in without full=1.
    content_html: contentHtml(entry) ?? summaryHtml(entry) ?? '',
    date_modified: toRfc3339(entry.updated, `updated of ${entry.id}`),
    _secwire: { source: entry.source, tags: entry.tags, also_covered_by: entry.alsoCoveredBy },
  };
  if (summary !== '') item.summary = summary;
  if (entry.image !== null) item.image = absoluteUrl(entry.image, `image of ${entry.id}`);
  if (entry.published !== null) item.date_published = toRfc3339(entry.published, `published of ${entry.id}`);
  if (entry.authors.length > 0) item.authors = entry.authors.map((name) => ({ name }));
  if (entry.tags.length > 0) item.tags = categoryLabels(entry.tags);
  return item;
}

export function renderJsonFeed(meta: FeedMeta, entries: FeedEntry[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: plainTitle(meta.title),
    home_page_url: absoluteUrl(meta.homeUrl, 'feed home URL'),
    feed_url: absoluteUrl(meta.selfUrl, 'feed self URL'),
    ...(meta.description ? { description: meta.description } : {}),
    ...(meta.language ? { language: meta.language } : {}),
    _secwire: { id: absoluteIri(meta.id, 'feed id'), updated: toRfc3339(meta.updated, 'feed updated'), ttl_minutes: meta.ttlMinutes },
    items: entries.map(jsonItem),
  };
  // Control characters and lone surrogates are legal in JSON strings but garbage to readers; the XML formats drop them too.
  return `${JSON.stringify(feed, (_key, value: unknown) => (typeof value === 'string' ? stripInvalidXmlChars(value) : value), 2)}\n`;
}
