/** Atom 1.0 (and the 0.3 spellings still served) from the raw element tree, into ParsedFeed. */
import type { Enclosure, FeedItem, ParsedFeed } from '../../types.js';
import { parseFeedDate } from '../dates.js';
import {
  authorName,
  cleanTitle,
  escapeHtml,
  nonEmpty,
  parseLength,
  resolveHttpUrl,
  resolveUrl,
  uniqueEnclosures,
  uniqueNonEmpty,
} from './normalize.js';
import type { RawXmlFeed } from './xml.js';
import { attr, child, childText, children, deepText, text, type XmlNode } from './xmltree.js';

type TextKind = 'text' | 'html' | 'xhtml';

interface TextConstruct {
  kind: TextKind;
  value: string;
}

export function readAtom(raw: RawXmlFeed, baseUrl: string, now: Date): ParsedFeed {
  const feed = raw.root ?? {};
  const feedBase = resolveUrl(attr(feed, 'xml:base'), baseUrl);
  const link = alternateLink(feed, feedBase ?? baseUrl);
  const itemBase = feedBase ?? link ?? baseUrl;
  const feedAuthors = people(feed);
  const title = textConstruct(child(feed, 'title'));
  return {
    format: 'atom',
    title: title ? nonEmpty(cleanTitle(title.value, title.kind === 'text' ? 'text' : 'html')) : null,
    link,
    description: textConstruct(child(feed, 'subtitle', 'tagline'))?.value ?? null,
    language: nonEmpty(attr(feed, 'xml:lang')),
    updated: parseFeedDate(childText(feed, 'updated', 'modified'), now),
    ttlMinutes: null,
    items: children(feed, 'entry').map((entry) => readEntry(entry, itemBase, feedAuthors, now)),
  };
}

function readEntry(entry: XmlNode, feedBase: string, feedAuthors: string[], now: Date): FeedItem {
  const base = resolveUrl(attr(entry, 'xml:base'), feedBase) ?? feedBase;
  const title = textConstruct(child(entry, 'title'));
  const authors = people(entry);
  const published = parseFeedDate(childText(entry, 'published', 'issued', 'created'), now);
  const updated = parseFeedDate(childText(entry, 'updated', 'modified'), now);
  return {
    id: childText(entry, 'id'),
    title: title ? cleanTitle(title.value, title.kind === 'text' ? 'text' : 'html') : '',
    link: alternateLink(entry, base),
    // Atom requires <updated> and makes <published> optional: an entry was published by its first update.
    published: published ?? updated,
    updated,
    // RFC 4287 4.2.1: an entry without an author inherits the feed's.
    authors: authors.length > 0 ? authors : feedAuthors,
    summary: textConstruct(child(entry, 'summary'))?.value ?? null,
    content: htmlContent(child(entry, 'content')),
    categories: uniqueNonEmpty(children(entry, 'category').map((node) => attr(node, 'term') ?? attr(node, 'label') ?? text(node))),
    enclosures: enclosures(entry, base),
  };
}

function textKind(node: XmlNode): TextKind {
  const type = (attr(node, 'type') ?? 'text').trim().toLowerCase();
  if (type === 'html' || type === 'text/html') return 'html';
  if (type === 'xhtml' || type === 'application/xhtml+xml') return 'xhtml';
  return 'text';
}

/** xml.ts wrapped xhtml bodies in CDATA; the required wrapping <div> is not part of the content. */
function textConstruct(node: XmlNode | undefined): TextConstruct | null {
  if (node === undefined) return null;
  const kind = textKind(node);
  const raw = isBase64(node) ? fromBase64(text(node)) : (text(node) ?? deepText(node));
  if (raw === null) return null;
  const value = kind === 'xhtml' ? raw.trim().replace(/^<(?:\w+:)?div\b[^>]*>([\s\S]*)<\/(?:\w+:)?div>$/, '$1').trim() : raw.trim();
  return value === '' ? null : { kind, value };
}

/** Atom 0.3 mode="base64"; Atom 1.0 says any MIME type that is neither text nor XML is base64 (RFC 4287 4.1.3.3). */
function isBase64(node: XmlNode): boolean {
  if (attr(node, 'mode')?.trim().toLowerCase() === 'base64') return true;
  const type = (attr(node, 'type') ?? '').trim().toLowerCase();
  return type.includes('/') && !/^text\/|[+/]xml$/.test(type);
}

function fromBase64(value: string | null): string | null {
  return value === null ? null : Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
}

function htmlContent(node: XmlNode | undefined): string | null {
  if (node === undefined || attr(node, 'src') !== null) return null;
  const construct = textConstruct(node);
  if (construct === null) return null;
  return construct.kind === 'text' ? escapeHtml(construct.value) : construct.value;
}

function alternateLink(node: XmlNode, base: string): string | null {
  const links = children(node, 'link');
  const rel = (link: XmlNode): string => (attr(link, 'rel') ?? 'alternate').trim().toLowerCase();
  const alternates = links.filter((link) => rel(link) === 'alternate');
  const preferred = alternates.find((link) => /html/i.test(attr(link, 'type') ?? 'text/html')) ?? alternates[0];
  if (preferred === undefined) return null;
  const linkBase = resolveUrl(attr(preferred, 'xml:base'), base) ?? base;
  return resolveHttpUrl(attr(preferred, 'href') ?? text(preferred), linkBase);
}

function people(node: XmlNode): string[] {
  return uniqueNonEmpty(children(node, 'author').map((author) => authorName(childText(author, 'name') ?? text(author) ?? childText(author, 'email'))));
}

function enclosures(entry: XmlNode, base: string): Enclosure[] {
  const found: Enclosure[] = [];
  for (const link of children(entry, 'link')) {
    if ((attr(link, 'rel') ?? '').trim().toLowerCase() !== 'enclosure') continue;
    const url = resolveHttpUrl(attr(link, 'href'), resolveUrl(attr(link, 'xml:base'), base) ?? base);
    if (url !== null) found.push({ url, type: nonEmpty(attr(link, 'type')), length: parseLength(attr(link, 'length')) });
  }
  for (const media of [...children(entry, 'media:content'), ...children(entry, 'media:thumbnail')]) {
    const url = resolveHttpUrl(attr(media, 'url'), base);
    if (url !== null) found.push({ url, type: nonEmpty(attr(media, 'type')), length: parseLength(attr(media, 'fileSize')) });
  }
  return uniqueEnclosures(found);
}
