/**
 * What kind of source a URL is, for `secwire sources add`: a feed, a page that links a feed (the feed is
 * used), a JSON list, or an HTML listing for which a selector config is guessed and checked on the page.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { SecwireError, toSecwireError } from '../../errors.js';
import type { HtmlListingConfig, JsonMappingConfig } from '../../types.js';
import { decodeBody } from '../charset.js';
import { discoverFeeds } from '../discover.js';
import { parseFeed } from '../parse/index.js';
import type { HttpClient } from '../types.js';
import { parseListing } from './html.js';
import { parseJsonListing, valueAt } from './json.js';

export type Detected =
  | { kind: 'feed'; url: string; title: string | null; via: 'feed' | 'autodiscovery' }
  | { kind: 'html'; url: string; title: string | null; html: HtmlListingConfig; sample: string[] }
  | { kind: 'json'; url: string; title: string | null; json: JsonMappingConfig; sample: string[] };

export interface DetectOptions {
  now: Date;
  /** Fewest repeated cards that make a listing. */
  minItems: number;
  /** Titles shown back to the user to confirm a guessed mapping. */
  sampleSize: number;
}

export const DEFAULT_DETECT_OPTIONS: DetectOptions = { now: new Date(), minItems: 3, sampleSize: 3 };

export async function detectSource(http: HttpClient, url: string, options: DetectOptions = DEFAULT_DETECT_OPTIONS): Promise<Detected> {
  const response = await http.fetch(url, { accept: 'any' });
  if (response.notModified) throw new SecwireError('Http4xx', `${url} answered 304 to an unconditional request`, { status: 304 });
  const text = decodeBody(response.body, response.contentType);
  const feed = await parseFeed(text, response.url).catch(() => null);
  if (feed) return { kind: 'feed', url: response.url, title: feed.title, via: 'feed' };
  if (/json/i.test(response.contentType ?? '') || /^\s*[[{]/.test(text)) return suggestJson(text, response.url, options);
  for (const candidate of discoverFeeds(text, response.url)) {
    const linked = await fetchFeedTitle(http, candidate);
    if (linked !== undefined) return { kind: 'feed', url: candidate, title: linked, via: 'autodiscovery' };
  }
  const html = suggestListing(text, response.url, options);
  const title = load(text)('title').first().text().trim() || null;
  return { kind: 'html', url: response.url, title, html: html.config, sample: html.sample };
}

/** The title of the feed at `url`, or undefined when it is not a working feed. */
async function fetchFeedTitle(http: HttpClient, url: string): Promise<string | null | undefined> {
  try {
    const response = await http.fetch(url, { accept: 'feed' });
    if (response.notModified) return undefined;
    return (await parseFeed(decodeBody(response.body, response.contentType), response.url)).title;
  } catch {
    return undefined;
  }
}

const TITLE_KEYS = ['title', 'name', 'headline', 'vulnerabilityName', 'summary'];
const LINK_KEYS = ['url', 'link', 'href', 'permalink', 'html_url'];
const DATE_KEYS = ['published', 'date', 'datePublished', 'dateAdded', 'published_at', 'created', 'updated', 'modified'];
const ID_KEYS = ['id', 'guid', 'cveID', 'cve', 'uuid'];
const SUMMARY_KEYS = ['description', 'shortDescription', 'summary', 'content', 'body'];

/** The largest array of objects within three levels, and its fields guessed from common key names. */
export function suggestJson(text: string, url: string, options: DetectOptions): Detected {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (thrown) {
    throw new SecwireError('ParseError', `${url} is neither a feed nor valid JSON: ${thrown instanceof Error ? thrown.message : String(thrown)}`, { url });
  }
  const found = largestObjectArray(document, '', 3);
  const first = found ? (valueAt(document, found.path) as Record<string, unknown>[])[0] : undefined;
  const key = (names: string[]): string | null => names.find((name) => first && typeof first[name] === 'string') ?? null;
  const title = key(TITLE_KEYS);
  if (!found || !title) throw new SecwireError('MappingError', `${url} is JSON without a list of entries with a title: write a json mapping by hand`, { url });
  const id = key(ID_KEYS);
  const link = key(LINK_KEYS) ?? `${url}#{${id ?? title}}`;
  const json: JsonMappingConfig = { items: found.path, title, link, date: key(DATE_KEYS), summary: key(SUMMARY_KEYS), id, tags: [] };
  const listing = parseJsonListing(text, url, json, options.now);
  return { kind: 'json', url, title: listing.title, json, sample: listing.items.slice(0, options.sampleSize).map((i) => i.title) };
}

function largestObjectArray(value: unknown, path: string, depth: number): { path: string; length: number } | null {
  if (Array.isArray(value)) return value.length > 0 && value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v)) ? { path, length: value.length } : null;
  if (depth === 0 || typeof value !== 'object' || value === null) return null;
  let best: { path: string; length: number } | null = null;
  for (const [key, child] of Object.entries(value)) {
    const found = largestObjectArray(child, path ? `${path}.${key}` : key, depth - 1);
    if (found && (!best || found.length > best.length)) best = found;
  }
  return best;
}

