/**
 * JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). rss-parser has no JSON Feed, and the format is
 * small enough that a reader of a dozen fields is clearer than a dependency.
 * Values of the wrong type are treated as absent, as the spec asks readers to be tolerant.
 */
import { SecwireError } from '../../errors.js';
import type { Enclosure, FeedItem, ParsedFeed } from '../../types.js';
import { parseFeedDate } from '../dates.js';
import { authorName, cleanTitle, escapeHtml, nonEmpty, parseLength, resolveHttpUrl, resolveUrl, uniqueEnclosures, uniqueNonEmpty } from './normalize.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  if (typeof value === 'string') return nonEmpty(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** "https://jsonfeed.org/version/1.1" as the spec says, or a bare "1.1" next to an items array. */
function isJsonFeedVersion(version: string | null, items: unknown): boolean {
  if (version === null) return false;
  return /^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/.test(version) || (/^1(\.\d+)?$/.test(version) && Array.isArray(items));
}

export function readJsonFeed(textValue: string, baseUrl: string, now: Date): ParsedFeed {
  let document: unknown;
  try {
    document = JSON.parse(textValue.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SecwireError('ParseError', `broken JSON Feed: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  }
  if (!isObject(document) || !isJsonFeedVersion(str(document['version']), document['items'])) {
    throw new SecwireError('NotAFeed', 'the JSON document has no JSON Feed version');
  }
  const feedUrl = resolveUrl(str(document['feed_url']), baseUrl);
  const link = resolveHttpUrl(str(document['home_page_url']), feedUrl ?? baseUrl);
  const itemBase = link ?? feedUrl ?? baseUrl;
  const feedAuthors = people(document);
  return {
    format: 'json',
    title: nonEmpty(cleanTitle(str(document['title']), 'text')),
    link,
    description: str(document['description']),
    language: str(document['language']),
    updated: null,
    ttlMinutes: null,
    items: list(document['items']).filter(isObject).map((item) => readItem(item, itemBase, feedAuthors, now)),
  };
}

/** 1.1 has `authors` (a list); 1.0 had `author` (one object). */
function people(node: Json): string[] {
  const entries = [...list(node['authors']), node['author']].filter(isObject);
  return uniqueNonEmpty(entries.map((person) => authorName(str(person['name']))));
}

function readItem(item: Json, base: string, feedAuthors: string[], now: Date): FeedItem {
  const contentHtml = str(item['content_html']);
  const contentText = str(item['content_text']);
  const published = parseFeedDate(str(item['date_published']), now);
  const updated = parseFeedDate(str(item['date_modified']), now);
  const authors = people(item);
  return {
    id: str(item['id']),
    title: cleanTitle(str(item['title']), 'text'),
    link: resolveHttpUrl(str(item['url']), base) ?? resolveHttpUrl(str(item['external_url']), base),
    published: published ?? updated,
    updated,
    authors: authors.length > 0 ? authors : feedAuthors,
    summary: str(item['summary']),
    content: contentHtml ?? (contentText !== null ? escapeHtml(contentText) : null),
    categories: uniqueNonEmpty(list(item['tags']).map(str)),
    enclosures: attachments(item, base),
  };
}

function attachments(item: Json, base: string): Enclosure[] {
  const found: Enclosure[] = [];
  for (const attachment of list(item['attachments']).filter(isObject)) {
    const url = resolveHttpUrl(str(attachment['url']), base);
    if (url !== null) {
      found.push({ url, type: str(attachment['mime_type']), length: parseLength(typeof attachment['size_in_bytes'] === 'number' ? attachment['size_in_bytes'] : null) });
    }
  }
  return uniqueEnclosures(found);
}
