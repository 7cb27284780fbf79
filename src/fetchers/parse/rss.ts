/** RSS 0.9x, RSS 1.0 (RDF) and RSS 2.0, from the raw element tree, into ParsedFeed. */
import type { Enclosure, FeedItem, ParsedFeed } from '../../types.js';
import { parseFeedDate } from '../dates.js';
import {
  authorName,
  cleanTitle,
  nonEmpty,
  parseLength,
  resolveHttpUrl,
  resolveUrl,
  ttlMinutes,
  uniqueEnclosures,
  uniqueNonEmpty,
} from './normalize.js';
import type { RawXmlFeed } from './xml.js';
import { attr, child, childText, children, childrenOf, deepText, text, type XmlNode } from './xmltree.js';

interface Bases {
  /** What relative item links resolve against: xml:base, else the channel link, else the feed URL. */
  items: string;
}

export function readRss(raw: RawXmlFeed, format: 'rss09' | 'rss1' | 'rss2', baseUrl: string, now: Date): ParsedFeed {
  const root = raw.root;
  const channel = child(root, 'channel') ?? {};
  const channelBase = resolveUrl(attr(channel, 'xml:base') ?? attr(root, 'xml:base'), baseUrl);
  const link = resolveHttpUrl(childText(channel, 'link') ?? atomLink(channel, 'alternate'), channelBase ?? baseUrl);
  const bases: Bases = { items: channelBase ?? link ?? baseUrl };
  const items = [...children(root, 'item'), ...children(channel, 'item')];
  return {
    format,
    title: nonEmpty(cleanTitle(childText(channel, 'title', 'dc:title'), 'html')),
    link,
    description: childText(channel, 'description', 'dc:description'),
    language: childText(channel, 'language', 'dc:language'),
    updated: parseFeedDate(childText(channel, 'lastBuildDate', 'pubDate', 'dc:date', 'atom:updated'), now),
    ttlMinutes: ttlMinutes(childText(channel, 'ttl'), childText(channel, 'sy:updatePeriod'), childText(channel, 'sy:updateFrequency')),
    items: items.map((item) => readItem(item, bases, now)),
  };
}

function atomLink(node: XmlNode, rel: string): string | null {
  const links = childrenOf(node, ['atom:link', 'atom10:link', 'a10:link']);
  const match = links.find((link) => (attr(link, 'rel') ?? 'alternate') === rel);
  return match ? attr(match, 'href') : null;
}

function readItem(item: XmlNode, bases: Bases, now: Date): FeedItem {
  const base = resolveUrl(attr(item, 'xml:base'), bases.items) ?? bases.items;
  const guidNode = child(item, 'guid');
  const guid = guidNode !== undefined ? nonEmpty(text(guidNode)) : null;
  const guidIsLink = guid !== null && attr(guidNode, 'isPermaLink')?.trim().toLowerCase() !== 'false';
  const about = attr(item, 'rdf:about');
  const link =
    resolveHttpUrl(childText(item, 'link'), base) ??
    resolveHttpUrl(atomLink(item, 'alternate'), base) ??
    (guidIsLink ? resolveHttpUrl(guid, null) : null) ??
    resolveHttpUrl(about, base);
  const published = parseFeedDate(childText(item, 'pubDate', 'dc:date', 'atom:published', 'dcterms:issued'), now);
  const updated = parseFeedDate(childText(item, 'atom:updated', 'dcterms:modified'), now);
  return {
    id: guid ?? nonEmpty(about),
    title: cleanTitle(childText(item, 'title', 'dc:title') ?? deepText(child(item, 'title')), 'html'),
    link,
    // An item with only a modification date was at least published by then.
    published: published ?? updated,
    updated,
    authors: uniqueNonEmpty(
      childrenOf(item, ['dc:creator', 'author', 'itunes:author', 'dc:contributor']).map((node) => authorName(personText(node))),
    ),
    summary: childText(item, 'description', 'dc:description', 'itunes:summary'),
    content: childText(item, 'content:encoded', 'xhtml:body'),
    categories: uniqueNonEmpty(childrenOf(item, ['category', 'dc:subject']).map((node) => text(node))),
    enclosures: readEnclosures(item, base),
  };
}

/** `<author>` is text in RSS, but some feeds put an Atom-style `<name>` inside it. */
function personText(node: XmlNode): string | null {
  return text(node) ?? childText(node, 'name');
}

function readEnclosures(item: XmlNode, base: string): Enclosure[] {
  const found: Enclosure[] = [];
  const add = (node: XmlNode, urlAttribute: string, lengthAttribute: string): void => {
    const url = resolveHttpUrl(attr(node, urlAttribute), base);
    if (url !== null) found.push({ url, type: nonEmpty(attr(node, 'type')), length: parseLength(attr(node, lengthAttribute)) });
  };
  for (const node of children(item, 'enclosure')) add(node, 'url', 'length');
  const groups = children(item, 'media:group');
  for (const node of [...children(item, 'media:content'), ...groups.flatMap((group) => children(group, 'media:content'))]) {
    add(node, 'url', 'fileSize');
  }
  for (const node of [...children(item, 'media:thumbnail'), ...groups.flatMap((group) => children(group, 'media:thumbnail'))]) {
    add(node, 'url', 'fileSize');
  }
  for (const node of childrenOf(item, ['atom:link', 'atom10:link'])) {
    if (attr(node, 'rel') === 'enclosure') add(node, 'href', 'length');
  }
  return uniqueEnclosures(found);
}
