/**
 * OPML 2.0 both ways: the feeds secwire generates (for a reader to subscribe to all at once) and the sources
 * it reads (import from and export to FreshRSS, Miniflux, Feedly, tt-rss...). Readers nest outlines in
 * categories, leave out titles, and spell `xmlUrl` in several cases; the parser accepts all of that.
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { SecwireError } from '../errors.js';
import { escapeXml } from './xml.js';

export interface OpmlOutline {
  title: string;
  xmlUrl: string;
  htmlUrl?: string | null;
}

export interface OpmlGroup {
  title: string;
  outlines: OpmlOutline[];
}

function outlineXml(outline: OpmlOutline, indent: string): string {
  const html = outline.htmlUrl ? ` htmlUrl="${escapeXml(outline.htmlUrl)}"` : '';
  return `${indent}<outline type="rss" text="${escapeXml(outline.title)}" title="${escapeXml(outline.title)}" xmlUrl="${escapeXml(outline.xmlUrl)}"${html}/>`;
}

/** An OPML 2.0 document; groups become category outlines, readers show them as folders. */
export function renderOpml(title: string, groups: OpmlGroup[], created: Date = new Date()): string {
  const body = groups
    .filter((group) => group.outlines.length > 0)
    .map((group) => [`    <outline text="${escapeXml(group.title)}" title="${escapeXml(group.title)}">`, ...group.outlines.map((o) => outlineXml(o, '      ')), '    </outline>'].join('\n'))
    .join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeXml(title)}</title>`,
    `    <dateCreated>${created.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
    body,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}

export interface ImportedFeed {
  /** The outline's title or text; null when the file gave neither. */
  title: string | null;
  xmlUrl: string;
  htmlUrl: string | null;
  /** Names of the enclosing category outlines, outermost first. */
  categories: string[];
}

function attribute(element: Element, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(element.attribs)) if (key.toLowerCase() === lower && value.trim()) return value.trim();
  return null;
}

/** Every feed outline in an OPML file, however deeply nested, in document order. */
export function parseOpml(text: string): ImportedFeed[] {
  if (!/<opml[\s>]/i.test(text)) throw new SecwireError('ParseError', 'not an OPML file: no <opml> element');
  const $ = cheerio.load(text, { xml: { xmlMode: true, decodeEntities: true } });
  const body = $('opml > body').first();
  if (body.length === 0) throw new SecwireError('ParseError', 'not an OPML file: no <body> in <opml>');
  const feeds: ImportedFeed[] = [];
  const walk = (parent: Element, categories: string[]): void => {
    for (const child of $(parent).children('outline').toArray()) {
      const xmlUrl = attribute(child, 'xmlUrl');
      const title = attribute(child, 'title') ?? attribute(child, 'text');
      if (xmlUrl) feeds.push({ title, xmlUrl, htmlUrl: attribute(child, 'htmlUrl'), categories });
      walk(child, title ? [...categories, title] : categories);
    }
  };
  walk(body.get(0)!, []);
  return feeds;
}
