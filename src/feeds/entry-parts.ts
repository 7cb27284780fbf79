/** Pieces every renderer shares: dates, URLs, tag schemes, the entry HTML with its "Also covered by" list. */
import { SecwireError } from '../errors.js';
import type { FeedEntry } from './types.js';
import { escapeXml, stripInvalidXmlChars } from './xml.js';

function toDate(iso: string, what: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new SecwireError('UsageError', `${what} is not a valid date: ${JSON.stringify(iso)}`);
  return date;
}

/** RFC 822 (as RSS 2.0 and the W3C validator want it): "Mon, 30 Nov 2026 14:33:41 GMT". */
export function toRfc822(iso: string, what = 'date'): string {
  return toDate(iso, what).toUTCString();
}

/** RFC 3339 in UTC: "2026-11-30T14:33:41Z" (milliseconds only when there are some). */
export function toRfc3339(iso: string, what = 'date'): string {
  return toDate(iso, what).toISOString().replace('.000Z', 'Z');
}

/** URLs already normalised: a feed of stories names the same outlets, tag schemes and articles many times. */
const normalisedUrls = new Map<string, string>();
const NORMALISED_URLS_KEPT = 10_000;

/** Feeds must carry absolute URIs; a relative one is a bug upstream, so it fails loudly instead of emitting junk. */
export function absoluteUrl(value: string, what: string): string {
  const known = normalisedUrls.get(value);
  if (known !== undefined) return known;
  let href: string;
  try {
    href = new URL(value).href;
  } catch {
    throw new SecwireError('BadUrl', `${what} is not an absolute URL: ${JSON.stringify(value)}`, { url: value });
  }
  if (normalisedUrls.size >= NORMALISED_URLS_KEPT) normalisedUrls.clear();
  normalisedUrls.set(value, href);
  return href;
}

/** Entry and feed ids must be absolute IRIs (`urn:...`, `tag:...`, `https://...`): Atom requires it, readers key on it. */
export function absoluteIri(value: string, what: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value)) throw new SecwireError('UsageError', `${what} is not an absolute IRI: ${JSON.stringify(value)}`);
  return value;
}

/** Titles are one line of plain text in every format, the same text in each. */
export function plainTitle(title: string): string {
  return stripInvalidXmlChars(title).replace(/\s+/g, ' ').trim();
}

/** The URL naming a tag type: RSS category `domain`, Atom category `scheme`, the site's tag page. */
export function tagSchemeUrl(homeUrl: string, type: string): string {
  const key = `${type} ${homeUrl}`;
  let url = tagSchemeUrls.get(key);
  if (url === undefined) {
    url = new URL(`/tag/${encodeURIComponent(type)}`, absoluteUrl(homeUrl, 'feed home URL')).href;
    if (tagSchemeUrls.size >= NORMALISED_URLS_KEPT) tagSchemeUrls.clear();
    tagSchemeUrls.set(key, url);
  }
  return url;
}

const tagSchemeUrls = new Map<string, string>();

/**
 * What a reader shows for each tag (RSS and JSON Feed readers show the text alone, not the type): a KEV tag
 * carries its CVE's name, so it says so, and a name another tag of the entry already shows (the Qilin group
 * and the Qilin ransomware) says its type, so no label appears twice.
 */
export function categoryLabels(tags: readonly { type: string; name: string }[]): string[] {
  const shown = new Set<string>();
  return tags.map((tag) => {
    let label = tag.type === 'kev' ? `${tag.name} (CISA KEV)` : tag.name;
    if (shown.has(label)) label = `${label} (${tag.type})`;
    shown.add(label);
    return label;
  });
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
};

/**
 * The media type of a lead image from its extension. Extension-less images (CDN renditions like `?w=800`) are
 * said to be JPEG, the overwhelmingly common case, because readers only show `image/*` enclosures.
 */
export function guessImageType(url: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (extension && IMAGE_TYPES[extension]) ?? 'image/jpeg';
}

function alsoCoveredByHtml(entry: FeedEntry): string {
  if (entry.alsoCoveredBy.length === 0) return '';
  const items = entry.alsoCoveredBy
    .map((other) => `<li><a href="${escapeXml(absoluteUrl(other.url, 'also-covered-by URL'))}">${escapeXml(plainTitle(other.title))}</a> — ${escapeXml(other.sourceName)}</li>`)
    .join('');
  return `<p>Also covered by:</p><ul>${items}</ul>`;
}

/** The summary as HTML (the plain text escaped), followed by the story's other outlets; null when both are empty. */
export function summaryHtml(entry: FeedEntry): string | null {
  const summary = entry.summary?.trim() ? `<p>${escapeXml(entry.summary.trim())}</p>` : '';
  const html = summary + alsoCoveredByHtml(entry);
  return html === '' ? null : html;
}

/** The full article HTML followed by the story's other outlets; null when the entry has no content. */
export function contentHtml(entry: FeedEntry): string | null {
  if (entry.contentHtml === null || entry.contentHtml.trim() === '') return null;
  return entry.contentHtml + alsoCoveredByHtml(entry);
}
