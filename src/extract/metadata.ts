import type { CheerioAPI } from 'cheerio/slim';
import type { Element } from 'domhandler';
import { hintString, isElement, normalizeSpace, textOf } from './dom.js';
import type { JsonLdArticle } from './jsonld.js';
import { absoluteHttpUrl } from './sanitize.js';
import type { SiteRules } from './rules.js';

/** Page metadata read before the body is cut out: meta tags, link rels, the headline, the byline. */

export type MetaTags = Map<string, string[]>;

export function readMetaTags($: CheerioAPI): MetaTags {
  const metas: MetaTags = new Map();
  for (const element of $('meta').toArray()) {
    if (!isElement(element)) continue;
    const keys = (element.attribs['property'] ?? element.attribs['name'] ?? element.attribs['itemprop'] ?? element.attribs['http-equiv'] ?? '')
      .trim().toLowerCase().split(/\s+/);
    const content = element.attribs['content']?.trim();
    if (!content) continue;
    // "dc:title" and "dc.title" name the same thing; pages write both.
    for (const key of keys.filter(Boolean).map((entry) => entry.replace(/^(dc|dcterms?):/, (_, prefix: string) => `${prefix === 'dcterm' ? 'dcterms' : prefix}.`))) {
      const list = metas.get(key);
      if (list) list.push(content);
      else metas.set(key, [content]);
    }
  }
  return metas;
}

export function firstMeta(metas: MetaTags, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = metas.get(key)?.[0];
    if (value) return value;
  }
  return null;
}

