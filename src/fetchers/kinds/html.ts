/**
 * `kind: html`: a listing page without a feed, read with declarative CSS selectors from the source's config.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import { dateFromUrl } from '../../extract/dates.js';
import { SecwireError } from '../../errors.js';
import type { FeedItem, HtmlListingConfig } from '../../types.js';
import { collapseSpace, listingDate, newItem, resolveHttpUrl } from './common.js';

export interface ListingPage {
  title: string | null;
  items: FeedItem[];
  /** The next (older) listing page, when the config has a `next` selector and the page links one. */
  next: string | null;
}

/**
 * Items of one listing page. A selector that matches nothing (no item, or no title or link in any item)
 * is a MappingError: an empty success would hide a site redesign.
 */
export function parseListing(html: string, pageUrl: string, config: HtmlListingConfig, now: Date): ListingPage {
  const $ = load(html);
  const base = resolveHttpUrl($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
  const containers = $(config.item).toArray();
  if (containers.length === 0) throw mappingError('item', config.item, pageUrl);
  const items: FeedItem[] = [];
  let titled = 0;
  let linked = 0;
  for (const container of containers) {
    const title = collapseSpace(pick($, container, config.title).text());
    const link = linkIn($, container, config.link, base);
    if (title) titled += 1;
    if (link) linked += 1;
    if (!title || !link) continue;
    const dateElement = config.date ? pick($, container, config.date) : null;
    const rawDate = dateElement ? (dateElement.attr('datetime') ?? dateElement.attr('content') ?? dateElement.text()) : null;
    const summary = config.summary ? collapseSpace(pick($, container, config.summary).text()) : '';
    items.push(newItem({ title, link, published: listingDate(rawDate, now) ?? urlDate(link, now), summary: summary || null }));
  }
  if (titled === 0) throw mappingError('title', config.title, pageUrl);
  if (linked === 0) throw mappingError('link', config.link, pageUrl);
  const next = config.next ? linkIn($, null, config.next, base) : null;
  return { title: collapseSpace($('title').first().text()) || null, items, next };
}

/** `:scope` selects the item container itself (a listing where the whole card is the link). */
function pick($: CheerioAPI, container: AnyNode | null, selector: string) {
  if (container === null) return $(selector).first();
  return selector === ':scope' ? $(container) : $(container).find(selector).first();
}

/** The selected element's href, or the first link inside it (a selector may name the heading, not the anchor). */
function linkIn($: CheerioAPI, container: AnyNode | null, selector: string, base: string): string | null {
  const element = pick($, container, selector);
  const href = element.attr('href') ?? element.find('a[href]').first().attr('href');
  return resolveHttpUrl(href, base);
}

function urlDate(link: string, now: Date): string | null {
  const found = dateFromUrl(link, { now });
  return found === null ? null : new Date(found).toISOString();
}

function mappingError(key: string, selector: string, url: string): SecwireError {
  return new SecwireError('MappingError', `html.${key} selector "${selector}" matched nothing on ${url}`, { key, selector, url });
}
