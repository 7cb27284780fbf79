import { load, type CheerioAPI, type CheerioOptions } from 'cheerio/slim';
import type { ParserOptions } from 'htmlparser2';
import { SecwireError } from '../errors.js';
import type { Extracted } from '../types.js';
import type { Element } from 'domhandler';
import { extractBody, type BodyOptions } from './content.js';
import { offsetForLanguage } from './dates.js';
import { normalizeSpace } from './dom.js';
import { readJsonLd } from './jsonld.js';
import { resolveLimits, type ExtractLimits } from './limits.js';
import { chooseAuthors, chooseCanonical, chooseImage, chooseLanguage, chooseTitle, firstMeta, readMetaTags } from './metadata.js';
import { choosePublished } from './published.js';
import { rulesForUrl, type SiteRules } from './rules.js';
import { absoluteHttpUrl, sanitizeNodes } from './sanitize.js';
import { streamedArticleHtml } from './streamed.js';
import { nodesToText } from './text.js';
import { FastTokenizer } from './tokenizer.js';
import { indexPage, tagged, type PageIndex } from './page.js';
import { prescanDepthExceeds } from './prescan.js';

export { DEFAULT_EXTRACT_LIMITS, type ExtractLimits } from './limits.js';
export { rulesForUrl, rulesByName, loadSiteRules, type SiteRules } from './rules.js';
export { sanitizeArticleHtml } from './sanitize.js';
export { htmlToText } from './text.js';

export interface ExtractOptions {
  /** Site rule to apply; undefined picks one by the URL's host, null forces the generic extractor. */
  rules?: SiteRules | null;
  /** The feed item's date: the fallback, and the check on weak page dates. */
  feedPublished?: string | null;
  /** The time of extraction (dates after it are rejected); when given it is also the "first-seen" fallback. */
  now?: Date;
  limits?: Partial<ExtractLimits>;
}

/** Text below which a page is taken to have no article (a login wall, an index page, an error page). */
const MIN_ARTICLE_TEXT_CHARS = 50;

/** A text page has next to no control characters in its head; a binary one has many. */
const BINARY_SNIFF_CHARS = 4096;
const BINARY_CONTROL_CHARS = 16;

function noArticle(url: string, reason: string): SecwireError {
  return new SecwireError('NoArticle', `${url}: no article found (${reason})`, { url });
}

/** cheerio's option type leaves out the parser's `Tokenizer`; cheerio hands its options to htmlparser2 as they are. */
const PARSE_OPTIONS: CheerioOptions & Pick<ParserOptions, 'Tokenizer'> = { Tokenizer: FastTokenizer };

function parse(html: string): CheerioAPI {
  // cheerio/slim parses with htmlparser2: about 4x faster than the parse5 default here; its tokenizer skips
  // text, attribute values and script bodies by string search (tokenizer.ts): the same tree, 25-40% less CPU.
  return load(html, PARSE_OPTIONS);
}

function checkInput(html: string, url: string, limits: ExtractLimits): void {
  if (html.length > limits.maxInputChars) {
    throw noArticle(url, `page is ${html.length} characters, over the limit of ${limits.maxInputChars}`);
  }
  const head = html.slice(0, BINARY_SNIFF_CHARS);
  if ((head.match(/[\u0000-\u0008\u000e-\u001a]/g)?.length ?? 0) > BINARY_CONTROL_CHARS) {
    throw noArticle(url, 'the content is binary, not HTML');
  }
}

/** Tag soup leaves elements open; the scan before parsing allows this much over the DOM limit. */
const PRESCAN_DEPTH_FACTOR = 4;

function baseUrlOf(page: PageIndex, url: string): string {
  return absoluteHttpUrl(tagged(page, 'base').find((element) => element.attribs['href'])?.attribs['href'], url) ?? url;
}

function bodyOf(body: { nodes: Element[] } | null, baseUrl: string): { cleanHtml: string; text: string } | null {
  // The text comes from the cleaned DOM: the sanitizer keeps the words, so a second parse would only cost.
  return body ? { cleanHtml: sanitizeNodes(body.nodes, baseUrl), text: nodesToText(body.nodes) } : null;
}

