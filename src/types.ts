/**
 * The typed records passed between stages: fetchers -> extract -> tagging -> store -> feeds.
 * Dates are ISO 8601 strings. Instants stored and emitted are UTC (`...Z`); the extractor keeps the
 * page's own offset where it had one.
 */

export type IsoInstant = string;

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
}

/** One item of a feed, normalised across RSS 0.9x/1.0/2.0, Atom and JSON Feed. */
export interface FeedItem {
  /** guid / atom:id / JSON Feed id, as published (null when the feed gives none). */
  id: string | null;
  title: string;
  /** Absolute http(s) URL resolved against the feed's base, or null. */
  link: string | null;
  published: IsoInstant | null;
  updated: IsoInstant | null;
  authors: string[];
  /** Plain-text or HTML summary as the feed gave it. */
  summary: string | null;
  /** Full HTML content when the feed carries it (content:encoded, atom:content, content_html). */
  content: string | null;
  categories: string[];
  enclosures: Enclosure[];
  /** Tag slugs the source itself asserts for this item (a JSON advisory's `kev:`/`cve:`/vendor/product). */
  tags?: string[];
}

export type FeedFormat = 'rss2' | 'rss1' | 'rss09' | 'atom' | 'json';

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  link: string | null;
  description: string | null;
  language: string | null;
  updated: IsoInstant | null;
  /** RSS <ttl> in minutes, or sy:updatePeriod/updateFrequency turned into minutes. */
  ttlMinutes: number | null;
  items: FeedItem[];
}

export type PublishedSource = 'jsonld' | 'meta' | 'time' | 'url' | 'text' | 'feed' | 'first-seen';

/** What the extractor gets out of one article page. */
export interface Extracted {
  url: string;
  canonicalUrl: string | null;
  title: string | null;
  authors: string[];
  published: string | null;
  publishedSource: PublishedSource | null;
  modified: string | null;
  lang: string | null;
  siteName: string | null;
  image: string | null;
  description: string | null;
  /** Plain text of the body, paragraphs separated by blank lines. */
  text: string;
  /** Sanitized HTML of the body. */
  html: string;
  /**
   * Set when the page's date and the feed's date disagree by more than a day: both are kept,
   * `published` holds the one trusted (the page's when from JSON-LD/meta, else the feed's).
   */
  dateConflict?: DateConflict | null;
}

export interface DateConflict {
  page: string;
  pageSource: PublishedSource;
  feed: string;
}

export const TAG_TYPES = [
  'cve',
  'kev',
  'vendor',
  'product',
  'actor',
  'malware',
  'technique',
  'incident',
  'sector',
  'country',
  'source',
] as const;
export type TagType = (typeof TAG_TYPES)[number];

export interface Tag {
  type: TagType;
  /** Lower-case except CVE and ATT&CK IDs. */
  value: string;
  /** `type:value` */
  slug: string;
  /** Human label: "APT29", "CVE-2024-3400", "Healthcare". */
  name: string;
  ids?: { attack?: string };
  /** The strings in the text that produced this tag. */
  mentions?: string[];
}

export interface Ioc {
  type: 'ipv4' | 'ipv6' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256' | 'email';
  value: string;
}

export interface TagResult {
  tags: Tag[];
  iocs: Ioc[];
}

/** The input to tagging: what we know of one article. */
export interface TagInput {
  title: string;
  /** Plain text of the body (or the feed summary when no page was extracted). */
  text: string;
  /** Optional sanitized HTML; link text inside nav/related blocks never counts. */
  html?: string | null;
}

/** One source as configured (config/sources.yaml or secwire.yaml). */
export interface SourceConfig {
  id: string;
  name: string;
  url: string;
  schedule: string;
  articles: boolean;
  rules: string | null;
  tags: string[];
  kind: SourceKind;
  /** Selectors of an `html` listing source. */
  html?: HtmlListingConfig;
  /** Field mapping of a `json` source. */
  json?: JsonMappingConfig;
  /** `digest`: split roundup posts into one item per story. */
  split?: 'digest';
}

export type SourceKind = 'feed' | 'html' | 'json';

/** CSS selectors; `title`, `link`, `date` and `summary` are looked up inside each `item`. */
export interface HtmlListingConfig {
  item: string;
  title: string;
  link: string;
  date: string | null;
  summary: string | null;
  /** The "older posts" link to follow for back-fill. */
  next: string | null;
  /** Listing pages read per fetch, the first included. */
  pages: number;
}

/**
 * `items` is a dotted path to the array; each other field is a dotted path into one item or a template
 * with `{path}` placeholders ("CISA adds {cveID} to KEV").
 */
export interface JsonMappingConfig {
  items: string;
  title: string;
  link: string;
  date: string | null;
  summary: string | null;
  id: string | null;
  /** Tag slug templates asserted for every item ("kev:{cveID}"). */
  tags: string[];
}

/** An article as the store keeps it and the API shows it (INTERFACE.md "article"). */
export interface Article {
  id: number;
  url: string;
  canonicalUrl: string;
  source: string;
  title: string;
  authors: string[];
  published: IsoInstant | null;
  publishedSource: PublishedSource | null;
  updated: IsoInstant | null;
  firstSeen: IsoInstant;
  lang: string | null;
  image: string | null;
  summary: string | null;
  text: string | null;
  html: string | null;
  tags: string[];
  story: number | null;
}