const TITLE_SEPARATOR = /\s+(?:[|\-–—·•»:/*]|::)\s+|\s*[｜：]\s*/;

function comparable(text: string): string {
  return text.toLowerCase().replace(/^www\./, '').replace(/[^\p{L}\p{N}]+/gu, '');
}

function siteLabels(siteName: string | null, url: string): string[] {
  const labels: string[] = [];
  if (siteName) labels.push(comparable(siteName));
  try {
    const host = new URL(url).hostname.replace(/^www\./, '');
    labels.push(comparable(host), comparable(host.split('.')[0] ?? ''));
  } catch {
    // An unparsable URL only loses the host hint.
  }
  return labels.filter((label) => label.length >= 2);
}

/** Removes a leading or trailing " - Site Name" (or "Site | ..."): the site's name, or a short tail after the last separator. */
export function cleanTitle(raw: string, siteName: string | null, url: string, headings: string[]): string {
  const title = normalizeSpace(raw);
  if (!TITLE_SEPARATOR.test(title)) return title;
  const normalizedTitle = comparable(title);
  for (const heading of headings) {
    const wanted = comparable(heading);
    if (wanted.length >= 10 && normalizedTitle.startsWith(wanted) && wanted !== normalizedTitle) return normalizeSpace(heading);
  }
  const labels = siteLabels(siteName, url);
  const isSite = (segment: string): boolean => {
    const value = comparable(segment);
    return value.length > 0 && labels.some((label) => value === label || (label.length >= 4 && value.includes(label) && value.length <= label.length + 12));
  };
  let segments = title.split(TITLE_SEPARATOR);
  const separators = title.match(new RegExp(TITLE_SEPARATOR.source, 'g')) ?? [];
  let changed = false;
  while (segments.length > 1 && isSite(segments[segments.length - 1] ?? '')) {
    segments = segments.slice(0, -1);
    separators.pop();
    changed = true;
  }
  while (segments.length > 1 && isSite(segments[0] ?? '')) {
    segments = segments.slice(1);
    separators.shift();
    changed = true;
  }
  if (changed) return rejoin(segments, separators);
  return title;
}

/**
 * A <title> with no site name found still often ends in " | Site": drop the part after the last
 * separator when at least three words remain (Readability's rule; short titles are left alone).
 */
function dropTitleTail(title: string): string {
  const match = /^(.*\S)\s+(?:[|\-–—»/]|::)\s+[^|\-–—»/]+$/.exec(title);
  const head = match?.[1];
  if (!head || head.split(/\s+/).length < 3) return title;
  return head;
}

function rejoin(segments: string[], separators: string[]): string {
  return segments.reduce((out, segment, index) => (index === 0 ? segment : `${out}${separators[index - 1] ?? ' - '}${segment}`), '');
}

export function headingTexts($: CheerioAPI): string[] {
  return $('h1').toArray().slice(0, 3).map((element) => normalizeSpace(textOf(element))).filter((text) => text.length > 0);
}

/** Bounds of a plausible visible headline, in characters. */
const HEADLINE_MIN_CHARS = 10;
const HEADLINE_MAX_CHARS = 300;

/**
 * The visible headline: the h1 of the article, or the page's only h1. Pages write it for readers,
 * while og:title and <title> are often rewritten for social cards and search.
 */
function articleHeadline($: CheerioAPI): string | null {
  const inArticle = $('article h1, main h1, [itemprop="headline"]').toArray().filter(isElement);
  const all = $('h1').toArray().filter(isElement);
  const pick = inArticle[0] ?? (all.length === 1 ? all[0] : undefined);
  if (!pick) return null;
  const text = normalizeSpace(pick.attribs['content'] ?? textOf(pick));
  return text.length >= HEADLINE_MIN_CHARS && text.length <= HEADLINE_MAX_CHARS ? text : null;
}

/** The headline when the document title speaks of the same thing (at least half its words), else null. */
function agreesWith(headline: string | null, documentTitle: string): string | null {
  if (!headline) return null;
  const titleWords = new Set(documentTitle.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const headlineWords = headline.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (headlineWords.length === 0) return null;
  const shared = headlineWords.filter((word) => titleWords.has(word)).length;
  if (shared / headlineWords.length >= 0.5) return headline;
  return comparable(documentTitle).includes(comparable(headline)) ? headline : null;
}

export function chooseTitle($: CheerioAPI, metas: MetaTags, jsonld: JsonLdArticle | null, rules: SiteRules | null, siteName: string | null, url: string): string | null {
  const headings = headingTexts($);
  for (const selector of rules?.title ?? []) {
    const text = normalizeSpace($(selector).first().text());
    if (text) return text;
  }
  const documentTitle = normalizeSpace($('head title').first().text() || $('title').first().text());
  const candidates = [
    firstMeta(metas, ['dc.title', 'dcterms.title', 'og:title', 'twitter:title', 'parsely-title', 'sailthru.title', 'title']),
    jsonld?.headline ?? null,
    agreesWith(articleHeadline($), documentTitle),
    documentTitle,
  ];
  for (const [index, candidate] of candidates.entries()) {
    if (!candidate || !normalizeSpace(candidate)) continue;
    const cleaned = cleanTitle(candidate, siteName, url, headings);
    return index === candidates.length - 1 ? dropTitleTail(cleaned) : cleaned;
  }
  return null;
}

const BY_PREFIX = /^(?:(?:written|posted|reported|words|text|story|published|updated)\s+by|by|von|par|por|di|door|av|af|autor(?:in)?|author|auteur|text|texto|de)\s*[:\-–]?\s+/i;
const ROLE = /\b(?:reporter|editor|writer|correspondent|contributor|journalist|columnist|staff|redakteur(?:in)?|redaktion|rédaction|redacción|analyst|senior|chief|director|photographer|news desk|agency)\b/i;

/** Names from a byline: no "By", no dates, no URLs, no site names, no job titles; split on "and", commas, "&". */
export function cleanAuthors(raw: string[], siteName: string | null, max: number): string[] {
  const siteKey = siteName ? comparable(siteName) : null;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of raw) {
    const pieces = normalizeSpace(entry).replace(BY_PREFIX, '').split(/\s*(?:,|;|&|\||\/|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+)\s*/i);
    for (const piece of pieces) {
      const name = piece.replace(BY_PREFIX, '').replace(/^[@\s]+|[\s.:|-]+$/g, '').trim();
      if (name.length < 3 || name.length > 50 || name.split(' ').length > 5) continue;
      if (/\d|https?:|www\.|@|\.com\b/i.test(name) || ROLE.test(name)) continue;
      if (!/^\p{Lu}|^\p{Lo}/u.test(name)) continue;
      const key = comparable(name);
      if (!key || key === siteKey || seen.has(key)) continue;
      seen.add(key);
      out.push(name);
      if (out.length >= max) return out;
    }
  }
  return out;
}

const AUTHOR_SELECTORS = [
  '[itemprop="author"] [itemprop="name"]',
  '[itemprop="author"]',
  'a[rel="author"]',
  '.byline .author',
  '.author-name',
  '.byline__name',
  '.author a',
  '.byline a',
  '.byline',
  '.author',
];

function authorsFromDom($: CheerioAPI, selectors: readonly string[]): string[] {
  for (const selector of selectors) {
    const found = $(selector).toArray().slice(0, 6).filter(isElement)
      .filter((element) => !/comment|related|footer|sidebar/.test(ancestorHints(element)))
      .map((element) => normalizeSpace(element.attribs['content'] ?? textOf(element)))
      .filter((text) => text.length > 0 && text.length < 120);
    if (found.length > 0) return found;
  }
  return [];
}

function ancestorHints(element: Element): string {
  let hints = '';
  let current = element.parent;
  for (let level = 0; level < 8 && current && isElement(current); level += 1) {
    hints += ` ${hintString(current)}`;
    current = current.parent;
  }
  return hints;
}

export function chooseAuthors($: CheerioAPI, metas: MetaTags, jsonld: JsonLdArticle | null, rules: SiteRules | null, siteName: string | null, max: number): string[] {
  if (rules && rules.author.length > 0) {
    const fromRules = cleanAuthors(authorsFromDom($, rules.author), siteName, max);
    if (fromRules.length > 0) return fromRules;
  }
  const metaAuthors = ['author', 'article:author', 'parsely-author', 'sailthru.author', 'dc.creator', 'dcterms.creator', 'byl', 'citation_author']
    .flatMap((key) => metas.get(key) ?? [])
    .filter((value) => !/^https?:/.test(value));
  const sources = [jsonld?.authors ?? [], metaAuthors, authorsFromDom($, AUTHOR_SELECTORS)];
  for (const source of sources) {
    const cleaned = cleanAuthors(source, siteName, max);
    if (cleaned.length > 0) return cleaned;
  }
  return [];
}

export function chooseLanguage($: CheerioAPI, metas: MetaTags, jsonld: JsonLdArticle | null): string | null {
  const raw = $('html').attr('lang') ?? firstMeta(metas, ['content-language', 'dc.language', 'language']) ?? jsonld?.inLanguage ?? firstMeta(metas, ['og:locale']);
  if (!raw) return null;
  const match = /^([a-z]{2,3})(?:[-_]([a-z]{2,4}))?/i.exec(raw.trim());
  if (!match?.[1]) return null;
  const primary = match[1].toLowerCase();
  return match[2] ? `${primary}-${match[2].length === 2 ? match[2].toUpperCase() : match[2]}` : primary;
}

export function chooseImage($: CheerioAPI, metas: MetaTags, jsonld: JsonLdArticle | null, baseUrl: string): string | null {
  const candidates = [
    firstMeta(metas, ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src', 'thumbnailurl']),
    jsonld?.image ?? null,
    $('link[rel="image_src"]').attr('href') ?? null,
  ];
  for (const candidate of candidates) {
    const url = absoluteHttpUrl(candidate ?? undefined, baseUrl);
    if (url) return url;
  }
  return null;
}

export function chooseCanonical($: CheerioAPI, metas: MetaTags, baseUrl: string): string | null {
  return absoluteHttpUrl($('link[rel="canonical" i]').attr('href'), baseUrl) ?? absoluteHttpUrl(firstMeta(metas, ['og:url']) ?? undefined, baseUrl);
}
