import type { Element } from 'domhandler';
import type { DateConflict, PublishedSource } from '../types.js';
import { dateFromUrl, instantOf, parseDate, type DateCheck } from './dates.js';
import { hintString, isElement, normalizeSpace, textOf } from './dom.js';
import type { JsonLdArticle } from './jsonld.js';
import { firstMeta, type MetaTags } from './metadata.js';
import type { SiteRules } from './rules.js';
import { hasAncestor, tagged, tokens, type PageIndex } from './page.js';

/**
 * The publication date by order of trust: JSON-LD, meta tags, <time> in the article header, the URL,
 * visible date text near the headline, then the feed. Page dates from the weaker half (time, url,
 * text) yield to the feed's when the two disagree by more than a day; both are kept in dateConflict.
 */

const PUBLISHED_META = [
  'article:published_time', 'og:article:published_time', 'article:published', 'og:published_time', 'published_time',
  'datepublished', 'parsely-pub-date', 'sailthru.date', 'dc.date.issued', 'dcterms.issued', 'dc.date', 'dcterms.date',
  'dc.date.created', 'dcterms.created', 'pubdate', 'publishdate', 'publish-date', 'publish_date', 'article.published',
  'article_date_original', 'original-publish-date', 'og:pubdate', 'date', 'cxenseparse:recs:publishtime', 'displaydate',
  'citation_publication_date', 'datecreated',
];
const MODIFIED_META = ['article:modified_time', 'og:updated_time', 'article:modified', 'datemodified', 'dcterms.modified', 'dc.date.modified', 'last-modified', 'lastmod', 'parsely-updated'];
/** Class/id words of boxes beside the article, as whole hyphen/underscore-separated words ("withSidebar" is not one). */
const ASIDE_HINT = /(?:^|[\s_-])(?:related|comments?|sidebar|recommended|recommendations|promo|popular|trending|teasers?|more)(?:[\s_-]|$)/;
const WEAK_SOURCES = new Set<PublishedSource>(['time', 'url', 'text']);
const ONE_DAY_MS = 24 * 60 * 60 * 1000;
const TEXT_DATE_HINT = /date|time|publish|posted|dateline|byline|meta|timestamp|datum|fecha|zeit/;
/** How many date-looking elements are read for visible date text, in document order. */
const MAX_TEXT_DATE_ELEMENTS = 40;

export interface PageDates {
  published: string | null;
  publishedSource: PublishedSource | null;
  modified: string | null;
  dateConflict: DateConflict | null;
}

interface Found {
  date: string;
  source: PublishedSource;
}

function outsideArticle(element: Element): boolean {
  let current = element.parent;
  for (let level = 0; level < 12 && current && isElement(current); level += 1) {
    if (current.name === 'aside' || current.name === 'nav' || current.name === 'footer') return true;
    if (ASIDE_HINT.test(hintString(current))) return true;
    current = current.parent;
  }
  return false;
}

function fromRules(page: PageIndex, rules: SiteRules | null, check: DateCheck): Found | null {
  for (const selector of rules?.date ?? []) {
    for (const element of page.$(selector).toArray().filter(isElement).slice(0, 3)) {
      const raw = element.attribs['datetime'] ?? element.attribs['content'] ?? textOf(element);
      const date = parseDate(raw, check);
      if (date) return { date, source: element.name === 'time' ? 'time' : element.name === 'meta' ? 'meta' : 'text' };
    }
  }
  return null;
}

function fromMicrodata(page: PageIndex, check: DateCheck): Found | null {
  const marked = page.withItemprop.filter((element) => element.name !== 'meta' && tokens(element, 'itemprop').includes('datepublished'))
    .concat(tagged(page, 'time').filter((element) => element.attribs['pubdate'] !== undefined));
  for (const element of marked.slice(0, 3)) {
    const date = parseDate(element.attribs['datetime'] ?? element.attribs['content'] ?? textOf(element), check);
    if (date) return { date, source: 'meta' };
  }
  return null;
}

const ARTICLE_SCOPES = new Set(['article']);
const HEADER_SCOPES = new Set(['header', 'main']);

/** <time datetime>: in the article first, then a page header, then anywhere outside related boxes. */
function fromTimeElements(page: PageIndex, check: DateCheck): Found | null {
  const times = tagged(page, 'time').filter((element) => element.attribs['datetime'] && !outsideArticle(element));
  const ranked = [
    ...times.filter((element) => hasAncestor(element, ARTICLE_SCOPES)),
    ...times.filter((element) => hasAncestor(element, HEADER_SCOPES)),
    ...times,
  ];
  for (const element of ranked) {
    const date = parseDate(element.attribs['datetime'], check);
    if (date) return { date, source: 'time' };
  }
  return null;
}

function fromVisibleText(page: PageIndex, check: DateCheck): Found | null {
  let read = 0;
  for (const element of page.elements) {
    if (element.name === 'script' || element.name === 'style' || element.name === 'meta' || element.name === 'body') continue;
    const hints = hintString(element);
    if (!TEXT_DATE_HINT.test(hints) || outsideArticle(element)) continue;
    read += 1;
    const text = normalizeSpace(textOf(element));
    if (text.length === 0 || text.length > 160) continue;
    const date = parseDate(text, check);
    if (date) return { date, source: 'text' };
    if (read >= MAX_TEXT_DATE_ELEMENTS) break;
  }
  return null;
}

export interface DateInputs {
  page: PageIndex;
  metas: MetaTags;
  jsonld: JsonLdArticle | null;
  rules: SiteRules | null;
  url: string;
  feedPublished: string | null;
  check: DateCheck;
  /** When the item was first seen: the last resort, used only when the caller gives it. */
  firstSeen: string | null;
}

export function choosePageDate(inputs: DateInputs): Found | null {
  const { page, metas, jsonld, rules, url, check } = inputs;
  const jsonldDate = parseDate(jsonld?.datePublished, check);
  if (jsonldDate) return { date: jsonldDate, source: 'jsonld' };
  const ruled = fromRules(page, rules, check);
  if (ruled) return ruled;
  for (const key of PUBLISHED_META) {
    for (const value of metas.get(key) ?? []) {
      const date = parseDate(value, check);
      if (date) return { date, source: 'meta' };
    }
  }
  return fromMicrodata(page, check) ?? fromTimeElements(page, check) ?? urlDate(url, check) ?? fromVisibleText(page, check);
}

function urlDate(url: string, check: DateCheck): Found | null {
  const date = dateFromUrl(url, check);
  return date ? { date, source: 'url' } : null;
}

export function choosePublished(inputs: DateInputs): PageDates {
  const { metas, jsonld, check } = inputs;
  const modified = parseDate(jsonld?.dateModified, check) ?? parseDate(firstMeta(metas, MODIFIED_META), check);
  const page = choosePageDate(inputs);
  const feed = parseDate(inputs.feedPublished, check);
  if (page && feed && Math.abs(instantOf(page.date) - instantOf(feed)) > ONE_DAY_MS) {
    const dateConflict: DateConflict = { page: page.date, pageSource: page.source, feed };
    if (WEAK_SOURCES.has(page.source)) return { published: feed, publishedSource: 'feed', modified, dateConflict };
    return { published: page.date, publishedSource: page.source, modified, dateConflict };
  }
  if (page) return { published: page.date, publishedSource: page.source, modified, dateConflict: null };
  if (feed) return { published: feed, publishedSource: 'feed', modified, dateConflict: null };
  if (inputs.firstSeen) return { published: inputs.firstSeen, publishedSource: 'first-seen', modified, dateConflict: null };
  return { published: null, publishedSource: null, modified, dateConflict: null };
}
