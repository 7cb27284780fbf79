import { load } from 'cheerio/slim';

const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
  'application/rdf+xml',
]);

/**
 * Feed URLs a page advertises with `<link rel="alternate" type="...">`, absolute (against `<base href>` when the
 * page has one), http(s) only, deduplicated, in document order.
 */
export function discoverFeeds(html: string, baseUrl: string): string[] {
  const $ = load(html);
  const baseHref = $('base[href]').first().attr('href');
  const base = resolveUrl(baseHref ?? '', baseUrl) ?? baseUrl;
  const found: string[] = [];
  $('link[href]').each((_, element) => {
    const rel = ($(element).attr('rel') ?? '').toLowerCase().split(/\s+/);
    const type = ($(element).attr('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    if (!rel.includes('alternate') || !FEED_TYPES.has(type)) return;
    const url = resolveUrl($(element).attr('href') ?? '', base);
    if (url !== null && !found.includes(url)) found.push(url);
  });
  return found;
}

function resolveUrl(href: string, base: string): string | null {
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
