/**
 * Which feed format a text is, from its root element (XML) or its JSON Feed version, without parsing it all.
 */
import type { FeedFormat } from '../../types.js';

/** Everything XML allows before the root element: BOM, whitespace, declaration, comments, PIs, a doctype. */
const XML_PREAMBLE = /^(?:\uFEFF|\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^<>[\]]|\[[\s\S]*?\])*>)*/i;
const ROOT_ELEMENT = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*)>/;
const JSON_FEED_VERSION = /"version"\s*:\s*"https?:\/\/jsonfeed\.org\/version\/1(?:\.\d+)?\/?"/;
/** Some generators write the bare number ("1.1"); with an items array it is still a JSON Feed. */
const BARE_JSON_FEED_VERSION = /"version"\s*:\s*"1(?:\.\d+)?"/;
const ITEMS_ARRAY = /"items"\s*:\s*\[/;
const RSS_090_NAMESPACE = 'my.netscape.com/rdf/simple/0.9';

export function detectFeedFormat(text: string): FeedFormat | null {
  const start = text.replace(XML_PREAMBLE, '');
  if (start.startsWith('{')) return isJsonFeed(start) ? 'json' : null;
  const root = ROOT_ELEMENT.exec(start);
  if (!root) return null;
  const name = root[2] ?? '';
  const attributes = root[3] ?? '';
  switch (name.toLowerCase()) {
    case 'rss': {
      const version = /\bversion\s*=\s*["']\s*([\d.]+)/i.exec(attributes)?.[1];
      return version?.startsWith('0.9') ? 'rss09' : 'rss2';
    }
    case 'rdf':
      return attributes.includes(RSS_090_NAMESPACE) ? 'rss09' : 'rss1';
    case 'feed':
      return 'atom';
    default:
      return null;
  }
}

export function isJsonFeed(text: string): boolean {
  return JSON_FEED_VERSION.test(text) || (BARE_JSON_FEED_VERSION.test(text) && ITEMS_ARRAY.test(text));
}

/** For error messages: what the text looks like when it is not a feed. */
export function describeNonFeed(text: string): string {
  const start = text.replace(XML_PREAMBLE, '');
  if (start === '') return 'the document is empty';
  if (/^<html[\s>]/i.test(start) || /^<!doctype html/i.test(text.trimStart())) return 'the document is an HTML page, not a feed';
  if (start.startsWith('{') || start.startsWith('[')) return 'the document is JSON but not a JSON Feed';
  const root = ROOT_ELEMENT.exec(start);
  if (root) return `the document is XML with root <${root[1] ?? ''}${root[2] ?? ''}>, not RSS, RDF or Atom`;
  return 'the document is neither XML nor JSON';
}
