/**
 * The fixture outlets' feeds, written as strings rather than with the `feed` package: the fixture must
 * reproduce what real publishers do (truncated descriptions, RSS 1.0, named time zones, windows-1252),
 * which a generator that produces clean output cannot.
 */
import iconv from 'iconv-lite';
import { ConfigError } from '../errors.js';
import { findArticle, type FixtureArticle, type FixtureData, type FixtureOutletData } from './fixture-data.js';
import { blocksToHtml, escapeXml, excerpt, rfc822, utcIso } from './fixture-html.js';

export interface RenderedResource {
  body: Buffer;
  contentType: string;
  /** ISO instant of the newest change, for Last-Modified. */
  modified: string;
}

interface FeedEntry {
  article: FixtureArticle;
  link: string;
  guid: string;
  published: string;
  isRepost: boolean;
}

/** Words in a truncated feed description (WordPress keeps 55). */
const EXCERPT_WORDS = 40;

export function articleUrl(baseUrl: string, article: FixtureArticle): string {
  return `${baseUrl}${article.path}`;
}

function newest(dates: string[]): string {
  return dates.reduce((best, date) => (Date.parse(date) > Date.parse(best) ? date : best));
}

/** A stable WordPress-style post number from the slug, so GUIDs look real and never change. */
function postNumber(slug: string): number {
  let hash = 7;
  for (const char of slug) hash = (hash * 33 + char.charCodeAt(0)) % 90_000;
  return 10_000 + hash;
}

function feedEntries(baseUrl: string, outlet: FixtureOutletData, data: FixtureData): FeedEntry[] {
  const own = data.articles
    .filter((article) => article.outlet === outlet.id)
    .map((article): FeedEntry => {
      const link = `${articleUrl(baseUrl, article)}${outlet.linkQuery ? `?${outlet.linkQuery}` : ''}`;
      const guid = outlet.guids === 'post-id' ? `${baseUrl}/${outlet.id}/?p=${postNumber(article.slug)}` : articleUrl(baseUrl, article);
      return { article, link, guid, published: article.feedPublished ?? article.published, isRepost: false };
    });
  const reposts = outlet.reposts.map((repost): FeedEntry => {
    const article = findArticle(data, repost.of);
    if (!article) throw new ConfigError('outlets.yaml', null, `${outlet.id}.reposts`, `no article ${repost.of}`);
    return {
      article,
      link: `${articleUrl(baseUrl, article)}?${repost.query}`,
      guid: `relay-repost-${article.slug}`,
      published: article.published,
      isRepost: true,
    };
  });
  return [...own, ...reposts].sort((a, b) => Date.parse(b.published) - Date.parse(a.published));
}

function modifiedOf(entries: FeedEntry[]): string {
  return newest(entries.flatMap((entry) => [entry.published, entry.article.updated ?? entry.published]));
}

function itemDescription(outlet: FixtureOutletData, article: FixtureArticle): string {
  if (outlet.feedContent === 'excerpt') return `<p>${excerpt(article.blocks, EXCERPT_WORDS)}</p>`;
  return article.dek;
}

