/**
 * What the feed renderers take: one shape for RSS 2.0, Atom 1.0 and JSON Feed 1.1, filled by the routes
 * from the store. All strings are plain values; the renderers do every escaping.
 */

export type OutputFormat = 'rss' | 'atom' | 'json';

export interface FeedEntryTag {
  /** `type:value`, e.g. `actor:apt29`. */
  slug: string;
  type: string;
  value: string;
  /** Human label, e.g. "APT29". */
  name: string;
}

export interface FeedEntry {
  /** Stable id that never changes across re-emits, e.g. "urn:secwire:article:123". Must be an absolute IRI. */
  id: string;
  /** Plain text; may contain < & " ' and must survive every format and client. */
  title: string;
  /** Absolute URL of the original article. */
  link: string;
  /** ISO instant. */
  published: string | null;
  /** ISO instant. */
  updated: string;
  authors: string[];
  /** Plain text. */
  summary: string | null;
  /** Sanitized HTML (when full=1), else null. */
  contentHtml: string | null;
  tags: FeedEntryTag[];
  /** `url` is the outlet's feed URL (RSS `<source url=...>`). */
  source: { id: string; name: string; url: string };
  /** Lead image URL: enclosure, media:thumbnail, JSON Feed `image`. */
  image: string | null;
  /** Other outlets that covered the same story. */
  alsoCoveredBy: { sourceName: string; title: string; url: string }[];
}

export interface FeedMeta {
  /** Stable feed id (a URN or the self URL): an absolute IRI. */
  id: string;
  /** Says what the feed is, e.g. "secwire — actor: APT29". */
  title: string;
  description: string;
  /** Absolute URL of the web page for this feed; tag schemes/domains are `/tag/{type}` on its origin. */
  homeUrl: string;
  /** Absolute URL of this feed in this format. */
  selfUrl: string;
  /** ISO instant. */
  updated: string;
  ttlMinutes: number;
  language?: string | null;
}
