/** RSS 2.0, with the Atom, Dublin Core, content and Media RSS namespaces for what RSS itself cannot say. */
import { HOMEPAGE, VERSION } from '../version.js';
import { absoluteIri, absoluteUrl, categoryLabels, contentHtml, guessImageType, plainTitle, summaryHtml, tagSchemeUrl, toRfc822 } from './entry-parts.js';
import type { FeedEntry, FeedMeta } from './types.js';
import { cdata, el, serializeXmlDocument, type XmlElement } from './xml.js';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

function rssItem(meta: FeedMeta, entry: FeedEntry): XmlElement {
  const image = entry.image === null ? null : absoluteUrl(entry.image, `image of ${entry.id}`);
  const summary = summaryHtml(entry);
  const content = contentHtml(entry);
  return el(
    'item',
    {},
    el('title', {}, plainTitle(entry.title)),
    el('link', {}, absoluteUrl(entry.link, `link of ${entry.id}`)),
    // One meaning for every guid: the stable entry id, never a permalink (links can change, ids cannot).
    el('guid', { isPermaLink: 'false' }, absoluteIri(entry.id, 'entry id')),
    el('pubDate', {}, toRfc822(entry.published ?? entry.updated, `date of ${entry.id}`)),
    // RSS <author> must be an e-mail address; names go in dc:creator.
    entry.authors.map((name) => el('dc:creator', {}, name)),
    summary === null ? null : el('description', {}, cdata(summary)),
    content === null ? null : el('content:encoded', {}, cdata(content)),
    categoryLabels(entry.tags).map((label, i) => el('category', { domain: tagSchemeUrl(meta.homeUrl, entry.tags[i]!.type) }, label)),
    el('source', { url: absoluteUrl(entry.source.url, `source URL of ${entry.id}`) }, entry.source.name),
    image === null ? null : el('enclosure', { url: image, length: 0, type: guessImageType(image) }),
    image === null ? null : el('media:thumbnail', { url: image }),
  );
}

export function renderRss(meta: FeedMeta, entries: FeedEntry[]): string {
  const channel = el(
    'channel',
    {},
    el('title', {}, plainTitle(meta.title)),
    el('link', {}, absoluteUrl(meta.homeUrl, 'feed home URL')),
    el('description', {}, meta.description || plainTitle(meta.title)),
    el('atom:link', { href: absoluteUrl(meta.selfUrl, 'feed self URL'), rel: 'self', type: 'application/rss+xml' }),
    meta.language ? el('language', {}, meta.language) : null,
    el('lastBuildDate', {}, toRfc822(meta.updated, 'feed updated')),
    el('ttl', {}, String(meta.ttlMinutes)),
    el('generator', {}, `secwire ${VERSION} (${HOMEPAGE})`),
    el('docs', {}, 'https://www.rssboard.org/rss-specification'),
    entries.map((entry) => rssItem(meta, entry)),
  );
  return serializeXmlDocument(el('rss', { version: '2.0', ...NAMESPACES }, channel));
}