/** The body from the page's DOM, else from the HTML a Next.js page streams only in its RSC payload. */
function articleBody(html: string, page: PageIndex, options: BodyOptions, baseUrl: string, url: string): { cleanHtml: string; text: string } {
  const fromDom = bodyOf(extractBody(() => parse(html), page.$, options), baseUrl);
  if (fromDom && fromDom.text.length >= MIN_ARTICLE_TEXT_CHARS) return fromDom;
  const streamed = streamedArticleHtml(page);
  if (streamed) {
    const wrapped = `<html><body><article>${streamed}</article></body></html>`;
    const fromPayload = bodyOf(extractBody(() => parse(wrapped), parse(wrapped), { ...options, rules: null }), baseUrl);
    if (fromPayload && fromPayload.text.length >= MIN_ARTICLE_TEXT_CHARS) return fromPayload;
  }
  if (!fromDom) throw noArticle(url, 'no content block found');
  throw noArticle(url, `only ${fromDom.text.length} characters of text`);
}

function extractUnchecked(html: string, url: string, options: ExtractOptions): Extracted {
  const limits = resolveLimits(options.limits);
  checkInput(html, url, limits);
  if (prescanDepthExceeds(html, limits.maxDepth * PRESCAN_DEPTH_FACTOR)) {
    throw noArticle(url, `markup nests more than ${limits.maxDepth * PRESCAN_DEPTH_FACTOR} levels deep, over the limit of ${limits.maxDepth}`);
  }
  const $ = parse(html);
  const root = $.root()[0];
  if (!root) throw noArticle(url, 'empty document');
  const page = indexPage($);
  if (page.nodes > limits.maxNodes) throw noArticle(url, `page has ${page.nodes} nodes, over the limit of ${limits.maxNodes}`);
  if (page.depth > limits.maxDepth) throw noArticle(url, `markup nests ${page.depth} levels deep, over the limit of ${limits.maxDepth}`);

  const rules = options.rules === undefined ? rulesForUrl(url) : options.rules;
  const now = options.now ?? new Date();
  const baseUrl = baseUrlOf(page, url);
  const metas = readMetaTags(page);
  const jsonld = readJsonLd(page, limits);
  const siteName = firstMeta(metas, ['og:site_name', 'application-name', 'al:android:app_name']) ?? jsonld?.publisher ?? null;
  const title = chooseTitle(page, metas, jsonld, rules, siteName, url);
  const authors = chooseAuthors(page, metas, jsonld, rules, siteName, url, title, limits.maxAuthors);
  const lang = chooseLanguage(page, metas, jsonld);
  const dates = choosePublished({
    page, metas, jsonld, rules, url, check: { now, defaultOffsetMinutes: offsetForLanguage(lang) },
    feedPublished: options.feedPublished ?? null,
    firstSeen: options.now ? options.now.toISOString() : null,
  });
  const description = firstMeta(metas, ['og:description', 'description', 'twitter:description', 'dc.description']) ?? jsonld?.description ?? null;
  const image = chooseImage(page, metas, jsonld, baseUrl);
  const canonicalUrl = chooseCanonical(page, metas, baseUrl);

  const { cleanHtml, text } = articleBody(html, page, { rules, title, description }, baseUrl, url);

  return {
    url,
    canonicalUrl,
    title,
    authors,
    published: dates.published,
    publishedSource: dates.publishedSource,
    modified: dates.modified,
    lang,
    siteName: siteName ? normalizeSpace(siteName) : null,
    image,
    description: description ? normalizeSpace(description) : null,
    text,
    html: cleanHtml,
    dateConflict: dates.dateConflict,
  };
}

/**
 * Extracts the article of one page: sanitized body HTML and text, title, authors, dates (with where
 * they came from), language, image, description, canonical URL. Throws only NoArticle.
 */
export function extractArticle(html: string, url: string, options: ExtractOptions = {}): Extracted {
  try {
    return extractUnchecked(html, url, options);
  } catch (error) {
    if (error instanceof SecwireError && error.kind === 'NoArticle') throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SecwireError('NoArticle', `${url}: extraction failed (${reason})`, { url }, { cause: error });
  }
}