function rss2(baseUrl: string, outlet: FixtureOutletData, entries: FeedEntry[], encoding: string): string {
  const dateStyle = outlet.feedDates;
  const items = entries.map(({ article, link, guid, published, isRepost }) => {
    const content = outlet.feedContent === 'full' && !isRepost ? `\n<content:encoded><![CDATA[${blocksToHtml(article.blocks)}]]></content:encoded>` : '';
    const image = article.image && !isRepost ? `\n<enclosure url="${baseUrl}/${article.outlet}/img/${article.image}" length="68" type="image/png"/>` : '';
    const permalink = outlet.guids === 'permalink' && !isRepost ? 'true' : 'false';
    return `<item>
<title>${escapeXml(article.title)}</title>
<link>${escapeXml(link)}</link>
<dc:creator><![CDATA[${article.author}]]></dc:creator>
<pubDate>${rfc822(published, dateStyle)}</pubDate>
${article.categories.map((category) => `<category><![CDATA[${category}]]></category>`).join('\n')}
<guid isPermaLink="${permalink}">${escapeXml(guid)}</guid>
<description><![CDATA[${isRepost ? article.dek : itemDescription(outlet, article)}]]></description>${content}${image}
</item>`;
  });
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
<title>${escapeXml(outlet.name)}</title>
<atom:link href="${baseUrl}${outlet.feedPath}" rel="self" type="application/rss+xml"/>
<link>${baseUrl}/${outlet.id}/</link>
<description>${escapeXml(outlet.tagline)}</description>
<lastBuildDate>${rfc822(modifiedOf(entries), dateStyle)}</lastBuildDate>
<language>${outlet.lang}</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>1</sy:updateFrequency>
<generator>fixture-site (secwire tests)</generator>
${items.join('\n')}
</channel>
</rss>
`;
}

function rss1(baseUrl: string, outlet: FixtureOutletData, entries: FeedEntry[]): string {
  const feedUrl = `${baseUrl}${outlet.feedPath}`;
  const seq = entries.map((entry) => `<rdf:li rdf:resource="${escapeXml(entry.link)}"/>`).join('\n');
  const items = entries.map(
    ({ article, link, published }) => `<item rdf:about="${escapeXml(link)}">
<title>${escapeXml(article.title)}</title>
<link>${escapeXml(link)}</link>
<description>${escapeXml(article.dek)}</description>
<dc:creator>${escapeXml(article.author)}</dc:creator>
<dc:date>${published}</dc:date>
${article.categories.map((category) => `<dc:subject>${escapeXml(category)}</dc:subject>`).join('\n')}
</item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="${feedUrl}">
<title>${escapeXml(outlet.name)}</title>
<link>${baseUrl}/${outlet.id}/</link>
<description>${escapeXml(outlet.tagline)}</description>
<dc:language>${outlet.lang}</dc:language>
<dc:date>${modifiedOf(entries)}</dc:date>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>2</sy:updateFrequency>
<items>
<rdf:Seq>
${seq}
</rdf:Seq>
</items>
</channel>
${items.join('\n')}
</rdf:RDF>
`;
}

function atom(baseUrl: string, outlet: FixtureOutletData, entries: FeedEntry[]): string {
  const entriesXml = entries.map(({ article, link, published }) => {
    const content = outlet.feedContent === 'full' ? `\n<content type="html">${escapeXml(blocksToHtml(article.blocks))}</content>` : '';
    return `<entry>
<title type="text">${escapeXml(article.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(link)}"/>
<id>tag:${outlet.id}.fixture.secwire,2026:${article.slug}</id>
<published>${published}</published>
<updated>${article.updated ?? published}</updated>
<author><name>${escapeXml(article.author)}</name></author>
${article.categories.map((category) => `<category term="${escapeXml(category)}"/>`).join('\n')}
<summary type="text">${escapeXml(article.dek)}</summary>${content}
</entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${outlet.lang}">
<title type="text">${escapeXml(outlet.name)}</title>
<subtitle>${escapeXml(outlet.tagline)}</subtitle>
<link rel="alternate" type="text/html" href="${baseUrl}/${outlet.id}/"/>
<link rel="self" type="application/atom+xml" href="${baseUrl}${outlet.feedPath}"/>
<id>tag:${outlet.id}.fixture.secwire,2026:feed</id>
<updated>${modifiedOf(entries)}</updated>
<generator>fixture-site</generator>
${entriesXml.join('\n')}
</feed>
`;
}

function jsonFeed(baseUrl: string, outlet: FixtureOutletData, entries: FeedEntry[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: outlet.name,
    home_page_url: `${baseUrl}/${outlet.id}/`,
    feed_url: `${baseUrl}${outlet.feedPath}`,
    description: outlet.tagline,
    language: outlet.lang,
    items: entries.map(({ article, link, published }) => ({
      id: `kw-${article.slug}`,
      url: link,
      title: article.title,
      summary: article.dek,
      content_html: `<p>${excerpt(article.blocks, EXCERPT_WORDS)}</p>`,
      date_published: utcIso(published),
      ...(article.updated ? { date_modified: utcIso(article.updated) } : {}),
      authors: [{ name: article.author }],
      tags: article.categories,
      ...(article.image ? { image: `${baseUrl}/${article.outlet}/img/${article.image}` } : {}),
      language: article.lang,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

const CONTENT_TYPES: Record<FixtureOutletData['format'], string> = {
  rss2: 'application/rss+xml',
  rss1: 'application/rdf+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};

export function renderFeed(baseUrl: string, outlet: FixtureOutletData, data: FixtureData): RenderedResource {
  const entries = feedEntries(baseUrl, outlet, data);
  const modified = modifiedOf(entries);
  const contentType = `${CONTENT_TYPES[outlet.format]}; charset=${outlet.encoding}`;
  switch (outlet.format) {
    case 'rss2': {
      const xml = rss2(baseUrl, outlet, entries, outlet.encoding);
      return { body: iconv.encode(xml, outlet.encoding), contentType, modified };
    }
    case 'rss1':
      return { body: Buffer.from(rss1(baseUrl, outlet, entries), 'utf8'), contentType, modified };
    case 'atom':
      return { body: Buffer.from(atom(baseUrl, outlet, entries), 'utf8'), contentType, modified };
    case 'json':
      return { body: Buffer.from(jsonFeed(baseUrl, outlet, entries), 'utf8'), contentType, modified };
  }
}