/**
 * Guesses the listing: the largest group of sibling elements with the same tag and classes, each holding a
 * headline link (link text of a few words). The guess is then run on the page itself, so what is printed works.
 */
export function suggestListing(html: string, url: string, options: DetectOptions): { config: HtmlListingConfig; sample: string[] } {
  const $ = load(html);
  const groups = new Map<AnyNode, Map<string, Element[]>>();
  $('a[href]').each((_, anchor) => {
    if (wordCount($(anchor).text()) < 3) return;
    for (let node: Element | null = anchor; node && node.parent && node.parent.type === 'tag'; node = node.parent as Element) {
      const bySignature = groups.get(node.parent) ?? new Map<string, Element[]>();
      groups.set(node.parent, bySignature);
      const signature = signatureOf(node);
      const members = bySignature.get(signature) ?? [];
      if (!members.includes(node)) members.push(node);
      bySignature.set(signature, members);
    }
  });
  let best: Element[] = [];
  for (const bySignature of groups.values()) {
    for (const members of bySignature.values()) if (members.length > best.length) best = members;
  }
  const card = best[0];
  if (!card || best.length < options.minItems) throw new SecwireError('NotAFeed', `${url} is not a feed, links none, and no repeated list of headline links was found: write an html mapping by hand`, { url });
  const config: HtmlListingConfig = {
    item: `${selectorOf($, card.parent as Element)} > ${signatureOf(card)}`,
    title: innerSelector($, best, 'h1, h2, h3, h4, h5, h6') ?? 'a[href]',
    link: 'a[href]',
    date: innerSelector($, best, 'time') ?? innerSelector($, best, '[class*="date"], [class*="time"]'),
    summary: innerSelector($, best, 'p'),
    next: nextSelector($),
    pages: 1,
  };
  if (config.title !== 'a[href]') config.link = `${config.title} a[href]`;
  if (config.link.includes(' ') && $(best).find(config.link).length < best.length) config.link = 'a[href]';
  try {
    const page = parseListing(html, url, config, options.now);
    return { config, sample: page.items.slice(0, options.sampleSize).map((i) => i.title) };
  } catch (thrown) {
    throw new SecwireError('MappingError', `the guessed listing config does not work on ${url}: ${toSecwireError(thrown).message}`, { url });
  }
}

function wordCount(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

function signatureOf(element: Element): string {
  const classes = classesOf(element).map((c) => `.${cssEscape(c)}`).join('');
  return `${element.tagName}${classes}`;
}

function classesOf(element: Element): string[] {
  return (element.attribs['class'] ?? '').split(/\s+/).filter((c) => c && /^[a-z_-][\w-]*$/i.test(c)).slice(0, 2);
}

function cssEscape(name: string): string {
  return name.replace(/([^\w-])/g, '\\$1');
}

/** An id when the container has one, else its tag and classes under its own parent's selector. */
function selectorOf($: CheerioAPI, element: Element): string {
  const id = element.attribs['id'];
  if (id && /^[a-z][\w-]*$/i.test(id)) return `#${id}`;
  if (element.tagName === 'body' || !element.parent || element.parent.type !== 'tag') return signatureOf(element);
  return `${selectorOf($, element.parent as Element)} > ${signatureOf(element)}`;
}

/** A selector for an element most cards contain, by the tag (and class) of the first card's match. */
function innerSelector($: CheerioAPI, cards: Element[], query: string): string | null {
  const found = $(cards[0]).find(query).first().get(0);
  if (!found || found.type !== 'tag') return null;
  const element = found as Element;
  for (const candidate of [signatureOf(element), element.tagName]) {
    const covered = cards.filter((card) => $(card).find(candidate).length > 0).length;
    if (covered * 2 > cards.length) return candidate;
  }
  return null;
}

function nextSelector($: CheerioAPI): string | null {
  if ($('a[rel~="next"][href]').length > 0) return 'a[rel~="next"]';
  const next = $('a[href]').filter((_, a) => /^\s*(next|older|more)\b|[›»]\s*$/i.test($(a).text())).first().get(0);
  if (!next || next.type !== 'tag') return null;
  const classes = classesOf(next as Element);
  return classes.length > 0 ? `a.${classes.map(cssEscape).join('.')}` : null;
}
