/** Atom 1.0 (RFC 4287) with Media RSS thumbnails. */
import { HOMEPAGE, VERSION } from '../version.js';
import { absoluteIri, absoluteUrl, categoryLabels, contentHtml, guessImageType, plainTitle, summaryHtml, tagSchemeUrl, toRfc3339 } from './entry-parts.js';
import type { FeedEntry, FeedMeta } from './types.js';
import { cdata, el, serializeXmlDocument, type XmlElement } from './xml.js';

function atomEntry(meta: FeedMeta, entry: FeedEntry): XmlElement {
  const image = entry.image === null ? null : absoluteUrl(entry.image, `image of ${entry.id}`);
  const summary = summaryHtml(entry);
  const content = contentHtml(entry);
  const sourceUrl = absoluteUrl(entry.source.url, `source URL of ${entry.id}`);
  // Atom requires an author per entry (the feed has none of its own): the outlet stands in when the article names nobody.
  const authors = entry.authors.length > 0 ? entry.authors : [entry.source.name];
  return el(
    'entry',
    {},
    el('id', {}, absoluteIri(entry.id, 'entry id')),
    // type="text" with escaped text: with type="html" newsboat strips anything that looks like a tag from titles.
    el('title', { type: 'text' }, plainTitle(entry.title)),
    el('link', { rel: 'alternate', type: 'text/html', href: absoluteUrl(entry.link, `link of ${entry.id}`) }),
    entry.published === null ? null : el('published', {}, toRfc3339(entry.published, `published of ${entry.id}`)),
    el('updated', {}, toRfc3339(entry.updated, `updated of ${entry.id}`)),
    authors.map((name) => el('author', {}, el('name', {}, name))),
    summary === null ? null : el('summary', { type: 'html' }, cdata(summary)),
    content === null ? null : el('content', { type: 'html' }, cdata(content)),
    categoryLabels(entry.tags).map((label, i) => el('category', { term: entry.tags[i]!.slug, scheme: tagSchemeUrl(meta.homeUrl, entry.tags[i]!.type), label })),
    entry.alsoCoveredBy.map((other) =>
      el('link', { rel: 'related', type: 'text/html', href: absoluteUrl(other.url, 'also-covered-by URL'), title: `${other.sourceName}: ${plainTitle(other.title)}` }),
    ),
    image === null ? null : el('link', { rel: 'enclosure', type: guessImageType(image), href: image }),
    image === null ? null : el('media:thumbnail', { url: image }),
    el('source', {}, el('id', {}, sourceUrl), el('title', { type: 'text' }, entry.source.name), el('link', { rel: 'self', href: sourceUrl })),
  );
}

export function renderAtom(meta: FeedMeta, entries: FeedEntry[]): string {
  const feed = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', 'xmlns:media': 'http://search.yahoo.com/mrss/', 'xml:lang': meta.language ?? null },
    el('id', {}, absoluteIri(meta.id, 'feed id')),
    el('title', { type: 'text' }, plainTitle(meta.title)),
    meta.description ? el('subtitle', { type: 'text' }, meta.description) : null,
    el('updated', {}, toRfc3339(meta.updated, 'feed updated')),
    el('link', { rel: 'self', type: 'application/atom+xml', href: absoluteUrl(meta.selfUrl, 'feed self URL') }),
    el('link', { rel: 'alternate', type: 'text/html', href: absoluteUrl(meta.homeUrl, 'feed home URL') }),
    el('generator', { uri: HOMEPAGE, version: VERSION }, 'secwire'),
    entries.map((entry) => atomEntry(meta, entry)),
  );
  return serializeXmlDocument(feed);
}
